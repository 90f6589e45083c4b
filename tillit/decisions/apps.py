from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class DecisionsConfig(AppConfig):
    name = "tillit.decisions"
    verbose_name = _("Decisions")

    def ready(self) -> None:
        from tillit.clients.sections import Section, register
        from tillit.decisions.models import Decision
        from tillit.lib.queries import count_per_row

        def not_told(user):
            return count_per_row(
                Decision.objects.filter(signed_at__isnull=False, communicated_on__isnull=True),
                "case",
            )

        register(
            Section(
                "decisions",
                _("Decisions"),
                "decisions:person",
                25,
                attention=not_told,
                says=lambda n: (
                    ngettext(
                        "%(n)d decision not yet told to the client",
                        "%(n)d decisions not yet told to the client",
                        n,
                    )
                    % {"n": n}
                ),
            )
        )
