import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the English source texts; one test asks for Swedish on purpose."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
