"""Precision and recall of the claim reader, and its speed.

    python -m benchmarks.claims_eval          (from the repository root)

Scores `read_claims` per kind on two labelled sets:

- tests/fixtures/claims/labelled.jsonl: our own sentences (seed sentences,
  phrasings in many styles, distractors), labelled with kind, value and
  subject; a claim counts only when all three are right.
- tests/fixtures/claims/labelled-other-deals.jsonl: the same for other
  Indian defence deals (Rafale-M, Project 75I, MQ-9B, Scorpene, Tejas Mk1A,
  Apache), configured as topics in other-deals-topics.toml beside it, so the
  reader is measured on deals its code never names.
- ../shared/data/claims-real-dev/claims.jsonl: 45 real passages labelled by
  hand (read in place, never copied: they quote copyrighted articles); a claim
  counts when kind and value are right. Skipped with a message when absent.

Values match as the change report compares them: amounts within the
precision they were written with, schedules on the year (and month, when the
label gives one) of the window's end. One schedule claim covers every
delivery its sentence names, so a labelled date inside a matched window
counts as found. Then prints the median milliseconds per article of
`read_claims` over the seed archive and over the 181 real page texts of
../shared/data/extraction-benchmark/ground-truth.json (most of which mention
no tracked topic).
"""

from __future__ import annotations

import json
import re
import statistics
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.claims import read_claims
from pipeline.records import Claim, ClaimKind, Count, Money, Topic, Window
from pipeline.topics import load_builtin_topics, merge_topics, parse_topics

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "tests" / "fixtures" / "claims" / "labelled.jsonl"
OTHER_DEALS = REPO / "tests" / "fixtures" / "claims" / "labelled-other-deals.jsonl"
OTHER_DEALS_TOPICS = REPO / "tests" / "fixtures" / "claims" / "other-deals-topics.toml"
PAGE_TEXTS = REPO.parent / "shared" / "data" / "extraction-benchmark" / "ground-truth.json"
REAL_DEV = REPO.parent / "shared" / "data" / "claims-real-dev" / "claims.jsonl"
ARCHIVE = REPO / "archive"
KINDS = tuple(ClaimKind)
# The real set names the additional-units subject differently.
_SUBJECT_ALIASES = {"s400-new-order": "s400-additional-units"}


@dataclass(frozen=True)
class Expected:
    """One labelled claim: kind, subject (or None: not checked) and value."""

    kind: ClaimKind
    subject: str | None
    money: Money | None = None
    latest: tuple[int, ...] | None = None     # (year,) or (year, month)
    count: int | None = None
    historical: bool | None = False           # None: not labelled, not checked


@dataclass
class Score:
    """True positives, false positives and false negatives per kind."""

    tp: dict[ClaimKind, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    fp: dict[ClaimKind, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    fn: dict[ClaimKind, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    distractor_claims: int = 0
    misses: list[str] = field(default_factory=list)

    def precision(self, kind: ClaimKind) -> float:
        """Share of claims read that are right (1.0 when none were read)."""
        found = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / found if found else 1.0

    def recall(self, kind: ClaimKind) -> float:
        """Share of labelled claims that were read (1.0 when none were labelled)."""
        wanted = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / wanted if wanted else 1.0


def parse_published(value: str | None) -> date | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` -> a date (first day of the period), or None."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _latest_key(text: str) -> tuple[int, ...] | None:
    """A free-form schedule label ("2026-05", "FY2026-27", "~2022-2023") -> (year[, month])."""
    fy = re.search(r"FY\s?(\d{4})\s*[-–]\s*(\d{2})", text)
    if fy:
        return (int(fy.group(1)) // 100 * 100 + int(fy.group(2)), 3)
    dates = re.findall(r"((?:19|20)\d{2})(?:-(0[1-9]|1[0-2])(?!\d))?", text)
    if not dates:
        return None
    year, month = dates[-1]
    return (int(year), int(month)) if month else (int(year),)


def _expected_from_label(item: dict[str, Any], subject: str | None,
                         historical: bool | None) -> Expected | None:
    try:
        kind = ClaimKind(item["kind"])
    except ValueError:
        return None                        # advance payments, volumes, events: not claims
    if kind is ClaimKind.DEAL_VALUE:
        return Expected(kind, subject, money=Money(Decimal(str(item["amount"])), item["currency"], Decimal(0)),
                        historical=historical)
    if kind is ClaimKind.DELIVERY_SCHEDULE:
        text = str(item.get("latest") or item.get("to") or item.get("by") or item.get("when") or "")
        return Expected(kind, subject, latest=_latest_key(text), historical=historical)
    return Expected(kind, subject, count=int(item["count"]), historical=historical)


def _value_matches(claim: Claim, expected: Expected) -> bool:
    value = claim.value
    if isinstance(value, Money) and expected.money is not None:
        return (value.currency == expected.money.currency
                and abs(value.amount - expected.money.amount) <= value.precision)
    if isinstance(value, Window) and expected.latest is not None:
        end = value.latest or value.earliest
        return end is not None and _window_key(end, expected.latest) == expected.latest
    if isinstance(value, Count):
        return value.count == expected.count
    return False


def _window_key(day: date, like: tuple[int, ...]) -> tuple[int, ...]:
    return (day.year, day.month)[:len(like)]


def _covers(window: Window, expected: Expected) -> bool:
    if expected.latest is None:
        return False
    low = _window_key(window.earliest, expected.latest) if window.earliest else (0,)
    high = _window_key(window.latest, expected.latest) if window.latest else (9999,)
    return low <= expected.latest <= high


def score_case(score: Score, label: str, claims: Sequence[Claim], expected: Sequence[Expected],
               distractor: bool) -> None:
    """Add one passage's claims against its labels to the score."""
    if distractor:
        score.distractor_claims += len(claims)
        score.misses.extend(f"DISTRACTOR {label}: {c.kind.value} {c.value} <- {c.text[:90]}" for c in claims)
    unmatched = list(expected)
    matched_windows: list[tuple[Claim, Window]] = []
    for claim in claims:
        hit = next((e for e in unmatched if e.kind is claim.kind and _value_matches(claim, e)
                    and (e.subject is None or e.subject == claim.subject)
                    and e.historical in (None, claim.historical)), None)
        if hit is None:
            score.fp[claim.kind] += 1
            score.misses.append(f"FP {label}: {claim.kind.value} {claim.subject} {claim.value}")
            continue
        score.tp[claim.kind] += 1
        unmatched.remove(hit)
        if isinstance(claim.value, Window):
            matched_windows.append((claim, claim.value))
    for e in unmatched:
        if any(e.kind is c.kind and e.historical in (None, c.historical) and _covers(w, e)
               and (e.subject is None or e.subject == c.subject) for c, w in matched_windows):
            continue                    # one window covers every delivery its sentence names
        score.fn[e.kind] += 1
        score.misses.append(f"FN {label}: {e.kind.value} {e.subject} {e.money or e.latest or e.count}")


def evaluate_labelled(path: Path, topics: Sequence[Topic]) -> Score:
    """Score the reader on our labelled sentences (kind, value and subject must match)."""
    score = Score()
    for line in _lines(path):
        case = json.loads(line)
        expected = [e for e in (_expected_from_label(c, c.get("subject"), bool(c.get("historical")))
                                for c in case["claims"]) if e]
        claims = [c for c in read_claims(case["text"], topics, parse_published(case.get("published")),
                                         case.get("title", "")) if c.topic == case.get("topic", "s400")]
        score_case(score, case["id"], claims, expected, bool(case.get("distractor")))
    return score


def evaluate_real(path: Path, topics: Sequence[Topic]) -> Score:
    """Score the reader on the real development passages (kind and value must match)."""
    score = Score()
    for number, line in enumerate(_lines(path), 1):
        case = json.loads(line)
        distractor = str(case["subject"]).startswith("other:")
        expected = [] if distractor else [
            e for e in (_expected_from_label(v, None, None) for v in case["value"]) if e]
        claims = [c for c in read_claims(case["text"], topics, parse_published(case.get("published")),
                                         case.get("title") or "") if c.topic == "s400"]
        score_case(score, f"real#{number}", claims, expected, distractor)
    return score


def load_other_deal_topics() -> tuple[Topic, ...]:
    """The built-in topics plus the other deals configured for the second labelled set."""
    raw = tomllib.loads(OTHER_DEALS_TOPICS.read_text(encoding="utf-8"))
    return merge_topics(load_builtin_topics(), parse_topics(raw.get("topics", []), str(OTHER_DEALS_TOPICS)))


def time_page_texts(topics: Sequence[Topic], repeats: int = 5) -> float | None:
    """Median milliseconds of read_claims per real page text (None when the data is absent)."""
    if not PAGE_TEXTS.exists():
        return None
    pages = json.loads(PAGE_TEXTS.read_text(encoding="utf-8"))
    texts = [str(page["articleBody"]) for page in pages.values()]
    published_on = date(2025, 9, 3)
    timings: list[float] = []
    for _ in range(repeats):
        for text in texts:
            began = time.perf_counter()
            read_claims(text, topics, published_on)
            timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def time_seed_articles(topics: Sequence[Topic], repeats: int = 50) -> float:
    """Median milliseconds of read_claims per seed article."""
    meta = tomllib.loads((ARCHIVE / "metadata.toml").read_text(encoding="utf-8"))
    articles = [((ARCHIVE / a["file"]).read_text(encoding="utf-8"), a["published_on"], a.get("title", ""))
                for a in meta["articles"]]
    timings: list[float] = []
    for _ in range(repeats):
        for text, published_on, title in articles:
            began = time.perf_counter()
            read_claims(text, topics, published_on, title)
            timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def _lines(path: Path) -> Iterable[str]:
    return (line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _print_score(name: str, score: Score) -> None:
    print(f"\n{name}")
    print(f"  {'kind':<18} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for kind in KINDS:
        print(f"  {kind.value:<18} {score.precision(kind):>9.2f} {score.recall(kind):>7.2f} "
              f"{score.tp[kind]:>4} {score.fp[kind]:>4} {score.fn[kind]:>4}")
    print(f"  claims read from distractors: {score.distractor_claims}")


def main(argv: Sequence[str] = ()) -> None:
    """Print precision and recall per kind on both sets, and ms per article."""
    verbose = "-v" in argv or "--verbose" in argv
    topics = load_builtin_topics()
    labelled = evaluate_labelled(LABELLED, topics)
    _print_score(f"labelled set ({LABELLED.relative_to(REPO)})", labelled)
    if verbose:
        print("\n".join("    " + m for m in labelled.misses))
    other_topics = load_other_deal_topics()
    other = evaluate_labelled(OTHER_DEALS, other_topics)
    _print_score(f"other deals ({OTHER_DEALS.relative_to(REPO)})", other)
    if verbose:
        print("\n".join("    " + m for m in other.misses))
    if REAL_DEV.exists():
        real = evaluate_real(REAL_DEV, topics)
        _print_score(f"real development set ({REAL_DEV})", real)
        if verbose:
            print("\n".join("    " + m for m in real.misses))
    else:
        print(f"\nreal development set: skipped, {REAL_DEV} not found "
              "(it lives beside the repository in ../shared/data)")
    print(f"\nread_claims: median {time_seed_articles(topics):.3f} ms per seed article")
    pages = time_page_texts(topics)
    if pages is None:
        print(f"read_claims on real page texts: skipped, {PAGE_TEXTS} not found")
    else:
        print(f"read_claims: median {pages:.3f} ms per real page text (181 pages)")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
