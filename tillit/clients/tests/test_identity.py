"""Identity numbers: checked with python-stdnum; bad input is refused with a clear message
in the user's language and nothing is saved."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tillit.clients.models import Case, Person
from tillit.conftest import client_for
from tillit.lib import ids

VALID_SE = ids.make_swedish("19811228", 987)  # 19811228-9874
BAD_NUMBERS = [
    ("se", "19811228-9875", "checksum"),  # wrong check digit
    ("se", "19811328-9874", "date"),  # month 13
    ("se", "19810230-1234", "date"),  # 30 February
    ("se", "811228-98", "length"),
    ("se", "19811228-98744", "length"),
    ("se", "1981122A-9874", "letters"),
    ("no", "15108695089", "checksum"),
    ("no", "32108610033", "date"),  # day 32, check digits right
    ("no", "1510869508", "length"),
    ("no", "1510869508X", "letters"),
]


def _post(user, language, country, number):
    client = client_for(user)
    client.cookies["django_language"] = language
    return client.post(
        reverse("clients:person_new"),
        {
            "first_name": "Test",
            "last_name": "Person",
            "id_country": country,
            "id_number": number,
            "preferred_language": "sv",
            "unit": user.memberships.get().unit_id,
            "origin": "application",
            "origin_text": "Ansökan",
        },
        headers={"accept-language": language},
    )


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
@pytest.mark.parametrize(("country", "number", "problem"), BAD_NUMBERS)
def test_invalid_identity_number_is_refused_in_the_users_language(
    worker, language, country, number, problem
):
    response = _post(worker, language, country, number)

    assert response.status_code == 200
    with translation.override(language):
        message = str(ids.MESSAGES[problem])
    with translation.override("en"):
        english = str(ids.MESSAGES[problem])
    if language != "en":
        assert message != english, f"not translated to {language}"
    assert escape(message) in response.content.decode()
    assert Person.objects.count() == 0
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("country", "number", "stored", "kind"),
    [
        ("se", "811228-9874", "19811228-9874", "personnummer"),
        ("se", "198112289874", "19811228-9874", "personnummer"),
        ("se", ids.make_swedish("19811288", 123), "19811288-1233", "samordningsnummer"),
        ("no", "15108695088", "15108695088", "fødselsnummer"),
        ("no", ids.make_norwegian("551086", 123), ids.make_norwegian("551086", 123), "D-nummer"),
    ],
)
def test_valid_numbers_are_stored_in_canonical_form(worker, country, number, stored, kind):
    response = _post(worker, "en", country, number)

    assert response.status_code == 302
    person = Person.objects.get()
    assert person.id_number == stored
    assert person.id_kind == kind


def test_new_client_becomes_the_workers_case_and_is_audited(worker):
    response = _post(worker, "en", "se", VALID_SE)

    person = Person.objects.get()
    assert response["Location"] == reverse("clients:person", args=[person.pk])
    case = person.cases.get()
    assert case.assignments.get().worker == worker
    assert client_for(worker).get(response["Location"]).status_code == 200


def test_no_number_needs_a_reason(worker):
    response = _post(worker, "en", "", "")

    assert "Say why the client has no identity number." in response.content.decode()
    assert Person.objects.count() == 0


def test_duplicate_number_is_refused_without_saving(worker, person):
    response = _post(worker, "en", "se", person.id_number)

    assert "already registered" in response.content.decode()
    assert Person.objects.count() == 1


def test_a_wrong_check_digit_is_one_error_and_the_right_one(worker, unit):
    from django.urls import reverse

    from tillit.conftest import client_for

    client = client_for(worker)
    client.cookies["django_language"] = "en"
    data = {
        "first_name": "Ny",
        "last_name": "Klient",
        "id_country": "se",
        "id_number": "19811228-9875",
        "preferred_language": "sv",
        "unit": unit.pk,
        "origin": "application",
    }
    form = client.post(reverse("clients:person_new"), data).context["person_form"]
    assert form.errors["id_number"] == [
        "The identity number's check digit is wrong. Please check for typing errors."
    ]
    assert not form.non_field_errors()


def test_the_new_client_form_starts_with_the_municipalitys_own_number_type(worker, settings):
    from tillit.clients.forms import PersonForm

    assert PersonForm(user=worker).fields["id_country"].initial == "se"
    settings.LANGUAGE_CODE = "nb"
    assert PersonForm(user=worker).fields["id_country"].initial == "no"


def test_the_new_client_form_names_the_unit_in_swedish(worker):
    from django.urls import reverse

    from tillit.conftest import client_for

    client = client_for(worker)
    client.cookies["django_language"] = "sv"
    page = client.get(reverse("clients:person_new")).content.decode()
    assert ">Enhet:</label>" in page and ">Unit:</label>" not in page
