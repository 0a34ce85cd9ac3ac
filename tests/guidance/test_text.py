"""Rendering, anchors, diffs and quote-to-change tracing of guidance Markdown.

All document text here is invented for the tests.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facit.guidance.text import (
    ALLOWED_TAGS,
    Change,
    GuidanceTextError,
    changes_touching,
    diff_html,
    diff_versions,
    render,
    slugify,
)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collect()
    collector.feed(html)
    return collector.tags


def assert_safe(html: str) -> None:
    for tag, attrs in parsed_tags(html):
        assert tag in ALLOWED_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        for name in ("href", "src", "style"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:")), value
            assert "expression(" not in value


XSS_INPUTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<div onmouseover="alert(1)">hover</div>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://example.org"></iframe>',
    '[x](https://example.org "t" onclick=alert(1))',
    "# Heading <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]


@pytest.mark.parametrize("markdown", XSS_INPUTS)
def test_xss_in_markdown_is_removed(markdown: str) -> None:
    html = render(markdown).html
    assert_safe(html)
    assert "<script" not in html.lower()


def test_raw_html_is_shown_as_text_not_markup() -> None:
    html = render("<b>bold</b>").html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert ("b", {}) not in parsed_tags(html)


def test_safe_links_and_tables_survive_sanitising() -> None:
    html = render("[stöd](https://example.org/stod)\n\n| a | b |\n|:--|--:|\n| 1 | 2 |").html
    tags = parsed_tags(html)
    assert (
        "a",
        {"href": "https://example.org/stod", "rel": "noopener noreferrer nofollow"},
    ) in tags
    assert ("td", {"style": "text-align:right"}) in tags


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<",
                ">",
                '"',
                "'",
                "=",
                "/",
                ":",
                "(",
                ")",
                " ",
                "\n",
                "#",
                "[",
                "]",
                "!",
                "script",
                "onerror",
                "javascript",
                "img",
                "src",
                "a",
                "href",
                "svg",
                "x",
            ]
        ),
        max_size=40,
    )
)
def test_fuzzed_token_soup_never_yields_unsafe_html(pieces: list[str]) -> None:
    assert_safe(render("".join(pieces)).html)


def test_heading_anchor_transliterates_swedish_letters() -> None:
    assert slugify("Åtgärder för stöd & Öppettider") == "atgarder-for-stod-oppettider"
    rendered = render("## Vart kan barnet vända sig?")
    assert 'id="vart-kan-barnet-vanda-sig"' in rendered.html
    assert rendered.sections[0].anchor == "vart-kan-barnet-vanda-sig"


def test_repeated_headings_get_numbered_anchors() -> None:
    rendered = render("## Stöd\n\na\n\n## Stöd\n\nb\n\n## Stöd-2\n\nc\n\n## Stöd\n\nd")
    assert [s.anchor for s in rendered.sections] == ["stod", "stod-2", "stod-2-2", "stod-3"]


def test_heading_without_letters_gets_a_fallback_anchor() -> None:
    assert render("## ???").sections[0].anchor == "section"


def test_sections_carry_title_level_and_plain_text() -> None:
    rendered = render("Intro.\n\n# Titel\n\nEtt *stycke*.\n\n## Under\n\n- punkt ett\n- punkt två")
    assert [(s.anchor, s.title, s.level) for s in rendered.sections] == [
        ("", "", 0),
        ("titel", "Titel", 1),
        ("under", "Under", 2),
    ]
    assert rendered.sections[1].text == "Ett stycke."
    assert rendered.sections[2].text == "punkt ett\n\npunkt två"


def test_anchors_stay_stable_when_text_around_an_unchanged_heading_changes() -> None:
    v1 = "# Våga fråga\n\nA.\n\n## Följ upp\n\nB.\n\n## Vart kan barnet vända sig?\n\nC."
    v2 = (
        "# Våga fråga\n\nNytt stycke.\n\n## Nytt avsnitt\n\nX.\n\n"
        "## Vart kan barnet vända sig?\n\nC ändrad.\n\n## Följ upp\n\nB."
    )
    before = {s.title: s.anchor for s in render(v1).sections}
    after = {s.title: s.anchor for s in render(v2).sections}
    for title, anchor in before.items():
        assert after[title] == anchor


def test_diff_finds_changed_sentence_and_its_section() -> None:
    head = "# Våga fråga\n\nFråga barnet direkt. Lyssna utan att döma.\n\n## Följ upp\n\n"
    old = head + "Boka en ny tid."
    new = head + "Boka en ny tid inom en vecka."
    assert diff_versions(old, new) == [
        Change(
            "changed", "folj-upp", "Boka en ny tid.", "Boka en ny tid inom en vecka.", "folj-upp"
        )
    ]


def test_diff_reports_added_and_removed_paragraphs_as_single_changes() -> None:
    old = "## A\n\nEtt. Två.\n\nBort. Helt bort.\n\n## B\n\nKvar."
    new = "## A\n\nEtt. Två.\n\n## B\n\nKvar.\n\nNytt här. Och här."
    assert diff_versions(old, new) == [
        Change("removed", "a", "Bort. Helt bort.", "", "a"),
        Change("added", "b", "", "Nytt här. Och här.", ""),
    ]


def test_diff_ignores_rewrapping_but_sees_a_changed_link_target() -> None:
    old = "## A\n\nRing [linjen](https://example.org/1)\noch fråga."
    assert diff_versions(old, "## A\n\nRing [linjen](https://example.org/1) och fråga.") == []
    [change] = diff_versions(old, old.replace("/1", "/2"))
    assert change.kind == "changed"
    assert "https://example.org/2" in change.new_text


def test_diff_of_renamed_heading_keeps_old_anchor_on_the_change() -> None:
    [change] = diff_versions("## Stöd till barn\n\nText.", "## Stöd till barn och unga\n\nText.")
    assert (change.kind, change.section_anchor, change.old_section_anchor) == (
        "changed",
        "stod-till-barn-och-unga",
        "stod-till-barn",
    )


def test_diff_html_marks_insertions_and_deletions_and_is_sanitised() -> None:
    old = "## A\n\nBoka en ny tid.\n\nGammalt stycke."
    new = "## A\n\nBoka en ny tid inom en vecka.\n\n<script>alert(1)</script>"
    html = diff_html(old, new)
    assert "<ins> inom en vecka</ins>" in html
    assert "<del>Gammalt stycke.</del>" in html
    assert "<script" not in html
    assert_safe(html)
    assert '<h2 id="a">A</h2>' in html


def test_diff_html_of_identical_versions_has_no_marks() -> None:
    md = "## A\n\nText.\n\n- punkt"
    html = diff_html(md, md)
    assert "<ins>" not in html and "<del>" not in html


def test_quote_maps_to_the_change_that_rewrote_it() -> None:
    old = (
        "## Följ upp\n\nBoka en ny tid. Ge barnet ett telefonnummer.\n\n## Annat\n\nBoka en ny tid."
    )
    new = (
        "## Följ upp\n\nBoka en ny tid inom en vecka. Ge barnet ett telefonnummer."
        "\n\n## Annat\n\nBoka."
    )
    changes = diff_versions(old, new)
    touching = changes_touching(changes, "folj-upp", "boka en ny tid")
    assert [c.section_anchor for c in touching] == ["folj-upp", "annat"]
    assert touching[0].new_text == "Boka en ny tid inom en vecka."


def test_quote_spanning_two_sentences_ranks_the_rewritten_one_first() -> None:
    old = "## A\n\nDet första är oförändrat här. Det andra ska skrivas om helt och hållet."
    new = "## A\n\nDet första är oförändrat här. Ett nytt andra stycke med annan text."
    changes = diff_versions(old, new)
    quote = "oförändrat här. Det andra ska skrivas"
    touching = changes_touching(changes, "a", quote)
    # The rewrite is too different to pair: a removal (the direct hit) then the addition.
    assert [c.kind for c in touching] == ["removed", "added"]
    assert touching[0].old_text.startswith("Det andra")


def test_unrelated_quote_touches_only_additions_in_its_section() -> None:
    old = "## A\n\nLyssna utan att döma.\n\n## B\n\nBoka en ny tid."
    new = "## A\n\nLyssna utan att döma. En ny mening.\n\n## B\n\nBoka en annan tid."
    changes = diff_versions(old, new)
    touching = changes_touching(changes, "a", "lyssna utan att döma")
    assert [(c.kind, c.new_text) for c in touching] == [("added", "En ny mening.")]


def test_empty_quote_means_every_change_in_the_section() -> None:
    old = "## A\n\nEtt.\n\n## B\n\nTvå."
    new = "## A\n\nEtt ändrat.\n\n## B\n\nTvå ändrat."
    changes = diff_versions(old, new)
    assert [c.section_anchor for c in changes_touching(changes, "b", "")] == ["b"]


def test_comment_on_renamed_section_still_finds_its_change() -> None:
    old = "## Stöd\n\nRing linjen på kvällen."
    new = "## Stöd och hjälp\n\nRing linjen när som helst."
    changes = diff_versions(old, new)
    touching = changes_touching(changes, "stod", "Ring linjen på kvällen")
    assert [c.new_text for c in touching] == ["Ring linjen när som helst."]


def test_non_string_input_raises_guidance_text_error() -> None:
    with pytest.raises(GuidanceTextError) as info:
        render(None)  # type: ignore[arg-type]
    assert info.value.location == "markdown"


_SENTENCES = st.sampled_from(
    ["Fråga barnet.", "Lyssna utan att döma.", "Följ upp svaret.", "Ring stödet.", "Boka tid."]
)
_PARAGRAPHS = st.lists(_SENTENCES, min_size=1, max_size=3).map(" ".join)
_DOCS = st.lists(
    st.one_of(_PARAGRAPHS, st.sampled_from(["## Stöd", "## Våga fråga", "## Följ upp"])),
    max_size=8,
).map("\n\n".join)


@settings(max_examples=100, deadline=None)
@given(_DOCS)
def test_a_version_diffed_with_itself_has_no_changes(md: str) -> None:
    assert diff_versions(md, md) == []
    assert "<ins>" not in diff_html(md, md) and "<del>" not in diff_html(md, md)


@settings(max_examples=100, deadline=None)
@given(_DOCS, _DOCS)
def test_every_change_quotes_the_versions_it_came_from(old: str, new: str) -> None:
    old_text = " ".join(s.title + " " + s.text for s in render(old).sections)
    new_text = " ".join(s.title + " " + s.text for s in render(new).sections)
    new_anchors = {s.anchor for s in render(new).sections}
    old_anchors = {s.anchor for s in render(old).sections}
    for change in diff_versions(old, new):
        for sentence in change.old_text.split(". "):
            assert sentence.strip(".") in old_text
        for sentence in change.new_text.split(". "):
            assert sentence.strip(".") in new_text
        if change.kind == "removed":
            assert change.section_anchor in old_anchors
        else:
            assert change.section_anchor in new_anchors


def test_sanitiser_enforces_the_allow_list_on_raw_html() -> None:
    from facit.guidance.text import sanitize

    html = sanitize(
        '<p onclick="x()">a<script>alert(1)</script>'
        '<a href="javascript:alert(1)">j</a><img src="https://example.org/p.png">'
        '<td style="background:url(https://example.org/t);text-align:right">c</td>'
        '<h2 id="ok" class="c">h</h2></p>'
    )
    assert_safe(html)
    assert "alert" not in html and "<img" not in html and "background" not in html
    assert 'id="ok"' in html and "class=" not in html
