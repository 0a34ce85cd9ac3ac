"""The directory seed loads only what data/services_se.json and municipalities.csv state."""

from __future__ import annotations

import json

from facit.directory.models import County, Municipality, Organization, Phone, Service
from facit.directory.seed import SERVICES_FILE, seed_directory


def test_seed_loads_every_place_and_entry_and_is_idempotent(directory_seeded):
    data = json.loads(SERVICES_FILE.read_text(encoding="utf-8"))
    assert Municipality.objects.count() == 290
    assert County.objects.count() == 21
    assert Service.objects.count() == len(data["entries"])
    seed_directory()
    assert Service.objects.count() == len(data["entries"])
    assert Organization.objects.count() == len(data["entries"])


def test_phone_numbers_are_exactly_as_the_file_gives_them(directory_seeded):
    data = json.loads(SERVICES_FILE.read_text(encoding="utf-8"))
    given = sorted(e["phone"] for e in data["entries"] if "phone" in e)
    assert sorted(Phone.objects.values_list("number", flat=True)) == given


def test_each_service_carries_its_sources_and_shows_them(visitor, directory_seeded):
    data = json.loads(SERVICES_FILE.read_text(encoding="utf-8"))
    for entry in data["entries"]:
        service = Service.objects.get(name=entry["name"])
        assert service.sources == entry["sources"]
    bris = Service.objects.get(name__startswith="BRIS")
    html = visitor.get(f"/sv/directory/services/{bris.pk}/").content.decode()
    for source in bris.sources:
        assert source in html
    assert "116 111" in html
