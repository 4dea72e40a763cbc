"""concerns about children working or performing without a licence

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('concerns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('safeguarding', sa.Boolean(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('child_name', sa.String(length=200), nullable=False),
    sa.Column('child_age', sa.Integer(), nullable=True),
    sa.Column('child_date_of_birth', sa.Date(), nullable=True),
    sa.Column('child_school', sa.String(length=200), nullable=False),
    sa.Column('activity', sa.String(length=20), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('organiser', sa.Text(), nullable=False),
    sa.Column('when_happening', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reporter_name', sa.String(length=200), nullable=False),
    sa.Column('reporter_email', sa.String(length=254), nullable=False),
    sa.Column('reporter_phone', sa.String(length=40), nullable=False),
    sa.Column('reporter_is_professional', sa.Boolean(), nullable=False),
    sa.Column('reporter_organisation', sa.String(length=200), nullable=False),
    sa.Column('reported_by', sa.Integer(), nullable=True),
    sa.Column('mash_referred_on', sa.Date(), nullable=True),
    sa.Column('mash_referred_by', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('outcome_notes', sa.Text(), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.Column('closed_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['closed_by'], ['users.id'], name=op.f('fk_concerns_closed_by_users')),
    sa.ForeignKeyConstraint(['mash_referred_by'], ['users.id'], name=op.f('fk_concerns_mash_referred_by_users')),
    sa.ForeignKeyConstraint(['reported_by'], ['users.id'], name=op.f('fk_concerns_reported_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concerns')),
    sa.UniqueConstraint('reference', name=op.f('uq_concerns_reference'))
    )
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.create_index('ix_concerns_status_safeguarding_due', ['status', 'safeguarding', 'due_on', 'id'], unique=False)

    op.create_table('concern_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=True),
    sa.Column('recipient_organisation', sa.String(length=200), nullable=True),
    sa.Column('recipient_address', sa.Text(), nullable=True),
    sa.Column('reply_by', sa.Date(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['concern_id'], ['concerns.id'], name=op.f('fk_concern_actions_concern_id_concerns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_concern_actions_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_concern_actions_inspection_id_inspections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_concern_actions_recorded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_actions'))
    )
    with op.batch_alter_table('concern_actions', schema=None) as batch_op:
        batch_op.create_index('ix_concern_actions_concern', ['concern_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('concern_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_concern_actions_concern')

    op.drop_table('concern_actions')
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.drop_index('ix_concerns_status_safeguarding_due')

    op.drop_table('concerns')
