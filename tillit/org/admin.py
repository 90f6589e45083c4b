"""Django admin for administrators: units, staff and their roles.

Methods, trainings and supervision are staff data and registered here too. Client data
(persons, cases, journal) is deliberately not registered here: the admin
would bypass the access policy and the audit log.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tillit.org.models import Membership, Method, Supervision, Training, Unit, User


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
