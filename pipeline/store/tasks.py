"""The outbox of queued work (`[queue] broker`): reads and writes of the tasks table.

A task row is written in the transaction that causes the work, published to
the broker after commit, and finished (`done_at`, with its counts) in the
transaction that does the work, so a redelivered message finds it done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from pipeline.records import QueuedTask
from pipeline.store.models import TaskRow
from pipeline.store.queries import insert_ignoring_conflicts


def add_tasks(session: Session, run_id: int, kind: str, work: Mapping[str, Mapping[str, object]],
              now: datetime) -> list[int]:
    """Record tasks (key -> payload) of a run; a key the run already has is kept as it is. Returns the new ids."""
    if not work:
        return []
    before = set(session.scalars(select(TaskRow.id).where(TaskRow.run_id == run_id, TaskRow.kind == kind,
                                                          TaskRow.key.in_(list(work)))))
    rows: list[dict[str, object]] = [{"run_id": run_id, "kind": kind, "key": key, "payload": dict(payload),
                                      "created_at": now, "sends": 0} for key, payload in work.items()]
    session.execute(insert_ignoring_conflicts(session, TaskRow, rows, ["run_id", "kind", "key"]))
    after = session.scalars(select(TaskRow.id).where(TaskRow.run_id == run_id, TaskRow.kind == kind,
                                                     TaskRow.key.in_(list(work))))
    return sorted(set(after) - before)


def claim_task(session: Session, task_id: int) -> QueuedTask | None:
    """The task, its row locked until the transaction ends (a second delivery waits, then finds it done)."""
    row = session.scalars(select(TaskRow).where(TaskRow.id == task_id).with_for_update()).one_or_none()
    if row is None:
        return None
    return QueuedTask(id=row.id, run_id=row.run_id, kind=row.kind, key=row.key, payload=dict(row.payload),
                      done=row.done_at is not None)


def task_record(session: Session, task_id: int) -> QueuedTask | None:
    """The task without a lock (to read its payload before the work's transaction)."""
    row = session.get(TaskRow, task_id)
    if row is None:
        return None
    return QueuedTask(id=row.id, run_id=row.run_id, kind=row.kind, key=row.key, payload=dict(row.payload),
                      done=row.done_at is not None)


def finish_task(session: Session, task_id: int, result: Mapping[str, object], now: datetime) -> None:
    """Mark a task done with its counts (in the transaction that did its work)."""
    session.execute(update(TaskRow).where(TaskRow.id == task_id).values(done_at=now, result=dict(result)))


def mark_sent(session: Session, task_ids: Sequence[int], now: datetime) -> None:
    """Record that tasks were handed to the broker (once more)."""
    if task_ids:
        session.execute(update(TaskRow).where(TaskRow.id.in_(list(task_ids)))
                        .values(sent_at=now, sends=TaskRow.sends + 1))


def tasks_to_send(session: Session, sent_before: datetime, run_id: int | None = None) -> list[tuple[int, str]]:
    """Unfinished tasks last sent, or recorded and never sent, before `sent_before` (lost between commit and
    publish, or purged): (id, kind), oldest first."""
    query = select(TaskRow.id, TaskRow.kind).where(
        TaskRow.done_at.is_(None), func.coalesce(TaskRow.sent_at, TaskRow.created_at) < sent_before)
    if run_id is not None:
        query = query.where(TaskRow.run_id == run_id)
    return [(task_id, kind) for task_id, kind in session.execute(query.order_by(TaskRow.id))]


def unfinished_count(session: Session, run_id: int | None = None) -> int:
    """Tasks not done yet (of one run, or all): the queued work."""
    query = select(func.count()).select_from(TaskRow).where(TaskRow.done_at.is_(None))
    if run_id is not None:
        query = query.where(TaskRow.run_id == run_id)
    return int(session.scalar(query) or 0)


def unfinished_by_kind(session: Session) -> dict[str, int]:
    """Queued work by kind (poll, page), for `feeds` and the metrics."""
    rows = session.execute(select(TaskRow.kind, func.count()).where(TaskRow.done_at.is_(None))
                           .group_by(TaskRow.kind))
    return {kind: int(count) for kind, count in rows}


def run_results(session: Session, run_id: int) -> list[dict[str, object]]:
    """The counts of a run's finished tasks."""
    return [dict(result) for result in session.scalars(
        select(TaskRow.result).where(TaskRow.run_id == run_id, TaskRow.result.is_not(None)).order_by(TaskRow.id))
        if result is not None]


def unfinished_by_feed(session: Session) -> dict[str, int]:
    """Queued work by feed: its poll and its pages not done yet."""
    counts: dict[str, int] = {}
    for payload in session.scalars(select(TaskRow.payload).where(TaskRow.done_at.is_(None))):
        feed = str(payload.get("feed", ""))
        counts[feed] = counts.get(feed, 0) + 1
    return counts


def prune_finished(session: Session, before: datetime) -> int:
    """Forget tasks finished before `before` (their counts are in their run's record); returns how many."""
    result = session.execute(delete(TaskRow).where(TaskRow.done_at.is_not(None), TaskRow.done_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
