"""A school requests a penalty notice in a real browser: sign in, answer each question, upload the
register as a CSV file, check the answers and send."""

from __future__ import annotations

import re
from datetime import timedelta

from penalty_service.models import School
from penalty_service.services import requests as request_service
from shared import calendar, db
from tests.e2e.conftest import screenshot
from tests.support.api import PASSWORD, add_user

URN = "122000"


def weekdays(start, end):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def long_date(d) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


def test_school_requests_a_notice_with_a_csv_register(live, page, tmp_path):
    server = live("penalty")
    with server.app.app_context(), db.transaction():
        db.session().add(
            School(
                urn=URN,
                name="Example Primary School",
                address="School Lane, Mansfield",
                email="office@example.org",
            )
        )
    add_user(server.app, "school@example.org", "school", school_urn=URN)

    # The pupil was absent for the whole week five weeks ago (10 sessions) and back the Monday after,
    # so the request arrives more than 3 weeks after the return.
    today = calendar.today()
    absent_week = calendar.week_start(today) - timedelta(weeks=5)
    returned = absent_week + timedelta(days=7)
    days = list(weekdays(absent_week - timedelta(days=14), absent_week + timedelta(days=11)))
    absent = set(weekdays(absent_week, absent_week + timedelta(days=4)))
    lines = ["Date,Session,Code"] + [
        f"{d:%d/%m/%Y},{s},{'O' if d in absent else '/'}" for d in days for s in ("AM", "PM")
    ]
    good = tmp_path / "register.csv"
    good.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    bad = tmp_path / "register-with-errors.csv"
    bad.write_text("\r\n".join([*lines[:2], lines[2].replace(",/", ",A"), *lines[3:]]) + "\r\n")
    with server.app.app_context():
        threshold = request_service.threshold_for(
            [
                {"date": d, "session": s, "code": "O" if d in absent else "/"}
                for d in days
                for s in ("AM", "PM")
            ]
        )
    met_on = f"{long_date(threshold.met_on.date)} ({threshold.met_on.session})"

    page.goto(server.url + "/sign-in")
    page.get_by_label("Email address").fill("school@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Request a notice").click()
    assert page.locator("h1").inner_text() == "Request a penalty notice"
    screenshot(page, "school-start")
    page.get_by_role("button", name="Start now").click()

    # 1. Offence: an answer is needed.
    page.get_by_role("button", name="Continue").click()
    assert "Select the offence" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "school-offence-error")
    page.get_by_label("Unauthorised absence").check()
    page.get_by_role("button", name="Continue").click()

    # 2. Pupil.
    page.get_by_label("First name").fill("Zoë")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Day", exact=True).fill("2")
    page.get_by_label("Month", exact=True).fill("5")
    page.get_by_label("Year", exact=True).fill("2014")
    page.get_by_label("Unique pupil number (UPN)").fill("A123456789012")
    page.get_by_label("Year group").fill("6")
    page.get_by_label("Home address").fill("1 Example Street\nMansfield NG18 1AA")
    screenshot(page, "school-pupil")
    page.get_by_role("button", name="Continue").click()

    # 3. Parents: one, then "No" to adding another.
    page.get_by_label("Full name").fill("Sam Example")
    page.get_by_label("Relationship to the pupil").fill("mother")
    page.get_by_label("Address", exact=True).fill("1 Example Street\nMansfield NG18 1AA")
    page.get_by_label("Email address (optional)").fill("sam@example.org")
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
    group = page.get_by_role("group", name="When did the pupil return to school?")
    group.get_by_label("Day", exact=True).fill(str(returned.day))
    group.get_by_label("Month", exact=True).fill(str(returned.month))
    group.get_by_label("Year", exact=True).fill(str(returned.year))
    page.get_by_role("radio", name="No").check()
    page.get_by_label("The school followed the local code of conduct").check()
    screenshot(page, "school-about")
    page.get_by_role("button", name="Continue").click()

    # 6. Check your answers, with the 3-week warning.
    assert page.locator("h1").inner_text().endswith("Check your answers before sending your request")
    main = page.locator("main").inner_text()
    assert "Zoë Example" in main and "A123456789012" in main and "Sam Example" in main
    assert f"the threshold is met on {met_on}" in main
    assert f"The pupil returned to school on {long_date(returned)}" in main
    screenshot(page, "school-check")
    page.get_by_role("button", name="Send request").click()

    # 7. Confirmation.
    panel = page.locator(".govuk-panel").inner_text()
    assert "Request sent" in panel
    reference = re.search(r"PNR-\d{4}-\d{6}", panel).group(0)
    decide_by = calendar.add_working_days(today, 10)
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
