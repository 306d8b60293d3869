"""The pipeline's cost against its own libraries, as ratios (issue: benchmarks).

Each figure is measured in one process run, side by side with its reference
where it has one, so the ratio holds on a noisy machine. CPU figures use
`time.process_time` (this process's CPU, not wall time), each page measured
in several rounds, best round kept.

    P1  per-article path (extract, date, dedup, mentions, claims, store) / bare trafilatura.extract
    P2  near-duplicate check against N stored signatures (the SQL index the store uses)
    P3  reading claims, per article, on the benchmark pages' texts
    P4  a polling pass over 1,000 feeds on a loopback server (90 % 304 or same body, 5 % slow, 5 % fail)
    P5  peak RSS over many new articles; per-article cost at 1k / 10k / 100k stored articles
    P6  throughput with worker processes against one process (forkserver running, as in `serve`)
    Q1  extraction quality: F1 of our path against bare trafilatura.extract, the benchmark's 4-gram metric
    W1-W5  `newswatch web` pages over 100,000 stored articles (benchmarks/web_pages.py)

Run: `python -m benchmarks` (all, several minutes) or `python -m benchmarks --quick`.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from benchmarks.loopback import Handler, send, serve, static

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PAGES_DIR = DATA / "extraction-benchmark" / "html"
GROUND_TRUTH = DATA / "extraction-benchmark" / "ground-truth.json"


@dataclass(frozen=True)
class Figure:
    """One row of the table."""

    key: str
    what: str
    reference: str
    measured: str
    ratio: float | None
    target: str
    passed: bool | None


# --- data ------------------------------------------------------------------------


def load_pages(limit: int | None = None) -> list[bytes]:
    """The benchmark's real news pages (HTML bytes)."""
    if not PAGES_DIR.is_dir():
        raise SystemExit(f"benchmark data not found at {PAGES_DIR} (it lives in ../shared/data)")
    files = sorted(PAGES_DIR.glob("*.html.gz"))[:limit]
    return [gzip.decompress(f.read_bytes()) for f in files]


def load_texts(limit: int | None = None) -> list[str]:
    """The true article texts of the benchmark pages."""
    truth = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    return [item["articleBody"] for item in truth.values()][:limit]


_WORDS = ("defence ministry officials said the delivery of squadrons air system contract Russia India "
          "talks summit navy army procurement budget schedule missile production plant minister statement "
          "agreement capability deployment border regiment training maintenance spare parts joint venture "
          "export order cost delay week month year report sources government parliament committee").split()


def synthetic_article(rng: random.Random, words: int = 400) -> str:
    """A distinct article-like text (random words, sentences, paragraphs)."""
    sentences = []
    for _ in range(words // 14):
        sentence = " ".join(rng.choice(_WORDS) for _ in range(14))
        sentences.append(sentence[0].upper() + sentence[1:] + f" {rng.randrange(10**6)}.")
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def article_html(title: str, text: str, published: str) -> bytes:
    """A plain news page around a text."""
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='article:published_time' content='{published}'></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>"
            f"<footer>Copyright</footer></body></html>").encode()


def rss(items: Sequence[tuple[str, str]]) -> bytes:
    """An RSS 2.0 feed of (title, link) items."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link><guid>urn:bench:{link}</guid></item>"
                   for t, link in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>b</title>{body}</channel></rss>'.encode()


# --- resources --------------------------------------------------------------------------------


@contextmanager
def pipeline_resources(feeds: Sequence[tuple[str, str]], *, processes: int = 1, workers: int = 8,
                       folder: Path | None = None) -> Iterator[object]:
    """Job resources on a fresh SQLite database, allowed to reach 127.0.0.1 only."""
    from pipeline import jobs
    from pipeline.config import FetchSettings, ProcessingSettings, parse_settings
    from pipeline.fetch import Fetcher
    from pipeline.records import FeedSpec
    from pipeline.store.db import make_engine, make_sessionmaker, migrate

    with tempfile.TemporaryDirectory(prefix="newswatch-bench-") as tmp:
        url = f"sqlite:///{(folder or Path(tmp)) / 'bench.db'}"
        settings = parse_settings({"database": {"url": url}}, "<bench>", Path(tmp))
        settings = replace(settings,
                           fetch=FetchSettings(allow_private_addresses=True, allowed_hosts=("127.0.0.1",),
                                               timeout_s=10.0, workers=workers, max_entries_per_feed=1000),
                           processing=ProcessingSettings(processes=processes),
                           feeds=tuple(FeedSpec(name, feed_url) for name, feed_url in feeds))
        engine = make_engine(url)
        migrate(engine)
        with Fetcher(settings.fetch) as fetcher:
            yield jobs.Resources(settings=settings, sessions=make_sessionmaker(engine), fetcher=fetcher)
        engine.dispose()


# --- P1 ---------------------------------------------------------------------------------------


def p1_article_path(pages: Sequence[bytes], rounds: int) -> Figure:
    """Whole per-article path against bare `trafilatura.extract`, page by page, interleaved."""
    import trafilatura

    from pipeline import jobs, prepare
    from pipeline.records import FeedSpec
    from pipeline.topics import load_builtin_topics

    topics = load_builtin_topics()
    bare = [float("inf")] * len(pages)
    ours = [float("inf")] * len(pages)
    stores = [float("inf")] * len(pages)
    spec = FeedSpec("bench", "http://127.0.0.1/feed.xml")
    now = datetime.now(UTC)
    for round_no in range(rounds):
        with pipeline_resources([]) as res:
            for i, page in enumerate(pages):
                start = time.process_time()
                trafilatura.extract(page)
                bare[i] = min(bare[i], time.process_time() - start)
                url = f"http://127.0.0.1/r{round_no}/p{i}.html"
                start = time.process_time()
                prepared = prepare.prepare_page(prepare.PageJob(page, url, "t", None, "bench", now, topics))
                stored_from = time.process_time()
                jobs._ingest_entry(res, spec, url, url, prepared, jobs.PassCounts())  # type: ignore[arg-type]
                ours[i] = min(ours[i], time.process_time() - start)
                stores[i] = min(stores[i], time.process_time() - stored_from)
    ratio = sum(ours) / sum(bare)
    per_page = statistics.median(o / b for o, b in zip(ours, bare, strict=True) if b > 0)
    return Figure("P1", "per-article path / bare trafilatura.extract (CPU)",
                  f"extract {statistics.median(bare) * 1000:.1f} ms/page",
                  f"ours {statistics.median(ours) * 1000:.1f} ms/page, of which store "
                  f"{statistics.median(stores) * 1000:.1f} ms; median per-page ratio {per_page:.2f}",
                  ratio, "<= 1.10", ratio <= 1.10)


# --- P2 ---------------------------------------------------------------------------------------


def p2_dedup_check(sizes: Sequence[int]) -> list[Figure]:
    """A near-duplicate candidate lookup against N stored signatures, with the store's own query."""
    import numpy as np

    from pipeline import dedup
    from pipeline.jobs import MAX_CANDIDATES
    from pipeline.store import queries

    settings = dedup.DedupSettings()
    probes = [dedup.band_keys(dedup.make_signature(t, settings), settings) for t in load_texts(50)]
    figures = []
    for n in sizes:
        with pipeline_resources([]) as res:
            sessions = res.sessions  # type: ignore[attr-defined]
            rng = np.random.default_rng(n)
            url = res.settings.database.url  # type: ignore[attr-defined]
            # Synthetic band rows without their articles: filled with plain sqlite3
            # (foreign keys off), then queried through the store's own function.
            raw = sqlite3.connect(url.removeprefix("sqlite:///"))
            raw.execute("DROP INDEX IF EXISTS ix_dedup_bands_kind_key")
            batch = 20_000
            for first in range(0, n, batch):
                count = min(batch, n - first)
                keys = rng.integers(0, 2**63 - 1, size=(count, settings.bands), dtype=np.int64)
                raw.executemany("INSERT INTO dedup_bands (article_id, kind, band, key) VALUES (?, 'copy', ?, ?)",
                                ((first + i + 1, b, int(keys[i, b])) for i in range(count)
                                 for b in range(settings.bands)))
            raw.execute("CREATE INDEX ix_dedup_bands_kind_key ON dedup_bands (kind, key)")
            raw.commit()
            raw.close()
            times = []
            with sessions() as session:
                for _ in range(3):
                    for keys in probes:
                        start = time.perf_counter()
                        queries.candidate_articles(session, "copy", keys, MAX_CANDIDATES)
                        times.append(time.perf_counter() - start)
            size = Path(url.removeprefix("sqlite:///")).stat().st_size
        median_ms = statistics.median(times) * 1000
        figures.append(Figure(f"P2 {n:,}", f"near-duplicate check at {n:,} stored signatures",
                              "LSH query < 0.1 ms at 100k (in memory)",
                              f"{median_ms:.3f} ms median; {size / n:,.0f} bytes/signature on disk",
                              None, "<= 2 ms", median_ms <= 2.0))
    return figures


# --- P3 ---------------------------------------------------------------------------------------


def p3_claims(texts: Sequence[str]) -> Figure:
    """Reading claims per article on the benchmark pages' true texts."""
    from pipeline.claims import read_claims
    from pipeline.topics import load_builtin_topics
    topics = load_builtin_topics()
    best = [float("inf")] * len(texts)
    for _ in range(5):
        for i, text in enumerate(texts):
            start = time.process_time()
            read_claims(text, topics, date(2025, 6, 1))
            best[i] = min(best[i], time.process_time() - start)
    seeds = sorted((Path(__file__).resolve().parents[1] / "archive").glob("*.txt"))
    seed_times = []
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        runs = []
        for _ in range(20):
            start = time.process_time()
            read_claims(text, topics, date(2025, 6, 1))
            runs.append(time.process_time() - start)
        seed_times.append(min(runs))
    median_ms = statistics.median(best) * 1000
    return Figure("P3", "read_claims per article (benchmark page texts)", "-",
                  f"{median_ms:.3f} ms median; seeds {statistics.median(seed_times) * 1000:.3f} ms",
                  None, "<= 1 ms", median_ms <= 1.0)


# --- P4 ---------------------------------------------------------------------------------------


def p4_polling(feeds: int, slow_s: float) -> Figure:
    """A pass over many feeds: 90 % unchanged (half by 304, half same body), 5 % slow, 5 % failing."""
    from pipeline import jobs

    body = rss([(f"item {i}", f"http://127.0.0.1:9/none/{i}") for i in range(3)])
    routes: dict[str, Handler] = {}
    kinds = []
    for i in range(feeds):
        path = f"/feed/{i}.xml"
        if i % 20 == 0:
            kinds.append("fail")
            routes[path] = lambda h: send(h, 500, b"error")
        elif i % 20 == 1:
            kinds.append("slow")

            def slow(h: BaseHTTPRequestHandler, etag: str = f'"s{i}"') -> None:
                time.sleep(slow_s)
                static(body, "application/rss+xml", etag)(h)
            routes[path] = slow
        else:
            kinds.append("unchanged")
            routes[path] = static(body, "application/rss+xml", f'"e{i}"', conditional=i % 2 == 0)
    parses = {"n": 0}
    original = jobs.parse_feed

    def counting_parse(*args: object, **kwargs: object) -> object:
        parses["n"] += 1
        return original(*args, **kwargs)  # type: ignore[arg-type]

    with serve(routes) as (base, log):
        with pipeline_resources([(f"f{i}", f"{base}/feed/{i}.xml") for i in range(feeds)],
                                workers=16) as res:
            jobs.run_pass(res)  # learn validators and body hashes
            log.clear()
            jobs.parse_feed = counting_parse  # type: ignore[assignment]
            try:
                start = time.perf_counter()
                summary = jobs.run_pass(res, all_feeds=True)  # type: ignore[arg-type]
                elapsed = time.perf_counter() - start
            finally:
                jobs.parse_feed = original
    ok = summary.feeds_ok == feeds - kinds.count("fail") and len(log) == feeds and parses["n"] == 0
    return Figure("P4", f"polling pass over {feeds:,} feeds (loopback)", "-",
                  f"{elapsed:.2f} s; {len(log)} requests; {parses['n']} parses; "
                  f"{summary.feeds_ok} ok / {summary.feeds_failed} failed",
                  None, "<= 15 s, 1 request and no parse per unchanged feed", elapsed <= 15.0 and ok)


# --- P5 ---------------------------------------------------------------------------------------


def p5_memory(articles: int) -> Figure:
    """Peak RSS of a `newswatch run` subprocess that stores `articles` new articles."""
    rng = random.Random(5)
    per_feed = 200
    routes: dict[str, Handler] = {}
    feeds = []
    for f in range(0, articles, per_feed):
        items = []
        for i in range(f, min(f + per_feed, articles)):
            routes[f"/a/{i}.html"] = static(article_html(f"Article {i}", synthetic_article(rng), "2026-01-05"))
            items.append((f"Article {i}", f"/a/{i}.html"))
        feeds.append(f"/feed/{f // per_feed}.xml")
        routes[feeds[-1]] = static(rss(items), "application/rss+xml")
    with serve(routes) as (base, _log), tempfile.TemporaryDirectory() as tmp:
        # Feed links are relative: the feed parser resolves them against the feed URL.
        config = Path(tmp) / "bench.toml"
        config.write_text(
            f'[database]\nurl = "sqlite:///{tmp}/bench.db"\n'
            '[fetch]\nallow_private_addresses = true\nallowed_hosts = ["127.0.0.1"]\nmax_entries_per_feed = 1000\n'
            + "".join(f'[[feeds]]\nname = "f{n}"\nurl = "{base}{path}"\n' for n, path in enumerate(feeds)),
            encoding="utf-8")
        start = time.perf_counter()
        with subprocess.Popen([sys.executable, "-m", "pipeline", "--config", str(config), "run", "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              start_new_session=True) as command:
            largest, total = _sample_rss(command)
            stdout = command.stdout.read() if command.stdout else ""
        elapsed = time.perf_counter() - start
    summary = next((json.loads(ln) for ln in stdout.splitlines() if ln.startswith("{")), {})
    peak_mb = largest / 1024
    return Figure("P5 memory", f"`run` over {articles:,} new articles: peak RSS", "-",
                  f"{peak_mb:.0f} MB largest process (RSS), {total / 1024:.0f} MB all processes (PSS); "
                  f"{summary.get('new_articles', '?')} stored in {elapsed:.0f} s",
                  None, "< 250 MB", peak_mb < 250 and summary.get("new_articles") == articles)


def _sample_rss(process: subprocess.Popen[str]) -> tuple[int, int]:
    """Peak memory (KiB) of `process`'s session until it exits: (largest process RSS, sum of PSS).

    PSS divides shared pages among the processes sharing them, so the sum
    does not count the forkserver's modules once per worker.
    """
    largest = total = 0
    session = process.pid
    while process.poll() is None:
        rss, pss = [], []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if os.getsid(int(entry.name)) != session:
                    continue
                rss += [int(ln.split()[1]) for ln in (entry / "status").read_text().splitlines()
                        if ln.startswith("VmRSS:")]
                pss += [int(ln.split()[1]) for ln in (entry / "smaps_rollup").read_text().splitlines()
                        if ln.startswith("Pss:")]
            except (OSError, ProcessLookupError):
                continue
        if rss:
            largest, total = max(largest, max(rss)), max(total, sum(pss))
        time.sleep(0.2)
    return largest, total


def p5_growth(stored_sizes: Sequence[int], new: int) -> list[Figure]:
    """Per-article cost of storing `new` articles when N are already stored."""
    import numpy as np

    from pipeline import dedup, jobs, prepare
    from pipeline.records import FeedSpec
    from pipeline.topics import load_builtin_topics

    topics = load_builtin_topics()
    rng = random.Random(7)
    pages = [article_html(f"T{i}", synthetic_article(rng), "2026-01-05") for i in range(new)]
    now = datetime.now(UTC)
    prepared = [prepare.prepare_page(prepare.PageJob(p, f"http://127.0.0.1/new/{i}", "t", None, "b", now, topics))
                for i, p in enumerate(pages)]
    settings = dedup.DedupSettings()
    figures = []
    costs: list[float] = []
    for n in stored_sizes:
        with pipeline_resources([]) as res:
            keys_rng = np.random.default_rng(n)
            raw = sqlite3.connect(res.settings.database.url.removeprefix("sqlite:///"))  # type: ignore[attr-defined]
            batch = 10_000
            for first in range(0, n, batch):
                count = min(batch, n - first)
                raw.executemany(
                    "INSERT INTO articles (id, url, title, text, text_hash, published_on, date_source, source, "
                    "is_archive, fetched_at, family_id, story_id) VALUES (?, ?, '', ?, ?, '2025-01-01', "
                    "'page', 'x', 0, '2025-01-01 00:00:00', ?, ?)",
                    ((first + i + 1, f"http://old/{first + i}", f"old {first + i}", f"{first + i:064x}",
                      first + i + 1, first + i + 1) for i in range(count)))
                keys = keys_rng.integers(0, 2**63 - 1, size=(count, settings.bands), dtype=np.int64)
                raw.executemany("INSERT INTO dedup_bands (article_id, kind, band, key) VALUES (?, 'copy', ?, ?)",
                                ((first + i + 1, b, int(keys[i, b])) for i in range(count)
                                 for b in range(settings.bands)))
            raw.commit()
            raw.close()
            spec = FeedSpec("bench", "http://127.0.0.1/feed.xml")
            start = time.process_time()
            for i, item in enumerate(prepared):
                jobs._ingest_entry(res, spec, f"k{i}", f"http://127.0.0.1/new/{i}", item,  # type: ignore[arg-type]
                                   jobs.PassCounts())
            cost = (time.process_time() - start) / new * 1000
        costs.append(cost)
        figures.append(Figure(f"P5 {n:,}", f"store one new article with {n:,} stored", "SQLite insert 0.06 ms",
                              f"{cost:.2f} ms/article", cost / costs[0], "flat (ratio to smallest <= 1.5)",
                              cost / costs[0] <= 1.5))
    return figures


# --- P6 ---------------------------------------------------------------------------------------


def p6_processes(pages: Sequence[bytes], copies: int, rounds: int) -> Figure:
    """Pages per second through `run_pass`: one process against one worker per core.

    Rounds alternate one process and workers, best round of each kept (this
    machine's speed drifts by a third over minutes). The first round with
    workers starts the forkserver (~1.3 s importing the pipeline), as the
    first pass of `newswatch run` does; later rounds find it running, as every
    pass of `newswatch serve` after its first does. The target is on the
    running one; the first is reported beside it.
    """
    from pipeline import jobs

    def throughput(processes: int, round_no: int) -> float:
        routes: dict[str, Handler] = {}
        items = []
        for c in range(copies):
            for i, page in enumerate(pages):
                path = f"/r{round_no}/c{c}/p{i}.html"
                routes[path] = static(page)
                items.append((f"p{i}", path))
        feeds = []
        for f in range(0, len(items), 200):
            feeds.append(f"/r{round_no}/feed{f}.xml")
            routes[feeds[-1]] = static(rss(items[f:f + 200]), "application/rss+xml")
        with serve(routes) as (base, _log), \
                pipeline_resources([(path, base + path) for path in feeds], processes=processes) as res:
            start = time.perf_counter()
            summary = jobs.run_pass(res)  # type: ignore[arg-type]
            elapsed = time.perf_counter() - start
        return (summary.new_articles + summary.duplicates) / elapsed

    cores = os.cpu_count() or 1
    one: list[float] = []
    many: list[float] = []
    for round_no in range(rounds):
        one.append(throughput(1, 2 * round_no))
        many.append(throughput(cores, 2 * round_no + 1))
    single, first, running = max(one), many[0], max(many[1:] or many)
    ratio = running / single
    return Figure("P6", f"throughput, {cores} worker processes / 1 process", f"1 process: {single:.1f} pages/s",
                  f"{cores} processes: {running:.1f} pages/s (first pass of a process, forkserver starting: "
                  f"{first:.1f}, {first / single:.2f}x); {len(pages) * copies} pages per pass, best of {rounds}",
                  ratio, ">= 1.8", ratio >= 1.8)


# --- Q1 ---------------------------------------------------------------------------------------


def q1_extraction_quality(limit: int | None) -> Figure:
    """Extraction F1 on the benchmark pages, ours beside bare trafilatura's (benchmarks/extraction_quality.py)."""
    from benchmarks import extraction_quality as quality

    items = quality.load_benchmark(PAGES_DIR, GROUND_TRUTH, limit)
    bare = quality.measure(items, quality.bare_trafilatura)
    ours = quality.measure(items, quality.ours)
    return Figure("Q1", f"extraction F1 on {ours.pages} benchmark pages (4-gram shingles)",
                  f"trafilatura.extract F1 {bare.f1:.3f} (P {bare.precision:.3f}, R {bare.recall:.3f})",
                  f"ours F1 {ours.f1:.3f} (P {ours.precision:.3f}, R {ours.recall:.3f})",
                  ours.f1 / bare.f1, ">= 0.96", ours.f1 >= 0.96)


# --- the table --------------------------------------------------------------------------------


def run_all(quick: bool) -> list[Figure]:
    """Every figure; `quick` uses tiny inputs (a smoke run)."""
    pages = load_pages(12 if quick else None)
    texts = load_texts(20 if quick else None)
    figures = [p1_article_path(pages, 1 if quick else 3)]
    figures += p2_dedup_check([1_000] if quick else [10_000, 100_000, 1_000_000])
    figures.append(p3_claims(texts))
    figures.append(p4_polling(40 if quick else 1000, 0.2 if quick else 1.0))
    figures.append(p5_memory(60 if quick else 10_000))
    figures += p5_growth([100, 1_000] if quick else [1_000, 10_000, 100_000], 20 if quick else 200)
    figures.append(p6_processes(pages, 1 if quick else 4, 2 if quick else 3))
    figures.append(q1_extraction_quality(12 if quick else None))
    from benchmarks.web_pages import w_web_pages   # imports perf: here, not at the top
    figures += w_web_pages(2_000 if quick else 100_000, 2 if quick else 10)
    return figures


def render_table(figures: Sequence[Figure]) -> str:
    """The figures as a Markdown table."""
    lines = ["| figure | what | reference | measured | ratio | target | pass |", "|---|---|---|---|---|---|---|"]
    for f in figures:
        verdict = "-" if f.passed is None else ("pass" if f.passed else "FAIL")
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "-"
        lines.append(f"| {f.key} | {f.what} | {f.reference} | {f.measured} | {ratio} | {f.target} | {verdict} |")
    return "\n".join(lines)
