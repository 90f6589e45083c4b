from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class BamConfig(AppConfig):
    name = "tillit.bam"
    label = "bam"
    verbose_name = _("Building confidence (BaM)")

    def ready(self) -> None:
        from tillit.bam.queries import new_from_client, practised
        from tillit.clients.sections import Section, register
        from tillit.org import practice

        register(
            Section(
                "bam",
                _("Weak and strong moments"),
                "bam:person",
                50,
                attention=new_from_client,
                says=lambda n: (
                    ngettext("%(n)d new from the client", "%(n)d new from the client", n) % {"n": n}
                ),
            )
        )
        practice.register(
            practice.Counter(
                "bam",
                frozenset({"bam"}),
                lambda staff, since: {(k, "bam"): n for k, n in practised(staff, since).items()},
                says=lambda n: (
                    ngettext(
                        "%(n)d moment explored in meetings", "%(n)d moments explored in meetings", n
                    )
                    % {"n": n}
                ),
            )
        )
