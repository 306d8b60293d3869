"""The polling pass end to end, against real loopback HTTP servers and real databases."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import delete, func, select
from werkzeug import Request, Response

from pipeline import jobs, prepare
from pipeline.demo import site_files
from pipeline.demo.server import LoopbackSite
from pipeline.records import FeedSpec
from pipeline.store.db import transaction
from pipeline.store.models import ArticleRow, ClaimRow, DedupBandRow, FeedRow, MentionRow, SeenEntryRow
from tests.conftest import FixedClock, MakeResources


@pytest.fixture
def demo_site(site_factory: Callable[[dict[str, bytes]], LoopbackSite]) -> LoopbackSite:
    return site_factory(site_files())


def _count(res: jobs.Resources, model: type) -> int:
    with transaction(res.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_full_pass_stores_the_expected_articles_and_mentions(
        demo_site: LoopbackSite, make_resources: MakeResources) -> None:
    res = make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")])
    jobs.import_archive(res)
    summary = jobs.run_pass(res)
    assert (summary.feeds_ok, summary.feeds_failed, summary.entries) == (1, 0, 5)
    assert summary.new_articles == 3          # S-400 report, summit report, monsoon
    assert summary.duplicates == 1            # the wire copy of archive 003
    assert summary.mentions == 2
    assert summary.errors == {"no text": 1}   # the photo gallery
    with transaction(res.sessions) as session:
        new = {a.url.rsplit("/", 1)[-1]: a for a in session.scalars(
            select(ArticleRow).where(ArticleRow.is_archive.is_(False)))}
        topics = {(a, t) for a, t in session.execute(
            select(ArticleRow.url, MentionRow.topic).join(MentionRow, MentionRow.article_id == ArticleRow.id)
            .where(ArticleRow.is_archive.is_(False)))}
        copy = new["wire-spares.html"]
        original = session.get(ArticleRow, copy.duplicate_of_id)
    assert set(new) == {"s400-schedule-2028.html", "summit-preparations.html", "monsoon.html",
                        "wire-spares.html"}
    # tracking parameters are not part of the identity
    assert new["s400-schedule-2028.html"].url == f"{demo_site.base_url}/articles/s400-schedule-2028.html"
    assert str(new["s400-schedule-2028.html"].published_on) == "2026-03-10"
    assert {t for u, t in topics if u.endswith("s400-schedule-2028.html")} == {"s400"}
    assert {t for u, t in topics if u.endswith("summit-preparations.html")} == {"summit"}
    assert not any(u.endswith(("monsoon.html", "wire-spares.html")) for u, _ in topics)
    assert original is not None and original.url == "archive:003_1258bb85c02ed7f1.txt"


def test_second_pass_adds_nothing_and_honours_304(demo_site: LoopbackSite,
                                                 make_resources: MakeResources) -> None:
    res = make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml")])
    jobs.run_pass(res)
    counts = {m: _count(res, m) for m in (ArticleRow, MentionRow, ClaimRow, SeenEntryRow)}
    demo_site.requests.clear()
    summary = jobs.run_pass(res, all_feeds=True)
    assert (summary.feeds_ok, summary.new_articles, summary.duplicates, summary.mentions) == (1, 0, 0, 0)
    assert demo_site.requests == ["/defence.xml"]          # one request, answered 304, no page fetched
    assert {m: _count(res, m) for m in counts} == counts
    with transaction(res.sessions) as session:
        feed = session.scalars(select(FeedRow)).one()
    assert feed.last_status == 304 and feed.etag


def test_unchanged_body_without_validators_is_not_parsed_again(
        httpserver: HTTPServer, demo_site: LoopbackSite, make_resources: MakeResources) -> None:
    feed = demo_site.body("/defence.xml")
    assert feed is not None
    httpserver.expect_request("/plain.xml").respond_with_data(feed, content_type="application/rss+xml")
    res = make_resources([FeedSpec("plain", httpserver.url_for("/plain.xml"))])
    first = jobs.run_pass(res)
    second = jobs.run_pass(res, all_feeds=True)
    assert first.entries == 5
    assert (second.feeds_ok, second.entries) == (1, 0)    # same bytes: skipped before parsing


def _stale_forever(feed: bytes, seen: list[dict[str, str]]) -> Callable[[Request], Response]:
    """A server that answers 304 to any validator, however stale (the body changes behind it)."""
    def respond(request: Request) -> Response:
        seen.append({k: v for k, v in request.headers.items() if k in ("If-None-Match", "If-Modified-Since")})
        if request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since"):
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(feed, content_type="application/rss+xml",
                        headers={"ETag": '"v1"', "Last-Modified": "Tue, 10 Mar 2026 06:00:00 GMT"})
    return respond


@pytest.mark.parametrize(("hours", "later", "conditional"), [
    (24, timedelta(hours=23), True), (24, timedelta(hours=24), False), (0, timedelta(days=30), True)])
def test_a_feed_is_refetched_without_validators_every_refresh_period(
        httpserver: HTTPServer, demo_site: LoopbackSite, make_resources: MakeResources, clock: FixedClock,
        hours: int, later: timedelta, conditional: bool) -> None:
    feed = demo_site.body("/defence.xml")
    assert feed is not None
    seen: list[dict[str, str]] = []
    httpserver.expect_request("/stale.xml").respond_with_handler(_stale_forever(feed, seen))
    res = make_resources([FeedSpec("stale", httpserver.url_for("/stale.xml"))], refresh_unconditional_hours=hours)
    start = clock.now
    jobs.run_pass(res)                                     # no validators yet: 200
    clock.now = start + timedelta(hours=1)
    jobs.run_pass(res, all_feeds=True)                     # conditional: 304
    clock.now = start + later
    jobs.run_pass(res, all_feeds=True)
    assert seen[0] == {} and seen[1] == {"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 10 Mar 2026 06:00:00 GMT"}
    assert bool(seen[2]) is conditional
    with transaction(res.sessions) as session:
        row = session.scalars(select(FeedRow)).one()
    assert row.last_status == (304 if conditional else 200)


def test_a_feed_is_not_polled_before_it_is_due(demo_site: LoopbackSite, make_resources: MakeResources,
                                               clock: object) -> None:
    res = make_resources([FeedSpec("demo", f"{demo_site.base_url}/defence.xml", interval_minutes=60)])
    jobs.run_pass(res)
    demo_site.requests.clear()
    summary = jobs.run_pass(res)
    assert (summary.feeds_ok, summary.feeds_failed, summary.feeds_skipped) == (0, 0, 1)
    assert demo_site.requests == []


@pytest.fixture
def stalling() -> Iterator[threading.Event]:
    release = threading.Event()
    yield release
    release.set()


def test_failures_are_recorded_and_the_others_go_on(
        httpserver: HTTPServer, demo_site: LoopbackSite, make_resources: MakeResources,
        stalling: threading.Event) -> None:
    def stall(_request: Request) -> Response:
        stalling.wait(5)   # longer than the fetch deadline; released at teardown
        return Response("late", status=200)

    # pytest-httpserver answers one request at a time and the stall blocks it, so
    # the other misbehaving feeds come from the (threaded) demo site.
    httpserver.expect_request("/slow.xml").respond_with_handler(stall)
    # (the stalled handler blocks pytest-httpserver, so the HTML page comes from the demo site)
    feeds = [FeedSpec("error", f"{demo_site.base_url}/missing.xml"),
             FeedSpec("slow", httpserver.url_for("/slow.xml")),
             FeedSpec("html", f"{demo_site.base_url}/broken.html"),
             FeedSpec("good", f"{demo_site.base_url}/defence.xml")]
    res = make_resources(feeds, timeout_s=1.5)
    jobs.import_archive(res)
    summary = jobs.run_pass(res)
    assert (summary.feeds_ok, summary.feeds_failed) == (1, 3)
    assert (summary.new_articles, summary.duplicates) == (3, 1)
    with transaction(res.sessions) as session:
        rows = {f.name: f for f in session.scalars(select(FeedRow))}
    assert rows["error"].last_status == 404 and "404" in (rows["error"].last_error or "")
    assert "timeout" in (rows["slow"].last_error or "").lower()
    assert "not a feed" in (rows["html"].last_error or "")
    assert all(rows[n].consecutive_errors == 1 for n in ("error", "slow", "html"))
    assert rows["good"].consecutive_errors == 0


def test_a_broken_page_is_recorded_and_retried_later(
        httpserver: HTTPServer, demo_site: LoopbackSite, make_resources: MakeResources) -> None:
    page = demo_site.body("/articles/s400-schedule-2028.html")
    assert page is not None
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>broken</title><link>{httpserver.url_for('/broken.html')}</link></item>
      <item><title>good</title><link>{httpserver.url_for('/good.html')}</link></item>
    </channel></rss>"""
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml")
    httpserver.expect_request("/broken.html").respond_with_data("gateway", status=502)
    httpserver.expect_request("/good.html").respond_with_data(page, content_type="text/html")
    res = make_resources([FeedSpec("mixed", httpserver.url_for("/feed.xml"))])
    summary = jobs.run_pass(res)
    assert (summary.feeds_ok, summary.new_articles, summary.mentions) == (1, 1, 1)
    with transaction(res.sessions) as session:
        outcomes = {r.url.rsplit("/", 1)[-1]: r.outcome for r in session.scalars(select(SeenEntryRow))}
    assert outcomes == {"broken.html": "fetch_failed", "good.html": "article"}


def test_the_same_text_under_another_url_is_a_copy_even_without_index_candidates(
        httpserver: HTTPServer, demo_site: LoopbackSite, make_resources: MakeResources) -> None:
    page = demo_site.body("/articles/s400-schedule-2028.html")
    assert page is not None

    def feed(*paths: str) -> str:
        items = "".join(f"<item><title>{p}</title><link>{httpserver.url_for(p)}</link></item>" for p in paths)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    for path in ("/a.html", "/amp/a.html"):
        httpserver.expect_request(path).respond_with_data(page, content_type="text/html")
    items = ["/a.html"]
    httpserver.expect_request("/feed.xml").respond_with_handler(
        lambda _request: Response(feed(*items), content_type="application/rss+xml"))
    res = make_resources([FeedSpec("f", httpserver.url_for("/feed.xml"))])
    assert jobs.run_pass(res).new_articles == 1
    with transaction(res.sessions) as session:    # an index that finds nothing (rebuilt, or lost)
        session.execute(delete(DedupBandRow))
    items.append("/amp/a.html")
    summary = jobs.run_pass(res, all_feeds=True)
    assert (summary.new_articles, summary.duplicates, summary.errors) == (0, 1, {})
    with transaction(res.sessions) as session:
        rows = {a.url: a for a in session.scalars(select(ArticleRow))}
    copy, original = rows[httpserver.url_for("/amp/a.html")], rows[httpserver.url_for("/a.html")]
    assert (copy.duplicate_of_id, copy.similarity) == (original.id, 1.0)


def test_archive_imports_once_with_inferred_dates(make_resources: MakeResources) -> None:
    res = make_resources([])
    assert jobs.import_archive(res) == 5
    assert jobs.import_archive(res) == 0
    with transaction(res.sessions) as session:
        rows = {a.url: a for a in session.scalars(select(ArticleRow))}
        topics = {(a, t) for a, t in session.execute(
            select(ArticleRow.url, MentionRow.topic).join(MentionRow, MentionRow.article_id == ArticleRow.id))}
    assert {u: str(a.published_on) for u, a in rows.items()} == {
        "archive:000_450f0c4fd5e356a1.txt": "2024-07-08",
        "archive:001_533bc7422a99475d.txt": "2025-09-04",
        "archive:002_8a2e0c3e3083bd75.txt": "2025-12-01",
        "archive:003_1258bb85c02ed7f1.txt": "2025-12-05",
        "archive:004_17e5108e386aa86e.txt": "2025-09-03",
    }
    assert all(a.date_source == "archive" for a in rows.values())
    assert ("archive:000_450f0c4fd5e356a1.txt", "s400") in topics
    assert ("archive:002_8a2e0c3e3083bd75.txt", "summit") in topics
    assert ("archive:003_1258bb85c02ed7f1.txt", "summit") in topics


def test_pages_prepared_in_worker_processes_match_in_process(demo_site: LoopbackSite) -> None:
    from datetime import UTC, datetime

    from pipeline.config import ProcessingSettings
    from pipeline.topics import load_builtin_topics
    now = datetime(2026, 3, 13, tzinfo=UTC)
    pages = ["/articles/s400-schedule-2028.html", "/articles/summit-preparations.html",
             "/articles/monsoon.html", "/articles/gallery.html"]
    page_jobs = [prepare.PageJob(body=demo_site.body(p) or b"", url=demo_site.base_url + p, entry_title="t",
                              entry_published_at=None, source="demo", now=now, topics=load_builtin_topics())
                 for p in pages]
    with prepare.PagePreparer(ProcessingSettings(processes=1)) as here:
        in_process = here.map(page_jobs)
    with prepare.PagePreparer(ProcessingSettings(processes=2, min_pages_for_processes=2)) as workers:
        in_workers = workers.map(page_jobs)
    assert in_workers == in_process
    assert in_process[-1] == prepare.NO_TEXT
    prepared = in_process[0]
    assert isinstance(prepared, prepare.PreparedPage) and prepared.analysis.claims


@pytest.mark.parametrize(("entry_at", "kept"), [("2026-03-10T09:30:00+00:00", True),
                                                 ("2026-03-11T09:30:00+00:00", False)])
def test_the_feed_time_is_kept_when_it_is_the_publication_days(demo_site: LoopbackSite, entry_at: str,
                                                               kept: bool) -> None:
    from datetime import UTC, datetime

    page = "/articles/s400-schedule-2028.html"
    job = prepare.PageJob(body=demo_site.body(page) or b"", url=demo_site.base_url + page, entry_title="t",
                          entry_published_at=datetime.fromisoformat(entry_at), source="demo",
                          now=datetime(2026, 3, 13, tzinfo=UTC), topics=())
    prepared = prepare.prepare_page(job)
    assert isinstance(prepared, prepare.PreparedPage)
    assert str(prepared.article.published_on) == "2026-03-10"          # the page's own date
    assert prepared.article.published_at == (datetime.fromisoformat(entry_at) if kept else None)


# --- changes and consensus through the store (constructed histories, every backend) -----------------


def _store_reading(res: jobs.Resources, url: str, on: str, feed: str, *values: dict[str, object],
                   kind: str = "delivery_schedule") -> int:
    """Store one article from `feed` published `on` (a date, or a time), with one claim per value."""
    from datetime import datetime

    from pipeline.records import Article, DateSource
    from pipeline.store import queries

    at = datetime.fromisoformat(on)
    article = Article(url=url, title=url, text=url, published_on=at.date(), date_source=DateSource.FEED,
                      source=feed, published_at=at if "T" in on else None)
    with transaction(res.sessions) as session:
        article_id = queries.add_article(session, article, {"text_hash": url, "fetched_at": res.clock()})
        queries.add_claims(session, article_id, [
            {"seq": i, "topic": "s400", "subject": "s400-2018-contract", "kind": kind, "value": value,
             "sentence": f"sentence {i} of {url}", "start": 100 * i, "end": 100 * i + 50, "historical": False,
             "reader_version": "test"} for i, value in enumerate(values)])
    return article_id


def _by(year: int, milestone: str | None = None) -> dict[str, object]:
    return {"earliest": None, "latest": f"{year}-12-31", "precision": "year", "milestone": milestone}


def _report(res: jobs.Resources) -> dict[str, object]:
    with transaction(res.sessions) as session:
        return jobs.load_report(session, None, res.clock()).as_json()


def test_stored_camps_alternating_give_one_change_and_disagreement(make_resources: MakeResources) -> None:
    res = make_resources([])
    _store_reading(res, "https://a.example/1", "2025-01-01", "a", _by(2026))
    _store_reading(res, "https://b.example/2", "2025-02-01", "b", _by(2027))
    assert jobs.recompute_changes(res) == 1
    _store_reading(res, "https://c.example/3", "2025-03-01", "c", _by(2026))
    _store_reading(res, "https://e.example/4", "2025-04-01", "e", _by(2027))
    _store_reading(res, "https://d.example/5", "2025-05-01", "d", _by(2026))
    _store_reading(res, "https://www.b.example/6", "2025-06-01", "b2", _by(2027))   # the outlet b.example again
    assert jobs.recompute_changes(res) == 0
    data = _report(res)
    [change] = data["changes"]  # type: ignore[misc]
    assert (change["current"]["url"], change["confirmed"], change["milestone"]) == ("https://b.example/2", True, "last")
    assert change["sources"] == ["https://b.example/2", "https://e.example/4"]
    assert change["disputed_by"] == ["https://c.example/3", "https://d.example/5"]
    [subject] = data["subjects"]  # type: ignore[misc]
    assert subject["value"] == {"earliest": None, "latest": "2027-12-31", "milestone": None}
    assert subject["sources"] == ["https://b.example/2", "https://e.example/4"]
    assert subject["disagreeing"] == [{"value": {"earliest": None, "latest": "2026-12-31", "milestone": None},
                                       "sources": ["https://c.example/3", "https://d.example/5"]}]


def test_a_stored_slip_outnumbered_is_withdrawn_from_report_and_digest(make_resources: MakeResources) -> None:
    from pipeline import digest_job

    res = make_resources([])
    _store_reading(res, "https://a.example/1", "2025-01-01", "a", _by(2026))
    _store_reading(res, "https://b.example/2", "2025-02-01", "b", _by(2029))
    assert jobs.recompute_changes(res) == 1
    assert len(digest_job.load_digest(res, res.clock().date()).changes) == 1
    _store_reading(res, "https://c.example/3", "2025-03-01", "c", _by(2026))
    _store_reading(res, "https://d.example/4", "2025-04-01", "d", _by(2026))
    assert jobs.recompute_changes(res) == 0
    data = _report(res)
    assert data["changes"] == []
    assert digest_job.load_digest(res, res.clock().date()).changes == ()
    [subject] = data["subjects"]  # type: ignore[misc]
    assert [d["sources"] for d in subject["disagreeing"]] == [["https://b.example/2"]]


def test_stored_first_and_last_milestones_of_one_article_change_separately(make_resources: MakeResources) -> None:
    res = make_resources([])
    _store_reading(res, "https://a.example/1", "2025-01-01", "a", _by(2025, "first"), _by(2026, "last"))
    _store_reading(res, "https://b.example/2", "2025-02-01", "b", _by(2026, "first"), _by(2028, "last"))
    _store_reading(res, "https://c.example/3", "2025-03-01", "c", _by(2026, "first"))
    assert jobs.recompute_changes(res) == 2
    data = _report(res)
    assert sorted((c["milestone"], c["confirmed"]) for c in data["changes"]) == [  # type: ignore[attr-defined]
        ("first", True), ("last", False)]
    assert sorted(s["milestone"] for s in data["subjects"]) == ["first", "last"]  # type: ignore[attr-defined]


def test_stored_articles_of_one_day_are_compared_by_time_then_url(make_resources: MakeResources) -> None:
    res = make_resources([])
    _store_reading(res, "https://z.example/1", "2025-01-01", "z", _by(2026))
    _store_reading(res, "https://a.example/2", "2025-01-01T10:00:00+00:00", "a", _by(2027))
    _store_reading(res, "https://b.example/3", "2025-01-01T09:00:00+00:00", "b", _by(2028))
    assert jobs.recompute_changes(res) == 2
    assert [(c["current"]["url"], c["direction"]) for c in _report(res)["changes"]] == [  # type: ignore[attr-defined]
        ("https://b.example/3", "later"), ("https://a.example/2", "earlier")]


def _changes_state(res: jobs.Resources) -> tuple[list[tuple[object, ...]], list[dict[str, object]]]:
    """The stored changes (all but their ids and detection times) and the consensus, in report order."""
    from pipeline.store import queries
    from pipeline.store.models import ChangeRow

    with transaction(res.sessions) as session:
        changes = sorted((r.topic, r.subject, r.kind, r.milestone, r.current_article_id, r.previous_article_id,
                          r.direction, r.current_published_on, repr(r.payload))
                         for r in session.scalars(select(ChangeRow)))
        return changes, queries.consensus_payloads(session)


def _random_value(rng: random.Random, kind: str) -> dict[str, object]:
    if kind == "deal_value":
        amount, currency = rng.choice([("5.4", "USD"), ("5.5", "USD"), ("6.1", "USD"), ("400", "RUB"),
                                       ("40", "INR")])
        return {"amount": str(Decimal(amount) * 10 ** 9), "currency": currency, "precision": str(10 ** 8)}
    if kind == "delivery_schedule":
        year = rng.choice([2025, 2026, 2027, 2028])
        milestone = rng.choice([None, "first", "next", "last"])
        if rng.random() < 0.2:     # only when deliveries start
            return {"earliest": f"{year}-01-01", "latest": None, "precision": "year", "milestone": milestone}
        return {"earliest": None, "latest": f"{year}-{rng.choice(['06-30', '12-31'])}",
                "precision": rng.choice(["year", "month"]), "milestone": milestone}
    return {"count": rng.choice([2, 3, 5])}


def _store_random_article(res: jobs.Resources, rng: random.Random, number: int) -> None:
    from datetime import date, datetime

    from pipeline.records import Article, DateSource
    from pipeline.store import queries

    outlet = rng.choice("abcdef")
    url = f"https://{outlet}.example/{number}"
    published_on = date(2025, 1, 1) + timedelta(days=rng.randint(0, 60))     # arrivals out of date order
    at = datetime(published_on.year, published_on.month, published_on.day, rng.randint(0, 23), tzinfo=UTC) \
        if rng.random() < 0.5 else None
    article = Article(url=url, title=url, text=url, published_on=published_on, date_source=DateSource.FEED,
                      source=outlet, published_at=at)
    claims = []
    for seq in range(rng.randint(1, 3)):
        kind = rng.choice(["deal_value", "delivery_schedule", "units_delivered", "units_ordered"])
        claims.append({"seq": seq, "topic": rng.choice(["s400", "rafale"]),
                       "subject": rng.choice(["contract", "additional"]), "kind": kind,
                       "value": _random_value(rng, kind), "sentence": f"sentence {seq} of {url}",
                       "start": 100 * seq, "end": 100 * seq + 50, "historical": rng.random() < 0.1,
                       "reader_version": "test"})
    with transaction(res.sessions) as session:
        queries.lock_article_writes(session)
        article_id = queries.add_article(session, article, {"text_hash": url, "fetched_at": res.clock()})
        queries.add_claims(session, article_id, claims)


@pytest.mark.parametrize("seed", range(4))
def test_changes_kept_incrementally_equal_a_full_recompute(make_resources: MakeResources, clock: FixedClock,
                                                           seed: int) -> None:
    """After every pass of a random history, reassessing only the touched groups leaves what recomputing
    every group from every claim leaves: the same changes and consensus, and nothing new left to find."""
    rng = random.Random(seed)
    res = make_resources([])
    number = 0
    found = 0
    for _ in range(10):
        for _ in range(rng.randint(1, 4)):
            number += 1
            _store_random_article(res, rng, number)
        clock.now += timedelta(hours=1)
        found += jobs.update_changes(res)
        incremental = _changes_state(res)
        assert jobs.recompute_changes(res) == 0          # the full recompute finds nothing the pass missed
        assert _changes_state(res) == incremental
    assert found > 0 and incremental[1]                   # the histories do make changes and consensus


def test_an_unchanged_history_is_not_reassessed(make_resources: MakeResources) -> None:
    from pipeline.store import queries

    res = make_resources([])
    _store_reading(res, "https://a.example/1", "2025-01-01", "a", _by(2026))
    _store_reading(res, "https://b.example/2", "2025-02-01", "b", _by(2027))
    assert jobs.update_changes(res) == 1
    with transaction(res.sessions) as session:
        mark = queries.assessment_mark(session)
        assert mark is not None
        assert queries.claim_groups_after(session, mark.last_claim_id) == set()
    _store_reading(res, "https://c.example/3", "2025-03-01", "c", {"count": 2}, kind="units_delivered")
    with transaction(res.sessions) as session:
        assert queries.claim_groups_after(session, mark.last_claim_id) == {
            ("s400", "s400-2018-contract", "units_delivered")}
    assert jobs.update_changes(res) == 0
    assert len(_changes_state(res)[0]) == 1


def test_other_exchange_rates_reassess_every_group(make_resources: MakeResources) -> None:
    from dataclasses import replace

    from pipeline.rates import RateTable

    res = make_resources([])
    billions = {"precision": str(10 ** 8)}
    _store_reading(res, "https://a.example/1", "2025-01-01", "a",
                   {"amount": str(55 * 10 ** 8), "currency": "USD", **billions}, kind="deal_value")
    _store_reading(res, "https://b.example/2", "2025-02-01", "b",
                   {"amount": str(4675 * 10 ** 8), "currency": "INR", **billions}, kind="deal_value")
    assert jobs.update_changes(res) == 0                  # about 85 rupees to the dollar: the same value
    dear = RateTable({"INR": {2025: Decimal(50)}})
    rerated = replace(res, settings=replace(res.settings, exchange_rates=replace(res.settings.exchange_rates,
                                                                                 overrides=dear)))
    assert jobs.update_changes(rerated) == 1              # no new claim, but 9.35 billion dollars now
