from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "tillit.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from tillit.clients.sections import Section, register

        register(Section("network", _("Network"), "network:map", 70))
