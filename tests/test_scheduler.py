"""`newswatch serve`: triggers on a controlled clock, the missed digest after a restart, clean stops.

No sleeps: times are passed in, and tests wait on events with a bounded timeout.
"""

from __future__ import annotations

import logging
import os
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.events import EVENT_JOB_SUBMITTED
from sqlalchemy import Engine

from pipeline import digest_job, locks, scheduler
from pipeline.config import DigestSettings, ScheduleSettings
from pipeline.demo import site_files
from pipeline.demo.server import LoopbackSite
from pipeline.errors import AlreadyRunningError
from pipeline.records import FeedSpec
from tests.conftest import FixedClock, MakeResources
from tests.smtp import recording_server
from tests.test_digest import with_digest

KOLKATA = DigestSettings(to=("analyst@example.org",), time="07:00", timezone="Asia/Kolkata")
LONDON = DigestSettings(time="07:00", timezone="Europe/London")


@pytest.mark.parametrize(("settings", "now", "expected"), [
    (KOLKATA, datetime(2026, 3, 13, 0, 0, tzinfo=UTC), datetime(2026, 3, 13, 1, 30, tzinfo=UTC)),
    (KOLKATA, datetime(2026, 3, 13, 1, 30, tzinfo=UTC), datetime(2026, 3, 13, 1, 30, tzinfo=UTC)),
    (KOLKATA, datetime(2026, 3, 13, 1, 31, tzinfo=UTC), datetime(2026, 3, 14, 1, 30, tzinfo=UTC)),
    # British Summer Time starts on 29 March 2026: 07:00 local is 06:00 UTC from then on
    (LONDON, datetime(2026, 3, 28, 8, 0, tzinfo=UTC), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
    (LONDON, datetime(2026, 10, 24, 8, 0, tzinfo=UTC), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
])
def test_the_digest_fires_at_its_local_time(settings: DigestSettings, now: datetime, expected: datetime) -> None:
    fire = scheduler.digest_trigger(settings).get_next_fire_time(None, now)
    assert fire == expected


def test_polling_fires_every_interval() -> None:
    start = datetime(2026, 3, 13, 8, 0, tzinfo=UTC)
    trigger = scheduler.poll_trigger(ScheduleSettings(poll_interval_minutes=30), ZoneInfo("UTC"))
    first = trigger.get_next_fire_time(None, start)
    assert trigger.get_next_fire_time(first, first + timedelta(minutes=1)) - first == timedelta(minutes=30)


@pytest.mark.parametrize(("now", "done", "missed"), [
    (datetime(2026, 3, 13, 1, 29, tzinfo=UTC), False, False),   # 06:59 in Kolkata: not yet due
    (datetime(2026, 3, 13, 1, 30, tzinfo=UTC), False, True),    # due now
    (datetime(2026, 3, 13, 4, 0, tzinfo=UTC), False, True),     # came back at 09:30: late, still goes out
    (datetime(2026, 3, 13, 4, 0, tzinfo=UTC), True, False),     # already sent (or nothing to send)
    (datetime(2026, 3, 13, 19, 0, tzinfo=UTC), False, False),   # 00:30 on the 14th: the new day's is not due
])
def test_a_missed_digest_is_detected(now: datetime, done: bool, missed: bool) -> None:
    assert scheduler.is_digest_missed(KOLKATA, now, done_today=done) is missed


def _recorder() -> tuple[scheduler.JobFunctions, dict[str, list[datetime]], dict[str, threading.Event]]:
    calls: dict[str, list[datetime]] = {"poll": [], "digest": []}
    fired = {"poll": threading.Event(), "digest": threading.Event()}

    def record(name: str) -> scheduler.Job:
        def run() -> None:
            calls[name].append(datetime.now(UTC))
            fired[name].set()
        return run
    return scheduler.JobFunctions(poll=record("poll"), digest=record("digest")), calls, fired


@pytest.mark.parametrize("missed", [True, False])
def test_jobs_fire_on_start_and_the_digest_keeps_its_daily_time(missed: bool) -> None:
    functions, calls, fired = _recorder()
    now = datetime.now(UTC)
    sched = scheduler.build_scheduler(KOLKATA, ScheduleSettings(), functions, now=now, digest_missed=missed)
    # Submission events are dispatched after APScheduler has moved the jobs' next run times on.
    submitted = threading.Event()
    sched.add_listener(lambda event: submitted.set(), EVENT_JOB_SUBMITTED)
    sched.start()
    try:
        assert fired["poll"].wait(10) and submitted.wait(10)
        assert fired["digest"].wait(10 if missed else 0.2) is missed
        digest = sched.get_job(scheduler.DIGEST_JOB)
        sched.shutdown(wait=True)
    finally:
        if sched.running:
            sched.shutdown(wait=False)
    assert (len(calls["poll"]), len(calls["digest"])) == (1, int(missed))
    assert digest is not None
    assert digest.next_run_time > now
    assert digest.next_run_time.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%H:%M") == "07:00"
    assert (digest.max_instances, digest.coalesce, digest.misfire_grace_time) == (1, True, None)


def test_no_recipients_means_no_digest_job() -> None:
    functions, _calls, _fired = _recorder()
    sched = scheduler.build_scheduler(replace(KOLKATA, to=()), ScheduleSettings(), functions,
                                      now=datetime.now(UTC), digest_missed=True)
    assert [job.id for job in sched.get_jobs()] == [scheduler.POLL_JOB]


def test_serve_without_recipients_says_so_once_and_never_tries_to_send(make_resources: MakeResources,
                                                                       clock: FixedClock,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    clock.now = datetime(2026, 3, 13, 9, 30, tzinfo=UTC)   # past the digest time: a digest would be "missed"
    res = make_resources([])
    assert res.settings.digest.to == ()
    polled, digested = threading.Event(), threading.Event()
    functions = scheduler.JobFunctions(poll=polled.set, digest=digested.set)
    stop = threading.Event()
    with caplog.at_level("INFO", logger="pipeline"):
        thread = threading.Thread(target=scheduler.serve, args=(res, stop, functions))
        thread.start()
        assert polled.wait(20)
        stop.set()
        thread.join(20)
    assert not thread.is_alive() and not digested.is_set()
    said = [r for r in caplog.records if "no daily digest" in r.getMessage()]
    assert len(said) == 1 and said[0].levelname == "INFO"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_day_whose_digest_found_nothing_sends_it_when_new_items_arrive(
        make_resources: MakeResources, clock: FixedClock,
        site_factory: Callable[[dict[str, bytes]], LoopbackSite]) -> None:
    """The digest ran while the day's first pass was still storing: the next pass with news sends it, once."""
    clock.now = datetime(2026, 3, 13, 9, 30, tzinfo=UTC)
    site = site_factory(site_files())
    with recording_server() as (handler, port):
        res = with_digest(make_resources([FeedSpec("demo", f"{site.base_url}/defence.xml", interval_minutes=60)]),
                          port, time="07:00", timezone="UTC")
        real = scheduler.default_functions(res, [])
        real.digest()                                       # nothing stored yet: skipped
        assert digest_job.is_digest_skipped(res, clock.now.date()) and handler.received == []
        clock.now += timedelta(minutes=5)
        real.poll()                                         # the first pass stores the day's news
        assert len(handler.received) == 1
        assert handler.received[0].message["Subject"].startswith("newswatch digest 2026-03-13: 1 change")
        clock.now += timedelta(hours=2)
        real.poll()                                         # nothing new (304): nothing more to send
    assert len(handler.received) == 1
    assert digest_job.is_digest_done(res, clock.now.date()) and not digest_job.is_digest_skipped(res, clock.now.date())


def test_a_digest_due_while_down_runs_once_after_a_restart(make_resources: MakeResources,
                                                           clock: FixedClock) -> None:
    """Down at 07:00, back at 09:30: the digest goes out once; a second restart sends nothing."""
    clock.now = datetime(2026, 3, 13, 9, 30, tzinfo=UTC)
    with recording_server() as (handler, port):
        res = with_digest(make_resources([]), port, time="07:00", timezone="UTC", send_empty=True)
        for _restart in range(2):
            real = scheduler.default_functions(res, [])
            polled, digested = threading.Event(), threading.Event()
            functions = scheduler.JobFunctions(poll=lambda: (real.poll(), polled.set())[0],  # noqa: B023
                                               digest=lambda: (real.digest(), digested.set())[0])  # noqa: B023
            stop = threading.Event()
            thread = threading.Thread(target=scheduler.serve, args=(res, stop, functions))
            thread.start()
            assert polled.wait(20)
            if _restart == 0:
                assert digested.wait(20)
            stop.set()
            thread.join(20)
            assert not thread.is_alive()
    assert len(handler.received) == 1
    assert handler.received[0].message["Subject"] == "newswatch digest 2026-03-13: nothing new"
    assert digest_job.is_digest_done(res, clock.now.date())


def test_stop_waits_for_the_job_in_progress(make_resources: MakeResources) -> None:
    res = make_resources([])
    inside, release, finished = threading.Event(), threading.Event(), threading.Event()

    def long_poll() -> None:
        inside.set()
        release.wait(20)
        finished.set()

    stop = threading.Event()
    functions = scheduler.JobFunctions(poll=long_poll, digest=lambda: None)
    thread = threading.Thread(target=scheduler.serve, args=(res, stop, functions))
    thread.start()
    assert inside.wait(20)
    stop.set()
    thread.join(0.5)
    assert thread.is_alive()        # still finishing the pass
    release.set()
    thread.join(20)
    assert not thread.is_alive() and finished.is_set()


def test_a_second_serve_refuses_to_start(make_resources: MakeResources, engine: Engine) -> None:
    res = make_resources([])
    with locks.hold(engine, "serve"), pytest.raises(AlreadyRunningError, match="serve"):
        scheduler.serve(res, threading.Event(), scheduler.JobFunctions(poll=lambda: None, digest=lambda: None))


def test_serve_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    config = tmp_path / "nw.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "nw.db"}"\n'
                      '[digest]\ntime = "07:00"\ntimezone = "UTC"\n', encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen([sys.executable, "-m", "pipeline", "--config", str(config), "serve"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        assert proc.stderr is not None
        seen = b""
        deadline = datetime.now(UTC) + timedelta(seconds=60)
        while b"newswatch serve: polling every" not in seen and datetime.now(UTC) < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 1.0)
            if ready:
                seen += os.read(proc.stderr.fileno(), 4096)
        assert b"newswatch serve: polling every" in seen, seen.decode()
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    assert proc.returncode == 0, (seen + rest).decode()
    assert b"SIGTERM received" in seen + rest and b"newswatch serve stopped" in seen + rest


def test_today_is_the_digest_timezone_s_day(make_resources: MakeResources) -> None:
    base = make_resources([])
    res = replace(base, settings=replace(base.settings, digest=DigestSettings(timezone="Asia/Kolkata")))
    assert digest_job.digest_date(res, datetime(2026, 3, 13, 19, 0, tzinfo=UTC)).isoformat() == "2026-03-14"
