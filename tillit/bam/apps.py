from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BamConfig(AppConfig):
    name = "tillit.bam"
    label = "bam"
    verbose_name = _("Building confidence (BaM)")
