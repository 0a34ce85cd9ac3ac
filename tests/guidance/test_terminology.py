"""Terminology check: every term used here is taken from data/terminology.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facit.guidance.terminology import (
    Finding,
    TerminologyError,
    check,
    load_terminology,
    parse_terminology,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "terminology.json"


def spans(text: str, lang: str) -> list[tuple[str, str, str]]:
    return [(text[f.start : f.end], f.term, f.severity) for f in check(text, lang=lang)]


def test_data_file_loads_all_19_entries_with_unique_ids() -> None:
    terminology = load_terminology()
    assert len(terminology.entries) == 19
    assert len({e.id for e in terminology.entries}) == 19
    assert load_terminology() is terminology  # cached


def test_english_term_is_found_with_offsets_and_advice() -> None:
    text = "Police seized child pornography last year."
    [finding] = check(text, lang="en")
    assert isinstance(finding, Finding)
    assert text[finding.start : finding.end] == "child pornography"
    assert (finding.start, finding.end) == (14, 31)
    assert finding.severity == "avoid"
    assert "child sexual abuse material" in finding.prefer
    assert finding.entry_id == "en-child-pornography"
    assert "Pornography" in finding.why


def test_swedish_term_is_found_with_offsets() -> None:
    text = "Rapporten handlar om barnprostitution i Sverige."
    [finding] = check(text, lang="sv")
    assert text[finding.start : finding.end] == "barnprostitution"
    assert finding.start == text.index("barnprostitution")
    assert finding.entry_id == "sv-barnprostitution"
    assert "sexuell exploatering av barn" in finding.prefer


def test_language_selects_the_terms_checked() -> None:
    assert check("barnporr", lang="en") == []
    assert check("child porn", lang="sv") == []


def test_matching_ignores_case() -> None:
    assert spans("CHILD Pornography", "en") == [("CHILD Pornography", "child pornography", "avoid")]
    assert spans("Barnporr", "sv") == [("Barnporr", "barnporr", "avoid")]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("the paedophile's home", "paedophile's"),
        ("two paedophiles met", "paedophiles"),
        ("the paedophiles' forum", "paedophiles'"),
        ("the sex tourist’s hotel", "sex tourist’s"),
    ],
)
def test_english_plural_and_possessive_forms_match(text: str, matched: str) -> None:
    [(found, _term, _sev)] = spans(text, "en")
    assert found == matched


@pytest.mark.parametrize(
    ("text", "matched", "term"),
    [
        ("Barnporren sprids.", "Barnporren", "barnporr"),  # definite
        ("barnpornografins spridning", "barnpornografins", "barnpornografi"),  # genitive
        ("flera barnprostituerade", "barnprostituerade", "barnprostituerad"),  # plural
        ("om internetbarnporr", "internetbarnporr", "barnporr"),  # compound, term as head
        ("beslagtagna barnporrbilder", "barnporrbilder", "barnporr"),  # term as modifier
        ("barnporr-bilder", "barnporr-bilder", "barnporr"),  # hyphenated compound
        ("sugardejtingsajter", "sugardejtingsajter", "sugardejting"),
    ],
)
def test_swedish_inflections_and_compounds_match_whole_word(
    text: str, matched: str, term: str
) -> None:
    [(found, found_term, _sev)] = spans(text, "sv")
    assert (found, found_term) == (matched, term)


def test_swedish_phrase_matches_inflected_words() -> None:
    text = "Köpet av sexuella handlingar av barnen upptäcktes."
    [(found, term, severity)] = spans(text, "sv")
    assert found == "Köpet av sexuella handlingar av barnen"
    assert term == "köp av sexuell handling av barn"
    assert severity == "avoid"


def test_multi_word_term_matches_across_line_break_and_extra_spaces() -> None:
    text = "they described it as child\n   pornography  and   historic\nsexual    abuse"
    found = spans(text, "en")
    assert [f[1] for f in found] == ["child pornography", "historic sexual abuse"]
    assert found[0][0] == "child\n   pornography"


def test_phrase_does_not_match_across_a_paragraph_break() -> None:
    assert check("a child\n\npornography", lang="en") == []


def test_phrase_does_not_match_across_sentence_punctuation() -> None:
    assert check("Ask the child. Pornography is discussed later.", lang="en") == []


def test_hyphenated_term_matches_spaced_and_american_spelling() -> None:
    found = spans("risk taking behavior", "en")
    assert found == [("risk taking behavior", "risk-taking behaviour", "avoid")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The Sussex tourist board", "en"),  # "sex tourist" inside "Sussex tourist"
        ("Water the monstera twice a week", "en"),  # "monster" inside "monstera"
        ("a paediatric nurse", "en"),  # "paedo" inside "paediatric"
        ("a teenage prostitutes' shelter", "sv"),  # English term, Swedish check
        ("skada sig genom sexualundervisning", "sv"),  # "sex" inside "sexualundervisning"
        ("låtit sig utsättningsbar", "sv"),  # stem prefix of a different word
    ],
)
def test_no_false_positive_inside_unrelated_words(text: str, lang: str) -> None:
    assert check(text, lang=lang) == []


def test_longest_term_wins_at_one_position() -> None:
    found = spans("a child sex tourist was arrested", "en")
    assert found == [("child sex tourist", "child sex tourist", "avoid")]


def test_context_dependent_terms_are_review_not_avoid() -> None:
    found = spans("He was called a monster. Sexting was discussed.", "en")
    assert [(f[1], f[2]) for f in found] == [("monster", "review"), ("sexting", "review")]


def test_self_harm_framing_is_review_and_the_avoid_term_inside_it_is_also_reported() -> None:
    text = "Hon beskrev sugardejting som självskadebeteende."
    found = {(f.term, f.severity) for f in check(text, lang="sv")}
    assert found == {
        ("sugardejting som självskadebeteende", "review"),
        ("sugardejting", "avoid"),
    }


def test_swedish_variants_sharing_a_stem_report_the_spelling_used() -> None:
    [finding] = check("att skada sig genom sex", lang="sv")
    assert finding.term == "skada sig genom sex"
    assert finding.severity == "review"


def test_statutory_offence_name_is_not_flagged() -> None:
    assert check("Han dömdes för grovt barnpornografibrott.", lang="sv") == []
    assert check("Barnpornografibrottet preskriberas inte.", lang="sv") == []


def test_quoted_term_followed_by_brottsbalken_citation_is_left_alone() -> None:
    # terminology.md names 16 kap. 10 a § BrB as the statutory home of the offence.
    text = 'Brottet heter "barnpornografi" (16 kap. 10 a § brottsbalken) men vi skriver inte så.'
    assert check(text, lang="sv") == []


def test_quoted_old_offence_name_with_chapter_citation_is_left_alone() -> None:
    text = "Brottet hette tidigare »köp av sexuell handling av barn« (6 kap. 9 § BrB)."
    assert check(text, lang="sv") == []


def test_quoted_old_offence_name_with_sfs_reference_is_left_alone() -> None:
    # The SFS number is invented: only its shape matters here.
    text = "Före 2020 hette brottet ”köp av sexuell handling av barn” (SFS 1234:56)."
    assert check(text, lang="sv") == []


def test_quoted_english_statute_term_citing_the_optional_protocol_is_left_alone() -> None:
    # terminology.md: the Optional Protocol keeps the old terms.
    text = 'The Optional Protocol uses "child prostitution" and "child pornography".'
    assert check(text, lang="en") == []


def test_quoted_term_without_citation_is_still_flagged() -> None:
    text = 'The newspaper wrote "child pornography" again.'
    assert [f.term for f in check(text, lang="en")] == ["child pornography"]


def test_unquoted_term_next_to_a_citation_is_still_flagged() -> None:
    text = "Barnporr är förbjudet enligt 16 kap. 10 a § brottsbalken."
    assert [f.term for f in check(text, lang="sv")] == ["barnporr"]


def test_citation_in_another_paragraph_does_not_exempt_a_quote() -> None:
    text = 'Han sa "barnporr".\n\n(16 kap. 10 a § brottsbalken)'
    assert [f.term for f in check(text, lang="sv")] == ["barnporr"]


def test_block_quotation_with_legal_citation_is_left_alone() -> None:
    text = (
        "Lagtexten:\n\n"
        "> Påhittad lagtext för testet, som nämner barnpornografi\n"
        "> — 16 kap. 10 a § brottsbalken\n\n"
        "Vi skriver dock inte barnpornografi."
    )
    found = check(text, lang="sv")
    assert [text[f.start : f.end] for f in found] == ["barnpornografi"]
    assert found[0].start == text.rindex("barnpornografi")


def test_unknown_language_raises_terminology_error_with_location() -> None:
    with pytest.raises(TerminologyError) as info:
        check("text", lang="de")  # type: ignore[arg-type]
    assert info.value.location == "lang"


def test_bad_data_reports_json_path() -> None:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    raw[3]["avoid"][1] = ""
    with pytest.raises(TerminologyError) as info:
        parse_terminology(raw)
    assert info.value.location == "$[3].avoid[1]"


def test_rules_naming_a_term_missing_from_data_are_refused() -> None:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    raw = [e for e in raw if "monster" not in e["avoid"]]
    with pytest.raises(TerminologyError) as info:
        parse_terminology(raw)
    assert info.value.location.startswith("rules.")


def test_custom_terminology_can_be_passed_in() -> None:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    for entry in raw:
        if entry["lang"] == "en" and "child porn" in entry["avoid"]:
            entry["why"] = "custom why"
    custom = parse_terminology(raw)
    [finding] = check("child porn", lang="en", terminology=custom)
    assert finding.why == "custom why"


@settings(max_examples=200, deadline=None)
@given(
    prefix=st.text(alphabet="abc xyz.,\n", max_size=30),
    suffix=st.text(alphabet="abc xyz.,\n", max_size=30),
)
def test_offsets_always_point_at_the_term_in_the_original_text(prefix: str, suffix: str) -> None:
    text = f"{prefix} Barnporren {suffix}"
    found = check(text, lang="sv")
    assert [text[f.start : f.end] for f in found] == ["Barnporren"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_check_never_crashes_and_offsets_are_in_range(text: str) -> None:
    for lang in ("sv", "en"):
        for f in check(text, lang=lang):  # type: ignore[arg-type]
            assert 0 <= f.start < f.end <= len(text)


def test_citation_inside_the_quotation_exempts_it() -> None:
    text = 'Lagen: "barnpornografi (16 kap. 10 a § brottsbalken)" står i lagtexten.'
    assert check(text, lang="sv") == []


def test_phrase_across_block_quote_lines_is_found() -> None:
    text = "> They called it child\n> pornography."
    [finding] = check(text, lang="en")
    assert text[finding.start : finding.end] == "child\n> pornography"


def test_rejected_phrase_candidate_does_not_hide_a_later_term() -> None:
    # "skada sig genom sexualundervisning" is rejected; the scan must go on from there.
    text = "skada sig genom sexualundervisning barnporr"
    assert [f.term for f in check(text, lang="sv")] == ["barnporr"]


def test_repeated_compound_word_is_reported_once() -> None:
    text = "barnporrbarnporr"
    assert len(check(text, lang="sv")) == 1
