"""Cross-cutting behaviour: security headers, language prefixes, quick exit, API errors."""

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_every_page_has_a_csp_with_a_nonce_that_matches_its_scripts(client):
    response = client.get("/sv/")
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    scripts = re.findall(r'<script[^>]*nonce="([^"]+)"', response.content.decode())
    assert scripts and set(scripts) == {nonce}
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_swedish_is_the_default_and_english_is_available(client):
    root = client.get("/", HTTP_ACCEPT_LANGUAGE="")
    assert root.status_code == 302 and root["Location"].startswith("/sv/")
    sv = client.get("/sv/").content.decode()
    en = client.get("/en/").content.decode()
    assert 'lang="sv"' in sv and "Lär av forskningen" in sv
    assert 'lang="en"' in en and "Learn from research" in en


@pytest.mark.django_db
def test_quick_exit_ends_the_session_and_asks_the_browser_to_forget_the_site(
    panel_member, settings
):
    response = panel_member.get(reverse("exit"))
    assert response.status_code == 302
    assert response["Location"] == settings.FACIT_EXIT_URL
    assert "cookies" in response["Clear-Site-Data"] and "storage" in response["Clear-Site-Data"]
    assert "_auth_user_id" not in panel_member.session


@pytest.mark.django_db
def test_api_validation_errors_use_the_one_error_shape_with_field_and_reason(client):
    response = client.get("/api/v1/evidence-map?rows=nonsense")
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "validation_error"
    assert body["error"]["fields"][0]["field"] == "query.rows"
    assert body["error"]["fields"][0]["reason"]


@pytest.mark.django_db
def test_api_not_found_uses_the_error_shape(client):
    response = client.get("/api/v1/interventions/does-not-exist")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "No such object."}}


@pytest.mark.django_db
def test_openapi_document_lists_the_evidence_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/interventions", "/api/v1/interventions/{slug}", "/api/v1/evidence-map"} <= set(
        spec["paths"]
    )


def test_every_swedish_catalogue_entry_is_translated():
    """Swedish is complete: no empty or fuzzy entry in any app's catalogue."""
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parents[2] / "facit"
    problems = []
    for path in root.glob("*/locale/sv/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            empty = (
                not entry.msgstr
                if not entry.msgid_plural
                else not all(entry.msgstr_plural.values())
            )
            if empty or "fuzzy" in entry.flags:
                problems.append(f"{path.parent.parent.parent.parent.name}: {entry.msgid!r}")
    assert not problems, "Untranslated Swedish entries:\n" + "\n".join(problems)


def test_every_translatable_string_is_in_its_apps_swedish_catalogue(tmp_path, monkeypatch):
    """Running makemessages would add nothing: no English-only text slips through."""
    import shutil
    from pathlib import Path

    import polib
    from django.core.management import call_command

    root = Path(__file__).resolve().parents[2] / "facit"
    missing = []
    for catalogue in sorted(root.glob("*/locale/sv/LC_MESSAGES/django.po")):
        app_dir = catalogue.parents[3]
        copy = tmp_path / app_dir.name
        shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        monkeypatch.chdir(copy)
        call_command(
            "makemessages",
            locale=["sv"],
            verbosity=0,
            no_obsolete=True,
            extensions=["html", "txt", "py", "svg"],
        )
        known = {e.msgid for e in polib.pofile(str(catalogue))}
        extracted = {e.msgid for e in polib.pofile(str(copy / "locale/sv/LC_MESSAGES/django.po"))}
        missing += [f"{app_dir.name}: {m!r}" for m in sorted(extracted - known)]
    assert not missing, "Run `make messages` and translate:\n" + "\n".join(missing)


def test_facits_own_words_follow_the_terminology_in_both_languages():
    """No UI string, English or Swedish, uses a term the terminology data says to avoid or review."""
    from pathlib import Path

    import polib

    from facit.guidance.terminology import check

    root = Path(__file__).resolve().parents[2] / "facit"
    findings = []
    for path in root.glob("*/locale/sv/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            swedish = entry.msgstr or " ".join(entry.msgstr_plural.values())
            for text, lang in ((entry.msgid, "en"), (swedish, "sv")):
                findings += [f"{lang}: {f.term!r} in {text[:80]!r}" for f in check(text, lang=lang)]
    assert not findings, "\n".join(findings)
