"""The alert job: after a pass, record one delivery per new change and matching alert, then POST what is pending.

    after_pass: the changes the pass found (not known before it, newer article
                not from the archive) x [[alerts]] that want them
                -> recorded (one transaction) -> POSTed, each marked sent once
                accepted (2xx), else retried with backoff: a few times now,
                then on every later pass until accepted

Recorded before sending, marked after: a crash between the two sends again,
with the same X-Newswatch-Delivery id (at least once). Owns its transactions,
like digest_job.py.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from pipeline import alerts
from pipeline.alerts import AlertEvent
from pipeline.config import AlertSettings
from pipeline.errors import FetchError
from pipeline.store import alerts as outbox
from pipeline.store.db import transaction

if TYPE_CHECKING:
    from pipeline.jobs import Resources

log = logging.getLogger(__name__)

ATTEMPTS_NOW = 3                       # within one pass; then on later passes
FIRST_BACKOFF = timedelta(seconds=2)   # doubled per attempt
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class AlertOutcome:
    """What one round of alerting did."""

    recorded: int = 0
    sent: int = 0
    pending: int = 0


def known_changes(res: Resources) -> set[outbox.ChangeIdentity]:
    """The changes known before a pass (nothing to look up without alerts)."""
    if not res.settings.alerts:
        return set()
    with transaction(res.sessions) as session:
        return outbox.change_identities(session)


def after_pass(res: Resources, known: set[outbox.ChangeIdentity]) -> AlertOutcome:
    """Record the deliveries of the changes found since `known`, then send every pending one that is due."""
    if not res.settings.alerts:
        return AlertOutcome()
    recorded = record_alerts(res, known)
    sent, pending = send_pending(res)
    return AlertOutcome(recorded=recorded, sent=sent, pending=pending)


def record_alerts(res: Resources, known: set[outbox.ChangeIdentity]) -> int:
    """One delivery per new change and alert that wants it (and, with `updates`, per later confirmation or
    withdrawal of an alerted change); returns how many were recorded."""
    now = res.clock()
    recorded = 0
    with transaction(res.sessions) as session:
        changes = outbox.stored_changes(session)
        by_key = {alerts.change_key(c.payload): c for c in changes}
        earlier = outbox.deliveries(session)
        for alert in res.settings.alerts:
            for change in changes:
                # Never the archive's baseline: a change is news when a fetched article made it.
                if change.identity in known or change.from_archive:
                    continue
                if alerts.wants(alert, change.payload, res.settings.exchange_rates):
                    recorded += _record(session, alert, change.payload, AlertEvent.CHANGE, now)
            if not alert.updates:
                continue
            for delivery in earlier:
                if delivery.alert != alert.name or delivery.event != AlertEvent.CHANGE:
                    continue
                current = by_key.get(delivery.change_key)
                if current is None:
                    recorded += _record(session, alert, delivery.change, AlertEvent.WITHDRAWN, now)
                elif not delivery.confirmed and current.payload.get("confirmed"):
                    recorded += _record(session, alert, current.payload, AlertEvent.CONFIRMED, now)
    return recorded


def _record(session: Session, alert: AlertSettings, change: dict[str, object], event: AlertEvent,
            now: datetime) -> int:
    key = alerts.change_key(change)
    delivery = alerts.delivery_id(alert, key, event)
    body = alerts.alert_body(alert, change, event, delivery)
    return int(outbox.record_delivery(session, outbox.NewDelivery(
        delivery_id=delivery, alert=alert.name, change_key=key, event=event.value,
        confirmed=bool(change.get("confirmed")), url=alert.url, body=body, change=change), now))


def send_pending(res: Resources) -> tuple[int, int]:
    """POST every pending delivery that is due; returns (sent, still pending)."""
    configured = {alert.name: alert for alert in res.settings.alerts}
    with transaction(res.sessions) as session:
        due = outbox.deliveries(session, status=outbox.PENDING, due_by=res.clock())
    sent = 0
    for delivery in due:
        alert = configured.get(delivery.alert)
        for attempt in range(ATTEMPTS_NOW):
            error, retry_now = _post(res, alert, delivery)
            if error is None:
                with transaction(res.sessions) as session:
                    outbox.mark_sent(session, delivery.id, res.clock())
                sent += 1
                break
            log.warning("alert %s: delivery %s failed: %s", delivery.alert, delivery.delivery_id, error)
            with transaction(res.sessions) as session:
                attempts = delivery.attempts + attempt + 1
                outbox.mark_failed(session, delivery.id, error, res.clock() + _backoff(attempts))
            if not retry_now or attempt == ATTEMPTS_NOW - 1:
                break
            pause((FIRST_BACKOFF * 2 ** attempt).total_seconds())
    with transaction(res.sessions) as session:
        pending = len(outbox.deliveries(session, status=outbox.PENDING))
    return sent, pending


def _post(res: Resources, alert: AlertSettings | None, delivery: outbox.Delivery) -> tuple[str | None, bool]:
    """One POST; (None, _) when accepted, else (why, whether to try again at once)."""
    if alert is None:
        return f"no [[alerts]] named {delivery.alert!r} in the config any more; not sent", False
    headers = {"Content-Type": "application/json; charset=utf-8", alerts.DELIVERY_HEADER: delivery.delivery_id,
               alerts.EVENT_HEADER: delivery.event}
    if alert.secret_env:
        secret = os.environ.get(alert.secret_env)
        if not secret:
            return f"${alert.secret_env} is not set (the alert's secret_env); set it to sign the alerts", False
        headers[alerts.SIGNATURE_HEADER] = alerts.sign(delivery.body, secret)
    try:
        status = res.fetcher.post(delivery.url, delivery.body, headers)
    except FetchError as exc:
        return exc.reason, exc.retryable
    except Exception as exc:  # one broken delivery never stops the others
        log.exception("alert %s: delivery %s", delivery.alert, delivery.delivery_id)
        return f"internal error: {type(exc).__name__}: {exc}", False
    if 200 <= status < 300:
        return None, False
    return f"HTTP {status}", True


def pause(seconds: float) -> None:
    """Wait between attempts within a pass (tests replace it: they pass no time)."""
    time.sleep(seconds)


def _backoff(attempts: int) -> timedelta:
    backoff: timedelta = min(FIRST_BACKOFF * 2 ** min(attempts, 20), MAX_BACKOFF)
    return backoff
