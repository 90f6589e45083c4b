from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "tillit.outcomes"
    verbose_name = _("Interventions and outcomes")

    def ready(self) -> None:
        from tillit.clients.sections import Section, register

        register(Section("interventions", _("Interventions"), "outcomes:person", 40))
