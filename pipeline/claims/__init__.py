"""Text -> claims: deal values, delivery schedules and unit counts, per tracked topic (pure).

    read_claims(text, topics, published_on, title)
      split_sentences            pipeline.sentences
      read_relevance             passages: which sentences speak of each topic
      find_amounts               money: "$5.5 billion", "Rs 40,000 crore"
      find_delivery_dates        schedule: "in 2026 and 2027", "by 2026-27"
      find_counts                units: "five squadrons", "three delivered"
      belongs_to_topic / choose_subject   passages: excludes and subject cues

Rule-based and offline: regular expressions over each sentence, driven by
the topics' data (terms, subject cues, excludes). Bump READER_VERSION when a
rule changes, so `newswatch claims rebuild` knows stored claims are stale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date
from decimal import Decimal

from pipeline.claims.buyers import (
    BuyerMention, belongs_to_other_buyer, buys_elsewhere, find_buyers, names_buyer, names_other_buyer,
)
from pipeline.claims.currency import currency_lexicon
from pipeline.claims.money import AmountMatch, find_amounts
from pipeline.claims.passages import (
    Relevance,
    SentenceNames,
    TopicPatterns,
    as_of,
    belongs_to_topic,
    choose_subject,
    compile_topic,
    find_names,
    further_order_subject,
    read_relevance,
)
from pipeline.claims.schedule import (
    CALENDAR_YEAR,
    FISCAL_YEARS,
    INDIAN_FISCAL_YEAR,
    FiscalYear,
    find_delivery_dates,
    merge_windows,
    headline_reports_first_delivery,
    reported_delivery,
)
from pipeline.topics import fold, named_only_by_kind, topics_named
from pipeline.claims.units import (
    configured_kind,
    declared_size,
    find_counts,
    lists_platforms_of_several_classes,
    names_only_other_variant,
    names_other_model,
    names_other_brands_purchase,
    names_other_counted_model,
    names_other_models_deal,
    order_sizes,
    speaks_of_other_kind,
    topic_unit_kind,
)
from pipeline.records import Claim, ClaimKind, ClaimValue, Count, Milestone, Money, Topic, Window
from pipeline.sentences import Sentence, split_sentences

__all__ = ["READER_VERSION", "claim_json", "claim_value_json", "read_claims"]

READER_VERSION = "2.8"

# A sentence without a digit, a number word, a month or a period word can hold
# no value, date or count: most sentences of an article are skipped on this.
_MAY_HOLD_CLAIM = re.compile(
    r"\d|year|month|fiscal|financial|\bfy|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|fifteen|twenty|thirty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|autumn|fall|winter)")     # folded (lower-case) text


def read_claims(text: str, topics: Sequence[Topic], published_on: date | None, title: str = "") -> list[Claim]:
    """Claims for every topic that tracks facts; offsets are the sentence's in `text`."""
    every = tuple(topics)
    # Only a text (or title) that names a topic can hold its claims: most pages
    # name none, and are done without splitting them into sentences.
    named = [compile_topic(t, every, named_only_by_kind(t, text, title))
             for t in topics_named(text, title, [t for t in every if t.track])]
    if not named:
        return []
    kept = _for_named_buyers(named, f"{title}\n{text}")
    dropped = [p for p in named if p not in kept]
    if dropped:
        # Another buyer's order of the same system, which the article is not about, does not compete
        # for its sentences ("Saab" of Colombia's Gripens in a report on Brazil's); another system does.
        kept = [compile_topic(p.topic, tuple(t for t in every if not any(
            d.topic.id == t.id and _rivals(d, [p]) for d in dropped)), named_only_by_kind(p.topic, text, title))
            for p in kept]
    named = [as_of(p, published_on) for p in kept]
    sentences = split_sentences(text)
    headline_first = headline_reports_first_delivery(title)
    claims: list[Claim] = []
    money_context: _MoneyContext | None = None
    for patterns in named:
        relevance = read_relevance(patterns, sentences, title)
        order_size = _order_size(patterns, sentences, relevance) or _default_order_size(patterns.topic)
        kind_of_topic = topic_unit_kind(f"{title}\n{text}", patterns.unit_terms) or _configured_kind(patterns.topic)
        topic_money: tuple[tuple[str, ...], str] | None = None     # the topic's currencies and its bare "$"
        for index, (sentence, rel) in enumerate(zip(sentences, relevance)):
            if not ((rel.named or rel.carried) and _MAY_HOLD_CLAIM.search(fold(sentence.text))):
                continue
            if rel.carried and rel.context is not None and names_other_buyer(
                    patterns.topic, sentences[rel.context].text if rel.context >= 0 else title):
                continue    # carries on a passage about another country's order
            if index > 0 and patterns.topic.buyer and names_other_buyer(patterns.topic, sentences[index - 1].text) \
                    and not find_buyers(patterns.topic, sentence.text) and not names_buyer(patterns.topic, sentence.text):
                continue    # "Ukraine has received four IRIS-T SLM. A further 17 IRIS-T systems are yet to come": Ukraine's
            if rel.carried and (_ANOTHER_PURCHASE.search(fold(sentence.text)) or (
                    index > 0 and not relevance[index - 1].named
                    and _ANOTHER_PURCHASE.search(fold(sentences[index - 1].text)))):
                continue    # "Copenhagen will also buy anti-drone defences worth ...": something else
            if rel.carried and names_other_model(sentence.text, patterns.unit_terms):
                continue    # carries on with another model: "the P-8 aircraft that will be delivered from 2022"
            if rel.carried and index > 0 and lists_platforms_of_several_classes(sentences[index - 1].text):
                continue    # carries on from "980 K2 tanks, 648 K9 howitzers and 48 FA-50 jets": a package
            if names_only_other_variant(sentence.text, patterns.unit_terms):
                continue    # "14 Leopard 2A4 tanks" for a topic of the Leopard 2A8: another variant
            if rel.carried and index > 0 and speaks_of_other_kind(sentences[index - 1].text, kind_of_topic,
                                                                  patterns.unit_terms):
                continue    # carries on from "three Chinese subs for 36 billion baht": another purchase
            if money_context is None:
                money_context = _money_context(text, title)
            if topic_money is None:
                topic_money = (_buyer_currencies(patterns.topic) + money_context.preferred,
                               _buyer_dollar(patterns.topic, money_context))
            preferred, dollar = topic_money
            reading = _SentenceReading(published_on=published_on,
                                       context=tuple(_context(sentences, rel, index, title)),
                                       preferred=preferred, dollar=dollar, fiscal=_fiscal_year(patterns.topic),
                                       order_size=order_size, kind_of_topic=kind_of_topic,
                                       headline_first=headline_first)
            claims.extend(_read_sentence(patterns, sentence, reading))
    return _superseded_throughout(_superseded_by_a_percentage_rise(_superseded_by_a_later_rise(claims), text))


# "... with a tentative cost estimate of ₹43,000 crore. However, subsequent bids escalated the price dramatically
# to over ₹1.2 lakh crore": the figure a later sentence says the price rose to supersedes the one before it.
_ROSE_TO = re.compile(r"\b(?:escalat\w+|rose|risen|rises|increas\w+|jump\w*|balloon\w*|soar\w*|climb\w*|surg\w+|swell\w*|"
                      r"shot\s+up|went\s+up|gone\s+up)\b[^.;]{0,60}?\bto\s+(?:over\s+|about\s+|nearly\s+|around\s+|almost\s+|"
                      r"more\s+than\s+)?\S*\d")


def _superseded_by_a_later_rise(claims: list[Claim]) -> list[Claim]:
    """Current values of a subject stated before a sentence that says the price rose to another figure are superseded."""
    risen = [c for c in claims if c.kind is ClaimKind.DEAL_VALUE and not c.historical and _ROSE_TO.search(fold(c.text))]
    if not risen:
        return claims
    return [replace(c, historical=True) if c.kind is ClaimKind.DEAL_VALUE and not c.historical and any(
        r.topic == c.topic and r.subject == c.subject and r.start > c.start and r.value != c.value for r in risen)
        else c for c in claims]


# "But Washington told Tokyo in 2017 that the cost would rise by 23 percent": a rise with no new figure.
_PERCENT_RISE = re.compile(r"\b(?:cost|costs|price|price\s+tag|bill|value)\b[^.;$€£¥₹]{0,60}?\b(?:rise|rises|rose|risen|"
                           r"increase[sd]?|jump(?:s|ed)?|climb(?:s|ed)?|grow|grew|grown|go\s+up|went\s+up|gone\s+up|"
                           r"balloon(?:s|ed)?|soar(?:s|ed)?|swell(?:s|ed)?)\s+(?:by\s+)?(?:about\s+|around\s+|some\s+|nearly\s+|"
                           r"almost\s+|more\s+than\s+|over\s+)?\d+(?:\.\d+)?\s*(?:%|per\s*cent|percent)(?![^.;]{0,40}?\bto\s+[$€£¥₹\d])")
# How far after a value a rise without a figure still speaks of it (about two sentences).
_RISE_REACH = 320


def _superseded_by_a_percentage_rise(claims: list[Claim], text: str) -> list[Claim]:
    """Values stated before a later sentence that says the cost rose by a percentage, with no new figure, are no
    longer current."""
    if not any(c.kind is ClaimKind.DEAL_VALUE and not c.historical for c in claims):
        return claims
    folded = fold(text)
    rises = [m.start() for m in _PERCENT_RISE.finditer(folded)] if "%" in folded or "cent" in folded else []
    if not rises:
        return claims
    return [replace(c, historical=True) if c.kind is ClaimKind.DEAL_VALUE and not c.historical and any(
        c.end <= at <= c.end + _RISE_REACH for at in rises) else c for c in claims]


def _superseded_throughout(claims: list[Claim]) -> list[Claim]:
    """A count or amount the article gives as superseded is superseded wherever it repeats it.

    "The government cut the frigates from nine to six. ... building all nine frigates would
    have cost ...": the second nine is still the old order, not a reading that the order is nine.
    """
    def key(claim: Claim) -> tuple[str, str, ClaimKind, str]:
        return claim.topic, claim.subject, claim.kind, str(claim.value)

    superseded = {key(c) for c in claims if c.historical and isinstance(c.value, (Count, Money))}
    if not superseded:
        return claims
    current = {key(c)[:3] for c in claims if not c.historical and key(c) not in superseded}
    return [replace(c, historical=True) if key(c) in superseded and key(c)[:3] in current else c for c in claims]


def _for_named_buyers(named: list[TopicPatterns], text: str) -> list[TopicPatterns]:
    """Of the topics an article names, those whose buyer it names (Denmark's F-35, not Switzerland's).

    When it names no topic's buyer, topics that share their names with
    another are dropped: the same words could be either deal.
    """
    named = [p for p in named if not buys_elsewhere(p.topic, text)]
    # A topic named only by a subject cue ("24 jets") of an article that never names its buyer is a guess.
    named = [p for p in named if not p.topic.buyer or p.terms.search(fold(text)) or names_buyer(p.topic, text)]
    with_buyer = {p.topic.id for p in named if p.topic.buyer and names_buyer(p.topic, text)}
    if not with_buyer:
        # No buyer named: a value the same words could give to several topics is nobody's.
        return [p for p in named if not p.topic.buyer or not _rivals(p, named)]
    # "UAE buys 80 Rafale ..., after deals in Greece, Egypt and Croatia": of deals for the same system
    # whose buyers the article names, those it names as buying.
    rivals = {p.topic.id: [r.topic.id for r in _rivals(p, named)] for p in named if p.topic.id in with_buyer}
    if any(set(ids) & with_buyer for ids in rivals.values()):
        buying = {p.topic.id for p in named if p.topic.id in with_buyer and any(b.own for b in find_buyers(p.topic, text))}
        with_buyer -= {t for t, ids in rivals.items() if t not in buying and set(ids) & buying}
    # An article that names one topic's buyer is not about another buyer's deal it never names.
    return [p for p in named if p.topic.id in with_buyer or not p.topic.buyer]


def _rivals(patterns: TopicPatterns, named: list[TopicPatterns]) -> list[TopicPatterns]:
    """Other topics with buyers that one of this topic's terms also names."""
    return [p for p in named if p.topic.id != patterns.topic.id and p.topic.buyer
            and any(p.terms.search(fold(term)) for term in patterns.topic.terms)]


# A sentence that carries on a passage but says the buyer also buys something: another purchase.
_ANOTHER_PURCHASE = re.compile(r"\b(?:also|separately|in\s+addition)\s+(?:\w+\s+){0,3}?(?:buy|buys|bought|purchas\w+|order\w*|"
                               r"acquir\w+|procur\w+|sign\w*|clear\w*|approv\w+|award\w*|ink\w*|contract\w*)\b|"
                               r"\bin\s+(?:another|a\s+separate|an\s+unrelated)\s+(?:development|move|deal|decision)\b|"
                               r"\bas\s+part\s+of\s+(?:another|a\s+separate|a\s+different)\b")


@dataclass(frozen=True)
class _SentenceReading:
    """What reading one sentence needs from its article."""

    published_on: date | None
    context: tuple[str, ...]           # earlier sentences of the passage, nearest first, then the title
    preferred: tuple[str, ...]         # currencies of the buyer and the countries the article names
    dollar: str                        # what a bare "$" means in this article
    fiscal: FiscalYear                 # how the buyer's government counts "fiscal 2026"
    order_size: int | None             # units the article says were ordered: "the fifth" of five is the last
    kind_of_topic: str | None = None   # the kind of equipment the article writes after the topic's terms
    headline_first: bool = False       # the headline reports the first delivery


@dataclass(frozen=True)
class _MoneyContext:
    """What an article says that decides its currencies, read once per article."""

    preferred: tuple[str, ...]       # currencies of the countries it names, in order of first mention
    written: frozenset[str]          # the dollars it writes out ("A$", "US$", "Canadian dollars")
    dollar: str                      # what its bare "$" means


def _money_context(text: str, title: str) -> _MoneyContext:
    """The currencies of the countries an article names, and what its bare "$" means.

    A bare "$" is US dollars unless the article writes another dollar out
    ("A$", "Australian dollars") and never US dollars.
    """
    lexicon = currency_lexicon()
    whole = f"{title}\n{text}"
    written = frozenset(c for c in (lexicon.resolve(m.group()) for m in _DOLLAR_WRITTEN.finditer(fold(whole))) if c)
    dollar = "USD"
    if written and "USD" not in written and len(written) == 1:
        dollar = next(iter(written))
    return _MoneyContext(preferred=tuple(lexicon.currencies_named(whole)), written=written, dollar=dollar)


# A sale the US government approves or contracts is priced in US dollars, whoever the buyer.
_US_SALE = re.compile(r"\b(?:state\s+department|defen[cs]e\s+security\s+cooperation\s+agency|dsca|foreign\s+military\s+"
                      r"sales?|fms|pentagon|u\.?s\.?\s+(?:navy|air\s+force|army)\s+(?:has\s+)?(?:awarded|granted))\b")
# "Boeing was given an $8.6 billion contract for the F-15 Israel Program, the Pentagon said": the maker's
# production contract inside a US sale, not the price the buyer agreed.
_MAKERS_AWARD = re.compile(r"\b(?:(?:has|have|was|were|had|been)\s+(?:been\s+)?(?:given|awarded)\b(?!\s+to\s+(?:the\s+)?(?:government|"
                           r"kingdom|republic|country))|awarded\s+(?:to\s+)?(?:the\s+company|lockheed|boeing|raytheon|"
                           r"general\s+dynamics|northrop|sikorsky|bae)|(?:received|receives|secured|secures|won|wins|landed|got|gets)"
                           r"\s+(?:an?\s+)?(?:\S+\s+){0,6}?(?:contract|modification|award))")
_US_CONTRACTING = re.compile(r"\b(?:pentagon|department\s+of\s+defen[cs]e|defen[cs]e\s+department|dod|contract\s+modification|"
                             r"army\s+contracting\s+"
                             r"command|naval\s+(?:air|sea)\s+systems\s+command|u\.?s\.?\s+(?:army|navy|air\s+force)|"
                             r"foreign\s+military\s+sales?|fms)\b")
# Buyers whose own newsrooms write their dollar as a bare "$" (Canada's "$19 billion" is C$).
_LOCAL_DOLLARS = frozenset({"CAD", "AUD", "NZD"})


def _buyer_dollar(topic: Topic, money: _MoneyContext) -> str:
    """What a bare "$" means for this topic: the buyer's own dollar where its press writes it so.

    An article that writes out a dollar other than the buyer's and the US
    dollar keeps the article's own reading.
    """
    buyer = _buyer_currencies(topic)[:1]
    if not buyer or buyer[0] not in _LOCAL_DOLLARS:
        return money.dollar
    return money.dollar if money.written - {"USD", buyer[0]} else buyer[0]


def _order_size(patterns: TopicPatterns, sentences: Sequence[Sentence], relevance: Sequence[Relevance]) -> int | None:
    """How many units the article says were ordered (the count it gives most often), if it says."""
    sizes: dict[int, int] = {}
    for sentence, rel in zip(sentences, relevance):
        if rel.named or rel.carried:
            for size in order_sizes(sentence.text, patterns.unit_terms):
                sizes[size] = sizes.get(size, 0) + 1
    return max(sizes, key=lambda n: (sizes[n], n)) if sizes else None


@lru_cache(maxsize=256)
def _default_order_size(topic: Topic) -> int | None:
    """The size the default subject's cues declare ("five squadrons"), when the article gives none."""
    sizes = {n for s in topic.subjects if s.default for n in map(declared_size, s.cues) if n}
    return sizes.pop() if len(sizes) == 1 else None


def _fiscal_year(topic: Topic) -> FiscalYear:
    """The buyer's financial year; India's for a topic that names no buyer (the built-in deals' buyer)."""
    currencies = _buyer_currencies(topic)
    if not currencies:
        return INDIAN_FISCAL_YEAR
    return FISCAL_YEARS.get(currencies[0], CALENDAR_YEAR)


@lru_cache(maxsize=256)
def _buyer_currencies(topic: Topic) -> tuple[str, ...]:
    lexicon = currency_lexicon()
    return tuple(c for b in topic.buyer for c in lexicon.currencies_named(b))


# Dollars written with their country: "A$", "AU$", "NZ$", "Australian dollars", "US$", "USD".
_DOLLAR_WRITTEN = re.compile(r"(?<![\w$])(?:[a-z]{1,3}\$|u\.s\.\$|usd|aud|cad|nzd|sgd|hkd|twd|"
                             r"(?:us|u\.s\.|australian|canadian|new zealand|singapore|hong kong|new taiwan|taiwan)"
                             r"\s+dollars?)(?!\w)")


def _context(sentences: Sequence[Sentence], rel: Relevance, index: int, title: str) -> list[str]:
    """Where a sentence without a subject cue of its own looks for one, nearest first.

    Only sentences that do not name the topic by a term borrow a subject from
    the passage: one that names the system itself ("India has received some
    S-400 units") speaks of it in general, which is the default subject.
    """
    if rel.by_term or rel.context is None:
        return []
    previous = [sentences[i].text for i in range(index - 1, max(rel.context, 0) - 1, -1)]
    return previous + ([title] if title else [])


def _read_sentence(patterns: TopicPatterns, sentence: Sentence, reading: _SentenceReading) -> list[Claim]:
    topic = patterns.topic
    published_on, context = reading.published_on, reading.context
    buyers_found: list[list[BuyerMention]] = []

    def other_buyer(start: int, end: int) -> bool:
        if not buyers_found:
            buyers_found.append(find_buyers(topic, text))
        return belongs_to_other_buyer(buyers_found[0], text, start, end)

    text = sentence.text
    folded = fold(text)
    claims: list[Claim] = []
    names_found: list[SentenceNames] = []

    def names() -> SentenceNames:
        # Searched only once a value is found: most sentences of a passage hold none.
        if not names_found:
            names_found.append(find_names(patterns, text))
        return names_found[0]

    def make(kind: ClaimKind, value: ClaimValue, subject: str, historical: bool) -> Claim:
        return Claim(topic=topic.id, subject=subject, kind=kind, value=value, text=text,
                     start=sentence.start, end=sentence.end, historical=historical)

    if (ClaimKind.DEAL_VALUE in topic.track and not lists_platforms_of_several_classes(text)
            and not speaks_of_other_kind(text, reading.kind_of_topic, patterns.unit_terms)):
        seen: set[tuple[str, Money]] = set()
        dollar = "USD" if _US_SALE.search(folded) else reading.dollar
        award = _MAKERS_AWARD.search(folded)
        makers_award = award is not None and any(
            _US_CONTRACTING.search(fold(words)) for words in (text, *context))
        if makers_award and award is not None and not other_buyer(award.start(), award.end()) and any(
                b.own and b.end <= award.start() for b in buyers_found[0]):
            makers_award = False     # "India today awarded Boeing a $1 billion contract": the buyer's own award
        for amount in ([] if makers_award else find_amounts(text, reading.preferred, dollar, reading.published_on)):
            if (not amount.is_deal_value or not belongs_to_topic(names(), text, amount.start, amount.end)
                    or other_buyer(amount.start, amount.end)
                    or _of_something_else(patterns, text, folded, amount, award is not None)):
                continue
            subject = choose_subject(patterns, text, amount.start, amount.end, context)
            if (subject, amount.money) not in seen:
                seen.add((subject, amount.money))
                claims.append(make(ClaimKind.DEAL_VALUE, amount.money, subject, amount.historical))
    if ClaimKind.DELIVERY_SCHEDULE in topic.track and not speaks_of_other_kind(text, reading.kind_of_topic,
                                                                               patterns.unit_terms):
        # One schedule per sentence and subject (and per reading, current or superseded).
        # A start ("from 2028") is never merged with a dated window ("in 2026 and 2027").
        groups: dict[tuple[str, bool, Milestone | None, bool, int], list[Window]] = {}
        dates = find_delivery_dates(text, published_on, reading.fiscal, reading.order_size, reading.headline_first)
        reported = None if dates else reported_delivery(text, published_on)
        revision, previous_end = 0, None
        for found in dates or ([reported] if reported else []):
            if previous_end is not None and _THEN.search(folded, previous_end, found.start):
                revision += 1     # "scheduled for 2019, then end 2023": successive plans, not one window
            previous_end = found.end
            if _SEPARATE_DEAL.search(folded, 0, found.start):
                continue
            if belongs_to_topic(names(), text, found.start, found.end) and not other_buyer(found.start, found.end):
                subject = choose_subject(patterns, text, found.start, found.end, context)
                key = (subject, found.historical, found.window.milestone, found.window.latest is None, revision)
                groups.setdefault(key, []).append(found.window)
        for (subject, historical, milestone, _, _), windows in groups.items():
            # Several next batches in one sentence: the nearest is the next one.
            window = windows[0] if milestone is Milestone.NEXT else merge_windows(windows)
            claims.append(make(ClaimKind.DELIVERY_SCHEDULE, window, subject, historical))
    kinds = {ClaimKind.UNITS_ORDERED, ClaimKind.UNITS_DELIVERED} & set(topic.track)
    if kinds:
        counted: set[tuple[ClaimKind, str, int]] = set()
        for count in find_counts(text, patterns.unit_terms, _declared_sizes(topic)[0], reading.kind_of_topic):
            if (count.kind not in kinds or not belongs_to_topic(names(), text, count.start, count.end)
                    or other_buyer(count.start, count.end) or _for_the_topics(patterns, folded, count.end)):
                continue
            subject = choose_subject(patterns, text, count.start, count.end, context)
            if count.proposed and subject != further_order_subject(patterns):
                continue     # weighed, not bought: only a subject for further orders tracks such talk
            if (count.kind, subject, count.count) not in counted:
                counted.add((count.kind, subject, count.count))
                claims.append(make(count.kind, Count(count.count), subject, count.historical))
    return _of_declared_orders(topic, text, claims)


@lru_cache(maxsize=256)
def _configured_kind(topic: Topic) -> str | None:
    return configured_kind(topic.terms, topic.name)


@lru_cache(maxsize=256)
def _declared_sizes(topic: Topic) -> tuple[frozenset[int], bool]:
    """The order sizes the topic's subject cues state, and whether every subject states one."""
    per_subject = [{n for n in map(declared_size, s.cues) if n} for s in topic.subjects]
    sizes = frozenset(n for found in per_subject for n in found)
    return sizes, bool(per_subject) and all(per_subject)


# "200 missiles for its Patriot systems", "an order worth EUR 1 billion for the procurement of 200 missiles for its
# Patriot": what is bought for the topic's equipment, not the equipment.
_FOR_ITS = re.compile(r"\s+(?:for|accompanying|supporting|to\s+support)\s+(?:its|their|the|his|her)\s+(?:[\w-]+\s+){0,2}?")
_BOUGHT_AFTER = re.compile(r"[^.;]{0,30}?\b(?:for|of)\s+(?:the\s+)?(?:procurement|purchase|acquisition|supply)\s+of\s+"
                           r"(?:[\w-]+\s+){0,3}?[\w-]+(?=\s+for\s)")


def _for_the_topics(patterns: TopicPatterns, folded: str, end: int) -> bool:
    """Is what ends at `end` said to be for the topic's equipment ("missiles for its Patriot systems")?"""
    said = _FOR_ITS.match(folded, end)
    return said is not None and patterns.terms.match(folded, said.end()) is not None


def _of_something_else(patterns: TopicPatterns, text: str, folded: str, amount: AmountMatch, awarded: bool) -> bool:
    """Is a contract's worth in the sentence another thing's than the topic's purchase?"""
    money = amount.money
    if money.amount < _LEAST_DEAL and money.precision <= 1:
        return True     # "Rs 20,000" with its "crore" left out: no purchase of equipment costs that
    if awarded and money.precision <= _TO_THE_DOLLAR and money.amount >= 1_000_000:
        return True     # "Lockheed Martin has been awarded an $841,877,905 contract": a contract notice's figure
    if names_other_models_deal(text[max(0, amount.start - 80):amount.start], patterns.unit_terms):
        return True     # "the proposed AH-1Z contract, which was valued at $2.6 billion" beside an Apache deal
    if names_other_counted_model(text[max(0, amount.start - 80):amount.start], patterns.unit_terms):
        return True     # "18 FA-50M valued at RM4 billion and two ATR 72 MPA aircraft worth RM700 million"
    if names_other_brands_purchase(text[max(0, amount.start - 90):amount.start], patterns.unit_terms, before=True) or \
            names_other_brands_purchase(text[amount.end:amount.end + 70], patterns.unit_terms, before=False):
        return True     # "the purchase of the Israeli-made Arrow system for as much as €4 billion" beside an IRIS-T deal
    bought = _BOUGHT_AFTER.match(folded, amount.end)
    return bought is not None and _for_the_topics(patterns, folded, bought.end())


# Amounts below this with no scale ("Rs 20,000") are misprints, not the price of equipment.
_LEAST_DEAL = Decimal(100_000)
# An amount written to the dollar (or nearly) beside an award to a maker comes from a government contract notice.
_TO_THE_DOLLAR = Decimal(1000)
_THEN = re.compile(r"(?:,|\band)\s*(?:then|later|followed\s+by)\b")
# "22 Apaches under a separate deal, the last of which arrived in July 2021": another contract's dates
# (an "earlier order" of the same deal is still the deal).
_SEPARATE_DEAL = re.compile(r"\b(?:separate|different)\s+(?:\w+\s+)?(?:deal|contract|order|agreement)\b")


# "The State Department approved a possible sale of 36 Apaches": the sale approved before the order, often larger.
_APPROVED_SALE = re.compile(r"\bapprov\w+\s+[^;]{0,40}?\b(?:sale|foreign\s+military\s+sales?|fms)\b")


# Words with which a sentence revises the order it speaks of: a new size is then a change, not another deal.
_REVISED_ORDER = re.compile(r"\b(?:instead\s+of|rather\s+than|only|now|cut\w*|reduc\w+|trim\w*|lower\w*|scal\w+\s+back|"
                            r"down\s+from|up\s+from|increas\w+|rais\w+|expand\w*|more|additional|another|further|extra|"
                            r"new|fewer|than|revis\w+|amend\w*|option\w*)\b")


def _of_declared_orders(topic: Topic, text: str, claims: list[Claim]) -> list[Claim]:
    """Drop what a sentence says of another order of the same equipment, by the sizes the subjects declare.

    A sentence that gives a larger order size than any subject has ("36
    Rafale jets" for a topic of 26) speaks of another order, unless it
    revises the order; a total delivered beyond every declared order ("all
    110 jets delivered") is not this deal's.
    """
    sizes, every_subject = _declared_sizes(topic)
    if not sizes:
        return claims
    ordered = [c.value.count for c in claims if c.kind is ClaimKind.UNITS_ORDERED and isinstance(c.value, Count)
               and not c.historical]
    most = sum(sizes)
    folded = fold(text)
    # Only a larger order: a smaller count is as often a part of this one ("22 fighters and four trainers").
    if (every_subject and ordered and not any(n in sizes for n in ordered) and min(ordered) > most
            and not (_REVISED_ORDER.search(folded) or _APPROVED_SALE.search(folded))):
        return []
    return [c for c in claims if not (c.kind is ClaimKind.UNITS_DELIVERED and isinstance(c.value, Count)
                                      and c.value.count > most)]


def claim_value_json(value: ClaimValue) -> dict[str, object]:
    """The spec's JSON form of a claim value."""
    if isinstance(value, Money):
        return {"amount": _number(value.amount), "currency": value.currency}
    if isinstance(value, Window):
        return {"earliest": value.earliest.isoformat() if value.earliest else None,
                "latest": value.latest.isoformat() if value.latest else None,
                "milestone": value.milestone.value if value.milestone else None}
    return {"count": value.count}


def claim_json(claim: Claim) -> dict[str, object]:
    """The spec's JSON object for one claim ("historical" only when it is)."""
    data: dict[str, object] = {
        "topic": claim.topic, "subject": claim.subject, "kind": claim.kind.value,
        "value": claim_value_json(claim.value), "text": claim.text,
        "start": claim.start, "end": claim.end,
    }
    if claim.historical:
        data["historical"] = True
    return data


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)
