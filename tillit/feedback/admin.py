"""Instruments are data: an administrator edits wording, thresholds and items here.
Answers and alerts are client data and are not registered."""

from django.contrib import admin

from tillit.feedback.models import Instrument, Item


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["key", "when", "version", "scoring", "active"]
    inlines = [ItemInline]
