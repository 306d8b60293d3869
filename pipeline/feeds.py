"""Feed bytes -> typed entries. The only module that imports feedparser.

feedparser is given the undecoded bytes we fetched ourselves, never a `str`
(a string is opened as a path or URL: reliability checklist §1.1), with the
HTTP Content-Type so it can apply the charset rules of RFC 7303.
"""

from __future__ import annotations

import calendar
import logging
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from pipeline.errors import FeedError
from pipeline.records import Entry

log = logging.getLogger(__name__)

MAX_URL_LENGTH = 2048      # Media Cloud's MAX_URL: longer links are junk or attacks
MAX_TITLE_LENGTH = 1000
MAX_SUMMARY_LENGTH = 20_000


def parse_feed(body: bytes, *, feed_name: str, feed_url: str, content_type: str | None = None,
               max_entries: int = 200) -> list[Entry]:
    """Parse feed bytes into entries; raise FeedError when they are not a usable feed."""
    if not isinstance(body, bytes):  # feedparser would open a str as a file or URL
        raise TypeError("parse_feed takes the fetched bytes, not text")
    if not body.strip():
        raise FeedError("empty document: the server sent no feed")
    # No content-location: feedparser would resolve GUIDs against it, and a
    # GUID is an identifier, not a link. Links are resolved in `_clean_link`.
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True,
                                  resolve_relative_uris=False)
    except Exception as exc:  # feedparser raises on some malformed input (checklist §1.2)
        raise FeedError(f"unreadable feed: {type(exc).__name__}: {exc}") from exc
    version = parsed.get("version") or ""
    entries_raw = parsed.get("entries") or []
    if not version and not entries_raw:
        raise FeedError(_not_a_feed_reason(body, parsed))
    if parsed.get("bozo"):
        log.info("feed %s is not well-formed (%s); keeping the %d entries feedparser recovered",
                 feed_name, _bozo_reason(parsed), len(entries_raw))
    entries: list[Entry] = []
    for raw in entries_raw[:max_entries]:
        entry = _to_entry(raw, feed_name, feed_url)
        if entry is not None:
            entries.append(entry)
    if len(entries_raw) > max_entries:
        log.warning("feed %s has %d entries; only the first %d are read",
                    feed_name, len(entries_raw), max_entries)
    return entries


def _to_entry(raw: Any, feed_name: str, feed_url: str) -> Entry | None:
    raw_link = raw.get("link")
    if raw_link is not None and raw_link == raw.get("id") and urlsplit(str(raw_link)).scheme not in ("http", "https"):
        # feedparser makes a link of a <guid> (isPermaLink defaults to true); a
        # GUID like "item-42" is a name, not a URL relative to the feed.
        raw_link = None
    link = _clean_link(raw_link, feed_url)
    guid = raw.get("id") or None
    if isinstance(guid, str):
        guid = guid.strip()[:MAX_URL_LENGTH] or None
    title = _clean_text(raw.get("title"), MAX_TITLE_LENGTH)
    summary = _clean_text(raw.get("summary"), MAX_SUMMARY_LENGTH)
    if link is None and guid is None and not title:
        return None
    return Entry(feed_name=feed_name, guid=guid if isinstance(guid, str) else None, link=link,
                 title=title, summary=summary, published_at=_entry_time(raw))


def _clean_link(value: Any, feed_url: str) -> str | None:
    """An absolute http(s) link, or None (javascript:, data:, file: are dropped)."""
    if not isinstance(value, str) or not value.strip():
        return None
    base = feed_url if urlsplit(feed_url).scheme in ("http", "https") else ""
    link = urljoin(base, value.strip()) if base else value.strip()
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(link) > MAX_URL_LENGTH:
        return None
    return link


def _clean_text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", "").split())[:limit]


def _entry_time(raw: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # dict.get, not FeedParserDict's: asking it for a missing `updated_parsed`
        # answers `published_parsed` with a DeprecationWarning (feedparser issue 310).
        value = dict.get(raw, key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError, OSError):
                continue
    return None


def _bozo_reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}" if exc else "not well-formed"


def _not_a_feed_reason(body: bytes, parsed: Any) -> str:
    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "not a feed: the server sent an HTML page"
    if parsed.get("bozo"):
        return f"not a feed: broken XML that could not be recovered ({_bozo_reason(parsed)})"
    return "not a feed: no RSS, Atom or RDF document found"
