"""A GIN index on the Swedish full-text vector of a service (PostgreSQL only; SQLite
searches the stemmed search_text column). The expression is search.FTS_VECTOR."""

from django.db import migrations

# as facit.directory.search.FTS_VECTOR at the time of this migration
FTS_VECTOR = (
    "to_tsvector('swedish'::regconfig, "
    "name || ' ' || alternate_name || ' ' || description || ' ' || eligibility_description"
    " || ' ' || description_sv || ' ' || eligibility_description_sv)"
)

INDEX = "directory_service_fts_sv"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON directory_service USING GIN ({FTS_VECTOR})"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_barnahus_swedish_texts_age_limits")]
    operations = [migrations.RunPython(create, drop)]
