"""The `newswatch` command: load config, build resources, call a job, print.

Start-up stays cheap: this module imports click, settings and errors only;
each command imports the stages it uses (the dedup and claim stages load
numpy, CLDR tables and trafilatura), so `--help`, `--version` and a `run`
that finds another one in progress (exit 75) answer at once.

Output for people goes to stdout, logs to stderr. Exit status: 0 ok, 1 the
job failed (every polled feed failed, SMTP failure, no database yet), 2 bad
usage or config, 75 another run of the same job is in progress (sysexits
EX_TEMPFAIL: try later), 130 interrupted (Ctrl-C). Every expected failure is
one line on stderr naming the fix, never a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pipeline.config import Settings, load_settings, resolve_database_url
from pipeline.errors import AlreadyRunningError, ConfigError, NewswatchError, StoreError

if TYPE_CHECKING:
    import threading

    from sqlalchemy.orm import Session, sessionmaker

    from pipeline import jobs

log = logging.getLogger("pipeline")
EXIT_ALREADY_RUNNING = 75  # sysexits.h EX_TEMPFAIL: not a failure, another instance is doing the work
EXIT_INTERRUPTED = 130     # 128 + SIGINT, what shells report for Ctrl-C
F = TypeVar("F", bound=Callable[..., Any])
NOISY_LOGGERS = ("httpx", "httpcore", "trafilatura", "htmldate", "charset_normalizer", "courlan", "pika")


class UsageProblem(click.ClickException):
    """Bad usage or config: one line on stderr naming the fix, exit 2."""

    exit_code = 2


def _config_option(func: F) -> F:
    """`--config` on the group and, kindly, after the command too."""
    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            ctx.ensure_object(dict)["config"] = value
        return value
    return click.option("--config", "config_path", metavar="PATH", expose_value=False, callback=remember,
                        is_eager=True, help="Config file (default: $NEWSWATCH_CONFIG or ./config/newswatch.toml).")(func)


def _logging_options(func: F) -> F:
    """`-v` and `--log-format` on the group and, like `--config`, after the command too."""
    def count(ctx: click.Context, _param: click.Parameter, value: int) -> int:
        options = ctx.ensure_object(dict)
        options["verbose"] = options.get("verbose", 0) + value
        if value:
            configure_logging(options["verbose"], options.get("log_format", "text"))
        return value

    def choose(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            options = ctx.ensure_object(dict)
            options["log_format"] = value
            configure_logging(options.get("verbose", 0), value)
        return value

    func = click.option("--log-format", type=click.Choice(["text", "json"]), default=None, expose_value=False,
                        callback=choose, help="Logs on stderr as text (ISO timestamps) or one JSON object "
                                              "per line.")(func)
    return click.option("-v", "--verbose", count=True, expose_value=False, callback=count,
                        help="More log output on stderr (-vv for debug).")(func)


class _TextFormatter(logging.Formatter):
    """`2026-12-01T07:00:02.123Z WARNING pipeline.jobs: ...`: runs told apart in cron.log."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return _iso(record.created)


class _JsonFormatter(logging.Formatter):
    """One JSON object per line for log collectors: time, level, logger, message (and exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": _iso(record.created), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def configure_logging(verbose: int, log_format: str = "text") -> None:
    """Logs to stderr at the level `-v` asks for, with ISO timestamps or as JSON lines.

    A host that already logs (pytest's capture, an embedding program) keeps
    its handlers: only our own handler is ever replaced.
    """
    root = logging.getLogger()
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    # Third-party loggers stay quiet unless asked: httpx logs every request at
    # INFO and trafilatura warns about every page without text (we record those).
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.ERROR if verbose < 2 else logging.DEBUG)
    if any(not getattr(handler, "newswatch", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.newswatch = True  # type: ignore[attr-defined]
    handler.setFormatter(_JsonFormatter() if log_format == "json"
                         else _TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers = [handler]
    root.setLevel(level)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newswatch", prog_name="newswatch", message="%(prog)s %(version)s")
@_config_option
@_logging_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """newswatch: follow the S-400 deal and India-Russia summits across news feeds."""
    options = ctx.ensure_object(dict)
    configure_logging(options.get("verbose", 0), options.get("log_format", "text"))


def _settings(ctx: click.Context) -> Settings:
    try:
        return load_settings(ctx.ensure_object(dict).get("config"))
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from exc


NO_DATABASE_FIX = ("create it with `newswatch init` (or `newswatch run`), or point [database] url or "
                   "$NEWSWATCH_DATABASE_URL at an existing one")


@contextmanager
def _database(settings: Settings, *, read_only: bool = False) -> Iterator[sessionmaker[Session]]:
    """Engine and migrated schema: the sessions of a command that needs no fetcher.

    A read-only command (`feeds`, `report`, `claims list`) never creates a
    database: with none there it says so and how to make one. Other commands
    create it and say where, once.
    """
    from pipeline.store.db import is_initialised, make_engine, make_sessionmaker, migrate, redact_url, sqlite_file

    url = resolve_database_url(settings)
    path = sqlite_file(url)
    is_new = path is not None and not path.exists()
    if read_only and is_new:
        raise StoreError(f"no database at {path} yet; {NO_DATABASE_FIX}")
    engine = make_engine(url)
    try:
        if read_only and not is_initialised(engine):
            raise StoreError(f"the database at {redact_url(engine)} has no newswatch tables yet; {NO_DATABASE_FIX}")
        migrate(engine)  # cheap when up to date; brings an older schema to head
        if is_new:
            click.echo(f"newswatch: created a new database at {path}", err=True)
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


@contextmanager
def _resources(settings: Settings, *, progress: bool = False, read_only: bool = False) -> Iterator[jobs.Resources]:
    """Engine, migrated schema, fetcher: built once per command."""
    from pipeline import jobs
    from pipeline.fetch import Fetcher

    with _database(settings, read_only=read_only) as sessions:
        fetcher = Fetcher(settings.fetch)
        try:
            yield jobs.Resources(settings=settings, sessions=sessions, fetcher=fetcher,
                                 progress=_progress_printer() if progress else None)
        finally:
            fetcher.close()


def _stop_on_signals(finishing: str) -> threading.Event:
    """An event SIGTERM and Ctrl-C set (what is `finishing` finishes first); a long-running command logs at INFO."""
    import signal
    import threading

    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.warning("%s received: stopping after %s", signal.Signals(signum).name, finishing)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    logging.getLogger("pipeline").setLevel(min(logging.getLogger("pipeline").getEffectiveLevel(), logging.INFO))
    return stop


@contextmanager
def _publisher(res: jobs.Resources) -> Iterator[Any]:
    """The broker of [queue] broker, to publish tasks (None without one: the pass runs in this process)."""
    if not res.settings.queue.broker:
        yield None
        return
    from pipeline import broker, queued

    queue = broker.connect_checked(res.settings.queue, {})
    queue.declare(queued.task_handlers(res, queue))   # declared to publish; this process never runs them
    try:
        yield queue
    finally:
        queue.close()


@contextmanager
def _job_lock(settings: Settings, name: str) -> Iterator[None]:
    """The job's lock, taken before the stages are imported or the schema migrated.

    A `run` that cron starts while another is in progress exits 75 in the
    time it takes to import SQLAlchemy, not the whole pipeline.
    """
    from pipeline import locks
    from pipeline.store.db import make_engine

    engine = make_engine(resolve_database_url(settings))
    try:
        with locks.hold(engine, name):
            yield
    finally:
        engine.dispose()


def _exit_if_busy(settings: Settings, name: str) -> None:
    """Exit 75 at once, before the stages load, when another holds the job's lock.

    Only a quick look: the job takes the lock itself (and fails the same way
    if another took it meanwhile).
    """
    with _job_lock(settings, name):
        pass


def _progress_printer() -> Callable[[str], None] | None:
    """Progress lines on a terminal; nothing under cron (no terminal)."""
    if not sys.stderr.isatty():
        return None
    return lambda message: click.echo(f"… {message}", err=True)


def _fail(exc: NewswatchError) -> None:
    if isinstance(exc, AlreadyRunningError):
        click.echo(f"newswatch: {exc}", err=True)
        sys.exit(EXIT_ALREADY_RUNNING)
    click.echo(f"error: {exc}", err=True)
    sys.exit(2 if isinstance(exc, ConfigError) else 1)


@cli.command()
@_config_option
@_logging_options
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create or migrate the database and import archive/ once."""
    from pipeline import jobs
    from pipeline.store import queries
    from pipeline.store.db import make_engine, migrate, redact_url, transaction

    settings = _settings(ctx)
    try:
        engine = make_engine(resolve_database_url(settings))
        migrate(engine)
        engine.dispose()
        with _resources(settings) as res:
            added = jobs.import_archive(res)
            with transaction(res.sessions) as session:
                changes = len(queries.change_rows(session))
        click.echo(f"database ready at {redact_url(engine)}; archive: {added} article(s) imported; "
                   f"{changes} change(s) known")
    except NewswatchError as exc:
        _fail(exc)


@cli.command()
@_config_option
@_logging_options
@click.option("--feed", "feed_names", multiple=True, metavar="NAME", help="Poll only this feed (repeatable).")
@click.option("--all", "all_feeds", is_flag=True, help="Poll every feed, due or not.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as one JSON object.")
@click.option("--no-wait", is_flag=True, help="With [queue] broker: enqueue the due feeds and return at once.")
@click.pass_context
def run(ctx: click.Context, feed_names: tuple[str, ...], all_feeds: bool, as_json: bool, no_wait: bool) -> None:
    """One polling pass over the feeds that are due (what cron calls)."""
    settings = _settings(ctx)
    unknown = sorted(set(feed_names) - {f.name for f in settings.feeds})
    if unknown:
        raise click.UsageError(f"no feed named {unknown[0]!r} in {settings.source}")
    if no_wait and not settings.queue.broker:
        raise UsageProblem(f"--no-wait needs [queue] broker in {settings.source}: without workers the pass "
                           f"runs in this process")
    try:
        # jobs.poll_feeds, with the lock taken first: a second run exits 75 before any heavy import.
        with _job_lock(settings, "run"):
            from pipeline import alert_job, jobs

            with _resources(settings, progress=not as_json) as res, _publisher(res) as publisher:
                jobs.import_archive(res)
                known = alert_job.known_changes(res)
                if publisher is None:
                    summary = jobs.run_pass(res, feed_names=feed_names, all_feeds=all_feeds)
                else:
                    from pipeline import queued

                    queued.resend_stale(res, publisher)     # anything an earlier pass left behind
                    handed = queued.enqueue_pass(res, publisher, feed_names=feed_names, all_feeds=all_feeds)
                    if no_wait:
                        click.echo(f"run {handed.run_id}: {handed.feeds} feed(s) queued for the workers")
                        return
                    summary = queued.wait_for_pass(res, publisher, handed)
                alert_job.after_pass(res, known)   # [[alerts]]: this pass's changes, posted before it ends
                finished_at = res.clock()
    except NewswatchError as exc:
        _fail(exc)
        return
    from pipeline import report
    if as_json:
        click.echo(json.dumps(report.summary_json(summary), sort_keys=False))
    else:
        # Stamped, so that passes can be told apart in cron.log.
        click.echo(f"{_iso(finished_at.timestamp())} {report.summary_line(summary)}")
    polled = summary.feeds_ok + summary.feeds_failed
    sys.exit(1 if polled and summary.feeds_ok == 0 else 0)


@cli.command()
@_config_option
@_logging_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object per feed and line, for programs.")
@click.pass_context
def feeds(ctx: click.Context, fmt: str) -> None:
    """Each feed's state: last fetch, status, validators, errors, next poll."""
    from pipeline import report
    from pipeline.store import queries
    from pipeline.store.db import transaction

    settings = _settings(ctx)
    try:
        with _database(settings, read_only=True) as sessions, transaction(sessions) as session:
            queries.sync_feeds(session, settings.feeds)
            configured = {f.name for f in settings.feeds}
            rows = [f for f in queries.list_feed_states(session) if f.name in configured]
            queued = _queued_work(session) if settings.queue.broker else None
            if fmt == "json":
                for row in rows:
                    shown = report.feed_json(row)
                    if queued is not None:
                        shown["queued_tasks"] = queued.get(row.name, 0)
                    click.echo(json.dumps(shown, ensure_ascii=False))
            else:
                click.echo(report.render_feeds(rows))
                if queued is not None:
                    by_feed = ", ".join(f"{name} {count}" for name, count in sorted(queued.items()) if count)
                    click.echo(f"queued work: {sum(queued.values())} task(s) not done"
                               + (f" ({by_feed})" if by_feed else ""))
    except NewswatchError as exc:
        _fail(exc)


@cli.command("report")
@_config_option
@_logging_options
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only changes reported on or after DATE.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json", "atom"]), default="md", show_default=True,
              help="atom: an Atom feed of the changes, one entry per change, to subscribe to.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE instead of stdout.")
@click.option("--unreviewed", is_flag=True, help="Only changes with no reviewed claim behind them.")
@click.pass_context
def report_command(ctx: click.Context, since: Any, fmt: str, output: str | None, unreviewed: bool) -> None:
    """The change report: shifts in reported values and dates, with sources."""
    from pipeline import jobs, report
    from pipeline.store.db import transaction

    settings = _settings(ctx)
    since_on: date | None = since.date() if since else None
    output_path = _output_file(output)
    try:
        with _resources(settings, read_only=True) as res:
            jobs.import_archive(res)
            with transaction(res.sessions) as session:
                data = jobs.load_report(session, since_on, res.clock())
                if unreviewed:
                    from pipeline.review import is_reviewed
                    data = replace(data, changes=[c for c in data.changes if not is_reviewed(c)])
                chart_png = b""
                if fmt == "html":
                    from pipeline.chart import draw_timeline
                    changed = {(c["topic"], c["subject"], c["kind"]) for c in data.changes}
                    series = report.timeline_series(jobs.reported_claims(session), settings.exchange_rates, changed)
                    chart_png = draw_timeline(series, y_labels=report.chart_labels(series),
                                              date_valued=report.date_valued(series))
    except NewswatchError as exc:
        _fail(exc)
        return
    if fmt == "atom":
        from pipeline.atom import render_atom
        text = render_atom(data)
    else:
        text = report.render(data, fmt, chart_png)
    if output_path:
        _write_output(output_path, text, "report")
    else:
        click.echo(text)


@cli.command()
@click.option("--keep", type=click.Path(file_okay=False), help="Keep the demo database in this folder.")
@_logging_options
def demo(keep: str | None) -> None:
    """The whole pipeline offline on bundled sample feeds, in a temporary database."""
    from pipeline import demo as demo_job
    keep_dir = Path(keep) if keep else None
    if keep_dir is not None:
        try:
            keep_dir.mkdir(parents=True, exist_ok=True)
            if not os.access(keep_dir, os.W_OK | os.X_OK):
                raise PermissionError(13, "permission denied")
        except OSError as exc:
            raise UsageProblem(f"--keep {keep}: cannot keep the demo database there ({exc.strerror or exc}); "
                               f"choose a folder you can write to") from exc
    # The demo's failing feed fails on purpose, and its output says so: no WARNING for it.
    expected = _DropMessages(demo_job.FAILING_FEED)
    logging.getLogger("pipeline.jobs").addFilter(expected)
    try:
        click.echo(demo_job.run_demo(keep_dir))
    except NewswatchError as exc:
        _fail(exc)
    finally:
        logging.getLogger("pipeline.jobs").removeFilter(expected)


class _DropMessages(logging.Filter):
    """Drops log records that name something expected to fail."""

    def __init__(self, needle: str) -> None:
        super().__init__()
        self.needle = needle

    def filter(self, record: logging.LogRecord) -> bool:
        return self.needle not in record.getMessage()


def main() -> None:
    """Console-script entry point: click's errors as one line, Ctrl-C as exit 130 without a traceback."""
    try:
        code = cli.main(obj={}, prog_name="newswatch", standalone_mode=False)
    except (click.Abort, KeyboardInterrupt):  # click turns Ctrl-C into Abort
        click.echo("\nnewswatch: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _login_name() -> str:
    """Who is reviewing when $USER is not set (cron, containers): the login name, else "unknown"."""
    import getpass
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def _output_file(output: str | None) -> Path | None:
    """The `--output` path, checked before any work: its folder must exist."""
    if output is None:
        return None
    path = Path(output)
    if not path.parent.is_dir():
        raise UsageProblem(f"--output {output}: the folder {path.parent} does not exist; create it first "
                           f"(mkdir -p {path.parent}) or choose another path")
    return path


def _write_output(path: Path, text: str, what: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"error: cannot write {what} to {path}: {exc.strerror or exc}; choose a path you can write to",
                   err=True)
        sys.exit(1)
    click.echo(f"{what} written to {path}", err=True)


@contextmanager
def _input_file(source: str, option: str) -> Iterator[Any]:
    """A text file or `-` (stdin); a missing file or a folder is a usage error naming it."""
    try:
        with click.open_file(source, "r", encoding="utf-8") as handle:
            yield handle
    except FileNotFoundError as exc:
        raise UsageProblem(f"{option} {source}: no such file (give a text file, or - for stdin)") from exc
    except IsADirectoryError as exc:
        raise UsageProblem(f"{option} {source}: is a folder; give a text file, or - for stdin") from exc
    except PermissionError as exc:
        raise UsageProblem(f"{option} {source}: not readable (permission denied)") from exc
    except UnicodeDecodeError as exc:
        raise UsageProblem(f"{option} {source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


# --- claims -------------------------------------------------------------------------


@cli.group()
@_config_option
@_logging_options
def claims() -> None:
    """Read, list and rebuild claims (deal values, schedules, units)."""


def parse_partial_date(value: str) -> date:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a year or month alone is read at its middle.

    The middle keeps relative phrases ("within 12 months") at most half a
    period off, whichever day was meant.
    """
    parts = value.strip().split("-")
    if not (1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4):
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(parts[0]), int(parts[1]) if len(parts) > 1 else 7, int(parts[2]) if len(parts) > 2 else 0
    return date(year, month, day or (1 if len(parts) == 1 else 15))


@claims.command("extract")
@_config_option
@_logging_options
@click.argument("source", required=False, default="-", metavar="[FILE|-]")
@click.option("--published", metavar="DATE", help="Publication date (YYYY, YYYY-MM or YYYY-MM-DD) for relative dates.")
@click.option("--jsonl", "jsonl", type=click.Path(allow_dash=True), metavar="FILE",
              help='Batch: one {"id", "text", "published"?, "title"?} object per line.')
@click.pass_context
def claims_extract(ctx: click.Context, source: str, published: str | None, jsonl: str | None) -> None:
    """Print one JSON object per claim read from plain text (or a JSONL batch)."""
    from pipeline import claims as claim_reader
    settings = _settings(ctx)
    if jsonl:
        _extract_batch(jsonl, settings)
        return
    try:
        published_on = parse_partial_date(published) if published else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--published") from exc
    with _input_file(source, "FILE") as handle:
        text = handle.read()
    for claim in claim_reader.read_claims(text, settings.topics, published_on):
        click.echo(json.dumps(claim_reader.claim_json(claim), ensure_ascii=False))


def _extract_batch(path: str, settings: Settings) -> None:
    from pipeline import claims as claim_reader
    with _input_file(path, "--jsonl") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError('each line must be an object with a "text" string')
                published = item.get("published")
                published_on = parse_partial_date(str(published)) if published else None
                title = item["title"] if isinstance(item.get("title"), str) else ""
                found = claim_reader.read_claims(item["text"], settings.topics, published_on, title=title)
            except (ValueError, TypeError) as exc:
                click.echo(f"error: {path}:{number}: {exc}", err=True)
                continue
            for claim in found:
                click.echo(json.dumps({"id": item.get("id"), **claim_reader.claim_json(claim)}, ensure_ascii=False))


@claims.command("list")
@_config_option
@_logging_options
@click.option("--topic", metavar="T", help="Only this topic's claims.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="json: one object per claim and line (claim JSON + id, url, source, published, review); "
                   "csv: a header row, then one row per claim.")
@click.pass_context
def claims_list(ctx: click.Context, topic: str | None, fmt: str) -> None:
    """The timeline of every stored claim with its id, source and review."""
    from pipeline import claim_list, jobs, review_job
    settings = _settings(ctx)
    known = [t.id for t in settings.topics]
    if topic is not None and topic not in known:
        raise UsageProblem(f"--topic {topic}: no topic {topic!r} (topics: {', '.join(known)}; add one with "
                           f"[[topics]] in the config)")
    try:
        with _resources(settings, read_only=True) as res:
            jobs.import_archive(res)
            listing = review_job.list_claims(res, topic)
    except NewswatchError as exc:
        _fail(exc)
        return
    if fmt == "json":
        click.echo(claim_list.render_json_lines(listing.claims, listing.reviews), nl=False)
    elif fmt == "csv":
        click.echo(claim_list.render_csv(listing.claims, listing.reviews), nl=False)
    else:
        click.echo(claim_list.render_text(listing.claims, listing.reviews))


@claims.command("review")
@_config_option
@_logging_options
@click.argument("claim_id", metavar="ID", type=int)
@click.option("--confirm", "action", flag_value="confirm", help="The claim was read right: shown as checked.")
@click.option("--reject", "action", flag_value="reject",
              help="A misreading: it takes no part in changes, consensus or alerts.")
@click.option("--pin", "action", flag_value="pin", help="Its value becomes the subject's current value, confirmed.")
@click.option("--clear", "action", flag_value="clear", help="Remove the claim's review.")
@click.option("--note", default="", metavar="TEXT", help="Why (kept with the review).")
@click.pass_context
def claims_review(ctx: click.Context, claim_id: int, action: str | None, note: str) -> None:
    """Confirm, reject or pin a stored claim (by its id in `claims list`), or clear its review."""
    from pipeline import review_job
    from pipeline.records import ReviewAction
    from pipeline.store import queries
    from pipeline.store.db import transaction
    if action is None:
        raise click.UsageError("say what to do: --confirm, --reject, --pin or --clear")
    settings = _settings(ctx)
    reviewer = os.environ.get("USER") or _login_name()
    try:
        with _resources(settings, read_only=True) as res:
            found = review_job.review_claim(res, claim_id, None if action == "clear" else ReviewAction(action),
                                            reviewer=reviewer, note=note)
            with transaction(res.sessions) as session:
                changes = len(queries.change_rows(session))
    except NewswatchError as exc:
        _fail(exc)
        return
    if not found:
        click.echo(f"error: no claim with id {claim_id}; `newswatch claims list` shows the ids", err=True)
        sys.exit(1)
    done = {"confirm": "confirmed", "reject": "rejected", "pin": "pinned", "clear": "review cleared"}[action]
    click.echo(f"claim {claim_id}: {done} by {reviewer}; {changes} change(s)")


@claims.command("rebuild")
@_config_option
@_logging_options
@click.pass_context
def claims_rebuild(ctx: click.Context) -> None:
    """Re-read the claims of every stored article and recompute changes (no fetching)."""
    from pipeline import jobs
    from pipeline.store import queries
    from pipeline.store.db import transaction

    settings = _settings(ctx)
    try:
        with _resources(settings) as res:
            jobs.import_archive(res)
            articles, found = jobs.rebuild_claims(res)
            with transaction(res.sessions) as session:
                changes = len(queries.change_rows(session))
    except NewswatchError as exc:
        _fail(exc)
        return
    click.echo(f"re-read {articles} article(s): {found} claim(s); {changes} change(s)")


# --- alerts ------------------------------------------------------------------------------


@cli.command("alerts")
@_config_option
@_logging_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object per delivery and line.")
@click.option("--send", is_flag=True, help="Send the pending deliveries that are due now (run does it too).")
@click.pass_context
def alerts_command(ctx: click.Context, fmt: str, send: bool) -> None:
    """Webhook alerts: what was sent, what is pending and why."""
    from pipeline import alert_job, alerts
    from pipeline.store import alerts as outbox
    from pipeline.store.db import transaction
    settings = _settings(ctx)
    try:
        with _resources(settings, read_only=True) as res:
            if send:
                sent, pending = alert_job.send_pending(res)
                click.echo(f"sent {sent}; {pending} pending", err=True)
            with transaction(res.sessions) as session:
                deliveries = outbox.deliveries(session)
    except NewswatchError as exc:
        _fail(exc)
        return
    if fmt == "json":
        for delivery in deliveries:
            click.echo(json.dumps(alerts.delivery_json(delivery), ensure_ascii=False))
    else:
        click.echo(alerts.render_deliveries(deliveries, settings.alerts))


# --- digest and serve ----------------------------------------------------------------


@cli.command("digest")
@_config_option
@_logging_options
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The digest's date (default: today in [digest] timezone).")
@click.option("--send", is_flag=True, help="Send it by email, once per date.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="Write it to FILE: .html the HTML part, .eml the whole email, else the plain text.")
@click.option("--force", is_flag=True, help="With --send: send again even if already sent for this date.")
@click.pass_context
def digest_command(ctx: click.Context, on: Any, send: bool, output: str | None, force: bool) -> None:
    """The daily digest: changes, new articles by story, feed health; print, write or --send."""
    if send and output:
        raise click.UsageError("--send and --output exclude each other")
    if force and not send:
        raise click.UsageError("--force only applies with --send")
    settings = _settings(ctx)
    output_path = _output_file(output)
    try:
        if send:
            _exit_if_busy(settings, "digest")
        from pipeline import digest_job, jobs

        with _resources(settings) as res:
            jobs.import_archive(res)
            digest_on = on.date() if on else digest_job.digest_date(res)
            if send:
                outcome = digest_job.send_digest(res, digest_on, force=force)
                click.echo({"sent": f"digest for {digest_on} sent to {', '.join(outcome.recipients)}: "
                                    f"{outcome.subject}"
                                    + (f" (refused: {', '.join(outcome.refused)})" if outcome.refused else ""),
                            "already_sent": f"digest for {digest_on} was already sent; nothing to do "
                                            f"(--force sends it again)",
                            "empty": f"digest for {digest_on}: nothing new, nothing sent "
                                     f"([digest] send_empty = true sends a short note)"}[outcome.status])
                return
            if output and output.lower().endswith(".eml"):
                text = digest_job.preview_message(res, digest_on)
            else:
                rendered = digest_job.render_digest(res, digest_on)
                text = rendered.html if output and output.lower().endswith((".html", ".htm")) else rendered.text
    except NewswatchError as exc:
        _fail(exc)
        return
    if output_path:
        _write_output(output_path, text, "digest")
    else:
        click.echo(text, nl=False)


@cli.command()
@_config_option
@_logging_options
@click.pass_context
def serve(ctx: click.Context) -> None:
    """Run the scheduler: polling passes and the daily digest, until SIGTERM or Ctrl-C."""
    settings = _settings(ctx)
    try:
        _exit_if_busy(settings, "serve")
    except NewswatchError as exc:
        _fail(exc)
    from pipeline import scheduler
    stop = _stop_on_signals("the job in progress")
    try:
        with _resources(settings) as res, _publisher(res) as publisher:
            if publisher is None:
                scheduler.serve(res, stop)
            else:
                from pipeline import queued
                from pipeline.metrics import Metrics

                if settings.queue.metrics_port:
                    metrics = Metrics()
                    metrics.serve(settings.queue.metrics_port)
                    scheduler.serve(res, stop, poll_pass=lambda r: queued.run_queued_pass(r, publisher,
                                                                                        metrics=metrics))
                else:
                    scheduler.serve(res, stop, poll_pass=lambda r: queued.run_queued_pass(r, publisher))
    except NewswatchError as exc:
        _fail(exc)


@cli.command()
@_config_option
@_logging_options
@click.option("--processes", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes (started by this one; SIGTERM and Ctrl-C reach each).")
@click.option("--threads", type=click.IntRange(1, 256), default=4, show_default=True,
              help="Task threads per process.")
@click.option("--metrics-port", type=click.IntRange(0, 65535), default=None, hidden=True)
@click.pass_context
def worker(ctx: click.Context, processes: int, threads: int, metrics_port: int | None) -> None:
    """Run queued tasks ([queue] broker) until SIGTERM or Ctrl-C."""
    settings = _settings(ctx)
    if not settings.queue.broker:
        raise UsageProblem(f"newswatch worker needs [queue] broker in {settings.source} (for example "
                           f"amqp://guest:guest@127.0.0.1:5672/) and a PostgreSQL [database] url")
    port = settings.queue.metrics_port if metrics_port is None else metrics_port
    if processes > 1:
        sys.exit(_worker_processes(ctx, processes, threads, port))
    stop = _stop_on_signals("the tasks in progress")
    try:
        with _resources(settings) as res:   # migrates first, under the migration lock
            from pipeline import broker, queued
            from pipeline.metrics import Metrics

            if settings.queue.redis:
                res = replace(res, gate=broker.RedisHostGate(settings.queue.redis, settings.queue.name,
                                                             settings.fetch))
            queue = broker.connect_checked(settings.queue, {})
            metrics = Metrics()
            handlers = queued.task_handlers(res, queue)
            queue.declare({kind: metrics.timed(kind, handler) for kind, handler in handlers.items()})
            if port:
                metrics.serve(port)
            log.info("newswatch worker: %d thread(s) on queues %s", threads,
                     ", ".join(broker.queue_names(settings.queue)))
            try:
                queue.work(threads, stop)
            finally:
                queue.close()
                metrics.close()
                if isinstance(res.gate, broker.RedisHostGate):
                    res.gate.close()
    except NewswatchError as exc:
        _fail(exc)
    log.info("newswatch worker stopped")


def _queued_work(session: Session) -> dict[str, int]:
    """Tasks recorded for the workers and not done yet, by feed."""
    from pipeline.store import tasks

    return tasks.unfinished_by_feed(session)


def _worker_processes(ctx: click.Context, processes: int, threads: int, port: int) -> int:
    """Start `processes` single-process workers and wait for them; SIGTERM and Ctrl-C reach each one."""
    import signal
    import subprocess

    options = ctx.ensure_object(dict)
    common = [sys.executable, "-m", "pipeline"]
    if options.get("config"):
        common += ["--config", str(options["config"])]
    common += ["-v"] * options.get("verbose", 0) + ["--log-format", options.get("log_format", "text")]
    children = [subprocess.Popen([*common, "worker", "--threads", str(threads),
                                  "--metrics-port", str(port + i if port else 0)]) for i in range(processes)]

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    codes = [child.wait() for child in children]
    return max(codes, default=0)


# --- web ---------------------------------------------------------------------------------


@cli.command("web")
@_config_option
@_logging_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; beyond loopback only with $NEWSWATCH_WEB_PASSWORD set.")
@click.option("--port", default=8640, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.pass_context
def web_command(ctx: click.Context, host: str, port: int) -> None:
    """Browse changes, subjects, claims, articles and feeds in a browser; review claims after a login."""
    from pipeline.web.security import PASSWORD_ENV, is_loopback   # stdlib only: cheap

    settings = _settings(ctx)
    password = os.environ.get(PASSWORD_ENV) or None
    if not is_loopback(host) and not password:
        raise UsageProblem(f"--host {host}: serving beyond loopback needs a login; set {PASSWORD_ENV} to a "
                           f"password (or bind 127.0.0.1)")
    try:
        with _resources(settings, read_only=True) as res:
            from pipeline import jobs
            from pipeline.web.app import WebOptions, build_app, serve

            jobs.import_archive(res)
            options = WebOptions(host=host, port=port, password=password)
            shown = f"[{host}]" if ":" in host else host
            click.echo(f"newswatch web: http://{shown}:{port}/ ("
                       + ("reviews need a login" if password else f"reading only: set {PASSWORD_ENV} to review")
                       + "; Ctrl-C stops)", err=True)
            serve(build_app(res, options), options)
    except NewswatchError as exc:
        _fail(exc)
