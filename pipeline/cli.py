"""The `newswatch` command: load config, build resources, call a job, print.

Output for people goes to stdout, logs to stderr. Exit status: 0 ok, 1 the
job failed (every polled feed failed, SMTP failure), 2 bad usage or config.
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
from pipeline.errors import ConfigError, NewswatchError, StoreError
from pipeline.fetch import Fetcher
from pipeline.store import queries
from pipeline.store.db import is_initialised, make_engine, make_sessionmaker, migrate, redact_url, transaction

log = logging.getLogger("pipeline")
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
        if not is_initialised(engine):
            migrate(engine)
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
            jobs.import_archive(res)
            summary = jobs.run_pass(res, feed_names=feed_names, all_feeds=all_feeds)
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
    except NewswatchError as exc:
        _fail(exc)
        return
    text = report.render(data, fmt)
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
