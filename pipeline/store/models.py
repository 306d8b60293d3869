"""SQLAlchemy 2 models. The schema is created only by Alembic migrations.

Idempotence lives here: what identifies a feed entry, an article, a mention
or a claim is a unique constraint, so a rerun or a crash never duplicates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class FeedRow(Base):
    """A configured feed and its polling state."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_hash: Mapped[str | None] = mapped_column(String(64))
    full_fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the last 200, not 304
    last_fetched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    consecutive_errors: Mapped[int] = mapped_column(Integer, default=0)
    total_errors: Mapped[int] = mapped_column(Integer, default=0)
    next_poll_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_reason: Mapped[str | None] = mapped_column(Text)


class ArticleRow(Base):
    """An article whose text was extracted: the archive, new articles and copies.

    A copy keeps a row (with `duplicate_of_id` and its similarity) so that its
    URL is never fetched again, but it is not a new mention or claim source.
    """

    __tablename__ = "articles"
    # Two processes storing the same text under two URLs at once keep one
    # original: the second insert fails and is retried, and then finds it.
    __table_args__ = (Index("uq_articles_original_text_hash", "text_hash", unique=True,
                            sqlite_where=text("duplicate_of_id IS NULL"),
                            postgresql_where=text("duplicate_of_id IS NULL")),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the time, when known
    date_source: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(200))
    is_archive: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    similarity: Mapped[float | None]
    family_id: Mapped[int | None] = mapped_column(Integer, index=True)
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    signature: Mapped[bytes | None]
    claims_version: Mapped[str | None] = mapped_column(String(40))


class SeenEntryRow(Base):
    """A feed entry that was handled, whatever came of it, so it is not fetched again."""

    __tablename__ = "seen_entries"
    __table_args__ = (UniqueConstraint("feed_name", "entry_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_name: Mapped[str] = mapped_column(String(200))
    entry_key: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MentionRow(Base):
    """A sentence of an article that names a topic."""

    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("article_id", "topic", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(100), index=True)
    term: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class ClaimRow(Base):
    """One claim read from one sentence, with the reader version that read it."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("article_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(100), index=True)
    subject: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[dict[str, object]] = mapped_column(JSON)
    sentence: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    historical: Mapped[bool] = mapped_column(Boolean, default=False)
    reader_version: Mapped[str] = mapped_column(String(40))


class ChangeRow(Base):
    """A detected change; recomputed from claims, `detected_at` kept across recomputes.

    Identified by the article whose reading made it (within its topic,
    subject, kind and milestone): the previous side may move, the change stays.
    """

    __tablename__ = "changes"
    __table_args__ = (UniqueConstraint("topic", "subject", "kind", "milestone", "current_article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    milestone: Mapped[str] = mapped_column(String(10), default="", server_default="")   # "": not a schedule
    previous_article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    current_article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    current_published_on: Mapped[date] = mapped_column(Date, index=True)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ConsensusRow(Base):
    """Where one subject stands (the report's `subjects`); replaced whole with every recompute."""

    __tablename__ = "consensus"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)       # the report's order
    topic: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    milestone: Mapped[str] = mapped_column(String(10), default="", server_default="")
    payload: Mapped[dict[str, object]] = mapped_column(JSON)


class AssessmentRow(Base):
    """How far changes are assessed: the last claim taken into account and the rules' settings then.

    One row (id 1). A pass reassesses only the groups of claims stored after
    `last_claim_id`; another `fingerprint` (exchange rates edited) or no row
    at all means everything is reassessed.
    """

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_claim_id: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))


class DedupBandRow(Base):
    """LSH band keys of each article's signature: the durable near-duplicate index."""

    __tablename__ = "dedup_bands"
    # Keys are random 63-bit values: looking them up by key alone is selective,
    # and `key IN (...)` uses this index on SQLite and PostgreSQL alike.
    __table_args__ = (Index("ix_dedup_bands_kind_key", "kind", "key"),
                      UniqueConstraint("article_id", "band", "kind"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))     # "copy" or "story"
    band: Mapped[int] = mapped_column(Integer)
    key: Mapped[int] = mapped_column(BigInteger)


class RunRow(Base):
    """One polling pass (or init/rebuild), with its counts."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))
    counts: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class DigestRow(Base):
    """One daily digest: recorded before it is sent, marked sent once the server accepts it.

    The unique `digest_on` makes "once per date" a property of the schema
    (checklist E1, S12); a row left `pending` is retried with its Message-ID.
    """

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_on: Mapped[date] = mapped_column(Date, unique=True)
    status: Mapped[str] = mapped_column(String(20))          # pending, sent, skipped (nothing to send)
    window_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    window_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class ClaimReviewRow(Base):
    """An analyst's review of one claim (confirm, reject, pin), kept across `claims rebuild`.

    Keyed by the claim's key (pipeline/store/reviews.py: the article's URL,
    the sentence's offsets, topic, kind and value), not by the claim's row:
    a re-read replaces the rows, and the same reading gets the same key.
    """

    __tablename__ = "claim_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_key: Mapped[str] = mapped_column(String(64), unique=True)
    action: Mapped[str] = mapped_column(String(10))          # confirm, reject, pin
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertDeliveryRow(Base):
    """One webhook POST of one change to one alert: recorded before it is sent, marked sent once accepted.

    The unique (alert, change, event) makes "posted once per alert" a property
    of the schema; `delivery_id` and `body` are fixed when recorded, so every
    retry sends the same bytes under the same X-Newswatch-Delivery.
    """

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("alert", "change_key", "event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(64), unique=True)
    alert: Mapped[str] = mapped_column(String(200))          # the alert's name
    change_key: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(20))           # change, confirmed, withdrawn
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)   # was the change confirmed when recorded
    url: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    change: Mapped[dict[str, object]] = mapped_column(JSON)  # the change JSON as alerted (for a later update)
    status: Mapped[str] = mapped_column(String(20), index=True)   # pending, sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TaskRow(Base):
    """One unit of queued work (the transactional outbox): recorded in the transaction that caused it.

    The broker only carries a task's id; the row is the truth. A row is
    published after its transaction commits (`sent_at`), and sent again when it
    is still unfinished `[queue] resend_after_s` later; the unique (run, kind,
    key) lets a redelivered poll record its pages once, and `done_at` set in
    the task's own transaction makes a second delivery a no-op.
    """

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("run_id", "kind", "key"),
                      Index("ix_tasks_unfinished", "run_id", postgresql_where=text("done_at IS NULL"),
                            sqlite_where=text("done_at IS NULL")))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))            # poll, page
    key: Mapped[str] = mapped_column(Text)                   # poll: the feed's name; page: the canonical URL
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sends: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, object] | None] = mapped_column(JSON)   # the task's counts for the run's summary
