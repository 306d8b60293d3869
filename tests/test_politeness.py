"""Per-host politeness in one process: concurrency per host and the interval between starts."""

from __future__ import annotations

import threading
import time

from pipeline.politeness import LocalHostGate, host_of
from tests.conftest import MakeResources


def test_no_more_than_the_limit_in_flight_to_one_host() -> None:
    gate = LocalHostGate(2, 0.0)
    in_flight, most, lock = 0, 0, threading.Lock()
    release = threading.Event()

    def request(url: str) -> None:
        nonlocal in_flight, most
        with gate.hold(url):
            with lock:
                in_flight += 1
                most = max(most, in_flight)
            release.wait(2)
            with lock:
                in_flight -= 1

    threads = [threading.Thread(target=request, args=(f"http://a.test/{i}",)) for i in range(6)]
    other = threading.Thread(target=request, args=("http://b.test/x",))
    for thread in [*threads, other]:
        thread.start()
    deadline = time.monotonic() + 2
    while most < 3 and time.monotonic() < deadline:   # two on a.test and one on b.test
        time.sleep(0.01)
    assert most == 3
    release.set()
    for thread in [*threads, other]:
        thread.join()


def test_starts_to_one_host_are_spaced_by_the_interval() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    gate = LocalHostGate(5, 2.0, clock=lambda: now[0], sleep=sleep)
    for path in ("1", "2", "3"):
        with gate.hold(f"http://a.test/{path}"):
            pass
    with gate.hold("http://b.test/1"):
        pass
    assert slept == [2.0, 4.0]       # booked 2 s apart from the first start; b.test waits for nothing


def test_host_is_the_lower_case_name() -> None:
    assert host_of("https://WWW.Example.org:8443/a?b") == "www.example.org"


def test_a_pass_keeps_to_the_per_host_limits_of_a_real_server(make_resources: MakeResources) -> None:
    """One host serving a feed of 12 slow pages: at most `per_host_concurrency` requests at once, starts spaced."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from pipeline import jobs
    from pipeline.records import FeedSpec
    from tests.synthetic_site import site_files

    files = {**site_files(12, copies=0), **site_files(12, copies=0, feed="/feed2.xml", prefix="/b")}
    lock = threading.Lock()
    in_flight, most, starts = 0, 0, []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            nonlocal in_flight, most
            with lock:
                in_flight += 1
                most = max(most, in_flight)
                starts.append(time.monotonic())
            time.sleep(0.05)
            body = files[self.path].replace(b"{base}", base.encode())
            # Counted out before the body goes: the client may start its next request the moment it
            # has read the body, before this thread would get the lock back.
            with lock:
                in_flight -= 1
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml" if self.path.endswith(".xml") else "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        res = make_resources([FeedSpec(name="gen", url=f"{base}/feed.xml")], workers=8, per_host_concurrency=2)
        summary = jobs.run_pass(res, all_feeds=True)
        assert summary.new_articles == 12
        assert most == 2
        starts.clear()
        spaced = make_resources([FeedSpec(name="gen2", url=f"{base}/feed2.xml")], workers=8,
                                per_host_concurrency=4, per_host_interval_s=0.1)
        jobs.run_pass(spaced, all_feeds=True)
        # Seen from the server, one arrival may lag its start: the span is what the interval fixes.
        assert len(starts) == 13 and starts[-1] - starts[0] >= 12 * 0.1 - 0.05, starts
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
