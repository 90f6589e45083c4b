from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "tillit.followup"
    verbose_name = _("Closing and follow-up")
