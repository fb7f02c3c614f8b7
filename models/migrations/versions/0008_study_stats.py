"""per-study counts of linked threads, stored by the aggregator

`study_stats`: a study's linked threads by link kind and month and by treatment, effect and
side effects (`models.study_stats`), written by `hairlink aggregate` with the links, so the
web view's first view of a study reads one row instead of counting its threads. Created
empty: a study without a row is counted live until the next aggregate run stores it.

Revision ID: 0008studystats
Revises: 0007webindexes
Create Date: 2026-12-02 12:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = '0008studystats'
down_revision: str | None = '0007webindexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'study_stats',
        sa.Column('study_id', sa.Integer(), nullable=False),
        sa.Column('related_total', sa.Integer(), nullable=False),
        sa.Column('citing_total', sa.Integer(), nullable=False),
        sa.Column('months', models.types.JSONType(), nullable=False),
        sa.Column('outcomes', models.types.JSONType(), nullable=False),
        sa.Column('computed_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['study_id'], ['study.id'],
                                name=op.f('fk_study_stats_study_id_study'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('study_id', name=op.f('pk_study_stats')))


def downgrade() -> None:
    op.drop_table('study_stats')
