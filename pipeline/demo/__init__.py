"""`newswatch demo`: the whole pipeline on bundled sample feeds, offline.

A loopback HTTP server (stdlib, 127.0.0.1, a free port) serves the files in
`site/` so that the real fetch path runs; the database is a temporary SQLite
file; the output is the run summary, explained, the change report as plain
text, and where to look next.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from importlib import resources
from pathlib import Path

from pipeline import jobs, report
from pipeline.config import FetchSettings, Settings, parse_settings
from pipeline.demo.server import LoopbackSite
from pipeline.fetch import Fetcher
from pipeline.records import FeedSpec
from pipeline.store import queries
from pipeline.store.db import make_engine, make_sessionmaker, migrate, transaction

SITE = "site"


def site_files() -> dict[str, bytes]:
    """The demo site's files by URL path (templates: `{base}` not yet filled in)."""
    root = resources.files("pipeline.demo").joinpath(SITE)
    files: dict[str, bytes] = {}
    for entry in _walk(Path(str(root))):
        files["/" + entry.relative_to(Path(str(root))).as_posix()] = entry.read_bytes()
    return files


def _walk(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def demo_settings(base_url: str, database_url: str) -> Settings:
    """Settings for the demo: its two feeds, loopback allowed and nothing else."""
    settings = parse_settings({"database": {"url": database_url}}, "<demo>", Path.cwd())
    fetch = FetchSettings(allow_private_addresses=True, allowed_hosts=("127.0.0.1",), timeout_s=10.0)
    feeds = (FeedSpec(name="demo-defence", url=f"{base_url}/defence.xml"),
             FeedSpec(name="demo-moved", url=f"{base_url}/broken.html"))
    return replace(settings, fetch=fetch, feeds=feeds)


FAILING_FEED = "demo-moved"


def run_demo(keep_dir: Path | None = None) -> str:
    """Run init and one pass on the demo feeds; return what a user should see (plain text, no Markdown escapes)."""
    with tempfile.TemporaryDirectory(prefix="newswatch-demo-") as tmp:
        folder = keep_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        database_url = f"sqlite:///{(folder / 'demo.db').resolve()}"
        with LoopbackSite(site_files()) as site:
            settings = demo_settings(site.base_url, database_url)
            engine = make_engine(database_url)
            migrate(engine)
            with Fetcher(settings.fetch) as fetcher:
                res = jobs.Resources(settings=settings, sessions=make_sessionmaker(engine), fetcher=fetcher)
                archived = jobs.import_archive(res)
                with transaction(res.sessions) as session:
                    archive_changes = len(queries.change_rows(session))
                summary = jobs.run_pass(res)
                with transaction(res.sessions) as session:
                    data = jobs.load_report(session, None, res.clock())
            engine.dispose()
        where = (f"database {folder / 'demo.db'} (kept)" if keep_dir
                 else "a temporary database, deleted at the end (--keep DIR keeps it)")
        lines = [
            f"newswatch demo: two sample feeds served from {site.base_url}; {where}",
            f"archive: {archived} seed articles imported as the baseline; the claims they make already "
            f"disagree {archive_changes} time(s)",
            "run: " + report.summary_line(summary),
            f"  {FAILING_FEED} fails on purpose: its URL serves an HTML page, not a feed, to show how a "
            f"failing feed is recorded; \"no text\" is a sample photo gallery page, with no article to read",
            f"  changes: {summary.changes} is what this pass found; the report below lists all "
            f"{len(data.changes)}, the archive's {archive_changes} included",
            "",
            report.terminal_text(report.render_markdown(data)),
            *_next_steps(folder / "demo.db" if keep_dir else None),
        ]
        return "\n".join(lines)


def _next_steps(kept: Path | None) -> list[str]:
    """Where to look next: the same database through the other commands, then your own feeds."""
    own = ("  your own feeds: edit config/newswatch.toml, then `newswatch init` and `newswatch run` "
           "(README: Using it)")
    if kept is None:
        return ["Next:",
                "  `newswatch demo --keep DIR` keeps the database, to open it with `newswatch report --format html "
                "--output report.html` (the report with a timeline chart) and `newswatch claims list`",
                own]
    env = f"NEWSWATCH_DATABASE_URL=sqlite:///{kept.resolve()}"
    return ["Next, on this database:",
            f"  {env} newswatch report --format html --output report.html   # with a timeline chart",
            f"  {env} newswatch claims list                                 # every claim with its sentence",
            own]
