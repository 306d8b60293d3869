"""The change report's article section: stories with each article's own headline (Markdown and HTML)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline import report
from pipeline.records import FeedState, ListedArticle

STORY = [{"url": "archive:001_533bc7422a99475d.txt", "title": "Russia in talks on more S-400 units",
          "published": "2025-09-04", "topics": ["s400"], "story": "story-1"},
         {"url": "https://paper.example/b", "title": "Deal for two more S-400 squadrons close",
          "published": "2026-03-10", "topics": ["s400", "summit"], "story": "story-1"},
         {"url": "https://other.example/c", "title": "Monsoon forecast raised", "published": "2026-03-11",
          "topics": ["weather"], "story": "story-3"}]
DATA = report.ReportData(generated_at=datetime(2026, 3, 13, 8, tzinfo=UTC), since=None, changes=[], articles=STORY)


def test_markdown_lists_each_article_under_its_story_with_its_own_headline() -> None:
    md = report.render(DATA, "md")
    section = md[md.index("## Articles (3 in 2 stories)"):]
    assert "- Russia in talks on more S-400 units [s400, summit]" in section
    newer = next(line for line in section.splitlines() if "paper.example" in line)
    assert newer.startswith("  - 2026-03-10: Deal for two more S-400 squadrons close")
    assert "<https://paper.example/b>" in newer


def test_html_lists_each_article_under_its_story_with_its_own_headline() -> None:
    html = report.render(DATA, "html")
    articles = re.findall(r'<li class="article">(.*?)</li>', html, re.S)
    assert len(articles) == 3
    assert '<a href="https://paper.example/b">Deal for two more S-400 squadrons close</a>' in articles[1]
    assert "Russia in talks on more S-400 units" in articles[0]


def test_terminal_text_drops_our_markdown_but_keeps_page_text_inert() -> None:
    hostile = dict(STORY[1], title="**not bold** <https://evil.example/x> \x1b[31mred [a](javascript:x)")
    data = report.ReportData(generated_at=DATA.generated_at, since=None, changes=[], articles=[hostile])
    text = report.terminal_text(report.render_markdown(data))
    assert "\\" not in text and "\x1b" not in text
    assert "(https://paper.example/b)" in text                       # our link, bare
    assert "**not bold** <https://evil.example/x> [31mred [a](javascript:x)" in text   # page text, as written


def test_build_report_lists_stored_articles_as_the_spec_json() -> None:
    listed = [ListedArticle(url="https://paper.example/b", title="Deal close", published_on=date(2026, 3, 10),
                            topics=("s400", "summit"), story_id=1)]
    data = report.build_report([], listed, [], date(2026, 3, 1), DATA.generated_at)
    assert data.as_json()["articles"] == [{"url": "https://paper.example/b", "title": "Deal close",
                                           "published": "2026-03-10", "topics": ["s400", "summit"],
                                           "story": "story-1"}]
    assert data.as_json()["since"] == "2026-03-01"


def test_feed_states_render_as_text_and_json() -> None:
    failing = FeedState(name="tass", url="https://tass.example/rss", consecutive_errors=2, total_errors=3,
                        last_error="timeout", last_fetched_at=datetime(2026, 12, 1, 7, tzinfo=UTC),
                        next_poll_at=datetime(2026, 12, 1, 9, tzinfo=UTC))
    text = report.render_feeds([failing])
    assert "state: FAILING (2 in a row): timeout" in text and "next poll: 2026-12-01 09:00 UTC" in text
    assert report.feed_json(failing)["state"] == "failing"
    assert report.feed_json(failing)["next_poll_at"] == "2026-12-01T09:00:00Z"


def test_the_renderer_imports_no_store() -> None:
    """Renderers take records: importing the report loads neither the store nor SQLAlchemy."""
    probe = "import sys, pipeline.report; print(*(m for m in ('pipeline.store', 'sqlalchemy') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.stdout.split() == []
