"""Which currency a money word stands for: ISO 4217 codes, symbols and names from CLDR.

Everything comes from the Unicode CLDR data that Babel ships: the currencies
in legal tender today, their English names (singular and plural: "Danish
krone", "Danish kroner"), their symbols in English and in the territory's
own language ("A$", "NT$", "kr", "zł", "₩"), and the territory each belongs
to. The adjective in a currency's name ("Danish", "South Korean") names its
country, so "the Danish army" or "Norway" in an article tells which "kroner"
it means. Only what CLDR lacks is listed here (`_EXTRA_WORDS`): newsroom
spellings such as "Rs", "US$", "reais", "roubles".

A word several currencies share ("$", "kr", "kroner", "pesos", "¥") is read
from the countries the text and the topic's buyer name, else from
`_USUAL_READING` (a bare "$" is US dollars), else it is left unread: no claim
is better than a wrong currency.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError
from babel.languages import get_official_languages
from babel.numbers import get_currency_name, get_territory_currencies

# CLDR's currencies are those in legal tender on this day: the list changes
# rarely, and a fixed day keeps the reader's output the same on every machine.
_TENDER_ON = date(2025, 1, 1)

# Spellings newsrooms use that CLDR does not list, with the currencies they may mean.
_EXTRA_WORDS: dict[str, tuple[str, ...]] = {
    "rs": ("INR", "PKR", "LKR", "NPR"), "rs.": ("INR", "PKR", "LKR", "NPR"), "re": ("INR",),
    "`": ("INR",),            # the rupee sign as legacy Indian news fonts render it ("`40,000 crore")
    "us$": ("USD",), "u.s.$": ("USD",), "us dollars": ("USD",), "u.s. dollars": ("USD",),
    "american dollars": ("USD",), "au$": ("AUD",), "aud$": ("AUD",), "aus$": ("AUD",), "us $": ("USD",), "c$": ("CAD",), "can$": ("CAD",),
    "s$": ("SGD",), "hk$": ("HKD",), "nz$": ("NZD",), "nt$": ("TWD",), "mx$": ("MXN",),
    "reais": ("BRL",), "roubles": ("RUB",), "rouble": ("RUB",), "zloty": ("PLN",), "zlotys": ("PLN",),
    "zlotych": ("PLN",), "skr": ("SEK",), "bt": ("THB",), "baht": ("THB",), "renminbi": ("CNY",), "rmb": ("CNY",), "yuan": ("CNY",), "euros": ("EUR",),
    "euro": ("EUR",), "sterling": ("GBP",), "pounds sterling": ("GBP",), "lira": ("TRY",), "liras": ("TRY",),
    "kroner": ("DKK", "NOK"), "krone": ("DKK", "NOK"), "kronor": ("SEK",), "krona": ("SEK", "ISK"),
    "crowns": ("DKK", "NOK", "SEK", "CZK"), "crown": ("DKK", "NOK", "SEK", "CZK"), "korunas": ("CZK",), "koruna": ("CZK",),
    "won": ("KRW",), "yen": ("JPY",), "shekels": ("ILS",), "shekel": ("ILS",), "nis": ("ILS",),
    # Newsroom abbreviations of the Middle East and South Asia: "LE10 billion", "SR5 billion", "QR5 billion", "Tk 50 billion".
    "le": ("EGP", "SLE"), "l.e.": ("EGP",), "sr": ("SAR", "SCR"), "qr": ("QAR",), "tk": ("BDT",),
    "dh": ("AED", "MAD"), "dhs": ("AED", "MAD"),     # the Gulf's "Dh9.2bn", Morocco's "Dh" too
    "रुपये": ("INR",), "रुपए": ("INR",), "डॉलर": ("USD",),
}
# Newsroom words written before the number like symbols ("SKr 5.3 billion", "Bt19.5 billion", "Baht19 billion").
WRITTEN_BEFORE = frozenset({"skr", "bt", "baht", "tk", "nis", "qr", "le", "l.e.", "sr", "dh", "dhs"})
# When the text names no country that decides, the reading an English-language
# newsroom means by a shared word. Words missing here stay unread without context.
_USUAL_READING: dict[str, str] = {
    "$": "USD", "dollar": "USD", "dollars": "USD", "£": "GBP", "pound": "GBP", "pounds": "GBP",
    "¥": "JPY", "￥": "JPY", "rs": "INR", "rs.": "INR", "rupee": "INR", "rupees": "INR",
    "franc": "CHF", "francs": "CHF", "won": "KRW", "ruble": "RUB", "rubles": "RUB", "real": "BRL",
    "reals": "BRL", "riyal": "SAR", "riyals": "SAR", "dirham": "AED", "dirhams": "AED",
    "dinar": "KWD", "dinars": "KWD", "krona": "SEK", "kr": "SEK", "c$": "CAD", "le": "EGP", "sr": "SAR", "dh": "AED",
    "dhs": "AED",
}
# Countries' English names that CLDR does not give (it has "Türkiye", "United Kingdom").
_COUNTRY_ALIASES: dict[str, str] = {
    "turkey": "TRY", "america": "USD", "u.s.": "USD", "u.s.a.": "USD", "usa": "USD", "britain": "GBP",
    "great britain": "GBP", "uk": "GBP", "u.k.": "GBP", "korea": "KRW", "korean": "KRW", "czech republic": "CZK",
    "holland": "EUR", "burma": "MMK", "american": "USD", "british": "GBP", "turkish": "TRY",
    # Countries that share the euro get no adjective from their currency's name.
    "austrian": "EUR", "belgian": "EUR", "croatian": "EUR", "cypriot": "EUR", "dutch": "EUR", "estonian": "EUR",
    "finnish": "EUR", "french": "EUR", "german": "EUR", "greek": "EUR", "irish": "EUR", "italian": "EUR",
    "latvian": "EUR", "lithuanian": "EUR", "luxembourgish": "EUR", "maltese": "EUR", "portuguese": "EUR",
    "slovak": "EUR", "slovenian": "EUR", "spanish": "EUR", "israeli": "ILS", "emirati": "AED", "saudi": "SAR",
}
# ISO codes that are also English words: read only when written in capitals next to a number.
_WORD_LIKE_CODES = frozenset({"ALL", "TOP", "CUP", "PEN", "TRY", "MOP", "BOB", "SOS", "GEL", "MAD", "LAK",
                              "BAM", "MUR", "NAD", "AED", "CAD"})


@lru_cache(maxsize=256)   # one article's text is folded for its countries, its buyers and its sentences
def fold_accents(text: str) -> str:
    """Lower case without diacritics ("złoty" -> "zloty"), of the same length: offsets carry over."""
    if text.isascii():
        return text.lower()
    table: dict[int, str] = dict(_ASCII_LOWER)
    table.update((ord(c), _fold_char(c)) for c in set(text) if not c.isascii())
    return text.translate(table)


_ASCII_LOWER = {ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    if char in "łŁ":
        return "l"
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
    if len(base) == 1:
        return base
    low = char.lower()
    return low if len(low) == 1 else char


@dataclass(frozen=True, eq=False)   # compared by identity: built once, cached
class CurrencyLexicon:
    """Currency words and the territories that decide between them, built once from CLDR."""

    codes: frozenset[str]
    words: dict[str, frozenset[str]]          # folded name, noun or symbol -> currencies it may mean
    symbols: frozenset[str]                   # the keys of `words` that are symbols, not words
    country_names: dict[str, str]             # folded country name or adjective -> its currency
    adjectives: frozenset[str]                # the keys of `country_names` taken from currency names
    word_pattern: re.Pattern[str]             # every key of `words`, longest first

    def resolve(self, word: str, preferred: Iterable[str] = ()) -> str | None:
        """The currency `word` stands for, given the currencies the text's countries use."""
        folded = fold_accents(word.strip())
        folded = re.sub(r"\s+", " ", folded)
        if word.strip().isupper() and word.strip() in self.codes:
            return word.strip()
        candidates = self.words.get(folded) or self.words.get(folded.rstrip("."))
        if not candidates:
            return None
        if len(candidates) == 1:
            return next(iter(candidates))
        for currency in preferred:
            if currency in candidates:
                return currency
        usual = _USUAL_READING.get(folded)
        return usual if usual in candidates else None

    def resolve_with_country(self, adjective: str, word: str) -> str | None:
        """The currency of "Korean won", "Swedish kroner": the country's own when its noun is alike."""
        country = self.country_names.get(fold_accents(adjective.strip()))
        candidates = self.words.get(fold_accents(word.strip())) or frozenset()
        if country is None:
            return None
        if country in candidates:
            return country
        # "Swedish kroner" (kronor): the country's currency when the noun is a spelling of its own.
        stem = fold_accents(word.strip())[:4]
        own = [w for w, codes in self.words.items() if country in codes and w[:4] == stem]
        return country if own else None

    def currencies_named(self, text: str) -> list[str]:
        """The currencies of the countries a text names, in order of first mention."""
        found: list[str] = []
        for match in _country_pattern(self).finditer(fold_accents(text)):
            currency = self.country_names[match.group()]
            if currency not in found:
                found.append(currency)
        return found


@lru_cache(maxsize=1)
def currency_lexicon() -> CurrencyLexicon:
    """The lexicon from Babel's CLDR data (built once per process, about 50 ms)."""
    english = Locale("en")
    codes: set[str] = set()
    words: dict[str, set[str]] = {}
    symbols: set[str] = set()
    country_names: dict[str, str] = {}
    adjectives: set[str] = set()

    def add(word: str, currency: str, *, symbol: bool = False) -> None:
        key = fold_accents(word.strip())
        if not key or (symbol and len(key) == 1 and key.isalpha()):
            return      # a lone letter ("R" for the rand) is too often something else
        words.setdefault(key, set()).add(currency)
        if symbol:
            symbols.add(key)
            prefix = key[:-1]
            if key.endswith("$") and prefix.replace(".", "").isalpha() and (len(prefix) > 1 or prefix == "r"):
                # "R $ 37.1 billion", "NT $5 billion": the prefixed dollar sign set apart by a space (a single
                # letter only for the real: "Germany's $3.5 billion" is no Singapore dollar).
                words.setdefault(f"{prefix} $", set()).add(currency)
                symbols.add(f"{prefix} $")

    for territory, country in english.territories.items():
        if len(territory) != 2 or not territory.isalpha():
            continue        # regions such as "001" (world)
        try:
            tender = get_territory_currencies(territory, _TENDER_ON, tender=True)
        except KeyError:
            continue
        if not tender:
            continue
        local = tender[0]
        country_names.setdefault(fold_accents(country), local)
        for currency in tender:
            codes.add(currency)
            for language in get_official_languages(territory)[:1]:
                try:
                    native = Locale.parse(f"{language}_{territory}").currency_symbols.get(currency)
                except (UnknownLocaleError, ValueError):
                    native = None
                if native and native != currency:
                    add(native, currency, symbol=True)
    for currency in codes:
        symbol = english.currency_symbols.get(currency)
        if symbol and symbol != currency:
            add(symbol, currency, symbol=True)
        for count in (1, 2):
            name = get_currency_name(currency, count=count, locale="en")
            if name == currency:
                continue
            add(name, currency)
            adjective, _, noun = name.rpartition(" ")
            add(noun, currency)                     # "kroner", "dollars", "pesos"
            if adjective and count == 1 and adjective.lower() not in {"us", "new"}:
                # "Danish" in "Danish Krone" names Denmark; shared adjectives ("CFA") are dropped below.
                adjective = fold_accents(adjective.removeprefix("New "))
                country_names.setdefault(adjective, currency)
                adjectives.add(adjective)
    for name, currency in _COUNTRY_ALIASES.items():
        country_names.setdefault(name, currency)
    for word, currencies in _EXTRA_WORDS.items():
        for currency in currencies:
            add(word, currency, symbol=not any(c.isalpha() for c in word.replace("$", "")) or "$" in word)
    keys = sorted(words, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(k) for k in keys))
    return CurrencyLexicon(codes=frozenset(codes), words={k: frozenset(v) for k, v in words.items()},
                           symbols=frozenset(symbols), country_names=country_names,
                           adjectives=frozenset(adjectives), word_pattern=pattern)


@lru_cache(maxsize=1)
def _country_pattern(lexicon: CurrencyLexicon) -> re.Pattern[str]:
    names = sorted(lexicon.country_names, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def is_word_like_code(code: str) -> bool:
    """An ISO code that is also an English word ("ALL", "TRY"): read only beside a scale word."""
    return code in _WORD_LIKE_CODES
