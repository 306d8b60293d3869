"""Sentence spans of plain text, shared by the mention and claim readers.

A deliberately small rule-based splitter: news text is mostly well punctuated,
and the readers need stable character offsets more than linguistic finesse.
Paragraph breaks always end a sentence; a full stop ends one unless it follows
a known abbreviation, an initial, or sits inside a number ("5.5", "U.S.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt cmdr adm sgt st jr sr inc ltd co corp "
    "no nos vs etc approx est fig rs govt dept u.s u.k u.n e.g i.e jan feb mar apr "
    "jun jul aug sep sept oct nov dec".split()
)
# A full stop followed by a capital with no space ("in 2026.The next") still ends
# a sentence when a lower-case letter or a digit is before it (not "U.S.").
# A single line break ends one unless the line runs on in lower case: text
# extracted from pages breaks lines inside sentences.
_BOUNDARY = re.compile(r"""[.!?]+["'\u2019\u201d)\]]*(?=\s+|$)|(?<=[a-z0-9])\.(?=[A-Z][a-z])|\n\s*\n|\n(?![ \t]*[a-z(])""")


@dataclass(frozen=True)
class Sentence:
    """A sentence and its character offsets in the text it came from."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences with offsets; whitespace-only pieces are dropped."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        _append(sentences, text, start, end)
        start = end
    _append(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12):dot])
    if not word:
        return False
    token = word.group(1).lower()
    if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return True
    # The next word starting in lower case means the sentence goes on.
    following = re.match(r"\s+(\S)", text[dot + 1:dot + 4])
    return bool(following and following.group(1).islower())


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    s = start + lead
    if sentences and _ASIDE_ONLY.fullmatch(stripped):
        # "worth about 1.8 Billion NOK. (US$287 million).": a bracket alone belongs to the sentence before
        last = sentences.pop()
        sentences.append(Sentence(text=text[last.start:s + len(stripped)], start=last.start, end=s + len(stripped)))
        return
    sentences.append(Sentence(text=stripped, start=s, end=s + len(stripped)))


_ASIDE_ONLY = re.compile(r"\([^()]{1,60}\)[.!?]*")
