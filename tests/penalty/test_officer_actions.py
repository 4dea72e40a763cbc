"""Officers' actions in the pages: withdraw, prosecute and follow the case, payments, enforcement letters.

The notices are issued on Monday 26 January 2026 and deemed served on Wednesday 28 January: the lower rate
ends on Tuesday 17 February, the final day is Tuesday 24 February, and an information must be laid by
Thursday 16 July 2026 (6 months after the last absence, Friday 16 January). The real today is after that
limit, so the prosecution steps run under ``time_machine``; a page client signs in inside each travel
(its session cookie is dated).
"""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from penalty_service.enforcement_models import EnforcementLetter
from penalty_service.models import Payment
from shared import db
from tests.penalty.builders import PenaltyWorld
from tests.support.pages import csrf_token, signed_in_client

OFFICER = "officer@example.org"
TWO_PARENTS = [
    {"name": "Sam Example", "address": "1 Example Street, Mansfield", "relationship": "mother"},
    {"name": "Alex Example", "address": "9 Other Road, Newark", "relationship": "father"},
]
HEADER = "notice_number,amount,paid_on,reference,method\n"


@pytest.fixture
def world(penalty_app) -> PenaltyWorld:
    return PenaltyWorld(penalty_app)


def issued(world: PenaltyWorld, parents: list[dict] | None = None) -> list[dict]:
    """Notices issued on 26 January 2026 (one per parent)."""
    request = world.request(received_on="2026-01-20", **({"parents": parents} if parents else {}))
    return world.decide(request["id"], issue_date="2026-01-26")["notices"]


def unpaid_notice(world: PenaltyWorld) -> dict:
    """A notice unpaid after its final day, moved by the payment-monitoring job."""
    notice = issued(world)[0]
    result = world.app.test_cli_runner().invoke(
        args=["jobs", "run", "payment-monitoring", "--today", "2026-02-25"]
    )
    assert result.exit_code == 0, result.output
    return notice


def notice_status(world: PenaltyWorld, notice_id: int) -> dict:
    return world.get(f"/api/v1/penalty-notices/{notice_id}", world.officer).get_json()


def dated(name: str, day: str) -> list[tuple[str, str]]:
    """A GOV.UK date input's three boxes (day, month, year) from an ISO date."""
    year, month, dd = day.split("-")
    return [(name, str(int(dd))), (name, str(int(month))), (name, year)]


def post_form(client, path: str, fields: list[tuple[str, str]], page: str | None = None):
    page_html = client.get(page or path).get_data(as_text=True)
    return client.post(path, data=MultiDict([("csrf_token", csrf_token(page_html)), *fields]))


def text(response) -> str:
    """The page's text with tags and runs of whitespace collapsed, for matching sentences."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def error_summary(response) -> str:
    page = response.get_data(as_text=True)
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert found, "no error summary on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


# Withdrawing -------------------------------------------------------------------------------------------


def test_withdrawing_a_paid_notice_shows_the_refund_due(world):
    notice = issued(world)[0]
    paid = world.post(
        "/api/v1/payments",
        {
            "notice_number": notice["notice_number"],
            "amount_pence": 8000,
            "paid_on": "2026-02-10",
            "reference": "CARD-1",
            "method": "card",
        },
        world.officer,
    )
    assert paid.status_code == 201 and notice_status(world, notice["id"])["status"] == "paid"
    client = signed_in_client(world.app, OFFICER)
    page = client.get(f"/officer/notices/{notice['id']}")
    assert "Withdraw this notice" in page.get_data(as_text=True)
    assert "Prosecute or withdraw" not in page.get_data(as_text=True)  # only for an unpaid notice

    form = client.get(f"/officer/notices/{notice['id']}/withdraw")
    assert form.status_code == 200
    assert "The notice was issued to the wrong person" in form.get_data(as_text=True)
    assert "£80 has been paid. It will be flagged for refund." in text(form)

    path = f"/officer/notices/{notice['id']}/withdraw"
    missing = post_form(client, path, [("ground", "wrong_person")])
    assert missing.status_code == 400 and "Enter notes about the withdrawal" in error_summary(missing)
    bad_ground = post_form(client, path, [("ground", "because"), ("notes", "x")])
    assert bad_ground.status_code == 400 and "Select why you are withdrawing" in error_summary(bad_ground)

    done = post_form(client, path, [("ground", "wrong_person"), ("notes", "The father lives elsewhere")])
    assert done.status_code == 302 and done.location.endswith(f"/officer/notices/{notice['id']}")
    after = client.get(done.location)
    page_text = text(after)
    assert "£80 already paid is due to be refunded" in page_text
    assert "Refund due £80" in page_text and "The notice was issued to the wrong person" in page_text
    assert "Withdraw this notice" not in page_text
    detail = notice_status(world, notice["id"])
    assert (detail["status"], detail["refund_due_pence"]) == ("withdrawn", 8000)

    again = post_form(client, path, [("ground", "material_error"), ("notes", "Twice")])
    assert again.status_code == 400 and "already withdrawn" in error_summary(again)


# Prosecution -------------------------------------------------------------------------------------------


def test_prosecute_an_unpaid_notice_then_record_the_case_and_download_the_bundle(world):
    notice = unpaid_notice(world)
    decision = f"/officer/notices/{notice['id']}/prosecution"
    with time_machine.travel("2026-03-02 10:00 +0000"):
        client = signed_in_client(world.app, OFFICER)
        page = client.get(f"/officer/notices/{notice['id']}").get_data(as_text=True)
        assert "Prosecute or withdraw" in page and "Withdraw this notice" in page
        form = client.get(decision)
        assert form.status_code == 200
        assert "The code of conduct was followed in full" in form.get_data(as_text=True)
        assert "re-checked payments, matched and in suspense, and correspondence" in form.get_data(
            as_text=True
        )

        unchecked = post_form(
            client, decision, [("decision", "prosecute"), ("code_of_conduct_followed", "y")]
        )
        assert unchecked.status_code == 400
        assert "Re-check payments (matched and in suspense)" in error_summary(unchecked)
        assert 'href="#payments_rechecked"' in unchecked.get_data(as_text=True)

        response = post_form(
            client,
            decision,
            [
                ("decision", "prosecute"),
                ("code_of_conduct_followed", "y"),
                ("payments_rechecked", "y"),
                ("notes", "Checked on the file"),
            ],
        )
        assert response.status_code == 302 and "/officer/prosecutions/" in response.location
        case_path = response.location.split("localhost")[-1]
        case = client.get(case_path)
        case_text = text(case)
        assert "referred for prosecution" in case_text
        assert notice["notice_number"] in case_text and "Sam Example" in case_text
        assert "Thursday 16 July 2026" in case_text and "Open" in case_text
        assert "days left" not in case_text  # more than 30 days to go
        # The notice page now leads to the case, and the decision page too.
        assert "View the prosecution case" in client.get(f"/officer/notices/{notice['id']}").get_data(
            as_text=True
        )
        assert client.get(decision).location.endswith(case_path)

    with time_machine.travel("2026-07-01 10:00 +0000"):
        client = signed_in_client(world.app, OFFICER)
        assert "Lay the information by Thursday 16 July 2026 (15 days left)" in text(client.get(case_path))
        hearing_first = post_form(
            client, case_path, [("type", "hearing_listed"), *dated("date", "2026-06-30")]
        )
        assert hearing_first.status_code == 400
        assert "Record the information being laid first" in error_summary(hearing_first)
        no_outcome = post_form(client, case_path, [("type", "outcome"), *dated("date", "2026-06-30")])
        assert no_outcome.status_code == 400 and "Select the court's outcome" in error_summary(no_outcome)
        future = post_form(client, case_path, [("type", "information_laid"), *dated("date", "2026-07-02")])
        assert future.status_code == 400 and "The date must be today or in the past" in error_summary(future)
        laid = post_form(
            client,
            case_path,
            [("type", "information_laid"), *dated("date", "2026-06-30"), ("notes", "Mansfield court")],
        )
        assert laid.status_code == 302
        after = text(client.get(case_path))
        assert "Information laid recorded" in after and "30 June 2026" in after and "days left" not in after

    with time_machine.travel("2026-09-20 10:00 +0000"):
        client = signed_in_client(world.app, OFFICER)
        listed = post_form(
            client, case_path, [("type", "hearing_listed"), ("outcome", "fine"), *dated("date", "2026-08-03")]
        )
        assert listed.status_code == 302  # an outcome chosen with another event is ignored
        outcome = post_form(
            client,
            case_path,
            [("type", "outcome"), ("outcome", "parenting_order"), *dated("date", "2026-09-14")],
        )
        assert outcome.status_code == 302
        closed = client.get(case_path)
        closed_text = text(closed)
        assert "Closed" in closed_text and "Parenting order" in closed_text
        assert "Record event" not in closed_text  # no more events on a closed case
        events = closed.get_data(as_text=True)
        laid, listed = events.index("Information laid"), events.index("Hearing listed")
        assert laid < listed < events.index("14 September 2026")

        bundle = client.get(f"{case_path}/bundle.pdf")
        assert bundle.status_code == 200 and bundle.content_type == "application/pdf"
        assert bundle.data.startswith(b"%PDF")
    detail = notice_status(world, notice["id"])
    assert detail["status"] == "prosecution"


def test_after_the_time_limit_the_page_says_the_notice_can_only_be_withdrawn(world):
    notice = unpaid_notice(world)
    decision = f"/officer/notices/{notice['id']}/prosecution"
    with time_machine.travel("2026-07-17 10:00 +0000"):
        client = signed_in_client(world.app, OFFICER)
        assert "the notice can only be withdrawn" in text(client.get(decision))
        checked = [("code_of_conduct_followed", "y"), ("payments_rechecked", "y")]
        refused = post_form(client, decision, [("decision", "prosecute"), *checked])
        assert refused.status_code == 400
        assert "The time limit to lay an information passed" in error_summary(refused)
        assert "only be withdrawn" in error_summary(refused)
        assert notice_status(world, notice["id"])["status"] == "unpaid"

        withdrawn = post_form(client, decision, [("decision", "withdraw"), ("notes", "Out of time")])
        assert withdrawn.status_code == 302 and withdrawn.location.endswith(
            f"/officer/notices/{notice['id']}"
        )
        page = text(client.get(withdrawn.location))
        assert "withdrawn: the council will not prosecute" in page
        assert "The notice was not paid and the council will not prosecute" in page
    detail = notice_status(world, notice["id"])
    assert detail["status"] == "withdrawn" and detail["withdrawal_ground"] == "will_not_prosecute"


def test_a_notice_still_in_its_payment_period_cannot_be_prosecuted(world):
    notice = issued(world)[0]
    client = signed_in_client(world.app, OFFICER)
    page = client.get(f"/officer/notices/{notice['id']}/prosecution")
    assert "Only an unpaid notice can be reviewed for prosecution" in text(page)
    refused = post_form(
        client,
        f"/officer/notices/{notice['id']}/prosecution",
        [("decision", "prosecute"), ("code_of_conduct_followed", "y"), ("payments_rechecked", "y")],
    )
    assert refused.status_code == 400 and "Only an unpaid notice" in error_summary(refused)
    assert client.get("/officer/prosecutions/999").status_code == 404


# Payments ----------------------------------------------------------------------------------------------


def upload(client, content: str | bytes, name: str = "bank.csv"):
    page_html = client.get("/officer/payments").get_data(as_text=True)
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/officer/payments/import",
        data={"csrf_token": csrf_token(page_html), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_bank_file_upload_matches_keeps_the_unmatched_in_suspense_and_skips_duplicates(world):
    first, second = issued(world, TWO_PARENTS)
    client = signed_in_client(world.app, OFFICER)
    payments_page = client.get("/officer/payments")
    assert payments_page.status_code == 200 and "No payments are waiting to be matched" in text(payments_page)
    assert 'href="/officer/payments"' in client.get("/officer/queue").get_data(as_text=True)  # navigation

    content = HEADER + "\n".join(
        [
            f"{first['notice_number']},80.00,2026-02-10,BANK-1,bank_transfer",
            "PN-2026-9999999,80.00,2026-02-11,BANK-2,bank_transfer",
            f"{first['notice_number']},80.00,2026-02-10,BANK-1,bank_transfer",
        ]
    )
    response = upload(client, content)
    assert response.status_code == 302
    page = client.get(response.location)
    summary = text(page)
    assert "Bank file imported: 3 rows read" in summary
    for line in (
        "Matched to a notice 1",
        "Unmatched (in suspense) 1",
        "Duplicates (already recorded) 1",
        "Refund due 0",
        "Notices now paid 1",
    ):
        assert line in summary, line
    assert "BANK-2" in summary and "PN-2026-9999999" in summary
    assert "Bank file imported" not in text(client.get("/officer/payments"))  # shown once
    assert notice_status(world, first["id"])["status"] == "paid"

    with world.app.app_context():
        waiting = db.session().scalar(select(Payment).where(Payment.reference == "BANK-2"))
    match_path = f"/officer/payments/{waiting.id}/match"
    wrong = post_form(client, match_path, [("notice_number", "PN-2026-0000404")], page="/officer/payments")
    assert wrong.status_code == 400 and "No notice that can be paid has this number" in error_summary(wrong)
    assert f'href="#match-{waiting.id}"' in wrong.get_data(as_text=True)
    blank = post_form(client, match_path, [("notice_number", " ")], page="/officer/payments")
    assert blank.status_code == 400 and "Enter the notice number to match" in error_summary(blank)

    matched = post_form(
        client, match_path, [("notice_number", second["notice_number"].lower())], page="/officer/payments"
    )
    assert matched.status_code == 302
    after = text(client.get("/officer/payments"))
    assert f"Payment BANK-2 matched to notice {second['notice_number']}, now paid" in after
    assert "No payments are waiting to be matched" in after
    assert notice_status(world, second["id"])["status"] == "paid"
    again = post_form(
        client, match_path, [("notice_number", second["notice_number"])], page="/officer/payments"
    )
    assert again.status_code == 400 and "not in suspense" in error_summary(again)

    repeat = upload(client, content)
    assert repeat.status_code == 302
    assert "Duplicates (already recorded) 3" in text(client.get(repeat.location))
    assert count(world.app, Payment) == 2


def test_a_bad_bank_file_shows_the_row_errors_and_imports_nothing(world):
    notice = issued(world)[0]
    client = signed_in_client(world.app, OFFICER)
    content = HEADER + "\n".join(
        [
            f"{notice['notice_number']},80.00,2026-02-10,BANK-1,card",
            f"{notice['notice_number']},eighty,2026-02-10,BANK-2,card",
            f"{notice['notice_number']},80.00,10/02/2026,BANK-3,card",
        ]
    )
    response = upload(client, content)
    assert response.status_code == 400
    errors = error_summary(response)
    assert "2 rows have errors, so nothing was imported" in errors
    assert "Row 3, amount: Enter an amount in pounds, like 80.00" in errors
    assert "Row 4, paid_on: Enter a date as YYYY-MM-DD" in errors
    assert count(world.app, Payment) == 0

    missing = upload(client, "notice_number,amount\nPN-1,80\n")
    assert missing.status_code == 400
    assert "The file is missing columns: paid_on, reference, method" in error_summary(missing)
    no_file = client.post(
        "/officer/payments/import",
        data={"csrf_token": csrf_token(client.get("/officer/payments").get_data(as_text=True))},
        content_type="multipart/form-data",
    )
    assert no_file.status_code == 400 and "Select a CSV file to upload" in error_summary(no_file)
    not_utf8 = upload(
        client, "notice_number,amount,paid_on,reference,method\nPN-1,£80,2026-02-10,R,c\n".encode("cp1252")
    )
    assert not_utf8.status_code == 400 and "The file must be UTF-8 CSV" in error_summary(not_utf8)
    assert count(world.app, Payment) == 0


def test_recording_one_payment_by_hand(world):
    notice = issued(world)[0]
    client = signed_in_client(world.app, OFFICER)
    fields = [
        ("notice_number", notice["notice_number"]),
        ("amount", "80.00"),
        *dated("paid_on", "2026-02-12"),
        ("reference", "CHQ-100"),
        ("method", "cheque"),
    ]
    bad = post_form(
        client,
        "/officer/payments/record",
        [("amount", "80.5.0"), ("reference", "CHQ-100"), *dated("paid_on", "2099-01-01")],
        page="/officer/payments",
    )
    assert bad.status_code == 400
    summary = error_summary(bad)
    for message in (
        "Enter the notice number",
        "Enter the amount in pounds and pence, like 80.00",
        "Date paid must be today or in the past",
        "Select how it was paid",
    ):
        assert message in summary, message
    assert count(world.app, Payment) == 0

    recorded = post_form(client, "/officer/payments/record", fields, page="/officer/payments")
    assert recorded.status_code == 302
    assert f"Payment of £80 recorded for notice {notice['notice_number']}, now paid" in text(
        client.get("/officer/payments")
    )
    with world.app.app_context():
        payment = db.session().scalar(select(Payment).where(Payment.reference == "CHQ-100"))
        assert (payment.amount_pence, payment.method, payment.status) == (8000, "cheque", "applied")

    repeat = post_form(client, "/officer/payments/record", fields, page="/officer/payments")
    assert repeat.status_code == 302
    assert "reference CHQ-100 is already recorded: nothing was added" in text(client.get("/officer/payments"))

    stray = [("notice_number", "PN-2026-0404040"), ("amount", "£1,000.50"), *dated("paid_on", "2026-02-12")]
    stray += [("reference", "CHQ-101"), ("method", "cheque")]
    assert post_form(client, "/officer/payments/record", stray, page="/officer/payments").status_code == 302
    page = text(client.get("/officer/payments"))
    assert "Payment of £1,000.50 recorded. No notice that can be paid has the number PN-2026-0404040" in page
    assert "CHQ-101" in page


def test_suspense_list_is_paged_in_fifties(world):
    from penalty_service.services import payments

    with world.app.app_context():
        for n in range(51):
            payments.record(
                {
                    "notice_number": f"UNKNOWN-{n}",
                    "amount_pence": 8000,
                    "paid_on": date(2026, 2, 10),
                    "reference": f"S-{n:03d}",
                    "method": "card",
                },
                None,
            )
    client = signed_in_client(world.app, OFFICER)
    first = text(client.get("/officer/payments"))
    assert "Showing 1 to 50 of 51" in first and "S-050" in first and "S-000" not in first
    last = text(client.get("/officer/payments?page=99999999"))
    assert "Showing 51 to 51 of 51" in last and "S-000" in last
    assert client.get("/officer/payments?page=-3").status_code == 200


# Enforcement letters -----------------------------------------------------------------------------------


def letter_fields(day: str | None, **changes: str) -> list[tuple[str, str]]:
    fields = {
        "school_urn": "122000",
        "first_name": "Zoë",
        "last_name": "Example",
        "upn": "a123 4567 89012",
        "parent_name": "Sam Example",
        "address": "1 Example Street\nMansfield NG18 1AA",
        **changes,
    }
    return list(fields.items()) + (dated("issued_on", day) if day else [])


def test_letters_are_sent_in_sequence_with_the_next_step_due(world):
    client = signed_in_client(world.app, OFFICER)
    page = client.get("/officer/letters")
    assert page.status_code == 200
    assert "Example Primary School (URN 122000)" in page.get_data(as_text=True)
    assert 'href="/officer/letters"' in page.get_data(as_text=True)  # navigation

    first = post_form(client, "/officer/letters", letter_fields("2026-01-05"))
    assert first.status_code == 302 and first.location.endswith("upn=A123456789012")
    after = text(client.get(first.location))
    assert "Notice to Attend sent to Sam Example on Monday 5 January 2026" in after
    assert "The Formal Warning Letter is due from Monday 2 February 2026" in after

    early = post_form(client, "/officer/letters", letter_fields("2026-01-20"))
    assert early.status_code == 400
    assert "The Formal Warning Letter is due from Monday 2 February 2026" in error_summary(early)

    assert post_form(client, "/officer/letters", letter_fields("2026-02-02")).status_code == 302
    court = post_form(client, "/officer/letters", letter_fields("2026-03-02"))
    assert court.status_code == 302
    court_text = text(client.get(court.location))
    assert "Court Action Letter sent to Sam Example on Monday 2 March 2026" in court_text
    assert "Prosecution under section 444 may follow from Monday 30 March 2026" in court_text
    after_court = post_form(client, "/officer/letters", letter_fields("2026-04-06"))
    assert after_court.status_code == 400
    assert "the next step is prosecution under s444" in error_summary(after_court)

    history = client.get("/officer/letters?upn=A123456789012")
    history_text = text(history)
    for expected in (
        "Notice to Attend",
        "Formal Warning Letter",
        "Court Action Letter",
        "5 January 2026",
        "2 February 2026",
    ):
        assert expected in history_text, expected
    assert "Next: prosecution" in history_text
    with world.app.app_context():
        ids = db.session().scalars(select(EnforcementLetter.id).order_by(EnforcementLetter.id)).all()
    assert len(ids) == 3
    pdf = client.get(f"/officer/letters/{ids[0]}.pdf")
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
    assert client.get("/officer/letters/999999.pdf").status_code == 404

    other_parent = post_form(
        client, "/officer/letters", letter_fields("2026-04-06", parent_name="Alex Example")
    )
    assert other_parent.status_code == 302
    assert "Notice to Attend sent to Alex Example" in text(client.get(other_parent.location))
    prefilled = client.get(f"/officer/letters?after={ids[0]}").get_data(as_text=True)
    assert 'value="Sam Example"' in prefilled and 'value="A123456789012"' in prefilled
    assert "No letters have been sent about this pupil" in text(
        client.get("/officer/letters?upn=B123456789012")
    )


def test_letter_form_errors_are_explained(world):
    client = signed_in_client(world.app, OFFICER)
    bad = post_form(
        client,
        "/officer/letters",
        letter_fields("2099-01-01", school_urn="999999", upn="12345", first_name="", address=""),
    )
    assert bad.status_code == 400
    summary = error_summary(bad)
    for message in (
        "Select the school",
        "Enter the pupil's first name",
        "Enter a UPN in the correct format, like A123456789012",
        "Enter the parent's address",
        "Date of the letter must be today or in the past",
    ):
        assert message in summary, message
    lookup = client.get("/officer/letters?upn=")
    assert lookup.status_code == 400 and "Enter the pupil's UPN" in error_summary(lookup)
    assert count(world.app, EnforcementLetter) == 0


# Who may ----------------------------------------------------------------------------------------------


def test_schools_get_403_on_every_officer_action_page(world):
    notice = issued(world)[0]
    client = signed_in_client(world.app, "school@example.org")
    for path in (
        f"/officer/notices/{notice['id']}/withdraw",
        f"/officer/notices/{notice['id']}/prosecution",
        "/officer/prosecutions/1",
        "/officer/prosecutions/1/bundle.pdf",
        "/officer/payments",
        "/officer/letters",
        "/officer/letters?upn=A123456789012",
        "/officer/letters/1.pdf",
    ):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client.get("/school/requests").get_data(as_text=True))
    for path, fields in (
        (f"/officer/notices/{notice['id']}/withdraw", {"ground": "wrong_person", "notes": "x"}),
        (f"/officer/notices/{notice['id']}/prosecution", {"decision": "withdraw"}),
        ("/officer/prosecutions/1", {"type": "information_laid"}),
        ("/officer/payments/import", {}),
        ("/officer/payments/record", {"notice_number": notice["notice_number"]}),
        ("/officer/payments/1/match", {"notice_number": notice["notice_number"]}),
        ("/officer/letters", {"school_urn": "122000"}),
    ):
        assert client.post(path, data={"csrf_token": token, **fields}).status_code == 403, path
    assert notice_status(world, notice["id"])["status"] == "issued"
    nav = client.get("/school/requests").get_data(as_text=True)
    assert "/officer/payments" not in nav and "/officer/letters" not in nav
    anonymous = world.app.test_client()
    anonymous.environ_base["wsgi.url_scheme"] = "https"
    assert anonymous.get("/officer/payments").status_code == 302  # to sign in
