"""performance licences: the child's usual teacher, the SPP's approval of the education arrangements and
days after the end of compulsory school age

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from alembic import op
import sqlalchemy as sa
import shared.db


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('performance_licences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chaperone_is_usual_teacher', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('usual_teacher_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('usual_teacher_school', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('education_approved', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('education_approval_notes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('education_approved_at', shared.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('education_approved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('days_needing_no_licence', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_performance_licences_education_approved_by_id_users'),
            'users', ['education_approved_by_id'], ['id'],
        )


def downgrade() -> None:
    with op.batch_alter_table('performance_licences', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_performance_licences_education_approved_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_column('days_needing_no_licence')
        batch_op.drop_column('education_approved_by_id')
        batch_op.drop_column('education_approved_at')
        batch_op.drop_column('education_approval_notes')
        batch_op.drop_column('education_approved')
        batch_op.drop_column('usual_teacher_school')
        batch_op.drop_column('usual_teacher_name')
        batch_op.drop_column('chaperone_is_usual_teacher')
