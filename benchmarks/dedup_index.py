"""Cost of a near-duplicate check against N stored signatures: `python -m benchmarks.dedup_index`.

For each size N: store N synthetic articles' copy band keys (random 63-bit
keys: the band keys of distinct texts are uniformly random, and generating
them directly is ~100x faster than hashing N signatures), plus the real
texts' keys, then time one check (candidate lookup for an article whose
signature is already computed) in

- the in-memory `DuplicateIndex`, and
- an SQLite table `(band INTEGER, key INTEGER, article_id INTEGER)` with an
  index on (band, key), queried with one SQL statement (the store's design).

Reports median and p95 per check and memory per stored article (tracemalloc
for the in-memory index, database file size for SQLite), and the time of
`make_signature` per real text.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from benchmarks.dedup_eval import load_corpus
from pipeline.dedup import DedupSettings, DuplicateIndex, band_keys, make_signature

# One statement: candidates and the number of bands they share, best first.
# The query's keys are a VALUES list joined to the table, so the planner
# walks the list and probes the (band, key) index once per band (a row-value
# `(band, key) IN (VALUES ...)` makes SQLite scan the table instead). The
# same statement runs on PostgreSQL.
_QUERY = (
    "WITH q(band, key) AS (VALUES {rows}) "
    "SELECT b.article_id, COUNT(*) AS shared FROM q JOIN bands AS b "
    "ON b.band = q.band AND b.key = q.key "
    "GROUP BY b.article_id ORDER BY shared DESC"
)


def synthetic_keys(n: int, bands: int, seed: int) -> np.ndarray:
    """n x bands random non-negative 63-bit keys."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 2**63 - 1, size=(n, bands), dtype=np.int64)


def query_texts() -> list[str]:
    """Real texts to check (seed corpus, plus ground truth when present)."""
    corpus = load_corpus()
    if corpus is not None:
        return corpus[1]
    archive = Path(__file__).resolve().parents[1] / "archive"
    return [p.read_text(encoding="utf-8") for p in sorted(archive.glob("*.txt"))]


def time_signatures(texts: Sequence[str], settings: DedupSettings) -> list[float]:
    """Milliseconds of make_signature + band_keys per text."""
    times = []
    for text in texts:
        start = time.perf_counter()
        band_keys(make_signature(text, settings), settings)
        times.append((time.perf_counter() - start) * 1000)
    return times


def bench_memory(n: int, keys: np.ndarray, queries: list[list[tuple[int, int]]],
                 settings: DedupSettings) -> tuple[list[float], float, float]:
    """Per-check milliseconds, bytes per stored article and build seconds, in memory."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    index = DuplicateIndex()
    index.add_many(np.arange(n, dtype=np.int64), list(range(settings.bands)), keys)
    for i, q in enumerate(queries):
        index.add(n + i, q)
    build = time.perf_counter() - start
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    times = []
    for q in queries * 3:
        t0 = time.perf_counter()
        found = index.query(q)
        times.append((time.perf_counter() - t0) * 1000)
        assert found, "a stored article must find itself"
    return times, used / (n + len(queries)), build


def bench_sqlite(n: int, keys: np.ndarray, queries: list[list[tuple[int, int]]],
                 settings: DedupSettings, directory: str) -> tuple[list[float], float, float]:
    """Per-check milliseconds, bytes per stored article and build seconds, in SQLite."""
    path = os.path.join(directory, f"bands_{n}.sqlite")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("CREATE TABLE bands (band INTEGER NOT NULL, key INTEGER NOT NULL, article_id INTEGER NOT NULL)")
    start = time.perf_counter()
    band_column = np.arange(settings.bands, dtype=np.int64)
    chunk = 50_000
    for lo in range(0, n, chunk):
        block = keys[lo:lo + chunk]
        ids = np.repeat(np.arange(lo, lo + len(block), dtype=np.int64), settings.bands)
        rows = zip(np.tile(band_column, len(block)).tolist(), block.ravel().tolist(), ids.tolist())
        connection.executemany("INSERT INTO bands VALUES (?, ?, ?)", rows)
    for i, q in enumerate(queries):
        connection.executemany("INSERT INTO bands VALUES (?, ?, ?)", [(b, k, n + i) for b, k in q])
    connection.execute("CREATE INDEX ix_bands_band_key ON bands (band, key)")
    connection.commit()
    connection.execute("ANALYZE")
    build = time.perf_counter() - start
    sql = _QUERY.format(rows=", ".join(["(?, ?)"] * settings.bands))
    plan = " ".join(str(r[-1]) for r in connection.execute("EXPLAIN QUERY PLAN " + sql, [0] * 2 * settings.bands))
    if "ix_bands_band_key" not in plan:
        print(f"  warning: the query does not use the index: {plan}")
    times = []
    for q in queries * 3:
        params = [v for pair in q for v in pair]
        t0 = time.perf_counter()
        found = connection.execute(sql, params).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
        assert found, "a stored article must find itself"
    connection.close()
    size = os.path.getsize(path)
    os.remove(path)
    return times, size / (n + len(queries)), build


def _summary(times: Sequence[float]) -> str:
    p95 = float(np.percentile(times, 95))
    return f"median {statistics.median(times):7.3f} ms  p95 {p95:7.3f} ms"


def parse_sizes(text: str) -> list[int]:
    """'10k,100k,1M' -> [10000, 100000, 1000000]."""
    units = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        sizes.append(int(float(part[:-1]) * units[part[-1]]) if part[-1] in units else int(part))
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    """Run the index benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="10k,100k,1M", help="stored signatures, e.g. 10k,100k,1M")
    parser.add_argument("--quick", action="store_true", help="small sizes (1k,10k) for a smoke run")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite table")
    args = parser.parse_args(argv)
    sizes = parse_sizes("1k,10k" if args.quick else args.sizes)
    settings = DedupSettings()
    texts = [t for t in query_texts() if t.split()]
    sig_times = time_signatures(texts, settings)
    print(f"make_signature + band_keys on {len(texts)} real texts: {_summary(sig_times)}")
    queries = [band_keys(make_signature(t, settings), settings) for t in texts]
    print(f"settings: {settings.num_perm} permutations, {settings.bands} bands x {settings.rows} rows")
    with tempfile.TemporaryDirectory(prefix="dedup_index_") as directory:
        for n in sizes:
            keys = synthetic_keys(n, settings.bands, seed=n)
            times, per_article, build = bench_memory(n, keys, queries, settings)
            print(f"N={n:>9,d} memory  {_summary(times)}  {per_article:6.0f} B/article  build {build:6.1f} s")
            if not args.no_sqlite:
                times, per_article, build = bench_sqlite(n, keys, queries, settings, directory)
                print(f"N={n:>9,d} sqlite  {_summary(times)}  {per_article:6.0f} B/article  build {build:6.1f} s")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
