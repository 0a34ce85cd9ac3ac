"""Fuzzing the calculators: whatever numbers arrive, the answer is a finite 200 or a 422
in the one error shape naming a field — never a 500, never NaN or infinity."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.evidence.test_synthesis_api import META, ONE, all_finite

pytestmark = pytest.mark.django_db

FIELDS = [
    "yi",
    "vi",
    "ai",
    "bi",
    "ci",
    "di",
    "m1i",
    "sd1i",
    "n1i",
    "m2i",
    "sd2i",
    "n2i",
    "ri",
    "ni",
]
MEASURES = ["SMD", "OR", "RR", "RD", "ZCOR", "GEN"]
FAMILIES = {
    "SMD": ["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"],
    "OR": ["ai", "bi", "ci", "di"],
    "RR": ["ai", "bi", "ci", "di"],
    "RD": ["ai", "bi", "ci", "di"],
    "ZCOR": ["ri", "ni"],
    "GEN": ["yi", "vi"],
}

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-5, max_value=200),
    st.integers(min_value=-3, max_value=500),
    st.sampled_from([0, 1, 2, 1e-300, 1e300, -0.0, 0.999999, -1]),
)


@st.composite
def requests(draw: Any) -> dict[str, Any]:
    measure = draw(st.sampled_from(MEASURES))
    # mostly the measure's own fields (so many requests succeed), sometimes any field
    names = st.one_of(
        st.just(FAMILIES[measure]),
        st.just(["yi", "vi"]),
        st.lists(st.sampled_from(FIELDS), max_size=6, unique=True),
    )
    studies = draw(
        st.lists(
            names.flatmap(lambda keys: st.fixed_dictionaries({k: numbers for k in keys})),
            max_size=6,
        )
    )
    body = {"measure": measure, "studies": studies}
    body["method"] = draw(st.sampled_from(["REML", "DL", "PM", "FE"]))
    body["hartung_knapp"] = draw(st.booleans())
    return body


def check(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 422), response.content
    event(f"status {response.status_code}")
    text = response.content.decode()
    assert "NaN" not in text and "Infinity" not in text
    body = response.json()
    if response.status_code == 422:
        fields = body["error"]["fields"]
        assert fields and all(f["field"].startswith("body") and f["reason"] for f in fields)
    else:
        assert all_finite(body)
    return body


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=requests())
def test_meta_analysis_answers_finite_200_or_a_named_422(client, body):
    raw = json.dumps(body)  # NaN and Infinity travel as JSON's non-standard literals
    response = client.post(META, data=raw, content_type="application/json")
    answer = check(response)
    if response.status_code == 200:
        assert answer["k"] == len(body["studies"]) >= 2
        assert math.isclose(sum(s["weight"] for s in answer["studies"]), 100, rel_tol=1e-6)
        assert answer["ci_low"] <= answer["estimate"] <= answer["ci_high"]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=requests())
def test_effect_size_answers_finite_200_or_a_named_422(client, body):
    one = {"measure": body["measure"], **(body["studies"][0] if body["studies"] else {})}
    check(client.post(ONE, data=json.dumps(one), content_type="application/json"))
