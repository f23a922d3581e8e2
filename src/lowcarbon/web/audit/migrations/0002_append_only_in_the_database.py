"""Audit events are append-only in the database itself, not only in the application.

The model refuses save-after-create, update and delete (lowcarbon.web.audit.models); these
triggers make a direct SQL UPDATE that changes a value (both databases) or a DELETE
(PostgreSQL) fail too, so no
user of the application's database account can rewrite history. SQLite keeps DELETE possible:
the test suite's flush between live-server tests deletes every row, and the embedded database
serves demonstrations and small installations (docs/operations.md: use PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "audit_auditevent"

# Every column as the table was created (0001_initial). An UPDATE that writes the same values
# changes nothing and is let through: the test runner's serialized rollback re-saves rows as
# they are.
COLUMNS = (
    "id",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "created_at",
    "ip_address",
)
# Compared by meaning, not spelling: JSON minified, times to the millisecond (Django's
# serializer, used by the test runner's serialized rollback, keeps milliseconds only).
_SQLITE_VALUE = {
    "before": "json({})",
    "after": "json({})",
    "created_at": "substr({}, 1, 23)",  # 'YYYY-MM-DD HH:MM:SS.mmm', as Django stores it
}


def _value(row: str, column: str) -> str:
    return _SQLITE_VALUE.get(column, "{}").format(f"{row}.{column}")


_CHANGED = " OR ".join(f"{_value('OLD', c)} IS NOT {_value('NEW', c)}" for c in COLUMNS)

SQLITE = [
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    WHEN {_CHANGED}
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_event_no_update"]

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN RETURN NEW; END IF;
      RAISE EXCEPTION 'audit events are append-only';
    END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_event_no_update_or_delete ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
