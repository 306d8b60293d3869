"""Exchange rates: an amount in any currency -> US dollars on a given date.

Three sources, the first that covers a currency on a date wins (spec,
"Change report JSON"):

1. `[exchange_rates]` in the config (units per US dollar, by year);
2. the European Central Bank's daily reference rates, shipped offline inside
   the `currencyconverter` package (every currency the ECB publishes, from
   1999 or when it began publishing it, to the package's release; weekends
   and holidays interpolated);
3. the project's table `pipeline/exchange_rates.toml` (by year) for what the
   ECB lacks: the rouble since March 2022, years before the ECB began
   publishing a currency.

A currency none of them covers on that date takes the nearest year of the
config or project table, else the nearest ECB date; with none at all it has
no rate (None) and is compared only with itself. This module is the only one
that imports `currency_converter`; its objects never leave it.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from pipeline.errors import ConfigError
from pipeline.records import Money

PROJECT_RATES_FILE = "exchange_rates.toml"


@dataclass(frozen=True)
class RateTable:
    """Units of each currency per one US dollar, by year (yearly averages)."""

    per_usd: Mapping[str, Mapping[int, Decimal]] = field(default_factory=dict)

    def exact(self, currency: str, on: date) -> Decimal | None:
        """Units per dollar in `on`'s year, if the table has that year."""
        return self.per_usd.get(currency, {}).get(on.year)

    def nearest(self, currency: str, on: date) -> tuple[int, Decimal] | None:
        """(distance in years, units per dollar) of the nearest year known (ties: the later year)."""
        by_year = self.per_usd.get(currency)
        if not by_year:
            return None
        year = min(by_year, key=lambda y: (abs(y - on.year), -y))
        return abs(year - on.year), by_year[year]


@dataclass(frozen=True)
class ExchangeRates:
    """Config overrides, then the ECB's reference rates, then the project table."""

    overrides: RateTable = field(default_factory=RateTable)
    table: RateTable = field(default_factory=RateTable)
    use_ecb: bool = True

    def usd_per_unit(self, currency: str, on: date) -> Decimal | None:
        """US dollars per unit of `currency` on `on`; None when no source knows the currency."""
        if currency == "USD":
            return Decimal(1)
        exact = self.overrides.exact(currency, on)
        if exact is not None:
            return 1 / exact
        ecb = _ecb_rates() if self.use_ecb else None
        if ecb is not None and ecb.covers(currency, on):
            return ecb.usd_per_unit(currency, on)
        exact = self.table.exact(currency, on)
        if exact is not None:
            return 1 / exact
        # Nothing for that date: the nearest year of the tables (config first on ties), else the ECB's nearest day.
        near = [n for n in (self.overrides.nearest(currency, on), self.table.nearest(currency, on)) if n]
        if near:
            return 1 / min(near, key=lambda n: n[0])[1]
        if ecb is not None and ecb.knows(currency):
            return ecb.usd_per_unit(currency, on)
        return None

    def fingerprint(self) -> str:
        """A digest of the tables and sources: what was compared at other rates is compared again."""
        tables = [sorted((currency, sorted(years.items())) for currency, years in t.per_usd.items())
                  for t in (self.overrides, self.table)]
        return hashlib.sha256(repr((tables, self.use_ecb)).encode()).hexdigest()

    def to_usd(self, money: Money, on: date) -> Decimal | None:
        """The amount in US dollars at the rate of `on`; None when the currency has no known rate."""
        rate = self.usd_per_unit(money.currency, on)
        return None if rate is None else money.amount * rate


class _EcbRates:
    """The ECB reference rates of the `currencyconverter` package (parsed once: about 0.6 s)."""

    def __init__(self) -> None:
        # Imported on first use: settings carry an ExchangeRates, and loading
        # settings must stay cheap for commands that never convert money.
        from currency_converter import CurrencyConverter

        self._converter = CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)
        self._bounds: dict[str, tuple[date, date]] = {
            currency: (b.first_date, b.last_date) for currency, b in self._converter.bounds.items()}
        self._file_ends: date = max(last for _, last in self._bounds.values())

    def knows(self, currency: str) -> bool:
        """True when the ECB ever published the currency."""
        return currency in self._bounds

    def covers(self, currency: str, on: date) -> bool:
        """True when the ECB published the currency on `on`, or still publishes it (a date past the file)."""
        bounds = self._bounds.get(currency)
        if bounds is None or on < bounds[0]:
            return False
        # A currency the ECB stopped publishing (the rouble in March 2022) is not covered after it stopped.
        return on <= bounds[1] or bounds[1] == self._file_ends

    def usd_per_unit(self, currency: str, on: date) -> Decimal:
        """Dollars per unit on `on` (the nearest published day outside the file's range)."""
        return Decimal(str(self._converter.convert(1, currency, "USD", date=on)))


@cache
def _ecb_rates() -> _EcbRates:
    # Cached for the life of the process: the rates are read-only data shipped
    # with the package, and parsing its zip costs more than a whole pass's comparisons.
    return _EcbRates()


@cache
def load_project_table() -> RateTable:
    """The rates shipped in `pipeline/exchange_rates.toml` (read once per process; the table is immutable)."""
    source = resources.files("pipeline").joinpath(PROJECT_RATES_FILE)
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    return parse_rates(raw.get("rates", {}), str(source))


def default_rates() -> ExchangeRates:
    """The ECB's rates and the project table, without config overrides."""
    return ExchangeRates(table=load_project_table())


def parse_rates(table: Any, source: str) -> RateTable:
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
    return RateTable(per_usd=MappingProxyType(rates))
