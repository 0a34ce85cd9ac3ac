"""Search by place, age and need (services invented here; places from the verified CSV)."""

from __future__ import annotations

import pytest

from facit.directory.search import SearchParams, UnknownMunicipality, search_services
from tests.directory import factories as f

MALMO = (55.56643, 13.02066)  # data/municipalities.csv, 1280
LUND = (55.66067, 13.45596)  # 1281
HELSINGBORG = (56.07034, 12.79602)  # 1283


def names(params: SearchParams) -> list[str]:
    return [h.service.name for h in search_services(params).hits]


@pytest.fixture
def scene(places):
    return {
        "national": f.service(name="National line", areas=(("national", None),)),
        "skane": f.service(name="Skåne county team", areas=(("county", "12"),)),
        "norrbotten": f.service(name="Norrbotten county team", areas=(("county", "25"),)),
        "malmo": f.service(name="Malmö local", areas=(("municipality", "1280"),), at=MALMO),
        "lund": f.service(name="Lund local", areas=(("municipality", "1281"),), at=LUND),
        "teens": f.service(
            name="Teen clinic", areas=(("municipality", "1280"),), minimum_age=13, maximum_age=17
        ),
        "adults": f.service(name="Adult clinic", areas=(("national", None),), minimum_age=18),
    }


def test_national_services_appear_for_every_municipality(scene):
    assert "National line" in names(SearchParams(municipality="Kiruna"))
    assert "National line" in names(SearchParams(municipality="1280"))


def test_county_services_appear_only_in_their_county(scene):
    malmo = names(SearchParams(municipality="Malmö"))
    assert "Skåne county team" in malmo
    assert "Norrbotten county team" not in malmo
    assert "Norrbotten county team" in names(SearchParams(municipality="Kiruna"))


def test_municipality_services_appear_only_in_their_municipality(scene):
    assert "Malmö local" in names(SearchParams(municipality="malmö kommun"))
    assert "Malmö local" not in names(SearchParams(municipality="Lund"))


def test_age_filters_by_minimum_and_maximum(scene):
    at_12 = names(SearchParams(municipality="Malmö", age=12))
    at_15 = names(SearchParams(municipality="Malmö", age=15))
    at_20 = names(SearchParams(municipality="Malmö", age=20))
    assert "Teen clinic" not in at_12 and "Teen clinic" in at_15 and "Teen clinic" not in at_20
    assert "Adult clinic" in at_20 and "Adult clinic" not in at_15
    assert "National line" in at_12  # no age limits stated: everyone


def test_local_services_come_before_county_and_national(scene):
    order = names(SearchParams(municipality="Malmö"))
    assert (
        order.index("Malmö local") < order.index("Skåne county team") < order.index("National line")
    )


def test_point_search_orders_by_distance_and_respects_radius(scene):
    lat, lon = HELSINGBORG
    found = search_services(SearchParams(lat=lat, lon=lon, radius_km=80))
    near = [h for h in found.hits if h.reach == "near"]
    assert [h.service.name for h in near] == ["Malmö local", "Lund local"]
    assert near[0].distance_km < near[1].distance_km
    assert 50 < near[0].distance_km < 70
    small = names(SearchParams(lat=lat, lon=lon, radius_km=10))
    assert "Malmö local" not in small and "National line" in small


def test_radius_service_area_covers_places_inside_its_circle(places):
    f.service(name="Circle service", areas=(("radius", (MALMO[0], MALMO[1], 40.0)),))
    assert "Circle service" in names(SearchParams(municipality="Lund"))  # about 29 km away
    assert "Circle service" not in names(SearchParams(municipality="Helsingborg"))


def test_radius_area_reaches_only_inside_its_circle_not_its_bounding_box(places):
    import math

    from facit.directory.models import KM_PER_DEGREE, Municipality

    lund = Municipality.objects.get(name="Lund")
    k = math.cos(math.radians(lund.latitude))

    def centre(share: float) -> tuple[float, float, float]:
        # `share` of 20 km north and east of Lund: 0.8 lies in the box, 1.13 × 20 km away
        return (
            lund.latitude + share * 20 / KM_PER_DEGREE,
            lund.longitude + share * 20 / (KM_PER_DEGREE * k),
            20.0,
        )

    f.service(name="Corner outside", areas=(("radius", centre(0.8)),))
    f.service(name="Just inside", areas=(("radius", centre(0.6)),))
    found = search_services(SearchParams(municipality="Lund"))
    reach = {h.service.name: h.reach for h in found.hits}
    assert "Corner outside" not in reach
    assert reach["Just inside"] == "radius"


def test_unknown_municipality_raises_with_suggestions(places):
    with pytest.raises(UnknownMunicipality) as info:
        search_services(SearchParams(municipality="Malmoe"))
    assert "Malmö" in [m.name for m in info.value.suggestions]


def test_form_of_exploitation_keeps_general_services_and_matching_ones(places):
    f.service(name="Online team", terms=("exploitation:online",))
    f.service(name="Trafficking team", terms=("exploitation:trafficking",))
    f.service(name="General support")
    found = names(SearchParams(exploitation=["exploitation:online"]))
    assert "Online team" in found and "General support" in found
    assert "Trafficking team" not in found


def test_channel_cost_and_gender_filters(places):
    f.service(name="Chat line", terms=("channel:chat", "cost:free"))
    f.service(name="Phone line", terms=("channel:phone",))
    f.service(name="Girls group", terms=("gender:girls",))
    assert names(SearchParams(channel=["channel:chat"])) == ["Chat line"]
    assert names(SearchParams(cost="cost:free")) == ["Chat line"]
    boys = names(SearchParams(gender="gender:boys"))
    assert "Girls group" not in boys and "Chat line" in boys


def test_free_text_uses_swedish_stemming(places):
    f.service(name="Stödsamtal", description="Samtalen hålls med ungdomar som utsatts.")
    f.service(name="Annat", description="Juridisk rådgivning.")
    assert names(SearchParams(q="samtal ungdom")) == ["Stödsamtal"]
    assert names(SearchParams(q="rådgivningen")) == ["Annat"]


def test_open_now_filters_by_schedule(places):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from facit.directory.models import Schedule

    s = f.service(name="Daytime")
    Schedule.objects.create(
        service=s, freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at="09:00", closes_at="17:00"
    )
    f.service(name="No hours")
    monday_noon = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    sunday = datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert names(SearchParams(open_now=True, at=monday_noon)) == ["Daytime"]
    assert names(SearchParams(open_now=True, at=sunday)) == []


def test_unpublished_services_never_appear(places):
    f.service(name="Hidden", is_published=False)
    assert names(SearchParams()) == []


def test_municipality_names_match_without_diacritics(scene):
    assert "Malmö local" in names(SearchParams(municipality="malmo"))


def test_each_result_names_the_place_it_serves_rather_than_your_municipality(scene, client):
    import re

    page = client.get("/sv/directory/search/?municipality=Malm%C3%B6").content.decode()
    serves = re.findall(r"<dt>Verkar i</dt><dd>([^<·]*)", page)
    assert "Malmö" in [s.strip() for s in serves]
    assert "Skåne län" in [s.strip() for s in serves]
    assert "<dd>din kommun" not in page and "<dd>ditt län" not in page


def test_the_search_page_says_why_each_result_matched(scene, client):
    page = client.get("/sv/directory/search/?municipality=Malm%C3%B6&age=15").content.decode()
    assert "<dt>Varför den matchade</dt>" in page
    assert "verkar i Malmö" in page
    assert "åldern 15 ingår" in page


def test_the_municipality_suggestions_are_rendered_once_and_follow_a_change_of_the_places(
    client, places
):
    from facit.directory.models import Municipality

    page = client.get("/sv/directory/search/").content.decode()
    assert page.count('role="option"') == Municipality.objects.count() > 0
    assert 'data-value="Malmö"' in page
    malmo = Municipality.objects.get(name="Malmö")
    malmo.name = "Malmö stad (test)"
    malmo.save()  # as a load of the verified file would: the cached places are forgotten
    page = client.get("/sv/directory/search/").content.decode()
    assert 'data-value="Malmö stad (test)"' in page and 'data-value="Malmö"' not in page
