"""Numbers of units in news text: "five squadrons" ordered, "three have been delivered".

A count is ordered when its clause speaks of a deal or a purchase, delivered
when it says the units were received, delivered or inducted (in the past,
not "will be delivered"). An ordinal ("the fourth squadron") is a delivered
count only when the sentence says that unit arrived; "the fourth squadron is
expected by mid-2026" is a schedule, read elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.records import ClaimKind

_CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "twenty-six": 26, "thirty-six": 36,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}
# Nouns that count the units of an arms deal (generic across deals).
_UNIT = (r"squadrons?|regiments?|units?|systems?|batter(?:y|ies)|firing\s+units?|launchers?|missiles?|"
         r"interceptors?|jets?|aircraft|fighters?|helicopters?|ships?|vessels?|frigates?|submarines?|"
         r"tanks?|platforms?|sets?")
_CARDINAL = r"\d{1,4}|" + "|".join(sorted(_CARDINALS, key=len, reverse=True))
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
# Up to eight words of description between the number and its noun
# ("five S-400 (SA-21 Growler) air defense missile system squadrons"), none a number.
_FILLER = r"(?:(?!(?:" + _CARDINAL + r"|of|and|or|with|by|in|for|to)\b)[\w()\-‘’'/.]+\s+){0,8}?"

_COUNT = re.compile(
    rf"(?<![\w$₹.,-])(?P<n>{_CARDINAL})(?![\w.,%-])\s+(?P<more>more\s+|additional\s+|new\s+)?{_FILLER}(?P<u>{_UNIT})\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_NUMBER_WORDS = tuple(_CARDINALS) + tuple(w for w in _ORDINALS if w.isalpha())
_OF_THE = re.compile(rf"(?<![\w$₹.,-])(?P<a>{_CARDINAL})\s+(?:out\s+)?of\s+(?:the|its|all)\s+(?P<b>{_CARDINAL})\b",
                     re.IGNORECASE)
_ORDINAL_UNIT = re.compile(rf"\b(?P<n>{_ORDINAL})\s+(?:and\s+final\s+|and\s+last\s+)?{_FILLER}(?P<u>{_UNIT})\b",
                           re.IGNORECASE)
_DELIVERED = re.compile(
    r"\b(?:received|delivered|inducted|operationali[sz]ed|deployed|arrived|handed\s+over|"
    r"in\s+service|operates|operating|already\s+(?:has|have|got)|commissioned|supplied)\b",
    re.IGNORECASE,
)
_NOT_YET = re.compile(
    r"\b(?:will|would|shall|to\s+be|expected|scheduled|slated|due|remaining|rest|pending|yet\s+to|"
    r"planned|set\s+to|likely|could|may|might|by\s+(?:the\s+end|mid|early|late|\d{4})|next|awaited)\b",
    re.IGNORECASE,
)
# A count the sentence gives as still to come is not the size of an order.
_NOT_YET_COUNT = re.compile(r"\b(?:remaining|rest|pending|yet\s+to|more\s+than|at\s+least|require[sd]?|need\w*)\b",
                            re.IGNORECASE)
_ORDERED = re.compile(
    r"\b(?:deal|contract\w*|agreement|order\w*|procur\w+|purchas\w+|bought|buy\w*|acquir\w+|acquisition|"
    r"signed|inked|sign|approv\w+|cleared|worth|total\s+of|comprising|covers?|pa(?:y|id)\s+(?:\S+\s+){0,4}?for)\b",
    re.IGNORECASE,
)
# A number that names a part of the deal, not its size: "the remaining two".
_PART_BEFORE = re.compile(r"\b(?:remaining|final|last|other|first|next|rest\s+of\s+the|each|every|comprising|one\s+of)\s+$",
                          re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[;:()]|,\s|\bbut\b|\bwhile\b|\bwhereas\b|\band\s+(?=the\b)")


@dataclass(frozen=True)
class CountMatch:
    """A number of units found in a sentence, with its span and kind."""

    kind: ClaimKind
    count: int
    start: int
    end: int


def find_counts(sentence: str) -> list[CountMatch]:
    """Counts of units ordered or delivered that the sentence states, in order."""
    low = sentence.lower()
    if not _DIGIT.search(sentence) and not any(word in low for word in _NUMBER_WORDS):
        return []
    found: list[CountMatch] = []
    taken: list[tuple[int, int]] = []
    for match in _OF_THE.finditer(sentence):
        # "three of the five systems it purchased": delivered of ordered.
        clause = _clause(sentence, match.start())
        a, b = _cardinal(match.group("a")), _cardinal(match.group("b"))
        if a is None or b is None or a > b or not _has_unit_after(sentence, match.end()):
            continue
        taken.append(match.span())
        if _DELIVERED.search(clause) and not _NOT_YET.search(clause):
            found.append(CountMatch(ClaimKind.UNITS_DELIVERED, a, match.start("a"), match.end("a")))
        found.append(CountMatch(ClaimKind.UNITS_ORDERED, b, match.start("b"), match.end()))
    for match in _COUNT.finditer(sentence):
        if any(s <= match.start() < e for s, e in taken):
            continue
        count = _cardinal(match.group("n"))
        if count is None or count == 0 or _PART_BEFORE.search(sentence[max(0, match.start() - 25):match.start()]):
            continue
        if re.match(r"\d{4}$", match.group("n")) and 1900 <= count <= 2100:
            continue       # a year before a noun ("2018 contract systems")
        clause = _clause(sentence, match.start())
        if _DELIVERED.search(clause) and not _NOT_YET.search(clause):
            kind = ClaimKind.UNITS_DELIVERED
        elif _ORDERED.search(clause) or match.group("more") or (
                _ORDERED.search(sentence) and not _NOT_YET_COUNT.search(clause)):
            kind = ClaimKind.UNITS_ORDERED
        else:
            continue
        found.append(CountMatch(kind, count, match.start(), match.end()))
    for match in _ORDINAL_UNIT.finditer(sentence):
        clause = _clause(sentence, match.start())
        if _DELIVERED.search(clause) and not _NOT_YET.search(clause):
            found.append(CountMatch(ClaimKind.UNITS_DELIVERED, _ORDINALS[match.group("n").lower()],
                                    match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return found


def _cardinal(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _CARDINALS.get(word)


def _has_unit_after(sentence: str, offset: int) -> bool:
    return bool(re.match(rf"\s+{_FILLER}(?:{_UNIT})\b", sentence[offset:], re.IGNORECASE))


def _clause(sentence: str, offset: int) -> str:
    start = 0
    end = len(sentence)
    for brk in _CLAUSE_BREAK.finditer(sentence):
        if brk.end() <= offset:
            start = brk.end()
        elif brk.start() >= offset:
            end = brk.start()
            break
    return sentence[start:end]
