"""Licensing records at county-to-national scale, made by set-based SQL on PostgreSQL (``generate_series``):
one statement a table, so 200,000 licences, permits and approvals take half a minute, not hours.

Proportions. Performance licences: one per child, in productions of 1 to 25 children (8 on average: a
theatre show brings a cast of children, an advert one or two). Whether an application is a draft, waiting
for the officer or decided follows from its dates: applications arrive 7 to 80 days before the first day
(1 in 14 under the 21 days' notice, so ``late``) and are decided a few days before it, so about 4% wait in
the queue (a third or more of them with the parent's part, a check or the education approval to come)
and 4% are drafts for productions still ahead. Of those decided, 93% are granted, 3% refused, 3% withdrawn
and 1% revoked; 2% of checks find concerns. Chaperone approvals are decided within about a month (1 in
10 waits longer, on the DBS); employment permits in 10 to 25 days (1 in 8 waits longer, on the parent's
declaration), and a permit expires a year after it is issued. Employers unknown to the council (1 in 5)
get a site visit, and 1 in 10 productions an unannounced one. Dates spread over 2024–2026 (the
productions being planned now run into early 2027).

Call :func:`seed` on a database just migrated (``shared.migrations.upgrade``), then ``VACUUM ANALYZE``.
For load tests: :func:`endpoints` (an officer's GETs; :data:`ENDPOINTS` at full scale), and
:func:`bench_producer` with :func:`application` for ``POST /api/v1/performance-licences``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Connection

from licensing_service.rules.bopa import STANDARD_CONDITIONS
from shared.api import MAX_ROWS_PAGED

TODAY = "2026-11-23"  # the day the records are made as of (a Monday)
CHILDREN_PER_PRODUCTION = 8  # on average: see the sizes in STATEMENTS
DEEP_PAGE = MAX_ROWS_PAGED // 25  # the last page of 25 a list serves


@dataclass(frozen=True)
class Scale:
    """How many of each; the accounts, productions, training sessions and concerns follow from these."""

    licences: int  # performance licence applications, one per child
    permits: int  # child employment permits
    chaperones: int  # chaperone approvals
    bopas: int  # body of persons approvals

    @property
    def productions(self) -> int:
        return max(1, self.licences // CHILDREN_PER_PRODUCTION)

    @property
    def producers(self) -> int:
        return max(1, self.productions // 3)  # a producer puts on about 3 productions in the period

    @property
    def employers(self) -> int:
        return max(1, self.permits // 4)  # a newsagent employs several children

    @property
    def chaperone_accounts(self) -> int:
        return max(1, self.chaperones * 9 // 10)  # 1 in 10 applies on paper; some apply twice

    @property
    def organisations(self) -> int:
        return max(1, self.bopas // 3)

    @property
    def officers(self) -> int:
        return max(2, (self.licences + self.permits + self.chaperones) // 15_000)

    @property
    def sessions(self) -> int:
        return max(4, self.chaperones // 20)  # chaperone training: about 20 booked a session

    @property
    def concerns(self) -> int:
        return max(10, (self.licences + self.permits) // 50)


FULL = Scale(licences=120_000, permits=48_000, chaperones=30_000, bopas=2_000)
QUICK = Scale(licences=2_400, permits=960, chaperones=600, bopas=40)


def _padded(column: str, width: int) -> str:
    """SQL for ``f"{column:0{width}d}"``: lpad alone would cut a longer number short."""
    return f"lpad({column}::text, greatest({width}, length({column}::text)), '0')"


def _numbered(prefix: str, day: str, column: str, width: int) -> str:
    """SQL for the services' references and numbers: ``PREFIX-YEAR-ID``, the id making them unique."""
    return f"'{prefix}-' || extract(year FROM {day})::int || '-' || {_padded(column, width)}"


def _next_id(table: str) -> str:
    # Ids taken in the SELECT, so references can be built from them as the services do.
    return f"nextval(pg_get_serial_sequence('{table}', 'id'))"


def _pick_from(ids: str, n: str) -> str:
    """SQL for the ``n``-th id (round and round) of ``ids``, a query giving one array. Uncorrelated, the
    query runs once; an array joined in instead would be carried in every row of every hash and sort."""
    return f"({ids})[1 + ({n}) % cardinality(({ids}))]"


def _pick(account: str, n: str) -> str:
    """SQL for the id of one of the seeded accounts of a kind (``officer``, ``producer``...)."""
    return _pick_from(
        f"SELECT array_agg(id ORDER BY id) FROM users WHERE email LIKE '{account}.%@bench.example'", n
    )


APPROVED_CHAPERONES = "SELECT array_agg(id ORDER BY id) FROM chaperone_approvals WHERE status = 'approved'"


def _approved_before(day: str, n: str) -> str:
    """SQL for the id of a chaperone approved a little before ``day``, so the approval covers the days of
    the licence: approvals are made in id order, about a month after each application arrives."""
    ids = APPROVED_CHAPERONES
    made = f"cardinality(({ids})) * ({day} - DATE '2024-02-01') / (CAST(:today AS date) - DATE '2024-01-02')"
    return f"({ids})[least(cardinality(({ids})), greatest(1, {made} - ({n}) % 300))]"


def _last_working_day_before(day: str) -> str:
    # Bank holidays aside, as the notice rule counts them.
    return f"({day} - CASE extract(isodow FROM {day}) WHEN 1 THEN 3 WHEN 7 THEN 2 ELSE 1 END)"


USERS = """
    INSERT INTO users (email, name, role, password_hash, active, created_at)
    SELECT k.kind || '.' || n || '@bench.example', initcap(k.kind) || ' ' || n,
           CASE k.kind WHEN 'officer' THEN 'officer' ELSE 'applicant' END,
           '!', true, now()  -- no password hash: nobody signs in as these
    FROM (VALUES (1, 'officer', :officers), (2, 'producer', :producers), (3, 'employer', :employers),
                 (4, 'chaperone', :chaperone_accounts), (5, 'organisation', :organisations))
         AS k(position, kind, total)
    CROSS JOIN LATERAL generate_series(1, k.total) AS n
    ORDER BY k.position, n
"""

# Slot k % 10 of a production: its type and how many children it has (80 in 10 slots: 8 on average).
PRODUCTIONS = f"""
    INSERT INTO productions (owner_id, name, type, broadcast, paid, producer_name, producer_organisation,
                             producer_email, producer_phone, producer_address, host_authority_name,
                             host_authority_email, venues, created_at)
    SELECT {_pick("producer", "k")}, initcap(t.type) || ' production ' || k, t.type,
           t.type IN ('film', 'television'), k % 10 <> 7,
           'Producer ' || (1 + k % :producers), 'Company ' || (1 + k % :producers) || ' Ltd',
           'producer.' || (1 + k % :producers) || '@bench.example',
           '0115 496 ' || lpad((k % 10000)::text, 4, '0'),
           (1 + k % :producers) || ' Studio Road, Nottingham',
           CASE WHEN k % 5 < 3 THEN 'Nottinghamshire County Council' ELSE 'Nottingham City Council' END,
           CASE WHEN k % 5 < 3 THEN NULL ELSE 'licensing@nottinghamcity.example' END,
           json_build_array(json_build_object('name', 'Venue ' || (k % 400),
                                              'address', (k % 400) || ' High Street, Mansfield')),
           now()
    FROM generate_series(0, :productions - 1) AS k
    CROSS JOIN LATERAL (
        SELECT (ARRAY['theatre', 'film', 'television', 'modelling', 'sport', 'theatre', 'television', 'other',
                      'theatre', 'film'])[1 + k % 10] AS type
    ) AS t
    ORDER BY k
"""

# Received over the period; decided in 2 to 6 weeks (1 in 10 waits 2 to 3 months, on the DBS).
CHAPERONE_APPROVALS = f"""
    INSERT INTO chaperone_approvals (
        id, reference, owner_id, kind, applicant_name, applicant_date_of_birth, applicant_address,
        applicant_email, dbs_certificate_number, dbs_issue_date, dbs_update_service, database_check_consent,
        received_on, decision_due_on, status, approval_number, valid_from, valid_until, decision_reason,
        decided_on, decided_by, decided_at, officer_name, status_reason, status_changed_on, created_by,
        created_at)
    SELECT a.id, {_numbered("CA", "a.received", "a.id", 6)}, a.owner_id,
           CASE WHEN a.n % 10 < 3 THEN 'professional' ELSE 'volunteer' END,
           'Chaperone ' || a.n, (a.received - make_interval(years => 25 + a.n % 45))::date - a.n % 365,
           a.n || ' Meadow Lane, Newark', 'chaperone.' || a.n || '@bench.example',
           lpad((a.n + 1)::text, 12, '0'), a.received - 20 - a.n % 300, a.n % 3 <> 0, a.n % 20 <> 0,
           a.received, a.received + 28, a.status,
           CASE WHEN a.status IN ('approved', 'suspended', 'revoked')
                THEN {_numbered("NCC-CA", "a.decided", "a.id", 5)} END,
           CASE WHEN a.status IN ('approved', 'suspended', 'revoked') THEN a.decided END,
           CASE WHEN a.status IN ('approved', 'suspended', 'revoked')
                THEN (a.decided + interval '3 years')::date - 1 END,
           CASE WHEN a.status = 'refused' THEN 'A referee did not support the application' END,
           CASE WHEN a.decided <= CAST(:today AS date) THEN a.decided END,
           CASE WHEN a.decided <= CAST(:today AS date) THEN a.officer END,
           CASE WHEN a.decided <= CAST(:today AS date) THEN a.decided + time '11:00' END,
           CASE WHEN a.decided <= CAST(:today AS date) THEN 'Officer ' || (1 + a.n % :officers) END,
           CASE a.status WHEN 'suspended' THEN 'The DBS update service shows a change'
                         WHEN 'revoked' THEN 'Conduct reported by a licence holder' END,
           CASE WHEN a.status IN ('suspended', 'revoked')
                THEN least(a.decided + 180, CAST(:today AS date) - 1) END,
           coalesce(a.owner_id, a.officer), a.received + time '09:00'
    FROM (
        SELECT {_next_id("chaperone_approvals")} AS id, s.*,
               CASE WHEN s.decided > CAST(:today AS date) AND s.received + 7 > CAST(:today AS date)
                        THEN 'submitted'
                    WHEN s.decided > CAST(:today AS date) THEN 'checks_in_progress'
                    WHEN (s.n * 37) % 100 < 3 THEN 'refused'
                    WHEN (s.n * 37) % 100 = 3 THEN 'revoked'
                    WHEN (s.n * 37) % 100 = 4 THEN 'suspended'
                    ELSE 'approved' END AS status
        FROM (
            SELECT n, received,
                   received + CASE WHEN n % 10 = 0 THEN 60 + n % 40 ELSE 14 + (n * 7) % 30 END AS decided,
                   CASE WHEN n % 10 <> 9 THEN {_pick("chaperone", "n")} END AS owner_id,
                   {_pick("officer", "n")} AS officer
            FROM generate_series(0, :chaperones - 1) AS n
            CROSS JOIN LATERAL (
                SELECT DATE '2024-01-02' + (n::bigint * (CAST(:today AS date) - DATE '2024-01-02')
                                            / :chaperones)::int AS received
            ) AS r
        ) AS s
    ) AS a
"""

# Two referees each; the second reference of a new application is often still to come.
CHAPERONE_REFERENCES = """
    INSERT INTO chaperone_references (approval_id, position, name, email, relationship, received_at,
                                      known_for, capacity, suitable, comments)
    SELECT a.id, p, 'Referee ' || p || ' for ' || a.id, 'referee' || p || '.' || a.id || '@bench.example',
           CASE p WHEN 1 THEN 'colleague' ELSE 'neighbour' END,
           x.received_at,
           CASE WHEN x.received_at IS NOT NULL THEN (2 + a.id % 15) || ' years' END,
           CASE WHEN x.received_at IS NOT NULL THEN CASE p WHEN 1 THEN 'Work' ELSE 'Friend' END END,
           CASE WHEN x.received_at IS NOT NULL THEN a.status <> 'refused' OR p = 1 END,
           CASE WHEN x.received_at IS NOT NULL THEN '' END
    FROM chaperone_approvals AS a
    CROSS JOIN generate_series(1, 2) AS p
    CROSS JOIN LATERAL (
        SELECT CASE WHEN a.status = 'submitted' AND (p = 2 OR a.id % 2 = 0) THEN NULL
                    ELSE a.received_on + 6 + p + time '18:00' END AS received_at
    ) AS x
"""

# DBS first, then the references, then the children's services database (only with consent); 2% concerns.
CHAPERONE_CHECKS = f"""
    INSERT INTO chaperone_checks (approval_id, kind, outcome, notes, recorded_on, recorded_by, recorded_at)
    SELECT a.id, k.kind,
           CASE WHEN (a.id * 7 + k.i) % 50 = 0 THEN 'concerns' ELSE 'clear' END,
           CASE WHEN (a.id * 7 + k.i) % 50 = 0 THEN 'Weighed with the applicant at interview' ELSE '' END,
           least(a.received_on + k.after, CAST(:today AS date)),
           {_pick("officer", "a.id")},
           least(a.received_on + k.after, CAST(:today AS date)) + time '14:00'
    FROM chaperone_approvals AS a
    CROSS JOIN (VALUES ('dbs', 0, 5), ('references', 1, 10), ('database_check', 2, 12)) AS k(kind, i, after)
    WHERE (a.status NOT IN ('submitted', 'checks_in_progress')
           AND (k.kind <> 'database_check' OR a.database_check_consent))
       OR (a.status = 'checks_in_progress' AND (k.kind = 'dbs' OR (k.kind = 'references' AND a.id % 2 = 0)))
"""

TRAINING_SESSIONS = f"""
    INSERT INTO chaperone_training_sessions (held_on, place, capacity, created_by, created_at)
    SELECT DATE '2024-01-10' + (s::bigint * (CAST(:today AS date) + 60 - DATE '2024-01-10') / :sessions)::int,
           (ARRAY['County Hall, West Bridgford', 'Mansfield Civic Centre', 'Newark Library',
                  'Worksop Town Hall', 'Beeston Library'])[1 + s % 5],
           24, {_pick("officer", "s")}, now()
    FROM generate_series(0, :sessions - 1) AS s
    ORDER BY s
"""

# Each new applicant books the first session after their DBS check starts and attends it, once held.
TRAINING_BOOKINGS = """
    INSERT INTO chaperone_training_bookings (session_id, approval_id, booked_by, booked_at, attended,
                                             attendance_recorded_by, attendance_recorded_at)
    SELECT t.id, b.approval_id, b.owner_id, b.booked_on + time '10:00',
           CASE WHEN t.held_on < CAST(:today AS date) AND b.status <> 'refused' THEN true END,
           CASE WHEN t.held_on < CAST(:today AS date) AND b.status <> 'refused' THEN t.created_by END,
           CASE WHEN t.held_on < CAST(:today AS date) AND b.status <> 'refused'
                THEN t.held_on + time '17:00' END
    FROM (
        SELECT a.id AS approval_id, a.owner_id, a.status, a.received_on + 1 AS booked_on,
               least(:sessions, 2 + ((a.received_on + 10 - DATE '2024-01-10')::bigint * :sessions
                                     / (CAST(:today AS date) + 60 - DATE '2024-01-10'))::int) AS slot
        FROM chaperone_approvals AS a
        WHERE a.status <> 'submitted' OR a.id % 2 = 0
    ) AS b
    JOIN (SELECT id, held_on, created_by, (row_number() OVER (ORDER BY held_on, id))::int AS slot
          FROM chaperone_training_sessions) AS t ON t.slot = b.slot
"""

# A production's children share its days: computed once a production, then one row a child.
PERFORMANCE_LICENCES = f"""
    WITH production AS (
        SELECT p.id, p.owner_id, p.type, p.k,
               (ARRAY[20, 4, 3, 1, 2, 12, 6, 3, 25, 4])[1 + p.k % 10] AS children,
               CASE p.type WHEN 'theatre' THEN 4 + p.k % 13 WHEN 'film' THEN 1 + p.k % 5
                           WHEN 'television' THEN 1 + p.k % 4 WHEN 'sport' THEN 1 + p.k % 2
                           WHEN 'other' THEN 1 + p.k % 3 ELSE 1 END AS day_count,
               p.type IN ('theatre', 'other') AS evenings,
               DATE '2024-02-05' + (p.k::bigint * (CAST(:today AS date) + 90 - DATE '2024-02-05')
                                    / :productions)::int AS starts
        FROM (SELECT id, owner_id, type, (row_number() OVER (ORDER BY id))::int - 1 AS k
              FROM productions) AS p
    ),
    schedule AS (
        SELECT p.id, min(d.day) AS first_day, max(d.day) AS last_day,
               count(*) FILTER (WHERE NOT p.evenings AND extract(isodow FROM d.day) < 6) AS school_days,
               json_agg(json_build_object(
                   'date', to_char(d.day, 'YYYY-MM-DD'), 'kind', d.kind,
                   'arrive', d.times[1], 'leave', d.times[2],
                   'performing', json_build_array(json_build_object('start', d.times[3], 'end', d.times[4]),
                                                  json_build_object('start', d.times[5], 'end', d.times[6]))
               ) ORDER BY d.day) AS days
        FROM production AS p
        CROSS JOIN LATERAL generate_series(0, p.day_count - 1) AS i
        CROSS JOIN LATERAL (
            SELECT p.starts + i + i / 6 AS day,  -- a rest day after each 6
                   CASE WHEN p.type = 'theatre' AND i < 2 THEN 'rehearsal' ELSE 'performance' END AS kind,
                   CASE WHEN p.type = 'theatre' AND i < 2
                            THEN ARRAY['10:00', '16:00', '10:30', '12:00', '13:30', '14:30']
                        WHEN p.evenings THEN ARRAY['17:30', '21:30', '18:30', '19:30', '20:00', '20:45']
                        ELSE ARRAY['08:00', '15:00', '09:00', '11:00', '12:30', '13:30'] END AS times
        ) AS d
        GROUP BY p.id
    ),
    child AS (
        SELECT p.id AS production_id, p.owner_id, (row_number() OVER (ORDER BY p.k, c))::int - 1 AS n
        FROM production AS p
        CROSS JOIN generate_series(1, p.children) AS c
    ),
    application AS (
        SELECT {_next_id("performance_licences")} AS id, d.*,
               CASE WHEN d.received > CAST(:today AS date) THEN 'draft'
                    WHEN d.decided > CAST(:today AS date) OR d.stuck THEN 'submitted'
                    WHEN (d.n * 17) % 100 < 3 THEN 'refused'
                    WHEN (d.n * 17) % 100 < 6 THEN 'withdrawn'
                    WHEN (d.n * 17) % 100 = 6 THEN 'revoked'
                    ELSE 'granted' END AS status,
               {_pick("officer", "d.n")} AS officer,
               {_approved_before("d.received", "d.n")} AS chaperone_id
        FROM (
            SELECT c.*, s.first_day, s.last_day, s.school_days, s.first_day - x.notice AS received, x.notice,
                   greatest(s.first_day - x.notice + 2, s.first_day - 2 - (c.n * 3) % 10) AS decided,
                   -- 1 in 50 of the last fortnight's still waits, past its decision date: the parent's part
                   -- never came back
                   c.n % 50 = 0 AND s.first_day - 2 <= CAST(:today AS date)
                       AND s.first_day > CAST(:today AS date) - 14 AS stuck
            FROM child AS c
            JOIN (SELECT id, first_day, last_day, school_days FROM schedule) AS s ON s.id = c.production_id
            CROSS JOIN LATERAL (
                SELECT CASE WHEN c.n % 14 = 0 THEN 7 + c.n % 14 ELSE 21 + (c.n * 7) % 60 END AS notice
            ) AS x
            WHERE c.n < :licences
        ) AS d
    ),
    named AS (
        -- the chaperone only where their approval covers every day (else a parent looks after the child)
        SELECT a.*, s.days,
               CASE WHEN ch.valid_from <= a.first_day AND ch.valid_until >= a.last_day
                    THEN ch.approval_number END AS chaperone_number
        FROM application AS a
        JOIN schedule AS s ON s.id = a.production_id
        LEFT JOIN chaperone_approvals AS ch ON ch.id = a.chaperone_id
    )
    INSERT INTO performance_licences (
        id, reference, production_id, status, child_first_name, child_last_name, child_date_of_birth,
        child_address, child_school_name, parent_name, parent_email, parent_address, days, night_work,
        chaperone_approval_number, chaperone_is_parent, chaperone_is_usual_teacher, usual_teacher_name,
        usual_teacher_school, chaperone_children_in_care, chaperone_also_private_teacher,
        education_school_days_missed, tutor_name, tutor_hours_per_day, tutor_pupils, tutor_similar_standard,
        education_approved, education_approval_notes, education_approved_at, education_approved_by_id,
        first_day, last_day, received_on, days_notice, late, decision_due_on, breaches, warnings,
        parent_part_state, late_reason, licence_number, conditions, decided_at, decided_by_id, refusal_reason,
        withdrawn_at, withdrawal_reason, submitted_at, created_by_id, created_at)
    SELECT a.id, {_numbered("PL", "least(a.received, CAST(:today AS date))", "a.id", 6)},
           a.production_id, a.status,
           (ARRAY['Amelia', 'Oliver', 'Isla', 'George', 'Ava', 'Noah', 'Mia', 'Leo', 'Ivy', 'Arthur',
                  'Freya', 'Muhammad', 'Lily', 'Harry', 'Grace', 'Oscar', 'Sophia', 'Jack', 'Evie',
                  'Theo'])[1 + a.n % 20],
           (ARRAY['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel',
                  'Wright'])[1 + (a.n / 20) % 10] || '-' || a.n,
           (a.first_day - make_interval(years => 5 + (a.n * 7) % 10))::date - a.n % 365,
           a.n || ' Church Street, Mansfield', 'School ' || (a.n % 2000),
           'Parent ' || a.n, 'parent.' || a.n || '@bench.example', a.n || ' Church Street, Mansfield',
           a.days, false,
           c.number, c.is_parent, c.is_teacher,
           CASE WHEN c.is_teacher THEN 'Teacher ' || (a.n % 2000) END,
           CASE WHEN c.is_teacher THEN 'School ' || (a.n % 2000) END,
           CASE WHEN c.is_parent IS NOT NULL THEN CASE WHEN c.number IS NULL THEN 1 ELSE 1 + a.n % 8 END END,
           CASE WHEN c.is_parent IS NOT NULL THEN false END,
           e.missed,
           CASE WHEN e.missed > 0 THEN 'Tutor ' || (a.n % 500) END,
           CASE WHEN e.missed > 0 THEN 3.00 END,
           CASE WHEN e.missed > 0 THEN 1 + a.n % 6 END,
           CASE WHEN e.missed > 0 THEN false END,
           CASE WHEN e.missed > 0 AND e.approved THEN true END,
           CASE WHEN e.missed > 0 AND e.approved THEN '' END,
           CASE WHEN e.missed > 0 AND e.approved THEN a.received + 5 + time '12:00' END,
           CASE WHEN e.missed > 0 AND e.approved THEN a.officer END,
           a.first_day, a.last_day,
           CASE WHEN a.status <> 'draft' THEN a.received END,
           CASE WHEN a.status <> 'draft' THEN a.notice END,
           a.status <> 'draft' AND a.notice < 21,
           CASE WHEN a.status <> 'draft' THEN {_last_working_day_before("a.first_day")} END,
           '[]'::json, '[]'::json,
           CASE WHEN a.status = 'draft' THEN 'not_requested'
                WHEN a.status = 'submitted' AND (a.stuck OR a.received + 3 + a.n % 15 > CAST(:today AS date))
                    THEN 'requested'
                WHEN a.status = 'withdrawn' AND a.n % 2 = 0 THEN 'requested'
                ELSE 'completed' END,
           CASE WHEN a.status IN ('granted', 'revoked') AND a.notice < 21
                THEN 'Cast late; the producer has shown the schedule is safe' END,
           CASE WHEN a.status IN ('granted', 'revoked')
                THEN {_numbered("NCC-PL", "a.decided", "a.id", 5)} END,
           CASE WHEN a.status IN ('granted', 'revoked') AND a.n % 5 = 0
                THEN 'The child is collected by a parent at the end of each day' END,
           CASE WHEN a.status IN ('granted', 'refused', 'revoked') THEN a.decided + time '15:00' END,
           CASE WHEN a.status IN ('granted', 'refused', 'revoked') THEN a.officer END,
           CASE WHEN a.status = 'refused' AND a.notice < 21 THEN 'Not enough notice to make the checks needed'
                WHEN a.status = 'refused' THEN 'The school does not support the absence' END,
           CASE WHEN a.status = 'withdrawn' THEN a.received + (a.decided - a.received) / 2 + time '16:00' END,
           CASE WHEN a.status = 'withdrawn' THEN 'The child is no longer taking part' END,
           CASE WHEN a.status <> 'draft' THEN a.received + time '09:30' END,
           a.owner_id,
           least(a.received, CAST(:today AS date)) + time '09:00'
    FROM named AS a
    CROSS JOIN LATERAL (
        -- 6 in 10 with an approved chaperone, 3 a parent, 1 their usual teacher; half the drafts say none yet
        SELECT CASE WHEN a.status = 'draft' AND a.n % 2 = 0 THEN NULL
                    WHEN a.n % 10 < 6 THEN a.chaperone_number END AS number,
               CASE WHEN a.status = 'draft' AND a.n % 2 = 0 THEN NULL
                    ELSE a.n % 10 BETWEEN 6 AND 8 OR (a.n % 10 < 6 AND a.chaperone_number IS NULL) END
                   AS is_parent,
               CASE WHEN a.status = 'draft' AND a.n % 2 = 0 THEN NULL ELSE a.n % 10 = 9 END AS is_teacher
    ) AS c
    CROSS JOIN LATERAL (
        -- Daytime filming on school days: the child misses school; the SPP approves the tutoring
        SELECT CASE WHEN a.status = 'draft' THEN NULL ELSE a.school_days END AS missed,
               a.status IN ('granted', 'revoked')
               OR (a.status = 'submitted' AND a.received + 5 + a.n % 10 <= CAST(:today AS date)) AS approved
    ) AS e
"""

# Each check answered some days after the application arrives (the school's opinion asked for at once,
# given last), so the queue's newer applications still wait for some; 2% find concerns.
LICENCE_CHECKS = f"""
    INSERT INTO licence_checks (licence_id, kind, requested_at, requested_from, outcome, notes, recorded_at,
                                recorded_by_id, recorded_by)
    SELECT l.id, k.kind,
           CASE WHEN k.kind = 'school_opinion' THEN l.received_on + time '10:00' END,
           CASE WHEN k.kind = 'school_opinion' THEN 'office' || (l.id % 2000) || '@school.bench.example' END,
           x.outcome,
           CASE x.outcome WHEN 'concerns' THEN 'Known to early help; discussed with the family'
                          WHEN 'no_concerns' THEN '' END,
           CASE WHEN x.outcome IS NOT NULL THEN least(t.answered, CAST(:today AS date)) + time '12:00' END,
           CASE WHEN x.outcome IS NOT NULL AND k.kind <> 'school_opinion' THEN {_pick("officer", "l.id")} END,
           CASE WHEN x.outcome IS NULL THEN NULL
                WHEN k.kind = 'school_opinion' THEN 'school_link'
                ELSE 'officer.' || (1 + l.id % :officers) || '@bench.example' END
    FROM performance_licences AS l
    CROSS JOIN (VALUES ('education', 0, 2), ('social_care', 1, 5), ('early_help', 2, 8),
                       ('school_opinion', 3, 10)) AS k(kind, i, after)
    CROSS JOIN LATERAL (SELECT l.received_on + k.after + l.id % 8 AS answered) AS t
    CROSS JOIN LATERAL (
        SELECT CASE WHEN l.status = 'submitted' AND t.answered > CAST(:today AS date) THEN NULL
                    WHEN (l.id * 7 + k.i) % 50 = 0 THEN 'concerns'
                    ELSE 'no_concerns' END AS outcome
    ) AS x
    WHERE l.status IN ('granted', 'refused', 'revoked')
       OR (l.status = 'submitted' AND (x.outcome IS NOT NULL OR k.kind = 'school_opinion'))
       OR (l.status = 'withdrawn' AND k.i < 2)
"""

# The photo is a placeholder (a PNG signature): the benchmarks never read it.
PARENT_PARTS = """
    INSERT INTO parent_parts (licence_id, declaration, medical_declaration, photo, photo_content_type,
                              photo_size, photo_width, photo_height, completed_at)
    SELECT l.id, true, CASE WHEN l.id % 12 = 0 THEN 'Asthma: carries an inhaler' ELSE '' END,
           decode('89504e470d0a1a0a', 'hex'), 'image/png', 8, 600, 800, l.received_on + 2 + time '20:00'
    FROM performance_licences AS l
    WHERE l.parent_part_state = 'completed'
"""

# The grant (version 1), a variation for 1 in 40 granted, a revocation or a refusal.
LICENCE_DECISIONS = """
    INSERT INTO licence_decisions (licence_id, event, version, reason, late_reason, conditions, changes,
                                   officer_name, officer_role, decided_on, decided_at, decided_by_id)
    SELECT l.id, e.event, e.version,
           CASE e.event WHEN 'refused' THEN l.refusal_reason
                        WHEN 'varied' THEN 'A performance day moved'
                        WHEN 'revoked' THEN 'A condition of the licence was broken' END,
           CASE WHEN e.event = 'granted' THEN l.late_reason END,
           CASE WHEN l.conditions IS NULL THEN '[]'::json ELSE json_build_array(l.conditions) END,
           CASE WHEN e.event = 'varied'
                THEN json_build_object('days',
                                       json_build_object('before', l.first_day, 'after', l.first_day + 1))
           END,
           u.name, 'Senior Professional Practitioner – Employment and Entertainment',
           x.decided_on, x.decided_on + time '15:00', l.decided_by_id
    FROM performance_licences AS l
    JOIN users AS u ON u.id = l.decided_by_id
    CROSS JOIN (VALUES ('granted', 1), ('varied', 2), ('revoked', NULL), ('refused', NULL))
         AS e(event, version)
    CROSS JOIN LATERAL (
        SELECT CASE e.event WHEN 'varied' THEN (l.decided_at)::date + 1
                            WHEN 'revoked' THEN greatest(l.first_day, (l.decided_at)::date + 1)
                            ELSE (l.decided_at)::date END AS decided_on
    ) AS x
    WHERE (e.event = 'granted' AND l.status IN ('granted', 'revoked'))
       OR (e.event = 'varied' AND l.status = 'granted' AND l.id % 40 = 0)
       OR (e.event = 'revoked' AND l.status = 'revoked')
       OR (e.event = 'refused' AND l.status = 'refused')
"""

# Copies of each licence version to the holder, the parent, and the host authority where another council.
LICENCE_DISTRIBUTIONS = """
    INSERT INTO licence_distributions (licence_id, party, event, email, sent_on)
    SELECT d.licence_id, p.party, d.event,
           CASE p.party WHEN 'holder' THEN pr.producer_email WHEN 'parent' THEN l.parent_email
                        ELSE pr.host_authority_email END,
           d.decided_on
    FROM licence_decisions AS d
    JOIN performance_licences AS l ON l.id = d.licence_id
    JOIN productions AS pr ON pr.id = l.production_id
    CROSS JOIN (VALUES ('holder'), ('host_authority'), ('parent')) AS p(party)
    WHERE d.event <> 'refused' AND (p.party <> 'host_authority' OR pr.host_authority_email IS NOT NULL)
"""

# A permit is decided in 10 to 25 days; 1 in 8 waits on the parent's declaration for longer.
EMPLOYMENT_PERMITS = f"""
    INSERT INTO employment_permits (
        id, reference, owner_id, status, employer_name, employer_address, employer_contact, employer_email,
        employer_known, child_first_name, child_last_name, child_date_of_birth, child_address,
        child_school_name, parent_name, parent_email, parent_address, job_description, job_category,
        start_date, schedule, received_on, late, unpermitted_from, unpermitted_until, decision_due_on, regime,
        breaches, warnings, parent_declared_at, parent_declared_name, permit_number, issued_on, valid_until,
        refusal_reason, decided_by, decided_at, revoked_on, revoked_by, revocation_reason, created_by,
        created_at)
    SELECT p.id, {_numbered("EP", "p.received", "p.id", 6)}, p.owner_id, p.status,
           'Employer ' || p.employer, p.employer || ' Market Place, Worksop', 'Manager ' || p.employer,
           'employer.' || p.employer || '@bench.example', p.employer % 5 <> 0,
           (ARRAY['Ruby', 'Alfie', 'Poppy', 'Charlie', 'Daisy', 'Jacob', 'Rosie', 'Henry', 'Millie',
                  'Thomas'])[1 + p.n % 10],
           'Worker-' || p.n, (p.start_date - make_interval(years => 13 + p.n % 2))::date - p.n % 200,
           p.n || ' Park Road, Retford', 'School ' || (p.n % 2000), 'Parent ' || p.n,
           'permit.parent.' || p.n || '@bench.example', p.n || ' Park Road, Retford',
           CASE WHEN p.category = 'newspaper_delivery' THEN 'Delivering newspapers before school'
                ELSE 'Helping at weekends: ' || replace(p.category, '_', ' ') END,
           p.category, p.start_date,
           CASE WHEN p.category = 'newspaper_delivery' THEN CAST(:paper_round AS json)
                ELSE CAST(:weekend_job AS json) END,
           p.received, p.received - p.start_date > 7,
           CASE WHEN p.received - p.start_date > 7 THEN p.start_date END,
           CASE WHEN p.received - p.start_date > 7 THEN p.received - 1 END,
           p.received + 25, 'CYPA1933', '[]'::json, '[]'::json,
           CASE WHEN p.declared THEN p.received + 1 + time '19:00' END,
           CASE WHEN p.declared THEN 'Parent ' || p.n END,
           CASE WHEN p.status IN ('granted', 'expired', 'revoked')
                THEN {_numbered("NCC-EP", "p.decided", "p.id", 5)} END,
           CASE WHEN p.status IN ('granted', 'expired', 'revoked') THEN p.decided END,
           CASE WHEN p.status IN ('granted', 'expired', 'revoked')
                THEN (p.decided + interval '1 year')::date - 1 END,
           CASE WHEN p.status = 'refused'
                THEN 'Work in a commercial kitchen is prohibited for every child' END,
           CASE WHEN p.status <> 'submitted' THEN p.officer END,
           CASE WHEN p.status <> 'submitted' THEN p.decided + time '13:00' END,
           CASE WHEN p.status = 'revoked' THEN least(p.decided + 90, CAST(:today AS date) - 1) END,
           CASE WHEN p.status = 'revoked' THEN p.officer END,
           CASE WHEN p.status = 'revoked' THEN 'Hours worked beyond those permitted' END,
           p.owner_id, p.received + time '08:30'
    FROM (
        SELECT {_next_id("employment_permits")} AS id, s.*,
               CASE WHEN s.decided > CAST(:today AS date) THEN 'submitted'
                    WHEN s.category = 'commercial_kitchen' THEN 'refused'
                    WHEN (s.n * 53) % 200 = 7 THEN 'revoked'
                    WHEN (s.decided + interval '1 year')::date - 1 < CAST(:today AS date) THEN 'expired'
                    ELSE 'granted' END AS status,
               s.decided <= CAST(:today AS date) OR (s.n * 13) % 10 < 6 AS declared
        FROM (
            SELECT n, received, received - n % 9 AS start_date,
                   received + CASE WHEN (n * 11) % 8 = 0 THEN 30 + n % 30 ELSE 10 + (n * 7) % 16 END
                       AS decided,
                   1 + n % :employers AS employer,
                   {_pick("employer", "n")} AS owner_id,
                   {_pick("officer", "n")} AS officer,
                   CASE WHEN (n * 37) % 100 < 3 THEN 'commercial_kitchen'
                        -- an employer's kind of work: half are newsagents
                        ELSE (ARRAY['newspaper_delivery', 'newspaper_delivery', 'newspaper_delivery',
                                    'newspaper_delivery', 'newspaper_delivery', 'shop', 'cafe_restaurant',
                                    'hairdressing', 'agriculture',
                                    'riding_stables'])[1 + (1 + n % :employers) % 10]
                   END AS category
            FROM generate_series(0, :permits - 1) AS n
            CROSS JOIN LATERAL (
                SELECT DATE '2024-01-02' + (n::bigint * (CAST(:today AS date) - DATE '2024-01-02')
                                            / :permits)::int AS received
            ) AS r
        ) AS s
    ) AS p
"""

# An employer unknown to the council gets a site visit before the decision; the permit names it.
SITE_VISITS = f"""
    WITH visit AS (
        INSERT INTO inspections (id, reference, subject_kind, subject_id, place_kind, address, planned_on,
                                 officer_id, unannounced, notes, status, outcome, findings, visited_on,
                                 recorded_by, recorded_at, created_by, created_at)
        SELECT v.id, {_numbered("INS", "v.planned_on", "v.id", 6)}, 'employment_permit', v.permit_id,
               'employer_premises', v.employer_address, v.planned_on, v.officer, false, '',
               CASE WHEN v.planned_on < CAST(:today AS date) THEN 'done' ELSE 'planned' END,
               CASE WHEN v.planned_on < CAST(:today AS date)
                    THEN CASE WHEN v.permit_id % 10 = 0 THEN 'advice_given' ELSE 'compliant' END END,
               CASE WHEN v.planned_on < CAST(:today AS date)
                    THEN CASE WHEN v.permit_id % 10 = 0 THEN 'Fire exits were blocked' ELSE '' END END,
               CASE WHEN v.planned_on < CAST(:today AS date) THEN v.planned_on END,
               CASE WHEN v.planned_on < CAST(:today AS date) THEN v.officer END,
               CASE WHEN v.planned_on < CAST(:today AS date) THEN v.planned_on + time '16:00' END,
               v.officer, v.received_on + time '09:00'
        FROM (
            SELECT {_next_id("inspections")} AS id, p.id AS permit_id, p.employer_address, p.received_on,
                   p.received_on + 2 + p.id % 5 AS planned_on,
                   {_pick("officer", "p.id")} AS officer
            FROM employment_permits AS p
            WHERE NOT p.employer_known
        ) AS v
        RETURNING id, subject_id
    )
    UPDATE employment_permits AS p SET inspection_id = visit.id FROM visit WHERE p.id = visit.subject_id
"""

# Unannounced visits to 1 in 10 productions, on the second day.
VENUE_VISITS = f"""
    INSERT INTO inspections (id, reference, subject_kind, subject_id, place_kind, address, planned_on,
                             officer_id, unannounced, notes, status, outcome, findings, visited_on,
                             recorded_by, recorded_at, created_by, created_at)
    SELECT v.id, {_numbered("INS", "v.planned_on", "v.id", 6)}, 'production', v.production_id, 'venue',
           v.address, v.planned_on, v.officer, true, '',
           CASE WHEN v.planned_on < CAST(:today AS date) THEN 'done' ELSE 'planned' END,
           CASE WHEN v.planned_on < CAST(:today AS date)
                THEN CASE WHEN v.production_id % 7 = 0 THEN 'breach_found' ELSE 'compliant' END END,
           CASE WHEN v.planned_on < CAST(:today AS date)
                THEN CASE WHEN v.production_id % 7 = 0 THEN 'No chaperone with the children' ELSE '' END END,
           CASE WHEN v.planned_on < CAST(:today AS date) THEN v.planned_on END,
           CASE WHEN v.planned_on < CAST(:today AS date) THEN v.officer END,
           CASE WHEN v.planned_on < CAST(:today AS date) THEN v.planned_on + time '21:00' END,
           v.officer, least(v.planned_on - 7, CAST(:today AS date)) + time '09:00'
    FROM (
        SELECT {_next_id("inspections")} AS id, x.*
        FROM (
            SELECT pr.id AS production_id, pr.venues -> 0 ->> 'address' AS address,
                   min(l.first_day) + 1 AS planned_on,
                   {_pick("officer", "pr.id")} AS officer
            FROM productions AS pr
            JOIN performance_licences AS l ON l.production_id = pr.id
            WHERE pr.id % 10 = 0 AND l.status IN ('granted', 'submitted')
            GROUP BY pr.id
        ) AS x
    ) AS v
"""

# The permit, refusal or revocation letter, to the employer and to the parent.
PERMIT_DISTRIBUTIONS = """
    INSERT INTO permit_distributions (permit_id, party, event, email, sent_on)
    SELECT p.id, party.name, e.event,
           CASE party.name WHEN 'employer' THEN p.employer_email ELSE p.parent_email END, e.sent_on
    FROM employment_permits AS p
    CROSS JOIN (VALUES ('employer'), ('parent')) AS party(name)
    CROSS JOIN LATERAL (
        SELECT CASE WHEN p.status = 'refused' THEN 'refused' ELSE 'granted' END AS event,
               (p.decided_at)::date AS sent_on
        UNION ALL
        SELECT 'revoked', p.revoked_on WHERE p.status = 'revoked'
    ) AS e
    WHERE p.status <> 'submitted'
"""

# The expiry reminder each party gets 4 weeks before a permit ends.
PERMIT_REMINDERS = """
    INSERT INTO permit_reminders (permit_id, party, weeks, sent_on)
    SELECT p.id, party.name, 4, p.valid_until - 28
    FROM employment_permits AS p
    CROSS JOIN (VALUES ('employer'), ('parent')) AS party(name)
    WHERE p.status IN ('granted', 'expired') AND p.valid_until - 28 <= CAST(:today AS date)
"""

# A body of persons (a dance school, an amateur dramatic society) puts on a short series with its pupils.
BOPA_APPROVALS = f"""
    INSERT INTO bopa_approvals (
        id, reference, owner_id, organisation_name, organisation_address, organisation_contact,
        organisation_email, organisation_phone, period_start, period_end, series_description, performances,
        children, first_performance_on, last_performance_on, no_payment_declared, no_school_absence_declared,
        received_on, days_notice, late, decision_due_on, warnings, status, standard_conditions, conditions,
        approved_from, approved_until, reason, decided_by, decided_at, revoked_by, revoked_at,
        revocation_reason, created_by, created_at)
    SELECT b.id, {_numbered("BOPA", "b.received", "b.id", 6)}, b.owner_id,
           'Organisation ' || b.org, b.org || ' Dance Studio Lane, Mansfield', 'Director ' || b.org,
           'organisation.' || b.org || '@bench.example', '', NULL, NULL,
           'Annual show ' || extract(year FROM b.first_on)::int,
           (SELECT json_agg(json_build_object('date', to_char(b.first_on + i, 'YYYY-MM-DD'),
                                              'venue', 'Theatre ' || (b.org % 50)) ORDER BY i)
            FROM generate_series(0, b.shows - 1) AS i),
           (SELECT json_agg(json_build_object('name', 'Pupil ' || b.id || '-' || i,
                                              'date_of_birth', to_char(dob, 'YYYY-MM-DD'),
                                              'home_authority', 'Nottinghamshire',
                                              'school_age_ends', to_char(ends, 'YYYY-MM-DD'),
                                              'covered', true, 'covered_until', NULL) ORDER BY i)
            FROM generate_series(1, b.children) AS i
            CROSS JOIN LATERAL (
                SELECT (b.first_on - make_interval(years => (6 + (b.id + i) % 9)::int))::date - i AS dob
            ) AS d
            CROSS JOIN LATERAL (
                -- the last Friday in June of the school year in which the child turns 16
                SELECT make_date(extract(year FROM dob)::int + 16 + (extract(month FROM dob) >= 9)::int,
                                 6, 30) AS june30
            ) AS j
            CROSS JOIN LATERAL (SELECT june30 - ((extract(isodow FROM june30)::int + 2) % 7) AS ends) AS e),
           b.first_on, b.first_on + b.shows - 1, true, true, b.received, b.notice, b.notice < 21,
           {_last_working_day_before("b.first_on")}, '[]'::json, b.status,
           CASE WHEN b.status IN ('approved', 'revoked') THEN CAST(:bopa_conditions AS json)
                ELSE '[]'::json END,
           '[]'::json,
           CASE WHEN b.status IN ('approved', 'revoked') THEN b.first_on END,
           CASE WHEN b.status IN ('approved', 'revoked') THEN b.first_on + b.shows - 1 END,
           CASE WHEN b.status = 'refused' THEN 'Payment is made to the children' END,
           CASE WHEN b.status <> 'submitted' THEN b.officer END,
           CASE WHEN b.status <> 'submitted' THEN b.decided + time '10:00' END,
           CASE WHEN b.status = 'revoked' THEN b.officer END,
           CASE WHEN b.status = 'revoked' THEN b.decided + 3 + time '10:00' END,
           CASE WHEN b.status = 'revoked' THEN 'Children were absent from school' END,
           b.owner_id, b.received + time '09:00'
    FROM (
        SELECT {_next_id("bopa_approvals")} AS id, s.*,
               CASE WHEN s.decided > CAST(:today AS date) THEN 'submitted'
                    WHEN (s.n * 37) % 100 < 4 THEN 'refused'
                    WHEN (s.n * 37) % 100 = 4 THEN 'revoked'
                    ELSE 'approved' END AS status
        FROM (
            SELECT n, 1 + n % :organisations AS org, 3 + n % 4 AS shows, 8 + n % 15 AS children,
                   first_on, first_on - notice AS received, notice,
                   greatest(first_on - notice + 2, first_on - 3 - n % 7) AS decided,
                   {_pick("organisation", "n")} AS owner_id,
                   {_pick("officer", "n")} AS officer
            FROM generate_series(0, :bopas - 1) AS n
            CROSS JOIN LATERAL (
                SELECT DATE '2024-03-01' + (n::bigint * (CAST(:today AS date) + 60 - DATE '2024-03-01')
                                            / :bopas)::int AS first_on,
                       CASE WHEN n % 15 = 0 THEN 10 + n % 10 ELSE 21 + (n * 7) % 40 END AS notice
            ) AS r
            WHERE first_on - notice <= CAST(:today AS date)
        ) AS s
    ) AS b
"""

# Reports of a child working or performing without a licence: 1 in 20 a safeguarding concern (due the day
# it arrives); most closed within 3 to 8 weeks.
CONCERNS = f"""
    INSERT INTO concerns (
        id, reference, status, safeguarding, received_on, due_on, child_name, child_age, child_date_of_birth,
        child_school, activity, location, organiser, when_happening, description, reporter_name,
        reporter_email, reporter_phone, reporter_is_professional, reporter_organisation, reported_by,
        mash_referred_on, mash_referred_by, outcome, outcome_notes, closed_by, closed_at, created_at)
    SELECT c.id, {_numbered("CON", "c.received", "c.id", 6)}, c.status, c.safeguarding, c.received,
           CASE WHEN c.safeguarding THEN c.received ELSE c.received + 14 END,
           'Child ' || c.n, 10 + c.n % 6, NULL, 'School ' || (c.n % 2000),
           (ARRAY['working', 'performing', 'not_sure'])[1 + c.n % 3],
           c.n || ' Station Road, Sutton-in-Ashfield', 'Business ' || (c.n % 700),
           'Weekday evenings', 'A child seems to be working late on school nights',
           CASE WHEN c.n % 3 = 0 THEN '' ELSE 'Reporter ' || c.n END,
           CASE WHEN c.n % 3 = 0 THEN '' ELSE 'reporter.' || c.n || '@bench.example' END,
           '', c.n % 4 = 1, CASE WHEN c.n % 4 = 1 THEN 'School ' || (c.n % 2000) ELSE '' END, NULL,
           CASE WHEN c.safeguarding AND c.status <> 'open' THEN c.received END,
           CASE WHEN c.safeguarding AND c.status <> 'open' THEN c.officer END,
           CASE WHEN c.status = 'closed'
                THEN (ARRAY['licence_or_permit_obtained', 'stopped', 'advice_given',
                            'no_evidence'])[1 + c.n % 4]
           END,
           CASE WHEN c.status = 'closed' THEN '' END,
           CASE WHEN c.status = 'closed' THEN c.officer END,
           CASE WHEN c.status = 'closed' THEN c.closes + time '16:00' END,
           c.received + time '08:00'
    FROM (
        SELECT {_next_id("concerns")} AS id, s.*,
               CASE WHEN s.closes <= CAST(:today AS date) THEN 'closed'
                    WHEN s.received + 3 <= CAST(:today AS date) THEN 'in_progress'
                    ELSE 'open' END AS status
        FROM (
            SELECT n, received, received + 20 + (n * 7) % 40 AS closes, n % 20 = 0 AS safeguarding,
                   {_pick("officer", "n")} AS officer
            FROM generate_series(0, :concerns - 1) AS n
            CROSS JOIN LATERAL (
                SELECT DATE '2024-01-02' + (n::bigint * (CAST(:today AS date) - DATE '2024-01-02')
                                            / :concerns)::int AS received
            ) AS r
        ) AS s
    ) AS c
"""

# A letter asking for information once a concern is taken up; the MASH referral of a safeguarding one.
CONCERN_ACTIONS = """
    INSERT INTO concern_actions (concern_id, kind, taken_on, notes, recipient_name, recipient_organisation,
                                 recipient_address, reply_by, details, recorded_by, recorded_at)
    SELECT c.id, k.kind, c.received_on + k.after, '',
           CASE WHEN k.kind = 'letter' THEN 'The manager' END,
           CASE WHEN k.kind = 'letter' THEN c.organiser END,
           CASE WHEN k.kind = 'letter' THEN c.location END,
           CASE WHEN k.kind = 'letter' THEN c.received_on + k.after + 14 END,
           CASE WHEN k.kind = 'letter' THEN json_build_object('officer_name', u.name) ELSE '{}'::json END,
           u.id, c.received_on + k.after + time '11:00'
    FROM concerns AS c
    JOIN users AS u ON u.id = coalesce(c.closed_by, c.mash_referred_by,
                                       (SELECT min(id) FROM users WHERE role = 'officer'))
    CROSS JOIN (VALUES ('mash_referral', 0), ('letter', 2)) AS k(kind, after)
    WHERE c.status <> 'open' AND (k.kind = 'letter' OR c.safeguarding)
"""

# Links still out: parents yet to complete their part of a licence or to declare on a permit.
EMAIL_LINKS = """
    INSERT INTO email_links (token_hash, purpose, object_type, object_id, sent_to, created_at, expires_at)
    SELECT encode(sha256(convert_to('bench:' || x.purpose || ':' || x.object_id, 'UTF8')), 'hex'),
           x.purpose, x.object_type, x.object_id, x.sent_to, x.sent_on + time '09:30',
           x.sent_on + 14 + time '09:30'
    FROM (
        SELECT 'parent_part' AS purpose, 'performance_licence' AS object_type, id AS object_id,
               parent_email AS sent_to, received_on AS sent_on
        FROM performance_licences WHERE status = 'submitted' AND parent_part_state = 'requested'
        UNION ALL
        SELECT 'permit_parent', 'employment_permit', id, parent_email, received_on
        FROM employment_permits WHERE status = 'submitted' AND parent_declared_at IS NULL
    ) AS x
"""

STATEMENTS = [
    USERS,
    PRODUCTIONS,
    CHAPERONE_APPROVALS,
    CHAPERONE_REFERENCES,
    CHAPERONE_CHECKS,
    TRAINING_SESSIONS,
    TRAINING_BOOKINGS,
    PERFORMANCE_LICENCES,
    LICENCE_CHECKS,
    PARENT_PARTS,
    LICENCE_DECISIONS,
    LICENCE_DISTRIBUTIONS,
    EMPLOYMENT_PERMITS,
    PERMIT_DISTRIBUTIONS,
    PERMIT_REMINDERS,
    SITE_VISITS,
    VENUE_VISITS,
    BOPA_APPROVALS,
    CONCERNS,
    CONCERN_ACTIONS,
    EMAIL_LINKS,
]

TABLES = (
    "users",
    "productions",
    "performance_licences",
    "licence_checks",
    "parent_parts",
    "licence_decisions",
    "licence_distributions",
    "chaperone_approvals",
    "chaperone_references",
    "chaperone_checks",
    "chaperone_training_sessions",
    "chaperone_training_bookings",
    "employment_permits",
    "permit_distributions",
    "permit_reminders",
    "bopa_approvals",
    "inspections",
    "concerns",
    "concern_actions",
    "email_links",
)

# Weekly patterns as the service stores them (services.employment_permits.schedule_json).
PAPER_ROUND = {
    "term_time": [
        {"day": day, "start": "06:45", "end": "07:45", "breaks": []}
        for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
    ],
    "holidays": [{"day": "saturday", "start": "07:00", "end": "09:00", "breaks": []}],
    "holiday_weeks_free": True,
    "school_starts": None,
    "school_ends": None,
}
WEEKEND_JOB = {
    "term_time": [{"day": "saturday", "start": "09:00", "end": "13:00", "breaks": []}],
    "holidays": [
        {"day": day, "start": "09:00", "end": "14:00", "breaks": [{"start": "11:30", "end": "12:00"}]}
        for day in ("tuesday", "thursday", "saturday")
    ],
    "holiday_weeks_free": True,
    "school_starts": None,
    "school_ends": None,
}


def _parameters(scale: Scale) -> dict[str, object]:
    return {
        "today": TODAY,
        "licences": scale.licences,
        "productions": scale.productions,
        "permits": scale.permits,
        "chaperones": scale.chaperones,
        "bopas": scale.bopas,
        "officers": scale.officers,
        "producers": scale.producers,
        "employers": scale.employers,
        "chaperone_accounts": scale.chaperone_accounts,
        "organisations": scale.organisations,
        "sessions": scale.sessions,
        "concerns": scale.concerns,
        "bopa_conditions": json.dumps(list(STANDARD_CONDITIONS)),
        "paper_round": json.dumps(PAPER_ROUND),
        "weekend_job": json.dumps(WEEKEND_JOB),
    }


def _bound(statement: str, params: dict[str, object]) -> dict[str, object]:
    """The parameters a statement names (``::`` casts are not parameters)."""
    names = set(re.findall(r"(?<![:\w]):(\w+)", statement))
    return {k: v for k, v in params.items() if k in names}


def _written(statement: str) -> list[str]:
    return re.findall(r"(?:INSERT INTO|UPDATE) (\w+)", statement)


def seed(connection: Connection, scale: Scale, progress=lambda step, total: None) -> dict[str, int]:
    """Insert the records into a just-migrated licensing database, in the caller's transaction; returns
    the rows of each table. Vacuum them afterwards, as autovacuum would, so that index-only scans work."""
    params = _parameters(scale)
    # For this transaction only: room to sort and hash the larger statements in memory, and no JIT
    # compilation, which costs each statement a second or more and saves none of it on a single run.
    connection.execute(text("SET LOCAL work_mem = '256MB'"))
    connection.execute(text("SET LOCAL jit = off"))
    for step, statement in enumerate(STATEMENTS, start=1):
        connection.execute(text(statement), _bound(statement, params))
        # Statistics at once: the later statements join these tables, and a planner that thinks them
        # empty loops over them row by row.
        connection.execute(text("ANALYZE " + ", ".join(dict.fromkeys(_written(statement)))))
        progress(step, len(STATEMENTS))
    return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def statuses(connection: Connection) -> dict[str, dict[str, int]]:
    """How many records of each kind are in each status: to check the mix, or to print it."""
    tables = (
        "performance_licences",
        "employment_permits",
        "chaperone_approvals",
        "bopa_approvals",
        "concerns",
    )
    query = "SELECT status, count(*) FROM {} GROUP BY status ORDER BY count(*) DESC"
    return {t: dict(connection.execute(text(query.format(t))).tuples().all()) for t in tables}


# --- load: an officer's queue and lists -----------------------------------------------------------------

QUEUE_DEEP_PAGE = 200  # 5,000 items deep: each kind of work is read that far


def endpoints(counts: dict[str, int] | None = None) -> list[tuple[str, str]]:
    """``(name, path)`` of the officers' GETs to put under load: the queue and each list, first pages,
    deep pages and the filters officers use. Given :func:`seed`'s counts, the deep pages are as deep as
    what was seeded allows (a list's halfway, up to the last page served); without, those of :data:`FULL`.
    ``production_id=1`` is the first seeded production (ids start at 1 in a new database)."""

    def deep(table: str) -> int:
        return DEEP_PAGE if counts is None else max(1, min(DEEP_PAGE, counts[table] // 50))

    # The queue holds about 5.5% as many items as there are licences: page 200 of the full scale is
    # three quarters of the way down it, and so is counts // 600 at any scale.
    queue = QUEUE_DEEP_PAGE
    if counts is not None:
        queue = max(1, min(QUEUE_DEEP_PAGE, counts["performance_licences"] // 600))
    licences, permits = deep("performance_licences"), deep("employment_permits")
    return [
        ("officer queue", "/api/v1/queue"),
        (f"queue, page {queue}", f"/api/v1/queue?page={queue}"),
        ("queue, performance licences only", "/api/v1/queue?kind=performance_licence"),
        ("queue, chaperone checks in progress", "/api/v1/queue?status=checks_in_progress"),
        ("licences, first page", "/api/v1/performance-licences"),
        (f"licences, page {licences}", f"/api/v1/performance-licences?page={licences}"),
        ("licences awaiting decision", "/api/v1/performance-licences?status=submitted"),
        ("licences of one production", "/api/v1/performance-licences?production_id=1"),
        ("productions, first page", "/api/v1/productions"),
        ("permits, first page", "/api/v1/employment-permits"),
        (f"permits, page {permits}", f"/api/v1/employment-permits?page={permits}"),
        ("permits awaiting decision", "/api/v1/employment-permits?status=submitted"),
        ("chaperone approvals, first page", "/api/v1/chaperone-approvals"),
        ("chaperone checks in progress", "/api/v1/chaperone-approvals?status=checks_in_progress"),
        ("BOPA approvals, first page", "/api/v1/bopa-approvals"),
        ("inspections planned", "/api/v1/inspections?status=planned"),
        ("concerns, first page", "/api/v1/concerns"),
        ("training sessions with places", "/api/v1/training-sessions"),
    ]


ENDPOINTS = endpoints()


# --- load: a producer applying for a licence ------------------------------------------------------------

APPLICATION_PATH = "/api/v1/performance-licences"
PRODUCER_EMAIL = "bench.producer@example.org"
FIRST_NAMES = ("Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Leo", "Ivy", "Arthur")


@dataclass(frozen=True)
class Producer:
    token: str  # bearer token of the producer's account (role applicant)
    production_id: int  # a production the account owns
    chaperone_number: str | None  # a seeded chaperone approval valid the longest (None: a parent looks after)


def bench_producer(app) -> Producer:
    """A producer's account, its bearer token and a production of its own, for ``POST`` of applications;
    and the approved chaperone they name. Call once, after :func:`seed`."""
    from sqlalchemy import select

    from licensing_service.models.chaperones import ChaperoneApproval
    from licensing_service.models.productions import Production
    from shared import db, users

    with app.app_context(), db.transaction():
        user = users.create_user(PRODUCER_EMAIL, "Bench-producer-2026", "applicant", name="Bench Producer")
        db.session().flush()
        production = Production(
            owner_id=user.id,
            name="Bench pantomime",
            type="theatre",
            broadcast=False,
            paid=True,
            producer_name="Bench Producer",
            producer_organisation="Bench Productions Ltd",
            producer_email=PRODUCER_EMAIL,
            host_authority_name="Nottinghamshire County Council",
            venues=[{"name": "Theatre Royal", "address": "Theatre Square, Nottingham"}],
        )
        db.session().add(production)
        db.session().flush()
        token, _record = users.issue_token(user, timedelta(hours=6))
        number = db.session().scalar(
            select(ChaperoneApproval.approval_number)
            .where(ChaperoneApproval.status == "approved")
            .order_by(ChaperoneApproval.valid_until.desc(), ChaperoneApproval.id)
            .limit(1)
        )
        return Producer(token=token, production_id=production.id, chaperone_number=number)


def _day(day: date, kind: str, at_place: tuple[str, str], *performing: tuple[str, str]) -> dict:
    arrive, leave = at_place
    return {
        "date": day.isoformat(),
        "kind": kind,
        "arrive": arrive,
        "leave": leave,
        "performing": [{"start": start, "end": end} for start, end in performing],
    }


def application(producer: Producer, counter: int, today: date | None = None) -> tuple[str, dict]:
    """``(path, body)`` of one child's complete application, answered 201: a child of 8 for a weekend's
    rehearsal and performance 4 to 30 weeks ahead (never late, and no school missed). ``counter`` varies
    the child and the weekend; the service refuses no repeats, but no two posts need be alike. ``today``
    defaults to the server's date (Europe/London): days before it are refused."""
    from shared import calendar

    soonest = (today or calendar.today()) + timedelta(days=28 + 7 * (counter % 26))
    saturday = soonest + timedelta(days=(5 - soonest.weekday()) % 7)
    born = saturday - timedelta(days=8 * 365 + counter % 300)
    sunday = saturday + timedelta(days=1)
    days = [
        _day(saturday, "rehearsal", ("10:00", "16:00"), ("10:30", "12:00"), ("13:30", "14:30")),
        _day(sunday, "performance", ("13:00", "18:00"), ("14:00", "15:00"), ("15:30", "16:15")),
    ]
    if producer.chaperone_number:
        chaperone = {"approval_number": producer.chaperone_number, "children_in_care": 1 + counter % 8}
    else:
        chaperone = {"is_parent": True}
    body = {
        "production_id": producer.production_id,
        "child": {
            "first_name": FIRST_NAMES[counter % len(FIRST_NAMES)],
            "last_name": f"Bench-{counter}",
            "date_of_birth": born.isoformat(),
            "address": f"{counter} Castle Boulevard, Nottingham",
            "school_name": f"School {counter % 2000}",
        },
        "parent": {
            "name": f"Parent Bench-{counter}",
            "email": f"parent.bench.{counter}@bench.example",
            "address": f"{counter} Castle Boulevard, Nottingham",
        },
        "days": days,
        "chaperone": chaperone,
    }
    return APPLICATION_PATH, body
