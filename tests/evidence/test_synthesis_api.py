"""The public synthesis calculators: published reference results, and bad input as 422.

Reference numbers are reused from tests/synthesis (each cited there):
* BCG trials, metafor's dat.bcg, with Stata metan results from wviechtb/metafor
  tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r (reference_data.METAN_BCG),
  and the metafor REML print-out (reference_data.REML_BCG_RR);
* the Kacker (2004) example and metafor output in statsmodels/statsmodels
  statsmodels/stats/tests/results/results_meta.py;
* Hedges' g of the "Applied Meta-Analysis with R" example from statsmodels'
  statsmodels/stats/tests/test_meta.py (tests/synthesis/test_effect_sizes.SMD_DATA).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from django.test import Client
from statsmodels.stats.tests.results import results_meta

from tests.synthesis.reference_data import BCG, METAN_BCG, REML_BCG_RR
from tests.synthesis.test_effect_sizes import SMD_DATA, SMD_VI_METAFOR_LS, SMD_YI_METAFOR

META = "/api/v1/synthesis/meta-analysis"
ONE = "/api/v1/synthesis/effect-size"
FOUR_DECIMALS = 5e-5

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: Any) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data=raw, content_type="application/json")


def bcg_studies() -> list[dict[str, Any]]:
    return [
        {"label": name, "ai": tpos, "bi": tneg, "ci": cpos, "di": cneg}
        for name, tpos, tneg, cpos, cneg in BCG
    ]


def all_finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(all_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(all_finite(v) for v in value)
    return True


# --------------------------------------------------------------------------- correctness


@pytest.mark.parametrize(("measure", "method"), sorted(METAN_BCG))
def test_bcg_raw_counts_reproduce_stata_metan_to_four_decimals(client, measure, method):
    response = post(client, META, {"measure": measure, "method": method, "studies": bcg_studies()})
    assert response.status_code == 200, response.content
    body = response.json()
    ref = METAN_BCG[(measure, method)]
    assert body["k"] == 13
    assert body["estimate"] == pytest.approx(ref["estimate"], abs=FOUR_DECIMALS)
    assert body["ci_low"] == pytest.approx(ref["ci_low"], abs=FOUR_DECIMALS)
    assert body["ci_high"] == pytest.approx(ref["ci_high"], abs=FOUR_DECIMALS)
    assert body["statistic"] == pytest.approx(ref["z"], abs=FOUR_DECIMALS)
    for key in ("q", "tau2", "i2"):
        if key in ref:
            assert body[key] == pytest.approx(ref[key], abs=FOUR_DECIMALS), key


def test_bcg_reml_reproduces_the_metafor_printout(client):
    body = post(client, META, {"measure": "RR", "studies": bcg_studies()}).json()
    assert body["method"] == "REML"
    for key in ("estimate", "se", "ci_low", "ci_high", "tau2", "q"):
        assert body[key] == pytest.approx(REML_BCG_RR[key], abs=FOUR_DECIMALS), key
    assert body["i2"] == pytest.approx(REML_BCG_RR["i2"], abs=5e-3)  # printed to 2 decimals
    assert body["q_df"] == 12
    assert body["pi_low"] < body["ci_low"] < body["ci_high"] < body["pi_high"]


def test_ratio_measures_also_answer_on_the_ratio_scale(client):
    # metan "rr" output in the same metafor test file: 0.4896 [0.3449, 0.6950] (DL)
    body = post(client, META, {"measure": "RR", "method": "DL", "studies": bcg_studies()}).json()
    assert body["estimate_exp"] == pytest.approx(0.4896, abs=FOUR_DECIMALS)
    assert body["ci_low_exp"] == pytest.approx(0.3449, abs=FOUR_DECIMALS)
    assert body["ci_high_exp"] == pytest.approx(0.6950, abs=FOUR_DECIMALS)
    smd = post(client, META, {"measure": "GEN", "studies": [{"yi": 0, "vi": 1}] * 2}).json()
    assert smd["estimate_exp"] is None


@pytest.mark.parametrize(
    ("method", "hk", "ref"),
    [
        ("PM", False, results_meta.exk1_metafor),
        ("DL", False, results_meta.exk1_dl),
        ("DL", True, results_meta.exk1_dl_hksj),
        ("FE", False, results_meta.exk1_fe),
    ],
)
def test_kacker_yi_vi_reproduce_metafor_to_four_decimals(client, method, hk, ref):
    data = results_meta.exk1_metafor
    studies = [{"yi": y, "vi": v} for y, v in zip(data.yi, data.vi, strict=True)]
    body = post(
        client, META, {"measure": "GEN", "method": method, "hartung_knapp": hk, "studies": studies}
    ).json()
    for ours, theirs in [
        ("estimate", "b"), ("se", "se"), ("ci_low", "ci_lb"), ("ci_high", "ci_ub"),
        ("tau2", "tau2"), ("i2", "I2"), ("q", "QE"), ("q_p", "QEp"), ("p_value", "pval"),
    ]:  # fmt: skip
        assert body[ours] == pytest.approx(float(getattr(ref, theirs)), abs=FOUR_DECIMALS), ours
    if method == "FE":
        assert body["pi_low"] is None and body["pi_high"] is None


def test_smd_from_means_gives_metafor_hedges_g_per_study(client):
    studies = [
        {"m1i": m1, "sd1i": s1, "n1i": n1, "m2i": m2, "sd2i": s2, "n2i": n2}
        for m1, s1, n1, m2, s2, n2 in SMD_DATA
    ]
    body = post(client, META, {"measure": "SMD", "studies": studies}).json()
    for study, yi, vi in zip(body["studies"], SMD_YI_METAFOR, SMD_VI_METAFOR_LS, strict=True):
        assert study["yi"] == pytest.approx(yi, abs=1e-10)
        assert study["vi"] == pytest.approx(vi, abs=1e-10)
    assert sum(s["weight"] for s in body["studies"]) == pytest.approx(100)
    one = post(client, ONE, {"measure": "SMD", **studies[0]}).json()
    assert one["yi"] == pytest.approx(SMD_YI_METAFOR[0], abs=1e-10)
    assert one["ci_low"] == pytest.approx(one["yi"] - 1.959964 * math.sqrt(one["vi"]), abs=1e-6)


def test_effect_size_of_a_table_with_a_zero_cell_says_it_was_corrected(client):
    body = post(client, ONE, {"measure": "OR", "ai": 0, "bi": 10, "ci": 3, "di": 7}).json()
    assert body["yi"] == pytest.approx(math.log(0.5 * 7.5 / (10.5 * 3.5)))
    assert [n["code"] for n in body["notes"]] == ["continuity_correction"]
    assert body["yi_exp"] == pytest.approx(math.exp(body["yi"]))


def test_study_labels_are_echoed_and_defaulted(client):
    body = post(
        client,
        META,
        {
            "measure": "GEN",
            "studies": [{"yi": 0.1, "vi": 0.1, "label": "A"}, {"yi": 0.2, "vi": 0.2}],
        },
    ).json()
    assert [s["label"] for s in body["studies"]] == ["A", "Study 2"]


# --------------------------------------------------------------------------- bad input

SMD_OK = {"m1i": 1.0, "sd1i": 1.0, "n1i": 20, "m2i": 0.5, "sd2i": 1.0, "n2i": 20}
TABLE_OK = {"ai": 5, "bi": 15, "ci": 8, "di": 12}


def three_studies(measure: str, bad: dict[str, Any]) -> dict[str, Any]:
    good = {"SMD": SMD_OK, "ZCOR": {"ri": 0.3, "ni": 30}}.get(measure, TABLE_OK)
    return {"measure": measure, "studies": [good, good, bad]}


def assert_422(response: Any, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    fields = {f["field"]: f["reason"] for f in error["fields"]}
    assert field in fields, fields
    assert fields[field]
    assert "nan" not in response.content.decode().lower()
    return fields


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (three_studies("SMD", {**SMD_OK, "sd1i": 0}), "body.studies[2].sd1i"),
        (three_studies("SMD", {**SMD_OK, "sd2i": -1.5}), "body.studies[2].sd2i"),
        (three_studies("SMD", {**SMD_OK, "n1i": 0}), "body.studies[2].n1i"),
        (three_studies("SMD", {**SMD_OK, "n2i": -4}), "body.studies[2].n2i"),
        (three_studies("OR", {**TABLE_OK, "ci": -1}), "body.studies[2].ci"),
        (three_studies("RR", {**TABLE_OK, "ai": 0, "bi": 0}), "body.studies[2].bi"),
        (three_studies("ZCOR", {"ri": 1.0, "ni": 30}), "body.studies[2].ri"),
        (three_studies("SMD", {"yi": 0.2}), "body.studies[2].vi"),
        (three_studies("SMD", {"yi": 0.2, "vi": 0}), "body.studies[2].vi"),
        (three_studies("SMD", {"yi": 0.2, "vi": -0.1}), "body.studies[2].vi"),
        (three_studies("SMD", {}), "body.studies[2].yi"),
        ({"measure": "SMD", "studies": []}, "body.studies"),
        ({"measure": "SMD", "studies": [SMD_OK]}, "body.studies"),
    ],
)
def test_invalid_statistics_are_422_naming_the_field(client, body, field):
    assert_422(post(client, META, body), field)


def test_mixed_measures_are_refused(client):
    per_study = three_studies("SMD", {**TABLE_OK, "measure": "OR"})
    assert_422(post(client, META, per_study), "body.studies[2].measure")
    fields = assert_422(post(client, META, three_studies("SMD", TABLE_OK)), "body.studies[2].ai")
    assert "SMD" in fields["body.studies[2].ai"]
    raw_and_direct = three_studies("SMD", {**SMD_OK, "yi": 0.3, "vi": 0.1})
    assert_422(post(client, META, raw_and_direct), "body.studies[2].yi")


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_422_never_echoed(client, literal):
    raw = (
        '{"measure": "SMD", "studies": [{"yi": 0.1, "vi": 0.1}, '
        f'{{"m1i": {literal}, "sd1i": 1, "n1i": 10, "m2i": 0, "sd2i": 1, "n2i": 10}}]}}'
    )
    assert_422(post(client, META, raw), "body.studies[1].m1i")
    one = f'{{"measure": "GEN", "yi": 0.1, "vi": {literal}}}'
    assert_422(post(client, ONE, one), "body.vi")


def test_cells_so_small_that_arithmetic_underflows_are_422(client):
    # found by the property test: b*c underflows to 0 inside the odds ratio
    tiny = {"ai": 1.0, "bi": 1.6e-43, "ci": 1e-300, "di": 1.0}
    assert_422(post(client, META, three_studies("OR", tiny)), "body.studies[2]")
    huge = {"ai": 0.0, "bi": 179769313.0, "ci": 1e300, "di": 0.0}
    assert_422(post(client, META, three_studies("OR", huge)), "body.studies[2]")


def test_values_too_extreme_to_pool_are_422_not_nan(client):
    body = {
        "measure": "GEN",
        "studies": [{"yi": 1e308, "vi": 1e-300}, {"yi": -1e308, "vi": 1e-300}],
    }
    assert_422(post(client, META, body), "body.studies")


@pytest.mark.parametrize(
    "body",
    [
        {"measure": "XYZ", "studies": [{"yi": 0, "vi": 1}] * 2},
        {"measure": "SMD", "method": "ML", "studies": [{"yi": 0, "vi": 1}] * 2},
        {"measure": "SMD", "studies": [{"yi": "a lot", "vi": 1}] * 2},
        {"measure": "SMD", "studies": [{"yi": 0, "vi": 1, "sd1": 2}] * 2},
        {"studies": [{"yi": 0, "vi": 1}] * 2},
    ],
)
def test_malformed_requests_are_422_in_the_one_error_shape(client, body):
    response = post(client, META, body)
    assert response.status_code == 422
    field = response.json()["error"]["fields"][0]
    assert field["field"].startswith("body.") and field["reason"]


def test_every_bad_study_is_named_at_once(client):
    body = {"measure": "SMD", "studies": [{**SMD_OK, "sd1i": 0}, SMD_OK, {**SMD_OK, "n2i": 1}]}
    fields = assert_422(post(client, META, body), "body.studies[0].sd1i")
    assert set(fields) == {"body.studies[0].sd1i", "body.studies[2].n2i"}


def test_effect_size_endpoint_names_the_bad_field(client):
    assert_422(post(client, ONE, {"measure": "SMD", **SMD_OK, "sd1i": 0}), "body.sd1i")
    assert_422(post(client, ONE, {"measure": "RD", **TABLE_OK, "di": -2}), "body.di")


# --------------------------------------------------------------------------- access


# Every role gets 200 without a CSRF token: a row each in tests/url_matrix.py.


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (META, {"measure": "GEN", "studies": [{"yi": 0.1, "vi": 0.1}, {"yi": 0.3, "vi": 0.2}]}),
        (ONE, {"measure": "SMD", **SMD_OK}),
    ],
)
def test_a_visitor_gets_finite_numbers_without_a_csrf_token(visitor, path, body):
    visitor.handler.enforce_csrf_checks = True
    response = post(visitor, path, body)
    assert response.status_code == 200, response.content
    assert all_finite(response.json())


def test_calculators_only_accept_post(client):
    assert client.get(META).status_code == 405
    assert client.get(ONE).status_code == 405


def test_openapi_documents_both_calculators(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/synthesis/meta-analysis"]
    assert "post" in paths["/api/v1/synthesis/effect-size"]
