"""Database-level guard: a member's assessment is written only while the member consents to
reviewing (inserted or changed; taking one's words away on leaving sets member to NULL)."""

from django.db import migrations

COND = (
    "NEW.member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM panel_consent pc "
    "WHERE pc.member_id = NEW.member_id AND pc.purpose = 'review' AND pc.withdrawn_at IS NULL)"
)
MSG = "facit: the member does not consent to reviewing"
EVENTS = [("panel_assessment_insert_needs_consent", "BEFORE INSERT"),
          ("panel_assessment_update_needs_consent", "BEFORE UPDATE")]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name, event in EVENTS:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger AS $$ BEGIN "
                f"IF {COND} THEN RAISE EXCEPTION '{MSG}' USING ERRCODE = 'check_violation'; "
                f"END IF; RETURN NEW; END; $$ LANGUAGE plpgsql; "
                f"CREATE TRIGGER {name} {event} ON panel_assessment FOR EACH ROW "
                f"EXECUTE FUNCTION {name}_fn();"
            )
        else:
            schema_editor.execute(
                f"CREATE TRIGGER {name} {event} ON panel_assessment FOR EACH ROW WHEN {COND} "
                f"BEGIN SELECT RAISE(ABORT, '{MSG}'); END;"
            )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for name, _event in EVENTS:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {name} ON panel_assessment; "
                f"DROP FUNCTION IF EXISTS {name}_fn();"
            )
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("panel", "0002_member_case_insensitive_pseudonym_fees_kept_aftercare")]
    operations = [migrations.RunPython(forwards, backwards)]
