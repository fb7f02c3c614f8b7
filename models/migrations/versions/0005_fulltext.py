"""full-text search over thread titles and bodies

SQLite: an FTS5 table with external content and the triggers that keep it in step;
PostgreSQL: a GIN index on the weighted tsvector of title and body. Backfilled here.

Revision ID: 0005fulltext
Revises: 0003outcomes
Create Date: 2026-12-02 01:30:00
"""
from collections.abc import Sequence

from alembic import op

from models.fulltext import create_fulltext, drop_fulltext, rebuild_fulltext

revision: str = '0005fulltext'
down_revision: str | None = '0003outcomes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    create_fulltext(connection)
    rebuild_fulltext(connection)


def downgrade() -> None:
    drop_fulltext(op.get_bind())
