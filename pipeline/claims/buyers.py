"""Whose order a value is: the topic's buyer's, or another country's order of the same system.

Many systems are sold to several countries. A topic may name its buyer
(`buyer = ["India", "Indian Air Force"]`); then a value in a clause whose
nearest buyer is another country ("Turkey, which bought the S-400 for $2.5
billion", "deliveries to China") is not the topic's. A country is a buyer in
a sentence when it is the subject of buying or receiving ("Turkey bought",
"China has received"), the receiver of a sale or delivery ("sold to Turkey",
"deliveries to China"), or owns the order ("Turkey's order", "China's S-400
batteries"). Country names and adjectives come from CLDR (`currency.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.claims.currency import currency_lexicon, fold_accents
from pipeline.claims.units import UNIT_NOUNS
from pipeline.records import Topic

# "South Korea's sole aircraft manufacturer": the country's industry, which sells.
_MAKER_NOUNS = r"(?:manufactur\w*|makers?|builders?|industr\w+|firms?|compan\w+|producers?|exporters?|shipyards?|yards?)\b"
_BUYING_AFTER = re.compile(r"(?:(?:\s*,\s*(?:which|who|having)\b)?\s+(?:[\w-]+\s+){0,3}?(?:bought|buys|buy|ordered|orders|purchased|purchases|procured|acquired|"
                           r"acquires|received|receives|receiving|took\s+delivery|takes\s+delivery|has\s+taken\s+delivery|"
                           r"deployed|operates|operated|inducted|agreed\s+to\s+buy|placed\s+(?:an?\s+)?order|"
                           r"(?:will|would|shall|is\s+to|are\s+to|plans?\s+to|intends?\s+to)\s+(?:get|receive|buy|acquire|procure|"
                           r"purchase|order)|got|is\s+getting|wants|"
                           r"(?:expects?|expected|is\s+set|set|due|scheduled)\s+to\s+(?:receive|get|take\s+delivery)|"
                           r"awards|awarded|has\s+awarded|"
                           # "the Philippines has signed a deal for three new C-130J-30s" (not "signed a deal to sell")
                           r"(?:signed|concluded|inked|sealed)\s+(?:a\s+|an\s+)?(?:\S+\s+){0,3}?(?:deal|contract|agreement|order)\s+"
                           r"(?:with\s+(?:[\w()-]+\s+){1,6}?)?(?:for|to\s+(?:buy|acquire|purchase|procure))(?!\s+(?:the\s+)?sale))\b"
                           r"|\s+(?:[\w-]+\s+){0,9}?(?:announced|unveiled|confirmed|revealed)\s+(?:\w+\s+){0,2}?(?:plans?\s+to\s+)?"
                           r"(?:buy|purchase|acquire|order)\b"
                           # "Israel's largest-ever defence contract", "Israel's biggest export deal": the seller's record
                           r"|\s*(?:'s|’s)\s+(?!(?:[\w-]+\s+){0,2}?(?:largest|biggest|largest-ever|biggest-ever|export|exports)\b)"
                           r"(?:[\w-]+\s+){0,3}?(?:order|orders|purchase|purchases|acquisition|contract|deal|agreement|"
                           r"fleet|navy|air\s+force|army)\b"
                           r"(?!\s+(?:program|programme|agency|administration|office|council|committee|authority))"
                           # "Malaysia currently has two Scorpene submarines": the country's own equipment
                           rf"|\s+(?:currently\s+|already\s+|now\s+)?(?:has|have|possesses|operates)\s+(?:a\s+fleet\s+of\s+)?"
                           rf"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|several|some|dozens\s+of)\s+"
                           rf"(?:[\w-]+\s+){{0,3}}?(?:{UNIT_NOUNS})\b"
                           # "Indonesia's two Arrowhead 140 frigates": the country's own equipment
                           # (but "Turkey's first indigenous fighter jet" is the maker's product)
                           rf"|\s*(?:'s|’s)\s+(?!(?:[\w-]+\s+){{0,2}}?(?:indigenous|home-?grown|domestic\w*|locally|national\w*)\b)"
                           rf"(?:[\w-]+\s+){{0,4}}?(?:{UNIT_NOUNS})\b(?!\s+{_MAKER_NOUNS}))")
# (Exported "to" a country; "the biggest arms export deal for Beijing" names the exporter.)
_RECEIVING_BEFORE = re.compile(r"\b(?:(?:sold|sell|sells|selling|sale|sales|supplied|supplies|supplying|supply|deliver|delivered|delivering|"
                               r"build|builds|built|building|construct|constructing|"
                               r"deliveries|delivery|shipped|shipment|shipments|transferred|offered|"
                               r"handed\s+over)\s+(?:[\w-]+\s+){0,10}?(?:to|for)|(?:exported|exports|export)\s+(?:[\w-]+\s+){0,7}?to|"
                               # "the second batch of six J-10Cs has arrived in Pakistan"
                               r"(?:arrived|arrives|arriving|landed|touched\s+down)\s+(?:\w+\s+){0,2}?in)"
                               r"\s+(?:the\s+)?$")
# "The only other country to purchase AH-64Es is Egypt", "the first export customer was Qatar".
_BUYER_IS_BEFORE = re.compile(r"\b(?:to\s+(?:buy|purchase|order|acquire|procure)|buyers?|customers?)\b[^.;]{0,40}?\b(?:is|was|are|were)\s+(?:the\s+)?$")
_COMPANY_AFTER = re.compile(r"\s+(?:aerospace|aeronautics|aircraft\s+(?:industries|corporation)|shipbuilding|shipyards?|"
                            r"(?:heavy\s+|defen[cs]e\s+)?industries|ordnance\s+factor\w+)\b")
# "Rheinmetall has confirmed the contract with the German authorities": a maker's contract with a buyer.
_GOVERNMENT_AFTER = re.compile(r"\s+(?:authorities|military|armed\s+forces|army|navy|air\s+force|defen[cs]e\s+forces)\b")
_US = re.compile(r"u\.?s\.?|us|united\s+states|american|america")
_CONTRACT_WITH_BEFORE = re.compile(r"\b(?:contract|deal|agreement|order)\s+with\s+(?:the\s+)?$")
# "has received firm orders from Norway": orders come from their buyer.
_ORDERS_FROM_BEFORE = re.compile(r"\b(?:orders?|requests?|purchases?)\s+from\s+(?:the\s+)?$")
_COUNTERPARTY_BEFORE = re.compile(r"\b(?:with|from|by)\s+(?:the\s+)?$")
_CONTINENT_BEFORE = re.compile(r"\b(?:latin|central|north|south)[\s-]+$")
# "three P-8s for the German Navy": the service the units are for.
_SERVICE_AFTER = re.compile(r"\s+(?:navy|army|air\s+force|armed\s+forces|marines?|military)\b")
_SERVICE_NAME = re.compile(r"\b(?:navy|army|air\s+force|marines?)$")     # "Royal Canadian Air Force" configured whole
_PAIR_BEFORE = re.compile(r"\b([a-z][a-z .'-]{1,30}?)\s+and\s+(?:the\s+)?$")
_FOR_THE_BEFORE = re.compile(r"\b(?:for|to)\s+(?:the\s+)?(?:royal\s+)?$")
# "the acquisition of Israel's Arrow-3 system", "buy Russia's S-400": the maker's product, bought by another.
_BOUGHT_FROM_BEFORE = re.compile(r"\b(?:acqui\w+|purchas\w+|procur\w+|buy|buys|buying|bought|order|ordered|ordering)\s+"
                                 r"(?:[^.;]{0,40}?\bworth\s+)?(?:[\w-]+\s+of\s+|of\s+)?(?:the\s+)?$")     # "buy $920 million worth of Korea's", "buy 24 of Denmark's"


@dataclass(frozen=True)
class BuyerMention:
    """A country named as the buyer in a sentence."""

    start: int
    end: int
    own: bool          # one of the topic's buyers


# Capitals newsrooms write for their governments ("Doha and New Delhi, which have ordered 36"); CLDR
# has no capitals. Each maps to the CLDR country name (folded) it stands for.
_CAPITALS: dict[str, str] = {
    "new delhi": "india", "islamabad": "pakistan", "beijing": "china", "moscow": "russia", "tokyo": "japan",
    "seoul": "south korea", "taipei": "taiwan", "canberra": "australia", "ottawa": "canada", "london": "united kingdom",
    "paris": "france", "berlin": "germany", "rome": "italy", "madrid": "spain", "warsaw": "poland", "prague": "czechia",
    "bucharest": "romania", "budapest": "hungary", "athens": "greece", "ankara": "turkey", "kyiv": "ukraine",
    "kiev": "ukraine", "helsinki": "finland", "stockholm": "sweden", "oslo": "norway", "copenhagen": "denmark",
    "bern": "switzerland", "brussels": "belgium", "the hague": "netherlands", "amsterdam": "netherlands",
    "lisbon": "portugal", "doha": "qatar", "riyadh": "saudi arabia", "abu dhabi": "united arab emirates",
    "cairo": "egypt", "jakarta": "indonesia", "manila": "philippines", "hanoi": "vietnam", "bangkok": "thailand",
    "kuala lumpur": "malaysia", "brasilia": "brazil", "buenos aires": "argentina", "bogota": "colombia",
    "tehran": "iran", "baghdad": "iraq", "zagreb": "croatia", "belgrade": "serbia", "sofia": "bulgaria",
    "bratislava": "slovakia", "vilnius": "lithuania", "riga": "latvia", "tallinn": "estonia", "dhaka": "bangladesh",
    "colombo": "sri lanka", "pretoria": "south africa", "abuja": "nigeria", "algiers": "algeria", "rabat": "morocco",
    "wellington": "new zealand", "santiago": "chile", "lima": "peru", "mexico city": "mexico", "kabul": "afghanistan",
}


@lru_cache(maxsize=256)
def _buyer_patterns(buyers: tuple[str, ...]) -> tuple[re.Pattern[str], frozenset[str]]:
    """A pattern of every country name and adjective, and which of them are the topic's own."""
    lexicon = currency_lexicon()
    own = {fold_accents(b) for b in buyers}
    own_currencies = {lexicon.country_names[b] for b in own if b in lexicon.country_names}
    own |= {a for a in lexicon.adjectives if lexicon.country_names[a] in own_currencies and
            lexicon.country_names[a] != "EUR"}
    own |= {capital for capital, country in _CAPITALS.items() if country in own}
    names = sorted(set(lexicon.country_names) | set(_CAPITALS) | own, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    return pattern, frozenset(own)


def find_buyers(topic: Topic, sentence: str) -> list[BuyerMention]:
    """Countries the sentence names as buyers; empty when the topic names no buyer."""
    if not topic.buyer:
        return []
    pattern, own = _buyer_patterns(topic.buyer)
    folded = fold_accents(sentence)
    found: list[BuyerMention] = []
    for match in pattern.finditer(folded):
        name = match.group()
        if name == "american" and _CONTINENT_BEFORE.search(folded, max(0, match.start() - 10), match.start()):
            continue     # "the Latin American nation": a region, not the United States
        if _COMPANY_AFTER.match(folded, match.end()):
            continue     # "Korea Aerospace Industries signed a contract": a maker named after its country
        contracted = _contracted_with(folded, match) or _ORDERS_FROM_BEFORE.search(
            folded, max(0, match.start() - 40), match.start()) is not None
        if not contracted and (_COUNTERPARTY_BEFORE.search(folded[max(0, match.start() - 12):match.start()])
                               or _BOUGHT_FROM_BEFORE.search(folded, max(0, match.start() - 70), match.start())):
            continue     # "a deal with Russia to buy", "the purchase of Israel's system": the seller
        is_buyer = (contracted or _BUYING_AFTER.match(folded[match.end():match.end() + 100]) is not None
                    or _BUYER_IS_BEFORE.search(folded, max(0, match.start() - 80), match.start()) is not None
                    or _RECEIVING_BEFORE.search(folded[max(0, match.start() - 60):match.start()]) is not None
                    or ((_SERVICE_AFTER.match(folded, match.end()) is not None or _SERVICE_NAME.search(name) is not None)
                        and _FOR_THE_BEFORE.search(folded, max(0, match.start() - 20), match.start()) is not None))
        if is_buyer:
            mine = name in own or _is_own(name, own)
            pair = _PAIR_BEFORE.search(folded, max(0, match.start() - 40), match.start())
            if not mine and pair and any(pair.group(1) == o or pair.group(1).endswith(" " + o) for o in own):
                continue     # "Kuwait and Italy signed a contract for 28 Typhoons": the buyer's counterparty
            found.append(BuyerMention(match.start(), match.end(), mine))
    return found


def _contracted_with(folded: str, match: re.Match[str]) -> bool:
    """"Rheinmetall has confirmed the contract with the German authorities": a maker's contract with a buyer (but
    "the Romanian government has signed an agreement with the U.S. Army": a buyer's with the seller's agency)."""
    if not _GOVERNMENT_AFTER.match(folded, match.end()) or _US.fullmatch(match.group()):
        return False     # ("a contract with the U.S. Navy to produce five P-8As for Germany": the sale's agent)
    contract = _CONTRACT_WITH_BEFORE.search(folded, max(0, match.start() - 40), match.start())
    countries, _ = _buyer_patterns(())
    return contract is not None and not countries.search(folded, max(0, contract.start() - 100), contract.start())


def _is_own(name: str, own: frozenset[str]) -> bool:
    # "Indian Navy" as a configured buyer covers "Indian" named alone.
    return any(o.startswith(name + " ") or name.startswith(o + " ") for o in own)


# A comma opening a relative clause ("Seoul, which has ordered 36") does not part a buyer from its order.
_CLAUSE_BREAK = re.compile(r"[;:()\[\]—]|,(?!\s*(?:which|who)\b)|\s[–-]\s|\b(?:but|while|whereas|although|unlike)\b")


def belongs_to_other_buyer(buyers: list[BuyerMention], sentence: str, start: int, end: int) -> bool:
    """Is the nearest buyer named in this value's clause (then by characters) another country?"""
    if not buyers:
        return False

    def closeness(buyer: BuyerMention) -> tuple[int, int]:
        low, high = (buyer.end, start) if buyer.end <= start else (end, buyer.start)
        return len(_CLAUSE_BREAK.findall(sentence, low, high)) if high > low else 0, max(0, high - low)

    # "three P-8s for the German Navy": the buyer the units are said to be for.
    meant = [b for b in buyers if 0 <= b.start - end <= 60 and re.fullmatch(
        r"\s+(?:[\w-]+\s+){0,5}?(?:for|to)\s+(?:the\s+)?(?:royal\s+)?", sentence[end:b.start], re.IGNORECASE)]
    nearest = meant[0] if meant else min(buyers, key=closeness)
    # Another country beside the value, or the only buyer the sentence names at all.
    return not nearest.own and (closeness(nearest)[0] == 0 or not any(b.own for b in buyers))


def names_other_buyer(topic: Topic, sentence: str) -> bool:
    """Does the sentence name another country as a buyer, and not the topic's own?"""
    buyers = find_buyers(topic, sentence)
    return bool(buyers) and not any(b.own for b in buyers)


def names_buyer(topic: Topic, text: str) -> bool:
    """Does the text name one of the topic's buyers at all (as buyer or not)?"""
    pattern, own = _buyer_patterns(topic.buyer)
    return any(m.group() in own or _is_own(m.group(), own) for m in pattern.finditer(fold_accents(text)))


# "India signs deal with France", "Poland inked a contract": a party to the purchase (for a whole article).
_SIGNING_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:signs|signed|inks|inked|seals|sealed|finali[sz]es|finali[sz]ed|"
                            r"clinches|clinched|orders|ordered)\b")


def buys_elsewhere(topic: Topic, text: str) -> bool:
    """Does a text that never names the topic's buyer name another country buying or signing?

    Such a text is about another country's order of the same equipment
    ("India signs deal with France for 26 Rafale aircraft" is not Indonesia's).
    """
    if not topic.buyer or names_buyer(topic, text):
        return False
    if find_buyers(topic, text):
        return True
    pattern, _ = _buyer_patterns(topic.buyer)
    folded = fold_accents(text)
    return any(_SIGNING_AFTER.match(folded, m.end()) and not _COUNTERPARTY_BEFORE.search(
        folded[max(0, m.start() - 12):m.start()]) for m in pattern.finditer(folded))
