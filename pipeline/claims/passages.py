"""Which sentences speak of a topic, and which of the topic's subjects a value is about.

Everything here is driven by topic data: a sentence names a topic by one of
its terms or by a subject cue of more than one word ("five squadrons"; a bare
"2018" or "additional" only decides the subject), and carries on a passage
about it when it follows such a sentence (or the title) closely without
naming anything else. A value in a sentence that also names one of the
topic's excludes, or another tracked topic, belongs to the thing it is
written of ("113 F404 engines worth $1 billion"), else to whichever is named
in its own clause, else nearest to it. Terms also match their plurals and
possessives ("Apaches", "the S-400's").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from pipeline.claims.units import declared_size
from pipeline.records import Subject, Topic
from pipeline.sentences import Sentence
from pipeline.topics import compile_names, compile_terms, fold, kind_nouns, name_alternatives, naming_phrases, proper_terms

# Where one clause of a sentence ends and another begins, for deciding which
# deal a value belongs to. A relative clause ("the S-400, whose last units are
# due in 2027,") stays with the noun before it, so its comma is no break.
_OWNER_BREAK = re.compile(r"[;:()\[\]—]|,(?!\s*(?:whose|which|who)\b)|\s[–-]\s|"
                          r"\b(?:but|while|whereas|although|unlike|compared\s+with|compared\s+to)\b",
                          re.IGNORECASE)
# "113 F404 engines worth about $1 billion", "36 Rafale jets for Rs 59,000 crore":
# the words an amount is written of, just before it.
_WRITTEN_OF = re.compile(
    r"(?P<head>(?:[\w'’\-]+\s+){1,4}?)(?:worth|valued\s+at|costing|priced\s+at|estimated\s+at|"
    r"at\s+a\s+cost\s+of|for)\s+(?:(?:about|around|roughly|nearly|almost|over|some|approximately|"
    r"an\s+estimated|up\s+to|more\s+than|close\s+to|just\s+over|a)\s+)*$",
    re.IGNORECASE)

# How many sentences after one that names the topic (or after a title that
# does) still carry on its passage. Two covers "X. To date... The remaining
# two..." without reaching into the next subject of a long article.
CARRY_SENTENCES = 2
# A sentence that carries on a passage but speaks of "another" or "a separate"
# deal is about something else, even when that deal is not named.
_ELSEWHERE = re.compile(r"\b(?:other|another|separate|indigenous|domestic)\s+(?:[\w-]+\s+){0,2}?(?:deals?|contracts?|"
                        r"orders?|purchases?|agreements?|programmes?|programs?|projects?|systems?|acquisitions?)\b",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """A matched phrase's offsets inside a sentence."""

    start: int
    end: int


@dataclass(frozen=True)
class TopicPatterns:
    """A topic's phrases compiled once, in lower case: match them against `fold(text)`."""

    topic: Topic
    names: re.Pattern[str]                      # terms and multi-word cues
    terms: re.Pattern[str]
    excludes: re.Pattern[str] | None
    subject_cues: tuple[tuple[Subject, re.Pattern[str]], ...]
    default_subject: str
    unit_terms: str                             # the terms as unit nouns ("six Apaches")
    kinds: re.Pattern[str] | None = None        # the kinds its names end in ("jets"): they carry a passage on


@dataclass(frozen=True)
class Relevance:
    """How one sentence relates to a topic."""

    named: bool            # names the topic (term or cue)
    by_term: bool          # names it by a term
    carried: bool          # carries on a passage about it
    context: int | None    # index of the sentence that opened the passage (-1: the title)


@lru_cache(maxsize=256)
def compile_topic(topic: Topic, others: tuple[Topic, ...], by_kind: bool = False) -> TopicPatterns:
    """Compile a topic's terms, naming cues, excludes and subject cues (cached: topics are frozen).

    `by_kind`: the article names the topic only by its kind ("frigates") beside its buyer, which then names it.
    """
    # Another deal's kind words ("submarines") name nothing by themselves: only its names move a sentence to it.
    exclude_terms = tuple(topic.excludes) + tuple(
        term for other in others if other.id != topic.id and other.track for term in proper_terms(other))
    own = compile_terms(topic.terms)
    # Another topic's term that is part of one of this topic's own ("Rafale" in "Rafale Marine") is too
    # generic to say a sentence has moved to that other deal.
    own_folded = [fold(term) for term in topic.terms]
    exclude_terms = tuple(t for t in exclude_terms if not own.fullmatch(t) and not any(
        re.search(rf"(?<!\w){re.escape(fold(t))}(?!\w)", term) for term in own_folded))
    naming = naming_phrases(topic) + (kind_nouns(topic) if by_kind else ())
    default = next((s.id for s in topic.subjects if s.default),
                   topic.subjects[0].id if topic.subjects else topic.id)
    return TopicPatterns(
        topic=topic,
        names=compile_names(naming),
        terms=compile_names(tuple(topic.terms)),
        excludes=compile_names(exclude_terms) if exclude_terms else None,
        subject_cues=tuple((s, compile_names(_with_reversed_numbers(s.cues) + _size_references(s.cues)))
                           for s in topic.subjects if s.cues),
        default_subject=default,
        unit_terms=name_alternatives(tuple(topic.terms)).lower(),
        kinds=compile_names(kind_nouns(topic)) if kind_nouns(topic) else None,
    )


def find_spans(pattern: re.Pattern[str] | None, text: str) -> list[Span]:
    """Every match of a compiled topic phrase list in the text."""
    if pattern is None:
        return []
    return [Span(m.start(), m.end()) for m in pattern.finditer(fold(text))]


def read_relevance(patterns: TopicPatterns, sentences: Sequence[Sentence], title: str) -> list[Relevance]:
    """For each sentence: does it name the topic, or carry on a passage about it."""
    result: list[Relevance] = []
    folded_title = fold(title)
    title_names = bool(title) and _names_outside(patterns.names, patterns.excludes, folded_title) and not (
        patterns.excludes is not None and patterns.excludes.search(folded_title)
        and not _names_outside(patterns.terms, patterns.excludes, folded_title))
    opener: int | None = -1 if title_names else None
    distance = 0
    for index, sentence in enumerate(sentences):
        folded = fold(sentence.text)
        named = _names_outside(patterns.names, patterns.excludes, folded)
        by_term = named and _names_outside(patterns.terms, patterns.excludes, folded)
        if named:
            result.append(Relevance(named=True, by_term=by_term, carried=False, context=index))
            opener, distance = index, 0
            continue
        distance += 1
        carried = False
        if opener is not None and distance <= CARRY_SENTENCES and patterns.kinds is not None \
                and patterns.kinds.search(folded) and not (patterns.excludes and patterns.excludes.search(folded)):
            distance = 0        # "Serbia would have Western-made jet fighters": the passage goes on about them
        if opener is not None and distance <= CARRY_SENTENCES:
            if patterns.excludes is not None and patterns.excludes.search(folded):
                opener = None       # the passage has moved to something else
            else:
                carried = not _ELSEWHERE.search(sentence.text)
        result.append(Relevance(named=False, by_term=False, carried=carried,
                                context=opener if carried else None))
    return result


def _names_outside(pattern: re.Pattern[str], excludes: re.Pattern[str] | None, folded: str) -> bool:
    """A match of the pattern that is not part of a longer excluded name ("Rafale" in "Rafale Marine")."""
    first = pattern.search(folded)
    if first is None or excludes is None:
        return first is not None
    longer = [m.span() for m in excludes.finditer(folded)]
    return any(not any(s <= m.start() and m.end() <= e and e - s > m.end() - m.start() for s, e in longer)
               for m in pattern.finditer(folded))


@dataclass(frozen=True)
class SentenceNames:
    """What a sentence names of a topic and of the things excluded from it, found once."""

    own: tuple[Span, ...]          # the topic's names, with whether each is a term
    own_terms: tuple[bool, ...]
    excluded: tuple[Span, ...]
    breaks: tuple[int, ...]        # clause breaks, for deciding which deal a value belongs to


def find_names(patterns: TopicPatterns, sentence: str) -> SentenceNames:
    """The topic's names and the excluded names in one sentence (nothing is searched twice)."""
    excluded = tuple(find_spans(patterns.excludes, sentence))
    if not excluded:
        return SentenceNames(own=(), own_terms=(), excluded=(), breaks=())
    own = tuple(find_spans(patterns.names, sentence))
    # An excluded name in the same noun phrase as the topic's ("K9 VIDAR self-propelled howitzers") describes it.
    folded = fold(sentence)
    own_term_spans = [o for o in own if patterns.terms.search(folded, o.start, o.end)]
    excluded = tuple(e for e in excluded if not any(
        re.fullmatch(r"[\s\w-]{0,12}", folded[o.end:e.start]) and " " not in folded[o.end:e.start].strip()
        and 0 <= e.start - o.end for o in own_term_spans))
    if not excluded:
        return SentenceNames(own=(), own_terms=(), excluded=(), breaks=())
    folded = fold(sentence)
    own_terms = tuple(bool(patterns.terms.search(folded, s.start, s.end)) for s in own)
    breaks = tuple(m.start() for m in _OWNER_BREAK.finditer(sentence))
    return SentenceNames(own=own, own_terms=own_terms, excluded=excluded, breaks=breaks)


def belongs_to_topic(names: SentenceNames, sentence: str, start: int, end: int) -> bool:
    """A value belongs to the topic unless something excluded is named closer to it.

    Closer means: in the words the value is written of, else in fewer clauses
    away, else fewer characters away; a tie goes to the topic.
    """
    if not names.excluded:
        return True
    # A cue that is the value itself ("five squadrons" of something excluded) names nothing.
    own = [span for span, is_term in zip(names.own, names.own_terms)
           if is_term or _distance(span, start, end) > 0]
    if not own:
        return False
    head = _WRITTEN_OF.search(sentence, max(0, start - 80), start)
    if head is not None:
        h_start, h_end = head.span("head")
        own_in_head = any(h_start <= s.start < h_end for s in own)
        other_in_head = any(h_start <= s.start < h_end for s in names.excluded)
        if own_in_head != other_in_head:
            return own_in_head
    own_key = min(_closeness(s, start, end, names.breaks) for s in own)
    other_key = min(_closeness(s, start, end, names.breaks) for s in names.excluded)
    return own_key <= other_key


def _closeness(span: Span, start: int, end: int, breaks: Sequence[int]) -> tuple[int, int]:
    low, high = (span.end, start) if span.end <= start else (end, span.start)
    return (sum(1 for b in breaks if low <= b < high), _distance(span, start, end))


def choose_subject(patterns: TopicPatterns, sentence: str, start: int, end: int,
                   context: Sequence[str]) -> str:
    """The subject whose cue is nearest the value; then a further order the value's words speak of;
    then cues in the context; then the default."""
    best: tuple[int, int, str] | None = None
    for order, (subject, cues) in enumerate(patterns.subject_cues):
        for span in _cue_spans(cues, sentence):
            key = (_distance(span, start, end), order, subject.id)
            best = key if best is None or key < best else best
    if best is not None:
        return best[2]
    further = further_order_subject(patterns)
    if further is not None and _FURTHER_ORDER.search(fold(sentence), max(0, start - 25), end):
        return further      # "another 16 F-35s", "16 new jets": the order that adds to the first
    for text in context:
        # The cue written last in the nearest context sentence decides.
        last: tuple[int, str] | None = None
        for subject, cues in patterns.subject_cues:
            for span in _cue_spans(cues, text):
                if last is None or span.start > last[0]:
                    last = (span.start, subject.id)
        if last is not None:
            return last[1]
    return patterns.default_subject


# Words for an order that adds to an earlier one, in a value's own words or in a subject's cues.
_FURTHER_ORDER = re.compile(
    r"\b(?:another|additional|further|extra|fresh|follow[\s-]on)\s+(?!(?:delays?|deadlines?|dates?|timelines?|"
    r"schedules?|time|years?|months?|quarters?|half)\b)|\b(?:\d+|two|three|four|five|six|seven|eight|ten)\s+"
    r"(?:more|new|additional|extra)\b|\bnew\s+(?:order|deal|contract|purchase|batch)\b")
# A year cue ("2018", "2025") names a contract only where a contract is dated by it, not
# where it is a delivery date ("by the end of 2025").
_CONTRACT_YEAR_BEFORE = re.compile(r"(?:\b(?:signed|inked|agreed|concluded|placed|ordered|contracted|awarded|"
                                   r"sealed|struck|approved|since|of|the|its|in\s+(?:[a-z]+\s+)?(?=\d))\s+"
                                   r"(?:in\s+)?(?:[a-z]+\s+)?)$")
_CONTRACT_YEAR_AFTER = re.compile(r"^\s*(?:-|–)?\s*(?:contract|deal|order|agreement|purchase|pact|accord)")
_DELIVERY_YEAR_BEFORE = re.compile(r"\b(?:by|until|till|before|from|between|and|to|through|within|end\s+of|"
                                   r"(?:in|during)\s+(?:early|mid|late)?)\s*(?:the\s+)?(?:end\s+of\s+)?$")


def _cue_spans(cues: re.Pattern[str], text: str) -> list[Span]:
    """Cue matches, without bare years that date a delivery rather than a contract, and without
    numbers that are part of a name ("35 fighter" in "F-35 fighter jets")."""
    spans = []
    folded = fold(text)
    for span in find_spans(cues, text):
        if folded[span.start].isdigit() and span.start > 0 and (folded[span.start - 1] in "-‐‑–/" or
                                                                folded[span.start - 1].isalnum()):
            continue
        if folded[span.start:span.end].isdigit():
            before, after = folded[max(0, span.start - 40):span.start], folded[span.end:span.end + 15]
            if not _CONTRACT_YEAR_AFTER.match(after) and (
                    _DELIVERY_YEAR_BEFORE.search(before) or not _CONTRACT_YEAR_BEFORE.search(before)):
                continue
        spans.append(span)
    return spans


def further_order_subject(patterns: TopicPatterns) -> str | None:
    """The one subject whose cues speak of a further order ("16 more", "follow-on order"), if exactly one does."""
    further = [s.id for s, _ in patterns.subject_cues
               if s.id != patterns.default_subject and any(_FURTHER_ORDER.search(c.lower()) for c in s.cues)]
    return further[0] if len(further) == 1 else None


def _with_reversed_numbers(cues: tuple[str, ...]) -> tuple[str, ...]:
    """Two-word cues with a number also match the other way round: "24 additional" and "additional 24"."""
    extra = []
    for cue in cues:
        words = cue.split()
        if len(words) == 2 and any(w.isdigit() for w in words):
            extra.append(f"{words[1]} {words[0]}")
    return tuple(cues) + tuple(extra)


def _size_references(cues: tuple[str, ...]) -> tuple[str, ...]:
    """A subject whose cue declares its order size in digits ("27 F-35") is also named by that size
    written as a reference to it: "27 of the fighters", "all 27", "the 27", "order of 27"."""
    # "24 additional" declares a further order, which "the 24" or "contract for 24" need not be.
    sizes = {cue.split()[0] for cue in cues
             if declared_size(cue) and cue.split()[0].isdigit() and not _FURTHER_ORDER.search(fold(cue))}
    extra = [f"{lead} {size}" for size in sorted(sizes) for lead in ("the", "all", "order of", "contract for", "deal for")]
    extra += [f"{size} of {det}" for size in sorted(sizes) for det in ("the", "these", "its", "those")]
    return tuple(extra)


def _distance(span: Span, start: int, end: int) -> int:
    if span.end <= start:
        return start - span.end
    if span.start >= end:
        return span.start - end
    return 0


def as_of(patterns: TopicPatterns, published_on: date | None) -> TopicPatterns:
    """The topic's subjects as they could be on the publication day: a subject whose cues date it
    only after then ("2025 contract" in a report of 2015) is not yet one."""
    if published_on is None:
        return patterns
    later = {s.id for s, _ in patterns.subject_cues if published_on.year < _first_year(s.cues) < 9999}
    if not later:
        return patterns
    remaining = [s for s in patterns.topic.subjects if s.id not in later]
    if not remaining:
        return patterns
    default = patterns.default_subject if patterns.default_subject not in later else max(
        remaining, key=lambda s: _first_year(s.cues) if _first_year(s.cues) < 9999 else 0).id
    return replace(patterns, subject_cues=tuple((s, c) for s, c in patterns.subject_cues if s.id not in later),
                   default_subject=default)


def _first_year(cues: tuple[str, ...]) -> int:
    years = [int(y) for cue in cues for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", cue)]
    return min(years) if years else 9999
