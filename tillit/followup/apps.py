from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "tillit.followup"
    verbose_name = _("Closing and follow-up")

    def ready(self) -> None:
        from django.utils import timezone
        from django.utils.translation import ngettext

        from tillit.clients.sections import Section, register
        from tillit.followup.models import FollowUp, State
        from tillit.lib.queries import count_per_row

        def due(user):
            waiting = FollowUp.objects.filter(state=State.DUE, due_on__lte=timezone.localdate())
            return count_per_row(waiting, "closing__case")

        register(
            Section(
                "followup",
                _("Closing and follow-up"),
                "followup:person",
                80,
                attention=due,
                says=lambda n: (
                    ngettext("%(n)d follow-up due", "%(n)d follow-ups due", n) % {"n": n}
                ),
            )
        )
