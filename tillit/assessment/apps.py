from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "tillit.assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from tillit.clients.sections import Section, register

        register(Section("assessment", _("Assessment"), "assessment:person", 20))
