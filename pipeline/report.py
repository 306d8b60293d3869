"""Rendering: run summaries, feed states and the change report (md, html, json).

Every value that came from a feed or a page is untrusted: HTML goes through
Jinja2 with autoescaping, Markdown escapes its metacharacters, and only
http(s) links are ever rendered as links (checklist §1.3, X12).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from pipeline.rates import ExchangeRates
from pipeline.plaintext import one_line, strip_controls
from pipeline.records import FeedState, ListedArticle, Money, ReportedClaim, RunSummary, TimelinePoint, Window
from pipeline.urls import is_http_url

SUMMARY_KEYS = ("feeds_ok", "feeds_failed", "entries", "new_articles", "duplicates", "mentions",
                "claims", "changes")


def summary_json(summary: RunSummary) -> dict[str, object]:
    """The `run --json` object: the spec's counts first, then extras."""
    data: dict[str, object] = {key: getattr(summary, key) for key in SUMMARY_KEYS}
    data["feeds_skipped"] = summary.feeds_skipped
    data["errors"] = dict(sorted(summary.errors.items()))
    return data


def summary_line(summary: RunSummary) -> str:
    """One line for people and cron mail."""
    line = (f"feeds: {summary.feeds_ok} ok, {summary.feeds_failed} failed"
            f"{f', {summary.feeds_skipped} not due' if summary.feeds_skipped else ''}; "
            f"entries: {summary.entries}; new articles: {summary.new_articles}; "
            f"duplicates: {summary.duplicates}; mentions: {summary.mentions}; "
            f"claims: {summary.claims}; changes: {summary.changes}")
    if summary.errors:
        line += "; errors: " + ", ".join(f"{k} x{v}" for k, v in sorted(summary.errors.items()))
    return line


def render_feeds(rows: Sequence[FeedState]) -> str:
    """The `feeds` table."""
    if not rows:
        return "no feeds configured (add [[feeds]] to the config file)"
    lines = []
    for row in rows:
        state = "DISABLED: " + row.disabled_reason if row.disabled_reason else (
            f"FAILING ({row.consecutive_errors} in a row): {row.last_error}" if row.consecutive_errors else "ok")
        lines.append(
            f"{row.name}\n  url: {_plain(row.url)}\n  state: {_plain(state)}\n"
            f"  last fetch: {_when(row.last_fetched_at)}  status: {row.last_status or '-'}"
            f"  errors: {row.consecutive_errors} in a row, {row.total_errors} in all\n"
            f"  etag: {_plain(row.etag or '-')}  last-modified: {_plain(row.last_modified or '-')}\n"
            f"  next poll: {_when(row.next_poll_at) if row.next_poll_at else 'next run'}")
    return "\n".join(lines)


def feed_json(row: FeedState) -> dict[str, object]:
    """One feed's state for programs (`feeds --format json`, one object per line); times in ISO 8601 UTC."""
    state = "disabled" if row.disabled_reason else "failing" if row.consecutive_errors else "ok"
    return {"name": row.name, "url": row.url, "state": state, "last_fetched_at": _iso(row.last_fetched_at),
            "last_success_at": _iso(row.last_success_at), "last_status": row.last_status, "etag": row.etag,
            "last_modified": row.last_modified, "consecutive_errors": row.consecutive_errors,
            "total_errors": row.total_errors, "last_error": row.last_error,
            "disabled_reason": row.disabled_reason, "next_poll_at": _iso(row.next_poll_at)}


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_claims(reported: Sequence[ReportedClaim]) -> str:
    """`claims list`: one line per claim in publication order, then its sentence."""
    if not reported:
        return "no claims stored yet (run `newswatch init` or `newswatch run`)"
    # Imported here: the claim reader compiles its patterns on import, which
    # `feeds` and the digest, which render no claim values, do not need.
    from pipeline.claims import claim_value_json

    lines = []
    for item in reported:
        claim = item.claim
        flag = " (historical)" if claim.historical else ""
        value = describe_value(claim_value_json(claim.value))
        lines.append(f"{item.published_on}  {claim.topic}/{claim.subject}  {claim.kind.value}: {value}{flag}"
                     f"  [{_plain(item.url)}]\n    \"{_plain(claim.text)}\"")
    return "\n".join(lines)


# --- the change report ---------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    """The change report as the spec's JSON object."""

    generated_at: datetime
    since: date | None
    changes: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    subjects: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The spec's `report --format json` object."""
        return {"generated_at": self.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "since": self.since.isoformat() if self.since else None,
                "changes": self.changes, "subjects": self.subjects, "articles": self.articles}


def build_report(changes: Sequence[Mapping[str, Any]], articles: Sequence[ListedArticle],
                 subjects: Sequence[Mapping[str, Any]], since: date | None, now: datetime) -> ReportData:
    """The report of stored changes, mentioning articles and each subject's consensus (from the store)."""
    listed = [{"url": a.url, "title": a.title, "published": a.published_on.isoformat() if a.published_on else None,
               "topics": list(a.topics), "story": f"story-{a.story_id}"} for a in articles]
    return ReportData(generated_at=now, since=since, changes=[dict(c) for c in changes], articles=listed,
                      subjects=[dict(s) for s in subjects])


def render(data: ReportData, fmt: str, chart_png: bytes = b"") -> str:
    """The report as md, html (with the timeline chart, when given) or json."""
    if fmt == "json":
        return json.dumps(data.as_json(), indent=2, ensure_ascii=False)
    if fmt == "html":
        chart = Markup('<img alt="Reported values over time, per source" style="max-width:100%%" '
                       'src="data:image/png;base64,%s">') % base64.b64encode(chart_png).decode("ascii") \
            if chart_png else ""
        return _environment().get_template("report.html.j2").render(
            report=data.as_json(), stories=group_stories(data.articles), describe=describe_value,
            safe_url=safe_url, chart=chart, story_topics=story_topics,
            subject_title=subject_title, change_status=change_status)
    return render_markdown(data)


ChangedKey = tuple[str, str, str]  # topic, subject, kind


def timeline_series(reported: Sequence[ReportedClaim], rates: ExchangeRates,
                    changed: Collection[ChangedKey] | None = None) -> dict[str, list[TimelinePoint]]:
    """Deal values (US$ billion) and delivery deadlines (date ordinals) per topic and subject, for the chart.

    A series whose value never moved is left out (a flat panel says nothing),
    and so, when `changed` is given, is one without a recorded change.
    """
    series: dict[str, list[TimelinePoint]] = {}
    keys: dict[str, ChangedKey] = {}
    for item in reported:
        claim = item.claim
        if claim.historical:
            continue
        value: float | None = None
        if isinstance(claim.value, Money):
            usd = rates.to_usd(claim.value, item.published_on)
            value = float(usd) / 1e9 if usd is not None else None
        elif isinstance(claim.value, Window):
            deadline = claim.value.latest or claim.value.earliest
            value = float(deadline.toordinal()) if deadline is not None else None
        if value is None:
            continue
        name = f"{claim.topic} / {claim.subject} / {claim.kind.value.replace('_', ' ')}"
        keys[name] = (claim.topic, claim.subject, claim.kind.value)
        series.setdefault(name, []).append(TimelinePoint(item.published_on, value, source_name(item)))
    return {name: points for name, points in series.items()
            if len({p.value for p in points}) > 1 and (changed is None or keys[name] in changed)}


def chart_labels(series: Mapping[str, object]) -> dict[str, str]:
    """The y-axis label of each chart panel."""
    return {name: "US$ billion" if name.endswith("deal value") else "deliveries due by" for name in series}


def date_valued(series: Mapping[str, object]) -> set[str]:
    """The panels whose values are dates (delivery deadlines as ordinals)."""
    return {name for name in series if name.endswith("delivery schedule")}


def source_name(item: ReportedClaim) -> str:
    """Who reported it, for a legend: the feed's name (the outlet as the user named it) or the seed archive.

    Not the URL's host: the demo's and a mirror's are 127.0.0.1, and an
    archive URL is a file name.
    """
    if item.source and item.source != "archive":
        return item.source
    if item.url.startswith("archive:") or item.source == "archive":
        return "seed archive"
    host = urlsplit(item.url).hostname if is_http_url(item.url) else None
    return (host or item.url).removeprefix("www.")


def render_markdown(data: ReportData) -> str:
    """The report for terminals and email."""
    out = [f"# newswatch change report ({data.generated_at:%Y-%m-%d %H:%M} UTC)", ""]
    if data.since:
        out += [f"Changes reported since {data.since.isoformat()}.", ""]
    out += [f"## Changes ({len(data.changes)})", ""]
    if not data.changes:
        out += ["No reported value or date has shifted.", ""]
    for change in data.changes:
        prev, cur = change["previous"], change["current"]
        out += [f"- **{md_escape(subject_title(change))}: {change['direction']}** ({change_status(change)})",
                f"  - was {describe_value(prev['value'])} ({prev['published']}, {md_link(prev['url'])}"
                f"{_sources(prev)}): \"{md_escape(prev['text'])}\"",
                f"  - now {describe_value(cur['value'])} ({cur['published']}, {md_link(cur['url'])}"
                f"{_sources(cur)}): \"{md_escape(cur['text'])}\""]
    out += render_subjects_markdown(data.subjects)
    stories = group_stories(data.articles)
    out += ["", f"## Articles ({len(data.articles)} in {len(stories)} stories)", ""]
    for story in stories:
        first = story[0]
        out.append(f"- {md_escape(first['title'] or first['url'])} [{', '.join(story_topics(story))}]")
        # Each article under its own headline: a newer one in an older story is news of its own.
        for article in story:
            out.append(f"  - {article['published'] or 'undated'}: {md_escape(article['title'] or 'untitled')} "
                       f"({md_link(article['url'])})")
    return "\n".join(out) + "\n"


def render_subjects_markdown(subjects: Sequence[dict[str, Any]]) -> list[str]:
    """Where each subject stands: its current value, the sources that agree and those that disagree."""
    out = ["", f"## Where each subject stands ({len(subjects)})", ""]
    if not subjects:
        out += ["No claims read yet.", ""]
    for item in subjects:
        out.append(f"- **{md_escape(subject_title(item))}: {describe_value(item['value'])}**, "
                   f"{_count(item['sources'], 'source')}: {', '.join(md_link(u) for u in item['sources'])}")
        for other in item.get("disagreeing", []):
            out.append(f"  - disagreeing: {describe_value(other['value'])}, {_count(other['sources'], 'source')}: "
                       f"{', '.join(md_link(u) for u in other['sources'])}")
    return out


def subject_title(item: Mapping[str, Any]) -> str:
    """"s400 / s400-2018-contract / delivery schedule (last)": a change's or subject's group in words."""
    milestone = f" ({item['milestone']})" if item.get("milestone") else ""
    return f"{item['topic']} / {item['subject']} / {str(item['kind']).replace('_', ' ')}{milestone}"


def change_status(change: Mapping[str, Any]) -> str:
    """"confirmed, 3 sources; disputed by 1": how far a change is corroborated."""
    sources = change.get("sources", [])
    status = f"{'confirmed' if change.get('confirmed') else 'unconfirmed'}, {_count(sources, 'source')}"
    disputed = change.get("disputed_by", [])
    review = f"; reviewed: {change['review']}" if change.get("review") else ""   # pipeline/review.py
    return status + (f"; disputed by {len(disputed)}" if disputed else "") + review


def _count(items: Sequence[object], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


_MD_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()<>#+!|~])")
_MD_AUTOLINK = re.compile(r"(?<!\\)<(https?://[^\s<>\\]+)>")  # md_link's; an escaped \\< is page text
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")


def terminal_text(markdown: str) -> str:
    """The Markdown report as a person reads it on a terminal: no backslash escapes, bare links, no bold marks.

    Only our own markup is unescaped or removed: everything from a page went
    through `md_escape` (so its `**` and `<` are escaped) and `_plain`, so no
    control character reaches the terminal either way (checklist X15).
    """
    text = _MD_BOLD.sub(r"\1", markdown)
    text = _MD_AUTOLINK.sub(r"\1", text)
    return _MD_ESCAPED.sub(r"\1", text)


def group_stories(articles: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Articles grouped by story, each story once, in order of its first article."""
    stories: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        stories.setdefault(article["story"], []).append(article)
    return list(stories.values())


def story_topics(story: Sequence[dict[str, Any]]) -> list[str]:
    """Every topic any article of the story mentions, in order of first appearance."""
    return list(dict.fromkeys(topic for article in story for topic in article["topics"]))


def describe_value(value: dict[str, Any]) -> str:
    """A claim value in words: "USD 5,500,000,000", "2026-01-01 to 2027-12-31", "5 units"."""
    if "amount" in value:
        amount = float(value["amount"])
        return f"{value['currency']} {amount:,.0f}"
    if "latest" in value:
        if not value["latest"]:
            return f"starting {value.get('earliest') or '…'}"
        return f"{value.get('earliest') or '…'} to {value['latest']}"
    if "count" in value:
        return f"{value['count']} units"
    return json.dumps(value)


def _sources(side: dict[str, Any]) -> str:
    count = side.get("sources")
    return f", {count} sources" if isinstance(count, int) and count > 1 else ""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def md_escape(text: str) -> str:
    """Text that Markdown renders literally (no links, images, HTML or terminal escapes)."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(str(text)))


_NOT_IN_URLS = re.compile(r'[\s"<>\\`\x00-\x1f\x7f]')


def safe_url(url: str) -> str | None:
    """The URL when it is http(s), else None: nothing else becomes a link.

    Nor does a URL with characters RFC 3986 never allows unencoded (quotes,
    angle brackets, spaces, controls): that is markup smuggled into a link
    (checklist X12), shown as text instead.
    """
    return url if is_http_url(url) and not _NOT_IN_URLS.search(url) else None


def md_link(url: str) -> str:
    """An autolink for http(s) URLs; anything else as escaped text."""
    if safe_url(url) and not re.search(r"[\s<>\x00-\x1f\x7f]", url):
        return f"<{url}>"
    return md_escape(url)


def _plain(text: str) -> str:
    """No control characters (titles may carry ANSI escapes: checklist X15)."""
    return strip_controls(text)


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _environment() -> Environment:
    # finalize: control characters (ANSI escapes in a title) never reach the
    # output, whatever the template does with the value (checklist X15).
    return Environment(loader=PackageLoader("pipeline", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       finalize=lambda value: _plain(value) if isinstance(value, str) and not isinstance(value, Markup)
                       else value)
