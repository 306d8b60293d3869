"""Process locks that make `run`, `digest --send` and `serve` safe to start from cron.

A lock must not outlive its holder, so that a run killed with SIGKILL never
blocks the next one (checklist S7, S8); a PID file does not have that
property. On PostgreSQL the lock is a session-level advisory lock held on a
dedicated connection: the server drops it when the connection goes. On SQLite
(and anything else) it is an `fcntl.flock` on a file next to the database
(or in the temporary folder): the kernel drops it when the process dies.
Locks are never waited for: a second holder fails at once with
`AlreadyRunningError`.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pipeline.errors import AlreadyRunningError, StoreError
from pipeline.store.db import redact_url

log = logging.getLogger(__name__)

# Advisory lock keys: a fixed high word ("news") and a CRC of the lock's name.
_KEY_NAMESPACE = 0x6E657773 << 32


def advisory_key(name: str) -> int:
    """The PostgreSQL advisory lock key for a lock name (a positive bigint)."""
    return _KEY_NAMESPACE | zlib.crc32(name.encode())


def lock_path(engine: Engine, name: str) -> Path:
    """The flock file for a lock: next to a SQLite database, else in the temporary folder."""
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        path = Path(database)
        return path.with_name(f"{path.name}.{name}.lock")
    digest = hashlib.sha256(engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"newswatch-{digest}.{name}.lock"


def engine_of(sessions: sessionmaker[Session]) -> Engine:
    """The engine a sessionmaker is bound to."""
    bind = sessions.kw.get("bind")
    if not isinstance(bind, Engine):
        raise TypeError("sessions must be bound to an Engine")
    return bind


@contextmanager
def hold(engine: Engine, name: str) -> Iterator[None]:
    """Hold the lock `name` for the block, or raise AlreadyRunningError at once."""
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, name):
            yield
    else:
        with _file_lock(lock_path(engine, name), name):
            yield


def _busy(name: str, where: str) -> AlreadyRunningError:
    return AlreadyRunningError(
        f"another `newswatch {name}` is in progress ({where}); this one exits without doing anything")


@contextmanager
def _advisory_lock(engine: Engine, name: str) -> Iterator[None]:
    key = advisory_key(name)
    try:
        connection = engine.connect()
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(f"cannot reach the database at {redact_url(engine)} to take the {name} lock: "
                         f"{reason}") from exc
    try:
        acquired = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        # Session-level: the lock stays after commit; no transaction is left open meanwhile.
        connection.commit()
        if not acquired:
            raise _busy(name, f"PostgreSQL advisory lock {key}")
        try:
            yield
        finally:
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
            except SQLAlchemyError:
                # Never hand a connection that may still hold the lock back to the pool.
                log.warning("could not release the %s lock; dropping its connection", name)
                connection.invalidate()
    finally:
        connection.close()


@contextmanager
def _file_lock(path: Path, name: str) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise _busy(name, f"lock file {path}") from exc
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
