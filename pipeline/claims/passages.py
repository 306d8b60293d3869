"""Which sentences speak of a topic, and which of the topic's subjects a value is about.

Everything here is driven by topic data: a sentence names a topic by one of
its terms or by a subject cue of more than one word ("five squadrons"; a bare
"2018" or "additional" only decides the subject), and carries on a passage
about it when it follows such a sentence (or the title) closely without
naming anything else. A value in a sentence that also names one of the
topic's excludes, or another tracked topic, belongs to whichever is named
nearest to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.records import Subject, Topic
from pipeline.sentences import Sentence
from pipeline.topics import compile_terms

# How many sentences after one that names the topic (or after a title that
# does) still carry on its passage. Two covers "X. To date... The remaining
# two..." without reaching into the next subject of a long article.
CARRY_SENTENCES = 2
# A sentence that carries on a passage but speaks of "another" or "a separate"
# deal is about something else, even when that deal is not named.
_ELSEWHERE = re.compile(r"\b(?:other|another|separate|separately|indigenous|domestic)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """A matched phrase's offsets inside a sentence."""

    start: int
    end: int


@dataclass(frozen=True)
class TopicPatterns:
    """A topic's phrases compiled once for one reading."""

    topic: Topic
    names: re.Pattern[str]                      # terms and multi-word cues
    terms: re.Pattern[str]
    excludes: re.Pattern[str] | None
    subject_cues: tuple[tuple[Subject, re.Pattern[str]], ...]
    default_subject: str


@dataclass(frozen=True)
class Relevance:
    """How one sentence relates to a topic."""

    named: bool            # names the topic (term or cue)
    by_term: bool          # names it by a term
    carried: bool          # carries on a passage about it
    context: int | None    # index of the sentence that opened the passage (-1: the title)


@lru_cache(maxsize=256)
def compile_topic(topic: Topic, others: tuple[Topic, ...]) -> TopicPatterns:
    """Compile a topic's terms, naming cues, excludes and subject cues (cached: topics are frozen)."""
    naming_cues = tuple(cue for s in topic.subjects for cue in s.cues if _is_naming_cue(cue, topic))
    exclude_terms = tuple(topic.excludes) + tuple(
        term for other in others if other.id != topic.id and other.track for term in other.terms)
    own = compile_terms(topic.terms)
    exclude_terms = tuple(t for t in exclude_terms if not own.fullmatch(t))
    default = next((s.id for s in topic.subjects if s.default),
                   topic.subjects[0].id if topic.subjects else topic.id)
    return TopicPatterns(
        topic=topic,
        names=compile_terms(tuple(topic.terms) + naming_cues),
        terms=own,
        excludes=compile_terms(exclude_terms) if exclude_terms else None,
        subject_cues=tuple((s, compile_terms(s.cues)) for s in topic.subjects if s.cues),
        default_subject=default,
    )


def _is_naming_cue(cue: str, topic: Topic) -> bool:
    if compile_terms(topic.terms).search(cue):
        return True
    words = cue.split()
    return len(words) > 1 and not all(re.fullmatch(r"\d+", w) for w in words)


def find_spans(pattern: re.Pattern[str] | None, text: str) -> list[Span]:
    """Every match of a compiled phrase list in the text."""
    if pattern is None:
        return []
    return [Span(m.start(), m.end()) for m in pattern.finditer(text)]


def read_relevance(patterns: TopicPatterns, sentences: Sequence[Sentence], title: str) -> list[Relevance]:
    """For each sentence: does it name the topic, or carry on a passage about it."""
    result: list[Relevance] = []
    title_names = bool(title) and bool(patterns.names.search(title)) and not (
        patterns.excludes is not None and patterns.excludes.search(title)
        and not patterns.terms.search(title))
    opener: int | None = -1 if title_names else None
    distance = 0
    for index, sentence in enumerate(sentences):
        named = bool(patterns.names.search(sentence.text))
        by_term = named and bool(patterns.terms.search(sentence.text))
        if named:
            result.append(Relevance(named=True, by_term=by_term, carried=False, context=index))
            opener, distance = index, 0
            continue
        distance += 1
        carried = False
        if opener is not None and distance <= CARRY_SENTENCES:
            if patterns.excludes is not None and patterns.excludes.search(sentence.text):
                opener = None       # the passage has moved to something else
            else:
                carried = not _ELSEWHERE.search(sentence.text)
        result.append(Relevance(named=False, by_term=False, carried=carried,
                                context=opener if carried else None))
    return result


def belongs_to_topic(patterns: TopicPatterns, sentence: str, start: int, end: int) -> bool:
    """A value belongs to the topic unless something excluded is named nearer to it."""
    excluded = find_spans(patterns.excludes, sentence)
    if not excluded:
        return True
    # A cue that is the value itself ("five squadrons" of something excluded) names nothing.
    own = [span for span in find_spans(patterns.names, sentence)
           if _distance(span, start, end) > 0 or patterns.terms.search(sentence, span.start, span.end)]
    own_distance = min((_distance(s, start, end) for s in own), default=None)
    other_distance = min(_distance(s, start, end) for s in excluded)
    return own_distance is not None and own_distance <= other_distance


def choose_subject(patterns: TopicPatterns, sentence: str, start: int, end: int,
                   context: Sequence[str]) -> str:
    """The subject whose cue is nearest the value; then cues in the context; then the default."""
    best: tuple[int, int, str] | None = None
    for order, (subject, cues) in enumerate(patterns.subject_cues):
        for span in find_spans(cues, sentence):
            key = (_distance(span, start, end), order, subject.id)
            best = key if best is None or key < best else best
    if best is not None:
        return best[2]
    for text in context:
        # The cue written last in the nearest context sentence decides.
        last: tuple[int, str] | None = None
        for subject, cues in patterns.subject_cues:
            for span in find_spans(cues, text):
                if last is None or span.start > last[0]:
                    last = (span.start, subject.id)
        if last is not None:
            return last[1]
    return patterns.default_subject


def _distance(span: Span, start: int, end: int) -> int:
    if span.end <= start:
        return start - span.end
    if span.start >= end:
        return span.start - end
    return 0
