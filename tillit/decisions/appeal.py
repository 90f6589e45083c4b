"""How to appeal, as each country's standard text, in the client's language: what a new
decision's appeal information is filled in with. The worker may change it before signing.

Sweden (förvaltningslagen): an appeal in writing to the administrative court
(förvaltningsrätten), sent to the social services within three weeks of the day the client
received the decision, with help from the worker if they want it. Norway: a complaint
(klage) to Statsforvalteren, sent to the office that made the decision, within four weeks
for the municipality's health and care services, which substance-abuse care is
(pasient- og brukerrettighetsloven §§ 7-2 and 7-5), and within three weeks for a NAV
office's decision under the social services act (forvaltningsloven §§ 28-29)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

from tillit.clients.models import Person
from tillit.decisions.models import Country, Law
from tillit.lib import ids


def _swedish() -> str:
    return _(
        "If you do not agree with the decision, you can appeal against it to the "
        "administrative court (förvaltningsrätten). Write to us and say which decision you "
        "appeal against and how you want it changed. Send your appeal to the social "
        "services, not to the court, so that we receive it within three weeks of the day "
        "you received the decision. We look at the decision again, and if we do not change "
        "it as you ask, we send your appeal on to the court. Your worker can help you write "
        "the appeal."
    )


def _norwegian() -> str:
    return _(
        "If you do not agree with the decision, you can complain about it (klage). The "
        "complaint goes to Statsforvalteren, but you send it to the office that made the "
        "decision. Send it within four weeks of the day you received the decision "
        "(pasient- og brukerrettighetsloven § 7-5); a decision by the NAV office under the "
        "social services act has three weeks (forvaltningsloven § 29). Say which decision "
        "you complain about and what you want changed. We look at the decision again, and "
        "if we do not change it as you ask, we send your complaint on to Statsforvalteren. "
        "Your worker can help you write the complaint."
    )


TEXTS: dict[str, Callable[[], str]] = {Country.SWEDEN: _swedish, Country.NORWAY: _norwegian}


def standard_text(country: str, language: str) -> str:
    """The country's standard appeal information in `language` (sv, nb or en)."""
    with translation.override(language):
        return TEXTS.get(country, _swedish)()


def country_of(person: Person) -> str:
    """The country whose laws and appeal rules apply to the client: that of their identity
    number, else that of the first provision on record (one municipality, one country)."""
    if person.id_country == ids.SWEDEN:
        return Country.SWEDEN
    if person.id_country == ids.NORWAY:
        return Country.NORWAY
    first = Law.objects.order_by("pk").values_list("country", flat=True).first()
    return first or Country.SWEDEN
