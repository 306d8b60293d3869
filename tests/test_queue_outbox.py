"""The outbox and the tasks without a broker: recorded work is published after commit, resent when
stale, and a task delivered twice (or its pages in any order) changes nothing."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import timedelta

from sqlalchemy import func, select

from pipeline import jobs, queued
from pipeline.demo.server import LoopbackSite
from pipeline.errors import QueueError
from pipeline.records import FeedSpec
from pipeline.store.db import transaction
from pipeline.store.models import ArticleRow, FeedRow, TaskRow
from tests.conftest import FixedClock, MakeResources
from tests.synthetic_site import site_files


class Recorder:
    """A publisher that keeps what it is given (the test plays the workers), or refuses it."""

    def __init__(self, *, refuse: bool = False) -> None:
        self.sent: list[tuple[int, str]] = []
        self.refuse = refuse

    def send(self, tasks: Sequence[tuple[int, str]]) -> None:
        if self.refuse:
            raise QueueError("the broker is down")
        self.sent.extend(tasks)


def _count(res: jobs.Resources, model: type[ArticleRow] | type[TaskRow]) -> int:
    with transaction(res.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _drain(res: jobs.Resources, publisher: Recorder, order: Callable[[list[tuple[int, str]]], None]) -> None:
    """Run every published task, each twice (a redelivery), in the order `order` leaves them."""
    while publisher.sent:
        batch, publisher.sent = publisher.sent * 2, []
        order(batch)
        for task_id, kind in batch:
            if kind == queued.POLL:
                queued.poll_feed(res, publisher, task_id)
            else:
                queued.store_page(res, task_id)


def test_tasks_delivered_twice_in_any_order_give_the_one_process_result(
        make_resources: MakeResources, site_factory: Callable[[dict[str, bytes]], LoopbackSite]) -> None:
    site = site_factory(site_files(12, copies=3))
    feeds = [FeedSpec(name="gen", url=f"{site.base_url}/feed.xml")]
    single = jobs.run_pass(make_resources(feeds), all_feeds=True)
    articles_before = _count(make_resources(feeds), ArticleRow)

    # The same feed again under another name, through the tasks: everything is already stored.
    res = make_resources([FeedSpec(name="again", url=f"{site.base_url}/feed.xml")])
    publisher = Recorder()
    handed = queued.enqueue_pass(res, publisher, all_feeds=True)
    _drain(res, publisher, random.Random(3).shuffle)
    summary = queued.wait_for_pass(res, publisher, handed, sleep=lambda _: None)
    assert _count(res, ArticleRow) == articles_before
    assert summary.feeds_ok == 1 and summary.entries == single.entries
    assert summary.new_articles == 0


def test_a_fresh_database_through_tasks_counts_what_run_pass_counts(
        make_resources: MakeResources, site_factory: Callable[[dict[str, bytes]], LoopbackSite],
        clock: FixedClock) -> None:
    site = site_factory(site_files(12, copies=3))
    feeds = [FeedSpec(name="gen", url=f"{site.base_url}/feed.xml")]
    res = make_resources(feeds)
    publisher = Recorder()
    handed = queued.enqueue_pass(res, publisher, all_feeds=True)
    assert [kind for _, kind in publisher.sent] == ["poll"]
    _drain(res, publisher, lambda batch: batch.reverse())    # pages stored last first
    summary = queued.wait_for_pass(res, publisher, handed, sleep=lambda _: None)
    assert (summary.feeds_ok, summary.entries, summary.new_articles, summary.duplicates) == (1, 15, 12, 3)
    assert _count(res, ArticleRow) == 15
    with transaction(res.sessions) as session:
        assert session.scalar(select(FeedRow.consecutive_errors).where(FeedRow.name == "gen")) == 0
        assert session.scalar(select(func.count()).select_from(TaskRow).where(TaskRow.done_at.is_(None))) == 0


def test_work_the_broker_refused_stays_recorded_and_is_sent_again_once_stale(
        make_resources: MakeResources, clock: FixedClock) -> None:
    res = make_resources([FeedSpec(name="a", url="http://127.0.0.1:9/a.xml"),
                          FeedSpec(name="b", url="http://127.0.0.1:9/b.xml")])
    queued.enqueue_pass(res, Recorder(refuse=True), all_feeds=True)
    assert _count(res, TaskRow) == 2
    later = Recorder()
    assert queued.resend_stale(res, later) == 0          # not stale yet: perhaps still on its way
    clock.now += timedelta(seconds=res.settings.queue.resend_after_s + 1)
    assert queued.resend_stale(res, later) == 2
    assert sorted(kind for _, kind in later.sent) == ["poll", "poll"]
    assert queued.resend_stale(res, later) == 0          # just sent: not again until stale once more


def test_finished_tasks_are_forgotten_a_day_after_their_pass(
        make_resources: MakeResources, site_factory: Callable[[dict[str, bytes]], LoopbackSite],
        clock: FixedClock) -> None:
    site = site_factory(site_files(3, copies=0))
    res = make_resources([FeedSpec(name="gen", url=f"{site.base_url}/feed.xml")])
    publisher = Recorder()
    first = queued.enqueue_pass(res, publisher, all_feeds=True)
    _drain(res, publisher, lambda batch: None)
    queued.wait_for_pass(res, publisher, first, sleep=lambda _: None)
    assert _count(res, TaskRow) == 4                      # kept for a day: the poll and its 3 pages
    clock.now += queued.KEEP_FINISHED + timedelta(minutes=1)
    second = queued.enqueue_pass(res, publisher, all_feeds=True)
    _drain(res, publisher, lambda batch: None)
    queued.wait_for_pass(res, publisher, second, sleep=lambda _: None)
    assert _count(res, TaskRow) == 1                      # the second pass's poll (304: no pages)
