"""licence decisions: grants, variations, refusals and revocations of performance licences

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('licence_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('late_reason', sa.Text(), nullable=True),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.Column('officer_name', sa.String(length=200), nullable=False),
    sa.Column('officer_role', sa.String(length=200), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('decided_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_licence_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_licence_decisions_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['licence_id'], ['performance_licences.id'], name=op.f('fk_licence_decisions_licence_id_performance_licences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_decisions')),
    sa.UniqueConstraint('licence_id', 'version', name='uq_licence_decisions_licence_version')
    )
    with op.batch_alter_table('licence_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_licence_decisions_licence', ['licence_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('licence_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_licence_decisions_licence')

    op.drop_table('licence_decisions')
