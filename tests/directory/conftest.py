import pytest

from facit.directory.seed import municipalities_load, taxonomy_load


@pytest.fixture
def places(db):
    """facit's taxonomy and Sweden's municipalities (from data/municipalities.csv)."""
    taxonomy_load()
    municipalities_load()


@pytest.fixture
def directory_seeded(db):
    from facit.directory.seed import seed_directory

    seed_directory()
