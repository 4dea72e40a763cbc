"""The whole penalty journey across roles in one browser: a school requests a notice with an uploaded
register, an officer issues it from the queue, the bank's file of payments is imported, and the school
sees the notice paid."""

from __future__ import annotations

import re

from shared import calendar
from tests.e2e.conftest import new_page, screenshot
from tests.e2e.penalty_steps import (
    AbsenceRegister,
    add_school_user,
    answer_about,
    answer_offence,
    answer_parent,
    answer_pupil,
    sign_in,
)
from tests.support.api import add_user


def test_school_request_to_officer_notice_to_payment_seen_by_the_school(live, browser, page, tmp_path):
    server = live("penalty")
    add_school_user(server.app)
    add_user(server.app, "officer@example.org", "officer")
    register = AbsenceRegister()
    today = calendar.today()

    # The school asks for a notice, uploading the register its MIS exported.
    sign_in(page, server.url, "school@example.org")
    page.get_by_role("link", name="Request a notice").click()
    page.get_by_role("button", name="Start now").click()
    answer_offence(page)
    answer_pupil(page)
    page.get_by_role("button", name="Continue").click()
    answer_parent(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Continue").click()
    upload = register.write_csv(tmp_path / "register.csv")
    page.locator("input[type=file][name=register_file]").set_input_files(str(upload))
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text().endswith("The attendance threshold is met")
    page.get_by_role("button", name="Continue").click()
    answer_about(page, register.returned)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send request").click()
    reference = re.search(r"PNR-\d{4}-\d{6}", page.locator(".govuk-panel").inner_text()).group(0)
    screenshot(page, "journey-1-school-sent")

    # An officer, signed in elsewhere, finds it in the queue and issues today.
    officer = new_page(browser)
    try:
        sign_in(officer, server.url, "officer@example.org")
        officer.get_by_role("link", name="Work queue").click()
        officer.get_by_role("link", name=reference).click()
        assert "10 unauthorised sessions" in officer.locator(".govuk-inset-text").inner_text()
        officer.get_by_label("Issue a penalty notice to each parent").check()
        officer.locator("#issue_date-day").fill(str(today.day))
        officer.locator("#issue_date-month").fill(str(today.month))
        officer.locator("#issue_date-year").fill(str(today.year))
        officer.get_by_role("button", name="Save decision").click()
        assert "1 notice issued" in officer.locator(".govuk-notification-banner").inner_text()
        notice_number = officer.get_by_role("link", name=re.compile(r"PN-\d{4}-\d{7}")).inner_text().strip()
        screenshot(officer, "journey-2-officer-issued")

        # The school sees the notice issued, not yet paid.
        page.get_by_role("link", name="Your requests", exact=True).click()
        page.get_by_role("link", name=reference).click()
        row = page.locator("table tr", has_text=notice_number)
        assert row.locator(".govuk-tag").inner_text().strip() == "Issued"
        screenshot(page, "journey-3-school-issued")

        # The parent pays the lower amount today; the officer imports the bank's file.
        bank_file = tmp_path / f"bank-{today.isoformat()}.csv"
        bank_file.write_text(
            "notice_number,amount,paid_on,reference,method\n"
            f"{notice_number},80.00,{today.isoformat()},BANK-JOURNEY-1,bank_transfer\n"
        )
        officer.get_by_role("link", name="Payments").click()
        officer.locator("input[type=file]").set_input_files(str(bank_file))
        officer.get_by_role("button", name="Import payments").click()
        paid_row = officer.locator(".app-import-result .govuk-summary-list__row", has_text="Notices now paid")
        assert paid_row.locator(".govuk-summary-list__value").inner_text().strip() == "1"
        screenshot(officer, "journey-4-officer-payments")
        assert officer.console_errors == [], officer.console_errors
    finally:
        officer.context.close()

    # The school's page now shows the notice paid, with the day.
    page.reload()
    row = page.locator("table tr", has_text=notice_number)
    assert row.locator(".govuk-tag").inner_text().strip() == "Paid"
    assert f"Paid {today.day} {today:%B %Y}" in row.inner_text()
    screenshot(page, "journey-5-school-paid")
    assert page.console_errors == [], page.console_errors
