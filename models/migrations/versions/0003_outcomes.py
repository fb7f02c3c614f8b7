"""thread outcomes and summaries

Per (thread, treatment) the reported effect and side effects (thread_treatment.effect,
side_effects), and a thread summary (thread.summary). Every thread's aggregated hash is
cleared so the next `hairlink aggregate` computes them for the threads already stored.

Revision ID: 0003outcomes
Revises: 0006authorsalt
Create Date: 2026-12-02 01:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003outcomes'
down_revision: str | None = '0006authorsalt'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary', sa.Text(), nullable=True))
    with op.batch_alter_table('thread_treatment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('effect', sa.String(length=10), nullable=False,
                                      server_default='none'))
        batch_op.add_column(sa.Column('side_effects', _JSON, nullable=False,
                                      server_default='[]'))
    op.execute("UPDATE thread SET aggregated_hash = NULL")


def downgrade() -> None:
    with op.batch_alter_table('thread_treatment', schema=None) as batch_op:
        batch_op.drop_column('side_effects')
        batch_op.drop_column('effect')
    with op.batch_alter_table('thread', schema=None) as batch_op:
        batch_op.drop_column('summary')
