"""Full-page screenshots of facit's main pages at 390 px and 1280 px, for review by eye.

    make screenshots                  # writes var/screenshots/<width>/<page>.png
    SHOTS_LANG=en make screenshots    # the English pages
    SHOTS_ONLY=evidence-map,desk make screenshots   # only the named pages

Starts its own server on a throwaway SQLite database with the verified and demo data (as
`make run` does), signs the demo personas in by session (their second factor marked as
verified, as after the real sign-in), and uses Debian's /usr/bin/chromium through Playwright.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("SHOTS_DIR", ROOT / "var" / "screenshots"))
LANG = os.environ.get("SHOTS_LANG", "sv")
WIDTHS = (390, 1280)

# (name, persona or "", path without the language prefix)
PAGES = [
    ("home", "", "/"),
    ("search", "", "/search/?q=skola"),
    ("evidence-map", "", "/evidence/"),
    ("evidence-map-outcomes", "", "/evidence/?rows=intervention&cols=outcome_domain"),
    ("map-studies", "", "@studies"),
    ("intervention-list", "", "/evidence/interventions/"),
    ("intervention", "", "@intervention"),
    ("intervention-partial-authors", "", "/evidence/interventions/troubled-desire/"),
    ("intervention-described-title", "", "/evidence/interventions/safe-touches/"),
    ("levels", "", "/evidence/levels/"),
    ("directory-search", "", "/directory/search/?municipality=Malm%C3%B6"),
    ("directory-search-no-barnahus", "", "/directory/search/?municipality=V%C3%A4stervik"),
    ("barnahus", "", "@barnahus"),
    ("referral-guide", "", "/directory/referral-guide/"),
    ("guidance", "", "/guidance/"),
    ("sign-in", "", "/accounts/login/"),
    ("literature", "demo-reviewer", "/literature/"),
    ("review", "demo-reviewer", "/literature/demo-utvarderingar/"),
    ("screen", "demo-reviewer", "/literature/demo-utvarderingar/screen/ta/"),
    ("prisma", "demo-reviewer", "@prisma"),
    ("desk", "demo-reviewer", "@desk"),
    ("guidance-editor", "demo-editor", "/guidance/editor/"),
    ("directory-changes", "demo-editor", "/directory/changes/"),
    ("directory-hsds-import", "demo-editor", "/directory/hsds-import/"),
    ("panel", "demo-panel", "/panel/"),
    ("coordinator", "demo-coordinator", "/panel/coordinator/"),
    ("provider", "demo-provider", "/directory/my/"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return result.stdout.decode()


def _session_cookie(env: dict[str, str], username: str) -> str:
    """A signed-in session for a demo persona, with its TOTP step done."""
    code = (
        "from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, "
        "SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        f"u = get_user_model().objects.get(username={username!r})\n"
        "d = TOTPDevice.objects.filter(user=u).first() or "
        "TOTPDevice.objects.create(user=u, name='default', confirmed=True)\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "s['otp_device_id'] = d.persistent_id\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    return _manage(env, "shell", "-c", code).strip().splitlines()[-1]


def _targets(env: dict[str, str]) -> dict[str, str]:
    """The paths of pages that depend on the data: the best-evaluated intervention, a Barnahus,
    a review's PRISMA page and the desk of an evaluation with a provisional reading."""
    code = (
        "from facit.evidence.models import Extraction, Intervention\n"
        "from facit.directory.models import Barnahus\n"
        "from facit.literature.models import Review\n"
        "i = Intervention.objects.published().order_by('-evaluation_count').first()\n"
        "print(f'/evidence/interventions/{i.slug}/' if i else '/evidence/interventions/')\n"
        "b = Barnahus.objects.order_by('pk').first()\n"
        "print(f'/directory/barnahus/{b.id}/' if b else '/directory/barnahus/')\n"
        "r = Review.objects.order_by('pk').first()\n"
        "print(f'/literature/{r.slug}/prisma/' if r else '/literature/')\n"
        "x = Extraction.objects.filter(role='provisional', direction='favourable').first()\n"
        "print(f'/evidence/evaluations/{x.evaluation_id}/extract/' if x else '/evidence/')\n"
    )
    lines = _manage(env, "shell", "-c", code).strip().splitlines()[-4:]
    return dict(zip(("@intervention", "@barnahus", "@prisma", "@desk"), lines, strict=True))


def main() -> int:
    from playwright.sync_api import sync_playwright

    tmp = tempfile.mkdtemp(prefix="facit-shots-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/shots.sqlite3",
        "DEBUG": "true",
        "FACIT_DEMO": "true",
        "TASK_BACKEND": "immediate",
        "AXES_ENABLED": "false",
    }
    env.pop("FACIT_TESTING", None)
    print("Preparing a throwaway database with the verified and demo data …")
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "seed")
    _manage(env, "seed_demo")
    targets = _targets(env)
    only = {n for n in os.environ.get("SHOTS_ONLY", "").split(",") if n}
    pages = [p for p in PAGES if not only or p[0] in only]
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError as exc:
                if getattr(exc, "code", None):  # an HTTP answer: the server is up
                    break
                time.sleep(0.2)
        cookies = {persona: _session_cookie(env, persona) for _, persona, _ in pages if persona}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("FACIT_CHROMIUM", "/usr/bin/chromium"),
                args=["--headless=new", "--no-sandbox", "--disable-gpu"],
            )
            for width in WIDTHS:
                folder = OUT / LANG / str(width)
                folder.mkdir(parents=True, exist_ok=True)
                for name, persona, path in pages:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900}, locale=f"{LANG}-SE"
                    )
                    if persona:
                        context.add_cookies(
                            [{"name": "sessionid", "value": cookies[persona], "url": base}]
                        )
                    page = context.new_page()
                    if path == "@studies":  # the study list behind the outcome map's first bubble
                        page.goto(f"{base}/{LANG}/evidence/?rows=intervention&cols=outcome_domain")
                        bubble = page.locator("a[href*='/map/studies/']").first
                        page.goto(f"{base}{bubble.get_attribute('href')}")
                    else:
                        page.goto(f"{base}/{LANG}{targets.get(path, path)}")
                    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    flag = "  <- wider than the screen" if wide > width else ""
                    print(f"{folder / name}.png  ({wide} px wide){flag}")
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
