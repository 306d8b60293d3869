"""What each page shows, from records (pure: takes records and plain JSON objects, never a Session).

Each `*_page` function returns the template's context. Values that came
from a feed or a page stay plain strings: the templates escape them
(autoescape), and only `safe_url` links are ever rendered as links.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from pipeline.claims import claim_value_json
from pipeline.rates import ExchangeRates
from pipeline.records import (ClaimKind, ClaimReview, FeedSpec, FeedState, FoundArticle, ListedArticle,
                              ReportedClaim, ReviewAction, TimelinePoint)
from pipeline.report import (change_status, chart_labels, date_valued, describe_value, feed_json, group_stories,
                             safe_url, source_name, story_topics, subject_title, timeline_series)
from pipeline.review import describe_review

MAX_CLAIMS_SHOWN = 500
MAX_TIMELINE_ROWS = 200   # a subject's table: the newest; the chart and the claims page have them all
REVIEW_STATES = ("", "none", *(a.value for a in ReviewAction))   # "": any
REVIEWED_CHOICES = ("", "yes", "no")


def subject_path(topic: str, subject: str) -> str:
    """The subject page's path (both parts quoted: they come from config, but may hold anything)."""
    return f"/subjects/{quote(topic, safe='')}/{quote(subject, safe='')}"


def page_path(path: str, **params: str) -> str:
    """A path with the non-empty query parameters."""
    kept = {k: v for k, v in params.items() if v}
    return path + ("?" + urlencode(kept) if kept else "")


# --- changes ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeFilters:
    """The changes page's filters."""

    topic: str = ""
    since: date | None = None
    reviewed: str = ""        # "": all, "yes": an analyst reviewed a claim behind it, "no": none did


def changes_page(changes: Sequence[Mapping[str, Any]], subjects: Sequence[Mapping[str, Any]],
                 topics: Sequence[str], filters: ChangeFilters) -> dict[str, Any]:
    """The changes (newest first) that pass the filters, and where each subject stands."""
    shown = [c for c in changes if (not filters.topic or c["topic"] == filters.topic)
             and (filters.reviewed != "yes" or c.get("review")) and (filters.reviewed != "no" or not c.get("review"))]
    return {"changes": [change_view(c) for c in reversed(shown)], "total": len(changes),
            "subjects": [subject_view(s) for s in subjects if not filters.topic or s["topic"] == filters.topic],
            "topics": list(topics), "filters": filters, "reviewed_choices": REVIEWED_CHOICES}


def change_view(change: Mapping[str, Any]) -> dict[str, Any]:
    """One change as the page shows it: what it was, what it is, who says so, its claims."""
    return {"title": subject_title(change), "direction": change["direction"], "status": change_status(change),
            "confirmed": bool(change.get("confirmed")), "subject_path": subject_path(change["topic"],
                                                                                      change["subject"]),
            "sides": [side_view("was", change["previous"]), side_view("now", change["current"])],
            "review": change.get("review") or "", "kind": change["kind"],
            "disputed_by": [link_view(u) for u in change.get("disputed_by", [])]}


def side_view(label: str, side: Mapping[str, Any]) -> dict[str, Any]:
    """One side of a change: its value in words, sentence, article and claim ids."""
    return {"label": label, "value": describe_value(side["value"]), "text": side["text"],
            "published": side["published"], "link": link_view(side["url"]),
            "claim_ids": list(side.get("claim_ids", []))}


def link_view(url: str) -> dict[str, str | None]:
    """An article URL: `href` only when it is a safe http(s) link (an archive file is text)."""
    return {"text": url, "href": safe_url(url)}


def subject_view(item: Mapping[str, Any]) -> dict[str, Any]:
    """Where one subject stands: its current value, how many sources agree and disagree."""
    return {"title": subject_title(item), "value": describe_value(item["value"]), "sources": len(item["sources"]),
            "disagreeing": [{"value": describe_value(d["value"]), "sources": len(d["sources"])}
                            for d in item.get("disagreeing", [])],
            "path": subject_path(item["topic"], item["subject"])}


# --- a subject's timeline -------------------------------------------------------------


def subject_series(reported: Sequence[ReportedClaim], rates: ExchangeRates) -> dict[str, list[TimelinePoint]]:
    """The chart's series for one subject's claims (deal values in US$ billion, deadlines as dates)."""
    return timeline_series(reported, rates)


def chart_options(series: Mapping[str, Sequence[TimelinePoint]]) -> dict[str, Any]:
    """The chart's axis labels and which panels hold dates (for pipeline.chart.draw_timeline)."""
    return {"y_labels": chart_labels(series), "date_valued": date_valued(series)}


def subject_page(topic: str, subject: str, reported: Sequence[ReportedClaim], reviews: Mapping[int, ClaimReview],
                 changes: Sequence[Mapping[str, Any]], subjects: Sequence[Mapping[str, Any]],
                 has_chart: bool) -> dict[str, Any]:
    """Every source's reported values for one subject over time, its changes and where it stands."""
    mine = [s for s in subjects if s["topic"] == topic and s["subject"] == subject]
    newest = reported[-MAX_TIMELINE_ROWS:]
    return {"topic": topic, "subject": subject, "has_chart": has_chart,
            "claims": [claim_view(item, reviews) for item in newest], "total": len(reported),
            "all_claims_path": page_path("/claims", topic=topic, subject=subject),
            "changes": [change_view(c) for c in reversed(changes)
                        if c["topic"] == topic and c["subject"] == subject],
            "standing": [subject_view(s) for s in mine],
            "chart_path": subject_path(topic, subject) + "/chart.png",
            "outlets": sorted({source_name(item) for item in reported})}


# --- claims -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFilters:
    """The claims page's filters ("": any)."""

    topic: str = ""
    subject: str = ""
    kind: str = ""
    review: str = ""          # "none", confirm, reject, pin


def claim_view(item: ReportedClaim, reviews: Mapping[int, ClaimReview]) -> dict[str, Any]:
    """One claim as a table row: when, who, what, the sentence, and its review."""
    review = reviews.get(item.claim_id) if item.claim_id is not None else None
    value = claim_value_json(item.claim.value)
    milestone = value.get("milestone")
    return {"id": item.claim_id, "published": item.published_on.isoformat(), "outlet": source_name(item),
            "topic": item.claim.topic, "subject": item.claim.subject,
            "kind": item.claim.kind.value.replace("_", " ") + (f" ({milestone})" if milestone else ""),
            "value": describe_value(value), "historical": item.claim.historical, "text": item.claim.text,
            "link": link_view(item.url), "title": item.title,
            "review": review.action.value if review else "", "review_text": describe_review(review) if review else "",
            "subject_path": subject_path(item.claim.topic, item.claim.subject)}


def claims_page(reported: Sequence[ReportedClaim], reviews: Mapping[int, ClaimReview], topics: Sequence[str],
                filters: ClaimFilters) -> dict[str, Any]:
    """The claims that pass the filters, newest first (at most MAX_CLAIMS_SHOWN), with the filters' choices."""
    def passes(item: ReportedClaim) -> bool:
        review = reviews.get(item.claim_id) if item.claim_id is not None else None
        state = review.action.value if review else "none"
        return ((not filters.topic or item.claim.topic == filters.topic)
                and (not filters.subject or item.claim.subject == filters.subject)
                and (not filters.kind or item.claim.kind.value == filters.kind)
                and (not filters.review or state == filters.review))

    shown = [item for item in reversed(reported) if passes(item)]
    return {"claims": [claim_view(item, reviews) for item in shown[:MAX_CLAIMS_SHOWN]], "matching": len(shown),
            "limit": MAX_CLAIMS_SHOWN, "filters": filters, "topics": list(topics),
            "subjects": sorted({item.claim.subject for item in reported}), "kinds": [k.value for k in ClaimKind],
            "review_states": REVIEW_STATES,
            "csv_path": page_path("/claims.csv", topic=filters.topic)}


# --- articles ------------------------------------------------------------------------------


def articles_page(query: str, found: Sequence[FoundArticle], recent: Sequence[ListedArticle]) -> dict[str, Any]:
    """Search results, or (no query) the newest articles grouped by story, each under its own headline."""
    listed = [{"url": a.url, "title": a.title, "published": a.published_on.isoformat() if a.published_on else None,
               "topics": list(a.topics), "story": f"story-{a.story_id}"} for a in recent]
    stories = [{"headline": story[0]["title"] or story[0]["url"], "topics": story_topics(story),
                "articles": [{"title": a["title"] or "untitled", "published": a["published"] or "undated",
                              "link": link_view(a["url"])} for a in story]}
               for story in group_stories(listed)]
    return {"query": query, "searched": bool(query.strip()),
            "found": [{"title": a.title or "untitled", "published": a.published_on.isoformat() if a.published_on
                       else "undated", "source": a.source, "passage": a.passage, "link": link_view(a.url),
                       "story": f"story-{a.story_id}"} for a in found],
            "stories": stories}


# --- feeds -------------------------------------------------------------------------------


def feeds_page(configured: Sequence[FeedSpec], states: Sequence[FeedState]) -> dict[str, Any]:
    """Each configured feed's health, as `newswatch feeds --format json` gives it (never polled: no state yet)."""
    by_name = {state.name: state for state in states}
    rows = []
    for spec in configured:
        state = by_name.get(spec.name)
        data = feed_json(state) if state else {"name": spec.name, "url": spec.url, "state": "not polled yet"}
        rows.append({**data, "link": link_view(spec.url)})
    return {"feeds": rows}
