"""Prosecution hand-off: unpaid notices are prosecuted or withdrawn, within the s127 time limit."""

from __future__ import annotations

import pytest
import time_machine

from tests.penalty.builders import PenaltyWorld


@pytest.fixture
def world(penalty_app) -> PenaltyWorld:
    return PenaltyWorld(penalty_app)


def unpaid_notice(world: PenaltyWorld) -> dict:
    """A notice issued on 26 January 2026, unpaid after its final day (24 February 2026)."""
    notice = world.decide(world.request(received_on="2026-01-20")["id"], issue_date="2026-01-26")["notices"][
        0
    ]
    result = world.app.test_cli_runner().invoke(
        args=["jobs", "run", "payment-monitoring", "--today", "2026-02-25"]
    )
    assert result.exit_code == 0, result.output
    assert (
        world.get(f"/api/v1/penalty-notices/{notice['id']}", world.officer).get_json()["status"] == "unpaid"
    )
    return notice


CHECKED = {"code_of_conduct_followed": True, "payments_rechecked": True, "notes": "Checked on the file"}


def test_prosecute_opens_a_case_and_the_events_close_it_and_tell_the_school(world):
    notice = unpaid_notice(world)
    with time_machine.travel("2026-03-02 10:00 +0000"):
        response = world.post(
            f"/api/v1/penalty-notices/{notice['id']}/prosecution",
            {"decision": "prosecute", **CHECKED},
            world.officer,
        )
        assert response.status_code == 201, response.get_json()
        case = response.get_json()
        assert case["lay_by"] == "2026-07-16" and case["status"] == "prosecution"
        again = world.post(
            f"/api/v1/penalty-notices/{notice['id']}/prosecution",
            {"decision": "prosecute", **CHECKED},
            world.officer,
        )
        assert again.status_code == 409

    events = f"/api/v1/prosecutions/{case['case_id']}/events"
    with time_machine.travel("2026-09-20 10:00 +0000"):
        too_late = world.post(events, {"type": "information_laid", "date": "2026-07-17"}, world.officer)
        assert too_late.status_code == 409 and "Thursday 16 July 2026" in too_late.get_json()["detail"]
        assert (
            world.post(events, {"type": "hearing_listed", "date": "2026-06-01"}, world.officer).status_code
            == 409
        )
        for event in (
            {"type": "information_laid", "date": "2026-07-10"},
            {"type": "hearing_listed", "date": "2026-08-03"},
            {"type": "outcome", "date": "2026-09-14", "outcome": "fine"},
        ):
            assert world.post(events, event, world.officer).status_code == 201
        closed = world.get(f"/api/v1/prosecutions/{case['case_id']}", world.officer).get_json()
    assert closed["status"] == "closed" and closed["outcome"] == "fine"
    assert [e["type"] for e in closed["events"]] == ["information_laid", "hearing_listed", "outcome"]

    from sqlalchemy import select

    from shared import db
    from shared.notify import OutboxMessage

    with world.app.app_context():
        subjects = db.session().scalars(select(OutboxMessage.subject)).all()
    assert any("referred for prosecution" in s for s in subjects)
    assert any("Court result" in s for s in subjects)


def test_after_the_time_limit_an_unpaid_notice_can_only_be_withdrawn(world):
    notice = unpaid_notice(world)
    path = f"/api/v1/penalty-notices/{notice['id']}/prosecution"
    with time_machine.travel("2026-07-17 10:00 +0000"):
        refused = world.post(path, {"decision": "prosecute", **CHECKED}, world.officer)
        assert refused.status_code == 409 and "only be withdrawn" in refused.get_json()["detail"]
        withdrawn = world.post(path, {"decision": "withdraw", **CHECKED}, world.officer)
        assert withdrawn.status_code == 201 and withdrawn.get_json()["status"] == "withdrawn"
    detail = world.get(f"/api/v1/penalty-notices/{notice['id']}", world.officer).get_json()
    assert detail["status"] == "withdrawn" and detail["withdrawal_ground"] == "will_not_prosecute"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"decision": "prosecute", **CHECKED, "code_of_conduct_followed": False}, 409, "code of conduct"),
        ({"decision": "prosecute", **CHECKED, "payments_rechecked": False}, 422, "Re-check payments"),
    ],
)
def test_prosecution_needs_the_checklist(world, body, status, words):
    notice = unpaid_notice(world)
    with time_machine.travel("2026-03-02 10:00 +0000"):
        response = world.post(f"/api/v1/penalty-notices/{notice['id']}/prosecution", body, world.officer)
    assert response.status_code == status and words in response.get_json()["detail"]


def test_an_issued_notice_is_not_yet_for_prosecution_and_schools_may_not_decide(world):
    notice = world.decide(world.request()["id"], issue_date="2026-01-26")["notices"][0]
    path = f"/api/v1/penalty-notices/{notice['id']}/prosecution"
    with time_machine.travel("2026-02-10 10:00 +0000"):
        assert world.post(path, {"decision": "prosecute", **CHECKED}, world.officer).status_code == 409
        assert world.post(path, {"decision": "prosecute", **CHECKED}, world.school).status_code == 403


def test_evidence_bundle_holds_each_part(world, tmp_path):
    import subprocess

    notice = unpaid_notice(world)
    with time_machine.travel("2026-03-02 10:00 +0000"):
        case = world.post(
            f"/api/v1/penalty-notices/{notice['id']}/prosecution",
            {"decision": "prosecute", **CHECKED},
            world.officer,
        ).get_json()
    response = world.get(f"/api/v1/prosecutions/{case['case_id']}/bundle.pdf", world.officer)
    assert response.status_code == 200 and response.content_type == "application/pdf"
    pdf = tmp_path / "bundle.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Evidence bundle",
        "Sam Example",
        notice["notice_number"],
        "Thursday 16 July 2026",  # last day to lay an information
        "Wednesday 28 January 2026",  # deemed served
        "No payment was received",
        "10 sessions recorded as unauthorised absence",
        "code of conduct",
    ):
        assert expected in text, expected
    assert world.get(f"/api/v1/prosecutions/{case['case_id']}/bundle.pdf", world.school).status_code == 403
