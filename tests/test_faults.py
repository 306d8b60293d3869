"""Fault injection through the whole polling pass (`run_pass`), not only the fetcher.

A raw-socket server on 127.0.0.1 misbehaves on purpose (resets, truncated
bodies, a slow drip, a gzip bomb, redirect loops, error statuses with
Retry-After); a well-behaved demo site stands next to it. Each test checks
what the pass records: the feed's state, backoff and reason, and that the
other feeds went on. tests/test_fetch.py covers the fetcher's own rules;
these check that the jobs turn them into the right feed state.
"""

from __future__ import annotations

import gzip
import logging
import socket
import socketserver
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from pipeline import jobs, prepare
from pipeline.demo import site_files
from pipeline.demo.server import LoopbackSite
from pipeline.errors import StoreError
from pipeline.records import FeedSpec
from pipeline.store import queries
from pipeline.store.db import transaction
from pipeline.store.models import ArticleRow, FeedRow, SeenEntryRow
from tests.conftest import FixedClock, MakeResources
from tests.synthetic_site import article_page

Handler = Callable[[socket.socket, dict[str, str]], None]


def respond(conn: socket.socket, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
    head = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    if "Content-Length" not in (headers or {}):
        head.append(f"Content-Length: {len(body)}")
    conn.sendall(("\r\n".join(head + ["Connection: close", "", ""])).encode("latin-1") + body)


class FaultServer:
    """HTTP/1.1 on 127.0.0.1 whose answer per path is a function writing raw bytes."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: dict[str, int] = {}
        self.stop = threading.Event()
        server = self

        class Handle(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                data = b""
                while b"\r\n\r\n" not in data and len(data) < 65536:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                line, *rest = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
                path = line.split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in rest)}
                server.hits[path] = server.hits.get(path, 0) + 1
                route = server.routes.get(path)
                try:
                    if route is None:
                        respond(self.request, 404, b"nothing here")
                    else:
                        route(self.request, headers)
                except OSError:
                    pass   # the client gave up: expected for the slow ones

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handle)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    server = FaultServer()
    yield server
    server.close()


@pytest.fixture
def demo(site_factory: Callable[[dict[str, bytes]], LoopbackSite]) -> LoopbackSite:
    return site_factory(site_files())


# --- misbehaviours ------------------------------------------------------------------


def reset(conn: socket.socket, _h: dict[str, str]) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST on close
    conn.close()


def truncated(conn: socket.socket, _h: dict[str, str]) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 5000\r\n\r\n"
                 b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>half')
    conn.shutdown(socket.SHUT_WR)


def drip(server: FaultServer) -> Handler:
    def handler(conn: socket.socket, _h: dict[str, str]) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n")
        while not server.stop.wait(0.1):
            conn.sendall(b"<")          # never a read timeout: a byte every 0.1 s
    return handler


def stall_after_headers(server: FaultServer) -> Handler:
    def handler(conn: socket.socket, _h: dict[str, str]) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
        server.stop.wait(10)
    return handler


def gzip_bomb(inflated_mib: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    return b"".join(packer.compress(block) for _ in range(inflated_mib)) + packer.flush()


def static(status: int, body: bytes = b"", **headers: str) -> Handler:
    def handler(conn: socket.socket, _h: dict[str, str]) -> None:
        respond(conn, status, body, {k.replace("_", "-"): v for k, v in headers.items()})
    return handler


def redirect(to: str, status: int = 302) -> Handler:
    return static(status, Location=to)


def feed_xml(items: list[tuple[str, str | None, str | None]], *, title: str = "f") -> bytes:
    """RSS with (title, link, pubDate-or-guid) items; `guid:` prefix makes it a GUID."""
    out = []
    for item_title, link, extra in items:
        parts = [f"<title>{item_title}</title>"]
        if link is not None:
            parts.append(f"<link>{link}</link>")
        if extra and extra.startswith("guid:"):
            parts.append(f"<guid>{extra[5:]}</guid>")
        elif extra:
            parts.append(f"<pubDate>{extra}</pubDate>")
        out.append("<item>" + "".join(parts) + "</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            + "".join(out) + "</channel></rss>").encode()


def _rows(res: jobs.Resources) -> dict[str, FeedRow]:
    with transaction(res.sessions) as session:
        return {row.name: row for row in session.scalars(select(FeedRow))}


def _aware_delta(row: FeedRow, clock: FixedClock) -> timedelta:
    assert row.next_poll_at is not None
    at = row.next_poll_at if row.next_poll_at.tzinfo else row.next_poll_at.replace(tzinfo=clock.now.tzinfo)
    return at - clock.now


# --- one pass, many faults -------------------------------------------------------------


def test_every_fault_is_a_soft_failure_and_the_good_feed_is_stored_in_time(
        faults: FaultServer, demo: LoopbackSite, make_resources: MakeResources) -> None:
    faults.routes.update({
        "/reset.xml": reset, "/truncated.xml": truncated,
        "/drip.xml": drip(faults), "/drip2.xml": drip(faults), "/stall.xml": stall_after_headers(faults),
        "/bomb.xml": static(200, gzip_bomb(40), Content_Encoding="gzip", Content_Type="application/rss+xml"),
        "/loop-a.xml": redirect("/loop-b.xml"), "/loop-b.xml": redirect("/loop-a.xml"),
        "/html.xml": static(200, b"<!doctype html><html><body>sorry</body></html>", Content_Type="text/html"),
        "/empty.xml": static(200, b""),
        "/challenge.xml": static(403, b"<html>checking your browser</html>", cf_mitigated="challenge",
                                 Content_Type="text/html"),
    })
    expected = {"reset": "connection closed early", "truncated": "connection closed early (truncated body)",
                "drip": "timeout", "drip2": "timeout", "stall": "timeout", "bomb": "too large",
                "loop-a": "too many redirects", "html": "not a feed: the server sent an HTML page",
                "empty": "empty response", "challenge": "bot challenge"}
    feeds = [FeedSpec(name, faults.url(f"/{name}.xml")) for name in expected]
    feeds.append(FeedSpec("good", f"{demo.base_url}/defence.xml"))
    deadline = 2.0
    res = make_resources(feeds, timeout_s=deadline, max_bytes=1_000_000, workers=4)
    # The reader's and extractor's patterns compile on first use: done before the clock starts, so a test
    # run on its own measures the deadlines, not a cold start under tracemalloc.
    _, page = article_page(0, date(2026, 1, 1))
    prepare.prepare_page(prepare.PageJob(body=page.encode(), url="http://127.0.0.1/warm", entry_title="",
                                         entry_published_at=None, source="warm", now=res.clock(),
                                         topics=res.settings.topics))
    tracemalloc.start()
    started = time.monotonic()
    summary = jobs.run_pass(res)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows = _rows(res)
    for name, reason in expected.items():
        assert (rows[name].last_error or "").startswith(reason), (name, rows[name].last_error)
        assert rows[name].consecutive_errors == 1 and rows[name].next_poll_at is not None
    assert (summary.feeds_ok, summary.feeds_failed) == (1, len(expected))
    assert summary.new_articles == 4 and rows["good"].consecutive_errors == 0
    # Three feeds that never finish, fetched side by side: the pass waits for
    # one deadline, not the sum of them (sequentially it would take 6 s).
    assert elapsed < deadline + 3.0, elapsed
    assert faults.hits["/loop-a.xml"] <= 6                       # bounded by max_redirects
    assert peak < 30 * 2**20, peak                               # the 40 MiB bomb never inflated


@pytest.mark.parametrize(("status", "headers", "reason"), [
    (404, {}, "HTTP 404 Not Found"),
    (500, {}, "HTTP 500 Internal Server Error"),
    (429, {"Retry-After": "garbage"}, "HTTP 429 Too Many Requests"),
    (503, {"Retry-After": "-5"}, "HTTP 503 Service Unavailable"),
])
def test_errors_without_a_usable_retry_after_back_off_by_the_interval(
        faults: FaultServer, make_resources: MakeResources, clock: FixedClock, status: int,
        headers: dict[str, str], reason: str) -> None:
    faults.routes["/f.xml"] = static(status, b"no", **{k.replace("-", "_"): v for k, v in headers.items()})
    res = make_resources([FeedSpec("f", faults.url("/f.xml"), interval_minutes=30)])
    jobs.run_pass(res)
    row = _rows(res)["f"]
    assert row.last_error == reason and row.last_status == status and row.disabled_reason is None
    assert timedelta(minutes=30) <= _aware_delta(row, clock) <= timedelta(minutes=31)   # never zero


@pytest.mark.parametrize(("status", "retry_after"), [(429, 7200), (503, 5400)])
def test_retry_after_is_honoured_and_nothing_is_requested_before(
        faults: FaultServer, make_resources: MakeResources, clock: FixedClock, status: int,
        retry_after: int) -> None:
    faults.routes["/f.xml"] = static(status, b"slow down", Retry_After=str(retry_after))
    res = make_resources([FeedSpec("f", faults.url("/f.xml"), interval_minutes=1)])
    jobs.run_pass(res)
    delay = _aware_delta(_rows(res)["f"], clock)
    assert timedelta(seconds=retry_after) <= delay <= timedelta(seconds=retry_after + 61)
    clock.now += timedelta(seconds=retry_after - 60)
    assert jobs.run_pass(res).feeds_skipped == 1
    assert faults.hits["/f.xml"] == 1


def test_410_disables_the_feed_until_its_url_changes(faults: FaultServer, demo: LoopbackSite,
                                                   make_resources: MakeResources, clock: FixedClock) -> None:
    faults.routes["/gone.xml"] = static(410, b"gone")
    res = make_resources([FeedSpec("f", faults.url("/gone.xml"))])
    jobs.run_pass(res)
    assert "gone" in (_rows(res)["f"].disabled_reason or "")
    clock.now += timedelta(days=3)
    assert jobs.run_pass(res).feeds_skipped == 1
    assert jobs.run_pass(res, all_feeds=True).feeds_skipped == 1     # --all does not revive it
    assert faults.hits["/gone.xml"] == 1
    fixed = make_resources([FeedSpec("f", f"{demo.base_url}/defence.xml")])   # the user fixed the URL
    assert jobs.run_pass(fixed).feeds_ok == 1
    assert _rows(fixed)["f"].disabled_reason is None


def test_backoff_grows_then_resets_on_success(faults: FaultServer, demo: LoopbackSite,
                                              make_resources: MakeResources, clock: FixedClock) -> None:
    state = {"up": False}
    good = demo.body("/defence.xml")
    assert good is not None

    def flaky(conn: socket.socket, _h: dict[str, str]) -> None:
        if state["up"]:
            respond(conn, 200, good, {"Content-Type": "application/rss+xml"})
        else:
            respond(conn, 503, b"down")

    faults.routes["/f.xml"] = flaky
    res = make_resources([FeedSpec("f", faults.url("/f.xml"), interval_minutes=10)])
    delays = []
    for _ in range(4):
        jobs.run_pass(res)
        row = _rows(res)["f"]
        delays.append(_aware_delta(row, clock))
        assert jobs.run_pass(res).feeds_skipped == 1          # in backoff: not polled, not failed
        assert row.next_poll_at is not None
        clock.now += delays[-1]
    minutes = [int(d.total_seconds() // 60) for d in delays]        # plus under a minute of jitter
    assert minutes == [10, 20, 40, 80], minutes
    assert faults.hits["/f.xml"] == 4
    state["up"] = True
    jobs.run_pass(res)
    row = _rows(res)["f"]
    assert (row.consecutive_errors, row.total_errors, row.last_status) == (0, 4, 200)
    assert _aware_delta(row, clock) == timedelta(minutes=10)


def test_304_after_a_failure_resets_the_error_counter(demo: LoopbackSite, faults: FaultServer,
                                                     make_resources: MakeResources) -> None:
    feed = demo.body("/defence.xml")
    assert feed is not None
    state = {"fail": False}

    def conditional(conn: socket.socket, headers: dict[str, str]) -> None:
        if state["fail"]:
            respond(conn, 500, b"oops")
        elif headers.get("if-none-match") == '"v1"':
            respond(conn, 304, headers={"ETag": '"v1"'})
        else:
            respond(conn, 200, feed, {"ETag": '"v1"', "Content-Type": "application/rss+xml"})

    faults.routes["/f.xml"] = conditional
    res = make_resources([FeedSpec("f", faults.url("/f.xml"))])
    jobs.run_pass(res)
    state["fail"] = True
    jobs.run_pass(res, all_feeds=True)
    assert _rows(res)["f"].consecutive_errors == 1
    state["fail"] = False
    summary = jobs.run_pass(res, all_feeds=True)
    row = _rows(res)["f"]
    assert (summary.feeds_ok, summary.entries, row.consecutive_errors, row.last_status, row.etag) == \
        (1, 0, 0, 304, '"v1"')


def test_permanent_redirect_is_followed_and_reported_but_the_configured_url_stays(
        faults: FaultServer, demo: LoopbackSite, make_resources: MakeResources,
        caplog: pytest.LogCaptureFixture) -> None:
    faults.routes["/old.xml"] = redirect(f"{demo.base_url}/defence.xml", 301)
    faults.routes["/temp.xml"] = redirect(f"{demo.base_url}/defence.xml", 302)
    res = make_resources([FeedSpec("moved", faults.url("/old.xml")), FeedSpec("temp", faults.url("/temp.xml"))])
    with caplog.at_level(logging.WARNING, logger="pipeline.jobs"):
        summary = jobs.run_pass(res)
    assert summary.feeds_ok == 2 and summary.new_articles == 4
    rows = _rows(res)
    assert rows["moved"].url == faults.url("/old.xml") and rows["temp"].url == faults.url("/temp.xml")
    moved = [r.getMessage() for r in caplog.records if "moved permanently" in r.getMessage()]
    assert len(moved) == 1 and "feed moved" in moved[0] and "defence.xml" in moved[0]


# --- entries and pages ------------------------------------------------------------------


def _page(faults: FaultServer, path: str, i: int, published: str = "2026-03-01", extra: str = "") -> None:
    _, html = article_page(i, date.fromisoformat(published))
    faults.routes[path] = static(200, html.replace("</h1>", f"</h1>{extra}").encode(),
                                 Content_Type="text/html; charset=utf-8")


def test_nul_bytes_and_surrogates_are_cleaned_not_fatal(faults: FaultServer, make_resources: MakeResources) -> None:
    _page(faults, "/nul.html", 1, extra="<p>NUL here: a\x00b and a lone surrogate &#xD800; ok.</p>")
    html = faults.routes["/nul.html"]
    body = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>Title \x00 with NUL</title><link>" + faults.url("/nul.html").encode()
            + b"</link><guid>g\x00uid</guid></item></channel></rss>")
    faults.routes["/f.xml"] = static(200, body, Content_Type="application/rss+xml")
    faults.routes["/nul.html"] = html
    res = make_resources([FeedSpec("f", faults.url("/f.xml"))])
    summary = jobs.run_pass(res)
    assert (summary.feeds_ok, summary.new_articles) == (1, 1), summary
    with transaction(res.sessions) as session:
        article = session.scalars(select(ArticleRow)).one()
        seen = session.scalars(select(SeenEntryRow)).one()
    assert "\x00" not in article.text + article.title and "\x00" not in seen.entry_key
    assert jobs.run_pass(res, all_feeds=True).feeds_ok == 1        # the cleaned key is found again
    with transaction(res.sessions) as session:
        assert len(session.scalars(select(SeenEntryRow)).all()) == 1


def test_text_postgresql_rejects_is_cleaned_before_it_is_stored() -> None:
    assert queries.clean_text("a\x00b\ud800c") == "ab\ufffdc"


def test_an_extractor_that_raises_fails_that_article_only(faults: FaultServer, make_resources: MakeResources,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _page(faults, "/bad.html", 1)
    _page(faults, "/good.html", 2)
    faults.routes["/f.xml"] = static(200, feed_xml([("bad", faults.url("/bad.html"), None),
                                                    ("good", faults.url("/good.html"), None)]),
                                     Content_Type="application/rss+xml")
    real = prepare.extract_page

    def exploding(html: bytes, url: str) -> object:
        if url.endswith("/bad.html"):
            raise RecursionError("maximum recursion depth exceeded in lxml")
        return real(html, url)

    monkeypatch.setattr(prepare, "extract_page", exploding)
    res = make_resources([FeedSpec("f", faults.url("/f.xml"))])
    summary = jobs.run_pass(res)
    assert (summary.feeds_ok, summary.new_articles) == (1, 1)
    assert any(k.startswith("internal error: RecursionError") for k in summary.errors), summary.errors
    with transaction(res.sessions) as session:
        outcomes = {r.url.rsplit("/", 1)[-1]: r.outcome for r in session.scalars(select(SeenEntryRow))}
    assert outcomes == {"bad.html": "failed", "good.html": "article"}


def test_future_and_missing_dates_are_clamped_to_the_fetch_day(
        faults: FaultServer, make_resources: MakeResources, clock: FixedClock) -> None:
    # Articles 3, 7, 11 name no year in their text, so only the dates given here count.
    meta = "<meta property='article:published_time' content='2026-01-01'>"
    for path, i, published in (("/future-page.html", 3, "2101-05-05"), ("/undated.html", 7, None),
                               ("/feed-dated.html", 11, None)):
        html = article_page(i, date(2026, 1, 1))[1]
        html = html.replace(meta, f"<meta property='article:published_time' content='{published}'>"
                            if published else "")
        faults.routes[path] = static(200, html.encode(), Content_Type="text/html; charset=utf-8")
    faults.routes["/f.xml"] = static(200, feed_xml([
        ("future page", faults.url("/future-page.html"), "Sat, 01 Jan 2101 00:00:00 GMT"),
        ("no date", faults.url("/undated.html"), None),
        ("feed date", faults.url("/feed-dated.html"), "Tue, 10 Mar 2026 06:00:00 GMT"),
    ]), Content_Type="application/rss+xml")
    res = make_resources([FeedSpec("f", faults.url("/f.xml"))])
    assert jobs.run_pass(res).new_articles == 3
    with transaction(res.sessions) as session:
        dated = {a.url.rsplit("/", 1)[-1]: (str(a.published_on), a.date_source)
                 for a in session.scalars(select(ArticleRow))}
    today = str(clock.now.date())
    assert dated == {"future-page.html": (today, "fetched"), "undated.html": (today, "fetched"),
                     "feed-dated.html": ("2026-03-10", "feed")}


def test_entries_without_links_are_counted_and_skipped(faults: FaultServer, make_resources: MakeResources) -> None:
    _page(faults, "/a.html", 1)
    faults.routes["/f.xml"] = static(200, feed_xml([("no link", None, "guid:x1"), ("js", "javascript:alert(1)", None),
                                                    ("real", faults.url("/a.html"), None)]),
                                     Content_Type="application/rss+xml")
    res = make_resources([FeedSpec("f", faults.url("/f.xml"))])
    summary = jobs.run_pass(res)
    assert (summary.entries, summary.new_articles, summary.errors.get("entry without a link")) == (3, 1, 2)
    with transaction(res.sessions) as session:
        assert [r.url for r in session.scalars(select(ArticleRow))] == [faults.url("/a.html")]


def test_duplicate_guids_within_a_feed_keep_both_items(faults: FaultServer, make_resources: MakeResources) -> None:
    _page(faults, "/a.html", 1)
    _page(faults, "/b.html", 2)
    faults.routes["/f.xml"] = static(200, feed_xml([("a", faults.url("/a.html"), "guid:same"),
                                                    ("b", faults.url("/b.html"), "guid:same"),
                                                    ("a again", faults.url("/a.html"), "guid:same")]),
                                     Content_Type="application/rss+xml")
    res = make_resources([FeedSpec("f", faults.url("/f.xml"))])
    assert jobs.run_pass(res).new_articles == 2
    faults.routes["/f.xml"] = static(200, feed_xml([("a", faults.url("/a.html"), "guid:same"),
                                                    ("b", faults.url("/b.html"), "guid:same")], title="v2"),
                                     Content_Type="application/rss+xml")
    assert jobs.run_pass(res, all_feeds=True).new_articles == 0     # stable across runs


def test_the_same_guid_in_two_feeds_is_two_entries_and_urls_decide(
        faults: FaultServer, make_resources: MakeResources) -> None:
    _page(faults, "/a.html", 1)
    _page(faults, "/b.html", 2)
    faults.routes["/one.xml"] = static(200, feed_xml([("a", faults.url("/a.html"), "guid:1")]),
                                       Content_Type="application/rss+xml")
    faults.routes["/two.xml"] = static(200, feed_xml([("b", faults.url("/b.html"), "guid:1"),
                                                      ("a", faults.url("/a.html?utm_source=x"), "guid:2")]),
                                       Content_Type="application/rss+xml")
    res = make_resources([FeedSpec("one", faults.url("/one.xml")), FeedSpec("two", faults.url("/two.xml"))])
    summary = jobs.run_pass(res)
    assert summary.new_articles == 2
    assert faults.hits["/a.html"] == 1                             # the same canonical URL once


# --- the database failing -----------------------------------------------------------------


def test_database_failure_mid_pass_stops_it_without_blaming_the_feed(
        demo: LoopbackSite, make_resources: MakeResources, monkeypatch: pytest.MonkeyPatch) -> None:
    res = make_resources([FeedSpec("demo", f"{demo.base_url}/defence.xml")])
    real = queries.record_seen
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "record_seen", failing)
    with pytest.raises(StoreError, match="database failed during the pass"):
        jobs.run_pass(res)
    monkeypatch.setattr(queries, "record_seen", real)
    row = _rows(res)["demo"]
    assert (row.consecutive_errors, row.total_errors, row.last_error) == (0, 0, None)
    summary = jobs.run_pass(res)                                   # the next pass finishes the work
    assert summary.feeds_ok == 1 and summary.feeds_failed == 0


def test_database_down_at_start_exits_1_with_a_clear_message(tmp_path: Path) -> None:
    with socket.socket() as probe:                                 # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "nw.toml"
    config.write_text(f'[database]\nurl = "postgresql+psycopg://nw:secret@127.0.0.1:{port}/nw"\n'
                      '[[feeds]]\nname = "f"\nurl = "http://127.0.0.1:9/f.xml"\n', encoding="utf-8")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pipeline", "--config", str(config), "run"],
                            capture_output=True, text=True, timeout=60, check=False,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert result.returncode == 1, result.stderr
    assert time.monotonic() - started < 20
    assert "cannot reach the database" in result.stderr and f"127.0.0.1:{port}" in result.stderr
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


def test_gzip_body_that_is_not_gzip_is_a_decode_error(faults: FaultServer, make_resources: MakeResources) -> None:
    faults.routes["/f.xml"] = static(200, b"<rss>plain</rss>", Content_Encoding="gzip")
    faults.routes["/ok.xml"] = static(200, gzip.compress(feed_xml([])), Content_Encoding="gzip",
                                      Content_Type="application/rss+xml")
    res = make_resources([FeedSpec("f", faults.url("/f.xml")), FeedSpec("ok", faults.url("/ok.xml"))])
    summary = jobs.run_pass(res)
    assert (summary.feeds_ok, summary.feeds_failed) == (1, 1)
    assert _rows(res)["f"].last_error == "bad content encoding"
