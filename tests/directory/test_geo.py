"""Municipality lookup and distances."""

import math

import pytest

from facit.directory.geo import (
    find_municipality,
    haversine_km,
    load_municipalities,
    nearest_municipality,
    suggest_municipalities,
)


def test_all_290_municipalities_load_with_four_digit_codes() -> None:
    municipalities = load_municipalities()
    assert len(municipalities) == 290
    assert all(len(m.code) == 4 and m.code.isdigit() for m in municipalities)
    assert len({m.code for m in municipalities}) == 290
    assert all(55 < m.latitude < 70 and 10 < m.longitude < 25 for m in municipalities)


@pytest.mark.parametrize(
    "query",
    ["Malmö", "malmö", "Malmo", "MALMO", " malmö kommun ", "Malmö stad", "1280"],
)
def test_find_municipality_ignores_case_diacritics_and_suffixes(query: str) -> None:
    found = find_municipality(query)
    assert found is not None and found.code == "1280" and found.name == "Malmö"


def test_find_by_code_accepts_dropped_leading_zero() -> None:
    found = find_municipality("180")
    assert found is not None and found.name == "Stockholm" and found.county_code == "01"


def test_hyphen_and_space_are_interchangeable() -> None:
    found = find_municipality("upplands bro")
    assert found is not None and found.name == "Upplands-Bro"


def test_genitive_form_is_found() -> None:
    found = find_municipality("Göteborgs")
    assert found is not None and found.name == "Göteborg"


def test_exact_name_wins_over_diacritic_folding() -> None:
    habo, haabo = find_municipality("Habo"), find_municipality("Håbo")
    assert habo is not None and haabo is not None
    assert habo.code != haabo.code
    assert habo.name == "Habo" and haabo.name == "Håbo"


def test_unknown_municipality_is_none() -> None:
    assert find_municipality("Atlantis") is None
    assert find_municipality("9999") is None


def test_suggestions_put_the_intended_name_first() -> None:
    assert suggest_municipalities("Malmoe")[0].name == "Malmö"
    assert suggest_municipalities("Götteborg")[0].name == "Göteborg"
    assert suggest_municipalities("vasteros")[0].name == "Västerås"


def test_suggestions_respect_the_limit() -> None:
    assert len(suggest_municipalities("Stockholm", limit=3)) <= 3
    assert suggest_municipalities("zzzzqqqq") == []


def test_haversine_is_zero_for_one_point_and_symmetric() -> None:
    assert haversine_km(59.0, 18.0, 59.0, 18.0) == 0
    a = haversine_km(55.6, 13.0, 59.3, 18.1)
    assert a == pytest.approx(haversine_km(59.3, 18.1, 55.6, 13.0))


def test_haversine_quarter_meridian() -> None:
    # Equator to pole along a meridian is a quarter of the circumference.
    assert haversine_km(0, 0, 90, 0) == pytest.approx(math.pi * 6371.0088 / 2)


def test_nearest_municipality_of_its_own_point_is_itself() -> None:
    for municipality in load_municipalities()[::29]:
        found = nearest_municipality(municipality.latitude, municipality.longitude)
        assert found == municipality
