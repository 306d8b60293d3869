"""The digest job: load what is new, render it, and send it exactly once per date.

    send_digest: digest lock -> already sent? -> load (since the last sent digest)
                 -> render -> record pending -> SMTP -> mark sent

Exactly once (checklist E1, E2, S12): the `digests` row for a date (unique)
is written before the message goes out and marked `sent` only after the
server accepted it. A failure leaves it pending: the next attempt sends it,
with the same Message-ID. If the process dies between the server's 250 and
the commit of `sent`, the next attempt sends it again (at-least-once, and a
mail client can drop the copy by its Message-ID); newswatch prefers a rare
duplicate to a lost digest. Two concurrent senders are kept apart by the
"digest" lock (pipeline/locks.py); the loser exits at once.

This module lives beside jobs.py (which composes the polling pass) and
follows its rules: it composes stages and owns its transactions; the
digest's content is built by the pure pipeline/digest.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pipeline import digest, locks, mail
from pipeline.errors import MailError
from pipeline.jobs import Resources
from pipeline.store import digests as store
from pipeline.store import queries
from pipeline.store.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestOutcome:
    """What `send_digest` did: sent, already_sent, or empty (nothing to send)."""

    digest_on: date
    status: str
    subject: str
    recipients: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()


def digest_date(res: Resources, at: datetime | None = None) -> date:
    """Today (or the day of `at`) in the digest's timezone: the key of one digest."""
    moment = at or res.clock()
    return moment.astimezone(ZoneInfo(res.settings.digest.timezone)).date()


def load_digest(res: Resources, digest_on: date) -> digest.DigestInput:
    """Everything stored since the last digest sent before `digest_on`, up to now."""
    with transaction(res.sessions) as session:
        # Taken so that no article or change committed later can carry an
        # earlier timestamp than this digest's end (it would fall between two digests).
        queries.lock_article_writes(session)
        end = res.clock()
        start = store.last_sent_end(session, digest_on)
        article_rows = store.new_articles(session, start, end)
        mentioning = store.mentioning_ids(session, [a.id for a in article_rows])
        topics = queries.article_topics(session, mentioning)
        articles = tuple(
            digest.DigestArticle(url=a.url, title=a.title, published_on=a.published_on,
                                 topics=tuple(topics.get(a.id, [])), story_id=a.story_id or a.id, source=a.source)
            for a in article_rows if a.id in mentioning)
        changes = tuple(digest.change_from_json(row.payload) for row in store.new_changes(session, start, end))
        subjects = tuple(digest.subject_from_json(payload) for payload in queries.consensus_payloads(session))
        names = [f.name for f in res.settings.feeds]
        failing = tuple(
            digest.FeedHealth(name=f.name, consecutive_errors=f.consecutive_errors, last_error=f.last_error,
                              last_success_at=f.last_success_at, disabled_reason=f.disabled_reason,
                              next_poll_at=f.next_poll_at)
            for f in store.failing_feeds(session, names))
    return digest.DigestInput(
        digest_on=digest_on, window_start=start, window_end=end, timezone=res.settings.digest.timezone,
        changes=changes, subjects=subjects, articles=articles, other_articles=len(article_rows) - len(articles),
        failing_feeds=failing, feeds_total=len(names),
        topic_names={t.id: t.name for t in res.settings.topics})


def render_digest(res: Resources, digest_on: date) -> digest.Digest:
    """The digest for a date as it would be sent now (nothing recorded)."""
    return digest.build_digest(load_digest(res, digest_on))


def preview_message(res: Resources, digest_on: date) -> str:
    """The whole email as it would be sent now (RFC 5322 text), nothing recorded."""
    rendered = render_digest(res, digest_on)
    letter = mail.Letter(subject=rendered.subject, text=rendered.text, html=rendered.html)
    msg = mail.compose_message(letter, res.settings.digest, message_id=mail.new_message_id(res.settings.digest),
                               sent_at=res.clock())
    return msg.as_string()


def send_digest(res: Resources, digest_on: date, *, force: bool = False) -> DigestOutcome:
    """Send the digest for a date once (again only with `force`); MailError leaves it pending."""
    settings = res.settings.digest
    with locks.hold(locks.engine_of(res.sessions), "digest"):
        with transaction(res.sessions) as session:
            row = store.digest_row(session, digest_on)
            if row is not None and row.status == store.SENT and not force:
                return DigestOutcome(digest_on, "already_sent", row.subject)
            message_id = row.message_id if row is not None and row.status == store.PENDING else ""
        data = load_digest(res, digest_on)
        rendered = digest.build_digest(data)
        window = (data.window_start, data.window_end)
        if rendered.is_empty and not settings.send_empty:
            with transaction(res.sessions) as session:
                store.record_skipped(session, digest_on, window=window, now=res.clock())
            return DigestOutcome(digest_on, "empty", rendered.subject)
        letter = mail.Letter(subject=rendered.subject, text=rendered.text, html=rendered.html)
        # A retry keeps its Message-ID (a duplicate after a crash can be recognised);
        # a first attempt or a forced resend gets a new one.
        message_id = message_id or mail.new_message_id(settings)
        msg = mail.compose_message(letter, settings, message_id=message_id, sent_at=res.clock())
        with transaction(res.sessions) as session:
            store.record_pending(session, digest_on, window=window, now=res.clock(), message_id=message_id,
                                 subject=rendered.subject)
        try:
            delivery = mail.send_message(msg, settings)
        except MailError as exc:
            log.error("digest for %s not sent: %s", digest_on, exc)
            with transaction(res.sessions) as session:
                store.record_failure(session, digest_on, str(exc))
            raise
        with transaction(res.sessions) as session:
            store.mark_sent(session, digest_on, res.clock())
    log.info("digest for %s sent to %d recipient(s)", digest_on, len(settings.to) - len(delivery.refused))
    return DigestOutcome(digest_on, "sent", rendered.subject, recipients=tuple(settings.to),
                         refused=delivery.refused)


def is_digest_done(res: Resources, digest_on: date) -> bool:
    """True when the digest for this date was sent, or there was nothing to send."""
    with transaction(res.sessions) as session:
        row = store.digest_row(session, digest_on)
        return row is not None and row.status in (store.SENT, store.SKIPPED)


def is_digest_skipped(res: Resources, digest_on: date) -> bool:
    """True when the digest for this date ran and found nothing to send (and nothing was sent since)."""
    with transaction(res.sessions) as session:
        row = store.digest_row(session, digest_on)
        return row is not None and row.status == store.SKIPPED
