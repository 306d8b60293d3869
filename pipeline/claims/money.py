"""Amounts of money written in news text: "$5.5 billion", "Rs 40,000 crore", "INR390 billion".

Each amount keeps the precision it was written with (the value of one unit of
its last written digit), so "5 billion" and "5.43 billion" can later be
compared each at its own precision. Which amounts are deal values (and not an
advance payment, a trade total or an oil bill) is decided here from the words
around the amount; which deal they belong to is decided by the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipeline.claims.passages import fold
from pipeline.records import Money

# Every pattern here is written in lower case and matched against `fold(sentence)`
# (same offsets): case-insensitive matching of long word lists is several times slower.
_FOLDED = re.NOFLAG

# Indian numbering (crore = 1e7, lakh = 1e5) and the short forms newsrooms use.
# "अरब" (arab) is the Hindi word for 1e9, "करोड़" for crore, "लाख" for lakh.
_SCALES: dict[str, Decimal] = {
    "lakh crore": Decimal(10) ** 12, "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9, "arab": Decimal(10) ** 9,
    "अरब": Decimal(10) ** 9,
    "crore": Decimal(10) ** 7, "cr": Decimal(10) ** 7, "करोड़": Decimal(10) ** 7,
    "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "m": Decimal(10) ** 6,
    "lakh": Decimal(10) ** 5, "lac": Decimal(10) ** 5, "लाख": Decimal(10) ** 5,
    "thousand": Decimal(10) ** 3,
}

# Symbols and codes written before a number. The backtick is the rupee sign
# as legacy Indian news fonts render it ("`40,000 crore").
_PREFIX_CURRENCY: dict[str, str] = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "usd": "USD", "us dollars": "USD",
    "rs": "INR", "rs.": "INR", "inr": "INR", "₹": "INR", "`": "INR", "re": "INR",
    "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP", "rub": "RUB",
}
# Words written after a number.
_SUFFIX_CURRENCY: dict[str, str] = {
    "rupees": "INR", "rupee": "INR", "inr": "INR", "रुपये": "INR", "रुपए": "INR",
    "dollars": "USD", "us dollars": "USD", "usd": "USD", "डॉलर": "USD",
    "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "roubles": "RUB", "rubles": "RUB", "rub": "RUB",
    "pounds": "GBP",
}

_NUMBER = r"\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"lakh[\s-]crore|trillion|tn|billion|bn|arab|अरब|crore|cr|करोड़|million|mn|mln|lakh|lac|लाख|thousand|b|m"
_PREFIX = r"us\s?\$|u\.s\.\s?\$|\$|usd|us\s+dollars|rs\.?|inr|₹|`|€|eur|£|gbp|rub"
_SUFFIX = r"us\s+dollars|rupees|rupee|dollars|euros|euro|roubles|rubles|pounds|inr|usd|eur|rub|रुपये|रुपए|डॉलर"

_AMOUNT = re.compile(
    rf"""(?<![\w$₹€£`])
    (?:
      (?P<pre>{_PREFIX})\s?(?P<n1>{_NUMBER})(?:[\s-]*(?P<s1>{_SCALE})(?![\w]))?
        (?:\s+(?P<post1>{_SUFFIX})(?!\w))?
    |
      (?P<n2>{_NUMBER})(?:[\s-]*(?P<s2>{_SCALE})(?!\w))?[\s-]*(?P<post2>{_SUFFIX})(?!\w)
    |
      (?P<n3>{_NUMBER})[\s-]*(?P<s3>(?:lakh[\s-])?crore)(?=[\s-]+(?:deal|contract|agreement|order|package|project|purchase|procurement)\b)
    )""",
    re.VERBOSE,
)

# Words that make an amount something other than a deal's value when they sit
# just before or after it: part payments, budgets and aggregates, trade and oil.
_NOT_DEAL_BEFORE = re.compile(
    r"\b(?:advance|down[\s-]?payment|upfront|instal+ments?|tranches?|initial funding|funding|allocat\w*|"
    r"budget\w*|payments?|per ?cent of|% of|trade|turnover|business|commerce|imports?|exports?|oil|crude|"
    r"barrels?|revenue|investments?|loans?|line of credit|credit line|penalt\w+|compensation|"
    r"modernis\w+ plan|moderniz\w+ plan|spent|spending|subsid\w+|salar\w+|gdp|market cap\w*|"
    r"profit|net worth|fine[ds]?)\b[^;]{0,45}$",
    _FOLDED,
)
_NOT_DEAL_AFTER = re.compile(
    r"^[^.;]{0,25}\b(?:deals|in advance|advance|as advance|down[\s-]?payment|instal+ments?|"
    r"trade|turnover|of (?:crude|oil)|worth of (?:oil|crude|imports|exports|trade)|"
    r"per (?:year|annum|day)|a year|annually|budget)\b",
    _FOLDED,
)
# The sentence must speak of a transaction for an amount to be a deal value.
_DEAL_WORDS = re.compile(
    r"\b(?:deal|contract\w*|agreement|pact|worth|valued?|cost\w*|pric\w+|order\w*|purchas\w+|"
    r"procur\w+|acqui\w+|buy\w*|bought|sign\w*|ink\w*|package|sale|sold|amount\w*|pay|paid)\b|सौदे|अनुबंध|मूल्य",
    _FOLDED,
)
# "was initially valued at", "originally priced at": a superseded value.
_HISTORICAL_BEFORE = re.compile(
    r"\b(?:originally|initially|earlier|previously)\s+(?:\w+\s+){0,2}?"
    r"(?:valued|priced|estimated|pegged|worth|costed|cost)\b[^.;]{0,25}$",
    _FOLDED,
)


_DIGIT = re.compile(r"\d")
# Between an amount and its conversion: "$5.43 billion (approx Rs 40,000 crore".
_CONVERSION = re.compile(r"\s*(?:[(\[/]|or|,)\s*(?:approx\.?|approximately|around|about|roughly|nearly|some|or)?\s*$",
                         _FOLDED)


@dataclass(frozen=True)
class AmountMatch:
    """An amount found in a sentence, with its span and how it reads."""

    money: Money
    start: int
    end: int
    is_deal_value: bool
    historical: bool


def find_amounts(sentence: str) -> list[AmountMatch]:
    """Every amount of money written in the sentence, in order."""
    if not _DIGIT.search(sentence):
        return []
    sentence = fold(sentence)
    found: list[AmountMatch] = []
    has_deal_words: bool | None = None
    for match in _AMOUNT.finditer(sentence):
        money = _to_money(match)
        if money is None:
            continue
        if has_deal_words is None:
            has_deal_words = bool(_DEAL_WORDS.search(sentence))
        if found and _CONVERSION.match(sentence, found[-1].end, match.start()):
            # "$5.43 billion (Rs 40,000 crore)": the same amount in another currency.
            last = found[-1]
            found.append(AmountMatch(money=money, start=match.start(), end=match.end(),
                                     is_deal_value=last.is_deal_value, historical=last.historical))
            continue
        before = sentence[max(0, match.start() - 60):match.start()]
        after = sentence[match.end():match.end() + 40]
        is_deal = (has_deal_words and not _NOT_DEAL_BEFORE.search(before)
                   and not _NOT_DEAL_AFTER.search(after))
        found.append(AmountMatch(money=money, start=match.start(), end=match.end(),
                                 is_deal_value=is_deal,
                                 historical=bool(_HISTORICAL_BEFORE.search(before))))
    return found


def _to_money(match: re.Match[str]) -> Money | None:
    number = match.group("n1") or match.group("n2") or match.group("n3")
    scale_word = (match.group("s1") or match.group("s2") or match.group("s3") or "").lower()
    prefix = (match.group("pre") or "").lower()
    suffix = (match.group("post1") or match.group("post2") or "").lower()
    prefix = re.sub(r"\s+", "", prefix) if "$" in prefix else re.sub(r"\s+", " ", prefix)
    suffix = re.sub(r"\s+", " ", suffix)
    if match.group("n3"):
        currency = "INR"   # "63,000 crore deal": crore is the rupee's unit
    else:
        currency = _PREFIX_CURRENCY.get(prefix) or _SUFFIX_CURRENCY.get(suffix, "")
    if not currency:
        return None
    if scale_word in {"b", "m"} and not prefix:
        return None        # "5 m rupees" is too ambiguous without a symbol
    scale = _SCALES.get(re.sub(r"[\s-]+", " ", scale_word), Decimal(1))
    digits = number.replace(",", "")
    value = Decimal(digits)
    if value == 0:
        return None
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    precision = scale * Decimal(10) ** -decimals
    if scale == 1 and value < 1000 and currency in {"USD", "EUR", "GBP"}:
        return None        # "$375" alone is not a deal; news writes "$375 million"
    return Money(amount=value * scale, currency=currency, precision=precision)
