"""Tests of change detection (pipeline.changes): agreement rules, aggregation, sources, the seed replay."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.changes import (
    ExchangeRates,
    change_json,
    find_changes,
    load_default_rates,
    merge_rates,
    parse_rates,
)
from pipeline.claims import read_claims
from pipeline.errors import ConfigError
from pipeline.records import Claim, ClaimKind, ClaimValue, Count, Money, ReportedClaim, Window
from pipeline.topics import load_builtin_topics

ARCHIVE = Path(__file__).resolve().parents[1] / "archive"
RATES = load_default_rates()


def _reported(value: ClaimValue, published_on: date, article_id: int, *, family_id: int | None = None,
              historical: bool = False, start: int = 0) -> ReportedClaim:
    kind = {Money: ClaimKind.DEAL_VALUE, Window: ClaimKind.DELIVERY_SCHEDULE}.get(type(value),
                                                                               ClaimKind.UNITS_ORDERED)
    claim = Claim(topic="s400", subject="s400-2018-contract", kind=kind, value=value,
                  text=f"sentence {article_id}", start=start, end=start + 10, historical=historical)
    return ReportedClaim(claim=claim, article_id=article_id, url=f"https://example.org/{article_id}",
                         title="", published_on=published_on,
                         family_id=article_id if family_id is None else family_id)


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
    assert (change.previous_sources, change.current_sources) == (1, 2)


def test_change_json_has_the_spec_shape() -> None:
    [change] = find_changes([_reported(Count(3), date(2024, 1, 1), 1), _reported(Count(4), date(2025, 1, 1), 2)],
                            RATES)
    data = change_json(change)
    assert data["direction"] == "higher"
    assert data["previous"] == {"value": {"count": 3}, "text": "sentence 1", "url": "https://example.org/1",
                                "published": "2024-01-01", "sources": 1}
    assert {"topic", "subject", "kind", "previous", "current", "direction"} <= set(data)


def test_default_rates_use_units_per_dollar_and_the_nearest_year() -> None:
    rates = load_default_rates()
    assert rates.per_usd["INR"][2018] == Decimal("68.4")
    assert rates.to_usd(Money(Decimal("684"), "INR", Decimal(1)), date(2018, 6, 1)) == Decimal(10)
    assert rates.to_usd(Money(Decimal(1), "INR", Decimal(1)), date(2040, 1, 1)) is not None
    assert rates.to_usd(Money(Decimal(1), "XAU", Decimal(1)), date(2020, 1, 1)) is None


def test_configured_rates_override_defaults_per_year() -> None:
    merged = merge_rates(RATES, parse_rates({"INR": {"2018": 70.0}}, "config.toml"))
    assert merged.per_usd["INR"][2018] == Decimal("70.0")
    assert merged.per_usd["INR"][2024] == RATES.per_usd["INR"][2024]


@pytest.mark.parametrize("table", [
    {"inr": {"2018": 68.4}}, {"INR": 68.4}, {"INR": {"last": 68.4}}, {"INR": {"2018": -1}},
    {"INR": {"2018": "68"}}, [],
])
def test_parse_rates_rejects_bad_tables(table: object) -> None:
    with pytest.raises(ConfigError, match="config.toml"):
        parse_rates(table, "config.toml")


def test_exchange_rates_default_is_empty() -> None:
    assert ExchangeRates().to_usd(_usd("1", "1"), date(2020, 1, 1)) == Decimal(10**9)


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
    assert by_kind[ClaimKind.DELIVERY_SCHEDULE].current.claim.value == _year(2026, 2027)
    # 001 corroborates 004 for both; in December 2025, 003 ("USD 5 billion") and 002 ("by 2026-27") agree.
    assert by_kind[ClaimKind.DEAL_VALUE].current_sources == 3
    assert by_kind[ClaimKind.DELIVERY_SCHEDULE].current_sources == 3
    assert all(c.subject == "s400-2018-contract" for c in changes)
