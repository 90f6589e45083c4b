"""The rules only: legal holds and retention records name cases, and client data is never
registered in the admin (it would bypass the access policy)."""

from django.contrib import admin

from .models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "name",
        "country",
        "active",
        "is_default",
        "keep_forever",
        "years",
        "research_days",
    ]
    list_filter = ["country", "active"]
    filter_horizontal = ["units"]

    def get_readonly_fields(self, request, obj=None):
        return ["key"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        # Retention records name their rule: a rule is put out of force, not deleted.
        return False
