"""Delivery dates written in news text, as windows: "in 2026 and 2027", "by 2026-27", "mid-2026".

A date expression becomes a delivery date only in a clause that speaks of
delivering or of a schedule ("scheduled for", "expected", "slated"); a
signing date, a visit or an import period is not one. Relative expressions
("within the next 12-24 months", "this year", "by September") are read
against the publication date and give nothing without one.

Indian financial years run April to March: "2026-27", "FY27" and "fiscal
2027" all end on 31 March 2027 (Government of India, General Financial Rules).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from pipeline.claims.units import blank_short_brackets
from pipeline.topics import fold
from pipeline.records import Milestone, Window

# Every pattern here is written in lower case and matched against `fold(sentence)`
# (same offsets): case-insensitive matching of long word lists is several times slower.
_FOLDED = re.NOFLAG

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20,
    "twenty-four": 24, "thirty": 30, "thirty-six": 36, "couple of": 2, "few": 3,
}
_RANKS = {"year": 3, "month": 2, "day": 1}


@dataclass(frozen=True)
class FiscalYear:
    """How a buyer's government counts its financial year: the month it starts, and which year names it."""

    first_month: int = 4
    named_by_start: bool = False     # Japan's "fiscal 2025" starts in April 2025; India's FY2025 ends in March 2025


# The financial years of the governments that buy most arms, by the buyer's currency:
# India April-March named by its end (General Financial Rules); Japan April-March named
# by its start (Public Finance Act, art. 11); the United States October-September named by
# its end (31 U.S.C. 1102); the UK and Canada April-March ("2025-26"); Australia, New Zealand
# and Pakistan July-June named by its end. Others count the calendar year.
FISCAL_YEARS: dict[str, FiscalYear] = {
    "INR": FiscalYear(4), "JPY": FiscalYear(4, named_by_start=True), "USD": FiscalYear(10),
    "GBP": FiscalYear(4, named_by_start=True), "CAD": FiscalYear(4, named_by_start=True),
    "AUD": FiscalYear(7), "NZD": FiscalYear(7), "PKR": FiscalYear(7),
}
INDIAN_FISCAL_YEAR = FISCAL_YEARS["INR"]
CALENDAR_YEAR = FiscalYear(1)



_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
_YEAR = r"(?:19[89]\d|20[0-6]\d)"
_DASH = r"\s*(?:--?|–|—|/|to|till|until|through)\s*"
_NUM = r"(?:\d{1,3}|" + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True)) + r")"
_PART = (r"(?P<part>early|mid|late|end|spring|summer|autumn|fall|winter|the end of|end of|the start of|start of|the beginning of|beginning of|"
         r"the first half of|first half of|the second half of|second half of|h1|h2|q[1-4]|"
         r"the (?:first|second|third|fourth|last) quarter of|(?:first|second|third|fourth|last) quarter of)")

_FY_KEY = r"(?:fy|fiscal(?:\s+year)?|financial\s+year)"
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "Q3 FY26", "the third quarter of fiscal 2026", "Q1 of 2026-27": quarters of an Indian
    # financial year (Q1 April-June ... Q4 January-March).
    ("fy_quarter", re.compile(
        rf"\b(?:q(?P<q>[1-4])|(?:the\s+)?(?P<qw>first|second|third|fourth|last)\s+quarter)\s*(?:of\s+)?(?:the\s+)?"
        rf"(?:{_FY_KEY}\s*'?(?:(?P<a>{_YEAR})(?:\s*[-–/]\s*(?P<b>\d{{2}}(?:\d{{2}})?))?|(?P<c>\d{{2}})(?:\s*[-–/]\s*(?P<d>\d{{2}}))?)"
        rf"|(?P<pa>{_YEAR})\s*[-–/]\s*(?P<pb>\d{{2}})(?:\s+(?:financial|fiscal)(?:\s+year)?)?)(?![\w-])",
        _FOLDED)),
    ("fy_range", re.compile(
        rf"\b(?:fiscal|financial)\s+(?:years?\s+)?(?P<a>{_YEAR})\s*(?P<sep>-|–|to|through|and|till|until)\s*"
        rf"(?:(?:fiscal|financial)\s+(?:year\s+)?)?(?P<b>{_YEAR})\b",
        _FOLDED)),
    ("fy", re.compile(
        rf"\b(?:fy|fiscal(?:\s+year)?|financial\s+year)\s*'?(?:(?P<a>{_YEAR})(?:\s*[-–/]\s*(?P<b>\d{{2}}(?:\d{{2}})?))?|(?P<c>\d{{2}})(?:\s*[-–/]\s*(?P<d>\d{{2}}))?)\b",
        _FOLDED)),
    ("fy_pair", re.compile(
        rf"(?<![\w-])(?P<a>{_YEAR})\s*[-–/]\s*(?P<b>\d{{2}})(?![\w-])(?:\s+(?:financial|fiscal)(?:\s+year)?)?",
        _FOLDED)),
    ("year_range", re.compile(
        rf"(?<![\w-])(?:between\s+)?(?P<a>{_YEAR})(?:\s*(?:--?|–|—|to|till|until|through|and|&|or)\s*(?P<b>{_YEAR}|[0-9]{{2}}))(?![\w-])",
        _FOLDED)),
    ("day", re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<de>\d{{1,2}})(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?(?!\w)"
        rf"|\b(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<d2e>\d{{1,2}}))?(?:,?\s+(?P<y2>{_YEAR}))?(?![\w,]\d)"
        rf"(?:\s+(?P<dly>last|this|next)\s+year\b)?",
        _FOLDED)),
    ("month", re.compile(
        rf"\b(?:{_PART}[\s-]+(?:of\s+)?|(?P<mrel>next|last|this|coming)\s+)?(?P<m>{_MONTH})(?:\s*,?\s*(?:of\s+)?(?P<y>{_YEAR})|"
        rf"\s+(?:of\s+)?(?P<rely>last|this|next)\s+year\b|\s+of\s+(?P<same>the\s+same|that)\s+year\b|(?![\s,]*\d))",
        _FOLDED)),
    ("part", re.compile(rf"\b{_PART}[\s-]*(?:of\s+)?(?P<y>{_YEAR})(?!\w)", _FOLDED)),
    ("year_end", re.compile(rf"(?<![\w-])(?P<y>{_YEAR})[\s-]end\b", _FOLDED)),
    # "in the 2030s", "by the early 2030s", "the end of the decade".
    ("decade", re.compile(rf"\b(?:the\s+)?(?:(?P<dpart>early|mid|late|end\s+of\s+the)[\s-]+)?(?P<dec>(?:19|20)\d0)['’]?s\b",
                          _FOLDED)),
    ("decade_end", re.compile(r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+decade\b", _FOLDED)),
    ("year", re.compile(rf"(?<![\w-])(?P<y>{_YEAR})(?![\w-])")),
    # "in the third year of the contract": counted from the contract the article reports.
    ("contract_year", re.compile(
        r"\b(?:in|from|during|by)\s+the\s+(?P<nth>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
        r"year\s+(?:of|after|from|following)\s+(?:the\s+)?(?:contract|signing|deal|agreement|order)\b", _FOLDED)),
    # "in a year or two": between one and two years from the report.
    ("or_two", re.compile(r"\b(?:in|within)\s+(?:a|one)\s+(?P<u>year|month)\s+or\s+(?P<b>two|three)\b", _FOLDED)),
    ("within", re.compile(
        rf"\b(?:(?P<prep>within|in|during)\s+(?:the\s+)?(?P<next>next|coming)?|(?<!for\s)over\s+(?:the\s+|an?\s+)?(?:next|coming)?)\s*"
        rf"(?:(?:space|course|period)\s+of\s+)?"
        # "over a ten-year period"
        rf"(?:approximately\s+|about\s+|around\s+|roughly\s+|some\s+)?(?P<a>{_NUM})(?:{_DASH}(?P<b>{_NUM}))?[\s-]+(?P<u>months?|years?)\b",
        _FOLDED)),
    # "Two years from today, we will deliver the first": counted from the report.
    ("from_today", re.compile(rf"\b(?P<a>{_NUM})\s+(?P<u>months?|years?)\s+from\s+(?:today|now)\b", _FOLDED)),
    # "in the third quarter of the year", "Q3 of next year": a calendar quarter of the report's year or the next.
    ("quarter_rel", re.compile(r"\b(?:q(?P<q>[1-4])|(?:the\s+)?(?P<qw>first|second|third|fourth|last)\s+(?P<qh>quarter|half))\s+of\s+"
                               r"(?P<rel>the|this|next|the\s+current|the\s+coming)\s+(?:calendar\s+)?year\b", _FOLDED)),
    ("relative", re.compile(
        r"\b(?:(?P<rpart>early|mid|late|(?:the\s+)?(?:beginning|start)\s+of)[\s-]+)?(?P<rel>later this|this|last|next|the next|the coming|coming|the current|current|"
        r"end of this|end of the|end of next)\s+"
        r"(?P<u>financial\s+year|fiscal\s+year|fiscal|calendar\s+year|year|month|week)\b",
        _FOLDED)),
    # "on Monday", "yesterday": a day just before the report (read only for what happened then, below).
    ("weekday", re.compile(r"\b(?:on\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
                           r"\b(?P<rd>yesterday|today)\b(?!['’]s)", _FOLDED)),
    # "this summer", "next spring": a season of the report's year or the next.
    ("season_rel", re.compile(r"\b(?P<rel>this|next|last|the\s+coming|coming)\s+(?P<season>spring|summer|autumn|fall|winter)\b",
                              _FOLDED)),
    # "the first four in 2022, the remainder the following year" ("a year later than ..." compares, it dates nothing).
    ("following_year", re.compile(r"\bthe\s+following\s+year\b", _FOLDED)),
    # "begin delivering in April 2027 and fulfil the contract two years thereafter": counted from the date before it.
    ("thereafter", re.compile(rf"\b(?P<a>{_NUM})\s+(?P<u>months?|years?)\s+(?:thereafter|later(?!\s+than)|after\s+that|afterwards)\b",
                              _FOLDED)),
    # "the second later that year", "in October of the same year": the year of the date written before it.
    ("same_year", re.compile(r"\b(?:the\s+same|that)\s+year\b", _FOLDED)),
    ("year_end_rel", re.compile(r"\b(?:the\s+)?(?:year[\s-]end|end[\s-]year)\b|\bwithin\s+the\s+(?:current\s+|calendar\s+)?year\b",
                                _FOLDED)),
]

# Cheap tests first: most sentences hold no date, and each pattern needs one of these.
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NEEDS: dict[str, frozenset[str]] = {
    "fy_quarter": frozenset({"fy", "year"}), "year_end": frozenset({"year"}), "fy_range": frozenset({"fy"}),
    "year_end_rel": frozenset({"period"}), "decade": frozenset({"year"}), "decade_end": frozenset({"decade"}),
    "fy": frozenset({"fy", "year"}), "fy_pair": frozenset({"year"}), "year_range": frozenset({"year"}),
    "day": frozenset({"month_name"}), "month": frozenset({"month_name"}), "part": frozenset({"year"}),
    "year": frozenset({"year"}), "within": frozenset({"period"}), "contract_year": frozenset({"period"}), "relative": frozenset({"period"}),
    "weekday": frozenset({"weekday"}), "following_year": frozenset({"period"}), "same_year": frozenset({"period"}),
    "thereafter": frozenset({"period"}),
    "season_rel": frozenset({"season"}),
    "quarter_rel": frozenset({"period"}), "from_today": frozenset({"period"}), "or_two": frozenset({"period"}),
}


def _features(sentence: str) -> frozenset[str]:
    low = sentence.lower()
    found = set()
    if _YEAR_DIGITS.search(sentence):
        found.add("year")
    if any(m in low for m in _MONTH_PREFIXES):
        found.add("month_name")
    if "month" in low or "year" in low or "fiscal" in low or "week" in low:
        found.add("period")
    if "fy" in low or "fiscal" in low or "financial" in low:
        found.add("fy")
    if "decade" in low:
        found.add("decade")
    if "day" in low:
        found.add("weekday")
    if any(season in low for season in ("spring", "summer", "autumn", "fall", "winter")):
        found.add("season")
    return frozenset(found)
# A clause: split at strong punctuation, brackets, and contrastive joints.
# A colon before a digit is a time ("at 14:29"), not a break.
_CLAUSE_BREAK = re.compile(r"[;()\[\]—]|:(?!\d)|,|\s[–-]\s|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b")
# Words that make a clause about delivering or about a timetable.
_DELIVERY_CUE = re.compile(
    # "deliveries are to be finalized in 2024": the deliveries end then (not "after the deal is finalised")
    r"\b(?:deliver(?:y|ies)\b(?:(?!deal|contract|agreement|talks|negotiation)[^.;,]){0,80}?\b(?:finali[sz]ed|concluded)|deliver\w*|"
    r"supply(?!\s+chains?)|supplie[ds]|supplying|receiv\w+|induct\w*|hand(?:ed|ing)?\s+over|handover|"
    r"arriv\w+|complet\w+|ship(?:ped|ment|ments|ping)|(?:will|to|would|shall)\s+ship|"
    r"transfer\w*(?!\s+(?:of\s+)?(?:the\s+)?(?:money|funds|payments?|sum|amount))|"
    r"enter\w*\s+(?:\w+\s+){0,2}inventory|"
    r"schedul\w+|slated|expect\w*|await\w*|due|target\w*|planned|timelines?|deadline|anticipated|on track|"
    r"set to (?:arrive|be delivered|reach)|(?:will|would|to|should|shall)\s+(?:now\s+|only\s+)?come|reach\w*\s+india|to get|will get|gets|getting|"
    r"(?:will|should|shall)\s+reach(?!\s+(?:about\s+|around\s+|over\s+|more\s+than\s+)?[$€£¥₹\d])|under\s*way\s+since|"
    r"obtain\w*|(?:be|arrive|land)\s+in\s+(?:the\s+)?country|touch\w*\s+down|landed|intended\s+to\s+(?:have|receive|get)|reach\w*\s+(?:its|their|the|a)\s+(?:\w+\s+)?(?:base|country|"
    r"destination|shores)|(?:begin|began|begun|start|started|starting)\s+acquir\w+|acquir\w+\s+(?:\w+\s+){0,4}?(?:starting|beginning)|"
    r"fulfil\w*|execut\w+|wrap\w*\s+up|ferr(?:y|ied|ying)|join\w*\s+(?:the\s+)?(?:\w+\s+)?(?:fleet|navy|force|service|squadrons?)|"
    r"(?:to|will|would|shall)\s+follow|in\s+place|"
    # "the first helicopters will go to the army next year", "to have all the aircraft by autumn 2027"
    r"(?:will|would|shall|to)\s+go\s+to\s+the|(?:to|will|would|should)\s+have\s+(?:all|received|the\s+(?:full|whole|entire|"
    r"last|remaining))|"
    r"(?:extended|extending|extend|pushed(?:\s+back)?|delayed|deferred|moved|shifted|postponed|revised|rescheduled|"
    r"slipped|stretch\w*|spill\w*)\s+(?:over\s+)?(?:to|till|until|into|beyond))\b|आपूर्ति|समय\s*सीमा|डिलीवरी",
    _FOLDED,
)
# Words after which a date is when something else happened.
_OTHER_EVENT = re.compile(
    r"\b(?:sign\w*|ink\w*|seal\w*|conclud\w+\s+(?:a|an|the)\s+(?:\w+\s+)?(?:deal|contract|agreement)|agreed|approv\w+|"
    r"clear\w*|announc\w+|visit\w*|summit|to\s+be\s+held|"
    r"meet\w*|talks|trip|conference|exercise|war|conflict|(?<!for\s)operation|since|ago|founded|established|"
    r"launch(?:ed|es|ing)?(?!\s+customer)|(?:in|into)\s+the\s+water|afloat|(?:sea|flight|acceptance|firing)\s+trials?|"
    r"maiden\s+flight|first\s+flight|test\w*|fired|elections?|imports?|exports?|bought|purchas\w+|"
    r"said|told|stated|reported|added|claimed|notif\w+|informed|briefed|agreement|entered\s+into|generat\w+|revenues?|earn\w*|"
    # Entering service is not a delivery: "operational by 2030", "initial operating capability in 2029".
    r"operational(?!\s+(?:[\w-]+\s+){0,3}?(?:handover|hand-over|delivery|deliveries|fighters?|jets?|aircraft|squadrons?|units?|systems?|batter\w+|tanks?|howitzers?|vehicles?|ships?|helicopters?|drones?))|operationali[sz]\w+|enter\w*\s+(?:\w+\s+){0,2}service|in\s+service|service\s+entry|"
    r"initial\s+operat\w+\s+capability|full\s+operat\w+\s+capability|ioc|foc|combat[\s-]ready|commission\w*|"
    r"received\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:offer|proposal|letter|request|bid|(?:down\s+)?payment|advance|order)|"
    r"(?:letter\s+of\s+)?offer|"
    r"transfer\w*\s+(?:of\s+)?(?:the\s+)?(?:money|funds|payments?|sum|amount)|payments?|pay|paid|"
    r"retire\w*|decommission\w*|phase[ds]?\s+out|replac\w+|(?:be|been|is|are|was|were)\s+(?:concluded|signed|finali[sz]ed|awarded|inked)|"
    # Building is not delivering: "the first tanks are to be assembled in Poland in 2029".
    r"assembl\w+|manufactur(?!ers?\b)\w+|produc(?:e|ed|es|ing|tion)|"
    r"built(?!\s+(?:in|by)\s+(?!the\s+(?:end|first|second|third|fourth|last)\b)(?:the\s+)?[a-z]+(?:\s+|,|$)(?!\d))|"
    r"build|roll(?:ed|s)?\s+(?:out|off)|rollout|"
    r"work\s+on|construct\w*|certif(?:y|ied|ication)|"
    # "a development program that is expected to be completed in 2024": the programme's end, not a delivery
    r"(?:development|certification|qualification|design|integration|research)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:program(?:me)?s?|phase|work|efforts?)\b(?:[^.;,]{0,40}?\bcomplet\w+\s)?)\b",
    _FOLDED,
)
_HISTORICAL = re.compile(
    r"\b(?:originally|initially|(?:the\s+)?(?:original(?:ly)?|initial)\s+(?:deadline|schedule|timeline|agreement|contract|plan|"
    r"target|(?:delivery\s+)?dates?)|"
    r"(?:earlier|previous)\s+(?:deadline|schedule|timeline|target|(?:delivery\s+)?dates?)|"
    r"compared\s+(?:to|with)\s+(?:the\s+|its\s+)?(?:original|initial|earlier|previous|planned)|"
    r"had\s+been\s+(?:expected|scheduled|slated|due|planned|set|targeted)|"
    # "The federal government had planned to acquire by 2025 a fleet of drones"
    r"had\s+(?:originally\s+|initially\s+)?(?:planned|intended|hoped|expected|aimed)\s+to|"
    r"(?:was|were)\s+(?:originally\s+|initially\s+)?(?:expected|scheduled|slated|due|supposed|planned|meant|set|targeted|to)|"
    r"stipulated|had to change|missed|instead of|rather\s+than|intended\s+to|"
    r"(?:earlier|previously)\s+(?:expected|scheduled|planned|due|slated|set|targeted|agreed)|"
    r"once\s+(?:planned|scheduled|expected|due|slated|set|targeted)|"
    r"had\s+(?:\w+\s+)?(?:said|stated|announced|promised|indicated|claimed|told|assured)|"
    r"(?:pushed\s+back|delay|delays|delayed|postponed|postponement|moved|shifted|slip|slippage|slipped|deferred|put\s+off)\s+from|"
    r"should\s+have\s+(?:been\s+\w+|started|begun|arrived|come|finished|ended)|(?:was|were)\s+supposed\s+to)\b",
    _FOLDED,
)
# "According to the original plan, we would hand over the last fire unit next year": a plan put first.
_PLAN_LEAD = re.compile(r"\W*(?:according\s+to|under|in|per|as\s+per|by)\b", _FOLDED)
# "At the time, Mitsotakis told reporters that deliveries were expected ...": what was said then
_AT_THE_TIME = re.compile(r"\b(?:at\s+the\s+time|at\s+that\s+time|back\s+then|then)\b", _FOLDED)
# "it was expected earlier that Turkey would receive ...": the old plan, however reported
_EARLIER_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:earlier|previously|originally|initially|before|at\s+first)\b", _FOLDED)
# A plan told in the past tense of a report: "the ministry told legislators that delivery was scheduled for 2024".
_BACKSHIFTED = re.compile(r"(?:was|were)\s+(?:expected|scheduled|slated|due|planned|set|targeted|to)", _FOLDED)
_REPORTED_BEFORE = re.compile(r"\b(?:said|says|told|tells|announced|confirmed|stated|informed|reported|added|according\s+to)\b"
                              r"(?:(?!\b(?:but|however|originally|initially|had)\b)[^.;]){0,100}$", _FOLDED)
# "had said in August last year that they would deliver ... by late 2023": an earlier statement,
# whatever dates sit between the verb and the deadline.
_REPORTED_EARLIER = re.compile(r"\bhad\s+(?:\w+\s+)?(?:said|stated|announced|promised|indicated|claimed|told|assured)\b",
                               _FOLDED)
_HISTORICAL_AFTER = re.compile(
    r"[^;]*?\b(?:had to change|was missed|were missed|slipped|has been delayed|have been delayed|"
    r"was pushed back|were pushed back|was postponed|were postponed)\b", _FOLDED)
# A clause that only continues the one before it: a relative clause ("which
# originally ran until 2023") or a tail naming a further delivery ("and the
# last by 2030", "with the fifth in 2027", "but will now come in 2027").
# "..., the revised date is September": a tail that moves the date before it.
_REVISED = r"(?:the\s+)?(?:revised|new|latest|current)\s+(?:date|deadline|timeline|schedule|target)\b"
_REVISED_DATE = re.compile(rf"\s*{_REVISED}", _FOLDED)
_TAIL = re.compile(rf"\s*(?:(?:which|that|who|whose|compared\s+(?:to|with)|against|versus|or|then)\b|{_REVISED}|"
                   r"(?:and|with|while|whereas|then)?\s*(?:(?:the|its|all|a)\s+)?"
                   r"(?:[\w'’-]+\s+){0,3}?(?:by|in|on|within|before|until|till|around|sometime|no later|from|will|would|"
                   r"should|could|is now|are now|now)\b)", _FOLDED)
# A delivery already made: its date is a fact of the past, not a schedule.
_DONE = re.compile(
    r"\b(?:(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+\s+)?(?:delivered|received|inducted|handed\s+over|"
    r"supplied|shipped|completed|finished|transferred)|deliver(?:y|ies)\b[^.;,]{0,60}?\b(?:was|were)\s+made|arrived|received|handed\s+over|flagged\s+off|(?:took|accepted)\s+(?:the\s+)?delivery|took\s+place|landed|touched\s+down|began|started|"
    r"commenced|"
    r"inducted|delivered)\b", _FOLDED)
_NOT_DONE = re.compile(r"\b(?:will|would|shall|expected|scheduled|slated|due|"
                       # ("the first HIMARS, to be operated by the army, arrived on Saturday": what it is for)
                       r"to\s+be(?!\s+(?:operated|used|based|stationed|flown|manned|deployed)\b)|set\s+to|likely|plan(?:s|ned|ning)?|"
                       r"target\w*|should|could|may|might|must|need\w*|ha(?:ve|s)\s+to|yet|before|until|till|no\s+later|"
                       # "by 2026" is a deadline; "delivered by 30 transport planes" says how
                       r"by(?=\s*$|\s{4,}|\s+(?:the\s+)?(?:end|early|mid|late|start|beginning|middle|first|second|\d{4}|(?:19|20)\d\d|jan|feb|mar|apr|"
                       r"may|jun|jul|aug|sep|oct|nov|dec|next|this|then|now|q[1-4]|fy|fiscal|spring|summer|autumn|fall|winter)))\b",
                       _FOLDED)
_AND_AFTER = re.compile(r"\s(?:and|but)\s", _FOLDED)
_RELATIVE = re.compile(r"\b(?:that|which|who)\b", _FOLDED)
# Words after which a capitalised "May" is the month ("by May", "in May").
# "March and October 2026": the first month takes the year written after the second.
_SHARED_YEAR = re.compile(rf"\s*(?:and|or|to|-|–|/)\s*{_MONTH}\s*,?\s*(?:(?P<y>{_YEAR})|(?P<rely>last|this|next)\s+year\b)",
                          _FOLDED)
_MONTH_LEAD = re.compile(r"\b(?:by|in|until|till|before|from|since|during|around|of|mid|early|late)\s+$",
                         _FOLDED)
_AS_EXPECTED_AFTER = re.compile(r"\s+as\s+(?:\w+\s+)?(?:expected|planned|scheduled|promised|agreed)\b", _FOLDED)
_NOT_BEFORE_DATE = re.compile(r",\s*not\s+(?:in\s+)?$", _FOLDED)
_NOT_AS_EXPECTED = re.compile(r"\s*,\s*not\s+(?:in\s+)?[^.;,]{1,30}?\s+as\s+(?:\w+\s+)?(?:expected|planned|scheduled|promised|agreed)\b",
                              _FOLDED)
_STRICTLY_BEFORE = re.compile(r"\bbefore\s+(?:the\s+)?$", _FOLDED)
_START_PART = re.compile(r"(?:the\s+)?(?:start|beginning)\s+of\b", _FOLDED)
_BY = re.compile(r"\b(?:by|until|till|through|before|no later than|up to)\s+(?:the\s+)?$", _FOLDED)


@dataclass(frozen=True)
class DateMatch:
    """A delivery date found in a sentence, with its span."""

    window: Window
    start: int
    end: int
    historical: bool


def find_delivery_dates(sentence: str, published_on: date | None,
                        fiscal: FiscalYear = INDIAN_FISCAL_YEAR, order_size: int | None = None,
                        headline_first: bool = False) -> list[DateMatch]:
    """Every date expression in the sentence that dates a delivery, in order.

    `order_size` is how many units the article says were ordered: the unit of
    that ordinal ("the fifth") is the last. `headline_first`: the article's
    headline reports the first delivery ("First two Ospreys arrive in Japan"),
    so a delivery the sentence dates in the past with no unit named is that one.
    """
    original, sentence = sentence, fold(sentence)
    features = _features(sentence)
    if not features:
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    # Short brackets ("(IAF)", "(LCA)") do not end a clause: blanked, offsets kept, for finding clauses.
    clauses = _clause_spans(blank_short_brackets(sentence))
    # Every date expression first (earlier patterns win overlaps), then each read in the order written,
    # so that what a date is for is read from the words since the date before it.
    dates: list[tuple[str, re.Match[str], Window]] = []
    for kind, pattern in _PATTERNS:
        if not features & _NEEDS[kind]:
            continue
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            window = _read(kind, match, published_on, original, fiscal)
            if window is None:
                continue
            if kind != "weekday":       # "on Monday" seldom dates a delivery: it never splits a sentence's cues
                taken.append((start, end))
            dates.append((kind, match, window))
    dates.sort(key=lambda d: d[1].start())
    dates = _range_in_order(sentence, dates)
    dateline = _DATELINE.match(sentence)
    if dateline:
        dates = [d for d in dates if d[1].start() >= dateline.end()]   # "Tokyo, March 13 (Jiji Press)--": when filed
    for kind, match, window in dates:
        start, end = match.span()
        if kind == "following_year":
            before = found[-1].window if found else None
            year_of = (before.latest or before.earliest) if before else None
            if year_of is None:
                continue       # "the following year" with no year before it
            window = Window(earliest=date(year_of.year + 1, 1, 1), latest=date(year_of.year + 1, 12, 31), precision="year")
        if kind == "thereafter":
            shifted = _shifted(found[-1].window if found else None, _number(match.group("a")) or 0, match.group("u"))
            if shifted is None:
                continue       # "two years later" with no delivery date before it
            window = shifted
        if _THE_YEARS_END.search(match.group()):
            # "launched next April, the second in June, with delivery by the end of the year": that year's end
            same = _year_written_before(dates, start)
            if same is not None and window.latest is not None and same > window.latest.year:
                window = _part_of_year("end", same)
        if kind == "same_year" or (kind == "month" and match.group("same")):
            same = _year_written_before(dates, start)
            if same is None:
                continue       # "that year" with no year before it
            window = (Window(earliest=date(same, 1, 1), latest=date(same, 12, 31), precision="year")
                      if kind == "same_year" else replace(window, earliest=window.earliest and window.earliest.replace(year=same),
                                                           latest=window.latest and _month_end(same, window.latest.month)))
        own, context = _clause_context(sentence, clauses, start)
        acquired_over = (kind in {"year_range", "fy_range"} or (
            # "an arrangement to buy 88 of these jets by 2032": bought, so delivered, by then
            kind == "year" and _BY.search(sentence[max(0, start - 20):start]) is not None)) \
            and _ACQUIRED_OVER.search(own) is not None
        if kind in {"following_year", "same_year"}:
            if not found or ";" in sentence[found[-1].end:start]:
                continue       # only a list of deliveries goes on into "the following year" or "that year"
            acquired_over = True       # "..., the remainder the following year": dated like the date before it
        under_way = _UNDER_WAY_SINCE.search(sentence, max(0, start - 40), start) is not None
        handover_ceremony = _HANDOVER_CEREMONY.search(sentence, max(0, start - 180), start) is not None
        if not (_DELIVERY_CUE.search(context) or acquired_over) or not handover_ceremony and (
                (_is_other_event(sentence, clauses, start)
                 or (context != own and context.endswith(own)
                     and _other_event_last(context[:len(context) - len(own)], context[:len(context) - len(own)])))
                and not acquired_over and not under_way):
            continue   # ("launched next April, followed by the second in June": the launches the tail borrows)
        if _leads_other_event(sentence, clauses, start):
            continue   # "In July 2025, Poland received an offer ...": the clause it leads dates something else
        # What the clause says before the date decides whose delivery it is.
        lead = sentence[clauses[_clause_index(clauses, start)][0]:start]
        if _PART_DELIVERED.search(lead) or (_PART_DELIVERED.search(sentence, 0, start)
                                              and not _UNIT_NOUN.search(lead)):
            continue   # "12 engines will arrive in 2025": a part's delivery, not the system's
        if _AS_OF_BEFORE.search(sentence, max(0, start - 12), start):
            continue   # "remain unchanged as of July 2025": when the statement holds, not a delivery
        if _THE_DATE_BEFORE.search(sentence, max(0, start - 6), start) and _DEAL_AFTER_DATE.match(sentence, end):
            continue   # "the 11 June agreement": the day the deal was made
        if _CONTRACT_DUE_BEFORE.search(sentence, max(0, start - 40), start):
            continue   # "with a contract expected by early 2026": when the contract is signed
        if _EVENT_AFTER.match(sentence, end):
            continue   # "a deadline of 4 September to transfer the money": the date of something else
        if _BUILT.search(lead) and not _DELIVERY_VERB.search(lead) and (
                not _DELIVERY_VERB.search(sentence, 0, start) or _PRODUCTION_LEAD.search(lead)) \
                and (not _COMPLETES_ORDER.search(lead) or _PRODUCTION_LEAD.search(lead)) \
                and not _HANDED_OVER_AFTER.match(sentence, end):
            continue   # "the first F-35A is expected to be completed by next year": built, not delivered
        not_before = _NOT_BEFORE.search(sentence, max(0, start - 60), start)
        rate = _RATE.search(lead) and not _STARTS.search(sentence[max(0, start - 30):start])
        if (not_before and (kind == "part" or "end" in not_before.group())) or rate:
            continue   # "unlikely to arrive before the end of 2026", "four deliveries monthly in the mid-2020s"
        events = [m for m in _EVENT_NOUN.finditer(lead)]
        if events and not _DELIVERY_VERB.search(lead[events[-1].end():]) and not handover_ceremony and not (
                events[-1].group() == "ceremony" and _DONE.search(lead, 0, events[-1].start())):
            # ("handed over the first frigate to the navy in a ceremony on October 14": the handover's day)
            continue   # "the G-20 summit scheduled to take place between 9-10 September"
        service = [m for m in _SERVICE.finditer(lead)]
        if service and not _DELIVERY_VERB.search(lead[service[-1].end():]) \
                and not _DELIVERED_AND.search(lead, 0, service[-1].start()):
            continue   # when it enters service, not when it is delivered
        milestone, starts = read_milestone(sentence, start, taken)
        if under_way:
            milestone, starts = Milestone.FIRST, True     # "deliveries have been under way since 2023": their start
        index = _clause_index(clauses, start)
        if milestone is None and index == 0 and len(clauses) > 1 and _FRONTED.fullmatch(sentence, *clauses[index]):
            # "By April, the last two tanks will be handed over": the clause it leads says what is dated.
            led_end = clauses[index + 1][1]
            milestone, starts = read_milestone(sentence[:led_end], led_end, [])
        # "the start of deliveries was postponed from Q4 2023 until Q3 2024": the same milestone, moved
        # ("until" is then where it moved to, not a deadline).
        if milestone is None and found and _JOINED.fullmatch(sentence, found[-1].end, start):
            milestone = found[-1].window.milestone     # "the last four in April and May": both the last
        if milestone is None and found and _REVISED_DATE.match(own):
            milestone = found[-1].window.milestone     # "..., the revised date is September": the same milestone
        moved = bool(found) and _MOVED_TO.fullmatch(sentence, found[-1].end, start) is not None
        if moved and milestone in (None, found[-1].window.milestone):
            milestone = found[-1].window.milestone
            starts = found[-1].window.latest is None
        if milestone is Milestone.NEXT and order_size and _ordinal_before(sentence, start, taken) == order_size:
            milestone = Milestone.LAST     # "the fifth" of five squadrons completes the order
        # A relative clause after the date speaks of something else ("received on Monday the first two
        # jets that will replace ...").
        clause_start = clauses[index][0]
        relative = _RELATIVE.search(own, max(0, end - clause_start))
        own_event = own[:relative.start()] if relative else own
        # "began in December 2024 and will run through 2026": what follows "and" is another verb's.
        joined = _AND_AFTER.search(own_event, max(0, end - clause_start))
        own_event = own_event[:joined.start()] if joined else own_event
        # The date's own words are not the verb's mood ("received ... in May": the month, not "may").
        own_event = own_event[:start - clause_start] + " " * (end - start) + own_event[end - clause_start:]
        done = bool(_DONE.search(own_event)) and not _NOT_DONE.search(own_event)
        if not done and kind in {"day", "weekday", "month", "year", "part", "relative"} and index == 0 and len(clauses) > 1 \
                and _FRONTED.fullmatch(sentence, *clauses[index]):
            # "On 30 April, Estonia received six launchers": the clause a day leads tells what happened then.
            led = sentence[clauses[index + 1][0]:clauses[index + 1][1]]
            led_relative = _RELATIVE.search(led)
            led = led[:led_relative.start()] if led_relative else led
            done = bool(_DONE.search(led)) and not _NOT_DONE.search(led)
            own_event = led if done else own_event
        # The sentence's verb before the date is past: "received, on Wednesday, ...", "handed over the first in August".
        past_before = kind in {"day", "month", "weekday"} and _DONE.search(sentence, 0, start) is not None \
            and not _NOT_DONE.search(sentence, 0, start)
        if kind == "weekday" and not done and past_before:
            done = True     # "Morocco officially received, on Wednesday, a first batch": the verb the weekday dates
        if kind == "weekday" and not done:
            continue   # "on Monday" dates what happened; a weekday to come is too vague to compare
        if (done or past_before) and milestone is None and (_FIRST_AFTER.match(sentence, end)
                                                           or _FIRST_APPOSED.match(sentence, end)):
            milestone = Milestone.FIRST    # "received on Monday the first two of 14 jets"
        elif done and milestone is None and _LAST_AFTER.match(sentence, end):
            milestone = Milestone.LAST     # "handed over on Thursday the sixth and last submarine"
        # "handed over the first in August, the second and third in September": the clause shares the
        # sentence's past verb.
        told_as_past = done or (kind in {"day", "month"} and past_before)
        superseded = _is_historical(sentence, clauses, start, end, taken)
        if (told_as_past or superseded) and kind in {"day", "month"} and published_on is not None \
                and window.earliest is not None and window.earliest > published_on \
                and not any(match.groupdict().get(k) for k in ("y", "y2", "rely", "dly", "mrel")):
            window = _year_earlier(window)     # "arrived on March 29", "previously expected in February": the last one
        if done and milestone is None and order_size and _counts_whole_order(sentence, own_event, order_size, taken):
            milestone = Milestone.LAST     # "Estonia received six HIMARS launchers" of the six ordered: all of them
        if (done or past_before) and milestone is None and headline_first and (
                _ARRIVAL_VERB.search(sentence, max(0, start - 50), start) or _ARRIVAL_VERB.match(sentence, end)):
            milestone = Milestone.FIRST     # "two Ospreys were delivered to Japan on May 8" under "First two Ospreys arrive"
        if done and milestone not in (Milestone.FIRST, Milestone.LAST):
            continue   # "the third squadron was delivered in February 2023": a count, not a schedule
        historical = superseded or (
            bool(found) and found[-1].historical and found[-1].end <= start
            and _SAME_PHRASE.fullmatch(sentence, found[-1].end, start) is not None)
        if kind == "within":
            window = _counted_from_given_start(match, sentence, original, published_on) or window
        deadline = not moved and not not_before and _BY.search(sentence[max(0, start - 20):start]) is not None
        if deadline:
            latest = window.latest
            if (_STRICTLY_BEFORE.search(sentence, max(0, start - 20), start) and window.earliest is not None
                    and (kind == "year" or (kind == "month" and not match.group("part")) or _START_PART.match(sentence, start))):
                latest = window.earliest - timedelta(days=1)     # "before 2030", "before June 2022": the end of the one before
            window = Window(earliest=None, latest=latest, precision=window.precision)
        is_range = kind in {"year_range", "fy_range"} or _RANGE_END.match(sentence, end) is not None
        starts_here = starts or _STARTS.search(sentence[max(0, start - 100):start]) is not None
        if starts_here and milestone is Milestone.LAST and _AS_EARLY_AS.search(sentence, max(0, start - 20), start):
            starts_here = False     # "all aircraft delivered as early as fall 2027": the earliest end
        if not done and not is_range and not deadline and not _MOVED_TO_THEN_FROM.search(sentence, max(0, start - 80), start) \
                and starts_here:
            # "deliveries will begin in 2026": only when they start is given; "begin within four
            # years": the first delivery by then
            by_then = kind == "within" and window.earliest != window.latest
            begins = window.earliest
            if kind == "part" and begins is not None and match.group("part").lower() == "mid":
                begins = date(begins.year, 6, 1)      # "from mid-2028": around June, the year's middle
            window = (Window(earliest=None, latest=window.latest, precision=window.precision) if by_then
                      else Window(earliest=begins, latest=None, precision=window.precision))
            milestone = Milestone.FIRST
        if not_before and not is_range:
            # "would not be delivered before 2030", "no earlier than 2028": from then on, with no end given
            window = Window(earliest=window.earliest, latest=None, precision=window.precision)
        window = replace(window, milestone=milestone)
        if (not historical and not done and published_on is not None and window.latest is not None
                and window.latest < published_on - timedelta(days=62)):
            continue   # a past event, not a schedule (except when deliveries began: the first milestone)
        found.append(DateMatch(window=window, start=start, end=end, historical=historical))
    return _batches_in_turn(sentence, _start_then_end(sentence, found))


# "Deliveries are due to start in 2027 and run through 2030": the first delivery's start, and the whole
# window from that start to its end.
_AND_RUN_UNTIL = re.compile(r"\s*,?\s*(?:and|to)\s+(?:will\s+|would\s+|are\s+to\s+|should\s+|are\s+expected\s+to\s+)?"
                            r"(?:run|continue|last|end|finish|conclude|be\s+completed|complete|stretch)\s+"
                            r"(?:through|until|till|to|by|in|into)\s+(?:the\s+)?(?:end\s+of\s+)?", _FOLDED)


def _start_then_end(sentence: str, found: list[DateMatch]) -> list[DateMatch]:
    joined: list[DateMatch] = []
    for match in found:
        if (joined and joined[-1].window.latest is None and joined[-1].window.earliest is not None
                and match.window.latest is not None and not match.historical and not joined[-1].historical
                and joined[-1].window.milestone is Milestone.FIRST and match.window.milestone in (None, Milestone.LAST)
                and _AND_RUN_UNTIL.fullmatch(sentence, joined[-1].end, match.start)):
            start = joined[-1]
            match = DateMatch(window=Window(earliest=start.window.earliest, latest=match.window.latest,
                                            precision=match.window.precision), start=start.start, end=match.end,
                              historical=False)
        joined.append(match)
    return joined


# "with production of the remaining two set to be completed in 2024": production finishing, whatever else was delivered.
_PRODUCTION_LEAD = re.compile(r"\b(?:production|construction|manufactur\w+|assembly|build(?:ing)?)\s+of\b", _FOLDED)
_AS_OF_BEFORE = re.compile(r"\bas\s+(?:of|at|on)\s+$", _FOLDED)
_THE_YEARS_END = re.compile(r"\bend\s+of\s+the\s+year\b|\bthe\s+year[\s-]end\b", _FOLDED)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|to|and|till|until|through)\s*(?:the\s+)?(?:(?:early|mid|late|end\s+of)[\s-]+)?", _FOLDED)


def _range_in_order(sentence: str, dates: list[tuple[str, re.Match[str], Window]]) -> list[tuple[str, re.Match[str], Window]]:
    """"between late March and April", written in April: a range's start written without a year is not after its end."""
    ordered = list(dates)
    for index in range(len(ordered) - 1):
        (kind, match, window), (_, later_match, later) = ordered[index], ordered[index + 1]
        if (kind in {"month", "day"} and not any(match.groupdict().get(k) for k in ("y", "y2", "rely", "dly"))
                and window.earliest and later.earliest and window.earliest > later.earliest
                and _RANGE_JOIN.fullmatch(sentence, match.end(), later_match.start())):
            ordered[index] = (kind, match, _year_earlier(window))
    return ordered


def _year_written_before(dates: list[tuple[str, re.Match[str], Window]], start: int) -> int | None:
    """The year of the last date written before `start` that names one."""
    years = [(window.latest or window.earliest) for kind, match, window in dates
             if match.end() <= start and kind not in {"weekday", "same_year"} and (window.latest or window.earliest)]
    return years[-1].year if years and years[-1] is not None else None


# "38 tanks will arrive in 2024, 42 in 2025 and 28 in 2026": each date led by its own batch's count.
# Number words a count may be written in, as alternatives ("six", "twelve"; not "a" or "couple of").
_COUNT_WORDS = "|".join(w for w in _NUMBER_WORDS if len(w) > 2 and " " not in w)
_BATCH_COUNT = re.compile(r"(?<![\w.,$€£¥₹])(?:\d{1,3}|" + _COUNT_WORDS
                          + r")(?![\w.,%])(?!\s*(?:per\s*cent|percent|million|billion|months?|years?)\b)", _FOLDED)


_GOES_ON = re.compile(r"\b(?:follow\w*|more|further|another|next|remaining|rest|then)\b", _FOLDED)


def _batches_in_turn(sentence: str, found: list[DateMatch]) -> list[DateMatch]:
    """Dates that each follow their own batch's count are the first, the next ones and the last batch."""
    if len(found) < 2 or any(f.historical or f.window.earliest is None or f.window.latest is None for f in found):
        return found
    allowed = [{None, Milestone.FIRST}] + [{None}] * (len(found) - 2) + [{None, Milestone.LAST}]
    if any(f.window.milestone not in ok for f, ok in zip(found, allowed)):
        return found
    ends = [0] + [f.end for f in found[:-1]]
    if not all(_BATCH_COUNT.search(sentence, e, f.start) for e, f in zip(ends, found)):
        return found
    # "Eleven aircraft will follow in 2021, eight in 2022 ...": the list goes on from an earlier delivery.
    opening = Milestone.NEXT if _GOES_ON.search(sentence, 0, found[0].start) else Milestone.FIRST
    turns = [opening] + [Milestone.NEXT] * (len(found) - 2) + [Milestone.LAST]
    return [replace(f, window=replace(f.window, milestone=turn)) for f, turn in zip(found, turns)]


# "Greece has taken delivery of the first of 18 Rafales": news of the day, dated by the report.
_DELIVERED_NOW = re.compile(r"\b(?:(?:has|have)\s+(?:now\s+|just\s+|officially\s+|finally\s+|formally\s+)?(?:taken\s+delivery\s+of|"
                            r"received|accepted|inducted|handed\s+over|delivered|arrived)|(?:has|have)\s+(?:now\s+|just\s+)?been\s+"
                            r"(?:\w+\s+)?(?:delivered|handed\s+over|received|inducted))\b", _FOLDED)
# "deliveries of the missiles to the navy have begun": the first delivery, reported that day.
_DELIVERIES_BEGUN = re.compile(r"\b(?:deliveries|delivery|supplies|handovers?)\b[^.;]{0,80}?\b(?:has|have)\s+(?:now\s+|just\s+|officially\s+)?"
                               r"(?:begun|started|commenced)\b", _FOLDED)


_THE_FIRST_OR_LAST = re.compile(r"\b(?:the|its|their)\s+(?:\w+\s+and\s+)?(?:first|last|final|maiden|initial)\b", _FOLDED)


# Verbs of units arriving, for headlines and for the verb beside a date.
_ARRIVING = r"arriv\w*|deliver\w*|receiv\w*|hand\w*\s+over|land\w*|touch\w*\s+down"
# A headline that reports the first delivery: "First Two Ospreys Arrive In Japan", "Kuwait receives first Typhoons".
_HEADLINE_FIRST = re.compile(rf"\b(?:first|maiden|initial)\b(?!\s+(?:time|flight|look|step|phase))[^.;:]{{0,60}}?\b(?:{_ARRIVING}|"
                             rf"takes?\s+delivery|took\s+delivery)|\b(?:{_ARRIVING}|takes?\s+delivery\s+of|took\s+delivery\s+of)\s+"
                             r"(?:of\s+)?(?:its\s+|their\s+|the\s+)?(?:first|maiden|initial)\b(?!\s+time)", _FOLDED)
# The verb of an arrival right beside its date: "delivered to Japan on May 8", "on Thursday handed over".
_ARRIVAL_VERB = re.compile(rf"\s*(?:[^.;,]{{0,20}}?)?\b(?:{_ARRIVING})\b(?![^.;,]{{0,50}}\b(?:order|contract|deal)\b)", _FOLDED)


def headline_reports_first_delivery(title: str) -> bool:
    """Does the headline report the first delivery of the units?"""
    return bool(title) and _HEADLINE_FIRST.search(fold(title)) is not None


def reported_delivery(sentence: str, published_on: date | None) -> DateMatch | None:
    """The publication date, for a sentence with no delivery date that reports the first or last unit just delivered."""
    folded = fold(sentence)
    begun = _DELIVERIES_BEGUN.search(folded)
    done = begun or _DELIVERED_NOW.search(folded)
    if published_on is None or done is None or _NOT_DONE.search(folded, 0, done.start()):
        return None
    # ("..., Erdogan announced at the opening of the Tank Production Facility": a part named elsewhere is not delivered)
    if _PART_DELIVERED.search(folded[:_clause_end(_clause_spans(folded), done.end())]):
        return None
    if begun:
        return DateMatch(window=Window(earliest=None, latest=published_on, precision="day", milestone=Milestone.FIRST),
                         start=done.start(), end=done.end(), historical=False)
    # What was delivered is named in the verb's own clause ("delivered the second of two batteries ..., as the
    # service plans to field the first interim capability": the second).
    told = folded[:_clause_end(_clause_spans(folded), done.end())]
    milestone, _ = read_milestone(told, len(told), [])
    if milestone not in (Milestone.FIRST, Milestone.LAST) or not _THE_FIRST_OR_LAST.search(told):
        return None      # "all 36 jets have been delivered" says where deliveries stand, not that they ended today
    return DateMatch(window=Window(earliest=None, latest=published_on, precision="day", milestone=milestone),
                     start=done.start(), end=done.end(), historical=False)


# A dateline opening a report: "Tokyo, March 13 (Jiji Press)--", "Oslo, September 18, 2025 —".
_DATELINE = re.compile(rf"^\s*(?:[a-z][\w.'’-]*\s+){{0,3}}?[a-z][\w.'’-]*,\s+(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})"
                       # a dateline ends in its agency or a dash ("Tokyo, March 13 (Jiji Press)--"); "Romania
                       # officially received, September 17, the first" is a sentence
                       rf"(?:,?\s+{_YEAR})?(?:\s*\([^)]{{1,40}}\)\s*(?:--|—|–|-|:)?|\s*(?:--|—|–|-|:))", _FOLDED)
# A date phrase opening a sentence on its own: "By April", "In 2026", "From mid-2027 onwards".
_FRONTED = re.compile(r"\W*(?:(?:by|in|from|until|before|on|within|during|over|starting|beginning|last|this|earlier\s+this)"
                      r"\s+(?:\S+\s*){1,4}|\S+\s+(?:months?|years?)\s+from\s+(?:today|now)\s*)", _FOLDED)
_BUILT = re.compile(r"\b(?:be|been|is|are|was|were)\s+(?:\w+\s+)?(?:completed|finished|built|constructed)\b|"
                    r"\bconstruct\w*", _FOLDED)
# "the remaining units will be completed by 2026": the order completed, which is a delivery.
_COMPLETES_ORDER = re.compile(r"\b(?:remaining|rest|all|entire|whole|order|contract|deal|balance|last|final)\b", _FOLDED)
# "to buy 400 missiles in fiscal 2025-2027", "obtain them from 2025 to 2027": buying over a span of years.
_ACQUIRED_OVER = re.compile(r"\b(?:buy|buying|acquir\w+|procur\w+|obtain\w*)\b", _FOLDED)


# "delivered last March 3": the March before, not the last unit.
_LAST_UNIT = rf"last(?!\s+(?:{_MONTH}|week|month|year)|\s*$)"
# What a date is the date of: the unit or stage the sentence names just before it.
_MILESTONE_CUES: tuple[tuple[Milestone, re.Pattern[str]], ...] = (
    (Milestone.LAST, re.compile(
        rf"\b(?:{_LAST_UNIT}|final|remaining|rest\s+of|balance|all(?!\s+(?:the\s+)?first)|entire|whole|full|complet\w+|"
        r"(?:fifth|sixth|\w+th)\s+and\s+(?:final|last)|end|ending|finish\w*|finali[sz]\w*|fulfil\w*|remainder|"
        r"conclud\w*(?!\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,2}?(?:deal|contract|agreement|pact)))\b", _FOLDED)),
    (Milestone.FIRST, re.compile(
        r"\b(?:first|1st|initial|maiden|lead|inaugural|earliest|"
        # "begin production of the batteries expected by 2030": production starts, not deliveries
        r"(?:begin|began|begun|start|started|commenc)\w*(?!\s+(?:the\s+)?(?:production|manufactur\w*|construction|"
        r"building|assembly|work|talks|negotiations?|training))|"
        r"(?:deliveries|delivery|supplies|shipments)\s+"
        r"(?:\w+\s+){0,2}?(?:begin|start|commence)\w*|(?:begin|start|commenc)\w*\s+(?:\w+\s+){0,2}?"
        r"(?:deliver\w*|suppl\w+|ship\w*|arriv\w+))\b", _FOLDED)),
    (Milestone.NEXT, re.compile(
        r"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|2nd|3rd|4th|5th|6th|next|another|"
        r"a\s+further|subsequent|following|one\s+more|two\s+more|(?:a|one|the)\s+(?:new\s+)?(?:batch|tranche|"
        r"consignment|shipment))\b", _FOLDED)),
)
# "were scheduled to begin in 2026 and end in 2028": the second date shares the first one's verb.
_SAME_PHRASE = re.compile(r"\s*(?:,\s*)?(?:and|or|then)\s+(?!(?:now|will|is|are|has|have)\b)(?:[\w-]+\s+){0,3}", _FOLDED)
_COMPLETES = re.compile(rf"\b(?:complet\w+|final|{_LAST_UNIT}|remaining)\b", _FOLDED)
_START_WORD = re.compile(r"\b(?:begin|start|commenc)", _FOLDED)
# Deliveries starting: "will begin in 2026", "from 2027 onwards", "starting 2028".
_CONTRACT_DUE_BEFORE = re.compile(r"\b(?:contract|deal|agreement)\s+(?:is\s+|was\s+)?(?:expected|due|set|slated|scheduled|"
                                  r"likely)\s+(?:to\s+be\s+(?:signed|finali[sz]ed|inked|awarded)\s+)?(?:by|in|before|around)\s+"
                                  r"(?:the\s+)?$", _FOLDED)
_UNDER_WAY_SINCE = re.compile(r"\b(?:under\s*way|ongoing|arriving|been\s+(?:delivered|delivering|arriving))\s+since\s+(?:the\s+)?$",
                              _FOLDED)
_AS_EARLY_AS = re.compile(r"\bas\s+early\s+as\s+$", _FOLDED)
_STARTS = re.compile(r"\b(?:begin\w*|start\w*|commenc\w+|kick\s+off|get\s+under\s*way|from|as\s+early\s+as)\s+"
                     r"(?:(?:in|from|by|around|during|as\s+early\s+as)\s+)?(?:the\s+)?$"
                     # "the earliest possible arrival of the first submarine would be 2032": from then on
                     r"|\bearliest\s+(?:possible\s+)?(?:arrival|delivery|handover|date)\b[^.;]{0,50}?\b(?:would|will|could|is|was)\s+"
                     r"(?:be\s+)?(?:in\s+)?$", _FOLDED)
# "within 24 months of the contract signed in October 2018": counted from the date the sentence gives.
_FROM_EVENT = re.compile(r"\s*(?:of|after|from|following)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:sign\w*|contract|deal|"
                         r"agreement|order|award\w*|approval|conclusion)\b[^.;]{0,25}?\b(?:in|on|of)\s+", _FOLDED)
# "from 2028-29 to 2031-32": a range, not a start.
_RANGE_END = re.compile(rf"\s*(?:-|–|to|till|until|through|and)\s+(?:the\s+)?(?=\d|(?:early|mid|late|end\s+of|fy|fiscal)\b|"
                        rf"{_MONTH}\s*,?\s*{_YEAR})", _FOLDED)     # "from September to November 2024"
# Entering service, not delivery: "full operating capability is expected in 2029".
_SERVICE = re.compile(r"\b(?:operating\s+(?:from|by|in)|operates?\s+(?:\w+\s+){0,2}?(?:from|by|in|until|through)|(?:resum|begin|start|commenc)\w*\s+(?:their\s+|its\s+)?operations?|operational(?!\s+(?:[\w-]+\s+){0,3}?(?:handover|hand-over|delivery|deliveries|fighters?|jets?|aircraft|squadrons?|units?|systems?|batter\w+|tanks?|howitzers?|vehicles?|ships?|helicopters?|drones?))|operationali[sz]\w+|enter\w*\s+(?:\w+\s+){0,2}service|in\s+service|"
                      r"(?:entry|entered|entering|come|came|go|went|put|brought)\s+into\s+service|integrated\s+into|"
                      r"ready(?!\s+for\s+(?:delivery|shipment|handover|dispatch))|readiness|"
                      r"service\s+entry|operat\w+\s+capability|ioc|foc|combat[\s-]ready|commission\w*)\b", _FOLDED)
# A part or a side job whose schedule is not the deal's: engines, radars, a ship's conversion.
_PART_DELIVERED = re.compile(r"\b(?:(?<!-)engines?|radars?|avionics|spares|spare\s+parts|components?|simulators?|"
                             r"hangars?|infrastructure|facilit(?:y|ies)|shelters?|storage|conversion|refit|training)\b",
                             _FOLDED)
# Nouns for the system itself: a clause naming one dates the system's delivery, not a part's.
_UNIT_NOUN = re.compile(r"\b(?:aircraft|jets?|fighters?|planes?|helicopters?|squadrons?|regiments?|batter(?:y|ies)|"
                        r"systems?|units?|tanks?|howitzers?|guns?|ships?|vessels?|submarines?|frigates?|corvettes?|destroyers?|missiles?|"
                        r"drones?|vehicles?|launchers?)\b", _FOLDED)
_JOINED = re.compile(r"\s*(?:,\s*)?(?:and|or|&|-|–)\s*(?:in\s+|by\s+)?", _FOLDED)
_MOVED_TO = re.compile(r"\s*(?:,\s*)?(?:(?:has|have|had)\s+(?:now\s+)?(?:been\s+)?(?:delayed|pushed\s+back|postponed|moved|shifted|"
                       r"deferred)\s+)?(?:until|till|to|into|and\s+(?:now|then)\s+(?:to|until))\s+(?:the\s+)?", _FOLDED)
_NOT_BEFORE = re.compile(r"\b(?:not|unlikely\s+to|no\s+earlier\s+than)\b[^.;]{0,30}?\bbefore\s+(?:the\s+)?(?:end\s+of\s+)?$|"
                         r"\bno\s+earlier\s+than\s+$", _FOLDED)
_RATE = re.compile(r"\b(?:monthly|per\s+month|a\s+month|each\s+month|every\s+month|annually|per\s+year|per\s+annum)\b",
                   _FOLDED)
_EVENT_NOUN = re.compile(r"['’]s\s+arrival\b|\b(?:summit|conference|visit|meeting|talks|exercises?|elections?|ceremony|parade|"
                         r"negotiations?|renegotiations?|conclusions?|contract\s+(?:completion|end|expiry)|"
                         r"report|audit|hearing|study|survey|review|anniversary|competition|tender|"
                         r"expo|exhibition|air\s+show|festival|session|interview|showcase|display|demonstration|unveiling)\b", _FOLDED)
# "will be delivered and operating by 2025": delivered by then, whatever else
_DELIVERED_AND = re.compile(r"\b(?:deliver\w*|handed\s+over|received|arriv\w+)\s+and\s+(?:fully\s+)?$", _FOLDED)
_DELIVERY_VERB = re.compile(r"\b(?:deliver\w*|hand\w*\s+over|arriv\w+|suppl\w+|receiv\w+|ship(?:ped|ping|ment|ments)|await\w*|landed|"
                            r"touch\w*\s+down|(?:be|arrive|land)\s+in\s+(?:the\s+)?country)\b", _FOLDED)


# "will transfer the corvette to the navy in a ceremony to be held in Kiel on November 11": the handover's day.
_HANDOVER_CEREMONY = re.compile(r"\b(?:hand\w*\s+over|transfer\w*|deliver\w*)\b[^.;]{0,80}?\b(?:in|at|during)\s+(?:a|the)\s+"
                                r"(?:[\w-]+\s+)?ceremony\b[^.;]{0,50}$", _FOLDED)


def _counted_from_given_start(match: re.Match[str], sentence: str, original: str,
                              published_on: date | None) -> Window | None:
    """A duration read from the start date the sentence gives after it, if it gives one.

    Without one it is read from the publication date (most such reports are
    published when the contract is signed).
    """
    start_at = _FROM_EVENT.match(sentence, match.end()) or _STARTING_AT.match(sentence, match.end())
    if start_at is None:
        return _counted_from_signing_before(match, sentence, original, published_on)
    for kind in ("day", "month", "year"):
        given = dict(_PATTERNS)[kind].match(sentence, start_at.end())
        if given is not None:
            base = _read(kind, given, published_on, original)
            if base is not None and base.earliest is not None:
                window = _read("within", match, base.earliest, sentence)
                if window is not None and window.latest is not None and start_at.re is _STARTING_AT:
                    # "over three years starting in 2026": 2026, 2027 and 2028
                    window = Window(earliest=window.earliest, latest=window.latest - timedelta(days=1),
                                    precision=window.precision)
                return window
    return None


_COUNT_OF_UNITS = re.compile(rf"(?<![\w.,$€£¥₹])(?P<n>\d{{1,3}}|{_COUNT_WORDS})"
                             rf"\s+(?:[\w-]+\s+){{0,3}}?{_UNIT_NOUN.pattern}", _FOLDED)
_ANY_NUMBER = re.compile(rf"(?<![\w.,])(?:\d+|{_COUNT_WORDS})(?![\w])", _FOLDED)
def _counted_from_signing_before(match: re.Match[str], sentence: str, original: str,
                                 published_on: date | None) -> Window | None:
    """"The deal was finalized in February and the drones are to be delivered within 32 months of the signing":
    the duration counted from the signing the sentence dated before it."""
    # "placed an order for 238 in November 2013, to be delivered over a ten year period": the period from the order
    # (but "within the next three years" counts from the report)
    if not _OF_THE_SIGNING.match(sentence, match.end()) and (match.group("next") or "next" in match.group()
                                                             or "coming" in match.group()):
        return None
    signed = None
    for signed in _SIGNED_ON.finditer(sentence, 0, match.start()):
        pass
    dated_deal = _dated_deal_before(sentence, match.start())
    if dated_deal is not None:
        start_at = dated_deal     # "The 11 June agreement stated that the jets would be delivered within 120 months"
    elif signed is None or (not _OF_THE_SIGNING.match(sentence, match.end())
                            and _FINITE_VERB.search(sentence, signed.end(), match.start())):
        return None     # "a fourth vessel, ordered in November, is due for delivery within three years": from now
    else:
        start_at = signed.end()
    for kind in ("day", "month", "year"):
        given = dict(_PATTERNS)[kind].match(sentence, start_at)
        if given is not None:
            base = _read(kind, given, published_on, original)
            if base is not None and base.earliest is not None:
                if published_on is not None and base.earliest > published_on and kind != "year":
                    base = _year_earlier(base)     # "finalized in February", reported in August: this February
                return _read("within", match, base.earliest, sentence)
    return None


_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|will|would|should|must|has|have)\b", _FOLDED)
# "the 11 June agreement", "the March 2025 contract": a deal named by the day it was made.
_THE_DATE_BEFORE = re.compile(r"\bthe\s+$", _FOLDED)
_DEAL_AFTER_DATE = re.compile(r",?\s+(?:[\w-]+\s+)?(?:agreement|contract|deal)\b", _FOLDED)


def _dated_deal_before(sentence: str, end: int) -> int | None:
    """Where the date of a deal named by its date ("the 11 June agreement") starts, before `end`."""
    for kind in ("day", "month", "year"):
        for given in dict(_PATTERNS)[kind].finditer(sentence, 0, end):
            if _THE_DATE_BEFORE.search(sentence, max(0, given.start() - 6), given.start()) and \
                    _DEAL_AFTER_DATE.match(sentence, given.end()):
                return given.start()
    return None
_OF_THE_SIGNING = re.compile(r"\s*(?:of|after|from|following)\s+(?:the\s+|its\s+)?(?:sign\w*|contract|deal|agreement|award)\b",
                             _FOLDED)
_SIGNED_ON = re.compile(r"\b(?:signed|finali[sz]ed|inked|sealed|concluded|awarded|placed\s+an\s+order|ordered)\s+"
                        r"(?:[\w-]+\s+){0,6}?(?:in|on)\s+", _FOLDED)
_STARTING_AT = re.compile(r"\s*,?\s*(?:starting|beginning|commencing|from)\s+(?:in\s+)?", _FOLDED)


_ORDINAL_NUMBERS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                    "ninth": 9, "tenth": 10, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6}
_ORDINAL = re.compile(r"\b(?:" + "|".join(_ORDINAL_NUMBERS) + r")\b", _FOLDED)


def _counts_whole_order(sentence: str, clause: str, order_size: int, dates: list[tuple[int, int]]) -> bool:
    """Does the clause count as many units as the order has ("received six launchers" of six), with no
    other number beside the dates ("two helicopters of a 24-chopper deal" is a batch)?"""
    numbers = [_number(m.group()) for m in _ANY_NUMBER.finditer(sentence) if not any(s <= m.start() < e for s, e in dates)]
    return all(n == order_size for n in numbers) and any(
        _number(m.group("n")) == order_size and not _GOES_ON.search(clause, max(0, m.start() - 12), m.start())
        for m in _COUNT_OF_UNITS.finditer(clause))


def _ordinal_before(sentence: str, start: int, taken: list[tuple[int, int]]) -> int | None:
    """The last ordinal written before the date, after any earlier date ("and the fifth in 2027" -> 5)."""
    since = max([0] + [e for s, e in taken if e <= start])
    found = [m.group() for m in _ORDINAL.finditer(sentence, since, start)]
    return _ORDINAL_NUMBERS[found[-1]] if found else None


def read_milestone(sentence: str, start: int, taken: list[tuple[int, int]]) -> tuple[Milestone | None, bool]:
    """What the date at `start` is for (the cue nearest before it, after any earlier date),
    and whether that cue says deliveries start ("begin arriving in mid-2027")."""
    since = max([0] + [e for s, e in taken if e <= start])
    before = sentence[since:start]
    best: tuple[int, Milestone, bool] | None = None
    for milestone, pattern in _MILESTONE_CUES:
        for match in pattern.finditer(before):
            if best is None or match.start() > best[0]:
                best = (match.start(), milestone, bool(_START_WORD.search(match.group())))
    if best is not None and best[1] is Milestone.NEXT and _COMPLETES.search(before):
        return Milestone.LAST, False    # "complete the delivery of the fifth regiment"
    return (best[1], best[2]) if best else (None, False)


def merge_windows(windows: list[Window]) -> Window:
    """One window covering every delivery a sentence or an article names."""
    latest = max((w.latest for w in windows if w.latest), default=None)
    earliest_values = [w.earliest for w in windows]
    earliest = None if any(e is None for e in earliest_values) else min(e for e in earliest_values if e)
    precision = max((w.precision for w in windows), key=lambda p: _RANKS.get(p, 0))
    return Window(earliest=earliest, latest=latest, precision=precision, milestone=windows[0].milestone)


# "pushed back to 2028 from 2026": the date it moved from, written after the new one.
_MOVED_TO_THEN_FROM = re.compile(r"\b(?:pushed\s+back|delayed|postponed|moved|shifted|deferred|slipped|put\s+off)\s+"
                                 r"(?:\w+\s+){0,3}?to\s+[^.;]{1,25}?\bfrom\s+(?:the\s+)?(?:original\s+|earlier\s+)?$", _FOLDED)


def _is_historical(sentence: str, clauses: list[tuple[int, int]], start: int, end: int,
                   taken: list[tuple[int, int]]) -> bool:
    """A superseded date: a marker between the previous date (or the clause start) and this one,
    or a "slipped"/"had to change" right after it."""
    clause_start, clause_end = clauses[_clause_index(clauses, start)]
    before_from = max([clause_start] + [e for s, e in taken if e <= start])
    after_to = min([clause_end] + [s for s, e in taken if s >= end])
    marker = _HISTORICAL.search(sentence, before_from, start)
    index = _clause_index(clauses, start)
    if marker is None and index == 1 and _PLAN_LEAD.match(sentence, *clauses[0]):
        marker = _HISTORICAL.search(sentence, *clauses[0])    # "According to the original plan, we would ..."
    if marker and _BACKSHIFTED.fullmatch(marker.group()) and _REPORTED_BEFORE.search(sentence, 0, marker.start()) \
            and not _EARLIER_AFTER.match(sentence, marker.end()) and not _AT_THE_TIME.search(sentence, 0, marker.start()):
        marker = None     # "told legislators that delivery was scheduled for 2024": the plan as reported now
    # "was due to receive the first in 2022, not early 2019 as earlier expected": the date after "not" is the
    # old plan, the one before it the current
    if _NOT_AS_EXPECTED.match(sentence, end):
        return False
    if _NOT_BEFORE_DATE.search(sentence, max(0, start - 8), start) and _AS_EXPECTED_AFTER.match(sentence, end):
        return True
    return bool(marker
                or _MOVED_TO_THEN_FROM.search(sentence, clause_start, start)
                or _HISTORICAL_AFTER.match(sentence, end, after_to)
                or _REPORTED_EARLIER.search(sentence, clause_start, start))


_COUNT_WORD_BEFORE = re.compile(r"\b(?:with|of|for|buy|supply|deliver)\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                                r"eleven|twelve)$", _FOLDED)


def _clause_spans(sentence: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for brk in _CLAUSE_BREAK.finditer(sentence):
        if brk.group() == "," and _COUNT_WORD_BEFORE.search(sentence, max(0, brk.start() - 12), brk.start()):
            continue    # "with three, upgraded frigates": a count and its description, one clause
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(sentence)))
    return spans


def _clause_index(clauses: list[tuple[int, int]], offset: int) -> int:
    for i, (s, e) in enumerate(clauses):
        if s <= offset < e or (offset == e and i == len(clauses) - 1):
            return i
    return len(clauses) - 1


def _clause_context(sentence: str, clauses: list[tuple[int, int]], offset: int) -> tuple[str, str]:
    """The date's clause, and where its delivery cue may be.

    A clause that is only a tail ("..., by August 2026", "... but will now
    come in 2027") also borrows the cue of the clause before it; whether the
    date is superseded is read from its own clause only.
    """
    i = _clause_index(clauses, offset)
    s, e = clauses[i]
    text = sentence[s:e]
    if i == 0 and len(clauses) > 1 and not _DELIVERY_CUE.search(text) and _FRONTED.fullmatch(text) and \
            _DELIVERY_VERB.search(sentence, *clauses[i + 1]):
        # "By April, the jets will be delivered": a date put first takes the cue of the clause it leads.
        ns, ne = clauses[i + 1]
        return text, sentence[s:ne]
    if i > 0 and not _DELIVERY_CUE.search(text) and (_TAIL.match(text) or _DATE_ONLY.fullmatch(text)):
        # Borrow from the nearest earlier clause that has a cue, past relative clauses
        # ("will deliver the two remaining squadrons, which played a role in May, by 2026-27").
        for j in range(i - 1, max(-1, i - 7), -1):   # brackets make short clauses: look a little further
            ps, pe = clauses[j]
            if _DELIVERY_CUE.search(sentence, ps, pe):
                return text, sentence[ps:e]
        ps, _ = clauses[i - 1]
        return text, sentence[ps:e]
    return text, text


def _is_other_event(sentence: str, clauses: list[tuple[int, int]], offset: int) -> bool:
    """The nearest event word before the date is a signing, a visit or similar, not a delivery."""
    index = _clause_index(clauses, offset)
    s, _ = clauses[index]
    if index > 0 and (_PARTICIPLE_START.match(sentence, s) or _DATE_ONLY.fullmatch(sentence, s, clauses[index][1])
                      or _RELATIVE_START.match(sentence, s)):
        s = clauses[index - 1][0]    # "the retirement of the F-5s, scheduled for 2030": the clause it qualifies
    elif index > 1 and sentence[:s].rstrip().endswith(")"):
        s = clauses[index - 2][0]    # "Initial Operating Capability (three aircraft) is targeted in 2028": before the bracket
    return _other_event_last(sentence[s:offset], sentence[s:_clause_end(clauses, offset)])


def _other_event_last(before: str, clause: str) -> bool:
    """Is the last event word before a date another event's than a delivery's? A clause whose only delivery cues
    are timetable words ("production is expected to begin in 2024") dates the other event."""
    last_other = max((m.end() for m in _OTHER_EVENT.finditer(before)), default=-1)
    if last_other < 0:
        return False
    cues = [m.group() for m in _DELIVERY_CUE.finditer(clause)]
    if cues and all(_TIMETABLE.fullmatch(cue) for cue in cues):
        return True
    return last_other > max((m.end() for m in _DELIVERY_CUE.finditer(before)), default=-1)


# "... the King's visit to Saudi Arabia, which begins Nov. 12": a relative clause dates what the clause before names.
_RELATIVE_START = re.compile(r"\s*(?:which|that|who)\b", _FOLDED)
# A clause that is only a day ("received today, September 17, the first"): an aside dating the clause before.
_DATE_ONLY = re.compile(rf"\s*(?:on\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)"
                        rf"(?:,?\s*{_YEAR}|\s+of\s+(?:this|last|next)\s+year)?\s*", _FOLDED)
_PARTICIPLE_START = re.compile(r"\s*(?:which\s+(?:is|are|was|were)\s+)?(?:scheduled|expected|due|slated|planned|set|targeted)\b",
                               _FOLDED)
_TIMETABLE = re.compile(r"schedul\w+|slated|expect\w*|await\w*|due|target\w*|planned|timelines?|deadline|anticipated|"
                        r"on track", _FOLDED)


def _leads_other_event(sentence: str, clauses: list[tuple[int, int]], offset: int) -> bool:
    """A date put first whose clause begins with another event before any delivery."""
    index = _clause_index(clauses, offset)
    if index != 0 or len(clauses) < 2 or not _FRONTED.fullmatch(sentence, *clauses[index]):
        return False
    led_start, led_end = clauses[index + 1]
    other = _OTHER_EVENT.search(sentence, led_start, led_end)
    delivery = _DELIVERY_VERB.search(sentence, led_start, led_end)
    if other is not None and delivery is not None and _REPORTING_THAT.fullmatch(sentence, other.start(), delivery.start()) \
            and not _A_DATE.search(sentence, delivery.end(), led_end):
        # "On 6 December 2022, Hanwha announced that they had delivered the first batch" (but "On May 26, DAPA
        # announced that it was going to deliver four Apaches on May 27": the delivery has its own day)
        return False
    return other is not None and (delivery is None or other.start() <= delivery.start())


# "construction is expected to be completed in 2027 before being handed over": built, then delivered
_HANDED_OVER_AFTER = re.compile(r"[^.;]{0,30}?\b(?:before|then|and)\s+(?:being\s+|be\s+)?(?:handed\s+over|delivered)\b",
                                _FOLDED)
_A_DATE = re.compile(rf"\b(?:{_MONTH}|{_YEAR})(?!\w)", _FOLDED)
_REPORTING_THAT = re.compile(r"(?:announced|said|reported|confirmed|stated)\s+that\s+(?:[\w-]+\s+){0,4}?", _FOLDED)


def _clause_end(clauses: list[tuple[int, int]], offset: int) -> int:
    return clauses[_clause_index(clauses, offset)][1]


def _shifted(before: Window | None, count: int, unit: str) -> Window | None:
    """The window `count` months or years after a delivery date written before ("two years thereafter")."""
    if before is None or count <= 0:
        return None
    base = before.latest or before.earliest     # after the window before ends, or starts
    if base is None:
        return None
    months = count * 12 if unit.lower().startswith("year") else count
    if before.precision == "year":
        year = _add_months(base, months).year
        return Window(earliest=date(year, 1, 1), latest=date(year, 12, 31), precision="year")
    first = _add_months(base.replace(day=1), months)
    return Window(earliest=first, latest=_month_end(first.year, first.month), precision="month")


def _year_earlier(window: Window) -> Window:
    def back(day: date | None) -> date | None:
        return None if day is None else _month_end(day.year - 1, day.month) if day == _month_end(
            day.year, day.month) else day.replace(year=day.year - 1)
    return replace(window, earliest=back(window.earliest), latest=back(window.latest))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _fy(ending_year: int, fiscal: FiscalYear = INDIAN_FISCAL_YEAR) -> Window:
    """The financial year that ends in `ending_year`."""
    if fiscal.first_month == 1:
        return Window(earliest=date(ending_year, 1, 1), latest=date(ending_year, 12, 31), precision="year")
    return Window(earliest=date(ending_year - 1, fiscal.first_month, 1),
                  latest=_month_end(ending_year, fiscal.first_month - 1), precision="year")


def _fy_named(label_year: int, fiscal: FiscalYear) -> Window:
    """"FY2026", "fiscal 2026": the year named by its start or by its end, as the buyer counts."""
    starts_later = fiscal.named_by_start and fiscal.first_month > 1
    return _fy(label_year + 1 if starts_later else label_year, fiscal)


def _number(word: str) -> int | None:
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _month_number(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _read(kind: str, match: re.Match[str], published_on: date | None, original: str,
          fiscal: FiscalYear = INDIAN_FISCAL_YEAR) -> Window | None:
    """The window a date expression stands for, or None when it is not one.

    `match` is on the folded sentence; `original` keeps the case a month name was written in.
    """
    g = match.groupdict()
    if kind == "fy_quarter":
        ending = _fy_quarter_year(g, fiscal)
        if ending is None:
            return None
        quarter = int(g["q"]) if g["q"] else _QUARTER_WORDS[g["qw"].lower()]
        # Q1 is the financial year's first three months (April-June in India), and so on.
        year_start = _fy(ending, fiscal).earliest or date(ending, 1, 1)
        quarter_start = _add_months(year_start, 3 * (quarter - 1))
        quarter_last = _add_months(quarter_start, 2)
        return Window(earliest=quarter_start, latest=_month_end(quarter_last.year, quarter_last.month),
                      precision="month")
    if kind == "fy_range":
        first_year, last_year = _fy_named(int(g["a"]), fiscal), _fy_named(int(g["b"]), fiscal)
        if not int(g["a"]) < int(g["b"]) <= int(g["a"]) + 10:
            return None
        if g["sep"] in {"-", "–"} and int(g["b"]) == int(g["a"]) + 1 and not fiscal.named_by_start:
            return None     # India's "fiscal 2026-2027" is one year: read by the "fy" pattern
        return Window(earliest=first_year.earliest, latest=last_year.latest, precision="year")
    if kind == "year_end":
        return _part_of_year("end", int(g["y"]))
    if kind == "decade":
        decade = int(g["dec"])
        part = (g["dpart"] or "").split(" ")[0]
        begins, ends = {"early": (0, 3), "mid": (3, 6), "late": (7, 9)}.get(part, (0, 9))
        return Window(earliest=date(decade + begins, 1, 1), latest=date(decade + ends, 12, 31), precision="year")
    if kind == "decade_end":
        if published_on is None:
            return None
        decade_last = published_on.year // 10 * 10 + 9
        return Window(earliest=None, latest=date(decade_last, 12, 31), precision="year")
    if kind == "year_end_rel":
        return None if published_on is None else _part_of_year("end", published_on.year)
    if kind == "fy":
        if g["a"]:
            start = int(g["a"])
            if g["b"]:
                end = int(g["b"]) if len(g["b"]) == 4 else start // 100 * 100 + int(g["b"])
                return _fy(end, fiscal) if end == start + 1 else None
            return _fy_named(start, fiscal)       # "FY2027", "fiscal 2027"
        if int(g["c"]) > 69:
            return None             # "FY99": a past century, not a delivery year
        if g["d"]:
            if int(g["d"]) != (int(g["c"]) + 1) % 100:
                return None
            return _fy(2000 + int(g["d"]), fiscal)
        return _fy_named(2000 + int(g["c"]), fiscal)
    if kind == "fy_pair":
        start = int(g["a"])
        if int(g["b"]) != (start + 1) % 100:
            return None
        return _fy(start + 1, fiscal if fiscal.first_month > 1 else INDIAN_FISCAL_YEAR)
    if kind == "year_range":
        a, b = int(g["a"]), int(g["b"])
        if len(g["b"]) == 2:
            b += a // 100 * 100          # "between 2025 and 30"
            if b == a + 1:
                return None              # "2025-26" is a financial year, read by its own pattern
        if not a < b <= a + 10:
            return None
        return Window(earliest=date(a, 1, 1), latest=date(b, 12, 31), precision="year")
    if kind == "day":
        month = _month_number(g["m"] or g["m2"])
        day_number = int(g["d"] or g["d2"])
        year_text = g["y"] or g["y2"]
        year: int | None
        if not year_text and g["dly"] and published_on is not None:
            year = published_on.year + {"last": -1, "this": 0, "next": 1}[g["dly"]]   # "on October 2 last year"
        else:
            year = int(year_text) if year_text else _next_year_of(month, published_on)
            if not year_text and published_on is not None and year == published_on.year + 1 and 1 <= day_number <= 28 \
                    and 0 < (published_on - date(published_on.year, month, day_number)).days <= 45:
                year = published_on.year     # "on May 27" in a report of June 7: the May just gone, not next year's
        if year is None or not 1 <= day_number <= calendar.monthrange(year, month)[1]:
            return None
        when = date(year, month, day_number)
        last_day = int(g["de"] or g["d2e"] or day_number)     # "on July 12-25": the days of the range
        if not day_number <= last_day <= calendar.monthrange(year, month)[1]:
            last_day = day_number
        return Window(earliest=when, latest=date(year, month, last_day), precision="day")
    if kind == "month":
        word = original[match.start("m"):match.end("m")]
        if not g["y"] and not g["rely"] and (word[0].islower() or (word.lower() == "may" and not (
                g["part"] or _MONTH_LEAD.search(match.string, 0, match.start())))):
            return None             # "may" is far more often the verb; "march" the noun
        month = _month_number(word)
        shared = None if g["y"] or g["rely"] else _SHARED_YEAR.match(match.string, match.end())
        if g["rely"]:
            if published_on is None:
                return None
            year = published_on.year + {"last": -1, "this": 0, "next": 1}[g["rely"]]
        else:
            if shared and shared.group("rely"):
                year = None if published_on is None else published_on.year + {"last": -1, "this": 0, "next": 1}[
                    shared.group("rely")]
            elif g["mrel"] == "last" and published_on is not None and not g["y"]:
                # "last April": its latest occurrence before the report
                year = published_on.year if month < published_on.month else published_on.year - 1
            elif g["mrel"] == "next" and published_on is not None and not g["y"]:
                # "next April": its next occurrence after the report's month
                year = published_on.year if month > published_on.month else published_on.year + 1
            else:
                year = int(g["y"]) if g["y"] else int(shared.group("y")) if shared else _next_year_of(month, published_on)
        if year is None:
            return None
        window = Window(earliest=date(year, month, 1), latest=_month_end(year, month), precision="month")
        return window
    if kind == "part":
        return _part_of_year(g["part"].lower(), int(g["y"]))
    if kind == "year":
        year = int(g["y"])
        return Window(earliest=date(year, 1, 1), latest=date(year, 12, 31), precision="year")
    if kind == "contract_year":
        if published_on is None:
            return None
        years = _ORDINAL_YEARS.index(g["nth"].lower())
        return Window(earliest=_add_months(published_on, 12 * years),
                      latest=_add_months(published_on, 12 * (years + 1)) - timedelta(days=1), precision="month")
    if kind == "within":
        if published_on is None:
            return None
        low, high = _number(g["a"]), _number(g["b"] or g["a"])
        if low is None or high is None or high < low:
            return None
        factor = 12 if g["u"].lower().startswith("year") else 1
        if g["prep"] == "in" and not g["next"] and not g["b"]:
            when = _add_months(published_on, low * factor)     # "in about four years": then, not by then
            return Window(earliest=when, latest=when, precision="month")
        earliest = _add_months(published_on, low * factor) if g["b"] else published_on
        return Window(earliest=earliest, latest=_add_months(published_on, high * factor), precision="month")
    if kind in {"following_year", "same_year", "thereafter"}:
        return Window(earliest=None, latest=None, precision="year")     # dated from the date before it, below
    if kind == "or_two":
        if published_on is None:
            return None
        factor = 12 if g["u"] == "year" else 1
        return Window(earliest=_add_months(published_on, factor),
                      latest=_add_months(published_on, factor * ("two", "three").index(g["b"]) + 2 * factor),
                      precision="month")
    if kind == "weekday":
        if published_on is None:
            return None
        back = (int(g["rd"] == "yesterday") if g["rd"] else
                (published_on.weekday() - _WEEKDAYS.index(g["wd"].lower())) % 7)
        when = published_on - timedelta(days=back)
        return Window(earliest=when, latest=when, precision="day")
    if kind == "from_today":
        count = _number(g["a"])
        if published_on is None or count is None:
            return None
        when = _add_months(published_on, count * (12 if g["u"].lower().startswith("year") else 1))
        return Window(earliest=when, latest=when, precision="month")
    if kind == "quarter_rel":
        if published_on is None:
            return None
        quarter = int(g["q"]) if g["q"] else ("first", "second", "third", "fourth", "last").index(g["qw"].lower()) % 4 + 1
        year = published_on.year + (1 if g["rel"].split()[-1] in ("next", "coming") else 0)
        if g["qh"] and g["qh"].lower() == "half":     # "in the second half of this year"
            return Window(earliest=date(year, 1 if quarter == 1 else 7, 1), latest=_month_end(year, 6 if quarter == 1 else 12),
                          precision="month")
        return Window(earliest=date(year, 3 * quarter - 2, 1), latest=_month_end(year, 3 * quarter), precision="month")
    if kind == "season_rel":
        if published_on is None:
            return None
        offset = {"this": 0, "next": 1, "last": -1}.get(g["rel"].split()[-1], 1)
        return _part_of_year(g["season"].lower(), published_on.year + offset)
    if kind == "relative":
        relative = _relative(g["rel"].lower(), g["u"].lower(), published_on, fiscal)
        if relative is not None and g["rpart"] and g["u"].lower() == "year" and relative.earliest is not None:
            return _part_of_year(re.sub(r"\s+", " ", g["rpart"].lower()), relative.earliest.year)   # "early next year"
        return relative
    return None


_EVENT_AFTER = re.compile(r"\s*(?:to|for)\s+(?:\w+\s+){0,2}?(?:transfer|pay|sign|conclude|finali[sz]e|approve|"
                          r"submit|negotiate)\w*\b", _FOLDED)
_FIRST_AFTER = re.compile(r"\s*,?[^.;,]{0,20}?\b(?:the\s+)?(?:first|initial|maiden)\b", _FOLDED)
# "received on Thursday the S-40 Riachuelo, the first submarine of the series": the unit named, then ranked.
_FIRST_APPOSED = re.compile(r"[^.;,]{0,50},\s+(?:the|its|their)\s+(?:first|maiden)\s+(?!of\b|time\b)", _FOLDED)
_LAST_AFTER = re.compile(r"\s*,?[^.;,]{0,20}?\bthe\s+(?:\w+\s+and\s+)?(?:last|final)\b|"
                         # "delivered its 100th howitzer in February 2021, completing all deliveries"
                         r"\s*,?\s*(?:completing|which\s+completed|finishing)\s+(?:all|the)\s+(?:\w+\s+)?deliver", _FOLDED)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


_ORDINAL_YEARS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _fy_quarter_year(g: dict[str, str | None], fiscal: FiscalYear) -> int | None:
    """The year a financial year ends in, from "FY26", "fiscal 2026", "FY2025-26" or "2025-26"."""
    if g["pa"] and g["pb"]:
        start = int(g["pa"])
        return start + 1 if int(g["pb"]) == (start + 1) % 100 else None
    if g["a"]:
        start = int(g["a"])
        if g["b"]:
            end = int(g["b"]) if len(g["b"]) == 4 else start // 100 * 100 + int(g["b"])
            return end if end == start + 1 else None
        return start + 1 if fiscal.named_by_start else start
    if g["c"] and int(g["c"]) <= 69:
        if g["d"]:
            return 2000 + int(g["d"]) if int(g["d"]) == (int(g["c"]) + 1) % 100 else None
        return 2000 + int(g["c"]) + (1 if fiscal.named_by_start else 0)
    return None


def _next_year_of(month: int, published_on: date | None) -> int | None:
    """A month written without a year: its next occurrence from the publication month."""
    if published_on is None:
        return None
    return published_on.year if month >= published_on.month else published_on.year + 1


def _part_of_year(part: str, year: int) -> Window:
    part = part.removeprefix("the ")
    months = {
        "early": (1, 4), "mid": (5, 8), "late": (9, 12), "end": (10, 12), "end of": (10, 12),
        "start of": (1, 3), "beginning of": (1, 3), "first half of": (1, 6), "h1": (1, 6),
        "second half of": (7, 12), "h2": (7, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12),
        "first quarter of": (1, 3), "second quarter of": (4, 6), "third quarter of": (7, 9),
        "fourth quarter of": (10, 12), "last quarter of": (10, 12),
        # Northern-hemisphere seasons, as the defence press writes them; winter is read as its
        # first months, December being the year's last.
        "spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 12),
    }
    first, last = months.get(part, (1, 12))
    return Window(earliest=date(year, first, 1), latest=_month_end(year, last), precision="month")


def _relative(rel: str, unit: str, published_on: date | None, fiscal: FiscalYear) -> Window | None:
    if published_on is None:
        return None
    offset = 1 if "next" in rel or "coming" in rel else -1 if rel == "last" else 0
    if "fiscal" in unit or "financial" in unit:
        starts = fiscal.first_month
        current_end = published_on.year + 1 if starts > 1 and published_on.month >= starts else published_on.year
        return _fy(current_end + offset, fiscal)
    if unit == "week":
        # "last week": Monday to Sunday of the week before the report's
        monday = published_on - timedelta(days=published_on.weekday() - 7 * offset)
        return Window(earliest=monday, latest=monday + timedelta(days=6), precision="day")
    if unit == "month":
        first = _add_months(published_on.replace(day=1), offset)
        return Window(earliest=first, latest=_month_end(first.year, first.month), precision="month")
    year = published_on.year + offset
    return Window(earliest=date(year, 1, 1), latest=date(year, 12, 31), precision="year")
