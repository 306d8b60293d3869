"""Near-copies stored at the same moment by two workers: one original, the one published first.

200 races on the real PostgreSQL, two threads each (one transaction per
article, as two workers would). The second test switches the key locks off
and shows that the first one could fail: without them both are originals.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from pipeline import jobs
from pipeline.config import parse_settings
from pipeline.fetch import Fetcher
from pipeline.prepare import PreparedPage, analyse
from pipeline.records import Article, DateSource
from pipeline.store.db import make_engine, make_sessionmaker, migrate
from pipeline.store.models import ArticleRow
from tests.conftest import FixedClock, reset_postgres
from tests.queue_support import postgres_url

RACES = 200

_WORDS = ("minister defence contract delivery squadron missile system battery regiment navy army air force "
          "budget parliament committee agreement supplier factory training radar launcher officials said "
          "tuesday report sources schedule payment currency tranche deadline border exercise").split()


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    url = postgres_url()
    reset_postgres(url)
    engine = make_engine(url)
    migrate(engine)
    yield engine
    engine.dispose()


def _pair(race: int, rng: random.Random) -> tuple[Article, Article]:
    """Two near-copies (one adds a line of boilerplate); which one is published first varies by race."""
    words = [f"w{race}x{i}" if i % 7 == 0 else rng.choice(_WORDS) for i in range(160)]
    text = " ".join(words) + "."
    first_on, second_on = date(2026, 3, 1 + race % 5), date(2026, 3, 1 + race % 5 + race % 2)
    # Odd races: the same day and time, so the lower URL is the original.
    urls = [f"http://a.test/{race}/story", f"http://b.test/{race}/story"]
    rng.shuffle(urls)
    first = Article(url=urls[0], title="t", text=text, published_on=first_on, date_source=DateSource.FEED,
                    source="a", published_at=datetime.combine(first_on, datetime.min.time(), UTC))
    second = Article(url=urls[1], title="t", text=text + " Follow us for more news every day.",
                     published_on=second_on, date_source=DateSource.FEED, source="b",
                     published_at=datetime.combine(second_on, datetime.min.time(), UTC))
    return first, second


def _expected_original(first: Article, second: Article) -> str:
    return min((first.published_at, first.url), (second.published_at, second.url))[1]  # type: ignore[type-var]


def _race(engine: Engine, *, lock_keys: bool) -> list[str]:
    """Run the races; returns what went wrong in each."""
    settings = parse_settings({"database": {"url": str(engine.url)}}, "<test>", Path.cwd())
    fetcher = Fetcher(settings.fetch)
    res = jobs.Resources(settings=settings, sessions=make_sessionmaker(engine), fetcher=fetcher,
                         clock=FixedClock(datetime(2026, 3, 13, tzinfo=UTC)))
    rng = random.Random(15)
    failures = []
    try:
        for race in range(RACES):
            pair = _pair(race, rng)
            pages = [PreparedPage(article, analyse(article, settings.topics)) for article in pair]
            start = threading.Barrier(2)

            def store(page: PreparedPage, feed: str) -> None:
                start.wait()
                jobs.ingest_page(res, feed, page.article.url, page.article.url, page, lock_keys=lock_keys)

            threads = [threading.Thread(target=store, args=(page, f"feed{i}")) for i, page in enumerate(pages)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            with engine.connect() as conn:
                rows = conn.execute(select(ArticleRow.url, ArticleRow.duplicate_of_id, ArticleRow.id).where(
                    ArticleRow.url.in_([a.url for a in pair]))).all()
            originals = [url for url, duplicate_of, _ in rows if duplicate_of is None]
            ids = {url: article_id for url, _, article_id in rows}
            expected = _expected_original(*pair)
            if originals != [expected]:
                failures.append(f"race {race}: originals {originals}, expected {expected}")
            elif any(dup != ids[expected] for url, dup, _ in rows if url != expected):
                failures.append(f"race {race}: the copy does not point at {expected}")
    finally:
        fetcher.close()
    return failures


def test_near_copies_stored_at_once_give_one_original_published_first(pg_engine: Engine) -> None:
    assert _race(pg_engine, lock_keys=True) == []


def test_without_the_key_locks_the_races_break_the_rule(pg_engine: Engine) -> None:
    """The races above can fail: with the locks off, some pairs end as two originals."""
    failures = _race(pg_engine, lock_keys=False)
    assert any("originals [" in failure and "," in failure.split("originals")[1].split("]")[0]
               for failure in failures), failures[:5]
