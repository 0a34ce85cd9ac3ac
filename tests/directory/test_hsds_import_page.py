"""The editors' HSDS import page: the same checks and service as `manage.py hsds_import`,
each warning with its JSON path in Swedish, schema errors refusing the whole import, and
--strict as a checkbox. Open Referral's official examples (data/hsds-3.0/examples/)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from facit.core.models import AuditEvent
from facit.directory.models import Location, Organization, Service
from facit.directory.services import hsds_import
from tests.web.english import english_on_page

EXAMPLES = Path(settings.DATA_DIR) / "hsds-3.0" / "examples"
URL = "/sv/directory/hsds-import/"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
LOCATION = "3a19ff88-4620-4d17-9830-ac1d859eb5d5"


def _upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    data = content if content is not None else (EXAMPLES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="application/json")


def _post(client, upload, *, strict: bool = False):
    data = {"file": upload}
    if strict:
        data["strict"] = "on"
    return client.post(URL, data)


def test_editor_imports_the_official_example_and_sees_each_warning_with_its_path(editor, places):
    response = _post(editor, _upload("service_full.json"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "service_full.json har importerats" in html
    assert "6 varningar" in html
    for path in (
        "$.organization.locations[0].latitude",
        "$.organization.parent_organization_id",
        "$.attributes[0].taxonomy_term.parent_id",
        "$.metadata[0].resource_id",
    ):
        assert f'<code class="path">{path}</code>' in html, path
    assert "ligger utanför det giltiga intervallet" in html
    assert "som inte finns i datan" in html
    assert english_on_page(html) == []
    assert Service.objects.filter(pk=SERVICE).exists()
    assert Location.objects.get(pk=LOCATION).latitude is None
    assert AuditEvent.objects.filter(action="directory.hsds.import").count() == 1


@pytest.mark.parametrize("name", ["organization_full.json", "service_at_location_full.json"])
def test_the_other_official_examples_import_with_their_six_warnings(editor, places, name):
    html = _post(editor, _upload(name)).content.decode()
    assert "6 varningar" in html
    assert Service.objects.filter(pk=SERVICE).exists()


def test_strict_checkbox_refuses_the_whole_import_and_stores_nothing(editor, places):
    response = _post(editor, _upload("service_full.json"), strict=True)
    html = response.content.decode()
    assert "6 problem; inget importerades" in html
    assert '<code class="path">$.organization.locations[0].latitude</code>' in html
    assert not Service.objects.filter(pk=SERVICE).exists()
    assert not Organization.objects.exists()
    assert not AuditEvent.objects.filter(action="directory.hsds.import").exists()
    assert english_on_page(html) == []


def test_a_schema_error_refuses_the_import_with_its_path_and_stores_nothing(editor, places):
    doc = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    doc["phones"][0]["number"] = 12345  # a number where HSDS wants a string
    html = _post(editor, _upload("broken.json", json.dumps(doc).encode())).content.decode()
    assert "inget importerades" in html
    assert "$.phones[0].number" in html
    assert not Service.objects.exists() and not Organization.objects.exists()
    assert english_on_page(html) == []  # the validator's own words are marked lang="en"


def test_a_tabular_data_package_as_zip_is_imported(editor, places, tmp_path):
    from facit.directory.hsds_io import export_all
    from tests.directory import factories as f

    f.service(name="Invented exported service")
    export_all(tmp_path)
    Service.objects.all().delete()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in (tmp_path / "tabular").iterdir():
            archive.write(file, file.name)
    upload = SimpleUploadedFile("paket.zip", buffer.getvalue(), content_type="application/zip")
    html = _post(editor, upload).content.decode()
    assert "paket.zip har importerats" in html, html[:3000]
    assert Service.objects.filter(name="Invented exported service").exists()


def test_other_suffixes_are_refused_before_anything_is_read(editor, places):
    html = _post(editor, _upload("data.csv", b"id,name\n")).content.decode()
    assert "Välj en .json- eller .zip-fil" in html


def test_only_editors_may_import(provider, reviewer, visitor, places):
    assert _post(provider, _upload("service_full.json")).status_code == 403
    assert _post(reviewer, _upload("service_full.json")).status_code == 403
    assert visitor.get(URL).status_code == 302
    assert not Service.objects.exists()


def test_the_service_refuses_a_person_who_is_not_an_editor(places):
    from tests.personas import make_user

    with pytest.raises(PermissionDenied):
        hsds_import(path=EXAMPLES / "service_full.json", actor=make_user("provider"))
    assert not Service.objects.exists()
