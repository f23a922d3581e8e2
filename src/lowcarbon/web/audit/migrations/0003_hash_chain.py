"""Audit events chained by hashes (lowcarbon.web.audit.chain).

Each event gets ``previous_hash`` and ``hash``; the events already written are chained here in
id order, their content as it is (no time or value is changed). The append-only triggers of
0002 are taken off while the new columns are filled (on SQLite adding a column rebuilds the
table, which drops them anyway) and put back covering the new columns, so a changed hash is
refused like any other change. Seed data that writes events (organisations 0002) comes first,
so its events are chained too.
"""

from __future__ import annotations

from typing import Any

import django.utils.timezone
from django.db import migrations, models

from lowcarbon.web.audit.chain import GENESIS, event_hash

TABLE = "audit_auditevent"

# --- the append-only triggers, as 0002 made them, for the columns of each state --------------

COLUMNS_0002 = (
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
COLUMNS_0003 = (*COLUMNS_0002, "previous_hash", "hash")

# Compared by meaning, not spelling (see 0002): JSON minified, times to the millisecond.
_SQLITE_VALUE = {
    "before": "json({})",
    "after": "json({})",
    "created_at": "substr({}, 1, 23)",
}


def _sqlite_trigger(columns: tuple[str, ...]) -> str:
    def value(row: str, column: str) -> str:
        return _SQLITE_VALUE.get(column, "{}").format(f"{row}.{column}")

    changed = " OR ".join(f"{value('OLD', c)} IS NOT {value('NEW', c)}" for c in columns)
    return f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    WHEN {changed}
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"""


SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update"]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS audit_event_no_update_or_delete ON {TABLE}"]
# The function of 0002 stays: it compares whole rows, new columns included.
POSTGRESQL_CREATE = [
    f"""CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


TRIGGERS_OFF = _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})
TRIGGERS_0002 = _run({"sqlite": [_sqlite_trigger(COLUMNS_0002)], "postgresql": POSTGRESQL_CREATE})
TRIGGERS_0003 = _run({"sqlite": [_sqlite_trigger(COLUMNS_0003)], "postgresql": POSTGRESQL_CREATE})


# --- chaining the events already written ------------------------------------------------------


def chain_existing(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("audit", "AuditEvent")
    database = schema_editor.connection.alias
    previous = GENESIS
    for event in model.objects.using(database).order_by("id").iterator(chunk_size=1000):
        digest = event_hash(event, previous)
        model.objects.using(database).filter(pk=event.pk).update(
            previous_hash=previous, hash=digest
        )
        previous = digest


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_in_the_database"),
        # Its seed writes audit events through the historical model: chain them here.
        ("organisations", "0002_seed_shanghai"),
    ]

    operations = [
        migrations.RunPython(TRIGGERS_OFF, TRIGGERS_0002),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="time"
            ),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("previous_hash",), name="audit_event_one_successor"
            ),
        ),
        migrations.RunPython(TRIGGERS_0003, TRIGGERS_OFF),
    ]
