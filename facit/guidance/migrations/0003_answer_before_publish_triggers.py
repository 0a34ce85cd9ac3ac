"""Database-level guard: no publication while a review comment is unanswered.

See facit/guidance/models.py for the chain of rules. Each vendor gets its own trigger
syntax; both raise an integrity error (SQLite: RAISE(ABORT); PostgreSQL: SQLSTATE 23514),
which Django surfaces as django.db.IntegrityError.
"""

from django.db import migrations

UNANSWERED = (
    "EXISTS (SELECT 1 FROM guidance_comment c WHERE c.round_id = {round} "
    "AND c.removed_at IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM guidance_answer a WHERE a.comment_id = c.id))"
)
EARLIER_OPEN = (
    "EXISTS (SELECT 1 FROM guidance_reviewround r "
    "JOIN guidance_version rv ON rv.id = r.version_id "
    "JOIN guidance_version pv ON pv.id = {version} "
    "WHERE rv.document_id = pv.document_id AND rv.number <= pv.number AND r.closed_at IS NULL)"
)
ROUND_CLOSED = (
    "EXISTS (SELECT 1 FROM guidance_reviewround r WHERE r.id = {round} AND r.closed_at IS NOT NULL)"
)
# (name, table, timing/event, condition, message)
RULES = [
    (
        "guidance_round_close_needs_answers",
        "guidance_reviewround",
        "BEFORE UPDATE",
        "NEW.closed_at IS NOT NULL AND " + UNANSWERED.format(round="NEW.id"),
        "facit: a review round with unanswered comments cannot be closed",
    ),
    (
        "guidance_publish_needs_closed_rounds",
        "guidance_publication",
        "BEFORE INSERT",
        EARLIER_OPEN.format(version="NEW.version_id"),
        "facit: a review round on this or an earlier version is still open",
    ),
    (
        "guidance_comment_needs_open_round",
        "guidance_comment",
        "BEFORE INSERT",
        ROUND_CLOSED.format(round="NEW.round_id"),
        "facit: the review round is closed",
    ),
    (
        "guidance_version_immutable",
        "guidance_version",
        "BEFORE UPDATE",
        "NEW.markdown <> OLD.markdown OR NEW.number <> OLD.number",
        "facit: a version is never changed",
    ),
]


def _sqlite(name: str, table: str, event: str, cond: str, msg: str) -> tuple[str, str]:
    create = (
        f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW WHEN {cond} "
        f"BEGIN SELECT RAISE(ABORT, '{msg}'); END;"
    )
    return create, f"DROP TRIGGER IF EXISTS {name};"


def _postgres(name: str, table: str, event: str, cond: str, msg: str) -> tuple[str, str]:
    row = "OLD" if "DELETE" in event else "NEW"
    create = (
        f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger AS $$ BEGIN "
        f"IF {cond} THEN RAISE EXCEPTION '{msg}' USING ERRCODE = 'check_violation'; END IF; "
        f"RETURN {row}; END; $$ LANGUAGE plpgsql; "
        f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn();"
    )
    drop = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}_fn();"
    return create, drop


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    build = _postgres if schema_editor.connection.vendor == "postgresql" else _sqlite
    for rule in RULES:
        schema_editor.execute(build(*rule)[0])


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    build = _postgres if schema_editor.connection.vendor == "postgresql" else _sqlite
    for rule in RULES:
        schema_editor.execute(build(*rule)[1])


class Migration(migrations.Migration):
    dependencies = [("guidance", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
