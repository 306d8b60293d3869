"""The polling pass as queued tasks (`[queue] broker`): what each task does, and the pass that waits for them.

    run_queued_pass:  due feeds -> poll tasks (recorded with the run, then published)
                      -> wait until every task of the run is done (resending the stale ones)
                      -> changes, alerts -> RunSummary (the counts the tasks stored)
    poll_feed:        fetch (per-host gate) -> parse -> new entries
                      -> one transaction: feed state, page tasks, task done -> publish the page tasks
    store_page:       fetch (per-host gate) -> prepare (extract, dedup keys, mentions, claims)
                      -> one transaction: dedup, store, seen entry, task done (jobs.ingest_page)

The database is the truth and the broker only carries task ids (a
transactional outbox, store/tasks.py): work is recorded in the transaction
that causes it and published after commit; a task finished in the
transaction that does its work is a no-op when delivered again, so a worker
killed at any point loses nothing and stores nothing twice. The engine
(Dramatiq on RabbitMQ) lives in broker.py; this module never imports it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from pipeline import alert_job, jobs, polling
from pipeline.entries import key_entries, new_entries
from pipeline.errors import FeedError, FetchError, QueueError
from pipeline.feeds import parse_feed
from pipeline.jobs import PassCounts, Resources
from pipeline.prepare import PageJob, prepare_page
from pipeline.records import Entry, FeedSpec, FetchResult, RunSummary
from pipeline.store import queries
from pipeline.store import tasks as task_store
from pipeline.store.db import transaction
from pipeline.urls import canonical_url

log = logging.getLogger(__name__)

POLL, PAGE = "poll", "page"
KEEP_FINISHED = timedelta(days=1)   # finished tasks kept this long (for a look at a recent pass), then deleted
_DATABASE_DOWN = (OperationalError, InterfaceError)


class Publisher(Protocol):
    """Hands task ids to the broker (broker.QueueBroker)."""

    def send(self, tasks: Sequence[tuple[int, str]]) -> None:
        """Publish (task id, kind) pairs; raises when the broker did not take them."""


@dataclass(frozen=True)
class QueuedPass:
    """A pass handed to the workers: its run and how many feeds it polls."""

    run_id: int
    feeds: int
    skipped: int


def publish(res: Resources, publisher: Publisher, tasks: Sequence[tuple[int, str]]) -> None:
    """Publish recorded tasks, then note that they were sent (after commit: never work the database lacks)."""
    if not tasks:
        return
    try:
        publisher.send(tasks)
    except QueueError as exc:
        # Recorded, so not lost: the waiting `run` sends them again after resend_after_s.
        log.warning("%s; they are sent again later", exc)
        return
    with transaction(res.sessions) as session:
        task_store.mark_sent(session, [task_id for task_id, _ in tasks], res.clock())


def resend_stale(res: Resources, publisher: Publisher, run_id: int | None = None) -> int:
    """Send again the unfinished tasks sent (or recorded) longer than `resend_after_s` ago; returns how many."""
    cutoff = res.clock() - timedelta(seconds=res.settings.queue.resend_after_s)
    with transaction(res.sessions) as session:
        stale = task_store.tasks_to_send(session, cutoff, run_id)
    if stale:
        log.warning("sending %d unfinished task(s) again (lost, purged or slow)", len(stale))
        publish(res, publisher, stale)
    return len(stale)


def enqueue_pass(res: Resources, publisher: Publisher, *, feed_names: Sequence[str] = (),
                 all_feeds: bool = False) -> QueuedPass:
    """Record a run and a poll task per due feed in one transaction, then publish them."""
    now = res.clock()
    with transaction(res.sessions) as session:
        run_id = queries.start_run(session, "run", now)
        states = queries.sync_feeds(session, res.settings.feeds)
        due = jobs.due_feeds(res.settings.feeds, states, now, feed_names=feed_names, all_feeds=all_feeds)
        ids = task_store.add_tasks(session, run_id, POLL, {spec.name: {"feed": spec.name} for spec in due}, now)
    publish(res, publisher, [(task_id, POLL) for task_id in ids])
    skipped = len(res.settings.feeds) - len(due) if not feed_names else 0
    return QueuedPass(run_id=run_id, feeds=len(due), skipped=skipped)


def wait_for_pass(res: Resources, publisher: Publisher, queued: QueuedPass, *, poll_s: float = 0.2,
                  sleep: Callable[[float], None] = time.sleep, metrics: QueueGauge | None = None) -> RunSummary:
    """Wait until every task of the pass is done, then changes, alerts and the run's record; its summary."""
    left, moved_at = -1, time.monotonic()
    while True:
        with transaction(res.sessions) as session:
            unfinished = task_store.unfinished_count(session, queued.run_id)
            if metrics is not None:
                metrics.set_queued(task_store.unfinished_by_kind(session))
        if unfinished == 0:
            break
        if unfinished != left:
            _progress(res, f"{unfinished} task(s) left")
            left, moved_at = unfinished, time.monotonic()
        elif time.monotonic() - moved_at > res.settings.queue.resend_after_s:
            # Waiting is right (nothing is lost), but say why the pass does not end.
            log.warning("run %d: %d task(s) have not moved for %.0f s; is a `newswatch worker` running for "
                        "[queue] name %r?", queued.run_id, unfinished, time.monotonic() - moved_at,
                        res.settings.queue.name)
            moved_at = time.monotonic()
        resend_stale(res, publisher, queued.run_id)
        sleep(poll_s)
    counts = PassCounts(feeds_skipped=queued.skipped)
    with transaction(res.sessions) as session:
        for result in task_store.run_results(session, queued.run_id):
            counts.add(PassCounts.from_json(result))
    counts.changes = jobs.update_changes(res)
    summary = counts.summary()
    with transaction(res.sessions) as session:
        queries.finish_run(session, queued.run_id, "ok" if not (queued.feeds and counts.feeds_ok == 0) else "failed",
                           dict(vars(summary)), res.clock())
        task_store.prune_finished(session, res.clock() - KEEP_FINISHED)
    return summary


class QueueGauge(Protocol):
    """Where the waiting pass reports the queued work (metrics.Metrics)."""

    def set_queued(self, by_kind: Mapping[str, int]) -> None:
        """The outbox's unfinished tasks by kind."""


def run_queued_pass(res: Resources, publisher: Publisher, *, feed_names: Sequence[str] = (),
                    all_feeds: bool = False, metrics: QueueGauge | None = None) -> RunSummary:
    """`serve` with a broker: under the "run" lock, import the archive once, enqueue, wait, then alerts."""
    from pipeline import locks

    with locks.hold(locks.engine_of(res.sessions), "run"):
        jobs.import_archive(res)
        known = alert_job.known_changes(res)
        resend_stale(res, publisher)        # anything an earlier pass left behind
        queued = enqueue_pass(res, publisher, feed_names=feed_names, all_feeds=all_feeds)
        summary = wait_for_pass(res, publisher, queued, metrics=metrics)
        alert_job.after_pass(res, known)
        return summary


def _progress(res: Resources, message: str) -> None:
    """A progress line on a terminal."""
    if res.progress is not None:
        res.progress(message)


# --- the tasks -----------------------------------------------------------------------


def poll_feed(res: Resources, publisher: Publisher, task_id: int) -> None:
    """The poll task: fetch and parse a feed, record its new entries as page tasks, publish them."""
    try:
        _poll_feed(res, publisher, task_id)
    except _DATABASE_DOWN:
        raise                 # not the feed's fault (checklist D12): the broker delivers it again later
    except Exception as exc:  # one broken feed never stops the pass
        log.exception("poll task %d failed", task_id)
        _finish_failed(res, task_id, f"internal error: {type(exc).__name__}: {exc}", feed_failed=True)


def _poll_feed(res: Resources, publisher: Publisher, task_id: int) -> None:
    with transaction(res.sessions) as session:
        task = task_store.task_record(session, task_id)
    if task is None or task.done:
        return
    spec = next((feed for feed in res.settings.feeds if feed.name == task.payload.get("feed")), None)
    if spec is None:
        _finish_failed(res, task_id, f"feed {task.payload.get('feed')!r} is not in this worker's config",
                       feed_failed=True)
        return
    now = res.clock()
    with transaction(res.sessions) as session:
        state = queries.sync_feeds(session, [spec])[spec.name]
    refresh = timedelta(hours=res.settings.fetch.refresh_unconditional_hours)
    outcome = jobs.fetch_or_error(res, spec.url, polling.validators_for(state, now, refresh))
    parsed: list[Entry] | FeedError | None = None
    if isinstance(outcome, FetchResult) and not polling.is_unchanged(outcome, state):
        try:
            parsed = parse_feed(outcome.body, feed_name=spec.name, feed_url=outcome.url,
                                content_type=outcome.content_type,
                                max_entries=res.settings.fetch.max_entries_per_feed)
        except FeedError as exc:
            parsed = exc
    pages: list[int] = []
    with transaction(res.sessions) as session:
        claimed = task_store.claim_task(session, task_id)
        if claimed is None or claimed.done:
            return
        counts = PassCounts()
        if isinstance(outcome, FetchError):
            jobs.save_feed_failure(session, res, spec, outcome.reason, counts, outcome)
        elif isinstance(parsed, FeedError):
            jobs.save_feed_failure(session, res, spec, parsed.reason, counts)
        else:
            if outcome.permanent_redirect:
                log.warning("feed %s moved permanently to %s; update its url in %s",
                            spec.name, outcome.permanent_redirect, res.settings.source)
            if parsed is not None:
                pages = _record_pages(session, res, spec, claimed.run_id, parsed, counts)
            jobs.save_feed_success(session, res, spec, outcome)
            counts.feeds_ok += 1
        task_store.finish_task(session, task_id, counts.as_json(), res.clock())
    publish(res, publisher, [(page, PAGE) for page in pages])


def _record_pages(session: Session, res: Resources, spec: FeedSpec, run_id: int,
                  entries: list[Entry], counts: PassCounts) -> list[int]:
    """The feed's new entries as page tasks of the run (a URL another feed of the run took is left out)."""
    counts.entries += len(entries)
    for _ in range(sum(1 for entry in entries if not entry.link)):
        counts.error("entry without a link")   # nothing to fetch (checklist F15)
    keyed = key_entries(entries)
    urls = {link: canonical_url(link) for link, _ in keyed.values()}
    seen = queries.seen_entry_keys(session, spec.name, keyed)
    known = queries.known_urls(session, urls.values())
    new = new_entries(keyed, urls, seen, known)
    now = res.clock()
    work = {item.url: {"feed": spec.name, "entry_key": item.key, "link": item.link,
                       "title": item.entry.title, "now": now.isoformat(),
                       "published_at": item.entry.published_at.isoformat() if item.entry.published_at else None}
            for item in new}
    return task_store.add_tasks(session, run_id, PAGE, work, now)


def store_page(res: Resources, task_id: int) -> None:
    """The page task: fetch and prepare a page, then store it and finish the task in one transaction."""
    with transaction(res.sessions) as session:
        task = task_store.task_record(session, task_id)
    if task is None or task.done:
        return
    payload = task.payload
    feed, entry_key, link = str(payload["feed"]), str(payload["entry_key"]), str(payload["link"])
    try:
        page = jobs.fetch_or_error(res, link, None)
        published = payload.get("published_at")
        outcome = page if isinstance(page, FetchError) else prepare_page(PageJob(
            body=page.body, url=page.url, entry_title=str(payload.get("title") or ""),
            entry_published_at=datetime.fromisoformat(published) if isinstance(published, str) else None,
            source=feed, now=datetime.fromisoformat(str(payload["now"])), topics=res.settings.topics))
        jobs.ingest_page(res, feed, entry_key, link, outcome, task_id=task_id)
    except _DATABASE_DOWN:
        raise                 # not the page's fault: the broker delivers it again later
    except Exception as exc:  # one broken page never stops the pass (checklist H9)
        log.exception("article %s failed", link)
        counts = PassCounts()
        counts.error(f"internal error: {type(exc).__name__}")
        with transaction(res.sessions) as session:
            claimed = task_store.claim_task(session, task_id)
            if claimed is None or claimed.done:
                return
            queries.record_seen(session, feed, entry_key, url=canonical_url(link), outcome="failed",
                                now=res.clock(), error=f"{type(exc).__name__}: {exc}")
            task_store.finish_task(session, task_id, counts.as_json(), res.clock())


def _finish_failed(res: Resources, task_id: int, reason: str, *, feed_failed: bool) -> None:
    """Finish a poll task that failed for a reason of its own; its feed's state records it when configured."""
    counts = PassCounts()
    with transaction(res.sessions) as session:
        claimed = task_store.claim_task(session, task_id)
        if claimed is None or claimed.done:
            return
        spec = next((feed for feed in res.settings.feeds if feed.name == claimed.payload.get("feed")), None)
        if spec is not None and feed_failed:
            jobs.save_feed_failure(session, res, spec, reason, counts)
        else:
            counts.feeds_failed += int(feed_failed)
            counts.error(reason)
            log.error("task %d: %s", task_id, reason)
        task_store.finish_task(session, task_id, counts.as_json(), res.clock())


def task_handlers(res: Resources, publisher: Publisher) -> dict[str, Callable[[int], None]]:
    """What each kind of task runs in a worker (poll tasks publish the page tasks they record)."""
    return {POLL: lambda task_id: poll_feed(res, publisher, task_id),
            PAGE: lambda task_id: store_page(res, task_id)}
