from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class NetworkConfig(AppConfig):
    name = "tillit.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from tillit.clients.sections import Section, register
        from tillit.network.queries import practised
        from tillit.org import practice

        register(Section("network", _("Network"), "network:map", 70))
        # The leaders' methods page: conferences held and network meetings count as the
        # use of their methods (tillit/org/practice.py).
        practice.register(
            practice.Counter(
                "network",
                frozenset({"fgc", "network"}),
                practised,
                says=lambda n: (
                    ngettext("%(n)d held in Tillit", "%(n)d held in Tillit", n) % {"n": n}
                ),
            )
        )
