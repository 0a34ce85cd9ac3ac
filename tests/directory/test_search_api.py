"""GET /api/v1/services/search and the public search page."""

from __future__ import annotations

from tests.directory import factories as f


def test_api_search_returns_matching_services(visitor, places):
    f.service(name="Local", areas=(("municipality", "1280"),), maximum_age=17)
    f.service(name="Far away", areas=(("municipality", "2584"),))
    r = visitor.get("/api/v1/services/search", {"municipality": "Malmö", "age": 14})
    assert r.status_code == 200
    body = r.json()
    assert body["municipality"] == "Malmö" and body["county"] == "Skåne län"
    assert [s["name"] for s in body["results"]] == ["Local"]
    assert body["results"][0]["reach"] == "municipality"


def test_api_unknown_municipality_is_422_with_suggestions(visitor, places):
    r = visitor.get("/api/v1/services/search", {"municipality": "Göteborgg"})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "unknown_municipality"
    assert "Göteborg" in error["fields"][0]["suggestions"]
    assert error["fields"][0]["field"] == "query.municipality"


def test_api_rejects_bad_values_in_the_one_error_shape(visitor, places):
    r = visitor.get("/api/v1/services/search", {"age": -1, "lat": 200})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_error"


def test_page_shows_unknown_municipality_with_suggestions(visitor, places):
    r = visitor.get("/sv/directory/search/", {"municipality": "Malmoe"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Malmoe" in html and "Malmö" in html and "suggestions" in html


def test_page_lists_results_with_share_link_and_print(visitor, places):
    f.service(name="Local help", areas=(("municipality", "1280"),))
    r = visitor.get("/sv/directory/search/", {"municipality": "1280", "age": "15"})
    html = r.content.decode()
    assert "Local help" in html
    assert 'id="share-link"' in html and "municipality=1280" in html
    assert "data-print" in html and "data-quick-exit" in html
    assert r["Cache-Control"].startswith("max-age=0") or "no-store" in r["Cache-Control"]
