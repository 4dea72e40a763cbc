"""An officer works the queue in a real browser: opens a request, reads the register, issues notices."""

from __future__ import annotations

from tests.e2e.conftest import screenshot
from tests.penalty.builders import PenaltyWorld
from tests.support.api import PASSWORD


def test_officer_issues_notices_from_the_queue(live, page):
    server = live("penalty")
    world = PenaltyWorld(server.app)
    parents = [
        {"name": "Sam Example", "address": "1 Example Street, Mansfield", "relationship": "mother"},
        {"name": "Alex Example", "address": "9 Other Road, Newark", "relationship": "father"},
    ]
    created = world.request(parents=parents, received_on="2026-01-20")

    page.goto(server.url + "/sign-in")
    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Work queue").click()
    screenshot(page, "officer-queue")

    page.get_by_role("link", name=created["reference"]).click()
    assert "10 unauthorised sessions" in page.locator(".govuk-inset-text").inner_text()
    page.get_by_text("Attendance register").click()
    screenshot(page, "officer-request")

    page.get_by_label("Issue a penalty notice to each parent").check()
    page.locator("#issue_date-day").fill("26")
    page.locator("#issue_date-month").fill("1")
    page.locator("#issue_date-year").fill("2026")
    page.get_by_role("button", name="Save decision").click()
    assert "2 notices issued" in page.locator(".govuk-notification-banner").inner_text()
    assert page.get_by_role("link", name="PN-2026-0000002").is_visible()
    screenshot(page, "officer-request-issued")

    page.get_by_role("link", name="PN-2026-0000001").click()
    assert "£80 until Tuesday 17 February 2026" in page.locator(".govuk-summary-list").inner_text()
    screenshot(page, "officer-notice")
    assert page.console_errors == [], page.console_errors
