"""Signing in to each service in a real browser, and the API documentation page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot
from tests.support.api import PASSWORD, add_user


@pytest.mark.parametrize("service", ["licensing", "penalty"])
def test_officer_signs_in_and_out(live, page, service):
    server = live(service)
    add_user(server.app, "officer@example.org", "officer")

    page.goto(server.url + "/")
    assert page.locator(".govuk-generic-header").inner_text().strip() == "Nottinghamshire County Council"
    screenshot(page, f"{service}-start")
    page.get_by_role("button", name="Sign in").click()  # the GOV.UK start button
    assert page.locator("h1").inner_text() == "Sign in"

    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert "Enter a correct email address and password" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, f"{service}-sign-in-error")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("button", name="Sign out").is_visible()
    screenshot(page, f"{service}-signed-in")

    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out" in page.locator(".govuk-notification-banner").inner_text()
    assert page.console_errors == [], page.console_errors


def test_sign_in_page_uses_govuk_frontend_javascript(live, page):
    server = live("penalty")
    page.goto(server.url + "/sign-in")
    # GOV.UK Frontend's JavaScript ran under the CSP: the body is marked and the password toggle is live.
    assert "govuk-frontend-supported" in page.locator("body").get_attribute("class")
    page.get_by_role("button", name="Show password").wait_for()
    screenshot(page, "penalty-sign-in")
    assert page.console_errors == [], page.console_errors


def test_api_documentation_renders(live, page):
    server = live("penalty")
    page.goto(server.url + "/api/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
    assert "Education penalty notices" in page.locator(".swagger-ui .info .title").inner_text()
    page.get_by_text("/api/v1/calendar/working-days").first.wait_for()
    screenshot(page, "penalty-api-docs")
    assert page.console_errors == [], page.console_errors
