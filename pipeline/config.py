"""The TOML config file -> frozen, validated settings.

Lookup order (spec): `--config PATH`, `$NEWSWATCH_CONFIG`,
`./config/newswatch.toml`; with none of them every key takes its default.
An unknown key, a wrong type or a bad value is a `ConfigError` naming the
file and the key. Secrets never come from the file: the SMTP password is read
from `$NEWSWATCH_SMTP_PASSWORD` and `$NEWSWATCH_DATABASE_URL` overrides
`[database] url`.

Settings sit at the ground: this module imports no stage (only records,
errors and the rate tables), so the HTTP and mail wrappers and `--help` load
nothing heavy. The topics of `topics.toml` and [[topics]] are parsed here
too; `pipeline.topics` compiles their names for the stages.
"""

from __future__ import annotations

import os
import re
import tomllib
from importlib import resources
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.errors import ConfigError
from pipeline.rates import ExchangeRates, default_rates, load_project_table, parse_rates
from pipeline.records import ClaimKind, FeedSpec, Subject, Topic

DEFAULT_CONFIG_PATH = Path("config") / "newswatch.toml"
DEFAULT_DATABASE_URL = "sqlite:///data/newswatch.db"
USER_AGENT = "newswatch/0.1 (+https://github.com/newswatch/newswatch; news monitor)"


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the database lives."""

    url: str = DEFAULT_DATABASE_URL


@dataclass(frozen=True)
class FetchSettings:
    """HTTP limits and the address guard."""

    allow_private_addresses: bool = False
    allowed_hosts: tuple[str, ...] = ()
    timeout_s: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    max_entries_per_feed: int = 200
    workers: int = 8
    # Some servers answer 304 to a stale ETag or Last-Modified forever: a feed
    # whose full body is older than this is fetched without validators
    # (Miniflux does the same). 0: always conditional.
    refresh_unconditional_hours: int = 24
    # Per-host politeness, in the one-process path and across workers: requests
    # in flight to one host, and the least time between the starts of two
    # requests to one host (0: off; set it for sites that ask, FreshRSS#7880).
    per_host_concurrency: int = 2
    per_host_interval_s: float = 0.0


@dataclass(frozen=True)
class QueueSettings:
    """Scaling out: the stages as tasks on a broker ("" = everything in-process)."""

    broker: str = ""             # amqp://user:password@host:5672/vhost
    name: str = "newswatch"      # prefixes the queues: installations sharing a broker stay apart
    redis: str = ""              # redis://host:6379/0: per-host limits shared across workers
    metrics_port: int = 0        # Prometheus metrics of `serve` and `worker` on this port (0: off)
    # Work recorded but not finished this long after it was sent is sent
    # again (lost between commit and publish, or purged from the broker).
    resend_after_s: float = 300.0


@dataclass(frozen=True)
class DigestSettings:
    """Who gets the daily digest and through which SMTP server."""

    to: tuple[str, ...] = ()
    from_: str = "newswatch@localhost"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    starttls: bool = False
    tls: bool = False
    username: str = ""
    timeout_s: float = 30.0
    send_empty: bool = False
    time: str = "07:00"
    timezone: str = "UTC"


@dataclass(frozen=True)
class ScheduleSettings:
    """How often `serve` polls."""

    poll_interval_minutes: int = 60


@dataclass(frozen=True)
class ProcessingSettings:
    """How article extraction is spread over CPU cores."""

    # Worker processes for extraction and claim reading; 0 = one per core.
    # Extraction is ~97 % of the CPU per page, so this is what scales a pass.
    processes: int = 0
    # Fewer new pages than this in a feed are handled in-process: starting
    # workers costs more than it saves.
    min_pages_for_processes: int = 8


@dataclass(frozen=True)
class DedupSettings:
    """Shingling, MinHash banding and decision thresholds.

    Measured with `python -m benchmarks.dedup_eval`; see the comments. Used by `pipeline.dedup`;
    a plain record here so that settings import no stage.
    """

    # Word 5-grams: over the 32,580 ordered pairs of distinct texts (seeds and
    # the 181 ground-truth articles) the largest containment is 0.27 at k=5
    # (two pages of one site sharing a footer), 0.31 at k=3; same-topic seed
    # pairs share <= 0.013 of their 5-shingles, and 001/004 (a rewrite) 0.13.
    shingle_words: int = 5
    # 126 = 42 bands x 3 rows: the chance that a pair with shingle Jaccard s
    # becomes a candidate is 1-(1-s^3)^42: 0.94 at s=0.40, 0.996 at s=0.50
    # (a first-half copy). Distinct texts (Jaccard median 0, 99th percentile
    # 0.0003) collide with probability < 1e-6 per stored article.
    num_perm: int = 126
    bands: int = 42
    rows: int = 3
    # A copy adds little the original does not have: most of the new text's
    # shingles are in the old one. Measured share (new in old): truncations,
    # removed paragraphs and format variants >= 0.937; distinct texts <= 0.27;
    # follow-ups reusing one background paragraph <= 0.46.
    copy_containment: float = 0.8
    # ... or it holds nearly all of the old text (old in new >= 0.938 for an
    # added paragraph, 1.0 under boilerplate) and adds a bounded amount around
    # it (new in old >= 0.66 under boilerplate, >= 0.72 with a paragraph added).
    # A follow-up that quotes a whole old article but is mostly new text stays
    # below 0.6 and is kept as new.
    copy_enclosure: float = 0.9
    copy_enclosure_min_containment: float = 0.6
    # Below this many words only an identical normalised text is a copy.
    min_words: int = 25
    # Story candidates: MinHash over salient-term sets (names, numbers, long
    # words), 64 = 32 bands x 2 rows: candidate probability 0.52 at salient
    # Jaccard 0.15, 0.88 at 0.25, 1.0 at 0.5 (001 vs 004). Stories are
    # time-local: the store should also bound story lookups by date.
    story_num_perm: int = 64
    story_bands: int = 32
    story_rows: int = 2
    # Story score: content-word pairs two texts share outside verbatim runs of
    # `story_verbatim_words` words, over the smaller text's pairs. 001 vs 004
    # score 0.27; every other seed pair (same topic, other events) <= 0.084;
    # same-site pages that share only boilerplate paragraphs drop from 0.36 to
    # 0.08 once runs of 12+ shared words are set aside (at 16 one stays at
    # 0.116). On 32 hand-labelled same-event pairs of the ground-truth pages
    # the measure alone finds 50 % at precision 1.0 (distinct pairs <= 0.08).
    story_overlap: float = 0.12
    story_verbatim_words: int = 12
    # Too few shared pairs is chance, however short the texts.
    story_min_shared: int = 8
    seed: int = 1


@dataclass(frozen=True)
class AlertSettings:
    """One `[[alerts]]` webhook: where, in which format, for which changes (spec: "Alerts and feeds of changes")."""

    url: str = ""
    name: str = ""                    # identifies the alert's deliveries; default: its URL
    format: str = "json"              # json, or slack (an incoming webhook's {"text": ...})
    topics: tuple[str, ...] = ()      # empty: every topic
    kinds: tuple[str, ...] = ()       # empty: every kind
    min_change_pct: float = 0.0       # amounts: only changes of at least this many percent
    min_slip_months: int = 0          # schedules: only shifts of at least this many months
    secret_env: str = ""              # the environment variable holding the HMAC secret
    updates: bool = False             # also post a later confirmation or withdrawal, once


ALERT_FORMATS = ("json", "slack")
ALERT_KINDS = ("deal_value", "delivery_schedule", "units_ordered", "units_delivered")


@dataclass(frozen=True)
class Settings:
    """Everything the config file can say, with defaults."""

    source: str = "<defaults>"
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    processing: ProcessingSettings = field(default_factory=ProcessingSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    feeds: tuple[FeedSpec, ...] = ()
    topics: tuple[Topic, ...] = ()
    exchange_rates: ExchangeRates = field(default_factory=default_rates)
    base_dir: Path = field(default_factory=Path.cwd)
    alerts: tuple[AlertSettings, ...] = ()
    queue: QueueSettings = field(default_factory=QueueSettings)


def find_config_path(explicit: str | None) -> Path | None:
    """The config file to read, or None when no file exists (defaults apply)."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
        return path
    env = os.environ.get("NEWSWATCH_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found (from $NEWSWATCH_CONFIG)")
        return path
    return DEFAULT_CONFIG_PATH if DEFAULT_CONFIG_PATH.is_file() else None


def load_settings(explicit: str | None = None) -> Settings:
    """Find, read and validate the config; apply environment overrides."""
    path = find_config_path(explicit)
    if path is None:
        raw: dict[str, Any] = {}
        settings = parse_settings(raw, "<defaults>", Path.cwd())
    else:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {exc}") from exc
        settings = parse_settings(raw, str(path), path.resolve().parent)
    env_url = os.environ.get("NEWSWATCH_DATABASE_URL")
    if env_url:
        settings = _replace(settings, database=DatabaseSettings(url=env_url))
    check_queue_database(settings)
    return settings


def check_queue_database(settings: Settings) -> None:
    """A broker needs PostgreSQL: workers on several machines share the database, which SQLite cannot."""
    if settings.queue.broker and settings.database.url.startswith("sqlite"):
        raise ConfigError(f"{settings.source}: [queue] broker is set but the database is SQLite, which workers "
                          f"on other processes and machines cannot share; set [database] url (or "
                          f"$NEWSWATCH_DATABASE_URL) to postgresql+psycopg://user@host/db, or set [queue] "
                          f"broker = \"\" to run everything in this process")


def parse_settings(raw: Mapping[str, Any], source: str, base_dir: Path) -> Settings:
    """Validate a parsed TOML document; relative paths are read against `base_dir`.

    `base_dir` is the folder above the config file's `config/` folder when the
    file sits in one (so `sqlite:///data/x.db` means the project's `data/`),
    otherwise the config file's own folder.
    """
    known = {"database", "fetch", "digest", "schedule", "processing", "dedup", "feeds", "topics",
             "exchange_rates", "alerts", "queue"}
    _reject_unknown(raw, known, source, "")
    if base_dir.name == "config":
        base_dir = base_dir.parent
    database = _section(raw, "database", DatabaseSettings, source)
    fetch = _section(raw, "fetch", FetchSettings, source)
    digest = _section(raw, "digest", DigestSettings, source, renames={"from": "from_"})
    _check_digest(digest, source)
    schedule = _section(raw, "schedule", ScheduleSettings, source)
    processing = _section(raw, "processing", ProcessingSettings, source)
    dedup = _parse_dedup(raw.get("dedup", {}), source)
    if processing.processes < 0:
        raise ConfigError(f"{source}: [processing] processes must be 0 (one per core) or more")
    feeds = _parse_feeds(raw.get("feeds", []), source, base_dir)
    topics = merge_topics(load_builtin_topics(), parse_topics(raw.get("topics", []), source))
    rates = ExchangeRates(overrides=parse_rates(raw.get("exchange_rates", {}), source), table=load_project_table())
    if fetch.refresh_unconditional_hours < 0:
        raise ConfigError(f"{source}: [fetch] refresh_unconditional_hours must be 0 (never) or more")
    if fetch.timeout_s <= 0 or fetch.max_bytes <= 0 or fetch.max_redirects < 0 or fetch.workers < 1:
        raise ConfigError(f"{source}: [fetch] timeout_s, max_bytes and workers must be positive")
    if fetch.per_host_concurrency < 1 or fetch.per_host_interval_s < 0:
        raise ConfigError(f"{source}: [fetch] per_host_concurrency must be 1 or more and per_host_interval_s "
                          f"0 (off) or more")
    alerts = _parse_alerts(raw.get("alerts", []), source)
    queue = _parse_queue(raw, source)
    return Settings(source=source, database=database, fetch=fetch, digest=digest, schedule=schedule,
                    processing=processing, dedup=dedup, feeds=feeds, topics=topics, exchange_rates=rates,
                    base_dir=base_dir, alerts=alerts, queue=queue)


# Dramatiq's rule for queue names; `name` prefixes every queue.
_QUEUE_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_-]*")


def _parse_queue(raw: Mapping[str, Any], source: str) -> QueueSettings:
    queue: QueueSettings = _section(raw, "queue", QueueSettings, source)
    if queue.broker and urlsplit(queue.broker).scheme not in ("amqp", "amqps"):
        raise ConfigError(f"{source}: [queue] broker must be a RabbitMQ URL such as "
                          f"amqp://guest:guest@127.0.0.1:5672/, or empty")
    if queue.redis and urlsplit(queue.redis).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(f"{source}: [queue] redis must be a Redis URL such as redis://127.0.0.1:6379/0, or empty")
    if not _QUEUE_NAME.fullmatch(queue.name):
        raise ConfigError(f"{source}: [queue] name must be letters, digits, '_' and '-', starting with a letter")
    if not 0 <= queue.metrics_port <= 65535 or queue.resend_after_s <= 0:
        raise ConfigError(f"{source}: [queue] metrics_port must be 0 (off) to 65535 and resend_after_s positive")
    return queue


def resolve_database_url(settings: Settings) -> str:
    """The database URL with a relative SQLite path made absolute against the project."""
    url = settings.database.url
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite:///:memory:":
        return prefix + str((settings.base_dir / url[len(prefix):]).resolve())
    return url


def _replace(settings: Settings, **changes: Any) -> Settings:
    values = {f.name: getattr(settings, f.name) for f in fields(settings)}
    values.update(changes)
    return Settings(**values)


def _section(raw: Mapping[str, Any], name: str, cls: type[Any], source: str,
             renames: Mapping[str, str] | None = None) -> Any:
    table = raw.get(name, {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: [{name}] must be a table")
    renames = renames or {}
    defaults = cls()
    by_key = {renames.get(k, k): k for k in table}
    known = {f.name for f in fields(cls)}
    unknown = sorted(k for attr, k in by_key.items() if attr not in known)
    if unknown:
        allowed = ", ".join(sorted({next((k for k, v in renames.items() if v == n), n) for n in known}))
        raise ConfigError(f"{source}: unknown key [{name}] {unknown[0]!r} (known: {allowed})")
    values: dict[str, Any] = {}
    for attr, key in by_key.items():
        values[attr] = _coerce(table[key], getattr(defaults, attr), f"{source}: [{name}] {key}")
    return cls(**values)


def _coerce(value: Any, default: Any, where: str) -> Any:
    """Check a value against the type of its default (tuples come from arrays of strings)."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: must be true or false, not {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: must be an integer, not {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: must be a number, not {value!r}")
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"{where}: must be a string, not {value!r}")
        return value
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: must be an array of strings, not {value!r}")
        return tuple(value)
    raise ConfigError(f"{where}: unsupported value {value!r}")


# The decision thresholds may be tuned; the shingling and banding may not, since
# the band keys already stored were computed with them.
DEDUP_THRESHOLDS = ("copy_containment", "copy_enclosure", "copy_enclosure_min_containment", "min_words",
                    "story_overlap", "story_verbatim_words", "story_min_shared")


def _parse_dedup(table: Any, source: str) -> DedupSettings:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{source}: [dedup] must be a table")
    fixed = sorted(set(table) & ({f.name for f in fields(DedupSettings)} - set(DEDUP_THRESHOLDS)))
    if fixed:
        raise ConfigError(f"{source}: [dedup] {fixed[0]!r} cannot be changed: stored signatures depend on it "
                          f"(tunable: {', '.join(DEDUP_THRESHOLDS)})")
    settings: DedupSettings = _section({"dedup": table}, "dedup", DedupSettings, source)
    for name in ("copy_containment", "copy_enclosure", "copy_enclosure_min_containment", "story_overlap"):
        if not 0.0 < getattr(settings, name) <= 1.0:
            raise ConfigError(f"{source}: [dedup] {name} must be between 0 and 1")
    return settings


def _parse_feeds(tables: Any, source: str, base_dir: Path) -> tuple[FeedSpec, ...]:
    if not isinstance(tables, list):
        raise ConfigError(f"{source}: 'feeds' must be an array of tables ([[feeds]])")
    feeds: list[FeedSpec] = []
    for i, table in enumerate(tables):
        where = f"{source}: feeds[{i}]"
        if not isinstance(table, Mapping):
            raise ConfigError(f"{where}: must be a table")
        _reject_unknown(table, {"name", "url", "interval_minutes"}, where, "")
        name, url = table.get("name"), table.get("url")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}.name: must be a non-empty string")
        if not isinstance(url, str) or not url.strip():
            raise ConfigError(f"{where}.url: must be a non-empty string")
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https", "") and not Path(url).is_absolute():
            raise ConfigError(f"{where}.url: only http(s) URLs or local file paths are allowed, not {url!r}")
        if not scheme and not Path(url).is_absolute():
            url = str((base_dir / url).resolve())  # commands work from any directory
        interval = table.get("interval_minutes", 60)
        if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
            raise ConfigError(f"{where}.interval_minutes: must be a positive integer")
        feeds.append(FeedSpec(name=name.strip(), url=url.strip(), interval_minutes=interval))
    names = [f.name for f in feeds]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{source}: feed name {name!r} is used twice")
    return tuple(feeds)


def _check_digest(digest: DigestSettings, source: str) -> None:
    """[digest] time is HH:MM and timezone an IANA zone; TLS and STARTTLS exclude each other."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", digest.time)
    if match is None:
        raise ConfigError(f"{source}: [digest] time: {digest.time!r} is not HH:MM (for example \"07:00\")")
    try:
        ZoneInfo(digest.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{source}: [digest] timezone: {digest.timezone!r} is not an IANA time zone "
                          f"(for example \"Asia/Kolkata\" or \"UTC\")") from exc
    if digest.tls and digest.starttls:
        raise ConfigError(f"{source}: [digest] tls and starttls: choose one (tls = implicit TLS, usually port 465; "
                          f"starttls = upgrade, usually port 587)")
    if digest.timeout_s <= 0:
        raise ConfigError(f"{source}: [digest] timeout_s must be positive")


def _reject_unknown(table: Mapping[str, Any], known: set[str], source: str, prefix: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key {prefix}{unknown[0]!r} (known: {', '.join(sorted(known))})")


# --- topics: the built-in topics.toml plus the config's [[topics]] ---------------------

BUILTIN_TOPICS_FILE = "topics.toml"
_TOPIC_KEYS = {"id", "name", "terms", "track", "subjects", "excludes", "buyer"}
_SUBJECT_KEYS = {"id", "cues", "default"}


def load_builtin_topics() -> tuple[Topic, ...]:
    """The topics shipped in `pipeline/topics.toml`."""
    source = resources.files("pipeline").joinpath(BUILTIN_TOPICS_FILE)
    raw = tomllib.loads(source.read_text(encoding="utf-8"))
    return parse_topics(raw.get("topics", []), str(source))


def parse_topics(tables: Any, source: str) -> tuple[Topic, ...]:
    """Validate a list of [[topics]] tables; errors name the file and the key."""
    if not isinstance(tables, list):
        raise ConfigError(f"{source}: 'topics' must be an array of tables ([[topics]])")
    topics = tuple(_parse_topic(table, f"{source}: topics[{i}]") for i, table in enumerate(tables))
    ids = [t.id for t in topics]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{source}: topic id {dupes[0]!r} is defined twice")
    return topics


def merge_topics(builtin: Iterable[Topic], configured: Iterable[Topic]) -> tuple[Topic, ...]:
    """Config topics add to the built-in ones; one with the same id replaces it."""
    merged = {t.id: t for t in builtin}
    merged.update((t.id, t) for t in configured)
    return tuple(merged.values())


def _parse_topic(table: Any, where: str) -> Topic:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: must be a table")
    _reject_unknown(table, _TOPIC_KEYS, where, "")
    topic_id = _string(table, "id", where, required=True)
    terms = _strings(table, "terms", where)
    if not terms:
        raise ConfigError(f"{where}.terms: a topic needs at least one term")
    track_names = _strings(table, "track", where) if "track" in table else tuple(k.value for k in ClaimKind)
    try:
        track = tuple(ClaimKind(name) for name in track_names)
    except ValueError:
        known = ", ".join(k.value for k in ClaimKind)
        raise ConfigError(f"{where}.track: unknown kind in {list(track_names)}; known: {known}") from None
    subjects_raw = table.get("subjects", [])
    if not isinstance(subjects_raw, list):
        raise ConfigError(f"{where}.subjects: must be an array of tables ([[topics.subjects]])")
    subjects = tuple(_parse_subject(s, f"{where}.subjects[{i}]") for i, s in enumerate(subjects_raw))
    if track and not subjects:
        subjects = (Subject(id=topic_id, default=True),)
    if sum(s.default for s in subjects) > 1:
        raise ConfigError(f"{where}.subjects: at most one subject may be the default")
    return Topic(
        id=topic_id,
        name=_string(table, "name", where) or topic_id,
        terms=terms,
        track=track,
        subjects=subjects,
        excludes=_strings(table, "excludes", where),
        buyer=_strings(table, "buyer", where),
    )


def _parse_subject(table: Any, where: str) -> Subject:
    if not isinstance(table, Mapping):
        raise ConfigError(f"{where}: must be a table")
    _reject_unknown(table, _SUBJECT_KEYS, where, "")
    default = table.get("default", False)
    if not isinstance(default, bool):
        raise ConfigError(f"{where}.default: must be true or false, not {default!r}")
    return Subject(id=_string(table, "id", where, required=True),
                   cues=_strings(table, "cues", where), default=default)


def _string(table: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = table.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key}: must be a non-empty string")
    return value.strip()


def _strings(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}.{key}: must be an array of non-empty strings")
    return tuple(v.strip() for v in value)


def _parse_alerts(tables: Any, source: str) -> tuple[AlertSettings, ...]:
    """`[[alerts]]`: an http(s) url, a known format and kinds, thresholds not negative, names unique."""
    if not isinstance(tables, list):
        raise ConfigError(f"{source}: 'alerts' must be an array of tables ([[alerts]])")
    alerts: list[AlertSettings] = []
    for i, table in enumerate(tables):
        where = f"{source}: alerts[{i}]"
        if not isinstance(table, Mapping):
            raise ConfigError(f"{where}: must be a table")
        alert: AlertSettings = _section({"alerts": table}, "alerts", AlertSettings, where)
        if urlsplit(alert.url).scheme.lower() not in ("http", "https") or not urlsplit(alert.url).hostname:
            raise ConfigError(f"{where}.url: must be the webhook's http(s) URL, not {alert.url!r}")
        if alert.format not in ALERT_FORMATS:
            raise ConfigError(f"{where}.format: must be one of {', '.join(ALERT_FORMATS)}, not {alert.format!r}")
        unknown = sorted(set(alert.kinds) - set(ALERT_KINDS))
        if unknown:
            raise ConfigError(f"{where}.kinds: unknown kind {unknown[0]!r} (kinds: {', '.join(ALERT_KINDS)})")
        if alert.min_change_pct < 0 or alert.min_slip_months < 0:
            raise ConfigError(f"{where}: min_change_pct and min_slip_months must be 0 or more")
        alerts.append(_replace_alert(alert, name=(alert.name or alert.url).strip()))
    names = [a.name for a in alerts]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{source}: alert name {name!r} is used twice (give each [[alerts]] its own name)")
    return tuple(alerts)


def _replace_alert(alert: AlertSettings, **changes: Any) -> AlertSettings:
    values = {f.name: getattr(alert, f.name) for f in fields(alert)}
    values.update(changes)
    return AlertSettings(**values)
