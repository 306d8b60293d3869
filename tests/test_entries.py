"""Which feed entries are new (pipeline/entries.py): keys, GUID collisions, seen, retried and taken URLs."""

from __future__ import annotations

from pipeline.entries import MAX_PAGE_ATTEMPTS, entry_key, key_entries, new_entries
from pipeline.records import Entry, SeenEntry


def _entry(guid: str | None, link: str | None, title: str = "t") -> Entry:
    return Entry(feed_name="f", guid=guid, link=link, title=title, summary="s", published_at=None)


def _urls(keyed: dict[str, tuple[str, Entry]]) -> dict[str, str]:
    return {link: link.lower() for link, _ in keyed.values()}


def test_an_entry_is_keyed_by_guid_then_link_then_its_text() -> None:
    assert entry_key(_entry("g1", "https://a/1")) == "g1"
    assert entry_key(_entry(None, "https://a/1")) == "https://a/1"
    assert entry_key(_entry(None, None)).startswith("sha256:")


def test_entries_without_a_link_are_left_out_and_one_guid_on_two_links_keeps_both() -> None:
    keyed = key_entries([_entry("g", "https://a/1"), _entry("g", "https://a/2"), _entry("h", None),
                         _entry("k", "https://a/3"), _entry("k", "https://a/3", title="again")])
    assert list(keyed) == ["g https://a/1", "g https://a/2", "k"]
    assert keyed["k"][1].title == "t"                        # the first of a key is kept


def test_seen_entries_are_not_new_unless_their_download_failed_fewer_than_max_times() -> None:
    keyed = key_entries([_entry("a", "https://a/1"), _entry("b", "https://a/2"), _entry("c", "https://a/3")])
    seen = {"a": SeenEntry("article", 1), "b": SeenEntry("fetch_failed", 1),
            "c": SeenEntry("fetch_failed", MAX_PAGE_ATTEMPTS)}
    assert [n.key for n in new_entries(keyed, _urls(keyed), seen, set())] == ["b"]


def test_a_taken_url_or_one_already_picked_in_this_feed_is_not_new() -> None:
    keyed = key_entries([_entry("a", "https://a/1"), _entry("b", "https://A/1"), _entry("c", "https://a/2"),
                         _entry("d", "https://a/3")])
    new = new_entries(keyed, _urls(keyed), {}, {"https://a/2"})
    assert [(n.key, n.url) for n in new] == [("a", "https://a/1"), ("d", "https://a/3")]
