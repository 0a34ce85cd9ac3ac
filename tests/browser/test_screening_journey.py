"""The journey of issue 11: two reviewers on a 100-record review in dual mode, from a Web
of Science and an RIS import to a complete PRISMA diagram, then one included study
extracted at the evidence extraction desk into a draft that an editor publishes (the
visitor sees it only then), in Swedish, at 390 and 1280 px, axe-checked on every page.

The first decisions, the conflict and its resolution are made on the pages; the rest of
the 100 records are decided through the same services the pages use, so the test stays
about two minutes per width."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from facit.evidence.models import Evaluation, Intervention
from facit.literature.models import Outcome, Reference
from facit.literature.screening import ranking_service
from tests import factories as ef
from tests.browser.conftest import assert_accessible, sign_in
from tests.literature import factories as f
from tests.personas import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(tempfile.gettempdir()) / "shots-d"  # looked at by people, never committed
WOS = Path(__file__).resolve().parents[1] / "literature" / "fixtures" / "rispy" / "example_wos.ris"
N_WOS = 2  # rispy's own Web of Science test file holds two records
N_RECORDS = 100
N_RIS = N_RECORDS - N_WOS
N_RELEVANT = len(range(0, N_RIS, 5))  # the helpline records of the RIS file


def _ris(n: int) -> bytes:
    """Invented records: every fifth is about a helpline (the relevant kind here)."""
    out = []
    for i in range(n):
        topic = (
            "Invented helpline counselling for young people, evaluation"
            if i % 5 == 0
            else "Invented survey of classroom furniture and lighting"
        )
        out.append(
            f"TY  - JOUR\nTI  - {topic} {i}\nAU  - Invented, A.\nPY  - 2020\n"
            f"AB  - Invented abstract {i} about {topic.lower()}.\nER  - \n"
        )
    return "\n".join(out).encode()


def _person(name: str, role: str = "reviewer"):
    user = make_user(name, [role])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def _no_text_overflows(page) -> list[str]:
    """Every text of the PRISMA SVG lies inside the rectangle of its group."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.prisma-svg g')].flatMap(g => {
            const box = g.querySelector('rect').getBoundingClientRect();
            return [...g.querySelectorAll('text')].filter(t => {
                const r = t.getBoundingClientRect();
                return r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
                       r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
            }).map(t => t.textContent);
        })"""
    )


def _decide_on_page(page, decision: str) -> str:
    title = page.locator("#record-title").inner_text()
    if decision == "exclude":
        page.get_by_label("Skäl för exkludering").select_option(index=1)
        page.get_by_role("button", name=re.compile("^Exkludera")).click()
    else:
        page.get_by_role("button", name=re.compile("^Inkludera")).click()
    expect(page.get_by_text("Sparat:")).to_be_visible()
    return title


@pytest.mark.parametrize("width", [390, 1280])
def test_two_reviewers_screen_a_review_in_pairs_to_a_complete_prisma(
    browser, live_server, tmp_path, settings, width
):
    settings.MEDIA_ROOT = tmp_path
    SHOTS.mkdir(exist_ok=True)
    ranking_service._cache.clear()
    anna, bo, cilla = _person("anna"), _person("bo"), _person("cilla")
    review = f.review(anna, bo, cilla, title="Påhittad översikt om stödlinjer")

    def context():
        ctx = browser.new_context(
            base_url=live_server.url, locale="sv-SE", viewport={"width": width, "height": 900}
        )
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        return ctx, page

    # Anna imports the RIS file through the import page.
    ctx_a, a = context()
    sign_in(a, "anna", PASSWORD)
    a.goto(f"/sv/literature/{review.slug}/import/")
    ris = tmp_path / "påhittad.ris"
    ris.write_bytes(_ris(N_RIS))
    a.locator("input[type=file]").set_input_files(str(ris))
    a.get_by_role("button", name="Importera", exact=True).click()
    expect(a.get_by_test_id("import-status")).to_have_attribute("data-status", "done")
    expect(a.get_by_test_id("import-summary")).to_contain_text(f"{N_RIS} referenser importerade")
    assert_accessible(a)
    # And the Web of Science export (tagged ISI/WoK plain text), recognised by its content.
    a.goto(f"/sv/literature/{review.slug}/import/")
    a.locator("input[type=file]").set_input_files(str(WOS))
    a.get_by_role("button", name="Importera", exact=True).click()
    expect(a.get_by_test_id("import-status")).to_have_attribute("data-status", "done")
    expect(a.get_by_test_id("import-summary")).to_contain_text(f"{N_WOS} referenser importerade")
    assert_accessible(a)
    a.screenshot(path=str(SHOTS / f"import-wos-{width}.png"), full_page=True)
    assert Reference.objects.filter(review=review).unique().count() == N_RECORDS

    # Anna screens one record; Bo is offered that same record first, blind to her decision.
    a.goto(f"/sv/literature/{review.slug}/screen/ta/")
    first = _decide_on_page(a, "include")
    ctx_b, b = context()
    sign_in(b, "bo", PASSWORD)
    b.goto(f"/sv/literature/{review.slug}/screen/ta/")
    expect(b.locator("#record-title")).to_have_text(first)
    expect(b.get_by_text(re.compile(r"\banna\b"))).to_have_count(0)  # blind
    assert_accessible(b)
    # Bo disagrees: the conflict is there at once.
    _decide_on_page(b, "exclude")
    a.goto(f"/sv/literature/{review.slug}/screen/ta/")
    second = _decide_on_page(a, "include")
    b.goto(f"/sv/literature/{review.slug}/screen/ta/")
    expect(b.locator("#record-title")).to_have_text(second)
    _decide_on_page(b, "include")
    b.get_by_role("button", name=re.compile("Kortkommandon")).click()
    expect(b.get_by_role("dialog", name="Kortkommandon")).to_be_visible()
    assert_accessible(b)
    b.keyboard.press("Escape")
    b.screenshot(path=str(SHOTS / f"screen-{width}.png"), full_page=True)

    # Cilla, who screened neither, resolves the conflict.
    ctx_c, c = context()
    sign_in(c, "cilla", PASSWORD)
    c.goto(f"/sv/literature/{review.slug}/conflicts/ta/")
    conflict = c.locator("article.conflict").first
    expect(conflict.get_by_role("heading")).to_have_text(first)
    conflict.get_by_label("Beslut").select_option("include")
    conflict.get_by_role("button", name="Avgör").click()
    expect(c.get_by_text("Inga oenigheter i detta steg.")).to_be_visible()

    # The rest of title/abstract and full text, pair by pair, as the services record it
    # (the pages for these decisions are the ones used above).
    for ref in Reference.objects.filter(review=review).order_by("id"):
        relevant = "helpline" in ref.title
        for person in (anna, bo):
            if not ref.decisions.filter(stage="ta", reviewer=person).exists():
                ref.refresh_from_db()
                if ref.ta_outcome == Outcome.PENDING:
                    f.decide(ref, person, "include" if relevant else "exclude")
    for ref in Reference.objects.filter(review=review, ta_outcome=Outcome.INCLUDE):
        for person in (anna, bo):
            f.decide(ref, person, "include", stage="ft")
    ranking_service.review_rank(review_id=review.pk)

    # The recall chart and the stopping state.
    a.goto(f"/sv/literature/{review.slug}/screen/ta/")
    expect(a.get_by_role("img", name="Kurva över funna relevanta")).to_be_visible()
    expect(a.locator("#stopping-state")).to_contain_text("Stoppregel")
    expect(a.locator("#stopping-state")).to_contain_text("uppfylld")
    a.get_by_text("Kurvan som tabell").click()
    expect(a.get_by_role("table", name=re.compile("Relevanta referenser funna"))).to_be_visible()
    assert_accessible(a)
    a.screenshot(path=str(SHOTS / f"recall-{width}.png"), full_page=True)

    # PRISMA is complete: nothing pending, every box adds up, no text outside its box.
    a.goto(f"/sv/literature/{review.slug}/prisma/")
    numbers = services_prisma(review)
    assert all(numbers.checks().values())
    assert numbers.screen_pending == 0 and numbers.ft_pending == 0
    assert numbers.included == N_RELEVANT
    assert numbers.screen_excluded == N_RECORDS - N_RELEVANT
    expect(a.locator(".prisma-svg")).to_be_visible()
    assert _no_text_overflows(a) == []
    assert_accessible(a)
    a.screenshot(path=str(SHOTS / f"prisma-{width}.png"), full_page=True)

    # The review's page lists the included studies; Anna extracts the first one.
    ef.term("design", "rct")  # the registry's vocabularies, as `manage.py seed` loads them
    a.goto(f"/sv/literature/{review.slug}/")
    included = a.locator("ul.included-studies li")
    expect(included).to_have_count(N_RELEVANT)
    study = included.first.get_by_role("link").first.inner_text()
    included.first.get_by_role("link", name="Extrahera den här studien").click()
    expect(a.get_by_label("Titel")).to_have_value(study)  # filled in from the reference
    a.get_by_label("Befintlig insats").select_option(label="En ny insats")
    a.get_by_label("Namn på den nya insatsen").fill("Påhittad stödlinje för unga")
    a.locator("#id_design").select_option(label="randomiserad kontrollerad studie")
    a.get_by_label("Urvalsstorlek").fill("120")
    assert_accessible(a)
    a.screenshot(path=str(SHOTS / f"extract-{width}.png"), full_page=True)
    a.get_by_role("button", name="Skapa utvärderingen").click()
    # On at the evidence extraction desk: Anna records the outcome.
    expect(a.get_by_role("heading", level=1)).to_have_text("Extraktionsbordet")
    a.get_by_label("Utfallsmått").fill("Påhittat mått på att söka hjälp")
    a.get_by_label("Effektens riktning").select_option("favourable")
    a.get_by_label("Jag har kontrollerat varje fält mot källan", exact=False).check()
    a.get_by_role("button", name="Spara min extraktion").click()
    expect(a.get_by_role("status").first).to_contain_text("Din extraktion sparades")
    assert_accessible(a)
    a.screenshot(path=str(SHOTS / f"desk-{width}.png"), full_page=True)
    intervention = Intervention.objects.get(name="Påhittad stödlinje för unga")
    evaluation = Evaluation.objects.get(intervention=intervention)
    assert not intervention.is_published and not evaluation.is_published

    # A draft: the visitor sees it nowhere yet.
    ctx_v = browser.new_context(base_url=live_server.url, locale="sv-SE")
    v = ctx_v.new_page()
    public = f"/sv/evidence/interventions/{intervention.slug}/"
    assert v.goto(public).status == 404
    v.goto("/sv/evidence/interventions/?q=P%C3%A5hittad")
    expect(v.get_by_text("Påhittad stödlinje för unga")).to_have_count(0)

    # Dora, an editor, signs in, describes the draft on its edit page and publishes it.
    _person("dora", "editor")
    ctx_d, d = context()
    sign_in(d, "dora", PASSWORD)
    d.goto("/sv/evidence/drafts/")
    assert_accessible(d)
    d.get_by_role("link", name="Redigera Påhittad stödlinje för unga").click()
    d.get_by_label("Beskrivning", exact=True).fill("Påhittad beskrivning av en stödlinje för unga.")
    d.get_by_label("Lägsta ålder (år)").fill("13")
    d.get_by_label("Högsta ålder (år)").fill("9")
    d.get_by_role("button", name="Spara insatsen").click()
    expect(d.locator("#id_age_max_error")).to_contain_text("kan inte vara lägre")
    d.get_by_label("Högsta ålder (år)").fill("17")
    assert_accessible(d)
    d.screenshot(path=str(SHOTS / f"edit-{width}.png"), full_page=True)
    d.get_by_role("button", name="Spara insatsen").click()
    expect(d.get_by_role("status").first).to_contain_text("Insatsen sparades")
    d.get_by_role("button", name="Publicera Påhittad stödlinje för unga").click()
    expect(d.get_by_role("status").first).to_contain_text("Publicerat")
    # Its draft evaluation is published with it.
    expect(d.get_by_text("Inga insatser som utkast.")).to_be_visible()
    expect(d.get_by_text("Inga utvärderingar som utkast.")).to_be_visible()
    assert Evaluation.objects.get(pk=evaluation.pk).is_published
    d.screenshot(path=str(SHOTS / f"drafts-{width}.png"), full_page=True)

    # Now the visitor finds it, with the study it came from.
    assert v.goto(public).status == 200
    expect(v.get_by_role("heading", level=1)).to_have_text("Påhittad stödlinje för unga")
    expect(v.get_by_text("Påhittad beskrivning av en stödlinje för unga.")).to_be_visible()
    expect(v.get_by_text(study).first).to_be_visible()
    expect(v.get_by_test_id("edit-link")).to_have_count(0)
    v.set_viewport_size({"width": width, "height": 900})
    assert_accessible(v)
    v.screenshot(path=str(SHOTS / f"public-{width}.png"), full_page=True)
    for ctx in (ctx_a, ctx_b, ctx_c, ctx_d, ctx_v):
        ctx.close()


def services_prisma(review):
    from facit.literature.selectors import prisma

    return prisma(review)


def test_prisma_side_labels_fit_their_boxes_in_english_too(browser, live_server):
    user = _person("anna")
    review = f.review(user, title="Invented review")
    f.reference(review)
    ctx = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = ctx.new_page()
    sign_in(page, "anna", PASSWORD)
    page.goto(f"/en/literature/{review.slug}/prisma/")
    expect(page.locator(".prisma-svg")).to_be_visible()
    assert _no_text_overflows(page) == []
    ctx.close()
