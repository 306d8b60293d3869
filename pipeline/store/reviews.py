"""Reviews of claims over a Session, and claim ids that outlive `claims rebuild`. Callers own the transactions.

A claim's key is what makes it the same claim when the reader reads it again:
the article's URL, the sentence's offsets, the topic, the kind and the value
(as stored). Reviews are kept by key, so a rebuild (which replaces an
article's claim rows) never loses one; `replace_claims_keeping_ids` gives a
re-read claim with a known key its old row id back, so the `id` users see
(`claims list`, a change's `claim_ids`) stays the same too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from pipeline.records import ClaimReview, ReviewAction
from pipeline.store.models import ArticleRow, ClaimReviewRow, ClaimRow
from pipeline.store.queries import clean_text, replace_claims


def claim_key(url: str, row: Mapping[str, object]) -> str:
    """The stable key of a claim: its article's URL, offsets, topic, kind and stored value."""
    parts = [url, str(row["start"]), str(row["end"]), str(row["topic"]), str(row["kind"]),
             json.dumps(row["value"], sort_keys=True)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _keys(url: str, rows: Sequence[Mapping[str, object]]) -> list[str]:
    """Each row's key; a second reading of the same key in one article gets a suffix (never shared)."""
    seen: dict[str, int] = {}
    keys = []
    for row in rows:
        key = claim_key(url, row)
        count = seen.get(key, 0)
        seen[key] = count + 1
        keys.append(key if count == 0 else hashlib.sha256(f"{key}#{count}".encode()).hexdigest())
    return keys


def replace_claims_keeping_ids(session: Session, article_id: int, url: str,
                               rows: Sequence[Mapping[str, object]]) -> None:
    """Replace an article's claims (a re-read); a claim read again with the same key keeps its id."""
    old = session.execute(select(ClaimRow.id, ClaimRow.start, ClaimRow.end, ClaimRow.topic, ClaimRow.kind,
                                 ClaimRow.value).where(ClaimRow.article_id == article_id)
                          .order_by(ClaimRow.seq)).all()
    old_ids = dict(zip(_keys(url, [dict(r._mapping) for r in old]), (r.id for r in old), strict=True))
    kept, new = [], []
    for key, row in zip(_keys(url, rows), rows, strict=True):
        if key in old_ids:
            kept.append({**row, "id": old_ids[key], "article_id": article_id})
        else:
            new.append(row)
    replace_claims(session, article_id, new)
    if kept:   # after the delete in replace_claims: the old ids are free again
        session.connection().execute(insert(ClaimRow), kept)


def claim_keys_by_id(session: Session, claim_ids: Sequence[int] | None = None) -> dict[int, str]:
    """The key of each stored claim (of the given ids, or all)."""
    query = (select(ClaimRow.id, ClaimRow.article_id, ClaimRow.seq, ClaimRow.start, ClaimRow.end, ClaimRow.topic,
                    ClaimRow.kind, ClaimRow.value, ArticleRow.url)
             .join(ArticleRow, ClaimRow.article_id == ArticleRow.id).order_by(ClaimRow.article_id, ClaimRow.seq))
    if claim_ids is not None:
        articles = select(ClaimRow.article_id).where(ClaimRow.id.in_(list(claim_ids)))
        query = query.where(ClaimRow.article_id.in_(articles))
    by_article: dict[int, list[tuple[int, Mapping[str, object], str]]] = {}
    for row in session.execute(query):
        by_article.setdefault(row.article_id, []).append((row.id, dict(row._mapping), row.url))
    found: dict[int, str] = {}
    for items in by_article.values():
        for (claim_id, _, _), key in zip(items, _keys(items[0][2], [m for _, m, _ in items]), strict=True):
            found[claim_id] = key
    return found


def reviews_by_claim_id(session: Session) -> dict[int, ClaimReview]:
    """The review of every stored claim that has one."""
    reviews = {row.claim_key: _review(row) for row in session.scalars(select(ClaimReviewRow))}
    if not reviews:
        return {}
    return {claim_id: reviews[key] for claim_id, key in claim_keys_by_id(session).items() if key in reviews}


def set_review(session: Session, claim_id: int, review: ClaimReview) -> bool:
    """Record (or replace) a claim's review; False when there is no such claim."""
    key = claim_keys_by_id(session, [claim_id]).get(claim_id)
    if key is None:
        return False
    session.execute(delete(ClaimReviewRow).where(ClaimReviewRow.claim_key == key))
    session.add(ClaimReviewRow(claim_key=key, action=review.action.value, note=clean_text(review.note),
                               reviewer=clean_text(review.reviewer)[:200], reviewed_at=review.reviewed_at))
    session.flush()
    return True


def clear_review(session: Session, claim_id: int) -> bool:
    """Remove a claim's review; False when there is no such claim."""
    key = claim_keys_by_id(session, [claim_id]).get(claim_id)
    if key is None:
        return False
    session.execute(delete(ClaimReviewRow).where(ClaimReviewRow.claim_key == key))
    return True


def _review(row: ClaimReviewRow) -> ClaimReview:
    return ClaimReview(action=ReviewAction(row.action), reviewer=row.reviewer, reviewed_at=_aware(row.reviewed_at),
                       note=row.note)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
