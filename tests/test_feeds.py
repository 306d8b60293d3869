"""Feed parsing into typed entries (bytes only), and its failures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.errors import FeedError
from pipeline.feeds import parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link>
<item><title>One &amp; two</title><link>/a/1?x=1</link><guid>g1</guid>
<pubDate>Tue, 10 Mar 2026 06:00:00 GMT</pubDate><description>&lt;p&gt;Sum&lt;/p&gt;</description></item>
<item><title>Script</title><link>javascript:alert(1)</link><guid>g2</guid></item>
</channel></rss>"""


def test_entries_are_typed_with_absolute_http_links() -> None:
    first, second = parse_feed(RSS, feed_name="f", feed_url="http://127.0.0.1:8000/feed.xml")
    assert first.title == "One & two"
    assert first.link == "http://127.0.0.1:8000/a/1?x=1"
    assert first.guid == "g1"
    assert first.published_at == datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    assert second.link is None            # javascript: links are dropped (checklist F20)


def test_a_string_is_refused() -> None:
    with pytest.raises(TypeError):
        parse_feed("/etc/passwd", feed_name="f", feed_url="http://x/")  # type: ignore[arg-type]


@pytest.mark.parametrize(("body", "reason"), [
    (b"", "empty document"),
    (b"   \n", "empty document"),
    (b"<!doctype html><html><body>hello</body></html>", "HTML page"),
    (b"\x00\x01garbage", "not a feed"),
])
def test_what_is_not_a_feed_raises_with_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason):
        parse_feed(body, feed_name="f", feed_url="http://x/")


def test_latin1_declared_feed_is_decoded() -> None:
    body = '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>c</title>' \
           '<item><title>Café crème</title><link>http://x/1</link></item></channel></rss>'.encode("latin-1")
    (entry,) = parse_feed(body, feed_name="f", feed_url="http://x/")
    assert entry.title == "Café crème"


def test_a_surrogate_character_reference_is_a_feed_error_not_a_crash() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x&#xD800;</title></item></channel></rss>'
    try:
        entries = parse_feed(body, feed_name="f", feed_url="http://x/")
    except FeedError as exc:
        assert "unreadable feed" in str(exc) or "not a feed" in str(exc)
    else:
        assert len(entries) <= 1


def test_entries_are_capped() -> None:
    items = "".join(f"<item><title>t{i}</title><link>http://x/{i}</link></item>" for i in range(50))
    body = f'<rss version="2.0"><channel><title>c</title>{items}</channel></rss>'.encode()
    assert len(parse_feed(body, feed_name="f", feed_url="http://x/", max_entries=10)) == 10
