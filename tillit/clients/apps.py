from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "tillit.clients"
    label = "clients"
    verbose_name = _("Clients and cases")

    def ready(self) -> None:
        from django.utils.translation import ngettext

        from tillit.clients.models import EntryStatus, JournalEntry
        from tillit.clients.sections import Section, register
        from tillit.lib.queries import count_per_row

        def my_drafts(user):
            drafts = JournalEntry.objects.filter(status=EntryStatus.DRAFT, author_id=user.pk)
            return count_per_row(drafts, "case")

        register(
            Section(
                "journal",
                _("Journal"),
                "clients:person",
                10,
                attention=my_drafts,
                says=lambda n: (
                    ngettext("%(n)d unsigned draft", "%(n)d unsigned drafts", n) % {"n": n}
                ),
            )
        )
