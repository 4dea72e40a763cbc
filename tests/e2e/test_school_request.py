"""A school requests a penalty notice in a real browser: sign in, answer each question, upload the
register as a CSV file, check the answers and send."""

from __future__ import annotations

import re

from penalty_service.services import requests as request_service
from shared import calendar
from tests.e2e.conftest import screenshot
from tests.e2e.penalty_steps import (
    AbsenceRegister,
    add_school_user,
    answer_about,
    answer_offence,
    answer_parent,
    answer_pupil,
    long_date,
    sign_in,
)


def test_school_requests_a_notice_with_a_csv_register(live, page, tmp_path):
    server = live("penalty")
    add_school_user(server.app)
    register = AbsenceRegister()
    lines = register.csv_lines()
    good = register.write_csv(tmp_path / "register.csv")
    bad = register.write_csv(
        tmp_path / "register-with-errors.csv", [*lines[:2], lines[2].replace(",/", ",A"), *lines[3:]]
    )
    with server.app.app_context():
        threshold = request_service.threshold_for(register.sessions())
    met_on = f"{long_date(threshold.met_on.date)} ({threshold.met_on.session})"

    sign_in(page, server.url, "school@example.org")
    page.get_by_role("link", name="Request a notice").click()
    assert page.locator("h1").inner_text() == "Request a penalty notice"
    screenshot(page, "school-start")
    page.get_by_role("button", name="Start now").click()

    # 1. Offence: an answer is needed.
    page.get_by_role("button", name="Continue").click()
    assert "Select the offence" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "school-offence-error")
    answer_offence(page)

    # 2. Pupil.
    answer_pupil(page)
    screenshot(page, "school-pupil")
    page.get_by_role("button", name="Continue").click()

    # 3. Parents: one, then "No" to adding another.
    answer_parent(page)
    screenshot(page, "school-parent")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text().endswith("You have added 1 parent")
    page.get_by_role("radio", name="No").check()
    screenshot(page, "school-parents")
    page.get_by_role("button", name="Continue").click()

    # 4. Attendance: rows typed in the box are checked as they are typed ...
    assert page.locator("h1").inner_text().endswith("Attendance register")
    page.get_by_label("Enter the sessions").fill("\n".join(lines))
    page.locator("#register-rows-check[data-checked]").wait_for()
    assert f"the threshold is met on {met_on}" in page.locator("#register-rows-check").inner_text()
    screenshot(page, "school-attendance-typed")
    page.get_by_label("Enter the sessions").fill("")
    # ... a file with a bad code is refused with its row ...
    page.locator("input[type=file][name=register_file]").set_input_files(str(bad))
    page.get_by_role("button", name="Continue").click()
    assert "Row 3: 'A' is not a DfE attendance code" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "school-attendance-error")
    # ... and the corrected file shows the threshold result at once.
    page.locator("input[type=file][name=register_file]").set_input_files(str(good))
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text().endswith("The attendance threshold is met")
    result = page.locator("#threshold-result").inner_text()
    assert (
        f"10 unauthorised sessions counted within 10 school weeks: the threshold is met on {met_on}" in result
    )
    assert "returned to school" not in page.locator("main").inner_text()  # not answered yet
    screenshot(page, "school-threshold")
    page.get_by_role("button", name="Continue").click()

    # 5. Return to school, notice to improve, code of conduct.
    answer_about(page, register.returned)
    screenshot(page, "school-about")
    page.get_by_role("button", name="Continue").click()

    # 6. Check your answers, with the 3-week warning.
    assert page.locator("h1").inner_text().endswith("Check your answers before sending your request")
    main = page.locator("main").inner_text()
    assert "Zoë Example" in main and "A123456789012" in main and "Sam Example" in main
    assert f"the threshold is met on {met_on}" in main
    assert f"The pupil returned to school on {long_date(register.returned)}" in main
    screenshot(page, "school-check")
    page.get_by_role("button", name="Send request").click()

    # 7. Confirmation.
    panel = page.locator(".govuk-panel").inner_text()
    assert "Request sent" in panel
    reference = re.search(r"PNR-\d{4}-\d{6}", panel).group(0)
    decide_by = calendar.add_working_days(calendar.today(), 10)
    assert f"The council will decide by {long_date(decide_by)}" in page.locator("main").inner_text()
    screenshot(page, "school-confirmation")

    # The request is in the school's list, and opens.
    page.get_by_role("link", name="Your requests", exact=True).click()
    assert reference in page.locator("table").inner_text()
    screenshot(page, "school-requests")
    page.get_by_role("link", name=reference).click()
    assert "The council has not decided this request yet" in page.locator("main").inner_text()
    screenshot(page, "school-request")
    assert page.console_errors == [], page.console_errors
