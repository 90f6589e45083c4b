"""The repository stands alone: its documents point to nothing outside it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_documents_point_to_nothing_outside_the_repository():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    outside = [
        f"{path.name}: {line.strip()}"
        for path in documents
        for line in path.read_text().splitlines()
        if re.search(r"\.\./shared|\.\./\w", line)
    ]
    assert outside == []


def test_the_design_domain_and_conventions_are_in_docs():
    for name in ("architecture.md", "design.md", "domain.md", "conventions.md"):
        assert (ROOT / "docs" / name).exists(), name
    assert list((ROOT / "docs" / "sources").glob("*.txt"))
