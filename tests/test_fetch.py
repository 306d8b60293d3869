"""pipeline.fetch: conditional GET, limits, faults and the address guard.

Network rule: the only sockets these tests open are to servers they start on
127.0.0.1. Tests of the address guard stub name resolution and give the
fetcher a transport (or a system resolver) that fails the test when a
connection or a real lookup is attempted, so no packet is ever sent to a
private, link-local, metadata or public address.
"""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from pipeline.config import FetchSettings
from pipeline.errors import BlockedURLError, FetchError
from pipeline.fetch import (
    Fetcher,
    FetchResult,
    Validators,
    blocked_address_reason,
    ip_literal,
    parse_retry_after,
)

KIB = 1024
MIB = 1024 * KIB
PUBLIC_IP = "93.184.215.14"          # never dialled: only returned by stub resolvers to mock transports

Route = Callable[["_Handler"], None]


# --- a loopback server that misbehaves on purpose ------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True      # headers and body go out at once (no 40 ms stalls)
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.close_connection = True
        route = owner.routes.get(self.path.split("?", 1)[0])
        if route is None:
            reply(self, 404, body=b"no such route")
        else:
            route(self)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = False          # server_close() joins every handler thread
    block_on_close = True
    request_queue_size = 64         # the default 5 drops SYNs under the thread-pool test
    owner: Loopback

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass                        # clients hanging up on purpose (caps, deadlines)


class Loopback:
    """A threaded HTTP/1.1 server on 127.0.0.1 with routes set by each test."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stop = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


def reply(h: _Handler, status: int = 200, headers: dict[str, str] | None = None,
          body: bytes = b"") -> None:
    h.send_response(status)
    headers = dict(headers or {})
    headers.setdefault("Content-Length", str(len(body)))
    for key, value in headers.items():
        h.send_header(key, value)
    h.send_header("Connection", "close")
    h.end_headers()
    h.wfile.write(body)


def static(status: int = 200, headers: dict[str, str] | None = None, body: bytes = b"") -> Route:
    return lambda h: reply(h, status, headers, body)


@pytest.fixture
def server() -> Iterator[Loopback]:
    srv = Loopback()
    yield srv
    srv.close()


@pytest.fixture
def make_fetcher() -> Iterator[Callable[..., Fetcher]]:
    made: list[Fetcher] = []

    def make(settings: FetchSettings | None = None, **kwargs: Any) -> Fetcher:
        fetcher = Fetcher(settings or FetchSettings(), **kwargs)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


LOCAL = FetchSettings(allow_private_addresses=True, timeout_s=5.0, max_bytes=1 * MIB)
RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


def fetch_error(fetcher: Fetcher, url: str, **kwargs: Any) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url, **kwargs)
    return info.value


# --- success, conditional GET, validators ---------------------------------------------


def test_200_returns_body_validators_and_sends_our_headers(server: Loopback,
                                                           make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(200, {"ETag": '"v1"', "Last-Modified": "Sat, 21 Nov 2026 08:00:00 GMT",
                                              "Content-Type": "application/rss+xml"}, RSS)
    result = make_fetcher(replace(LOCAL, user_agent="newswatch-test/1")).fetch(server.url("/feed.xml"))
    assert result == FetchResult(url=server.url("/feed.xml"), status=200, body=RSS, not_modified=False,
                                 etag='"v1"', last_modified="Sat, 21 Nov 2026 08:00:00 GMT",
                                 content_type="application/rss+xml")
    sent = server.requests[0][1]
    assert sent["user-agent"] == "newswatch-test/1"
    assert sent["accept-encoding"] == "gzip, deflate"      # no br: we could not bound its decoder
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_accept_header_can_be_chosen_per_fetch(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/page"] = static(200, body=b"<html>x</html>")
    make_fetcher(LOCAL).fetch(server.url("/page"), accept="text/html")
    assert server.requests[0][1]["accept"] == "text/html"


def test_conditional_get_sends_validators_and_304_is_not_modified(
        server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(304)
    validators = Validators(etag='"v1"', last_modified="Sat, 21 Nov 2026 08:00:00 GMT")
    result = make_fetcher(LOCAL).fetch(server.url("/feed.xml"), validators)
    assert (result.status, result.not_modified, result.body) == (304, True, b"")
    # A 304 without validators keeps the ones we sent (RFC 9110 §15.4.5).
    assert (result.etag, result.last_modified) == (validators.etag, validators.last_modified)
    sent = server.requests[0][1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Sat, 21 Nov 2026 08:00:00 GMT"


def test_304_with_a_new_etag_returns_the_new_one(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(304, {"ETag": '"v2"'})
    result = make_fetcher(LOCAL).fetch(server.url("/feed.xml"), Validators(etag='"v1"'))
    assert result.etag == '"v2"'


@pytest.mark.parametrize(("expires", "kept"), [
    ("0", False),
    ("Thu, 01 Jan 1970 00:00:00 GMT", False),
    ("not a date", False),
    (format_datetime(datetime.now(timezone.utc) + timedelta(days=1), usegmt=True), True),
])
def test_validators_dropped_when_response_expires_now(server: Loopback, make_fetcher: Callable[..., Fetcher],
                                                      expires: str, kept: bool) -> None:
    server.routes["/feed.xml"] = static(200, {"ETag": '"v1"', "Last-Modified": "Sat, 21 Nov 2026 08:00:00 GMT",
                                              "Expires": expires}, RSS)
    result = make_fetcher(LOCAL).fetch(server.url("/feed.xml"))
    assert (result.etag is not None, result.last_modified is not None) == (kept, kept)


# --- HTTP errors -------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "headers", "reason", "retryable", "retry_after"), [
    (404, {}, "HTTP 404 Not Found", True, None),                 # feeds come back
    (410, {}, "HTTP 410 Gone", False, None),
    (429, {"Retry-After": "3600"}, "HTTP 429 Too Many Requests", True, 3600.0),
    (503, {"Retry-After": "120"}, "HTTP 503 Service Unavailable", True, 120.0),
    (503, {"Retry-After": "soon"}, "HTTP 503 Service Unavailable", True, None),
    (500, {"Retry-After": "60"}, "HTTP 500 Internal Server Error", True, None),
])
def test_http_error_statuses(server: Loopback, make_fetcher: Callable[..., Fetcher], status: int,
                             headers: dict[str, str], reason: str, retryable: bool,
                             retry_after: float | None) -> None:
    server.routes["/feed.xml"] = static(status, headers, b"error page")
    error = fetch_error(make_fetcher(LOCAL), server.url("/feed.xml"))
    assert (error.reason, error.status, error.retryable, error.retry_after_s) == (
        reason, status, retryable, retry_after)
    assert not isinstance(error, BlockedURLError)


def test_cloudflare_challenge_is_a_bot_challenge(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(403, {"cf-mitigated": "challenge", "Content-Type": "text/html"},
                                        b"<html>Just a moment...</html>")
    error = fetch_error(make_fetcher(LOCAL), server.url("/feed.xml"))
    assert (error.reason, error.status) == ("bot challenge", 403)


def test_empty_200_is_an_error(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(200, body=b"")
    assert fetch_error(make_fetcher(LOCAL), server.url("/feed.xml")).reason == "empty response"


# --- redirects ------------------------------------------------------------------------------


def redirect(status: int, location: str) -> Route:
    return static(status, {"Location": location})


@pytest.mark.parametrize(("chain", "permanent"), [
    ([302], None),
    ([307], None),
    ([301], "/b1"),
    ([308, 301], "/b2"),
    ([301, 302], "/b1"),         # only the leading permanent hops may move the stored URL
    ([302, 301], None),
])
def test_redirects_are_followed_and_permanent_target_reported(
        server: Loopback, make_fetcher: Callable[..., Fetcher], chain: list[int], permanent: str | None) -> None:
    path = "/start"
    for i, status in enumerate(chain, start=1):
        server.routes[path] = redirect(status, f"/b{i}")   # relative Location, resolved per hop
        path = f"/b{i}"
    server.routes[path] = static(200, body=RSS)
    result = make_fetcher(LOCAL).fetch(server.url("/start"))
    assert (result.url, result.body) == (server.url(path), RSS)
    assert result.permanent_redirect == (server.url(permanent) if permanent else None)


def test_redirect_loop_fails_after_a_bounded_number_of_requests(
        server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/a"] = redirect(302, "/b")
    server.routes["/b"] = redirect(302, "/a")
    assert fetch_error(make_fetcher(LOCAL), server.url("/a")).reason == "too many redirects"
    assert [path for path, _ in server.requests] == ["/a", "/b"]


def test_redirect_chain_longer_than_the_limit_fails(server: Loopback,
                                                    make_fetcher: Callable[..., Fetcher]) -> None:
    for i in range(6):
        server.routes[f"/r{i}"] = redirect(302, f"/r{i + 1}")
    server.routes["/r6"] = static(200, body=RSS)
    fetcher = make_fetcher(replace(LOCAL, max_redirects=5))
    assert fetch_error(fetcher, server.url("/r0")).reason == "too many redirects"
    assert len(server.requests) == 6            # the start and 5 redirects; the 6th is not followed


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml",
                                      "gopher://127.0.0.1:70/", "ws://127.0.0.1/feed"])
def test_redirect_to_other_schemes_is_refused(server: Loopback, make_fetcher: Callable[..., Fetcher],
                                              location: str) -> None:
    server.routes["/feed.xml"] = redirect(302, location)
    error = fetch_error(make_fetcher(LOCAL), server.url("/feed.xml"))
    assert isinstance(error, BlockedURLError) and "refused" in error.reason
    assert len(server.requests) == 1


@pytest.mark.parametrize("location", ["javascript:alert(1)", "data:text/xml,<rss/>", "http://[::1/"])
def test_malformed_redirect_location_is_not_followed(server: Loopback, make_fetcher: Callable[..., Fetcher],
                                                     location: str) -> None:
    server.routes["/feed.xml"] = redirect(302, location)
    error = fetch_error(make_fetcher(LOCAL), server.url("/feed.xml"))
    assert error.reason.startswith("invalid redirect Location") and not error.retryable
    assert len(server.requests) == 1


# --- size caps and content encodings ---------------------------------------------------------


def test_content_length_over_cap_is_refused_before_reading(server: Loopback,
                                                            make_fetcher: Callable[..., Fetcher]) -> None:
    def announce_and_stall(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(2 * MIB))
        h.end_headers()
        h.wfile.flush()
        server.stop.wait(3)     # reading the body would hit the deadline instead of "too large"

    server.routes["/big"] = announce_and_stall
    started = time.monotonic()
    error = fetch_error(make_fetcher(replace(LOCAL, timeout_s=2.0)), server.url("/big"))
    assert error.reason.startswith("too large") and not error.retryable
    assert time.monotonic() - started < 1.0


def chunked(total: int, piece: bytes) -> Route:
    def send(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        sent = 0
        try:
            while sent < total and not h.server.owner.stop.is_set():
                h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            h.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass                # the client hung up at its cap
    return send


def test_chunked_body_over_cap_is_cut(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = chunked(10 * MIB, b"x" * (16 * KIB))
    assert fetch_error(make_fetcher(LOCAL), server.url("/feed.xml")).reason.startswith("too large")


def test_chunked_body_under_cap_is_read(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = chunked(64 * KIB, b"y" * (16 * KIB))
    assert make_fetcher(LOCAL).fetch(server.url("/feed.xml")).body == b"y" * (64 * KIB)


def _raw_deflate(data: bytes) -> bytes:
    obj = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return obj.compress(data) + obj.flush()


@pytest.mark.parametrize(("encoding", "encode"), [
    ("gzip", gzip.compress),
    ("x-gzip", gzip.compress),
    ("deflate", zlib.compress),             # RFC 9110: zlib-wrapped
    ("deflate", _raw_deflate),              # what some servers send instead
    ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
    ("identity", lambda b: b),
    ("gzip", lambda b: gzip.compress(b[:40]) + gzip.compress(b[40:])),    # two gzip members
])
def test_compressed_bodies_are_decoded(server: Loopback, make_fetcher: Callable[..., Fetcher], encoding: str,
                                       encode: Callable[[bytes], bytes]) -> None:
    server.routes["/feed.xml"] = static(200, {"Content-Encoding": encoding}, encode(RSS))
    assert make_fetcher(LOCAL).fetch(server.url("/feed.xml")).body == RSS


@pytest.mark.parametrize(("encoding", "body"), [
    ("br", b"\x1b\x00\x00"),                # not advertised, not decodable here
    ("zstd", b"(\xb5/\xfd"),
    ("gzip", RSS),                          # a plain body labelled gzip
    ("gzip", gzip.compress(RSS)[:-12]),     # compressed stream cut short
])
def test_bad_content_encoding(server: Loopback, make_fetcher: Callable[..., Fetcher], encoding: str,
                              body: bytes) -> None:
    server.routes["/feed.xml"] = static(200, {"Content-Encoding": encoding}, body)
    assert fetch_error(make_fetcher(LOCAL), server.url("/feed.xml")).reason == "bad content encoding"


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 200 KiB of gzip that inflates to 200 MiB of zeros."""
    obj = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MIB)
    return b"".join(obj.compress(block) for _ in range(200)) + obj.flush()


def test_gzip_bomb_is_capped_on_decompressed_bytes_in_bounded_memory(
        server: Loopback, make_fetcher: Callable[..., Fetcher], gzip_bomb: bytes) -> None:
    assert len(gzip_bomb) < 300 * KIB
    server.routes["/bomb"] = static(200, {"Content-Encoding": "gzip"}, gzip_bomb)
    fetcher = make_fetcher(LOCAL)
    tracemalloc.start()
    try:
        error = fetch_error(fetcher, server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason.startswith("too large")
    assert peak < 3 * LOCAL.max_bytes, f"peak {peak} bytes"


# --- timeouts, truncation, connection faults --------------------------------------------------


def test_slow_drip_is_cut_by_the_total_deadline(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    def drip(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "40")
        h.end_headers()
        try:
            for _ in range(40):             # bounded: at most 20 s, ended at once by teardown
                h.wfile.write(b"x")
                h.wfile.flush()
                if server.stop.wait(0.5):
                    return
        except OSError:
            pass

    server.routes["/drip"] = drip
    started = time.monotonic()
    error = fetch_error(make_fetcher(replace(LOCAL, timeout_s=1.0)), server.url("/drip"))
    elapsed = time.monotonic() - started
    assert error.reason == "timeout"
    assert 0.9 < elapsed < 1.6


def test_one_slow_feed_does_not_delay_the_others(server: Loopback,
                                                 make_fetcher: Callable[..., Fetcher]) -> None:
    def stall(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.flush()
        server.stop.wait(5)

    server.routes["/stall"] = stall
    server.routes["/fast"] = static(200, body=RSS)
    fetcher = make_fetcher(replace(LOCAL, timeout_s=1.0))
    with ThreadPoolExecutor(max_workers=4) as pool:
        slow = pool.submit(fetch_error, fetcher, server.url("/stall"))
        started = time.monotonic()
        fast = [pool.submit(fetcher.fetch, server.url("/fast")) for _ in range(12)]
        assert all(f.result().body == RSS for f in fast)
        assert time.monotonic() - started < 0.5
        assert slow.result().reason == "timeout"


def test_server_that_stalls_after_headers_times_out(server: Loopback,
                                                    make_fetcher: Callable[..., Fetcher]) -> None:
    def stall(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.flush()
        server.stop.wait(5)

    server.routes["/stall"] = stall
    started = time.monotonic()
    assert fetch_error(make_fetcher(replace(LOCAL, timeout_s=0.5)), server.url("/stall")).reason == "timeout"
    assert time.monotonic() - started < 1.2


def test_truncated_body_is_an_error_not_a_partial_body(server: Loopback,
                                                        make_fetcher: Callable[..., Fetcher]) -> None:
    def truncate(h: _Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        h.wfile.write(RSS[:10])

    server.routes["/feed.xml"] = truncate
    error = fetch_error(make_fetcher(LOCAL), server.url("/feed.xml"))
    assert error.reason == "connection closed early (truncated body)"


def test_server_closing_without_a_response(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = lambda h: None
    error = fetch_error(make_fetcher(LOCAL), server.url("/feed.xml"))
    assert error.reason == "connection closed early (no response)"


def test_refused_connection(make_fetcher: Callable[..., Fetcher]) -> None:
    with socket.socket() as probe:          # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = fetch_error(make_fetcher(LOCAL), f"http://127.0.0.1:{port}/feed.xml")
    assert (error.reason, error.retryable) == ("connection failed", True)


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_self_signed_certificate_is_a_tls_error(self_signed: ssl.SSLContext,
                                                make_fetcher: Callable[..., Fetcher]) -> None:
    srv = Loopback(tls=self_signed)
    srv.routes["/feed.xml"] = static(200, body=RSS)
    try:
        error = fetch_error(make_fetcher(LOCAL), srv.url("/feed.xml"))
    finally:
        srv.close()
    assert error.reason == "TLS certificate error"
    assert srv.requests == []


# --- local files, schemes, URL length -----------------------------------------------------------


@pytest.mark.parametrize("form", ["absolute", "relative", "file-url"])
def test_local_feed_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 make_fetcher: Callable[..., Fetcher], form: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(RSS)
    monkeypatch.chdir(tmp_path)
    url = {"absolute": str(path), "relative": "feed.xml", "file-url": path.as_uri()}[form]
    result = make_fetcher(FetchSettings()).fetch(url)      # no network involved: default settings
    assert (result.status, result.body, result.not_modified) == (200, RSS, False)
    assert result.last_modified is not None


def test_unchanged_local_file_is_not_modified(tmp_path: Path, make_fetcher: Callable[..., Fetcher]) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(RSS)
    fetcher = make_fetcher(FetchSettings())
    first = fetcher.fetch(str(path))
    second = fetcher.fetch(str(path), Validators(last_modified=first.last_modified))
    assert second.not_modified and second.body == b""


@pytest.mark.parametrize(("content", "reason"), [
    (b"x" * (MIB + 1), "too large"),
    (b"", "empty response"),
    (None, "file not found"),
])
def test_local_file_faults(tmp_path: Path, make_fetcher: Callable[..., Fetcher], content: bytes | None,
                           reason: str) -> None:
    path = tmp_path / "feed.xml"
    if content is not None:
        path.write_bytes(content)
    assert fetch_error(make_fetcher(LOCAL), str(path)).reason.startswith(reason)


def test_directory_is_not_a_feed_file(tmp_path: Path, make_fetcher: Callable[..., Fetcher]) -> None:
    assert fetch_error(make_fetcher(LOCAL), str(tmp_path)).reason == "not a regular file"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/feed.xml", "gopher://127.0.0.1/", "javascript:alert(1)",
                                 "data:text/xml,<rss/>", "file://otherhost/etc/passwd"])
def test_other_schemes_are_refused(make_fetcher: Callable[..., Fetcher], url: str) -> None:
    assert isinstance(fetch_error(make_fetcher(LOCAL), url), BlockedURLError)


@pytest.mark.parametrize("url", ["http:///feed.xml", "https://"])
def test_url_without_host_is_invalid(make_fetcher: Callable[..., Fetcher], url: str) -> None:
    exploding = Exploding()
    fetcher = make_fetcher(FetchSettings(), transport=exploding.transport, resolver=stub_resolver({}))
    error = fetch_error(fetcher, url)
    assert error.reason.startswith("invalid URL") and exploding.calls == []


def test_overlong_url_is_refused(make_fetcher: Callable[..., Fetcher]) -> None:
    error = fetch_error(make_fetcher(LOCAL), "http://127.0.0.1/" + "a" * 2048)
    assert error.reason.startswith("URL too long") and not error.retryable


def test_fetches_from_many_threads_share_one_fetcher(server: Loopback,
                                                     make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/echo"] = lambda h: reply(h, 200, body=h.path.encode())
    fetcher = make_fetcher(LOCAL)
    paths = [f"/echo?n={n}" for n in range(64)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        bodies = list(pool.map(lambda p: fetcher.fetch(server.url(p)).body, paths))
    assert bodies == [p.encode() for p in paths]


# --- the address guard: real loopback server, default settings -------------------------------------


def test_default_settings_refuse_loopback_and_server_sees_nothing(
        server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(200, body=RSS)
    error = fetch_error(make_fetcher(FetchSettings()), server.url("/feed.xml"))
    assert isinstance(error, BlockedURLError)
    assert error.reason == ("refused: 127.0.0.1 is a loopback address (private network); "
                            "set [fetch] allow_private_addresses = true for local test feeds")
    assert server.requests == []


def test_host_outside_allowed_hosts_is_refused_before_connecting(
        server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(200, body=RSS)
    fetcher = make_fetcher(replace(LOCAL, allowed_hosts=("feeds.example.org",)))
    error = fetch_error(fetcher, server.url("/feed.xml"))
    assert isinstance(error, BlockedURLError) and "allowed_hosts" in error.reason
    assert server.requests == []


def test_allowed_hosts_match_case_insensitively(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(200, body=RSS)
    fetcher = make_fetcher(replace(LOCAL, allowed_hosts=("Feeds.Example.ORG", "127.0.0.1")))
    assert fetcher.fetch(server.url("/feed.xml")).body == RSS


@pytest.fixture
def no_system_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fail on any real name lookup; numeric hosts (what a dial uses) pass through."""
    real = socket.getaddrinfo
    looked_up: list[str] = []

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            looked_up.append(str(host))
            raise AssertionError(f"real DNS lookup of {host!r}") from None
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return looked_up


def test_dial_uses_the_checked_address_without_a_second_lookup(
        server: Loopback, make_fetcher: Callable[..., Fetcher], no_system_dns: list[str]) -> None:
    # A name only our resolver knows: success proves the socket went to the
    # address the guard saw, not to a fresh lookup (no rebinding window).
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    server.routes["/feed.xml"] = static(200, body=RSS)
    fetcher = make_fetcher(LOCAL, resolver=resolver)
    assert fetcher.fetch(f"http://feeds.test:{server.port}/feed.xml").body == RSS
    assert calls == ["feeds.test"] and no_system_dns == []


def test_guard_checks_at_dial_time_with_the_default_transport(
        server: Loopback, make_fetcher: Callable[..., Fetcher], no_system_dns: list[str]) -> None:
    server.routes["/feed.xml"] = static(200, body=RSS)
    fetcher = make_fetcher(FetchSettings(timeout_s=2.0), resolver=lambda host, port: ["127.0.0.1"])
    error = fetch_error(fetcher, f"http://rebind.test:{server.port}/feed.xml")
    assert isinstance(error, BlockedURLError)
    assert error.reason.startswith("refused: rebind.test resolves to 127.0.0.1, a loopback address")
    assert server.requests == []


@pytest.mark.parametrize("settings", [FetchSettings(timeout_s=2.0), LOCAL], ids=["guarded", "private-allowed"])
def test_a_zone_id_on_an_ipv4_literal_is_refused_not_resolved(
        server: Loopback, make_fetcher: Callable[..., Fetcher], no_system_dns: list[str],
        settings: FetchSettings) -> None:
    """"93.184.216.34%09" passed as public, then went whole to the resolver (a hosts entry: 127.0.0.1)."""
    looked_up: list[str] = []

    def hosts_file(host: str, port: int) -> list[str]:
        looked_up.append(host)
        return ["127.0.0.1"]

    server.routes["/feed.xml"] = static(200, body=RSS)
    fetcher = make_fetcher(settings, resolver=hosts_file)
    error = fetch_error(fetcher, f"http://93.184.216.34%09:{server.port}/feed.xml")
    assert isinstance(error, BlockedURLError)
    assert "zone id is allowed only on IPv6" in error.reason
    assert (looked_up, no_system_dns, server.requests) == ([], [], [])


@pytest.mark.parametrize(("host", "address"), [
    ("93.184.216.34", "93.184.216.34"), ("fe80::1%25eth0", "fe80::1%eth0"), ("::FFFF:7f00:1", "::ffff:7f00:1"),
    ("93.184.216.34%09", None), ("93.184.216.34%2509", None), ("example.org", None)])
def test_only_ipv6_literals_carry_a_zone_id(host: str, address: str | None) -> None:
    assert ip_literal(host) == address


def test_a_scoped_link_local_literal_is_still_refused(make_fetcher: Callable[..., Fetcher]) -> None:
    exploding = Exploding()
    fetcher = make_fetcher(FetchSettings(timeout_s=2.0), transport=exploding.transport,
                           resolver=stub_resolver({}))
    error = fetch_error(fetcher, "http://[fe80::1%25eth0]:8080/feed.xml")
    assert isinstance(error, BlockedURLError) and "link-local" in error.reason
    assert exploding.calls == []


# --- the address guard: stub resolver, exploding transport (no packets) ---------------------------------


class Exploding:
    """A transport that fails the test if a request ever reaches it."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(str(request.url))
        raise AssertionError(f"connection attempted to {request.url}")


def stub_resolver(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise AssertionError(f"unexpected lookup of {host!r}")
        return table[host]
    return resolve


BLOCKED = [
    "127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
    "169.254.1.1", "100.64.0.1", "100.100.100.200", "0.0.0.0", "224.0.0.1", "240.0.0.1",
    "255.255.255.255", "198.18.0.1", "192.0.0.192", "168.63.129.16", "192.0.2.1",
    "::1", "::", "fc00::1", "fd00:ec2::254", "fe80::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
    "::127.0.0.1", "::169.254.169.254", "::ffff:0:a9fe:a9fe",
    "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::a00:1",
    "2002:7f00:1::", "2002:a9fe:a9fe::1", "2001::1",
]


@pytest.mark.parametrize("address", BLOCKED)
def test_blocked_address_as_url_literal_is_refused_before_connect(
        make_fetcher: Callable[..., Fetcher], address: str) -> None:
    exploding = Exploding()
    host = f"[{address}]" if ":" in address else address
    fetcher = make_fetcher(FetchSettings(), transport=exploding.transport, resolver=stub_resolver({}))
    error = fetch_error(fetcher, f"http://{host}/feed.xml")
    assert isinstance(error, BlockedURLError)
    assert "(private network)" in error.reason and "allow_private_addresses = true" in error.reason
    assert exploding.calls == []


@pytest.mark.parametrize("address", BLOCKED)
def test_public_name_resolving_to_blocked_address_is_refused(
        make_fetcher: Callable[..., Fetcher], address: str) -> None:
    exploding = Exploding()
    fetcher = make_fetcher(FetchSettings(), transport=exploding.transport,
                           resolver=stub_resolver({"news.example.com": [address]}))
    error = fetch_error(fetcher, "https://news.example.com/rss")
    assert isinstance(error, BlockedURLError)
    assert error.reason.startswith(f"refused: news.example.com resolves to {address},")
    assert exploding.calls == []


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "017700000001", "127.1"])
def test_numeric_host_spellings_of_loopback_are_refused(make_fetcher: Callable[..., Fetcher],
                                                        host: str) -> None:
    # The stub answers what getaddrinfo answers for these spellings (checklist trap 9).
    exploding = Exploding()
    fetcher = make_fetcher(FetchSettings(), transport=exploding.transport,
                           resolver=stub_resolver({host: ["127.0.0.1"]}))
    error = fetch_error(fetcher, f"http://{host}/feed.xml")
    assert isinstance(error, BlockedURLError) and "loopback" in error.reason
    assert exploding.calls == []


def test_octal_dotted_host_is_refused_as_invalid(make_fetcher: Callable[..., Fetcher]) -> None:
    # httpx rejects "0177.0.0.1" itself; getaddrinfo would read it as 127.0.0.1.
    exploding = Exploding()
    fetcher = make_fetcher(FetchSettings(), transport=exploding.transport, resolver=stub_resolver({}))
    error = fetch_error(fetcher, "http://0177.0.0.1/feed.xml")
    assert error.reason.startswith("invalid URL") and not error.retryable
    assert exploding.calls == []


def test_every_resolved_address_is_checked(make_fetcher: Callable[..., Fetcher]) -> None:
    exploding = Exploding()
    fetcher = make_fetcher(FetchSettings(), transport=exploding.transport,
                           resolver=stub_resolver({"news.example.com": [PUBLIC_IP, "10.1.2.3"]}))
    error = fetch_error(fetcher, "http://news.example.com/rss")
    assert isinstance(error, BlockedURLError) and "10.1.2.3" in error.reason
    assert exploding.calls == []


def test_dns_failure_is_reported(make_fetcher: Callable[..., Fetcher]) -> None:
    def fail(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    exploding = Exploding()
    fetcher = make_fetcher(FetchSettings(), transport=exploding.transport, resolver=fail)
    error = fetch_error(fetcher, "http://nowhere.example.com/rss")
    assert (error.reason, error.retryable) == ("DNS lookup failed", True)
    assert exploding.calls == []


def test_dns_failure_at_dial_time_is_reported(make_fetcher: Callable[..., Fetcher],
                                              no_system_dns: list[str]) -> None:
    def fail(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    fetcher = make_fetcher(LOCAL, resolver=fail)
    assert fetch_error(fetcher, "http://nowhere.test/rss").reason == "DNS lookup failed"


def mock_site(routes: dict[str, httpx.Response]) -> tuple[httpx.MockTransport, list[str]]:
    """A MockTransport serving fixed responses by URL; anything else fails the test."""
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if str(request.url) not in routes:
            raise AssertionError(f"connection attempted to {request.url}")
        return routes[str(request.url)]

    return httpx.MockTransport(handle), seen


def test_public_address_passes_the_guard(make_fetcher: Callable[..., Fetcher]) -> None:
    transport, seen = mock_site({"https://news.example.com/rss": httpx.Response(200, content=RSS)})
    fetcher = make_fetcher(FetchSettings(), transport=transport,
                           resolver=stub_resolver({"news.example.com": [PUBLIC_IP, "2606:2800:220:1::1"]}))
    assert fetcher.fetch("https://news.example.com/rss").body == RSS
    assert seen == ["https://news.example.com/rss"]


@pytest.mark.parametrize("target", ["http://127.0.0.1:8080/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://internal.example.com/", "http://[::ffff:127.0.0.1]/"])
def test_redirect_from_public_to_private_is_refused_on_that_hop(make_fetcher: Callable[..., Fetcher],
                                                                target: str) -> None:
    transport, seen = mock_site({"http://news.example.com/rss": httpx.Response(302, headers={"Location": target})})
    resolver = stub_resolver({"news.example.com": [PUBLIC_IP], "internal.example.com": ["10.0.0.7"]})
    fetcher = make_fetcher(FetchSettings(), transport=transport, resolver=resolver)
    error = fetch_error(fetcher, "http://news.example.com/rss")
    assert isinstance(error, BlockedURLError)
    assert error.reason.startswith(f"refused: redirect to {target}: ") and "private network" in error.reason
    assert seen == ["http://news.example.com/rss"]


def test_https_to_http_downgrade_is_refused(make_fetcher: Callable[..., Fetcher]) -> None:
    transport, seen = mock_site({"https://news.example.com/rss": httpx.Response(
        301, headers={"Location": "http://news.example.com/rss"})})
    fetcher = make_fetcher(FetchSettings(), transport=transport,
                           resolver=stub_resolver({"news.example.com": [PUBLIC_IP]}))
    error = fetch_error(fetcher, "https://news.example.com/rss")
    assert isinstance(error, BlockedURLError) and "downgrade" in error.reason
    assert seen == ["https://news.example.com/rss"]


def test_redirect_to_host_outside_allowed_hosts_is_refused(make_fetcher: Callable[..., Fetcher]) -> None:
    transport, seen = mock_site({"https://news.example.com/rss": httpx.Response(
        302, headers={"Location": "https://elsewhere.example.net/rss"})})
    fetcher = make_fetcher(FetchSettings(allowed_hosts=("NEWS.example.com",)), transport=transport,
                           resolver=stub_resolver({"news.example.com": [PUBLIC_IP]}))
    error = fetch_error(fetcher, "https://news.example.com/rss")
    assert isinstance(error, BlockedURLError) and "elsewhere.example.net" in error.reason
    assert seen == ["https://news.example.com/rss"]


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8",
                                     "64:ff9b::808:808", "2002:808:808::1"])
def test_public_addresses_are_not_blocked(address: str) -> None:
    assert blocked_address_reason(address) is None


# --- Retry-After --------------------------------------------------------------------------------

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0),
    (" 60 ", 60.0),
    ("Sat, 21 Nov 2026 10:00:00 GMT", 3600.0),         # IMF-fixdate in the future
    ("Saturday, 21-Nov-26 10:00:00 GMT", 3600.0),      # obsolete RFC 850 form
    ("Sat, 21 Nov 2026 08:00:00 GMT", None),           # in the past
    ("Sat, 21 Nov 2026 09:00:00 GMT", None),           # now: no zero delay
    ("0", None),
    ("-5", None),
    ("1.5", None),
    ("soon", None),
    ("", None),
    (None, None),
    ("999999999", 86400.0),                            # capped at one day
    ("9" * 40, 86400.0),
    ("Sun, 21 Nov 2027 09:00:00 GMT", 86400.0),
])
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_environment_proxies_are_ignored(server: Loopback, make_fetcher: Callable[..., Fetcher],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy would make the guard check the proxy, not the feed's address.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    server.routes["/feed.xml"] = static(200, body=RSS)
    assert make_fetcher(LOCAL).fetch(server.url("/feed.xml")).body == RSS


def test_cookies_are_never_sent_back(server: Loopback, make_fetcher: Callable[..., Fetcher]) -> None:
    server.routes["/feed.xml"] = static(200, {"Set-Cookie": "session=abc; Path=/"}, RSS)
    fetcher = make_fetcher(LOCAL)
    fetcher.fetch(server.url("/feed.xml"))
    fetcher.fetch(server.url("/feed.xml"))
    assert "cookie" not in server.requests[1][1]

