"""Claims over time -> changes and where each subject stands (pure).

The rules are the spec's ("Change report JSON", ../shared/spec/interface.md).
Readings are compared per topic, subject, kind and, for schedules, milestone
(none compared as `last`; windows that only say when deliveries start apart
from those with a deadline, since the two are never compared), in order of
publication: date, then time, then the lower URL, so that any arrival order
and any number of workers give the same result. Each article gives one
reading per group: for schedules the window of its non-historical sentences
together, for amounts and counts its non-historical values.

A value is known by its first reading; later readings are tested against
that one (agreement is not transitive). Each reading then

- agrees with the current value: corroborates it;
- agrees with no earlier value: a change at once, unconfirmed until a second
  independent source reports it;
- agrees only with an earlier value: a disagreement (the current change is
  `disputed_by` it). It is a change back only when, counting independent
  sources since the current value was first reported, more report it than
  report the current value; an unconfirmed change outnumbered so is
  withdrawn instead. Delivered counts never go back.

Independent sources are outlets (`ReportedClaim.outlet`: a site, a feed, an
archive file); copies of one text (one `family_id`) count once, under the
outlet of the first of them.

Agreement:
- amounts: within one unit of the last written digit of the less precise
  ("$5.5 billion" ~ "USD 5 billion"); across currencies, in US dollars at the
  rate of each article's date (pipeline/rates.py), within 10 %;
- schedules: `latest` (`earliest` when both give only a start) at the coarser
  precision of the two, a financial year counting as the year it ends in;
- counts: equal.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from pipeline.claims import claim_value_json
from pipeline.rates import ExchangeRates
from pipeline.records import (
    Change,
    ClaimKind,
    Consensus,
    Count,
    Disagreement,
    Milestone,
    Money,
    ReportedClaim,
    Window,
)

# Changes are kept incrementally (jobs.py reassesses only the groups new claims
# touch): bump this when the rules below change, so that stored databases are
# reassessed whole once.
RULES_VERSION = "2026-12-02.2"   # amounts agree at either article's rate; direction from the first reading
CURRENCY_TOLERANCE = Decimal("0.10")   # spec: amounts in different currencies agree within 10 %
CONFIRMING_SOURCES = 2                 # spec: confirmed once a second independent source agrees
_PRECISION_RANK = {"day": 1, "month": 2, "year": 3}

# (topic, subject, kind, milestone as compared, basis: "latest" or "earliest" for schedules)
_GroupKey = tuple[str, str, ClaimKind, Milestone | None, str]


@dataclass(frozen=True)
class Assessment:
    """What the claims come to: every change, and each subject's consensus."""

    changes: list[Change]
    subjects: list[Consensus]


def find_changes(claims: Sequence[ReportedClaim], rates: ExchangeRates) -> list[Change]:
    """Every change in the claims, in publication order."""
    return assess_claims(claims, rates).changes


def assess_claims(claims: Sequence[ReportedClaim], rates: ExchangeRates,
                  pinned: Collection[int] = frozenset()) -> Assessment:
    """Replay the claims in publication order: changes, and where each subject stands.

    `pinned` are claim ids an analyst pinned (pipeline/review.py): from its
    reading on, a pinned value is its subject's current value, confirmed, and
    only a value no one reported before displaces it.
    """
    ordered = sorted(claims, key=_order)
    sources = _source_keys(ordered)
    groups: dict[_GroupKey, dict[int, list[ReportedClaim]]] = {}
    for reported in ordered:
        if reported.claim.historical:
            continue
        articles = groups.setdefault(_group_key(reported), {})
        articles.setdefault(reported.article_id, []).append(reported)
    changes: list[Change] = []
    subjects: list[Consensus] = []
    for key in sorted(groups, key=_group_sort):
        readings = [_reading(items, sources, rates) for items in groups[key].values()]
        replay = _Replay(key[2], rates, frozenset(pinned))
        for reading in readings:
            replay.take(reading)
        changes += replay.changes(key)
        consensus = replay.consensus(key)
        if consensus is not None:
            subjects.append(consensus)
    changes.sort(key=lambda ch: (_order(ch.current), ch.topic, ch.subject, ch.kind,
                                 ch.milestone.value if ch.milestone else ""))
    return Assessment(changes=changes, subjects=subjects)


def _order(reported: ReportedClaim) -> tuple[date, bool, float, str, int]:
    """Publication date, then time (articles without one first), then the lower URL."""
    at = reported.published_at
    return (reported.published_on, at is not None, at.timestamp() if at else 0.0, reported.url,
            reported.claim.start)


def _source_keys(ordered: Iterable[ReportedClaim]) -> dict[int, str]:
    """The independent source of each family: the outlet of its first article (else its URL)."""
    keys: dict[int, str] = {}
    for reported in ordered:
        keys.setdefault(reported.family_id, reported.outlet or reported.url)
    return keys


def _group_key(reported: ReportedClaim) -> _GroupKey:
    c = reported.claim
    if isinstance(c.value, Window):
        basis = "latest" if c.value.latest is not None else "earliest"
        return (c.topic, c.subject, c.kind, c.value.milestone or Milestone.LAST, basis)
    return (c.topic, c.subject, c.kind, None, "")


def _group_sort(key: _GroupKey) -> tuple[str, str, str, str, str]:
    return (key[0], key[1], key[2].value, key[3].value if key[3] else "", key[4])


# --- one article's reading ----------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """One value an article reports in a group (schedules: its merged window)."""

    reported: ReportedClaim
    usd: Decimal | None        # amounts: in US dollars at the article's date (None: no known rate)
    rates: ExchangeRates | None = None   # to convert at the other reading's date as well


@dataclass(frozen=True)
class _Reading:
    """One article's reading in a group: its values, its source and its claims."""

    candidates: tuple[_Candidate, ...]
    source: str
    claim_ids: tuple[int, ...]

    @property
    def url(self) -> str:
        return self.candidates[0].reported.url


def _reading(article_claims: list[ReportedClaim], sources: dict[int, str], rates: ExchangeRates) -> _Reading:
    first = article_claims[0]
    ids = tuple(r.claim_id for r in article_claims if r.claim_id is not None)
    source = sources[first.family_id]
    if first.claim.kind is ClaimKind.DELIVERY_SCHEDULE:
        windows = [r.claim.value for r in article_claims if isinstance(r.claim.value, Window)]
        merged = _merge(windows)
        shown = next(r for r in article_claims if isinstance(r.claim.value, Window)
                     and r.claim.value.latest == merged.latest
                     and (merged.latest is not None or r.claim.value.earliest == merged.earliest))
        return _Reading((_Candidate(replace(shown, claim=replace(shown.claim, value=merged)), None),), source, ids)
    distinct: list[_Candidate] = []
    for reported in article_claims:
        if all(reported.claim.value != d.reported.claim.value for d in distinct):
            value = reported.claim.value
            usd = rates.to_usd(value, reported.published_on) if isinstance(value, Money) else None
            distinct.append(_Candidate(reported, usd, rates))
    return _Reading(tuple(distinct), source, ids)


def _merge(windows: list[Window]) -> Window:
    """One article's window for a milestone: the latest deadline, the earliest start."""
    latest = max((w.latest for w in windows if w.latest), default=None)
    earliest = None if any(w.earliest is None for w in windows) else min(w.earliest for w in windows if w.earliest)
    if latest is None and earliest is None:
        earliest = min((w.earliest for w in windows if w.earliest), default=None)
    precision = max((w.precision for w in windows if w.latest == latest),
                    key=lambda p: _PRECISION_RANK.get(p, 0))
    return Window(earliest=earliest, latest=latest, precision=precision, milestone=windows[0].milestone)


# --- the replay of one group -----------------------------------------------------------------


@dataclass
class _Value:
    """A known value: its first reading, and every reading that agreed with it (with its position)."""

    first: _Candidate
    readings: list[tuple[int, _Reading, _Candidate]] = field(default_factory=list)

    def sources_since(self, start: int) -> dict[str, str]:
        """Independent sources that reported it from position `start` on: source -> first URL."""
        found: dict[str, str] = {}
        for position, reading, _ in self.readings:
            if position >= start:
                found.setdefault(reading.source, reading.url)
        return found

    def last_before(self, position: int) -> tuple[_Reading, _Candidate]:
        """Its latest reading before `position`."""
        before = [(r, c) for p, r, c in self.readings if p < position]
        return before[-1] if before else (self.readings[0][1], self.readings[0][2])


@dataclass
class _Shift:
    """A change: from one value to another, with the state it replaced (to restore on withdrawal)."""

    previous: _Value
    value: _Value
    reading: _Reading
    candidate: _Candidate
    position: int
    replaced: _Shift | None
    replaced_window: int
    support: dict[str, str] = field(default_factory=dict)     # source -> first URL
    disputes: dict[str, str] = field(default_factory=dict)
    withdrawn: bool = False
    pinned: bool = False                                      # an analyst pinned its value: confirmed

    @property
    def confirmed(self) -> bool:
        return self.pinned or len(self.support) >= CONFIRMING_SOURCES


class _Replay:
    """The rules applied to one group's readings, one at a time, in publication order."""

    def __init__(self, kind: ClaimKind, rates: ExchangeRates, pinned: frozenset[int] = frozenset()) -> None:
        self.kind = kind
        self.rates = rates
        self.pinned = pinned
        self.pinned_value: _Value | None = None   # the value an analyst pinned, while it is current
        self.values: list[_Value] = []
        self.current: _Value | None = None
        self.shift: _Shift | None = None          # the change that made `current` current
        self.window = 0                           # sources are counted from this position on
        self.shifts: list[_Shift] = []
        self.position = 0

    def take(self, reading: _Reading) -> None:
        """Apply the rules to the next reading."""
        position, self.position = self.position, self.position + 1
        pin = self._pinned_candidate(reading)
        if pin is not None:
            self._pin(reading, pin, position)
            return
        if self.current is None:
            value = _Value(reading.candidates[0])
            value.readings.append((position, reading, reading.candidates[0]))
            self.values.append(value)
            self.current, self.window = value, position
            return
        current = self.current
        orders = [(c, _compare(current.first, c)) for c in reading.candidates]
        agreeing = next((c for c, order in orders if order == 0), None)
        if agreeing is not None:
            current.readings.append((position, reading, agreeing))
            if self.shift is not None:
                self.shift.support.setdefault(reading.source, reading.url)
            return
        earlier = self._earlier_agreeing(reading)
        comparable = [(c, order) for c, order in orders if order is not None]
        if earlier is not None:
            value, candidate = earlier
            value.readings.append((position, reading, candidate))
            self._dispute(reading, value)
            return
        if not comparable:
            return                    # not comparable with the current value (no exchange rate): it stands
        same_currency = [(c, o) for c, o in comparable if _currency(c) == _currency(current.first)]
        candidate, order = (same_currency or comparable)[0]
        new = _Value(candidate)
        new.readings.append((position, reading, candidate))
        self.values.append(new)
        if self.kind is ClaimKind.UNITS_DELIVERED and order is not None and order < 0:
            self._dispute(reading, new)          # deliveries do not go backwards
            return
        self._shift_to(new, reading, candidate, position, window=position,
                       support={reading.source: reading.url})

    def _pinned_candidate(self, reading: _Reading) -> _Candidate | None:
        """The reading's pinned value, when an analyst pinned one of its claims."""
        if not self.pinned or not any(i in self.pinned for i in reading.claim_ids):
            return None
        return next((c for c in reading.candidates if c.reported.claim_id in self.pinned), reading.candidates[0])

    def _pin(self, reading: _Reading, candidate: _Candidate, position: int) -> None:
        """A pinned reading: its value becomes the current one, confirmed (a change when it differs)."""
        current = self.current
        if current is None or _compare(current.first, candidate) == 0:
            if current is None:
                current = _Value(candidate)
                self.values.append(current)
                self.current, self.window = current, position
            current.readings.append((position, reading, candidate))
            if self.shift is not None:
                self.shift.support.setdefault(reading.source, reading.url)
                self.shift.pinned = True
            self.pinned_value = current
            return
        value = next((v for v in reversed(self.values) if v is not current and _compare(v.first, candidate) == 0),
                     None)
        window = self.window
        if value is None:
            value, window = _Value(candidate), position
            self.values.append(value)
        value.readings.append((position, reading, candidate))
        self._shift_to(value, reading, candidate, position, window=window,
                       support=value.sources_since(window))
        assert self.shift is not None
        self.shift.pinned = True
        self.pinned_value = value

    def _earlier_agreeing(self, reading: _Reading) -> tuple[_Value, _Candidate] | None:
        """The most recently known earlier value one of the reading's values agrees with."""
        for value in reversed(self.values):
            if value is self.current:
                continue
            for candidate in reading.candidates:
                if _compare(value.first, candidate) == 0:
                    return value, candidate
        return None

    def _dispute(self, reading: _Reading, value: _Value) -> None:
        """A reading of an earlier (or a lower delivered) value: a disagreement, or a change back."""
        if self.shift is not None:
            self.shift.disputes.setdefault(reading.source, reading.url)
        if self.pinned_value is not None and self.pinned_value is self.current:
            return                        # a pinned value is not outnumbered: disagreements only
        while self.current is not None and value is not self.current:
            current = self.current
            if self.kind is ClaimKind.UNITS_DELIVERED and (_compare(current.first, value.first) or 0) < 0:
                return                    # deliveries do not go backwards
            theirs, ours = value.sources_since(self.window), current.sources_since(self.window)
            if len(theirs) <= len(ours):
                return
            shift = self.shift
            if shift is not None and not shift.confirmed:
                # Outnumbered before anyone confirmed it: withdrawn; what it replaced stands again.
                shift.withdrawn = True
                self.current, self.shift, self.window = shift.previous, shift.replaced, shift.replaced_window
                continue
            position, candidate = value.readings[-1][0], value.readings[-1][2]
            # A change back: the count goes on from the same start, so the camp it
            # left needs new sources to win again (no flip-flop).
            self._shift_to(value, value.readings[-1][1], candidate, position, window=self.window, support=theirs)
            return

    def _shift_to(self, value: _Value, reading: _Reading, candidate: _Candidate, position: int, *,
                  window: int, support: dict[str, str]) -> None:
        assert self.current is not None
        shift = _Shift(previous=self.current, value=value, reading=reading, candidate=candidate, position=position,
                       replaced=self.shift, replaced_window=self.window, support=dict(support))
        self.shifts.append(shift)
        self.current, self.shift, self.window = value, shift, window

    def changes(self, key: _GroupKey) -> list[Change]:
        """The changes that stand (withdrawn ones left out)."""
        topic, subject, kind, milestone, _ = key
        found = []
        for shift in self.shifts:
            if shift.withdrawn:
                continue
            previous_reading, previous = shift.previous.last_before(shift.position)
            current = shift.candidate
            found.append(Change(
                topic=topic, subject=subject, kind=kind, milestone=milestone,
                previous=previous.reported, current=current.reported,
                direction=_direction(kind, _change_order(shift.previous, previous, current)),
                confirmed=shift.confirmed, sources=tuple(shift.support.values()),
                disputed_by=tuple(shift.disputes.values()),
                previous_claim_ids=previous_reading.claim_ids, current_claim_ids=shift.reading.claim_ids))
        return found

    def consensus(self, key: _GroupKey) -> Consensus | None:
        """Where the subject stands now: the current value, who agrees, what else was reported since."""
        if self.current is None:
            return None
        topic, subject, kind, milestone, _ = key
        others = []
        for value in self.values:
            if value is self.current:
                continue
            since = value.sources_since(self.window)
            if since:
                others.append(Disagreement(value=value.first.reported.claim.value, sources=tuple(since.values())))
        return Consensus(topic=topic, subject=subject, kind=kind, milestone=milestone,
                         value=self.current.first.reported.claim.value,
                         sources=tuple(self.current.sources_since(self.window).values()),
                         disagreeing=tuple(others))


# --- agreement -------------------------------------------------------------------------------


def _currency(candidate: _Candidate) -> str | None:
    value = candidate.reported.claim.value
    return value.currency if isinstance(value, Money) else None


def _compare(before: _Candidate, after: _Candidate) -> int | None:
    """-1, 0 or 1 as `after` is lower/earlier, agrees, higher/later; None if not comparable."""
    a, b = before.reported.claim.value, after.reported.claim.value
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
        if a.currency == b.currency:
            if abs(b.amount - a.amount) <= max(a.precision, b.precision):
                return 0
            return 1 if b.amount > a.amount else -1
        usd_a, usd_b = before.usd, after.usd
        if usd_a is None or usd_b is None:
            return None               # a currency with no known rate compares only with itself
        if _agree_in_usd(usd_a, usd_b) or _agree_at_one_date(before, after):
            return 0
        return 1 if usd_b > usd_a else -1
    return None


def _agree_in_usd(usd_a: Decimal, usd_b: Decimal) -> bool:
    return abs(usd_b - usd_a) <= CURRENCY_TOLERANCE * max(usd_a, usd_b)


def _agree_at_one_date(before: _Candidate, after: _Candidate) -> bool:
    """Do two amounts in different currencies agree at the rate of either article's date?

    A contract's value is fixed in one currency; an outlet that repeats its
    conversion from the signing year ("Rs 40,000 crore" for a $5.43 billion
    deal of 2018) restates the same value, though the rupee has fallen since.
    Comparing at one date only (the spec's rule) made every such repeat a change.
    """
    rates = before.rates or after.rates
    a, b = before.reported.claim.value, after.reported.claim.value
    if rates is None or not isinstance(a, Money) or not isinstance(b, Money):
        return False
    for on in (before.reported.published_on, after.reported.published_on):
        usd_a, usd_b = rates.to_usd(a, on), rates.to_usd(b, on)
        if usd_a is not None and usd_b is not None and _agree_in_usd(usd_a, usd_b):
            return True
    return False


def _date_key(day: date, precision: str) -> tuple[int, ...]:
    if precision == "year":
        return (day.year,)
    if precision == "month":
        return (day.year, day.month)
    return (day.year, day.month, day.day)


def _change_order(value: _Value, previous: _Candidate, current: _Candidate) -> int:
    """Which way a change goes: against the previous value's last reading, else its first, else exactly.

    Two readings may agree at their coarser precision ("2026" and "March 2026")
    while the change disagrees with the value as first reported.
    """
    for before in (previous, value.first):
        order = _compare(before, current)
        if order:
            return order
    a, b = previous.reported.claim.value, current.reported.claim.value
    if isinstance(a, Window) and isinstance(b, Window):
        ka, kb = a.latest or a.earliest, b.latest or b.earliest
        if ka and kb:
            return (kb > ka) - (kb < ka)
    return 0


def _direction(kind: ClaimKind, order: int) -> str:
    if kind is ClaimKind.DELIVERY_SCHEDULE:
        return "later" if order > 0 else "earlier"
    return "higher" if order > 0 else "lower"


# --- JSON --------------------------------------------------------------------------------------


def change_json(change: Change) -> dict[str, object]:
    """The spec's JSON object for one change."""
    return {
        "topic": change.topic, "subject": change.subject, "kind": change.kind.value,
        "milestone": change.milestone.value if change.milestone else None,
        "previous": _side_json(change.previous, change.previous_claim_ids),
        "current": _side_json(change.current, change.current_claim_ids),
        "direction": change.direction, "confirmed": change.confirmed,
        "sources": list(change.sources), "disputed_by": list(change.disputed_by),
    }


def _side_json(reported: ReportedClaim, claim_ids: tuple[int, ...]) -> dict[str, object]:
    return {"value": claim_value_json(reported.claim.value), "text": reported.claim.text,
            "url": reported.url, "published": reported.published_on.isoformat(), "claim_ids": list(claim_ids)}


def consensus_json(consensus: Consensus) -> dict[str, object]:
    """The spec's JSON object for one subject in the report's `subjects`."""
    return {"topic": consensus.topic, "subject": consensus.subject, "kind": consensus.kind.value,
            "milestone": consensus.milestone.value if consensus.milestone else None,
            "value": claim_value_json(consensus.value), "sources": list(consensus.sources),
            "disagreeing": [{"value": claim_value_json(d.value), "sources": list(d.sources)}
                            for d in consensus.disagreeing]}
