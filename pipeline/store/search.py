"""What the web pages read besides reports: full-text search, the newest articles by story, a subject's claims.

SQLite searches its FTS5 table `articles_fts` (porter stemming), PostgreSQL
the GIN index on `PG_DOCUMENT` (the 'english' configuration, also stemmed);
migration 0007_web makes both. Whatever a person types becomes a plain AND
of its words: neither FTS5's query syntax nor tsquery operators are ever
given raw input, so no query is a syntax error.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from pipeline.records import Claim, ClaimKind, FoundArticle, ListedArticle, ReportedClaim
from pipeline.store.models import ArticleRow, ClaimRow, MentionRow
from pipeline.store.queries import article_topics, aware, decode_value
from pipeline.urls import outlet_of

# What migration 0007_web made, which the models cannot describe (the drift test leaves them out).
SEARCH_OBJECTS = frozenset({"articles_fts", "articles_fts_data", "articles_fts_idx", "articles_fts_docsize",
                            "articles_fts_config", "ix_articles_search"})
PG_DOCUMENT = "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(text, ''))"
MAX_WORDS = 12
PASSAGE_CHARS = 240
_WORD = re.compile(r"\w+")

_SQLITE_SEARCH = text(
    "SELECT a.url, a.title, a.published_on, a.source, coalesce(a.story_id, a.id), a.text "
    "FROM articles_fts JOIN articles AS a ON a.id = articles_fts.rowid "
    "WHERE articles_fts MATCH :query AND a.duplicate_of_id IS NULL "
    "ORDER BY articles_fts.rank, a.published_on DESC LIMIT :limit")
_PG_SEARCH = text(
    "SELECT url, title, published_on, source, coalesce(story_id, id), text "
    f"FROM articles, plainto_tsquery('english', :query) AS q WHERE {PG_DOCUMENT} @@ q "
    "AND duplicate_of_id IS NULL "
    f"ORDER BY ts_rank({PG_DOCUMENT}, q) DESC, published_on DESC NULLS LAST LIMIT :limit")


def query_words(query: str) -> list[str]:
    """The words of what a person typed (at most MAX_WORDS), lower-cased; punctuation and operators dropped."""
    return [w.lower() for w in _WORD.findall(query)][:MAX_WORDS]


def search_articles(session: Session, query: str, limit: int = 50) -> list[FoundArticle]:
    """Stored articles (not copies) whose title or text holds every word of `query`, best match first."""
    words = query_words(query)
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(_PG_SEARCH, {"query": " ".join(words), "limit": limit})
    else:
        # Each word quoted: FTS5 reads it as a string, never as an operator (AND, NEAR, column:).
        match = " ".join(f'"{word}"' for word in words)
        rows = session.execute(_SQLITE_SEARCH, {"query": match, "limit": limit})
    return [FoundArticle(url=url, title=title, published_on=_date(published), source=source, story_id=story,
                         passage=passage_of(body, words)) for url, title, published, source, story, body in rows]


def _date(value: object) -> date | None:
    """SQLite's text() rows give dates as strings."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def passage_of(body: str, words: list[str]) -> str:
    """The text around the first of `words` found in `body` (whole words, any case), else its beginning."""
    found = None
    for word in words:
        match = re.search(rf"\b{re.escape(word)}", body, re.IGNORECASE)
        if match and (found is None or match.start() < found):
            found = match.start()
    start = max(0, (found or 0) - PASSAGE_CHARS // 3)
    if start:
        start = body.find(" ", start) + 1 or start   # from a word's beginning
    passage = " ".join(body[start:start + PASSAGE_CHARS].split())
    return ("… " if start else "") + passage + (" …" if start + PASSAGE_CHARS < len(body) else "")


_RECENT = (select(ArticleRow.id, ArticleRow.url, ArticleRow.title, ArticleRow.published_on, ArticleRow.story_id)
           .where(ArticleRow.duplicate_of_id.is_(None),
                  ArticleRow.id.in_(select(MentionRow.article_id)))
           .order_by(ArticleRow.published_on.desc().nulls_last(), ArticleRow.id.desc())
           .limit(bindparam("limit")))


def recent_articles(session: Session, limit: int = 200) -> list[ListedArticle]:
    """The newest `limit` articles that mention a topic and are not copies, newest first, with topics and story."""
    rows = list(session.execute(_RECENT, {"limit": limit}))
    topics = article_topics(session, (row.id for row in rows))
    return [ListedArticle(url=row.url, title=row.title, published_on=row.published_on,
                          topics=tuple(topics.get(row.id, [])), story_id=row.story_id or row.id) for row in rows]


def count_articles(session: Session) -> int:
    """How many articles are stored (copies included)."""
    return int(session.scalar(select(func.count()).select_from(ArticleRow)) or 0)


_CLAIMS_WITH_ARTICLES = (
    select(ClaimRow.id, ClaimRow.topic, ClaimRow.subject, ClaimRow.kind, ClaimRow.value, ClaimRow.sentence,
           ClaimRow.start, ClaimRow.end, ClaimRow.historical, ArticleRow.id, ArticleRow.url, ArticleRow.title,
           ArticleRow.published_on, ArticleRow.fetched_at, ArticleRow.family_id, ArticleRow.published_at,
           ArticleRow.source)
    .join(ArticleRow, ClaimRow.article_id == ArticleRow.id)
    .where(ArticleRow.duplicate_of_id.is_(None))
    .order_by(ArticleRow.published_on.asc().nulls_last(), ArticleRow.id, ClaimRow.seq))


def listed_claims(session: Session, topic: str = "", subject: str = "") -> list[ReportedClaim]:
    """Stored claims (of a topic, of a subject: "" for any) with their articles, in publication order.

    What `jobs.reported_claims` gives, read as plain columns: a subject's
    page over 2,000 claims spent most of its time making ORM objects
    (benchmarks/web_pages.py).
    """
    query = _CLAIMS_WITH_ARTICLES
    if topic:
        query = query.where(ClaimRow.topic == topic)
    if subject:
        query = query.where(ClaimRow.subject == subject)
    reported = []
    for (claim_id, claim_topic, claim_subject, kind, value, sentence, start, end, historical, article_id, url,
         title, published_on, fetched_at, family_id, published_at, source) in session.execute(query):
        claim = Claim(topic=claim_topic, subject=claim_subject, kind=ClaimKind(kind), value=decode_value(value),
                      text=sentence, start=start, end=end, historical=historical)
        reported.append(ReportedClaim(claim=claim, article_id=article_id, url=url, title=title,
                                      published_on=published_on or fetched_at.date(), family_id=family_id or article_id,
                                      published_at=aware(published_at) if published_at else None,
                                      outlet=outlet_of(url, source), claim_id=claim_id, source=source))
    return reported
