"""Amounts of money in news text, and whose number each one is.

Reading an amount takes three steps, each a small function below:

1. `find_amounts` finds a number with its scale and currency: "$5.5 billion",
   "NOK 2.4 billion", "4 billion Danish kroner", "Rs 40,000 crore", "A$3.4bn",
   "two hundred and sixty million euros". Currency words come from CLDR
   (`currency.py`); words several currencies share are read from the
   countries the text names. Each amount keeps the precision it was written
   with (one unit of its last written digit), so "5 billion" and "5.43
   billion" are later compared each at its own precision.
2. `read_role` says what the amount is: what a contract is worth, or a price
   per unit, money paid or spent so far, an advance, a loan, a budget, a
   total over several deals or years, a cost increase alone, or the price of
   a component (engines for the aircraft). Only a contract's worth is a deal
   value. The role is read from the words next to the amount in its clause.
3. `is_superseded` says whether the sentence gives it as an earlier figure
   ("originally valued at", "up from $5 billion").

Which deal an amount belongs to is the caller's business (`passages.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from text_to_num import text2num

from pipeline.claims.currency import WRITTEN_BEFORE, CurrencyLexicon, currency_lexicon, fold_accents, is_word_like_code
from pipeline.rates import default_rates
from pipeline.records import Money


class AmountRole(StrEnum):
    """What an amount of money in a sentence is."""

    CONTRACT = "contract"        # what the deal or contract is worth: the only deal value
    UNIT_PRICE = "unit_price"    # "$300 million each", "a unit cost of"
    PAID = "paid"                # paid, spent or released so far
    ADVANCE = "advance"          # an advance, down payment or instalment
    LOAN = "loan"                # a loan, line of credit or financing
    BUDGET = "budget"            # a budget, allocation or plan
    AGGREGATE = "aggregate"      # a total over several deals, years or trade
    INCREASE = "increase"        # a cost increase alone ("rose by $1 billion")
    COMPONENT = "component"      # a sub-contract for a part: engines, radars, support
    OTHER = "other"              # revenue, oil, fines: not a purchase at all


# Scales newsrooms write, Indian ones included (crore = 1e7, lakh = 1e5; "arab" = 1e9).
_SCALES: dict[str, Decimal] = {
    "lakh crore": Decimal(10) ** 12, "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12,
    "trn": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "bln": Decimal(10) ** 9,
    "bil": Decimal(10) ** 9, "b": Decimal(10) ** 9, "arab": Decimal(10) ** 9, "अरब": Decimal(10) ** 9,
    "crore": Decimal(10) ** 7, "crores": Decimal(10) ** 7, "cr": Decimal(10) ** 7, "करोड़": Decimal(10) ** 7,
    "million": Decimal(10) ** 6, "mil": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6, "m": Decimal(10) ** 6,
    "lakh": Decimal(10) ** 5, "lac": Decimal(10) ** 5, "लाख": Decimal(10) ** 5,
    "thousand": Decimal(10) ** 3,
}
# "bil" and "mil": Malaysian newsrooms' "RM9bil", "RM200mil".
_SCALE = (r"lakh[\s-]crore|trillion|trn|tn|billion|bln|bil|bn|arab|अरब|crores?|cr|करोड़|million|mln|mil|mn|lakh|lac|"
          r"लाख|thousand|b|m")
# "$7,3 billion": one digit after a comma is a decimal comma, never a thousands group.
_NUMBER = r"\d{1,3},\d(?![\d,])|\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                 "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
                 "eighty ninety hundred").split()
_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# "two hundred and sixty", "one and a half", "a", "half a": a number in words, read by text2num.
_WORDED = (rf"(?:half\s+a|a\s+half|(?:{_WORD}|\d{{1,3}})[\s-]+point[\s-]+(?:{_WORD}|\d{{1,3}})|"
           # "1-and-a-half trillion won"
           rf"\d{{1,3}}[\s-]+and[\s-]+a[\s-]+half|"
           rf"(?:(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*)(?:\s+and\s+a\s+half)?|an?)"
           rf"(?=[\s-]+(?:{_SCALE})\b)")

_DIGIT = re.compile(r"\d")
# The hedges newsrooms put before an amount: "worth about", "approximately", "some".
_ABOUT = r"(?:about\s+|approximately\s+|around\s+|roughly\s+|nearly\s+|some\s+|over\s+|more\s+than\s+)?"
# Between an amount and the same amount in another currency: "$5.43 billion (about Rs 40,000 crore)".
_CONVERSION = re.compile(r"\s*(?:[(\[/,]|or\b|–|-)(?:\s*(?:or|and)\b)?\s*(?:(?:≈|~|approx\.?|approximately|around|about|"
                         r"roughly|nearly|some|over|almost|just\s+over|more\s+than|less\s+than|estimated\s+at|"
                         r"equivalent\s+to|or)\s*)*$")


@dataclass(frozen=True)
class AmountMatch:
    """An amount found in a sentence: its value, span, role and whether it is superseded."""

    money: Money
    start: int
    end: int
    role: AmountRole
    historical: bool

    @property
    def is_deal_value(self) -> bool:
        """Only what a contract is worth is a deal value."""
        return self.role is AmountRole.CONTRACT


@lru_cache(maxsize=1)
def _amount_pattern() -> re.Pattern[str]:
    """One pattern for "SYMBOL NUMBER SCALE", "NUMBER SCALE NAME" and "NUMBER crore deal"."""
    lexicon = currency_lexicon()
    words = sorted(lexicon.words, key=len, reverse=True)
    prefixes = [w for w in words if w in lexicon.symbols or w in {"rs", "rs.", "re"} or w in WRITTEN_BEFORE]
    suffixes = [w for w in words if w not in lexicon.symbols]
    codes = sorted((c.lower() for c in lexicon.codes), key=len, reverse=True)
    # "CAD$2.49 billion", "NZD$2.346 billion": a code written with the dollar sign
    pre = "|".join([re.escape(w) for w in prefixes] + [c + r"\$" for c in codes if c.endswith("d")] + codes)
    # "3.9 trillion Korean won", "5.3 billion Swedish kroner": a country's adjective before the noun.
    adjectives = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in sorted(
        {a for a in lexicon.country_names if a.replace(" ", "").isalpha()}, key=len, reverse=True))
    post = "|".join([re.escape(w).replace(r"\ ", r"\s+") for w in suffixes] + codes)
    return re.compile(
        rf"""(?<![\w$₹€£¥`])
        (?:
          (?P<pre>{pre})\s?(?P<n1>{_NUMBER}|{_WORDED}(?=[\s-]+(?:{_SCALE})(?!\w)))(?:\s*(?:-|–|to)\s*(?P<hi1>{_NUMBER})(?=[\s-]*(?:{_SCALE})))?
            (?:[\s-]*(?P<s1>{_SCALE})(?!\w))?(?:\s+(?P<post1>{post})(?!\w))?
        |
          (?P<n2>{_NUMBER}|{_WORDED})(?:\s*(?:-|–|to)\s*(?P<hi2>{_NUMBER})(?=[\s-]*(?:{_SCALE})))?
            (?:[\s-]*(?P<s2>{_SCALE})(?!\w))?[\s-]*(?:(?P<adj2>{adjectives})\s+)?(?P<post2>{post})(?!\w)
        |
          (?P<letter>[prw])(?P<n4>{_NUMBER})[\s-]*(?P<s4>trillion|billion|million|bn|mn|b|m)(?!\w)
        |
          (?P<n3>{_NUMBER})[\s-]*(?P<s3>(?:lakh[\s-])?crores?)
            (?=[\s-]+(?:\w+\s+){{0,2}}(?:deal|contract|agreement|order|package|project|purchase|procurement|programme|program)\b)
        )""",
        re.VERBOSE,
    )


def find_amounts(sentence: str, preferred: Sequence[str] = (), dollar: str = "USD",
                 on: date | None = None) -> list[AmountMatch]:
    """Every amount of money in the sentence, in order, with its role.

    `preferred` are the currencies of the countries the text is about, for
    words several currencies share ("kroner"); `dollar` is what a bare "$"
    means in this text (US dollars unless it writes another dollar out).
    """
    if not _DIGIT.search(sentence) and not _WORDED_HINT.search(sentence):
        return []
    folded = fold_accents(sentence)
    lexicon = currency_lexicon()
    found: list[AmountMatch] = []
    restated: list[tuple[int, int]] = []
    for match in _amount_pattern().finditer(folded):
        money = _to_money(match, sentence, lexicon, preferred, dollar)
        if money is None:
            continue
        if found and money.currency == found[-1].money.currency and (
                _RANGE_BETWEEN.search(folded, 0, found[-1].start) and _RANGE_AND.fullmatch(folded, found[-1].end, match.start())
                or _RANGE_DASH.fullmatch(folded, found[-1].end, match.start())):
            # "between C$27.7 billion and C$33.2 billion": a range is no single value; neither end is read.
            last = found.pop()
            found.append(AmountMatch(last.money, last.start, last.end, AmountRole.OTHER, last.historical))
            found.append(AmountMatch(money, match.start(), match.end(), AmountRole.OTHER, last.historical))
            continue
        if _RANGE_LOW_BEFORE.search(folded, max(0, match.start() - 12), match.start()):
            # "EUR1 – EUR2.5 billion": the top of a range whose lower end went without its scale
            found.append(AmountMatch(money, match.start(), match.end(), AmountRole.OTHER, False))
            continue
        if found and found[-1].role is AmountRole.INCREASE and _RANGE_AND.fullmatch(folded, found[-1].end, match.start()):
            # "could rise by €650m to €1.3bn": the increase's range, not a new total.
            found.append(AmountMatch(money, match.start(), match.end(), AmountRole.INCREASE, False))
            continue
        if found and _CONVERSION.match(folded, found[-1].end, match.start()) and money.currency == found[-1].money.currency \
                and abs(money.amount - found[-1].money.amount) <= max(money.precision, found[-1].money.precision) \
                and (folded[match.start()] == "$") == (folded[found[-1].start] == "$"):
            restated.append((match.start(), match.end()))
            continue     # "Rs 7,628.70 crore (Rs 76.28 billion)": the same amount restated in another scale
        if found and _CONVERSION.match(folded, found[-1].end, match.start()) and (
                money.currency != found[-1].money.currency
                or (folded[match.start()] == "$") != (folded[found[-1].start] == "$")
                or (folded[match.start()] == "$" and "(" in folded[found[-1].end:match.start()])):
            # The same amount in another currency: it is what the first one is. A bare "$" beside
            # an amount in the article's own dollars is the US dollar it converts to. Two amounts
            # in one currency are two figures ("€1.5 billion, €300 million more than ...").
            last = found[-1]
            if dollar != "USD" and money.currency == dollar and folded[match.start()] == "$" and not match.group("post1") \
                    and last.money.currency not in (dollar, "USD"):
                # "3.2 trillion won ($2.4 billion)" in a report on Australia's purchase: the rate says which dollar
                money = Money(money.amount, _dollar_by_rate(money.amount, dollar, last.money, on), money.precision)
            elif dollar != "USD" and last.money.currency == dollar and folded[last.start] == "$" \
                    and money.currency not in (dollar, "USD"):
                last = AmountMatch(Money(last.money.amount, _dollar_by_rate(last.money.amount, dollar, money, on),
                                         last.money.precision), last.start, last.end, last.role, last.historical)
                found[-1] = last
            if money.currency == last.money.currency and folded[match.start()] == "$" and not match.group("post1"):
                money = Money(money.amount, "USD", money.precision)
            elif money.currency == last.money.currency and folded[last.start] == "$":
                # "$6 billion (A$10 billion)": the bare dollar beside the buyer's written one is the US dollar
                last = AmountMatch(Money(last.money.amount, "USD", last.money.precision), last.start, last.end,
                                   last.role, last.historical)
                found[-1] = last
            found.append(AmountMatch(money, match.start(), match.end(), last.role, last.historical))
            continue
        role = read_role(folded, match.start(), match.end()) if _DEAL_WORDS.search(folded) else AmountRole.OTHER
        if found and found[-1].role in _KINDRED_ROLES and role is AmountRole.CONTRACT and (
                _PARALLEL.fullmatch(folded, found[-1].end, match.start())
                or _COMPARED_WITH.fullmatch(folded, found[-1].end, match.start())
                or _RESTATED_NOW.fullmatch(folded, found[-1].end, match.start())):
            # "debt of $2 billion in 2025 and $1.5 billion in 2026", "a unit price of $36.6 million, lower than
            # the previously reported $58 million": the second is the same kind of figure as the first
            role = found[-1].role
        superseded = is_superseded(folded, match.start(), match.end()) or bool(
            # "which cost NT$49.3 billion, much less than the NT$65.2 billion earlier estimated": the earlier figure
            found and role is AmountRole.CONTRACT and _LESS_THAN_THE.fullmatch(folded, found[-1].end, match.start()))
        found.append(AmountMatch(money, match.start(), match.end(), role, superseded))
    if found:
        found = _with_bare_amounts(folded, found, restated)
    return _earlier_than_risen(folded, _parts_of_a_whole(folded, found))


# "more than AUD1 billion ($708 million) of the AUD2.5 billion programme": the first is a part of the second.
# "worth 1.488 trillion won, including 1.2 trillion won for the aircraft": the included amount is a part.
_INCLUDING_PART = re.compile(rf"\s*(?:\))?\s*,?\s*(?:including|of\s+which|comprising|with)\s+{_ABOUT}")
_NEXT_PART = re.compile(r"(?:\s*\([^)]*\))?[^.;()$€£¥₹\d]{0,40}?\s(?:and|plus)\s+(?:about\s+|around\s+|some\s+|another\s+)?")
_OF_THE_WHOLE = re.compile(r"\s*(?:\))?\s*(?:out\s+)?of\s+(?:the|an?|its|their)\s+(?:(?:total|overall|entire|whole|estimated)\s+)?")


# "The total deal, valued at $997 million, includes ..., with a $455 million contract awarded to Bell": after a
# total, a contract awarded to a maker is a part of it.
_TOTAL_BEFORE = re.compile(r"\b(?:total|overall|entire|whole|full)\s+(?:[\w-]+\s+){0,3}?(?:deal|contract|value|cost|package|"
                           r"programme|program|price)\b[^.;$€£¥₹\d]{0,40}$")
_AWARDED_TO_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:[\w-]+\s+){0,2}?(?:contract|deal|order)\s+(?:was\s+|has\s+been\s+)?"
                               r"(?:awarded|given|placed|signed)\s+(?:to|with)\s")


def _parts_of_a_whole(folded: str, found: list[AmountMatch]) -> list[AmountMatch]:
    parts: set[int] = set()
    total = next((i for i, m in enumerate(found) if m.role is AmountRole.CONTRACT
                  and _TOTAL_BEFORE.search(folded, max(0, m.start - 120), m.start)), None)
    if total is not None:
        parts.update(i for i in range(total + 1, len(found)) if found[i].role is AmountRole.CONTRACT
                     and _AWARDED_TO_AFTER.match(folded, found[i].end))
    for index in range(1, len(found)):
        if found[index].role is AmountRole.CONTRACT and found[index - 1].role is AmountRole.CONTRACT and \
                _INCLUDING_PART.fullmatch(folded, found[index - 1].end, found[index].start):
            parts.add(index)
            if index + 1 < len(found) and _CONVERSION.match(folded, found[index].end, found[index + 1].start):
                parts.add(index + 1)     # the part written in two currencies
        elif index - 1 in parts and _NEXT_PART.fullmatch(folded, found[index - 1].end, found[index].start):
            parts.add(index)             # "including $1.07 billion for the aircraft and $179 million for construction"
        if found[index].role is AmountRole.CONTRACT and _OF_THE_WHOLE.fullmatch(folded, found[index - 1].end, found[index].start):
            parts.add(index - 1)
            if index > 1 and _CONVERSION.match(folded, found[index - 2].end, found[index - 1].start):
                parts.add(index - 2)     # the part written in two currencies
    return [AmountMatch(m.money, m.start, m.end, AmountRole.COMPONENT, m.historical) if i in parts else m
            for i, m in enumerate(found)]


# A bare "$" that converts an amount of a third currency is read by the rate it implies: US dollars or the
# buyer's own. The ECB's rates of the day (or of a fixed day when the article has none).
_RATES_ON = date(2024, 1, 1)


def _dollar_by_rate(dollars: Decimal, local: str, other: Money, on: date | None) -> str:
    """"USD" when `dollars` is closer to `other` in US dollars than in the `local` dollar, else `local`."""
    rates = default_rates()
    day = on or _RATES_ON
    other_usd, local_usd = rates.usd_per_unit(other.currency, day), rates.usd_per_unit(local, day)
    if not other_usd or not local_usd or not dollars or not other.amount:
        return local
    as_usd = other.amount * other_usd
    as_local = as_usd / local_usd
    # compare how far each reading is from the amount written, as a ratio
    return "USD" if max(dollars / as_usd, as_usd / dollars) < max(dollars / as_local, as_local / dollars) else local


# "costs 17 billion baht, against the submarine's price tag of 13.5 billion": a scaled number with no
# currency of its own takes the currency of the amount written before it.
# ("1.2 million rounds" counts something: the scale must end the phrase.)
_BARE_SCALED = re.compile(rf"(?<![\w$₹€£¥`.,])(?P<n>{_NUMBER})[\s-]*(?P<s>trillion|billion|million|bn|mn|crores?)"
                          r"(?=\s*[),.;:]|\s*$|\s+(?:and|or|to|in|for|from|by|with|at|as|under|over|after|before|while|which|"
                          r"that|this|last|earlier|previously|originally|initially|now)\b)")


def _with_bare_amounts(folded: str, found: list[AmountMatch], restated: Sequence[tuple[int, int]]) -> list[AmountMatch]:
    added = []
    for match in _BARE_SCALED.finditer(folded, found[0].end):
        if any(m.start <= match.start() < m.end for m in found) or any(s <= match.start() < e for s, e in restated):
            continue
        before = [m for m in found if m.end <= match.start()]
        value, decimals = _number_value(match.group("n"))
        if not before or value is None:
            continue
        scale = _SCALES[match.group("s")]
        money = Money(amount=value * scale, currency=before[-1].money.currency,
                      precision=scale * Decimal(10) ** -decimals)
        added.append(AmountMatch(money, match.start(), match.end(), read_role(folded, match.start(), match.end()),
                                 is_superseded(folded, match.start(), match.end())))
    return sorted(found + added, key=lambda m: m.start)


# "would cost $19 billion, but ... has climbed 50 per cent to $27.7 billion": what it climbed from is superseded.
_RISEN_TO = re.compile(r"\b(?:rose|risen|rises|climbed|climbs|increased|increases|grown|grew|jumped|ballooned|soared|"
                       r"escalated|swelled|surged|went\s+up|gone\s+up|revised|raised|cut|reduced|lowered|dropped|fell|"
                       r"fallen|shrunk|shrank)\b[^.;]{0,60}?\bto\s+(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+|"
                       r"more\s+than\s+|an\s+estimated\s+|roughly\s+)?$")


def _earlier_than_risen(folded: str, found: list[AmountMatch]) -> list[AmountMatch]:
    """Mark the amounts written before a "risen to" amount as superseded (conversions of the new one excepted)."""
    for index, later in enumerate(found):
        if index and later.role is AmountRole.CONTRACT and _RISEN_TO.search(folded, found[index - 1].end, later.start):
            return [AmountMatch(m.money, m.start, m.end, m.role, True) if i < index else m
                    for i, m in enumerate(found)]
    return found


# Roles a figure set beside another of its kind shares.
_KINDRED_ROLES = frozenset({AmountRole.LOAN, AmountRole.ADVANCE, AmountRole.PAID, AmountRole.BUDGET,
                            AmountRole.UNIT_PRICE, AmountRole.INCREASE})
_PARALLEL = re.compile(r"\s*(?:\)\s*)?(?:(?:in|for|by)\s+(?:fy\s*)?\d{4}(?:-\d{2,4})?\s*)?,?\s*(?:and|plus|then)\s+"
                       r"(?:another\s+|a\s+further\s+|(?:about\s+|around\s+|some\s+))?")
_COMPARED_WITH = re.compile(r"[^.;]{0,30}?\b(?:(?:higher|lower|more|less)\s+than|(?:up|down)\s+from|below|above)\s+(?:the\s+)?"
                            r"(?:(?:previously|earlier|originally|initially)\s+)?(?:[\w-]+\s+){0,2}?")
_LESS_THAN_THE = re.compile(r"[^.;]{0,30}?\b(?:less|lower|more|higher|cheaper|greater)\s+than\s+the\s+(?:[\w-]+\s+){0,2}?")
# "$118 million and now is estimated at $162 million": the same figure, revised.
_RESTATED_NOW = re.compile(r"[^.;]{0,15}?\band\s+(?:now\s+)?(?:is|was|has\s+been|stands)\s+(?:now\s+)?(?:estimated|projected|expected|"
                           r"put|pegged|set)?\s*(?:at|to\s+be)\s+(?:about\s+|around\s+|roughly\s+)?")
_RANGE_BETWEEN = re.compile(r"\bbetween\s+(?:about\s+|around\s+)?$")
_RANGE_AND = re.compile(r"\s*(?:and|to|-|–)\s*")
# "$1 billion-$2.6 billion": two amounts of one currency joined by a dash are a range's ends
_RANGE_DASH = re.compile(r"\s*[-–]\s*")
_RANGE_LOW_BEFORE = re.compile(r"(?<![\w.,])(?:[a-z]{2,3}\s?|[$€£¥₹]\s?)?\d+(?:\.\d+)?\s*[-–]\s*$")
# A sentence must speak of a transaction for any amount in it to be a contract's worth.
_DEAL_WORDS = re.compile(
    r"\b(?:deal|contract\w*|agreement|pact|worth|valued?|cost\w*|pric\w+|order\w*|purchas\w+|"
    r"procur\w+|acqui\w+|buy\w*|bought|sign\w*|ink\w*|package|sale|sold|amount\w*|pay|pays|paying|paid|award\w*|"
    r"approv\w+|clear\w*|tender|bid|programme|program|project|estimat\w*|invest\w*|spend\w*|spent|agree\w*|"
    r"secur(?:e|es|ed|ing)|obtain\w*|pick(?:s|ed)?|select(?:s|ed)?|chose|chosen|build|builds|built|construct\w*|"
    r"total|totall?ing)\b|"
    r"सौदे|अनुबंध|मूल्य")
_LETTER_CURRENCIES = {"p": "PHP", "r": "ZAR", "w": "KRW"}     # Korean papers' "W1.3 trillion"
# Currencies whose news writes thousands separators before a scale ("Rs 1,200 billion" is rare but real).
_INDIAN_GROUPING = frozenset({"INR", "PKR", "NPR", "LKR", "BDT"})
_WORDED_HINT = re.compile(r"(?i)\b(?:billion|million|trillion|crore|lakh)\b")


def _to_money(match: re.Match[str], original: str, lexicon: CurrencyLexicon,
              preferred: Sequence[str], dollar: str) -> Money | None:
    number = match.group("n1") or match.group("n2") or match.group("n3") or match.group("n4")
    scale_word = re.sub(r"[\s-]+", " ", (match.group("s1") or match.group("s2") or match.group("s3")
                                          or match.group("s4") or ""))
    pre = match.group("pre") or match.group("letter")
    currency: str | None
    if match.group("letter"):
        # "P18.9 billion": the newsroom's lone-letter peso (or "R" rand), only where the text is about that country.
        currency = _LETTER_CURRENCIES[match.group("letter")]
        if currency not in preferred or original[match.start("letter")].islower():
            return None
    elif match.group("n3"):
        currency = "INR"         # "63,000 crore deal": crore is the rupee's unit
    else:
        currency = None
        if match.group("adj2"):
            currency = lexicon.resolve_with_country(match.group("adj2"), match.group("post2"))
        for group in () if currency else ("post1", "post2", "pre"):  # a name after the number is the most specific
            word = match.group(group)
            if not word:
                continue
            written = original[match.start(group):match.end(group)]
            if group == "pre" and word.endswith("$") and word[:-1].upper() in lexicon.codes:
                word, written = word[:-1], written[:-1]     # "CAD$": the code
            if written.lower() in {c.lower() for c in lexicon.codes} and word not in lexicon.words:
                if not written.isupper() or (is_word_like_code(written) and not scale_word):
                    continue     # "all 5 squadrons" is not Albanian lek
                currency = written
            elif word == "$":
                currency = dollar
            else:
                currency = lexicon.resolve(word, preferred)
            if currency:
                break
    if not currency:
        return None
    code_after = (match.group("post2") or "").isalpha() and original[match.start("post2"):match.end("post2")].isupper() \
        if match.group("post2") else False
    if scale_word in {"b", "m"} and not pre and not code_after:
        return None          # "5 m rupees" is too ambiguous without a symbol (but "1.6 B USD" is not)
    scale = _SCALES.get(scale_word, Decimal(1))
    if re.fullmatch(r"\d{1,3},\d", number) or (scale > 1 and re.fullmatch(r"\d{1,3},\d{2}", number)):
        number = number.replace(",", ".")   # "8,25 billion zlotys": no grouping leaves two digits alone
    if scale >= Decimal(10) ** 9 and re.fullmatch(r"\d{1,3},\d{3}", number) and currency not in _INDIAN_GROUPING:
        number = number.replace(",", ".")   # "CHF 6,035 billion": a decimal comma; 6,035 billion would be 6 trillion
    value, decimals = _number_value(number)
    if value is None or value == 0:
        return None
    if scale == 1 and value < 10_000:
        return None          # "$375" alone is no arms deal; news writes "$375 million"
    precision = scale * Decimal(10) ** -decimals
    high = match.group("hi1") or match.group("hi2")
    if high:
        # "€7-8 billion": a range is read by its lower bound, as precise as the range is wide
        top, _ = _number_value(high)
        if top is None or top <= value:
            return None
        precision = max(precision, (top - value) * scale)
    return Money(amount=value * scale, currency=currency, precision=precision)


_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _number_value(number: str) -> tuple[Decimal | None, int]:
    """The number's value and its decimals; numbers in words are read with text2num."""
    point = re.fullmatch(r"(\w+)[\s-]+point[\s-]+(\w+)", number.strip().lower())
    if point and point.group(2).isdigit():
        whole, _ = _number_value(point.group(1))     # "three-point-55 billion dollar"
        if whole is not None:
            return whole + Decimal("0." + point.group(2)), len(point.group(2))
    half_digits = re.fullmatch(r"(\d{1,3})[\s-]+and[\s-]+a[\s-]+half", number.strip().lower())
    if half_digits:
        return Decimal(half_digits.group(1)) + Decimal("0.5"), 1
    if point and point.group(2) in _DIGIT_WORDS:
        whole, _ = _number_value(point.group(1))     # "one-point-three trillion won", "14-point-eight billion"
        if whole is not None:
            return whole + Decimal(_DIGIT_WORDS.index(point.group(2))) / 10, 1
    if number[0].isdigit():
        digits = number.replace(",", "")
        try:
            return Decimal(digits), len(digits.split(".")[1]) if "." in digits else 0
        except InvalidOperation:
            return None, 0
    words = re.sub(r"[\s-]+", " ", number.strip())
    if words in {"a", "an"}:
        return Decimal(1), 0
    if words in {"half a", "a half"}:
        return Decimal("0.5"), 1
    half = words.endswith(" and a half")
    words = words.removesuffix(" and a half")
    try:
        value = Decimal(text2num(words, "en"))
    except ValueError:
        return None, 0
    return (value + Decimal("0.5"), 1) if half else (value, 0)


# --- whose number it is -----------------------------------------------------

# Each role's cues, in the words just before the amount (its clause only) or
# just after it. Checked in this order: the first that matches decides.
_BEFORE_WINDOW = 100
_AFTER_WINDOW = 70
_ROLE_AFTER: tuple[tuple[AmountRole, re.Pattern[str]], ...] = (
    (AmountRole.AGGREGATE, re.compile(
        r"^[^.;]{0,20}?\b(?:per\s+(?:year|annum|month|day)|a\s+year|annually|each\s+year|every\s+year|"
        r"in\s+(?:total\s+)?(?:trade|arms\s+(?:imports|exports|deals|sales))|of\s+(?:trade|imports|exports|"
        r"arms\s+imports|crude|oil)|worth\s+of\s+(?:oil|crude|imports|exports|trade|arms)|"
        r"(?:in|of|for)\s+(?:several|multiple|various|two|three|four|five|six|a\s+series\s+of)\s+"
        r"(?:\w+\s+)?(?:deals|contracts|agreements|orders)|combined|altogether|deals\b|"

        r"across\s+(?:\d+|several|multiple|all|various)\s+(?:[\w-]+\s+){0,3}?(?:programmes|programs|projects|contracts|deals))")),
    # "the £250 million vessel is the first of five": one unit's price
    (AmountRole.UNIT_PRICE, re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:vessel|ship|frigate|corvette|destroyer|submarine|jet|"
                                       r"aircraft|plane|tank|helicopter|launcher|drone|howitzer)\s+(?:is|was|will|would|has|had)\b")),
    (AmountRole.UNIT_PRICE, re.compile(
        # "$4bn-a-hull", "$9bn-each" written as one word too
        r"^[\s-]*(?:\)\s*)?(?:each|apiece|a\s+piece|a[\s-]+(?:unit|pop|copy|plane|jet|aircraft|ship|tank|hull|boat|"
        r"vessel|frigate|submarine|helicopter|vehicle)|"
        r"per\s+(?!cent\b|year\b|annum\b)\w+)\b")),
    (AmountRole.INCREASE, re.compile(
        # "€300 million more than when it was signed"
        r"^\s*(?:more|higher)\s+than\b|"
        r"^[^.;\d$€£¥₹]{0,20}?\b(?:(?:more\s+than\s+(?:the\s+)?(?:original|initial|earlier|planned|estimated)|"
        r"more\s+(?:than\s+(?:agreed|planned|expected)|in\s+(?:additional\s+)?costs?)|"
        r"(?:cost\s+)?(?:overrun|increase|hike|escalation)|extra|higher\s+than)\b|more\s*(?:[.,;)]|$))")),
    (AmountRole.LOAN, re.compile(r"^[^.;]{0,25}?\bto\s+lease\b|^[^.;]{0,15}?\blease\b")),
    # "the 8.8 trillion-won KF-21 project is aimed at developing a fighter": what developing it costs, not a purchase
    (AmountRole.OTHER, re.compile(r"^[^.;,]{0,40}?\b(?:development\s+(?:project|programme|program|costs?|budget|phase)|"
                                  r"(?:project|programme|program)\s+(?:is\s+|was\s+)?(?:aimed\s+at|intended\s+to|meant\s+to)\s+"
                                  r"develop\w*)\b")),
    # "the Army requested $373 million in January from Congress"
    (AmountRole.BUDGET, re.compile(r"^[^.;]{0,25}?\bfrom\s+(?:the\s+)?(?:congress|parliament|legislature|lawmakers|treasury|"
                                   r"finance\s+ministry)\b")),
    # "$106 billion supplemental spending request", "could hit $82.1 billion in the event the program is delayed"
    (AmountRole.BUDGET, re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:spending|budget|funding)\s+(?:request|bill|package)\b")),
    (AmountRole.OTHER, re.compile(r"^[^.;]{0,30}?\b(?:in\s+the\s+event|should\s+the)\b")),
    (AmountRole.OTHER, re.compile(r"^\s*(?:worth\s+of\s+|for\s+|of\s+|in\s+)?(?:the\s+)?(?:other|another|separate|"
                                 r"unrelated)\b|^\s*(?:reportedly\s+|now\s+)?(?:withheld|frozen|retained|held\s+back)\b")),
    # "a potential $950 million sale of contractor logistical support services for the fleet"
    (AmountRole.COMPONENT, re.compile(r"^\s*(?:[\w-]+\s+)?(?:sale|contract|package|deal)\s+(?:of|for)\s+(?:[a-z-]+\s+){0,2}?"
                                      r"(?:support|sustainment|logistics|maintenance|training)\s+(?:services?|and\b)")),
    # "A$50 million test and evaluation contract", "a prototype contract": not the production deal
    (AmountRole.OTHER, re.compile(r"^\s*(?:\)\s*)?(?:[\w-]+\s+){0,2}?(?:test(?:ing)?|evaluation|trials?|prototyp\w+|"
                                  r"risk[\s-]+(?:mitigation|reduction)|feasibility|study|studies)\s+(?:and\s+[\w-]+\s+)?"
                                  r"(?:contract|deal|phase|programme|program|agreement|funding)\b")),
    # "AU$9 billion worth of economic value", "A$5.7 billion expected to be generated in Victoria"
    (AmountRole.OTHER, re.compile(r"^\s*(?:worth\s+of\s+|in\s+)?(?:economic|industry|industrial)\s+(?:value|benefits?|activity|"
                                  r"output|contribution|impact)\b|^[^.;]{0,30}?\b(?:to\s+be\s+)?generated\s+in\b")),
    # "¥8 million secured under the fiscal 2013 budget"
    (AmountRole.BUDGET, re.compile(r"^\s*(?:was\s+|were\s+|has\s+been\s+)?(?:secured|allocated|earmarked|set\s+aside|"
                                   r"included|requested|sought|appropriated)\s+(?:under|in|from)\s+(?:the\s+|its\s+)?"
                                   r"(?:[\w-]+\s+){0,3}?budget")),
    # "EUR 1 billion will be spent on orders from Dutch companies": industrial participation, offsets
    (AmountRole.COMPONENT, re.compile(r"^\s*(?:will\s+be\s+|is\s+to\s+be\s+|are\s+to\s+be\s+)?(?:spent|placed|invested)\s+(?:on|in|with)\s+"
                                      r"(?:orders?\s+(?:from|with|for)\s+)?(?:[\w-]+\s+){0,2}?(?:compan\w+|firms|industry|industries|"
                                      r"suppliers)\b")),
    # "a USD 38 billion Memorandum of Understanding providing a framework": no purchase yet
    (AmountRole.OTHER, re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:memorandum|mou|framework\s+agreement|letter\s+of\s+intent)\b")),
    (AmountRole.PAID, re.compile(r"^\s*(?:\w+\s+)?so\s+far\b")),
    (AmountRole.PAID, re.compile(r"^\s*(?:already\s+)?(?:paid|disbursed|transferred|remitted)\s+(?:to|so\s+far|already|by)\b|"
                                 r"^\s*(?:this|next|last|each|every)\s+(?:month|week|year|quarter)\b"
                                 r"|^\s*(?:was\s+|were\s+|had\s+been\s+)?(?:used|spent|paid\s+out)\s+(?:to|on)\b")),
    (AmountRole.ADVANCE, re.compile(r"^[^.;]{0,15}?\b(?:in\s+advance|as\s+(?:an\s+)?advance|advance|down[\s-]?payment|"
                                    r"upfront|up\s+front|deposit|instal+ments?|tranches?)\b")),
    (AmountRole.LOAN, re.compile(r"^[^.;]{0,15}?\b(?:loan|credit\s+line|line\s+of\s+credit|in\s+(?:loans|credit|"
                                 r"financing)|financing|(?:export\s+)?credits?)\b"
                                 # "$430 million in security assistance"
                                 r"|^\s*(?:in|of)\s+(?:[\w-]+\s+){0,2}?(?:assistance|aid|grants?)\b")),
    # "€1.2 billion on defence equipment this year, including the jets": a year's spending
    (AmountRole.BUDGET, re.compile(r"^\s*(?:on|for|in|of|worth\s+of)\s+(?:new\s+)?(?:defen[cs]e|military|arms)\s+(?:equipment|procurement|"
                                   r"purchases|hardware|acquisitions)\b")),
    (AmountRole.BUDGET, re.compile(r"^[^.;]{0,30}?\b(?:(?:special\s+)?(?:defen[cs]e\s+|military\s+|modernization\s+|"
                                   r"modernisation\s+)?fund|in\s+(?:[\w-]+\s+){0,4}?(?:funds|funding)|investment\s+(?:in\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+){0,2}?(?:defen[cs]e|military|armed|forces|"
                                   r"capabilit\w+|security|economy|industr\w+|sector|infrastructure|navy|army|air\s+force|jobs)\b|"
                                   r"plan|programme|program|package)|"
                                   r"(?:spending|investment)\s+(?:plan|package|programme|program))\b")),
    # "a $4 billion naval modernisation plan" (but "for PHP18.9 billion under the AFP Modernization Program")
    (AmountRole.BUDGET, re.compile(r"^(?:(?!\bunder\b)[^.;]){0,30}?\b(?:modern\w+|procurement|acquisition|rearmament|"
                                   r"re-armament|expansion|recapitali[sz]ation)\s+(?:plan|plans|programme|program|drive|push|"
                                   r"roadmap|package|budget)\b(?!\s+(?:administration|agency|office|ministry|directorate|command))")),
    (AmountRole.AGGREGATE, re.compile(r"^[^.;]{0,12}?\b(?:batch|package|basket|slate|series)\s+of\s+(?:\w+\s+)?"
                                      r"(?:procurements|purchases|contracts|deals|acquisitions|projects|programmes|programs)\b")),
    # "At 134.3 trillion rupiahs, the Defense Ministry has the biggest allocation from the budget"
    (AmountRole.BUDGET, re.compile(r"^[^.;]{0,60}?\ballocations?\s+(?:from|in|of|under)\b")),
    (AmountRole.BUDGET, re.compile(r"^[^.;]{0,12}?\b(?:budget|allocation|ceiling|(?:has\s+been\s+|was\s+|were\s+)?"
                                   r"(?:allocated|earmarked|set\s+aside|budgeted|appropriated)|approved\s+by\s+(?:the\s+)?"
                                   r"(?:voters|electorate|parliament|referendum|congress|lawmakers|legislature)|"
                                   r"(?:towards|for)\s+(?:the\s+)?(?:initial\s+)?funding)\b")),
    # "the approximately $140 million the Australian Government has already invested in the development"
    (AmountRole.PAID, re.compile(r"^(?:(?!contract|deal|agreement|order)[^.;\d]){0,40}?\b(?:has|have|had)\s+already\s+"
                                 r"(?:invested|spent|paid|disbursed)\b")),
    (AmountRole.PAID, re.compile(r"^[^.;]{0,25}?\b(?:has|have|had)\s+(?:already\s+)?been\s+(?:paid|spent|disbursed|"
                                 r"released|transferred|cleared)\b")),
)
_COMPONENT = (r"(?:aero-?)?engines?|radars?|avionics|computers?|spares?|spare\s+parts|parts|components?|maintenance|sustainment|"
              r"support|training|simulators?|ammunition|munitions|infrastructure|hangars?|facilit(?:y|ies)|plants?|factor(?:y|ies)|"
              r"logistics|overhaul|mro|upgrades?|offsets?|sub-?contracts?|subsystems?|sensors?|seekers?|"
              r"propulsion|gearbox(?:es)?|turbines?|weapons\s+package|armament|software|"
              r"production\s+line|assembly\s+line|design\s+work|development|feasibility\s+study|steel|"
              r"raw\s+materials?|tonnes|research")
_ROLE_BEFORE: tuple[tuple[AmountRole, re.Pattern[str]], ...] = (
    (AmountRole.INCREASE, re.compile(r"\b(?:a|an)\s+(?:further|additional|extra)\s+(?:about\s+|around\s+|some\s+)?$")),
    # "the new estimate adds $8 billion to that projection"
    (AmountRole.INCREASE, re.compile(r"\badd(?:s|ed|ing)?\s+(?:another\s+|a\s+further\s+|about\s+|around\s+|nearly\s+|some\s+)?$")),
    # ("as part of an order worth €2 billion" is the order itself)
    (AmountRole.COMPONENT, re.compile(r"\b(?:stake|share|workshare|portion|(?<!\bas\s)part)\s+(?:of|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
                                      r"(?:deal|contract|order|programme|program)\b[^;]{0,30}$")),
    (AmountRole.UNIT_PRICE, re.compile(
        # "the cost per unit for the system originally was projected to be $118 million"
        r"\b(?:(?:cost|price)\s+per\s+(?:unit|aircraft|jet|ship|vessel|missile|vehicle|tank|copy)\b[^;]{0,50}?|"
        r"unit\s+(?:cost|price)|per[\s-]unit\s+(?:cost|price)|(?:cost|price)\s+(?:per|of\s+(?:each|one|a\s+single))|"
        r"flyaway\s+(?:cost|price)|(?:each|a\s+single|one|every|per)\s+(?:[\w-]+\s+){0,7}?(?:costing|costs|cost|"
        r"worth|valued|priced|at)|"
        r"(?:costs?|priced)\s+(?:about\s+|around\s+|roughly\s+)?(?:each|apiece)|"
        r"price\s+tag\s+per|a\s+piece|one\s+(?:\w+\s+)?costs?|"
        # "The first Patriot system cost USD 910 million": one unit's price
        r"\bthe\s+(?:first|second|third|fourth|fifth|last|final)\s+(?:[\w-]+\s+){0,3}?(?:system|unit|battery|aircraft|jet|"
        r"ship|vessel|submarine|frigate|tank|launcher|helicopter)(?:\s+for\s+(?:the\s+)?[\w-]+)?\s+(?:cost|costs|was\s+worth|is\s+worth)|"
        # "a battery costs about $1 billion"
        r"\ba\s+(?:single\s+)?(?:battery|unit|system|jet|aircraft|plane|ship|tank|launcher|helicopter|submarine|frigate|"
        r"vehicle|missile|drone|boat|vessel|howitzer)\s+(?:costs?|is\s+worth|is\s+priced\s+at|sells\s+for))\b[^;]{0,40}$")),
    (AmountRole.INCREASE, re.compile(
        r"\b(?:(?:increase[sd]?|rise|rose|risen|hike[sd]?|jump(?:ed|s)?|climb(?:ed|s)?|grow(?:n|th)?|grew|"
        r"escalat\w+|went\s+up|gone\s+up|balloon\w*|soar\w*|surg\w*|swell\w*|overrun|overruns|additional\s+cost|"
        r"extra\s+cost|higher|more\s+expensive)\s+(?:\w+\s+){0,3}?by|"
        # "the increase in the cost of the littoral combat ships (LCS) by another", "reduce the price by"
        r"(?:increase|rise|hike|reduc\w+|cut|lower\w*|decrease\w*)\s+(?:in\s+)?(?:the\s+)?(?:price|cost|costs|value)\b"
        r"[^.;]{0,50}?\bby(?:\s+(?:another|a\s+further|an\s+additional))?|(?:cost\s+)?(?:increase|hike|rise|overrun|"
        r"escalation)\s+of|(?:additional|extra|further|higher)\s+costs?\s+(?:of\s+)?(?:between\s+)?|"
        # "an increase in the overall price of the contract of some £40 million"
        r"(?:increase|rise|hike)\s+in\s+(?:the\s+)?(?:\w+\s+)?(?:price|cost|costs|value)\b[^.;]{0,40}?\bof|"
        r"demand\w*\s+(?:up\s+to\s+)?|overrun\s+(?:of|worth)|"
        r"(?:overruns?|increases?)\b[^.;]{0,60}?\b(?:total(?:l?ed|s)?|amount(?:ed|s)\s+to|reached|came\s+to|"
        r"stood\s+at))\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+|over\s+|"
        r"more\s+than\s+|an\s+(?:additional|extra|estimated)\s+)*$")),
    (AmountRole.ADVANCE, re.compile(
        r"\b(?:advance|down[\s-]?payment|deposit|upfront|instal+ments?|tranches?|earnest\s+money)\b[^;]{0,30}$"
        r"|\d\s*(?:%|per\s*cent|percent)\s+of\s+(?:its|the|their)\s+(?:[\w-]+\s+){0,2}?(?:cost|price|value)\b[^;]{0,12}$")),
    (AmountRole.LOAN, re.compile(
        r"\b(?:loans?|line\s+of\s+credit|credit\s+line|credit\s+facility|credit\s+of|export\s+credit|"
        r"financing|finance|borrow\w*|lend\w*|lent|grant\w*|(?:military\s+)?aid|assistance|debt|bonds?)\b[^;]{0,30}$")),
    (AmountRole.BUDGET, re.compile(
        r"\b(?:budget\w*|allocat\w+|earmark\w*|assigned\s+to|set\s+aside|appropriat\w+|outlay|spending\s+plan|"
        r"(?:defen[cs]e|military|capital)\s+(?:spending|expenditure)|(?:plans?|planning|intends?|wants?)\s+to\s+spend|"
        r"investment\s+plan|capital\s+acquisition\s+budget|(?:such|its|their|total|annual|military|defen[cs]e)\s+"
        r"(?:expenditure|spending)|(?:modern\w+|procurement|acquisition|"
        r"spending|investment|expansion|development)\s+(?:plan|plans|programme|program|roadmap|drive|push)"
        r"(?!\s+(?:administration|agency|office|ministry|directorate|command))|"     # the Defense Acquisition Program Administration
        r"plans?\s+(?:worth|of|valued)|ceiling|cap|limit|maximum\s+(?:sum|amount)|allotments?|funding|"
        # ("completed within four years at a cost of": a time, not a budget)
        r"within(?!\s+(?:the\s+next\s+|about\s+|some\s+)?[\w-]+\s+(?:years?|months?|weeks?|days?)\b)|"
        r"funds?|release\s+orders?)\b[^;]{0,60}$|\bspending\s+(?:of\s+)?(?:about\s+|around\s+|some\s+|up\s+to\s+)?$")),
    # "developed under an initial four-year, £60 million contract", "a co-development contract worth"
    # "This latest firm-fixed-price modification to the KC-46 contract is worth": a change to a contract
    (AmountRole.OTHER, re.compile(r"\bmodification\b[^;]{0,60}$")),
    (AmountRole.OTHER, re.compile(r"\b(?:(?:co-?)?development\s+(?:costs?|budget|bill|contract|deal|agreement)|"
                                  r"costs?\s+of\s+develop\w+)\b[^;]{0,30}$")),
    (AmountRole.PAID, re.compile(
        r"\bwithdraw\w*\s+(?:of\s+)?(?:the\s+)?(?:sum\s+of\s+)?$|\bpaying\s+(?:out\s+)?(?:a\s+total\s+of\s+)?(?:about\s+|some\s+)?$|"     # "approval for the withdrawal of the sum of"
        r"\b(?:(?:has|have|had|already)\s+(?:\w+\s+)?(?:paid|spent|disbursed|released|transferred|remitted)|"
        r"(?<!to\s)(?<!will\s)(?<!be\s)paid\s+(?:out\s+)?(?:an?\s+|about\s+|around\s+|nearly\s+|over\s+)?$|"
        r"spent|(?:made|released|received|cleared|first|second|third|final|last)\s+(?:a\s+|the\s+)?payments?\s+"
        r"(?:of|worth|totalling|totaling)|paid\s+so\s+far|so\s+far\s+paid|"
        r"cleared\s+(?:dues|payments?)|dues\s+of|outstanding|arrears|owed|owes)\b[^;]{0,30}$")),
    # "on condition that the central government pay it ¥10 billion over 20 years": money owed to someone
    (AmountRole.PAID, re.compile(r"\bpay\s+(?:it|them|him|her|us)\s+(?:an?\s+|about\s+|around\s+|some\s+)?$")),
    # "paid the U.S. $1.5 billion for aircraft": money handed over, the payee between
    (AmountRole.PAID, re.compile(r"(?<!\bto\s)(?<!\bwill\s)(?<!\bbe\s)\bpaid\s+(?:the\s+(?:[\w.'’-]+\s+){0,2})?"
                                 r"(?:an?\s+|about\s+|around\s+|nearly\s+|over\s+|some\s+|approximately\s+|roughly\s+)?$")),
    (AmountRole.AGGREGATE, re.compile(
        r"\b(?:alongside|together\s+with|along\s+with)\b[^;]{0,80}\b(?:combined|total)\b[^;]{0,15}$|"
        # "the combined value of these additional items totaling approximately"
        r"\bcombined\s+(?:value|cost|price)\s+of\b[^;]{0,60}$|"
        # "brings the total value of the procurement to $6.5 billion": what all contracts come to
        r"\b(?:bring\w*|brought|rais\w*|tak(?:e|es|ing)|took|push\w*|lift\w*)\s+(?:the\s+)?(?:total|overall|combined|"
        r"cumulative)\b[^.;]{0,50}?\bto\s+(?:the\s+equivalent\s+of\s+)?(?:about\s+|approximately\s+|around\s+|nearly\s+|"
        r"some\s+|over\s+)?$|"
        r"\b(?:combined|altogether|cumulative|jointly|joint\s+(?:order|procurement|purchase)|in\s+total\s+across|"
        r"total\s+(?:value\s+)?of\s+(?:all|the\s+\w+\s+deals)|"
        r"(?:deals|contracts|orders|agreements|sales|proposals|projects|schemes|procurements)\s+(?:(?:that|which)\s+)?"
        r"(?:\w+\s+){0,3}?(?:worth|totall?ing|amounting\s+to|of|"
        r"valued\s+at|stand\s+at|stood\s+at|amount\s+to|total|reached)|contracts\s+of|"
        r"(?:arms|weapons|defen[cs]e|military)\s+"
        r"(?:imports|exports|purchases|sales|deals|trade)|(?:and|plus|including)\s+(?:\w+\s+)?infrastructur\w*|"
        r"(?:arms|weapons|defen[cs]e|military)\s+"
        r"(?:imports|exports|purchases|sales|deals|trade)|trade|turnover|bilateral|since\s+\d{4}|"
        r"over\s+the\s+(?:next|past|last|coming)\s+(?:\w+\s+)?(?:years|decades?)|(?:next|past|last)\s+(?:\w+\s+)?years|"
        r"annual(?:ly)?|yearly|a\s+year|per\s+year|each\s+year|portfolio|worth\s+of\s+deals|several\s+deals|"
        # "deploy the drones for about 20 years at an estimated total cost of": a lifetime's cost
        r"for\s+(?:about\s+|some\s+|around\s+)?\d+\s+years|"
        r"multiple\s+(?:deals|contracts)|package\s+of\s+deals|business|commerce)\b[^;]{0,35}$")),
    (AmountRole.COMPONENT, re.compile(
        # (but "six light attack and advanced training aircraft for P4.7 billion": a kind of platform)
        rf"\b(?:{_COMPONENT})\b(?!\s+(?:aircraft|jets?|planes?|helicopters?|ships?|vessels?|vehicles?|boats?|tanks?)\b)"
        rf"(?:\s+[\w'’()-]+){{0,4}}?\s+(?:worth|valued\s+at|costing|priced\s+at|for|at|above|exceeding|"
        r"contract\s+(?:worth|of|valued\s+at)|deal\s+(?:worth|of|valued\s+at)|order\s+(?:worth|of))\s+"
        r"(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|over\s+|some\s+|an\s+estimated\s+|up\s+to\s+)*$")),
    (AmountRole.OTHER, re.compile(
        r"\b(?:revenue|revenues|profit|turnover|oil|crude|barrels?|gdp|market\s+cap\w*|net\s+worth|fine[ds]?|"
        r"penalt\w+|compensation|salar\w+|subsid\w+|investments|invest|sanctions|misuse|misappropriat\w+|embezzl\w+|"
        r"fraud\w*|launder\w*|"
        # "whose approximate investment will be 3.5 billion dollars": what the purchase costs
        r"investment(?!\s+(?:will\s+be|would\s+be|is|was|of|at)\s+(?:approx\w*\s+|about\s+|around\s+|some\s+|"
        r"nearly\s+|roughly\s+)?$)|bribe\w*|"
        r"kickbacks?|tax(?:es)?|tariffs?|remittances?|(?<!\bto\s)(?<!\bwill\s)(?:exports?|imports?)|reserves|"
        r"valuation\s+of\s+the\s+company)"
        r"\b[^;]{0,40}$")),
    # "BAE expects to earn £4.6 billion", "a separate Rs 1,062 crore agreement", "submitted a bid exceeding
    # Rs 50,000 crore", "an offer for 12 more jets worth €600 million": a contractor's takings, another
    # contract, the seller's asking
    (AmountRole.OTHER, re.compile(r"\b(?:earn|earns|earned|earning|generate|generates|generating)\s+(?:\w+\s+){0,2}?$"
                                  r"|\b(?:a|another|the)\s+separate\s+(?:but\s+related\s+)?(?:\w+\s+){0,6}?$"
                                  # "the letter discusses a commitment that amounts to $600 million": a first step
                                  r"|\b(?:commitment|letter\s+of\s+intent|memorandum)\b[^;]{0,30}$"
                                  r"|\b(?:offer|proposal|quotation|quote)\s+(?:for\s+)?(?:[\w-]+\s+){0,6}?(?:worth|of|valued\s+at|"
                                  r"at|totalling|totaling)\s+(?:about\s+|around\s+|over\s+|nearly\s+)?$"
                                  r"|\b(?:submitted|submits|lodged|placed|made|its|their|a|the|initial|lowest|revised)\s+"
                                  r"(?:\w+\s+)?bids?\s+(?:of\s+|exceeding\s+|worth\s+|at\s+|for\s+|valued\s+at\s+)?"
                                  r"(?:about\s+|around\s+|over\s+|more\s+than\s+|nearly\s+)?$")),
)
_BRACKETED = re.compile(r"^\s*\([^)]{0,40}\)")
# Words that, anywhere in the sentence, make every amount in it something other than a
# purchase price: a lifetime cost, offsets for local industry.
_YEARS_OF_OPERATION = re.compile(r"\b(?:decades|\d+\s+years|(?:twenty|thirty|forty|fifty)\s+years)\s+of\s+"
                                 r"(?:operations?|operating|support|service|sustainment|maintenance)\b")
_CLAUSE_ROLE_OTHER = re.compile(r"\b(?:life[\s-]?span|life[\s-]?cycle|lifecycle|life[\s-]?time\s+cost|through[\s-]life|"
                                r"whole[\s-]life|operating\s+costs|running\s+costs)\b")
# Offsets make an amount the local industry's share when they are written of it: in its clause before it or
# right after it ("€1bn in offsets"), not in a clause on what the deal brings ("a €7.87bn deal that is likely to
# bring work ... in terms of offset").
_OFFSET = re.compile(r"\boffsets?\b")
_OFFSET_AFTER = re.compile(r"^(?:(?!\b(?:that|which|and|but)\b)[^.;,]){0,30}?\boffsets?\b")
# "..., including training, weapons and lifecycle support": what the price includes, not another cost.
# "jointly placed an order", "a contract for production for several customers including Taiwan": several buyers' total.
_SHARED_ORDER = re.compile(r"\b(?:jointly\s+(?:placed|ordered|bought|purchased|procured|awarded)|"
                           r"joint\s+(?:order|procurement|purchase|acquisition)|"
                           r"(?:several|multiple|various)\s+(?:foreign\s+)?(?:customers|countries|buyers|nations)|"
                           r"customers\s+including)\b")
SEPARATE_AGREEMENT_OPENS = re.compile(r"\W*(?:a|another)\s+separate\s+(?:but\s+related\s+)?(?:\w+\s+)?(?:deal|contract|agreement|order)\b")
_INVESTMENT_PRICE_BEFORE = re.compile(
    r"\b(?:for\s+an?\s+(?:total\s+|estimated\s+)?investment\s+of|investment\s+for\s+the\s+(?:[\w-]+\s+){0,2}?(?:project|programme|program|"
    r"purchase|acquisition)\s+at)\s+(?:about\s+|approximately\s+|around\s+|some\s+|nearly\s+)?$")
_PAID_BEFORE = re.compile(rf"\bpaid\s+{_ABOUT}$")
_TO_PURCHASE_THESE_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?to\s+(?:purchase|buy|acquire|procure)\s+(?:the|these|those|its|their|\d+)\b")
_SPENDING_BEFORE = re.compile(r"\b(?:spend|spends|spending|spent)\s+(?:about\s+|around\s+|some\s+|nearly\s+|roughly\s+)?$")
_FOR_COUNTED_AFTER = re.compile(rf"\s*(?:\([^)]*\)\s*)?(?:for|on|to\s+(?:buy|acquire|purchase|procure))\s+(?:the\s+|its\s+)?"
                                rf"(?:\d+|{_WORD})\s+(?!(?:[\w-]+\s+){{0,2}}?(?:{_COMPONENT})\b)")
# Several contracts for one counted purchase (one per maker) are together its price.
_CONTRACTS_WORTH_BEFORE = re.compile(rf"\bcontracts\s+(?:worth|valued\s+at|totall?ing|amounting\s+to)\s+{_ABOUT}$")
_FOR_ONE_PURCHASE_AFTER = re.compile(rf"[^.;]{{0,90}}?\bfor\s+(?:the\s+)?(?:procurement|supply|purchase|acquisition|delivery)\s+of\s+"
                                     rf"(?:up\s+to\s+)?(?:\d+|{_WORD})\s+(?!(?:[\w-]+\s+){{0,2}}?(?:{_COMPONENT})\b)")
_INVEST_BEFORE = re.compile(r"\binvest\s+(?:about\s+|approximately\s+|around\s+|some\s+|nearly\s+)?$")
_IN_PURCHASE_AFTER = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:(?:in|on)\s+(?:the\s+)?(?:purchas\w*|acqui\w+|procur\w+|buying)|"
                                r"to\s+(?:acquire|buy|purchase|procure))\b")
_COUPLED = re.compile(r"\b(?:coupled|combined)\s+with\b")
# A purchase still being negotiated or weighed has no contract value yet (a further order of a
# signed deal does: "talks on five more squadrons worth $3 billion").
UNDER_TALKS = re.compile(r"\b(?:(?:is|are|was|were|been|still)\s+negotiating|negotiating\s+(?:with|the|a|an|for)|"
                         r"hopes?\b[^.;]{0,60}?\bwould\s+be\s+signed|"
                          r"(?:is|are|was|were|been)\s+(?:considering|mulling|weighing|exploring)|in\s+talks)\b")
_FURTHER_WORDS = re.compile(r"\b(?:more|additional|another|further|follow[\s-]on|fresh)\b")
_INCLUDED_BEFORE = re.compile(r"\b(?:includ\w+|covering|covers|as\s+well\s+as|along\s+with|plus)\b")
# "It has the option to buy 300 missiles, which would bring the price tag up to $3 billion": a what-if total
_WOULD_BRING_TO = re.compile(r"\bwould\s+(?:bring|take|raise|push|lift)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:up\s+)?to\s+"
                             r"(?:about\s+|around\s+|nearly\s+|some\s+|over\s+)?$")
_PROJECTED_BEFORE = re.compile(r"\b(?:could|may|might|would|likely\s+to|expected\s+to|set\s+to)\s+(?:\w+\s+)?(?:rise|increase|go\s+up|"
                               r"climb|balloon|surge|swell|escalate|reach|touch|exceed|top)\s+(?:to\s+)?(?:about\s+|around\s+|"
                               r"nearly\s+|some\s+|over\s+)?$")
# "a first instalment of €200 million" is the instalment itself: a part word takes the whole only with a determiner.
_SHARE_OF = re.compile(r"(?:(?:per\s*cent|percent|%|a\s+(?:third|quarter|half)|half|bulk|most)\s+of\s+(?:the\s+|an?\s+|its\s+)?|"
                       # "paid €400 million of the €1.2 billion contract"
                       r"(?:million|billion|trillion|crores?|lakh|bn|mn)\s+of\s+(?:the\s+|an?\s+|its\s+)|"
                       r"(?:portion|part|share|balance|tranche|batch|instal+ment|phase)\s+of\s+(?:the\s+|an?\s+|its\s+))"
                       r"(?:total\s+|entire\s+|overall\s+|whole\s+|substantial\s+|larger\s+|massive\s+|landmark\s+)?"
                       r"(?:contract\s+value\s+of\s+|deal\s+value\s+of\s+)?(?:about\s+|around\s+)?$")
_GENERIC_ARMS_AFTER = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?(?:defen[cs]e|arms|weapons|military|security)\b")
_PART_OF_LARGER = re.compile(r"\bpart\s+of\s+(?:(?:the|a|an)\s+(?P<larger>(?:larger|broader|wider|bigger|overall)\s+)?)?(?:about\s+|around\s+)?$")
_ARMS_AFTER = re.compile(r"^\s*(?:[\w-]+\s+)?arms\b|^\s*(?:\([^)]*\)\s*)?in\s+(?:[\w-]+\s+){0,2}?(?:contracts|deals|orders|sales|arms)\b")
_ROLE_BEFORE_COMPONENT = re.compile(
    rf"\b(?:{_COMPONENT})\b[\s,]+(?:[\w'’()-]+\s+){{0,3}}?(?:worth|valued\s+at|costing|priced\s+at)\s+"
    r"(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|over\s+|some\s+|an\s+estimated\s+|up\s+to\s+)*$")
# "$1 billion engine contract", "$700 million for the radars": the amount is written of a component.
_COMPONENT_AFTER = re.compile(
    rf"^\s*(?:[\w-]+\s+){{0,2}}?(?:{_COMPONENT})\b|"
    rf"^[^.;]{{0,40}}?\b(?:for|(?:spent|used)\s+on|to\s+(?:supply|buy|procure|provide|build|make|deliver|acquire))\s+(?:the\s+|its\s+)?"
    rf"(?:[\w-]+\s+){{0,3}}?(?:{_COMPONENT})\b|"
    rf"^[\s,]*(?:\w+\s+)?(?:contract|deal|order|agreement)?\s*(?:for|to\s+(?:supply|buy|provide|build|make))\s+"
    rf"(?:the\s+|its\s+|\d+\s+|[\w-]+\s+){{0,3}}?(?:{_COMPONENT})\b|"
    # "Under the AU$2.6 million contract, BlueScope will deliver 1,500 tonnes of steel plate"
    rf"^[^.;]{{0,50}}?\b(?:will|to)\s+(?:supply|provide|deliver|make)\s+(?:[\w,-]+\s+){{0,5}}?(?:{_COMPONENT})\b")
# "The package for six aircraft and a range of mission systems, support and training is valued at": the
# support comes with the counted platforms, so the amount is the whole purchase's.
_PLATFORMS_WITH_EXTRAS = re.compile(rf"\b(?:for|of)\s+(?:up\s+to\s+)?(?:\d+|{_WORD})\s+(?!(?:[\w-]+\s+){{0,2}}?(?:{_COMPONENT})\b)"
                                    r"(?:(?!\b(?:rs|crores?|lakh|billion|million|trillion)\b)[^.;$€£¥₹]){1,80}?"
                                    r"\b(?:and|with|plus|including|as\s+well\s+as)\s")
# Where a clause begins: the role of an amount is read inside its own clause.
_CLAUSE_START = re.compile(r"[;:\[\]]|,\s|\s[–—-]\s|\b(?:while|whereas|but|and\s+(?=\w+\s+(?:has|have|had|is|was|will)\b))")


# The new figure, then how much it grew by in per cent: the figure is the total, not the increase.
_PERCENT_CHANGE_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?[,—–-]*\s*(?:or\s+)?(?:a|an)\s+(?:(?:increase|rise|jump|hike|overrun)\s+of\s+"
                                   r"(?:about\s+|around\s+|some\s+|nearly\s+)?\d+(?:\.\d+)?\s*(?:%|per\s*cent|percent)|"
                                   r"(?:[\w-]+\s+){0,2}?(?:%|per\s*cent|percent)\s+(?:increase|rise|jump|hike))")
_PAYMENT_WORTH = re.compile(r"\b(?:first|second|third|fourth|final|last|milestone|instal+ment|down)\s+(?:[\w-]+\s+)?payments?,?\s+"
                            r"(?:worth|of|totall?ing|amounting\s+to)\s+(?:about\s+|around\s+|some\s+|nearly\s+)?$")
_UPGRADE_FOR = re.compile(r"\b(?:upgrades?|upgrading|revamp\w*|moderni[sz]\w+|retrofit\w*|refurbish\w*|overhaul\w*)\s+"
                          r"(?:to|of|for)?\s*(?:the\s+|its\s+|their\s+)?[^.;$€£¥₹]{0,90}?,?\s+for\s+(?:about\s+|around\s+|some\s+)?$")
_SHARE_OF_CONTRACT_BEFORE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:%|per\s*cent|percent)\s+(?:share\s+)?of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
                                       r"(?:contract|deal|order|programme|program|project)\b[^.;]{0,40}$")
_ALSO_INCLUDES_BEFORE = re.compile(r"\b(?:contract|deal|agreement|package|order)\s+also\s+(?:includ\w+|cover\w*|compris\w+)\b[^.;]{0,100}?"
                                   rf"\b(?:worth|valued\s+at|costing)\s+{_ABOUT}$")
_PRICE_OF_ONE_BEFORE = re.compile(r"\b(?:price|cost)\s+of\s+(?:this|that|each|one|a|a\s+single)\s+(?:[\w-]+\s+){0,2}?(?:aircraft|jet|plane|"
                                  r"drone|helicopter|ship|vessel|tank|launcher|system|unit|missile)\b[^.;]{0,90}$")
_DONATED_BEFORE = re.compile(r"\b(?:donat\w+|gifted|gave\s+away)\b[^.;]{0,50}$")
_ONE_OF_THE_AFTER = re.compile(r"[^;]{0,80}?\b(?:to\s+build|for|to\s+supply)\s+one\s+of\s+the\s+(?:[\w-]+\s+){0,3}?(?:ships|vessels|submarines|"
                               r"frigates|corvettes|destroyers|boats|aircraft|jets|planes|helicopters)\b")
_THE_OTHER_BEFORE = re.compile(r"\bthe\s+other\s+(?:one\s+|ship\s+|vessel\s+|submarine\s+|frigate\s+)?(?:will\s+be|is\s+being|was)\s+"
                               r"(?:built|constructed|supplied|made)\b[^;]{0,60}$")
_SEVERAL_INCLUDING = re.compile(r"\b(?:several|multiple|various|a\s+series\s+of|a\s+number\s+of|\d+|two|three|four|five)\s+"
                                r"(?:[\w-]+\s+){0,2}?(?:contracts|deals|awards|orders)\b[^.;]{0,50}?\bincluding\b[^.;]*$")
_CONTRACT_PROVIDES_SUPPORT = re.compile(r"\b(?:contract|deal|agreement)\b[^.;]{0,60}?\b(?:provid\w+|cover\w*)\s+(?:the\s+|in-service\s+)?"
                                        r"(?:maintenance|support|sustainment|spares|logistics)\b")
_FUNDS_COVER = re.compile(r"\bfunds?\s+(?:will\s+|would\s+|to\s+)?(?:cover|pay\s+for|finance)\b")
_HYPOTHETICAL = re.compile(r"\W*(?:even\s+)?if\b[^.;]{0,80}?\b(?:were|was)\s+to\b")
_COUNT_OF_THE_BEFORE = re.compile(r"(?:\d+|\b(?:" + _WORD + r"))\s+of\s+the\s+$")
_DEVELOPED_UNDER = re.compile(r"\bdevelop\w*\s+under\s+(?:an?\s+|the\s+)?(?:[\w-]+,?\s+){0,4}$")
_COMPARED_TOTAL_AFTER = re.compile(r"\s*,\s*(?:\w+ly\s+)?(?:higher|more|lower|less|greater|cheaper)\s+than\b")
_OVER_BUDGET_AT = re.compile(r"\bover\s+(?:its\s+|the\s+)?budget\s+(?:at|to)\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+)?$")
_REVENUE_AFTER = re.compile(r"\s*(?:in|of)\s+(?:annual\s+|extra\s+|additional\s+)?(?:revenues?|sales|turnover)\b")
# "the LAND 400 and LAND 8116 programmes, which are valued at": several programmes' worth together, across the comma.
_SEVERAL_BEFORE = re.compile(r"\b(?:programmes|programs|projects|deals|contracts|acquisitions|orders)\s*,?\s+"
                             r"(?:which|that)\s+(?:are|were|have\s+been)\s+(?:jointly\s+|together\s+|collectively\s+)?"
                             r"(?:valued|worth|estimated|priced)\s+(?:at\s+)?(?:around\s+|about\s+|roughly\s+|some\s+|"
                             r"nearly\s+|over\s+|more\s+than\s+)?$")


def read_role(folded: str, start: int, end: int) -> AmountRole:
    """What the amount at `start:end` of a folded sentence is, from the words around it."""
    clause_start = max((m.end() for m in _CLAUSE_START.finditer(folded, max(0, start - _BEFORE_WINDOW), start)),
                       default=max(0, start - _BEFORE_WINDOW))
    before = folded[clause_start:start]
    # "$7.5 billion (CHF 6 billion) budget": what follows a conversion in brackets speaks of the amount.
    after = _BRACKETED.sub("", folded[end:end + _AFTER_WINDOW + 40], count=1)[:_AFTER_WINDOW]
    if _YEARS_OF_OPERATION.search(folded):
        return AmountRole.OTHER       # "including decades of operations and support": a lifetime's cost
    lifetime = _CLAUSE_ROLE_OTHER.search(folded)
    if lifetime and not _INCLUDED_BEFORE.search(folded, max(0, lifetime.start() - 70), lifetime.start()):
        return AmountRole.OTHER
    if _OFFSET.search(before) or _OFFSET_AFTER.match(after):
        return AmountRole.COMPONENT
    if _SHARE_OF_CONTRACT_BEFORE.search(folded, max(0, start - 90), start):
        return AmountRole.COMPONENT   # "secured 60% of the contract, equivalent to over ₹4,000 crore": a maker's share
    if _ALSO_INCLUDES_BEFORE.search(folded, max(0, start - 140), start):
        return AmountRole.COMPONENT   # "The contract also includes about 184 guns ..., worth approximately ₹4,140 crore"
    if _PRICE_OF_ONE_BEFORE.search(folded, max(0, start - 120), start):
        return AmountRole.UNIT_PRICE  # "the price of this aircraft ... reaches 5 million dollars"
    if _DONATED_BEFORE.search(folded, max(0, start - 70), start):
        return AmountRole.OTHER       # "the system we donated, which is valued at USD 300 million": a gift
    if _ONE_OF_THE_AFTER.match(folded, end) or _THE_OTHER_BEFORE.search(folded, max(0, start - 90), start):
        return AmountRole.UNIT_PRICE  # "a ¥139.7 billion contract ... to build one of the ships", "the other ... for"
    if _SEVERAL_INCLUDING.search(folded, max(0, start - 160), start):
        return AmountRole.COMPONENT   # "several major contracts followed, including $481 million in March": each a part
    if _PAYMENT_WORTH.search(folded, max(0, start - 100), start):
        return AmountRole.PAID        # "the release of the second milestone payment, worth 3.33 billion pesos"
    if _UPGRADE_FOR.search(folded, max(0, start - 160), start):
        return AmountRole.COMPONENT   # "approval to purchase upgrades to the 23 F-16 aircraft it already has, for"
    if _CONTRACT_PROVIDES_SUPPORT.search(folded):
        return AmountRole.COMPONENT   # "the contract will span three years, providing maintenance and support"
    if _FUNDS_COVER.search(folded):
        return AmountRole.BUDGET      # "customer funds will cover a portion of the agreement, totalling"
    if _HYPOTHETICAL.match(folded):
        return AmountRole.OTHER       # "If Singapore were to buy a further 8, the total cost ... will be": a what-if
    if _COUNT_OF_THE_BEFORE.search(before):
        return AmountRole.UNIT_PRICE  # "Baghdad ordered 36 of the $65 million planes": what each costs
    if _PROJECTED_BEFORE.search(before) or _WOULD_BRING_TO.search(before):
        return AmountRole.OTHER       # "the deal could rise to Rs 34,500 crore": a projection, not the price
    if _COUPLED.search(folded) or _SHARED_ORDER.search(folded):
        return AmountRole.AGGREGATE   # "coupled with an increase to the budget for ...", "jointly placed an order"
    if SEPARATE_AGREEMENT_OPENS.match(folded):
        return AmountRole.OTHER       # "A separate but related agreement was signed ..., a SEK 1.7 billion contract"
    if UNDER_TALKS.search(folded) and not _FURTHER_WORDS.search(folded):
        return AmountRole.OTHER       # "negotiating the acquisition of 12 Rafale for €3 billion": no contract yet
    part_of = _PART_OF_LARGER.search(before)
    if part_of and (_GENERIC_ARMS_AFTER.match(after) if part_of.group("larger") else _ARMS_AFTER.match(after)):
        # "this sale is part of the larger $110 billion defense sale" (but the engines' contract "is part of a
        # larger INR48,000 crore deal for 83 Tejas": that deal)
        return AmountRole.AGGREGATE
    if _SHARE_OF.search(before) and not any(
            role in (AmountRole.AGGREGATE, AmountRole.BUDGET, AmountRole.INCREASE) and pattern.search(after)
            for role, pattern in _ROLE_AFTER):
        return AmountRole.CONTRACT    # "paid 15 per cent of the $5.43 billion": the whole, of which a share
    if _PAID_BEFORE.search(before) and _TO_PURCHASE_THESE_AFTER.match(after):
        return AmountRole.CONTRACT    # "Romania paid USD 1.5 billion to purchase these HIMARS systems": their price
    if _SPENDING_BEFORE.search(before) and _FOR_COUNTED_AFTER.match(after):
        return AmountRole.CONTRACT    # "is spending JPY272.1 billion for the two vessels": what they cost
    if _INVESTMENT_PRICE_BEFORE.search(before) or (
            _INVEST_BEFORE.search(before) and _IN_PURCHASE_AFTER.match(after)):
        return AmountRole.CONTRACT    # "acquired for an investment of $1.4 billion": the price of the purchase
    if _DEVELOPED_UNDER.search(folded, max(0, start - 60), start):
        return AmountRole.OTHER       # "developed under an initial four-year, £60 million contract": a prototype's
    if _PERCENT_CHANGE_AFTER.match(after) or _OVER_BUDGET_AT.search(before):
        return AmountRole.CONTRACT    # "$140.9 billion, an increase of 81%", "80% over budget at $141 billion"
    # "$3.6 billion, considerably higher than the AH-1Z's": a total compared, not a difference
    compared = _COMPARED_TOTAL_AFTER.match(after) is not None
    for role, pattern in _ROLE_AFTER:
        if pattern.search(after) and not (compared and role is AmountRole.INCREASE):
            return role
    if _COMPONENT_AFTER.search(after):
        return AmountRole.COMPONENT
    if _CONTRACTS_WORTH_BEFORE.search(before) and _FOR_ONE_PURCHASE_AFTER.match(folded, end):
        return AmountRole.CONTRACT    # "signed contracts worth ₹6,900 crore with A and B for the procurement of 307 guns"
    for role, pattern in _ROLE_BEFORE:
        if pattern.search(before):
            if role is AmountRole.COMPONENT and _PLATFORMS_WITH_EXTRAS.search(folded, max(0, start - 160), start):
                return AmountRole.CONTRACT    # "the package for six aircraft and ... support and training"
            return role
    if _SEVERAL_BEFORE.search(folded, max(0, start - _BEFORE_WINDOW), start):
        return AmountRole.AGGREGATE
    if _REVENUE_AFTER.match(after):
        return AmountRole.OTHER       # "£4.6 billion in revenue": a contractor's takings
    # Written of a part across a comma: "113 F404 engines, worth about $1 billion".
    if _ROLE_BEFORE_COMPONENT.search(folded[max(0, start - _BEFORE_WINDOW):start]):
        return AmountRole.COMPONENT
    return AmountRole.CONTRACT


# --- superseded figures -----------------------------------------------------

_SUPERSEDED_BEFORE = re.compile(
    # ("the first four ships will cost" is not "first estimated at"; "initially approved in 2018 with an estimated
    # cost of", "Initially, the project was benchmarked")
    r"(?:\b(?:(?:originally|initially|earlier|previously|once),?\s+(?:[\w-]+\s+){0,6}?|first\s+)"
    r"(?:valued|priced|estimated|pegged|worth|costed|cost|put|set|budgeted|quoted|assumed|planned|expected|"
    r"calculated|projected|agreed|predicted|forecast|benchmarked|sanctioned)\b(?:(?!\b(?:but|now|however|currently)\b)[^.;]){0,40}"
    # "for which the planned amount was R7.3 billion" (then the actual cost)
    r"|\b(?:the\s+)?(?:planned|budgeted|approved)\s+(?:amount|cost|price|value)\s+(?:was|had\s+been)\s+(?:about\s+|around\s+)?"
    r"|\bpreviously\s+reported\b[^.;]{0,70}"
    # "approved the deal in April 2017 for a sticker price at the time of $1.46 billion"
    r"|\bat\s+the\s+time\s+(?:of\s+)?(?:about\s+|around\s+|roughly\s+|some\s+)?"
    # "believing the deal for 36 jets would cost a fixed sum of": what was expected then
    r"|\b(?:believing|believed|thought|assumed|assuming)\b[^.;]{0,60}?\bwould\s+(?:cost|be\s+worth|total|amount\s+to)\b"
    r"[^.;]{0,25}"
    # "Turkey has scaled back its $23 billion plan": the plan as it was before the cut
    r"|\b(?:scal\w+\s+back|scal\w+\s+down|cut\s+back|trimm\w+|downsiz\w+|shrunk|shrank|slash\w*|halved)\s+"
    r"(?:its|the|their|a|an)\s+(?:(?:planned|proposed|original)\s+)?"
    r"|\b(?:the\s+)?(?:original|initial|earlier|previous|old|first)\s+(?:\w+\s+){0,2}?(?:price|cost|value|estimate|"
    r"figure|price\s+tag|valuation|bid|offer|investment)\s+(?:of|was|had\s+been|stood\s+at|at)?\s*"
    r"(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?"
    # "the original deal was worth": but a previous or first deal is another, earlier contract
    r"|\b(?:the\s+)?(?:original|initial)\s+(?:\w+\s+){0,2}?(?:deal|contract|agreement|order)\s+(?:of|was|had\s+been|"
    r"stood\s+at|at)?\s*"
    r"(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?"
    r"|(?<!\ban\s)\b(?:the\s+)?(?:original|initial|earlier|previous)\s+"     # "an initial contract" is the first one
    r"|\bhad\s+(?:once\s+|originally\s+|initially\s+)?been\s+(?:\w+\s+)?(?:valued|priced|estimated|pegged|put|set)"
    r"\b[^.;]{0,20}"
    r"|\b(?:was|were)\s+(?:originally\s+|initially\s+)?(?:to\s+cost|supposed\s+to\s+cost|expected\s+to\s+cost)"
    r"\b[^.;]{0,15}"
    r"|\b(?:up|down|rose|risen|increased|jumped|climbed|grown|escalated|ballooned|soared|went\s+up|gone\s+up|"
    r"revised|raised|hiked|cut|reduced|lowered)\s+(?:\w+\s+){0,2}?from\s+(?:about\s+|around\s+|an\s+estimated\s+|"
    r"the\s+(?:original|earlier|initial)\s+)?"
    # "up from an estimated baseline of $96 billion"
    r"(?:(?:an?|the|its)\s+(?:(?:estimated|original|earlier|initial|previous|approved)\s+)*(?:baseline|estimate|figure|"
    r"cost|price|budget|total)\s+(?:of\s+)?(?:about\s+|around\s+)?)?"
    # "rose to $5 billion from 4.2 billion": the figure it rose from
    r"|\b(?:rose|risen|increased|jumped|climbed|grown|escalated|ballooned|soared|cut|reduced|lowered|fell|fallen|dropped|"
    r"revised)\s+to\s+[^;]{1,30}?\bfrom\s+(?:about\s+|around\s+|an\s+estimated\s+)?"
    r"|\b(?:instead\s+of|compared\s+(?:with|to)|against|rather\s+than|versus|vs\.?)\s+(?:the\s+)?(?:earlier\s+|"
    r"original\s+|initial\s+)?(?:about\s+|around\s+)?)$")
# "the initial contract for the submarine pair, which will be named ..., was worth": the first figure, however
# long the description between.
# "the original estimated acquisition cost for five aircraft was", "the original order of five was estimated to cost".
_INITIAL_WAS = re.compile(r"\b(?:the\s+)?(?:initial|original)\s+(?:[\w-]+\s+){0,2}?(?:contract|deal|agreement|order|price|"
                          r"cost|estimate)\b[^;]{0,140}?\b(?:was|were|had\s+been)\s+(?:(?:worth|valued|priced|estimated|put|set|"
                          r"pegged)\s+|(?:estimated\s+|expected\s+)?to\s+cost\s+)?"
                          r"(?:at\s+)?(?:about\s+|around\s+|roughly\s+|some\s+|nearly\s+)?$")
_SUPERSEDED_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:originally|initially|earlier|previously|before\s+(?:the|it|costs?)|"
    r"at\s+(?:the\s+)?(?:time\s+of\s+)?sign\w*|in\s+(?:the\s+)?original|(?:deal|contract|agreement|price|estimate)\s+"
    r"(?:signed|agreed|struck|inked)\s+in\s+\d{4}\s+(?:has|had|was)\s+(?:since\s+)?(?:risen|grown|increased|"
    r"ballooned|escalated|been\s+revised))\b")
_FROM_TO = re.compile(r"\bfrom\s+(?:about\s+|around\s+)?$")
_TO_AFTER = re.compile(r"^\s*(?:\)\s*)?(?:[^.;]{0,40}?)\bto\s+(?:about\s+|around\s+|nearly\s+|almost\s+|over\s+|"
                       r"more\s+than\s+|an\s+estimated\s+)?[^\s]*\d")


_FIRST_ESTIMATE_NOW = re.compile(r"\b(?:is|are)\s+(?:currently\s+)?(?:initially|originally)\s+(?:estimated|valued|priced|"
                                 r"put|pegged|costed)\b[^.;]{0,25}$")


def is_superseded(folded: str, start: int, end: int) -> bool:
    """Does the sentence give this amount as an earlier figure, replaced by another?"""
    before = folded[max(0, start - 80):start]
    after = folded[end:end + 70]
    if _FIRST_ESTIMATE_NOW.search(before):
        return False     # "is initially estimated at": the first estimate, and still the current one
    if _SUPERSEDED_BEFORE.search(before) or _SUPERSEDED_AFTER.search(after):
        return True
    if _INITIAL_WAS.search(folded, max(0, start - 200), start):
        return True
    # "from $5.4 billion to $6.1 billion": the first is the old figure.
    return bool(_FROM_TO.search(before) and _TO_AFTER.search(after))
