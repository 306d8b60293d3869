"""Frozen records that cross pipeline stages.

Stages take and return these; no library object (feedparser dicts, httpx
responses, SQLAlchemy rows) leaves the module that wraps its library.
Times are timezone-aware UTC (`*_at`), dates are `date` (`*_on`), money is
`Decimal` with an ISO 4217 currency code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class ClaimKind(StrEnum):
    """What a claim states about a tracked deal."""

    DEAL_VALUE = "deal_value"
    DELIVERY_SCHEDULE = "delivery_schedule"
    UNITS_ORDERED = "units_ordered"
    UNITS_DELIVERED = "units_delivered"


class Milestone(StrEnum):
    """What a delivery schedule dates (spec: "Claim JSON"); none means the whole order, compared as `last`."""

    FIRST = "first"          # deliveries begin, or the first unit
    NEXT = "next"            # a unit or batch that does not complete the order
    LAST = "last"            # completion: all of it, the remaining or final units


class DateSource(StrEnum):
    """Where an article's publication date came from."""

    PAGE = "page"            # the article page's metadata (htmldate / trafilatura)
    FEED = "feed"            # the feed entry's published/updated date
    ARCHIVE = "archive"      # archive/metadata.toml (inferred by a person)
    FETCHED = "fetched"      # no date anywhere: the time it was fetched


# --- topics -----------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """One contract or purchase a topic's claims can be about."""

    id: str
    cues: tuple[str, ...] = ()
    default: bool = False


@dataclass(frozen=True)
class Topic:
    """A tracked topic: the terms that mention it and the facts read for it."""

    id: str
    name: str
    terms: tuple[str, ...]
    track: tuple[ClaimKind, ...] = tuple(ClaimKind)
    subjects: tuple[Subject, ...] = ()
    # Names of other deals or systems that, named in a sentence, claim its
    # values for themselves ("the S-500", "Rafale"): data, so that a new topic
    # brings its own distractors without code.
    excludes: tuple[str, ...] = ()
    # Who buys ("India", "Indian Air Force"): another buyer's order of the same
    # system is not this topic's. Empty: any buyer.
    buyer: tuple[str, ...] = ()


# --- feeds and articles -----------------------------------------------------


@dataclass(frozen=True)
class FeedSpec:
    """A feed from the config."""

    name: str
    url: str
    interval_minutes: int = 60


@dataclass(frozen=True)
class FeedState:
    """A feed's polling state as stored: validators, errors, when it is next polled (times aware UTC)."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None              # of the last full body: a server that ignores validators
    full_fetched_at: datetime | None = None   # the last full body (200, not 304)
    last_fetched_at: datetime | None = None
    last_success_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    consecutive_errors: int = 0
    total_errors: int = 0
    next_poll_at: datetime | None = None
    disabled_reason: str | None = None        # 410 or too many failures: not polled unless named


@dataclass(frozen=True)
class Validators:
    """What a feed returned last time, for a conditional GET (RFC 9110 §13.1)."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """A fetched body (or a 304) with what the caller stores about it."""

    url: str                 # final URL after redirects (the path for local files)
    status: int              # the 2xx status, or 304
    body: bytes              # decoded from Content-Encoding, raw charset bytes; b"" for 304
    not_modified: bool
    etag: str | None         # None when the response had Expires: 0/past or no validator
    last_modified: str | None
    content_type: str | None
    permanent_redirect: str | None = None   # where the leading 301/308 hops ended, if any


@dataclass(frozen=True)
class SeenEntry:
    """What came of a feed entry seen before: its outcome and how many downloads were tried."""

    outcome: str              # article, duplicate, no_text, failed, fetch_failed
    attempts: int


@dataclass(frozen=True)
class Entry:
    """One feed entry, typed once out of feedparser's dict."""

    feed_name: str
    guid: str | None
    link: str | None
    title: str
    summary: str
    published_at: datetime | None


@dataclass(frozen=True)
class Article:
    """An article's extracted text and metadata."""

    url: str                  # canonical URL (or `archive:<file>` for the seed corpus)
    title: str
    text: str
    published_on: date | None
    date_source: DateSource
    source: str               # feed name, or "archive"
    published_at: datetime | None = None   # the time of publication, when known (orders one day's articles)


@dataclass(frozen=True)
class StoredArticle:
    """What the dedup decision needs of a stored article."""

    id: int
    text: str
    duplicate_of_id: int | None
    family_id: int | None
    story_id: int | None


@dataclass(frozen=True)
class ListedArticle:
    """A stored article as reports list it: with the topics it mentions and its story."""

    url: str
    title: str
    published_on: date | None
    topics: tuple[str, ...]
    story_id: int             # the first article of its story (its own id when alone)


@dataclass(frozen=True)
class FoundArticle:
    """A stored article that a full-text search found, with the passage around the first word found."""

    url: str
    title: str
    published_on: date | None
    source: str               # feed name, or "archive"
    story_id: int
    passage: str


@dataclass(frozen=True)
class Mention:
    """A sentence of an article that names a tracked topic."""

    topic: str
    term: str
    sentence: str
    start: int
    end: int


# --- claims and changes -----------------------------------------------------


@dataclass(frozen=True)
class Money:
    """An amount as written, with the unit of its last written digit."""

    amount: Decimal
    currency: str             # ISO 4217
    precision: Decimal        # in currency units: "5.5 billion" -> 100_000_000


@dataclass(frozen=True)
class Window:
    """A delivery window: deliveries happen or finish between the two dates."""

    earliest: date | None
    latest: date | None       # None: the text gives only when deliveries start
    precision: str            # "year" or "month" or "day": the coarsest part written
    milestone: Milestone | None = None


@dataclass(frozen=True)
class Count:
    """A number of units (squadrons, regiments, systems)."""

    count: int


ClaimValue = Money | Window | Count


@dataclass(frozen=True)
class Claim:
    """One fact read from one sentence."""

    topic: str
    subject: str
    kind: ClaimKind
    value: ClaimValue
    text: str                 # the sentence
    start: int                # offsets of the sentence in the article text
    end: int
    historical: bool = False  # given as superseded ("originally due by 2023")


@dataclass(frozen=True)
class ReportedClaim:
    """A claim with the article that reported it: the unit of change detection."""

    claim: Claim
    article_id: int
    url: str
    title: str
    published_on: date
    family_id: int            # copies share a family: they corroborate once
    published_at: datetime | None = None   # the time of day, when known: orders one day's articles
    outlet: str = ""          # who published it (a site, a feed, an archive file); "": the URL alone
    claim_id: int | None = None            # the stored claim, once stored
    source: str = ""          # the feed's name, or "archive"


@dataclass(frozen=True)
class Change:
    """A value that agrees with no earlier one, or an earlier one that won back the sources.

    `sources` are the articles (one per independent source) that report the
    new value; `disputed_by` those that went on reporting an earlier value
    while it was current; `confirmed` once two independent sources agree.
    """

    topic: str
    subject: str
    kind: ClaimKind
    milestone: Milestone | None   # schedules: what they date (None: the whole schedule); else None
    previous: ReportedClaim
    current: ReportedClaim
    direction: str            # later/earlier for schedules, higher/lower otherwise
    confirmed: bool = False
    sources: tuple[str, ...] = ()
    disputed_by: tuple[str, ...] = ()
    previous_claim_ids: tuple[int, ...] = ()
    current_claim_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Disagreement:
    """A value reported since a subject's current value was first reported, other than it."""

    value: ClaimValue
    sources: tuple[str, ...]  # article URLs, one per independent source


@dataclass(frozen=True)
class Consensus:
    """Where a subject stands: its current value, who agrees, who reports something else."""

    topic: str
    subject: str
    kind: ClaimKind
    milestone: Milestone | None
    value: ClaimValue
    sources: tuple[str, ...]  # article URLs, one per independent source
    disagreeing: tuple[Disagreement, ...] = ()


@dataclass(frozen=True)
class TimelinePoint:
    """One reported value for the chart: when it was published, the value, who reported it."""

    published_on: date
    value: float
    source: str


# --- a pass -----------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    """Counts for one polling pass (`run --json`)."""

    feeds_ok: int = 0
    feeds_failed: int = 0
    feeds_skipped: int = 0
    entries: int = 0
    new_articles: int = 0
    duplicates: int = 0
    mentions: int = 0
    claims: int = 0
    changes: int = 0
    errors: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class QueuedTask:
    """One unit of queued work as the tasks see it (store/tasks.py; the broker carries only its id)."""

    id: int
    run_id: int
    kind: str                      # poll, page
    key: str
    payload: dict[str, object]
    done: bool


# --- reviews (analysts) -----------------------------------------------------------


class ReviewAction(StrEnum):
    """What an analyst said of a claim (spec: "Claims under review")."""

    CONFIRM = "confirm"      # checked: shown as such, counted as before
    REJECT = "reject"        # a misreading: takes no part in changes, consensus or alerts
    PIN = "pin"              # its value is the subject's current value, confirmed


@dataclass(frozen=True)
class ClaimReview:
    """One claim's review: what, why, who and when."""

    action: ReviewAction
    reviewer: str
    reviewed_at: datetime
    note: str = ""
