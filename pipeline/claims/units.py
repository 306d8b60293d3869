"""Numbers of units in news text: "five squadrons" ordered, "three have been delivered".

A count is ordered when its clause speaks of a deal or a purchase, delivered
when it says the units were received, delivered or inducted (in the past,
not "will be delivered"). An ordinal ("the fourth squadron") is a delivered
count only when the sentence says that unit arrived; "the fourth squadron is
expected by mid-2026" is a schedule, read elsewhere.

Besides the generic nouns below, a topic's own terms count as units when the
caller passes them ("six Apaches", "31 MQ-9B").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.claims.currency import currency_lexicon, fold_accents
from pipeline.claims.money import SEPARATE_AGREEMENT_OPENS, UNDER_TALKS
from pipeline.topics import fold
from pipeline.records import ClaimKind

# Every pattern here is written in lower case and matched against `fold(sentence)`
# (same offsets): case-insensitive matching of long word lists is several times slower.
_FOLDED = re.NOFLAG

_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_CARDINALS = {
    **{word: n for n, word in enumerate(_ONES, 1)},
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    # "thirty-two": tens and ones, as news writes counts under a hundred
    **{tens: 10 * t for t, tens in enumerate(_TENS, 2)},
    **{f"{tens}-{one}": 10 * t + n for t, tens in enumerate(_TENS, 2) for n, one in enumerate(_ONES, 1)},
    "a dozen": 12, "half a dozen": 6, "two dozen": 24, "three dozen": 36, "four dozen": 48,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
}
# Nouns that count the units of an arms deal (generic across deals).
UNIT_NOUNS = (r"squadrons?|regiments?|units?|systems?|batter(?:y|ies)|firing\s+units?|launchers?|missiles?|"
              r"interceptors?|jets?|aircraft|fighters?|warplanes?|helicopters?|ships?|vessels?|frigates?|submarines?|"
              r"tanks?|platforms?|sets?|drones?|uavs?|rpas?|boats?|corvettes?|destroyers?|howitzers?|guns?|"
              r"carriers?|trainers?|planes?|choppers?|copters?|rotorcraft|vehicles?|howitzers?|radars?|satellites?|aircrafts|craft|"
              r"airframes?|hulls?|examples")
_CARDINAL = r"\d{1,4}|" + "|".join(sorted(_CARDINALS, key=len, reverse=True))
_SMALL_CARDINAL = r"\d{1,3}|" + "|".join(sorted(_CARDINALS, key=len, reverse=True))     # not a year
# ("the 100th K9 Vajra" too)
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r"|\d{1,3}(?:st|nd|rd|th)"
# Up to eight words of description between the number and its noun
# ("five S-400 (SA-21 Growler) air defense missile system squadrons"), none a number.
_FILLER = (r"(?:(?!(?:" + _CARDINAL + r"|of|or|with|by|in|for|to|after|before|since|ago|than)\b(?!-[a-z]))"
           r"(?!(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)(?![\w-]))[\w()\-‘’'\"“”/.]+\s+|(?:block|drop|mk|mark|type|lot|phase|increment|tranche|version)\s+\d{1,3}[a-z]?\s+){0,8}?")

_DIGIT = re.compile(r"\d")
# "Rs 1 lakh crore Project 75I": a number with a money scale is an amount, never a count.
_AMOUNT_SCALE = r"lakh|lac|crore|cr|million|mn|billion|bn|trillion|tn|thousand|per\s*cent|percent"
# "155 mm howitzers", "40 km range": a measure, not a count.
_MEASURE = r"mm|cm|km|kg|kms|m|ft|feet|metres?|meters?|miles?|tons?|tonnes?|knots|mph|kph|kw|mw|hp|per\s*cent|percent|%|calibre|caliber"
# Words for one part of an order's deliveries or payments ("the first batch", "a tranche of six").
_BATCH_WORDS = r"batch|tranche|lot|consignment|shipment|instal+ment"
# A count that is a batch of deliveries, not the total delivered: "delivered another three tanks".
_BATCH_BEFORE = re.compile(r"\b(?:another|additional|more|further|a\s+(?:new\s+|further\s+|second\s+|third\s+)?"
                           r"(?:batch|tranche|consignment|shipment)\s+of|the\s+latest|latest)\s+$", _FOLDED)
# A total the count is brought to: "bringing total deliveries to 77", "boosting its fleet to 52".
_BROUGHT_TO = re.compile(r"\b(?:bring\w*|brought|boost\w*|increas\w*|rais\w*|tak(?:e|es|ing)|took|grow\w*|expand\w*|"
                         r"swell\w*|lift\w*)\b(?P<between>[^.;]{0,60}?)\bto\s+(?:around\s+|about\s+|some\s+|nearly\s+|"
                         r"more\s+than\s+|over\s+|almost\s+|just\s+over\s+)?$",
                         _FOLDED)
# What a fleet holds or will operate is not an order: "a fleet of 52", "will be operated".
_FLEET = re.compile(r"\b(?:fleet|inventory|operat\w+|in\s+service|has|have|possess\w*|a\s+total\s+of)\b", _FOLDED)
# A batch still to arrive: "is scheduled to receive 96 tanks", "the delivery of 116 tanks".
_TO_ARRIVE_BEFORE = re.compile(r"\b(?:receiv\w*|get|deliver(?:y|ies)\s+of|supply\s+of|shipment\s+of|arrival\s+of)\s+"
                               r"(?:the\s+|its\s+|a\s+further\s+|another\s+)?$", _FOLDED)
_TO_RECEIVE_BEFORE = re.compile(r"\b(?:receiv\w*|get|tak(?:e|es|ing)\s+delivery\s+of)\s+(?:the\s+|its\s+)?$", _FOLDED)
# "F-16 Block 70", "April 19", "Mk 2": a name or a day, not a count.
# Words before a count that make it no order: "between 16 and 24 aircraft", "16 to 24 jets" (a range);
# "holds orders for 220 jets", "the backlog is 20 planes" (a maker's book); "a requirement of 160" (what is
# needed); "upgrading six existing", "uses 17 older Chinooks" (not bought now); "each with 18" (per unit).
_NOT_AN_ORDER_BEFORE = re.compile(rf"\b(?:between\s+(?:{_CARDINAL})\s+and|(?<![\d.,])(?:{_SMALL_CARDINAL})\s*(?:to|-|–)|"
                                   r"(?:holds?|held|has|have|had)\s+(?:\w+\s+)?orders?\s+(?:for|of)|"
                                   r"order\s*book\s+(?:of|for|to)|backlog\s+(?:of|to)|backlog\b[^.;]{0,30}?\b(?:is|stands\s+at)|"
                                   r"requirements?\s+(?:of|for)|need\s+for|"
                                   r"(?:upgrad\w+|moderni[sz]\w+|refurbish\w+|overhaul\w*)(?:\s+(?:the|its|their))?"
                                   r"(?:\s+(?:current|existing|older|old))?|(?:currently\s+)?(?:uses|operates|flies|fields)|each\s+with|"
                                   r"(?:plans?|aims?|wants?|intends?)\s+to\s+(?:operate|field|fly|have))"
                                   r"\s*$", _FOLDED)
_NOT_A_COUNT_BEFORE = re.compile(r"\b(?:block|blk|mk|mark|type|model|version|variant|batch|lot|tranche|phase|series|drop|"
                                 r"no\.?|number|flight|increment|"
                                 r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                                 r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*[-–]?\s*$", _FOLDED)
_BUYING = re.compile(r"\b(?:deal|contract\w*|order\w*|procur\w+|purchas\w+|bought|buy\w*|acquir\w+|signed|inked|exercised|"
                     r"cost|costs|costing|worth|valued|price\s+tag|spend\w*|spent|invest\w*)\b",
                     _FOLDED)
# "the agreement stipulated that India would receive five squadrons": the order's size.
_ORDER_TERMS = re.compile(r"\b(?:stipulat\w+|under\s+the\s+(?:contract|deal|agreement)|(?:contract|deal|agreement)\b[^;]{0,60}?\b"
                          r"(?:calls|called|provides|provided)\s+for|(?:contract|deal|agreement|order|acquisition|purchase|package|procurement)\b[^;]{0,60}?\b"
                          r"(?:includes?|included|covers?|covered|comprises?|involves?)|(?:contract|deal|agreement|order)\s+"
                          r"(?:\w+\s+){0,7}?for\s+(?:the\s+)?(?:supply|delivery|purchase|procurement|acquisition)\s+of)\b",
                          _FOLDED)
_TO_ARRIVE_AFTER = re.compile(r"\s+(?:will|are\s+to|are\s+set\s+to|are\s+due\s+to|are\s+expected\s+to|should)\s+"
                              r"(?:arrive|be\s+delivered|be\s+handed\s+over|reach)\b", _FOLDED)
_ON_ORDER_AFTER = re.compile(r"\s+(?:are|were|is|was|remain)\s+(?:still\s+)?(?:on\s+order|ordered|contracted)\b", _FOLDED)
_REMAINING_AFTER = re.compile(r"\s+(?:remaining|outstanding|pending)\b", _FOLDED)
_PARTITIVE_START = re.compile(r"^\s*(?:of\s+(?:the|these|those|its|their)\b[^,;]{0,60},\s*)$", _FOLDED)
_SUPERSEDED_COUNT = re.compile(r"\b(?:instead\s+of|rather\s+than|down\s+from|up\s+from|from\s+an\s+initial|"
                               r"originally|initially|earlier)\s+(?:the\s+)?(?:planned\s+)?$"
                               # "initially planned to buy nine" (but "initially ordered 18, with another 6 added"
                               # is still the first order)
                               r"|\b(?:originally|initially)\s+(?:planned|intended|wanted|sought|aimed|expected)\s+"
                               r"(?:\w+\s+){0,3}?$"
                               # "the original order of five", "the original estimated cost for five aircraft"
                               r"|\b(?:the|its|their)\s+original\s+(?:[\w-]+\s+){0,2}?(?:order|plan|requirement|buy|purchase|"
                               r"contract|deal|cost|estimate|programme|program)\s+(?:of|for)\s+(?:a\s+total\s+of\s+)?$"
                               # "The original order was for 131 jets"
                               r"|\b(?:the|its|their)\s+(?:original|initial|earlier|previous|old)\s+(?:[\w-]+\s+){0,2}?(?:order|plan|"
                               r"requirement|buy|purchase)\s+(?:was|had\s+been|called)\s+(?:for\s+)?(?:a\s+total\s+of\s+)?$",
                               _FOLDED)
# "a total of five E-7s were originally ordered, but ... reduced to three": superseded, told after the count
# (not "initially ordered in 2015, with a contract update in 2021": when it was first ordered).
_SUPERSEDED_COUNT_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,4}?(?:were|was|had\s+been)\s+(?:originally|initially)\s+"
                                     r"(?:ordered|planned|sought|contracted|envisaged|intended|required)\b"
                                     r"[^.;]*?\b(?:reduc\w+|cut|trimm\w+|increas\w+|rais\w+|scal\w+|chang\w+|revis\w+|"
                                     r"instead|now)\b", _FOLDED)
_NUMBER_START = re.compile(rf"(?<![\w$₹.,-])(?:{_CARDINAL})(?=[\s-])", _FOLDED)
# "Canada will procure 14 of 16 Poseidons approved for sale": the order is the part bought.
_PURCHASE_VERB = r"buy|procure|purchase|order|acquire"
_BUYING_PART_OF = re.compile(rf"\b(?:{_PURCHASE_VERB})\s+(?:only\s+)?(?P<a>{_CARDINAL})\s+of\s+(?:the\s+)?"
                             rf"(?P<b>{_CARDINAL})\b", _FOLDED)
# "is to receive a total of 54 howitzers": the whole order, still to come.
_TOTAL_TO_COME_BEFORE = re.compile(r"\b(?:receive|get|acquire|obtain)\s+a\s+total\s+of\s+$"
                                   # "Embraer will complete delivery of 19 KC-390 jets by 2034": the whole order
                                   r"|\bcomplete\s+(?:the\s+)?deliver(?:y|ies)\s+of\s+(?:all\s+)?(?:the\s+)?$", _FOLDED)
_ORDINAL_WORD = re.compile(rf"\b(?:{_ORDINAL})\b", _FOLDED)
_AUXILIARY = re.compile(r"\b(?:have|has|had|were|was|are)\b")
_NUMBER_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(tuple(_CARDINALS) + tuple(w for w in _ORDINALS if w.isalpha()), key=len, reverse=True))
    + r")\b", _FOLDED)
# "three have already been handed over", "two of them were inducted".
_HAVE_BEEN = re.compile(
    rf"(?<![\w$₹.,-])(?P<n>{_CARDINAL})\s+(?:of\s+(?:them|these|those)\s+)?(?:have|has|had|were|was|are)\s+"
    r"(?:already\s+|so\s+far\s+|now\s+)?(?:been\s+)?(?:delivered|received|inducted|handed\s+over|supplied|"
    r"commissioned|operationali[sz]ed|deployed|arrived)\b",
    _FOLDED,
)
# A count without its noun right after buying or receiving, the sentence naming the units elsewhere:
# "South Korea has chosen Boeing's P-8 ... and reportedly will buy six", "received the first 11 last year".
_VERB_THEN_BARE_COUNT = re.compile(
    r"\b(?:(?P<buy>buy|buys|order|orders|ordered|purchase|purchases|purchased|acquire|acquires|procure|procures)|"
    r"(?P<got>received|receives|took\s+delivery\s+of|takes\s+delivery\s+of))\s+(?P<first>the\s+first\s+|all\s+)?"
    rf"(?P<n>{_CARDINAL})(?=\s*(?:[.,;)]|$)|\s+(?:last|this|next|so\s+far|to\s+date|in|on|by|from|between|of\s+them)\b)",
    _FOLDED,
)
# A bare count opens its clause: "..., three have been delivered", not "Project 75 have been".
_BARE_COUNT_BEFORE = re.compile(r"(?:^|[,;:(]\s*|\b(?:and|but|while|whereas|which|these|them|with|so\s+far|"
                                r"all|only|just|now)\s+)$", _FOLDED)
_BOUGHT_BEFORE = re.compile(r"\b(?:purchased|bought|ordered|procured|contracted\s+for)\s+(?:a\s+total\s+of\s+|all\s+)?$",
                            _FOLDED)
# "has received all six aircraft ordered": the whole order, delivered.
_RECEIVED_ALL_BEFORE = re.compile(r"\b(?:received|taken\s+delivery\s+of|took\s+delivery\s+of|delivered|handed\s+over)\s+"
                                  r"all\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?$", _FOLDED)
_PURCHASE_VERB_BEFORE = re.compile(rf"\b(?:{_PURCHASE_VERB})\s+(?:only\s+)?$", _FOLDED)
_FINAL_BEFORE = re.compile(r"\b(?:final|last)\s+$", _FOLDED)
_OF_THE = re.compile(rf"(?<![\w$₹.,-])(?P<a>{_CARDINAL})\s+(?:more\s+)?(?:out\s+)?of\s+(?:(?:the|its|all|[a-z]+['’]s|an?\s+(?:total|order)\s+(?:of|for)|"
                     rf"the\s+(?:total|order)\s+(?:of|for))\s+)?(?P<b>{_CARDINAL})\b"
                     # "the first three Rafale fighter aircraft out of 24", "the first two of 14"
                     rf"|\b(?:first|initial)\s+(?P<fa>{_CARDINAL})\s+(?:(?!of\b)[\w-]+\s+){{0,4}}?(?:out\s+)?of\s+"
                     rf"(?:a\s+total\s+of\s+)?(?P<fb>{_CARDINAL})\b"
                     # "taken delivery of the first of 18 jets": one
                     rf"|\bthe\s+(?P<one>first)\s+(?:out\s+)?of\s+(?:the\s+(?:[a-z.'’-]+\s+){{0,6}}?(?:\([^)]{{1,12}}\)\s+)?|a\s+total\s+of\s+|"
                     rf"at\s+least\s+)?(?P<ob>{_CARDINAL})\b"
                     # "the fifth of the six submarines arrived": five of six delivered
                     rf"|\bthe\s+(?P<na>{_ORDINAL})\s+of\s+(?:the\s+|its\s+|a\s+total\s+of\s+)?(?P<nb>{_CARDINAL})\b"
                     # "delivered the last of the six submarines": all of them
                     rf"|\b(?:last|final)\s+(?:one\s+)?of\s+(?:the|its|all)\s+(?:(?:remaining|planned|ordered)\s+)?"
                     rf"(?P<la>{_CARDINAL})\b", _FOLDED)


# "The INH Oz, the second of four corvettes built for the navy, was handed over": the verb after the apposition.
_APPOSITION_OPENS = re.compile(r",\s*(?:the\s+)?$", _FOLDED)
_APPOSITION_DELIVERED = re.compile(r"[^.;,]{0,80},(?:[^.;,]{1,60},)?\s*(?:was|were|has\s+been|have\s+been|had\s+been)\s+(?:\w+\s+)?"
                                   r"(?:delivered|handed\s+over|accepted|transferred|received)\b", _FOLDED)


# A purchase weighed, then made: "after negotiations that started in May, the contract for four frigates was signed".
_COMMITTED = re.compile(r"\b(?:signed|inked|sealed|awarded|placed|concluded|exercised)\b|\b(?:order|contract|deal)\s+for\s+$",
                        _FOLDED)


def _weighed(sentence: str, start: int, end: int) -> bool:
    """Do the words before a count (from `start` to `end`) weigh a purchase not yet made?"""
    cues = list(_PROPOSED.finditer(sentence, start, end))
    return bool(cues) and not _COMMITTED.search(sentence, cues[-1].end(), end) and not _EXERCISED.search(sentence)


_UNIT_NOUN = re.compile(rf"(?:{UNIT_NOUNS})", _FOLDED)


def _is_plural_unit(noun: str) -> bool:
    """"tanks", "jets", "batteries" (not "Hercules", a name that ends in s)."""
    word = noun.lower().split()[-1]
    singular = word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return word.endswith("s") and _UNIT_NOUN.fullmatch(singular) is not None


def _ordinal_number(word: str) -> int:
    """"fifth" -> 5, "100th" -> 100."""
    return _ORDINALS.get(word.lower()) or int(re.sub(r"\D", "", word))


@lru_cache(maxsize=64)
def _ordinal_unit(extra_units: str) -> re.Pattern[str]:
    """"the fifth and final C-130J", "the fifth and sixth Typhoons" (the later one counts), "the third battery"."""
    units = f"{UNIT_NOUNS}|{extra_units}" if extra_units else UNIT_NOUNS
    return re.compile(rf"\b(?:{_ORDINAL})\s+and\s+(?P<n>{_ORDINAL})\s+{_FILLER}(?P<u>{units})(?!\w)|"
                      # "The second of the Royal New Zealand Air Force's new P-8A Poseidon aircraft"
                      # ("the first time V-22s arrived": an occasion, not a unit)
                      rf"\b(?P<n1>{_ORDINAL})\s+(?!time\b)(?:and\s+final\s+|and\s+last\s+|of\s+(?:the|its|their)\s+)?{_FILLER}"
                      rf"(?P<u1>{units})(?!\w)", _FOLDED)



_DELIVERED = re.compile(
    r"\b(?:taken\s+delivery|took\s+delivery|completed\s+(?:the\s+)?deliver\w*|"
    # "confirmed the delivery of an initial tranche of 24", "24 new F-35As have joined the Air Force"
    r"(?:confirmed|announced|marked|celebrated)\s+the\s+delivery\s+of|"
    r"(?:has|have|had)\s+joined\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:air\s+force|navy|army|fleet)|"
    r"deliver(?:y|ies)\b[^.;]{0,40}?\b(?:were|was|have\s+been|has\s+been)\s+completed|"
    # "received the first down payment of the contract for 80 Rafales": money, not aircraft
    r"received(?!\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:(?:down\s+)?payments?|advance|orders?|offers?|approval|bids?|"
    r"letters?|requests?|funding|funds|contracts?))|delivered|inducted|operationali[sz]ed|deployed|arrived|"
    r"arrival\s+of|handed\s+over|flagged\s+off|"
    r"accepted|commissioned|supplied|docked\s+(?:at|in)|touched\s+down|landed\s+(?:at|in)|"
    # "the first six F-16s reached the country on Dec. 5"
    r"reached\s+(?:the\s+|its\s+|their\s+)?(?:[\w'’-]+\s+)?(?:country|shores|homeland|base|air\s*base|port)|transferred(?=\s+to\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:navy|army|air\s+force|military)\b))\b",
    _FOLDED,
)
_NOT_YET = re.compile(
    r"\b(?:will|would|shall|should|to\s+be|expect\w*|scheduled|slated|due|remaining|rest|pending|yet\s+to|"
    r"planned|plans?|planning|aims?|intends?|set\s+to|likely|could|(?<!in\s)(?<!of\s)(?<!early\s)(?<!late\s)(?<!mid-)may(?!\s+\d)|might|by\s+(?:the\s+end|mid|early|late|\d{4})|"
    r"next|awaited)\b",
    _FOLDED,
)
# A count the sentence gives as still to come is not the size of an order.
_NOT_YET_COUNT = re.compile(r"\b(?:remaining|rest|pending|yet\s+to|more\s+than|at\s+least|require[sd]?|requirements?|"
                            r"need\w*)\b",
                            _FOLDED)
_ORDERED = re.compile(
    r"\b(?:deal|contract\w*|agreement|order\w*|procur\w+|purchas\w+|bought|buy\w*|acquir\w+|acquisition|"
    r"signed|inked|sign|approv\w+|cleared|worth|total\s+of|comprising|covers?|pa(?:y|id)\s+(?:\S+\s+){0,4}?for|exercised|"
    r"price\s+tag|cost|costs|costing|valued|budget\s+for|sale\s+of|sell|sells|selling|supply\s+of|"
    # a yard picked or contracted "to build four frigates": the ships ordered
    r"(?:to|will|would|shall)\s+(?:build|construct)|building|construction\s+of|"
    # "Embraer was selected by the government to produce six aircraft"
    r"(?:selected|chosen|picked|contracted|tapped)\s+(?:by\s+[^.;]{1,40}?\s+)?to\s+(?:produce|supply|build|deliver|provide|manufacture)|"
    # "the preferred bidder, providing 129 Redback IFVs to the Army": what the maker is to supply
    r"(?:to|will|would|shall)\s+(?:supply|provide)|providing|supplying|"
    r"(?:invest\w*|spend\w*|spent)\s+(?:\S+\s+){0,4}?(?:for|on|to\s+(?:buy|acquire|procure|purchase)))\b",
    _FOLDED,
)
# A number that names a part of the deal, not its size: "the remaining two".
_PART_BEFORE = re.compile(r"\b(?:remaining|final|last|other|first|next|rest\s+of\s+the|each|every|comprising|one\s+of)\s+$",
                          _FOLDED)
# "receive two more squadrons", "deliveries of the 97 additional jets": the rest
# of an order arriving, not a new order.
_RECEIVING_BEFORE = re.compile(
    r"\b(?:receiv\w*|get\w*|got|deliver\w*|suppl\w+|arriv\w*|induct\w*|hand\w*\s+over|expect\w*|await\w*)"
    r"(?:\s+of)?\s+(?:(?:the|its|all|another|a\s+further)\s+)?$",
    _FOLDED,
)
# "a contract to supply 24 more", "signed a deal to buy": what a contract provides is an order.
_CONTRACTED_TO_BEFORE = re.compile(r"\b(?:deal|contract|agreement|order)\s+(?:\w+\s+){0,2}?to\s+(?:supply|deliver|provide|"
                                   r"buy|acquire|procure|purchase|build)\s+(?:up\s+to\s+|a\s+further\s+|another\s+)?$"
                                   # "Project Hoefyster, for the supply of 243 vehicles": what the project buys
                                   r"|\b(?:for|involv\w+|cover\w*|provid\w+\s+for|entail\w*|encompass\w*|includ\w+|compris\w+)"
                                   r"\s+the\s+supply\s+of\s+(?:up\s+to\s+|a\s+total\s+of\s+)?$"
                                   # "the contract on the delivery of six submarines": what it provides
                                   r"|\b(?:deal|contract|agreement)\s+(?:on|for)\s+the\s+(?:delivery|supply|purchase|procurement)\s+of\s+"
                                   r"(?:up\s+to\s+)?$"
                                   # "the contract covers the design, ... production, and delivery of 25 new jets"
                                   r"|\b(?:contract|deal|agreement)\s+(?:covers|covered|provides\s+for|includes|included)\s+"
                                   r"(?:the\s+)?[^.;]{0,80}?\b(?:delivery|supply)\s+of\s+(?:up\s+to\s+)?$"
                                   # "an agreement ... for the construction and delivery of two frigates"
                                   r"|\bfor\s+the\s+(?:construction|design|manufactur\w+|production|purchase|acquisition)\s+and\s+"
                                   r"(?:delivery|supply)\s+of\s+(?:up\s+to\s+)?$",
                                   _FOLDED)
# Wanting or weighing more units: "five more squadrons" is then an order under discussion.
_INTENT = re.compile(r"\b(?:seek\w*|want\w*|plan(?:s|ned|ning)?|consider\w*|contemplat\w+|talks|negotiat\w+|mull\w*|"
                     r"weigh\w*|propos\w+|offer\w*|request\w*|pitch\w*|push\w*\s+for)\b", _FOLDED)
# A purchase still weighed or offered: "considering the acquisition of six more", "negotiations are
# underway for another 26", "approached the navy with a repeat order for three" (a government proposing
# to buy is labelled an order by analysts; a letter of offer and acceptance is signed).
_PROPOSED = re.compile(r"\b(?:letters?\s+of\s+intent|cancel\w*|scrap(?:s|ped|ping)|abandon\w*|consider\w*|contemplat\w+|mull\w*|weigh\w*|explor\w+|negotiat\w+|talks|funding\s+request|"
                       r"expects?\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?to\s+(?:order|buy|acquire)|"
                       # "KAI also expects to win a deal to provide another 18": a maker's hope
                       r"(?:expects?|expected|hopes?|hoping|aims?|seeks?)\s+to\s+win|"
                       r"options?\s+(?:to|for)\s+(?:buy|acquire|purchase|order|procure)?|"
                       r"(?:in|under)\s+discussion|approach\w*\s+[^.;]{0,40}?\bwith|(?<!letter\sof\s)offer(?:s|ed)?\b"
                       r"(?!\s+and\s+acceptance))\b", _FOLDED)
# An option's units are not ordered: "an option to buy a further 18", "an option for Morocco to order 12 additional"
# (until "exercised").
_OPTION_BEFORE = re.compile(r"\boptions?\s+(?:(?:to|for)\s+(?:[\w-]+\s+){0,3}?(?:to\s+)?(?:buy|acquire|purchase|order|procure|"
                            r"add)\s+|for\s+|on\s+)(?:an?\s+|up\s+to\s+)?(?:further\s+|additional\s+|more\s+|another\s+)?$",
                            _FOLDED)
_COMPONENT_NOUN_AFTER = re.compile(r"\s+(?:hangars?|hangers?|shelters?|engines?|simulators?|spares|parts|bays|sheds|"
                                   r"maintenance|training|support|infrastructure|"
                                   # "two vehicle types": kinds, not units
                                   r"types|kinds|variants|versions|models|classes|configurations)\b", _FOLDED)
_SUPPORTED_FLEET_BEFORE = re.compile(r"\b(?:support\w*|maintenance|maintain\w*|upgrad\w*|sustain\w*|overhaul\w*)\b[^.;]{0,50}?"
                                     r"\bfleet\s+of\s+$", _FOLDED)
_EXERCISED = re.compile(r"\b(?:has|have|had|was|were)?\s*exercised\b", _FOLDED)
# "the 66 jets", "all 66 jets": a count with a definite determiner is the order the article already speaks of.
_DEFINITE_BEFORE = re.compile(r"\b(?:the|all|all\s+(?:of\s+)?(?:the|its|their)|its|their)\s+$", _FOLDED)
# "The six jets are part of the 12 FA-50s": a part named first.
_PART_OF_AFTER = re.compile(r"\s+(?:\w+\s+){0,3}?(?:(?:are|were|is|was|form|forms|make\s+up)\s+(?:\w+\s+)?(?:part|among|the\s+first|"
                            r"the\s+last|a\s+portion|a\s+share)|represent\w*|constitut\w+|account\s+for)\b", _FOLDED)
# Leased units are not bought: "one of the two drones the Navy had taken on lease".
_LEASED = re.compile(r"\b(?:leas(?:e|es|ed|ing)|on\s+lease|rent\w*|loan(?:ed)?\s+(?:from|by))\b", _FOLDED)
# "the latest batch adds another 18", "the first tranche of six": a part of the order.
_BATCH_IN_CLAUSE = re.compile(rf"\b(?:{_BATCH_WORDS}|phase)\b", _FOLDED)
# "the first of 36 Gripens", "Of the 31 drones, 15 ...": the whole the part is taken from.
_WHOLE_OF_BEFORE = re.compile(r"(?:\b(?:first|last|rest|remainder|balance|final|initial)\s+"
                              rf"(?:(?!{_BATCH_WORDS}|pair|group|phase|delivery)\w+\s+)?of\s+"
                              r"(?:the\s+|its\s+|all\s+|a\s+total\s+of\s+|at\s+least\s+)?|^\W*of\s+(?:the|its|all)\s+)$", _FOLDED)
_ORDER_CONTEXT = re.compile(r"\b(?:deal|contract\w*|agreement|order\w*|procur\w+|purchas\w+|bought|buy\w*|acquir\w+|"
                            r"acquisition|cost|costs|costing|worth|valued|price\s+tag|budget)\b", _FOLDED)
# "deliveries of the 66 jets", "for all 66 jets to arrive": the whole order arriving, not a batch.
_WHOLE_DELIVERY_BEFORE = re.compile(r"\b(?:(?:deliver(?:y|ies)|arrival|induction)\s+of\s+(?:all\s+)?(?:the|its)|all)\s+$",
                                    _FOLDED)
# "buy 88 of these jets", "ordered 27 of the fighters": a partitive after a purchase verb is the order's size.
_BOUGHT_OF_THESE = re.compile(
    rf"\b(?:buy|buys|buying|bought|order|orders|ordered|ordering|purchas\w+|acqui\w+|procur\w+)\s+(?:of\s+)?"
    rf"(?:only\s+|just\s+|all\s+)?(?P<n>{_CARDINAL})\s+of\s+(?:(?:these|those|the|its|their)\s+)?{_FILLER}(?P<u>{UNIT_NOUNS})\b",
    _FOLDED)
_CLAUSE_BREAK = re.compile(r"[;:()]|,\s|\bbut\b|\bwhile\b|\bwhereas\b|\b(?:al)?though\b|\band\s+(?=the\b)")


def _told_delivered(sentence: str, start: int) -> bool:
    """Does the count's clause, or a verb just before it across an aside ("received, on Wednesday, a first
    batch of six"), say the units were delivered?"""
    clause = _clause(sentence, start)
    if _DELIVERED.search(clause):
        return not _NOT_YET.search(clause)
    verbs = list(_DELIVERED.finditer(sentence, max(0, start - 60), start))
    return bool(verbs) and not re.search(r"[.;:]", sentence[verbs[-1].end():start]) and not _NOT_YET.search(
        sentence, max(0, verbs[-1].start() - 30), start)


@dataclass(frozen=True)
class CountMatch:
    """A number of units found in a sentence, with its span and kind."""

    kind: ClaimKind
    count: int
    start: int
    end: int
    historical: bool = False      # "30 instead of 36 jets": the 36 is superseded
    proposed: bool = False        # "considering six more": a purchase weighed, not yet made


@lru_cache(maxsize=64)
def _count_pattern(extra_units: str) -> re.Pattern[str]:
    units = f"{UNIT_NOUNS}|{extra_units}" if extra_units else UNIT_NOUNS
    return re.compile(
        # ("24 M-346 jets": a letter before a hyphenated number is a model, not 24 metres)
        # ("8×8 vehicles", "6x6 trucks": a wheel layout, not a count)
        rf"(?<![\w$₹.,/×-])(?P<n>{_CARDINAL})(?![×x]\d)(?!\s*(?:{_AMOUNT_SCALE}|{_MEASURE})\b(?![-‑]\w))(?:(?![\w.,%-])\s+|[-‑](?=(?:{units})\b))"
        rf"(?P<more>more\s+|additional\s+|new\s+)?{_FILLER}(?P<u>{units})(?![\w]|-\w)"
        # "two submarine deals": deals counted, not submarines
        rf"(?!(?:\s+[\w-]+)?\s+(?:deals?|contracts?|projects?|programmes?|programs?|tenders?|agreements?)\b)",
        _FOLDED,
    )


# "This shipment increased the total number of K2 tanks in Poland to 31": a delivered total without its noun.
_TOTAL_BROUGHT_TO = re.compile(
    r"\b(?:bring\w*|brought|increas\w*|rais\w*|took|tak(?:e|es|ing)|push\w*|lift\w*)\s+(?:the\s+|its\s+|their\s+)?"
    r"(?:total|number|tally|count|fleet|inventory)\b[^.;]{0,90}?\bto\s+(?P<n>\d{1,4}|" + "|".join(_CARDINALS) + r")\b"
    r"(?!\s*(?:%|per\s*cent|percent|" + _AMOUNT_SCALE
    + r")\b)(?![.,]\d)", _FOLDED)
# "the number of repatriated F-35s", "the number of jets based at home": where some are, not how many were delivered.
_WHERE_HELD = re.compile(r"\b(?:repatriat\w+|stationed|based|home|operational|in\s+service|deployed)\b", _FOLDED)
_DELIVERY_NEWS = re.compile(r"\b(?:deliver\w*|shipment|consignment|batch|handed\s+over|arriv\w+|received)\b", _FOLDED)


# "to replace its ageing fleet of 85 Tornado jets": what the order replaces.
_REPLACED_BEFORE = re.compile(r"\breplac\w*\s+(?:its\s+|their\s+|the\s+)?(?:[\w-]+\s+){0,3}?(?:fleet\s+of\s+)?$", _FOLDED)
_IN_SERVICE = re.compile(r"\b(?:enter\w*\s+service|in\s+service|into\s+service|operational)\b", _FOLDED)
# "replacing its ageing Hornets with 64 of the Lockheed Martin aircraft": what replaces them is ordered.
_REPLACING_WITH = re.compile(rf"\breplac\w+\b[^.;]{{0,80}}?\bwith\s+(?P<n>{_CARDINAL})\s+(?:of\s+(?:the|these)\s+)?"
                             rf"{_FILLER}(?:{UNIT_NOUNS})\b", _FOLDED)
_ACQUIRED_BEFORE = re.compile(r"\b(?:acquired|purchased|purchasing|bought|received|receiving)\s+(?:a\s+total\s+of\s+)?$",
                              _FOLDED)
_OVER_PAST_YEARS_AFTER = re.compile(r"[^.;]{0,40}?\bfrom\s+(?:19|20)\d\d\s*(?:to|through|until|-|–)\s*(?:19|20)\d\d\b", _FOLDED)
_DELIVERY_WORD = re.compile(r"\b(?:deliver\w*|arriv\w+|suppl(?:y|ied|ying)|receiv\w+|handed\s+over|inducted)\b", _FOLDED)
# "96 AH-64E copters Poland ordered in August 2024": the order named after its count.
_ORDERED_AFTER = re.compile(r"\s+(?:that|which)?\s*(?:[\w-]+\s+){0,3}?(?:has\s+|had\s+|have\s+)?(?:ordered|bought|purchased|acquired|"
                            r"contracted|signed\s+for)\b", _FOLDED)
# "Slovakia now has five of the 14 aircraft ordered": what it holds of the order has been delivered.
_HOLDS_NOW_BEFORE = re.compile(r"\b(?:now\s+)?(?:has|have|possess\w*)\s+(?:received\s+)?$", _FOLDED)
# "the first two F-16s", "a first batch of six helicopters": all delivered so far, when delivered.
_FIRST_BEFORE = re.compile(rf"\b(?:the\s+)?(?:first|initial)\s+(?:(?:{_BATCH_WORDS})\s+of\s+)?$", _FOLDED)
_RESTATED = re.compile(r"(?:\s*[\w-]+){0,2}?\s*(?:\(|,|–|—|-|for|or|i\.e\.)\s*(?:some\s+|about\s+)?", _FOLDED)
_SEPARATE_DEAL = re.compile(r"\b(?:separate|another|different|earlier|previous|older)\s+(?:but\s+related\s+)?(?:\w+\s+)?"
                            r"(?:deal|contract|order|agreement)\b",
                            _FOLDED)
_HOLDS_BEFORE = re.compile(r"\b(?:possess(?:es)?|now\s+(?:has|have))\s+"
                           r"(?:a\s+total\s+of\s+|some\s+|about\s+)?$", _FOLDED)
_HAS_BEFORE = re.compile(r"\b(?:now\s+)?(?:has|have)\s+(?:a\s+total\s+of\s+)?$", _FOLDED)
_IN_INVENTORY_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?in\s+(?:its|their|the)\s+(?:\w+\s+)?(?:inventory|arsenal|possession)\b", _FOLDED)
_BATCH_OF_BEFORE = re.compile(rf"\b(?:{_BATCH_WORDS})\s+of\s+$", _FOLDED)
# "signed a contract worth ... to manufacture an initial batch of 20": an order placed batch by batch.
_CONTRACTED_BATCH_BEFORE = re.compile(r"\b(?:contract\w*|deal|agreement|signed|award\w*)\b(?:[^.;]|\.(?=\d)){0,100}?\b(?:to\s+(?:build|manufacture|"
                                      r"produce|make|supply|buy|procure|acquire)|for)\s+(?:an?\s+|the\s+)?(?:initial|first)\s+"
                                      r"(?:batch|tranche|lot)\s+of\s+$", _FOLDED)
_DEAL_NOUN_AFTER = re.compile(r"\s+(?:(?!of\b)[\w-]+\s+){0,2}?(?:order|contract|deal|agreement|purchase|batch|tranche|phase|program|"
                              r"programme|project)\b",
                              _FOLDED)
_HEAD_NOUN_AFTER = re.compile(rf"\s+(?P<u>{UNIT_NOUNS})(?![\w-])", _FOLDED)     # (not "submarine-hunting")
_ALREADY_HELD_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:that\s+|which\s+)?(?:it|they|the\s+[\w-]+)\s+(?:already\s+|currently\s+)"
                                 r"(?:has|have|operates?|owns?|flies|fly)\b", _FOLDED)
# "15 SeaGuardians for the Navy, and eight each ...": a share of one order by service.
_SHARE_AFTER = re.compile(r"[^.;]{0,40}?\bfor\s+the\s+(?:indian\s+|royal\s+)?(?:navy|army|air\s+force|marines?|coast\s+guard)\b"
                          r"[^.;]{0,40}?\b(?:and|while)\b[^.;]{0,40}?\beach\b", _FOLDED)
# A model designation ("F-15EX", "Su-35", "AS10") in a count's description.
# A count, then a model's letters, just before a number: "two ATR 72 MPA aircraft", "four C 130 planes".
_COUNTED_DESIGNATION_BEFORE = re.compile(rf"(?i:\b(?:\d{{1,3}}|{_CARDINAL}))\s+[A-Z]{{1,5}}\s+$")
_MODEL = re.compile(r"\b(?:[a-z]{1,4}-?\d{1,3}[a-z0-9]{0,4}|\d[a-z]\d{1,2})\b", _FOLDED)     # also "2A4"


# Designations that are not equipment: financial years, quarters, halves, a pandemic, a summit.
_NOT_A_MODEL = re.compile(r"(?:fy|q|h|covid|g)-?\d", _FOLDED)


# "to replace its ageing F/A-18 Hornets": the model the purchase replaces, not another purchase (but what
# replaces it "with" is).
_REPLACED_MODEL_BEFORE = re.compile(r"\b(?:replac\w*|retir\w*|succeed\w*|ageing|aging|old|older|existing|current|"
                                    r"legacy|outdated|obsolete)\b(?:(?!\bwith\b)[^.;]){0,40}$", _FOLDED)


def names_other_model(sentence: str, extra_units: str) -> bool:
    """Does the sentence name an equipment model ("P-8", "LCA Mk-1A", "F-35") that none of the topic's terms is,
    other than one the purchase replaces?"""
    folded = fold(sentence)
    return _names_other_model(" ".join(
        m.group() for m in _MODEL.finditer(folded)
        if not _NOT_A_MODEL.match(m.group()) and not _AMOUNT_AFTER.match(folded, m.end())
        and not _REPLACED_MODEL_BEFORE.search(folded, max(0, m.start() - 60), m.start())
        and (_PLATFORM_AFTER.match(folded, m.end()) or _COUNT_BEFORE.search(folded, max(0, m.start() - 20), m.start()))),
        extra_units)


# "EUR2.7 billion", "USD700 million": a currency code before an amount, not a model.
_AMOUNT_AFTER = re.compile(rf"[.,]\d|\s*(?:{_AMOUNT_SCALE})\b", _FOLDED)
# A model of a platform: counted ("97 more Mk-1As") or named with its kind ("P-8 Poseidon aircraft").
_PLATFORM_AFTER = re.compile(rf"(?:s|\)?\s+(?:[\w-]+\s+){{0,2}}?(?:{UNIT_NOUNS}))\b", _FOLDED)
_COUNT_BEFORE = re.compile(rf"\b(?:{_CARDINAL})\s+(?:more\s+|additional\s+|new\s+)?(?:[\w-]+\s+)?(?:\()?$", _FOLDED)


def names_other_models_deal(words: str, extra_units: str) -> bool:
    """Do the words just before an amount name another model's deal ("the proposed AH-1Z contract, which was
    valued at"), with none of the topic's terms after it?"""
    folded = fold(words)
    last = None
    for last in _MODEL_DEAL.finditer(folded):
        pass
    if last is None or _NOT_A_MODEL.match(last.group("m")) or not _names_other_model(last.group("m"), extra_units):
        return False
    return not (extra_units and _terms_pattern(extra_units).search(folded, last.end()))


_MODEL_DEAL = re.compile(r"\b(?P<m>[a-z]{1,4}-?\d{1,3}[a-z0-9]{0,4})\s+(?:[\w-]+\s+)?(?:contract|deal|order|programme|program|"
                         r"purchase|sale|acquisition|buy)\b", _FOLDED)


def names_other_counted_model(words: str, extra_units: str) -> bool:
    """Do the words just before an amount count another model in their own phrase ("... and two ATR 72 MPA
    aircraft worth"), with none of the topic's terms?"""
    phrase = _LAST_PHRASE.split(words)[-1]
    counted = None
    for counted in _COUNTED_MODEL.finditer(phrase):
        pass
    if counted is None or (extra_units and _terms_pattern(extra_units).search(fold(phrase))):
        return False
    description = counted.group("d")
    # "ATR 72" is a model as "F-16" is: its letters and number joined
    joined = _SPACED_DESIGNATION.sub(lambda m: m.group(1) + m.group(2), description)
    return _names_other_model(fold(joined), extra_units) or _names_other_brand(description, counted.group("u"), extra_units)


_SPACED_DESIGNATION = re.compile(r"\b([A-Z]{1,4})\s+(\d{1,3})\b")
_LAST_PHRASE = re.compile(r"[;,(]|\band\b|\bwhile\b|\bbut\b|\bplus\b|\bas\s+well\s+as\b")
_COUNTED_MODEL = re.compile(rf"(?i:\b(?:\d{{1,3}}|{_CARDINAL}))\s+(?P<d>(?:[\w-]+\s+){{1,4}}?)(?P<u>(?i:{UNIT_NOUNS}))\b")


def names_other_brands_purchase(words: str, extra_units: str, before: bool) -> bool:
    """Do the words just before an amount (or just after it) name the purchase of another brand's equipment
    ("the purchase of the Israeli-made Arrow system for", "$8.7 billion deal to buy Eurofighter warplanes"),
    with none of the topic's terms?"""
    if not extra_units or _terms_pattern(extra_units).search(fold(words)):
        return False
    pattern = _BRAND_PURCHASE_BEFORE if before else _BRAND_PURCHASE_AFTER
    found = pattern.search(words)
    if found is None:
        return False
    return _is_other_brand(found.group("brand"), extra_units)


_BRAND_PURCHASE = (r"(?:(?:purchase|acquisition|deal|contract|order|sale)\s+(?:of|for|to\s+(?:buy|acquire|purchase|supply))|"
                   r"(?:supply|sell|provide)\s+[A-Z]\w+\s+with)\s+"
                   r"(?:the\s+|its\s+|\d+\s+)?(?:[\w-]+-(?:made|built|designed)\s+)?(?P<brand>[A-Z][a-z]+[A-Za-z]*)\s+"
                   rf"(?:[\w-]+\s+){{0,2}}?(?:{UNIT_NOUNS}|warplanes|air-defen[cs]e\s+systems?)\b")     # a lower-case noun: "Systems Inc." is a maker
_BRAND_PURCHASE_BEFORE = re.compile(_BRAND_PURCHASE + r"(?:(?!\band\b)[^.;,]){0,40}$")
_BRAND_PURCHASE_AFTER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:[\w-]+\s+)?" + _BRAND_PURCHASE)


def names_only_other_variant(sentence: str, extra_units: str) -> bool:
    """Is every name of the topic in the sentence followed by a model that is none of its terms ("Leopard 2A4"
    for a topic of "Leopard 2A8")?"""
    if not extra_units:
        return False
    folded = fold(sentence)
    named = list(_terms_pattern(extra_units).finditer(folded))
    terms = _bare_terms(extra_units)

    def pinned(name: str) -> bool:     # the topic names a variant of this name ("Leopard 2A8"): others are other deals
        bare = re.sub(r"[^a-z0-9]", "", name)
        return any(term.startswith(bare) and re.search(r"\d", term[len(bare):]) for term in terms)

    return bool(named) and all(
        (model := _MODEL.match(folded, m.end() + 1)) is not None and folded[m.end():m.end() + 1] in " -"
        and pinned(m.group()) and _names_other_model(model.group(), extra_units) for m in named)


def _names_other_model(description: str, extra_units: str) -> bool:
    """Does the description between a count and its noun name a model none of the topic's terms are?

    A model is the topic's when one of its terms begins it or it begins a term ("F-35A" for "F-35",
    "F-16" for "F-16 Block 70"), separators aside.
    """
    terms = _bare_terms(extra_units)
    for model in _MODEL.finditer(description):
        token = re.sub(r"[^a-z0-9]", "", model.group())
        if not any(token.startswith(term) or term.startswith(token) for term in terms if term):
            return True
    return False


# A brand written between a count and its noun ("42 Rafale jets", "eight ScanEagle drones"): a capitalised word
# followed only by lower-case words ("Heron reconnaissance"), not by a number ("Capability Drop 1").
_BRAND_THEN_LOWER = re.compile(r"(?<![\w-])([A-Z][a-z]+[A-Za-z]*)\s+(?:[a-z][a-z-]*\s+)*$")
# Capitalised words that name no other equipment: services and ordinary words newsrooms capitalise.
_NOT_A_BRAND = frozenset({"air", "force", "navy", "naval", "army", "marine", "marines", "coast", "guard", "royal",
                          "defence", "defense", "new", "more", "additional", "advanced", "modern", "heavy", "light",
                          "block", "batch", "lot", "tranche", "phase", "flight", "mk", "mark", "type", "class", "the"})


def _names_other_brand(description: str, unit: str, extra_units: str) -> bool:
    """Does a count's description name, with a capital, equipment that is none of the topic's terms, where
    neither it nor the counted noun is one of them?"""
    last = _BRAND_THEN_LOWER.search(description)
    if last is None or unit.istitle():
        return False     # ("118 Main Battle Tanks": a type's name in title case, not a brand)
    terms = _terms_pattern(extra_units)
    if terms.search(fold(description)) or terms.fullmatch(fold(unit)):
        return False
    return _is_other_brand(last.group(1), extra_units)


def _is_other_brand(word: str, extra_units: str) -> bool:
    """Is a capitalised word a brand none of the topic's terms begins with, and no service, ordinary word or country?
    ("Rafale" for a "Rafale Marine" topic is the same family, told apart elsewhere.)"""
    folded = fold_accents(word)
    return (folded not in _NOT_A_BRAND and folded not in currency_lexicon().country_names
            and not any(term.startswith(folded) for term in _bare_terms(extra_units)))


@lru_cache(maxsize=64)
def _bare_terms(extra_units: str) -> tuple[str, ...]:
    """The topic's terms from their pattern, letters and digits only ("f-35a" -> "f35a")."""
    without_classes = re.sub(r"\[[^\]]*\][*+?]?|\(\?:'s\|’s\|es\|s\)\?|\\[a-z]", "", extra_units)
    return tuple(re.sub(r"[^a-z0-9|]", "", without_classes).split("|"))


# "buy 30 instead of 36 jets", "30 jets rather than the 36 originally planned": a new size and the one it replaces.
_INSTEAD_OF = re.compile(
    rf"(?<![\w$₹.,-])(?P<a>{_CARDINAL})\s+(?:(?P<unit>{_FILLER}(?:{UNIT_NOUNS}))\s+)?(?:instead\s+of|rather\s+than)\s+"
    rf"(?:the\s+)?(?:original\s+|initial\s+|planned\s+|earlier\s+)?(?P<b>{_CARDINAL})"
    rf"(?=\s+(?:{_FILLER}(?:{UNIT_NOUNS})|originally|initially|previously|planned|ordered|agreed|envisaged)\b"
    # "five frigates instead of the original six.": the noun written once, after the new size
    rf"|(?(unit)\s*(?:[.,;)]|$)|(?!)))",
    _FOLDED)


# An order resized: "cut the number of frigates from nine to six", "reduced to five from the initial six
# ships", "reduced by one ship to five". The new size is the order; the old one (when given) is superseded.
_RESIZED = r"(?:cut|cuts|reduced|reduces|reducing|trimmed|lowered|slashed|slashing|slicing|sliced|scaled\s+back|scaled\s+down|down|" \
    r"increased|raised|expanded|boosted|grown|up)"
_TO_GET = re.compile(r"\b(?:get|gets|getting|receive|receives|receiving)\b")
_RESIZED_WORD = re.compile(rf"\b{_RESIZED}\b", _FOLDED)
_RESIZED_FROM_TO = re.compile(
    rf"\b{_RESIZED}\b(?P<span>[^.;]{{0,60}}?)\bfrom\s+(?:the\s+)?(?:initial\s+|original\s+|planned\s+|earlier\s+)?"
    rf"(?:up\s+to\s+|as\s+many\s+as\s+|about\s+|around\s+|some\s+|nearly\s+|a\s+total\s+of\s+)?(?P<b>{_CARDINAL})\s+(?:{_FILLER}(?:{UNIT_NOUNS})\s+)?to\s+(?:just\s+|only\s+)?(?P<a>{_CARDINAL})(?![\w.,]\d)", _FOLDED)
_ORDER_BROUGHT_FROM_TO = re.compile(
    rf"\b(?:bring|brings|bringing|brought|take|takes|taking|took|lift\w*|push\w*)\s+(?:[\w'’-]+\s+){{0,3}}?(?:total\s+)?"
    rf"(?:order|purchase|buy|requirement)\s+(?:of\s+[\w-]+\s+)?from\s+(?P<b>{_CARDINAL})\s+(?:{_FILLER}(?:{UNIT_NOUNS})\s+)?"
    rf"to\s+(?P<a>{_CARDINAL})(?![\w.,]\d)", _FOLDED)
_RESIZED_TO_FROM = re.compile(
    rf"\b{_RESIZED}\s+(?:[\w-]+\s+){{0,4}}?to\s+(?:just\s+|only\s+)?(?P<a>{_CARDINAL})\s+(?:{_FILLER}(?:{UNIT_NOUNS})\s+)?"
    rf"from\s+(?:the\s+)?(?:initial\s+|original\s+|planned\s+|earlier\s+)?(?P<b>{_CARDINAL})(?![\w.,]\d)", _FOLDED)
_RESIZED_BY = re.compile(
    rf"\b{_RESIZED}\s+by\s+(?:{_CARDINAL})\s+(?:{_FILLER}(?:{UNIT_NOUNS})\s+)?to\s+(?:just\s+|only\s+)?"
    rf"(?P<a>{_CARDINAL})(?![\w.,]\d)", _FOLDED)


# "The quantity of 238 vehicles was increased to 244": the count named first is the old size.
_COUNT_THEN_RESIZED = re.compile(
    rf"(?<![\w$₹.,-])(?P<b>{_CARDINAL})\s+{_FILLER}(?:{UNIT_NOUNS})\s+(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+"
    rf"(?:later\s+|since\s+|now\s+|then\s+)?{_RESIZED}\s+to\s+(?:just\s+|only\s+)?(?P<a>{_CARDINAL})(?![\w.,]\d)", _FOLDED)
# "the order for the 238 vehicles, trimmed down from 264": the new size, then the old one.
_COUNT_RESIZED_FROM = re.compile(
    rf"(?<![\w$₹.,-])(?P<a>{_CARDINAL})\s+{_FILLER}(?:{UNIT_NOUNS})\s*,?\s+(?:which\s+(?:was|were)\s+)?{_RESIZED}"
    rf"(?:\s+(?:down|up|back))?\s+from\s+(?:the\s+)?(?:initial\s+|original\s+|planned\s+|earlier\s+)?(?P<b>{_CARDINAL})(?![\w.,]\d)",
    _FOLDED)
# "initially planned to buy nine ships but reduced this to just six": the order named before, resized.
_RESIZED_IT = re.compile(
    rf"\b{_RESIZED}\s+(?:this|it|that|the\s+(?:order|number|plan|purchase|buy))\s+to\s+(?:just\s+|only\s+)?"
    rf"(?P<a>{_CARDINAL})(?![\w.,]\d)", _FOLDED)


def _resized_orders(sentence: str, extra_units: str) -> tuple[list[CountMatch], list[tuple[int, int]]]:
    """Counts of an order resized in the sentence (the new size, and the old one as historical), and their spans."""
    found: list[CountMatch] = []
    spans: list[tuple[int, int]] = []
    units = re.compile(rf"\b(?:{UNIT_NOUNS}|number|order|fleet|{extra_units or UNIT_NOUNS})\b", _FOLDED)
    for pattern in (_RESIZED_FROM_TO, _ORDER_BROUGHT_FROM_TO, _RESIZED_TO_FROM, _RESIZED_BY, _RESIZED_IT, _COUNT_THEN_RESIZED, _COUNT_RESIZED_FROM):
        for match in pattern.finditer(sentence):
            if any(start <= match.start() < end for start, end in spans):
                continue
            window = sentence[max(0, match.start() - 40):match.end() + 40]
            a = _cardinal(match.group("a"))
            b = _cardinal(match.group("b")) if "b" in pattern.groupindex else None
            if not a or a >= 1900 or (b is not None and (b >= 1900 or b == a)) or not units.search(window) \
                    or re.match(rf"\s*(?:{_AMOUNT_SCALE}|%|years?|months?)\b", sentence[match.end():], _FOLDED):
                continue
            found.append(CountMatch(ClaimKind.UNITS_ORDERED, a, match.start("a"), match.end("a")))
            if b is not None:
                found.append(CountMatch(ClaimKind.UNITS_ORDERED, b, match.start("b"), match.end("b"), historical=True))
            spans.append(match.span())
    return found, spans


def find_counts(sentence: str, extra_units: str = "", declared: frozenset[int] = frozenset(),
                kind_of_topic: str | None = None) -> list[CountMatch]:
    """Counts of units ordered or delivered that the sentence states, in order.

    `extra_units` is a regular expression of further unit nouns (a topic's own terms);
    `declared` are the order sizes the topic's subjects state ("the 35 jets should be
    delivered by 2029" then speaks of the order); `kind_of_topic` the kind of equipment
    the topic is (a count of submarines is not a fighter deal's).
    """
    original, sentence = sentence, fold(sentence)
    if not _DIGIT.search(sentence) and not _NUMBER_WORD.search(sentence):
        return []
    found: list[CountMatch] = []
    taken: list[tuple[int, int]] = []
    count_pattern = _count_pattern(extra_units)
    for match in (_OF_THE.finditer(sentence) if " of " in sentence else ()):
        # "three of the five systems it purchased": delivered of ordered.
        clause = _clause(sentence, match.start())
        a_group, b_group = ("a", "b") if match.group("a") else ("fa", "fb") if match.group("fa") else \
            ("one", "ob") if match.group("one") else ("na", "nb") if match.group("na") else ("la", "la")
        a = 1 if a_group == "one" else _ordinal_number(match.group("na")) if a_group == "na" else _cardinal(match.group(a_group))
        b = _cardinal(match.group(b_group))
        # The noun may come after the first number ("the first three K9 howitzers out of 24 ordered").
        unit_written = _has_unit_after(sentence, match.end(), extra_units) or (
            a_group == "fa" and _has_unit_after(sentence, match.end("fa"), extra_units))
        if a is None or b is None or a > b or not unit_written or _LEASED.search(sentence):
            continue
        if a_group == "a" and _PURCHASE_VERB_BEFORE.search(sentence, max(0, match.start() - 20), match.start()):
            continue     # "will procure 14 of 16 Poseidons": the part bought is the order (_BUYING_PART_OF)
        held = _HOLDS_NOW_BEFORE.search(sentence, 0, match.start())
        verbs = [m for m in _DELIVERED.finditer(sentence, 0, match.start())]
        received = bool(verbs) and not _NOT_YET.search(sentence, verbs[-1].start(), match.start())
        delivered = (_DELIVERED.search(clause) and not _NOT_YET.search(clause)) or held or received or (
            (_APPOSITION_OPENS.search(sentence, max(0, match.start() - 12), match.start()) is not None
             or not sentence[:match.start()].strip(" \"'“‘"))     # or the sentence opens with it
            and _APPOSITION_DELIVERED.match(sentence, match.end()) is not None)
        if re.match(r"\S+\s+more\b", match.group()):
            delivered = False    # "two more of the six arrived": a batch, not all delivered so far
        if a_group == "a" and delivered and _FINAL_BEFORE.search(sentence, max(0, match.start() - 20), match.start()):
            a = b                # "the final six of 12 aircraft arrived": all twelve are delivered
        if a_group == "one":
            # "the first of 18 jets" delivered is one; the 18 is read as any count is (it may be a batch's)
            if delivered:
                found.append(CountMatch(ClaimKind.UNITS_DELIVERED, 1, match.start("one"), match.end("one")))
            continue
        taken.append(match.span())
        if delivered:
            found.append(CountMatch(ClaimKind.UNITS_DELIVERED, a, match.start(a_group), match.end(a_group)))
        found.append(CountMatch(ClaimKind.UNITS_ORDERED, b, match.start(b_group), match.end()))
    for match in (_BUYING_PART_OF.finditer(sentence) if " of " in sentence else ()):
        count = _cardinal(match.group("a"))
        if count and count < 1900 and not any(s <= match.start("a") < e for s, e in taken):
            taken.append(match.span())
            found.append(CountMatch(ClaimKind.UNITS_ORDERED, count, match.start("a"), match.end("a")))
    for match in (_REPLACING_WITH.finditer(sentence) if "replac" in sentence else ()):
        count = _cardinal(match.group("n"))
        if count and count < 1900 and not any(s <= match.start("n") < e for s, e in taken):
            taken.append((match.start("n"), match.end()))
            found.append(CountMatch(ClaimKind.UNITS_ORDERED, count, match.start("n"), match.end()))
    for match in (_BOUGHT_OF_THESE.finditer(sentence) if " of " in sentence else ()):
        count = _cardinal(match.group("n"))
        if count and count < 1900 and not any(s <= match.start("n") < e for s, e in taken):
            taken.append((match.start("n"), match.end()))
            found.append(CountMatch(ClaimKind.UNITS_ORDERED, count, match.start("n"), match.end()))
    if _RESIZED_WORD.search(sentence) or " from " in sentence:
        resized, spans = _resized_orders(sentence, extra_units)
        taken += spans
        found += resized
    for match in (_INSTEAD_OF.finditer(sentence) if " instead of " in sentence or " rather than " in sentence else ()):
        a, b = _cardinal(match.group("a")), _cardinal(match.group("b"))
        if a and b and a != b and a < 1900 and b < 1900 and (_ORDERED.search(sentence) or _TO_GET.search(sentence)):
            taken.append(match.span())
            found.append(CountMatch(ClaimKind.UNITS_ORDERED, a, match.start("a"), match.end("a")))
            found.append(CountMatch(ClaimKind.UNITS_ORDERED, b, match.start("b"), match.end("b"), historical=True))
    for match in (_TOTAL_BROUGHT_TO.finditer(sentence) if " to " in sentence else ()):
        count = _cardinal(match.group("n")) or 0
        if 0 < count < 1900 and _DELIVERY_NEWS.search(sentence) and not _WHERE_HELD.search(match.group()) \
                and not _NOT_YET.search(sentence, 0, match.start()) \
                and not _count_pattern(extra_units).match(
                sentence, match.start("n")):
            taken.append((match.start("n"), match.end("n")))
            found.append(CountMatch(ClaimKind.UNITS_DELIVERED, count, match.start("n"), match.end("n")))
    for match in (_HAVE_BEEN.finditer(sentence) if _AUXILIARY.search(sentence) else ()):
        # "three have been delivered": a count without its noun, so the sentence must name units.
        count = _cardinal(match.group("n"))
        if (not count or not _BARE_COUNT_BEFORE.search(sentence, 0, match.start()) or count >= 1900
                or _PART_BEFORE.search(sentence[max(0, match.start() - 25):match.start()])
                or _NOT_YET.search(_clause(sentence, match.start()))
                or not (_has_unit_word(sentence, extra_units) or _DELIVERIES_NOUN.search(sentence))):
            continue
        taken.append(match.span())
        found.append(CountMatch(ClaimKind.UNITS_DELIVERED, count, match.start(), match.end()))
    for match in (_VERB_THEN_BARE_COUNT.finditer(sentence) if _has_unit_word(sentence, extra_units) else ()):
        count = _cardinal(match.group("n"))
        if (not count or count >= 1900 or any(s <= match.start("n") < e for s, e in taken)
                or count_pattern.match(sentence, match.start("n"))):
            continue
        if match.group("buy"):
            if _NOT_YET_COUNT.search(_clause(sentence, match.start())):
                continue
            kind = ClaimKind.UNITS_ORDERED
        elif match.group("first") or not _DATED_BATCH_AFTER.match(sentence, match.end()):
            kind = ClaimKind.UNITS_DELIVERED     # the first 11 received are all received so far
        else:
            continue       # "received 11 in May": one batch
        taken.append((match.start("n"), match.end("n")))
        found.append(CountMatch(kind, count, match.start("n"), match.end("n"),
                                proposed=kind is ClaimKind.UNITS_ORDERED and _weighed(sentence, 0, match.start())))
    # "Arrow 3 system", "Type 26 frigates": a number inside one of the topic's names is no count.
    in_names = [m.span() for m in _terms_pattern(extra_units).finditer(sentence)] if _DIGIT.search(extra_units) else []
    last_end = 0
    for number in _NUMBER_START.finditer(sentence):
        if any(s <= number.start() < e for s, e in in_names) or _COUNTED_DESIGNATION_BEFORE.search(
                original, max(0, number.start() - 24), number.start()):
            continue       # "two ATR 72 aircraft": the number is the model's name, the count comes before it
        # Try the full pattern only where a number starts: far cheaper than scanning every offset.
        if number.start() < last_end:
            continue
        counted = count_pattern.match(sentence, number.start())
        if counted is None:
            continue
        match = counted
        last_end = match.end()
        if any(s <= match.start() < e for s, e in taken):
            continue
        count = _cardinal(match.group("n"))
        before = sentence[max(0, match.start() - 40):match.start()]
        if (count and _FIRST_BEFORE.search(before) and _told_delivered(sentence, match.start())
                and not _BATCH_BEFORE.search(before)):
            found.append(CountMatch(ClaimKind.UNITS_DELIVERED, count, match.start(), match.end()))
            continue       # "the first two F-16s have been delivered": all delivered so far
        if count is None or count == 0 or _PART_BEFORE.search(before[-25:]) or _NOT_A_COUNT_BEFORE.search(before) \
                or _NOT_AN_ORDER_BEFORE.search(before):
            continue
        if _PARTITIVE_START.match(sentence[:match.start()]) and not _DELIVERED.search(_clause(sentence, match.start())):
            continue       # "Of the total aircraft acquired, six will remain in the US": a part
        if re.match(r"\d{4}$", match.group("n")) and 1900 <= count <= 2100:
            continue       # a year before a noun ("2018 contract systems")
        clause = _clause(sentence, match.start())
        more = bool(match.group("more"))
        kind_of_count = unit_kind(match.group("u"))
        head = _HEAD_NOUN_AFTER.match(sentence, match.end())
        head_kind = unit_kind(head.group("u")) if head else None
        if head_kind and not (kind_of_count and head_kind in ("air", "sea") and kind_of_count.startswith(head_kind)):
            kind_of_count = head_kind     # "two missile corvettes": corvettes ("fighter aircraft" stay fighters)
        if kind_of_topic and kind_of_count and kinds_differ(kind_of_count, kind_of_topic):
            continue       # "two Scorpène submarines" beside a fighter deal: another purchase
        description = sentence[match.end("n"):match.start("u")]
        if extra_units and _names_other_model(description, extra_units) and not _terms_pattern(extra_units).search(description) \
                and not _terms_pattern(extra_units).fullmatch(match.group("u")):
            continue       # "24 Boeing F-15EX fighters" for a Rafale topic: another aircraft
        if extra_units and _names_other_brand(original[match.end("n"):match.start("u")], original[match.start("u"):match.end("u")],
                                                extra_units):
            continue       # "42 Rafale jets" for a KAAN topic, "eight ScanEagle drones" for an Anka one
        if _COMPONENT_NOUN_AFTER.match(sentence, match.end()):
            continue       # "two new aircraft hangars", "four jet engines": the part, not the platform
        if _OPTION_BEFORE.search(sentence, max(0, match.start() - 60), match.start()) and not _EXERCISED.search(sentence):
            continue       # "with an option to buy a further 18 tanks": not ordered until exercised
        if _SUPPORTED_FLEET_BEFORE.search(sentence, max(0, match.start() - 80), match.start()):
            continue       # "support package for the Indian Navy's fleet of 24 Seahawk helicopters": what is supported
        if _ALREADY_HELD_AFTER.match(sentence, match.end()):
            continue       # "upgrades to the 23 F-16 aircraft it already has": its fleet, not an order
        if _SHARE_AFTER.match(sentence, match.end()):
            continue       # "15 drones for the Navy, and eight each for ...": one service's share
        if found and _RESTATED.fullmatch(sentence, found[-1].end, match.start()):
            continue       # "32 helicopters for two squadrons": the same units counted again
        if UNDER_TALKS.search(sentence) and match.group("more") in (None, "new ") and not re.search(
                r"\b(?:another|further)\s+$", before):
            continue       # "negotiating the acquisition of 12 Rafale": no order yet
        if _SEPARATE_DEAL.search(clause) or SEPARATE_AGREEMENT_OPENS.match(sentence):
            continue       # "22 Apaches acquired under a separate deal": another purchase
        if _LEASED.search(clause) or _PART_OF_AFTER.match(sentence, match.end()) or _REPLACED_BEFORE.search(before):
            continue       # leased, not bought; "the six jets are part of the 12": a part named first; what is replaced
        if (more or re.search(r"\b(?:another|a\s+further|further)\s+$", before)) and _BATCH_IN_CLAUSE.search(clause):
            continue       # "the latest batch adds another 18 aircraft": a tranche of the order
        whole_of = _WHOLE_OF_BEFORE.search(sentence, 0, match.start())
        if whole_of and not more:
            if not declared or count in declared or count > max(declared) or "total" in whole_of.group():
                found.append(CountMatch(ClaimKind.UNITS_ORDERED, count, match.start(), match.end()))
            continue       # "the first of 36 Gripens will arrive in 2021": the order they come from (or a batch's size)
        brought = _BROUGHT_TO.search(sentence[max(0, match.start() - 90):match.start()])
        if brought:
            if re.search(r"deliver\w*|receiv\w*|handed|arriv\w*|shipment|consignment|batch",
                         sentence[max(0, match.start() - 90):match.start()]):
                found.append(CountMatch(ClaimKind.UNITS_DELIVERED, count, match.start(), match.end()))
            continue       # "boosting its fleet to 52": a fleet, not an order
        if _TO_ARRIVE_AFTER.match(sentence, match.end()) and not _DEFINITE_BEFORE.search(before) and count not in declared:
            continue       # "24 K9 howitzers will arrive in the regiment": a batch to come, not the order
        if _ON_ORDER_AFTER.match(sentence, match.end()):
            kind = ClaimKind.UNITS_ORDERED     # "five regiments are on order"
        elif _REMAINING_AFTER.match(sentence, match.end("n")):
            continue       # "the two remaining systems": a part still to come
        elif _ACQUIRED_BEFORE.search(before) and _OVER_PAST_YEARS_AFTER.match(sentence, match.end()):
            kind = ClaimKind.UNITS_DELIVERED   # "previously acquired 40 F-35As from 2019 to 2022": received over those years
        elif _CONTRACTED_TO_BEFORE.search(sentence, max(0, match.start() - 140), match.start()) \
                or _TOTAL_TO_COME_BEFORE.search(before) or (
                _ORDERED_AFTER.match(sentence, match.end())
                # ("is set to receive four attack helicopters ordered from the US": a batch of the order to come)
                and not (_TO_ARRIVE_BEFORE.search(before) and _NOT_YET.search(clause) and count not in declared)):
            kind = ClaimKind.UNITS_ORDERED     # "a contract to supply six helicopters", "96 copters Poland ordered"
            if _RECEIVED_ALL_BEFORE.search(before) and not _NOT_YET.search(clause):
                found.append(CountMatch(ClaimKind.UNITS_DELIVERED, count, match.start(), match.end()))
        elif _BOUGHT_BEFORE.search(before) and not _DELIVERED.search(sentence, max(0, match.start() - 60), match.start()):
            kind = ClaimKind.UNITS_ORDERED     # "purchased 29 launchers ... and received the first 11": the purchase
        elif _DELIVERED.search(clause) and not _NOT_YET.search(clause):
            dated_batch = _DATED_BATCH_AFTER.match(sentence, match.end()) and not _WHOLE_SO_FAR.search(before)
            if more or _BATCH_BEFORE.search(before) or dated_batch or _BATCH_OF_BEFORE.search(before):
                continue   # "delivered another three tanks", "10 delivered in 2022": one batch, not the total
            kind = ClaimKind.UNITS_DELIVERED
        elif (match.group("more") in (None, "new ") and _DEFINITE_BEFORE.search(before)
              and (_ORDER_CONTEXT.search(clause) or _WHOLE_DELIVERY_BEFORE.search(before)
                   or (count in declared and _NOT_YET.search(sentence) and _DELIVERY_WORD.search(sentence)))
              and not _PART_OF_AFTER.match(sentence, match.end()) and not _BATCH_IN_CLAUSE.search(clause)
              and not _IN_SERVICE.search(clause)
              and not _NOT_YET_COUNT.search(clause) and not (_FLEET.search(clause) and not _BUYING.search(clause))):
            kind = ClaimKind.UNITS_ORDERED     # "deliveries of the 66 jets", "all 66 jets": the order itself
        elif count in declared and not more and not _PART_BEFORE.search(before[-25:]) and (
                (_NOT_YET.search(clause) and _DELIVERED.search(clause)) or _TO_RECEIVE_BEFORE.search(before)):
            # "88 F-35 jets are scheduled to be delivered by 2032", "is set to receive 24 F-16s": the declared
            # order arriving ("the delivery of five S-400 systems" only restates it)
            kind = ClaimKind.UNITS_ORDERED
        elif _HAS_BEFORE.search(before) and _IN_INVENTORY_AFTER.match(sentence, match.end()) \
                and not _NOT_YET.search(clause):
            kind = ClaimKind.UNITS_DELIVERED   # "the air force has eight jets in its inventory"
        elif (_HOLDS_BEFORE.search(before) and extra_units and re.search(rf"(?:{extra_units})", match.group())
              and not _NOT_YET.search(clause)):
            kind = ClaimKind.UNITS_DELIVERED   # "the army possesses 46 K2 tanks": what has been delivered so far
        elif (_TO_ARRIVE_BEFORE.search(before) and _NOT_YET.search(clause) or _TO_ARRIVE_BEFORE.search(before[-20:])) \
                and not _ORDER_TERMS.search(sentence):
            continue       # "scheduled to receive 96 tanks": a batch of the schedule, not the order
        elif _BATCH_OF_BEFORE.search(before):
            if not _CONTRACTED_BATCH_BEFORE.search(sentence, max(0, match.start() - 140), match.start()):
                continue   # "the first batch of six Rafales": a part of the order
            kind = ClaimKind.UNITS_ORDERED     # "a contract to build an initial batch of 20": the batch is what was ordered
        elif _FLEET.search(clause) and not _BUYING.search(clause):
            continue
        elif more and _RECEIVING_BEFORE.search(before):
            continue       # "to receive two more squadrons": the rest of an order
        elif _ORDERED.search(clause) or (more and _INTENT.search(sentence)) or (
                _ORDERED.search(sentence) and not _NOT_YET_COUNT.search(clause)):
            kind = ClaimKind.UNITS_ORDERED
        else:
            continue
        found.append(CountMatch(kind, count, match.start(), match.end(),
                                historical=bool(_SUPERSEDED_COUNT.search(before)
                                                or _SUPERSEDED_COUNT_AFTER.match(sentence, match.end())),
                                proposed=kind is ClaimKind.UNITS_ORDERED and _weighed(sentence, max(0, match.start() - 100), match.start())))
    for match in (_ordinal_unit(extra_units).finditer(sentence) if _ORDINAL_WORD.search(sentence) else ()):
        clause = _clause(sentence, match.start())
        after = re.findall(r"[a-z-]+", sentence[match.end():match.end() + 30])[:2]     # "Altay tanks", "Orion jets"
        if match.group("u1") and (_is_plural_unit(match.group("u1")) or any(_is_plural_unit(word) for word in after)):
            continue       # "the first indigenous Altay tanks": how many is not said
        if (match.group("n") or match.group("n1")).lower() in ("first", "1st") and _DATED_BATCH_AFTER.match(sentence, match.end()) \
                and not _RECENT_DAY_AFTER.match(sentence, match.end()):
            continue       # "the first Rafale was delivered in July 2021": when deliveries began, told later
            # (but "Qatar received its first Typhoon on Monday" is the news: one delivered so far)
        if _DEAL_NOUN_AFTER.match(sentence, match.end()):
            continue       # "Estonia's first HIMARS order": an order, not a unit
        if (_DELIVERED.search(clause) and not _NOT_YET.search(clause)) or (
                # "The fourth Scorpene submarine of Project - 75 ... was delivered", "accepted delivery of the
                # Tonelero, the third submarine": the sentence's one delivery, across the asides
                _DELIVERED.search(sentence) and not _NOT_YET.search(sentence)
                and len(_ORDINAL_WORD.findall(sentence)) == 1):
            found.append(CountMatch(ClaimKind.UNITS_DELIVERED, _ordinal_number(match.group("n") or match.group("n1")),
                                    match.start(), match.end()))
    found.sort(key=lambda m: m.start)
    return _without_parts(sentence, found)


# "68 fighters and 29 trainers", "200 Block IV and 200 Block V": the parts of one order.
# "400 Tomahawks through a block buy, comprising 200 Block IV and 200 Block V": a total, then its parts.
_TOTAL_THEN_PARTS = re.compile(r"\b(?:comprising|including|consisting\s+of|made\s+up\s+of|of\s+which|split\s+into)\b|"
                               r"[:–—]|\s-\s|-\s", _FOLDED)
_RECENT_DAY_AFTER = re.compile(r"[^.;,]{0,50}?\b(?:on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
                               r"today|yesterday|this\s+week)\b", _FOLDED)
_DATED_BATCH_AFTER = re.compile(r"[^.;,]{0,50}?\b(?:in\s+(?:(?:early|mid|late)[\s-]+)?(?:\d{4}|january|february|march|"
                                r"april|may|june|july|august|september|october|november|december)|"
                                r"on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", _FOLDED)
# A dated delivery that is still the whole delivered: "the first batch of three", "completed delivery of all 22".
_WHOLE_SO_FAR = re.compile(r"\b(?:first|all|complet\w+|entire|whole)\b[^.;]{0,40}$", _FOLDED)
_AND_ANOTHER_COUNT = re.compile(rf"[^.;,:\d]{{0,30}}?\s+and\s+(?:{_CARDINAL})\s+(?!(?:more|times|percent|per\s*cent)\b)[\w-]+",
                                _FOLDED)
_OTHER_KIND = re.compile(r"\b(?:other|support|ammunition|resupply|supply|logistics|training)\b", _FOLDED)
_DELIVERIES_NOUN = re.compile(r"\bdeliver(?:y|ies)\b", _FOLDED)
_PARTS_JOINT = re.compile(r"^[^.;]{0,50}?\b(?:and|plus|as\s+well\s+as|along\s+with|together\s+with)\s+$", _FOLDED)


# "90 units for the Indian Army and 66 for the IAF": one order split between services.
_SERVICE_SHARE = re.compile(rf"(?<![\w$₹.,-])(?:{_CARDINAL})\s+(?:[\w-]+\s+){{0,3}}?(?:for|to)\s+(?:the\s+)?"
                            rf"(?P<owner>(?:[\w-]+\s+){{0,2}}?)(?:army|navy|air\s+force|marines?|marine\s+corps|coast\s+guard|\w{{0,3}}af)\b",
                            _FOLDED)


def _without_parts(sentence: str, found: list[CountMatch]) -> list[CountMatch]:
    """Drop ordered counts that are parts of one order: their sum if the sentence gives it, else the parts."""
    ordered = [m for m in found if m.kind is ClaimKind.UNITS_ORDERED]
    parts: set[int] = set()
    # Shares of one order, not "22 delivered to the Air Force and six ordered for the Army".
    other_kind = {m.start for m in found if m.kind is not ClaimKind.UNITS_ORDERED}
    matches = [m for m in _SERVICE_SHARE.finditer(sentence) if m.start() not in other_kind]
    shares = [m.start() for m in matches]
    # "14 for the Royal Canadian Air Force and three for the German Navy": two buyers' orders, not shares.
    owner_at = {m.start(): fold(m.group("owner")).strip() for m in matches}
    owners = set(owner_at.values()) - {""}
    if len(shares) > 1 and len(owners) < 2:
        parts.update(i for i, m in enumerate(ordered) if m.start in shares)
    for i, m in enumerate(ordered):
        follow = _AND_ANOTHER_COUNT.match(sentence, m.end)
        noun = sentence[m.start:m.end].split()[-1].rstrip("s")
        if follow and i + 1 == len(ordered) and len(noun) > 2 and noun in sentence[follow.start():follow.end() + 40]:
            parts.add(i)              # "three single-seat Gripen Es and one two-seat Gripen F": a part
    for i, (a, b) in enumerate(zip(ordered, ordered[1:])):
        between = sentence[a.end:b.start]
        described = re.match(r"[^,;]{0,50}", sentence[b.start:])    # "15 AS10 ammunition resupply vehicles"
        if _OTHER_KIND.search(described.group() if described else sentence[b.start:b.end]) or _OTHER_KIND.search(between):
            parts.add(i + 1)          # "180 K2 tanks and 81 other support vehicles": another kind of equipment
        elif _TOTAL_THEN_PARTS.search(between):
            if b.count < a.count:
                parts.add(i + 1)      # a part of the total before it
        elif _PARTS_JOINT.match(between) and not (owner_at.get(a.start) and owner_at.get(b.start)
                                                  and owner_at[a.start] != owner_at[b.start]):
            parts.update({i, i + 1})
    if not parts:
        return found
    part_counts = [ordered[i] for i in sorted(parts)]
    # A total written beside them ("83 aircraft, 73 fighters and 10 trainers") stays; the parts
    # are never the order's size.
    dropped = {id(m) for m in part_counts}
    return [m for m in found if id(m) not in dropped]


def _cardinal(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _CARDINALS.get(word)


def _has_unit_word(sentence: str, extra_units: str) -> bool:
    units = f"{UNIT_NOUNS}|{extra_units}" if extra_units else UNIT_NOUNS
    return re.search(rf"\b(?:{units})\b", sentence, _FOLDED) is not None


def _has_unit_after(sentence: str, offset: int, extra_units: str = "") -> bool:
    units = f"{UNIT_NOUNS}|{extra_units}" if extra_units else UNIT_NOUNS
    return bool(re.match(rf"\s+{_FILLER}(?:{units})(?!\w)", sentence[offset:], _FOLDED))


_SHORT_BRACKET = re.compile(r"\([^()]{1,30}\)")


def blank_short_brackets(sentence: str) -> str:
    """The sentence with short brackets ("(RoKAF)", "(LCA)") blanked, offsets kept: they do not end a clause."""
    return _SHORT_BRACKET.sub(lambda m: " " * len(m.group()), sentence) if "(" in sentence else sentence


def _clause(sentence: str, offset: int) -> str:
    start = 0
    end = len(sentence)
    for brk in _CLAUSE_BREAK.finditer(blank_short_brackets(sentence)):
        if brk.end() <= offset:
            start = brk.end()
        elif brk.start() >= offset:
            end = brk.start()
            break
    return sentence[start:end]


def order_sizes(sentence: str, extra_units: str = "") -> list[int]:
    """Counts of units a sentence about a contract gives ("the deal for five squadrons", "to receive
    five regiments under the 2018 deal"), for telling which ordinal completes the order."""
    folded = fold(sentence)
    if not _ORDERED.search(folded):
        return []
    sizes = []
    pattern = _count_pattern(extra_units)
    for number in _NUMBER_START.finditer(folded):
        counted = pattern.match(folded, number.start())
        count = _cardinal(counted.group("n")) if counted else None
        if count and 2 <= count < 1900 and counted and not counted.group("more"):
            sizes.append(count)
    return sizes


def declared_size(cue: str) -> int | None:
    """The order size a subject cue states ("88 F-35", "three batteries"), if it states one."""
    words = re.sub(r"^(?:up\s+to|at\s+least|as\s+many\s+as)\s+", "", fold(cue)).split()     # "up to 77"
    if not words or (len(words) < 2 and words == fold(cue).split()) or re.search(rf"\b(?:{_AMOUNT_SCALE})\b|[$€£¥₹]", fold(cue)):
        return None
    count = _cardinal(words[0])
    return count if count and count < 1900 else None


# Kinds of equipment: a count of another kind than the topic's ("two Scorpène submarines" in an
# article about Rafale jets) is another purchase. Systems, units and batteries are of any kind.
_UNIT_KINDS: dict[str, str] = {
    # "aircraft" may be any of the three air kinds; jets, helicopters and drones are three purchases.
    "air": r"aircraft|aircrafts",
    "air_fixed": r"jets?|fighters?|planes?|trainers?|warplanes?",
    "air_rotary": r"helicopters?|choppers?|copters?|rotorcraft",
    "air_drone": r"drones?|uavs?|rpas?",
    # Likewise "ships", "vessels" and "boats" may be any of the sea kinds; submarines, frigates, corvettes
    # and destroyers are four purchases.
    "sea": r"ships?|vessels?|boats?|carriers?",
    "sea_sub": r"submarines?|subs",
    "sea_frigate": r"frigates?",
    "sea_corvette": r"corvettes?",
    "sea_destroyer": r"destroyers?",
    "land": r"tanks?|vehicles?|howitzers?|guns?",
    "missile": r"missiles?|interceptors?",
}
_KIND_OF = re.compile("|".join(f"(?P<{kind}>\\b(?:{nouns})\\b)" for kind, nouns in _UNIT_KINDS.items()), _FOLDED)


# Platforms bought as separate items of one package: "the jets, a frigate and equipment", "jets and helicopters".
_PLATFORM_CLASSES = {"fixed-wing": r"jets?|aircraft|fighters?|planes?|warplanes?", "rotary": r"helicopters?|choppers?|rotorcraft",
                     "vessel": r"ships?|vessels?|frigates?|submarines?|corvettes?|destroyers?|carriers?",
                     "tank": r"tanks?|mbts?", "artillery": r"howitzers?",
                     "missile": r"missiles?|interceptors?"}
_PLATFORM = re.compile("|".join(f"(?P<{k.replace('-', '_')}>\\b(?:{nouns})\\b)" for k, nouns in _PLATFORM_CLASSES.items()),
                       _FOLDED)
_LISTED_NEXT = re.compile(r"(?:\s*,\s*|\s+and\s+|\s+as\s+well\s+as\s+|\s+plus\s+)(?:an?\s+|the\s+|\d+\s+)?"
                          r"(?:[\w-]+\s+){0,2}?$", _FOLDED)


def lists_platforms_of_several_classes(sentence: str) -> bool:
    """Does the sentence list platforms of different classes side by side ("the jets, a frigate and ...")?

    A price for such a list is a package's, not one deal's.
    """
    folded = fold(sentence)
    found = list(_PLATFORM.finditer(folded))
    return any(a.lastgroup != b.lastgroup and _LISTED_NEXT.search(folded, a.end(), b.start())
               and _BOUGHT_LIST_BEFORE.search(folded, max(0, a.start() - 80), a.start()) is not None
               for a, b in zip(found, found[1:]))


# The list is what is bought ("the sale of the jets, a frigate and ..."), not what is replaced
# ("move on from Mi-series helicopters as well as MiG fighters").
_BOUGHT_LIST_BEFORE = re.compile(r"\b(?:sale|deal|contract|purchase|order|acquisition|package|buy\w*|procur\w+|acquir\w+|"
                                 r"supply|suppl(?:ies|ied)|deliver\w*|for)\b(?!.*\b(?:from|replac\w+|such\s+as)\b)", _FOLDED)


def unit_kind(noun: str) -> str | None:
    """The kind of equipment a unit noun names ("submarines" -> "sea"), if it names one."""
    match = _KIND_OF.fullmatch(fold(noun).strip())
    return match.lastgroup if match else None


def kinds_differ(one: str, other: str) -> bool:
    """Are two kinds of equipment different purchases? Aircraft may be jets, helicopters or drones; ships may be
    submarines, frigates, corvettes or destroyers."""
    return one != other and not any(generic in (one, other) and one.startswith(generic) and other.startswith(generic)
                                    for generic in ("air", "sea"))


@lru_cache(maxsize=64)
def _terms_pattern(extra_units: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{extra_units})(?!\w)", _FOLDED)


@lru_cache(maxsize=64)
def _term_then_unit(extra_units: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{extra_units})\s+(?:[\w-]+\s+){{0,2}}?(?P<noun>{UNIT_NOUNS})\b", _FOLDED)


def configured_kind(terms: tuple[str, ...], name: str) -> str | None:
    """The kind of equipment a topic's configuration names: a term ending in a unit noun ("Anka drones"), else
    the first unit noun of its name ("Indonesia Anka MALE drones from Turkish Aerospace")."""
    for term in terms:
        if " " in term.strip() and (kind := unit_kind(term.split()[-1])):
            return kind
    match = _UNIT_NOUN_WORD.search(fold(name))
    return unit_kind(match.group()) if match else None


_UNIT_NOUN_WORD = re.compile(rf"\b(?:{'|'.join(_UNIT_KINDS.values())})\b", _FOLDED)


def topic_unit_kind(text: str, extra_units: str) -> str | None:
    """The kind of equipment the text writes right after the topic's terms ("Rafale fighter jets"), if one."""
    if not extra_units:
        return None
    found: dict[str, int] = {}
    folded = fold(text)
    for match in _term_then_unit(extra_units).finditer(folded):
        kind = unit_kind(match.group("noun"))
        if kind:
            found[kind] = found.get(kind, 0) + 1
    if not found:
        # A term that is itself a kind of equipment ("new submarines", "Hunter frigates") says what the topic is.
        for match in _terms_pattern(extra_units).finditer(folded):
            kind = unit_kind(match.group().split()[-1]) if " " in match.group() else None
            if kind:
                found[kind] = found.get(kind, 0) + 1
    return max(found, key=lambda k: found[k]) if found else None


def speaks_of_other_kind(sentence: str, kind_of_topic: str | None, extra_units: str = "") -> bool:
    """Does the sentence count only another kind of equipment than the topic's ("three Chinese subs",
    "39 AIM-120 missiles" beside a fighter deal), and never name the topic?"""
    if kind_of_topic is None:
        return False
    folded = fold(sentence)
    # "F-35 munitions", "F-35 engines": the topic named only as what a part is for does not make it the topic's.
    named = list(_terms_pattern(extra_units).finditer(folded)) if extra_units else []
    if any(not _PART_NOUN_AFTER.match(folded, m.end()) for m in named):
        return False
    kinds = {unit_kind(m.group("noun")) for m in _COUNTED_NOUN.finditer(folded)}
    kinds.discard(None)
    return bool(kinds) and all(kinds_differ(kind, kind_of_topic) for kind in kinds if kind)


_PART_NOUN_AFTER = re.compile(r"\s+(?:munitions|ammunition|weapons|engines?|parts|spares|sustainment|support|training|"
                              r"simulators?|infrastructure|upgrades?)\b", _FOLDED)
_COUNTED_NOUN = re.compile(rf"(?<![\w$₹.,-])(?:{_CARDINAL}|{_ORDINAL})\s+(?:[\w()\-‘’'/.]+\s+){{0,6}}?(?P<noun>{UNIT_NOUNS}|subs)\b", _FOLDED)
