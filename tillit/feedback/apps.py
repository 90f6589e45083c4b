from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class FeedbackConfig(AppConfig):
    name = "tillit.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from tillit.clients.sections import Section, register
        from tillit.feedback.queries import open_alerts

        register(
            Section(
                "feedback",
                _("Feedback and alerts"),
                "feedback:person",
                60,
                attention=lambda user: open_alerts(),
                says=lambda n: ngettext("%(n)d open alert", "%(n)d open alerts", n) % {"n": n},
            )
        )
