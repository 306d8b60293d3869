"""Topic definitions: the built-in `topics.toml` plus the config's [[topics]].

Topics are data. This module only turns TOML tables into `Topic` records,
checking every key, and compiles the term patterns the stages match with.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from pipeline.errors import ConfigError
from pipeline.records import ClaimKind, Subject, Topic

BUILTIN_TOPICS_FILE = "topics.toml"
_TOPIC_KEYS = {"id", "name", "terms", "track", "subjects", "excludes", "buyer"}
_SUBJECT_KEYS = {"id", "cues", "default"}


def load_builtin_topics() -> tuple[Topic, ...]:
    """The topics shipped in `pipeline/topics.toml`."""
    source = resources.files("pipeline").joinpath(BUILTIN_TOPICS_FILE)
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    return parse_topics(raw.get("topics", []), str(source))


def parse_topics(tables: Any, source: str) -> tuple[Topic, ...]:
    """Validate a list of [[topics]] tables; errors name the file and the key."""
    if not isinstance(tables, list):
        raise ConfigError(f"{source}: 'topics' must be an array of tables ([[topics]])")
    topics = tuple(_parse_topic(table, f"{source}: topics[{i}]") for i, table in enumerate(tables))
    ids = [t.id for t in topics]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{source}: topic id {dupes[0]!r} is defined twice")
    return topics


def merge_topics(builtin: Iterable[Topic], configured: Iterable[Topic]) -> tuple[Topic, ...]:
    """Config topics add to the built-in ones; one with the same id replaces it."""
    merged = {t.id: t for t in builtin}
    merged.update((t.id, t) for t in configured)
    return tuple(merged.values())


def _parse_topic(table: Any, where: str) -> Topic:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: must be a table")
    _reject_unknown(table, _TOPIC_KEYS, where)
    topic_id = _string(table, "id", where, required=True)
    terms = _strings(table, "terms", where)
    if not terms:
        raise ConfigError(f"{where}.terms: a topic needs at least one term")
    track_names = _strings(table, "track", where) if "track" in table else tuple(k.value for k in ClaimKind)
    try:
        track = tuple(ClaimKind(name) for name in track_names)
    except ValueError:
        known = ", ".join(k.value for k in ClaimKind)
        raise ConfigError(f"{where}.track: unknown kind in {list(track_names)}; known: {known}") from None
    subjects_raw = table.get("subjects", [])
    if not isinstance(subjects_raw, list):
        raise ConfigError(f"{where}.subjects: must be an array of tables ([[topics.subjects]])")
    subjects = tuple(_parse_subject(s, f"{where}.subjects[{i}]") for i, s in enumerate(subjects_raw))
    if track and not subjects:
        subjects = (Subject(id=topic_id, default=True),)
    if sum(s.default for s in subjects) > 1:
        raise ConfigError(f"{where}.subjects: at most one subject may be the default")
    return Topic(
        id=topic_id,
        name=_string(table, "name", where) or topic_id,
        terms=terms,
        track=track,
        subjects=subjects,
        excludes=_strings(table, "excludes", where),
        buyer=_strings(table, "buyer", where),
    )


def _parse_subject(table: Any, where: str) -> Subject:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: must be a table")
    _reject_unknown(table, _SUBJECT_KEYS, where)
    default = table.get("default", False)
    if not isinstance(default, bool):
        raise ConfigError(f"{where}.default: must be true or false, not {default!r}")
    return Subject(id=_string(table, "id", where, required=True),
                   cues=_strings(table, "cues", where), default=default)


def _reject_unknown(table: Mapping[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")


def _string(table: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = table.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key}: must be a non-empty string")
    return value.strip()


def _strings(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}.{key}: must be an array of non-empty strings")
    return tuple(v.strip() for v in value)


@lru_cache(maxsize=4096)
def compile_terms(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for a list of terms, longest first.

    Terms match on word boundaries; a hyphen or space inside a term also
    matches a hyphen, a space, or nothing ("S-400", "S 400", "S400"), and
    typographic dashes count as hyphens.
    """
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        pieces = re.split(r"[\s\-\u2010-\u2015]+", term.strip())
        parts.append(r"[\s\-\u2010-\u2015]*".join(re.escape(p) for p in pieces if p))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


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


def topics_named(text: str, title: str, topics: Sequence[Topic]) -> list[Topic]:
    """The topics an article names, for mentions and claims alike.

    A topic is named by one of its terms in the text or title. A subject cue
    alone ("the fourth squadron", "the second contract") names it only when
    the article names no other topic by a term: a cue is too generic to
    claim an article about another deal.
    """
    folded = fold(f"{title}\n{text}")
    by_term = [t for t in topics if compile_names(tuple(t.terms)).search(folded)]
    if by_term:
        return by_term
    return [t for t in topics if compile_names(naming_phrases(t)).search(folded)]
