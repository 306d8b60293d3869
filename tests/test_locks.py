"""Locks for cron: a second run exits at once without work; a killed holder never blocks the next run."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, func, select
from werkzeug import Request, Response

from pipeline import jobs, locks
from pipeline.cli import EXIT_ALREADY_RUNNING, cli
from pipeline.errors import AlreadyRunningError
from pipeline.records import FeedSpec
from pipeline.store.db import transaction
from pipeline.store.models import RunRow
from tests.conftest import MakeResources

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://x/</link>
<description>d</description></channel></rss>"""


def test_a_second_holder_fails_at_once(engine: Engine) -> None:
    with locks.hold(engine, "run"):
        with pytest.raises(AlreadyRunningError, match="another `newswatch run` is in progress"):
            with locks.hold(engine, "run"):
                pass
        with locks.hold(engine, "digest"):   # other names are independent
            pass
    with locks.hold(engine, "run"):            # released on exit
        pass


def test_a_killed_holder_leaves_no_lock_behind(engine: Engine, database_url: str) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "from pipeline import locks\n"
            "from pipeline.store.db import make_engine\n"
            f"with locks.hold(make_engine({database_url!r}), 'run'):\n"
            "    print('held', flush=True)\n"
            "    sys.stdin.read()\n")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
            with pytest.raises(AlreadyRunningError):
                with locks.hold(engine, "run"):
                    pass
        finally:
            holder.kill()                       # SIGKILL: no cleanup code runs
            holder.wait(timeout=30)
    with locks.hold(engine, "run"):
        pass


def test_two_runs_at_once_the_second_exits_without_work(httpserver: HTTPServer,
                                                        make_resources: MakeResources) -> None:
    inside, release = threading.Event(), threading.Event()

    def slow_feed(_request: Request) -> Response:
        inside.set()
        release.wait(20)
        return Response(RSS, content_type="application/rss+xml")

    httpserver.expect_request("/slow.xml").respond_with_handler(slow_feed)
    res = make_resources([FeedSpec("slow", httpserver.url_for("/slow.xml"))])
    results: list[object] = []
    first = threading.Thread(target=lambda: results.append(jobs.poll_feeds(res)))
    first.start()
    try:
        assert inside.wait(20)
        with pytest.raises(AlreadyRunningError):
            jobs.poll_feeds(res, all_feeds=True)
    finally:
        release.set()
        first.join(30)
    assert len(results) == 1
    assert len(httpserver.log) == 1            # the second pass fetched nothing
    with transaction(res.sessions) as session:
        assert session.scalar(select(func.count()).select_from(RunRow)) == 1


def test_run_from_cron_exits_75_with_a_clear_message(engine: Engine, database_url: str, tmp_path: Path,
                                                     httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, content_type="application/rss+xml")
    config = tmp_path / "nw.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n[fetch]\nallow_private_addresses = true\n'
                      f'[[feeds]]\nname = "f"\nurl = "{httpserver.url_for("/feed.xml")}"\n', encoding="utf-8")
    with locks.hold(engine, "run"):
        busy = CliRunner().invoke(cli, ["--config", str(config), "run"])
    assert busy.exit_code == EXIT_ALREADY_RUNNING == 75
    assert "another `newswatch run` is in progress" in busy.output
    assert httpserver.log == []
    done = CliRunner().invoke(cli, ["--config", str(config), "run"])
    assert done.exit_code == 0, done.output
    assert len(httpserver.log) == 1
