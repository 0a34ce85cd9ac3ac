"""Background jobs report progress and results, on the immediate backend and on RQ/Redis."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from facit.core.jobs import job_start
from facit.core.models import Job
from facit.evidence.models import Intervention
from facit.evidence.tasks import recompute_levels
from tests import factories as f


@pytest.mark.django_db
def test_a_job_runs_after_commit_and_stores_progress_and_result(
    django_capture_on_commit_callbacks, reviewer
):
    for _ in range(3):
        f.intervention()
    Intervention.objects.update(evidence_level=1)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="evidence.recompute_levels", task=recompute_levels, created_by=reviewer.user
        )
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"recomputed": 3}
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert set(Intervention.objects.values_list("evidence_level", flat=True)) == {7}


@pytest.mark.django_db
def test_job_progress_is_visible_only_to_its_creator(reviewer, second_reviewer, visitor):
    job = Job.objects.create(kind="x", created_by=reviewer.user, done=1, total=4)
    page = reviewer.get(f"/sv/jobs/{job.pk}/")
    assert page.status_code == 200 and b'value="25"' in page.content
    assert second_reviewer.get(f"/sv/jobs/{job.pk}/").status_code == 403
    assert visitor.get(f"/sv/jobs/{job.pk}/").status_code == 302


def _redis_url() -> str | None:
    url = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        return None
    return url


def test_the_same_job_runs_on_redis_queues_with_an_rq_worker(tmp_path):
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("uses its own SQLite database; runs once, in the SQLite pass")
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis server reachable (CI starts one)")
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rq.sqlite3'}",
        "TASK_BACKEND": "rq",
        "REDIS_URL": url,
        "FACIT_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "facit.settings",
    }
    env.pop("PYTEST_XDIST_WORKER", None)

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    manage("migrate", "-v0")
    manage(
        "shell",
        "-c",
        "import django_rq; django_rq.get_queue('default').empty(); "
        "from tests import factories as f; f.intervention(); f.intervention()",
    )
    job_id = manage("recompute_levels", "--background").split()[-1]
    manage("rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
    status = manage(
        "shell",
        "-c",
        f"from facit.core.models import Job; j = Job.objects.get(pk='{job_id}'); print(j.status, j.result)",
    )
    assert status.strip().splitlines()[-1] == "done {'recomputed': 2}"


@pytest.mark.django_db
def test_staff_start_a_level_recomputation_from_the_admin_and_see_its_progress(
    django_capture_on_commit_callbacks,
):
    from django.core.management import call_command

    from facit.accounts.models import User
    from tests.personas import verified_client

    call_command("createsuperuser", username="root", email="", interactive=False, verbosity=0)
    reviewer = verified_client(User.objects.get(username="root"))
    f.intervention()
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            "/admin/evidence/intervention/",
            {
                "action": "recompute_all_levels",
                "_selected_action": list(Intervention.objects.values_list("pk", flat=True)),
            },
        )
    assert response.status_code == 302
    page = reviewer.get(response["Location"])
    assert b"<h1>" in page.content and b"progress" in page.content
    assert Job.objects.get().status == Job.Status.DONE
