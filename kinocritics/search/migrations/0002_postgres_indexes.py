"""PostgreSQL only: pg_trgm and the trigram and full-text GIN indexes on SearchEntry.text.

SQLite has neither; there the SearchToken table serves the candidate query.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS kcsearch_entry_text_trgm "
    "ON kcsearch_searchentry USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS kcsearch_entry_text_fts "
    "ON kcsearch_searchentry USING gin (to_tsvector('simple', text))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS kcsearch_entry_text_fts",
    "DROP INDEX IF EXISTS kcsearch_entry_text_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("kcsearch", "0001_initial")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
