"""The `newswatch` command: load config, build resources, call a job, print.

Output for people goes to stdout, logs to stderr. Exit status: 0 ok, 1 the
job failed (every polled feed failed, SMTP failure), 2 bad usage or config,
75 another run of the same job is in progress (sysexits EX_TEMPFAIL: try later).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import jobs, report
from pipeline.config import Settings, load_settings, resolve_database_url
from pipeline.errors import AlreadyRunningError, ConfigError, NewswatchError, StoreError
from pipeline.fetch import Fetcher
from pipeline.store import queries
from pipeline.store.db import make_engine, make_sessionmaker, migrate, redact_url, transaction

log = logging.getLogger("pipeline")
EXIT_ALREADY_RUNNING = 75  # sysexits.h EX_TEMPFAIL: not a failure, another instance is doing the work
F = TypeVar("F", bound=Callable[..., Any])


def _config_option(func: F) -> F:
    """`--config` on the group and, kindly, after the command too."""
    def remember(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            ctx.ensure_object(dict)["config"] = value
        return value
    return click.option("--config", "config_path", metavar="PATH", expose_value=False, callback=remember,
                        is_eager=True, help="Config file (default: $NEWSWATCH_CONFIG or ./config/newswatch.toml).")(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@_config_option
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """newswatch: follow the S-400 deal and India-Russia summits across news feeds."""
    ctx.ensure_object(dict)
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    # Third-party loggers stay quiet unless asked: httpx logs every request at
    # INFO and trafilatura warns about every page without text (we record those).
    for noisy in ("httpx", "httpcore", "trafilatura", "htmldate", "charset_normalizer", "courlan"):
        logging.getLogger(noisy).setLevel(logging.ERROR if verbose < 2 else logging.DEBUG)


def _settings(ctx: click.Context) -> Settings:
    try:
        return load_settings(ctx.ensure_object(dict).get("config"))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


@contextmanager
def _resources(settings: Settings, *, progress: bool = False) -> Iterator[jobs.Resources]:
    """Engine, migrated schema, archive imported, fetcher: built once per command."""
    engine = make_engine(resolve_database_url(settings))
    try:
        migrate(engine)  # cheap when up to date; brings an older schema to head
        fetcher = Fetcher(settings.fetch)
        try:
            res = jobs.Resources(settings=settings, sessions=make_sessionmaker(engine), fetcher=fetcher,
                                 progress=_progress_printer() if progress else None)
            yield res
        finally:
            fetcher.close()
    finally:
        engine.dispose()


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
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create or migrate the database and import archive/ once."""
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
@click.option("--feed", "feed_names", multiple=True, metavar="NAME", help="Poll only this feed (repeatable).")
@click.option("--all", "all_feeds", is_flag=True, help="Poll every feed, due or not.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as one JSON object.")
@click.pass_context
def run(ctx: click.Context, feed_names: tuple[str, ...], all_feeds: bool, as_json: bool) -> None:
    """One polling pass over the feeds that are due (what cron calls)."""
    settings = _settings(ctx)
    unknown = sorted(set(feed_names) - {f.name for f in settings.feeds})
    if unknown:
        raise click.UsageError(f"no feed named {unknown[0]!r} in {settings.source}")
    try:
        with _resources(settings, progress=not as_json) as res:
            summary = jobs.poll_feeds(res, feed_names=feed_names, all_feeds=all_feeds)
    except NewswatchError as exc:
        _fail(exc)
        return
    if as_json:
        click.echo(json.dumps(report.summary_json(summary), sort_keys=False))
    else:
        click.echo(report.summary_line(summary))
    polled = summary.feeds_ok + summary.feeds_failed
    sys.exit(1 if polled and summary.feeds_ok == 0 else 0)


@cli.command()
@_config_option
@click.pass_context
def feeds(ctx: click.Context) -> None:
    """Each feed's state: last fetch, status, validators, errors, next poll."""
    settings = _settings(ctx)
    try:
        with _resources(settings) as res, transaction(res.sessions) as session:
            queries.sync_feeds(session, settings.feeds)
            configured = {f.name for f in settings.feeds}
            rows = [r for r in queries.list_feed_rows(session) if r.name in configured]
            click.echo(report.render_feeds(rows))
    except NewswatchError as exc:
        _fail(exc)


@cli.command("report")
@_config_option
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only changes reported on or after DATE.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Write to FILE instead of stdout.")
@click.pass_context
def report_command(ctx: click.Context, since: Any, fmt: str, output: str | None) -> None:
    """The change report: shifts in reported values and dates, with sources."""
    settings = _settings(ctx)
    since_on: date | None = since.date() if since else None
    try:
        with _resources(settings) as res:
            jobs.import_archive(res)
            with transaction(res.sessions) as session:
                data = report.build_report(session, since_on, res.clock())
                chart_png = b""
                if fmt == "html":
                    from pipeline.chart import draw_timeline
                    series = report.timeline_series(jobs.reported_claims(session), settings.exchange_rates)
                    chart_png = draw_timeline(series, y_labels=report.chart_labels(series))
    except NewswatchError as exc:
        _fail(exc)
        return
    text = report.render(data, fmt, chart_png)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"report written to {output}", err=True)
    else:
        click.echo(text)


@cli.command()
@click.option("--keep", type=click.Path(file_okay=False), help="Keep the demo database in this folder.")
def demo(keep: str | None) -> None:
    """The whole pipeline offline on bundled sample feeds, in a temporary database."""
    from pipeline import demo as demo_job
    try:
        click.echo(demo_job.run_demo(Path(keep) if keep else None))
    except NewswatchError as exc:
        _fail(exc)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(obj={})
    except StoreError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


# --- claims -------------------------------------------------------------------------


@cli.group()
@_config_option
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
@click.argument("source", required=False, default="-", metavar="[FILE|-]")
@click.option("--published", metavar="DATE", help="Publication date (YYYY, YYYY-MM or YYYY-MM-DD) for relative dates.")
@click.option("--jsonl", "jsonl", type=click.Path(dir_okay=False, allow_dash=True), metavar="FILE",
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
    with click.open_file(source, "r", encoding="utf-8") as handle:
        text = handle.read()
    for claim in claim_reader.read_claims(text, settings.topics, published_on):
        click.echo(json.dumps(claim_reader.claim_json(claim), ensure_ascii=False))


def _extract_batch(path: str, settings: Settings) -> None:
    from pipeline import claims as claim_reader
    with click.open_file(path, "r", encoding="utf-8") as handle:
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
@click.option("--topic", metavar="T", help="Only this topic's claims.")
@click.pass_context
def claims_list(ctx: click.Context, topic: str | None) -> None:
    """The timeline of every stored claim with its source."""
    settings = _settings(ctx)
    try:
        with _resources(settings) as res:
            jobs.import_archive(res)
            with transaction(res.sessions) as session:
                reported = jobs.reported_claims(session, topic)
    except NewswatchError as exc:
        _fail(exc)
        return
    click.echo(report.render_claims(reported))


@claims.command("rebuild")
@_config_option
@click.pass_context
def claims_rebuild(ctx: click.Context) -> None:
    """Re-read the claims of every stored article and recompute changes (no fetching)."""
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


# --- digest and serve ----------------------------------------------------------------


@cli.command("digest")
@_config_option
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The digest's date (default: today in [digest] timezone).")
@click.option("--send", is_flag=True, help="Send it by email, once per date.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="Write it to FILE: .html the HTML part, .eml the whole email, else the plain text.")
@click.option("--force", is_flag=True, help="With --send: send again even if already sent for this date.")
@click.pass_context
def digest_command(ctx: click.Context, on: Any, send: bool, output: str | None, force: bool) -> None:
    """The daily digest: changes, new articles by story, feed health; print, write or --send."""
    from pipeline import digest_job
    if send and output:
        raise click.UsageError("--send and --output exclude each other")
    if force and not send:
        raise click.UsageError("--force only applies with --send")
    settings = _settings(ctx)
    try:
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
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"digest written to {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command()
@_config_option
@click.pass_context
def serve(ctx: click.Context) -> None:
    """Run the scheduler: polling passes and the daily digest, until SIGTERM or Ctrl-C."""
    import signal
    import threading

    from pipeline import scheduler
    settings = _settings(ctx)
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        log.warning("%s received: stopping after the job in progress", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    logging.getLogger("pipeline").setLevel(min(logging.getLogger("pipeline").getEffectiveLevel(), logging.INFO))
    try:
        with _resources(settings) as res:
            scheduler.serve(res, stop)
    except NewswatchError as exc:
        _fail(exc)
