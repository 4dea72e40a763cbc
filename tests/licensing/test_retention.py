"""The licensing service's retention policies (licensing_service/retention.py): a licence is anonymised
the day after its retention period ends and not a day before, with its photo, documents and check notes;
open applications are never touched; refused ones go sooner; used links are deleted."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from licensing_service.models.licences import LicenceCheck, ParentPart, PerformanceLicence
from licensing_service.models.links import EmailLink
from shared import db, retention
from shared.audit import AuditEvent
from shared.documents import Document
from tests.licensing.builders import TODAY_AT, LicensingWorld
from tests.licensing.test_licence_decisions import FIRST_DAY, grant, name_officer, path, ready

LAST_DAY = date(2026, 4, 3)  # the last day of the licence that ``ready`` applies for
KEPT_TO = date(2032, 4, 3)  # six whole years after the last day: still kept
DUE_ON = date(2032, 4, 4)


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        name_officer(world)
        yield world


def run(world: LicensingWorld, today: date, **kwargs) -> dict[str, retention.Outcome]:
    with world.app.app_context():
        policies = retention.policies_of(world.app)
        return {o.policy: o for o in retention.run(policies, today, **kwargs)}


def stored(world: LicensingWorld, licence_id: int) -> PerformanceLicence:
    with world.app.app_context():
        return db.session().get(PerformanceLicence, licence_id)


def count(world: LicensingWorld, model, *where) -> int:
    with world.app.app_context():
        return db.session().scalar(select(func.count()).select_from(model).where(*where))


def test_a_granted_licence_is_kept_six_years_after_its_last_day_then_anonymised(world):
    licence = ready(world)
    grant(world, licence)
    documents = (Document.object_type == "performance_licence", Document.object_id == str(licence["id"]))
    assert count(world, ParentPart) == 1 and count(world, Document, *documents) == 1

    assert run(world, KEPT_TO)["performance_licences"].records == 0
    assert stored(world, licence["id"]).child_last_name == "Example"

    outcome = run(world, DUE_ON)["performance_licences"]
    assert (outcome.records, outcome.cutoff, outcome.oldest) == (1, date(2026, 4, 4), LAST_DAY)
    assert outcome.related["parent_parts"] == 1 and outcome.related["documents"] == 1
    kept = stored(world, licence["id"])
    assert (kept.child_first_name, kept.child_last_name) == ("[anonymised]", "[anonymised]")
    assert kept.child_date_of_birth is None and kept.parent_email is None and kept.tutor_name is None
    assert kept.status == "granted" and kept.licence_number == f"NCC-PL-2026-{licence['id']:05d}"
    assert count(world, ParentPart) == 0 and count(world, Document, *documents) == 0
    assert count(world, LicenceCheck, LicenceCheck.notes.is_not(None)) == 0

    with world.app.app_context():
        [entry] = (
            db.session()
            .scalars(select(AuditEvent).where(AuditEvent.object_id == "performance_licences"))
            .all()
        )
    assert entry.action == "retention.anonymised" and entry.actor == "retention"
    assert "Example" not in json.dumps([entry.before, entry.after])
    assert run(world, DUE_ON)["performance_licences"].records == 0  # once only


def test_an_application_awaiting_a_decision_is_never_touched(world):
    licence = world.apply(FIRST_DAY)
    outcomes = run(world, date(2040, 1, 1))
    assert outcomes["performance_licences"].records == 0 and outcomes["refused_licences"].records == 0
    assert stored(world, licence["id"]).child_last_name == "Example"


def test_a_refused_application_is_anonymised_two_years_after_the_decision(world):
    licence = world.apply(FIRST_DAY)
    refused = world.post(path(licence), {"decision": "refuse", "reason": "Too much school"}, world.officer)
    assert refused.status_code == 200
    assert run(world, date(2028, 3, 2))["refused_licences"].records == 0  # decided Monday 2 March 2026
    dry = run(world, date(2028, 3, 3), dry_run=True)["refused_licences"]
    assert (dry.records, dry.dry_run) == (1, True)
    assert stored(world, licence["id"]).refusal_reason == "Too much school"
    assert run(world, date(2028, 3, 3))["refused_licences"].records == 1
    kept = stored(world, licence["id"])
    assert kept.child_last_name == "[anonymised]" and kept.refusal_reason is None


def test_emailed_links_are_deleted_a_month_after_they_expire(world):
    world.apply(FIRST_DAY)  # sends the parent's link, usable for 14 days
    with world.app.app_context():
        expires = db.session().scalar(select(EmailLink.expires_at))
    expired_on = expires.date()
    assert run(world, expired_on + timedelta(days=30))["email_links"].records == 0
    assert run(world, expired_on + timedelta(days=31))["email_links"].records == 1
    assert count(world, EmailLink) == 0
