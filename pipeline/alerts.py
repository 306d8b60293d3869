"""Which changes an alert wants, and what is posted for them (pure).

One POST per change and alert (and, with `updates`, once more when the change
is confirmed or withdrawn later). The delivery id is derived from the alert,
the change and the event, so it is the same on every retry and on every
machine; the body is fixed when the delivery is recorded. With a secret, the
body is signed with HMAC-SHA256 (`X-Newswatch-Signature: sha256=<hex>`, the
form GitHub's webhooks use), so the receiver can check who sent it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pipeline.config import AlertSettings
from pipeline.rates import ExchangeRates
from pipeline.records import Money
from pipeline.report import describe_value, subject_title

if TYPE_CHECKING:
    from pipeline.store.alerts import Delivery

DELIVERY_HEADER = "X-Newswatch-Delivery"
SIGNATURE_HEADER = "X-Newswatch-Signature"
EVENT_HEADER = "X-Newswatch-Event"
_NAMESPACE = uuid.UUID("0d5f3b8e-52c1-5b0e-8a1e-616c65727473")


class AlertEvent(StrEnum):
    """Why a change is posted."""

    CHANGE = "change"            # found by a pass
    CONFIRMED = "confirmed"      # an alerted unconfirmed change, confirmed since (updates = true)
    WITHDRAWN = "withdrawn"      # an alerted change no longer in the report (updates = true)


def change_key(change: Mapping[str, Any]) -> str:
    """What identifies a change across recomputations: topic, subject, kind, milestone, the newer article's URL."""
    parts = (str(change["topic"]), str(change["subject"]), str(change["kind"]), str(change.get("milestone") or ""),
             str(change["current"]["url"]))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def delivery_id(alert: AlertSettings, key: str, event: AlertEvent) -> str:
    """The delivery's id: the same for every retry of one change's event to one alert."""
    return str(uuid.uuid5(_NAMESPACE, f"{alert.name}\x1f{key}\x1f{event.value}"))


def wants(alert: AlertSettings, change: Mapping[str, Any], rates: ExchangeRates) -> bool:
    """Does the change pass the alert's topics, kinds and thresholds?"""
    if alert.topics and change["topic"] not in alert.topics:
        return False
    if alert.kinds and change["kind"] not in alert.kinds:
        return False
    if change["kind"] == "deal_value" and alert.min_change_pct > 0:
        pct = change_pct(change, rates)
        return pct is None or pct >= alert.min_change_pct   # no rate to compare: better said than missed
    if change["kind"] == "delivery_schedule" and alert.min_slip_months > 0:
        months = slip_months(change)
        return months is None or abs(months) >= alert.min_slip_months
    return True


def change_pct(change: Mapping[str, Any], rates: ExchangeRates) -> float | None:
    """How far an amount moved, in percent of the previous one (across currencies in US dollars)."""
    before, after = _usd(change["previous"], rates), _usd(change["current"], rates)
    if before is None or after is None or before == 0:
        return None
    return float(abs(after - before) / before * 100)


def slip_months(change: Mapping[str, Any]) -> int | None:
    """How many months a schedule moved (negative: earlier), on the deadline, else the start."""
    def when(side: Mapping[str, Any]) -> date | None:
        value = side["value"]
        text = value.get("latest") or value.get("earliest")
        return date.fromisoformat(text) if text else None
    before, after = when(change["previous"]), when(change["current"])
    if before is None or after is None:
        return None
    return (after.year - before.year) * 12 + after.month - before.month


def _usd(side: Mapping[str, Any], rates: ExchangeRates) -> Decimal | None:
    value = side["value"]
    if "amount" not in value:
        return None
    money = Money(amount=Decimal(str(value["amount"])), currency=str(value["currency"]), precision=Decimal(1))
    return rates.to_usd(money, date.fromisoformat(str(side["published"])))


def summary_line(change: Mapping[str, Any], event: AlertEvent) -> str:
    """One line a person reads in a chat: what shifted, from what to what, confirmed or not."""
    state = "confirmed" if change.get("confirmed") else "unconfirmed"
    lead = {AlertEvent.CHANGE: "", AlertEvent.CONFIRMED: "Now confirmed: ",
            AlertEvent.WITHDRAWN: "Withdrawn: "}[event]
    return (f"{lead}{subject_title(change)} {change['direction']}: {describe_value(change['previous']['value'])}"
            f" -> {describe_value(change['current']['value'])} ({state}; {change['current']['url']})")


def alert_body(alert: AlertSettings, change: Mapping[str, Any], event: AlertEvent, delivery: str) -> bytes:
    """The POST body: the change JSON with the event (json), or a Slack incoming webhook's text (slack)."""
    line = summary_line(change, event)
    if alert.format == "slack":
        current = change["current"]
        text = f"*newswatch*: {line}\n>{' '.join(str(current['text']).split())}"
        return json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
    return json.dumps({"event": event.value, "delivery": delivery, "confirmed": bool(change.get("confirmed")),
                       "summary": line, "change": dict(change)}, ensure_ascii=False).encode("utf-8")


def sign(body: bytes, secret: str) -> str:
    """`sha256=<hex>`: HMAC-SHA256 of the body with the alert's secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def render_deliveries(deliveries: Sequence[Delivery], configured: Sequence[AlertSettings]) -> str:
    """`newswatch alerts`: what was sent, what is pending and why, newest last."""
    if not configured and not deliveries:
        return "no alerts configured (add [[alerts]] with a webhook url to the config file)"
    if not deliveries:
        return f"{len(configured)} alert(s) configured; nothing posted yet (changes found by later passes are)"
    lines = []
    for d in deliveries:
        title = summary_line(d.change, AlertEvent(d.event)) if d.change else d.change_key
        if d.status == "sent":
            state = f"SENT {_when(d.sent_at)} after {d.attempts} attempt(s)"
        else:
            state = (f"PENDING since {_when(d.created_at)}: {d.attempts} attempt(s)"
                     + (f", last error: {d.last_error}" if d.last_error else "")
                     + f"; next attempt at the first pass after {_when(d.next_attempt_at)}")
        lines.append(f"{d.alert} [{d.event}] {' '.join(title.split())}\n  {state}\n  delivery {d.delivery_id}")
    return "\n".join(lines)


def delivery_json(d: Delivery) -> dict[str, object]:
    """One delivery for programs (`alerts --format json`)."""
    return {"alert": d.alert, "delivery": d.delivery_id, "event": d.event, "status": d.status,
            "attempts": d.attempts, "last_error": d.last_error, "created_at": _iso(d.created_at),
            "next_attempt_at": _iso(d.next_attempt_at) if d.status != "sent" else None,
            "sent_at": _iso(d.sent_at), "change": d.change}


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None
