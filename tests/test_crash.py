"""Crash safety (checklist D6, D7): `newswatch run` SIGKILLed at many points, then run
again, leaves exactly the database one uninterrupted run leaves.

The site is generated (tests/synthetic_site.py): 24 distinct S-400 articles
with claims, plus exact copies under other URLs. Each iteration starts from an
empty database, kills the real command (`python -m pipeline run --json`, in a
subprocess) three times at seeded random delays spread over a whole run (start-up,
migrations, the archive import, page processing, change recomputation),
checks after each kill that nothing is half-written, then runs to completion
and compares every identifying column with the reference run.

The subprocesses talk only to the 127.0.0.1 site started here, and their
config sets `allowed_hosts = ["127.0.0.1"]`; they are not put in a network
namespace because the site (and PostgreSQL) live in this one.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.demo.server import LoopbackSite
from tests.conftest import BACKENDS, reset_postgres
from tests.synthetic_site import (
    cli_command,
    cli_env,
    integrity_problems,
    run_cli,
    site_files,
    snapshot,
    write_config,
)

ITERATIONS = 4             # fresh databases
KILLS_PER_ITERATION = 3    # kill points per database, then one run to completion
ARTICLES = 24


@pytest.fixture(scope="module")
def site() -> Iterator[LoopbackSite]:
    with LoopbackSite(site_files(ARTICLES)) as served:
        yield served


def _fresh_database(database_url: str, tmp_path: Path, name: str) -> str:
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / name}.db"
    reset_postgres(database_url)
    return database_url


def _run_and_kill(config: Path, delay: float) -> tuple[bool, int]:
    """Start `run --json` in its own session, SIGKILL it after `delay` s; (killed?, session id)."""
    process = subprocess.Popen(cli_command(config, "run", "--json"), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=cli_env(), start_new_session=True)
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)   # the command only, as the OOM killer would
        process.wait(timeout=30)
    return process.returncode == -signal.SIGKILL, process.pid


def _orphans(groups: list[int], wait_s: float) -> int:
    """Process groups of killed runs still alive after `wait_s` (then ended): helper
    processes (extraction workers) must end on their own once the command is gone."""
    deadline = time.monotonic() + wait_s
    alive = list(groups)
    while alive and time.monotonic() < deadline:
        alive = [g for g in alive if _group_alive(g)]
        time.sleep(0.1)
    for group in alive:
        os.killpg(group, signal.SIGKILL)
    return len(alive)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


# The slowest test of the suite runs once: on PostgreSQL when the run has it (locks, separate
# connections), else on SQLite.
@pytest.mark.parametrize("database_url", [BACKENDS[-1]], indirect=True)
def test_sigkill_at_many_points_then_rerun_equals_one_clean_run(
        site: LoopbackSite, database_url: str, tmp_path: Path) -> None:
    feeds = [("gen", f"{site.base_url}/feed.xml")]
    reference_url = _fresh_database(database_url, tmp_path, "reference")
    config = write_config(tmp_path / "reference.toml", reference_url, feeds)
    started = time.monotonic()
    done = run_cli(config, "run", "--json")
    duration = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    reference = snapshot(reference_url)
    assert integrity_problems(reference) == []
    assert len([a for a in reference["articles"] if not a[6]]) == ARTICLES + 3
    assert len([a for a in reference["articles"] if a[7] is not None]) == 3      # the copies
    assert reference["claims"] and reference["changes"]

    rng = random.Random(6)
    kills = 0
    groups: list[int] = []
    for iteration in range(ITERATIONS):
        url = _fresh_database(database_url, tmp_path, f"crash{iteration}")
        config = write_config(tmp_path / f"crash{iteration}.toml", url, feeds)
        for _ in range(KILLS_PER_ITERATION):
            killed, group = _run_and_kill(config, rng.uniform(0.2, max(0.3, duration * 0.7)))
            kills += killed
            groups.append(group)
            partial = snapshot(url) if _has_schema(url) else None
            assert partial is None or integrity_problems(partial) == [], iteration
        done = run_cli(config, "run", "--json")
        assert done.returncode == 0, done.stderr
        assert "database is locked" not in done.stderr
        assert snapshot(url) == reference, f"iteration {iteration} differs from the clean run"
    orphans = _orphans(groups, wait_s=10)
    print(f"\ncrash test: {ITERATIONS} iterations, {kills} of {ITERATIONS * KILLS_PER_ITERATION} "
          f"runs killed mid-way (clean run {duration:.1f} s); orphaned helper processes: {orphans}")
    assert kills >= ITERATIONS  # most delays fall inside a run
    assert orphans == 0, "extraction workers outlived a SIGKILLed run"


def _has_schema(url: str) -> bool:
    from pipeline.store.db import is_initialised, make_engine
    engine = make_engine(url)
    try:
        return is_initialised(engine)
    finally:
        engine.dispose()
