"""Django admin for administrators: units, staff and their roles.

Client data (persons, cases, journal) is deliberately not registered here: the admin
would bypass the access policy and the audit log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tillit.org.models import Membership, Unit, User


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
