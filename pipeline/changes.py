"""Claims over time -> changes (pure): when a reported value or date shifts.

Claims are compared per (topic, subject, kind) in order of publication (ties:
article id), archive and fetched articles alike. Each article contributes one
reading per group: for schedules the window of all its non-historical
sentences together, for amounts and counts its non-historical values. A
reading that agrees with the most recent known value corroborates it; one
that disagrees is a change. The agreement rules are the spec's ("Change
report JSON", ../shared/spec/interface.md):

- amounts: within one unit of the last written digit of the less precise
  ("$5.5 billion" ~ "USD 5 billion"); across currencies, in US dollars at the
  rate of each article's year, within 10 %;
- schedules: `latest` at the coarser precision of the two, a financial year
  counting as the year it ends in;
- counts: equal.

Independent sources are counted by `family_id`: copies share one.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from types import MappingProxyType
from typing import Any

from pipeline.claims import claim_value_json
from pipeline.errors import ConfigError
from pipeline.records import Change, ClaimKind, ClaimValue, Count, Money, ReportedClaim, Window

DEFAULT_RATES_FILE = "exchange_rates.toml"
CURRENCY_TOLERANCE = Decimal("0.10")   # spec: amounts in different currencies agree within 10 %
_PRECISION_RANK = {"day": 1, "month": 2, "year": 3}


@dataclass(frozen=True)
class ExchangeRates:
    """Units of each currency per one US dollar, by year (yearly averages)."""

    per_usd: Mapping[str, Mapping[int, Decimal]] = field(default_factory=dict)

    def to_usd(self, money: Money, on: date) -> Decimal | None:
        """The amount in US dollars at the rate of `on`'s year (nearest year known); None if unknown."""
        if money.currency == "USD":
            return money.amount
        by_year = self.per_usd.get(money.currency)
        if not by_year:
            return None
        year = min(by_year, key=lambda y: (abs(y - on.year), -y))
        return money.amount / by_year[year]


def load_default_rates() -> ExchangeRates:
    """The rates shipped in `pipeline/exchange_rates.toml`."""
    source = resources.files("pipeline").joinpath(DEFAULT_RATES_FILE)
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    return parse_rates(raw.get("rates", {}), str(source))


def parse_rates(table: Any, source: str) -> ExchangeRates:
    """Validate a table like `{INR = {2018 = 68.4}}` (units per US dollar); errors name the key."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: exchange rates must be a table like {{INR = {{2018 = 68.4}}}}")
    rates: dict[str, Mapping[int, Decimal]] = {}
    for currency, years in table.items():
        where = f"{source}: exchange_rates.{currency}"
        if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
            raise ConfigError(f"{where}: currency must be an ISO 4217 code such as INR")
        if not isinstance(years, Mapping):
            raise ConfigError(f"{where}: must be a table of year = units per US dollar")
        by_year: dict[int, Decimal] = {}
        for year, rate in years.items():
            if not (str(year).isdigit() and 1900 <= int(year) <= 2200):
                raise ConfigError(f"{where}.{year}: key must be a year such as 2018")
            try:
                value = Decimal(str(rate))
            except InvalidOperation:
                value = Decimal(0)
            if isinstance(rate, bool) or not isinstance(rate, int | float) or value <= 0:
                raise ConfigError(f"{where}.{year}: must be a positive number of {currency} per US dollar")
            by_year[int(year)] = value
        rates[currency] = MappingProxyType(by_year)
    return ExchangeRates(per_usd=MappingProxyType(rates))


def merge_rates(base: ExchangeRates, override: ExchangeRates) -> ExchangeRates:
    """Rates from the config replace the defaults year by year."""
    merged: dict[str, Mapping[int, Decimal]] = {}
    for currency in set(base.per_usd) | set(override.per_usd):
        years = dict(base.per_usd.get(currency, {}))
        years.update(override.per_usd.get(currency, {}))
        merged[currency] = MappingProxyType(years)
    return ExchangeRates(per_usd=MappingProxyType(merged))


@dataclass
class _Run:
    """Consecutive readings that agree: one reported value and its sources."""

    first: ReportedClaim
    last: ReportedClaim
    families: set[int]


def find_changes(claims: Sequence[ReportedClaim], rates: ExchangeRates) -> list[Change]:
    """Every change in the claims, in publication order."""
    groups: dict[tuple[str, str, ClaimKind], dict[tuple[date, int], list[ReportedClaim]]] = {}
    for reported in claims:
        if reported.claim.historical:
            continue
        c = reported.claim
        articles = groups.setdefault((c.topic, c.subject, c.kind), {})
        articles.setdefault((reported.published_on, reported.article_id), []).append(reported)
    changes: list[Change] = []
    for (topic, subject, kind), articles in groups.items():
        runs: list[_Run] = []
        for key in sorted(articles):
            readings = _readings(sorted(articles[key], key=lambda r: r.claim.start))
            if not runs:
                runs.append(_Run(readings[0], readings[0], {readings[0].family_id}))
                continue
            run = runs[-1]
            outcome = _match(run.last, readings, rates)
            if outcome is None:
                continue                      # not comparable (no exchange rate): known value stands
            agreeing, current = outcome
            if agreeing:
                run.last = current
                run.families.add(current.family_id)
            else:
                runs.append(_Run(current, current, {current.family_id}))
        for before, after in zip(runs, runs[1:]):
            direction = _direction(kind, before.last, after.first, rates)
            changes.append(Change(topic=topic, subject=subject, kind=kind, previous=before.last,
                                  current=after.first, direction=direction,
                                  previous_sources=len(before.families),
                                  current_sources=len(after.families)))
    changes.sort(key=lambda ch: (ch.current.published_on, ch.current.article_id, ch.topic, ch.subject, ch.kind))
    return changes


def _readings(article_claims: list[ReportedClaim]) -> list[ReportedClaim]:
    """One article's reading: one merged window, or its distinct values in order."""
    first = article_claims[0]
    if first.claim.kind is ClaimKind.DELIVERY_SCHEDULE:
        windows = [r.claim.value for r in article_claims if isinstance(r.claim.value, Window)]
        merged = _merge(windows)
        source = next(r for r in article_claims
                      if isinstance(r.claim.value, Window) and r.claim.value.latest == merged.latest)
        return [replace(source, claim=replace(source.claim, value=merged))]
    distinct: list[ReportedClaim] = []
    for reported in article_claims:
        if all(reported.claim.value != d.claim.value for d in distinct):
            distinct.append(reported)
    return distinct


def _merge(windows: list[Window]) -> Window:
    latest = max((w.latest for w in windows if w.latest), default=None)
    earliest = None if any(w.earliest is None for w in windows) else min(w.earliest for w in windows if w.earliest)
    precision = max((w.precision for w in windows if w.latest == latest),
                    key=lambda p: _PRECISION_RANK.get(p, 0))
    return Window(earliest=earliest, latest=latest, precision=precision)


def _match(known: ReportedClaim, readings: list[ReportedClaim],
           rates: ExchangeRates) -> tuple[bool, ReportedClaim] | None:
    """(True, the agreeing value) or (False, the value that disagrees); None if none compares."""
    compared = [(r, _compare(known, r, rates)) for r in readings]
    for reported, order in compared:
        if order == 0:
            return True, reported
    disagreeing = [r for r, order in compared if order is not None]
    if not disagreeing:
        return None
    same_currency = [r for r in disagreeing if _currency(r.claim.value) == _currency(known.claim.value)]
    return False, (same_currency or disagreeing)[0]


def _currency(value: ClaimValue) -> str | None:
    return value.currency if isinstance(value, Money) else None


def _compare(before: ReportedClaim, after: ReportedClaim, rates: ExchangeRates) -> int | None:
    """-1, 0 or 1 as `after` is lower/earlier, agrees, higher/later; None if not comparable."""
    a, b = before.claim.value, after.claim.value
    if isinstance(a, Window) and isinstance(b, Window):
        coarser = max(a.precision, b.precision, key=lambda p: _PRECISION_RANK.get(p, 0))
        # On `latest`; on `earliest` when both give only when deliveries start.
        pair = ((a.latest, b.latest) if a.latest and b.latest
                else (a.earliest, b.earliest) if a.latest is None and b.latest is None else (None, None))
        if pair[0] is None or pair[1] is None:
            return None
        ka, kb = _date_key(pair[0], coarser), _date_key(pair[1], coarser)
        return (kb > ka) - (kb < ka)
    if isinstance(a, Count) and isinstance(b, Count):
        return (b.count > a.count) - (b.count < a.count)
    if isinstance(a, Money) and isinstance(b, Money):
        return _compare_money(a, before.published_on, b, after.published_on, rates)
    return None


def _compare_money(a: Money, a_on: date, b: Money, b_on: date, rates: ExchangeRates) -> int | None:
    if a.currency == b.currency:
        if abs(b.amount - a.amount) <= max(a.precision, b.precision):
            return 0
        return 1 if b.amount > a.amount else -1
    usd_a, usd_b = rates.to_usd(a, a_on), rates.to_usd(b, b_on)
    if usd_a is None or usd_b is None:
        return None
    if abs(usd_b - usd_a) <= CURRENCY_TOLERANCE * max(usd_a, usd_b):
        return 0
    return 1 if usd_b > usd_a else -1


def _date_key(day: date, precision: str) -> tuple[int, ...]:
    if precision == "year":
        return (day.year,)
    if precision == "month":
        return (day.year, day.month)
    return (day.year, day.month, day.day)


def _direction(kind: ClaimKind, before: ReportedClaim, after: ReportedClaim, rates: ExchangeRates) -> str:
    order = _compare(before, after, rates) or 0
    if kind is ClaimKind.DELIVERY_SCHEDULE:
        return "later" if order > 0 else "earlier"
    return "higher" if order > 0 else "lower"


def change_json(change: Change) -> dict[str, object]:
    """The spec's JSON object for one change; `sources` counts independent sources per value."""
    return {
        "topic": change.topic, "subject": change.subject, "kind": change.kind.value,
        "previous": _side_json(change.previous, change.previous_sources),
        "current": _side_json(change.current, change.current_sources),
        "direction": change.direction,
    }


def _side_json(reported: ReportedClaim, sources: int) -> dict[str, object]:
    return {"value": claim_value_json(reported.claim.value), "text": reported.claim.text,
            "url": reported.url, "published": reported.published_on.isoformat(), "sources": sources}
