"""An officer imports the bank's file of payments in a real browser, matches the one left in suspense and
sees both notices paid."""

from __future__ import annotations

from tests.e2e.conftest import screenshot
from tests.penalty.builders import PenaltyWorld
from tests.support.api import PASSWORD


def test_officer_uploads_a_bank_file_and_matches_a_payment_in_suspense(live, page, tmp_path):
    server = live("penalty")
    world = PenaltyWorld(server.app)
    parents = [
        {"name": "Sam Example", "address": "1 Example Street, Mansfield", "relationship": "mother"},
        {"name": "Alex Example", "address": "9 Other Road, Newark", "relationship": "father"},
    ]
    created = world.request(parents=parents, received_on="2026-01-20")
    first, second = world.decide(created["id"], issue_date="2026-01-26")["notices"]

    bad = tmp_path / "bad.csv"
    bad.write_text(
        "notice_number,amount,paid_on,reference,method\nPN-2026-0000001,eighty,2026-02-10,B-1,card\n"
    )
    good = tmp_path / "bank-2026-02-12.csv"
    good.write_text(
        "notice_number,amount,paid_on,reference,method\n"
        f"{first['notice_number']},80.00,2026-02-10,BANK-1,bank_transfer\n"
        "PN-2026-9999999,80.00,2026-02-11,BANK-2,bank_transfer\n"
        f"{first['notice_number']},80.00,2026-02-10,BANK-1,bank_transfer\n"
    )

    page.goto(server.url + "/sign-in")
    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Payments").click()
    assert page.get_by_role("heading", name="Payments", level=1).is_visible()
    assert "No payments are waiting to be matched" in page.locator("main").inner_text()
    screenshot(page, "officer-payments")

    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Import payments").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "1 row has an error, so nothing was imported" in summary
    assert "Row 2, amount: Enter an amount in pounds, like 80.00" in summary
    screenshot(page, "officer-payments-file-errors")

    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Import payments").click()
    assert "Bank file imported: 3 rows read" in page.locator(".govuk-notification-banner").inner_text()
    result = page.locator(".app-import-result").inner_text()
    for key, value in (
        ("Matched to a notice", "1"),
        ("Unmatched (in suspense)", "1"),
        ("Duplicates (already recorded)", "1"),
        ("Refund due", "0"),
        ("Notices now paid", "1"),
    ):
        row = page.locator(".app-import-result .govuk-summary-list__row", has_text=key)
        assert row.locator(".govuk-summary-list__value").inner_text().strip() == value, (key, result)
    suspense = page.locator("table.app-suspense")
    assert "BANK-2" in suspense.inner_text() and "PN-2026-9999999" in suspense.inner_text()
    screenshot(page, "officer-payments-imported")

    page.get_by_label("Notice number for payment BANK-2").fill("PN-2026-0000404")
    page.get_by_role("button", name="Match payment BANK-2 to a notice").click()
    assert "No notice that can be paid has this number" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "officer-payments-match-error")
    page.get_by_label("Notice number for payment BANK-2").fill(second["notice_number"])
    page.get_by_role("button", name="Match payment BANK-2 to a notice").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"Payment BANK-2 matched to notice {second['notice_number']}, now paid" in banner
    assert "No payments are waiting to be matched" in page.locator("main").inner_text()

    for notice in (first, second):
        page.goto(f"{server.url}/officer/notices/{notice['id']}")
        assert page.locator("h1 .govuk-tag").inner_text().strip() == "Paid"
        assert "£80" in page.locator(".govuk-summary-list").inner_text()
    screenshot(page, "officer-notice-paid")
    assert page.console_errors == [], page.console_errors
