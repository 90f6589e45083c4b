from django.contrib import admin

from tillit.assessment.models import LifeArea


@admin.register(LifeArea)
class LifeAreaAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_sv", "name_nb", "order", "active"]
    list_editable = ["order", "active"]
