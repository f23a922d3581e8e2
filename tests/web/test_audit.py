"""The audit log is append-only, and events are recorded inside the action's transaction."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory

from lowcarbon.web.accounts.models import User
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
