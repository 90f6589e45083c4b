import pytest

from tillit.extracts import services
from tillit.extracts.produce import produce


@pytest.fixture(autouse=True)
def _extract_dir(settings, tmp_path):
    settings.EXTRACT_DIR = tmp_path / "extracts"


@pytest.fixture
def inline(monkeypatch):
    """The page's run produced at once in the request, instead of in a thread."""
    ran = []

    def run_now(run):
        ran.append(run)
        produce(run)

    monkeypatch.setattr(services, "run_in_background", run_now)
    return ran
