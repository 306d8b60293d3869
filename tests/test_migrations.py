"""Migrations: upgrade to head, no drift against the models, downgrade to nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from pipeline.store.db import HEAD_REVISION, alembic_config, migrate, schema_revision
from pipeline.store.models import Base
from pipeline.store.search import SEARCH_OBJECTS


def test_head_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _modelled})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def _modelled(name: str | None, _kind: str, _parents: object) -> bool:
    """Everything but the search index of migration 0007_web (an FTS5 table, an expression index)."""
    return name not in SEARCH_OBJECTS


def test_downgrade_then_upgrade_again(engine: Engine) -> None:
    command.downgrade(alembic_config(engine), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert {"articles", "feeds", "claims", "mentions", "changes"} <= set(inspect(engine).get_table_names())


def test_migrating_twice_changes_nothing(engine: Engine) -> None:
    before = sorted(inspect(engine).get_table_names())
    migrate(engine)
    assert sorted(inspect(engine).get_table_names()) == before


def test_the_head_revision_the_store_knows_is_alembics(engine: Engine) -> None:
    """migrate() skips Alembic for a database at HEAD_REVISION: it must be the newest migration."""
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config(engine)).get_current_head() == HEAD_REVISION
    assert schema_revision(engine) == HEAD_REVISION


def test_processes_migrating_a_new_sqlite_database_at_once_all_succeed(tmp_path: Path) -> None:
    """Alembic commits each migration on its own on SQLite: without the migration lock another
    process could read the version between two of them and run one twice (about one run in four
    of this test failed so)."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code = ("import sys\nfrom pipeline.store.db import make_engine, migrate\n"
            "engine = make_engine(sys.argv[1])\nmigrate(engine)\nengine.dispose()")
    runs = [subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[1]) for _ in range(8)]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0] * 8, errors
