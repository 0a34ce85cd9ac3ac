"""An editor imports Open Referral's official example on the HSDS import page, in Swedish at
phone and desktop width: the summary lists each warning with its JSON path, the strict
checkbox refuses the whole import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_barnahus_journey import _no_sideways_scroll, _shot
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLE = Path(settings.DATA_DIR) / "hsds-3.0" / "examples" / "service_full.json"


@pytest.fixture
def places(db):
    from facit.directory.seed import municipalities_load, taxonomy_load

    taxonomy_load()
    municipalities_load()


@pytest.mark.parametrize("width", [390, 1280])
def test_editor_imports_the_official_example_and_reads_its_warnings(page, places, width):
    page.set_viewport_size({"width": width, "height": 900})
    user = make_user(f"import_editor_{width}", ["editor"])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    sign_in(page, f"import_editor_{width}", PASSWORD)
    page.goto("/sv/directory/hsds-import/")
    expect(page.get_by_role("heading", name="Importera HSDS-data")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("HSDS-fil").set_input_files(str(EXAMPLE))
    page.get_by_label("Strikt: vägra hela importen vid minsta problem").check()
    page.get_by_role("button", name="Kontrollera och importera").click()
    expect(page.get_by_role("alert")).to_contain_text("6 problem; inget importerades.")
    assert_accessible(page)
    _shot(page, "hsds-import-refused", width)
    page.get_by_label("HSDS-fil").set_input_files(str(EXAMPLE))
    page.get_by_label("Strikt: vägra hela importen vid minsta problem").uncheck()
    page.get_by_role("button", name="Kontrollera och importera").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("service_full.json har importerats")
    expect(status).to_contain_text("6 varningar")
    expect(status.get_by_text("$.organization.locations[0].latitude")).to_be_visible()
    assert_accessible(page)
    _shot(page, "hsds-import-done", width)
    _no_sideways_scroll(page)
