"""The performance licence journey across roles in a real browser: a producer creates a production and
applies for two children, task by task; a parent completes their part from the emailed link with a photo;
an officer records the four checks, approves the education arrangements and grants one licence, whose
PDF is made and sent to every party, then varies it (version 2)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from shared import calendar, db
from shared.formatting import long_date
from shared.notify import OutboxMessage
from tests.e2e.conftest import new_page, screenshot
from tests.e2e.penalty_steps import sign_in
from tests.support.api import add_user

PRODUCER = "producer@example.org"
OFFICER = "officer@example.org"
PARENTS = {"Zoë": "sam.example@example.org", "Alfie": "jo.sample@example.org"}
HOLDER_EMAIL = "pat@theatre.example"
HOST_EMAIL = "licensing@city.example"


def outbox(app, to_address: str) -> list[OutboxMessage]:
    with app.app_context():
        query = select(OutboxMessage).where(OutboxMessage.to_address == to_address).order_by(OutboxMessage.id)
        return list(db.session().scalars(query))


def fill_date(scope, on: date) -> None:
    scope.get_by_label("Day", exact=True).fill(str(on.day))
    scope.get_by_label("Month", exact=True).fill(str(on.month))
    scope.get_by_label("Year", exact=True).fill(str(on.year))


def create_production(page) -> None:
    page.get_by_role("link", name="Your productions").click()
    page.get_by_role("button", name="Create a production").click()
    page.get_by_role("button", name="Create production").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the name of the production" in summary and "Select what kind of production it is" in summary
    screenshot(page, "licensing-0-production-errors")
    page.get_by_label("Name of the production").fill("A Christmas Carol")
    page.get_by_label("Theatre").check()
    page.get_by_role("group", name="Will it be broadcast or filmed to be shown?").get_by_label("No").check()
    page.get_by_role("group", name="Will anyone be paid for the child taking part?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Full name").fill("Pat Producer")
    page.get_by_label("Organisation (optional)").fill("Example Theatre Company Ltd")
    page.get_by_label("Email address", exact=True).fill(HOLDER_EMAIL)
    page.get_by_label("Name of the place").fill("Theatre Royal")
    page.get_by_label("Address of the place (optional)").fill("Theatre Square, Nottingham NG1 5ND")
    page.get_by_label("Council for the place of performance").fill("Nottingham City Council")
    page.get_by_label("The council's email address (optional)").fill(HOST_EMAIL)
    page.get_by_role("button", name="Create production").click()


def add_child(
    page,
    first_name: str,
    last_name: str,
    parent_name: str,
    first_day: date,
    shots: str | None,
    breach: bool = False,
) -> str:
    """Add a child and complete every task, then submit; returns the application's reference."""
    page.get_by_role("button", name="Add a child").click()
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    fill_date(page, date(2015, 6, 14))
    page.get_by_label("Home address").fill("1 Example Street\nMansfield NG18 1AA")
    page.get_by_label("School (optional)").fill("Example Primary School")
    page.get_by_label("Parent or carer's full name").fill(parent_name)
    page.get_by_label("Parent or carer's email address").fill(PARENTS[first_name])
    page.get_by_label("Parent or carer's address").fill("1 Example Street\nMansfield NG18 1AA")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Performance and rehearsal days").click()
    page.get_by_role("button", name="Add a day").click()
    for n, (kind, performing) in enumerate(
        [
            ("Rehearsal", "10:00 to 12:00\n13:00 to 14:30"),
            ("Performance", "14:00 to 15:30"),
            ("Performance", "19:00 to 20:45"),
        ]
    ):
        if n:
            page.get_by_role("button", name="Add another day").click()
        fill_date(page, first_day + timedelta(days=n))
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Arrives at the place").fill("09:30" if n == 0 else "13:00")
        page.get_by_label("Leaves the place").fill("17:00" if n == 0 else "21:30")
        page.get_by_label("When does the child perform or rehearse?").fill(performing)
        page.get_by_role("button", name="Add this day").click()
    assert page.locator(".app-schedule tbody tr").count() == 3
    if breach:  # a day too long for a child of 10 or 11: shown at once, in plain English, then taken away
        page.get_by_role("button", name="Add another day").click()
        fill_date(page, first_day + timedelta(days=3))
        page.get_by_label("Performance", exact=True).check()
        page.get_by_label("Arrives at the place").fill("08:00")
        page.get_by_label("Leaves the place").fill("18:30")
        page.get_by_label("When does the child perform or rehearse?").fill(
            "09:00 to 11:30\n12:00 to 14:30\n15:00 to 17:00"
        )
        page.get_by_role("button", name="Add this day").click()
        breaches = page.locator(".app-breaches").inner_text()
        assert "the child would perform for 7 hours" in breaches
        assert re.search(r"the limit at age 1\d is 5 hours\.", breaches)
        assert re.search(r"the limit at age 1\d is 9 hours 30 minutes\.", breaches)
        screenshot(page, "licensing-3-breach")
        page.locator(".app-schedule tbody tr").nth(3).get_by_role("button", name="Remove").click()
        assert page.locator(".app-breaches").count() == 0
    if shots:
        screenshot(page, f"{shots}-days")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Chaperone", exact=True).click()
    page.get_by_label("An approved chaperone").check()
    page.get_by_label("Chaperone's approval number").fill("CH-2025-000123")
    page.get_by_label("How many children will the chaperone look after at once?").fill("4")
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Education").click()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("How many school days will the child miss?").fill("3")
    page.get_by_label("Tutor's name (optional)").fill("Tess Tutor")
    page.get_by_label("Hours of teaching each school day").fill("3")
    page.get_by_label("How many children will the tutor teach at once?").fill("2")
    page.get_by_role("button", name="Save and continue").click()
    if shots:
        screenshot(page, f"{shots}-tasks")

    page.get_by_role("button", name="Check and submit").click()
    assert "on time" in page.locator("#notice ~ .govuk-inset-text").first.inner_text()
    if shots:
        screenshot(page, f"{shots}-check")
    page.get_by_role("button", name="Submit application").click()
    panel = page.locator(".govuk-panel").inner_text()
    assert "Application submitted" in panel
    if shots:
        screenshot(page, f"{shots}-submitted")
    return re.search(r"PL-\d{4}-\d{6}", panel).group(0)


def child_photo(path) -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 450), (214, 229, 240))
    draw = ImageDraw.Draw(image)
    draw.ellipse((110, 70, 250, 230), fill=(233, 196, 160))
    draw.rectangle((90, 250, 270, 450), fill=(29, 112, 184))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_producer_applies_parent_completes_officer_grants(live, browser, page, tmp_path):
    server = live("licensing")
    add_user(server.app, PRODUCER, "applicant")
    add_user(server.app, OFFICER, "officer")
    first_day = calendar.today() + timedelta(days=35)

    # The producer creates a production and applies for two children.
    sign_in(page, server.url, PRODUCER)
    create_production(page)
    assert page.locator("h1").inner_text() == "A Christmas Carol"
    screenshot(page, "licensing-1-production")
    zoe = add_child(page, "Zoë", "Example", "Sam Example", first_day, shots="licensing-2-zoe")
    page.get_by_role("link", name="Back to A Christmas Carol").click()
    alfie = add_child(page, "Alfie", "Sample", "Jo Sample", first_day, shots=None, breach=True)
    page.get_by_role("link", name="Back to A Christmas Carol").click()
    rows = page.locator(".app-children tbody tr")
    assert rows.count() == 2
    for n in range(2):
        assert "Waiting for the parent" in rows.nth(n).inner_text()
    screenshot(page, "licensing-3-children")

    # Zoë's parent opens the emailed link (no account) and completes their part with a photo.
    token = re.search(r"/parent-part/([A-Za-z0-9_-]+)", outbox(server.app, PARENTS["Zoë"])[-1].body).group(1)
    parent = new_page(browser)
    try:
        parent.goto(f"{server.url}/parent-part/{token}")
        assert "Your part of Zoë's licence application" in parent.locator("h1").inner_text()
        parent.get_by_role("button", name="Send").click()
        assert "Confirm the declaration" in parent.locator(".govuk-error-summary").inner_text()
        screenshot(parent, "licensing-4-parent-errors")
        parent.get_by_label("I am the child's parent or carer").check()
        parent.get_by_label("Medical information (optional)").fill("Mild asthma: has an inhaler")
        parent.locator("input[type=file]").set_input_files(child_photo(tmp_path / "zoe.png"))
        screenshot(parent, "licensing-5-parent")
        parent.get_by_role("button", name="Send").click()
        assert "Your part is complete" in parent.locator(".govuk-panel").inner_text()
        screenshot(parent, "licensing-6-parent-done")
        assert parent.console_errors == [], parent.console_errors
    finally:
        parent.context.close()

    # The officer records the four checks and grants Zoë's licence.
    officer = new_page(browser)
    try:
        sign_in(officer, server.url, OFFICER)
        officer.get_by_role("link", name="Licences", exact=True).click()
        assert officer.get_by_role("link", name=alfie).is_visible()
        screenshot(officer, "licensing-7-queue")
        officer.get_by_role("link", name=zoe).click()
        assert officer.locator("img[alt='Photo of Zoë Example']").evaluate("img => img.naturalWidth") == 360
        for label in (
            "Education (attendance and welfare)",
            "Social care",
            "Early help",
            "The school's opinion",
        ):
            group = officer.get_by_role("group", name=f"{label}: outcome")
            group.get_by_label("No concerns").check()
            form = officer.locator("form", has=group)
            form.get_by_role("button").click()
            assert "no concerns recorded" in officer.locator(".govuk-notification-banner").inner_text()
        # Zoë misses three school days: the SPP approves how she will be taught.
        education = officer.get_by_role("group", name="Do you approve the education arrangements?")
        education.get_by_label("Yes, approve them").check()
        officer.get_by_label("Education arrangements: notes").fill("Tutor's plan seen: 3 hours a day")
        officer.get_by_role("button", name="Save the education decision").click()
        assert "Education arrangements approved" in officer.locator(".govuk-notification-banner").inner_text()
        assert (
            "Everything needed for a decision is here"
            in officer.locator(".govuk-inset-text").first.inner_text()
        )
        screenshot(officer, "licensing-8-officer-checks")
        officer.get_by_label("Grant the licence").check()
        officer.get_by_label("Extra conditions (optional)").fill("The child has a quiet room for lessons")
        officer.get_by_role("button", name="Save decision").click()
        banner = officer.locator(".govuk-notification-banner").inner_text()
        number = re.search(r"NCC-PL-\d{4}-\d{5}", banner).group(0)
        screenshot(officer, "licensing-9-granted")

        href = officer.get_by_role("link", name="The licence (PDF)").get_attribute("href")
        pdf = officer.request.get(server.url + href)
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")

        # The officer varies the licence: a later finish on the second day and one more condition.
        officer.get_by_role("link", name="Vary this licence").click()
        officer.get_by_label("Why are you varying the licence?").fill("The producer asked for a later finish")
        officer.get_by_label("The council's conditions (optional)").fill(
            "The child has a quiet room for lessons\nNo filming after 21:00"
        )
        second_day = officer.get_by_role("group", name=long_date(first_day + timedelta(days=1)))
        second_day.get_by_label("Leaves the place").fill("21:45")
        screenshot(officer, "licensing-9b-variation")
        officer.get_by_role("button", name="Vary the licence").click()
        assert f"{number} varied (version 2)" in officer.locator(".govuk-notification-banner").inner_text()
        href = officer.get_by_role("link", name="Licence version 2 (PDF)").get_attribute("href")
        assert officer.request.get(server.url + href).body().startswith(b"%PDF")
        screenshot(officer, "licensing-9c-varied")

        # Copies to the licence holder, the host authority and the parent, each with the licence attached.
        for address in (HOLDER_EMAIL, HOST_EMAIL, PARENTS["Zoë"]):
            sent = [m for m in outbox(server.app, address) if number in m.subject or number in m.body]
            assert sent and sent[-1].document_id, address
        officer.get_by_role("link", name="Emails").click()
        assert officer.get_by_text(number).first.is_visible()
        screenshot(officer, "licensing-10-outbox")
        assert officer.console_errors == [], officer.console_errors
    finally:
        officer.context.close()

    # The producer sees Zoë's licence granted and Alfie's still waiting for the parent.
    page.reload()
    rows = page.locator(".app-children tbody tr")
    assert "Granted" in rows.filter(has_text="Zoë Example").inner_text()
    assert "Waiting for the parent" in rows.filter(has_text="Alfie Sample").inner_text()
    page.get_by_role("link", name="Zoë Example").click()
    assert page.get_by_role("link", name="The licence (PDF)").is_visible()
    screenshot(page, "licensing-11-producer-granted")
    assert page.console_errors == [], page.console_errors
