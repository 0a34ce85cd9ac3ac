"""Database-level guards added to those of 0003 (see facit/guidance/models.py):

5. a `Comment` by a member can only be inserted while the member's invitation to the round is
   open (not declined, not closed) and the member consents, right now, to reviewing drafts;
6. a `Publication` needs a completed review round on a version since the last publication; a
   material (never a guideline) may go without one only with the editor's stated reason.
"""

from django.db import migrations

COMMENT_WITHOUT_CONSENT = (
    "NEW.member_id IS NOT NULL AND ("
    "NOT EXISTS (SELECT 1 FROM guidance_invitation i WHERE i.round_id = NEW.round_id "
    "AND i.member_id = NEW.member_id AND i.declined_at IS NULL AND i.closed_at IS NULL) "
    "OR NOT EXISTS (SELECT 1 FROM panel_consent pc WHERE pc.member_id = NEW.member_id "
    "AND pc.purpose = 'review' AND pc.withdrawn_at IS NULL))"
)
NO_COMPLETED_ROUND = (
    "NOT EXISTS (SELECT 1 FROM guidance_reviewround r "
    "JOIN guidance_version rv ON rv.id = r.version_id "
    "JOIN guidance_version pv ON pv.id = NEW.version_id "
    "WHERE rv.document_id = pv.document_id AND rv.number <= pv.number "
    "AND r.closed_at IS NOT NULL AND rv.number > COALESCE((SELECT MAX(v2.number) "
    "FROM guidance_version v2 JOIN guidance_publication p2 ON p2.version_id = v2.id "
    "WHERE v2.document_id = pv.document_id), 0)) "
    "AND (NEW.no_round_reason = '' OR EXISTS (SELECT 1 FROM guidance_version v3 "
    "JOIN guidance_document d ON d.id = v3.document_id "
    "WHERE v3.id = NEW.version_id AND d.kind = 'guideline'))"
)
RULES = [
    (
        "guidance_comment_needs_consent",
        "guidance_comment",
        "BEFORE INSERT",
        COMMENT_WITHOUT_CONSENT,
        "facit: the member has no open invitation or no consent to review",
    ),
    (
        "guidance_publish_needs_round",
        "guidance_publication",
        "BEFORE INSERT",
        NO_COMPLETED_ROUND,
        "facit: publishing needs a completed panel round (or, for a material, a reason)",
    ),
]


def _sqlite(name: str, table: str, event: str, cond: str, msg: str) -> tuple[str, str]:
    create = (
        f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW WHEN {cond} "
        f"BEGIN SELECT RAISE(ABORT, '{msg}'); END;"
    )
    return create, f"DROP TRIGGER IF EXISTS {name};"


def _postgres(name: str, table: str, event: str, cond: str, msg: str) -> tuple[str, str]:
    create = (
        f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger AS $$ BEGIN "
        f"IF {cond} THEN RAISE EXCEPTION '{msg}' USING ERRCODE = 'check_violation'; END IF; "
        f"RETURN NEW; END; $$ LANGUAGE plpgsql; "
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
    dependencies = [
        ("guidance", "0004_document_version_round_questions_invitation_state"),
        ("panel", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
