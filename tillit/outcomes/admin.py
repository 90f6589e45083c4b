"""The register of providers, kept by administrators: staff data with prices, no client.
Interventions are client data and are not registered here (docs/architecture.md)."""

from django.contrib import admin

from tillit.outcomes.models import Provider


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "kind", "cost_amount", "cost_per", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "org_number"]
