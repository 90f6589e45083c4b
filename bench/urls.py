from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


@login_not_required
def floor(request: HttpRequest) -> HttpResponse:
    """The framework's floor: the same middleware and template engine, no queries, a page
    of the size asked for."""
    size = int(request.GET.get("size", "10000"))
    return render(request, "bench/floor.html", {"filler": "x" * size})


urlpatterns = [path("bench/floor/", floor), path("", include("tillit.urls"))]
