"""Tests of the claim reader (pipeline.claims): values, schedules, units, subjects, distractors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from benchmarks.claims_eval import LABELLED, OTHER_DEALS, evaluate_labelled, load_other_deal_topics
from pipeline.claims import READER_VERSION, claim_json, claim_value_json, read_claims
from pipeline.records import Claim, ClaimKind, Count, Milestone, Money, Subject, Topic, Window
from pipeline.topics import load_builtin_topics

TOPICS = load_builtin_topics()
RAFALE_M = Topic(
    id="rafale-m", name="Rafale Marine deal", terms=("Rafale Marine", "Rafale-M", "Rafale M"),
    subjects=(Subject(id="rafale-m-26", cues=("26 Rafale", "26 Rafale Marine", "Rafale Marine deal"),
                      default=True),),
)


def _claims(text: str, kind: ClaimKind, published_on: date | None = date(2025, 9, 3),
            topics: tuple[Topic, ...] = TOPICS, title: str = "") -> list[Claim]:
    return [c for c in read_claims(text, topics, published_on, title) if c.kind is kind]


@pytest.mark.parametrize(("text", "amount", "currency", "precision"), [
    ("India signed a $5.5 billion agreement for the S-400 in 2018.", "5500000000", "USD", "100000000"),
    ("The S-400 deal is worth US$5.43 bn.", "5430000000", "USD", "10000000"),
    ("India signed a USD 5 billion deal for five S-400 units.", "5000000000", "USD", "1000000000"),
    ("The S-400 contract was worth over $5 billion.", "5000000000", "USD", "1000000000"),
    ("India inked the Rs 40,000 crore S-400 deal.", "400000000000", "INR", "10000000"),
    ("The ₹35,000 crore S-400 contract covers five regiments.", "350000000000", "INR", "10000000"),
    ("The S-400 deal is worth INR390 billion.", "390000000000", "INR", "1000000000"),
    ("India bought five S-400 squadrons for around 400 million rupees.", "400000000", "INR", "1000000"),
    ("The landmark ₹40,000-crore S-400 contract was signed in 2018.", "400000000000", "INR", "10000000"),
    ("The inking of the S-400 deal at `40,000 crore is the highlight.", "400000000000", "INR", "10000000"),
])
def test_deal_values_keep_amount_currency_and_written_precision(
        text: str, amount: str, currency: str, precision: str) -> None:
    claims = _claims(text, ClaimKind.DEAL_VALUE)
    assert [c.value for c in claims] == [Money(Decimal(amount), currency, Decimal(precision))]


@pytest.mark.parametrize("text", [
    "PM Modi said 140 crore Indians are waiting to welcome the S-400 news.",
    "India paid an advance of $800 million for the S-400 deal.",
    "India will pay 15% of the S-400 cost (INR58.5 billion (USD810 million) up front.",
    "The S-400 can hit targets from 2 km to 400 km.",
    "Unlike the S-400 deal, the Rafale contract was worth Rs 59,000 crore.",
    "India's purchases of Russian crude oil reached $52 billion, far more than the S-400 deal.",
])
def test_amounts_that_are_not_the_deal_value_give_no_claim(text: str) -> None:
    assert _claims(text, ClaimKind.DEAL_VALUE) == []


@pytest.mark.parametrize(("text", "published_on", "earliest", "latest", "precision", "milestone"), [
    ("The final two S-400 units are scheduled for delivery in 2026 and 2027.", date(2025, 9, 4),
     date(2026, 1, 1), date(2027, 12, 31), "year", Milestone.LAST),
    ("Further S-400 deliveries are planned by 2026-27.", date(2025, 12, 1),
     None, date(2027, 3, 31), "year", None),
    ("The remaining S-400 units will be delivered in FY27.", date(2025, 8, 5),
     date(2026, 4, 1), date(2027, 3, 31), "year", Milestone.LAST),
    ("The remaining two S-400 squadrons are expected within the next 12-24 months.", date(2024, 7, 8),
     date(2025, 7, 8), date(2026, 7, 8), "month", Milestone.LAST),
    ("The fourth S-400 squadron is targeted to enter India's inventory by May 2026.", date(2026, 1, 10),
     None, date(2026, 5, 31), "month", Milestone.NEXT),
    # The built-in deal declares five units: the fifth is the last.
    ("The fifth S-400 regiment should be handed over by mid-2027.", date(2026, 3, 1),
     None, date(2027, 8, 31), "month", Milestone.LAST),
    ("Russia said the first S-400 squadron will arrive later this year.", date(2021, 3, 15),
     date(2021, 1, 1), date(2021, 12, 31), "year", Milestone.FIRST),
    ("The last S-400 unit will be inducted in the coming financial year.", date(2025, 12, 10),
     date(2026, 4, 1), date(2027, 3, 31), "year", Milestone.LAST),
    ("The S-400 shipment is scheduled to arrive by November.", date(2021, 9, 15),
     None, date(2021, 11, 30), "month", None),
])
def test_schedules_become_one_window_per_sentence(text: str, published_on: date, earliest: date | None,
                                                  latest: date, precision: str, milestone: Milestone | None) -> None:
    claims = _claims(text, ClaimKind.DELIVERY_SCHEDULE, published_on)
    assert [c.value for c in claims] == [Window(earliest, latest, precision, milestone)]


def test_the_fourth_and_fifth_of_five_are_the_next_and_the_last() -> None:
    claims = _claims("Russia will deliver the fourth S-400 squadron by mid-2026 and the fifth in 2027.",
                     ClaimKind.DELIVERY_SCHEDULE, date(2025, 6, 30))
    assert [c.value for c in claims] == [Window(None, date(2026, 8, 31), "month", Milestone.NEXT),
                                         Window(date(2027, 1, 1), date(2027, 12, 31), "year", Milestone.LAST)]


@pytest.mark.parametrize("text", [
    "The S-400 contract was signed on October 5, 2018, in New Delhi.",
    "Putin will visit India on 4-5 December, where the S-400 will be discussed.",
    "India's S-400 imports between 2020 and 2024 were part of 36 per cent of arms imports.",
])
def test_dates_that_are_not_deliveries_give_no_schedule(text: str) -> None:
    assert _claims(text, ClaimKind.DELIVERY_SCHEDULE, date(2025, 11, 28)) == []


def test_relative_schedule_without_publication_date_gives_nothing() -> None:
    text = "The S-400 squadron is due later this year."
    assert _claims(text, ClaimKind.DELIVERY_SCHEDULE, published_on=None) == []


@pytest.mark.parametrize(("text", "historical"), [
    ("Originally due by 2023, the last two S-400 squadrons are now slated for 2026.", [True, False]),
    ("The Russian side was expected to deliver all the S-400 systems by 2024 but had to change plans.", [True]),
])
def test_superseded_schedules_are_historical(text: str, historical: list[bool]) -> None:
    claims = _claims(text, ClaimKind.DELIVERY_SCHEDULE, date(2025, 2, 1))
    assert sorted(c.historical for c in claims) == sorted(historical)


@pytest.mark.parametrize(("text", "kind", "count"), [
    ("To date, India has received three S-400 squadrons.", ClaimKind.UNITS_DELIVERED, 3),
    ("The fourth S-400 squadron has arrived in India.", ClaimKind.UNITS_DELIVERED, 4),
    ("India signed a deal to procure five squadrons of the S-400.", ClaimKind.UNITS_ORDERED, 5),
    ("Three of the five S-400 regiments have been delivered.", ClaimKind.UNITS_DELIVERED, 3),
])
def test_units(text: str, kind: ClaimKind, count: int) -> None:
    assert [c.value for c in _claims(text, kind)] == [Count(count)]


def test_an_ordinal_with_a_date_is_a_schedule_not_a_count() -> None:
    text = "The fourth S-400 squadron is expected by mid-2026."
    claims = read_claims(text, TOPICS, date(2025, 10, 1))
    assert [c.kind for c in claims] == [ClaimKind.DELIVERY_SCHEDULE]


@pytest.mark.parametrize(("text", "subject"), [
    ("India signed a $5.43 billion deal in 2018 for five S-400 units.", "s400-2018-contract"),
    ("An order for additional S-400 squadrons could be worth about $3 billion.", "s400-additional-units"),
    ("The DAC cleared S-400 interceptor missiles worth Rs 10,000 crore.", "s400-missiles"),
    ("The S-400 air defence system cost $5.43 billion.", "s400-2018-contract"),
])
def test_subject_from_the_nearest_cue_or_the_default(text: str, subject: str) -> None:
    assert [c.subject for c in _claims(text, ClaimKind.DEAL_VALUE)] == [subject]


def test_carry_on_sentence_reads_claims_with_offsets_of_its_own_sentence() -> None:
    text = ("The S-400 Triumf is crucial to India. To date, India has received three squadrons, "
            "with the remaining two expected within the next 12-24 months.")
    claims = _claims(text, ClaimKind.DELIVERY_SCHEDULE, date(2024, 7, 8))
    assert len(claims) == 1
    assert text[claims[0].start:claims[0].end] == claims[0].text
    assert claims[0].text.startswith("To date")


def test_title_is_context_never_a_source() -> None:
    title = "Russia to deliver S-400 for $5.43 billion by 2026"
    assert read_claims("No figures here.", TOPICS, date(2025, 1, 1), title) == []
    claims = read_claims("The remaining two are slated for delivery in 2026.", TOPICS, date(2025, 1, 1), title)
    assert [c.kind for c in claims] == [ClaimKind.DELIVERY_SCHEDULE]


def test_a_configured_topic_is_read_from_its_data_and_not_given_to_s400() -> None:
    text = ("India signed a ₹63,000 crore deal with France for 26 Rafale Marine jets, "
            "with deliveries scheduled for completion by 2030.")
    claims = read_claims(text, (*TOPICS, RAFALE_M), date(2025, 4, 28))
    assert {(c.topic, c.kind) for c in claims} == {
        ("rafale-m", ClaimKind.DEAL_VALUE), ("rafale-m", ClaimKind.DELIVERY_SCHEDULE),
        ("rafale-m", ClaimKind.UNITS_ORDERED)}
    assert all(c.subject == "rafale-m-26" for c in claims)


def test_topic_without_tracked_kinds_gives_no_claims() -> None:
    mentions_only = Topic(id="s400", name="S-400", terms=("S-400",), track=())
    assert read_claims("India signed a $5.5 billion S-400 deal.", (mentions_only,), date(2025, 1, 1)) == []


@pytest.mark.parametrize(("value", "expected"), [
    (Money(Decimal("5500000000"), "USD", Decimal("100000000")), {"amount": 5500000000, "currency": "USD"}),
    (Money(Decimal("374962000.5"), "USD", Decimal("0.1")), {"amount": 374962000.5, "currency": "USD"}),
    (Window(None, date(2027, 3, 31), "year"), {"earliest": None, "latest": "2027-03-31", "milestone": None}),
    (Window(date(2026, 1, 1), date(2027, 12, 31), "year", Milestone.LAST),
     {"earliest": "2026-01-01", "latest": "2027-12-31", "milestone": "last"}),
    (Window(date(2028, 1, 1), None, "year", Milestone.FIRST),
     {"earliest": "2028-01-01", "latest": None, "milestone": "first"}),
    (Count(5), {"count": 5}),
])
def test_claim_value_json(value: Money | Window | Count, expected: dict[str, object]) -> None:
    assert claim_value_json(value) == expected


def test_claim_json_has_the_spec_keys_and_historical_only_when_true() -> None:
    claim = Claim(topic="s400", subject="s400-2018-contract", kind=ClaimKind.UNITS_ORDERED, value=Count(5),
                  text="five squadrons", start=3, end=17)
    assert claim_json(claim) == {"topic": "s400", "subject": "s400-2018-contract", "kind": "units_ordered",
                                 "value": {"count": 5}, "text": "five squadrons", "start": 3, "end": 17}
    assert claim_json(Claim(**{**claim.__dict__, "historical": True}))["historical"] is True


def test_reader_version_is_set() -> None:
    assert READER_VERSION


def test_labelled_set_meets_precision_and_recall_targets() -> None:
    score = evaluate_labelled(LABELLED, TOPICS)
    for kind in (ClaimKind.DEAL_VALUE, ClaimKind.DELIVERY_SCHEDULE):
        assert score.precision(kind) >= 0.95, (kind, score.misses)
        assert score.recall(kind) >= 0.90, (kind, score.misses)
    assert score.distractor_claims == 0, score.misses


def test_other_deals_configured_as_topics_meet_the_same_targets() -> None:
    score = evaluate_labelled(OTHER_DEALS, load_other_deal_topics())
    for kind in (ClaimKind.DEAL_VALUE, ClaimKind.DELIVERY_SCHEDULE):
        assert score.precision(kind) >= 0.95, (kind, score.misses)
        assert score.recall(kind) >= 0.90, (kind, score.misses)
    assert score.distractor_claims == 0, score.misses


@pytest.mark.parametrize(("text", "published_on", "latest"), [
    ("S-400 deliveries should be wrapped up by Q3 FY26.", date(2025, 3, 1), date(2025, 12, 31)),
    ("The remaining S-400 units will be completed by 2026-end.", date(2025, 9, 20), date(2026, 12, 31)),
    ("The fourth S-400 squadron will be handed over by year-end.", date(2025, 6, 1), date(2025, 12, 31)),
    ("The fourth S-400 squadron is scheduled to be delivered by the end of May.", date(2026, 3, 5),
     date(2026, 5, 31)),
])
def test_fiscal_quarters_and_year_ends(text: str, published_on: date, latest: date) -> None:
    assert [c.value.latest for c in _claims(text, ClaimKind.DELIVERY_SCHEDULE, published_on)
            if isinstance(c.value, Window)] == [latest]


def test_a_delivery_already_made_is_a_count_not_a_schedule() -> None:
    text = "The third S-400 squadron was delivered in February 2023."
    assert [c.kind for c in read_claims(text, TOPICS, date(2023, 3, 1))] == [ClaimKind.UNITS_DELIVERED]


def test_a_value_belongs_to_what_it_is_written_of() -> None:
    text = "GE will supply 113 F404 engines worth about $1 billion for the S-400 programme."
    topic = Topic(id="s400", name="S-400", terms=("S-400",), excludes=("F404",))
    assert read_claims(text, (topic,), date(2025, 1, 1)) == []


def test_terms_match_their_plurals_and_count_as_units() -> None:
    apache = Topic(id="apache", name="Apache", terms=("Apache",))
    claims = read_claims("The $930 million deal for six Apaches was signed in 2020.", (apache,), date(2024, 1, 1))
    assert {(c.kind, c.value) for c in claims} == {
        (ClaimKind.DEAL_VALUE, Money(Decimal("930000000"), "USD", Decimal("1000000"))),
        (ClaimKind.UNITS_ORDERED, Count(6))}


def test_a_text_that_names_no_topic_is_skipped_whole() -> None:
    assert read_claims("India signed a $5 billion deal in 2018 for 36 jets.", TOPICS, date(2025, 1, 1)) == []
