"""`newswatch serve`: APScheduler 3 triggers the same jobs as the CLI, and nothing else.

    poll    every [schedule] poll_interval_minutes, first at start -> jobs.poll_feeds
    digest  daily at [digest] time in [digest] timezone           -> digest_job.send_digest
            (only with [digest] to recipients: without them there is no digest job,
            said once at start, rather than a failure logged and retried every day)

A day whose digest found nothing (it ran while the day's first pass was still
storing) is not over: the first pass after it that brings new items sends it.

APScheduler's defaults lose a daily digest that fell due while the service
was down (misfire_grace_time = 1 s: checklist §4, S1), so the digest job sets
`misfire_grace_time=None` (run however late) with `coalesce=True` (once),
and on start a digest whose time has passed today and that was neither sent
nor found empty is run at once. Jobs never overlap: `max_instances=1` and a
single worker thread, so a pass and the digest never run at the same time in
one process; the locks in pipeline/locks.py keep cron runs and a second
`serve` out (S4, S7). Jobs live in memory and are rebuilt from the config at
every start: no pickled job store to share or tamper with (S10). A failed
digest (SMTP 4xx, timeout) is retried a few times with growing delays; a
permanent refusal waits for tomorrow or a manual `digest --send` (E3, E4).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from pipeline import digest_job, jobs, locks, report
from pipeline.config import DigestSettings, ScheduleSettings
from pipeline.errors import AlreadyRunningError, ConfigError, MailError
from pipeline.records import RunSummary

log = logging.getLogger(__name__)

POLL_JOB = "poll"
DIGEST_JOB = "digest"
DIGEST_RETRY_JOB = "digest-retry"
RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=45), timedelta(hours=2))

Job = Callable[[], None]


@dataclass(frozen=True)
class JobFunctions:
    """What the scheduler calls; tests pass their own."""

    poll: Job
    digest: Job


def digest_time(settings: DigestSettings) -> time:
    """[digest] time ("HH:MM") as a time, or ConfigError."""
    try:
        hour, minute = (int(part) for part in settings.time.split(":"))
        return time(hour, minute)
    except ValueError as exc:
        raise ConfigError(f"[digest] time: {settings.time!r} is not HH:MM (for example \"07:00\")") from exc


def digest_zone(settings: DigestSettings) -> ZoneInfo:
    """[digest] timezone, or ConfigError."""
    try:
        return ZoneInfo(settings.timezone)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"[digest] timezone: {settings.timezone!r} is not an IANA zone "
                          f"(for example \"Asia/Kolkata\" or \"UTC\")") from exc


def digest_trigger(settings: DigestSettings) -> CronTrigger:
    """Daily at the digest time in its timezone (DST-aware: checklist S11)."""
    at = digest_time(settings)
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=digest_zone(settings))


def poll_trigger(settings: ScheduleSettings, zone: ZoneInfo) -> IntervalTrigger:
    """Every poll interval."""
    if settings.poll_interval_minutes < 1:
        raise ConfigError("[schedule] poll_interval_minutes must be 1 or more")
    return IntervalTrigger(minutes=settings.poll_interval_minutes, timezone=zone)


def digest_due_at(settings: DigestSettings, on: date) -> datetime:
    """When the digest of a (local) date falls due."""
    return datetime.combine(on, digest_time(settings), tzinfo=digest_zone(settings))


def is_digest_missed(settings: DigestSettings, now: datetime, *, done_today: bool) -> bool:
    """True when today's digest time has passed and today's digest was neither sent nor empty."""
    today = now.astimezone(digest_zone(settings)).date()
    return not done_today and now >= digest_due_at(settings, today)


def has_recipients(settings: DigestSettings) -> bool:
    """True when [digest] names someone to send the digest to."""
    return bool(settings.to)


def build_scheduler(digest: DigestSettings, schedule: ScheduleSettings, functions: JobFunctions, *,
                    now: datetime, digest_missed: bool) -> BackgroundScheduler:
    """A scheduler with the poll and digest jobs; `now` decides the first runs (tests pass their own)."""
    zone = digest_zone(digest)
    scheduler = BackgroundScheduler(
        timezone=zone,
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"max_instances": 1, "coalesce": True})
    scheduler.add_job(functions.poll, poll_trigger(schedule, zone), id=POLL_JOB, name="polling pass",
                      next_run_time=now, max_instances=1, coalesce=True, misfire_grace_time=None)
    if not has_recipients(digest):
        return scheduler
    # misfire_grace_time=None on purpose: a digest due while we were busy or down still goes out.
    scheduler.add_job(functions.digest, digest_trigger(digest), id=DIGEST_JOB, name="daily digest",
                      max_instances=1, coalesce=True, misfire_grace_time=None,
                      **({"next_run_time": now} if digest_missed else {}))
    return scheduler


def serve(res: jobs.Resources, stop: threading.Event, functions: JobFunctions | None = None, *,
          poll_pass: Callable[[jobs.Resources], RunSummary] = jobs.poll_feeds) -> None:
    """Run the scheduler until `stop` is set; the job in progress finishes first.

    `poll_pass` is the pass: in this process, or handed to the workers ([queue] broker).
    """
    settings = res.settings
    digest_trigger(settings.digest)  # a bad time or zone fails before anything starts
    with locks.hold(locks.engine_of(res.sessions), "serve"):
        now = res.clock()
        sends = has_recipients(settings.digest)
        missed = sends and is_digest_missed(
            settings.digest, now, done_today=digest_job.is_digest_done(res, digest_job.digest_date(res, now)))
        holder: list[BackgroundScheduler] = []
        scheduler = build_scheduler(settings.digest, settings.schedule,
                                    functions or default_functions(res, holder, poll_pass), now=now,
                                    digest_missed=missed)
        holder.append(scheduler)
        scheduler.start()
        if sends:
            log.info("newswatch serve: polling every %d min, digest daily at %s %s%s",
                     settings.schedule.poll_interval_minutes, settings.digest.time, settings.digest.timezone,
                     "; today's digest is late and runs now" if missed else "")
        else:
            log.info("newswatch serve: polling every %d min; no daily digest: [digest] to names no recipients "
                     "(add to = [\"you@example.org\"] to send one)", settings.schedule.poll_interval_minutes)
        try:
            while not stop.wait(1.0):
                pass
        finally:
            log.info("stopping: waiting for the job in progress")
            scheduler.shutdown(wait=True)
    log.info("newswatch serve stopped")


def default_functions(res: jobs.Resources, holder: list[BackgroundScheduler],
                      poll_pass: Callable[[jobs.Resources], RunSummary] = jobs.poll_feeds) -> JobFunctions:
    """The real jobs: the same functions the CLI calls, with their failures logged, never raised."""
    def poll() -> None:
        try:
            summary = poll_pass(res)
        except AlreadyRunningError as exc:
            log.warning("polling pass skipped: %s", exc)
            return
        log.info("pass: %s", report.summary_line(summary))
        # Today's digest may have found nothing because it ran while the day's
        # first pass was still storing: once new items arrive, it goes out today.
        if (summary.new_articles or summary.changes) and has_recipients(res.settings.digest) \
                and digest_job.is_digest_skipped(res, digest_job.digest_date(res)):
            log.info("new items after today's digest found nothing: sending it now")
            send()

    def send(attempt: int = 0) -> None:
        on = digest_job.digest_date(res)
        try:
            outcome = digest_job.send_digest(res, on)
            log.info("digest %s: %s", on, outcome.status)
        except AlreadyRunningError as exc:
            log.warning("digest skipped: %s", exc)
        except MailError as exc:
            if exc.temporary and attempt < len(RETRY_DELAYS) and holder:
                run_at = res.clock() + RETRY_DELAYS[attempt]
                log.error("digest %s not sent (%s); retrying at %s", on, exc, run_at.isoformat(timespec="minutes"))
                holder[0].add_job(send, DateTrigger(run_date=run_at), id=DIGEST_RETRY_JOB, replace_existing=True,
                                  kwargs={"attempt": attempt + 1}, misfire_grace_time=None)
            else:
                log.error("digest %s not sent (%s); send it with `newswatch digest --send`", on, exc)

    return JobFunctions(poll=poll, digest=send)
