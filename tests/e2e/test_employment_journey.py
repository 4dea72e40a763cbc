"""The child employment permit journey in a real browser: an employer checks a child's hours (and corrects
them), applies; the parent gives the declaration from the emailed link; the officer grants the permit; the
employer downloads it."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from shared import calendar, db
from shared.notify import OutboxMessage
from tests.e2e.conftest import new_page, screenshot
from tests.e2e.penalty_steps import sign_in
from tests.support.api import add_user

EMPLOYER = "producer@example.org"
OFFICER = "officer@example.org"
PARENT_EMAIL = "sam.parent@example.org"


def fill_date(scope, legend: str, on) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day", exact=True).fill(str(on.day))
    group.get_by_label("Month", exact=True).fill(str(on.month))
    group.get_by_label("Year", exact=True).fill(str(on.year))


def fill_hours(
    page, period: str, day: str, start: str, end: str, break_from: str = "", break_to: str = ""
) -> None:
    page.locator(f"#{period}-{day}-start").fill(start)
    page.locator(f"#{period}-{day}-end").fill(end)
    if break_from:
        page.locator(f"#{period}-{day}-break_start").fill(break_from)
        page.locator(f"#{period}-{day}-break_end").fill(break_to)


def test_employment_permit_journey(live, page, browser):
    server = live("licensing")
    app = server.app
    add_user(app, EMPLOYER, "applicant")
    add_user(app, OFFICER, "officer")
    with app.app_context():
        today = calendar.today()
    started = today - timedelta(days=3)
    born = today.replace(year=today.year - 14) - timedelta(days=40)

    # 1. The employer checks the hours: a school day too long and too late, corrected.
    sign_in(page, server.url, EMPLOYER)
    page.get_by_role("link", name="Check working hours").first.click()
    fill_date(page, "What is the child's date of birth?", born)
    page.get_by_label("What kind of work is it?").select_option("shop")
    fill_date(page, "When does (or did) the child start?", started)
    fill_hours(page, "term_time", "monday", "16:00", "19:30")
    fill_hours(page, "holidays", "tuesday", "09:00", "15:00", "12:00", "13:00")
    page.get_by_role("button", name="Check the hours").click()
    body = page.locator("main").inner_text()
    assert "These hours are not allowed" in body
    assert "Term time, Monday: work ends at 19:30. A child may not work after 19:00." in body
    assert "confirm that they will" in body
    screenshot(page, "employment-1-check-breaches")
    page.locator("#term_time-monday-end").fill("18:00")
    page.get_by_label("The child will have 2 weeks in a row without any work").check()
    page.get_by_role("button", name="Check the hours").click()
    assert "These hours keep to the law" in page.locator("main").inner_text()
    screenshot(page, "employment-2-check-ok")

    # 2. The employer applies.
    page.get_by_role("link", name="Employment permits").first.click()
    page.get_by_role("button", name="Apply for a permit").click()
    page.get_by_label("Business name").fill("Corner Shop Ltd")
    page.get_by_label("Address where the child works").fill("2 High Street, Mansfield NG18 1AB")
    page.get_by_label("Your name").fill("Jo Owner")
    page.get_by_role("group", name="Have you employed children").get_by_label("No").check()
    page.get_by_label("First name").fill("Alex")
    page.get_by_label("Last name").fill("Example")
    fill_date(page, "What is the child's date of birth?", born)
    page.get_by_label("Child's home address").fill("1 Example Street, Mansfield NG18 1AA")
    page.get_by_label("School", exact=True).fill("Example Academy")
    page.get_by_label("Parent or carer's full name").fill("Sam Parent")
    page.get_by_label("Parent or carer's email address").fill(PARENT_EMAIL)
    page.get_by_label("Parent or carer's address").fill("1 Example Street, Mansfield NG18 1AA")
    page.get_by_label("What kind of work is it?").select_option("shop")
    page.get_by_label("Describe the job").fill("Stacking shelves and serving at the till")
    fill_date(page, "When does (or did) the child start?", started)
    fill_hours(page, "term_time", "monday", "16:00", "18:00")
    fill_hours(page, "term_time", "saturday", "09:00", "13:00")
    fill_hours(page, "holidays", "tuesday", "09:00", "15:00", "12:00", "13:00")
    page.get_by_label("The child will have 2 weeks in a row without any work").check()
    screenshot(page, "employment-3-apply")
    page.get_by_role("button", name="Send the application").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "sent" in banner and "Sam Parent" in banner
    reference = re.search(r"EP-\d{4}-\d{6}", banner).group(0)
    assert "waiting for the parent's declaration" in page.locator("main").inner_text()
    assert "visit" not in page.locator("main").inner_text().lower()
    screenshot(page, "employment-4-submitted")

    # 3. The parent gives the declaration from the link in their email.
    with app.app_context():
        message = (
            db.session()
            .scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to_address == PARENT_EMAIL)
                .order_by(OutboxMessage.id)
            )
            .all()[-1]
        )
    link = re.search(r"https?://\S+/employment-permit-declaration/\S+", message.body).group(0)
    parent = new_page(browser)
    parent.goto(server.url + link[link.index("/employment-permit-declaration/") :])
    assert "Agree to Alex's work permit application" in parent.locator("h1").inner_text()
    parent.get_by_role("button", name="Give my declaration").click()
    assert "Confirm the declaration" in parent.locator(".govuk-error-summary").inner_text()
    parent.get_by_label("I am the child's parent or carer").check()
    parent.get_by_label("Your full name").fill("Sam Parent")
    screenshot(parent, "employment-5-declaration")
    parent.get_by_role("button", name="Give my declaration").click()
    assert "Declaration given" in parent.locator("h1").inner_text()
    parent.context.close()

    # 4. The officer grants the permit.
    officer = new_page(browser)
    sign_in(officer, server.url, OFFICER)
    officer.get_by_role("link", name="Employment permits").first.click()
    officer.get_by_role("link", name=reference).click()
    text = officer.locator("main").inner_text()
    assert "Given by Sam Parent" in text
    assert "planned for" in text  # the site visit for an employer unknown to the council
    officer.get_by_label("Grant the permit").check()
    officer.get_by_role("button", name="Record the decision").click()
    banner = officer.locator(".govuk-notification-banner").inner_text()
    assert "granted" in banner
    number = re.search(r"NCC-EP-\d{4}-\d{5}", banner).group(0)
    screenshot(officer, "employment-6-granted")
    officer.context.close()

    # 5. The employer downloads the permit.
    page.get_by_role("link", name="Employment permits").first.click()
    page.get_by_role("link", name=number).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the permit (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    screenshot(page, "employment-7-employer-permit")
    assert page.console_errors == []
