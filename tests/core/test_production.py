"""Production settings and the parts of the stack that run in-process: check --deploy with
the production settings, HSTS and the HTTPS redirect, health answers, the request id that
follows a request into its job, the Redis cache falling back, log lines without personal
data, the lock check, the database worker outlasting a locked database and the supervisor
that starts it again."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import secrets
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from facit.core.logs import JsonFormatter, RequestIdFilter
from facit.core.models import Job

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "FACIT_TEST"))}
    for name in ("FACIT_TESTING", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)  # the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is not production's
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="facit.example.org",
        CSRF_TRUSTED_ORIGINS="https://facit.example.org",
        DJANGO_SETTINGS_MODULE="facit.settings",
        # Production sends its notices through SMTP (the console backend is for development).
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.org",
    )
    env.update(extra)
    return env


def _settings_in(env: dict[str, str], *names: str) -> dict[str, object]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    out = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_the_production_settings() -> None:
    result = subprocess.run(
        [PY, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_turns_on_hsts_and_the_https_redirect() -> None:
    values = _settings_in(
        _production_env(), "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER"
    )
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000  # type: ignore[operator]
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # no proxy header trusted unless told


def test_behind_a_tls_proxy_the_forwarded_scheme_is_trusted_and_the_redirect_can_go() -> None:
    values = _settings_in(
        _production_env(BEHIND_TLS_PROXY="true", SECURE_SSL_REDIRECT="false"),
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000  # type: ignore[operator]


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000)
def test_plain_http_redirects_but_health_probes_answer(visitor) -> None:
    page = visitor.get("/sv/")
    assert page.status_code == 301 and page["Location"].startswith("https://")
    assert visitor.get("/healthz").status_code == 200
    secure = visitor.get("/sv/", secure=True)
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]


def test_healthz_and_readyz_answer_json_never_cached(visitor) -> None:
    for name in ("healthz", "readyz"):
        response = visitor.get(reverse(name))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = visitor.get(reverse("readyz")).json()
    assert body["status"] == "ready"
    assert all(check["ok"] for check in body["checks"].values())


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "facit.core.cache.FallbackRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_with_redis_unreachable_pages_render_and_readiness_says_cache(visitor) -> None:
    with override_settings(CACHES=UNREACHABLE_REDIS):
        caches._settings = None  # type: ignore[attr-defined]
        try:
            cache = caches.create_connection("default")
            assert cache.get("anything", "missed") == "missed"
            cache.set("anything", "value")  # skipped, no error
            assert visitor.get("/sv/").status_code == 200
            ready = visitor.get(reverse("readyz"))
            assert ready.status_code == 503
            assert ready.json()["checks"]["cache"] == {
                "ok": False,
                "error": "ConnectionError",
                "ms": ready.json()["checks"]["cache"]["ms"],
            }
        finally:
            caches._settings = None  # type: ignore[attr-defined]


RIS = b"TY  - JOUR\nTI  - Invented record about schools\nAU  - Doe, Jane\nPY  - 2020\nER  - \n\n"


@contextlib.contextmanager
def collect_logs() -> Iterator[list[dict[str, object]]]:
    """Every log line written meanwhile, as the JSON the stack writes: at INFO and above
    (production writes WARNING and facit's INFO), each logger's own configured floor kept."""
    lines: list[dict[str, object]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(self.format(record)))

    handler = Collect(level=logging.DEBUG)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "facit")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.INFO)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def test_the_request_id_follows_a_request_into_the_job_it_starts(
    reviewer, django_capture_on_commit_callbacks
) -> None:
    from tests.literature import factories as f

    review = f.review(reviewer.user)
    with collect_logs() as lines, django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            reverse("literature:import_upload", args=[review.slug]),
            {"file": SimpleUploadedFile("invented.ris", RIS), "source": "Invented"},
            HTTP_X_REQUEST_ID="trace-0123456789abcdef",
        )
    assert response.status_code == 302
    assert response["X-Request-ID"] == "trace-0123456789abcdef"
    job = Job.objects.get()
    assert job.request_id == "trace-0123456789abcdef" and job.status == "done"
    job_lines = [line for line in lines if line["logger"] == "facit.jobs"]
    assert {line["message"] for line in job_lines} >= {"job started", "job done"}
    assert {line["request_id"] for line in job_lines} == {"trace-0123456789abcdef"}


def test_a_request_id_that_is_not_an_id_is_replaced(visitor) -> None:
    response = visitor.get("/healthz", HTTP_X_REQUEST_ID="Jane Doe <jane@example.invalid>")
    assert "jane" not in response["X-Request-ID"].lower()
    assert len(response["X-Request-ID"]) == 32


def test_log_lines_of_sign_in_and_identity_pages_hold_no_identity(coordinator, client) -> None:
    from facit.accounts.services import user_create
    from facit.panel.services import member_create

    user = user_create(username="invented-member", password=None, roles=[])
    identity = {
        "legal_name": "Inventedlegal Personname",
        "email": "invented.person@example.invalid",
        "phone": "+46 70 000 12 34",
        "payment_details": "IBAN SE00 INVENTED 1234",
    }
    member = member_create(
        user=user, pseudonym="Inventedpseudo", actor=coordinator.user, **identity
    )
    with collect_logs() as lines:
        for value in identity.values():
            client.post(reverse("accounts:login"), {"username": value, "password": "wrong" + value})
            client.get("/sv/directory/search/", {"q": value})
            client.get("/sv/no-such-page/" + value.replace(" ", "-") + "/")
        page = coordinator.get(
            reverse("panel:coordinator_member", args=[member.public_id]) + "?identity=1"
        )
        assert identity["legal_name"] in page.content.decode()  # shown to the coordinator
    text = json.dumps(lines, ensure_ascii=False).lower()
    assert any(line["logger"] == "facit.access" for line in lines)
    assert any(line["logger"].startswith("axes") for line in lines)
    for value in identity.values():
        assert value.lower() not in text, f"{value!r} reached a log line"


def _lock_module():
    spec = importlib.util.spec_from_file_location("facit_lock", ROOT / "scripts" / "lock.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_lock_matches_pyproject() -> None:
    assert _lock_module().check() == 0


def test_a_dependency_added_without_relocking_is_refused_with_the_hint(
    tmp_path, monkeypatch, capsys
) -> None:
    lock = _lock_module()
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        (ROOT / "pyproject.toml")
        .read_text()
        .replace("dependencies = [\n", 'dependencies = [\n    "invented-new-dependency>=1",\n', 1)
    )
    locked = tmp_path / "requirements.lock"
    locked.write_text((ROOT / "requirements.lock").read_text())
    monkeypatch.setattr(lock, "PYPROJECT", pyproject)
    monkeypatch.setattr(lock, "LOCK", locked)
    assert lock.check() == 1
    assert "make lock" in capsys.readouterr().err


def test_the_lock_pins_every_package_with_hashes() -> None:
    entries = [
        line
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    assert entries
    for entry in entries:
        assert "==" in entry and entry.rstrip().endswith("\\"), entry


def test_supervise_starts_an_exited_command_again(tmp_path) -> None:
    marker = tmp_path / "starts"
    command = f"echo x >> {marker}; exit 3"
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "supervise"), "invented", "bash", "-c", command],
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (
            not marker.exists() or len(marker.read_text().split()) < 2
        ):
            time.sleep(0.2)
        assert len(marker.read_text().split()) >= 2, "the command was not started again"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    assert "invented exited with status 3; starting it again" in err
    assert process.returncode == 0  # a TERM stops the supervisor cleanly


def _worker_env(database: Path) -> dict[str, str]:
    return {
        **_production_env(DEBUG="true"),
        "DATABASE_URL": f"sqlite:///{database}",
        "TASK_BACKEND": "database",
        "SQLITE_TIMEOUT": "0.2",
    }


@pytest.fixture(scope="module")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied by each test that needs a fresh one."""
    database = tmp_path_factory.mktemp("migrated") / "migrated.sqlite3"
    subprocess.run(
        [PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_worker_env(database), check=True
    )
    return database


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="'database is locked' is SQLite's; the worker runs on its own file",
)
@pytest.mark.parametrize("locked_at", ["start-up", "polling"])
def test_db_worker_survives_a_locked_database_and_runs_the_next_task(
    tmp_path, locked_at, _migrated_sqlite
) -> None:
    import shutil

    database = tmp_path / "worker.sqlite3"
    shutil.copyfile(_migrated_sqlite, database)
    env = _worker_env(database)
    holder = sqlite3.connect(database, timeout=5, isolation_level=None)
    if locked_at == "start-up":  # a long CLI import holds the database as the worker starts
        holder.execute("BEGIN EXCLUSIVE")
    worker = subprocess.Popen(
        [PY, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        if locked_at == "polling":
            time.sleep(4)  # the worker is polling
            holder.execute("BEGIN EXCLUSIVE")  # as a long CLI import holds the database
        time.sleep(6 if locked_at == "start-up" else 3)
        assert worker.poll() is None, "the worker exited on the locked database"
        holder.execute("COMMIT")
        holder.close()
        enqueue = (
            "import django; django.setup(); "
            "from facit.core.jobs import job_start; "
            "from facit.evidence.tasks import recompute_levels as t; "
            "print(job_start(kind='evidence.recompute', task=t).pk)"
        )
        out = subprocess.run(
            [PY, "-c", enqueue], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        job_id = out.stdout.strip().splitlines()[-1]
        deadline = time.monotonic() + 60
        status = ""
        while time.monotonic() < deadline:
            with sqlite3.connect(database, timeout=5) as conn:
                status = conn.execute(
                    "SELECT status FROM core_job WHERE id = ?", (job_id.replace("-", ""),)
                ).fetchone()[0]
            if status in {"done", "failed"}:
                break
            time.sleep(0.5)
        assert status == "done"
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.communicate(timeout=30)
