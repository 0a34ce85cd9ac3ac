"""The production stack as CI starts it (machine's PostgreSQL and Redis): every public page
and API root answers, static files are served, a background import completes through an
RQ worker, health answers are JSON and uncached, and no log line holds a panel identity."""

from __future__ import annotations

import contextlib
import re
import time
import uuid

from tests.stack.harness import Stack, db_query, get

PUBLIC_PAGES = [
    "/sv/",
    "/en/",
    "/sv/evidence/",
    "/sv/evidence/interventions/",
    "/sv/evidence/levels/",
    "/sv/evidence/compare/",
    "/sv/directory/search/",
    "/sv/directory/search/?municipality=Stockholm",
    "/sv/directory/referral-guide/",
    "/sv/guidance/",
    "/sv/accounts/login/",
    "/en/accounts/login/",
]
API_ROOTS = [
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/api/v1/interventions",
    "/api/v1/evidence-map",
    "/api/v1/services/search",
    "/api/v1/guidance/documents",
    "/api/hsds/",
    "/api/hsds/services",
]


def test_plain_http_is_redirected_to_https_with_hsts_on_https(machine_stack: Stack) -> None:
    plain = get(machine_stack.base + "/sv/", https=False)
    assert plain.status == 301
    assert plain.headers["Location"].startswith("https://")
    secure = get(machine_stack.base + "/sv/")
    assert secure.status == 200
    assert "max-age=31536000" in secure.headers.get("Strict-Transport-Security", "")


def test_health_answers_json_uncached_without_secrets(machine_stack: Stack) -> None:
    for path in ("/healthz", "/readyz"):
        answer = get(machine_stack.base + path, https=False)  # probes come over plain HTTP
        assert answer.status == 200, (path, answer.body[:300])
        assert answer.headers["Content-Type"].startswith("application/json")
        assert "no-store" in answer.headers.get("Cache-Control", "") or "max-age=0" in (
            answer.headers.get("Cache-Control", "")
        )
        text = answer.body.decode()
        assert machine_stack.env["SECRET_KEY"] not in text
        assert "postgresql://" not in text and "redis://" not in text and "127.0.0.1" not in text
    ready = get(machine_stack.base + "/readyz").json()
    assert ready["status"] == "ready"
    assert set(ready["checks"]) == {"database", "migrations", "cache", "queue"}


def test_every_public_page_and_api_root_answers(machine_stack: Stack) -> None:
    slug = get(machine_stack.base + "/api/v1/interventions").json()["items"][0]["id"]
    service = get(machine_stack.base + "/api/hsds/services").json()["contents"][0]["id"]
    paths = [
        *PUBLIC_PAGES,
        *API_ROOTS,
        f"/sv/evidence/interventions/{slug}/",
        f"/api/v1/interventions/{slug}",
        f"/sv/directory/services/{service}/",
    ]
    failures = {}
    for path in paths:
        answer = get(machine_stack.base + path)
        if answer.status != 200:
            failures[path] = (answer.status, answer.body[:200])
        assert answer.headers.get("X-Request-ID")
    assert not failures


def test_static_files_are_served_with_hashed_names(machine_stack: Stack) -> None:
    page = get(machine_stack.base + "/sv/").body.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert assets, "the start page links no static file"
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.", asset), f"{asset} is not the collected, hashed file"
        answer = get(machine_stack.base + asset)
        assert answer.status == 200, asset
        assert "max-age" in answer.headers.get("Cache-Control", "")


def test_background_import_completes_through_an_rq_worker(machine_stack: Stack) -> None:
    started = machine_stack.driver("import", "200", "smoke" + uuid.uuid4().hex[:6])
    url = machine_stack.env["DATABASE_URL"]
    deadline = time.monotonic() + 180
    status = ""
    while time.monotonic() < deadline:
        status, error = db_query(
            url, "SELECT status, error FROM core_job WHERE id = %s", uuid.UUID(str(started["job"]))
        )[0]
        if status in {"done", "failed"}:
            break
        time.sleep(1)
    assert status == "done", error
    count = db_query(
        url, "SELECT count(*) FROM literature_reference WHERE review_id = %s", started["review"]
    )[0][0]
    assert count == 200
    log = machine_stack.log.read_text()
    assert "rq.worker" in log and "job done" in log


def test_no_log_line_holds_a_panel_identity(machine_stack: Stack) -> None:
    tag = uuid.uuid4().hex[:10]
    markers = [str(m) for m in machine_stack.driver("identities", tag)["markers"]]
    # Try to make them reach the logs: as usernames at sign-in, in searches, in paths.
    for marker in markers:
        get(machine_stack.base + "/sv/directory/search/?q=" + re.sub(r"\W", "+", marker))
        get(machine_stack.base + "/sv/no-such-page/" + re.sub(r"\W", "-", marker) + "/")
    _failed_sign_ins(machine_stack, markers)
    time.sleep(1)
    log = machine_stack.log.read_text()
    assert '"request_id"' in log  # the logs are there, as JSON lines
    leaked = [m for m in markers if m.lower() in log.lower()]
    assert not leaked, f"panel identity data in the logs: {leaked}"


def _failed_sign_ins(stack: Stack, markers: list[str]) -> None:
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"X-Forwarded-Proto": "https", "Referer": "https://127.0.0.1/"}
    login = urllib.request.Request(stack.base + "/sv/accounts/login/", headers=headers)  # noqa: S310
    opener.open(login).close()
    token = next(c.value for c in jar if c.name == "csrftoken")
    for marker in markers:
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": marker, "password": "wrong-" + marker}
        ).encode()
        request = urllib.request.Request(  # noqa: S310
            stack.base + "/sv/accounts/login/",
            data=data,
            headers={**headers, "Cookie": f"csrftoken={token}"},
        )
        with contextlib.suppress(Exception):  # a refused sign-in is what this is after
            opener.open(request).close()
