"""Reads and writes for the daily digest over a Session: its outbox row and its content.

Callers own the transactions (see pipeline/digest_job.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from pipeline.records import FeedState
from pipeline.store.models import ArticleRow, ChangeRow, DigestRow, FeedRow, MentionRow
from pipeline.store.queries import aware, feed_state_of

SENT = "sent"
PENDING = "pending"
SKIPPED = "skipped"    # nothing to send that day (and `send_empty` off)


def digest_row(session: Session, digest_on: date) -> DigestRow | None:
    """The digest recorded for a date, if any."""
    return session.scalar(select(DigestRow).where(DigestRow.digest_on == digest_on))


def last_sent_end(session: Session, before: date) -> datetime | None:
    """Where the last digest sent for an earlier date stopped (None: never sent one)."""
    end = session.scalar(select(DigestRow.window_end).where(DigestRow.status == SENT,
                                                            DigestRow.digest_on < before)
                         .order_by(DigestRow.window_end.desc()).limit(1))
    return aware(end) if end is not None else None


def _within(column: InstrumentedAttribute[datetime], start: datetime | None,
            end: datetime) -> list[ColumnElement[bool]]:
    """Conditions for `column` in (start, end]; no lower bound when start is None."""
    return [column <= end] + ([column > start] if start is not None else [])


def new_articles(session: Session, start: datetime | None, end: datetime) -> list[ArticleRow]:
    """Articles fetched in (start, end], the archive and copies excepted, oldest first."""
    query = (select(ArticleRow).where(ArticleRow.is_archive.is_(False), ArticleRow.duplicate_of_id.is_(None),
                                      *_within(ArticleRow.fetched_at, start, end))
             .order_by(ArticleRow.fetched_at, ArticleRow.id))
    return list(session.scalars(query))


def mentioning_ids(session: Session, article_ids: list[int]) -> set[int]:
    """Which of these articles mention a topic."""
    if not article_ids:
        return set()
    return set(session.scalars(select(MentionRow.article_id).where(MentionRow.article_id.in_(article_ids))))


def new_changes(session: Session, start: datetime | None, end: datetime) -> list[ChangeRow]:
    """Changes detected in (start, end] that involve at least one article not from the archive."""
    previous, current = aliased(ArticleRow), aliased(ArticleRow)
    query = (select(ChangeRow)
             .join(previous, previous.id == ChangeRow.previous_article_id)
             .join(current, current.id == ChangeRow.current_article_id)
             .where(*_within(ChangeRow.detected_at, start, end),
                    ~(previous.is_archive.is_(True) & current.is_archive.is_(True)))
             .order_by(ChangeRow.current_published_on, ChangeRow.id))
    return list(session.scalars(query))


def failing_feeds(session: Session, names: list[str]) -> list[FeedState]:
    """The configured feeds that are failing or disabled, worst first."""
    if not names:
        return []
    rows = session.scalars(select(FeedRow).where(FeedRow.name.in_(names)).where(
        (FeedRow.consecutive_errors > 0) | FeedRow.disabled_reason.is_not(None)))
    states = [feed_state_of(row) for row in rows]
    return sorted(states, key=lambda f: (f.disabled_reason is None, -f.consecutive_errors, f.name))


def record_pending(session: Session, digest_on: date, *, window: tuple[datetime | None, datetime],
                   now: datetime, message_id: str, subject: str) -> DigestRow:
    """Record (or refresh) the digest before it is sent; a sent row keeps its status (a --force resend)."""
    row = digest_row(session, digest_on)
    if row is None:
        row = DigestRow(digest_on=digest_on, status=PENDING, created_at=now, message_id=message_id,
                        attempts=0, window_end=window[1])
        session.add(row)
    elif row.status != SENT:
        row.status = PENDING
    row.window_start, row.window_end, row.subject = window[0], window[1], subject
    row.message_id = message_id
    row.attempts += 1
    session.flush()
    return row


def record_skipped(session: Session, digest_on: date, *, window: tuple[datetime | None, datetime],
                   now: datetime) -> None:
    """Note that there was nothing to send for this date (a sent or pending row is left alone)."""
    row = digest_row(session, digest_on)
    if row is None:
        session.add(DigestRow(digest_on=digest_on, status=SKIPPED, window_start=window[0],
                              window_end=window[1], created_at=now, message_id="", subject="",
                              attempts=0))
    elif row.status == SKIPPED:
        row.window_start, row.window_end = window


def record_failure(session: Session, digest_on: date, error: str) -> None:
    """Keep the reason the last attempt failed; the row stays as it was (pending)."""
    row = digest_row(session, digest_on)
    if row is not None:
        row.last_error = error


def mark_sent(session: Session, digest_on: date, now: datetime) -> None:
    """The server accepted the digest."""
    row = digest_row(session, digest_on)
    if row is None:
        raise LookupError(f"no digest recorded for {digest_on}")
    row.status, row.sent_at, row.last_error = SENT, now, None
