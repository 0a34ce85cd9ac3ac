"""Swedish pages speak Swedish: none of facit's own English phrases shows on them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.english import english_on_page, english_phrases, visible_text

pytestmark = pytest.mark.django_db

PUBLIC = [
    ("web:home", {}),
    ("web:search", {"q": "barn"}),
    ("evidence:map", {}),
    ("evidence:intervention_list", {}),
    ("evidence:levels", {}),
    ("directory:search", {"municipality": "Malmö"}),
    ("directory:referral_guide", {}),
    ("guidance:document_list", {}),
    ("accounts:login", {}),
]


def test_the_checker_knows_facits_english_and_ignores_marked_english():
    assert "Skip to content" in english_phrases()
    assert english_on_page("<p>Skip to content</p>") == ["Skip to content"]
    assert english_on_page('<p lang="en">Skip to content</p>') == []
    assert visible_text("<script>Skip to content</script><p>Hej</p>") == "Hej"


@pytest.mark.parametrize(("name", "query"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_public_pages_in_swedish_show_no_english_phrase(visitor, seeded, name, query):
    from facit.directory.seed import seed_directory

    seed_directory()
    response = visitor.get(reverse(name), query)
    assert response.status_code == 200
    assert english_on_page(response.content.decode()) == []


def test_every_intervention_page_in_swedish_shows_no_english_phrase(visitor, db):
    """All of them, with the provisional readings loaded as `make run` loads them: the
    verified data's odd cases (a result whose source names no measure, a title that is a
    description) sit on a few pages only."""
    from facit.evidence.models import Intervention
    from facit.evidence.seed import EXTRACTIONS_FILE, seed_interventions

    seed_interventions(extractions=EXTRACTIONS_FILE)

    interventions = list(Intervention.objects.published())
    assert len(interventions) > 10
    for intervention in interventions:
        url = reverse("evidence:intervention_detail", args=[intervention.slug])
        found = english_on_page(visitor.get(url).content.decode())
        assert found == [], f"{url}: {found}"


def test_every_service_and_barnahus_page_in_swedish_shows_no_english_phrase(visitor, db):
    from facit.directory.models import Barnahus, Service
    from facit.directory.seed import seed_directory

    seed_directory()
    urls = [
        reverse("directory:service_detail", args=[pk])
        for pk in Service.objects.values_list("pk", flat=True)
    ]
    urls += [
        reverse("directory:barnahus_detail", args=[pk])
        for pk in Barnahus.objects.values_list("pk", flat=True)
    ]
    assert len(urls) > 20
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 200, url
        found = english_on_page(response.content.decode())
        assert found == [], f"{url}: {found}"


def test_english_only_data_is_marked_on_swedish_pages_and_plain_on_english_ones():
    from django.template import Context, Template
    from django.utils import translation

    tpl = Template("{% load facit_text %}{% english_text text %}")
    with translation.override("sv"):
        html = tpl.render(Context({"text": "An online programme"}))
    assert (
        html
        == '<span lang="en">An online programme</span> <span class="lang-note">(på engelska)</span>'
    )
    with translation.override("en"):
        assert tpl.render(Context({"text": "An online programme"})) == "An online programme"
    with translation.override("sv"):
        assert tpl.render(Context({"text": ""})) == ""


def test_every_rules_version_has_its_change_in_words_of_both_languages():
    from facit.evidence import levels
    from facit.evidence.levels_text import RULES_CHANGES

    assert set(RULES_CHANGES) == set(levels.RULES_CHANGELOG)


def test_the_admin_names_facits_parts_in_swedish(db):
    """What remains of the Django admin (superusers only) names facit's apps in Swedish."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    for swedish in ("Evidens", "Stödkatalog", "Litteraturöversikter", "Konton"):
        assert swedish in html
    for english in (">Directory<", ">Guidance<", ">Literature<", ">Evidence<"):
        assert english not in html
