"""chaperone approvals, references, checks and training sessions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chaperone_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('applicant_date_of_birth', sa.Date(), nullable=False),
    sa.Column('applicant_address', sa.Text(), nullable=False),
    sa.Column('applicant_email', sa.String(length=254), nullable=False),
    sa.Column('dbs_certificate_number', sa.String(length=20), nullable=False),
    sa.Column('dbs_issue_date', sa.Date(), nullable=False),
    sa.Column('dbs_update_service', sa.Boolean(), nullable=False),
    sa.Column('database_check_consent', sa.Boolean(), nullable=False),
    sa.Column('renewal_of_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('decision_due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('approval_number', sa.String(length=20), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('officer_name', sa.String(length=200), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('status_changed_on', sa.Date(), nullable=True),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('photo_content_type', sa.String(length=20), nullable=True),
    sa.Column('photo_width', sa.Integer(), nullable=True),
    sa.Column('photo_height', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_chaperone_approvals_created_by_users')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_chaperone_approvals_decided_by_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_chaperone_approvals_owner_id_users')),
    sa.ForeignKeyConstraint(['renewal_of_id'], ['chaperone_approvals.id'], name=op.f('fk_chaperone_approvals_renewal_of_id_chaperone_approvals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chaperone_approvals')),
    sa.UniqueConstraint('approval_number', name=op.f('uq_chaperone_approvals_approval_number')),
    sa.UniqueConstraint('reference', name=op.f('uq_chaperone_approvals_reference'))
    )
    with op.batch_alter_table('chaperone_approvals', schema=None) as batch_op:
        batch_op.create_index('ix_chaperone_approvals_owner', ['owner_id', 'id'], unique=False)
        batch_op.create_index('ix_chaperone_approvals_renewal_of', ['renewal_of_id'], unique=False)
        batch_op.create_index('ix_chaperone_approvals_status_due', ['status', 'decision_due_on', 'id'], unique=False)
        batch_op.create_index('ix_chaperone_approvals_status_valid_until', ['status', 'valid_until'], unique=False)

    op.create_table('chaperone_training_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_chaperone_training_sessions_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chaperone_training_sessions'))
    )
    with op.batch_alter_table('chaperone_training_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_chaperone_training_sessions_held_on', ['held_on', 'id'], unique=False)

    op.create_table('chaperone_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approval_id'], ['chaperone_approvals.id'], name=op.f('fk_chaperone_checks_approval_id_chaperone_approvals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_chaperone_checks_recorded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chaperone_checks')),
    sa.UniqueConstraint('approval_id', 'kind', name='uq_chaperone_checks_kind')
    )
    op.create_table('chaperone_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('relationship', sa.String(length=100), nullable=False),
    sa.Column('received_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('known_for', sa.String(length=100), nullable=True),
    sa.Column('capacity', sa.String(length=200), nullable=True),
    sa.Column('suitable', sa.Boolean(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['approval_id'], ['chaperone_approvals.id'], name=op.f('fk_chaperone_references_approval_id_chaperone_approvals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chaperone_references')),
    sa.UniqueConstraint('approval_id', 'position', name='uq_chaperone_references_position')
    )
    op.create_table('chaperone_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('weeks', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['approval_id'], ['chaperone_approvals.id'], name=op.f('fk_chaperone_reminders_approval_id_chaperone_approvals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chaperone_reminders')),
    sa.UniqueConstraint('approval_id', 'weeks', name='uq_chaperone_reminders_weeks')
    )
    op.create_table('chaperone_training_bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('booked_by', sa.Integer(), nullable=True),
    sa.Column('booked_at', shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('attendance_recorded_by', sa.Integer(), nullable=True),
    sa.Column('attendance_recorded_at', shared.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approval_id'], ['chaperone_approvals.id'], name=op.f('fk_chaperone_training_bookings_approval_id_chaperone_approvals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attendance_recorded_by'], ['users.id'], name=op.f('fk_chaperone_training_bookings_attendance_recorded_by_users')),
    sa.ForeignKeyConstraint(['booked_by'], ['users.id'], name=op.f('fk_chaperone_training_bookings_booked_by_users')),
    sa.ForeignKeyConstraint(['session_id'], ['chaperone_training_sessions.id'], name=op.f('fk_chaperone_training_bookings_session_id_chaperone_training_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chaperone_training_bookings')),
    sa.UniqueConstraint('session_id', 'approval_id', name='uq_chaperone_training_bookings_once')
    )
    with op.batch_alter_table('chaperone_training_bookings', schema=None) as batch_op:
        batch_op.create_index('ix_chaperone_training_bookings_approval', ['approval_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('chaperone_training_bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_chaperone_training_bookings_approval')

    op.drop_table('chaperone_training_bookings')
    op.drop_table('chaperone_reminders')
    op.drop_table('chaperone_references')
    op.drop_table('chaperone_checks')
    with op.batch_alter_table('chaperone_training_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_chaperone_training_sessions_held_on')

    op.drop_table('chaperone_training_sessions')
    with op.batch_alter_table('chaperone_approvals', schema=None) as batch_op:
        batch_op.drop_index('ix_chaperone_approvals_status_valid_until')
        batch_op.drop_index('ix_chaperone_approvals_status_due')
        batch_op.drop_index('ix_chaperone_approvals_renewal_of')
        batch_op.drop_index('ix_chaperone_approvals_owner')

    op.drop_table('chaperone_approvals')
