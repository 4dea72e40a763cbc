"""A chaperone's approval in a real browser: the applicant applies, both referees answer from the emailed
links, the officer records the checks and arranges a training session, the applicant books it, the officer
marks the attendance and approves, and the applicant sees "Approved" and downloads the ID card."""

from __future__ import annotations

import re
import subprocess

from sqlalchemy import select

from shared import calendar, db
from shared.notify import OutboxMessage
from tests.e2e.conftest import new_page, screenshot
from tests.e2e.penalty_steps import sign_in
from tests.support.api import add_user

APPLICANT = "casey@example.org"
OFFICER = "officer@example.org"
REFEREES = {"Robin Referee": "robin@example.org", "Morgan Manager": "morgan@example.org"}


def link_for(app, to_address: str) -> str:
    with app.app_context():
        messages = db.session().scalars(
            select(OutboxMessage).where(OutboxMessage.to_address == to_address).order_by(OutboxMessage.id)
        )
        for message in messages:
            found = re.search(r"(/chaperone-reference/[A-Za-z0-9_-]+)", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no link emailed to {to_address}")


def fill_date(scope, prefix: str, day: int, month: int, year: int) -> None:
    scope.locator(f"#{prefix}-day").fill(str(day))
    scope.locator(f"#{prefix}-month").fill(str(month))
    scope.locator(f"#{prefix}-year").fill(str(year))


def test_a_chaperone_is_approved_and_downloads_the_id_card(live, page, browser, tmp_path):
    server = live("licensing")
    add_user(server.app, APPLICANT, "applicant")
    add_user(server.app, OFFICER, "officer")
    today = calendar.today()

    # The applicant applies.
    sign_in(page, server.url, APPLICANT)
    page.get_by_role("link", name="Chaperone approval", exact=True).click()
    page.get_by_role("button", name="Apply to be a chaperone").click()
    page.get_by_role("button", name="Send application").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter your full name" in summary and "Enter your DBS certificate number" in summary
    screenshot(page, "chaperone-0-apply-errors")
    page.get_by_label("Full name").first.fill("Casey Chaperone")
    fill_date(page, "date_of_birth", 1, 5, 1990)
    page.get_by_label("Home address").fill("2 Example Road\nNewark NG24 1AA")
    page.get_by_label("Volunteer").check()
    page.get_by_label("Certificate number").fill("001234567890")
    fill_date(page, "dbs_issue_date", 20, 11, 2025)
    page.get_by_role("group", name="Is your certificate on the DBS update service?").get_by_label(
        "Yes"
    ).check()
    for n, (name, email) in enumerate(REFEREES.items(), start=1):
        page.locator(f"#referee{n}_name").fill(name)
        page.locator(f"#referee{n}_email").fill(email)
    page.locator("#referee1_relationship").fill("Sister")
    page.locator("#referee2_relationship").fill("Line manager")
    page.get_by_label("I agree to the council checking").check()
    page.get_by_role("button", name="Send application").click()
    assert (
        "A referee must not be a member of the applicant's family"
        in page.locator(".govuk-error-summary").inner_text()
    )
    fill_date(page, "date_of_birth", 1, 5, 1990)
    fill_date(page, "dbs_issue_date", 20, 11, 2025)
    page.locator("#referee1_relationship").fill("Neighbour")
    page.get_by_label("I agree to the council checking").check()
    screenshot(page, "chaperone-1-apply")
    page.get_by_role("button", name="Send application").click()
    assert "We have emailed your referees" in page.locator(".govuk-notification-banner").inner_text()
    reference = page.locator("h1").inner_text().split()[0]
    screenshot(page, "chaperone-2-submitted")

    # Both referees answer from their links.
    referee = new_page(browser)
    for n, email in enumerate(REFEREES.values()):
        referee.goto(server.url + link_for(server.app, email))
        assert "Reference for Casey Chaperone" in referee.locator("h1").inner_text()
        referee.get_by_label("How long have you known them?").fill("6 years")
        referee.get_by_label("In what capacity do you know them?").fill("Neighbour and youth club volunteer")
        referee.get_by_role("group", name="Do you think they are suitable").get_by_label("Yes").check()
        referee.get_by_label("The information I have given is true").check()
        if n == 0:
            screenshot(referee, "chaperone-3-reference")
        referee.get_by_role("button", name="Send reference").click()
        assert "Reference sent" in referee.locator("h1").inner_text()
        referee.goto(server.url + link_for(server.app, email))
        assert "This link no longer works" in referee.locator("h1").inner_text()
    referee.context.close()

    # The officer records the checks and cannot yet approve: training is missing.
    officer = new_page(browser)
    sign_in(officer, server.url, OFFICER)
    officer.get_by_role("link", name="Chaperones", exact=True).click()
    officer.get_by_role("link", name=reference).click()
    for kind in ("dbs", "references", "database_check"):
        form = officer.locator(f"form[action$='/checks/{kind}']")
        form.get_by_label("Clear").check()
        form.get_by_role("button").click()
    officer.get_by_label("Approve the applicant as a chaperone").check()
    officer.get_by_role("button", name="Save decision").click()
    assert "not attended chaperone training" in officer.locator(".govuk-error-summary").inner_text()
    screenshot(officer, "chaperone-4-officer-cannot-approve")

    # The officer arranges a session today; the applicant books it.
    officer.goto(server.url + "/officer/chaperones/training")
    fill_date(officer, "date", today.day, today.month, today.year)
    officer.get_by_label("Place", exact=True).fill("County Hall, West Bridgford")
    officer.get_by_label("Number of places").fill("12")
    officer.get_by_role("button", name="Add session").click()
    session_url = officer.url
    page.reload()
    page.get_by_role("button", name=re.compile("^Book")).click()
    assert "You are booked on chaperone training" in page.locator(".govuk-notification-banner").inner_text()
    screenshot(page, "chaperone-5-booked")

    # The officer marks the attendance and approves.
    officer.goto(session_url)
    officer.get_by_label("Attended", exact=True).check()
    officer.get_by_role("button", name="Save attendance").click()
    assert "Casey Chaperone: attended" in officer.locator(".govuk-notification-banner").inner_text()
    screenshot(officer, "chaperone-6-attendance")
    officer.get_by_role("link", name=reference).click()
    officer.get_by_label("Approve the applicant as a chaperone").check()
    officer.get_by_role("button", name="Save decision").click()
    banner = officer.locator(".govuk-notification-banner").inner_text()
    assert "Approved: NCC-CA-" in banner
    screenshot(officer, "chaperone-7-approved")
    officer.context.close()

    # The applicant sees "Approved" and downloads the ID card.
    page.reload()
    assert "Approved" in page.locator(".govuk-panel").inner_text()
    screenshot(page, "chaperone-8-applicant-approved")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your ID card (PDF)").click()
    path = tmp_path / "card.pdf"
    download.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "Casey Chaperone" in text and "NCC-CA-" in text
    assert page.console_errors == []
