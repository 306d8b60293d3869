"""full-text search over articles: an FTS5 index on SQLite, a tsvector expression index on PostgreSQL

Revision ID: 0007_web
Revises: 0006
Create Date: 2026-12-02 02:00:00

Neither has a place in the models (a virtual table, an expression index):
`pipeline.store.search.SEARCH_OBJECTS` names them, and the drift test leaves
them out. SQLite's index is an external-content FTS5 table kept in step by
triggers (sqlite.org/fts5.html §4.4.3); PostgreSQL's is a GIN index on the
same expression the search query uses, so the planner can use it.
"""

from __future__ import annotations

from alembic import op

revision = "0007_web"
down_revision = "0006"
branch_labels = None
depends_on = None

# Kept equal to pipeline.store.search.PG_DOCUMENT: a query uses the index only on the same expression.
PG_DOCUMENT = "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(text, ''))"

SQLITE_UP = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",   # the articles stored before
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_articles_search ON articles USING gin ({PG_DOCUMENT})")
        return
    for statement in SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        return
    for statement in SQLITE_DOWN:
        op.execute(statement)
