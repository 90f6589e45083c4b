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
from tillit.org.signals import security_event

security = logging.getLogger("tillit.security")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


class RolesAudited(admin.ModelAdmin):
    """A role given, changed or taken in the Membership inline is an access log row
    (role_change) about the staff member, saying who did it (tillit.audit.events)."""

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        before = {
            m.pk: (m.unit_id, m.role)
            for m in Membership.objects.filter(pk__in=[f.instance.pk for f in formset.forms])
        }
        super().save_formset(request, form, formset, change)
        events: list[tuple[Membership, str, tuple[int, str] | None]]
        events = [(m, "added", None) for m in formset.new_objects]
        events += [(m, "changed", before.get(m.pk)) for m, _fields in formset.changed_objects]
        events += [(m, "removed", None) for m in formset.deleted_objects]
        for membership, what, old in events:
            detail = {"change": what, "unit": membership.unit_id, "role": membership.role}
            if old is not None:
                detail["was"] = {"unit": old[0], "role": old[1]}
            security_event.send(
                __name__,
                action="role_change",
                user=membership.user,
                request=request,
                by=request.user,
                unit_id=membership.unit_id,
                detail=detail,
            )


@admin.register(Unit)
class UnitAdmin(RolesAudited):
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
class StaffAdmin(RolesAudited, UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff"]
    actions = ["lift_lockouts", "end_sessions", "reset_second_factor"]

    @admin.action(description=_("Lift login lockouts of the selected users"))
    def lift_lockouts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Lift the lockouts of these user names from every address (tillit/org/lockout.py).
        Each lift is an access log row whose user is the administrator, naming the account,
        as a team leader's lift is (audit.views.lockout_lift)."""
        lifted = 0
        for user in queryset:
            count = lockout.lift(user.get_username())
            lockout.log_lift(username=user.get_username(), by=request.user, count=count)
            security_event.send(
                __name__,
                action="lockout_lift",
                user=request.user,
                request=request,
                detail={
                    "account": {"id": user.pk, "username": user.get_username()},
                    "attempts": count,
                },
            )
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
            login.devices_reset(user, by=request.user, request=request)
        Session.objects.filter(user__in=queryset).delete()
        _sessions_ended(request, queryset, "mfa_reset")
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
        _sessions_ended(request, queryset, "ended_by_administrator")
        self.message_user(
            request,
            ngettext("Ended %(count)d session.", "Ended %(count)d sessions.", ended)
            % {"count": ended},
        )


def _sessions_ended(request: HttpRequest, users: QuerySet[User], reason: str) -> None:
    for user in users:
        security_event.send(
            __name__,
            action="session_end",
            user=user,
            request=request,
            by=request.user,
            detail={"reason": reason, "all": True},
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
