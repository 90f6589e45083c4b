from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "tillit.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # Signal receivers: the security log's, and the stamp a login puts on its session.
        from tillit.org import lockout, middleware  # noqa: F401
