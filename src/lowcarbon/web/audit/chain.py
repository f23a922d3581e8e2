"""The audit log as a hash chain: a changed, deleted, re-ordered or back-dated row shows.

Each :class:`~lowcarbon.web.audit.models.AuditEvent` stores ``previous_hash``, the ``hash`` of
the event before it (by id; :data:`GENESIS` for the first), and its own ``hash``: the SHA-256 of
a canonical JSON of its content together with ``previous_hash`` (:func:`event_hash`). Changing
a row's content breaks its own hash; deleting a row breaks the link of the row after it;
moving rows breaks the links around them; an event inserted afterwards with an earlier time
shows against the time of the event before it. :func:`verify` walks the chain and names the
first broken link (``manage.py audit_verify``).

The database triggers (migrations 0002 and 0003) already refuse an UPDATE, and on PostgreSQL a
DELETE; the chain is what tells when someone with the database's owner rights went around them
(dropped a trigger, deleted rows on SQLite, inserted a row by hand). What it cannot tell on its
own is the removal of the newest events: keep the head hash that ``audit_verify`` prints (in
the operations log, a ticket, a signed mail) and give it back with ``--head``.

**Appending is serialised** (:func:`seal`, called by ``AuditEvent.save`` inside the action's
transaction), so two concurrent actions never chain to the same event:

* PostgreSQL: a transaction-level advisory lock (``pg_advisory_xact_lock``), held until the
  action's transaction ends, is taken before the last event is read. Locking the last row
  (``SELECT … FOR UPDATE``) would not do: a transaction waiting for that row reads the same
  row again once it is free, and would chain to it a second time.
* SQLite: a database has one writer at a time. Writing transactions begin with ``BEGIN
  IMMEDIATE`` (``transaction_mode``), so the last event read is still the last when the
  transaction writes; without it, SQLite refuses the second writer ("database is locked")
  rather than letting it write from an old read.
* On both, ``previous_hash`` is unique: a fork is refused by the database itself.

Times are stored to the millisecond (what the test runner's serialised rollback keeps) and
never go backwards along the chain: an event sealed when the clock reads earlier than the
event before it takes that event's time.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connections
from django.utils import timezone

__all__ = [
    "GENESIS",
    "Break",
    "Verification",
    "event_hash",
    "seal",
    "verify",
]

#: ``previous_hash`` of the first event.
GENESIS = "0" * 64
#: The version of the hashed content; a new layout gets a new number, old rows keep theirs.
FORMAT = 1
#: The advisory lock that serialises appending on PostgreSQL ("lowcarbo" as a 64-bit key).
LOCK_KEY = 0x6C6F77636172626F
#: Times earlier than the event before by less than this are not called back-dated: events
#: chained by migration 0003 were timed before they were written and may cross by a little.
BACKDATED_TOLERANCE = timedelta(seconds=1)

_FIELDS = (
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


# --- the content of an event ------------------------------------------------------------------


def _number(value: int | float) -> int | float:
    """A JSON number as every database gives it back: PostgreSQL's ``jsonb`` keeps numbers as
    decimals (``1e20`` comes back as ``100000000000000000000``, ``1.0`` may come back as
    ``1``), so a number is hashed as the integer it equals, or else as its float."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        return value
    if exact == exact.to_integral_value():
        return int(exact)
    return float(exact)


def _json(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _stored_json(value: Any) -> Any:
    # As the JSON field stores it: through json.dumps (tuples become lists, keys strings).
    return None if value is None else _json(json.loads(json.dumps(value)))


def _time(value: datetime) -> str:
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _address(value: str | None) -> str | None:
    # Databases spell addresses differently (PostgreSQL's inet writes ::ffff:1.2.3.4); the
    # packed bytes are the same.
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).packed.hex()
    except ValueError:
        return str(value)


def canonical_content(event: Any, previous_hash: str) -> str:
    """The text that is hashed: the event's fields as they read back from either database, and
    the hash of the event before it, as compact JSON with sorted keys."""
    content = {
        "format": FORMAT,
        "previous_hash": previous_hash,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": str(event.object_id),
        "before": _stored_json(event.before),
        "after": _stored_json(event.after),
        "reason": event.reason,
        "created_at": _time(event.created_at),
        "ip_address": _address(event.ip_address),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: Any, previous_hash: str) -> str:
    """SHA-256 (hex) of :func:`canonical_content`."""
    return hashlib.sha256(canonical_content(event, previous_hash).encode("utf-8")).hexdigest()


def to_millisecond(value: datetime) -> datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


# --- appending ----------------------------------------------------------------------------------


def seal(event: Any, using: str) -> None:
    """Chain a new ``event`` to the last one of database ``using``: its time,
    ``previous_hash`` and ``hash``. Runs inside the caller's transaction, which must then insert
    the event (see the module on how appending is serialised)."""
    model = type(event)
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    last = model.objects.using(using).order_by("-id").only("hash", "created_at").first()
    now = to_millisecond(timezone.now())
    if last is not None and now < last.created_at:
        now = last.created_at  # the clock went back: time never runs backwards in the log
    event.created_at = now
    event.previous_hash = last.hash if last is not None else GENESIS
    event.hash = event_hash(event, event.previous_hash)


# --- verifying ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first broken link: the event where the chain stops holding, what is wrong there
    and the particulars. ``kinds``: ``altered`` (its content is not what was hashed),
    ``inserted`` (neither its hash nor its link holds: not written by the platform),
    ``deleted`` (its link points to an event no longer there), ``reordered`` (its link points
    to an event elsewhere in the log), ``backdated`` (earlier than the event before it)."""

    event_id: int
    created_at: datetime
    action: str
    kinds: tuple[str, ...]
    previous_id: int | None  # the event before it now
    linked_id: int | None  # the event it was chained to, when that one is elsewhere
    missing: tuple[int, int] | None  # ids missing between the event before and this one
    previous_time: datetime | None


@dataclass(frozen=True)
class Verification:
    count: int  # events checked (up to and with the break)
    first: tuple[int, datetime] | None
    last: tuple[int, datetime] | None
    head: str  # the hash of the last event checked
    broken: Break | None
    head_found: bool | None  # whether the recorded head asked for is in the chain (None: none)

    @property
    def intact(self) -> bool:
        return self.broken is None and self.head_found is not False


def verify(events: Iterable[Any], *, find: Any = None, head: str | None = None) -> Verification:
    """Walk ``events`` in id order and stop at the first broken link.

    ``find(hash)`` returns the id of the event with that hash, or ``None`` (to tell a moved
    event from a deleted one). ``head``: a head hash recorded earlier, which must still be in
    the chain (a removal of the newest events shows only so)."""
    previous: Any = None
    count = 0
    first: tuple[int, datetime] | None = None
    head_found = None if head is None else False
    for event in events:
        count += 1
        if first is None:
            first = (event.pk, event.created_at)
        broken = _check(event, previous, find)
        if broken is not None:
            return Verification(
                count, first, (event.pk, event.created_at), event.hash, broken, head_found
            )
        if head is not None and event.hash == head:
            head_found = True
        previous = event
    last = None if previous is None else (previous.pk, previous.created_at)
    return Verification(
        count, first, last, GENESIS if previous is None else previous.hash, None, head_found
    )


def _check(event: Any, previous: Any, find: Any) -> Break | None:
    kinds: list[str] = []
    linked_id = None
    missing = None
    content_holds = event.hash == event_hash(event, event.previous_hash)
    expected = GENESIS if previous is None else previous.hash
    link_holds = event.previous_hash == expected
    if not content_holds and not link_holds:
        # Neither its own hash nor its link: a row the platform did not write.
        kinds.append("inserted")
    elif not content_holds:
        kinds.append("altered")
    elif not link_holds:
        found = find(event.previous_hash) if find is not None else None
        if found is not None and found != event.pk:
            kinds.append("reordered")
            linked_id = found
        else:
            kinds.append("deleted")
            low = 1 if previous is None else previous.pk + 1
            if low <= event.pk - 1:
                missing = (low, event.pk - 1)
    if previous is not None and event.created_at < previous.created_at - BACKDATED_TOLERANCE:
        kinds.insert(0, "backdated")
    if not kinds:
        return None
    return Break(
        event_id=event.pk,
        created_at=event.created_at,
        action=event.action,
        kinds=tuple(kinds),
        previous_id=None if previous is None else previous.pk,
        linked_id=linked_id,
        missing=missing,
        previous_time=None if previous is None else previous.created_at,
    )
