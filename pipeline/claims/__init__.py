"""Text -> claims: deal values, delivery schedules and unit counts, per tracked topic (pure).

    read_claims(text, topics, published_on, title)
      split_sentences            pipeline.sentences
      read_relevance             passages: which sentences speak of each topic
      find_amounts               money: "$5.5 billion", "Rs 40,000 crore"
      find_delivery_dates        schedule: "in 2026 and 2027", "by 2026-27"
      find_counts                units: "five squadrons", "three delivered"
      belongs_to_topic / choose_subject   passages: excludes and subject cues

Rule-based and offline: regular expressions over each sentence, driven by
the topics' data (terms, subject cues, excludes). Bump READER_VERSION when a
rule changes, so `newswatch claims rebuild` knows stored claims are stale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from pipeline.claims.money import find_amounts
from pipeline.claims.passages import (
    Relevance,
    SentenceNames,
    TopicPatterns,
    belongs_to_topic,
    choose_subject,
    compile_topic,
    find_names,
    fold,
    names_topic,
    read_relevance,
)
from pipeline.claims.schedule import find_delivery_dates, merge_windows
from pipeline.claims.units import find_counts
from pipeline.records import Claim, ClaimKind, ClaimValue, Count, Money, Topic, Window
from pipeline.sentences import Sentence, split_sentences

__all__ = ["READER_VERSION", "claim_json", "claim_value_json", "read_claims"]

READER_VERSION = "1.1"

# A sentence without a digit, a number word, a month or a period word can hold
# no value, date or count: most sentences of an article are skipped on this.
_MAY_HOLD_CLAIM = re.compile(
    r"\d|year|month|fiscal|financial|\bfy|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|fifteen|twenty|thirty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")     # matched against folded (lower-case) text


def read_claims(text: str, topics: Sequence[Topic], published_on: date | None, title: str = "") -> list[Claim]:
    """Claims for every topic that tracks facts; offsets are the sentence's in `text`."""
    every = tuple(topics)
    # Only a text (or title) that names a topic can hold its claims: most pages
    # name none, and are done without splitting them into sentences.
    named = [patterns for patterns in (compile_topic(t, every) for t in every if t.track)
             if names_topic(patterns, text) or names_topic(patterns, title)]
    if not named:
        return []
    sentences = split_sentences(text)
    claims: list[Claim] = []
    for patterns in named:
        relevance = read_relevance(patterns, sentences, title)
        for index, (sentence, rel) in enumerate(zip(sentences, relevance)):
            if (rel.named or rel.carried) and _MAY_HOLD_CLAIM.search(fold(sentence.text)):
                context = _context(sentences, rel, index, title)
                claims.extend(_read_sentence(patterns, sentence, published_on, context))
    return claims


def _context(sentences: Sequence[Sentence], rel: Relevance, index: int, title: str) -> list[str]:
    """Where a sentence without a subject cue of its own looks for one, nearest first.

    Only sentences that do not name the topic by a term borrow a subject from
    the passage: one that names the system itself ("India has received some
    S-400 units") speaks of it in general, which is the default subject.
    """
    if rel.by_term or rel.context is None:
        return []
    previous = [sentences[i].text for i in range(index - 1, max(rel.context, 0) - 1, -1)]
    return previous + ([title] if title else [])


def _read_sentence(patterns: TopicPatterns, sentence: Sentence, published_on: date | None,
                   context: Sequence[str]) -> list[Claim]:
    topic = patterns.topic
    text = sentence.text
    claims: list[Claim] = []
    names_found: list[SentenceNames] = []

    def names() -> SentenceNames:
        # Searched only once a value is found: most sentences of a passage hold none.
        if not names_found:
            names_found.append(find_names(patterns, text))
        return names_found[0]

    def make(kind: ClaimKind, value: ClaimValue, subject: str, historical: bool) -> Claim:
        return Claim(topic=topic.id, subject=subject, kind=kind, value=value, text=text,
                     start=sentence.start, end=sentence.end, historical=historical)

    if ClaimKind.DEAL_VALUE in topic.track:
        seen: set[tuple[str, Money]] = set()
        for amount in find_amounts(text):
            if not amount.is_deal_value or not belongs_to_topic(names(), text, amount.start, amount.end):
                continue
            subject = choose_subject(patterns, text, amount.start, amount.end, context)
            if (subject, amount.money) not in seen:
                seen.add((subject, amount.money))
                claims.append(make(ClaimKind.DEAL_VALUE, amount.money, subject, amount.historical))
    if ClaimKind.DELIVERY_SCHEDULE in topic.track:
        # One schedule per sentence and subject (and per reading, current or superseded).
        groups: dict[tuple[str, bool], list[Window]] = {}
        for found in find_delivery_dates(text, published_on):
            if belongs_to_topic(names(), text, found.start, found.end):
                subject = choose_subject(patterns, text, found.start, found.end, context)
                groups.setdefault((subject, found.historical), []).append(found.window)
        for (subject, historical), windows in groups.items():
            claims.append(make(ClaimKind.DELIVERY_SCHEDULE, merge_windows(windows), subject, historical))
    kinds = {ClaimKind.UNITS_ORDERED, ClaimKind.UNITS_DELIVERED} & set(topic.track)
    if kinds:
        counted: set[tuple[ClaimKind, str, int]] = set()
        for count in find_counts(text, patterns.unit_terms):
            if count.kind not in kinds or not belongs_to_topic(names(), text, count.start, count.end):
                continue
            subject = choose_subject(patterns, text, count.start, count.end, context)
            if (count.kind, subject, count.count) not in counted:
                counted.add((count.kind, subject, count.count))
                claims.append(make(count.kind, Count(count.count), subject, False))
    return claims


def claim_value_json(value: ClaimValue) -> dict[str, object]:
    """The spec's JSON form of a claim value."""
    if isinstance(value, Money):
        return {"amount": _number(value.amount), "currency": value.currency}
    if isinstance(value, Window):
        return {"earliest": value.earliest.isoformat() if value.earliest else None,
                "latest": value.latest.isoformat() if value.latest else None,
                "milestone": value.milestone.value if value.milestone else None}
    return {"count": value.count}


def claim_json(claim: Claim) -> dict[str, object]:
    """The spec's JSON object for one claim ("historical" only when it is)."""
    data: dict[str, object] = {
        "topic": claim.topic, "subject": claim.subject, "kind": claim.kind.value,
        "value": claim_value_json(claim.value), "text": claim.text,
        "start": claim.start, "end": claim.end,
    }
    if claim.historical:
        data["historical"] = True
    return data


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)
