"""Topic names: the term patterns the stages match with.

Topics are data: config.py turns the built-in `topics.toml` and the config's
[[topics]] into `Topic` records (re-exported here for the tools that load
them); this module compiles their terms and cues into the patterns mentions
and claims match with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pipeline.config import BUILTIN_TOPICS_FILE as BUILTIN_TOPICS_FILE
from pipeline.config import load_builtin_topics as load_builtin_topics
from pipeline.config import merge_topics as merge_topics
from pipeline.config import parse_topics as parse_topics
from pipeline.records import Topic


@lru_cache(maxsize=4096)
def compile_terms(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for a list of terms, longest first.

    Terms match on word boundaries; a hyphen or space inside a term also
    matches a hyphen, a space, or nothing ("S-400", "S 400", "S400"), and
    typographic dashes count as hyphens. A term ending in a digit also
    matches its variants' letters ("F-35" finds "F-35A").
    """
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        pieces = [p for p in re.split(r"[\s\-\u2010-\u2015]+", term.strip()) if p]
        escaped = [_either_spelling(re.escape(p)) for p in pieces]
        if escaped:
            escaped[-1] = _singular_too(pieces[-1], escaped[-1])
        joined = r"[\s\-\u2010-\u2015]*".join(escaped)
        # A model designation also names its variants: "F-35" in "F-35A", "K2" in "K2PL", "MQ-9" in "MQ-9B".
        model = term.strip()[-1:].isdigit() and not re.search(r"\s", term.strip())
        parts.append(joined + (r"(?:[a-z]{1,3})?" if model else ""))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


# British and American spellings of one word: a term configured "ground-based air defence" names the
# "ground-based air defense" of an American newsroom.
_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(a, re.IGNORECASE), b) for a, b in (
    (r"defen[cs]e", "defen[cs]e"), (r"armou?r", "armou?r"), (r"harbou?r", "harbou?r"),
    (r"(?<=[a-z]{3})i[sz](ation|e|ed|es|ing)\b", r"i[sz]\1"), (r"cent(?:re|er)\b", "cent(?:re|er)"),
    (r"programme\b|program\b", "program(?:me)?"), (r"calib(?:re|er)\b", "calib(?:re|er)"),
))


def _singular_too(word: str, pattern: str) -> str:
    """A plural word ("submarines", "batteries", "Rafales") also names one of them; acronyms stay as written."""
    if len(word) < 5 or word.isupper() or not word.isalpha():
        return pattern
    if word.endswith("ies"):
        return pattern[:-3] + "(?:ies|y)"
    if word.endswith("s") and not word.endswith("ss"):
        return pattern[:-1] + "s?"
    return pattern


def _either_spelling(piece: str) -> str:
    for spelling, either in _SPELLINGS:
        piece = spelling.sub(either, piece)
    return piece


# Plural and possessive endings a name may carry in running text: "Apaches",
# "S-400s", "the Rafale-M's".
_NAME_ENDING = r"(?:'s|’s|es|s)?"


def name_alternatives(terms: tuple[str, ...]) -> str:
    """The alternation of `compile_terms`, each name also matching its plural or possessive."""
    exact = compile_terms(terms).pattern
    head, tail = r"(?<!\w)(?:", r")(?!\w)"
    assert exact.startswith(head) and exact.endswith(tail)
    return "(?:" + exact[len(head):-len(tail)] + ")" + _NAME_ENDING


@lru_cache(maxsize=4096)
def compile_names(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Names matched in lower case against `fold(text)`: faster than case-insensitive matching."""
    return re.compile((r"(?<!\w)" + name_alternatives(terms) + r"(?!\w)").lower())


def naming_phrases(topic: Topic) -> tuple[str, ...]:
    """What names a topic in a text: its terms, and subject cues of more than one word that are not numbers.

    One list for mentions and claims, so that an article whose claims are read
    is always an article that mentions the topic.
    """
    own = compile_terms(topic.terms)
    cues = tuple(cue for s in topic.subjects for cue in s.cues
                 if own.search(cue) or (len(cue.split()) > 1 and not all(w.isdigit() for w in cue.split())))
    return tuple(topic.terms) + cues


@lru_cache(maxsize=512)
def kind_nouns(topic: Topic) -> tuple[str, ...]:
    """The kinds of equipment a topic's names and counted cues end in ("Hunter frigates", "12 jets"), for a topic
    with a buyer.

    "Australia's new frigates" is the Hunter deal to an analyst; `topics_named`
    lets such a word name the topic only beside its buyer, and only when no
    topic is named by a term.
    """
    if not topic.buyer:
        return ()
    # The claim reader's unit nouns say which words are equipment ("jets", not "used" in "12 used"); imported
    # here, as the reader's modules import this one.
    from pipeline.claims.units import unit_kind

    named = [t.split() for t in topic.terms]
    counted = [c.split() for s in topic.subjects for c in s.cues if c.split()[0].isdigit()]
    return tuple(sorted({words[-1] for words in named + counted if len(words) > 1 and len(words[-1]) > 3
                         and _is_common_noun(words[-1]) and unit_kind(words[-1])}))


@lru_cache(maxsize=512)
def fold(text: str) -> str:
    """Lower-case text of the same length, so offsets carry over.

    The topic patterns are compiled in lower case and matched against folded
    text: much faster than case-insensitive matching, which for a long list of
    terms costs most of a page's reading time. A character whose lower case is
    longer (rare: "İ") is left as it is.
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _inside_longer(span: tuple[int, int], spans: dict[str, list[tuple[int, int]]], own: str) -> bool:
    start, end = span
    return any(s <= start and end <= e and e - s > end - start
               for topic, found in spans.items() if topic != own for s, e in found)


def _is_common_noun(term: str) -> bool:
    """A term written in lower case ("frigates", "warships"): a kind of equipment, not a name.

    Scripts without case ("एस-400") are names as written.
    """
    return any(c.islower() for c in term) and not any(c.isupper() for c in term)


def _names_a_buyer(topic: Topic, folded: str) -> bool:
    return bool(topic.buyer) and compile_names(tuple(topic.buyer)).search(folded) is not None


@lru_cache(maxsize=512)
def proper_terms(topic: Topic) -> tuple[str, ...]:
    """The topic's terms that are names, not kinds of equipment written in lower case."""
    return tuple(t for t in topic.terms if not _is_common_noun(t))


def topics_named(text: str, title: str, topics: Sequence[Topic]) -> list[Topic]:
    """The topics an article names, for mentions and claims alike.

    A topic is named by one of its terms in the text or title. A term the
    config writes in lower case ("frigates") is a kind of equipment, not a
    name: it names a topic with a buyer only in an article that names that
    buyer too, since every navy buys frigates. A subject cue alone ("the
    fourth squadron", "the second contract") names it only when the article
    names no other topic by a term: a cue is too generic to claim an article
    about another deal. Failing both, the kind a topic's names end in
    ("Hunter frigates") names it beside its buyer ("Australia's new
    frigates"), when no other deal of that buyer and kind could be meant.
    """
    folded = fold(f"{title}\n{text}")

    def naming_terms(topic: Topic) -> tuple[str, ...]:
        proper = proper_terms(topic)
        if len(proper) == len(topic.terms) or not topic.buyer or _names_a_buyer(topic, folded):
            return tuple(topic.terms)
        return proper

    terms = {t.id: naming_terms(t) for t in topics}
    spans = {t.id: [m.span() for m in compile_names(terms[t.id]).finditer(folded)] if terms[t.id] else []
             for t in topics}
    # A term inside another topic's longer term ("Rafale" in "Rafale Marine") names only that one.
    by_term = [t for t in topics if any(not _inside_longer(span, spans, t.id) for span in spans[t.id])]
    phrases = {t.id: tuple(p for p in naming_phrases(t) if p not in t.terms or p in terms[t.id]) for t in topics}
    if by_term:
        if any(not t.buyer or _names_a_buyer(t, folded) for t in by_term):
            return by_term
        # Named by a term only for deals whose buyer the article never names ("Saab" of Colombia's
        # Gripens in a report on "Sweden's new submarines"): a kind beside its own buyer names a deal too.
        return by_term + [t for t in topics if t not in by_term and _named_by_kind(t, folded)]
    by_cue = [t for t in topics if phrases[t.id] and compile_names(phrases[t.id]).search(folded)]
    if by_cue:
        return by_cue
    by_kind = [t for t in topics if _named_by_kind(t, folded)]
    return by_kind if len(by_kind) == 1 else []


def named_only_by_kind(topic: Topic, text: str, title: str) -> bool:
    """Does the article name the topic only by its kind beside its buyer (see `topics_named`)?"""
    folded = fold(f"{title}\n{text}")
    return not compile_names(naming_phrases(topic)).search(folded) and _named_by_kind(topic, folded)


def _named_by_kind(topic: Topic, folded: str) -> bool:
    kinds = kind_nouns(topic)
    if not kinds or not _names_a_buyer(topic, folded):
        return False
    buyers = r"(?:" + "|".join(re.escape(fold(b)) for b in topic.buyer) + r")"
    # The buyer owning the kind ("Australia's fleet of new frigates", "Australian frigates") or receiving it
    # ("frigates for the Australian Navy"); a buyer elsewhere in the text may be the seller.
    return any(re.search(rf"(?<!\w){buyers}(?:'s|’s)?\s+(?:[\w-]+\s+){{0,5}}?$", folded[max(0, m.start() - 60):m.start()])
               or re.match(rf"\s+(?:[\w-]+\s+){{0,4}}?for\s+(?:the\s+)?{buyers}(?!\w)", folded[m.end():m.end() + 60])
               for m in compile_names(kinds).finditer(folded))
