"""Article extraction from page bytes."""

from __future__ import annotations

from pipeline.demo import site_files
from pipeline.extract import extract_page


def test_a_demo_article_gives_title_text_date_and_canonical_url() -> None:
    html = site_files()["/articles/s400-schedule-2028.html"].replace(b"{base}", b"http://127.0.0.1:9")
    page = extract_page(html, "http://127.0.0.1:9/articles/s400-schedule-2028.html")
    assert page is not None
    assert page.title.startswith("Last two S-400 squadrons slip to 2028")
    assert "remaining two squadrons are now expected to arrive by 2028" in page.text
    assert "Copyright" not in page.text
    assert str(page.published_on) == "2026-03-10"
    assert page.canonical_url == "http://127.0.0.1:9/articles/s400-schedule-2028.html"


def test_pages_without_text_give_none() -> None:
    assert extract_page(site_files()["/articles/gallery.html"], "http://x/g") is None
    assert extract_page(b"\x89PNG\r\n\x1a\n\x00\x00binary", "http://x/p.png") is None
    assert extract_page(b"<div>" * 5000, "http://x/deep") is None
