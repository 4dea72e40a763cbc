"""Licensing records in bulk, made by set-based SQL on PostgreSQL (``generate_series``), for query-plan tests.

Only the tables that grow year on year are filled: performance licences and their checks, employment
permits and the copies sent, chaperone approvals with their checks, references and training bookings.
BOPA approvals, inspections and concerns number hundreds, not thousands, and stay empty. In each
kind 1 in 50 is still open (waiting for a decision), the rest decided, as in a council's records.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection


@dataclass(frozen=True)
class Scale:
    licences: int
    permits: int
    chaperones: int
    productions: int = 200


STATEMENTS = [
    """
    INSERT INTO users (email, name, role, password_hash, active, created_at)
    VALUES ('producer@example.org', 'Producer', 'applicant', 'not-a-hash', true, now())
    """,
    """
    INSERT INTO productions (owner_id, name, type, broadcast, paid, producer_name, producer_organisation,
                             producer_email, producer_phone, producer_address, host_authority_name, venues,
                             created_at)
    SELECT (SELECT min(id) FROM users), 'Production ' || g, 'theatre', false, true, 'Producer', 'Company',
           'producer@example.org', '0115 000 0000', 'Theatre Lane, Nottingham', 'Nottinghamshire',
           '[]'::json, now()
    FROM generate_series(1, :productions) AS g
    """,
    """
    INSERT INTO performance_licences (reference, production_id, status, child_first_name, child_last_name,
                                      night_work, late, decision_due_on, breaches, warnings,
                                      parent_part_state, created_at)
    SELECT 'PL-B-' || lpad(g::text, 8, '0'), (SELECT min(id) FROM productions) + g % :productions,
           CASE WHEN g % 50 = 0 THEN 'submitted' ELSE 'granted' END, 'Child', 'Number ' || g, false, false,
           DATE '2024-01-01' + g % 1000, '[]'::json, '[]'::json, 'completed', now()
    FROM generate_series(1, :licences) AS g
    """,
    """
    INSERT INTO licence_checks (licence_id, kind, outcome)
    SELECT l.id, k.kind, 'no_concerns'
    FROM performance_licences AS l
    CROSS JOIN (VALUES ('education'), ('social_care'), ('early_help')) AS k (kind)
    """,
    """
    INSERT INTO employment_permits (
        reference, owner_id, status, employer_name, employer_address, employer_contact, employer_email,
        employer_known, child_first_name, child_last_name, child_date_of_birth, child_address,
        child_school_name, parent_name, parent_email, parent_address, job_description, job_category,
        start_date, schedule, received_on, late, decision_due_on, regime, breaches, warnings, created_at)
    SELECT 'EP-B-' || lpad(g::text, 8, '0'), (SELECT min(id) FROM users),
           CASE WHEN g % 50 = 0 THEN 'submitted' ELSE 'granted' END,
           'Newsagent ' || g, 'High Street, Mansfield', 'Manager', 'shop@example.org', true,
           'Child', 'Number ' || g, DATE '2010-01-01' + g % 1500, 'Example Street, Mansfield', 'School',
           'Parent', 'parent@example.org', 'Example Street, Mansfield', 'Newspaper round', 'delivery',
           DATE '2024-01-01' + g % 1000, '[]'::json, DATE '2024-01-01' + g % 1000, false,
           DATE '2024-01-15' + g % 1000, 'england', '[]'::json, '[]'::json, now()
    FROM generate_series(1, :permits) AS g
    """,
    """
    INSERT INTO permit_distributions (permit_id, party, event, email, sent_on)
    SELECT p.id, party, 'granted', 'copy@example.org', p.received_on + 10
    FROM employment_permits AS p CROSS JOIN (VALUES ('employer'), ('parent')) AS d (party)
    WHERE p.status = 'granted'
    """,
    """
    INSERT INTO chaperone_approvals (
        reference, kind, applicant_name, applicant_date_of_birth, applicant_address, applicant_email,
        dbs_certificate_number, dbs_issue_date, dbs_update_service, database_check_consent, received_on,
        decision_due_on, status, created_at)
    SELECT 'CA-B-' || lpad(g::text, 8, '0'), 'volunteer', 'Chaperone ' || g, DATE '1970-01-01' + g % 9000,
           'Example Street, Newark', 'chaperone@example.org', lpad(g::text, 12, '0'),
           DATE '2024-01-01' + g % 700, true, true, DATE '2024-01-01' + g % 1000,
           DATE '2024-01-29' + g % 1000,
           CASE g % 100 WHEN 0 THEN 'submitted' WHEN 1 THEN 'checks_in_progress' ELSE 'approved' END, now()
    FROM generate_series(1, :chaperones) AS g
    """,
    """
    INSERT INTO chaperone_checks (approval_id, kind, outcome, notes, recorded_on, recorded_at)
    SELECT a.id, k.kind, 'clear', '', a.received_on + 7, now()
    FROM chaperone_approvals AS a CROSS JOIN (VALUES ('dbs'), ('database_check')) AS k (kind)
    """,
    """
    INSERT INTO chaperone_references (approval_id, position, name, email, relationship, received_at)
    SELECT a.id, p, 'Referee ' || p, 'referee@example.org', 'friend', now()
    FROM chaperone_approvals AS a CROSS JOIN generate_series(1, 2) AS p
    """,
    """
    INSERT INTO chaperone_training_sessions (held_on, place, capacity, created_at)
    SELECT DATE '2024-01-01' + g * 7, 'County Hall, West Bridgford', 200, now()
    FROM generate_series(1, 150) AS g
    """,
    """
    INSERT INTO chaperone_training_bookings (session_id, approval_id, booked_at, attended)
    SELECT (SELECT min(id) FROM chaperone_training_sessions) + a.id % 150, a.id, now(), true
    FROM chaperone_approvals AS a
    """,
]


def seed(connection: Connection, scale: Scale) -> None:
    """Insert the records into empty tables."""
    params = {
        "licences": scale.licences,
        "permits": scale.permits,
        "chaperones": scale.chaperones,
        "productions": scale.productions,
    }
    for statement in STATEMENTS:
        connection.execute(text(statement), {k: v for k, v in params.items() if f":{k}" in statement})
