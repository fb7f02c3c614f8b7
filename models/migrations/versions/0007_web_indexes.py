"""index for score-ordered thread pages filtered by date

`ix_thread_score_id_created` (score, id, created_at): the posts search of the web view walks
threads by score (then id) and checks the date from the index instead of each thread row
(on 1M threads: a capped count of a treatment + min score + since filter 5-25 ms -> 1-6 ms).

Revision ID: 0007webindexes
Revises: 0005fulltext
Create Date: 2026-12-02 04:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0007webindexes'
down_revision: str | None = '0005fulltext'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_thread_score_id_created', 'thread', ['score', 'id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_thread_score_id_created', table_name='thread')
