"""Untrusted text in the change report (checklist §1.3, F24, H6, X12, X15).

Titles, quoted sentences and links come from feeds and pages. In the
Markdown, HTML and JSON reports they must stay text: no markup, no script,
no link other than http(s), no terminal escape sequences. (The digest email
has its own tests: tests/test_digest.py.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest

from pipeline import jobs, report
from pipeline.demo.server import LoopbackSite
from pipeline.records import FeedSpec
from pipeline.store.db import transaction
from tests.conftest import MakeResources
from tests.synthetic_site import article_page

HOSTILE_TITLE = ("<script>alert(1)</script> [click](javascript:alert(2)) ![i](http://x/i.png) "
                 "\x1b[2J\x1b[31mRED\r\nForged: line ]]><img src=1 onerror=alert(3)> *bold* `code` # h")
HOSTILE_URLS = [
    "javascript:alert(1)",
    'http://ok.example/a"><img src=x onerror=alert(1)>',   # X12: CDATA-wrapped link breaking out
    "data:text/html,<script>alert(1)</script>",
    "http://ok.example/\x1b[2Jcleared",
    "vbscript:msgbox(1)",
    "https://good.example/path?q=1&r=2",
]


def _side(url: str, text: str) -> dict[str, object]:
    return {"value": {"count": 3}, "text": text, "url": url, "published": "2026-03-01"}


def hostile_report() -> report.ReportData:
    changes = [{"topic": "s400", "subject": "s400-2018-contract", "kind": "units_delivered",
                "previous": _side(url, HOSTILE_TITLE), "current": _side(url, "<b>now</b> ](javascript:x)"),
                "direction": "higher"} for url in HOSTILE_URLS]
    articles = [{"url": url, "title": HOSTILE_TITLE, "published": "2026-03-01", "topics": ["s400"],
                 "story": f"story-{i}"} for i, url in enumerate(HOSTILE_URLS)]
    return report.ReportData(generated_at=datetime(2026, 3, 13, 8, 0, tzinfo=UTC), since=date(2026, 1, 1),
                             changes=changes, articles=articles)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]


def check_html(html: str) -> None:
    elements = _Elements()
    elements.feed(html)
    assert "script" not in elements.tags and "img" not in elements.tags
    assert not [name for name, _ in elements.attrs if name.startswith("on")]
    links = [value for name, value in elements.attrs if name in ("href", "src")]
    assert links, "the http(s) links are still links"
    assert all(re.match(r"https?://", link) for link in links), links
    assert all(re.fullmatch(r"https?://[^\s\"<>]+", link) for link in links), links
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html          # shown, as text


def check_markdown(md: str) -> None:
    assert "\x1b" not in md and "\r" not in md
    assert not re.search(r"(?<!\\)<(script|img|/)", md)                 # only escaped, as text
    assert not re.search(r"(?<!\\)\]\(", md)                          # no [text](target) link
    assert not re.search(r"(?<!\\)!\[", md)                           # no image
    autolinks = re.findall(r"(?<!\\)<([^>]*)>", md)
    assert autolinks and all(re.match(r"https?://[^\s<>\"]+$", link) for link in autolinks), autolinks
    assert not [line for line in md.splitlines() if line.startswith("Forged")]   # no line of its own


def test_html_report_escapes_everything_and_links_only_http() -> None:
    check_html(report.render(hostile_report(), "html"))


def test_markdown_report_escapes_everything_and_links_only_http() -> None:
    check_markdown(report.render(hostile_report(), "md"))


def test_json_report_keeps_the_text_exactly() -> None:
    data = json.loads(report.render(hostile_report(), "json"))
    assert [a["title"] for a in data["articles"]] == [HOSTILE_TITLE] * len(HOSTILE_URLS)
    assert [a["url"] for a in data["articles"]] == HOSTILE_URLS
    assert "\x1b" not in report.render(hostile_report(), "json")     # JSON escapes control characters


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_http_urls_are_safe(url: str) -> None:
    assert (report.safe_url(url) is not None) == (url == "https://good.example/path?q=1&r=2")


def test_a_hostile_page_stored_by_the_pipeline_renders_safely(
        site_factory: Callable[[dict[str, bytes]], LoopbackSite], make_resources: MakeResources) -> None:
    title, html = article_page(0, date(2026, 3, 1))
    # What a page can carry: entity-escaped markup becomes literal text (checklist H6, F24).
    hostile = ("&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(2)) "
               "&lt;img src=1 onerror=alert(3)&gt;")
    html = html.replace(f"<title>{title}</title>", f"<title>{hostile} S-400</title>")
    html = html.replace(f"<h1>{title}</h1>", f"<h1>{hostile} S-400</h1>")
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>'
            '&lt;script&gt;x&lt;/script&gt;</title><link>{base}/evil.html</link></item></channel></rss>')
    site = site_factory({"/feed.xml": feed.encode(), "/evil.html": html.encode()})
    res = make_resources([FeedSpec("evil", f"{site.base_url}/feed.xml")])
    assert jobs.run_pass(res).mentions == 1
    with transaction(res.sessions) as session:
        data = jobs.load_report(session, None, datetime(2026, 3, 13, tzinfo=UTC))
    stored = [a["title"] for a in data.articles if a["url"].endswith("/evil.html")]
    assert stored and "<script>alert(1)</script>" in stored[0]       # stored as the text it is
    check_html(report.render(data, "html"))
    check_markdown(report.render(data, "md"))
    assert json.loads(report.render(data, "json"))["articles"][-1]["title"] == stored[0]
