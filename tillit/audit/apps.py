from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tillit.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # Security events become access log rows (failed logins, lockouts, sessions, roles).
        from tillit.audit import events  # noqa: F401
