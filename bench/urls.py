from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from tillit.audit.models import AccessLog, Action
from tillit.lib.http import AuthedRequest


@login_not_required
def floor(request: HttpRequest) -> HttpResponse:
    """The framework's floor: the same middleware and template engine, no queries, a page
    of the size asked for."""
    size = int(request.GET.get("size", "10000"))
    return render(request, "bench/floor.html", {"filler": "x" * size})


def floor_audited(request: AuthedRequest) -> HttpResponse:
    """The floor plus what every request for a client's data must do whatever the page: load
    the session and the user, and commit one audit row (docs/architecture.md). No Tillit
    page can be faster than this."""
    AccessLog.objects.create(user=request.user, action=Action.READ, path=request.path)
    return floor(request)


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor-audited/", floor_audited),
    path("", include("tillit.urls")),
]
