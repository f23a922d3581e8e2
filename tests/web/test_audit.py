"""The audit log is append-only, events are recorded inside the action's transaction, and the
events are chained by hashes: `manage.py audit_verify` names the first broken link after a
change, a deletion, a move or a back-dated insertion made around the triggers."""

from __future__ import annotations

import io
import itertools
import json
import threading
import time
from datetime import UTC, datetime

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from lowcarbon.web.accounts.models import User
from lowcarbon.web.audit.chain import GENESIS, event_hash
from lowcarbon.web.audit.models import AuditEvent, ImmutableAuditEventError
from lowcarbon.web.audit.recording import NotInTransactionError, record_event

pytestmark = pytest.mark.django_db


def test_an_event_cannot_be_changed(admin_user: User) -> None:
    event = AuditEvent.objects.latest("id")
    event.reason = "rewritten"
    with pytest.raises(ImmutableAuditEventError):
        event.save()
    with pytest.raises(ImmutableAuditEventError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    event.refresh_from_db()
    assert event.reason == ""


def test_an_event_cannot_be_deleted(admin_user: User) -> None:
    count = AuditEvent.objects.count()
    with pytest.raises(ImmutableAuditEventError):
        AuditEvent.objects.latest("id").delete()
    with pytest.raises(ImmutableAuditEventError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(admin_user: User) -> None:
    with pytest.raises(NotInTransactionError):
        record_event(actor=admin_user, action="x", target=admin_user)
    with transaction.atomic():
        event = record_event(actor=admin_user, action="x", target=admin_user)
    assert event.actor_label == "admin"
    assert event.object_type == "accounts.User"


def test_the_admin_shows_events_read_only(admin_user: User) -> None:
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_database_itself_refuses_to_rewrite_an_event(admin_user: User) -> None:
    """Even SQL that bypasses the model (a direct UPDATE; on PostgreSQL also DELETE) fails."""
    from django.db import DatabaseError, connection, transaction

    event = AuditEvent.objects.order_by("pk").first()
    assert event is not None
    update = "UPDATE audit_auditevent SET action = %s WHERE id = %s"
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(update, ["forged", event.pk])
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


# --- the hash chain and `manage.py audit_verify` ---------------------------------------------


def record(actor: User, count: int) -> list[AuditEvent]:
    """``count`` events through the real recording, each in its own action's transaction."""
    events = []
    for number in range(count):
        with transaction.atomic():
            events.append(
                record_event(
                    actor=actor,
                    action="chain_test",
                    target=actor,
                    before={"n": number, "ratio": 1.0, "big": 1e20, "items": (1, "二")},
                    after={"n": number + 1, "share": 0.1},
                    reason=f"第{number}条",
                )
            )
    return events


def verify_output(*arguments: str) -> str:
    out = io.StringIO()
    call_command("audit_verify", *arguments, stdout=out)
    return out.getvalue()


def broken_report(*arguments: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("audit_verify", *arguments, stdout=io.StringIO())
    assert refused.value.returncode == 1
    return str(refused.value)


def raw(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def drop_triggers() -> None:
    """What an attacker with the database owner's rights does first."""
    if connection.vendor == "postgresql":
        raw("DROP TRIGGER audit_event_no_update_or_delete ON audit_auditevent")
    else:
        raw("DROP TRIGGER audit_event_no_update")


def test_every_event_is_chained_to_the_one_before(admin_user: User) -> None:
    recorded = {event.pk for event in record(admin_user, 3)}
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].previous_hash == GENESIS
    for before, event in itertools.pairwise(events):
        assert event.previous_hash == before.hash
        assert event.created_at >= before.created_at
    for event in events:
        # Read back from the database, the content still gives the stored hash.
        assert event.hash == event_hash(event, event.previous_hash)
    # Sealed events are timed to the millisecond (the seed migration's kept their time).
    assert all(e.created_at.microsecond % 1000 == 0 for e in events if e.pk in recorded)


def test_an_intact_log_verifies_with_its_count_and_head(admin_user: User) -> None:
    record(admin_user, 3)
    last = AuditEvent.objects.order_by("id").last()
    assert last is not None
    output = verify_output()
    count = AuditEvent.objects.count()
    assert f"审计日志完整：共 {count} 条事件" in output
    assert f"#{last.pk}" in output
    assert last.hash in output
    assert f"审计日志完整：共 {count} 条" in verify_output("--head", last.hash)


def test_an_update_after_dropping_the_trigger_is_reported_at_that_event(
    admin_user: User,
) -> None:
    _first, second, _third = record(admin_user, 3)
    drop_triggers()
    raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["改过了", second.pk])
    report = broken_report()
    assert f"审计日志在事件 #{second.pk}" in report
    assert "被篡改" in report


def test_a_deleted_event_is_reported_at_the_next_naming_the_missing_one(
    admin_user: User,
) -> None:
    _first, second, third = record(admin_user, 3)
    if connection.vendor == "postgresql":
        drop_triggers()  # SQLite lets DELETE through: the chain is what shows it
    raw("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    report = broken_report()
    assert f"审计日志在事件 #{third.pk}" in report
    assert f"其前的事件 #{second.pk} 已被删除" in report


def _insert(created_at: datetime, previous_hash: str, digest: str) -> int:
    values = [
        None,
        "system",
        "forged",
        "accounts.User",
        "1",
        "",
        connection.ops.adapt_datetimefield_value(created_at),
        previous_hash,
        digest,
    ]
    raw(
        "INSERT INTO audit_auditevent (actor_id, actor_label, action, object_type, object_id, "
        "reason, created_at, previous_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        values,
    )
    return int(AuditEvent.objects.order_by("-id").values_list("pk", flat=True)[0])


BACK_THEN = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_a_backdated_insert_is_reported_at_that_event(admin_user: User) -> None:
    record(admin_user, 2)
    forged = _insert(BACK_THEN, "f" * 64, "e" * 64)
    report = broken_report()
    assert f"审计日志在事件 #{forged}" in report
    assert "倒签" in report
    assert "2020-01-02 11:04:05" in report  # shown in Shanghai time
    assert "非平台写入" in report


def test_a_backdated_insert_with_a_valid_hash_and_link_is_still_reported(
    admin_user: User,
) -> None:
    """A forger who knows the algorithm chains the row correctly; its time still shows."""
    record(admin_user, 2)
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None
    forged = AuditEvent(
        actor_label="system",
        action="forged",
        object_type="accounts.User",
        object_id="1",
        created_at=BACK_THEN,
    )
    forged_id = _insert(BACK_THEN, last.hash, event_hash(forged, last.hash))
    report = broken_report()
    assert f"审计日志在事件 #{forged_id}" in report
    assert "倒签" in report
    assert "非平台写入" not in report


def test_swapped_events_are_reported_as_reordered(admin_user: User) -> None:
    first, second, _third = record(admin_user, 3)
    drop_triggers()
    columns = ["reason", "created_at", "after", "before", "previous_hash", "hash"]
    rows = {
        event.pk: AuditEvent.objects.filter(pk=event.pk).values_list(*columns).get()
        for event in (first, second)
    }
    # Free the unique previous_hash first, then write each row's content into the other.
    raw("UPDATE audit_auditevent SET previous_hash = %s WHERE id = %s", ["x", first.pk])
    for target, source in ((second.pk, first.pk), (first.pk, second.pk)):
        reason, created_at, after, before, previous_hash, digest = rows[source]
        raw(
            "UPDATE audit_auditevent SET reason = %s, created_at = %s, after = %s, "
            "before = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [
                reason,
                connection.ops.adapt_datetimefield_value(created_at),
                json.dumps(after),
                json.dumps(before),
                previous_hash,
                digest,
                target,
            ],
        )
    report = broken_report()
    assert f"审计日志在事件 #{first.pk}" in report
    assert f"原本链接在事件 #{second.pk} 之后" in report


def test_the_newest_events_removed_show_against_a_recorded_head(admin_user: User) -> None:
    record(admin_user, 2)
    head = AuditEvent.objects.order_by("-id").first()
    assert head is not None
    if connection.vendor == "postgresql":
        drop_triggers()
    raw("DELETE FROM audit_auditevent WHERE id = %s", [head.pk])
    assert "审计日志完整" in verify_output()  # nothing after it to show the gap…
    report = broken_report("--head", head.hash)  # …but the head kept elsewhere does
    assert head.hash in report
    assert "最新的事件已被删除" in report


def test_events_cannot_be_created_in_bulk(admin_user: User) -> None:
    with pytest.raises(ImmutableAuditEventError):
        AuditEvent.objects.bulk_create([AuditEvent(actor_label="x", action="x")])


@pytest.mark.django_db(transaction=True)
def test_two_actions_at_once_never_fork_the_chain() -> None:
    """Two threads, each in its own transaction, record at the same moment; the first holds
    its transaction open a while. The chain stays one line: on PostgreSQL the second waits for
    the first (the advisory lock); on SQLite one writer at a time, the other may be refused,
    never written from a stale read."""
    target = ContentType.objects.get_for_model(AuditEvent)  # a row every database has
    written: list[int] = []
    refused: list[Exception] = []

    def act(number: int, start: threading.Barrier) -> None:
        try:
            start.wait()
            with transaction.atomic():
                event = record_event(
                    actor=None, action="concurrent", target=target, after={"n": number}
                )
                time.sleep(0.3)
            written.append(event.pk)
        except DatabaseError as error:
            refused.append(error)
        finally:
            connection.close()

    # The test database of SQLite is in memory with a shared cache, whose table locks refuse
    # at once rather than wait: under load both writers may be refused. That forks nothing,
    # but tests nothing either, so the pair runs again (a few times at most) until one writes.
    for attempt in range(5):
        start = threading.Barrier(2)
        threads = [threading.Thread(target=act, args=(2 * attempt + n, start)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if written:
            break
    if connection.vendor == "postgresql":
        assert refused == []
        assert len(written) == 2
    assert written
    events = list(AuditEvent.objects.order_by("id"))
    assert len({e.previous_hash for e in events}) == len(events)
    assert "审计日志完整" in verify_output()
