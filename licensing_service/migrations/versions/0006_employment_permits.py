"""child employment permits: applications, permits, their distribution and expiry reminders

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('employment_permits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('employer_name', sa.String(length=200), nullable=False),
    sa.Column('employer_address', sa.Text(), nullable=False),
    sa.Column('employer_contact', sa.String(length=200), nullable=False),
    sa.Column('employer_email', sa.String(length=254), nullable=False),
    sa.Column('employer_known', sa.Boolean(), nullable=False),
    sa.Column('child_first_name', sa.String(length=100), nullable=False),
    sa.Column('child_last_name', sa.String(length=100), nullable=False),
    sa.Column('child_date_of_birth', sa.Date(), nullable=False),
    sa.Column('child_address', sa.Text(), nullable=False),
    sa.Column('child_school_name', sa.String(length=200), nullable=False),
    sa.Column('parent_name', sa.String(length=200), nullable=False),
    sa.Column('parent_email', sa.String(length=254), nullable=False),
    sa.Column('parent_address', sa.Text(), nullable=False),
    sa.Column('job_description', sa.Text(), nullable=False),
    sa.Column('job_category', sa.String(length=40), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('schedule', sa.JSON(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('unpermitted_from', sa.Date(), nullable=True),
    sa.Column('unpermitted_until', sa.Date(), nullable=True),
    sa.Column('decision_due_on', sa.Date(), nullable=False),
    sa.Column('regime', sa.String(length=20), nullable=False),
    sa.Column('breaches', sa.JSON(), nullable=False),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('parent_declared_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('parent_declared_name', sa.String(length=200), nullable=True),
    sa.Column('inspection_id', sa.Integer(), nullable=True),
    sa.Column('permit_number', sa.String(length=30), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_on', sa.Date(), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.Column('revocation_reason', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_employment_permits_created_by_users')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_employment_permits_decided_by_users')),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_employment_permits_inspection_id_inspections'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_employment_permits_owner_id_users')),
    sa.ForeignKeyConstraint(['revoked_by'], ['users.id'], name=op.f('fk_employment_permits_revoked_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employment_permits')),
    sa.UniqueConstraint('permit_number', name=op.f('uq_employment_permits_permit_number')),
    sa.UniqueConstraint('reference', name=op.f('uq_employment_permits_reference'))
    )
    with op.batch_alter_table('employment_permits', schema=None) as batch_op:
        batch_op.create_index('ix_employment_permits_owner', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_employment_permits_status_due', ['status', 'decision_due_on', 'id'], unique=False)
        batch_op.create_index('ix_employment_permits_status_valid_until', ['status', 'valid_until'], unique=False)

    op.create_table('permit_distributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('event', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_permit_distributions_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_permit_distributions_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['permit_id'], ['employment_permits.id'], name=op.f('fk_permit_distributions_permit_id_employment_permits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permit_distributions'))
    )
    with op.batch_alter_table('permit_distributions', schema=None) as batch_op:
        batch_op.create_index('ix_permit_distributions_permit', ['permit_id', 'id'], unique=False)

    op.create_table('permit_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('weeks', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_permit_reminders_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['permit_id'], ['employment_permits.id'], name=op.f('fk_permit_reminders_permit_id_employment_permits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permit_reminders')),
    sa.UniqueConstraint('permit_id', 'party', 'weeks', name='uq_permit_reminders_once')
    )


def downgrade() -> None:
    op.drop_table('permit_reminders')
    with op.batch_alter_table('permit_distributions', schema=None) as batch_op:
        batch_op.drop_index('ix_permit_distributions_permit')

    op.drop_table('permit_distributions')
    with op.batch_alter_table('employment_permits', schema=None) as batch_op:
        batch_op.drop_index('ix_employment_permits_status_valid_until')
        batch_op.drop_index('ix_employment_permits_status_due')
        batch_op.drop_index('ix_employment_permits_owner')

    op.drop_table('employment_permits')
