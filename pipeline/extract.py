"""Article HTML -> text and metadata. The only module that imports trafilatura.

Pages are fetched by our own guarded client and handed over as bytes:
trafilatura's own `fetch_url` follows redirects to internal addresses
(adbar/trafilatura#910).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import trafilatura
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura import metadata

log = logging.getLogger(__name__)


# Below this many characters a page is a consent wall, a teaser or an error
# page rather than an article (checklist H8); it is recorded as "no text".
MIN_TEXT_CHARS = 200


@dataclass(frozen=True)
class PageText:
    """What trafilatura found in one page."""

    title: str
    text: str
    published_on: date | None
    canonical_url: str | None


def extract_page(html: bytes, url: str) -> PageText | None:
    """Extract the main text of a page; None when it has no usable text.

    The page is parsed once and the tree shared: trafilatura extracts the text
    from its own copy of it, and the title, canonical URL and date are read
    from the original. trafilatura's `with_metadata` would cost a third of
    the extraction again (author, categories, tags and licence searches we
    never use: 9.7 ms of 29 ms per page on the extraction benchmark).
    """
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return None
        # On the 181 pages of ../shared/data/extraction-benchmark, with the
        # benchmark's own 4-gram metric (python -m benchmarks.extraction_quality):
        # F1 0.962 as called here, 0.960 for bare `trafilatura.extract`. Tables
        # are article text (a delivery schedule is often one): without them 0.959.
        # fast=True skips the justext/readability fallbacks, which cost more and
        # scored lower here (0.960 with tables).
        document = trafilatura.bare_extraction(tree, url=url, fast=True, include_comments=False,
                                               include_tables=True)
        text = (getattr(document, "text", None) or "").replace("\x00", "").strip()
        if len(text) < MIN_TEXT_CHARS:
            return None
        title, page_url = _title_and_url(tree, url)
        # Dates from the page's markup only (meta tags, JSON-LD, <time>, the URL):
        # htmldate's extensive search also reads dates out of the article text, and
        # dated a page whose story says "signed in 2018" 2018-01-01. With no markup
        # date, the feed's date is used instead (prepare.py); future dates are refused there.
        published = find_date(tree, url=page_url, original_date=True, extensive_search=False)
    except Exception:  # trafilatura and htmldate raise on some broken markup (checklist H9)
        log.warning("extraction failed for %s", url, exc_info=True)
        return None
    return PageText(title=" ".join((title or "").split()), text=text, published_on=_parse_date(published),
                    canonical_url=page_url or None)


def _title_and_url(tree: HtmlElement, url: str) -> tuple[str | None, str | None]:
    """The page's title and URL as trafilatura's `extract_metadata` finds them, and nothing else.

    Same precedence: meta tags (OpenGraph first), then JSON-LD, then the
    title/h1 elements and the canonical link.
    """
    found = metadata.examine_meta(tree)
    try:
        found = metadata.extract_meta_json(tree, found)
    except Exception:  # trafilatura guards its JSON-LD reader the same way
        log.debug("JSON-LD metadata unreadable in %s", url, exc_info=True)
    found.title = found.title or metadata.extract_title(tree)
    found.url = found.url or metadata.extract_url(tree, url)
    found.clean_and_trim()
    return found.title, found.url


def _parse_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
