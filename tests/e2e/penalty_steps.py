"""Steps of the school's request journey, shared by the browser tests that walk it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from shared import calendar
from tests.support.api import PASSWORD


def sign_in(page, url: str, email: str) -> None:
    page.goto(url + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def weekdays(start: date, end: date):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def long_date(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}"


class AbsenceRegister:
    """A whole week of unauthorised absence (10 sessions, code O) five weeks ago, present either side;
    the pupil came back the Monday after, so the request arrives more than 3 weeks after the return."""

    def __init__(self, today: date | None = None) -> None:
        today = today or calendar.today()
        self.absent_week = calendar.week_start(today) - timedelta(weeks=5)
        self.returned = self.absent_week + timedelta(days=7)
        self.days = list(
            weekdays(self.absent_week - timedelta(days=14), self.absent_week + timedelta(days=11))
        )
        self.absent = set(weekdays(self.absent_week, self.absent_week + timedelta(days=4)))

    def sessions(self) -> list[dict]:
        return [
            {"date": d, "session": s, "code": "O" if d in self.absent else "/"}
            for d in self.days
            for s in ("AM", "PM")
        ]

    def csv_lines(self) -> list[str]:
        return ["Date,Session,Code"] + [
            f"{r['date']:%d/%m/%Y},{r['session']},{r['code']}" for r in self.sessions()
        ]

    def write_csv(self, path: Path, lines: list[str] | None = None) -> Path:
        path.write_text("\r\n".join(lines or self.csv_lines()) + "\r\n", encoding="utf-8")
        return path


def answer_offence(page, label: str = "Unauthorised absence") -> None:
    page.get_by_label(label).check()
    page.get_by_role("button", name="Continue").click()


def answer_pupil(page) -> None:
    page.get_by_label("First name").fill("Zoë")
    page.get_by_label("Last name").fill("Example")
    page.get_by_label("Day", exact=True).fill("2")
    page.get_by_label("Month", exact=True).fill("5")
    page.get_by_label("Year", exact=True).fill("2014")
    page.get_by_label("Unique pupil number (UPN)").fill("A123456789012")
    page.get_by_label("Year group").fill("6")
    page.get_by_label("Home address").fill("1 Example Street\nMansfield NG18 1AA")


def answer_parent(page) -> None:
    page.get_by_label("Full name").fill("Sam Example")
    page.get_by_label("Relationship to the pupil").fill("mother")
    page.get_by_label("Address", exact=True).fill("1 Example Street\nMansfield NG18 1AA")
    page.get_by_label("Email address (optional)").fill("sam@example.org")


def answer_about(page, returned: date) -> None:
    group = page.get_by_role("group", name="When did the pupil return to school?")
    group.get_by_label("Day", exact=True).fill(str(returned.day))
    group.get_by_label("Month", exact=True).fill(str(returned.month))
    group.get_by_label("Year", exact=True).fill(str(returned.year))
    page.get_by_role("radio", name="No").check()
    page.get_by_label("The school followed the local code of conduct").check()


def add_school_user(app, urn: str = "122000", email: str = "school@example.org") -> None:
    from penalty_service.models import School
    from shared import db
    from tests.support.api import add_user

    with app.app_context(), db.transaction():
        db.session().add(
            School(
                urn=urn,
                name="Example Primary School",
                address="School Lane, Mansfield",
                email="office@example.org",
            )
        )
    add_user(app, email, "school", school_urn=urn)
