"""Every feed under ../shared/data/feeds-wild through one real polling pass:
`python -m benchmarks.wild_feeds [--database-url URL] [--list]`.

Each file is served over HTTP from 127.0.0.1 with the `Header:` values of its
leading comment (feedparser's test-suite convention: Content-type and
others), then `run_pass` polls all of them as feeds. Entry links point at
public sites; `[fetch] allowed_hosts = ["127.0.0.1"]` refuses those page
fetches before any connection is made, so nothing leaves loopback, and the
refusals are recorded like any page failure.

Prints how many feeds were processed, how many were ok and yielded entries,
how many entries, how many feeds were rejected and the top reasons.
tests/test_wild_feeds.py runs the same pass and checks it.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from sqlalchemy import select

from benchmarks import loopback
from pipeline import jobs
from pipeline.config import FetchSettings, ProcessingSettings, parse_settings
from pipeline.fetch import Fetcher
from pipeline.records import Entry, FeedSpec
from pipeline.store.db import make_engine, make_sessionmaker, migrate, transaction
from pipeline.store.models import FeedRow

WILD = Path(__file__).resolve().parents[2] / "shared" / "data" / "feeds-wild"

# feedparser's tests/helpers.py reads headers with this very pattern (bytes,
# so UTF-16/32 files simply have none).
_HEADER = re.compile(rb"^Header:\s+([^:]+):(.+)$", re.MULTILINE)
_DEFAULT_TYPES = {".xml": "application/xml", ".rss": "application/rss+xml",
                  ".atom": "application/atom+xml", ".html": "text/html"}


def wild_files(root: Path = WILD) -> list[Path]:
    """The feed files (licences and the README left out), in a stable order."""
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != "README.md"
                  and "LICENSES" not in p.relative_to(root).parts and not p.name.startswith("."))


def served_headers(path: Path) -> dict[str, str]:
    """The HTTP headers a file asks to be served with (Content-type defaulted by extension)."""
    headers = {name.decode("latin-1").strip(): value.decode("latin-1").strip()
               for name, value in _HEADER.findall(path.read_bytes()[:4096])}
    if not any(k.lower() == "content-type" for k in headers):
        headers["Content-type"] = _DEFAULT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return headers


@contextmanager
def serve(root: Path, files: list[Path]) -> Iterator[str]:
    """Serve `files` from 127.0.0.1 at their paths under `root`; yields the base URL."""
    routes = {"/" + p.relative_to(root).as_posix(): _serve_file(p) for p in files}
    with loopback.serve(routes) as (base, _log):
        yield base


def _serve_file(path: Path) -> loopback.Handler:
    """A handler that sends the file with the headers its comment asks for."""
    def handle(h: BaseHTTPRequestHandler) -> None:
        headers = served_headers(path)
        status = int(headers.pop("Status", "200"))
        loopback.send(h, status, path.read_bytes(), headers)
    return handle


@dataclass
class WildResult:
    """What one pass over the wild feeds came to."""

    processed: int
    ok: list[str]
    failed: dict[str, str]                      # feed name -> recorded reason
    entries: dict[str, list[Entry]]             # feed name -> entries parsed (ok feeds)
    page_errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def with_entries(self) -> list[str]:
        """Ok feeds that yielded at least one entry."""
        return [name for name in self.ok if self.entries.get(name)]

    def top_reasons(self, n: int = 8) -> list[tuple[str, int]]:
        """Rejection reasons grouped without their details."""
        return Counter(_group(reason) for reason in self.failed.values()).most_common(n)


def _group(reason: str) -> str:
    return re.split(r" \(|;|: <", reason, maxsplit=1)[0][:90]


def run_wild(database_url: str, root: Path = WILD) -> WildResult:
    """Serve every wild feed on loopback and poll them all in one `run_pass`."""
    files = wild_files(root)
    engine = make_engine(database_url)
    migrate(engine)
    parsed: dict[str, list[Entry]] = {}
    real_parse = jobs.parse_feed

    def recording_parse(body: bytes, **kwargs: object) -> list[Entry]:
        entries = real_parse(body, **kwargs)  # type: ignore[arg-type]
        parsed[str(kwargs["feed_name"])] = entries
        return entries

    try:
        with serve(root, files) as base:
            feeds = [FeedSpec(name=p.relative_to(root).as_posix(),
                              url=f"{base}/{quote(p.relative_to(root).as_posix())}") for p in files]
            settings = parse_settings({"database": {"url": database_url}}, "<wild>", Path.cwd())
            settings = replace(settings, feeds=tuple(feeds), processing=ProcessingSettings(processes=1),
                               fetch=FetchSettings(allow_private_addresses=True, allowed_hosts=("127.0.0.1",),
                                                   timeout_s=10.0, workers=8))
            with Fetcher(settings.fetch) as fetcher, mock.patch.object(jobs, "parse_feed", recording_parse):
                res = jobs.Resources(settings=settings, sessions=make_sessionmaker(engine), fetcher=fetcher)
                started = time.monotonic()
                summary = jobs.run_pass(res, all_feeds=True)
                seconds = time.monotonic() - started
        with transaction(make_sessionmaker(engine)) as session:
            rows = {row.name: row for row in session.scalars(select(FeedRow))}
    finally:
        engine.dispose()
    names = [f.name for f in feeds]
    failed = {n: rows[n].last_error or "" for n in names if rows[n].consecutive_errors}
    ok = [n for n in names if n not in failed]
    return WildResult(processed=len(names), ok=ok, failed=failed,
                      entries={n: parsed.get(n, []) for n in ok},
                      page_errors={_group(k): v for k, v in summary.errors.items()
                                   if not any(_group(r) == _group(k) for r in failed.values())},
                      seconds=seconds)


def main() -> None:
    """Print the counts for the issue note."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--list", action="store_true", help="also list every rejected feed and its reason")
    args = parser.parse_args()
    if not WILD.is_dir():
        raise SystemExit(f"{WILD} not found")
    with tempfile.TemporaryDirectory() as tmp:
        result = run_wild(args.database_url or f"sqlite:///{tmp}/wild.db")
    entries = sum(len(e) for e in result.entries.values())
    print(f"wild feeds processed: {result.processed} (one pass, {result.seconds:.1f} s)")
    print(f"ok: {len(result.ok)}; with entries: {len(result.with_entries)} ({entries} entries); "
          f"ok without entries: {len(result.ok) - len(result.with_entries)}")
    print(f"rejected: {len(result.failed)}; top reasons:")
    for reason, count in result.top_reasons():
        print(f"  {count:4d}  {reason}")
    pages = sum(result.page_errors.values())
    print(f"entry page fetches not made (links to public hosts refused by allowed_hosts, etc.): {pages}")
    if args.list:
        for name, reason in sorted(result.failed.items()):
            print(f"  {name}: {reason}")


if __name__ == "__main__":
    main()
