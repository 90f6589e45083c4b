from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "tillit.plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from django.utils import timezone
        from django.utils.translation import ngettext

        from tillit.clients.sections import Section, register
        from tillit.lib.queries import count_per_row
        from tillit.plans.models import Plan, PlanStatus

        def due(user):
            in_force = Plan.objects.exclude(status=PlanStatus.DRAFT).filter(
                replaced_by__isnull=True, review_on__lte=timezone.localdate()
            )
            return count_per_row(in_force, "case")

        register(
            Section(
                "plans",
                _("Plans"),
                "plans:person",
                30,
                attention=due,
                says=lambda n: (
                    ngettext("%(n)d plan due for review", "%(n)d plans due for review", n)
                    % {"n": n}
                ),
            )
        )
