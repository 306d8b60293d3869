"""Claims for any deal: currencies from CLDR, whose number an amount is, buyers, milestones, service entry.

Sentences are written in our own words, one family of phrasing per table.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pipeline.claims import read_claims
from pipeline.claims.money import AmountRole, find_amounts
from pipeline.mentions import find_mentions
from pipeline.records import ClaimKind, Count, Milestone, Money, Subject, Topic, Window
from pipeline.sentences import split_sentences
from pipeline.topics import load_builtin_topics


def _topic(topic_id: str, terms: tuple[str, ...], buyer: tuple[str, ...] = ()) -> Topic:
    return Topic(id=topic_id, name=topic_id, terms=terms, buyer=buyer,
                 subjects=(Subject(id=f"{topic_id}-order", default=True),))


HOWITZER = _topic("k9-no", ("K9", "K9 Vidar"), buyer=("Norway", "Norwegian"))
TANK = _topic("k2-pl", ("K2", "Black Panther"), buyer=("Poland", "Polish"))
JET_DK = _topic("f35-dk", ("F-35", "F-35A"), buyer=("Denmark", "Danish"))
JET_CH = _topic("f35-ch", ("F-35", "F-35A"), buyer=("Switzerland", "Swiss"))
MISSILE_JP = _topic("tomahawk-jp", ("Tomahawk",), buyer=("Japan", "Japanese"))
S400 = load_builtin_topics()


def _values(text: str, topics: tuple[Topic, ...], published_on: date = date(2025, 6, 1),
            title: str = "") -> list[Money]:
    return [c.value for c in read_claims(text, topics, published_on, title)
            if c.kind is ClaimKind.DEAL_VALUE and isinstance(c.value, Money) and not c.historical]


def _amounts(text: str, topic: Topic) -> list[Decimal]:
    return [v.amount for v in _values(text, (topic,))]


@pytest.mark.parametrize(("text", "topic", "amount", "currency"), [
    ("Norway signed a NOK 2.4 billion contract for 24 more K9 howitzers.", HOWITZER, "2400000000", "NOK"),
    ("The K9 order is worth 4 billion Norwegian kroner.", HOWITZER, "4000000000", "NOK"),
    ("Oslo agreed to buy the K9 guns for 2.1 billion kroner.", HOWITZER, "2100000000", "NOK"),
    ("Poland's second K2 contract is worth 6.5 billion zlotys.", TANK, "6500000000", "PLN"),
    ("Warsaw signed the K2 deal for 8.16 trillion won.", TANK, "8160000000000", "KRW"),
    ("Denmark's F-35 purchase was valued at DKK 21 bn.", JET_DK, "21000000000", "DKK"),
    ("The Swiss contract for 36 F-35A jets is worth CHF 6.035 billion.", JET_CH, "6035000000", "CHF"),
    ("Japan signed a ¥254 billion contract for 400 Tomahawk missiles.", MISSILE_JP, "254000000000", "JPY"),
    ("Japan will buy Tomahawk missiles in a deal worth two hundred and fifty billion yen.", MISSILE_JP,
     "250000000000", "JPY"),
    ("India signed the S-400 deal worth $5.43 billion.", S400[0], "5430000000", "USD"),
])
def test_any_currency_by_code_symbol_or_name(text: str, topic: Topic, amount: str, currency: str) -> None:
    values = _values(text, (topic,))
    assert [(v.amount, v.currency) for v in values] == [(Decimal(amount), currency)]


def test_one_value_in_two_currencies_is_two_claims() -> None:
    values = _values("Norway signed a NOK 1.8 billion ($180 million) contract for K9 howitzers.", (HOWITZER,))
    assert {(v.amount, v.currency) for v in values} == {(Decimal("1800000000"), "NOK"),
                                                         (Decimal("180000000"), "USD")}


@pytest.mark.parametrize(("text", "role"), [
    ("Each K9 howitzer costs about $4 million apiece under the deal.", AmountRole.UNIT_PRICE),
    ("The unit cost of the K2 under the contract is $8.5 million.", AmountRole.UNIT_PRICE),
    ("Poland has already paid $1.2 billion for the K2 tanks.", AmountRole.PAID),
    ("An advance payment of NOK 300 million was made under the contract.", AmountRole.ADVANCE),
    ("Korea's export bank offered a loan of $6 billion to finance the K2 purchase.", AmountRole.LOAN),
    ("The defence budget of $40 billion covers the K2 purchase.", AmountRole.BUDGET),
    ("Arms deals worth $20 billion were signed with Korea, the K2 among them.", AmountRole.AGGREGATE),
    ("The cost of the F-35 contract rose by CHF 1.3 billion.", AmountRole.INCREASE),
    ("GE won a $1 billion contract for engines for the jets.", AmountRole.COMPONENT),
    ("Poland signed a $6.5 billion contract for 180 K2 tanks.", AmountRole.CONTRACT),
])
def test_whose_number_an_amount_is(text: str, role: AmountRole) -> None:
    assert [a.role for a in find_amounts(text)] == [role]


@pytest.mark.parametrize("text", [
    "Each K9 howitzer costs about $4 million apiece under the deal.",
    "Poland has already paid $1.2 billion for the K2 tanks.",
    "The cost of the K2 contract rose by $1.3 billion.",
])
def test_amounts_that_are_not_the_contract_give_no_value(text: str) -> None:
    assert _values(text, (HOWITZER, TANK)) == []


@pytest.mark.parametrize("text", [
    "The K2 contract was originally valued at $3.4 billion but now costs $4.1 billion.",
    "The cost of the K2 deal has risen from $3.4 billion to $4.1 billion.",
    "Instead of the initially planned price of $3.4 billion, the K2 contract now costs $4.1 billion.",
])
def test_a_superseded_value_is_historical_and_the_new_one_is_current(text: str) -> None:
    claims = [c for c in read_claims(text, (TANK,), date(2025, 6, 1)) if c.kind is ClaimKind.DEAL_VALUE]
    current = {c.value.amount for c in claims if isinstance(c.value, Money) and not c.historical}
    earlier = {c.value.amount for c in claims if isinstance(c.value, Money) and c.historical}
    assert (current, earlier) == ({Decimal("4100000000")}, {Decimal("3400000000")})


def test_another_buyers_order_of_the_same_system_is_not_the_topics() -> None:
    text = "Turkey bought the S-400 for $2.5 billion in 2017, while India's S-400 contract is worth $5.43 billion."
    assert [v.amount for v in _values(text, S400)] == [Decimal("5430000000")]


def test_topics_sharing_a_name_keep_the_claims_of_the_buyer_the_text_names() -> None:
    text = "Switzerland signed the contract for 36 F-35A jets worth CHF 6 billion."
    claims = read_claims(text, (JET_DK, JET_CH), date(2022, 9, 19))
    assert {c.topic for c in claims} == {"f35-ch"}


@pytest.mark.parametrize(("text", "expected"), [
    ("The third K9 battery is due by spring 2030 and the last in 2031.",
     {(Milestone.NEXT, None, date(2030, 5, 31)), (Milestone.LAST, date(2031, 1, 1), date(2031, 12, 31))}),
    ("K9 deliveries will begin in 2027.", {(Milestone.FIRST, date(2027, 1, 1), None)}),
    ("The first K9 guns will arrive in 2026, with all of them delivered by 2028.",
     {(Milestone.FIRST, date(2026, 1, 1), date(2026, 12, 31)), (Milestone.LAST, None, date(2028, 12, 31))}),
    ("K9 deliveries are planned in the early 2030s.", {(None, date(2030, 1, 1), date(2033, 12, 31))}),
])
def test_schedules_say_what_they_date(text: str, expected: set[tuple[Milestone | None, date | None, date | None]]
                                      ) -> None:
    claims = [c for c in read_claims(text, (HOWITZER,), date(2025, 6, 1)) if c.kind is ClaimKind.DELIVERY_SCHEDULE]
    got = {(c.value.milestone, c.value.earliest, c.value.latest) for c in claims if isinstance(c.value, Window)}
    assert got == expected


@pytest.mark.parametrize("text", [
    "The K9 howitzers are expected to become operational in 2029.",
    "Full operating capability for the K9 fleet is expected in 2030.",
    "The new K9 units will enter service in 2028.",
])
def test_service_entry_is_not_a_delivery_date(text: str) -> None:
    assert [c for c in read_claims(text, (HOWITZER,), date(2025, 6, 1))
            if c.kind is ClaimKind.DELIVERY_SCHEDULE] == []


def test_a_duration_counts_from_the_start_the_sentence_gives() -> None:
    text = "The K9 guns are to be delivered within 24 months of the contract signed in March 2024."
    claims = [c for c in read_claims(text, (HOWITZER,), date(2025, 6, 1)) if c.kind is ClaimKind.DELIVERY_SCHEDULE]
    assert [c.value.latest for c in claims if isinstance(c.value, Window)] == [date(2026, 3, 1)]


def test_mentions_and_claims_use_one_matcher() -> None:
    # A plural of a term: the claim reader reads it, so the mention matcher must find it.
    text = "Norway ordered 24 more K9s in a NOK 2.4 billion contract."
    claims = read_claims(text, (HOWITZER,), date(2025, 6, 1))
    assert claims and [m.topic for m in find_mentions(text, (HOWITZER,))] == ["k9-no"]


def test_a_topic_named_only_in_the_title_is_mentioned() -> None:
    mentions = find_mentions("The contract was signed on Friday.", (HOWITZER,), title="Norway buys more K9 guns")
    assert [(m.topic, m.sentence) for m in mentions] == [("k9-no", "Norway buys more K9 guns")]


@pytest.mark.parametrize(("text", "sentences"), [
    ("Deliveries end in 2026.The next batch follows.", ["Deliveries end in 2026.", "The next batch follows."]),
    ("The K9 contract\nwas signed in 2017. Then more.", ["The K9 contract\nwas signed in 2017.", "Then more."]),
    ("The U.S. approved it. Done.", ["The U.S. approved it.", "Done."]),
])
def test_sentences_survive_missing_spaces_and_broken_lines(text: str, sentences: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == sentences




def test_the_real_world_set_names_only_configured_topics_and_subjects() -> None:
    from benchmarks.claims_world import DATA, load_world_topics
    import json

    topics = {t.id: {s.id for s in t.subjects} for t in load_world_topics()}
    lines = [json.loads(line) for path in sorted(DATA.glob("passages-*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 100 and sum(bool(x["distractor"]) for x in lines) * 3 >= len(lines)
    for line in lines:
        for claim in line["claims"]:
            assert claim["subject"] in topics[claim["topic"]], line["id"]


def _windows(text: str, topic: Topic, published_on: date = date(2025, 6, 1)) -> list[Window]:
    return [c.value for c in read_claims(text, (topic,), published_on)
            if c.kind is ClaimKind.DELIVERY_SCHEDULE and isinstance(c.value, Window)]


def _schedules(text: str, topic: Topic, published_on: date = date(2025, 6, 1)) -> set[tuple[object, ...]]:
    return {(w.milestone, w.earliest, w.latest) for w in _windows(text, topic, published_on)}


def _counts(text: str, topic: Topic, kind: ClaimKind) -> list[int]:
    return [c.value.count for c in read_claims(text, (topic,), date(2025, 6, 1))
            if c.kind is kind and isinstance(c.value, Count)]


@pytest.mark.parametrize(("text", "topic", "window"), [
    # Japan names its financial year by the year it starts in (April to March).
    ("Japan will receive the Tomahawk missiles in fiscal 2026.", MISSILE_JP, (date(2026, 4, 1), date(2027, 3, 31))),
    ("Tomahawk deliveries run from fiscal 2025 to fiscal 2027.", MISSILE_JP, (date(2025, 4, 1), date(2028, 3, 31))),
    # India names it by the year it ends in.
    ("The S-400 units will be delivered in fiscal 2026.", S400[0], (date(2025, 4, 1), date(2026, 3, 31))),
    # Poland counts the calendar year.
    ("The K2 tanks will be delivered in fiscal 2026.", TANK, (date(2026, 1, 1), date(2026, 12, 31))),
])
def test_fiscal_years_are_read_as_the_buyer_counts_them(text: str, topic: Topic, window: tuple[date, date]) -> None:
    assert {(earliest, latest) for _, earliest, latest in _schedules(text, topic)} == {window}


def test_when_deliveries_began_is_a_first_milestone_even_in_the_past() -> None:
    assert _schedules("Norway received its first K9 howitzers in March 2020.", HOWITZER) == {
        (Milestone.FIRST, date(2020, 3, 1), date(2020, 3, 31))}


def test_a_later_past_delivery_is_a_count_not_a_schedule() -> None:
    assert _schedules("The third K9 battery was delivered in March 2021.", HOWITZER) == set()


@pytest.mark.parametrize(("text", "kind", "counts"), [
    ("Poland ordered 180 K2 tanks: 116 K2GF tanks and 64 K2PL tanks.", ClaimKind.UNITS_ORDERED, [180]),
    ("The contract comprises 68 single-seat K9 guns and 29 twin K9 guns.", ClaimKind.UNITS_ORDERED, []),
    ("Hanwha delivered another three K2 tanks to Poland this week.", ClaimKind.UNITS_DELIVERED, []),
    ("Poland received six more K2 tanks, bringing total deliveries to 77 tanks.", ClaimKind.UNITS_DELIVERED, [77]),
    ("Norway signed for 24 more K9 howitzers, boosting its fleet to 52 systems.", ClaimKind.UNITS_ORDERED, [24]),
    ("Norway ordered 24 K9 155 mm howitzers.", ClaimKind.UNITS_ORDERED, [24]),
])
def test_counts_are_totals_not_parts_batches_or_fleets(text: str, kind: ClaimKind, counts: list[int]) -> None:
    assert _counts(text, TANK if "K2" in text else HOWITZER, kind) == counts


@pytest.mark.parametrize(("text", "expected"), [
    ("The bill for the 36 F-35A jets comes to CHF 6,035 billion under the contract.", [Decimal("6035000000")]),
    ("The final cost of the F-35A deal could surge to between CHF 7 billion and CHF 8 billion.", []),
    ("Switzerland paid a CHF 650 million deposit under the F-35A contract.", []),
    ("A single F-35A costs about CHF 100 million under the deal.", []),
])
def test_decimal_commas_ranges_deposits_and_unit_costs(text: str, expected: list[Decimal]) -> None:
    assert _amounts(text, JET_CH) == expected


GUN_AU = _topic("huntsman-au", ("K9", "Huntsman"), buyer=("Australia", "Australian"))
JET_TW = _topic("f16-tw", ("F-16V", "F-16 Block 70"), buyer=("Taiwan", "Taiwanese"))


@pytest.mark.parametrize(("text", "topic", "counts"), [
    # A definite count is the order the article already speaks of.
    ("Taipei said the deliveries of the 40 new F-16V jets would be completed in 2027.", JET_TW, [40]),
    ("The budget for the 40 F-16V fighters was set long ago.", JET_TW, [40]),
    # A partitive after a purchase verb is the order's size.
    ("Canberra agreed to buy 30 of these K9 howitzers in 2021.", GUN_AU, [30]),
    # What a contract provides is an order, "additional" or not.
    ("Hanwha won a deal to supply 12 additional K9 howitzers to Australia.", GUN_AU, [12]),
    # Money spent "for" a number of units is a purchase of them.
    ("Australia will be investing A$1 billion for 30 “new-build” K9 howitzers.", GUN_AU, [30]),
    # A batch that arrived, named with "the", is not the order.
    ("The four K9 howitzers joined the regiment after a delivery flight.", GUN_AU, []),
])
def test_order_sizes_written_as_references_partitives_and_purchases(text: str, topic: Topic, counts: list[int]
                                                                     ) -> None:
    assert _counts(text, topic, ClaimKind.UNITS_ORDERED) == counts


@pytest.mark.parametrize(("text", "currency"), [
    # Australian and Canadian newsrooms write their own dollar as a bare "$".
    ("Australia signed a $1.3 billion contract for the K9 Huntsman.", "AUD"),
    ("Australia will spend $1.3 billion on the K9 Huntsman howitzers.", "AUD"),
])
def test_a_bare_dollar_is_the_buyers_own_where_its_press_writes_it_so(text: str, currency: str) -> None:
    assert [v.currency for v in _values(text, (GUN_AU,))] == [currency]


def test_a_bare_dollar_beside_the_buyers_written_dollar_is_the_us_dollar() -> None:
    values = _values("Australia signed an A$1.3 billion ($900 million) contract for the K9 Huntsman.", (GUN_AU,))
    assert [(v.amount, v.currency) for v in values] == [(Decimal("1300000000"), "AUD"),
                                                        (Decimal("900000000"), "USD")]


def test_a_bare_dollar_for_a_buyer_with_its_own_dollar_sign_stays_the_us_dollar() -> None:
    values = _values("Taiwan signed a $8 billion contract for 66 F-16V fighters.", (JET_TW,))
    assert [v.currency for v in values] == ["USD"]


def test_what_a_cost_climbed_from_is_superseded() -> None:
    claims = [c for c in read_claims("In 2022 the K9 Huntsman deal for Australia would cost A$1 billion, but the "
                                     "price has since climbed 30 per cent to A$1.3 billion.", (GUN_AU,), date(2025, 6, 1))
              if c.kind is ClaimKind.DEAL_VALUE and isinstance(c.value, Money)]
    assert [(c.value.amount, c.historical) for c in claims] == [(Decimal("1000000000"), True),
                                                                (Decimal("1300000000"), False)]


def test_a_payment_the_contract_involves_is_its_value_but_a_payment_made_is_not() -> None:
    assert [v.amount for v in _values("The K9 contract with Australia involves a payment of A$300 million for "
                                      "the guns.", (GUN_AU,))] == [Decimal("300000000")]
    assert _values("Australia has made a payment of A$300 million under the K9 contract.", (GUN_AU,)) == []


@pytest.mark.parametrize(("text", "topic", "expected"), [
    # Buying or obtaining over a span of years is an acquisition schedule.
    ("Japan concluded a contract to buy 400 Tomahawk missiles in fiscal 2025-2027.", MISSILE_JP,
     [(date(2025, 4, 1), date(2028, 3, 31), None)]),
    ("Japan will obtain the Tomahawk missiles from fiscal 2025 to fiscal 2027.", MISSILE_JP,
     [(date(2025, 4, 1), date(2028, 3, 31), None)]),
    # Acquiring that begins: a start.
    ("Japan will begin acquiring Tomahawk missiles in fiscal 2025.", MISSILE_JP,
     [(date(2025, 4, 1), None, Milestone.FIRST)]),
    # A short bracket does not end the clause that carries the delivery verb.
    ("Hyundai Rotem will deliver the first K2 tanks to the Polish Army (PA) on October 17, 2025.", TANK,
     [(date(2025, 10, 17), date(2025, 10, 17), Milestone.FIRST)]),
    # A manufacturer named in the clause is not a production date.
    ("The first K2 tanks will be handed over to Poland by the manufacturer Hyundai Rotem on Oct. 1.", TANK,
     [(date(2025, 10, 1), date(2025, 10, 1), Milestone.FIRST)]),
    # What a later date is for is read from the words since the date before it.
    ("The first K2 tanks are expected starting in 2026, while the K2PL tanks are anticipated in 2028 and 2029.",
     TANK, [(date(2026, 1, 1), None, Milestone.FIRST), (date(2028, 1, 1), date(2029, 12, 31), None)]),
])
def test_acquisition_spans_brackets_and_the_order_dates_are_read_in(
        text: str, topic: Topic, expected: list[tuple[date | None, date | None, Milestone | None]]) -> None:
    assert [(w.earliest, w.latest, w.milestone) for w in _windows(text, topic)] == expected


def test_a_dateline_is_when_the_report_was_filed_not_a_delivery_date() -> None:
    windows = _windows("Tokyo, March 13 (Kyodo)--Japan said deliveries of the Tomahawk missiles are on track.",
                       MISSILE_JP, date(2026, 3, 13))
    assert windows == []


JET_RM = Topic(id="rafale-m", name="rafale-m", terms=("Rafale",), buyer=("India", "Indian"),
               subjects=(Subject(id="rafale-m-26", cues=("26 Rafale", "26 jets"), default=True),))


def test_a_larger_order_than_the_subjects_declare_is_another_deal() -> None:
    text = ("India signed a deal to buy 26 Rafale jets for the navy for Rs 63,000 crore. In 2016 India had "
            "signed a contract to buy 36 Rafale fighter jets for $8.8 billion. All 36 Rafale jets have been "
            "delivered to the Indian Air Force.")
    claims = read_claims(text, (JET_RM,), date(2025, 4, 28))
    assert {(c.kind, str(c.value)) for c in claims} == {
        (ClaimKind.UNITS_ORDERED, str(Count(26))), (ClaimKind.DEAL_VALUE, str(Money(Decimal("630000000000"), "INR",
                                                                                      Decimal("10000000"))))}


def test_a_revised_order_size_is_kept() -> None:
    claims = read_claims("India will now buy 30 Rafale jets instead of 26.", (JET_RM,), date(2025, 4, 28))
    assert [c.value for c in claims if c.kind is ClaimKind.UNITS_ORDERED and not c.historical] == [Count(30)]


def test_a_subjects_declared_size_names_it_when_written_as_a_reference() -> None:
    topic = Topic(id="f35-dk", name="f35-dk", terms=("F-35",), buyer=("Denmark",),
                  subjects=(Subject(id="dk-more", cues=("16 more", "follow-on order"), default=True),
                            Subject(id="dk-27", cues=("27 F-35", "2016 order"))))
    claims = read_claims("Denmark has ordered 27 of the F-35 fighters. The remaining six will be delivered by "
                         "the end of 2026.", (topic,), date(2025, 5, 16))
    assert {(c.kind, c.subject) for c in claims} == {(ClaimKind.UNITS_ORDERED, "dk-27"),
                                                     (ClaimKind.DELIVERY_SCHEDULE, "dk-27")}


@pytest.mark.parametrize(("text", "counts"), [
    # A delivery that brings the total to a number without its noun: the total delivered.
    ("This shipment increased the total number of K2 tanks in the Polish Army to 31.", [31]),
    # A model's number inside the description is no second count.
    ("So far, 44 K2 Block 1 tanks have been delivered to Poland.", [44]),
    # One dated batch is not the total delivered...
    ("Poland has 46 K2 tanks, with 10 K2 tanks having been delivered in 2022.", []),
    # ...unless it is the first batch, or all of them.
    ("Poland received the first batch of ten K2 tanks in December 2022.", [10]),
    ("Hyundai Rotem completed delivery of all 180 K2 tanks to Poland in 2025.", [180]),
    # Where some are held is not how many were delivered.
    ("The delivery brought the number of K2 tanks stationed in Warsaw to 15.", []),
])
def test_delivered_totals(text: str, counts: list[int]) -> None:
    assert _counts(text, TANK, ClaimKind.UNITS_DELIVERED) == counts


def test_a_new_order_size_and_the_one_it_replaces() -> None:
    claims = [c for c in read_claims("Switzerland will buy only 30 F-35A jets rather than the 36 originally planned.",
                                     (JET_CH,), date(2025, 9, 14)) if c.kind is ClaimKind.UNITS_ORDERED]
    assert sorted((c.value.count, c.historical) for c in claims if isinstance(c.value, Count)) == [(30, False),
                                                                                                   (36, True)]
    claims = [c for c in read_claims("Bern wants to buy 30 instead of 36 F-35A fighter jets.", (JET_CH,),
                                     date(2025, 9, 14)) if c.kind is ClaimKind.UNITS_ORDERED]
    assert sorted((c.value.count, c.historical) for c in claims if isinstance(c.value, Count)) == [(30, False),
                                                                                                   (36, True)]


def test_what_a_deal_includes_is_ordered() -> None:
    assert _counts("The K2 deal with Poland includes the delivery of 180 tanks and training.", TANK,
                   ClaimKind.UNITS_ORDERED) == [180]


def test_a_month_with_a_relative_year_is_one_date() -> None:
    windows = _windows("Poland had initially planned to receive the first K2 tanks in October this year.", TANK,
                       date(2025, 3, 1))
    assert [(w.earliest, w.latest) for w in windows] == [(date(2025, 10, 1), date(2025, 10, 31))]


def test_a_start_postponed_until_a_later_date_moves_the_start() -> None:
    claims = [c for c in read_claims("The start of K2 deliveries to Poland was postponed from the fourth quarter "
                                     "of 2025 until the third quarter of 2026.", (TANK,), date(2025, 5, 3))
              if c.kind is ClaimKind.DELIVERY_SCHEDULE and isinstance(c.value, Window)]
    current = [c.value for c in claims if not c.historical]
    assert [(w.earliest, w.latest, w.milestone) for w in current] == [(date(2026, 7, 1), None, Milestone.FIRST)]


def test_a_ship_is_not_shipping() -> None:
    assert _windows("The Japanese destroyer will return in 2026 able to fire Tomahawk missiles, the ship's "
                    "crew trained.", MISSILE_JP) == []


RAFALE_ID = Topic(id="id-rafale", name="id-rafale", terms=("Rafale",), buyer=("Indonesia",),
                  subjects=(Subject(id="id-42", cues=("42 Rafale",), default=True),))
RAFALE_IN = Topic(id="rafale-m", name="rafale-m", terms=("Rafale Marine", "Rafale-M"), buyer=("India",),
                  subjects=(Subject(id="rm-26", default=True),))


def test_an_article_about_another_countrys_purchase_is_not_the_topics() -> None:
    text = "India signed an agreement with France to purchase 36 Rafale fighter jets for $8.8 billion."
    assert read_claims(text, (RAFALE_ID,), date(2025, 4, 28), "India signs Rafale deal with France") == []


def test_a_term_inside_another_topics_longer_term_names_only_that_topic() -> None:
    text = ("India signed the Rafale Marine deal on Monday. Valued at $7.4 billion, its jets are to be delivered from "
            "2028 to 2030.")
    claims = read_claims(text, (RAFALE_ID, RAFALE_IN), date(2025, 4, 28))
    assert {c.topic for c in claims} == {"rafale-m"}
    assert {c.kind for c in claims} == {ClaimKind.DEAL_VALUE, ClaimKind.DELIVERY_SCHEDULE}


@pytest.mark.parametrize(("text", "expected"), [
    # A date put first takes the delivery verb of the clause it leads.
    ("By April, the last two K2 tanks will be handed over to Poland.", [(None, date(2025, 4, 30), Milestone.LAST)]),
    # "operational" describing what is handed over is not service entry.
    ("The first K2 tanks are scheduled for operational handover to Poland in 2026.",
     [(date(2026, 1, 1), date(2026, 12, 31), Milestone.FIRST)]),
    # Deliveries that begin within a span: the first by its end.
    ("Deliveries of the K2 tanks to Poland will begin within approximately four years.",
     [(None, date(2029, 3, 15), Milestone.FIRST)]),
    # A plan said to be initial is superseded (read as historical, so not here).
    ("The initial plan called for all K2 tanks to be delivered to Poland by 2024.", []),
    # The first unit built is not delivered.
    ("The first K2 tank for Poland is expected to be completed by next year.", []),
    # Two months sharing a relative year.
    ("The remaining four K2 tanks will arrive in Poland in April and May this year.",
     [(date(2025, 4, 1), date(2025, 5, 31), Milestone.LAST)]),
])
def test_fronted_dates_handovers_spans_and_builds(text: str,
                                                  expected: list[tuple[date | None, date | None, Milestone | None]]
                                                  ) -> None:
    windows = [c.value for c in read_claims(text, (TANK,), date(2025, 3, 15))
               if c.kind is ClaimKind.DELIVERY_SCHEDULE and isinstance(c.value, Window) and not c.historical]
    assert [(w.earliest, w.latest, w.milestone) for w in windows] == expected


@pytest.mark.parametrize(("text", "declared", "counts"), [
    ("Poland agreed to acquire two dozen K2 tanks.", frozenset(), [24]),
    ("The first of 36 K2 tanks for Poland will arrive in 2026.", frozenset(), [36]),
    ("Of the 36 K2 tanks, 20 will go to the 1st Brigade.", frozenset(), [36]),
    # A definite count equal to a declared order size, with its delivery still to come: the order.
    ("The 36 K2 tanks should be delivered to Poland between 2026 and 2029.", frozenset({36}), [36]),
    ("The 12 K2 tanks should be delivered to Poland between 2026 and 2029.", frozenset({36}), []),
    # Parts, batches and leases are not the order.
    ("The six K2 tanks are part of the 36 K2 tanks Poland purchased.", frozenset(), [36]),
    ("These three K2 tanks represent the first tranche of the contract.", frozenset(), []),
    ("One of the two K2 tanks Poland had taken on lease was damaged.", frozenset(), []),
    ("Poland signed a contract for the supply of 30 K2 tanks and 15 K2 ammunition resupply vehicles.", frozenset(), [30]),
])
def test_wholes_parts_batches_and_leases(text: str, declared: frozenset[int], counts: list[int]) -> None:
    from pipeline.claims.units import find_counts
    assert [c.count for c in find_counts(text, "k2", declared) if c.kind is ClaimKind.UNITS_ORDERED] == counts


@pytest.mark.parametrize("text", [
    "The cost of the K2 tanks is to come from a planned 100 billion zloty investment in the armed forces.",
    "These K2 tanks are among the first purchases of a $106 billion special fund for Poland's army.",
    "The K2 deal is part of a $14 billion batch of procurements Poland approved on Wednesday.",
    "The US approved the possible sale of K2 tanks and related equipment to South Korea for $5.06 billion.",
])
def test_funds_batches_of_procurements_and_other_buyers_give_no_value(text: str) -> None:
    assert _values(text, (TANK,)) == []


@pytest.mark.parametrize("text", [
    "Production of the K2 tanks for Poland is expected to begin in the fourth quarter of 2026.",
    "Construction of the K2 factory in Poland is scheduled to commence in 2026.",
    "Poland bought the K2 to fill the gap left by the retirement of its T-72 tanks, scheduled for before 2030.",
])
def test_a_timetable_word_alone_dates_the_other_event(text: str) -> None:
    assert _windows(text, TANK) == []


@pytest.mark.parametrize(("text", "counts"), [
    ("Besides the K2, Poland has expressed interest in acquiring 24 Hyundai K9A1 howitzers.", []),
    ("Poland will pay for the first batch of six K2 tanks from funds earmarked earlier.", []),
    ("The K2 deal includes 150 K2 tanks for the Army, and eight each for the Marines and the Guard.", []),
])
def test_other_models_batches_and_shares_are_not_the_order(text: str, counts: list[int]) -> None:
    assert _counts(text, TANK, ClaimKind.UNITS_ORDERED) == counts


PESO_JET = _topic("fa50-ph", ("FA-50",), buyer=("Philippines", "Philippine"))


def test_a_lone_letter_peso_is_read_only_for_its_country() -> None:
    assert [(v.amount, v.currency) for v in _values("The Philippines bought 12 FA-50 jets in a deal worth P18.9 billion.",
                                                    (PESO_JET,))] == [(Decimal("18900000000"), "PHP")]
    assert _values("Poland bought K2 tanks in a deal worth P18.9 billion.", (TANK,)) == []


@pytest.mark.parametrize(("text", "expected"), [
    # What the price includes is not another cost.
    ("Poland approved the K2 purchase, expected to cost 15 billion zlotys, including training and lifecycle support.",
     [Decimal("15000000000")]),
    # A projection is not the price.
    ("The K2 deal with Poland, which could rise to 17 billion zlotys, was signed on Friday.", []),
    # The first tranche of a contract: the amount is the contract's.
    ("These K2 tanks are the initial tranche of a substantial $6.5 billion contract for Poland.",
     [Decimal("6500000000")]),
])
def test_inclusions_projections_and_tranches(text: str, expected: list[Decimal]) -> None:
    assert _amounts(text, TANK) == expected


def test_previously_reported_figures_are_superseded() -> None:
    claims = [c for c in read_claims("The K2 contract for Poland is worth $3.4 billion. Analysts previously reported "
                                     "the K2 cost being listed at a price of 15 billion zlotys.", (TANK,), date(2025, 6, 1))
              if c.kind is ClaimKind.DEAL_VALUE]
    assert claims and all(c.historical for c in claims if isinstance(c.value, Money) and c.value.currency == "PLN")


def test_in_some_years_is_then_and_within_some_years_is_by_then() -> None:
    windows = _windows("Deliveries of the K2 tanks to Poland will commence in approximately four years and be "
                       "completed within six years.", TANK, date(2024, 10, 15))
    assert sorted(((w.earliest, w.latest, w.milestone) for w in windows), key=str) == sorted([
        (date(2028, 10, 15), None, Milestone.FIRST), (date(2024, 10, 15), date(2030, 10, 15), Milestone.LAST)], key=str)


def test_a_count_of_another_kind_of_equipment_is_another_purchase() -> None:
    text = ("Indonesia ordered 42 Rafale fighter jets in 2022. Beyond the Rafales, Indonesia sealed a deal in 2024 "
            "for two Scorpene submarines.")
    counts = [c.value.count for c in read_claims(text, (RAFALE_ID,), date(2025, 1, 1))
              if c.kind is ClaimKind.UNITS_ORDERED and isinstance(c.value, Count)]
    assert counts == [42]


@pytest.mark.parametrize(("text", "counts"), [
    ("Poland ordered 180 K2 tanks to replace its ageing fleet of 250 T-72 tanks.", [180]),
    ("Eight more K2 planes will be delivered to Poland next year.", []),
    ("The latest batch of the K2 contract adds another 18 tanks for Poland.", []),
])
def test_replaced_fleets_planes_and_tranches(text: str, counts: list[int]) -> None:
    assert _counts(text, TANK, ClaimKind.UNITS_ORDERED) == counts


def test_a_fleet_brought_to_a_number_by_a_delivery_is_the_total_delivered() -> None:
    assert _counts("The Polish Army has increased its fleet of K2 tanks to 10 with the arrival of two more.", TANK,
                   ClaimKind.UNITS_DELIVERED) == [10]


JET_DE = Topic(id="de-f35", name="de-f35", terms=("F-35",), buyer=("Germany",),
               subjects=(Subject(id="de-35", cues=("35 F-35", "35 fighter", "2022 contract"), default=True),
                         Subject(id="de-more", cues=("15 more", "2025 order"))))


def test_a_cue_number_inside_a_name_is_no_cue() -> None:
    claims = read_claims("Germany aims to order 15 more F-35 fighter jets for 2.5 billion euros.", (JET_DE,),
                         date(2025, 10, 20))
    assert {c.subject for c in claims} == {"de-more"}


def test_a_subject_dated_after_the_report_is_not_yet_one() -> None:
    topic = Topic(id="fa50", name="fa50", terms=("FA-50",), buyer=("Philippines",),
                  subjects=(Subject(id="fa50-2025", cues=("2025 contract", "12 more"), default=True),
                            Subject(id="fa50-2014", cues=("2014 contract",))))
    claims = read_claims("The Philippines acquired 12 FA-50 jets under a deal worth 18 billion pesos.", (topic,),
                         date(2015, 11, 28))
    assert claims and {c.subject for c in claims} == {"fa50-2014"}


@pytest.mark.parametrize(("text", "expected"), [
    ("The first K2 tanks will be ready in 2026 and all of them will be in the country by 2030.",
     [(None, date(2030, 12, 31), False)]),
    ("Poland intended to have all of its K2 tanks by 2026, according to a 2019 document.",
     [(None, date(2026, 12, 31), True)]),
    ("Two more K2 tanks will be delivered to Poland before the army's anniversary in July.", []),
])
def test_arrivals_in_the_country_intentions_and_anniversaries(
        text: str, expected: list[tuple[date | None, date | None, bool]]) -> None:
    claims = [c for c in read_claims(text, (TANK,), date(2025, 3, 1)) if c.kind is ClaimKind.DELIVERY_SCHEDULE]
    assert [(c.value.earliest, c.value.latest, c.historical) for c in claims if isinstance(c.value, Window)] == expected


def test_an_excluded_name_in_the_topics_own_noun_phrase_describes_it() -> None:
    other = Topic(id="au-guns", name="au-guns", terms=("AS9", "self-propelled howitzers"), buyer=("Australia",),
                  subjects=(Subject(id="au-30", default=True),))
    values = _values("Norway signed a deal to supply 24 K9 VIDAR self-propelled howitzers worth NOK 2 billion.",
                     (HOWITZER, other))
    assert [v.amount for v in values] == [Decimal("2000000000")]


def test_a_start_in_mid_year_is_read_from_june() -> None:
    windows = _windows("Poland will receive the first K2 tanks starting in mid-2028.", TANK)
    assert [(w.earliest, w.latest) for w in windows] == [(date(2028, 6, 1), None)]


def test_a_cue_beside_an_excluded_programme_is_that_programmes() -> None:
    text = ("Russia reaffirmed its S-400 commitment to India. The Defence Ministry approved the procurement of five "
            "squadrons of Project Kusha in September 2023 at a cost of ₹21,700 crore.")
    assert [c for c in read_claims(text, S400, date(2025, 9, 1)) if c.kind is ClaimKind.DEAL_VALUE] == []


def test_what_the_army_possesses_of_the_topics_units_is_delivered() -> None:
    assert _counts("As of today, the Polish Army possesses 46 K2 tanks.", TANK, ClaimKind.UNITS_DELIVERED) == [46]
    assert _counts("Poland operates 11 K2 tanks after one was lost in a crash.", TANK, ClaimKind.UNITS_DELIVERED) == []


def test_a_declared_order_still_to_be_delivered_is_the_order() -> None:
    topic = Topic(id="k2", name="k2", terms=("K2",), buyer=("Poland",),
                  subjects=(Subject(id="k2-180", cues=("180 K2",), default=True),))
    counts = [c.value.count for c in read_claims("180 K2 tanks are scheduled to be delivered to Poland between 2026 "
                                                 "and 2030.", (topic,), date(2025, 1, 1))
              if c.kind is ClaimKind.UNITS_ORDERED and isinstance(c.value, Count)]
    assert counts == [180]


@pytest.mark.parametrize(("text", "expected"), [
    ("The K2 deal for Poland will also include a further 400 million zlotys for ammunition.", []),
    ("Hyundai Rotem says its stake of the Polish K2 deal is worth $310 million.", []),
])
def test_further_amounts_and_stakes_are_not_the_contract(text: str, expected: list[Decimal]) -> None:
    assert _amounts(text, TANK) == expected


@pytest.mark.parametrize(("text", "kind", "counts"), [
    ("Poland signed a contract to procure 12 second-hand K2 tanks.", ClaimKind.UNITS_ORDERED, [12]),
    ("Poland ordered 32 K2 tanks for two squadrons.", ClaimKind.UNITS_ORDERED, [32]),
    ("The army already operates 22 K2 tanks acquired under a separate deal.", ClaimKind.UNITS_ORDERED, []),
    ("Hyundai Rotem delivered the K2 tanks under a contract to supply six K2 tanks to Poland.",
     ClaimKind.UNITS_ORDERED, [6]),
    ("Poland received the first six of a total of 12 K2 tanks on Thursday.", ClaimKind.UNITS_DELIVERED, [6]),
    ("Poland received the first six of a total of 12 K2 tanks on Thursday.", ClaimKind.UNITS_ORDERED, [12]),
])
def test_second_hand_restatements_separate_deals_and_totals(text: str, kind: ClaimKind, counts: list[int]) -> None:
    assert _counts(text, TANK, kind) == counts


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    ("The remaining six K2 tanks are set to be delivered to Poland early next year.", date(2024, 6, 1),
     [(date(2025, 1, 1), date(2025, 4, 30))]),
    ("The handover of the first K2 tank to Poland took place on October 2 last year.", date(2024, 6, 1),
     [(date(2023, 10, 2), date(2023, 10, 2))]),
    ("The first K2 tanks will be delivered to Poland in 2026, with the T-72 fleet completely replaced by 2030.",
     date(2024, 6, 1), [(date(2026, 1, 1), date(2026, 12, 31))]),
    ("Contracts for more K2 tanks for Poland are expected to be concluded in 2028 and 2030.", date(2025, 6, 1), []),
])
def test_relative_parts_days_last_year_replacements_and_contract_dates(
        text: str, published_on: date, expected: list[tuple[date | None, date | None]]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, TANK, published_on)] == expected


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    ("A total of 180 K2 tanks will be delivered to Poland between 2025 and 30.", date(2024, 1, 1),
     [(date(2025, 1, 1), date(2030, 12, 31))]),
    ("Hyundai Rotem is to deliver the first six twin-engine K2 recovery tanks to Poland in 2026.", date(2024, 1, 1),
     [(date(2026, 1, 1), date(2026, 12, 31))]),
    ("Six of the K2 tanks for Poland are built new, and must be delivered from 2026.", date(2024, 1, 1),
     [(date(2026, 1, 1), None)]),
    ("Over the next two years, Hyundai will supply Poland with 30 K2 tanks.", date(2024, 1, 1),
     [(date(2024, 1, 1), date(2026, 1, 1))]),
    ("The first two K2 tanks for Poland arrived on March 29.", date(2024, 12, 1),
     [(date(2024, 3, 29), date(2024, 3, 29))]),
])
def test_short_year_ranges_engines_obligations_spans_and_past_arrivals(
        text: str, published_on: date, expected: list[tuple[date | None, date | None]]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, TANK, published_on)] == expected


@pytest.mark.parametrize(("text", "kind", "counts"), [
    ("The first 6 of 24 K2 tanks for Poland arrived in the country on Wednesday.", ClaimKind.UNITS_DELIVERED, [6]),
    ("Two more K2 tanks arrived in Poland on Wednesday, bringing the total number in the army to six.",
     ClaimKind.UNITS_DELIVERED, [6]),
    ("The deal, valued at 5.3 billion zlotys, provides for the delivery of four K2 tanks to Poland.",
     ClaimKind.UNITS_ORDERED, [4]),
    ("Hyundai Rotem will sell Poland six more K2 tanks.", ClaimKind.UNITS_ORDERED, [6]),
    ("The contract anticipates deliveries of 96 K2 tanks Poland ordered in August 2024.", ClaimKind.UNITS_ORDERED, [96]),
])
def test_first_of_totals_word_totals_provisions_sales_and_orders_named_after(
        text: str, kind: ClaimKind, counts: list[int]) -> None:
    assert _counts(text, TANK, kind) == counts


def test_a_capital_is_the_government_that_buys() -> None:
    text = "Poland has received its 24 K2 tanks, and Seoul, which has ordered 36 K2 tanks, should see them in 2027."
    assert 36 not in _counts(text, TANK, ClaimKind.UNITS_ORDERED)


GRIPEN_TH = _topic("th-gripen", ("Gripen",), buyer=("Thailand", "Thai"))


@pytest.mark.parametrize(("text", "topic", "expected"), [
    ("Poland will buy the K2 tanks at a cost of 3.9 trillion Korean won.", TANK, [("3900000000000", "KRW")]),
    ("Thailand will buy four Gripen jets with an order value of 5.3 billion Swedish kroner.", GRIPEN_TH,
     [("5300000000", "SEK")]),
    ("Thailand signed a Gripen contract, a package worth SKr 5.3 billion.", GRIPEN_TH, [("5300000000", "SEK")]),
    ("Thailand signs Bt19.5bn deal for Gripen jets.", GRIPEN_TH, [("19500000000", "THB")]),
    ("Thailand approved the Gripen purchase worth 19.5 billion baht.", GRIPEN_TH, [("19500000000", "THB")]),
])
def test_currencies_written_with_their_country_and_newsroom_prefixes(text: str, topic: Topic,
                                                                     expected: list[tuple[str, str]]) -> None:
    assert [(str(int(v.amount)), v.currency) for v in _values(text, (topic,))] == expected


def test_a_value_of_another_kind_of_equipment_is_another_purchase() -> None:
    text = ("Thailand ordered four Gripen fighter jets in 2025. Thailand also agreed to buy three Chinese subs for "
            "36 billion baht.")
    assert [v.amount for v in _values(text, (GRIPEN_TH,), date(2025, 9, 1))] == []


@pytest.mark.parametrize(("text", "kind", "counts"), [
    ("Poland plans to spend 10 billion zlotys on a fleet of 64 K2 tanks.", ClaimKind.UNITS_ORDERED, [64]),
    ("Poland is replacing its ageing T-72 tanks with 180 of the K2 tanks from Hyundai.", ClaimKind.UNITS_ORDERED,
     [180]),
    ("The first two of 40 K2 tanks ordered for the Polish Army (PA) arrived at the base on 29 March.",
     ClaimKind.UNITS_DELIVERED, [2]),
    ("The K2 tanks would be delivered from 2026, bringing the army's fleet to 24.", ClaimKind.UNITS_DELIVERED, []),
    ("Poland signed a contract covering three K2 tanks and one K2 command tank.", ClaimKind.UNITS_ORDERED, []),
])
def test_fleets_bought_replacements_brackets_future_totals_and_pairs(text: str, kind: ClaimKind, counts: list[int]
                                                                     ) -> None:
    assert _counts(text, TANK, kind) == counts


def test_a_variant_of_the_topics_model_is_the_topics_and_another_model_is_not() -> None:
    jet = _topic("f35-ch", ("F-35",), buyer=("Switzerland",))
    assert _counts("Switzerland ordered 36 F-35A jets.", jet, ClaimKind.UNITS_ORDERED) == [36]
    assert _counts("Switzerland ordered 36 F-16V jets.", jet, ClaimKind.UNITS_ORDERED) == []


def test_a_country_announcing_plans_to_buy_is_a_buyer() -> None:
    text = ("Serbian President Aleksandar Vucic last month also announced plans to purchase 12 new K2 tanks in a deal "
            "worth 3 billion euro.")
    assert _values(text, (TANK,)) == [] and _counts(text, TANK, ClaimKind.UNITS_ORDERED) == []


def test_munitions_for_the_topics_system_are_another_purchase() -> None:
    text = ("Poland ordered 180 K2 tanks in 2022. The State Department approved the sale of several K2 munitions, "
            "including 39 advanced missiles, to Poland for about $271 million.")
    assert _values(text, (TANK,)) == []


def test_a_passage_that_moved_to_another_kind_of_equipment_is_not_carried() -> None:
    text = ("Poland ordered 180 K2 tanks in 2022. Poland also agreed to buy three submarines for 36 billion zlotys. "
            "The delivery is expected to take place within five years.")
    assert _windows(text, TANK, date(2025, 1, 1)) == []


def test_a_model_term_names_its_variants_but_a_phrase_cue_does_not() -> None:
    from pipeline.topics import compile_terms
    assert compile_terms(("F-35",)).search("Switzerland's F-35A jets")
    assert compile_terms(("K2",)).search("the K2PL variant")
    assert not compile_terms(("Project 75",)).search("the Project 75I submarines")


def test_a_lease_is_not_a_purchase_and_units_acquired_over_past_years_were_delivered() -> None:
    assert _values("Poland signed a $300 million deal to lease eight K2 tanks.", (TANK,)) == []
    assert _counts("Poland previously acquired 40 K2 tanks from 2019 to 2022 as part of a $7 billion deal.", TANK,
                   ClaimKind.UNITS_DELIVERED) == [40]


def test_through_a_year_is_by_its_end_and_facilities_are_not_the_equipment() -> None:
    windows = _windows("Arrivals of the K2 tanks in Poland are expected to carry on through 2026 and facilities to store "
                       "them are expected to be completed by the end of the year.", TANK, date(2025, 10, 20))
    assert [(w.earliest, w.latest) for w in windows] == [(None, date(2026, 12, 31))]


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    ("Poland received on Monday the first two of 180 K2 tanks.", date(2024, 7, 24),
     [(date(2024, 7, 22), date(2024, 7, 22))]),
    ("The first four K2 tanks will be delivered to Poland in 2026, the remainder the following year.", date(2025, 1, 1),
     [(date(2026, 1, 1), date(2026, 12, 31)), (date(2027, 1, 1), date(2027, 12, 31))]),
    ("Poland has a deadline of 4 September to transfer the money under the K2 contract.", date(2025, 8, 1), []),
    ("In July 2025, Poland received an offer from Korea for the supply of more K2 tanks.", date(2025, 9, 1), []),
])
def test_weekdays_following_years_payments_and_offers(text: str, published_on: date,
                                                      expected: list[tuple[date | None, date | None]]) -> None:
    assert sorted((w.earliest, w.latest) for w in _windows(text, TANK, published_on)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Poland is negotiating with Hyundai the acquisition of 12 K2 tanks for €3 billion.", []),
    ("Poland valued the previous K2 deal at €2 billion.", [Decimal("2000000000")]),
    ("The cost of this K2 acquisition, coupled with an increase to the budget for Poland's army, is €1.4 billion.", []),
])
def test_talks_earlier_contracts_and_combined_costs(text: str, expected: list[Decimal]) -> None:
    assert _amounts(text, TANK) == expected


def test_what_a_buyer_now_has_of_the_order_is_delivered() -> None:
    assert _counts("Poland now has five of the 14 K2 tanks ordered at its disposal.", TANK,
                   ClaimKind.UNITS_DELIVERED) == [5]
    assert _counts("Poland signed a $1.4 billion deal to buy 116 of U.S. M1A1 K2 tanks.", TANK,
                   ClaimKind.UNITS_ORDERED) == [116]


@pytest.mark.parametrize(("text", "kind", "counts"), [
    ("Poland received on Monday the first two of 14 new K2 tanks that will replace its T-72s.",
     ClaimKind.UNITS_DELIVERED, [2]),
    ("The first two K2 tanks for the Polish Army have been successfully delivered.", ClaimKind.UNITS_DELIVERED, [2]),
    ("Poland's president said he is negotiating with Hyundai the acquisition of 12 new K2 tanks.",
     ClaimKind.UNITS_ORDERED, []),
])
def test_first_units_received_and_counts_under_negotiation(text: str, kind: ClaimKind, counts: list[int]) -> None:
    assert _counts(text, TANK, kind) == counts


def test_a_year_later_than_a_schedule_compares_and_dates_nothing() -> None:
    windows = _windows("The remaining K2 tanks for Poland are now expected to arrive by 2028, a year later than the "
                       "schedule announced last September.", TANK, date(2026, 3, 12))
    assert [(w.earliest, w.latest) for w in windows] == [(None, date(2028, 12, 31))]


FRIGATE_NO = _topic("frigate-no", ("Type 26", "frigate", "frigates"), buyer=("Norway", "Norwegian"))
FRIGATE_AU = _topic("frigate-au", ("Hunter class", "Hunter frigates"), buyer=("Australia", "Australian"))
CORVETTE_MY = _topic("corvette-my", ("Maharaja Lela", "LCS"), buyer=("Malaysia", "Malaysian"))


def _all_counts(text: str, topic: Topic) -> list[tuple[int, bool]]:
    return [(c.value.count, c.historical) for c in read_claims(text, (topic,), date(2025, 6, 1))
            if c.kind is ClaimKind.UNITS_ORDERED and isinstance(c.value, Count)]


@pytest.mark.parametrize(("text", "counts"), [
    ("Canberra has cut the planned number of Hunter frigates from nine to six.", [(6, False), (9, True)]),
    ("The Australian order for Hunter class ships was reduced to six from the initial nine vessels.",
     [(6, False), (9, True)]),
    ("Australia's Hunter frigates programme, now reduced by three ships to six, is late.", [(6, False)]),
    ("The navy will only get six Hunter frigates instead of the original nine.", [(6, False), (9, True)]),
])
def test_an_order_resized_is_the_new_size_and_the_old_one_superseded(text: str, counts: list[tuple[int, bool]]) -> None:
    assert sorted(_all_counts(text, FRIGATE_AU), key=lambda c: c[1]) == counts


def test_a_lower_case_term_is_a_kind_of_equipment_that_names_a_topic_only_with_its_buyer() -> None:
    text = "Australia awarded BAE Systems a contract worth $20 billion to build new frigates."
    assert read_claims(text, (FRIGATE_NO,), date(2025, 6, 1)) == []
    assert find_mentions(text, (FRIGATE_NO,)) == []
    norway = "Norway awarded BAE Systems a contract worth $20 billion to build five new frigates."
    assert [v.amount for v in _values(norway, (FRIGATE_NO,))] == [Decimal("20000000000")]
    # A script without case has no lower-case common nouns: "एस-400" is a name.
    assert find_mentions("भारत को एस-400 की आपूर्ति", S400)


@pytest.mark.parametrize(("text", "expected"), [
    ("Malaysia's LCS contract was raised from RM9bil to RM11.2bil.", [Decimal("11200000000")]),
    ("Cost overruns on Malaysia's LCS project totalled RM1.4 billion.", []),
    ("Of the LCS money, RM400m was used to settle debts of the Malaysian shipyard.", []),
    ("Norway will pay $4bn-a-hull for its frigates, while Australia's Hunter frigates cost $9bn-each.", []),
])
def test_newsroom_scales_overruns_settlements_and_prices_per_hull(text: str, expected: list[Decimal]) -> None:
    topics = (CORVETTE_MY, FRIGATE_AU) if "Hunter" in text else (CORVETTE_MY,)
    assert [v.amount for v in _values(text, topics)] == expected


def test_a_country_awarding_the_contract_or_getting_the_ships_built_is_the_buyer() -> None:
    for text in ("The UK awarded a £4.2bn contract to BAE Systems for five frigates.",
                 "BAE Systems won a £4.2bn contract to build frigates for the Australian Navy."):
        assert _values(text, (FRIGATE_NO,), title="Norway picks the Type 26 frigate") == []


TANK_PL_K2 = _topic("k2-tanks-pl", ("K2", "K2 tanks"), buyer=("Poland", "Polish"))
TANK_PL_ABRAMS = _topic("abrams-pl", ("Abrams", "Abrams tanks"), buyer=("Poland", "Polish"))


def test_the_kind_a_topic_names_names_it_beside_its_buyer_when_no_other_deal_of_that_kind_could_be_meant() -> None:
    text = "BAE Systems won a A$35 billion contract to build Australia's fleet of nine new frigates."
    assert _amounts(text, FRIGATE_AU) == [Decimal("35000000000")]
    assert find_mentions(text, (FRIGATE_AU,))
    # Without the buyer, "frigates" could be any navy's.
    assert _values("BAE Systems won a $35 billion contract to build nine new frigates.", (FRIGATE_AU,)) == []
    # Two deals of one buyer in the same kind: "Polish tanks" is neither.
    polish = "Poland's contract for 250 new tanks is worth $6 billion."
    assert _values(polish, (TANK_PL_K2, TANK_PL_ABRAMS)) == []
    assert [v.amount for v in _values(polish, (TANK_PL_K2,))] == [Decimal("6000000000")]


def test_a_delay_from_a_target_makes_the_target_historical_and_deals_are_not_units() -> None:
    claims = read_claims("The first Maharaja Lela ship will be handed over by December, a four-month delay from the "
                         "August target.", (CORVETTE_MY,), date(2026, 1, 28))
    windows = [(c.value.latest, c.historical) for c in claims if isinstance(c.value, Window)]
    assert (date(2026, 12, 31), False) in windows and all(h for latest, h in windows if latest != date(2026, 12, 31))
    assert _counts("Malaysia is likely to sign two LCS ship deals worth RM10 billion.", CORVETTE_MY,
                   ClaimKind.UNITS_ORDERED) == []


def test_several_programmes_valued_together_are_an_aggregate() -> None:
    text = ("The K9 guns are bought under the LAND 400 and LAND 8116 programmes, which are valued at around "
            "NOK 27 billion, the largest in Norway's history.")
    assert _values(text, (HOWITZER,)) == []


SUBMARINE_SE = _topic("a26-se", ("A26", "Blekinge class"), buyer=("Sweden", "Swedish"))


def test_the_initial_contract_was_worth_is_historical_however_long_its_description() -> None:
    claims = read_claims("While the initial contract for the two A26 submarines, which will be named after two Swedish "
                         "provinces, was worth SEK 7.6 billion, a further contract took the cost to SEK 14 billion.",
                         (SUBMARINE_SE,), date(2025, 10, 1))
    values = {(c.value.amount, c.historical) for c in claims if isinstance(c.value, Money)}
    assert values == {(Decimal("7600000000"), True), (Decimal("14000000000"), False)}


def test_a_bid_is_not_the_deal_and_the_last_of_six_delivered_is_all_six() -> None:
    assert _values("Saab submitted a bid exceeding SEK 20 billion for Sweden's next A26 boats.", (SUBMARINE_SE,)) == []
    text = "In January Saab delivered the last of the six A26 submarines to the Swedish Navy."
    assert _counts(text, SUBMARINE_SE, ClaimKind.UNITS_DELIVERED) == [6]


@pytest.mark.parametrize(("text", "published_on", "latest"), [
    # A time is not a clause break.
    ("The first K9 howitzer landed in Norway exactly at 14:29 on April 2, 2025.", date(2025, 4, 2), date(2025, 4, 2)),
    # A relative clause about the future does not make the delivery a future one.
    ("Norway received on Monday the first two of 24 K9 howitzers that will replace its old guns.", date(2024, 7, 22),
     date(2024, 7, 22)),
])
def test_a_first_delivery_dated_by_a_time_or_followed_by_a_relative_clause(text: str, published_on: date,
                                                                            latest: date) -> None:
    assert [(w.latest, w.milestone) for w in _windows(text, HOWITZER, published_on)] == [(latest, Milestone.FIRST)]


def test_a_counted_cue_gives_the_kind_that_names_a_topic_beside_its_buyer() -> None:
    jets = Topic(id="rafale-hr", name="Croatia Rafale", terms=("Rafale",), buyer=("Croatia", "Croatian"),
                 subjects=(Subject(id="rafale-hr-12", default=True, cues=("12 jets", "12 used")),))
    claims = read_claims("The remaining six jets are set to be delivered by April 2025.", (jets,), date(2024, 4, 29),
                         "A great day for Croatia as its new fighter jets arrive")
    assert [c.value.latest for c in claims if isinstance(c.value, Window)] == [date(2025, 4, 30)]
    # "12 used" counts no kind of equipment: "used" names nothing.
    assert read_claims("The six used planes will be delivered by April 2025.", (jets,), date(2024, 4, 29),
                       "Croatia's used planes arrive") == []


def test_what_a_buyer_believed_a_deal_would_cost_is_the_earlier_figure() -> None:
    claims = read_claims("In 2021 Oslo bought the K9, believing the deal for 24 guns would cost a fixed NOK 2 billion. "
                         "The price has since risen.", (HOWITZER,), date(2025, 6, 1))
    assert [(c.value.amount, c.historical) for c in claims if isinstance(c.value, Money)] == [
        (Decimal("2000000000"), True)]


def test_a_sentence_about_the_topics_kind_of_equipment_carries_its_passage_on() -> None:
    jets = Topic(id="rafale-rs", name="Serbia Rafale", terms=("Rafale",), buyer=("Serbia", "Serbian"),
                 subjects=(Subject(id="rafale-rs-12", default=True, cues=("12 jets",)),))
    text = ("Vucic said Serbia would for the first time have Western-made fighter jets. The contract comes with "
            "spare parts and training. The total value of the contract is EUR 2.7 billion.")
    title = "Serbia signs agreement for 12 Rafale fighters"
    assert [v.amount for v in _values(text, (jets,), title=title)] == [Decimal("2700000000")]
    # Without the sentence about the jets, the value is three sentences from the title: another subject.
    text = "Vucic spoke in Belgrade. The contract comes with spare parts and training. The total value is EUR 2.7 billion."
    assert _values(text, (jets,), title=title) == []


@pytest.mark.parametrize("text", [
    "The cost of Malaysia's LCS project is ballooning by about RM2bil.",
    "The ministry explained the increase in the cost of the littoral combat ships (LCS) by another RM2 billion.",
    "Congress may reduce the price of Malaysia's LCS ships by $60 million.",
    "The LCS builder expects to earn roughly RM4.6 billion in revenue from Malaysia's ships.",
    "While the yard builds the LCS under an RM9 billion contract, a separate RM1 billion agreement covers missiles.",
    "Under the RM2.6 million LCS contract, a Malaysian mill will deliver more than 1,500 tonnes of steel plate.",
])
def test_changes_of_price_revenue_separate_agreements_and_materials_are_not_the_deal(text: str) -> None:
    # Only the RM9 billion contract, where written, is the deal.
    assert {v.amount for v in _values(text, (CORVETTE_MY,))} <= {Decimal("9000000000")}


@pytest.mark.parametrize(("text", "window"), [
    ("The first K9 guns would not be delivered to Norway before 2030.", (date(2030, 1, 1), None)),
    ("Delivery of the K9 guns to Norway can now take place no earlier than 2028 and 2029.",
     (date(2028, 1, 1), date(2029, 12, 31))),
])
def test_a_lower_bound_starts_a_window_with_no_end(text: str, window: tuple[date, date | None]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, HOWITZER)] == [window]


def test_not_before_the_end_of_a_year_dates_nothing() -> None:
    assert _windows("The K9 guns are unlikely to arrive in Norway before the end of 2026.", HOWITZER) == []


@pytest.mark.parametrize(("text", "delivered"), [
    ("Norway has taken delivery of the first of 24 K9 howitzers.", [1]),
    ("Hanwha supplied, on 20 July to Norway, the first three K9 self-propelled howitzers out of 24 ordered.", [3]),
    ("With the fourth batch, the Norwegian army has eight K9 howitzers in its inventory.", [8]),
    ("The first of eight K9 howitzers for Norway is set to be delivered in 2026.", []),
])
def test_first_units_of_an_order_and_what_is_in_the_inventory_are_delivered(text: str, delivered: list[int]) -> None:
    assert _counts(text, HOWITZER, ClaimKind.UNITS_DELIVERED) == delivered


def test_buying_by_a_year_is_delivery_by_then_and_signing_in_a_year_is_not() -> None:
    assert [(w.earliest, w.latest) for w in _windows(
        "Norway finalized an arrangement to buy 24 of these K9 howitzers by 2032.", HOWITZER)] == [
        (None, date(2032, 12, 31))]
    assert _windows("Norway signed a deal in 2022 to buy 24 K9 howitzers.", HOWITZER) == []


@pytest.mark.parametrize(("text", "published_on", "windows"), [
    ("While the first K9 delivery to Norway was scheduled for 2012, the revised date is September of next year.",
     date(2015, 4, 7), [(date(2012, 12, 31), True), (date(2016, 9, 30), False)]),
    ("Delivery of the K9 guns to Norway is now expected between 2031 and 2035, compared to the original "
     "2026-2030 timeframe.", date(2025, 10, 1), [(date(2035, 12, 31), False), (date(2030, 12, 31), True)]),
])
def test_revised_dates_and_the_original_timeframe_they_are_compared_to(
        text: str, published_on: date, windows: list[tuple[date, bool]]) -> None:
    claims = read_claims(text, (HOWITZER,), published_on)
    assert [(c.value.latest, c.historical) for c in claims if isinstance(c.value, Window)] == windows


TRAINER_NG = _topic("m346-ng", ("M-346", "M-346FA"), buyer=("Nigeria", "Nigerian", "Abuja"))


@pytest.mark.parametrize(("text", "kind", "counts"), [
    # A letter before a hyphenated number is a model, not "24 m(etres)".
    ("Nigeria has signed a contract for 24 M-346 jets with Leonardo.", ClaimKind.UNITS_ORDERED, [24]),
    ("Nigeria has so far received 12 M-346 jets.", ClaimKind.UNITS_DELIVERED, [12]),
    ("Nigeria increased its M-346 order to 30 jets from 24.", ClaimKind.UNITS_ORDERED, [30, 24]),
    # "in May" is the month, not the verb: the jet arrived, so two have been delivered.
    ("Nigeria received its second M-346 jet in May.", ClaimKind.UNITS_DELIVERED, [2]),
    ("Ghana's two M-346 jets arrived in Accra on Monday.", ClaimKind.UNITS_DELIVERED, []),
])
def test_models_with_numbers_resized_orders_and_past_months(text: str, kind: ClaimKind, counts: list[int]) -> None:
    assert _counts(text, TRAINER_NG, kind) == counts


def test_a_resized_orders_old_size_is_superseded() -> None:
    claims = read_claims("Nigeria increased its M-346 order to 30 jets from 24.", (TRAINER_NG,), date(2025, 6, 1))
    assert sorted((c.value.count, c.historical) for c in claims if isinstance(c.value, Count)) == [
        (24, True), (30, False)]


@pytest.mark.parametrize(("text", "amounts"), [
    ("Nigeria paid a first instalment of €200 million for the M-346 jets.", []),
    ("Nigeria paid the first instalment of the €1.2 billion M-346 contract.", [Decimal("1200000000")]),
    ("The M-346 deal is now estimated at €1.5 billion, €300 million more than when it was signed.",
     [Decimal("1500000000")]),
    ("Ghana's two M-346 jets cost $720 million, while Nigeria's contract is worth €1.2 billion.",
     [Decimal("1200000000")]),
])
def test_an_instalment_an_increase_beside_the_total_and_another_countrys_jets(
        text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, TRAINER_NG) == amounts


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    # "last March 3" is the March before: the third batch is no last delivery.
    ("Nigeria has 12 M-346 jets on order; the third batch was delivered last March 3, 2024.", date(2024, 3, 30), set()),
    # The last unit handed over on a named day completes the deliveries then.
    ("Leonardo on Thursday handed over the sixth and last M-346 jet to the Nigerian Air Force.", date(2025, 1, 9),
     {(Milestone.LAST, date(2025, 1, 9), date(2025, 1, 9))}),
    # Dates of a separate deal are not this deal's.
    ("Nigeria already flies ten M-346 jets bought under a separate contract, the last of which arrived in July 2021.",
     date(2025, 6, 1), set()),
])
def test_past_last_deliveries_are_dated_but_not_other_deals_or_last_month_names(
        text: str, published_on: date, expected: set[tuple[object, ...]]) -> None:
    assert _schedules(text, TRAINER_NG, published_on) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Deliveries of the M-346 to Nigeria will start in 2026 and be finalised in 2028.",
     {(Milestone.FIRST, date(2026, 1, 1), None), (Milestone.LAST, date(2028, 1, 1), date(2028, 12, 31))}),
    # Rolling off the line is building; the handover is the delivery.
    ("The first M-346 for Nigeria will roll off the line in 2026 and be handed over in 2027.",
     {(None, date(2027, 1, 1), date(2027, 12, 31))}),
    ("The first two M-346 jets will be ferried to Nigeria in January 2026.",
     {(Milestone.FIRST, date(2026, 1, 1), date(2026, 1, 31))}),
    ("The deal for Nigeria's M-346 jets is to be finalised in 2026.", set()),
    ("Deliveries of the M-346 to Nigeria will begin after the deal is finalised in 2026.", set()),
])
def test_deliveries_finalised_ferried_and_built(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _schedules(text, TRAINER_NG) == expected


def test_the_date_a_schedule_is_preferred_to_is_superseded() -> None:
    claims = read_claims("Nigeria now expects all 24 M-346 jets by 2029 rather than 2027.", (TRAINER_NG,), date(2025, 6, 1))
    assert sorted((c.value.latest, c.historical) for c in claims if isinstance(c.value, Window)) == [
        (date(2027, 12, 31), True), (date(2029, 12, 31), False)]


@pytest.mark.parametrize("text", [
    "Nigeria's jet programme is part of a €4 billion air force modernisation plan that includes the M-346.",
    "Nigeria has asked Leonardo for an offer for 12 more M-346 jets worth €600 million.",
    "Nigeria sanctioned the M-346 purchase with a foreign exchange component well above €900 million.",
])
def test_plans_offers_and_components_are_not_the_deal(text: str) -> None:
    assert _values(text, (TRAINER_NG,)) == []


def test_a_deal_under_a_named_modernisation_programme_keeps_its_value() -> None:
    text = "Nigeria bought 24 M-346 jets for €1.2 billion under the Air Force Modernization Program."
    assert _amounts(text, TRAINER_NG) == [Decimal("1200000000")]


@pytest.mark.parametrize(("text", "delivered", "ordered"), [
    ("Four of Nigeria's 24 M-346 jets have arrived so far.", [4], [24]),
    ("Nigeria has ordered thirty-two M-346 jets.", [], [32]),
])
def test_a_part_of_a_buyers_order_and_counts_in_words(text: str, delivered: list[int], ordered: list[int]) -> None:
    assert _counts(text, TRAINER_NG, ClaimKind.UNITS_DELIVERED) == delivered
    assert _counts(text, TRAINER_NG, ClaimKind.UNITS_ORDERED) == ordered


def test_units_only_weighed_belong_to_a_subject_for_further_orders_or_to_none() -> None:
    text = "Nigeria is also considering the acquisition of six more M-346 jets, officials said."
    assert _counts(text, TRAINER_NG, ClaimKind.UNITS_ORDERED) == []
    with_further = Topic(id="m346-ng", name="m346-ng", terms=("M-346",), buyer=("Nigeria",), subjects=(
        Subject(id="m346-ng-24", cues=("24 jets",), default=True),
        Subject(id="m346-ng-more", cues=("more M-346", "additional jets"))))
    claims = read_claims(text, (with_further,), date(2025, 6, 1))
    assert [(c.subject, c.value) for c in claims] == [("m346-ng-more", Count(6))]
    # A letter of offer and acceptance is signed: its count is an order.
    assert _counts("Nigeria signed a letter of offer and acceptance for 24 M-346 jets.", TRAINER_NG,
                   ClaimKind.UNITS_ORDERED) == [24]


SUPER_HERC_NZ = _topic("c130j-nz", ("C-130J", "C-130J-30", "Super Hercules"), buyer=("New Zealand",))
ARROW_DE = _topic("arrow-de", ("Arrow 3", "Arrow"), buyer=("Germany", "German"))


@pytest.mark.parametrize(("text", "topic", "delivered"), [
    ("New Zealand has received the fifth and final C-130J-30 Super Hercules.", SUPER_HERC_NZ, [5]),
    ("The arrival of the fifth Super Hercules ends New Zealand's wait.", SUPER_HERC_NZ, [5]),
    ("New Zealand took delivery of the first of five C-130J-30s.", SUPER_HERC_NZ, [1]),
    # "Arrow 3" is a name, not three systems; work still to be done in another clause does not undo a handover.
    ("Israel handed over the first operational Arrow 3 system to Germany on 3 December, although some work "
     "remains to be done.", ARROW_DE, [1]),
])
def test_ordinals_and_partitives_with_the_topics_own_names(text: str, topic: Topic, delivered: list[int]) -> None:
    assert _counts(text, topic, ClaimKind.UNITS_DELIVERED) == delivered
    assert _counts(text, topic, ClaimKind.UNITS_ORDERED) in ([], [5])


def test_an_operational_system_handed_over_is_a_delivery_not_service_entry() -> None:
    text = "Israel handed over the first operational Arrow 3 system to Germany on 3 December 2025."
    assert _schedules(text, ARROW_DE, date(2025, 12, 19)) == {(Milestone.FIRST, date(2025, 12, 3), date(2025, 12, 3))}


RAFALE_AE = _topic("rafale-ae", ("Rafale", "Rafales"), buyer=("UAE", "United Arab Emirates"))


@pytest.mark.parametrize(("text", "ordered", "delivered"), [
    # Jets, helicopters and drones are three purchases; "aircraft" may be any of them.
    ("The UAE ordered 80 Rafale fighter jets. The deal also includes the purchase of 12 Caracal helicopters.", [80], []),
    ("The UAE ordered 80 Rafale fighter jets; Dassault will build the 80 aircraft in France.", [80], []),
    ("Dassault said it received the first down payment of the contract for 80 Rafales from the UAE.", [80], []),
    ("Dassault Aviation currently holds orders for 220 Rafale jets, many for the UAE.", [], []),
    ("Between 16 and 24 new Rafale aircraft will be acquired by the UAE.", [], []),
    ("The UAE deal covers 70 single-seat Rafales, along with ten two-seat Rafales.", [], []),
    ("The first Rafale was delivered to the UAE in July 2027, the last in 2031.", [], []),
])
def test_other_kinds_payments_order_books_ranges_and_parts(text: str, ordered: list[int], delivered: list[int]) -> None:
    assert _counts(text, RAFALE_AE, ClaimKind.UNITS_ORDERED) == ordered
    assert _counts(text, RAFALE_AE, ClaimKind.UNITS_DELIVERED) == delivered


def test_a_sentence_carried_on_about_another_development_is_not_the_deal() -> None:
    text = ("The UAE signed for 80 Rafale jets worth €16 billion. The council also cleared a contract worth "
            "€700 million for 30 howitzers in another development.")
    assert _amounts(text, RAFALE_AE) == [Decimal("16000000000")]


@pytest.mark.parametrize("text", [
    # Another model named in a sentence that carries the passage on is another purchase...
    "New Zealand signed for five C-130J aircraft. It will also replace its Orions with a fleet of P-8 Poseidon "
    "aircraft that will be delivered from 2027.",
    "New Zealand signed for five C-130J aircraft. The air force earlier ordered 12 NH90 helicopters for NZ$771 million.",
    # ...and so is what a sentence said to be another purchase goes on about.
    "New Zealand signed for five C-130J aircraft. The air force will also purchase six drones. This procurement is "
    "expected to cost around NZ$100 million.",
    # A supply chain is no supply; a commitment is a first step; a requirement is no order.
    "New Zealand signed for five C-130J aircraft. The deal guarantees the supply chain of the aircraft until 2031.",
    "New Zealand signed for five C-130J aircraft. A letter discusses a commitment that amounts to NZ$60 million.",
    "New Zealand signed for five C-130J aircraft. The air force has an estimated requirement of 12 such aircraft.",
])
def test_what_a_passage_goes_on_to_say_of_other_purchases_is_not_the_deals(text: str) -> None:
    claims = [c for c in read_claims(text, (SUPER_HERC_NZ,), date(2025, 6, 1)) if c.start > 0]
    assert claims == []


def test_a_model_the_purchase_replaces_does_not_make_it_another_purchase() -> None:
    text = ("New Zealand signed for five C-130J aircraft. They replace the ageing C-130H fleet and will be "
            "delivered between 2027 and 2028.")
    assert _schedules(text, SUPER_HERC_NZ) == {(None, date(2027, 1, 1), date(2028, 12, 31))}


def test_another_country_signing_for_the_same_aircraft_is_its_order() -> None:
    text = "New Zealand took delivery of its C-130J. Meanwhile, the Philippines has signed a deal for three new C-130J-30s."
    assert _counts(text, SUPER_HERC_NZ, ClaimKind.UNITS_ORDERED) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Germany's Arrow 3 deal will come close to €4 billion, marking Israel's largest-ever defence contract.",
     [(Decimal("4000000000"), False)]),
    ("Germany signed the Arrow 3 contracts, worth €3,9 billion, on Thursday.", [(Decimal("3900000000"), False)]),
    # A scaled number with no currency of its own takes the one before it; what a price rose from is superseded.
    ("The price of Germany's Arrow 3 deal rose to €4.2 billion from 3.5 billion.",
     [(Decimal("4200000000"), False), (Decimal("3500000000"), True)]),
    ("Germany's €4 billion Arrow 3 deal covers 1.2 million spare parts.", [(Decimal("4000000000"), False)]),
])
def test_the_sellers_record_decimal_commas_and_amounts_without_their_currency(
        text: str, expected: list[tuple[Decimal, bool]]) -> None:
    claims = read_claims(text, (ARROW_DE,), date(2025, 6, 1))
    assert [(c.value.amount, c.historical) for c in claims if isinstance(c.value, Money)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Greece has taken delivery of the first of 18 Rafale fighter jets.", {(Milestone.FIRST, None, date(2025, 6, 1))}),
    ("New Zealand has received the fifth and final C-130J from Lockheed Martin.", {(Milestone.LAST, None, date(2025, 6, 1))}),
    # A part received, a delivery still to come and a count without a milestone are not dated by the report.
    ("The yard has received the first engines for New Zealand's C-130J fleet.", set()),
    ("New Zealand will have received the first C-130J by then.", set()),
    ("New Zealand has received three C-130J aircraft.", set()),
])
def test_a_first_or_last_unit_just_delivered_is_dated_by_the_report(text: str, expected: set[tuple[object, ...]]) -> None:
    topics = {"Greece": _topic("rafale-gr", ("Rafale",), buyer=("Greece",))}
    topic = topics["Greece"] if "Greece" in text else SUPER_HERC_NZ
    assert _schedules(text, topic) == expected


HUNTER_AU = _topic("hunter-au", ("Hunter", "Hunter-class"), buyer=("Australia", "Australian"))


def test_a_count_the_article_gives_as_superseded_is_superseded_where_it_repeats_it() -> None:
    text = ("The government has cut the planned number of Hunter frigates from nine to six. An estimate claimed the "
            "cost of building all nine Hunter frigates had soared.")
    claims = read_claims(text, (HUNTER_AU,), date(2024, 2, 22))
    assert sorted((c.value.count, c.historical) for c in claims if isinstance(c.value, Count)) == [
        (6, False), (9, True), (9, True)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The navy initially planned to buy nine Hunter-class ships but reduced this to just six.", [(6, False), (9, True)]),
    # An initial order that a later one adds to is not superseded.
    ("Australia had initially ordered six Hunter-class ships, with another three added in 2026.", [(6, False)]),
])
def test_an_initial_plan_is_superseded_but_an_initial_order_is_not(text: str, expected: list[tuple[int, bool]]) -> None:
    claims = read_claims(text, (HUNTER_AU,), date(2026, 6, 1))
    assert sorted((c.value.count, c.historical) for c in claims if isinstance(c.value, Count)) == expected


def test_of_deals_for_one_system_the_one_whose_buyer_is_named_as_buying_keeps_the_value() -> None:
    greece = _topic("rafale-gr", ("Rafale",), buyer=("Greece",))
    text = ("The UAE buys 80 Rafale jets. The deal, worth at least $15 billion, is the biggest Rafale purchase and "
            "comes after deals in Greece this year.")
    claims = read_claims(text, (RAFALE_AE, greece), date(2021, 12, 3))
    assert {(c.topic, c.kind) for c in claims} == {("rafale-ae", ClaimKind.DEAL_VALUE), ("rafale-ae", ClaimKind.UNITS_ORDERED)}


def test_a_country_expecting_to_receive_jets_is_their_buyer() -> None:
    text = "The Brazilian Air Force expects to receive 36 Rafale jets."
    assert _counts(text, RAFALE_AE, ClaimKind.UNITS_ORDERED) == []


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    ("India signed for 156 LCH helicopters; deliveries will begin in the third year of the contract.", date(2025, 3, 30),
     {(Milestone.FIRST, date(2027, 3, 30), None)}),
    # Operating from a year is service, not delivery.
    ("The first of the new LCH helicopters will be delivered in 2024, with the full fleet operating from 2025.",
     date(2020, 6, 5), {(Milestone.FIRST, date(2024, 1, 1), date(2024, 12, 31))}),
    # Months listed after a past handover are past months.
    ("HAL handed over the first LCH helicopter in August, the second and third in September.", date(2024, 12, 20),
     {(Milestone.FIRST, date(2024, 8, 1), date(2024, 8, 31))}),
    # Production that begins is not deliveries that begin.
    ("The deal lets HAL begin production of the three LCH helicopters expected to arrive by 2030.", date(2023, 9, 28),
     {(None, None, date(2030, 12, 31))}),
])
def test_contract_years_service_past_months_and_production(text: str, published_on: date,
                                                         expected: set[tuple[object, ...]]) -> None:
    assert _schedules(text, _topic("lch-in", ("LCH",), buyer=("India",)), published_on) == expected


@pytest.mark.parametrize("text", [
    "The new $3.1 billion LCH contract brings the total value of the procurement to $6.5 billion.",
    "The LCH deal will release €560 million in funds approved by parliament.",
])
def test_totals_brought_to_and_funds_released_are_not_a_deal(text: str) -> None:
    assert {v.amount for v in _values(text, (_topic("lch-in", ("LCH",), buyer=("India",)),))} <= {Decimal("3100000000")}


@pytest.mark.parametrize(("text", "windows"), [
    ("The M-346 jets will be delivered to Nigeria over three years starting in 2026.",
     [(date(2026, 1, 1), date(2028, 12, 31), False), (date(2026, 1, 1), None, False)]),
    ("Deliveries of Nigeria's M-346 jets, once planned for 2026, are now expected in 2028.",
     [(date(2026, 1, 1), date(2026, 12, 31), True), (date(2028, 1, 1), date(2028, 12, 31), False)]),
    ("Nigeria's M-346 deliveries have been pushed back to 2028 from 2026.",
     [(date(2028, 1, 1), date(2028, 12, 31), False), (date(2026, 1, 1), date(2026, 12, 31), True)]),
])
def test_durations_from_a_start_and_dates_moved_from(text: str, windows: list[tuple[date, date | None, bool]]) -> None:
    claims = read_claims(text, (TRAINER_NG,), date(2025, 6, 15))
    assert [(c.value.earliest, c.value.latest, c.historical) for c in claims if isinstance(c.value, Window)] == windows


@pytest.mark.parametrize(("text", "amounts"), [
    ("Italy will provide a €500 million export credit for Nigeria's M-346 purchase.", []),
    ("Nigeria has paid €400 million of the €1.2 billion M-346 contract so far.", [Decimal("1200000000")]),
    ("Nigeria will spend €1.2 billion on defence equipment this year, including M-346 jets.", []),
])
def test_credits_payments_of_a_whole_and_a_years_spending(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, TRAINER_NG) == amounts


def test_revenue_over_years_is_no_delivery_window() -> None:
    text = "Leonardo expects the Nigerian M-346 order to generate €1.5 billion in revenue over 20 years."
    assert _schedules(text, TRAINER_NG) == set()


def test_deliveries_completed_in_a_past_month_date_the_last_and_count_all() -> None:
    text = "Deliveries of all 24 M-346 jets to Nigeria were completed in May."
    assert _schedules(text, TRAINER_NG, date(2025, 6, 15)) == {(Milestone.LAST, date(2025, 5, 1), date(2025, 5, 31))}
    assert _counts(text, TRAINER_NG, ClaimKind.UNITS_DELIVERED) == [24]


def test_units_delivered_on_a_weekday_are_that_days_batch() -> None:
    assert _counts("Two M-346 jets were delivered to Nigeria on Monday.", TRAINER_NG, ClaimKind.UNITS_DELIVERED) == []


MOGAMI_AU = _topic("mogami-au", ("Mogami", "Mogami-class"), buyer=("Australia", "Australian"))
P8_CA = _topic("p8-ca", ("P-8A", "Poseidon"), buyer=("Canada", "Canadian"))


@pytest.mark.parametrize(("text", "topic", "expected"), [
    ("Hanwha signed a deal with Australia for Mogami frigates worth one-point-three trillion won.", MOGAMI_AU,
     [(Decimal("1300000000000"), "KRW")]),
    ("Australia will pay US$6 billion (Aus$10 billion) for the Mogami frigates.", MOGAMI_AU,
     [(Decimal("6000000000"), "USD"), (Decimal("10000000000"), "AUD")]),
    # A sale the US State Department approves is in US dollars, even for a buyer whose press writes C$ as "$".
    ("The US State Department approved a possible sale of 16 P-8A aircraft to Canada for $5.9 billion.", P8_CA,
     [(Decimal("5900000000"), "USD")]),
])
def test_worded_decimals_written_dollars_and_us_sales(text: str, topic: Topic,
                                                      expected: list[tuple[Decimal, str]]) -> None:
    assert [(v.amount, v.currency) for v in _values(text, (topic,))] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "As early as" the last delivery is the earliest end, not a start.
    ("Canada expects all P-8A aircraft delivered as early as fall 2027.", {(Milestone.LAST, date(2027, 9, 1), date(2027, 11, 30))}),
    # Ships "built in Japan" are described, not dated, by it: the delivery is what the year dates.
    ("The agreement includes the delivery of the first three Mogami frigates built in Japan by 2029.",
     {(Milestone.FIRST, None, date(2029, 12, 31))}),
    ("Canada had planned a P-8A competition starting in 2024.", set()),
])
def test_as_early_as_built_in_and_competitions(text: str, expected: set[tuple[object, ...]]) -> None:
    topic = MOGAMI_AU if "Mogami" in text else P8_CA
    assert _schedules(text, topic, date(2025, 6, 1)) == expected


@pytest.mark.parametrize(("text", "ordered"), [
    ("Canada is buying 14 new P-8A aircraft while at the same time upgrading six older aircraft.", [14]),
    ("Boeing says the backlog for P-8A orders is 20 planes.", []),
    ("Germany, having initially procured five P-8A aircraft, expanded its fleet.", []),
])
def test_upgrades_backlogs_and_other_buyers_having_bought(text: str, ordered: list[int]) -> None:
    assert _counts(text, P8_CA, ClaimKind.UNITS_ORDERED) == ordered


LEOPARD_CZ = Topic(id="leo-cz", name="leo-cz", terms=("Leopard 2A8", "Leopard"), buyer=("Czech Republic", "Czech"),
                   subjects=(Subject(id="leo-cz-44", cues=("44 tanks",), default=True),
                             Subject(id="leo-cz-more", cues=("14 more", "up to 77"))))


def test_a_cue_of_up_to_a_number_declares_that_size() -> None:
    # With "up to 77" declared, 77 tanks are this deal's, not a larger other deal.
    text = "The Czech Republic is set to approve the purchase of 77 Leopard 2A8 tanks for 2.1 billion euros."
    claims = read_claims(text, (LEOPARD_CZ,), date(2024, 6, 14))
    assert {(c.kind, str(c.value)) for c in claims} >= {(ClaimKind.UNITS_ORDERED, str(Count(77)))}


@pytest.mark.parametrize(("text", "ordered"), [
    ("Canada will procure 14 of 16 P-8A aircraft approved for sale.", [14]),
    ("Canada is to receive a total of 14 P-8A aircraft with related gear.", [14]),
    ("Canada signed a contract with the US government and Boeing for the supply of 14 P-8A aircraft.", [14]),
    # Two buyers' orders in one contract are not shares of one order.
    ("The US Navy contracted Boeing for 14 P-8A aircraft for the Royal Canadian Air Force and three P-8A aircraft "
     "for the German Navy.", [14]),
])
def test_parts_bought_totals_to_come_and_two_buyers_in_one_contract(text: str, ordered: list[int]) -> None:
    assert _counts(text, P8_CA, ClaimKind.UNITS_ORDERED) == ordered


@pytest.mark.parametrize(("text", "expected"), [
    # A bare dollar beside the buyer's written dollar is the US dollar, on either side.
    ("Australia's 11 Mogami frigates are worth $6billion (A$10 billion) over the next decade.",
     [(Decimal("6000000000"), "USD"), (Decimal("10000000000"), "AUD")]),
    ("BAE has won a $35bn($25.7bn) contract for Australia's Mogami frigates.",
     [(Decimal("35000000000"), "AUD"), (Decimal("25700000000"), "USD")]),
    # Two bare amounts side by side are two figures, the second an increase.
    ("Australia's Mogami deal is worth $10 billion, $3 billion more than planned.", [(Decimal("10000000000"), "AUD")]),
])
def test_bare_dollars_beside_written_ones(text: str, expected: list[tuple[Decimal, str]]) -> None:
    assert [(v.amount, v.currency) for v in _values(text, (MOGAMI_AU,))] == expected


def test_the_makers_product_bought_by_value_is_the_buyers() -> None:
    text = "Romania has decided to purchase 920 million dollars worth of South Korea's K-9 howitzers."
    romania = _topic("k9-ro", ("K9", "K-9"), buyer=("Romania",))
    assert _amounts(text, romania) == [Decimal("920000000")]


K9_PL = _topic("k9-pl", ("K9", "K9A1"), buyer=("Poland", "Polish"))


@pytest.mark.parametrize(("text", "topic", "published_on", "expected"), [
    ("On 6 December 2022, Hanwha announced that they had delivered the first batch of 24 K9 howitzers to Poland.",
     K9_PL, date(2022, 12, 7), {(Milestone.FIRST, date(2022, 12, 6), date(2022, 12, 6))}),
    ("Mitsubishi will supply Australia with three, upgraded Mogami frigates built in Japan from 2029.", MOGAMI_AU,
     date(2025, 8, 6), {(Milestone.FIRST, date(2029, 1, 1), None)}),
    ("Canada expects to receive roughly one P-8A monthly starting in 2026.", P8_CA, date(2023, 11, 30),
     {(Milestone.FIRST, date(2026, 1, 1), None)}),
    ("The Netherlands received its last Chinook. Boeing delivered the first Dutch Apache as part of another "
     "contract. The delivery target for the last Apache is 2025.",
     _topic("ch47-nl", ("Chinook",), buyer=("Netherlands", "Dutch")), date(2022, 11, 15), set()),
])
def test_announced_deliveries_counts_before_a_comma_rates_that_start_and_another_contract(
        text: str, topic: Topic, published_on: date, expected: set[tuple[object, ...]]) -> None:
    assert _schedules(text, topic, published_on) == expected


@pytest.mark.parametrize(("text", "amounts"), [
    ("Poland signed for K9 howitzers. Experts estimate the deal to be worth some 14-point-eight billion dollars.",
     [Decimal("14800000000")]),
    # A price told after a list of tanks, howitzers and jets is the package's.
    ("Poland committed to procuring 980 K2 tanks, 648 K9 howitzers and 48 jets. Experts estimate the deal to be "
     "worth some $14.8 billion.", []),
    ("There is also an option for 16 more K9 howitzers for Poland. This would bring the total price to the "
     "equivalent of 2.1 billion euros.", []),
])
def test_worded_decimals_packages_told_before_and_totals_with_options(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, K9_PL) == amounts


def test_another_variant_of_a_pinned_model_is_another_deal_but_an_unpinned_one_is_not() -> None:
    assert _values("The Czech ministry plans to buy 14 Leopard 2A4 tanks in a deal worth $167 million.",
                   (LEOPARD_CZ,)) == []
    croatia = _topic("rafale-hr", ("Rafale", "Rafales"), buyer=("Croatia",))
    assert [v.amount for v in _values("Croatia will buy 12 Rafale F3-R jets for €999 million.", (croatia,))] == [
        Decimal("999000000")]


@pytest.mark.parametrize(("text", "ordered"), [
    ("Poland's budget also covers modernising the current six K9 howitzers.", []),
    ("Poland will equip five battalions, each with 18 K9 howitzers.", []),
    ("Germany concluded a framework agreement with the maker KMW to procure up to 123 K9 howitzers.", []),
])
def test_modernised_units_shares_per_unit_and_another_buyers_framework(text: str, ordered: list[int]) -> None:
    assert _counts(text, K9_PL, ClaimKind.UNITS_ORDERED) == ordered


def test_resuming_operations_is_no_delivery() -> None:
    text = "Five Polish K9 howitzers are in repair and are expected to resume their operations by the end of 2024."
    assert _schedules(text, K9_PL, date(2024, 6, 1)) == set()


def test_a_list_of_what_is_replaced_is_no_package() -> None:
    text = ("Poland signed a deal for 152 K9 howitzers to move on from legacy equipment such as Mi helicopters, as well "
            "as MiG fighters. The contract was valued at KRW3.4 trillion (US$2.6 billion).")
    assert _amounts(text, K9_PL) == [Decimal("3400000000000"), Decimal("2600000000")]


def test_a_configured_service_name_after_for_the_names_the_buyer() -> None:
    canada = _topic("p8-ca", ("P-8A",), buyer=("Canada", "Royal Canadian Air Force"))
    text = ("The US Navy has granted Boeing a contract for 14 P-8A aircraft for the Royal Canadian Air Force and "
            "three additional P-8A aircraft for the German Navy.")
    assert _counts(text, canada, ClaimKind.UNITS_ORDERED) == [14]


def test_a_date_the_contract_is_expected_by_and_a_batch_that_will_arrive() -> None:
    assert _schedules("With a contract expected by early 2026, MHI is set to supply 11 Mogami frigates to Australia.",
                      MOGAMI_AU, date(2025, 8, 6)) == set()
    assert _counts("Ten tanks will arrive later this year and 24 K9 howitzers will arrive in the artillery regiment.",
                   K9_PL, ClaimKind.UNITS_ORDERED) == []


def test_a_deal_only_hoped_to_be_signed_has_no_value_yet() -> None:
    text = "The Polish ministry said it hopes the K9 deal, worth almost 4 billion zlotys, would be signed by December."
    assert _values(text, (K9_PL,)) == []


def test_a_sale_approved_for_more_units_than_ordered_is_still_this_deals() -> None:
    morocco = Topic(id="apache-ma", name="apache-ma", terms=("Apache", "AH-64E"), buyer=("Morocco",),
                    subjects=(Subject(id="apache-ma-24", cues=("24 Apache",), default=True),))
    text = "The State Department approved a possible $4.25 billion sale of 36 AH-64E Apache helicopters to Morocco."
    claims = read_claims(text, (morocco,), date(2019, 11, 20))
    assert {(c.kind, str(c.value)) for c in claims} == {
        (ClaimKind.UNITS_ORDERED, str(Count(36))),
        (ClaimKind.DEAL_VALUE, str(Money(Decimal("4250000000.00"), "USD", Decimal("10000000.00"))))}


ABRAMS_TW = _topic("abrams-tw", ("M1A2T", "Abrams"), buyer=("Taiwan",))


@pytest.mark.parametrize(("text", "windows"), [
    ("Deliveries of Taiwan's M1A2T tanks began in December 2024 and will run through 2026.",
     [(date(2024, 12, 1), date(2024, 12, 31), Milestone.FIRST, False), (None, date(2026, 12, 31), None, False)]),
    ("Delivery of the last M1A2T tanks to Taiwan, earlier expected in 2025, has been delayed to 2026.",
     [(date(2025, 1, 1), date(2025, 12, 31), Milestone.LAST, True),
      (date(2026, 1, 1), date(2026, 12, 31), Milestone.LAST, False)]),
])
def test_a_start_told_beside_an_end_and_a_date_moved_keep_their_milestones(
        text: str, windows: list[tuple[date | None, date, Milestone | None, bool]]) -> None:
    claims = read_claims(text, (ABRAMS_TW,), date(2025, 6, 15))
    assert [(c.value.earliest, c.value.latest, c.value.milestone, c.historical) for c in claims
            if isinstance(c.value, Window)] == windows


@pytest.mark.parametrize(("text", "expected"), [
    ("Deliveries of Taiwan's M1A2T tanks have been under way since 2023.", {(Milestone.FIRST, date(2023, 1, 1), None)}),
    ("The remaining Abrams tanks will reach Taiwan this summer.", {(Milestone.LAST, date(2025, 6, 1), date(2025, 8, 31))}),
    ("The first M1A2T tanks will arrive in Taiwan next spring.", {(Milestone.FIRST, date(2026, 3, 1), date(2026, 5, 31))}),
    # Spending that will reach an amount is no delivery.
    ("Taiwan's spending on the Abrams tanks will reach $2 billion by 2026.", set()),
])
def test_deliveries_under_way_since_a_year_and_seasons_of_the_report(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _schedules(text, ABRAMS_TW, date(2025, 6, 15)) == expected


@pytest.mark.parametrize(("written", "currency"), [
    ("LE10 billion", "EGP"), ("SR5 billion", "SAR"), ("QR5 billion", "QAR"), ("Tk 50 billion", "BDT"),
    ("NIS 2 billion", "ILS"), ("₩1.3 trillion", "KRW"), ("Rp20 trillion", "IDR"),
])
def test_newsroom_abbreviations_of_currencies(written: str, currency: str) -> None:
    values = _values(f"Taiwan's Abrams contract is worth {written}.", (ABRAMS_TW,))
    assert [v.currency for v in values] == [currency]


TYPHOON_KW = _topic("typhoon-kw", ("Typhoon", "Eurofighter"), buyer=("Kuwait", "Kuwaiti"))


def test_the_buyer_and_its_counterparty_signing_together_keep_the_buyers_order() -> None:
    text = "Kuwait and Italy yesterday signed a contract for 28 Eurofighter Typhoon warplanes worth €7 billion."
    assert _counts(text, TYPHOON_KW, ClaimKind.UNITS_ORDERED) == [28]
    assert _amounts(text, TYPHOON_KW) == [Decimal("7000000000")]


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    ("The Typhoons are expected to arrive in Kuwait in the third quarter of the year, he said.", date(2022, 5, 1),
     {(None, date(2022, 7, 1), date(2022, 9, 30))}),
    ("The last Kuwaiti Typhoons will arrive in Q1 of next year.", date(2022, 5, 1),
     {(Milestone.LAST, date(2023, 1, 1), date(2023, 3, 31))}),
])
def test_quarters_of_the_reports_year(text: str, published_on: date, expected: set[tuple[object, ...]]) -> None:
    assert _schedules(text, TYPHOON_KW, published_on) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The fifth and sixth Eurofighter Typhoons for Kuwait have arrived.", [6]),
])
def test_the_later_of_two_ordinals_delivered_counts(text: str, expected: list[int]) -> None:
    assert _counts(text, TYPHOON_KW, ClaimKind.UNITS_DELIVERED) == expected


@pytest.mark.parametrize(("text", "amounts"), [
    ("The Defense Acquisition Program Administration awarded the Typhoon contract for Kuwait, worth 1.96 trillion won.",
     [Decimal("1960000000000")]),
    ("A separate but related agreement for the Kuwaiti Typhoons was signed with BAE, a SEK 1.7 billion contract.", []),
    ("Kuwait and Oman have jointly placed an order for Typhoons worth €2.1 billion.", []),
])
def test_agency_names_related_agreements_and_joint_orders(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, TYPHOON_KW) == amounts


def test_a_fleet_a_country_plans_to_operate_is_no_order() -> None:
    assert _counts("Kuwait signed for 28 Typhoons as it plans to operate 40 Typhoons by 2032.", TYPHOON_KW,
                   ClaimKind.UNITS_ORDERED) == [28]


GLOBAL_HAWK_JP = _topic("rq4-jp", ("Global Hawk", "RQ-4B"), buyer=("Japan",))


@pytest.mark.parametrize(("text", "amounts"), [
    ("Japan aims to deploy three Global Hawk drones for about 20 years at an estimated total cost of $263.7 billion.", []),
    ("The Global Hawk acquisition stood at 61.3 billion yen, besides the yearly operating cost of 13 billion yen.",
     [Decimal("61300000000")]),
])
def test_a_lifetimes_cost_and_yearly_costs_are_not_the_deal(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, GLOBAL_HAWK_JP) == amounts


def test_a_production_contract_for_several_customers_is_not_one_buyers_deal() -> None:
    text = ("The US Army awarded a $4.6 billion contract for Abrams tank production for several customers "
            "including Taiwan.")
    assert _values(text, (ABRAMS_TW,)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Kuwait's Typhoon contract was worth €7-8 billion ($8-9 billion), Italian media said.",
     [(Decimal("7000000000"), "EUR"), (Decimal("8000000000"), "USD")]),
    ("Kuwait's Typhoon contract is worth 2 to 3 billion euros.", [(Decimal("2000000000"), "EUR")]),
])
def test_a_range_of_amounts_is_read_by_its_lower_bound(text: str, expected: list[tuple[Decimal, str]]) -> None:
    values = _values(text, (TYPHOON_KW,))
    assert [(v.amount, v.currency) for v in values] == expected
    assert all(v.precision == Decimal("1000000000") for v in values)


@pytest.mark.parametrize(("text", "amounts"), [
    ("Kuwait acquired 28 Typhoons for an investment of approximately US$8 billion.", [Decimal("8000000000")]),
    ("Kuwait's government announced the commitment to invest 8 billion dollars in the purchase of 28 Typhoons.",
     [Decimal("8000000000")]),
    ("Kuwait estimates its investment for the Typhoon project at 2.5 billion dinars.", [Decimal("2500000000")]),
    ("Eurofighter will invest $100 million in Kuwait's local industry as part of the Typhoon deal.", []),
])
def test_an_investment_in_the_purchase_is_its_price_but_an_industrial_investment_is_not(
        text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, TYPHOON_KW) == amounts


@pytest.mark.parametrize(("text", "ordered", "delivered"), [
    ("Four more of Kuwait's 28 Typhoons will be delivered in 2023.", [28], []),
    ("Two more of the 28 Kuwaiti Typhoons arrived in May.", [28], []),
])
def test_more_of_an_order_is_a_batch_of_it(text: str, ordered: list[int], delivered: list[int]) -> None:
    assert _counts(text, TYPHOON_KW, ClaimKind.UNITS_ORDERED) == ordered
    assert _counts(text, TYPHOON_KW, ClaimKind.UNITS_DELIVERED) == delivered


TEJAS_IN = _topic("tejas-in", ("Tejas", "LCA"), buyer=("India", "Indian"))


@pytest.mark.parametrize(("text", "amounts"), [
    ("The Rs 7,000 crore Tejas project was aimed at developing a light fighter for the Indian Air Force.", []),
    ("The development cost of the Tejas reached Rs 7,000 crore before India ordered 83 jets.", []),
    ("India signed a Rs 48,000 crore contract for 83 Tejas jets, after a development programme of twenty years.",
     [Decimal("480000000000")]),
])
def test_what_developing_the_system_costs_is_not_a_purchase(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, TEJAS_IN) == amounts


@pytest.mark.parametrize(("text", "amounts"), [
    ("Washington approved the sale to Poland of K2 tanks, Javelin missiles and spare parts for $3 billion.", []),
    ("Washington approved the sale to Poland of 180 K2 tanks for $3 billion, including spare parts.",
     [Decimal("3000000000")]),
])
def test_a_price_for_a_sale_listing_tanks_and_missiles_is_a_package(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, TANK) == amounts


def test_units_of_a_separate_but_related_agreement_are_another_order() -> None:
    text = ("A separate but related agreement was signed in 2019, with Hanwha winning an order from the "
            "Polish Army for 20 K9 howitzers.")
    assert _counts(text, K9_PL, ClaimKind.UNITS_ORDERED) == []
    assert _counts("Poland signed an agreement for 20 K9 howitzers.", K9_PL, ClaimKind.UNITS_ORDERED) == [20]


@pytest.mark.parametrize(("text", "ordered"), [
    ("Hanwha signed a contract worth 1.2 trillion won last month to build an initial batch of 18 K9 howitzers for "
     "Poland.", [18]),
    ("The first batch of 18 K9 howitzers ordered by Poland was contracted in 2022.", [18]),
    ("The first batch of six K9 howitzers reached Poland in December.", []),
])
def test_a_batch_that_was_contracted_is_an_order_but_a_batch_delivered_is_not(text: str, ordered: list[int]) -> None:
    assert _counts(text, K9_PL, ClaimKind.UNITS_ORDERED) == ordered


def test_a_list_of_dated_batches_is_the_first_the_next_and_the_last() -> None:
    windows = _windows("Twelve K9 howitzers will reach Poland in 2026, 20 in 2027 and the final 16 in 2028.", K9_PL)
    assert [(w.milestone, w.latest) for w in windows] == [
        (Milestone.FIRST, date(2026, 12, 31)), (Milestone.NEXT, date(2027, 12, 31)), (Milestone.LAST, date(2028, 12, 31))]


def test_a_list_that_goes_on_from_earlier_deliveries_starts_with_the_next() -> None:
    windows = _windows("Ten more K9 howitzers will follow in 2027, eight in 2028 and six in 2029.", K9_PL)
    assert [(w.milestone, w.latest) for w in windows] == [
        (Milestone.NEXT, date(2027, 12, 31)), (Milestone.LAST, date(2029, 12, 31))]


def test_two_dates_without_their_own_batches_stay_one_window() -> None:
    windows = _windows("Poland expects its K9 howitzers between 2026 and 2028.", K9_PL)
    assert [(w.earliest, w.latest, w.milestone) for w in windows] == [(date(2026, 1, 1), date(2028, 12, 31), None)]


FDI_GR = _topic("fdi-gr", ("FDI", "Belharra"), buyer=("Greece", "Greek"))
E7_UK = _topic("e7-uk", ("E-7", "Wedgetail"), buyer=("UK", "Britain", "British"))
PROSUB_BR = _topic("prosub-br", ("Scorpene", "PROSUB"), buyer=("Brazil", "Brazilian"))


def test_corvettes_beside_a_frigate_deal_are_another_purchase() -> None:
    text = "Greece will spend €3 billion on the Belharra frigates and €1.5 billion to acquire four corvettes."
    assert _counts(text, FDI_GR, ClaimKind.UNITS_ORDERED) == []
    assert _counts("Greece ordered three Belharra frigates.", FDI_GR, ClaimKind.UNITS_ORDERED) == [3]


def test_the_original_cost_and_order_before_a_cut_are_superseded() -> None:
    text = ("The original estimated cost for five E-7 Wedgetail aircraft was £2.2 billion; the forecast for the "
            "three aircraft is now £1.9 billion.")
    claims = read_claims(text, (E7_UK,), date(2023, 2, 1))
    current = {(c.kind, str(c.value)) for c in claims if not c.historical}
    superseded = {(c.kind, str(c.value)) for c in claims if c.historical}
    assert (ClaimKind.UNITS_ORDERED, str(Count(5))) in superseded
    assert any(k is ClaimKind.DEAL_VALUE and "2200000000" in v for k, v in superseded)
    assert (ClaimKind.UNITS_ORDERED, str(Count(3))) in current
    assert any(k is ClaimKind.DEAL_VALUE and "1900000000" in v for k, v in current)


def test_a_count_originally_ordered_is_superseded_only_when_the_order_changed() -> None:
    claims = read_claims("A total of five E-7 Wedgetails were originally ordered, but the order was later cut to "
                         "three aircraft.", (E7_UK,), date(2023, 2, 1))
    assert {(c.value, c.historical) for c in claims if c.kind is ClaimKind.UNITS_ORDERED} == {
        (Count(5), True), (Count(3), False)}
    first = read_claims("The two E-7 Wedgetails were initially ordered in 2019, with a contract update in 2021.",
                        (E7_UK,), date(2023, 2, 1))
    assert [(c.value, c.historical) for c in first if c.kind is ClaimKind.UNITS_ORDERED] == [(Count(2), False)]


def test_a_prefixed_dollar_sign_set_apart_by_a_space_keeps_its_currency() -> None:
    assert _values("Brazil's PROSUB Scorpene programme is worth R $ 37.1 billion.", (PROSUB_BR,)) == [
        Money(Decimal("37100000000"), "BRL", Decimal("100000000"))]
    assert [v.currency for v in _values("Germany’s $3.5 billion purchase of Arrow 3 will proceed.", (ARROW_DE,))] == ["USD"]


THAAD_QA = _topic("thaad-qa", ("THAAD",), buyer=("Qatar", "Qatari"))
TUCANO_GH = _topic("tucano-gh", ("Super Tucano", "A-29"), buyer=("Ghana", "Ghanaian"))


@pytest.mark.parametrize(("text", "amounts"), [
    ("Since January, Qatar's ministry has signed deals totaling about $40 billion, THAAD among them.", []),
    ("The THAAD sale is part of the larger $60 billion defense package announced in May.", []),
    ("Besides THAAD, Qatar plans to purchase $60 billion in new defense equipment.", []),
    ("Washington approved THAAD, missiles for Oman and radars for Kuwait under separate deals that could be "
     "worth more than $3 billion in total.", []),
    ("The State Department approved the THAAD sale to Qatar, and the combined value of the other items in the "
     "package comes to approximately $1.2 billion.", []),
    ("Qatar signed a $15 billion THAAD deal.", [Decimal("15000000000")]),
])
def test_totals_of_several_deals_and_spending_plans_are_not_the_deal(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, THAAD_QA) == amounts


@pytest.mark.parametrize(("text", "amounts"), [
    ("Ghana's president approved the withdrawal of the sum of $300 million from the reserve for the purchase of "
     "six Super Tucano aircraft.", []),
    ("The senate said Ghana risked losing the $300 million paid to the United States for the Super Tucano jets.", []),
    ("The Super Tucano project was supported by the US, which provided Ghana with $90 million in security "
     "assistance.", []),
])
def test_money_withdrawn_paid_or_given_as_aid_is_not_the_price(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, TUCANO_GH) == amounts


@pytest.mark.parametrize(("text", "amounts"), [
    ("Lockheed Martin was awarded a $900 million contract for Qatar's THAAD batteries, the Pentagon said.", []),
    ("Lockheed Martin received a $1.1 billion foreign military sales contract to build THAAD for Qatar.", []),
    ("Qatar signed a $15 billion contract with Lockheed Martin for THAAD.", [Decimal("15000000000")]),
])
def test_the_makers_production_contract_in_a_us_sale_is_not_the_buyers_price(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, THAAD_QA) == amounts


def test_a_country_named_as_the_other_buyer_after_a_copula_keeps_its_deal() -> None:
    text = ("The only other Gulf country to purchase THAAD is the UAE. The State Department approved that $2 billion "
            "deal in 2012.")
    assert _values(text, (THAAD_QA,), title="US approves THAAD sale to Qatar") == []


HANGOR_PK = _topic("hangor-pk", ("Hangor", "Hangor-class"), buyer=("Pakistan", "Pakistani", "Islamabad"))


def test_a_buyer_that_will_acquire_keeps_its_deal_beside_the_exporters_record() -> None:
    text = ("Pakistan will acquire eight Hangor-class submarines from China in a $5 billion agreement, said to be "
            "the biggest arms export deal for Beijing.")
    assert _amounts(text, HANGOR_PK) == [Decimal("5000000000")]
    sold = "China will export Hangor-class submarines to Thailand in a $1 billion agreement."
    assert _values(sold, (HANGOR_PK,)) == []


GRIPEN_PE = _topic("gripen-pe", ("Gripen", "Gripen E", "Gripens"), buyer=("Peru", "Peruvian", "Lima"))
CORVETTE_CL = Topic(id="corvette-cl", name="corvette-cl", terms=("Reina-class", "corvette", "corvettes"),
                    buyer=("Chile", "Chilean"), subjects=(Subject(id="corvette-cl-order", cues=("four corvettes",),
                                                                   default=True),))


def _read(text: str, topic: Topic, published_on: date) -> list[tuple[ClaimKind, object]]:
    return [(c.kind, c.value) for c in read_claims(text, (topic,), published_on, "") if not c.historical]


@pytest.mark.parametrize(("text", "published_on", "delivered_on", "milestone"), [
    # a day put first dates the clause it leads, in the past
    ("On 12 May, Peru received its first Gripen E fighters at Lima.", date(2026, 5, 14), date(2026, 5, 12),
     Milestone.FIRST),
    ("Last Friday, the Peruvian Air Force accepted delivery of the first two Gripen E jets.", date(2026, 5, 14),
     date(2026, 5, 8), Milestone.FIRST),
    # a weekday set apart by commas dates the verb before it
    ("Peru officially received, on Tuesday, a first batch of three Gripen E jets.", date(2026, 5, 14),
     date(2026, 5, 12), Milestone.FIRST),
    # the unit named, then ranked in an apposition
    ("The Peruvian Air Force took the delivery on Monday of FAP-101, the first Gripen E built for the country.",
     date(2026, 5, 14), date(2026, 5, 11), Milestone.FIRST),
])
def test_a_delivery_that_happened_on_a_day_is_dated_that_day(text: str, published_on: date, delivered_on: date,
                                                             milestone: Milestone) -> None:
    schedules = [v for k, v in _read(text, GRIPEN_PE, published_on) if k is ClaimKind.DELIVERY_SCHEDULE]
    assert schedules == [Window(earliest=delivered_on, latest=delivered_on, precision="day", milestone=milestone)]


def test_a_past_day_put_first_is_never_read_as_next_year() -> None:
    text = "On 20 April, Chile received four corvettes of the Reina class."
    schedules = [v for k, v in _read(text, CORVETTE_CL, date(2027, 4, 22)) if k is ClaimKind.DELIVERY_SCHEDULE]
    # the whole declared order arrived that day: its last delivery
    assert schedules == [Window(earliest=date(2027, 4, 20), latest=date(2027, 4, 20), precision="day",
                                milestone=Milestone.LAST)]
    batch = "On 20 April, Chile received two corvettes of the four ordered under a 2024 deal."
    assert all(not isinstance(v, Window) or v.latest != date(2028, 4, 20)
               for _, v in _read(batch, CORVETTE_CL, date(2027, 4, 22)))


@pytest.mark.parametrize(("text", "delivered", "ordered"), [
    ("Saab handed over the first of a total of 24 Gripen E fighters to Peru.", [1], [24]),
    ("Peru officially received, on Tuesday, a first batch of three Gripen E jets.", [3], []),
    ("The final four of 24 Gripen E jets bound for Peru arrived on Friday.", [24], [24]),
    ("Peru received two of 24 Gripen E jets.", [2], [24]),
    ("The last batch of six Gripens arrived in Peru. It completed the delivery of the 24 aircraft.", [24], []),
    ("Peru will procure 20 of 24 Gripens offered and keep an option on four.", [], [20]),
])
def test_counts_of_a_handover_say_how_many_have_arrived(text: str, delivered: list[int], ordered: list[int]) -> None:
    read = _read(text, GRIPEN_PE, date(2026, 5, 14))
    assert [v.count for k, v in read if k is ClaimKind.UNITS_DELIVERED and isinstance(v, Count)] == delivered
    assert [v.count for k, v in read if k is ClaimKind.UNITS_ORDERED and isinstance(v, Count)] == ordered


def test_a_region_named_american_is_not_the_united_states_buying() -> None:
    text = ("Peru accepted delivery of three Gripen E jets, which the South American nation had purchased "
            "under a $1.2 billion deal.")
    assert _amounts(text, GRIPEN_PE) == [Decimal("1200000000")]


@pytest.mark.parametrize(("text", "delivered", "ordered"), [
    # the first six received, without their noun, are all received so far
    ("Peru purchased 24 Gripen E jets worth $2 billion and received the first six last year.", [6], [24]),
    ("Peru has received all 24 Gripen E jets ordered from Saab.", [24], [24]),
    ("Peru has bought 24 Gripen E jets, and 10 have been delivered.", [10], [24]),
])
def test_the_count_a_purchase_verb_takes_is_the_order_beside_a_later_delivery(
        text: str, delivered: list[int], ordered: list[int]) -> None:
    read = _read(text, GRIPEN_PE, date(2026, 5, 14))
    assert [v.count for k, v in read if k is ClaimKind.UNITS_DELIVERED and isinstance(v, Count)] == delivered
    assert [v.count for k, v in read if k is ClaimKind.UNITS_ORDERED and isinstance(v, Count)] == ordered


@pytest.mark.parametrize(("text", "amounts"), [
    ("Peru will buy Gripen E jets as part of an order worth a total of $2.5 billion.", [Decimal("2500000000")]),
    ("Saab's part of the Gripen contract is worth $400 million.", []),
    ("Peru said the Gripen purchase was part of a deal worth $9 billion for US hardware.", []),
])
def test_an_order_the_purchase_is_made_as_part_of_is_its_value(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, GRIPEN_PE) == amounts


@pytest.mark.parametrize(("text", "amounts"), [
    # debt raised to pay for the purchase is financing
    ("Peru will pay for the Gripens through internal debt of 2,000 million dollars in 2027.", []),
    # an amount assigned to a ministry is a budget
    ("The amount assigned to the defence ministry for the Gripens comes to about $2.3 billion.", []),
    # money handed over, with the payee between the verb and the amount
    ("Peru paid the Swedish government $1.1 billion for the Gripens and their engines.", []),
    # proposals or projects worth an amount together are several purchases
    ("The council cleared Gripen and radar proposals worth $3.6 billion.", []),
    ("Peru signed a $2.1 billion contract for 24 Gripens.", [Decimal("2100000000")]),
])
def test_debt_assignments_payments_and_several_proposals_are_not_the_price(text: str, amounts: list[Decimal]) -> None:
    assert _amounts(text, GRIPEN_PE) == amounts


# A deal of a buyer and sellers that none of the tables above configure.
MISSILE_BOAT_ID = _topic("boat-id", ("KCR-60", "missile boats"), buyer=("Indonesia", "Indonesian", "Jakarta"))
PATROL_JET_VN = _topic("p3-vn", ("P-3C", "Orion"), buyer=("Vietnam", "Vietnamese", "Hanoi"))


@pytest.mark.parametrize(("text", "topic", "amounts"), [
    # the buyer awarding the maker is the buyer's price, even with the Pentagon in the sentence
    ("During a visit by a Pentagon official, Vietnam today awarded Lockheed a $900 million contract for "
     "six P-3C Orion aircraft.", PATROL_JET_VN, [Decimal("900000000")]),
    # but the US armed service awarding the maker is the maker's production contract
    ("The U.S. Navy has awarded Lockheed a $300 million contract for P-3C Orion aircraft for Vietnam.",
     PATROL_JET_VN, []),
    # the seller's country described through its industry is not a buyer
    ("Turkey's main shipbuilding company says it has secured a 9 trillion rupiah contract to sell eight "
     "KCR-60 missile boats to Indonesia.", MISSILE_BOAT_ID, [Decimal("9000000000000")]),
    ("Indonesia signed a $550 million contract for eight KCR-60 missile boats to replace the old craft "
     "transferred to the Philippines.", MISSILE_BOAT_ID, [Decimal("550000000")]),
    ("The navy and Turkish Aerospace Industries signed a 2 trillion rupiah contract for KCR-60 missile boats "
     "for Indonesia.", MISSILE_BOAT_ID, [Decimal("2000000000000")]),
    ("Indonesia and the United States signed a $700 million deal for eight KCR-60 missile boats.",
     MISSILE_BOAT_ID, [Decimal("700000000")]),
    ("Jakarta agreed in 2024 to get eight KCR-60 missile boats for 9 trillion rupiah, with an option for two more.",
     MISSILE_BOAT_ID, [Decimal("9000000000000")]),
])
def test_whose_order_it_is_when_the_seller_or_an_awarder_is_named(
        text: str, topic: Topic, amounts: list[Decimal]) -> None:
    assert _amounts(text, topic) == amounts


@pytest.mark.parametrize(("text", "role"), [
    # support listed with the counted platforms is part of the whole purchase
    ("The package for eight missile boats and a range of sensors, support and training is valued at "
     "$900 million.", AmountRole.CONTRACT),
    ("The sale of 20 boats, spare parts and munitions to Jakarta in a deal valued at up to $1.2 billion.",
     AmountRole.CONTRACT),
    # a component counted alone stays a component
    ("The yard signed a contract for 16 engines and spares worth $80 million.", AmountRole.COMPONENT),
    # what a purchase is said to cost as an investment
    ("It will buy eight boats, whose estimated investment will be 9 trillion rupiah.", AmountRole.CONTRACT),
    ("Jakarta announced a 9 trillion rupiah investment in KCR-60 missile boats.", AmountRole.CONTRACT),
    ("The boats are paid from a 90 trillion rupiah investment in the armed forces.", AmountRole.BUDGET),
    ("The plan builds on the $40 million the government has already invested in the yard.", AmountRole.PAID),
])
def test_what_an_amount_is_beside_extras_and_investments(text: str, role: AmountRole) -> None:
    assert [a.role for a in find_amounts(text)] == [role]


def test_an_initial_investment_is_the_superseded_figure() -> None:
    text = "The KCR-60 programme, which involved an initial investment of 5 trillion rupiah, has been delayed."
    read = [(c.value.amount, c.historical) for c in read_claims(text, (MISSILE_BOAT_ID,), date(2025, 6, 1))
            if isinstance(c.value, Money)]
    assert read == [(Decimal("5000000000000"), True)]


@pytest.mark.parametrize(("text", "delivered", "ordered"), [
    ("Vietnam has chosen the P-3C Orion over rival aircraft and reportedly will buy six.", [], [6]),
    ("Vietnam bought 12 P-3C Orion aircraft and received the first four this year.", [4], [12]),
    ("Vietnam bought 12 P-3C Orion aircraft and received 4 in May.", [], [12]),     # one dated batch
])
def test_a_count_without_its_noun_after_buying_or_receiving(text: str, delivered: list[int], ordered: list[int]) -> None:
    read = _read(text, PATROL_JET_VN, date(2025, 6, 1))
    assert [v.count for k, v in read if k is ClaimKind.UNITS_DELIVERED and isinstance(v, Count)] == delivered
    assert [v.count for k, v in read if k is ClaimKind.UNITS_ORDERED and isinstance(v, Count)] == ordered


def test_last_year_dates_a_delivery_in_the_year_before_publication() -> None:
    windows = _windows("Vietnam received the first four P-3C Orion aircraft last year.", PATROL_JET_VN,
                       published_on=date(2025, 6, 1))
    assert [(w.earliest, w.latest, w.milestone) for w in windows] == [
        (date(2024, 1, 1), date(2024, 12, 31), Milestone.FIRST)]


def test_a_bracket_alone_after_a_full_stop_stays_with_its_sentence() -> None:
    text = "The boats cost about 9 trillion rupiah. (US$550 million). The first arrives in 2027."
    assert [s.text for s in split_sentences(text)] == [
        "The boats cost about 9 trillion rupiah. (US$550 million).", "The first arrives in 2027."]


@pytest.mark.parametrize(("text", "expected"), [
    # an alternative after a comma shares the delivery of the clause before it
    ("The first P-3C Orion would be delivered by end-2026, or early-2027, officials said.",
     {(None, date(2027, 4, 30), Milestone.FIRST, False)}),
    # a plan told in a report's past tense is the plan now, not a superseded one
    ("The ministry told lawmakers that delivery of the first P-3C Orion aircraft was scheduled for 2026.",
     {(date(2026, 1, 1), date(2026, 12, 31), Milestone.FIRST, False)}),
    ("The deputy minister said two of the P-3C Orion aircraft were expected to be delivered in 2026.",
     {(date(2026, 1, 1), date(2026, 12, 31), None, False)}),
    # an original or previously agreed date is superseded
    ("Vietnam will receive the P-3C Orion aircraft starting in 2026, a year earlier than the original "
     "delivery date of 2027.", {(date(2026, 1, 1), None, Milestone.FIRST, False),
                                (date(2027, 1, 1), date(2027, 12, 31), None, True)}),
])
def test_alternatives_reported_plans_and_original_dates(text: str, expected: set[tuple[object, ...]]) -> None:
    assert {(w.earliest, w.latest, w.milestone, hist) for w, hist in _windows_with_history(text, PATROL_JET_VN)} == expected


def _windows_with_history(text: str, topic: Topic) -> list[tuple[Window, bool]]:
    return [(c.value, c.historical) for c in read_claims(text, (topic,), date(2025, 6, 1))
            if isinstance(c.value, Window)]


def test_spending_an_amount_for_counted_units_is_their_price() -> None:
    assert [a.role for a in find_amounts("Hanoi is spending $1.9 billion for the six aircraft.")] == [AmountRole.CONTRACT]
    assert [a.role for a in find_amounts("Hanoi is spending $9 billion on defence this year.")] != [AmountRole.CONTRACT]


@pytest.mark.parametrize(("text", "expected"), [
    # a figure set beside another of its kind is that kind too
    ("The purchase is funded by a loan of $900 million in 2025 and $600 million in 2026.",
     [AmountRole.LOAN, AmountRole.LOAN]),
    ("The unit price of $40 million is well below the previously reported $55 million.",
     [AmountRole.UNIT_PRICE, AmountRole.UNIT_PRICE]),
    ("The cost per aircraft for the fleet originally was put at $40 million and now is estimated at $52 million.",
     [AmountRole.UNIT_PRICE, AmountRole.UNIT_PRICE]),
    # a generic arms deal a purchase is part of is several purchases
    ("Hanoi signed the patrol aircraft deal as part of a $7 billion arms deal.", [AmountRole.AGGREGATE]),
    # what a demonstrator was developed under, money held back
    ("The prototype was developed under an initial three-year, $50 million contract.", [AmountRole.OTHER]),
    ("Payments are gated, with $60 million reportedly withheld.", [AmountRole.OTHER]),
    # a new total given with its growth in per cent is the total
    ("The programme estimate is now $14 billion, an increase of 40% over the baseline.", [AmountRole.CONTRACT]),
    ("The programme is 40% over budget at nearly $14 billion.", [AmountRole.CONTRACT]),
    ("The government picked the yard to build six corvettes for more than $2 billion.", [AmountRole.CONTRACT]),
    ("A $90 million plant will be built to assemble the corvettes.", [AmountRole.COMPONENT]),
])
def test_roles_shared_restated_and_totals_with_growth(text: str, expected: list[AmountRole]) -> None:
    assert [a.role for a in find_amounts(text)] == expected


@pytest.mark.parametrize("text", [
    "The auditor initially predicted the programme's cost would come in at $9.5 billion.",
    "The total is now $14 billion, up from an estimated baseline of $9.5 billion.",
    "The corvettes were bought for which the planned amount was $9.5 billion. The actual cost is higher.",
])
def test_predicted_baseline_and_planned_figures_are_superseded(text: str) -> None:
    assert [(a.money.amount, a.historical) for a in find_amounts(text) if a.money.amount == Decimal("9500000000")] == [
        (Decimal("9500000000"), True)]


@pytest.mark.parametrize(("text", "ordered"), [
    ("The quantity of 40 P-3C Orion aircraft was increased to 44 after the review.", [(44, False), (40, True)]),
    ("The order for the 38 P-3C Orion aircraft, trimmed down from 44, was signed in May.", [(38, False), (44, True)]),
    ("The project, for the supply of 12 P-3C Orion aircraft, is years late.", [(12, False)]),
])
def test_resized_and_supplied_orders(text: str, ordered: list[tuple[int, bool]]) -> None:
    read = [(c.value.count, c.historical) for c in read_claims(text, (PATROL_JET_VN,), date(2025, 6, 1))
            if c.kind is ClaimKind.UNITS_ORDERED and isinstance(c.value, Count)]
    assert sorted(read) == sorted(ordered)


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    # a range of days in a month already past, delivered by aircraft (no deadline in "by 30 planes")
    ("The first P-3C Orion squadron was delivered to Vietnam by 30 transport planes on July 12-25.",
     date(2025, 8, 26), (date(2025, 7, 12), date(2025, 7, 25))),
    ("The P-3C Orion aircraft will be delivered over a ten-year period.", date(2025, 6, 1),
     (date(2025, 6, 1), date(2035, 6, 1))),
])
def test_day_ranges_agents_and_periods(text: str, published_on: date, expected: tuple[object, object]) -> None:
    windows = _windows(text, PATROL_JET_VN, published_on=published_on)
    assert [(w.earliest, w.latest) for w in windows] == [expected]


@pytest.mark.parametrize(("text", "role"), [
    ("The total cost of the fleet, including decades of operations and support, could be as high as $30 billion.",
     AmountRole.OTHER),
    ("The fleet's cost rose by $3 billion, which accounts for 40% of the total $7.5 billion increase across "
     "12 major programmes.", AmountRole.AGGREGATE),
    ("Around $500 million will be spent on orders from Vietnamese companies.", AmountRole.COMPONENT),
    ("Hanoi and Washington signed a 10-year $20 billion Memorandum of Understanding on military aid.", AmountRole.OTHER),
    ("The ministry agreed with the yard an increase in the overall price of the contract of some $40 million.",
     AmountRole.INCREASE),
    ("Amid rising defence spending, Vietnam raised such expenditure by 10 per cent to $8 billion.", AmountRole.BUDGET),
    ("The ministry has received no aircraft despite paying a total of $700 million so far.", AmountRole.PAID),
    ("Another $200 million will be spent on training and spares.", AmountRole.COMPONENT),
])
def test_lifetime_shares_offsets_frameworks_spending_and_payments(text: str, role: AmountRole) -> None:
    assert [a.role for a in find_amounts(text)][-1] == role


def test_negotiations_and_contract_ends_are_not_deliveries() -> None:
    text = ("Negotiations for a second batch of P-3C Orion aircraft would begin in the latter half of 2026, "
            "with conclusions expected by early 2027.")
    assert _windows(text, PATROL_JET_VN) == []


def test_units_arriving_in_another_country_are_its_order() -> None:
    text = ("A second batch of six P-3C Orion aircraft has arrived in Cambodia, taking the total number of "
            "such aircraft to 12.")
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == []


def test_a_gulf_newsroom_dirham_is_read() -> None:
    assert [(a.money.amount, a.money.currency) for a in find_amounts(
        "The deal is reportedly worth about $2 billion (Dh7.3bn).")] == [
        (Decimal("2000000000"), "USD"), (Decimal("7300000000"), "AED")]


@pytest.mark.parametrize(("text", "expected"), [
    ("The P-3C Orion aircraft will arrive in Vietnam in 2026--2027, the statement said.",
     {(date(2026, 1, 1), date(2027, 12, 31), False)}),
    ("Deliveries of the P-3C Orion aircraft were scheduled for 2019, then end 2023.",
     {(date(2019, 1, 1), date(2019, 12, 31), True), (date(2023, 10, 1), date(2023, 12, 31), True)}),
])
def test_double_hyphen_ranges_and_successive_dates(text: str, expected: set[tuple[object, ...]]) -> None:
    assert {(w.earliest, w.latest, hist) for w, hist in _windows_with_history(text, PATROL_JET_VN)} == expected


def test_a_makers_indigenous_product_does_not_make_it_the_buyer() -> None:
    text = ("Ukraine's first indigenous maritime patrol aircraft flew in 2024, unlike the P-3C Orion. "
            "Its first units are expected to be delivered to Vietnam in 2028.")
    assert [(w.earliest, w.milestone) for w in _windows(text, PATROL_JET_VN)] == [(date(2028, 1, 1), Milestone.FIRST)]


@pytest.mark.parametrize(("text", "role"), [
    ("If Vietnam were to buy four more later, the total cost for the ten aircraft would be close to $2 billion.",
     AmountRole.OTHER),
    ("Hanoi ordered six of the $80 million Lockheed aircraft, but deliveries slipped.", AmountRole.UNIT_PRICE),
    ("Vietnam paid some $500 million for six P-3C Orion aircraft back in 2022.", AmountRole.PAID),
])
def test_what_ifs_partitive_prices_and_sums_paid(text: str, role: AmountRole) -> None:
    assert [a.role for a in find_amounts(text)] == [role]


def test_a_country_that_already_has_the_system_is_another_buyer() -> None:
    text = ("Cambodia currently has two P-3C Orion aircraft, acquired in 2019. They were bought in a deal "
            "amounting to $400 million.")
    assert _amounts(text, PATROL_JET_VN) == []


def test_an_options_what_if_total_is_not_the_order() -> None:
    text = ("At a cost of $1 billion, Vietnam intends to buy six P-3C Orion aircraft. It has the option to buy "
            "four more, which would bring the price tag up to $1.6 billion.")
    read = _read(text, PATROL_JET_VN, date(2025, 6, 1))
    assert [v.amount for k, v in read if k is ClaimKind.DEAL_VALUE and isinstance(v, Money)] == [Decimal("1000000000")]
    assert [v.count for k, v in read if k is ClaimKind.UNITS_ORDERED and isinstance(v, Count)] == [6]


def test_the_kind_a_topic_is_configured_as_tells_another_kind_apart() -> None:
    drone = Topic(id="anka-vn", name="Vietnam Anka MALE drones from Turkish Aerospace", terms=("Anka", "TAI"),
                  buyer=("Vietnam",), subjects=(Subject(id="anka-vn-12", default=True),))
    text = ("Vietnam bought 12 Anka from TAI. In January the minister sealed an $800-million deal to buy "
            "12 second-hand fighter jets, which drew criticism.")
    assert _amounts(text, drone) == []


def test_money_in_sales_funds_obligated_is_a_budget() -> None:
    text = "The department said $698,948,760 in Foreign Military Sales funds have been obligated to the purchase."
    assert [a.role for a in find_amounts(text)] == [AmountRole.BUDGET]


def test_a_contract_notice_figure_to_the_dollar_is_the_makers() -> None:
    text = ("Lockheed Martin has been awarded an $841,877,905 contract to provide six P-3C Orion aircraft "
            "to the government of Vietnam.")
    assert _amounts(text, PATROL_JET_VN) == []


@pytest.mark.parametrize(("text", "role"), [
    ("Vietnam also received approval to purchase upgrades to the 23 P-3C Orion aircraft it already has, "
     "for $985 million.", AmountRole.COMPONENT),
    ("Customer funds will cover a portion of the agreement, totalling $82 million.", AmountRole.BUDGET),
    ("The Orion — a plane costs about $90 million — is key to the plan.", AmountRole.UNIT_PRICE),
])
def test_upgrades_funds_and_a_single_units_cost(text: str, role: AmountRole) -> None:
    assert [a.role for a in find_amounts(text)] == [role]


def test_a_fleet_already_held_is_not_an_order() -> None:
    text = "Vietnam also received approval to purchase upgrades to the 23 P-3C Orion aircraft it already has."
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == []


def test_the_figure_a_cost_is_less_than_is_the_earlier_one() -> None:
    text = "The ministry signed contracts for the P-3C Orion aircraft which cost $4.9 billion, much less than the $6.5 billion."
    assert [(a.money.amount, a.historical) for a in find_amounts(text)] == [
        (Decimal("4900000000"), False), (Decimal("6500000000"), True)]


def test_another_models_deal_before_an_amount_is_not_the_topics() -> None:
    text = ("Vietnam's P-3C Orion deal could be worth up to $3.6 billion, considerably higher than the proposed "
            "C-295 contract, which was valued at $2.6 billion.")
    assert _amounts(text, PATROL_JET_VN) == [Decimal("3600000000")]


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    # a handover in a ceremony is dated by the ceremony's day
    ("The yard handed over the first P-3C Orion aircraft to Vietnam in a ceremony on October 14.",
     date(2025, 10, 20), [(date(2025, 10, 14), date(2025, 10, 14), Milestone.FIRST)]),
    # a day set apart by commas dates the clause before it (and is no dateline)
    ("Vietnam officially received today, September 17, the first P-3C Orion aircraft.",
     date(2025, 9, 17), [(date(2025, 9, 17), date(2025, 9, 17), Milestone.FIRST)]),
    ("The first delivery of the P-3C Orion to Vietnam was made at the factory in November of last year.",
     date(2025, 6, 1), [(date(2024, 11, 1), date(2024, 11, 30), Milestone.FIRST)]),
    # a duration counted from a signing the sentence dated before it
    ("The P-3C Orion deal was finalized in February and the aircraft are to be delivered within 32 months of "
     "the signing.", date(2025, 8, 1), [(date(2025, 2, 1), date(2027, 10, 1), None)]),
])
def test_handover_days_asides_and_durations_from_a_signing(
        text: str, published_on: date, expected: list[tuple[object, ...]]) -> None:
    windows = _windows(text, PATROL_JET_VN, published_on=published_on)
    assert [(w.earliest, w.latest, w.milestone) for w in windows] == expected


def test_a_delivery_followed_by_another_is_not_one_window() -> None:
    text = ("In October 2024 the first P-3C Orion aircraft was delivered to Vietnam, followed by the first "
            "trainer in January this year.")
    windows = _windows(text, PATROL_JET_VN, published_on=date(2025, 3, 1))
    assert (date(2024, 10, 1), date(2024, 10, 31)) in [(w.earliest, w.latest) for w in windows]


DECLARED_VN = Topic(id="p3-vn", name="p3-vn", terms=("P-3C", "Orion"), buyer=("Vietnam", "Vietnamese"),
                    subjects=(Subject(id="p3-vn-12", cues=("12 P-3C", "12 aircraft"), default=True),))


@pytest.mark.parametrize(("text", "ordered"), [
    ("Vietnam is set to receive 12 P-3C Orion aircraft from the United States.", [12]),
    ("Vietnam will receive the 12 P-3C Orion aircraft by 2028.", [12]),
    # a count that is not the declared order stays a batch to come
    ("Vietnam is set to receive four P-3C Orion aircraft next year.", []),
])
def test_the_declared_order_arriving_is_the_order(text: str, ordered: list[int]) -> None:
    assert _counts(text, DECLARED_VN, ClaimKind.UNITS_ORDERED) == ordered


def test_what_is_bought_for_the_topics_equipment_is_not_the_equipment() -> None:
    text = ("Vietnam's ministry requested an order estimated at over $1 billion for the procurement of 200 missiles "
            "for its P-3C Orion aircraft.")
    read = _read(text, PATROL_JET_VN, date(2025, 6, 1))
    assert [k for k, _ in read if k in (ClaimKind.DEAL_VALUE, ClaimKind.UNITS_ORDERED)] == []


def test_a_batch_to_come_of_an_order_is_not_the_order() -> None:
    text = "Vietnam is set to receive four P-3C Orion aircraft ordered from the United States."
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == []


def test_a_later_rise_supersedes_the_figure_before_it() -> None:
    text = ("Initially, the P-3C Orion purchase for Vietnam was benchmarked in 2018, with a tentative cost estimate of "
            "$4 billion. However, subsequent bids escalated the price dramatically to over $9 billion.")
    read = [(c.value.amount, c.historical) for c in read_claims(text, (PATROL_JET_VN,), date(2025, 6, 1))
            if isinstance(c.value, Money)]
    assert read == [(Decimal("4000000000"), True), (Decimal("9000000000"), False)]


@pytest.mark.parametrize(("text", "role", "historical"), [
    ("The first four P-3C Orion aircraft will cost some $6.2 billion.", AmountRole.CONTRACT, False),
    ("Initially approved in 2018 with an estimated cost of $4 billion, the project grew.", AmountRole.CONTRACT, True),
    ("An additional $300 million is included for services, for a total of $3.1 billion.", AmountRole.CONTRACT, False),
    ("The $250 million aircraft is the first of five ordered.", AmountRole.UNIT_PRICE, False),
    ("At 134 trillion dong, the ministry has the biggest allocation from the state budget for purchases.",
     AmountRole.BUDGET, False),
])
def test_first_as_adjective_initially_approved_totals_single_units_and_allocations(
        text: str, role: AmountRole, historical: bool) -> None:
    assert [(a.role, a.historical) for a in find_amounts(text)][-1] == (role, historical)


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    # a day just before the report is this year's, even for what was "going to" happen
    ("On May 26, the ministry announced that it was going to deliver four P-3C Orion aircraft to Vietnam on May 27.",
     date(2025, 6, 7), [(date(2025, 5, 27), date(2025, 5, 27))]),
    # a period after an order dated in the sentence runs from the order
    ("Vietnam placed an order for 12 P-3C Orion aircraft in November 2023, to be delivered over a ten year period.",
     date(2025, 1, 15), [(date(2023, 11, 1), date(2033, 11, 1))]),
    # but "is due within three years" runs from the report
    ("A fourth P-3C Orion for Vietnam, ordered in November last year, is due for delivery within three years.",
     date(2025, 12, 19), [(date(2025, 12, 19), date(2028, 12, 19))]),
    # a visit a signing is expected during, and a notification, date no delivery
    ("The P-3C Orion contract for Vietnam is expected to be signed during the minister's visit, which begins Nov. 12.",
     date(2025, 11, 8), []),
    ("The US Navy notified Congress on Jan. 18 that Vietnam's P-3C Orion aircraft would take two years longer "
     "to deliver.", date(2025, 3, 1), []),
])
def test_days_near_the_report_periods_from_an_order_and_other_events(
        text: str, published_on: date, expected: list[tuple[object, object]]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, PATROL_JET_VN, published_on=published_on)] == expected


@pytest.mark.parametrize(("text", "role"), [
    ("The release of the second milestone payment, worth $66 million, confirms progress on the aircraft.",
     AmountRole.PAID),
    ("This latest firm-fixed-price modification to the aircraft contract is worth $469 million.", AmountRole.OTHER),
])
def test_milestone_payments_and_contract_modifications(text: str, role: AmountRole) -> None:
    assert [a.role for a in find_amounts(text)] == [role]


def test_an_amount_without_its_scale_is_no_deal_value() -> None:
    assert _amounts("Vietnam signed a Rs 20,000 contract for 12 P-3C Orion aircraft.", PATROL_JET_VN) == []


def test_a_makers_contract_with_another_countrys_authorities_is_that_countrys() -> None:
    text = "Lockheed confirmed the P-3C Orion contract with the Cambodian authorities, totalling $2.7 billion."
    assert _amounts(text, PATROL_JET_VN) == []


@pytest.mark.parametrize(("text", "ordered"), [
    ("Vietnam signed a $495 million contract for two missile corvettes and 12 P-3C Orion aircraft.", [12]),
    ("Vietnam signed a contract for 12 P-3C Orion 8×8 vehicles.", [12]),     # a wheel layout is no count
])
def test_the_head_noun_decides_the_kind_and_wheel_layouts_are_no_counts(text: str, ordered: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == ordered


@pytest.mark.parametrize(("text", "delivered"), [
    ("The army chief flagged off the 100th P-3C Orion built for Vietnam on Thursday.", [100]),
    ("Lockheed delivered the 12th P-3C Orion aircraft to Vietnam on Wednesday.", [12]),
])
def test_numbered_ordinals_and_flagging_off_are_deliveries(text: str, delivered: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == delivered


def test_launches_a_tail_borrows_are_no_deliveries() -> None:
    text = ("The first P-3C Orion for Vietnam is expected to be launched next April, followed by the second in June "
            "and the third in August.")
    assert _windows(text, PATROL_JET_VN, published_on=date(2024, 6, 1)) == []


@pytest.mark.parametrize(("text", "role"), [
    ("The council cleared nine procurement proposals of around $5 billion, including the P-3C Orion.",
     AmountRole.AGGREGATE),
    ("The ministry signed a $2.6 billion contract with the maker for 240 aero-engines for the fleet.",
     AmountRole.COMPONENT),
])
def test_proposals_of_an_amount_and_aero_engines(text: str, role: AmountRole) -> None:
    assert [a.role for a in find_amounts(text)] == [role]


def test_a_maker_expecting_an_order_is_an_order_only_proposed() -> None:
    from pipeline.claims.units import find_counts
    text = "The maker expects the navy to order 42 more P-3C Orion aircraft."
    assert [(c.count, c.proposed) for c in find_counts(text, "p-3c|orion")] == [(42, True)]


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    ("Lockheed delivered its 12th P-3C Orion to Vietnam in February 2025, completing all deliveries under the contract.",
     date(2025, 6, 1), [(date(2025, 2, 1), date(2025, 2, 28), Milestone.LAST)]),
    ('"Two years from today, we will deliver the first P-3C Orion to Vietnam," the chairman said.',
     date(2024, 10, 28), [(date(2026, 10, 28), date(2026, 10, 28), Milestone.FIRST)]),
])
def test_completing_all_deliveries_and_years_from_today(
        text: str, published_on: date, expected: list[tuple[object, ...]]) -> None:
    windows = _windows(text, PATROL_JET_VN, published_on=published_on)
    assert [(w.earliest, w.latest, w.milestone) for w in windows] == expected


def test_the_half_of_this_year_is_read_against_the_report() -> None:
    from pipeline.claims.schedule import CALENDAR_YEAR, find_delivery_dates
    read = find_delivery_dates("The first P-3C Orion will be delivered in the second half of this year.",
                               date(2025, 3, 1), CALENDAR_YEAR)
    assert [(d.window.earliest, d.window.latest) for d in read] == [(date(2025, 7, 1), date(2025, 12, 31))]


def test_the_first_of_at_least_four_is_one_delivered() -> None:
    text = "Lockheed has delivered the first of at least four P-3C Orion aircraft to Vietnam."
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == [1]


@pytest.mark.parametrize(("text", "delivered"), [
    ("The fourth P-3C Orion aircraft of the programme - tail 811 - was delivered to Vietnam on Tuesday.", [4]),
    ("The Vietnamese navy accepted delivery of the Ha Noi, the third P-3C Orion aircraft built for it.", [3]),
    ("Vietnam's first P-3C Orion order, signed in 2020, arrived late.", []),     # an order, not a unit
])
def test_an_ordinal_unit_across_asides_in_a_delivery_sentence(text: str, delivered: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == delivered


@pytest.mark.parametrize(("text", "latest"), [
    ("The remaining P-3C Orion aircraft are to be delivered to Vietnam before the start of 2030.", date(2029, 12, 31)),
    ("Deliveries of the P-3C Orion aircraft to Vietnam will be completed before 2030.", date(2029, 12, 31)),
    ("The last P-3C Orion aircraft will arrive in Vietnam before the end of 2026.", date(2026, 12, 31)),
    ("Deliveries of the P-3C Orion aircraft to Vietnam will be completed by 2030.", date(2030, 12, 31)),
    ("The P-3C Orion's construction is expected to be completed in 2027 before being handed over to Vietnam.",
     date(2027, 12, 31)),
])
def test_strictly_before_a_year_and_built_then_handed_over(text: str, latest: date) -> None:
    assert [w.latest for w in _windows(text, PATROL_JET_VN, published_on=date(2024, 6, 1))] == [latest]


def test_a_date_then_not_another_as_expected() -> None:
    text = "After delays, Vietnam was due to receive the first P-3C Orion in 2027, not early 2025 as earlier expected."
    assert {(w.earliest, hist) for w, hist in _windows_with_history(text, PATROL_JET_VN)} == {
        (date(2027, 1, 1), False), (date(2025, 1, 1), True)}


def test_a_hyphenated_modifier_is_no_head_noun() -> None:
    text = "Last week, the first of eight P-3C Orion submarine-hunting aircraft ordered for the Vietnamese Navy arrived."
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == [8]


def test_the_us_navy_contracting_a_sale_is_no_buyer() -> None:
    text = ("Lockheed has secured a contract with the U.S. Navy to produce five P-3C Orion aircraft for Vietnam's "
            "navy, with deliveries from 2027.")
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == [5]


def test_what_was_said_at_the_time_stays_superseded() -> None:
    text = ("At the time, the minister told reporters that deliveries of the P-3C Orion aircraft to Vietnam were "
            "expected to take place between 2027 and 2028.")
    assert [hist for _, hist in _windows_with_history(text, PATROL_JET_VN)] == [True]


@pytest.mark.parametrize(("text", "topic", "expected"), [
    # a decimal comma before a scale, with two decimals: no thousands grouping leaves two digits alone
    ("The contract for the KCR-60 missile boats is valued at 2,35 billion euros (approximately 41,25 trillion "
     "rupiah).", MISSILE_BOAT_ID, [(Decimal("2350000000"), "EUR"), (Decimal("41250000000000"), "IDR")]),
    # money put into acquiring the aircraft is their price
    ("Vietnam will invest $1.2 billion in acquiring six P-3C Orion aircraft.", PATROL_JET_VN,
     [(Decimal("1200000000"), "USD")]),
    # offsets in a clause on what the deal brings do not make its value an offset's
    ("Vietnam signed a $1.2 billion deal for six P-3C Orion aircraft that is expected to bring work to local "
     "firms in terms of offsets.", PATROL_JET_VN, [(Decimal("1200000000"), "USD")]),
    ("Lockheed will place $300 million in offsets with Vietnamese firms under the P-3C Orion deal.", PATROL_JET_VN, []),
    # one contract per maker for one counted purchase: together its price
    ("Indonesia signed contracts worth 5 trillion rupiah with PT PAL and a Swedish yard for the procurement of "
     "four KCR-60 missile boats.", MISSILE_BOAT_ID, [(Decimal("5000000000000"), "IDR")]),
    ("Indonesia signed several contracts worth 5 trillion rupiah with PT PAL this year, including the KCR-60 "
     "missile boats.", MISSILE_BOAT_ID, []),
    # a range joined by a dash is no single value, nor is the top of one whose lower end lost its scale
    ("Vietnam's P-3C Orion purchase is valued at $1 billion-$2.5 billion.", PATROL_JET_VN, []),
    ("Vietnam's P-3C Orion purchase is valued at EUR1 – EUR2.5 billion ($1.1 billion-$2.7 billion).",
     PATROL_JET_VN, []),
    # the same amount restated in another scale is one value
    ("Vietnam signed a $1,250.5 million ($1.25 billion) contract for six P-3C Orion aircraft.", PATROL_JET_VN,
     [(Decimal("1250500000"), "USD")]),
    # a bare dollar beside an amount whose code follows it is the US dollar
    ("Boeing was awarded a $5.9 billion ($8.1 billion CAD) contract for 14 P-8A Poseidon aircraft for Canada.",
     P8_CA, [(Decimal("5900000000"), "USD"), (Decimal("8100000000"), "CAD")]),
])
def test_decimal_commas_ranges_restatements_and_whose_money(text: str, topic: Topic,
                                                            expected: list[tuple[Decimal, str]]) -> None:
    assert [(v.amount, v.currency) for v in _values(text, (topic,))] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a count whose noun is preceded by another brand's name is that brand's
    ("Besides the P-3C Orion aircraft, Hanoi previously ordered 12 Sukhoi jets from Russia.", []),
    ("Besides the P-3C Orion, Vietnam's navy was to receive eight ScanEagle drones.", []),
    # the topic's own family, a type named in title case and a service are no other brand
    ("Vietnam ordered six Lockheed Orion aircraft, the P-3C variant.", [6]),
    ("Vietnam will buy six Maritime Patrol Aircraft, the P-3C Orion.", [6]),
    ("Vietnam ordered six Navy P-3C Orion aircraft.", [6]),
    # a cancelled or intended purchase is no order
    ("Hanoi has cancelled a planned purchase of two additional P-3C Orion aircraft.", []),
    ("Vietnam signed a letter of intent to acquire up to four more P-3C Orion aircraft.", []),
])
def test_other_brands_and_purchases_not_made(text: str, expected: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == expected


def test_orders_come_from_their_buyer() -> None:
    text = "The KCR-60 design has received firm orders from Malaysia for six missile boats."
    assert _counts(text, MISSILE_BOAT_ID, ClaimKind.UNITS_ORDERED) == []


@pytest.mark.parametrize(("text", "expected"), [
    # a range of months sharing one year
    ("The handover of the P-3C Orion to Vietnam would take place from September to November 2024.",
     [(date(2024, 9, 1), date(2024, 11, 30))]),
    # "of the same year", "later that year": the year of the date written before
    ("The first P-3C Orion is scheduled to be delivered to Vietnam in July 2026 and the second one in October of "
     "the same year.", [(date(2026, 7, 1), date(2026, 7, 31)), (date(2026, 10, 1), date(2026, 10, 31))]),
    ("The first P-3C Orion will be delivered to Vietnam in March 2027, and the last later that year.",
     [(date(2027, 3, 1), date(2027, 3, 31)), (date(2027, 1, 1), date(2027, 12, 31))]),
    # "that year" opening another statement continues no list of deliveries
    ("Vietnam will receive its first P-3C Orion in 2027; that year the navy also plans to buy ships.",
     [(date(2027, 1, 1), date(2027, 12, 31))]),
])
def test_month_ranges_and_the_same_year(text: str, expected: list[tuple[date, date]]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, PATROL_JET_VN, published_on=date(2023, 10, 19))] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "by the beginning of next year" is a deadline at the year's first months, not a start
    ("The final delivery of the P-3C Orion aircraft to Vietnam will be complete by the beginning of next year.",
     [(None, date(2017, 3, 31))]),
    ("Deliveries of the P-3C Orion to Vietnam will start at the beginning of next year.", [(date(2017, 1, 1), None)]),
    # the earliest possible arrival: from then on, with no end given
    ("The earliest possible arrival of the first P-3C Orion in Vietnam would be 2032.", [(date(2032, 1, 1), None)]),
])
def test_the_beginning_of_next_year_and_the_earliest_arrival(text: str, expected: list[tuple[date | None, date | None]]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, PATROL_JET_VN, published_on=date(2016, 6, 7))] == expected


AIR_DEFENCE_AU = Topic(id="sbad-au", name="sbad-au", terms=("ground-based air defence", "air defence batteries"),
                       buyer=("Australia", "Australian"), subjects=(Subject(id="sbad-au-order", default=True),))


def test_british_and_american_spellings_and_a_plural_term_name_one_topic() -> None:
    text = ("Australia signed a A$1.5 billion contract for a ground-based air defense system. "
            "The first air defense battery will be delivered to the Australian Army in 2026.")
    assert [m.topic for m in find_mentions(text, (AIR_DEFENCE_AU,))] == ["sbad-au", "sbad-au"]
    claims = read_claims(text, (AIR_DEFENCE_AU,), date(2025, 6, 1))
    assert [(c.kind, c.value.latest if isinstance(c.value, Window) else getattr(c.value, "amount", None))
            for c in claims] == [(ClaimKind.DEAL_VALUE, Decimal("1500000000")),
                                 (ClaimKind.DELIVERY_SCHEDULE, date(2026, 12, 31))]


@pytest.mark.parametrize(("text", "expected"), [
    # "yesterday" and "today" date what happened, against the publication date
    ("The second P-3C Orion for the Vietnamese Navy was handed over in Da Nang yesterday.",
     [(ClaimKind.UNITS_DELIVERED, Count(2))]),
    ("The first P-3C Orion was handed over to Vietnam today, the ministry said.",
     [(ClaimKind.DELIVERY_SCHEDULE, Window(date(2021, 5, 5), date(2021, 5, 5), "day", Milestone.FIRST)),
      (ClaimKind.UNITS_DELIVERED, Count(1))]),
    ("The first P-3C Orion will be handed over to Vietnam today.", []),
    # a unit transferred to the navy is delivered
    ("Two P-3C Orion aircraft have already been transferred to the Vietnamese Navy.",
     [(ClaimKind.UNITS_DELIVERED, Count(2))]),
    # a handover in a ceremony still to be held is dated by the ceremony's day; other ceremonies date nothing
    ("Lockheed will transfer the first P-3C Orion to the Vietnamese Navy in a ceremony to be held in Hanoi on "
     "November 11.", [(ClaimKind.DELIVERY_SCHEDULE, Window(date(2021, 11, 11), date(2021, 11, 11), "day",
                                                         Milestone.FIRST))]),
    ("The P-3C Orion deal for Vietnam will be celebrated at a ceremony to be held in Hanoi on November 11.", []),
    # what a contract "on the delivery of" provides is ordered
    ("The contract on the delivery of six P-3C Orion aircraft to Vietnam was signed in 2019.",
     [(ClaimKind.UNITS_ORDERED, Count(6))]),
])
def test_days_transfers_ceremonies_and_contracts_on_deliveries(text: str, expected: list[tuple[ClaimKind, object]]) -> None:
    assert _read(text, PATROL_JET_VN, date(2021, 5, 5)) == expected


@pytest.mark.parametrize("text", [
    "The new estimate for Vietnam's P-3C Orion programme adds $800 million to that projection.",
    "Valued at $320m, the P-3C Orion contract for Vietnam will span three years, providing maintenance and support.",
])
def test_an_addition_and_a_support_contract_are_not_the_deal(text: str) -> None:
    assert _values(text, (PATROL_JET_VN,)) == []


@pytest.mark.parametrize(("text", "expected"), [
    # "the fifth of the six" delivered: five delivered of six ordered
    ("The fifth of the six P-3C Orion aircraft for Vietnam arrived at Cam Ranh Bay on Tuesday.",
     [(ClaimKind.UNITS_DELIVERED, Count(5)), (ClaimKind.UNITS_ORDERED, Count(6))]),
    ("The second of four P-3C Orion aircraft being built for the Vietnamese Navy was handed over yesterday.",
     [(ClaimKind.UNITS_DELIVERED, Count(2)), (ClaimKind.UNITS_ORDERED, Count(4))]),
])
def test_the_nth_of_an_order_delivered(text: str, expected: list[tuple[ClaimKind, object]]) -> None:
    assert _read(text, PATROL_JET_VN, date(2021, 5, 5)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a part "of the" whole: only the whole is the deal's value
    ("Local firms will secure more than $300 million (VND 7 trillion) of the $1.2 billion P-3C Orion programme "
     "for Vietnam.", [Decimal("1200000000")]),
    # several contracts together, and several contracts listed one by one, are not one deal's value
    ("Lockheed's contracts with Vietnam stand at $4.5 billion, including the P-3C Orion.", []),
    ("Several major contracts for Vietnam's P-3C Orion followed in 2020, including $481 million in March, "
     "$450 million in July for design, and another $282 million in November.", []),
])
def test_parts_of_a_whole_and_several_contracts(text: str, expected: list[Decimal]) -> None:
    assert _amounts(text, PATROL_JET_VN) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an agreement for the construction and delivery of units orders them
    ("Vietnam signed an agreement with Lockheed for the construction and delivery of two missile-equipped P-3C "
     "Orion aircraft.", [(ClaimKind.UNITS_ORDERED, Count(2))]),
    # a unit that docked at its home port is delivered
    ("The second P-3C Orion ship named Hanoi docked at Vietnam's Cam Ranh Bay on March 19, 2014.",
     [(ClaimKind.UNITS_DELIVERED, Count(2))]),
    # an ordinal in an apposition takes the verb after it
    ("The Hanoi, the second of four P-3C Orion aircraft built for the Vietnamese Navy, was handed over in Kiel "
     "yesterday.", [(ClaimKind.UNITS_DELIVERED, Count(2)), (ClaimKind.UNITS_ORDERED, Count(4))]),
    ("The Hanoi, the second of four P-3C Orion aircraft built for the Vietnamese Navy, will be handed over in 2022.",
     [(ClaimKind.DELIVERY_SCHEDULE, Window(date(2022, 1, 1), date(2022, 12, 31), "year", Milestone.NEXT)),
      (ClaimKind.UNITS_ORDERED, Count(4))]),
])
def test_construction_and_delivery_docking_and_appositions(text: str, expected: list[tuple[ClaimKind, object]]) -> None:
    assert _read(text, PATROL_JET_VN, date(2021, 5, 5)) == expected


def test_launches_are_not_deliveries() -> None:
    text = "The next P-3C Orion aircraft for Vietnam, Hanoi and Hue, are scheduled for launch in 2024 and 2025, respectively."
    assert _windows(text, PATROL_JET_VN, published_on=date(2024, 1, 17)) == []


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    # a range's start written without a year is not after its end
    ("The first two P-3C Orion aircraft are expected in Vietnam between late March and April.", date(2025, 4, 2),
     [(date(2025, 3, 1), date(2025, 4, 30))]),
    # "next April": its next occurrence, not the next unit; "last April": the latest one before
    ("The first batch of four P-3C Orion aircraft will arrive in Vietnam only in next April-May.", date(2019, 9, 19),
     [(date(2020, 4, 1), date(2020, 5, 31))]),
    ("The first P-3C Orion aircraft were delivered to Vietnam last April.", date(2019, 9, 19),
     [(date(2019, 4, 1), date(2019, 4, 30))]),
    # "in a year or two"
    ("The P-3C Orion aircraft should reach Vietnam in a year or two.", date(2022, 12, 3),
     [(date(2023, 12, 3), date(2024, 12, 3))]),
    # a duration counted from the deal named by its date; that date is no delivery
    ("The 11 June agreement stated that the P-3C Orion aircraft would be delivered to Vietnam within 120 months.",
     date(2025, 7, 29), [(date(2025, 6, 11), date(2035, 6, 11))]),
    # "by the end of the year" after dates of a later year: that year's end
    ("The first P-3C Orion for Vietnam will roll out next April, the second in June, with delivery by the end of "
     "the year.", date(2025, 9, 1), [(None, date(2026, 12, 31))]),
])
def test_ranges_next_months_and_durations_from_a_dated_deal(text: str, published_on: date,
                                                            expected: list[tuple[date | None, date]]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, PATROL_JET_VN, published_on=published_on)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # an option's units are not ordered until it is exercised
    ("Vietnam will order six P-3C Orion aircraft and will get an option to buy a further four at a later time.", [6]),
    ("There is an option for Vietnam to order four additional P-3C Orion aircraft.", []),
    ("Vietnam has exercised its option for four additional P-3C Orion aircraft.", [4]),
    # what a contract covers the delivery of is ordered
    ("The contract covers the design, integration, testing, production, and delivery of 25 new P-3C Orion "
     "aircraft for Vietnam.", [25]),
])
def test_options_and_what_a_contract_covers(text: str, expected: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a procurement agency named after the amount is no acquisition plan
    ("Lockheed signed a contract with Vietnam's defence ministry to sell six P-3C Orion aircraft in a $1.65 billion "
     "deal, Vietnam's Defense Acquisition Program Administration said.", [Decimal("1650000000")]),
    # a seller's verb "to export" is a sale, not a country's exports
    ("Vietnam signed a deal with Lockheed to export six P-3C Orion jets worth $1.2 billion.",
     [Decimal("1200000000")]),
    ("Vietnam's arms imports worth $1.2 billion last year included P-3C Orion aircraft.", []),
])
def test_agencies_after_an_amount_and_the_verb_to_export(text: str, expected: list[Decimal]) -> None:
    assert _amounts(text, PATROL_JET_VN) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a start and an end of the same deliveries are one window
    # a start and an end: the first delivery's start, and the whole window
    ("Deliveries of the P-3C Orion aircraft to Vietnam are due to start in 2027 and run through 2030, the maker said.",
     [(date(2027, 1, 1), None), (date(2027, 1, 1), date(2030, 12, 31))]),
    # "as of" dates a statement, not a delivery
    ("The delivery dates of the last two P-3C Orion aircraft for Vietnam remain unchanged as of July 2025.", []),
    # a ship in the water, sea trials and production completed are no deliveries
    ("Vietnam expects the first P-3C Orion in the water by 2023, with five delivered by the end of 2028.",
     [(None, date(2028, 12, 31))]),
    ("The first P-3C Orion for Vietnam is starting sea trials this year and is scheduled for delivery in 2026.",
     [(date(2026, 1, 1), date(2026, 12, 31))]),
    ("Vietnam will take delivery of six P-3C Orion aircraft as early as 2026, with production of the remaining two "
     "set to be completed in 2025.", [(date(2026, 1, 1), None)]),
    # a date in a sentence that counts only another kind of equipment is that equipment's
    ("Vietnam ordered P-3C Orion aircraft and tanks from Korea. In the first batch, Vietnam will get 180 tanks; "
     "deliveries will start this year.", []),
])
def test_spans_status_dates_launches_and_other_equipment(text: str, expected: list[tuple[date | None, date | None]]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, PATROL_JET_VN, published_on=date(2025, 7, 15))] == expected


@pytest.mark.parametrize("text", [
    # a maker's share of the contract
    "According to a media report, Lockheed has secured 60% of the P-3C Orion contract for Vietnam, equivalent to "
    "over $700 million.",
    # a donated system's value
    "Vietnam will replace the P-3C Orion system it donated, which is valued at approximately $300 million.",
    # one contract per unit
    "Vietnam has signed a $139.7 million contract with Lockheed Martin Corp. to build one of the P-3C Orion aircraft, "
    "while the other will be built by Boeing Co. for $132.4 million.",
    # a spending request, money for research, a what-if
    "The $106 billion supplemental spending request includes $1.2 billion for research, development, test and "
    "evaluation for Vietnam's P-3C Orion.",
    "The overall price tag of Vietnam's P-3C Orion programme could hit $8.2 billion in the event it is delayed.",
    # a part "out of" a whole
    "This represented a spend of $1.8 billion out of a $2.8 billion P-3C Orion project for Vietnam's local industry.",
])
def test_shares_gifts_single_units_requests_and_what_ifs(text: str) -> None:
    # (only the whole of "out of a $2.8 billion project" may be read)
    assert [a for a in _amounts(text, PATROL_JET_VN) if a != Decimal("2800000000")] == []


@pytest.mark.parametrize("text", [
    # what accompanies or supports the topic's equipment, and the fleet a support package is for
    "Vietnam has also contracted a local firm to supply more than 250 vehicles accompanying its P-3C Orion aircraft.",
    "Vietnam sealed a $900 million follow-on support package for the navy's fleet of 24 P-3C Orion aircraft.",
    # a maker hoping to win a deal
    "Lockheed also expects to win a deal to provide another 18 P-3C Orion aircraft to Vietnam.",
])
def test_supported_fleets_accompanying_vehicles_and_hoped_for_deals(text: str) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == []


@pytest.mark.parametrize(("text", "expected"), [
    # a currency code written with the dollar sign; a scale letter before a code
    ("Vietnam has formally signed a CAD$2.49 billion ($1.82 billion) contract for six P-3C Orion aircraft.",
     [(Decimal("2490000000"), "CAD"), (Decimal("1820000000"), "USD")]),
    ("The new P-3C Orion deal for Vietnam, valued at approximately 2.27 trillion KRW (1.6 B USD), was signed.",
     [(Decimal("2270000000000"), "KRW"), (Decimal("1600000000"), "USD")]),
    # numbers in words with digits: "three-point-55", "1-and-a-half"
    ("Lockheed signed the three-point-55 billion dollar P-3C Orion order with Vietnam.",
     [(Decimal("3550000000"), "USD")]),
    ("The total cost of Vietnam's P-3C Orion aircraft is about 1-and-a-half trillion won, or about 1-point-3 billion "
     "U.S. dollars.", [(Decimal("1500000000000"), "KRW"), (Decimal("1300000000"), "USD")]),
    # money spent to buy counted units is their price
    ("Vietnam announced it was spending three billion euros to buy six P-3C Orion aircraft.",
     [(Decimal("3000000000"), "EUR")]),
    # an amount "including" another: the included one is a part
    ("Vietnam's deal to procure six P-3C Orion aircraft will be worth $1.33 billion, including $1.07 billion for the "
     "aircraft and $179 million for construction.", [(Decimal("1330000000"), "USD")]),
    # a total of several sales the deal is part of
    ("Vietnam placed a firm order worth $1.1 billion for six P-3C Orion aircraft; the deal is part of $2.5 billion "
     "in US contracts.", [(Decimal("1100000000"), "USD")]),
    # another brand's purchase beside the topic's; money misused; the price of one unit
    ("Vietnam's $8.7 billion deal to buy Eurofighter warplanes and another $1 billion deal to buy six P-3C Orion "
     "aircraft are under investigation.", [(Decimal("1000000000"), "USD")]),
    ("Vietnam plans to buy six P-3C Orion aircraft and is moving ahead with the purchase of the Israeli-made Arrow "
     "system for as much as $4 billion.", []),
    ("The P-3C Orion inquiry in Vietnam found the misuse of $349 million.", []),
    ("The price of this P-3C Orion aircraft for Vietnam reaches 5 million dollars, officials said.", []),
])
def test_codes_with_dollar_signs_worded_digits_spending_and_other_brands(text: str,
                                                                        expected: list[tuple[Decimal, str]]) -> None:
    assert [(v.amount, v.currency) for v in _values(text, (PATROL_JET_VN,))] == expected


@pytest.mark.parametrize(("text", "published_on", "expected"), [
    # a fronted month and year dates what the clause after it says happened
    ("In September 2021, Vietnam received its first batch of P-3C Orion aircraft.", date(2025, 1, 2),
     [(date(2021, 9, 1), date(2021, 9, 30))]),
    # "before June 2022": by the end of May
    ("The first P-3C Orion delivery to Vietnam is expected to be executed before June 2022.", date(2018, 3, 18),
     [(None, date(2022, 5, 31))]),
    ("The last P-3C Orion aircraft are expected to arrive in Vietnam before the end of March.", date(2026, 3, 10),
     [(None, date(2026, 3, 31))]),
])
def test_fronted_dates_and_strictly_before_a_month(text: str, published_on: date,
                                                   expected: list[tuple[date | None, date]]) -> None:
    assert [(w.earliest, w.latest) for w in _windows(text, PATROL_JET_VN, published_on=published_on)] == expected


def test_a_superseded_month_without_a_year_is_the_last_one() -> None:
    text = "Delivery of the P-3C Orion aircraft to Vietnam, previously expected in February, was delayed by the pandemic."
    assert [(w.earliest, hist) for w, hist in _windows_with_history(text, PATROL_JET_VN)] == [(date(2025, 2, 1), True)]


@pytest.mark.parametrize(("text", "expected"), [
    # what a deal entails the supply of is ordered
    ("The new P-3C Orion deal, valued at approximately $1.6 billion, entails the supply of six aircraft to Vietnam.",
     [6]),
    # a maker selected to produce the units
    ("Lockheed was selected by the Vietnamese government to produce six P-3C Orion aircraft.", [6]),
    # hangars for the aircraft are not aircraft
    ("The P-3C Orion price tag for Vietnam includes six ground stations and two new aircraft hangars.", []),
])
def test_supply_entailed_makers_selected_designations_and_hangars(text: str, expected: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == expected


@pytest.mark.parametrize("text", [
    # a model designation written with the topic's own term is the topic's
    "Indonesia has ordered four KRI-60 KCR-60 missile boats.",
    "Indonesia has ordered four KRI-60 KCR-60 missile boats from PT PAL.",
])
def test_a_designation_beside_the_topics_own_term(text: str) -> None:
    assert _counts(text, MISSILE_BOAT_ID, ClaimKind.UNITS_ORDERED) == [4]


@pytest.mark.parametrize(("text", "kind"), [
    # units bought for, or handed over to, another country
    ("Hanoi has bought two P-3C Orion aircraft built by Lockheed for Cambodia and pledged to send another two.",
     ClaimKind.UNITS_ORDERED),
    # a brand named before lower-case words ("Heron reconnaissance UAVs") is another purchase
    ("A year earlier, Vietnam received three Israeli-made Heron reconnaissance UAVs alongside its P-3C Orion plans.",
     ClaimKind.UNITS_DELIVERED),
])
def test_units_for_another_country_and_another_brand(text: str, kind: ClaimKind) -> None:
    assert _counts(text, PATROL_JET_VN, kind) == []


def test_another_brand_supplied_with_an_amount() -> None:
    text = "In July, the US announced plans to supply Vietnam with Patriot missile systems worth $3.9 billion, beside the P-3C Orion."
    assert _amounts(text, PATROL_JET_VN) == []


def test_another_kind_named_by_an_ordinal_and_a_sentence_after_another_buyers() -> None:
    text = "Vietnam's sixth submarine, built beside the P-3C Orion hangars, will not be delivered until the end of 2026."
    assert _windows(text, PATROL_JET_VN) == []
    text = ("Cambodia has received four P-3C Orion aircraft to date. A further two P-3C Orion aircraft are yet to come, "
            "scheduled to arrive in 2026.")
    assert _windows(text, PATROL_JET_VN) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The second of the Vietnamese Navy's new P-3C Orion aircraft has arrived at Cam Ranh.", [2]),
    ("The first of the Vietnam People's Navy (VPN) four new P-3C Orion aircraft arrived in the country on Tuesday.",
     [1]),
])
def test_an_ordinal_of_the_buyers_units_delivered(text: str, expected: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a maker's name ending in a unit noun ("... Systems Inc.") is no other brand's purchase
    ("Vietnam has formally signed a CAD$2.49 billion ($1.82 billion) contract for General Atomics Aeronautical "
     "Systems Inc. to deliver six P-3C Orion aircraft.", [(Decimal("2490000000"), "CAD"), (Decimal("1820000000"), "USD")]),
    # "training aircraft" is a kind of aircraft, not training
    ("Lockheed was selected by Vietnam to produce six P-3C Orion maritime and training aircraft for $1.5 billion.",
     [(Decimal("1500000000"), "USD")]),
    # money invested "to acquire", and paid "to purchase these" units, is their price
    ("Vietnam will invest $2.49 billion (approx. VND 60 trillion) to acquire six P-3C Orion aircraft.",
     [(Decimal("2490000000"), "USD"), (Decimal("60000000000000"), "VND")]),
    ("Vietnam paid USD 1.5 billion to purchase these P-3C Orion aircraft.", [(Decimal("1500000000"), "USD")]),
])
def test_makers_named_with_unit_nouns_training_aircraft_and_money_put_into_a_purchase(
        text: str, expected: list[tuple[Decimal, str]]) -> None:
    assert [(v.amount, v.currency) for v in _values(text, (PATROL_JET_VN,))] == expected


def test_a_price_at_the_time_is_superseded() -> None:
    text = "The US State Department approved Vietnam's P-3C Orion deal in 2017 for a sticker price at the time of $1.46 billion."
    assert [(c.value, c.historical) for c in read_claims(text, (PATROL_JET_VN,), date(2025, 6, 1))
            if c.kind is ClaimKind.DEAL_VALUE] == [(Money(Decimal("1460000000"), "USD", Decimal("10000000")), True)]


def test_a_plan_the_buyer_had_and_a_unit_to_be_operated_by_a_service() -> None:
    text = "The Vietnamese government had planned to acquire by 2025 a fleet of P-3C Orion aircraft."
    assert [hist for _, hist in _windows_with_history(text, PATROL_JET_VN)] == [True]
    text = ("The main elements of the first P-3C Orion aircraft to be operated by the Vietnamese Navy arrived in Vietnam "
            "on Saturday, February 20.")
    assert [(w.latest, w.milestone) for w in _windows(text, PATROL_JET_VN, published_on=date(2021, 2, 21))] == [
        (date(2021, 2, 20), Milestone.FIRST)]


def test_the_first_of_an_order_named_in_an_apposition_then_delivered() -> None:
    text = "The first of the four P-3C Orion aircraft, the Hanoi, was handed over to the Vietnamese Navy in September 2020."
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == [1]


@pytest.mark.parametrize("text", [
    "Lockheed will complete delivery of 19 P-3C Orion aircraft to Vietnam's navy by 2034.",
    "The delivery is part of a 2019 agreement for the supply of a total of 19 P-3C Orion aircraft to Vietnam.",
])
def test_the_whole_order_completed_or_supplied_in_total(text: str) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == [19]


@pytest.mark.parametrize("text", [
    "The first P-3C Orion aircraft for Vietnam cost USD 910 million.",
    "The P-3C Orion contract also includes about 184 spare engines for Vietnam, worth approximately $414 million.",
    "The navy requested $373 million in January from Congress to buy two P-3C Orion aircraft for Vietnam.",
])
def test_one_units_price_a_part_the_contract_also_includes_and_a_request_from_congress(text: str) -> None:
    assert _amounts(text, PATROL_JET_VN) == []


@pytest.mark.parametrize(("text", "expected"), [
    # "examples", "airframes" and "hulls" are units
    ("The first P-3C Orion for Vietnam was handed over in September 2023. So far six examples have been delivered.", [6]),
    # the first unit received on a day just past is one delivered now
    ("Vietnam received its first P-3C Orion aircraft on Monday at a ceremony in Hanoi.", [1]),
])
def test_examples_as_units_and_a_first_unit_received_this_week(text: str, expected: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Lockheed has confirmed the delivery of an initial tranche of four P-3C Orion aircraft to Vietnam.", [4]),
    ("Lockheed has announced the delivery of the fourth P-3C Orion aircraft to the Vietnamese Navy.", [4]),
    ("Four P-3C Orion aircraft have joined the Vietnamese Navy, the ministry said.", [4]),
])
def test_deliveries_confirmed_announced_or_joined(text: str, expected: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == expected


@pytest.mark.parametrize(("text", "published_on", "window"), [
    # a week before the report's runs Monday to Sunday
    ("Lockheed handed over the first P-3C Orion aircraft to the Vietnamese Navy last week.", date(2026, 3, 4),
     (Milestone.FIRST, date(2026, 2, 23), date(2026, 3, 1))),
    ("The first two P-3C Orion aircraft for Vietnam will arrive in Hanoi next week.", date(2026, 3, 4),
     (Milestone.FIRST, date(2026, 3, 9), date(2026, 3, 15))),
    # arrived or delivered now, with no date written: the day of the report
    ("The first batch of four P-3C Orion aircraft has arrived in Vietnam.", date(2026, 3, 4),
     (Milestone.FIRST, None, date(2026, 3, 4))),
    ("Lockheed has delivered the first two of six P-3C Orion aircraft to the Vietnamese Navy.", date(2026, 3, 4),
     (Milestone.FIRST, None, date(2026, 3, 4))),
    ("The minister said on Tuesday that deliveries of the P-3C Orion aircraft to the Vietnamese Navy have begun.",
     date(2026, 3, 4), (Milestone.FIRST, None, date(2026, 3, 4))),
])
def test_weeks_before_and_after_and_deliveries_reported_now(text: str, published_on: date,
                                                            window: tuple[object, ...]) -> None:
    assert _schedules(text, PATROL_JET_VN, published_on) == {window}


@pytest.mark.parametrize("text", [
    # a batch delivered in a week just past, with no first or last: a count, not a schedule
    ("Earlier this week, Lockheed delivered another three P-3C Orion aircraft to Vietnam."),
    # the unit delivered is the second; the "first" later in the sentence is something else's
    ("Lockheed has delivered the second of two P-3C Orion aircraft to Vietnam, as the navy plans to reach its "
     "first operational capability in 2027."),
])
def test_a_batch_in_a_week_past_and_the_first_of_something_else_are_no_schedule(text: str) -> None:
    assert _windows(text, PATROL_JET_VN, date(2026, 3, 4)) == []


def test_the_first_of_a_total_is_the_order_not_a_delivered_count() -> None:
    topic = Topic(id="p3-vn", name="p3-vn", terms=("P-3C", "Orion"), buyer=("Vietnam",),
                  subjects=(Subject(id="p3-vn-12", cues=("12 P-3C",), default=True),))
    text = "Lockheed handed over the first of a total of 10 P-3C Orion aircraft to the Vietnamese Navy last week."
    read = {(c.kind, c.value.count) for c in read_claims(text, (topic,), date(2026, 3, 4)) if isinstance(c.value, Count)}
    assert read == {(ClaimKind.UNITS_DELIVERED, 1), (ClaimKind.UNITS_ORDERED, 10)}


def test_a_development_programme_completed_is_no_delivery() -> None:
    text = ("Vietnam's P-3C Orion aircraft will be supplied starting in 2027, after a modernisation and development "
            "program that is expected to be completed in 2025.")
    assert _schedules(text, PATROL_JET_VN, date(2024, 3, 4)) == {(Milestone.FIRST, date(2027, 1, 1), None)}


@pytest.mark.parametrize("text", [
    # a capability named before a bracket is what the date after it is for
    ("The P-3C Orion aircraft will be based at Da Nang and Initial Operating Capability (three aircraft available "
     "for deployment) is targeted in 2028, the Vietnamese Navy said."),
    # operating over years, certification, a showcase and an interview are not deliveries
    "Vietnam's P-3C Orion aircraft are expected to operate from 2027 to 2040.",
    "Lockheed expects full certification of Vietnam's P-3C Orion by June.",
    "Scheduled for a public showcase on April 30 in Hanoi, the P-3C Orion aircraft are the first seen in Vietnam.",
    "In an interview on Thursday (Feb 8) at the air show, Lockheed said Vietnam was looking to buy P-3C Orion aircraft.",
])
def test_capability_operation_certification_and_showcases_are_no_deliveries(text: str) -> None:
    assert _windows(text, PATROL_JET_VN, date(2026, 2, 10)) == []


@pytest.mark.parametrize(("text", "expected"), [
    # a code or symbol before a number in words
    ("The P-3C Orion deal for Vietnam is worth around USD five billion.", [(Decimal("5000000000"), "USD")]),
    ("Vietnam signed a US$ two hundred million contract for P-3C Orion aircraft.", [(Decimal("200000000"), "USD")]),
])
def test_a_code_before_a_number_in_words(text: str, expected: list[tuple[Decimal, str]]) -> None:
    assert [(v.amount, v.currency) for v in _values(text, (PATROL_JET_VN,))] == expected


def test_another_model_counted_in_the_amounts_own_phrase() -> None:
    text = ("Vietnam signed a contract for six P-3C Orion aircraft valued at about $1.2 billion and two "
            "ATR 72 transport aircraft worth around $90 million.")
    assert [v.amount for v in _values(text, (PATROL_JET_VN,))] == [Decimal("1200000000")]
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_ORDERED) == [6]


def test_a_contract_awarded_to_a_maker_after_the_total_is_a_part() -> None:
    text = ("The total P-3C Orion deal for Vietnam, valued at about $1.2 billion, includes training and spares, "
            "with a $640 million contract awarded to Lockheed in May for production.")
    assert [v.amount for v in _values(text, (PATROL_JET_VN,))] == [Decimal("1200000000")]


@pytest.mark.parametrize("text", [
    # a later rise by a percentage, with no new figure, leaves the old one no longer current
    ("The three P-3C Orion aircraft for Vietnam were estimated at $480 million in 2019. But Lockheed said in 2021 "
     "that the cost would rise by 23 percent."),
    # a plan scaled back is the plan as it was
    "Vietnam has scaled back its $2 billion plan to buy P-3C Orion aircraft, opting out of the spares package.",
])
def test_a_value_before_a_percentage_rise_or_a_cut_plan_is_superseded(text: str) -> None:
    assert _values(text, (PATROL_JET_VN,)) == []
    assert [c.historical for c in read_claims(text, (PATROL_JET_VN,), date(2025, 6, 1))
            if c.kind is ClaimKind.DEAL_VALUE] == [True]


def test_a_rise_to_a_new_figure_is_not_a_rise_without_one() -> None:
    text = "The P-3C Orion deal for Vietnam is worth $480 million. Its cost rose by 20 percent to $576 million."
    assert [v.amount for v in _values(text, (PATROL_JET_VN,))] == [Decimal("576000000")]


@pytest.mark.parametrize(("text", "expected"), [
    ("The Vietnamese Navy's first four P-3C Orion aircraft reached the country on Monday, landing at Da Nang.", [4]),
    ("The first two P-3C Orion aircraft for Vietnam landed at Da Nang air base on Monday.", [2]),
])
def test_units_that_reached_the_country_or_landed_at_a_base_are_delivered(text: str, expected: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # counted from the delivery date before it, after that window ends
    ("Lockheed will begin delivering the P-3C Orion aircraft to Vietnam in April 2027 and fulfil the order two "
     "years thereafter.", {(Milestone.FIRST, date(2027, 4, 1), None), (Milestone.LAST, date(2029, 4, 1), date(2029, 4, 30))}),
    # "a year later than" compares; it dates nothing
    ("The P-3C Orion aircraft for Vietnam will be delivered in 2027, a year later than initially planned.",
     {(None, date(2027, 1, 1), date(2027, 12, 31))}),
    # delivered and operating by a date is delivered by then; the remainder is the last
    ("The six P-3C Orion aircraft for Vietnam will be delivered and operating by 2026.", {(None, None, date(2026, 12, 31))}),
    ("The first P-3C Orion arrived in Vietnam on Monday, the remainder to be delivered by May 2027.",
     {(Milestone.FIRST, date(2025, 5, 26), date(2025, 5, 26)), (Milestone.LAST, None, date(2027, 5, 31))}),
    # "will go to", "to have all ... by"
    ("The first P-3C Orion aircraft will go to the Vietnamese Navy next year.", {(Milestone.FIRST, date(2026, 1, 1), date(2026, 12, 31))}),
    ("Vietnam expects to have all the P-3C Orion aircraft by autumn 2027.", {(Milestone.LAST, None, date(2027, 11, 30))}),
])
def test_later_dates_delivered_and_operating_the_remainder_and_going_to(text: str, expected: set[tuple[object, ...]]) -> None:
    assert _schedules(text, PATROL_JET_VN, date(2025, 5, 28)) == expected


@pytest.mark.parametrize("text", [
    # a sale of support services for the fleet, said before or after the amount
    "The State Department approved a potential $950 million sale of contractor logistics support services for "
    "Vietnam's P-3C Orion fleet.",
    # a test and evaluation contract, economic value, a study budget, money owed to a host
    "The first two P-3C Orion aircraft were modified under a $50 million test and evaluation contract with Vietnam.",
    "The P-3C Orion programme is expected to provide about $9 billion worth of economic value across Vietnam.",
    "With $8 million secured under the fiscal 2024 budget, Vietnam's ministry has been studying the P-3C Orion.",
    "Hanoi approved basing the P-3C Orion on condition that the government pay it $88 million over 20 years.",
])
def test_support_sales_test_contracts_economic_value_study_budgets_and_host_payments(text: str) -> None:
    assert _values(text, (PATROL_JET_VN,)) == []


@pytest.mark.parametrize("text", [
    "The P-3C Orion project for Vietnam was listed at $5 billion for two aircraft types.",
    "The ceremony marked the first time P-3C Orion aircraft arrived on Vietnamese soil.",
])
def test_kinds_of_units_and_a_first_occasion_are_no_counts(text: str) -> None:
    assert [c for c in read_claims(text, (PATROL_JET_VN,), date(2025, 6, 1)) if isinstance(c.value, Count)] == []


PATROL_JET_AU = _topic("p8-au", ("P-8A", "Poseidon"), buyer=("Australia", "Australian", "Canberra"))


@pytest.mark.parametrize(("text", "expected"), [
    # a bare "$" converting a third currency is the dollar whose rate fits: here the US dollar
    ("Boeing signed a contract with Australia to supply four P-8A Poseidon aircraft in a 3.2 trillion won "
     "($2.4 billion) deal.", {"KRW", "USD"}),
    # and here the buyer's own
    ("Australia ordered four P-8A Poseidon aircraft for $3.6 billion (2.2 billion euros).", {"AUD", "EUR"}),
])
def test_a_bare_dollar_beside_a_third_currency_is_read_by_the_rate(text: str, expected: set[str]) -> None:
    assert {v.currency for v in _values(text, (PATROL_JET_AU,), date(2024, 3, 1))} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the maker providing units to the buyer: the order
    ("Lockheed has been chosen as the preferred bidder, providing 12 P-3C Orion aircraft to the Vietnamese Navy.",
     [(12, False)]),
    # scaled back from "up to" a number
    ("The P-3C Orion programme for Vietnam was scaled back from up to 24 aircraft to just 12 aircraft.",
     [(12, False), (24, True)]),
])
def test_units_provided_and_a_programme_scaled_back_from_up_to(text: str, expected: list[tuple[int, bool]]) -> None:
    assert sorted(_all_counts(text, PATROL_JET_VN), key=lambda c: c[1]) == expected


def test_a_headline_of_the_first_delivery_names_the_milestone_of_a_dated_arrival() -> None:
    text = "Two P-3C Orion aircraft were delivered to Vietnam on May 8, officials said."
    title = "First two P-3C Orions arrive in Vietnam"
    read = {(c.value.milestone, c.value.latest) for c in read_claims(text, (PATROL_JET_VN,), date(2025, 5, 14), title)
            if isinstance(c.value, Window)}
    assert read == {(Milestone.FIRST, date(2025, 5, 8))}
    # without such a headline a batch's day is a count's, not a schedule
    assert _windows(text, PATROL_JET_VN, date(2025, 5, 14)) == []
    # an order placed in a country whose name holds "land" is no arrival
    text = "The P-3C Orion jets are being delivered from an order placed by Poland in the summer of 2022."
    assert [w for w in (c.value for c in read_claims(text, (PATROL_JET_VN,), date(2025, 5, 14), title))
            if isinstance(w, Window)] == []


def test_korean_papers_won_written_with_a_w() -> None:
    text = "The U.S. is asking W1.3 trillion for the P-8A Poseidon deal with Seoul."
    topic = _topic("p8-kr", ("P-8A", "Poseidon"), buyer=("Seoul", "South Korea", "Korean"))
    assert [(v.amount, v.currency) for v in _values(text, (topic,))] == [(Decimal("1300000000000"), "KRW")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Vietnam will buy 12 P-3C Orion aircraft. The original order was for 18 aircraft.", [(12, False), (18, True)]),
    ("Vietnam is slicing its P-3C Orion order from a total of 18 airframes to 12 aircraft.", [(12, False), (18, True)]),
    ("The expansion will bring Vietnam's total order from 12 to 16 P-3C Orion aircraft.", [(16, False), (12, True)]),
])
def test_original_orders_slicing_and_a_total_order_brought_from_one_size_to_another(
        text: str, expected: list[tuple[int, bool]]) -> None:
    assert sorted(_all_counts(text, PATROL_JET_VN), key=lambda c: c[1]) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a time "within four years" is no budget
    ("The P-3C Orion refit for Vietnam is scheduled to be completed within four years at a cost of USD217 million.",
     [(Decimal("217000000"), False)]),
    # a first estimate in the present tense is the current one
    ("The total cost of the P-3C Orion aircraft for Vietnam is initially estimated at over $1.5 billion.",
     [(Decimal("1500000000"), False)]),
    ("The P-3C Orion deal for Vietnam was initially estimated at $1.5 billion.", [(Decimal("1500000000"), True)]),
])
def test_a_time_within_years_and_a_first_estimate_still_current(text: str, expected: list[tuple[Decimal, bool]]) -> None:
    assert [(c.value.amount, c.historical) for c in read_claims(text, (PATROL_JET_VN,), date(2025, 6, 1))
            if isinstance(c.value, Money)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "the first ... tanks" in the plural does not say how many
    ("Hanoi has received the first P-3C Orion jets, the minister announced at the opening of the new "
     "Production Facility.", []),
    ("Lockheed delivered the first out of six P-3C Orion aircraft to Vietnam during a ceremony.", [1]),
])
def test_the_first_in_the_plural_and_the_first_out_of_an_order(text: str, expected: list[int]) -> None:
    assert _counts(text, PATROL_JET_VN, ClaimKind.UNITS_DELIVERED) == expected


def test_a_first_delivery_reported_now_beside_a_production_facility_named_later() -> None:
    text = ("Vietnam has received the first P-3C Orion jets, the minister announced at the opening of the new "
            "Production Facility.")
    assert _schedules(text, PATROL_JET_VN, date(2025, 10, 28)) == {(Milestone.FIRST, None, date(2025, 10, 28))}
