"""Payments through the API: the amount due by day, part payments, refunds, duplicates, suspense, bank files.

The notices are posted on Monday 26 January 2026 and deemed served on Wednesday 28 January (day 1), so
the lower rate ends on day 21 (Tuesday 17 February) and the final day is day 28 (Tuesday 24 February).
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
import time_machine
from sqlalchemy import func, select

from penalty_service.models import Payment, PenaltyNotice
from penalty_service.rules import notices as notice_rules
from penalty_service.services import payments, schools
from shared import db
from shared.audit import AuditEvent
from tests.penalty.builders import SCHOOL_URN, PenaltyWorld
from tests.support.concurrency import at_once

POSTED = date(2026, 1, 26)
SERVED = date(2026, 1, 28)
NOW = "2026-03-10 12:00 +0000"  # well after the final day of notices posted on 26 January
HEADER = "notice_number,amount_pence,paid_on,reference,method\n"


def day(n: int) -> date:
    """Day ``n`` of the payment periods of a notice served on 28 January 2026 (day 1)."""
    return SERVED + timedelta(days=n - 1)


def add_notice(
    app,
    *,
    number: str | None = None,
    upn: str = "A123456789012",
    parent: str = "Sam Example",
    posted_on: date = POSTED,
    lower: int | None = 8000,
    full: int = 16000,
    status: str = "issued",
    source: str = "council",
    parent_email: str | None = None,
    last_absence: date = date(2026, 1, 16),
) -> dict[str, Any]:
    """A notice stored directly (as a council decision would store it), without rendering documents."""
    served = notice_rules.served_on(posted_on)
    with app.app_context(), db.transaction():
        school = schools.by_urn(SCHOOL_URN)
        notice = PenaltyNotice(
            notice_number=number or f"tmp-{uuid4().hex[:16]}",
            source=source,
            school_id=school.id if school else None,
            offence="unauthorised_absence",
            pupil_upn=upn,
            pupil_name="Zoë Example",
            parent_name=parent,
            parent_key=" ".join(parent.split()).casefold(),
            parent_email=parent_email,
            issue_date=posted_on,
            posted_on=posted_on,
            served_on=served,
            lower_rate_until=notice_rules.lower_rate_until(served),
            final_payment_day=notice_rules.final_payment_day(served),
            amount_lower_pence=lower,
            amount_full_pence=full,
            lay_by=notice_rules.lay_by(last_absence),
            period_to=last_absence,
            status=status,
        )
        db.session().add(notice)
        db.session().flush()
        if number is None:
            notice.notice_number = f"PN-{posted_on.year}-{notice.id:07d}"
        return {"id": notice.id, "notice_number": notice.notice_number}


def pay(world: PenaltyWorld, number: str, amount: int, paid_on: date, reference: str | None = None, **extra):
    body = {
        "notice_number": number,
        "amount_pence": amount,
        "paid_on": paid_on.isoformat(),
        "reference": reference or f"REF-{uuid4().hex[:12]}",
        "method": "card",
        **extra,
    }
    return world.post("/api/v1/payments", body, world.officer)


def notice_detail(world: PenaltyWorld, notice_id: int) -> dict[str, Any]:
    response = world.get(f"/api/v1/penalty-notices/{notice_id}", world.officer)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def payment_statuses(app, notice_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session().scalars(
                select(Payment.status)
                .where(Payment.notice_id == notice_id)
                .order_by(Payment.paid_on, Payment.id)
            )
        )


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model).where(*where))


def upload(world: PenaltyWorld, content: bytes | str, path: str = "/api/v1/payments/import"):
    data = content.encode() if isinstance(content, str) else content
    return world.client.post(
        path,
        data={"file": (io.BytesIO(data), "bank.csv")},
        headers=world.officer,
        content_type="multipart/form-data",
    )


@pytest.fixture
def world(penalty_app):
    with time_machine.travel(NOW, tick=False):
        yield PenaltyWorld(penalty_app)


# --- the position after each payment -----------------------------------------------------------------


CASES = [
    # (id, [(amount, day)], today (as a day number), status, paid_on day, refund, balance, payment statuses)
    ("lower amount on day 21 discharges", [(8000, 21)], 40, "paid", 21, 0, 0, ["applied"]),
    ("lower amount on day 22 does not", [(8000, 22)], 40, "unpaid", None, 8000, 0, ["refund_due"]),
    ("day 22: still payable, 80 more due", [(8000, 22)], 22, "issued", None, 0, 8000, ["applied"]),
    ("full amount on day 28 discharges", [(16000, 28)], 40, "paid", 28, 0, 0, ["applied"]),
    ("full amount on day 29 is too late", [(16000, 29)], 40, "unpaid", None, 16000, 0, ["refund_due"]),
    ("part payments that add up by day 10", [(5000, 5), (3000, 10)], 40, "paid", 10, 0, 0, ["applied"] * 2),
    ("part then the rest at the full rate", [(5000, 5), (11000, 25)], 40, "paid", 25, 0, 0, ["applied"] * 2),
    ("part payment held while payable", [(5000, 5)], 10, "issued", None, 0, 3000, ["applied"]),
    ("part payment never completed", [(5000, 5)], 29, "unpaid", None, 5000, 0, ["refund_due"]),
    ("overpayment: the excess is refunded", [(10000, 3)], 40, "paid", 3, 2000, 0, ["applied"]),
    ("paid twice: the second is refunded", [(8000, 3), (8000, 4)], 40, "paid", 3, 8000, 0,
     ["applied", "refund_due"]),
    ("part payment, the rest after day 28", [(5000, 5), (11000, 29)], 40, "unpaid", None, 16000, 0,
     ["refund_due"] * 2),
]  # fmt: skip


@pytest.mark.parametrize(
    ("payments_made", "today", "status", "paid_on", "refund", "balance", "statuses"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_position_after_payments(world, payments_made, today, status, paid_on, refund, balance, statuses):
    notice = add_notice(world.app)
    for amount, on in payments_made:
        with time_machine.travel(f"{day(on).isoformat()} 12:00 +0000", tick=False):
            response = pay(world, notice["notice_number"], amount, day(on))
        assert response.status_code == 201, response.get_json()
    with time_machine.travel(f"{day(today).isoformat()} 12:00 +0000", tick=False):
        # What the daily job (or the next payment) does on that day.
        with world.app.app_context(), db.transaction():
            payments.reassess([notice["id"]], day(today))
        detail = notice_detail(world, notice["id"])
    assert detail["status"] == status
    assert detail["paid_on"] == (day(paid_on).isoformat() if paid_on else None)
    assert detail["refund_due_pence"] == refund
    assert detail["balance_pence"] == balance
    assert detail["paid_pence"] == sum(amount for amount, _ in payments_made)
    assert payment_statuses(world.app, notice["id"]) == statuses


def test_a_payment_answers_with_the_payment_and_the_new_position(world):
    notice = add_notice(world.app)
    response = pay(
        world, notice["notice_number"], 8000, day(21), reference="BACS-0001", method="bank_transfer"
    )
    assert response.status_code == 201
    body = response.get_json()
    assert {k: body[k] for k in ("reference", "notice_number", "status", "amount_pence", "paid_on")} == {
        "reference": "BACS-0001",
        "notice_number": notice["notice_number"],
        "status": "applied",
        "amount_pence": 8000,
        "paid_on": "2026-02-17",
    }
    assert body["duplicate"] is False
    assert body["notice"]["status"] == "paid" and body["notice"]["paid_on"] == "2026-02-17"
    with world.app.app_context():
        actions = set(db.session().scalars(select(AuditEvent.action)))
    assert {"payment.recorded", "penalty_notice.payment_position"} <= actions


def test_the_same_reference_never_counts_twice(world):
    notice = add_notice(world.app)
    first = pay(world, notice["notice_number"], 5000, day(3), reference="DUP-1")
    again = pay(world, notice["notice_number"], 5000, day(3), reference="DUP-1")
    different_amount = pay(world, notice["notice_number"], 3000, day(4), reference="DUP-1")
    assert first.status_code == 201
    assert again.status_code == 200 and different_amount.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"] == different_amount.get_json()["id"]
    assert again.get_json()["duplicate"] is True and again.get_json()["amount_pence"] == 5000
    assert count(world.app, Payment) == 1
    assert notice_detail(world, notice["id"])["paid_pence"] == 5000
    assert count(world.app, AuditEvent, AuditEvent.action == "payment.recorded") == 1


def test_notice_numbers_match_without_case_or_spaces(world):
    notice = add_notice(world.app)
    response = pay(world, "  " + notice["notice_number"].lower().replace("-", " - ", 1) + " ", 8000, day(2))
    assert response.get_json()["status"] == "applied"
    assert response.get_json()["notice_number"] == notice["notice_number"]


def test_unmatched_payment_waits_in_suspense_until_an_officer_matches_it(world):
    notice = add_notice(world.app)
    response = pay(world, "PN-2026-9999999", 8000, day(2), reference="SUS-1")
    assert response.status_code == 201
    payment = response.get_json()
    assert payment["status"] == "suspense" and payment["notice"] is None
    assert payment["notice_number"] == "PN-2026-9999999"
    listed = world.get("/api/v1/payments?status=suspense", world.officer).get_json()
    assert [p["reference"] for p in listed["items"]] == ["SUS-1"]
    queue = world.get("/api/v1/queue", world.officer).get_json()
    assert any(i["kind"] == "unmatched_payment" for i in queue["items"])

    path = f"/api/v1/payments/{payment['id']}/match"
    wrong = world.post(path, {"notice_number": "PN-2026-8888888"}, world.officer)
    assert wrong.status_code == 422 and "notice_number" in wrong.get_json()["errors"]
    matched = world.post(path, {"notice_number": notice["notice_number"]}, world.officer)
    assert matched.status_code == 200, matched.get_json()
    assert matched.get_json()["status"] == "applied"
    assert matched.get_json()["notice"]["status"] == "paid"
    assert matched.get_json()["notice"]["paid_on"] == day(2).isoformat()
    assert world.post(path, {"notice_number": notice["notice_number"]}, world.officer).status_code == 409
    assert world.post(path, {"notice_number": notice["notice_number"]}, world.school).status_code == 403
    assert world.post("/api/v1/payments/999/match", {"notice_number": "X"}, world.officer).status_code == 404
    with world.app.app_context():
        event = db.session().scalar(select(AuditEvent).where(AuditEvent.action == "payment.matched"))
    assert event.before["status"] == "suspense" and event.after["notice_number"] == notice["notice_number"]


def test_money_for_a_legacy_notice_waits_in_suspense(world):
    legacy = add_notice(world.app, number="LEGACY-1", source="legacy")
    assert pay(world, legacy["notice_number"], 8000, day(2)).get_json()["status"] == "suspense"


def test_money_for_a_withdrawn_notice_is_refunded_in_full(world):
    notice = add_notice(world.app, status="withdrawn")
    response = pay(world, notice["notice_number"], 8000, day(2))
    assert response.get_json()["status"] == "refund_due"
    assert response.get_json()["notice"]["refund_due_pence"] == 8000
    assert response.get_json()["notice"]["status"] == "withdrawn"


BAD_PAYMENTS = [
    ({"amount_pence": 0}, "amount_pence"),
    ({"amount_pence": -8000}, "amount_pence"),
    ({"amount_pence": "8000"}, "amount_pence"),
    ({"amount_pence": 80.5}, "amount_pence"),
    ({"amount_pence": 10_000_001}, "amount_pence"),
    ({"amount_pence": True}, "amount_pence"),
    ({"paid_on": "2026-03-11"}, "paid_on"),  # tomorrow
    ({"paid_on": "17/02/2026"}, "paid_on"),
    ({"reference": ""}, "reference"),
    ({"reference": "x" * 81}, "reference"),
    ({"notice_number": " "}, "notice_number"),
    ({"method": None}, "method"),
]


def test_bad_payments_are_refused_with_the_field(world):
    for change, field in BAD_PAYMENTS:
        body = {
            "notice_number": "PN-2026-0000001",
            "amount_pence": 8000,
            "paid_on": "2026-02-17",
            "reference": "R-1",
            "method": "card",
            **change,
        }
        response = world.post("/api/v1/payments", body, world.officer)
        assert response.status_code == 422, (change, response.get_json())
        assert field in response.get_json()["errors"], change
    assert count(world.app, Payment) == 0


def test_only_officers_and_admins_record_payments(world):
    body = {"notice_number": "X", "amount_pence": 1, "paid_on": "2026-02-17", "reference": "R", "method": "m"}
    assert world.post("/api/v1/payments", body, world.school).status_code == 403
    assert world.client.post("/api/v1/payments", json=body).status_code == 401
    assert world.get("/api/v1/payments", world.school).status_code == 403
    assert upload(world, HEADER).status_code == 200
    response = world.client.post(
        "/api/v1/payments/import", data=HEADER, content_type="text/csv", headers=world.school
    )
    assert response.status_code == 403


def test_a_notice_issued_through_a_decision_is_paid_by_its_number(world):
    decision = world.decide(world.request()["id"], issue_date="2026-01-26", posted_on="2026-01-26")
    notice = decision["notices"][0]
    assert notice["final_payment_day"] == day(28).isoformat()
    response = pay(world, notice["notice_number"], 16000, day(28))
    assert response.get_json()["notice"]["status"] == "paid"
    listed = world.get(f"/api/v1/penalty-notices?status=paid&school_urn={SCHOOL_URN}", world.school)
    assert [n["id"] for n in listed.get_json()["items"]] == [notice["id"]]


# --- bank files -------------------------------------------------------------------------------------------


def test_bank_file_is_imported_once_and_a_second_import_is_all_duplicates(world):
    paid = add_notice(world.app, upn="A123456789001")
    part = add_notice(world.app, upn="A123456789002")
    late = add_notice(world.app, upn="A123456789003")
    content = HEADER + "\n".join(
        [
            f"{paid['notice_number']},8000,{day(10)},BANK-1,bank_transfer",
            f"{part['notice_number']},5000,{day(10)},BANK-2,bank_transfer",
            f"{late['notice_number']},16000,{day(29)},BANK-3,bank_transfer",
            f"PN-2026-7777777,8000,{day(10)},BANK-4,bank_transfer",
            f"{paid['notice_number']},8000,{day(10)},BANK-1,bank_transfer",  # repeated in the file
        ]
    )
    response = upload(world, content)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "rows": 5,
        "matched": 3,
        "unmatched": 1,
        "duplicates": 1,
        "refund_due": 2,  # the part payment (never completed) and the late payment
        "notices_paid": 1,
    }
    assert notice_detail(world, paid["id"])["status"] == "paid"
    assert notice_detail(world, part["id"])["refund_due_pence"] == 5000
    assert notice_detail(world, late["id"])["status"] == "unpaid"
    with world.app.app_context():
        recorded = (
            db.session()
            .scalars(
                select(AuditEvent).where(AuditEvent.action == "payment.recorded").order_by(AuditEvent.id)
            )
            .all()
        )
    assert len(recorded) == 4
    assert {e.after["reference"]: e.after["status"] for e in recorded} == {
        "BANK-1": "applied",
        "BANK-2": "refund_due",
        "BANK-3": "refund_due",
        "BANK-4": "suspense",
    }
    assert recorded[0].after["paid_on"] == day(10).isoformat() and recorded[0].actor == "officer:1"

    events_before = count(world.app, AuditEvent)
    again = world.client.post(
        "/api/v1/payments/import", data=content, content_type="text/csv", headers=world.officer
    )
    assert again.status_code == 200
    assert again.get_json() | {"rows": 5} == {
        "rows": 5,
        "matched": 0,
        "unmatched": 0,
        "duplicates": 5,
        "refund_due": 0,
        "notices_paid": 0,
    }
    assert count(world.app, Payment) == 4
    assert count(world.app, AuditEvent) == events_before + 1  # only the import's own summary


def test_a_reference_recorded_by_hand_is_a_duplicate_in_a_file(world):
    notice = add_notice(world.app)
    pay(world, notice["notice_number"], 8000, day(2), reference="SAME-1")
    response = upload(world, HEADER + f"{notice['notice_number']},8000,{day(2)},SAME-1,bank\n")
    assert response.get_json()["duplicates"] == 1 and response.get_json()["matched"] == 0
    assert notice_detail(world, notice["id"])["paid_pence"] == 8000


def test_amounts_in_pounds_are_accepted_when_there_is_no_pence_column(world):
    notice = add_notice(world.app)
    content = (
        "Notice_Number , Amount, paid_on,reference,method\r\n"
        f"{notice['notice_number']},50.5,{day(3)},P-1,card\r\n"
        f'{notice["notice_number"]},"£29.50",{day(4)},P-2,card\r\n'
        "\r\n"
    )
    response = upload(world, "\ufeff" + content)  # Excel's byte order mark
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["matched"] == 2
    detail = notice_detail(world, notice["id"])
    assert (detail["paid_pence"], detail["status"], detail["paid_on"]) == (8000, "paid", day(4).isoformat())


def test_a_file_that_is_not_utf8_is_refused(world):
    response = upload(world, HEADER.encode() + "PN-1,8000,2026-02-01,R\xe9f,card\n".encode("latin-1"))
    assert response.status_code == 422
    assert response.get_json()["detail"] == "The file must be UTF-8 CSV"
    assert response.get_json()["errors"] == {"file": ["The file must be UTF-8 CSV"]}
    assert upload(world, b"\xff\xfe\x00\x00garbage").status_code == 422


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("notice_number,amount_pence,paid_on,method", ["reference"]),
        ("notice_number,paid_on,reference,method", ["amount_pence or amount"]),
        ("ref,amount", ["notice_number", "paid_on", "reference", "method"]),
    ],
)
def test_missing_columns_are_named(world, header, missing):
    response = upload(world, header + "\nx,1,2026-02-01,y\n")
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["missing"] == missing
    for column in missing:
        assert column in problem["detail"]


def test_an_empty_file_is_refused(world):
    assert upload(world, "").status_code == 422
    assert upload(world, "\n\n").status_code == 422


def test_one_bad_row_and_nothing_is_imported(world):
    notice = add_notice(world.app)
    content = HEADER + "\n".join(
        [
            f"{notice['notice_number']},8000,{day(3)},GOOD-1,card",
            f"{notice['notice_number']},80.00,{day(3)},BAD-1,card",  # row 3: pounds in the pence column
            f"{notice['notice_number']},8000,2026-02-30,BAD-2,",  # row 4: no such date, no method
            f"{notice['notice_number']},0,2026-03-11,BAD-3,card",  # row 5: nothing paid, in the future
        ]
    )
    response = upload(world, content)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["errors"] == {
        "row 3.amount_pence": ["Enter a whole number of pence, like 8000"],
        "row 4.paid_on": ["Enter a date as YYYY-MM-DD"],
        "row 4.method": ["Missing"],
        "row 5.amount_pence": ["Must be between 1p and £100,000"],
        "row 5.paid_on": ["The date cannot be in the future"],
    }
    assert problem["detail"].startswith("3 rows have errors, so nothing was imported")
    assert count(world.app, Payment) == 0


def test_at_most_20_row_errors_are_listed(world):
    content = HEADER + "".join(f"PN-1,x,{day(3)},R-{i},card\n" for i in range(30))
    problem = upload(world, content).get_json()
    assert len(problem["errors"]) == 20 and problem["error_rows"] == 30
    assert "row 2.amount_pence" in problem["errors"] and "row 22.amount_pence" not in problem["errors"]


def test_more_rows_than_the_limit_are_refused(world, monkeypatch):
    monkeypatch.setattr(payments, "MAX_IMPORT_ROWS", 3)
    rows = [f"PN-1,100,{day(3)},R-{i},card\n" for i in range(4)]
    response = upload(world, HEADER + "".join(rows))
    assert response.status_code == 422 and "more than 3 rows" in response.get_json()["detail"]
    assert count(world.app, Payment) == 0
    assert upload(world, HEADER + "".join(rows[:3])).get_json()["unmatched"] == 3


def test_the_file_comes_as_multipart_or_as_text_csv(world):
    assert world.client.post(
        "/api/v1/payments/import", data=HEADER, content_type="text/csv", headers=world.officer
    ).get_json() == {
        "rows": 0,
        "matched": 0,
        "unmatched": 0,
        "duplicates": 0,
        "refund_due": 0,
        "notices_paid": 0,
    }
    no_file = world.client.post(
        "/api/v1/payments/import",
        data={"other": "x"},
        content_type="multipart/form-data",
        headers=world.officer,
    )
    assert no_file.status_code == 422 and "file" in no_file.get_json()["errors"]
    json_body = world.post("/api/v1/payments/import", {"rows": []}, world.officer)
    assert json_body.status_code == 415


def test_cli_imports_a_file_with_a_summary(world, tmp_path):
    notice = add_notice(world.app)
    path = tmp_path / "bank.csv"
    path.write_text(
        HEADER + f"{notice['notice_number']},8000,{day(3)},CLI-1,bank\nNOPE,100,{day(3)},CLI-2,bank\n"
    )
    runner = world.app.test_cli_runner()
    result = runner.invoke(args=["payments", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "matched to a notice" in result.output and "in suspense" in result.output
    again = runner.invoke(args=["payments", "import", str(path)])
    assert again.exit_code == 0 and count(world.app, Payment) == 2
    with world.app.app_context():
        actors = set(
            db.session().scalars(select(AuditEvent.actor).where(AuditEvent.action == "payment.recorded"))
        )
    assert actors == {"cli"}
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "NOPE,lots,2026-02-01,CLI-3,bank\n")
    failed = runner.invoke(args=["payments", "import", str(bad)])
    assert failed.exit_code == 1 and "row 2.amount_pence" in failed.output
    assert count(world.app, Payment) == 2


# --- at the same moment (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.postgres
def test_twenty_copies_of_one_payment_at_once_are_recorded_once(world):
    notice = add_notice(world.app)
    clients = [world.app.test_client() for _ in range(20)]
    body = {
        "notice_number": notice["notice_number"],
        "amount_pence": 8000,
        "paid_on": day(3).isoformat(),
        "reference": "RACE-1",
        "method": "card",
    }
    responses = at_once(
        [lambda c=c: c.post("/api/v1/payments", json=body, headers=world.officer) for c in clients]
    )
    assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
    assert len({r.get_json()["id"] for r in responses}) == 1
    assert count(world.app, Payment) == 1
    assert notice_detail(world, notice["id"])["paid_pence"] == 8000


@pytest.mark.postgres
def test_two_part_payments_at_once_both_count(world):
    notice = add_notice(world.app)
    clients = [world.app.test_client() for _ in range(2)]
    calls = [
        lambda c=c, i=i: c.post(
            "/api/v1/payments",
            json={
                "notice_number": notice["notice_number"],
                "amount_pence": 4000,
                "paid_on": day(3).isoformat(),
                "reference": f"HALF-{i}",
                "method": "card",
            },
            headers=world.officer,
        )
        for i, c in enumerate(clients)
    ]
    assert [r.status_code for r in at_once(calls)] == [201, 201]
    detail = notice_detail(world, notice["id"])
    assert (detail["status"], detail["paid_pence"], detail["paid_on"]) == ("paid", 8000, day(3).isoformat())


@pytest.mark.postgres
def test_an_import_and_a_payment_with_the_same_reference_at_once_count_once(world):
    notice = add_notice(world.app)
    content = HEADER + "".join(f"NOPE-{i},100,{day(3)},BULK-{i:04d},bank\n" for i in range(2000))
    content += f"{notice['notice_number']},8000,{day(3)},BULK-9999,bank\n"
    client = world.app.test_client()
    body = {
        "notice_number": notice["notice_number"],
        "amount_pence": 8000,
        "paid_on": day(3).isoformat(),
        "reference": "BULK-9999",
        "method": "card",
    }
    imported, single = at_once(
        [
            lambda: upload(world, content),
            lambda: client.post("/api/v1/payments", json=body, headers=world.officer),
        ]
    )
    assert imported.status_code == 200 and single.status_code in (200, 201)
    assert count(world.app, Payment, Payment.reference == "BULK-9999") == 1
    assert imported.get_json()["duplicates"] == (1 if single.status_code == 201 else 0)
    assert notice_detail(world, notice["id"])["paid_pence"] == 8000


def test_reassessing_a_notice_twice_changes_nothing_more(world):
    notice = add_notice(world.app)
    with time_machine.travel(f"{day(3).isoformat()} 12:00 +0000", tick=False):
        pay(world, notice["notice_number"], 5000, day(3))
    with world.app.app_context(), db.transaction():
        first = payments.reassess([notice["id"]], day(40))
    with world.app.app_context(), db.transaction():
        second = payments.reassess([notice["id"]], day(40))
    assert first.notices_changed == {notice["id"]: ("issued", "unpaid")} and first.payments_flagged == 1
    assert second.notices_changed == {} and second.payments_flagged == 0
