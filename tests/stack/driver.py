"""Runs inside the production stack's settings (`python -m tests.stack.driver ...` with the
stack's environment): sets up what the stack tests need through facit's own services and
prints JSON. Not a test module itself."""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facit.settings")


def ris(n: int, tag: str) -> bytes:
    """n distinct invented records (no real-world citations), tagged so tests can find them."""
    lines = []
    for i in range(n):
        lines += [
            "TY  - JOUR",
            f"TI  - Invented stack test record {tag} number {i} on topic {i * 7919 % 100003}",
            f"AU  - Testperson, Record{i}",
            f"PY  - {1990 + i % 35}",
            f"JO  - Invented Journal {i % 50}",
            f"AB  - Invented abstract {i} for the {tag} stack test.",
            "ER  - ",
            "",
        ]
    return "\n".join(lines).encode()


def start_import(records: int, tag: str) -> dict[str, object]:
    from django.db import transaction

    from facit.accounts.models import User
    from facit.core.jobs import job_start
    from facit.literature.imports.services import batch_create
    from facit.literature.services import review_create
    from facit.literature.tasks import import_references_task

    user = User.objects.filter(username="stack-driver").first()
    if user is None:
        from facit.accounts.services import user_create

        user = user_create(username="stack-driver", password=os.urandom(16).hex(), roles=[])
    review = review_create(
        title=f"Stack test {tag}", question="Invented question for a stack test.", actor=user
    )
    with transaction.atomic():
        batch = batch_create(
            review=review, data=ris(records, tag), filename=f"{tag}.ris", fmt="ris", actor=user
        )
        job = job_start(
            kind="literature.import",
            task=import_references_task,
            created_by=user,
            label=f"stack {tag}",
            batch_id=batch.pk,
        )
    return {"job": str(job.pk), "batch": batch.pk, "review": review.pk}


def identities(tag: str) -> dict[str, object]:
    """Panel members with invented identities whose every field carries `tag`."""
    from facit.accounts import roles
    from facit.accounts.services import user_create
    from facit.panel.services import member_create

    coordinator = user_create(
        username=f"coord-{tag}", password=os.urandom(16).hex(), roles=[roles.COORDINATOR]
    )
    markers = []
    for i in range(2):
        user = user_create(username=f"m{i}-{tag}", password=os.urandom(16).hex(), roles=[])
        fields = {
            "legal_name": f"Legalname{tag}{i} Surname{tag}{i}",
            "email": f"person{i}.{tag}@example.invalid",
            "phone": f"+46 70 {i}{tag[:6]}",
            "payment_details": f"IBAN SE00 {tag}{i}",
        }
        member_create(user=user, pseudonym=f"Pseudo{tag}{i}", actor=coordinator, **fields)
        markers += list(fields.values())
    return {"markers": markers}


def main() -> None:
    import django

    django.setup()
    command = sys.argv[1]
    if command == "import":
        result = start_import(int(sys.argv[2]), sys.argv[3])
    elif command == "identities":
        result = identities(sys.argv[2])
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
