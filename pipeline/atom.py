"""The change report as an Atom feed (RFC 4287), through feedgen only.

One entry per change. Its id is derived from what identifies the change
across recomputations and `claims rebuild` (topic, subject, kind, milestone
and the URL of the article whose reading made it: the same key as the
changes table), never from a row id or the time, so a feed reader shows a
change once however often the report is generated. The entry's `updated` is
the newer article's publication date: stable too, so a reader does not mark
an old change unread again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from feedgen.feed import FeedGenerator

from pipeline.report import ReportData, change_status, describe_value, safe_url, subject_title

FEED_ID = "urn:newswatch:changes"
# A fixed namespace: entry ids are UUIDv5 of the change's key, the same on every machine.
_NAMESPACE = uuid.UUID("6b1c3c3e-2f0e-5d4a-9a51-6e6577737761")
# Characters XML 1.0 does not allow (lxml refuses them): a page's title may carry any.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def change_entry_id(change: Mapping[str, Any]) -> str:
    """The stable Atom id of a change: a URN from topic, subject, kind, milestone and the newer article's URL."""
    key = "\x1f".join((str(change["topic"]), str(change["subject"]), str(change["kind"]),
                       str(change.get("milestone") or ""), str(change["current"]["url"])))
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}"


def change_title(change: Mapping[str, Any]) -> str:
    """"s400 / s400-2018-contract / deal value: higher, INR 400,000,000 -> USD 5,500,000,000 (confirmed)"."""
    confirmed = "confirmed" if change.get("confirmed") else "unconfirmed"
    return (f"{subject_title(change)}: {change['direction']}, {describe_value(change['previous']['value'])}"
            f" -> {describe_value(change['current']['value'])} ({confirmed})")


def change_content(change: Mapping[str, Any]) -> str:
    """The entry's text: both readings with their sentences, dates and sources, and how far it is confirmed."""
    lines = [f"{subject_title(change)} went {change['direction']} ({change_status(change)})."]
    review = change.get("review")
    if isinstance(review, str) and review:
        lines.append(f"Reviewed: {review}.")
    for label, side in (("Was", change["previous"]), ("Now", change["current"])):
        lines += ["", f"{label}: {describe_value(side['value'])}, reported {side['published']} by {side['url']}",
                  f"\u201c{side['text']}\u201d"]
    sources = change.get("sources") or []
    if sources:
        lines += ["", "Sources reporting the new value: " + ", ".join(str(s) for s in sources)]
    disputed = change.get("disputed_by") or []
    if disputed:
        lines.append("Disputed by: " + ", ".join(str(s) for s in disputed))
    return "\n".join(lines)


def render_atom(data: ReportData, *, title: str = "newswatch: changes in reported deals") -> str:
    """The report's changes as an Atom document (UTF-8 text), newest first."""
    feed = FeedGenerator()
    feed.id(FEED_ID)
    feed.title(title)
    feed.author({"name": "newswatch"})
    feed.subtitle("Shifts in reported values, dates and counts, with their sources")
    feed.updated(_aware(data.generated_at))
    feed.generator("newswatch")
    for change in data.changes:   # oldest first: feedgen prepends, so the document lists the newest first
        entry = feed.add_entry()
        entry.id(change_entry_id(change))
        entry.title(_xml_text(change_title(change)))
        entry.content(_xml_text(change_content(change)), type="text")
        when = _day(str(change["current"]["published"]))
        entry.updated(when)
        entry.published(when)
        link = safe_url(str(change["current"]["url"]))
        if link:
            entry.link(href=link, rel="alternate")
        entry.category(term=str(change["topic"]))
    document: bytes = feed.atom_str(pretty=True)
    return document.decode("utf-8")


def _day(value: str) -> datetime:
    return datetime.combine(date.fromisoformat(value), time(0, 0), tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(" ", text)
