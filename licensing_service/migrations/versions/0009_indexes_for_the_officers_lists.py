"""indexes for the officers' lists of permits, chaperone approvals and Body of Persons approvals at
county scale: each list is ordered by decision date, newest first

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_employment_permits_due', 'employment_permits', ['decision_due_on', 'id'], unique=False)
    op.create_index('ix_chaperone_approvals_due', 'chaperone_approvals', ['decision_due_on', 'id'], unique=False)
    op.create_index('ix_bopa_approvals_due', 'bopa_approvals', ['decision_due_on', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_bopa_approvals_due', table_name='bopa_approvals')
    op.drop_index('ix_chaperone_approvals_due', table_name='chaperone_approvals')
    op.drop_index('ix_employment_permits_due', table_name='employment_permits')
