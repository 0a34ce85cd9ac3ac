"""Full-page screenshots of facit's main pages at 390 px and 1280 px, for review by eye.

    make screenshots                  # writes var/screenshots/<width>/<page>.png
    SHOTS_LANG=en make screenshots    # the English pages

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
    ("intervention-list", "", "/evidence/interventions/"),
    ("intervention", "", "@intervention"),
    ("levels", "", "/evidence/levels/"),
    ("directory-search", "", "/directory/search/?municipality=Malm%C3%B6"),
    ("referral-guide", "", "/directory/referral-guide/"),
    ("guidance", "", "/guidance/"),
    ("sign-in", "", "/accounts/login/"),
    ("literature", "demo-reviewer", "/literature/"),
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


def _first_intervention(env: dict[str, str]) -> str:
    code = (
        "from facit.evidence.models import Intervention\n"
        "i = Intervention.objects.published().order_by('-evaluation_count').first()\n"
        "print(f'/evidence/interventions/{i.slug}/' if i else '/evidence/interventions/')\n"
    )
    return _manage(env, "shell", "-c", code).strip().splitlines()[-1]


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
    intervention = _first_intervention(env)
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
        cookies = {persona: _session_cookie(env, persona) for _, persona, _ in PAGES if persona}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("FACIT_CHROMIUM", "/usr/bin/chromium"),
                args=["--headless=new", "--no-sandbox", "--disable-gpu"],
            )
            for width in WIDTHS:
                folder = OUT / LANG / str(width)
                folder.mkdir(parents=True, exist_ok=True)
                for name, persona, path in PAGES:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900}, locale=f"{LANG}-SE"
                    )
                    if persona:
                        context.add_cookies(
                            [{"name": "sessionid", "value": cookies[persona], "url": base}]
                        )
                    page = context.new_page()
                    target = intervention if path == "@intervention" else path
                    page.goto(f"{base}/{LANG}{target}")
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
