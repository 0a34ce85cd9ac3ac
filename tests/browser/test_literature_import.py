"""Importing real exports in a real browser: a reviewer signs in, imports a Web of Science
file, an RIS file with a title-less record and an ASReview export with labels, and reads
each summary without reloading; a file that cannot be read is refused in Swedish, naming
line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.literature import factories as f
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "literature" / "fixtures"
SHOTS = Path("/tmp/shots-c")  # noqa: S108 (screenshots, never committed)


def _import(page, slug: str, path: Path) -> None:
    page.goto(f"/sv/literature/{slug}/import/")
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name="Importera", exact=True).click()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_reviewer_imports_wos_and_ris_and_reads_the_summaries(page, width):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("reviewer")
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    review = f.review(user, title="Invented import review")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "reviewer", PASSWORD)
    SHOTS.mkdir(exist_ok=True)

    _import(page, review.slug, FIXTURES / "rispy" / "example_wos.ris")
    status = page.get_by_test_id("import-status")
    expect(status).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 referenser importerade")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"import-wos-{width}.png"), full_page=True)

    mixed = SHOTS / "mixed.ris"
    mixed.write_bytes(
        (FIXTURES / "rispy" / "example_bom.ris").read_bytes()
        + (FIXTURES / "rispy" / "example_basic.ris").read_bytes()
        + b"\nTY  - JOUR\nER  - \n"  # a record holding nothing: left out, and named
    )
    _import(page, review.slug, mixed)
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 referenser importerade")
    warnings = page.get_by_test_id("import-warnings")
    expect(warnings).to_contain_text("Rad 1, post 1")
    expect(warnings).to_contain_text("utan titel")
    expect(warnings).to_contain_text("2 anmärkningar om filens poster")
    expect(warnings).to_contain_text("post 3: posten innehåller inga bibliografiska uppgifter")
    expect(warnings).to_contain_text("den lämnades utanför")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"import-flagged-{width}.png"), full_page=True)

    _import(page, review.slug, FIXTURES / "asreview" / "generic_labels.csv")
    expect(page.get_by_test_id("import-summary")).to_contain_text("6 referenser importerade")
    expect(page.get_by_test_id("import-warnings")).to_contain_text(
        "6 av filens poster har ett granskningsbeslut från ett annat verktyg"
    )
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"import-labels-{width}.png"), full_page=True)

    broken = SHOTS / "broken.ris"
    broken.write_bytes(b"TY  - JOUR\nTI  - Invented record cut off\nAU  - Doe, J\n")
    _import(page, review.slug, broken)
    error = page.get_by_test_id("import-error")
    expect(error).to_contain_text("Ingenting importerades")
    expect(error).to_contain_text("Rad 1, post 1")
    expect(error).to_contain_text("filen är avkortad eller skadad")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / f"import-error-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
