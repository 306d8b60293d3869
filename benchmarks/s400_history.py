"""Replay of real S-400 reporting, 2018-2026, through the claim reader and the change rules.

    python -m benchmarks.s400_history [-v]

Reads benchmarks/data/s400-history/articles.jsonl (passages quoted from
stored public news pages; see the README there for provenance and the true
history), reads each article's claims in publication order with the built-in
topics, wraps them as `ReportedClaim`s (one family and one id per article,
the outlet as its independent source) and prints what
`pipeline.changes.assess_claims` makes of them: every change, then each
subject's final consensus. `-v` also lists the claims read from each article.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.changes import Assessment, assess_claims
from pipeline.claims import read_claims
from pipeline.rates import default_rates
from pipeline.records import ClaimValue, Count, Money, ReportedClaim, Window
from pipeline.topics import load_builtin_topics

DATA = Path(__file__).resolve().parent / "data" / "s400-history" / "articles.jsonl"


@dataclass(frozen=True)
class Article:
    """One line of articles.jsonl."""

    id: str
    url: str
    outlet: str
    title: str
    published: date
    text: str


def load_articles(path: Path = DATA) -> list[Article]:
    """The articles, in publication order."""
    articles = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            articles.append(Article(id=raw["id"], url=raw["url"], outlet=raw["outlet"], title=raw["title"],
                                    published=date.fromisoformat(raw["published"]), text=raw["text"]))
    return sorted(articles, key=lambda a: (a.published, a.url))


def read_all(articles: list[Article]) -> list[ReportedClaim]:
    """Every claim of every article, as reported by it."""
    topics = load_builtin_topics()
    reported = []
    for i, article in enumerate(articles):
        for claim in read_claims(article.text, topics, article.published, article.title):
            reported.append(ReportedClaim(claim=claim, article_id=i, url=article.url, title=article.title,
                                          published_on=article.published, family_id=i, outlet=article.outlet))
    return reported


def show(value: ClaimValue) -> str:
    """A value, short."""
    if isinstance(value, Money):
        return f"{value.amount:,f} {value.currency}"
    if isinstance(value, Count):
        return str(value.count)
    if isinstance(value, Window):
        span = f"{value.earliest or '…'}..{value.latest or '…'}"
        return f"{span} ({value.precision}{', ' + value.milestone.value if value.milestone else ''})"
    return repr(value)


def report(articles: list[Article], reported: list[ReportedClaim], assessment: Assessment, verbose: bool) -> str:
    """The replay as text: claims (verbose), changes, consensus."""
    ids = {a.url: a.id for a in articles}
    lines = [f"{len(articles)} articles, {len(reported)} claims, {len(assessment.changes)} changes"]
    if verbose:
        lines.append("\n== claims ==")
        for r in reported:
            c = r.claim
            lines.append(f"{ids[r.url]} {r.published_on} {c.subject} {c.kind.value}: {show(c.value)}"
                         f"{' [historical]' if c.historical else ''}  <- {c.text[:110]!r}")
    lines.append("\n== changes ==")
    for ch in assessment.changes:
        milestone = ch.milestone.value if ch.milestone else "-"
        lines.append(f"{ch.current.published_on} {ch.kind.value} {ch.subject} [{milestone}] "
                     f"{show(ch.previous.claim.value)} -> {show(ch.current.claim.value)} ({ch.direction}) "
                     f"confirmed={ch.confirmed}")
        lines.append(f"    from {ids[ch.previous.url]} / to {ids[ch.current.url]}: {ch.current.claim.text[:120]!r}")
        lines.append(f"    sources: {', '.join(ids[u] for u in ch.sources) or '-'}"
                     f"   disputed_by: {', '.join(ids[u] for u in ch.disputed_by) or '-'}")
    lines.append("\n== final consensus ==")
    for s in assessment.subjects:
        milestone = s.milestone.value if s.milestone else "-"
        lines.append(f"{s.kind.value} {s.subject} [{milestone}]: {show(s.value)}  "
                     f"sources: {', '.join(ids[u] for u in s.sources)}")
        for d in s.disagreeing:
            lines.append(f"    disagreeing: {show(d.value)} from {', '.join(ids[u] for u in d.sources)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    articles = load_articles()
    reported = read_all(articles)
    assessment = assess_claims(reported, default_rates())
    print(report(articles, reported, assessment, verbose="-v" in args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
