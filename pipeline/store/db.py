"""Engine, sessions and migrations: the database edge.

SQLite gets WAL, a busy timeout and `BEGIN IMMEDIATE` for every transaction:
a deferred transaction that upgrades from read to write fails at once with
"database is locked" whatever the timeout (checklist §1.5, D9).
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.errors import ConfigError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    """An engine for a SQLAlchemy URL; SQLite files get their folder created.

    A URL that does not parse, or whose driver is not installed, is a
    ConfigError naming the fix (exit 2), not a traceback.
    """
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        missing = getattr(exc, "name", None) or str(exc)
        raise ConfigError(f"the database URL {parsed.render_as_string(hide_password=True)} needs a driver that is "
                          f"not installed ({missing}); newswatch runs on SQLite (sqlite:///path/newswatch.db) and "
                          f"PostgreSQL (postgresql+psycopg://user@host/db): set [database] url or "
                          f"$NEWSWATCH_DATABASE_URL to one of those") from exc


def parse_database_url(url: str) -> URL:
    """The parsed URL, or a ConfigError with an example of a good one."""
    try:
        return make_url(url)
    except ArgumentError as exc:
        shown = url if "@" not in url else "…@" + url.rsplit("@", 1)[1]  # never echo a password
        raise ConfigError(f"the database URL {shown!r} is not a database URL; set [database] url or "
                          f"$NEWSWATCH_DATABASE_URL to, for example, sqlite:///data/newswatch.db or "
                          f"postgresql+psycopg://user@host/db") from exc


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL (None for other databases and in-memory SQLite)."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine) -> None:
    database = engine.url.database
    switch_lock = (Path(database).with_name(f"{Path(database).name}.wal.lock")
                   if database and database != ":memory:" else None)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # The busy timeout first: a second process opening the file while the first writes must wait, not
        # fail. WAL is kept in the file, so it is switched on once.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            _switch_to_wal(cursor, switch_lock)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _switch_to_wal(cursor: Any, switch_lock: Path | None) -> None:
    """Switch a new database file to WAL, one process at a time.

    Two processes opening a new file at once both find it in rollback mode;
    their switches then take each other's locks and SQLite answers "database
    is locked" at once, without waiting for the busy timeout. A `flock` on a
    file beside the database serialises the switch; the second process finds
    WAL already set.
    """
    if switch_lock is None:
        cursor.execute("PRAGMA journal_mode=WAL")
        return
    fd = os.open(switch_lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        os.close(fd)                     # closing releases the lock


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: committed on success, rolled back on any error."""
    with sessions() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at the packaged migrations, bound to `engine`."""
    # Alembic is imported where it is used: commands that never migrate start faster.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("pipeline.store") / "migrations"))
    config.attributes["engine"] = engine
    return config


# An arbitrary constant: the PostgreSQL advisory lock held while migrating.
MIGRATION_LOCK = 0x6E776D67  # "nwmg"


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One migrating process at a time: two first runs at once would both create the schema
    and one fail on a duplicate table. PostgreSQL: an advisory lock. SQLite: a `flock` on a
    file beside the database; BEGIN IMMEDIATE alone is not enough, as Alembic commits each
    migration on its own there and another process may read the version in between."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            yield
            return
        path = Path(database)
        fd = os.open(path.with_name(f"{path.name}.migrate.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)   # waits while another process migrates
            yield
        finally:
            os.close(fd)                     # closing releases the lock
        return
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()


# The newest migration (tests/test_migrations.py checks it against Alembic's
# head): a database already there is not handed to Alembic, whose import and
# script scan cost more than most commands.
HEAD_REVISION = "0008_outbox"


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    try:
        if schema_revision(engine) == HEAD_REVISION:
            return
        from alembic import command

        with _migration_lock(engine):
            command.upgrade(alembic_config(engine), "head")
    except OperationalError as exc:
        raise StoreError(f"cannot reach the database at {redact_url(engine)}: {exc.orig}") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"cannot migrate the database at {redact_url(engine)}: {exc}") from exc


def schema_revision(engine: Engine) -> str | None:
    """The migration the database is at; None when it has none yet."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if found is None else str(found)


def is_initialised(engine: Engine) -> bool:
    """True when the migrations have run on this database."""
    try:
        return inspect(engine).has_table("alembic_version")
    except OperationalError as exc:
        raise StoreError(f"cannot reach the database at {redact_url(engine)}: {exc.orig}") from exc


def redact_url(engine: Engine) -> str:
    """The engine's URL with any password hidden (checklist X13)."""
    return engine.url.render_as_string(hide_password=True)
