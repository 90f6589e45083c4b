"""Services without needs assessment for the URLconf walk (tillit/tests/test_urls.py)."""

from __future__ import annotations

from tillit.org.models import Unit
from tillit.outcomes.models import LowThresholdService


def url_objects(unit: Unit) -> dict:
    return {
        "low_threshold_service": LowThresholdService.objects.create(unit=unit, name="Drop-in"),
    }
