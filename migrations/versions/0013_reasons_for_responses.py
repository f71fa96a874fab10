"""Which code-of-conduct reasons editors can give when they reject an organisation's response

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 17:40:00

"""
import warnings

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

#: the seeded reasons that are about a rating's writer, not about an organisation's response
NOT_FOR_RESPONSES = ("reliability", "repeat")


def upgrade():
    # SQLite's batch mode reflects the tables and warns about the expression indexes of
    # 0010 and 0011, which are not touched here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table('reasons', schema=None) as batch_op:
            batch_op.add_column(sa.Column('for_responses', sa.Boolean(), nullable=False,
                                          server_default=sa.true()))
    reasons = sa.table('reasons', sa.column('key', sa.String), sa.column('for_responses', sa.Boolean))
    op.execute(reasons.update().where(reasons.c.key.in_(NOT_FOR_RESPONSES))
               .values(for_responses=False))


def downgrade():
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        batch_op.drop_column('for_responses')
