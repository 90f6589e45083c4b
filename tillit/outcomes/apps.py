from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class OutcomesConfig(AppConfig):
    name = "tillit.outcomes"
    verbose_name = _("Interventions and outcomes")

    def ready(self) -> None:
        from tillit.clients.sections import Section, register
        from tillit.org import practice
        from tillit.outcomes.queries import practised

        register(Section("interventions", _("Interventions"), "outcomes:person", 40))
        # The leaders' methods page: an intervention with a method is its practice, for any
        # method in the register (tillit/org/practice.py).
        practice.register(
            practice.Counter(
                "interventions",
                None,
                practised,
                says=lambda n: (
                    ngettext(
                        "%(n)d intervention with the method",
                        "%(n)d interventions with the method",
                        n,
                    )
                    % {"n": n}
                ),
            )
        )
