"""Penalty records at national scale, made by set-based SQL on PostgreSQL (``generate_series``): one
statement a table, so a million notices take seconds, not hours.

Proportions (England, about 400,000 notices a year): 2 parents a request, so 2 notices a request;
of the notices 60% paid, 20% issued and still in their payment period, 10% issued and past their final
day (the work ``payment-monitoring`` finds), 6% unpaid, 3% in prosecution, 1% withdrawn. Each paid
notice has its payment; 1% of payments match no notice (suspense). Dates spread over 2024–2026.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

TODAY = "2026-11-23"  # the day the benchmark runs the jobs for (a Monday)


@dataclass(frozen=True)
class Scale:
    notices: int
    schools: int

    @property
    def requests(self) -> int:
        # Two parents a request, and 2% of requests still undecided: a little over half as many.
        return self.notices * 52 // 100


STATEMENTS = [
    # Schools: URN 100000 upwards.
    """
    INSERT INTO schools (urn, name, address, email, created_at)
    SELECT (100000 + g)::text, 'School ' || g, g || ' School Lane, Nottingham',
           'office' || g || '@school.example', now()
    FROM generate_series(1, :schools) AS g
    """,
    # Requests: received over two and a half years; 2% still waiting for a decision.
    """
    INSERT INTO penalty_requests (
        reference, school_id, offence, pupil_first_name, pupil_last_name, pupil_date_of_birth, pupil_upn,
        pupil_year_group, pupil_address, register, returned_to_school_on, code_of_conduct_confirmed,
        received_on, issue_due_on, threshold_profile, sessions_counted, sessions_needed, window_weeks,
        met_on_date, met_on_session, first_absence_on, last_absence_on, warnings, status, decided_on,
        created_at)
    SELECT 'PNR-B-' || lpad(g::text, 8, '0'),
           1 + (g % :schools),
           CASE WHEN g % 5 = 0 THEN 'leave_of_absence' ELSE 'unauthorised_absence' END,
           'Pupil', 'Number ' || g, DATE '2012-09-01' + (g % 1800), 'B' || lpad(g::text, 12, '0'),
           'Year ' || (3 + g % 8), g || ' Example Street, Mansfield', '[]'::json,
           received - 5, true, received, received + 14, 'national', 10, 10, 10,
           received - 20, 'AM', received - 30, received - 10, '[]'::json,
           CASE WHEN g % 50 = 0 THEN 'received' ELSE 'issued' END,
           CASE WHEN g % 50 = 0 THEN NULL ELSE received + 7 END,
           now()
    FROM (SELECT g, DATE '2024-06-01' + (g % 900) AS received FROM generate_series(1, :requests) AS g) AS r
    """,
    """
    INSERT INTO request_parents (request_id, name, address, relationship_to_pupil, email)
    SELECT r.id, 'Parent ' || p || ' of ' || r.id, r.pupil_address,
           CASE p WHEN 1 THEN 'mother' ELSE 'father' END, NULL
    FROM penalty_requests AS r CROSS JOIN generate_series(1, 2) AS p
    """,
    # Notices: one per parent of each decided request. ``n`` numbers them 0..notices-1 for the mix.
    """
    INSERT INTO penalty_notices (
        notice_number, source, request_id, school_id, offence, pupil_upn, pupil_name, parent_name, parent_key,
        parent_address, parent_email, issue_date, posted_on, served_on, lower_rate_until, final_payment_day,
        amount_lower_pence, amount_full_pence, is_second, lay_by, period_from, period_to, warnings, status,
        paid_on, refund_due_pence, withdrawn_on, withdrawal_ground, late_copy, created_at)
    SELECT 'PN-B-' || lpad(n::text, 9, '0'), 'council', x.request_id, x.school_id, x.offence, x.pupil_upn,
           x.pupil_name, x.parent_name, lower(x.parent_name), x.pupil_address, NULL,
           x.issue, x.issue, x.issue + 2, x.issue + 22, x.issue + 29, 8000, 16000, false,
           x.last_absence + 183, x.last_absence - 20, x.last_absence, '[]'::json,
           CASE WHEN n % 100 < 60 THEN 'paid'
                WHEN n % 100 < 90 THEN 'issued'
                WHEN n % 100 < 96 THEN 'unpaid'
                WHEN n % 100 < 99 THEN 'prosecution'
                ELSE 'withdrawn' END,
           CASE WHEN n % 100 < 60 THEN x.issue + 10 END, 0,
           CASE WHEN n % 100 >= 99 THEN x.issue + 40 END,
           CASE WHEN n % 100 >= 99 THEN 'material_error' END, false, now()
    FROM (
        SELECT row_number() OVER (ORDER BY r.id, p.id) - 1 AS n, r.id AS request_id, r.school_id, r.offence,
               r.pupil_upn, r.pupil_first_name || ' ' || r.pupil_last_name AS pupil_name,
               p.name AS parent_name, r.pupil_address, r.last_absence_on AS last_absence,
               -- in their payment period (20%): issued in the last 3 weeks; the rest earlier
               CASE WHEN (row_number() OVER (ORDER BY r.id, p.id) - 1) % 100 BETWEEN 60 AND 79
                    THEN CAST(:today AS date) - (r.id % 21)::int
                    ELSE r.decided_on END AS issue
        FROM penalty_requests AS r JOIN request_parents AS p ON p.request_id = r.id
        WHERE r.status = 'issued'
    ) AS x
    WHERE n < :notices
    """,
    # Payments: one for each paid notice, and 1 in 100 more that match nothing (suspense).
    """
    INSERT INTO payments (reference, notice_id, notice_number_given, amount_pence, paid_on, method, status,
                          received_at)
    SELECT 'BANK-B-' || n.id, n.id, n.notice_number, 8000, n.paid_on, 'card', 'applied', now()
    FROM penalty_notices AS n WHERE n.status = 'paid'
    """,
    """
    INSERT INTO payments (reference, notice_id, notice_number_given, amount_pence, paid_on, method, status,
                          received_at)
    SELECT 'BANK-S-' || g, NULL, 'PN-UNKNOWN-' || g, 8000, CAST(:today AS date) - (g % 200), 'bank',
           'suspense', now()
    FROM generate_series(1, :notices / 100) AS g
    """,
    """
    INSERT INTO prosecution_cases (notice_id, lay_by, status, code_of_conduct_followed, payments_rechecked,
                                   notes, decided_on, created_at)
    SELECT n.id, n.lay_by, 'open', true, true, '', n.final_payment_day + 7, now()
    FROM penalty_notices AS n WHERE n.status = 'prosecution'
    """,
]


def seed(connection: Connection, scale: Scale, progress=lambda step, total: None) -> dict[str, int]:
    """Insert the records (into empty tables); returns the rows of each table. Vacuum them afterwards,
    as autovacuum would, so the planner knows them and index-only scans work."""
    params = {"schools": scale.schools, "requests": scale.requests, "notices": scale.notices, "today": TODAY}
    for step, statement in enumerate(STATEMENTS, start=1):
        connection.execute(text(statement), {k: v for k, v in params.items() if f":{k}" in statement})
        progress(step, len(STATEMENTS))
    tables = (
        "schools",
        "penalty_requests",
        "request_parents",
        "penalty_notices",
        "payments",
        "prosecution_cases",
    )
    return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}
