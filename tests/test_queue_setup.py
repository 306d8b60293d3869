"""The queue's settings, refusals, operability (feeds, metrics, the worker unit) and shared per-host limits."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.config import FetchSettings, load_settings
from pipeline.errors import ConfigError
from pipeline.metrics import Metrics

PROJECT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_queue_defaults_keep_everything_in_process(tmp_path: Path) -> None:
    settings = load_settings(str(_write(tmp_path, "")))
    assert (settings.queue.broker, settings.queue.name, settings.queue.redis, settings.queue.metrics_port) == \
        ("", "newswatch", "", 0)
    assert (settings.fetch.per_host_concurrency, settings.fetch.per_host_interval_s) == (2, 0.0)


@pytest.mark.parametrize(("text", "expected"), [
    ('[queue]\nbroker = "redis://x"\n', "[queue] broker must be a RabbitMQ URL"),
    ('[queue]\nname = "has space"\n', "[queue] name must be"),
    ('[queue]\nredis = "amqp://x"\n', "[queue] redis must be a Redis URL"),
    ('[queue]\nbrokr = "amqp://x"\n', "unknown key [queue] 'brokr'"),
    ('[fetch]\nper_host_concurrency = 0\n', "per_host_concurrency must be 1 or more"),
    ('[fetch]\nper_host_interval_s = -1\n', "per_host_interval_s"),
])
def test_bad_queue_settings_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=None) as error:
        load_settings(str(_write(tmp_path, text)))
    assert expected in str(error.value)


def test_a_broker_with_sqlite_is_refused_even_from_the_environment(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config = _write(tmp_path, '[database]\nurl = "postgresql+psycopg://u@127.0.0.1/x"\n'
                              '[queue]\nbroker = "amqp://guest:guest@127.0.0.1:5672/"\n')
    assert load_settings(str(config)).queue.broker
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ConfigError, match="database is SQLite"):
        load_settings(str(config))


def test_worker_without_a_broker_exits_2_saying_what_to_set(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(_write(tmp_path, "")), "worker"])
    assert result.exit_code == 2
    assert "needs [queue] broker" in result.output


def test_no_wait_without_a_broker_is_bad_usage(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(_write(tmp_path, "")), "run", "--no-wait"])
    assert result.exit_code == 2
    assert "--no-wait needs [queue] broker" in result.output


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_readme_worker_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```ini", readme.index("/etc/systemd/system/newswatch-worker@.service")) + len("```ini")
    unit = readme[start:readme.index("```", start)]
    # The unit's paths are an installation's; here the executable is this checkout's.
    executable = str(Path(sys.executable).parent / "newswatch")
    unit = unit.replace("/srv/newswatch/.venv/bin/newswatch", executable).replace("/srv/newswatch", str(tmp_path))
    path = tmp_path / "newswatch-worker@.service"
    path.write_text(unit, encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(path)], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "newswatch-worker" not in result.stderr, result.stderr


def test_metrics_count_tasks_and_serve_them(unused_port: int) -> None:
    metrics = Metrics()
    ok = metrics.timed("page", lambda task_id: None)
    ok(1)
    ok(2)

    def broken(task_id: int) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        metrics.timed("poll", broken)(3)
    metrics.set_queued({"page": 7})
    metrics.serve(unused_port, "127.0.0.1")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{unused_port}/metrics", timeout=5) as response:
            text = response.read().decode()
    finally:
        metrics.close()
    assert 'newswatch_tasks_total{kind="page",outcome="ok"} 2.0' in text
    assert 'newswatch_tasks_total{kind="poll",outcome="error"} 1.0' in text
    assert 'newswatch_queued_tasks{kind="page"} 7.0' in text
    assert 'newswatch_task_seconds_count{kind="page"} 2.0' in text


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_url() -> str:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/0"


def test_redis_gate_shares_the_in_flight_limit_between_gates() -> None:
    """Two gates (two workers) on one Redis: never more than the limit in flight to one host."""
    from pipeline.broker import RedisHostGate

    prefix = f"nwtest-{uuid.uuid4().hex[:8]}"
    fetch = FetchSettings(per_host_concurrency=2, timeout_s=5)
    gates = [RedisHostGate(_redis_url(), prefix, fetch), RedisHostGate(_redis_url(), prefix, fetch)]
    in_flight, most, lock = 0, 0, threading.Lock()

    def request(gate: RedisHostGate) -> None:
        nonlocal in_flight, most
        with gate.hold("http://a.test/x"):
            with lock:
                in_flight += 1
                most = max(most, in_flight)
            time.sleep(0.05)
            with lock:
                in_flight -= 1

    threads = [threading.Thread(target=request, args=(gates[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for gate in gates:
        gate.close()
    assert most == 2


def test_redis_gate_spaces_starts_to_one_host_across_gates() -> None:
    from pipeline.broker import RedisHostGate

    prefix = f"nwtest-{uuid.uuid4().hex[:8]}"
    fetch = FetchSettings(per_host_concurrency=4, per_host_interval_s=0.2, timeout_s=5)
    gates = [RedisHostGate(_redis_url(), prefix, fetch), RedisHostGate(_redis_url(), prefix, fetch)]
    starts: list[float] = []
    for i in range(4):
        with gates[i % 2].hold("http://a.test/x"):
            starts.append(time.monotonic())
    for gate in gates:
        gate.close()
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    assert min(gaps) >= 0.19, gaps
