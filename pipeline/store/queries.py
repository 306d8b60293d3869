"""Reads and writes over a Session. Callers (jobs.py) own the transactions."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (BigInteger, ColumnElement, Table, and_, any_, bindparam, delete, false, func, insert, or_, select,
                        text, update)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, defer
from sqlalchemy.sql.expression import Executable

from pipeline.records import (Article, ClaimValue, Count, DateSource, FeedSpec, FeedState, ListedArticle, Mention, Milestone,
                              Money, SeenEntry, StoredArticle, Window)
from pipeline.store.models import (
    ArticleRow,
    AssessmentRow,
    Base,
    ChangeRow,
    ClaimRow,
    ConsensusRow,
    DedupBandRow,
    FeedRow,
    MentionRow,
    RunRow,
    SeenEntryRow,
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _table(model: type[Base]) -> Table:
    """The Core table of a model, for the statements on the per-article path."""
    return model.metadata.tables[model.__tablename__]


# Statements on the per-article path are built once, with bound parameters:
# building one with literal values costs more CPU than SQLite spends running
# it (benchmarks P1: 3.7 ms of store time per article before, see docs/performance.md).
_ARTICLES = _table(ArticleRow)
_BANDS = _table(DedupBandRow)
_MENTIONS = _table(MentionRow)
_CLAIMS = _table(ClaimRow)
_SEEN = _table(SeenEntryRow)
_STORED_COLUMNS = ("id", "text", "duplicate_of_id", "family_id", "story_id")
_STORED_SELECT = select(*(_ARTICLES.c[name] for name in _STORED_COLUMNS))
_ARTICLE_BY_URL = _STORED_SELECT.where(_ARTICLES.c.url == bindparam("url"))
_ORIGINAL_BY_TEXT_HASH = _STORED_SELECT.where(_ARTICLES.c.text_hash == bindparam("text_hash"),
                                              _ARTICLES.c.duplicate_of_id.is_(None))
_ARTICLES_BY_ID = (_STORED_SELECT.where(_ARTICLES.c.id.in_(bindparam("ids", expanding=True)))
                   .order_by(_ARTICLES.c.id))
_INSERT_ARTICLE = insert(_ARTICLES).returning(_ARTICLES.c.id)
_LINK_TO_SELF = (update(_ARTICLES).where(_ARTICLES.c.id == bindparam("self_id"))
                 .values(family_id=func.coalesce(_ARTICLES.c.family_id, bindparam("self_id")),
                         story_id=func.coalesce(_ARTICLES.c.story_id, bindparam("self_id"))))
_INSERT_BANDS = insert(_BANDS)
# PostgreSQL gets the keys as one array: with an IN list of bound values its cached generic
# plan took ten times as long (measured: 12 ms against 1.2 ms per lookup).
_BAND_CANDIDATES = {
    "postgresql": select(_BANDS.c.article_id, _BANDS.c.band, _BANDS.c.key).where(
        _BANDS.c.kind == bindparam("kind"), _BANDS.c.key == any_(bindparam("keys", type_=postgresql.ARRAY(BigInteger)))),
    "sqlite": select(_BANDS.c.article_id, _BANDS.c.band, _BANDS.c.key).where(
        _BANDS.c.kind == bindparam("kind"), _BANDS.c.key.in_(bindparam("keys", expanding=True))),
}
_INSERT_MENTIONS = insert(_MENTIONS)
_INSERT_CLAIMS = insert(_CLAIMS)
_DELETE_MENTIONS = delete(_MENTIONS).where(_MENTIONS.c.article_id == bindparam("of_article"))
_DELETE_CLAIMS = delete(_CLAIMS).where(_CLAIMS.c.article_id == bindparam("of_article"))
_DialectInsert = Callable[[Table], postgresql.Insert | sqlite.Insert]
_INSERT_WITH_CONFLICTS: dict[str, _DialectInsert] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _seen_upsert(insert_of: _DialectInsert) -> Executable:
    """Record a seen entry, or count one more attempt at it (one statement)."""
    statement = insert_of(_SEEN)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["feed_name", "entry_key"],
        set_={"attempts": _SEEN.c.attempts + 1, "outcome": new.outcome, "error": new.error,
              "article_id": new.article_id, "seen_at": new.seen_at,
              "url": func.coalesce(new.url, _SEEN.c.url)})   # a retry without a URL keeps the known one


_UPSERT_SEEN = {name: _seen_upsert(insert_of) for name, insert_of in _INSERT_WITH_CONFLICTS.items()}


def clean_text(value: str) -> str:
    """Text PostgreSQL accepts: NUL bytes removed, lone surrogates (not UTF-8) replaced (checklist D14)."""
    return _SURROGATE.sub("\ufffd", value.replace("\x00", ""))


# --- feeds --------------------------------------------------------------------


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _aware_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else aware(value)


def sync_feeds(session: Session, feeds: Sequence[FeedSpec]) -> dict[str, FeedState]:
    """Make a row for every configured feed (URL changes are taken over); return their states by name."""
    return {name: feed_state_of(row) for name, row in _sync_feed_rows(session, feeds).items()}


def _sync_feed_rows(session: Session, feeds: Sequence[FeedSpec]) -> dict[str, FeedRow]:
    names = [spec.name for spec in feeds]
    new_rows = [{"name": spec.name, "url": spec.url, "consecutive_errors": 0, "total_errors": 0}
               for spec in feeds]
    if new_rows:
        # Two passes starting at once may both add a new feed: the second adds nothing.
        session.execute(insert_ignoring_conflicts(session, FeedRow, new_rows, ["name"]))
    rows = {row.name: row for row in session.scalars(select(FeedRow).where(FeedRow.name.in_(names)))}
    for spec in feeds:
        row = rows[spec.name]
        if row.url != spec.url:
            # A new URL is a new start: validators, errors and a "gone" or
            # too-many-failures flag belonged to the old one.
            row.url, row.etag, row.last_modified, row.body_hash = spec.url, None, None, None
            row.disabled_reason, row.consecutive_errors, row.next_poll_at = None, 0, None
    session.flush()
    return {spec.name: rows[spec.name] for spec in feeds}


def insert_ignoring_conflicts(session: Session, model: type[Base], rows: list[dict[str, object]],
                               keys: list[str]) -> Executable:
    """INSERT ... ON CONFLICT DO NOTHING, in the dialect of the session's database."""
    return _INSERT_WITH_CONFLICTS[_dialect(session)](_table(model)).values(rows).on_conflict_do_nothing(
        index_elements=keys)


def _dialect(session: Session) -> str:
    """Which INSERT .. ON CONFLICT construct the session's database takes: SQLite's unless PostgreSQL's."""
    return "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"


def list_feed_states(session: Session) -> list[FeedState]:
    """Every feed known to the database, by name."""
    return [feed_state_of(row) for row in session.scalars(select(FeedRow).order_by(FeedRow.name))]


def save_feed_state(session: Session, state: FeedState) -> None:
    """Store a feed's new polling state (its row exists: `sync_feeds` made it)."""
    row = session.scalars(select(FeedRow).where(FeedRow.name == state.name)).one()
    for name in _FEED_STATE_FIELDS:
        value = getattr(state, name)
        setattr(row, name, clean_text(value) if name == "last_error" and value is not None else value)


_FEED_STATE_FIELDS = tuple(f.name for f in fields(FeedState))


def feed_state_of(row: FeedRow) -> FeedState:
    """A feed row as the record stages see (times aware UTC); for the store's modules only."""
    return FeedState(
        name=row.name, url=row.url, etag=row.etag, last_modified=row.last_modified, body_hash=row.body_hash,
        full_fetched_at=_aware_or_none(row.full_fetched_at), last_fetched_at=_aware_or_none(row.last_fetched_at),
        last_success_at=_aware_or_none(row.last_success_at), last_status=row.last_status,
        last_error=row.last_error, consecutive_errors=row.consecutive_errors, total_errors=row.total_errors,
        next_poll_at=_aware_or_none(row.next_poll_at), disabled_reason=row.disabled_reason)


# --- entries and articles -----------------------------------------------------


def seen_entry_keys(session: Session, feed_name: str, keys: Iterable[str]) -> dict[str, SeenEntry]:
    """The already-handled entries among `keys` of one feed."""
    wanted = {clean_text(key): key for key in keys}    # stored cleaned (record_seen)
    if not wanted:
        return {}
    rows = session.scalars(select(SeenEntryRow).where(SeenEntryRow.feed_name == feed_name,
                                                      SeenEntryRow.entry_key.in_(list(wanted))))
    return {wanted[row.entry_key]: SeenEntry(outcome=row.outcome, attempts=row.attempts) for row in rows}


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    """The URLs among `urls` already stored as articles or handled as entries."""
    urls = list(set(urls))
    if not urls:
        return set()
    found = set(session.scalars(select(ArticleRow.url).where(ArticleRow.url.in_(urls))))
    found |= set(session.scalars(select(SeenEntryRow.url).where(
        SeenEntryRow.url.in_(urls), SeenEntryRow.outcome.in_(("article", "duplicate", "no_text")))))
    return found


def record_seen(session: Session, feed_name: str, entry_key: str, *, url: str | None, outcome: str,
                now: datetime, error: str | None = None, article_id: int | None = None) -> None:
    """Record (or update) what came of one feed entry: one INSERT .. ON CONFLICT DO UPDATE."""
    session.connection().execute(_UPSERT_SEEN[_dialect(session)], {
        "feed_name": feed_name, "entry_key": clean_text(entry_key), "url": clean_text(url) if url else None,
        "outcome": outcome, "error": None if error is None else clean_text(error), "attempts": 1,
        "article_id": article_id, "seen_at": now})


# An arbitrary constant: the PostgreSQL advisory lock that serialises article writes.
ARTICLE_WRITE_LOCK = 0x6E657773  # "news"


def lock_article_writes(session: Session) -> None:
    """Serialise the dedup decision and insert across processes (until the transaction ends).

    SQLite already does: every transaction begins IMMEDIATE. On PostgreSQL two
    processes could otherwise both find no earlier copy and both store one.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ARTICLE_WRITE_LOCK})


def locks_article_keys(session: Session) -> bool:
    """True where writers of articles run concurrently and `lock_article_keys` takes locks (PostgreSQL)."""
    return session.get_bind().dialect.name == "postgresql"


def lock_article_keys(session: Session, keys: Iterable[str]) -> None:
    """Serialise the dedup decisions of articles that share a key (URL, text, band), not all of them.

    PostgreSQL: the article-write lock shared (whoever needs every write to
    stop takes it alone), then one transaction lock per key in sorted order,
    so two writers never wait on each other in a cycle. SQLite already
    serialises every transaction (BEGIN IMMEDIATE).
    """
    if not locks_article_keys(session):
        return
    hashed = sorted({int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
                     for key in keys})
    connection = session.connection()
    connection.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": ARTICLE_WRITE_LOCK})
    # unnest yields the sorted array in order, and the scan calls the lock for each in turn.
    connection.execute(text("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS t(k)"),
                       {"keys": hashed})


def publication_of(session: Session, article_id: int) -> tuple[date | None, datetime | None, str, bool]:
    """What orders an article among near-copies: (published_on, published_at, url, is_archive)."""
    row = session.execute(select(ArticleRow.published_on, ArticleRow.published_at, ArticleRow.url,
                                 ArticleRow.is_archive).where(ArticleRow.id == article_id)).one()
    return row.published_on, _aware_or_none(row.published_at), row.url, row.is_archive


def make_copy_of(session: Session, old_id: int, new_id: int, similarity: float) -> tuple[int, int]:
    """Turn a stored original into a copy of a new one published earlier; returns its (mentions, claims) dropped.

    Its copies, family and (when it led it) story follow the new original;
    its index keys, mentions and claims go, as a copy has none, and the
    entries that brought it are recorded as bringing a copy.
    """
    connection = session.connection()
    mentions = int(session.scalar(select(func.count()).select_from(MentionRow)
                                  .where(MentionRow.article_id == old_id)) or 0)
    claims = int(session.scalar(select(func.count()).select_from(ClaimRow).where(ClaimRow.article_id == old_id)) or 0)
    connection.execute(update(_ARTICLES).where(_ARTICLES.c.duplicate_of_id == old_id).values(duplicate_of_id=new_id))
    connection.execute(update(_ARTICLES).where(_ARTICLES.c.family_id == old_id).values(family_id=new_id))
    connection.execute(update(_ARTICLES).where(_ARTICLES.c.story_id == old_id).values(story_id=new_id))
    connection.execute(update(_ARTICLES).where(_ARTICLES.c.id == old_id).values(
        duplicate_of_id=new_id, similarity=similarity, signature=None, claims_version=None))
    for table in (_BANDS, _MENTIONS, _CLAIMS):
        connection.execute(delete(table).where(table.c.article_id == old_id))
    connection.execute(update(_SEEN).where(_SEEN.c.article_id == old_id, _SEEN.c.outcome == "article")
                       .values(outcome="duplicate"))
    return mentions, claims


def set_aside_original(session: Session, article_id: int) -> None:
    """Mark an original as a copy of itself for a moment, so that the one-original-per-text index lets its
    successor in (make_copy_of then points it at the successor)."""
    session.connection().execute(update(_ARTICLES).where(_ARTICLES.c.id == article_id)
                                 .values(duplicate_of_id=article_id))


def article_id_by_url(session: Session, url: str) -> int | None:
    """The id of the stored article with this canonical URL, if any."""
    found: int | None = session.scalar(select(ArticleRow.id).where(ArticleRow.url == url))
    return found


def article_by_url(session: Session, url: str) -> StoredArticle | None:
    """The stored article with this canonical URL, if any."""
    row = session.connection().execute(_ARTICLE_BY_URL, {"url": url}).first()
    return None if row is None else StoredArticle(*row)


def original_with_text_hash(session: Session, text_hash: str) -> StoredArticle | None:
    """The original (not a copy) whose normalised text has this hash, if any (one, by a unique index)."""
    row = session.connection().execute(_ORIGINAL_BY_TEXT_HASH, {"text_hash": text_hash}).first()
    return None if row is None else StoredArticle(*row)


def stored_articles(session: Session, ids: Iterable[int]) -> list[StoredArticle]:
    """Stored articles by id, in id order."""
    ids = sorted(set(ids))
    if not ids:
        return []
    rows = session.connection().execute(_ARTICLES_BY_ID, {"ids": ids})
    return [StoredArticle(*row) for row in rows]


def add_article(session: Session, article: Article, columns: Mapping[str, object]) -> int:
    """Insert an article row with its extra `columns` (text_hash, fetched_at, links); returns its id.

    `family_id` and `story_id` default to the article's own id. One Core
    INSERT .. RETURNING (and one UPDATE for the self-links): the unit of
    work would cost a millisecond per article.
    """
    values = {"url": clean_text(article.url), "title": clean_text(article.title),
              "text": clean_text(article.text), "published_on": article.published_on,
              "published_at": article.published_at,
              "date_source": article.date_source.value, "source": clean_text(article.source),
              "is_archive": False, **columns}
    connection = session.connection()
    article_id: int = connection.execute(_INSERT_ARTICLE, values).scalar_one()
    if values.get("family_id") is None or values.get("story_id") is None:
        connection.execute(_LINK_TO_SELF, {"self_id": article_id})
    return article_id


def article_record(session: Session, article_id: int) -> Article:
    """A stored article as the stages read it."""
    row = session.get_one(ArticleRow, article_id)
    return Article(url=row.url, title=row.title, text=row.text, published_on=row.published_on,
                   date_source=DateSource(row.date_source), source=row.source,
                   published_at=None if row.published_at is None else aware(row.published_at))


def set_claims_version(session: Session, article_id: int, version: str) -> None:
    """Record which version of the claim reader read an article."""
    session.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(claims_version=version))


def replace_mentions(session: Session, article_id: int, mentions: Sequence[Mention]) -> int:
    """Replace all mentions of one article (a re-read after the topics changed); returns how many."""
    session.connection().execute(_DELETE_MENTIONS, {"of_article": article_id})
    return add_mentions(session, article_id, mentions)


def add_mentions(session: Session, article_id: int, mentions: Sequence[Mention]) -> int:
    """Insert the article's mentions; returns how many."""
    if mentions:
        session.connection().execute(_INSERT_MENTIONS, [
            {"article_id": article_id, "topic": m.topic, "term": clean_text(m.term),
             "sentence": clean_text(m.sentence), "start": m.start, "end": m.end} for m in mentions])
    return len(mentions)


def article_topics(session: Session, article_ids: Iterable[int]) -> dict[int, list[str]]:
    """The topics each article mentions."""
    ids = list(article_ids)
    topics: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return topics
    rows = session.execute(select(MentionRow.article_id, MentionRow.topic).where(
        MentionRow.article_id.in_(ids)).distinct().order_by(MentionRow.topic))
    for article_id, topic in rows:
        topics[article_id].append(topic)
    return topics


def mentioning_articles(session: Session, since: date | None = None) -> list[ArticleRow]:
    """Articles that mention a topic and are not copies, oldest first."""
    query = (select(ArticleRow).where(ArticleRow.duplicate_of_id.is_(None),
                                      ArticleRow.id.in_(select(MentionRow.article_id)))
             .order_by(ArticleRow.published_on.asc().nulls_last(), ArticleRow.id))
    if since is not None:
        query = query.where(ArticleRow.published_on >= since)
    return list(session.scalars(query))


def listed_articles(session: Session, since: date | None = None) -> list[ListedArticle]:
    """Articles that mention a topic and are not copies, oldest first, with their topics and story."""
    rows = mentioning_articles(session, since)
    topics = article_topics(session, (a.id for a in rows))
    return [ListedArticle(url=a.url, title=a.title, published_on=a.published_on,
                          topics=tuple(topics.get(a.id, [])), story_id=a.story_id or a.id) for a in rows]


def change_payloads(session: Session, since: date | None = None) -> list[dict[str, object]]:
    """Stored changes as the report's JSON objects, in order of the newer report's date."""
    return [row.payload for row in change_rows(session) if since is None or row.current_published_on >= since]


def original_article_ids(session: Session) -> list[int]:
    """The ids of every stored article that is not a copy (claims are read from these)."""
    return list(session.scalars(select(ArticleRow.id).where(ArticleRow.duplicate_of_id.is_(None))
                                .order_by(ArticleRow.id)))


# --- dedup index ------------------------------------------------------------------


def add_band_keys(session: Session, article_id: int, kind: str, keys: Iterable[tuple[int, int]]) -> None:
    """Store an article's LSH band keys in the durable index."""
    rows = [{"article_id": article_id, "kind": kind, "band": band, "key": key} for band, key in keys]
    if rows:  # one Core executemany: ~70 rows per article would cost a millisecond as ORM objects
        session.connection().execute(_INSERT_BANDS, rows)


def candidate_articles(session: Session, kind: str, keys: Sequence[tuple[int, int]], limit: int) -> list[int]:
    """Up to `limit` articles sharing at least one band key, most shared bands first (one indexed query)."""
    if not keys:
        return []
    wanted = set(keys)
    shared: dict[int, int] = {}
    statement = _BAND_CANDIDATES[session.get_bind().dialect.name]
    for article_id, band, key in session.connection().execute(
            statement, {"kind": kind, "keys": sorted({key for _, key in keys})}):
        if (band, key) in wanted:
            shared[article_id] = shared.get(article_id, 0) + 1
    return sorted(shared, key=lambda article_id: (-shared[article_id], article_id))[:limit]


# --- claims and changes -----------------------------------------------------------


def encode_value(value: ClaimValue) -> dict[str, object]:
    """A claim value as stored: exact (decimals as strings), with its precision."""
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency, "precision": str(value.precision)}
    if isinstance(value, Window):
        return {"earliest": value.earliest.isoformat() if value.earliest else None,
                "latest": value.latest.isoformat() if value.latest else None,
                "precision": value.precision,
                "milestone": value.milestone.value if value.milestone else None}
    return {"count": value.count}


def decode_value(stored: dict[str, object]) -> ClaimValue:
    """The inverse of `encode_value`."""
    if "amount" in stored:
        return Money(amount=Decimal(str(stored["amount"])), currency=str(stored["currency"]),
                     precision=Decimal(str(stored["precision"])))
    if "latest" in stored:
        earliest, latest, milestone = stored.get("earliest"), stored.get("latest"), stored.get("milestone")
        return Window(earliest=date.fromisoformat(str(earliest)) if earliest else None,
                      latest=date.fromisoformat(str(latest)) if latest else None,
                      precision=str(stored["precision"]),
                      milestone=Milestone(str(milestone)) if milestone else None)
    count = stored["count"]
    return Count(count=count if isinstance(count, int) else int(str(count)))


def replace_claims(session: Session, article_id: int, rows: Sequence[Mapping[str, object]]) -> None:
    """Replace all claims of one article (a re-read replaces, never adds); rows are column values."""
    session.connection().execute(_DELETE_CLAIMS, {"of_article": article_id})
    add_claims(session, article_id, rows)


def add_claims(session: Session, article_id: int, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert claims of an article that has none yet; rows are column values."""
    if rows:
        session.connection().execute(_INSERT_CLAIMS, [{**row, "article_id": article_id} for row in rows])


ClaimGroup = tuple[str, str, str]   # (topic, subject, kind): what a pass reassesses


def all_claims(session: Session, topic: str | None = None,
               groups: Collection[ClaimGroup] | None = None) -> list[tuple[ClaimRow, ArticleRow]]:
    """Every stored claim with its article (of one topic, or of some groups), in publication order.

    The articles come without their text and signature (raising if read): a
    claim carries its sentence, and loading every text made a subject's
    timeline over 2,000 claims cost 60 % more (benchmarks/web_pages.py).
    """
    query = (select(ClaimRow, ArticleRow).join(ArticleRow, ClaimRow.article_id == ArticleRow.id)
             .options(defer(ArticleRow.text, raiseload=True), defer(ArticleRow.signature, raiseload=True))
             .where(ArticleRow.duplicate_of_id.is_(None))
             .order_by(ArticleRow.published_on.asc().nulls_last(), ArticleRow.id, ClaimRow.seq))
    if topic:
        query = query.where(ClaimRow.topic == topic)
    if groups is not None:
        query = query.where(_in_groups(ClaimRow, groups))
    return [(c, a) for c, a in session.execute(query)]


def _in_groups(model: type[ClaimRow] | type[ChangeRow] | type[ConsensusRow],
               groups: Collection[ClaimGroup]) -> ColumnElement[bool]:
    return or_(false(), *(and_(model.topic == topic, model.subject == subject, model.kind == kind)
                          for topic, subject, kind in sorted(groups)))


def claim_groups_after(session: Session, claim_id: int) -> set[ClaimGroup]:
    """The groups of the claims stored after `claim_id` (of originals and copies alike)."""
    rows = session.execute(select(ClaimRow.topic, ClaimRow.subject, ClaimRow.kind)
                           .where(ClaimRow.id > claim_id).distinct())
    return {(topic, subject, kind) for topic, subject, kind in rows}


def last_claim_id(session: Session) -> int:
    """The id of the newest stored claim (0: none)."""
    found: int | None = session.scalar(select(func.max(ClaimRow.id)))
    return found or 0


@dataclass(frozen=True)
class AssessmentMark:
    """How far changes are assessed (models.AssessmentRow)."""

    last_claim_id: int
    fingerprint: str


def assessment_mark(session: Session) -> AssessmentMark | None:
    """How far changes are assessed; None when never (or before this was recorded)."""
    row = session.get(AssessmentRow, 1)
    return None if row is None else AssessmentMark(row.last_claim_id, row.fingerprint)


def set_assessment_mark(session: Session, mark: AssessmentMark) -> None:
    """Record how far changes are assessed (one row, upserted)."""
    statement = _INSERT_WITH_CONFLICTS[_dialect(session)](_table(AssessmentRow))
    session.execute(statement.values(id=1, last_claim_id=mark.last_claim_id, fingerprint=mark.fingerprint)
                    .on_conflict_do_update(index_elements=["id"], set_={
                        "last_claim_id": statement.excluded.last_claim_id,
                        "fingerprint": statement.excluded.fingerprint}))


def change_rows(session: Session) -> list[ChangeRow]:
    """Stored changes in order of the newer report's date."""
    return list(session.scalars(select(ChangeRow).order_by(ChangeRow.current_published_on, ChangeRow.id)))


@dataclass(frozen=True)
class ChangeKey:
    """What identifies a change across recomputations: the reading (article) that made it, in its group."""

    topic: str
    subject: str
    kind: str
    milestone: str            # "" when not a schedule
    current_article_id: int


@dataclass(frozen=True)
class ComputedChange:
    """A change as computed, to store under its key."""

    direction: str
    current_published_on: date
    previous_article_id: int
    payload: dict[str, object]


def sync_changes(session: Session, computed: Mapping[ChangeKey, ComputedChange], now: datetime,
                 groups: Collection[ClaimGroup] | None = None) -> int:
    """Make the changes table (of `groups`, else all of it) equal `computed`; keep `detected_at` of known
    ones. Returns how many are new."""
    query = select(ChangeRow) if groups is None else select(ChangeRow).where(_in_groups(ChangeRow, groups))
    existing = {ChangeKey(r.topic, r.subject, r.kind, r.milestone, r.current_article_id): r
                for r in session.scalars(query)}
    for key, stale in existing.items():
        if key not in computed:
            session.delete(stale)
    session.flush()
    new = 0
    for key, change in computed.items():
        row = existing.get(key)
        if row is None:
            session.add(ChangeRow(topic=key.topic, subject=key.subject, kind=key.kind, milestone=key.milestone,
                                  previous_article_id=change.previous_article_id,
                                  current_article_id=key.current_article_id, direction=change.direction,
                                  payload=change.payload, current_published_on=change.current_published_on,
                                  detected_at=now))
            new += 1
        else:
            row.direction, row.payload = change.direction, change.payload
            row.current_published_on, row.previous_article_id = change.current_published_on, change.previous_article_id
    return new


def replace_consensus(session: Session, payloads: Sequence[Mapping[str, object]]) -> None:
    """Replace every subject's consensus (the report's `subjects` objects, in order).

    Upserted by position, then the rest deleted: two recomputes racing (the
    article lock lost) both end with the one table, never a duplicate key.
    """
    rows = [{"seq": seq, "topic": str(payload["topic"]), "subject": str(payload["subject"]),
             "kind": str(payload["kind"]), "milestone": str(payload.get("milestone") or ""), "payload": dict(payload)}
            for seq, payload in enumerate(payloads)]
    if rows:
        statement = _INSERT_WITH_CONFLICTS[_dialect(session)](_table(ConsensusRow))
        new = statement.excluded
        session.execute(statement.values(rows).on_conflict_do_update(
            index_elements=["seq"], set_={"topic": new.topic, "subject": new.subject, "kind": new.kind,
                                         "milestone": new.milestone, "payload": new.payload}))
    session.execute(delete(ConsensusRow).where(ConsensusRow.seq >= len(rows)))


def consensus_payloads(session: Session) -> list[dict[str, object]]:
    """Every subject's consensus, in the report's order."""
    return [row.payload for row in session.scalars(select(ConsensusRow).order_by(ConsensusRow.seq))]


# --- runs ---------------------------------------------------------------------------


def start_run(session: Session, kind: str, now: datetime) -> int:
    """Record the start of a run; returns its id."""
    row = RunRow(kind=kind, started_at=now, status="running", counts={})
    session.add(row)
    session.flush()
    return row.id


def finish_run(session: Session, run_id: int, status: str, counts: dict[str, object], now: datetime) -> None:
    """Record the end of a run with its counts."""
    session.execute(update(RunRow).where(RunRow.id == run_id).values(
        status=status, counts=counts, finished_at=now))
