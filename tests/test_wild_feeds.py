"""Real-world and deliberately broken feeds (../shared/data/feeds-wild) through one real pass.

Every file is served from 127.0.0.1 with the `Header:` values of its leading
comment and polled by `run_pass` (benchmarks/wild_feeds.py does the serving;
`python -m benchmarks.wild_feeds` prints the same counts). Entry links point
at public sites: `allowed_hosts = ["127.0.0.1"]` refuses those page fetches
before any connection, and the refusals are recorded, not fatal.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from benchmarks.wild_feeds import WildResult, run_wild, served_headers, wild_files
from pipeline import jobs
from pipeline.records import FeedSpec
from pipeline.store.db import transaction
from pipeline.store.models import SeenEntryRow
from tests.conftest import MakeResources

WILD = Path(__file__).resolve().parents[2] / "shared" / "data" / "feeds-wild"
pytestmark = pytest.mark.skipif(not WILD.is_dir(), reason=f"wild feed corpus not found at {WILD}")

# Files whose text feedparser can only decode with `chardet` installed (upstream
# marks them `SkipUnless: chardet`): no charset anywhere, multi-byte or Cyrillic.
# They must not fail, but their text is not checked (see the issue note).
CHARDET_ONLY = "feedparser/illformed/chardet/"

# (feed, a title it must yield exactly) across the encodings of the corpus.
TITLES = [
    ("real-news/miniflux/xml/koi8r.xml", "Первая новость"),                             # KOI8-R declared
    ("real-news/miniflux/encoding/koi8r.xml", "Вторая новость"),
    ("real-news/miniflux/parser/encoding_WINDOWS-1251.xml", "Цитата #17703"),            # windows-1251
    ("real-news/miniflux/parser/no_encoding_ISO-8859-1.xml",                            # Latin-1, no declaration
     "Masters en Psycho : une simplificationet#8230; très complexe"),
    ("real-news/miniflux/parser/rdf_UTF8.xml", "Mega-Deal: IBM übernimmt Red Hat"),       # RSS 0.9 RDF
    ("real-news/rss-parser/encoding.rss", "Mãe de utente é a nova presidente da Raríssimas"),  # ISO-8859-1
    ("real-news/rss-parser/latin2.rss", "ZAŻÓŁĆ GĘSLĄ JAŹŃ"),                            # ISO-8859-2
    ("real-news/rss-parser/uolNoticias.rss",                                             # Latin-1, no declaration
     "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno"),
    ("real-news/rss-parser/encoding-gb2312.xml", "拟298亿元重组盛大游戏后 世纪华通发20亿回购预案"),  # GB2312
    ("real-news/miniflux/encoding/utf8-incorrect-prolog.xml", "Café"),
]


@pytest.fixture(scope="module")
def wild_sqlite(tmp_path_factory: pytest.TempPathFactory) -> tuple[WildResult, float]:
    """One pass over the whole corpus on SQLite, shared by the checks below."""
    started = time.monotonic()
    result = run_wild(f"sqlite:///{tmp_path_factory.mktemp('wild') / 'wild.db'}", WILD)
    return result, time.monotonic() - started


def test_every_wild_feed_is_ok_or_rejected_with_a_readable_reason(wild_sqlite: tuple[WildResult, float]) -> None:
    result, seconds = wild_sqlite
    entries = sum(len(e) for e in result.entries.values())
    print(f"\nwild feeds: {result.processed} processed in {seconds:.1f} s; {len(result.ok)} ok, "
          f"{len(result.with_entries)} with entries ({entries} entries); {len(result.failed)} rejected: "
          f"{result.top_reasons()}; page fetches not made: {sum(result.page_errors.values())}")
    assert result.processed == len(wild_files(WILD)) > 250
    assert seconds < 120                                           # no hang
    assert len(result.ok) + len(result.failed) == result.processed
    for name, reason in result.failed.items():
        assert reason and reason.isprintable() and len(reason) < 300, name
        assert not reason.startswith("internal error"), f"{name}: {reason}"
    # What is rejected is what is not a feed at all (HTML pages, a non-feed XML
    # document, an empty document), not feeds that merely have quirks.
    assert len(result.failed) <= 12
    assert all(r.startswith("not a feed") for r in result.failed.values())
    assert len(result.with_entries) >= 60


def test_entries_link_to_public_sites_are_refused_not_fetched(wild_sqlite: tuple[WildResult, float]) -> None:
    result, _ = wild_sqlite
    assert any("allowed_hosts" in reason for reason in result.page_errors)
    assert sum(result.page_errors.values()) > 300


@pytest.mark.parametrize(("feed", "title"), TITLES, ids=[f for f, _ in TITLES])
def test_titles_are_decoded_from_each_encoding(wild_sqlite: tuple[WildResult, float], feed: str,
                                               title: str) -> None:
    result, _ = wild_sqlite
    assert feed in result.with_entries, result.failed.get(feed)
    assert title in [e.title for e in result.entries[feed]]


def test_real_news_text_has_no_replacement_characters(wild_sqlite: tuple[WildResult, float]) -> None:
    result, _ = wild_sqlite
    bad = [(name, e.title) for name in result.with_entries if name.startswith("real-news/")
           for e in result.entries[name] if "\ufffd" in e.title + e.summary or "Ã" in e.title]
    assert bad == []


def test_utf16_and_utf32_feeds_parse(wild_sqlite: tuple[WildResult, float]) -> None:
    result, _ = wild_sqlite
    wide = [n for n in (p.relative_to(WILD).as_posix() for p in wild_files(WILD))
            if "utf-16" in n or "utf-32" in n or "utf16" in n or "utf_16" in n or "utf_32" in n or "u16" in n]
    assert len(wide) >= 15
    assert [n for n in wide if n in result.failed] == []


def test_charset_free_feeds_do_not_fail(wild_sqlite: tuple[WildResult, float]) -> None:
    result, _ = wild_sqlite
    names = [p.relative_to(WILD).as_posix() for p in wild_files(WILD)]
    assert [n for n in names if n.startswith(CHARDET_ONLY) and n in result.failed] == []


def test_header_comments_are_served() -> None:
    path = WILD / "feedparser/encoding/http_text_xml_charset_overrides_encoding.xml"
    assert served_headers(path)["Content-type"].startswith("text/xml")
    assert served_headers(WILD / "real-news/rss-parser/guardian.rss") == {"Content-type": "application/rss+xml"}


def test_the_same_pass_on_this_backend(database_url: str) -> None:
    """The whole corpus on each backend under test (PostgreSQL rejects text SQLite stores)."""
    result = run_wild(database_url, WILD)
    assert len(result.failed) <= 12 and len(result.with_entries) >= 60
    assert not any(r.startswith("internal error") for r in result.failed.values())


def test_a_utf16_copy_of_a_koi8r_feed(httpserver: HTTPServer, make_resources: MakeResources,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus' UTF-16 feeds have no entries; this one is the KOI8-R feed re-encoded."""
    text = (WILD / "real-news/miniflux/xml/koi8r.xml").read_bytes().decode("koi8-r")
    body = text.replace('encoding="KOI8-R"', 'encoding="utf-16"').encode("utf-16")
    httpserver.expect_request("/u16.xml").respond_with_data(body, content_type="application/rss+xml")
    seen: list[str] = []
    real_parse = jobs.parse_feed

    def spy(data: bytes, **kwargs: object) -> list[object]:
        entries = real_parse(data, **kwargs)  # type: ignore[arg-type]
        seen.extend(e.title for e in entries)
        return entries  # type: ignore[return-value]

    monkeypatch.setattr(jobs, "parse_feed", spy)
    res = make_resources([FeedSpec("u16", httpserver.url_for("/u16.xml"))])
    summary = jobs.run_pass(res)
    assert (summary.feeds_ok, summary.entries) == (1, 2)
    assert seen == ["Первая новость", "Вторая новость"]
    with transaction(res.sessions) as session:
        outcomes = {row.outcome for row in session.query(SeenEntryRow)}
    assert outcomes == {"fetch_failed"}     # example.com: refused by allowed_hosts, recorded
