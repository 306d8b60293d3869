"""A generated news site for the crash and concurrency tests, and what they compare.

`site_files(n)` makes a feed of `n` distinct articles about the S-400 deal
(each with a dated page and claims whose values vary, so changes arise) plus
a few copies of earlier articles under other URLs. `snapshot(url)` reads a
database back as sorted tuples of identifying columns, with ids replaced by
URLs and timestamps left out, so two databases built the same way compare
equal. `run_cli` runs the real `python -m pipeline` command.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pipeline.store.db import make_engine, make_sessionmaker, transaction
from pipeline.store.models import ArticleRow, ChangeRow, ClaimRow, DedupBandRow, MentionRow, SeenEntryRow

PROJECT = Path(__file__).resolve().parents[1]

WORDS = ("ministry officials delegation contract negotiations payment rupee rouble sanctions "
          "regiment battery radar launcher missile interceptor training crew logistics shipment "
          "port customs spares maintenance depot airbase northern western frontier command "
          "parliament committee budget audit review tender offset industry partner factory "
          "engineers testing trials acceptance ceremony schedule delay monsoon winter summer "
          "analysts commentators diplomats envoy capital visit talks agreement framework clause "
          "insurance freight banking channel escrow currency settlement ledger invoice dispute "
          "arbitration treaty exercise readiness deployment sector theatre doctrine procurement "
          "council secretary minister spokesperson statement briefing press newspaper report").split()


# For pages that should resemble a day's news in how little their wording overlaps: with the
# small list above every generated page shares LSH story bands with every other (on 180 pages,
# 179 story candidates each, against 2.4 on the extraction benchmark's 181 real news texts).
NEWS_VOCABULARY = tuple(WORDS) + tuple(
    a + b + c for a in ("bra", "cor", "del", "fen", "gal", "hor", "kan", "lim", "mor", "nes", "par", "ros", "sel",
                        "tan", "vor", "wel")
    for b in ("a", "e", "i", "o", "u", "ar", "en", "is", "ol", "un")
    for c in ("d", "k", "m", "n", "r", "s", "t", "ll", "nd", "rt", "st", "x"))


def _sentence(rng: random.Random, words: Sequence[str] = WORDS) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(9, 16))]
    return " ".join(chosen).capitalize() + "."


def _claim_sentence(i: int) -> str:
    year = 2026 + i % 3
    if i % 4 == 0:
        return f"The last two S-400 squadrons are now expected to be delivered by {year}."
    if i % 4 == 1:
        return f"India has so far received {3 + i % 2} of the five S-400 squadrons ordered in 2018."
    if i % 4 == 2:
        return f"The S-400 contract signed in 2018 is worth ${5 + i % 2}.{i % 10} billion, officials said."
    return "Officials described the S-400 Triumf deliveries as on track."


def article_page(i: int, published_on: date, words: Sequence[str] = WORDS) -> tuple[str, str]:
    """Title and HTML of the i-th generated article (distinct text, one S-400 claim), written with `words`."""
    rng = random.Random(1000 + i)
    title = f"S-400 update {i}: {rng.choice(words)} {rng.choice(words)}"
    paragraphs = [" ".join(_sentence(rng, words) for _ in range(4)) for _ in range(3)]
    paragraphs.insert(1, f"{_sentence(rng, words)} {_claim_sentence(i)} {_sentence(rng, words)}")
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='{published_on.isoformat()}'></head>"
            f"<body><article><h1>{title}</h1>\n{body}\n</article></body></html>")
    return title, html


def site_files(n: int, *, copies: int = 3, feed: str = "/feed.xml", start: date = date(2026, 1, 1),
               prefix: str = "/articles") -> dict[str, bytes]:
    """Feed plus pages for LoopbackSite (`{base}` is filled in by the server)."""
    files: dict[str, bytes] = {}
    items = []
    for i in range(n):
        published_on = start + timedelta(days=i)
        title, html = article_page(i, published_on)
        files[f"{prefix}/{i}.html"] = html.encode()
        items.append(f"<item><title>{title}</title><link>{{base}}{prefix}/{i}.html</link>"
                     f"<guid>{prefix}-{i}</guid></item>")
    for j in range(copies):
        source = (j * 7) % n
        files[f"{prefix}/copy-{j}.html"] = files[f"{prefix}/{source}.html"]
        items.append(f"<item><title>copy {j}</title><link>{{base}}{prefix}/copy-{j}.html</link>"
                     f"<guid>{prefix}-copy-{j}</guid></item>")
    files[feed] = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>gen</title>'
                   + "".join(items) + "</channel></rss>").encode()
    return files


def write_config(path: Path, database_url: str, feeds: Sequence[tuple[str, str]]) -> Path:
    """A config that may only talk to 127.0.0.1."""
    lines = [f'[database]\nurl = "{database_url}"\n',
             '[fetch]\nallow_private_addresses = true\nallowed_hosts = ["127.0.0.1"]\ntimeout_s = 10\n']
    for name, url in feeds:
        lines.append(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def cli_command(config: Path, *args: str) -> list[str]:
    """`python -m pipeline --config X ...` (the environment never overrides the database)."""
    return [sys.executable, "-m", "pipeline", "--config", str(config), *args]


def cli_env() -> dict[str, str]:
    """The environment for CLI subprocesses: no database override, the project importable."""
    env = {k: v for k, v in os.environ.items() if k not in ("NEWSWATCH_DATABASE_URL", "NEWSWATCH_CONFIG")}
    env["PYTHONPATH"] = str(PROJECT)
    return env


def run_cli(config: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the command to completion."""
    return subprocess.run(cli_command(config, *args), capture_output=True, text=True, timeout=timeout,
                          env=cli_env(), cwd=str(PROJECT), check=False)


Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(database_url: str) -> Snapshot:
    """The stored articles, mentions, claims, seen entries, dedup bands and changes, id-free."""
    engine = make_engine(database_url)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            articles = list(session.scalars(select(ArticleRow)))
            url = {a.id: a.url for a in articles}

            def ref(article_id: int | None) -> str | None:
                return None if article_id is None else url.get(article_id, f"<missing {article_id}>")

            data: Snapshot = {
                "articles": sorted(
                    (a.url, a.title, a.text_hash, a.published_on, a.date_source, a.source, a.is_archive,
                     ref(a.duplicate_of_id), None if a.similarity is None else round(a.similarity, 6),
                     ref(a.family_id), ref(a.story_id), a.signature is not None, a.claims_version)
                    for a in articles),
                "mentions": sorted((ref(m.article_id), m.topic, m.term, m.start, m.end)
                                   for m in session.scalars(select(MentionRow))),
                "claims": sorted((ref(c.article_id), c.seq, c.topic, c.subject, c.kind, repr(sorted(c.value.items())),
                                  c.start, c.end, c.historical) for c in session.scalars(select(ClaimRow))),
                "seen": sorted((s.feed_name, s.entry_key, s.url, s.outcome, ref(s.article_id), s.attempts)
                               for s in session.scalars(select(SeenEntryRow))),
                "bands": sorted((ref(b.article_id), b.kind, b.band, b.key)
                                for b in session.scalars(select(DedupBandRow))),
                "changes": sorted((c.topic, c.subject, c.kind, ref(c.previous_article_id),
                                   ref(c.current_article_id), c.direction)
                                  for c in session.scalars(select(ChangeRow))),
            }
    finally:
        engine.dispose()
    return data


def integrity_problems(data: Snapshot) -> list[str]:
    """What a half-written or doubled article would leave behind."""
    problems = []
    urls = [row[0] for row in data["articles"]]
    if len(urls) != len(set(urls)):
        problems.append("an article URL is stored twice")
    originals = {row[0] for row in data["articles"] if row[7] is None}
    with_bands = {row[0] for row in data["bands"]}
    problems += [f"original {u} has no dedup bands" for u in sorted(originals - with_bands)]
    problems += [f"article {u} has no signature" for u in sorted(originals)
                 if not next(r for r in data["articles"] if r[0] == u)[11]]
    for table in ("mentions", "claims", "bands"):
        problems += [f"{table} row of a missing article: {row}" for row in data[table]
                     if row[0] is None or str(row[0]).startswith("<missing")]
    keys = [(row[0], row[1]) for row in data["seen"]]
    if len(keys) != len(set(keys)):
        problems.append("a feed entry is recorded twice")
    return problems
