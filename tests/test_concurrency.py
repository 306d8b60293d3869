"""Two passes at once (checklist D2, D9), on SQLite and on PostgreSQL.

Two processes run the polling pass over the same generated site at the same
moment: the database must end up exactly as after one pass (no duplicate
rows, no lost work) and neither may fail with "database is locked". (The
`newswatch run` command itself refuses to start while another holds its run
lock, so these processes call the pass the way the command does, without
that lock: what is tested is the database's own guarantees.) Then two
passes in threads (separate engines) store the same text under two URLs,
released together by a barrier right before their article transactions:
one original and one copy, whichever wins.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline import jobs
from pipeline.demo.server import LoopbackSite
from pipeline.fetch import Fetcher
from pipeline.records import FeedSpec
from pipeline.store import queries
from pipeline.store.db import make_engine, make_sessionmaker, transaction
from pipeline.store.models import ArticleRow
from tests.conftest import FixedClock, loopback_settings, reset_postgres
from tests.synthetic_site import cli_env, integrity_problems, run_cli, site_files, snapshot, write_config


UNLOCKED_PASS = """
import json, sys
from pipeline import jobs, report
from pipeline.config import load_settings, resolve_database_url
from pipeline.fetch import Fetcher
from pipeline.store.db import is_initialised, make_engine, make_sessionmaker, migrate
settings = load_settings(sys.argv[1])
engine = make_engine(resolve_database_url(settings))
if not is_initialised(engine):
    migrate(engine)
with Fetcher(settings.fetch) as fetcher:
    res = jobs.Resources(settings=settings, sessions=make_sessionmaker(engine), fetcher=fetcher)
    jobs.import_archive(res)
    print(json.dumps(report.summary_json(jobs.run_pass(res, all_feeds=True))))
"""


def _database(database_url: str, tmp_path: Path, name: str) -> str:
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / name}.db"
    reset_postgres(database_url)
    return database_url


def test_two_processes_polling_at_once_store_everything_once(
        site_factory: Callable[[dict[str, bytes]], LoopbackSite], database_url: str, tmp_path: Path) -> None:
    files = site_files(12, copies=2, feed="/a.xml", prefix="/a") | site_files(12, copies=2, feed="/b.xml",
                                                                                prefix="/b")
    site = site_factory(files)
    feeds = [("a", f"{site.base_url}/a.xml"), ("b", f"{site.base_url}/b.xml")]
    reference_url = _database(database_url, tmp_path, "reference")
    done = run_cli(write_config(tmp_path / "reference.toml", reference_url, feeds), "run", "--json")
    assert done.returncode == 0, done.stderr
    reference = snapshot(reference_url)

    url = _database(database_url, tmp_path, "together")
    config = write_config(tmp_path / "together.toml", url, feeds)
    # Both start at once (the archive import included) and poll every feed.
    runs = [subprocess.Popen([sys.executable, "-c", UNLOCKED_PASS, str(config)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=cli_env()) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "database is locked" not in err and "Traceback" not in err, err
    summaries = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    together = snapshot(url)
    assert integrity_problems(together) == []
    # No lost work and nothing twice: the same articles, claims, bands and changes
    # as one pass. (Which process recorded an entry may differ, so `seen` is
    # compared without its attempt count.)
    for table in ("articles", "mentions", "claims", "bands", "changes"):
        assert together[table] == reference[table], table
    assert [row[:5] for row in together["seen"]] == [row[:5] for row in reference["seen"]]
    stored = sum(s["new_articles"] + s["duplicates"] for s in summaries)
    assert stored == 2 * 14                 # each entry stored by exactly one of the two


@pytest.mark.parametrize("serialised", [True, False], ids=["with-lock", "schema-only"])
def test_the_same_text_under_two_urls_at_the_same_moment_is_one_original(
        site_factory: Callable[[dict[str, bytes]], LoopbackSite], database_url: str, tmp_path: Path,
        clock: FixedClock, monkeypatch: pytest.MonkeyPatch, serialised: bool) -> None:
    files = site_files(1, copies=0, feed="/one.xml", prefix="/one")
    files["/two.xml"] = files["/one.xml"].replace(b"/one/0.html", b"/two/0.html").replace(b"one-0", b"two-0")
    files["/two/0.html"] = files["/one/0.html"]
    site = site_factory(files)
    url = _database(database_url, tmp_path, "race")
    engine = make_engine(url)
    from pipeline.store.db import migrate
    migrate(engine)
    barrier = threading.Barrier(2, timeout=20)
    real_lock = queries.lock_article_writes

    waited: set[int] = set()

    def racing_lock(session: object) -> None:
        # Both threads arrive here with their analysis done and no copy found
        # yet; without the lock only the partial unique index keeps one original
        # (the loser's insert fails and its retry, not held again, finds the copy).
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()
        if serialised:
            real_lock(session)  # type: ignore[arg-type]

    monkeypatch.setattr(queries, "lock_article_writes", racing_lock)
    results: dict[str, object] = {}

    def run(name: str) -> None:
        settings = loopback_settings(url, [FeedSpec(name, f"{site.base_url}/{name}.xml")])
        own_engine = make_engine(url)
        try:
            with Fetcher(settings.fetch) as fetcher:
                res = jobs.Resources(settings=settings, sessions=make_sessionmaker(own_engine), fetcher=fetcher,
                                     clock=clock)
                results[name] = jobs.run_pass(res)
        except Exception as exc:  # reported below
            results[name] = exc
        finally:
            own_engine.dispose()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(isinstance(r, Exception) for r in results.values()), results
    with transaction(make_sessionmaker(engine)) as session:
        rows = list(session.scalars(select(ArticleRow)))
    engine.dispose()
    assert len(rows) == 2
    originals = [r for r in rows if r.duplicate_of_id is None]
    copies = [r for r in rows if r.duplicate_of_id is not None]
    assert len(originals) == 1 and len(copies) == 1
    assert copies[0].duplicate_of_id == originals[0].id
    summaries = [r for r in results.values()]
    assert sorted((s.new_articles, s.duplicates) for s in summaries) == [(0, 1), (1, 0)]  # type: ignore[attr-defined]
