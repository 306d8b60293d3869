"""Rendering `claims list`: text for people, JSON lines and CSV for programs (spec: "Claims under review").

Takes records (the stored claims with their articles, and their reviews), never a Session.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence

from pipeline.claims import claim_json, claim_value_json
from pipeline.records import ClaimReview, ReportedClaim, ReviewAction
from pipeline.report import render_claims
from pipeline.review import describe_review, review_json

CSV_COLUMNS = ("id", "topic", "subject", "kind", "amount", "currency", "earliest", "latest", "milestone", "count",
               "historical", "text", "start", "end", "url", "source", "published", "review", "review_note",
               "reviewed_by", "reviewed_at")


def listed_claim_json(item: ReportedClaim, review: ClaimReview | None) -> dict[str, object]:
    """The claim JSON plus `id`, `url`, `source`, `published` and `review`."""
    return {**claim_json(item.claim), "id": item.claim_id, "url": item.url,
            "source": item.source or "archive", "published": item.published_on.isoformat(),
            "review": review_json(review)}


def render_json_lines(reported: Sequence[ReportedClaim], reviews: Mapping[int, ClaimReview]) -> str:
    """One JSON object per claim and line."""
    return "".join(json.dumps(listed_claim_json(item, _of(item, reviews)), ensure_ascii=False) + "\n"
                   for item in reported)


def render_csv(reported: Sequence[ReportedClaim], reviews: Mapping[int, ClaimReview]) -> str:
    """A header row, then one row per claim (values in their own columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in reported:
        data = listed_claim_json(item, _of(item, reviews))
        value = claim_value_json(item.claim.value)
        review = _of(item, reviews)
        row = {**{k: data.get(k) for k in CSV_COLUMNS}, **value,
               "historical": "true" if item.claim.historical else "false",
               "review": review.action.value if review else "", "review_note": review.note if review else "",
               "reviewed_by": review.reviewer if review else "",
               "reviewed_at": review.reviewed_at.strftime("%Y-%m-%dT%H:%M:%SZ") if review else ""}
        writer.writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


def render_text(reported: Sequence[ReportedClaim], reviews: Mapping[int, ClaimReview]) -> str:
    """The timeline for people: each claim with its id, and how it was reviewed ("checked" when confirmed)."""
    if not reported:
        return render_claims(reported)
    blocks = render_claims(reported).split("\n")
    lines: list[str] = []
    # render_claims gives two lines per claim: the claim, then its sentence.
    for item, (head, sentence) in zip(reported, zip(blocks[::2], blocks[1::2], strict=True), strict=True):
        review = _of(item, reviews)
        mark = ""
        if review is not None:
            mark = " [checked: " if review.action is ReviewAction.CONFIRM else " ["
            mark += describe_review(review) + "]"
        lines += [f"#{item.claim_id}  {head}{mark}", sentence]
    return "\n".join(lines)


def _of(item: ReportedClaim, reviews: Mapping[int, ClaimReview]) -> ClaimReview | None:
    return reviews.get(item.claim_id) if item.claim_id is not None else None


def _cell(value: object) -> str:
    """A CSV cell; text a spreadsheet would run as a formula (=, +, -, @ first: OWASP CSV injection) quoted."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

