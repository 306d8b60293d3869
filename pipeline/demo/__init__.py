"""`newswatch demo`: the whole pipeline on bundled sample feeds, offline.

A loopback HTTP server (stdlib, 127.0.0.1, a free port) serves the files in
`site/` so that the real fetch path runs; the database is a temporary SQLite
file; the output is the run summary and the change report.
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


def run_demo(keep_dir: Path | None = None, *, terminal: bool = False) -> str:
    """Run init and one pass on the demo feeds; return what a user should see."""
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
                summary = jobs.run_pass(res)
                with transaction(res.sessions) as session:
                    data = report.build_report(session, None, res.clock())
            engine.dispose()
        lines = [
            f"newswatch demo: sample feeds served from {site.base_url}, database {database_url}",
            f"archive: {archived} seed articles imported as the baseline",
            "run: " + report.summary_line(summary),
            "",
            report.render_markdown(data),
        ]
        return "\n".join(lines)
