"""Tests of change detection (pipeline.changes): agreement rules, aggregation, sources, the seed replay."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import permutations
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.changes import assess_claims, change_json, consensus_json, find_changes
from pipeline.claims import read_claims
from pipeline.rates import default_rates
from pipeline.records import Claim, ClaimKind, ClaimValue, Count, Milestone, Money, ReportedClaim, Window
from pipeline.topics import load_builtin_topics

ARCHIVE = Path(__file__).resolve().parents[1] / "archive"
RATES = default_rates()


def _reported(value: ClaimValue, published_on: date, article_id: int, *, family_id: int | None = None,
              historical: bool = False, start: int = 0, outlet: str = "", url: str = "",
              kind: ClaimKind | None = None, published_at: datetime | None = None) -> ReportedClaim:
    kind = kind or {Money: ClaimKind.DEAL_VALUE, Window: ClaimKind.DELIVERY_SCHEDULE}.get(
        type(value), ClaimKind.UNITS_ORDERED)
    claim = Claim(topic="s400", subject="s400-2018-contract", kind=kind, value=value,
                  text=f"sentence {article_id}", start=start, end=start + 10, historical=historical)
    return ReportedClaim(claim=claim, article_id=article_id, url=url or f"https://example.org/{article_id}",
                         title="", published_on=published_on,
                         family_id=article_id if family_id is None else family_id, outlet=outlet,
                         published_at=published_at)


def _usd(billions: str, precision: str) -> Money:
    return Money(Decimal(billions) * 10**9, "USD", Decimal(precision) * 10**9)


def _year(first: int, last: int, precision: str = "year") -> Window:
    return Window(date(first, 1, 1), date(last, 12, 31), precision)


@pytest.mark.parametrize(("before", "after", "direction"), [
    (_usd("5.5", "0.1"), _usd("5.43", "0.01"), None),
    (_usd("5.5", "0.1"), _usd("5", "1"), None),
    (_usd("5.5", "0.1"), _usd("6.2", "0.1"), "higher"),
    (_usd("5.5", "0.1"), _usd("5.3", "0.1"), "lower"),
    (Money(Decimal("400000000"), "INR", Decimal("1000000")), _usd("5.5", "0.1"), "higher"),
    (_year(2026, 2027), Window(None, date(2027, 3, 31), "year"), None),
    (Window(date(2025, 7, 8), date(2026, 7, 8), "month"), _year(2026, 2027), "later"),
    (Window(None, date(2026, 5, 31), "month"), _year(2026, 2026), None),
    (Window(None, date(2026, 5, 31), "month"), Window(None, date(2026, 8, 31), "month"), "later"),
    (_year(2027, 2027), Window(None, date(2026, 12, 31), "year"), "earlier"),
    (Count(5), Count(5), None),
    (Count(3), Count(4), "higher"),
])
def test_agreement_and_direction(before: ClaimValue, after: ClaimValue, direction: str | None) -> None:
    changes = find_changes([_reported(before, date(2024, 7, 8), 1), _reported(after, date(2025, 9, 3), 2)],
                           RATES)
    assert [c.direction for c in changes] == ([direction] if direction else [])


def test_currencies_compare_in_dollars_at_the_article_year_within_ten_percent() -> None:
    crore = Money(Decimal("400000000000"), "INR", Decimal("10000000"))
    claims = [_reported(crore, date(2018, 10, 5), 1), _reported(_usd("5.43", "0.01"), date(2019, 1, 1), 2)]
    assert find_changes(claims, RATES) == []


def test_historical_values_are_not_compared() -> None:
    claims = [_reported(_year(2026, 2027), date(2025, 9, 3), 1),
              _reported(_year(2023, 2023), date(2025, 10, 1), 2, historical=True)]
    assert find_changes(claims, RATES) == []


def test_an_article_is_compared_by_its_whole_window() -> None:
    claims = [_reported(Window(None, date(2028, 12, 31), "year"), date(2025, 1, 1), 1),
              _reported(Window(None, date(2025, 12, 31), "year"), date(2025, 6, 1), 2, start=0),
              _reported(Window(None, date(2028, 12, 31), "year"), date(2025, 6, 1), 2, start=50)]
    assert find_changes(claims, RATES) == []


def test_copies_count_once_and_publication_order_wins_over_arrival() -> None:
    later = _reported(_usd("6.2", "0.1"), date(2025, 3, 1), 2)
    copy = _reported(_usd("6.2", "0.1"), date(2025, 3, 2), 3, family_id=2)
    other = _reported(_usd("6.2", "0.1"), date(2025, 3, 5), 4)
    first = _reported(_usd("5.5", "0.1"), date(2024, 1, 1), 9)
    [change] = find_changes([later, copy, other, first], RATES)
    assert (change.previous.article_id, change.current.article_id) == (9, 2)
    assert change.sources == ("https://example.org/2", "https://example.org/4")


def test_change_json_has_the_spec_shape() -> None:
    [change] = find_changes([_reported(Count(3), date(2024, 1, 1), 1), _reported(Count(4), date(2025, 1, 1), 2)],
                            RATES)
    data = change_json(change)
    assert data["direction"] == "higher"
    assert data["previous"] == {"value": {"count": 3}, "text": "sentence 1", "url": "https://example.org/1",
                                "published": "2024-01-01", "claim_ids": []}
    assert {"topic", "subject", "kind", "previous", "current", "direction", "confirmed", "sources",
            "disputed_by"} <= set(data)
    assert (data["confirmed"], data["sources"], data["disputed_by"]) == (False, ["https://example.org/2"], [])


def _seed_claims() -> list[ReportedClaim]:
    topics = load_builtin_topics()
    meta = tomllib.loads((ARCHIVE / "metadata.toml").read_text(encoding="utf-8"))
    reported = []
    for article_id, article in enumerate(meta["articles"], 1):
        text = (ARCHIVE / article["file"]).read_text(encoding="utf-8")
        for claim in read_claims(text, topics, article["published_on"], article.get("title", "")):
            reported.append(ReportedClaim(claim=claim, article_id=article_id, url=f"archive:{article['file']}",
                                          title=article.get("title", ""), published_on=article["published_on"],
                                          family_id=article_id))
    return reported


def test_seed_archive_replay_gives_exactly_the_two_september_2025_changes() -> None:
    changes = find_changes(_seed_claims(), RATES)
    summary = sorted((c.kind, c.direction, c.previous.published_on, c.current.published_on) for c in changes)
    assert summary == [
        (ClaimKind.DEAL_VALUE, "higher", date(2024, 7, 8), date(2025, 9, 3)),
        (ClaimKind.DELIVERY_SCHEDULE, "later", date(2024, 7, 8), date(2025, 9, 3)),
    ]
    by_kind = {c.kind: c for c in changes}
    assert by_kind[ClaimKind.DEAL_VALUE].previous.claim.value == Money(
        Decimal("400000000"), "INR", Decimal("1000000"))
    assert by_kind[ClaimKind.DEAL_VALUE].current.claim.value == _usd("5.5", "0.1")
    # "the final two ... in 2026 and 2027": the reader dates completion.
    assert by_kind[ClaimKind.DELIVERY_SCHEDULE].current.claim.value == replace(_year(2026, 2027),
                                                                              milestone=Milestone.LAST)
    # 001 corroborates 004 for both; in December 2025, 003 ("USD 5 billion") and 002 ("by 2026-27") agree.
    assert len(by_kind[ClaimKind.DEAL_VALUE].sources) == 3
    assert len(by_kind[ClaimKind.DELIVERY_SCHEDULE].sources) == 3
    assert all(c.confirmed and not c.disputed_by for c in changes)
    assert all(c.subject == "s400-2018-contract" for c in changes)


# --- consensus, confirmation and disagreement (spec: "Change report JSON") ------------------------

DAY = date(2025, 1, 1)


def _history(*steps: tuple[ClaimValue, str], start: date = DAY, every: int = 7) -> list[ReportedClaim]:
    """One reading per step (value, outlet), a week apart, each its own article."""
    return [_reported(value, start + timedelta(days=every * i), i + 1, outlet=outlet)
            for i, (value, outlet) in enumerate(steps)]


def test_two_camps_alternating_give_one_change_and_a_disagreement() -> None:
    old, new = _year(2026, 2026), _year(2027, 2027)
    claims = _history((old, "a"), (new, "b"), (old, "c"), (new, "d"), (old, "e"), (new, "f"), (old, "g"))
    result = assess_claims(claims, RATES)
    [change] = result.changes
    assert (change.current.article_id, change.direction, change.confirmed) == (2, "later", True)
    assert change.disputed_by == tuple(f"https://example.org/{i}" for i in (3, 5, 7))
    [subject] = result.subjects
    assert subject.value == new and len(subject.sources) == 3
    assert [(d.value, len(d.sources)) for d in subject.disagreeing] == [(old, 3)]


def test_an_earlier_value_that_outnumbers_a_confirmed_change_is_a_change_back() -> None:
    old, new = _year(2026, 2026), _year(2027, 2027)
    claims = _history((old, "a"), (new, "b"), (new, "c"), (old, "d"), (old, "e"), (old, "f"))
    changes = find_changes(claims, RATES)
    assert [(c.current.article_id, c.direction, c.confirmed) for c in changes] == [
        (2, "later", True), (6, "earlier", True)]
    assert changes[0].disputed_by == tuple(f"https://example.org/{i}" for i in (4, 5, 6))


def test_a_single_source_slip_is_unconfirmed_until_another_outlet_reports_it() -> None:
    claims = _history((_year(2026, 2026), "a"), (_year(2026, 2026), "b"), (_year(2027, 2027), "c"))
    [alone] = find_changes(claims, RATES)
    assert (alone.confirmed, alone.sources) == (False, ("https://example.org/3",))
    confirming = _reported(_year(2027, 2027), claims[-1].published_on + timedelta(days=7), 4, outlet="d")
    [change] = find_changes([*claims, confirming], RATES)
    assert change.confirmed and change.sources == ("https://example.org/3", "https://example.org/4")
    assert change.current.article_id == 3


def test_an_unconfirmed_change_outnumbered_is_withdrawn() -> None:
    old, slip = _year(2026, 2026), _year(2028, 2028)
    claims = _history((old, "a"), (slip, "b"), (old, "c"), (old, "d"))
    assert [c.current.article_id for c in find_changes(claims[:3], RATES)] == [2]   # one against one: stands
    result = assess_claims(claims, RATES)
    assert result.changes == []
    [subject] = result.subjects
    assert subject.value == old and len(subject.sources) == 3
    assert [(d.value, d.sources) for d in subject.disagreeing] == [(slip, ("https://example.org/2",))]


def test_first_delivery_and_completion_in_one_article_are_compared_separately() -> None:
    last = Window(None, date(2026, 12, 31), "year", Milestone.LAST)
    first = Window(None, date(2025, 3, 31), "month", Milestone.FIRST)
    claims = [_reported(Window(None, date(2026, 12, 31), "year"), DAY, 1),     # no milestone: compared as last
              _reported(first, DAY + timedelta(days=30), 2, start=0),
              _reported(last, DAY + timedelta(days=30), 2, start=80)]
    result = assess_claims(claims, RATES)
    assert result.changes == []
    assert {(s.milestone, s.value.latest) for s in result.subjects if isinstance(s.value, Window)} == {
        (Milestone.LAST, date(2026, 12, 31)), (Milestone.FIRST, date(2025, 3, 31))}


def test_a_start_of_deliveries_is_compared_only_with_other_starts() -> None:
    starts = Window(date(2025, 1, 1), None, "year")
    claims = [_reported(starts, DAY, 1), _reported(_year(2027, 2027), DAY + timedelta(days=7), 2),
              _reported(Window(date(2024, 1, 1), None, "year"), DAY + timedelta(days=14), 3),
              _reported(_year(2028, 2028), DAY + timedelta(days=21), 4)]
    assert [(c.previous.article_id, c.current.article_id, c.direction) for c in find_changes(claims, RATES)] == [
        (1, 3, "earlier"), (2, 4, "later")]


@pytest.mark.parametrize("same", ["family", "outlet"])
def test_copies_and_one_outlet_do_not_confirm(same: str) -> None:
    claims = _history((_usd("5.5", "0.1"), "a"), (_usd("6.2", "0.1"), "b"))
    again = _reported(_usd("6.2", "0.1"), DAY + timedelta(days=10), 3,
                      family_id=2 if same == "family" else None, outlet="elsewhere" if same == "family" else "b")
    [change] = find_changes([*claims, again], RATES)
    assert not change.confirmed and len(change.sources) == 1


def test_same_day_order_is_time_then_url_whatever_the_arrival_or_article_ids() -> None:
    noon = datetime(2025, 2, 1, 12, tzinfo=UTC)
    claims = [_reported(_usd("5.5", "0.1"), DAY, 1, outlet="a"),
              _reported(_usd("6.2", "0.1"), date(2025, 2, 1), 7, outlet="b", url="https://b.example/z"),
              _reported(_usd("7.5", "0.1"), date(2025, 2, 1), 3, outlet="c", url="https://c.example/a"),
              _reported(_usd("8.5", "0.1"), date(2025, 2, 1), 2, outlet="d", url="https://a.example/late",
                        published_at=noon)]
    seen = set()
    for order in permutations(claims):
        changes = find_changes(list(order), RATES)
        seen.add(tuple((c.previous.article_id, c.current.article_id) for c in changes))
    assert seen == {((1, 7), (7, 3), (3, 2))}


def test_delivered_counts_never_go_back() -> None:
    delivered = ClaimKind.UNITS_DELIVERED
    claims = [_reported(Count(v), DAY + timedelta(days=7 * i), i + 1, outlet=o, kind=delivered)
              for i, (v, o) in enumerate([(2, "a"), (3, "b"), (2, "c"), (2, "d"), (2, "e"), (1, "f")])]
    result = assess_claims(claims, RATES)
    assert [(c.current.article_id, c.direction) for c in result.changes] == [(2, "higher")]
    [subject] = result.subjects
    assert subject.value == Count(3)
    assert sorted((d.value.count, len(d.sources)) for d in subject.disagreeing
                  if isinstance(d.value, Count)) == [(1, 1), (2, 3)]


def test_an_amount_in_a_currency_without_a_rate_compares_only_with_itself() -> None:
    unknown = Money(Decimal("100000000000"), "XAF", Decimal("1000000000"))
    more = Money(Decimal("200000000000"), "XAF", Decimal("1000000000"))
    claims = _history((unknown, "a"), (_usd("5.5", "0.1"), "b"), (more, "c"))
    assert [(c.current.article_id, c.direction) for c in find_changes(claims, RATES)] == [(3, "higher")]


def test_consensus_json_has_the_spec_shape() -> None:
    claims = _history((Count(5), "a"), (Count(5), "b"), (Count(4), "c"))
    subject = assess_claims(claims[:2] + [claims[2]], RATES).subjects[0]
    assert consensus_json(assess_claims(claims[:2], RATES).subjects[0]) == {
        "topic": "s400", "subject": "s400-2018-contract", "kind": "units_ordered", "milestone": None,
        "value": {"count": 5}, "sources": ["https://example.org/1", "https://example.org/2"], "disagreeing": []}
    assert consensus_json(subject)["value"] == {"count": 4}


def test_a_change_goes_the_way_it_moves_from_the_value_first_reported() -> None:
    # "March 2026", then "2026" (agrees at year precision), then "May 2026": the shift is later,
    # though the last agreeing reading ("2026") ties with May 2026 at its precision.
    march = Window(None, date(2026, 3, 31), "month")
    year = Window(None, date(2026, 12, 31), "year")
    may = Window(None, date(2026, 5, 31), "month")
    claims = [_reported(march, date(2025, 1, 1), 1, outlet="a"), _reported(year, date(2025, 2, 1), 2, outlet="b"),
              _reported(may, date(2025, 3, 1), 3, outlet="c")]
    assert [c.direction for c in find_changes(claims, RATES)] == ["later"]
