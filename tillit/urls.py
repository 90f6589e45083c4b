from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from tillit.clients import views as client_views
from tillit.lib.converters import IdConverter
from tillit.org.login import login_view

# <id:pk> in the apps' URLs: a key that fits 64 bits, else 404 (tillit/lib/converters.py).
register_converter(IdConverter, "id")

urlpatterns = [
    path("", client_views.home, name="home"),
    path("login/", login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("log/", include("tillit.audit.urls")),
    path("feedback/", include("tillit.feedback.urls")),
    path("portal/", include("tillit.portal.urls")),
    path("assessment/", include("tillit.assessment.urls")),
    path("outcomes/", include("tillit.outcomes.urls")),
    path("bam/", include("tillit.bam.urls")),
    path("org/", include("tillit.org.urls")),
    path("network/", include("tillit.network.urls")),
    path("groups/", include("tillit.groups.urls")),
    path("plans/", include("tillit.plans.urls")),
    path("survey/", include("tillit.survey.urls")),
    path("decisions/", include("tillit.decisions.urls")),
    path("followup/", include("tillit.followup.urls")),
    path("extracts/", include("tillit.extracts.urls")),
    path("evidence/", include("tillit.evidence.urls")),
    path("admin/", admin.site.urls),
    path("", include("tillit.clients.urls")),
]

handler403 = "tillit.clients.views.forbidden"
handler404 = "tillit.clients.errors.not_found"
