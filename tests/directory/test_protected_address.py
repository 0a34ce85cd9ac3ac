"""A protected address is never published: not on the page, in either API, or an export."""

from __future__ import annotations

import pytest

from tests.directory import factories as f

SECRET = "Skyddadgatan 7"
SECRET_POINT = (55.61234, 13.04321)
PROTECTED = {
    "address_1": SECRET,
    "city": "Malmö",
    "state_province": "Skåne län",
    "postal_code": "21111",
    "country": "SE",
    "address_type": "physical",
    "is_protected": True,
}


@pytest.fixture
def shelter(places):
    return f.service(
        name="Protected shelter",
        areas=(("municipality", "1280"),),
        at=SECRET_POINT,
        address=PROTECTED,
        phone="000-000 00 00",
    )


def _leaks(text: str) -> list[str]:
    return [s for s in (SECRET, "Skyddadgatan", "55.61234", "13.04321", "21111") if s in text]


def test_page_shows_contact_by_phone_instead(visitor, shelter):
    html = visitor.get(f"/sv/directory/services/{shelter.pk}/").content.decode()
    assert _leaks(html) == []
    assert 'class="protected"' in html


def test_search_api_and_page_do_not_leak(visitor, shelter):
    api = visitor.get("/api/v1/services/search", {"municipality": "Malmö"}).content.decode()
    page = visitor.get("/sv/directory/search/", {"municipality": "Malmö"}).content.decode()
    assert "Protected shelter" in api and "Protected shelter" in page
    assert _leaks(api) == [] and _leaks(page) == []


def test_protected_location_is_not_used_for_distance(visitor, shelter):
    body = visitor.get(
        "/api/v1/services/search", {"lat": SECRET_POINT[0], "lon": SECRET_POINT[1], "radius_km": 1}
    ).json()
    found = {r["name"]: r for r in body["results"]}
    assert found.get("Protected shelter", {}).get("distance_km") is None


def test_hsds_api_does_not_leak(visitor, shelter):
    for url in (
        f"/api/hsds/services/{shelter.pk}",
        "/api/hsds/services?full=true",
        "/api/hsds/service_at_locations?full=true",
        f"/api/hsds/organizations/{shelter.organization_id}",
        "/api/hsds/organizations?full_service=true",
    ):
        response = visitor.get(url)
        assert response.status_code == 200, url
        assert _leaks(response.content.decode()) == [], url


def test_hsds_postcode_search_does_not_reveal_protected_addresses(visitor, shelter):
    r = visitor.get("/api/hsds/service_at_locations", {"postcode": "21111"})
    assert r.json()["total_items"] == 0
    r = visitor.get("/api/hsds/service_at_locations", {"postcode": "21111", "proximity": 5000})
    assert r.status_code == 422


def test_exports_do_not_leak(shelter, tmp_path):
    from facit.directory.hsds_io import export_all

    for path in export_all(tmp_path):
        files = [path] if path.is_file() else list(path.rglob("*"))
        for file in files:
            if file.is_file():
                assert _leaks(file.read_text(encoding="utf-8")) == [], file
