"""The referral guide stores nothing about the child."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

from tests.directory import factories as f


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from models
            counts[table] = cursor.fetchone()[0]
    return counts


def test_using_the_guide_writes_no_database_row(visitor, directory_seeded):
    before = _row_counts()
    r = visitor.get(
        "/sv/directory/referral-guide/",
        {"municipality": "Malmö", "age": "14", "situation": ["online", "compensation"]},
    )
    assert r.status_code == 200
    assert _row_counts() == before


def test_guide_answers_are_not_cached_or_sent_on(visitor, directory_seeded):
    r = visitor.get("/sv/directory/referral-guide/", {"municipality": "Malmö", "age": "14"})
    assert "no-store" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]
    assert r["Referrer-Policy"] == "no-referrer"


def test_guide_lists_matching_services_and_on_call_contact(visitor, directory_seeded):
    from facit.directory.models import Municipality

    Municipality.objects.filter(code="1280").update(
        on_call_contact="Invented on-call number 000", on_call_source="test fixture"
    )
    html = visitor.get(
        "/sv/directory/referral-guide/", {"municipality": "Malmö", "age": "16"}
    ).content.decode()
    assert "Evonhuset Malmö" in html  # from 15 years, Malmö (data/services_se.json)
    assert "BRIS" in html  # national, under 18
    assert "Invented on-call number 000" in html
    assert 'id="referral-summary"' in html and "data-copy-target" in html and "data-print" in html
    assert "data-quick-exit" in html


def test_guide_shows_duty_to_report_from_the_file_with_sources(visitor, directory_seeded):
    import json

    from facit.directory.seed import SERVICES_FILE, SWEDISH_FILE

    duty = json.loads(SERVICES_FILE.read_text(encoding="utf-8"))["duty_to_report"]
    wording = json.loads(SWEDISH_FILE.read_text(encoding="utf-8"))["duty_to_report"]
    assert wording["law"] == duty["law"]  # the Swedish wording was made from this very text
    html = visitor.get("/sv/directory/referral-guide/").content.decode()
    from django.utils.html import escape

    assert escape(wording["legal_reference_sv"]) in html
    assert "Kontrollera aktuell paragraf i socialtjänstlagen" in html
    assert "Myndigheter vars verksamhet berör barn" in html  # the summary in Swedish
    # neither the English text nor the file's internal note reaches the public
    assert escape(duty["law"]) not in html
    assert "keep the reference configurable" not in html
    assert escape(duty["summary"]) not in html
    for source in duty["sources"]:
        assert escape(source) in html
    english = visitor.get("/en/directory/referral-guide/").content.decode()
    assert escape(wording["legal_reference_en"]) in english
    assert "keep the reference configurable" not in english


def test_the_duty_texts_internal_note_is_shown_to_editors_only(editor, directory_seeded):
    html = editor.get("/sv/directory/referral-guide/").content.decode()
    assert "Anteckning för redaktörer (visas inte för allmänheten)" in html
    assert "keep the reference configurable" in html


def test_editor_publishes_a_new_version_of_the_duty_text(editor, directory_seeded):
    from facit.directory.models import DutyToReportText

    r = editor.post(
        "/sv/directory/referral-guide/duty-to-report/",
        {"summary": "Edited summary", "legal_reference": "As the source says", "sources": "a\nb"},
    )
    assert r.status_code == 302
    assert DutyToReportText.objects.count() == 2
    html = editor.get("/sv/directory/referral-guide/").content.decode()
    assert "Edited summary" in html


def test_guide_unknown_municipality_gives_suggestions(visitor, places):
    f.service(name="Anything")
    html = visitor.get("/sv/directory/referral-guide/", {"municipality": "Lundd"}).content.decode()
    assert "Lund" in html and "suggestions" in html
