"""Demo work for the officers' queue beyond performance licences: a chaperone application with a training
session to book, an employment permit application waiting for the parent's declaration, and two concerns
(one a safeguarding concern, first on the queue). Dates are relative to today; each step is idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from sqlalchemy import func, select

from shared import calendar, db, users

DEMO_CHAPERONE = "chaperone@licensing.example"
DEMO_EMPLOYER = "employer@licensing.example"


def ensure_chaperone_application() -> Iterator[str]:
    from licensing_service.models.chaperones import ChaperoneApproval, TrainingSession
    from licensing_service.schemas.chaperones import ChaperoneApprovalInSchema
    from licensing_service.services import chaperone_approvals, training_sessions

    applicant = users.find_user(DEMO_CHAPERONE)
    officer = users.find_user("officer@licensing.example")
    if applicant is None or officer is None:
        return
    if db.session().scalar(select(ChaperoneApproval.id).where(ChaperoneApproval.owner_id == applicant.id)):
        yield "demo chaperone application already in place"
        return
    today = calendar.today()
    data = ChaperoneApprovalInSchema().load(
        {
            "applicant": {
                "name": "Casey Demo",
                "date_of_birth": date(today.year - 42, 5, 1).isoformat(),
                "address": "4 Demo Road, Newark NG24 1AA",
                "email": DEMO_CHAPERONE,
            },
            "kind": "volunteer",
            "dbs": {
                "certificate_number": "001234567890",
                "issue_date": (today - timedelta(days=60)).isoformat(),
                "update_service": True,
            },
            "references": [
                {"name": "Robin Referee", "email": "referee1@licensing.example", "relationship": "Neighbour"},
                {
                    "name": "Morgan Manager",
                    "email": "referee2@licensing.example",
                    "relationship": "Line manager",
                },
            ],
            "database_check_consent": True,
        }
    )
    chaperone_approvals.submit(data, applicant)
    if not db.session().scalar(select(func.count()).select_from(TrainingSession)):
        training_sessions.create(
            {"date": today + timedelta(days=14), "place": "County Hall, West Bridgford", "capacity": 12},
            officer,
        )
    yield "demo chaperone application submitted, with a training session in 2 weeks"


def ensure_permit_application() -> Iterator[str]:
    from licensing_service.models.employment import EmploymentPermit
    from licensing_service.schemas.employment import PermitInSchema
    from licensing_service.services import employment_permits

    employer = users.find_user(DEMO_EMPLOYER)
    if employer is None:
        return
    if db.session().scalar(select(EmploymentPermit.id).where(EmploymentPermit.owner_id == employer.id)):
        yield "demo employment permit application already in place"
        return
    today = calendar.today()
    start = today + timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
    data = PermitInSchema().load(
        {
            "employer": {
                "name": "Demo Newsagents Ltd",
                "address": "5 Market Place, Mansfield NG18 1HX",
                "contact": "Pat Demo",
                "email": DEMO_EMPLOYER,
                "known_to_council": False,
            },
            "child": {
                "first_name": "Sam",
                "last_name": "Demo",
                "date_of_birth": date(today.year - 14, 2, 20).isoformat(),
                "address": "6 Demo Road, Mansfield NG18 1AA",
                "school_name": "Demo Academy",
            },
            "parent": {"name": "Lee Demo", "email": "parent3@licensing.example", "address": "6 Demo Road"},
            "job": {"description": "Delivering newspapers before school", "category": "newspaper_delivery"},
            "start_date": start.isoformat(),
            "schedule": {
                "term_time": [
                    {"day": day, "start": "07:00", "end": "07:45", "breaks": []}
                    for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
                ],
                "holidays": [{"day": "saturday", "start": "07:00", "end": "09:00", "breaks": []}],
                "holiday_weeks_free": True,
            },
        }
    )
    employment_permits.submit(data, employer)
    yield "demo employment permit application submitted (site visit planned: the employer is new)"


def ensure_concerns() -> Iterator[str]:
    from licensing_service.models.concerns import Concern
    from licensing_service.schemas.concerns import ConcernReportSchema
    from licensing_service.services import concerns

    if db.session().scalar(select(func.count()).select_from(Concern)):
        yield "demo concerns already in place"
        return
    reports = [
        {
            "child": {"name": "A girl of about 12", "age": 12},
            "activity": "working",
            "location": "Car wash, Sutton Road, Mansfield",
            "when": "School days, from about 3pm until late",
            "description": "A girl who looks about 12 is washing cars after 9pm, on her own in the dark.",
            "at_risk_now": True,
        },
        {
            "child": {"name": "Two children", "school": "Demo Primary School"},
            "activity": "performing",
            "location": "Village hall, Southwell",
            "organiser": "A touring pantomime company",
            "when": "Evenings next week",
            "description": "Two children from our school say they are paid to appear in the pantomime.",
            "at_risk_now": False,
            "reporter": {"name": "Head teacher", "professional": True, "organisation": "Demo Primary School"},
        },
    ]
    for report in reports:
        concerns.report(ConcernReportSchema().load(report), None)
    yield "demo concerns reported: one safeguarding (first on the queue), one about a pantomime"


def ensure_demo_work() -> Iterator[str]:
    for step in (ensure_chaperone_application, ensure_permit_application, ensure_concerns):
        yield from step()
