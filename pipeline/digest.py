"""The daily digest's content and rendering (pure): records in, subject + text + HTML out.

Order (issue 5): changes first (previous value, new value, sources, the
sentences), then new articles grouped by story with their topics, then feed
health. Everything rendered came from feeds and pages and is untrusted: the
HTML template autoescapes, links are only ever http(s) (report.safe_url), and
the plain text loses control characters (checklist E9, X12, X15). Nothing
from an article goes into the subject: it names the date and the counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader

from pipeline.plaintext import one_line
from pipeline.report import describe_value, safe_url

MAX_CHANGES = 100
MAX_ARTICLES = 200
MAX_QUOTE_CHARS = 600


@dataclass(frozen=True)
class ChangeSide:
    """One side of a change: what was reported, where, and by how many independent sources."""

    value: str
    text: str
    url: str
    published: str
    sources: int = 1


@dataclass(frozen=True)
class DigestChange:
    """A reported value or date that shifted."""

    topic: str
    subject: str
    kind: str
    direction: str
    previous: ChangeSide
    current: ChangeSide
    milestone: str | None = None
    confirmed: bool = False
    sources: tuple[str, ...] = ()        # article URLs, one per independent source
    disputed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class SubjectValue:
    """A value reported for a subject, with the sources (article URLs) that report it."""

    value: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class DigestSubject:
    """Where one subject stands: its current value and who agrees; what others report."""

    topic: str
    subject: str
    kind: str
    milestone: str | None
    current: SubjectValue
    disagreeing: tuple[SubjectValue, ...] = ()


@dataclass(frozen=True)
class DigestArticle:
    """A new article that mentions a tracked topic."""

    url: str
    title: str
    published_on: date | None
    topics: tuple[str, ...]
    story_id: int
    source: str


@dataclass(frozen=True)
class FeedHealth:
    """A feed that is failing or was disabled."""

    name: str
    consecutive_errors: int
    last_error: str | None
    last_success_at: datetime | None
    disabled_reason: str | None
    next_poll_at: datetime | None


@dataclass(frozen=True)
class DigestInput:
    """Everything one digest shows, loaded by the job."""

    digest_on: date
    window_start: datetime | None
    window_end: datetime
    timezone: str
    changes: tuple[DigestChange, ...] = ()
    subjects: tuple[DigestSubject, ...] = ()     # where things stand (shown, never "new" on its own)
    articles: tuple[DigestArticle, ...] = ()
    other_articles: int = 0          # new articles that mention no tracked topic
    failing_feeds: tuple[FeedHealth, ...] = ()
    feeds_total: int = 0
    topic_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    """New articles of one story, in the order they arrived."""

    title: str
    topics: tuple[str, ...]
    articles: tuple[DigestArticle, ...]


@dataclass(frozen=True)
class Digest:
    """A rendered digest."""

    subject: str
    text: str
    html: str
    changes: int
    articles: int
    is_empty: bool


def change_from_json(payload: Mapping[str, Any]) -> DigestChange:
    """A stored change (the report's JSON object) as a digest record."""
    def side(data: Mapping[str, Any]) -> ChangeSide:
        sources = data.get("sources")
        return ChangeSide(value=describe_value(data["value"]), text=str(data.get("text", "")),
                          url=str(data.get("url", "")), published=str(data.get("published") or "undated"),
                          sources=sources if isinstance(sources, int) else 1)
    return DigestChange(topic=str(payload["topic"]), subject=str(payload["subject"]), kind=str(payload["kind"]),
                        direction=str(payload["direction"]), previous=side(payload["previous"]),
                        current=side(payload["current"]), milestone=_optional(payload.get("milestone")),
                        confirmed=bool(payload.get("confirmed")), sources=_urls(payload.get("sources")),
                        disputed_by=_urls(payload.get("disputed_by")))


def subject_from_json(payload: Mapping[str, Any]) -> DigestSubject:
    """A stored consensus (the report's `subjects` object) as a digest record."""
    return DigestSubject(topic=str(payload["topic"]), subject=str(payload["subject"]), kind=str(payload["kind"]),
                         milestone=_optional(payload.get("milestone")),
                         current=SubjectValue(describe_value(payload["value"]), _urls(payload.get("sources"))),
                         disagreeing=tuple(SubjectValue(describe_value(d["value"]), _urls(d.get("sources")))
                                           for d in payload.get("disagreeing", [])))


def _optional(value: object) -> str | None:
    return str(value) if value else None


def _urls(value: object) -> tuple[str, ...]:
    return tuple(str(url) for url in value) if isinstance(value, list) else ()


def group_stories(articles: Sequence[DigestArticle]) -> list[Story]:
    """Articles grouped by story, each story once, in order of its first new article."""
    grouped: dict[int, list[DigestArticle]] = {}
    for article in articles:
        grouped.setdefault(article.story_id, []).append(article)
    stories = []
    for members in grouped.values():
        topics = sorted({t for a in members for t in a.topics})
        stories.append(Story(title=members[0].title or members[0].url, topics=tuple(topics),
                             articles=tuple(members)))
    return stories


def is_empty(data: DigestInput) -> bool:
    """Nothing to tell: no change, no new article, no failing feed."""
    return not (data.changes or data.articles or data.other_articles or data.failing_feeds)


def make_subject(data: DigestInput) -> str:
    """The subject: the date and the counts, never article text."""
    if is_empty(data):
        return f"newswatch digest {data.digest_on.isoformat()}: nothing new"
    changes, articles = len(data.changes), len(data.articles) + data.other_articles
    subject = (f"newswatch digest {data.digest_on.isoformat()}: {changes} change{'s' if changes != 1 else ''}, "
               f"{articles} new article{'s' if articles != 1 else ''}")
    if data.failing_feeds:
        subject += f", {len(data.failing_feeds)} feed{'s' if len(data.failing_feeds) != 1 else ''} failing"
    return subject


def build_digest(data: DigestInput, *, max_changes: int = MAX_CHANGES, max_articles: int = MAX_ARTICLES) -> Digest:
    """Subject, plain text and HTML for one digest; long lists end with "+N more"."""
    shown_changes = data.changes[:max_changes]
    shown_articles = data.articles[:max_articles]
    zone = ZoneInfo(data.timezone)
    subject = make_subject(data)
    context: dict[str, Any] = {
        "d": data,
        "subject": subject,
        "empty": is_empty(data),
        "changes": shown_changes,
        "more_changes": len(data.changes) - len(shown_changes),
        "stories": group_stories(shown_articles),
        "story_count": len(group_stories(data.articles)),
        "more_articles": len(data.articles) - len(shown_articles),
        "window": _window(data, zone),
        "topic_name": lambda topic_id: data.topic_names.get(topic_id, topic_id),
        "when": lambda value: _local(value, zone) if value else "never",
        "safe_url": safe_url,
        "quote": _quote,
        "link_text": _link_text,
        "kind_words": lambda kind: kind.replace("_", " "),
    }
    env = _environment()
    return Digest(subject=subject, text=env.get_template("digest.txt.j2").render(context),
                  html=env.get_template("digest.html.j2").render(context), changes=len(data.changes),
                  articles=len(data.articles) + data.other_articles, is_empty=is_empty(data))


def plain(text: object) -> str:
    """One line of text without control characters (ANSI escapes, CR/LF: checklist X15)."""
    return one_line(str(text))


def _quote(text: str) -> str:
    one_line = plain(text)
    return one_line if len(one_line) <= MAX_QUOTE_CHARS else one_line[:MAX_QUOTE_CHARS - 1] + "…"


def _link_text(url: str) -> str:
    """A URL for the plain-text part: http(s) as is, anything else marked as not a web link."""
    if safe_url(url):
        return plain(url)
    if url.startswith("archive:"):
        return f"seed archive ({plain(url.removeprefix('archive:'))})"
    return f"(not a web link) {plain(url)}"


def _local(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _window(data: DigestInput, zone: ZoneInfo) -> str:
    end = _local(data.window_end, zone)
    if data.window_start is None:
        return f"everything stored up to {end} ({data.timezone})"
    return f"{_local(data.window_start, zone)} to {end} ({data.timezone})"


def _environment() -> Environment:
    # HTML templates autoescape; the plain-text one must not (it would show &amp;),
    # and its values pass through the `plain` filter instead.
    env = Environment(loader=PackageLoader("pipeline", "templates"),
                      autoescape=lambda name: name is None or not name.endswith(".txt.j2"),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["plain"] = plain
    return env
