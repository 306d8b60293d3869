"""Analysts' reviews applied to claims and changes (pure).

A rejected claim takes no part in changes or consensus: it is left out
before the change rules run, so a change it caused disappears and one it
hid appears. A pinned claim's value becomes its subject's current value,
confirmed (`pipeline.changes.assess_claims(pinned=...)`). A confirmed claim
counts as before and is shown as checked. Changes whose claims were
reviewed say so (`review` in the change JSON), and `report --unreviewed`
leaves them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.records import ClaimReview, ReportedClaim, ReviewAction

Reviews = Mapping[int, ClaimReview]   # by claim id


def apply_reviews(claims: Sequence[ReportedClaim],
                  reviews: Mapping[int, ClaimReview]) -> tuple[list[ReportedClaim], frozenset[int]]:
    """The claims without the rejected ones, and the ids of the pinned ones."""
    if not reviews:
        return list(claims), frozenset()
    kept = [c for c in claims if c.claim_id is None or reviews.get(c.claim_id) is None
            or reviews[c.claim_id].action is not ReviewAction.REJECT]
    pinned = frozenset(i for i, r in reviews.items() if r.action is ReviewAction.PIN)
    return kept, pinned


def describe_review(review: ClaimReview) -> str:
    """"pinned by alice on 2026-12-02: the ministry's figure"."""
    verb = {ReviewAction.CONFIRM: "confirmed", ReviewAction.REJECT: "rejected", ReviewAction.PIN: "pinned"}
    note = f": {' '.join(review.note.split())}" if review.note.strip() else ""
    return f"{verb[review.action]} by {review.reviewer} on {review.reviewed_at:%Y-%m-%d}{note}"


def review_json(review: ClaimReview | None) -> dict[str, object] | None:
    """A claim's review for programs (`claims list --format json`), or None."""
    if review is None:
        return None
    return {"action": review.action.value, "note": review.note, "by": review.reviewer,
            "at": review.reviewed_at.strftime("%Y-%m-%dT%H:%M:%SZ")}


def mark_change(payload: dict[str, object], reviews: Mapping[int, ClaimReview]) -> dict[str, object]:
    """The change JSON with `review`: what was said of the claims behind it ("" when nothing)."""
    said = []
    for side in ("previous", "current"):
        data = payload.get(side)
        ids = data.get("claim_ids", []) if isinstance(data, dict) else []
        for claim_id in ids:
            review = reviews.get(claim_id)
            if review is not None:
                said.append(f"{side} claim {claim_id} {describe_review(review)}")
    return {**payload, "review": "; ".join(dict.fromkeys(said))}


def is_reviewed(change: Mapping[str, Any]) -> bool:
    """Has an analyst reviewed a claim behind this change?"""
    return bool(change.get("review"))
