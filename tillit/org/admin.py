"""Django admin for administrators: units, staff and their roles.

Methods, trainings and supervision are staff data and registered here too. Client data
(persons, cases, journal) is deliberately not registered here: the admin
would bypass the access policy and the audit log.
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tillit.org import lockout, login
from tillit.org.models import Membership, Method, Session, Supervision, Training, Unit, User

security = logging.getLogger("tillit.security")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "parent",
        "does_intake",
        "does_assessment",
        "does_intervention",
        "does_follow_up",
    ]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(User)
class StaffAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    actions = ["lift_lockouts", "end_sessions", "reset_second_factor"]

    @admin.action(description=_("Lift login lockouts of the selected users"))
    def lift_lockouts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Lift the lockouts of these user names from every address (tillit/org/lockout.py)."""
        lifted = 0
        for user in queryset:
            count = lockout.lift(user.get_username())
            lockout.log_lift(username=user.get_username(), by=request.user, count=count)
            lifted += bool(count)
        self.message_user(
            request,
            ngettext(
                "Lifted the lockout of %(count)d user.",
                "Lifted the lockouts of %(count)d users.",
                lifted,
            )
            % {"count": lifted},
        )

    @admin.action(description=_("Reset the authenticator app of the selected users"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """A lost phone: the app and the recovery codes go, the user's sessions end, and
        their next login sets up a new app (tillit/org/login.py)."""
        for user in queryset:
            login.devices_reset(user, by=request.user)
        Session.objects.filter(user__in=queryset).delete()
        self.message_user(
            request,
            ngettext(
                "%(count)d user sets up their app again at their next login.",
                "%(count)d users set up their app again at their next login.",
                len(queryset),
            )
            % {"count": len(queryset)},
        )

    @admin.action(description=_("End all sessions of the selected users"))
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Log these users out everywhere (someone leaving, a stolen laptop)."""
        ended, _rows = Session.objects.filter(user__in=queryset).delete()
        for user in queryset:
            security.warning("sessions ended: account=%s by=%s", user.get_username(), request.user)
        self.message_user(
            request,
            ngettext("Ended %(count)d session.", "Ended %(count)d sessions.", ended)
            % {"count": ended},
        )


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ["name", "name_sv", "name_nb", "key"]
    search_fields = ["name", "name_sv", "name_nb", "key"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["staff", "method", "date", "hours"]
    list_filter = ["method"]
    autocomplete_fields = ["staff"]
    date_hierarchy = "date"


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ["date", "method", "supervisor"]
    list_filter = ["method"]
    autocomplete_fields = ["supervisor"]
    filter_horizontal = ["participants"]
    date_hierarchy = "date"


@login_not_required
def _login_through_tillit(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin has no login of its own: administrators log in where everyone does, with
    the lockout and the second factor (tillit/org/login.py)."""
    return redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), resolve_url(settings.LOGIN_URL)
    )


admin.site.login = _login_through_tillit  # type: ignore[method-assign]
