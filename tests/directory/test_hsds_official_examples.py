"""Open Referral's official HSDS 3.0 examples (data/hsds-3.0/examples/) import as publishers
send them: their referential and semantic problems become warnings with JSON paths, the
offending values are dropped, and --strict keeps all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from facit.directory.hsds_io import import_path
from facit.directory.models import Location, Organization, Service

EXAMPLES = Path(settings.DATA_DIR) / "hsds-3.0" / "examples"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"

# (file, prefix of the service's JSON path, prefix of the location's)
CASES = [
    ("service_full.json", "$.", "$.organization.locations[0]."),
    ("organization_full.json", "$.services[0].", "$.locations[0]."),
    ("service_at_location_full.json", "$.service.", "$.location."),
]


def _expected(service: str, location: str) -> list[tuple[str, str]]:
    organization = "$." if service == "$.services[0]." else f"{service}organization."
    return [
        (f"{service}attributes[0].link_entity", "nested under 'service'"),
        (f"{service}metadata[0].resource_type", "nested under 'service'"),
        (f"{organization}parent_organization_id", "not in the data"),
        (f"{service}attributes[0].taxonomy_term.parent_id", "not a known term"),
        (f"{service}metadata[0].resource_id", "not in the data"),
        (f"{location}latitude", "100 is outside the valid range"),
    ]


@pytest.mark.parametrize(("name", "service", "location"), CASES)
def test_official_example_imports_with_its_warnings(places, name, service, location):
    summary = import_path(EXAMPLES / name, strict=False)
    got = sorted((w.path, w.reason) for w in summary.warnings)
    want = _expected(service, location)
    assert len(got) == len(want) == 6
    for path, reason in want:
        assert any(p == path and reason in r for p, r in got), (path, got)
    assert Service.objects.filter(pk=SERVICE).exists()
    org = Organization.objects.get(pk=ORG)
    assert org.parent_organization_id is None  # the dangling parent is dropped
    place = Location.objects.get(pk=LOCATION)
    assert place.latitude is None and place.longitude is None  # latitude 100: both dropped


def test_command_prints_each_warning_with_its_path_and_strict_refuses(places, capsys):
    path = str(EXAMPLES / "service_full.json")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("hsds_import", path, "--strict")
    assert not Service.objects.filter(pk=SERVICE).exists()
    capsys.readouterr()
    call_command("hsds_import", path)
    out = capsys.readouterr()
    assert "6 warning(s)" in out.out
    assert "warning: $.organization.locations[0].latitude" in out.err
    assert "warning: $.organization.parent_organization_id" in out.err
    assert Service.objects.filter(pk=SERVICE).exists()
