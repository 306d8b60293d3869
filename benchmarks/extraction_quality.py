"""Extraction quality on the 181 pages of ../shared/data/extraction-benchmark (issue 13, item 12).

The benchmark's own metric (scrapinghub/article-extraction-benchmark,
`evaluate.py`): `\\w+` tokens, 4-gram shingles counted as multisets, each
page's true/false positives and false negatives normalised to sum to 1,
precision and recall averaged over the pages where they are defined, and
F1 = 2PR / (P + R). Re-implemented here (the upstream script was not copied).

Our path is `pipeline.extract.extract_page` (what a stored article's text is,
empty when it finds no usable text); the reference is bare
`trafilatura.extract(html, include_comments=False)`, the call the upstream
benchmark publishes for trafilatura.

Run: `python -m benchmarks.extraction_quality` (also a row of `python -m benchmarks`).
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4

Extractor = Callable[[bytes, str], str]


@dataclass(frozen=True)
class Quality:
    """Macro-averaged shingle precision, recall and their F1 over the pages."""

    precision: float
    recall: float
    f1: float
    pages: int


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """The text's word n-grams as a multiset (a text shorter than n is one short shingle)."""
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def page_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """True positives, false positives and false negatives of one page, normalised to sum to 1."""
    expected, found = shingles(true), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(counts: Sequence[tuple[float, float, float]]) -> Quality:
    """Precision and recall averaged over pages (where defined), and their F1."""
    def ratio(tp: float, miss: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == miss == 0 else tp / (tp + miss)
    precision = statistics.mean(ratio(tp, fp, fp, fn) for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(ratio(tp, fn, fp, fn) for tp, fp, fn in counts if tp + fn > 0)
    return Quality(precision, recall, 2 * precision * recall / (precision + recall), len(counts))


def load_benchmark(pages_dir: Path, truth_file: Path, limit: int | None = None) -> list[tuple[bytes, str, str]]:
    """(html, url, true article body) for each page, in file order."""
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    items = []
    for path in sorted(pages_dir.glob("*.html.gz"))[:limit]:
        entry = truth[path.name.removesuffix(".html.gz")]
        items.append((gzip.decompress(path.read_bytes()), str(entry.get("url") or ""), entry.get("articleBody", "")))
    return items


def ours(html: bytes, url: str) -> str:
    """The text newswatch stores for the page ("" when it stores none)."""
    from pipeline.extract import extract_page
    page = extract_page(html, url or "https://example.invalid/")
    return page.text if page else ""


def bare_trafilatura(html: bytes, _url: str) -> str:
    """The upstream benchmark's trafilatura call."""
    import trafilatura
    return trafilatura.extract(html, include_comments=False) or ""


def measure(items: Sequence[tuple[bytes, str, str]], extractor: Extractor) -> Quality:
    """The extractor's quality on the pages."""
    return score([page_counts(true, extractor(html, url)) for html, url, true in items])


def main() -> int:
    from benchmarks.perf import GROUND_TRUTH, PAGES_DIR
    if not PAGES_DIR.is_dir():
        print(f"benchmark data not found at {PAGES_DIR} (it lives in ../shared/data)", file=sys.stderr)
        return 2
    items = load_benchmark(PAGES_DIR, GROUND_TRUTH)
    for name, extractor in (("newswatch", ours), ("trafilatura.extract", bare_trafilatura)):
        q = measure(items, extractor)
        print(f"{name:<20} F1 {q.f1:.3f}  precision {q.precision:.3f}  recall {q.recall:.3f}  ({q.pages} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
