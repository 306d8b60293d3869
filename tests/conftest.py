"""Shared fixtures: databases (SQLite always, PostgreSQL when configured), a
loopback site, and resources for the jobs.

Set NEWSWATCH_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
to run every database test on PostgreSQL as well.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from pipeline import jobs
from pipeline.config import FetchSettings, Settings, parse_settings
from pipeline.demo.server import LoopbackSite
from pipeline.fetch import Fetcher
from pipeline.records import FeedSpec
from pipeline.store.db import make_engine, make_sessionmaker, migrate

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("NEWSWATCH_TEST_DATABASE_URL") else [])


def reset_postgres(url: str) -> None:
    """An empty public schema, so each test starts from nothing."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on 127.0.0.1 (never `localhost`, which may resolve elsewhere)."""
    return ("127.0.0.1", 0)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend under test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url = os.environ["NEWSWATCH_TEST_DATABASE_URL"]
    reset_postgres(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine."""
    eng = make_engine(database_url)
    migrate(eng)
    yield eng
    eng.dispose()


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 13, 8, 0, tzinfo=UTC))


def loopback_settings(database_url: str, feeds: list[FeedSpec], **fetch: object) -> Settings:
    """Settings that may only talk to 127.0.0.1, with short deadlines."""
    base = parse_settings({"database": {"url": database_url}}, "<test>", Path.cwd())
    options: dict[str, object] = {"allow_private_addresses": True, "allowed_hosts": ("127.0.0.1",),
                                  "timeout_s": 2.0, "workers": 4}
    options.update(fetch)
    return replace(base, fetch=FetchSettings(**options), feeds=tuple(feeds))  # type: ignore[arg-type]


MakeResources = Callable[..., jobs.Resources]


@pytest.fixture
def make_resources(engine: Engine, database_url: str, clock: FixedClock) -> Iterator[MakeResources]:
    """Build job resources for a list of feeds; fetchers are closed at the end."""
    fetchers: list[Fetcher] = []

    def build(feeds: list[FeedSpec], **fetch: object) -> jobs.Resources:
        settings = loopback_settings(database_url, feeds, **fetch)
        fetcher = Fetcher(settings.fetch)
        fetchers.append(fetcher)
        return jobs.Resources(settings=settings, sessions=make_sessionmaker(engine), fetcher=fetcher,
                              clock=clock)

    yield build
    for fetcher in fetchers:
        fetcher.close()


@pytest.fixture
def site_factory() -> Iterator[Callable[[dict[str, bytes]], LoopbackSite]]:
    """Start loopback sites serving given files; all stopped at the end."""
    sites: list[LoopbackSite] = []

    def start(files: dict[str, bytes]) -> LoopbackSite:
        site = LoopbackSite(files).__enter__()
        sites.append(site)
        return site

    yield start
    for site in sites:
        site.__exit__(None, None, None)
