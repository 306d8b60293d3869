"""Which feed entries are new (pure): keyed by GUID or link, checked against what is stored.

    entries --key_entries--> {key: (link, entry)} --(store: seen keys, known URLs)--> new_entries

The store answers which keys this feed has seen and which canonical URLs are
known; the rules of what counts as new live here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from pipeline.records import Entry, SeenEntry

MAX_PAGE_ATTEMPTS = 3           # a page that fails to download is retried on the next passes


@dataclass(frozen=True)
class NewEntry:
    """An entry to fetch: its key in the feed, its link and canonical URL."""

    key: str
    link: str
    url: str
    entry: Entry


def entry_key(entry: Entry) -> str:
    """GUID, else link, else a hash of the text (checklist F16), scoped to the feed by the caller."""
    if entry.guid:
        return entry.guid
    if entry.link:
        return entry.link
    return "sha256:" + hashlib.sha256(f"{entry.title}\n{entry.summary}".encode()).hexdigest()


def key_entries(entries: Sequence[Entry]) -> dict[str, tuple[str, Entry]]:
    """Entries with a link by their key, the first of each key kept; entries without one are left out.

    One GUID on several links (checklist F13) keys each by GUID and link:
    keyed by GUID alone, every item but the first would be dropped without a trace.
    """
    links: dict[str, set[str]] = {}
    for entry in entries:
        if entry.link:
            links.setdefault(entry_key(entry), set()).add(entry.link)
    keyed: dict[str, tuple[str, Entry]] = {}
    for entry in entries:
        if not entry.link:
            continue  # nothing to fetch (checklist F15); counted by the caller
        key = entry_key(entry)
        if len(links[key]) > 1:
            key = f"{key} {entry.link}"
        keyed.setdefault(key, (entry.link, entry))
    return keyed


def is_retry(seen: SeenEntry) -> bool:
    """A page whose download failed is tried again, up to MAX_PAGE_ATTEMPTS times."""
    return seen.outcome == "fetch_failed" and seen.attempts < MAX_PAGE_ATTEMPTS


def new_entries(keyed: Mapping[str, tuple[str, Entry]], urls: Mapping[str, str], seen: Mapping[str, SeenEntry],
                taken: Collection[str]) -> list[NewEntry]:
    """Entries neither seen in this feed (unless to retry) nor under a `taken` canonical URL (stored,
    or on its way from an earlier feed), each URL once; `urls` maps each link to its canonical URL."""
    new: list[NewEntry] = []
    claimed: set[str] = set()
    for key, (link, entry) in keyed.items():
        earlier = seen.get(key)
        if earlier is not None and not is_retry(earlier):
            continue
        url = urls[link]
        if url in taken or url in claimed:
            continue
        claimed.add(url)
        new.append(NewEntry(key=key, link=link, url=url, entry=entry))
    return new
