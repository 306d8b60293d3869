"""The pass as queued tasks: 2 workers give what one process gives, a SIGKILLed worker loses nothing.

A loopback feed farm (tests/feed_farm.py: 304s, 429 + Retry-After, 500s,
stalls, redirects, 410s, near-copies published in the other order) is run
once in one process (SQLite) and through RabbitMQ by worker processes
(PostgreSQL). The stored articles, copies, stories, mentions, claims (as
`claims list --format json`, without ids), seen entries, changes, feed states
and `run --json` summaries must be the same. Every test uses its own queue
name and deletes its queues.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from pipeline.config import QueueSettings
from pipeline.store.db import make_engine, make_sessionmaker, migrate, transaction
from pipeline.store.models import FeedRow, TaskRow
from tests.conftest import reset_postgres
from tests.feed_farm import FeedFarm
from tests.queue_support import postgres_url, rabbitmq_url, require
from tests.synthetic_site import PROJECT, cli_command, cli_env, run_cli, snapshot

FEEDS, PAGES = 40, 8     # 320 pages: the queue group stays near 2 minutes of the suite


def _config(path: Path, database_url: str, farm: FeedFarm, queue: str = "", resend_after_s: float = 60) -> Path:
    lines = [f'[database]\nurl = "{database_url}"\n',
             '[fetch]\nallow_private_addresses = true\nallowed_hosts = ["127.0.0.1"]\ntimeout_s = 1\n']
    if queue:
        lines.append(f'[queue]\nbroker = "{rabbitmq_url()}"\nname = "{queue}"\nresend_after_s = {resend_after_s}\n')
    lines += [f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n' for name, url in farm.feed_urls()]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@dataclass
class Outcome:
    """What a pass (or two) left: the summaries and the database read back."""

    summaries: list[dict[str, Any]]
    data: dict[str, list[tuple[Any, ...]]]


def _read_back(config: Path, database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    data: dict[str, list[tuple[Any, ...]]] = dict(snapshot(database_url))
    listed = run_cli(config, "claims", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    data["claims_list"] = sorted(tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in json.loads(line).items()
                                              if k != "id"))
                                 for line in listed.stdout.splitlines() if line.strip())
    engine = make_engine(database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            data["feeds"] = sorted((f.name, f.etag, f.last_modified, f.body_hash, f.last_status, f.last_error,
                                    f.consecutive_errors, f.total_errors, f.disabled_reason)
                                   for f in session.scalars(select(FeedRow)))
    finally:
        engine.dispose()
    return data


def _summary(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def farm() -> Iterator[FeedFarm]:
    with FeedFarm(FEEDS, PAGES) as site:
        yield site


@pytest.fixture(scope="module")
def single_process(farm: FeedFarm, tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    """The farm in one process: after the first pass, and after a second (304s, retries)."""
    folder = tmp_path_factory.mktemp("single")
    url = f"sqlite:///{folder / 'single.db'}"
    config = _config(folder / "single.toml", url, farm)
    outcomes = []
    summaries = []
    for _ in range(2):
        summaries.append(_summary(run_cli(config, "run", "--all", "--json", timeout=300)))
        outcomes.append(Outcome(list(summaries), _read_back(config, url)))
    return outcomes


class Workers:
    """Worker processes of one installation (a queue name of its own), stopped and their queues deleted at the end."""

    def __init__(self, config: Path, queue: str) -> None:
        self.config, self.queue = config, queue
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, threads: int = 2) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(cli_command(self.config, "worker", "--threads", str(threads)), env=cli_env(),
                                   cwd=str(PROJECT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        from pipeline.broker import QueueBroker

        broker = QueueBroker(QueueSettings(broker=rabbitmq_url(), name=self.queue))
        try:
            broker.delete_queues()
        finally:
            broker.close()


@pytest.fixture
def queued(tmp_path: Path, farm: FeedFarm) -> Iterator[tuple[Path, str, Workers]]:
    """A fresh PostgreSQL database, a config with a broker and a queue name of its own, and its workers."""
    url = postgres_url()
    rabbitmq_url()
    reset_postgres(url)
    engine = make_engine(url)
    migrate(engine)       # as a worker would first; the test reads the task table from the start
    engine.dispose()
    queue = f"nwtest-{uuid.uuid4().hex[:12]}"
    config = _config(tmp_path / "queued.toml", url, farm, queue)
    workers = Workers(config, queue)
    yield config, url, workers
    workers.stop()


def _assert_same(expected: Outcome, config: Path, url: str, summaries: list[dict[str, Any]]) -> None:
    got = _read_back(config, url)
    for table, rows in expected.data.items():
        assert got[table] == rows, f"{table} differs"
    assert summaries == expected.summaries


def test_two_workers_store_what_one_process_stores(single_process: list[Outcome],
                                                   queued: tuple[Path, str, Workers]) -> None:
    config, url, workers = queued
    workers.start()
    workers.start()
    summaries = [_summary(run_cli(config, "run", "--all", "--json", timeout=300))]
    _assert_same(single_process[0], config, url, summaries)
    summaries.append(_summary(run_cli(config, "run", "--all", "--json", timeout=300)))
    _assert_same(single_process[1], config, url, summaries)
    assert single_process[1].summaries[1]["new_articles"] == 0   # the second pass: 304s and retries only


def _done_pages(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(TaskRow).where(
                TaskRow.kind == "page", TaskRow.done_at.is_not(None))).scalar_one())
    finally:
        engine.dispose()


def test_a_worker_killed_and_the_broker_restarted_mid_pass_lose_nothing_and_double_nothing(
        single_process: list[Outcome], queued: tuple[Path, str, Workers]) -> None:
    """A worker SIGKILLed with tasks in flight (some committed, not acknowledged), then RabbitMQ stopped and
    started again: the replacement worker reconnects, what was not delivered or published is sent again from
    the task table, and the pass ends as one process's. (One test for both: the farm pass is the slow part.)"""
    if shutil.which("rabbitmqctl") is None:
        require("rabbitmqctl", "this test restarts the local RabbitMQ with rabbitmqctl")
    config, url, workers = queued
    config.write_text(config.read_text().replace("resend_after_s = 60", "resend_after_s = 5"), encoding="utf-8")
    first = workers.start()
    run = subprocess.Popen(cli_command(config, "run", "--all", "--json"), env=cli_env(), cwd=str(PROJECT),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while _done_pages(url) < FEEDS * PAGES // 4:
            assert time.monotonic() < deadline and run.poll() is None, "the pass never got going"
            time.sleep(0.2)
        os.kill(first.pid, signal.SIGKILL)       # mid-pass: tasks in flight, some committed and not acknowledged
        first.wait()
        assert _done_pages(url) < FEEDS * PAGES // 2, "the pass was nearly over before the kill"
        try:
            _rabbitmqctl("stop_app")             # every connection closed, the run's included
        finally:
            _rabbitmqctl("start_app")            # durable queues and persistent messages come back
        workers.start()
        out, err = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    summary = _summary(subprocess.CompletedProcess(run.args, run.returncode, out, err))
    _assert_same(single_process[0], config, url, [summary])


def _rabbitmqctl(*args: str) -> None:
    result = subprocess.run(["rabbitmqctl", *args], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"rabbitmqctl {' '.join(args)}: {result.stderr[-500:]}"


def test_a_broker_with_sqlite_is_refused(tmp_path: Path, farm: FeedFarm) -> None:
    config = _config(tmp_path / "bad.toml", f"sqlite:///{tmp_path / 'x.db'}", farm, "nwtest-refused")
    for command in (["run"], ["worker"]):
        result = run_cli(config, *command)
        assert result.returncode == 2
        assert "[queue] broker is set but the database is SQLite" in result.stderr
        assert "postgresql+psycopg://" in result.stderr


def test_the_farm_exercises_the_faults(single_process: list[Outcome]) -> None:
    """The comparison above means something: feeds fail, pages fail, copies and changes arise."""
    first = single_process[0].summaries[0]
    failing = sum(1 for i in range(FEEDS) if i % 20 in (3, 5, 7, 11))     # 500, 410, 429, stall; redirects followed
    assert first["feeds_failed"] == failing and first["feeds_ok"] == FEEDS - failing
    assert first["duplicates"] == sum(1 for i in range(2, FEEDS, 2) if (i - 1) % 20 not in (3, 5, 7, 11)) and first["changes"] > 0 and first["claims"] > 100
    assert {"HTTP 404 Not Found", "HTTP 410 Gone", "HTTP 429 Too Many Requests", "HTTP 500 Internal Server Error",
            "no text", "timeout"} == set(first["errors"])
    displaced = [row for row in single_process[0].data["articles"] if row[0].endswith("/6.html") and row[7]]
    assert displaced, "no original published later than its copy became the copy"


def test_run_no_wait_queues_the_pass_and_feeds_shows_the_queued_work(queued: tuple[Path, str, Workers]) -> None:
    config, url, _workers = queued
    result = run_cli(config, "run", "--all", "--no-wait")
    assert result.returncode == 0, result.stderr
    assert f"{FEEDS} feed(s) queued for the workers" in result.stdout
    shown = run_cli(config, "feeds")
    assert f"queued work: {FEEDS} task(s) not done" in shown.stdout
    lines = [json.loads(line) for line in run_cli(config, "feeds", "--format", "json").stdout.splitlines()]
    assert [line["queued_tasks"] for line in lines] == [1] * FEEDS


def _consumers(queue: str) -> int:
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(rabbitmq_url()))
    try:
        return int(connection.channel().queue_declare(queue, passive=True).method.consumer_count)
    except pika.exceptions.ChannelClosedByBroker:
        return 0          # not declared yet
    finally:
        if connection.is_open:
            connection.close()


def test_worker_processes_start_and_stop_on_sigterm(queued: tuple[Path, str, Workers]) -> None:
    config, _url, workers = queued
    parent = subprocess.Popen(cli_command(config, "worker", "--processes", "2", "--threads", "1"), env=cli_env(),
                              cwd=str(PROJECT), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers.processes.append(parent)
    deadline = time.monotonic() + 60
    while _consumers(f"{workers.queue}.page") < 2:
        assert time.monotonic() < deadline and parent.poll() is None, "two worker processes never consumed"
        time.sleep(0.2)
    parent.send_signal(signal.SIGTERM)
    _, err = parent.communicate(timeout=60)
    assert parent.returncode == 0, err
    assert _consumers(f"{workers.queue}.page") == 0


def test_serve_with_a_broker_hands_its_pass_to_the_workers(tmp_path: Path) -> None:
    url = postgres_url()
    reset_postgres(url)
    queue = f"nwtest-{uuid.uuid4().hex[:12]}"
    with FeedFarm(3, 4, faults=False) as small:
        config = _config(tmp_path / "serve.toml", url, small, queue)
        workers = Workers(config, queue)
        try:
            workers.start()
            serve = subprocess.Popen(cli_command(config, "serve"), env=cli_env(), cwd=str(PROJECT),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            workers.processes.append(serve)  # type: ignore[arg-type]
            engine = make_engine(url)
            try:
                deadline = time.monotonic() + 120
                while True:
                    assert time.monotonic() < deadline and serve.poll() is None, "serve's first pass never ended"
                    with engine.connect() as conn:
                        finished = conn.execute(text("SELECT count(*) FROM runs WHERE kind = 'run' AND "
                                                     "status = 'ok'")).scalar_one() if _has_runs(conn) else 0
                    if finished:
                        break
                    time.sleep(0.3)
                with engine.connect() as conn:
                    stored = conn.execute(text("SELECT count(*) FROM articles WHERE NOT is_archive")).scalar_one()
            finally:
                engine.dispose()
            assert stored == 3 * 4
            serve.send_signal(signal.SIGTERM)
            _, err = serve.communicate(timeout=60)
            assert serve.returncode == 0, err
        finally:
            workers.stop()


def _has_runs(conn: Any) -> bool:
    from sqlalchemy import inspect

    return bool(inspect(conn).has_table("runs"))


def test_work_purged_from_the_broker_is_sent_again_and_the_pass_completes(tmp_path: Path) -> None:
    """The database is the truth: a purge loses messages, not work (resent after `resend_after_s`)."""
    from pipeline.broker import QueueBroker

    url = postgres_url()
    reset_postgres(url)
    engine = make_engine(url)
    migrate(engine)
    queue = f"nwtest-{uuid.uuid4().hex[:12]}"
    with FeedFarm(3, 4, faults=False) as small:
        config = _config(tmp_path / "purge.toml", url, small, queue, resend_after_s=2)
        workers = Workers(config, queue)
        run = subprocess.Popen(cli_command(config, "run", "--json"), env=cli_env(), cwd=str(PROJECT),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:          # the pass's poll tasks recorded and published; no worker yet
                with engine.connect() as conn:
                    sent = conn.execute(select(func.count()).select_from(TaskRow)
                                        .where(TaskRow.sent_at.is_not(None))).scalar_one()
                if sent == 3:
                    break
                assert time.monotonic() < deadline and run.poll() is None, "the pass was never queued"
                time.sleep(0.1)
            broker = QueueBroker(QueueSettings(broker=rabbitmq_url(), name=queue))
            broker.purge()
            broker.close()
            workers.start()
            out, err = run.communicate(timeout=120)
        finally:
            if run.poll() is None:
                run.kill()
                run.communicate()
            workers.stop()
            engine.dispose()
    summary = _summary(subprocess.CompletedProcess(run.args, run.returncode, out, err))
    assert (summary["feeds_ok"], summary["new_articles"]) == (3, 12)
    assert "sending 3 unfinished task(s) again" in err
