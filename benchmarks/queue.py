"""`python -m benchmarks.queue --database URL [--quick]`: the queue path measured (not a test).

    S1  Dramatiq on RabbitMQ alone: no-op tasks published and consumed per second
    S2  pages per second through `run` + 1 and 2 worker processes (loopback farm), beside one process
    S3  memory per worker process (peak RSS)
    S4  per-host interval across 2 workers through Redis: the least gap between two starts seen by the host
    S5  a shortened soak: pages arriving at 12/s (1M stories/day) for a while, how far the workers lag

Needs RabbitMQ on 127.0.0.1:5672, Redis on 127.0.0.1:6379 and a PostgreSQL
database it may empty (`--database`: its public schema is dropped). Each run
uses queues of its own name and deletes them.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from benchmarks.perf import Figure, render_table  # noqa: E402
from tests.feed_farm import FeedFarm  # noqa: E402
from tests.synthetic_site import NEWS_VOCABULARY  # noqa: E402

BROKER = "amqp://guest:guest@127.0.0.1:5672/"
REDIS = "redis://127.0.0.1:6379/0"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSWATCH_DATABASE_URL", "NEWSWATCH_CONFIG")}
    env["PYTHONPATH"] = str(PROJECT)
    return env


def _config(folder: Path, database: str, farm: FeedFarm, queue: str, extra: str = "") -> Path:
    lines = [f'[database]\nurl = "{database}"\n',
             '[fetch]\nallow_private_addresses = true\nallowed_hosts = ["127.0.0.1"]\ntimeout_s = 5\n' + extra]
    if queue:
        lines.append(f'[queue]\nbroker = "{BROKER}"\nname = "{queue}"\nredis = "{REDIS}"\n')
    lines += [f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n' for name, url in farm.feed_urls()]
    path = folder / f"{queue or 'single'}-{uuid.uuid4().hex[:6]}.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _reset(database: str) -> None:
    from sqlalchemy import text

    from pipeline.store.db import make_engine, migrate

    engine = make_engine(database)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate(engine)
    engine.dispose()


def _cli(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--config", str(config), *args]


def _consumers(queue: str) -> int:
    import pika

    connection = pika.BlockingConnection(pika.URLParameters(BROKER))
    try:
        channel = connection.channel()
        return int(channel.queue_declare(f"{queue}.page", passive=True).method.consumer_count)
    except Exception:
        return 0
    finally:
        if connection.is_open:
            connection.close()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def _workers(config: Path, queue: str, processes: int, threads: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    started = [subprocess.Popen(_cli(config, "worker", "--threads", str(threads)), env=_env(), cwd=str(PROJECT),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(processes)]
    try:
        deadline = time.monotonic() + 60
        while _consumers(queue) < processes and time.monotonic() < deadline:
            time.sleep(0.2)
        yield started
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            process.wait(60)
        from pipeline.broker import QueueBroker
        from pipeline.config import QueueSettings

        broker = QueueBroker(QueueSettings(broker=BROKER, name=queue))
        broker.delete_queues()
        broker.close()


def _run(config: Path) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    result = subprocess.run(_cli(config, "run", "--all", "--json"), env=_env(), cwd=str(PROJECT),
                            capture_output=True, text=True, timeout=3600, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr[-2000:])
    return elapsed, dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _pages(summary: dict[str, object]) -> int:
    errors = summary.get("errors", {})
    failed = sum(errors.values()) if isinstance(errors, dict) else 0
    return int(summary["new_articles"]) + int(summary["duplicates"]) + int(failed)  # type: ignore[call-overload]


def s1_engine(tasks: int) -> Figure:
    """No-op tasks through Dramatiq on RabbitMQ: publish rate (confirmed) and consume rate (8 threads)."""
    import dramatiq
    from dramatiq.brokers.rabbitmq import RabbitmqBroker

    queue = f"nwbench-{uuid.uuid4().hex[:8]}"
    broker = RabbitmqBroker(url=BROKER, confirm_delivery=True)
    done = threading.Semaphore(0)

    @dramatiq.actor(broker=broker, queue_name=queue, actor_name=f"{queue}_noop")
    def noop(i: int) -> None:
        done.release()

    started = time.perf_counter()
    for i in range(tasks):
        noop.send(i)
    published = tasks / (time.perf_counter() - started)
    worker = dramatiq.Worker(broker, worker_threads=8, worker_timeout=100)
    started = time.perf_counter()
    worker.start()
    for _ in range(tasks):
        done.acquire(timeout=120)
    consumed = tasks / (time.perf_counter() - started)
    worker.stop()
    for name in (queue, f"{queue}.DQ", f"{queue}.XQ"):
        broker.channel.queue_delete(name)
    broker.close()
    return Figure("S1", f"engine: {tasks} no-op tasks, 1 process x 8 threads", "issue: ~3,000/s",
                  f"publish {published:,.0f}/s, consume {consumed:,.0f}/s", None, "> 100/s (peak need)",
                  consumed > 100)


def s2_s3_throughput(database: str, folder: Path, feeds: int, pages: int) -> list[Figure]:
    """Pages per second: one process (SQLite), then `run` with 1 and 2 worker processes (PostgreSQL).

    The farm's pages are written with a news-sized vocabulary: with the tests' small one every page
    shares LSH story bands with every other, which real news does not (see tests/synthetic_site.py).
    """
    rates: dict[str, float] = {}
    memory: list[float] = []
    with FeedFarm(feeds, pages, faults=False, words=NEWS_VOCABULARY) as farm:
        single = _config(folder, f"sqlite:///{folder / f'single-{uuid.uuid4().hex[:6]}.db'}", farm, "")
        elapsed, summary = _run(single)
        rates["one process"] = _pages(summary) / elapsed
        for processes in (1, 2):
            _reset(database)
            queue = f"nwbench-{uuid.uuid4().hex[:8]}"
            config = _config(folder, database, farm, queue)
            with _workers(config, queue, processes, threads=2) as started:
                elapsed, summary = _run(config)
                rates[f"{processes} worker(s)"] = _pages(summary) / elapsed
                memory += [_peak_rss_mb(p.pid) for p in started]
    scale = rates["2 worker(s)"] / rates["1 worker(s)"]
    total = feeds * pages
    return [
        Figure("S2", f"pages/s, {total} pages of {feeds} feeds, loopback, 2 threads per worker",
               f"one process {rates['one process']:.1f}/s", f"1 worker {rates['1 worker(s)']:.1f}/s, "
               f"2 workers {rates['2 worker(s)']:.1f}/s", scale, ">= 1.6x (2 cores)", scale >= 1.6),
        Figure("S3", "peak RSS per worker process", "-", ", ".join(f"{m:.0f} MB" for m in memory), None,
               "< 500 MB", max(memory) < 500),
    ]


def s4_host_gaps(database: str, folder: Path, interval_s: float) -> Figure:
    """Two workers sharing a per-host interval through Redis: the least gap the host sees between two starts."""
    _reset(database)
    queue = f"nwbench-{uuid.uuid4().hex[:8]}"
    with FeedFarm(6, 8, faults=False) as farm:
        config = _config(folder, database, farm, queue, f"per_host_interval_s = {interval_s}\n")
        with _workers(config, queue, 2, threads=2):
            farm.starts.clear()
            _run(config)
        starts = sorted(farm.starts)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    smallest = min(gaps) if gaps else 0.0
    return Figure("S4", f"per-host interval {interval_s}s across 2 workers (Redis), {len(starts)} requests",
                  f"{interval_s:.3f}s", f"least gap {smallest:.3f}s, mean {sum(gaps) / max(len(gaps), 1):.3f}s",
                  None, f">= {interval_s * 0.7:.3f}s (arrival jitter)", smallest >= interval_s * 0.7)


def s5_soak(database: str, folder: Path, seconds: int, rate: float) -> Figure:
    """Pages arriving at `rate`/s for `seconds` (a pass every 10 s brings the new ones); how far workers lag."""
    from sqlalchemy import func, select

    from pipeline.store.db import make_engine
    from pipeline.store.models import TaskRow

    _reset(database)
    queue = f"nwbench-{uuid.uuid4().hex[:8]}"
    per_pass = int(rate * 10)
    feeds = max(per_pass // 10, 1)
    passes = max(seconds // 10, 1)
    lags = []
    # Each pass polls a farm of its own (new pages); the pages of a pass must be stored before the next starts.
    with FeedFarm(feeds * passes, 10, faults=False, words=NEWS_VOCABULARY) as farm:
        config = _config(folder, database, farm, queue)
        with _workers(config, queue, 2, threads=2):
            engine = make_engine(database)
            for n in range(passes):
                started = time.monotonic()
                names = [name for name, _ in farm.feed_urls()[n * feeds:(n + 1) * feeds]]
                args = [a for name in names for a in ("--feed", name)]
                subprocess.run(_cli(config, "run", "--no-wait", *args), env=_env(), cwd=str(PROJECT),
                               capture_output=True, timeout=120, check=True)
                while True:
                    with engine.connect() as conn:
                        left = conn.execute(select(func.count()).select_from(TaskRow)
                                            .where(TaskRow.done_at.is_(None))).scalar_one()
                    if left == 0:
                        break
                    time.sleep(0.1)
                took = time.monotonic() - started
                lags.append(took)
                if took < 10:
                    time.sleep(10 - took)
            engine.dispose()
    worst = max(lags)
    return Figure("S5", f"soak: {per_pass} new pages every 10 s ({rate:g}/s) for {passes * 10} s, 2 workers",
                  "12/s = 1M/day", f"each batch stored in {min(lags):.1f}-{worst:.1f}s", None,
                  "< 10 s (keeps up)", worst < 10)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.queue", description=__doc__)
    parser.add_argument("--database", required=True, help="a PostgreSQL URL whose public schema may be dropped")
    parser.add_argument("--quick", action="store_true", help="tiny inputs: a smoke run")
    parser.add_argument("--soak-seconds", type=int, default=600)
    args = parser.parse_args(argv)
    print(render_table(run_queue(args.database, quick=args.quick, soak_seconds=args.soak_seconds)))
    return 0


def run_queue(database: str, *, quick: bool = False, soak_seconds: int = 600) -> list[Figure]:
    """Every queue figure (S1-S5)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures = [s1_engine(300 if quick else 3000)]
        figures += s2_s3_throughput(database, folder, 10 if quick else 100, 10)
        figures.append(s4_host_gaps(database, folder, 0.05))
        figures.append(s5_soak(database, folder, 20 if quick else soak_seconds, 12.0))
    return figures


if __name__ == "__main__":
    sys.exit(main())
