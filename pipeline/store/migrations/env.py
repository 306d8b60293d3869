"""Alembic environment: runs on the engine newswatch passes in (see store/db.py)."""

from __future__ import annotations

from alembic import context

from pipeline.store.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
