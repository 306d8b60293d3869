"""The webhook outbox over a Session: deliveries recorded before they are sent. Callers own the transactions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline.store.models import AlertDeliveryRow, ArticleRow, ChangeRow
from pipeline.store.queries import clean_text

PENDING = "pending"
SENT = "sent"

ChangeIdentity = tuple[str, str, str, str, int]   # topic, subject, kind, milestone, current article id


@dataclass(frozen=True)
class StoredChange:
    """A stored change's JSON, with whether its newer article is from the archive."""

    identity: ChangeIdentity
    payload: dict[str, object]
    from_archive: bool


@dataclass(frozen=True)
class Delivery:
    """One recorded POST of one change to one alert."""

    id: int
    delivery_id: str
    alert: str
    change_key: str
    event: str
    confirmed: bool
    url: str
    body: bytes
    change: dict[str, object]
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


def change_identities(session: Session) -> set[ChangeIdentity]:
    """What identifies each stored change (to tell the changes a pass found from those known before)."""
    rows = session.execute(select(ChangeRow.topic, ChangeRow.subject, ChangeRow.kind, ChangeRow.milestone,
                                  ChangeRow.current_article_id))
    return {(t, s, k, m, a) for t, s, k, m, a in rows}


def stored_changes(session: Session) -> list[StoredChange]:
    """Every stored change in report order, with whether its newer article is from the archive."""
    rows = session.execute(select(ChangeRow, ArticleRow.is_archive)
                           .join(ArticleRow, ChangeRow.current_article_id == ArticleRow.id)
                           .order_by(ChangeRow.current_published_on, ChangeRow.id))
    return [StoredChange((c.topic, c.subject, c.kind, c.milestone, c.current_article_id), dict(c.payload),
                         bool(archive)) for c, archive in rows]


@dataclass(frozen=True)
class NewDelivery:
    """A delivery to record."""

    delivery_id: str
    alert: str
    change_key: str
    event: str
    confirmed: bool
    url: str
    body: bytes
    change: Mapping[str, object]


def record_delivery(session: Session, new: NewDelivery, now: datetime) -> bool:
    """Record a delivery unless that alert, change and event already has one; True when recorded."""
    values = {"delivery_id": new.delivery_id, "alert": clean_text(new.alert)[:200], "change_key": new.change_key,
              "event": new.event, "confirmed": new.confirmed, "url": new.url, "body": new.body.decode("utf-8"),
              "change": dict(new.change), "status": PENDING, "attempts": 0, "created_at": now,
              "next_attempt_at": now}
    insert_of = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    result = session.execute(insert_of(AlertDeliveryRow).values(values).on_conflict_do_nothing(
        index_elements=["alert", "change_key", "event"]))
    return bool(getattr(result, "rowcount", 0))


def deliveries(session: Session, *, status: str | None = None, due_by: datetime | None = None) -> list[Delivery]:
    """Recorded deliveries, oldest first (of one status; due by a time)."""
    query = select(AlertDeliveryRow).order_by(AlertDeliveryRow.id)
    if status is not None:
        query = query.where(AlertDeliveryRow.status == status)
    if due_by is not None:
        query = query.where(AlertDeliveryRow.next_attempt_at <= due_by)
    return [_delivery(row) for row in session.scalars(query)]


def mark_sent(session: Session, delivery_id: int, now: datetime) -> None:
    """The receiver accepted it."""
    row = session.get_one(AlertDeliveryRow, delivery_id)
    row.status, row.sent_at, row.attempts, row.last_error = SENT, now, row.attempts + 1, None


def mark_failed(session: Session, delivery_id: int, error: str, retry_at: datetime) -> int:
    """An attempt failed: count it, say why, when to try again; returns the attempts so far."""
    row = session.get_one(AlertDeliveryRow, delivery_id)
    row.attempts += 1
    row.last_error, row.next_attempt_at = clean_text(error)[:1000], retry_at
    return row.attempts


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else value if value.tzinfo else value.replace(tzinfo=UTC)


def _delivery(row: AlertDeliveryRow) -> Delivery:
    created, due = _aware(row.created_at), _aware(row.next_attempt_at)
    assert created is not None and due is not None
    return Delivery(id=row.id, delivery_id=row.delivery_id, alert=row.alert, change_key=row.change_key,
                    event=row.event, confirmed=row.confirmed, url=row.url, body=row.body.encode("utf-8"),
                    change=dict(row.change), status=row.status, attempts=row.attempts, last_error=row.last_error,
                    created_at=created, next_attempt_at=due, sent_at=_aware(row.sent_at))
