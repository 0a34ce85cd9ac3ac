import copy
import json
from pathlib import Path
from typing import Any

import pytest

from facit.directory.seed import municipalities_load, taxonomy_load

FIXTURES = Path(__file__).parent / "fixtures"
FICTIONAL = FIXTURES / "fictional_organizations.json"

# Readable ids: the first block names the table (a1 organization, b1 service, c1 location).
ORG1 = "000000a1-0000-4000-8000-000000000001"
ORG2 = "000000a1-0000-4000-8000-000000000002"
SVC1 = "000000b1-0000-4000-8000-000000000001"
LOC1 = "000000c1-0000-4000-8000-000000000001"
MISSING = "0000ffff-0000-4000-8000-000000000000"


@pytest.fixture(scope="session")
def _fictional_doc() -> list[dict[str, Any]]:
    return json.loads(FICTIONAL.read_text(encoding="utf-8"))


@pytest.fixture
def fictional_doc(_fictional_doc: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The fictional organization package; a fresh copy that a test may break."""
    return copy.deepcopy(_fictional_doc)


@pytest.fixture
def places(db):
    """facit's taxonomy and Sweden's municipalities (from data/municipalities.csv)."""
    taxonomy_load()
    municipalities_load()


@pytest.fixture
def directory_seeded(db):
    from facit.directory.seed import seed_directory

    seed_directory()
