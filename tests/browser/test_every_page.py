"""Every page of the role x URL matrix, in a real browser, as a role that may see it: at 390 px
and 1280 px, in Swedish and English, no sideways page scroll, no serious or critical axe-core
violation, a visible focus indicator on the first focusable element, and (in Swedish) none
of facit's own English phrases.

The pages are those rows of tests/url_matrix.py answered 200 to a GET for some role; the world
they are built on is the matrix's own (tests/test_url_matrix.py's build_world). Runs in the
SQLite pass only: the pages are the same on PostgreSQL, and the sweep is the slowest test.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import assert_accessible
from tests.url_matrix import ROLES, ROWS, Row
from tests.web.english import english_on_page

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the page sweep runs once, in the SQLite pass",
    ),
]

WIDTHS = (390, 1280)
LANGUAGES = ("sv", "en")


def _viewer(row: Row) -> str | None:
    """The least privileged role that gets the page (visitor first)."""
    return next((role for role in ROLES if row.expected.get(role) == 200), None)


PAGES = [
    row for row in ROWS if row.method == "get" and _viewer(row) and not row.name.startswith("api")
]

WIDE_ELEMENTS = """() => [...document.querySelectorAll('main *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(el => !el.closest('.table-scroll, .scroll-box, .map-scroll, .prisma, pre'))
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') +
       ' ' + Math.round(el.getBoundingClientRect().width) + 'px')"""

# A table that scrolls in its own box keeps its caption readable: the caption wraps inside
# the box instead of running out of view with the table.
CLIPPED_CAPTIONS = """() => [...document.querySelectorAll('main caption')]
  .filter(c => {
    const box = c.closest('.table-scroll, .scroll-box, .map-scroll');
    return box && c.getBoundingClientRect().right > box.getBoundingClientRect().right + 1;
  })
  .map(c => c.textContent.trim())"""

FOCUS_VISIBLE = """() => {
  const el = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea');
  if (!el) return true;
  el.focus({focusVisible: true});
  const s = getComputedStyle(el);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
}"""


@pytest.mark.parametrize("row", PAGES, ids=[row.name for row in PAGES])
def test_page_fits_both_widths_in_both_languages_and_passes_axe(
    browser: Browser, live_server, row: Row
):
    from tests.test_url_matrix import _url, build_world

    world = build_world()
    role = _viewer(row)
    assert role is not None
    path = _url(row, world)
    client = world.clients[role]
    cookies = []
    if "sessionid" in client.cookies:
        cookies = [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    kind = client.get(path)
    if not kind["Content-Type"].startswith("text/html") or b"<main" not in kind.content:
        pytest.skip(f"{row.name} answers {kind['Content-Type']}, not a page (a file or fragment)")
    for lang in LANGUAGES:
        lang_path = "/" + lang + path[3:] if path[:4] in ("/sv/", "/en/") else path
        for width in WIDTHS:
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": width, "height": 800}, locale=lang
            )
            context.add_cookies(cookies)
            page = context.new_page()
            page.set_default_timeout(10_000)
            response = page.goto(lang_path)
            assert response is not None and response.status == 200, f"{lang_path} as {role}"
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (
                f"{lang_path} at {width}px scrolls sideways by {overflow}px: "
                f"{page.evaluate(WIDE_ELEMENTS)}"
            )
            clipped = page.evaluate(CLIPPED_CAPTIONS)
            assert not clipped, f"{lang_path} at {width}px: captions cut off: {clipped}"
            assert page.evaluate(FOCUS_VISIBLE), f"{lang_path}: no visible focus indicator"
            if lang == "sv":
                english = english_on_page(page.content())
                assert not english, f"{lang_path}: English on a Swedish page: {english}"
            assert_accessible(page)
            context.close()
