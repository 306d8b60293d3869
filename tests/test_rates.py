"""Tests of exchange rates (pipeline.rates): the ECB's reference rates, the project table, config overrides."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.changes import find_changes
from pipeline.config import parse_settings
from pipeline.errors import ConfigError
from pipeline.rates import ExchangeRates, RateTable, default_rates, load_project_table, parse_rates
from pipeline.records import Claim, ClaimKind, Money, ReportedClaim

RATES = default_rates()


def _money(amount: str, currency: str, precision: str = "1") -> Money:
    return Money(Decimal(amount), currency, Decimal(precision))


def _deal(money: Money, published_on: date, article_id: int) -> ReportedClaim:
    claim = Claim(topic="deal", subject="contract", kind=ClaimKind.DEAL_VALUE, value=money, text="", start=0, end=1)
    return ReportedClaim(claim=claim, article_id=article_id, url=f"https://example.org/{article_id}", title="",
                         published_on=published_on, family_id=article_id)


@pytest.mark.parametrize(("currency", "on", "usd_per_unit"), [
    ("NOK", date(2020, 3, 19), Decimal("0.0877")),    # the krone's low of March 2020
    ("NOK", date(2021, 6, 1), Decimal("0.120")),
    ("JPY", date(2024, 7, 10), Decimal("0.00620")),   # the yen's low of July 2024
    ("JPY", date(2021, 1, 5), Decimal("0.00970")),
])
def test_ecb_rates_are_those_of_the_publication_date(currency: str, on: date, usd_per_unit: Decimal) -> None:
    rate = RATES.usd_per_unit(currency, on)
    assert rate is not None and abs(rate - usd_per_unit) <= usd_per_unit * Decimal("0.02")


def test_amounts_in_two_currencies_agree_at_the_rate_of_either_articles_date() -> None:
    # NOK 10 billion was USD 1.2 billion in June 2021 but USD 0.88 billion in March 2020: an outlet
    # repeating the 2021 conversion in 2020 (or later) restates the same value, not a new one.
    claims = [_deal(_money("1200000000", "USD", "100000000"), date(2021, 6, 1), 1),
              _deal(_money("10000000000", "NOK", "1000000000"), date(2021, 6, 2), 2)]
    assert find_changes(claims, RATES) == []
    march = [claims[0], _deal(_money("10000000000", "NOK", "1000000000"), date(2020, 3, 19), 2)]
    assert find_changes(march, RATES) == []
    # Disagreeing at both dates' rates is a change: NOK 20 billion is USD 1.8-2.4 billion.
    higher = [claims[0], _deal(_money("20000000000", "NOK", "1000000000"), date(2021, 6, 2), 2)]
    assert [c.direction for c in find_changes(higher, RATES)] == ["higher"]


def test_the_project_table_covers_the_rouble_after_the_ecb_stopped() -> None:
    rate = RATES.usd_per_unit("RUB", date(2024, 6, 1))
    assert rate == 1 / Decimal("92.6")
    before = RATES.usd_per_unit("RUB", date(2019, 6, 3))       # the ECB's, not the table's nearest year
    assert before is not None and Decimal("0.0150") < before < Decimal("0.0157")
    assert load_project_table().nearest("RUB", date(2019, 6, 3)) == (3, Decimal("68.5"))


def test_a_config_override_wins_over_the_ecb_for_its_year() -> None:
    settings = parse_settings({"exchange_rates": {"INR": {"2024": 50.0}}}, "config.toml", Path.cwd())
    assert settings.exchange_rates.usd_per_unit("INR", date(2024, 3, 1)) == 1 / Decimal("50.0")
    ecb = settings.exchange_rates.usd_per_unit("INR", date(2023, 3, 1))
    assert ecb is not None and Decimal("0.011") < ecb < Decimal("0.013")


def test_a_config_rate_makes_an_unknown_currency_comparable() -> None:
    rates = ExchangeRates(overrides=parse_rates({"XAF": {"2020": 600}}, "config.toml"))
    claims = [_deal(_money("1000000000", "USD", "100000000"), date(2022, 1, 1), 1),
              _deal(_money("600000000000", "XAF", "1000000000"), date(2022, 2, 1), 2)]
    assert find_changes(claims, rates) == []
    assert find_changes(claims, RATES) == []                        # without a rate: not compared at all
    assert RATES.usd_per_unit("XAF", date(2022, 1, 1)) is None


def test_without_the_ecb_only_the_tables_count() -> None:
    rates = ExchangeRates(table=RateTable({"NOK": {2020: Decimal(10)}}), use_ecb=False)
    assert rates.usd_per_unit("NOK", date(2024, 1, 1)) == Decimal("0.1")
    assert rates.usd_per_unit("JPY", date(2024, 1, 1)) is None


@pytest.mark.parametrize("table", [
    {"inr": {"2018": 68.4}}, {"INR": 68.4}, {"INR": {"last": 68.4}}, {"INR": {"2018": -1}},
    {"INR": {"2018": "68"}}, [],
])
def test_parse_rates_rejects_bad_tables(table: object) -> None:
    with pytest.raises(ConfigError, match="config.toml"):
        parse_rates(table, "config.toml")
