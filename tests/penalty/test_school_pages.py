"""Schools' pages through the test client: the request journey page by page, its errors, and the lists."""

from __future__ import annotations

import html as html_module
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from penalty_service.services import register_csv
from tests.penalty.builders import OTHER_URN, PenaltyWorld, absent_days, register, weekdays
from tests.support.api import PASSWORD, add_user

NEW = "/school/requests/new"
LONDON = ZoneInfo("Europe/London")
# Five whole days absent in the week of 12 January 2026: 10 unauthorised sessions.
TEN = register(
    date(2026, 1, 5), date(2026, 1, 23), absent_days(*weekdays(date(2026, 1, 12), date(2026, 1, 16)))
)
NINE = register(
    date(2026, 1, 5),
    date(2026, 1, 23),
    absent_days(*weekdays(date(2026, 1, 12), date(2026, 1, 15))) | {(date(2026, 1, 16), "AM")},
)


def csv_bytes(rows: list[dict], uk_dates: bool = False, header: str = "date,session,code") -> bytes:
    def shown(iso: str) -> str:
        return date.fromisoformat(iso).strftime("%d/%m/%Y") if uk_dates else iso

    lines = [header] if header else []
    lines += [f"{shown(r['date'])},{r['session']},{r['code']}" for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def frozen():
    """Monday 26 January 2026: a week after the pupil went back, so no late-request warning."""
    with time_machine.travel(datetime(2026, 1, 26, 10, 0, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(penalty_app, frozen) -> PenaltyWorld:
    return PenaltyWorld(penalty_app)


class Browser:
    """A signed-in test client that reads the CSRF token and the pages' errors."""

    def __init__(self, app, email: str):
        self.client = app.test_client()
        self.client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie is Secure
        html = self.client.get("/sign-in").get_data(as_text=True)
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        response = self.client.post(
            "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": self.token}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        # Signing in starts a new session, so the form token comes from a page seen after it.
        html = self.client.get("/").get_data(as_text=True)
        self.token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def get(self, path: str):
        return self.client.get(path)

    def post(self, path: str, data: dict | None = None, **kwargs):
        return self.client.post(path, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def upload(self, content: bytes, filename: str = "register.csv"):
        return self.post(
            f"{NEW}/attendance",
            {"register_file": (io.BytesIO(content), filename)},
            content_type="multipart/form-data",
        )


def text(response) -> str:
    return response.get_data(as_text=True)


def summary_errors(response) -> list[tuple[str, str]]:
    """The error summary's (href, message) pairs."""
    html = text(response)
    block = re.search(r'<div class="govuk-error-summary__body">(.*?)</div>', html, re.S)
    assert block, "no error summary on the page"
    links = re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', block.group(1), re.S)
    return [(h, html_module.unescape(re.sub(r"\s+", " ", m).strip())) for h, m in links]


def unescaped(response) -> str:
    return html_module.unescape(text(response))


PUPIL = {
    "first_name": "Zoë",
    "last_name": "Example",
    "date_of_birth": ["2", "5", "2014"],
    "upn": "a123456789012",
    "year_group": "6",
    "address": "1 Example Street\r\nMansfield NG18 1AA",
}
PARENT = {
    "name": "Sam Example",
    "relationship": "mother",
    "address": "1 Example Street, Mansfield",
    "email": "",
}
ABOUT = {
    "returned_on": ["19", "1", "2026"],
    "nti": "no",
    "nti_issued_on": ["", "", ""],
    "nti_ends_on": ["", "", ""],
    "code_of_conduct": "y",
}


def answer_all(browser: Browser, rows: list[dict] = TEN, offence: str = "unauthorised_absence", about=None):
    """Every question answered correctly, ending on "Check your answers"."""
    assert browser.post(f"{NEW}/offence", {"offence": offence}).status_code == 302
    assert browser.post(f"{NEW}/pupil", PUPIL).status_code == 302
    assert browser.post(f"{NEW}/parents/0", PARENT).status_code == 302
    assert browser.post(f"{NEW}/parents", {"another": "no"}).status_code == 302
    assert browser.upload(csv_bytes(rows)).status_code == 302
    response = browser.post(f"{NEW}/return-to-school", about or ABOUT)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{NEW}/check")


@pytest.fixture
def school(world) -> Browser:
    return Browser(world.app, "school@example.org")


def test_the_whole_request_page_by_page(world, school):
    start = school.get(NEW)
    assert start.status_code == 200 and "Start now" in text(start) and "Example Primary School" in text(start)
    # The service navigation offers schools their pages.
    assert "Your requests" in text(start) and "Request a notice" in text(start)

    # 1. Offence: nothing chosen, then unauthorised absence.
    page = school.get(f"{NEW}/offence")
    assert "What is the offence?" in text(page) and "Leave of absence in term time" in text(page)
    assert 'href="/school/requests/new"' in text(page)  # back link
    response = school.post(f"{NEW}/offence", {})
    assert response.status_code == 400
    assert summary_errors(response) == [("#offence", "Select the offence")]
    assert "<title>Error: " in text(response)
    response = school.post(f"{NEW}/offence", {"offence": "unauthorised_absence"})
    assert response.headers["Location"].endswith(f"{NEW}/pupil")

    # 2. Pupil: a missing UPN and a date of birth without a month, then the right answers.
    response = school.post(f"{NEW}/pupil", {**PUPIL, "upn": "", "date_of_birth": ["2", "", "2014"]})
    assert response.status_code == 400
    assert summary_errors(response) == [
        ("#date_of_birth-month", "Date of birth must include a month"),
        ("#upn", "Enter the pupil's UPN"),
    ]
    assert 'value="Zoë"' in text(response)  # answers kept
    response = school.post(f"{NEW}/pupil", {**PUPIL, "upn": "12345"})
    assert ("#upn", "Enter a UPN in the correct format, like A123456789012") in summary_errors(response)
    response = school.post(f"{NEW}/pupil", {**PUPIL, "date_of_birth": ["31", "2", "2014"]})
    assert summary_errors(response) == [("#date_of_birth-day", "Date of birth must be a real date")]
    response = school.post(f"{NEW}/pupil", PUPIL)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{NEW}/parents")

    # 3. Parents: the loop of "add another parent".
    response = school.get(f"{NEW}/parents")
    assert response.headers["Location"].endswith(f"{NEW}/parents/0")
    response = school.post(f"{NEW}/parents/0", {**PARENT, "name": "", "email": "not an email"})
    assert summary_errors(response) == [
        ("#name", "Enter the parent's full name"),
        ("#email", "Enter an email address in the correct format, like name@example.com"),
    ]
    assert school.post(f"{NEW}/parents/0", PARENT).headers["Location"].endswith(f"{NEW}/parents")
    added = school.get(f"{NEW}/parents")
    assert "You have added 1 parent" in text(added) and "Sam Example" in text(added)
    response = school.post(f"{NEW}/parents", {})
    assert summary_errors(response) == [("#another", "Select yes if you need to add another parent")]
    response = school.post(f"{NEW}/parents", {"another": "yes"})
    assert response.headers["Location"].endswith(f"{NEW}/parents/1")
    response = school.post(f"{NEW}/parents/1", {**PARENT, "name": "  sam   EXAMPLE "})
    assert summary_errors(response) == [("#name", "You have already added Sam Example")]
    second = {
        "name": "Alex Example",
        "relationship": "father",
        "address": "9 Other Road",
        "email": "a@example.org",
    }
    assert school.post(f"{NEW}/parents/1", second).status_code == 302
    assert "You have added 2 parents" in text(school.get(f"{NEW}/parents"))
    response = school.post(f"{NEW}/parents", {"another": "no"})
    assert response.headers["Location"].endswith(f"{NEW}/attendance")

    # 4. Attendance: a bad code, then a good CSV file with UK dates; the threshold shows at once.
    page = school.get(f"{NEW}/attendance")
    assert 'enctype="multipart/form-data"' in text(page)
    assert '<script type="module" src="/assets/threshold.mjs"></script>' in text(page)
    bad = [dict(r) for r in TEN]
    bad[1]["code"] = "A"
    response = school.upload(csv_bytes(bad))
    assert response.status_code == 400
    assert summary_errors(response) == [("#register_file", "Row 3: 'A' is not a DfE attendance code")]
    assert (
        "Row 3: &#39;A&#39; is not a DfE attendance code" in text(response).split("govuk-error-summary")[-1]
    )
    response = school.upload(csv_bytes(TEN, uk_dates=True), filename="SIMS export.CSV")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{NEW}/attendance/result")
    result = unescaped(school.get(response.headers["Location"]))
    assert "The attendance threshold is met" in result
    assert (
        "10 unauthorised sessions counted within 10 school weeks: "
        "the threshold is met on Friday 16 January 2026 (PM)"
    ) in result
    assert "Uploaded file SIMS export.CSV" in result and "30" in result

    # 5. Return to school, notice to improve, code of conduct.
    response = school.post(
        f"{NEW}/return-to-school",
        {**ABOUT, "nti": "yes", "nti_issued_on": ["1", "12", "2025"], "code_of_conduct": ""},
    )
    assert summary_errors(response) == [
        ("#nti_ends_on-day", "Enter the date the improvement period ends"),
        ("#code_of_conduct", "Confirm the school followed the code of conduct for penalty notices"),
    ]
    response = school.post(
        f"{NEW}/return-to-school",
        {**ABOUT, "nti": "yes", "nti_issued_on": ["1", "12", "2025"], "nti_ends_on": ["30", "11", "2025"]},
    )
    assert summary_errors(response) == [
        ("#nti_ends_on-day", "The improvement period must end after the notice to improve was issued")
    ]
    response = school.post(
        f"{NEW}/return-to-school",
        {**ABOUT, "nti": "yes", "nti_issued_on": ["1", "12", "2025"], "nti_ends_on": ["15", "12", "2025"]},
    )
    assert response.headers["Location"].endswith(f"{NEW}/check")

    # 6. Check your answers, with a Change link back to each page.
    check = unescaped(school.get(f"{NEW}/check"))
    for expected in (
        "Check your answers before sending your request",
        "Unauthorised absence",
        "Zoë Example",
        "2 May 2014",
        "A123456789012",
        "1 Example Street<br>Mansfield NG18 1AA",
        "Sam Example",
        "Alex Example",
        "a@example.org",
        "30 sessions, 5 January 2026 to 23 January 2026",
        "the threshold is met on Friday 16 January 2026 (PM)",
        "19 January 2026",
        "Issued 1 December 2025, improvement period ends 15 December 2025",
    ):
        assert expected in check, expected
    for link in ("offence", "pupil", "parents/0", "parents/1", "attendance"):
        assert f'href="/school/requests/new/{link}?return=check"' in check, link
    assert 'href="/school/requests/new/return-to-school"' in check
    assert "returned to school on" not in check  # sent within 3 weeks: no warning

    # 7. Send: the confirmation panel with the reference and the decision date.
    response = school.post(f"{NEW}/check")
    assert response.status_code == 302
    sent = school.get(response.headers["Location"])
    html = unescaped(sent)
    assert "govuk-panel--confirmation" in html and "Request sent" in html
    reference = re.search(r"Your reference number<br><strong>(PNR-2026-\d{6})</strong>", html).group(1)
    assert "The council will decide by Monday 9 February 2026" in html  # 10 working days after 26 January

    # The answers are gone from the session; the request is stored as the API would store it.
    assert school.get(f"{NEW}/check").headers["Location"].endswith(f"{NEW}/offence")
    stored = world.get("/api/v1/penalty-requests", world.officer).get_json()["items"]
    assert [r["reference"] for r in stored] == [reference]
    assert stored[0]["pupil"]["upn"] == "A123456789012"
    assert [p["name"] for p in stored[0]["parents"]] == ["Sam Example", "Alex Example"]
    assert stored[0]["threshold"]["met_on"] == {"date": "2026-01-16", "session": "PM"}


def test_change_links_come_back_to_check_your_answers(school):
    answer_all(school)
    page = text(school.get(f"{NEW}/pupil?return=check"))
    assert '<a href="/school/requests/new/check" class="govuk-back-link"' in page
    response = school.post(f"{NEW}/pupil?return=check", {**PUPIL, "first_name": "Zara"})
    assert response.headers["Location"].endswith(f"{NEW}/check")
    assert "Zara Example" in text(school.get(f"{NEW}/check"))
    response = school.post(f"{NEW}/offence?return=check", {"offence": "leave_of_absence"})
    assert response.headers["Location"].endswith(f"{NEW}/check")
    assert "Leave of absence in term time" in text(school.get(f"{NEW}/check"))
    # A new register goes by its threshold result, then back to the answers.
    response = school.post(
        f"{NEW}/attendance?return=check",
        {"register_file": (io.BytesIO(csv_bytes(TEN)), "r.csv")},
        content_type="multipart/form-data",
    )
    assert response.headers["Location"].endswith(f"{NEW}/attendance/result?return=check")
    assert 'href="/school/requests/new/check"' in text(school.get(response.headers["Location"]))
    # Removing a parent asks first; the last parent cannot leave the request without one.
    response = school.post(f"{NEW}/parents/0/remove?return=check", {})
    assert summary_errors(response) == [("#remove", "Select yes if you want to remove this parent")]
    response = school.post(f"{NEW}/parents/0/remove?return=check", {"remove": "yes"})
    assert response.headers["Location"].endswith(f"{NEW}/parents/0?return=check")
    assert school.get(f"{NEW}/check").headers["Location"].endswith(f"{NEW}/parents")


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
            "register.csv",
            "The selected file must be a CSV file",
        ),
        (b"PK\x03\x04\x14\x00\x06\x00", "register.csv", "The selected file must be a CSV file"),
        (
            "date,session,code\n2026-01-12,AM,O\nÉcole,AM,/\n".encode("cp1252"),
            "register.csv",
            "The selected file must be saved as UTF-8: in Excel, save it as ‘CSV UTF-8’",
        ),
        (
            csv_bytes(TEN[:4], header=""),
            "register.csv",
            "The first row of the file must be the column headings: date, session, code",
        ),
        (
            csv_bytes(TEN[:4], header="day,am_pm,mark"),
            "register.csv",
            "The selected file must have columns headed date, session and code",
        ),
        (
            csv_bytes(TEN[:4], header="date,session,mark"),
            "register.csv",
            "The selected file must have columns headed date, session and code (no column is headed code)",
        ),
        (b"", "", "Upload the attendance register or enter the sessions"),
        (b"", "register.csv", "The selected file is empty"),
        (b"   \r\n", "register.csv", "The selected file is empty"),
        (
            b"date,session,code\r\n",
            "register.csv",
            "The selected file has no sessions: add a row for each session",
        ),
        (
            b"date,session,code\n2026-01-12,AM,O\n2026-13-01,PM,O\n2026-01-17,AM,O\n",
            "register.csv",
            None,
        ),
    ],
)
def test_a_register_file_is_judged_by_its_content(school, content, filename, message):
    school.post(f"{NEW}/offence", {"offence": "unauthorised_absence"})
    school.post(f"{NEW}/pupil", PUPIL)
    school.post(f"{NEW}/parents/0", PARENT)
    response = school.upload(content, filename)
    assert response.status_code == 400
    errors = [m for _, m in summary_errors(response)]
    if message is None:  # a file with several bad rows: each named by its row
        assert errors == [
            "Row 3: '2026-13-01' is not a real date: use YYYY-MM-DD or DD/MM/YYYY",
            "Row 4: Saturday 17 January 2026 is at a weekend: schools do not hold sessions at weekends",
        ]
    else:
        assert errors == [message]
    assert {href for href, _ in summary_errors(response)} == {"#register_file"}


def test_sessions_can_be_typed_and_bad_lines_are_named(school):
    school.post(f"{NEW}/offence", {"offence": "unauthorised_absence"})
    school.post(f"{NEW}/pupil", PUPIL)
    school.post(f"{NEW}/parents/0", PARENT)
    response = school.post(
        f"{NEW}/attendance", {"register_rows": "12/01/2026,AM,O\n12/01/2026,XX,O\n13/01/2026 AM O"}
    )
    assert summary_errors(response) == [
        ("#register_rows", "Line 3: enter the date, session and code separated by commas"),
    ]
    response = school.post(f"{NEW}/attendance", {"register_rows": "12/01/2026,AM,O\n12/01/2026,XX,O"})
    assert summary_errors(response) == [("#register_rows", "Line 2: session must be AM or PM")]
    rows = "date,session,code\n" + "\n".join(f"{r['date']}\t{r['session']}\t{r['code']}" for r in TEN)
    response = school.post(f"{NEW}/attendance", {"register_rows": rows})
    assert response.status_code == 302
    assert "the threshold is met on Friday 16 January 2026 (PM)" in text(
        school.get(response.headers["Location"])
    )
    # The box shows the register kept, ready to change.
    assert "2026-01-05,AM,/" in text(school.get(f"{NEW}/attendance"))


def test_threshold_not_met_is_shown_with_the_counts_and_refused_on_sending(world, school):
    answer_all(school, rows=NINE)
    result = unescaped(school.get(f"{NEW}/attendance/result"))
    assert "The attendance threshold is not met" in result
    assert (
        "9 unauthorised sessions counted within 10 school weeks: the threshold of 10 sessions is not met"
        in result
    )
    check = unescaped(school.get(f"{NEW}/check"))
    assert "the threshold of 10 sessions is not met" in check
    response = school.post(f"{NEW}/check")
    assert response.status_code == 400
    assert summary_errors(response) == [
        (
            "#attendance",
            "The attendance threshold is not met: "
            "9 unauthorised sessions counted within 10 school weeks; 10 are needed",
        )
    ]
    assert world.get("/api/v1/penalty-requests", world.officer).get_json()["total"] == 0
    # The answers are kept, so the school can change the register and send again.
    assert school.upload(csv_bytes(TEN)).status_code == 302
    assert school.post(f"{NEW}/check").status_code == 302


def test_an_excluded_pupil_needs_no_threshold(world, school):
    answer_all(school, rows=NINE, offence="excluded_pupil_in_public_place")
    result = text(school.get(f"{NEW}/attendance/result"))
    assert "does not apply to an excluded pupil" in result
    assert school.post(f"{NEW}/check").status_code == 302


def test_a_late_request_is_warned_about_but_still_sent(world, frozen):
    frozen.move_to(datetime(2026, 2, 20, 10, 0, tzinfo=LONDON))
    school = Browser(world.app, "school@example.org")
    answer_all(school)
    warning = "The pupil returned to school on Monday 19 January 2026, 32 days ago."
    assert warning in unescaped(school.get(f"{NEW}/attendance/result"))
    assert warning in unescaped(school.get(f"{NEW}/check"))
    sent = unescaped(school.get(school.post(f"{NEW}/check").headers["Location"]))
    assert "The request arrived 32 days after the pupil returned to school" in sent
    assert "govuk-warning-text" in sent


def test_questions_cannot_be_skipped(school):
    assert school.get(f"{NEW}/check").headers["Location"].endswith(f"{NEW}/offence")
    assert school.get(f"{NEW}/attendance").headers["Location"].endswith(f"{NEW}/offence")
    school.post(f"{NEW}/offence", {"offence": "leave_of_absence"})
    assert school.get(f"{NEW}/return-to-school").headers["Location"].endswith(f"{NEW}/pupil")
    assert school.get(f"{NEW}/parents/4").headers["Location"].endswith(f"{NEW}/pupil")
    # A request in progress is offered again from the start page, or thrown away.
    start = text(school.get(NEW))
    assert "Continue your request" in start and "Start a new request" in start
    assert school.post(NEW).headers["Location"].endswith(f"{NEW}/offence")
    assert "Start now" in text(school.get(NEW))


def test_a_forged_or_odd_form_is_an_error_not_a_crash(school):
    assert school.post(f"{NEW}/offence", {"offence": "holiday"}).status_code == 400
    school.post(f"{NEW}/offence", {"offence": "leave_of_absence"})
    for dob in (["99999999999", "1", "2014"], ["x", "1", "2014"], ["1", "1", "14"], ["1", "1"]):
        response = school.post(f"{NEW}/pupil", {**PUPIL, "date_of_birth": dob})
        assert response.status_code == 400, dob
    response = school.post(f"{NEW}/pupil", {k: v for k, v in PUPIL.items() if k != "date_of_birth"})
    assert summary_errors(response) == [("#date_of_birth-day", "Enter the pupil's date of birth")]
    response = school.post(f"{NEW}/pupil", {**PUPIL, "date_of_birth": ["1", "1", "2030"]})
    assert summary_errors(response) == [("#date_of_birth-day", "Date of birth must be in the past")]
    # No CSRF token: refused.
    assert school.client.post(f"{NEW}/offence", data={"offence": "leave_of_absence"}).status_code == 400


def test_a_long_register_fits_between_pages(school):
    rows = register(
        date(2025, 9, 1), date(2026, 7, 17), absent_days(*weekdays(date(2026, 1, 12), date(2026, 1, 16)))
    )
    assert 400 < len(rows) <= 800
    school.post(f"{NEW}/offence", {"offence": "unauthorised_absence"})
    school.post(f"{NEW}/pupil", PUPIL)
    school.post(f"{NEW}/parents/0", PARENT)
    assert school.upload(csv_bytes(rows)).status_code == 302
    assert f"{len(rows)}" in text(school.get(f"{NEW}/attendance/result"))
    too_many = register(date(2024, 9, 2), date(2026, 7, 17))
    response = school.upload(csv_bytes(too_many))
    assert summary_errors(response) == [
        (
            "#register_file",
            f"The register has {len(too_many)} sessions: send at most 800 (about 2 school years)",
        )
    ]


def test_another_schools_request_is_not_found(world, school):
    theirs = world.request(headers=world.other_school, urn=OTHER_URN)
    assert school.get(f"/school/requests/{theirs['id']}").status_code == 404
    assert school.get(f"/school/requests/{theirs['id']}/sent").status_code == 404
    assert school.get("/school/requests/99999999999").status_code == 404


def test_the_list_shows_only_the_schools_own_requests_with_their_outcomes(world, school):
    mine = world.request(headers=world.school)
    theirs = world.request(headers=world.other_school, urn=OTHER_URN)
    listed = text(school.get("/school/requests"))
    assert mine["reference"] in listed and theirs["reference"] not in listed
    assert "Received" in listed and "9 February 2026" in listed

    decision = world.decide(mine["id"], issue_date="2026-01-26", posted_on="2026-01-26")
    notice = decision["notices"][0]
    page = unescaped(school.get(f"/school/requests/{mine['id']}"))
    assert notice["notice_number"] in page and "Sam Example" in page
    assert "Issued" in page and "24 February 2026" in page  # final payment day
    assert "Notices issued" in text(school.get("/school/requests"))
    assert "the threshold is met on Friday 16 January 2026 (PM)" in page


def test_the_list_is_paged_twenty_five_at_a_time(world, school):
    for n in range(26):
        world.request(headers=world.school, upn=f"A1234567890{n:02d}")
    first = text(school.get("/school/requests"))
    assert first.count('<tr class="govuk-table__row">') == 26  # the heading and 25 requests
    assert "govuk-pagination" in first and "?page=2" in first
    second = text(school.get("/school/requests?page=2"))
    assert second.count('<tr class="govuk-table__row">') == 2
    for odd in ("999999999999999999999", "-3", "abc", "0"):
        assert school.get(f"/school/requests?page={odd}").status_code == 200


def test_officers_see_every_schools_requests_but_do_not_fill_in_the_form(world):
    world.request(headers=world.school)
    world.request(headers=world.other_school, urn=OTHER_URN)
    officer = Browser(world.app, "officer@example.org")
    listed = text(officer.get("/school/requests"))
    assert "Example Primary School" in listed and "Other Academy" in listed
    assert officer.get(f"{NEW}/offence").status_code == 403


def test_a_school_not_yet_registered_is_told_before_starting(world):
    add_user(world.app, "new@example.org", "school", school_urn="199999")
    browser = Browser(world.app, "new@example.org")
    page = text(browser.get(NEW))
    assert "not registered with this service" in page and "Start now" not in page


def test_signed_out_visitors_are_sent_to_sign_in(penalty_app):
    client = penalty_app.test_client()
    for path in ("/school/requests", f"{NEW}/offence", "/school/requests/1"):
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


# The register reader on its own ---------------------------------------------------------------------


def test_register_csv_reads_what_school_systems_export():
    exported = (
        "\ufeffUPN;Date;Session;Code;Notes\r\n"
        "A123456789012;12/01/2026;am;n;\r\n"
        "A123456789012;12/01/2026;PM;c1;ill\r\n"
        "\r\n"
    ).encode()
    parsed = register_csv.from_csv(exported)
    assert parsed.ok, parsed.errors
    assert parsed.sessions == [
        {"date": date(2026, 1, 12), "session": "AM", "code": "N"},
        {"date": date(2026, 1, 12), "session": "PM", "code": "C1"},
    ]


def test_register_csv_pack_round_trip():
    sessions = [
        {"date": date.fromisoformat(r["date"]), "session": r["session"], "code": r["code"]} for r in TEN
    ] + [{"date": date(2026, 2, 2), "session": "AM", "code": "\\"}]
    packed = register_csv.pack(sessions)
    assert register_csv.unpack(packed) == sessions
    assert len(packed) < 4 * len(sessions) + 12
    assert register_csv.unpack("nonsense") == [] and register_csv.unpack("2026-01-05;xx") == []


def test_a_file_over_two_megabytes_is_refused(school):
    school.post(f"{NEW}/offence", {"offence": "unauthorised_absence"})
    school.post(f"{NEW}/pupil", PUPIL)
    school.post(f"{NEW}/parents/0", PARENT)
    big = b"date,session,code\n" + b"2026-01-12,AM,/\n" * (register_csv.MAX_FILE_BYTES // 16 + 1)
    response = school.upload(big)
    assert summary_errors(response) == [("#register_file", "The selected file must be smaller than 2MB")]


def test_the_threshold_script_is_served_as_a_module(penalty_app):
    response = penalty_app.test_client().get("/assets/threshold.mjs")
    assert response.status_code == 200 and "javascript" in response.headers["Content-Type"]
    assert "/api/v1/attendance/threshold-check" in response.get_data(as_text=True)


def _copy_form(client, **overrides):
    from werkzeug.datastructures import MultiDict

    from tests.support.pages import csrf_token

    html = client.get("/school/notices/copy").get_data(as_text=True)
    fields = {
        "notice_number": "EPS-2026-7",
        "offence": "leave_of_absence",
        "first_name": "Zoë",
        "last_name": "Example",
        "upn": "a123456789012",
        "parent_name": "Sam Example",
        "parent_address": "1 Example Street, Mansfield",
        **{k: v for k, v in overrides.items() if isinstance(v, str)},
    }
    data = MultiDict([("csrf_token", csrf_token(html)), *fields.items()])
    dates = {
        "date_of_birth": ("2", "5", "2014"),
        "issue_date": ("2", "3", "2026"),
        "posted_on": ("", "", ""),
        "first_absence_on": ("9", "2", "2026"),
        "last_absence_on": ("13", "2", "2026"),
    }
    for name, parts in dates.items():
        for part in overrides.get(name, parts):
            data.add(name, part)
    return client.post("/school/notices/copy", data=data)


def test_school_sends_a_copy_of_its_own_notice_and_a_late_one_is_flagged(penalty_app):
    import time_machine

    from tests.penalty.builders import PenaltyWorld
    from tests.support.pages import signed_in_client

    PenaltyWorld(penalty_app)
    # Sessions are signed with the time, so each day's visit signs in on that day.
    with time_machine.travel("2026-03-09 10:00 +0000"):  # 7 days after issue: on time
        on_time = _copy_form(signed_in_client(penalty_app, "school@example.org"))
    assert on_time.status_code == 200
    html = on_time.get_data(as_text=True)
    assert "EPS-2026-7" in html and "more than one week" not in html
    with time_machine.travel("2026-03-10 10:00 +0000"):  # 8 days: late
        client = signed_in_client(penalty_app, "school@example.org")
        late = _copy_form(client, notice_number="EPS-2026-8")
        again = _copy_form(client, notice_number="EPS-2026-8")
        bad = _copy_form(client, notice_number="", last_absence_on=("1", "2", "2026"), upn="12")
    assert "more than one week" in late.get_data(as_text=True)
    assert again.status_code == 400 and "already" in again.get_data(as_text=True)
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Enter the notice number" in body and "on or after the first" in body and "UPN" in body
