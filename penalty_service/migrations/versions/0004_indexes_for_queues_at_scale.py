"""indexes for the officers' queue and lists at national scale

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

LATE_COPY = sa.text("source = 'school' AND late_copy IS true AND status = 'issued'")


def upgrade() -> None:
    op.create_index('ix_penalty_requests_due', 'penalty_requests', ['issue_due_on', 'id'], unique=False)
    op.create_index(
        'ix_penalty_notices_status_lay_by',
        'penalty_notices',
        ['status', 'lay_by', 'id'],
        unique=False,
        postgresql_include=['source'],
    )
    op.create_index(
        'ix_penalty_notices_late_copies',
        'penalty_notices',
        ['copy_received_on', 'id'],
        unique=False,
        postgresql_where=LATE_COPY,
        sqlite_where=LATE_COPY,
    )


def downgrade() -> None:
    op.drop_index('ix_penalty_notices_late_copies', table_name='penalty_notices')
    op.drop_index('ix_penalty_notices_status_lay_by', table_name='penalty_notices')
    op.drop_index('ix_penalty_requests_due', table_name='penalty_requests')
