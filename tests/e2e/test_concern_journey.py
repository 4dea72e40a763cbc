"""A member of the public reports a safeguarding concern; an officer sees it first, records the referral
to the MASH and closes it, in a real browser."""

from __future__ import annotations

from tests.e2e.conftest import screenshot
from tests.licensing.builders import LicensingWorld
from tests.licensing.test_concerns_api import reported
from tests.support.api import PASSWORD


def test_a_safeguarding_concern_from_report_to_closure(live, page):
    server = live("licensing")
    world = LicensingWorld(server.app)
    earlier = reported(world)  # an ordinary concern, reported first

    # A member of the public, not signed in.
    page.goto(server.url + "/report-a-concern")
    page.get_by_label("Child's name (optional)").fill("Leo Example")
    page.get_by_label("Approximate age (optional)").fill("9")
    page.get_by_label("Performing").check()
    page.get_by_label("Where is it happening?").fill("Riverside Community Hall, Newark")
    page.get_by_label("Who is organising it or employing the child? (optional)").fill("Sparkle Stage School")
    page.get_by_label("When does it happen? (optional)").fill("Every night this week until 11pm")
    page.get_by_label("Tell us what is happening").fill(
        "Young children are rehearsing until late at night with no chaperone that I can see."
    )
    page.get_by_label("Yes").check()
    screenshot(page, "concern-report-form")
    page.get_by_role("button", name="Send report").click()
    panel = page.locator(".govuk-panel").inner_text()
    assert "Report sent" in panel and "CON-" in panel
    reference = panel.split()[-1]
    screenshot(page, "concern-report-sent")

    # The officer: the safeguarding concern is first.
    officer = page.context.browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    officer.goto(server.url + "/sign-in")
    officer.get_by_label("Email address").fill("officer@example.org")
    officer.get_by_label("Password", exact=True).fill(PASSWORD)
    officer.get_by_role("button", name="Sign in").click()
    officer.get_by_role("link", name="Concerns", exact=True).click()
    rows = officer.locator("tbody tr")
    assert reference in rows.nth(0).inner_text() and "Safeguarding" in rows.nth(0).inner_text()
    assert earlier["reference"] in rows.nth(1).inner_text()
    screenshot(officer, "concern-list")

    officer.get_by_role("link", name=reference).click()
    assert "Refer this concern to the MASH today" in officer.locator(".govuk-warning-text").inner_text()
    officer.get_by_label("Referral to the MASH").check()
    officer.get_by_label("Notes", exact=True).fill("Referred to the MASH by phone; their reference M-4521.")
    officer.get_by_role("button", name="Record action").click()
    assert "Referral to the MASH recorded" in officer.locator(".govuk-notification-banner").inner_text()
    assert "Referred to the MASH on" in officer.locator("main").inner_text()
    screenshot(officer, "concern-mash-referral")

    officer.get_by_label("Referred to another council or agency").check()
    officer.get_by_label("Notes (optional)").fill("The MASH is leading; no licence matter remains.")
    officer.get_by_role("button", name="Close concern").click()
    assert f"Concern {reference} closed" in officer.locator(".govuk-notification-banner").inner_text()
    assert "Referred to another council or agency" in officer.locator(".govuk-summary-list").last.inner_text()
    screenshot(officer, "concern-closed")
    assert page.console_errors == []
    officer.context.close()
