"""A loopback feed farm for the queue tests: many feeds and pages, with the faults feeds and sites have.

Feed `i` (`/feeds/i.xml`) by `i % 20`: 3 answers 500, 5 410 Gone, 7 429 with
Retry-After, 9 a 302 and 13 a 301 to `/moved/i.xml`, 11 stalls past the
client's deadline; the others serve RSS with an ETag (304 when it matches).
Page `j` of feed `i` (`/p/i/j.html`, article `10 i + j` of synthetic_site)
is, by rule: a 429 with Retry-After (j 5, i % 5 == 0), a 500 (j 4, i % 6 ==
0), a 404 (j 3, i % 7 == 0), a 302 to the article (j 2, i % 8 == 0), a page
without text (j 1, i % 9 == 0); page 7 of an even feed is a near-copy of page
6 of the feed before it, published a day earlier (so the original is the
later-stored one in a single-process pass).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler

from pipeline.demo.server import LoopbackSite

from tests.synthetic_site import WORDS, article_page

START = date(2024, 1, 1)
STALL_S = 2.5


def _published(i: int, j: int) -> date:
    """Page 7 of an even feed copies page 6 of the feed before, a day earlier; the rest ten days a feed."""
    if j == 7 and i % 2 == 0 and i > 0:
        return _published(i - 1, 6) - timedelta(days=1)
    return START + timedelta(days=10 * i + j)


def _article(i: int, j: int, words: Sequence[str]) -> tuple[str, str]:
    if j == 7 and i % 2 == 0 and i > 0:
        title, html = article_page(10 * (i - 1) + 6, _published(i, j), words)
        return title, html.replace("</article>", "<p>Follow our defence desk for more news every day of the "
                                               "week.</p></article>")
    return article_page(10 * i + j, _published(i, j), words)


class FeedFarm(LoopbackSite):
    """`feeds` feeds of `pages` pages each on 127.0.0.1, until closed (the demo's server, the farm's handler)."""

    def __init__(self, feeds: int, pages: int, *, faults: bool = True, words: Sequence[str] = WORDS) -> None:
        self.feeds, self.pages, self.faults, self.words = feeds, pages, faults, words
        self.starts: list[float] = []     # when each request arrived (time.monotonic), for the benchmarks
        self._lock = threading.Lock()
        super().__init__({})

    def __enter__(self) -> FeedFarm:
        super().__enter__()
        return self

    def feed_urls(self) -> list[tuple[str, str]]:
        """(name, url) of every feed."""
        return [(f"farm-{i:03d}", f"{self.base_url}/feeds/{i}.xml") for i in range(self.feeds)]

    def feed_body(self, i: int) -> bytes:
        items = []
        for j in range(self.pages):
            title, _ = _article(i, j, self.words)
            published = _published(i, j).strftime("%a, %d %b %Y 08:00:00 +0000")
            items.append(f"<item><title>{title}</title><link>{self.base_url}/p/{i}/{j}.html</link>"
                         f"<guid>farm-{i}-{j}</guid><pubDate>{published}</pubDate></item>")
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>farm '
                f'{i}</title>{"".join(items)}</channel></rss>').encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        farm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with farm._lock:
                    farm.requests.append(self.path)
                    farm.starts.append(time.monotonic())
                parts = self.path.split("?", 1)[0].strip("/").split("/")
                try:
                    if parts[0] in ("feeds", "moved"):
                        self._feed(int(parts[1].removesuffix(".xml")), moved=parts[0] == "moved")
                    elif parts[0] in ("p", "r"):
                        self._page(int(parts[1]), int(parts[2].removesuffix(".html")), redirected=parts[0] == "r")
                    else:
                        self._status(404)
                except (ValueError, IndexError):
                    self._status(404)

            def _feed(self, i: int, *, moved: bool) -> None:
                kind = i % 20
                if not moved and farm.faults:
                    if kind == 3:
                        return self._status(500)
                    if kind == 5:
                        return self._status(410)
                    if kind == 7:
                        return self._status(429, {"Retry-After": "3600"})
                    if kind in (9, 13):
                        return self._status(302 if kind == 9 else 301, {"Location": f"/moved/{i}.xml"})
                    if kind == 11:
                        time.sleep(STALL_S)
                        return self._status(500)
                self._body(farm.feed_body(i), "application/rss+xml")

            def _page(self, i: int, j: int, *, redirected: bool) -> None:
                if j >= farm.pages:
                    return self._status(404)
                if not redirected and farm.faults:
                    if j == 5 and i % 5 == 0:
                        return self._status(429, {"Retry-After": "120"})
                    if j == 4 and i % 6 == 0:
                        return self._status(500)
                    if j == 3 and i % 7 == 0:
                        return self._status(404)
                    if j == 2 and i % 8 == 0:
                        return self._status(302, {"Location": f"/r/{i}/{j}.html"})
                if j == 1 and i % 9 == 0 and farm.faults:
                    return self._body(b"<!doctype html><html><head><title>x</title></head><body></body></html>",
                                      "text/html")
                self._body(_article(i, j, farm.words)[1].encode(), "text/html")

            def _body(self, body: bytes, kind: str) -> None:
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._status(304, {"ETag": etag})
                self.send_response(200)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def _status(self, status: int, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        return Handler
