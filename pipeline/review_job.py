"""The review jobs: record an analyst's review of a claim and recompute changes; list claims with reviews.

Composes the store (pipeline/store/reviews.py) and the change rules through
jobs.py; owns its transactions, like digest_job.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import jobs
from pipeline.records import ClaimReview, ReportedClaim, ReviewAction
from pipeline.store import reviews
from pipeline.store.db import transaction


@dataclass(frozen=True)
class ClaimListing:
    """Stored claims in publication order, with the reviews of those that have one."""

    claims: list[ReportedClaim]
    reviews: dict[int, ClaimReview]


def list_claims(res: jobs.Resources, topic: str | None = None) -> ClaimListing:
    """Every stored claim (of one topic) with its review."""
    with transaction(res.sessions) as session:
        return ClaimListing(jobs.reported_claims(session, topic), reviews.reviews_by_claim_id(session))


def review_claim(res: jobs.Resources, claim_id: int, action: ReviewAction | None, *, reviewer: str,
                 note: str = "") -> bool:
    """Record (action) or clear (None) a claim's review, then recompute changes; False: no such claim."""
    with transaction(res.sessions) as session:
        if action is None:
            found = reviews.clear_review(session, claim_id)
        else:
            found = reviews.set_review(session, claim_id, ClaimReview(action=action, reviewer=reviewer,
                                                                      reviewed_at=res.clock(), note=note))
    if found:
        jobs.recompute_changes(res)
    return found
