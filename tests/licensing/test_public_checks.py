"""The public checks through the API (schedule check, licence requirement) and the "Do I need a
licence?" page: answers, field-level 422s, no sign-in, never a 500."""

from __future__ import annotations

import html
import re

import pytest

from tests.support.api import add_user
from tests.support.pages import csrf_token, signed_in_client

CHECK = "/api/v1/performance-schedules/check"
REQUIREMENT = "/api/v1/licence-requirement"
PAGE = "/licence-requirement"


def day(on: str, arrive="09:00", leave="17:00", performing=None, kind="performance") -> dict:
    performing = [{"start": "10:00", "end": "11:30"}] if performing is None else performing
    return {"date": on, "kind": kind, "arrive": arrive, "leave": leave, "performing": performing}


def schedule(*days: dict, **extra) -> dict:
    return {
        "date_of_birth": "2016-03-01",
        "days": list(days) or [day("2026-06-06")],
        "chaperone": {"approval_number": "CH-2025-000123", "children_in_care": 4},
        **extra,
    }


@pytest.fixture
def client(licensing_app):
    return licensing_app.test_client()


# The schedule check -------------------------------------------------------------------------------------


def test_a_schedule_within_the_limits_has_no_findings(client):
    response = client.post(CHECK, json=schedule(day("2026-06-06"), day("2026-06-07")))
    assert response.status_code == 200
    assert response.get_json() == {"breaches": [], "warnings": []}


def test_breaches_and_warnings_in_the_contract_shape(client):
    body = schedule(
        day("2026-06-06", "08:00", "17:45"),
        chaperone={"approval_number": "CH-2025-000123", "children_in_care": 9},
    )
    result = client.post(CHECK, json=body).get_json()
    assert result["breaches"] == [
        {
            "code": "max_time_at_place",
            "date": "2026-06-06",
            "message": "On Saturday 6 June 2026 the child would be at the place for 9 hours 45 minutes; the "
            "limit at age 10 is 9 hours 30 minutes.",
        }
    ]
    assert [(w["code"], w["date"]) for w in result["warnings"]] == [("chaperone_ratio", None)]


def test_chaperone_numbers_come_from_the_council_settings(make_app):
    client = make_app("licensing", CHAPERONE_RECOMMENDED_MAX=5, CHAPERONE_MAX_CHILDREN=6).test_client()
    six = client.post(CHECK, json=schedule(chaperone={"approval_number": "CH-1", "children_in_care": 6}))
    assert [w["code"] for w in six.get_json()["warnings"]] == ["chaperone_ratio"]
    seven = client.post(CHECK, json=schedule(chaperone={"approval_number": "CH-1", "children_in_care": 7}))
    assert [b["code"] for b in seven.get_json()["breaches"]] == ["chaperone_ratio"]


def test_night_work_after_midnight_and_education(client):
    body = schedule(
        day("2026-06-05", "18:00", "00:30", [{"start": "23:00", "end": "00:15"}]),
        day("2026-06-06", "13:00", "17:00", [{"start": "14:00", "end": "15:00"}]),
        night_work=True,
        chaperone={"is_parent": True},
        education={
            "school_days_missed": 1,
            "tutor": {"name": "Tess Tutor", "hours_per_day": "2.5", "pupils": 2},
        },
    )
    result = client.post(CHECK, json=body).get_json()
    assert [(b["code"], b["date"]) for b in result["breaches"]] == [
        ("tutor_hours", "2026-06-05"),  # 2 h 30 in the week: not 3 h on the day, nor 6 h a week
        ("tutor_hours", "2026-06-05"),  # the 4 weeks: 2 h 30 where 3 h are needed
        ("night_work_rest", "2026-06-06"),  # 00:15 to 14:00 is 13 h 45
    ]
    assert result["warnings"] == []


def test_no_chaperone_named_is_a_breach(client):
    result = client.post(CHECK, json=schedule(chaperone=None)).get_json()
    assert [(b["code"], b["date"]) for b in result["breaches"]] == [("chaperone_approval", None)]
    neither = client.post(CHECK, json=schedule(chaperone={"is_parent": False})).get_json()
    assert [b["code"] for b in neither["breaches"]] == ["chaperone_approval"]


def test_no_sign_in_needed_and_a_token_is_not_required_to_be_valid(client):
    response = client.post(CHECK, json=schedule(), headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"days": [day("2026-06-06", arrive="25:00")]}, "days.0.arrive", id="hour 25"),
        pytest.param({"days": [day("2026-06-06", arrive="9:00")]}, "days.0.arrive", id="not HH:MM"),
        pytest.param({"days": [day("2026-06-06", leave="09:60")]}, "days.0.leave", id="minute 60"),
        pytest.param({"days": [day("2026-02-30")]}, "days.0.date", id="30 February"),
        pytest.param({"days": [day("2026-06-06", leave="09:00")]}, "days.0.leave", id="leaves on arrival"),
        pytest.param({"days": [day("2026-06-06", kind="show")]}, "days.0.kind", id="kind"),
        pytest.param(
            {"days": [day("2026-06-06", performing=[{"start": "08:00", "end": "10:00"}])]},
            "days.0.performing.0",
            id="performing before arriving",
        ),
        pytest.param(
            {"days": [day("2026-06-06", performing=[{"start": "16:00", "end": "17:01"}])]},
            "days.0.performing.0",
            id="performing after leaving",
        ),
        pytest.param(
            {"days": [day("2026-06-06", performing=[{"start": "10:00", "end": "10:00"}])]},
            "days.0.performing.0.end",
            id="no time performing",
        ),
        pytest.param(
            {
                "days": [
                    day(
                        "2026-06-06",
                        performing=[{"start": "10:00", "end": "11:00"}, {"start": "10:30", "end": "11:30"}],
                    )
                ]
            },
            "days.0.performing.1",
            id="overlapping",
        ),
        pytest.param(
            {
                "days": [
                    day(
                        "2026-06-06",
                        performing=[{"start": f"{h:02d}:00", "end": f"{h:02d}:30"} for h in range(9, 20)],
                    )
                ]
            },
            "days.0.performing",
            id="11 stretches",
        ),
        pytest.param(
            {"days": [day("2026-06-06"), day("2026-06-06")]}, "days.1.date", id="the same date twice"
        ),
        pytest.param({"days": [day("2016-02-29")]}, "days.0.date", id="before the date of birth"),
        pytest.param({"days": []}, "days", id="no days"),
        pytest.param({"days": [day("2026-01-01")] * 367}, "days", id="367 days"),
        pytest.param({"date_of_birth": "1899-12-31"}, "date_of_birth", id="born before 1900"),
        pytest.param({"date_of_birth": None}, "date_of_birth", id="no date of birth"),
        pytest.param({"night_work": "perhaps"}, "night_work", id="night work not a boolean"),
        pytest.param(
            {"chaperone": {"approval_number": "CH-1", "is_parent": True}},
            "chaperone.approval_number",
            id="both a chaperone and a parent",
        ),
        pytest.param(
            {"chaperone": {"approval_number": "CH-1", "children_in_care": 0}},
            "chaperone.children_in_care",
            id="no children",
        ),
        pytest.param(
            {"chaperone": {"approval_number": "CH-1", "children_in_care": "4"}},
            "chaperone.children_in_care",
            id="children as text",
        ),
        pytest.param(
            {
                "education": {
                    "school_days_missed": 1,
                    "tutor": {"name": "T", "hours_per_day": 25, "pupils": 1},
                }
            },
            "education.tutor.hours_per_day",
            id="25 hours a day",
        ),
        pytest.param(
            {
                "education": {
                    "school_days_missed": 1,
                    "tutor": {"name": "T", "hours_per_day": "NaN", "pupils": 1},
                }
            },
            "education.tutor.hours_per_day",
            id="NaN hours",
        ),
        pytest.param(
            {"education": {"school_days_missed": -1}}, "education.school_days_missed", id="negative"
        ),
        pytest.param({"surprise": 1}, "surprise", id="unknown field"),
        pytest.param({"chaperone": {"approval_number": "CH\x00"}}, "chaperone.approval_number", id="NUL"),
    ],
)
def test_impossible_schedules_are_422_with_the_field(client, change, field):
    response = client.post(CHECK, json={**schedule(), **change})
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"], response.get_json()["errors"]


def test_leaving_after_midnight_is_allowed(client):
    body = schedule(
        day("2026-06-06", "18:00", "00:30", [{"start": "23:30", "end": "00:15"}]), night_work=True
    )
    assert client.post(CHECK, json=body).get_json() == {"breaches": [], "warnings": []}


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "days",
        {"date_of_birth": "2016-03-01", "days": "every day"},
        {"date_of_birth": "2016-03-01", "days": [None]},
        {"date_of_birth": "2016-03-01", "days": [{"date": 20260606}]},
        {"date_of_birth": "9999-12-31", "days": [day("9999-12-31")]},
        {"date_of_birth": "2016-03-01", "days": [day("2026-06-06", performing=[None, 5])]},
        {"date_of_birth": "2016-03-01", "days": [day("2026-06-06", arrive=900)]},
        {
            "date_of_birth": "2016-03-01",
            "days": [day("2026-06-06")],
            "education": {"school_days_missed": 10**30},
        },
        {"date_of_birth": "2016-03-01", "days": [day("2026-06-06")], "chaperone": []},
    ],
)
def test_odd_bodies_are_refused_never_500(client, body):
    response = client.post(CHECK, json=body)
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json"


def test_not_json_is_refused(client):
    response = client.post(CHECK, data="<xml/>", content_type="application/xml")
    assert 400 <= response.status_code < 500


def test_a_year_of_days_is_checked(client):
    from datetime import date, timedelta

    days = [day((date(2026, 1, 1) + timedelta(days=i)).isoformat()) for i in range(366) if i % 7 != 6]
    response = client.post(CHECK, json=schedule(*days))
    assert response.status_code == 200
    assert {b["code"] for b in response.get_json()["breaches"]} == {"fourteen_day_break"}


# The licence requirement --------------------------------------------------------------------------------


def requirement(**extra) -> dict:
    return {
        "date_of_birth": "2010-07-01",
        "dates": ["2026-06-06"],
        "paid": False,
        "school_absence": False,
        "prior_days_last_6_months": 0,
        "kind": "performance",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "required"),
    [
        pytest.param({}, False, id="the 4-day rule"),
        pytest.param({"paid": True}, True, id="paid"),
        pytest.param({"prior_days_last_6_months": 4}, True, id="a 5th day in 6 months"),
        pytest.param({"kind": "paid_sport", "paid": True}, True, id="paid sport"),
        pytest.param({"paid": True, "dates": ["2026-06-27"]}, False, id="after school age"),
        pytest.param({"under_bopa": True, "prior_days_last_6_months": 9}, False, id="BOPA"),
    ],
)
def test_licence_requirement(client, extra, required):
    response = client.post(REQUIREMENT, json=requirement(**extra))
    assert response.status_code == 200
    body = response.get_json()
    assert body["licence_required"] is required
    assert body["compulsory_school_age_ends"] == "2026-06-26"
    assert body["reason"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"prior_days_last_6_months": -1}, "prior_days_last_6_months", id="negative days"),
        pytest.param({"prior_days_last_6_months": 185}, "prior_days_last_6_months", id="more than 6 months"),
        pytest.param({"kind": "juggling"}, "kind", id="kind"),
        pytest.param({"paid": None}, "paid", id="paid missing"),
        pytest.param({"dates": ["2026-13-01"]}, "dates.0", id="month 13"),
        pytest.param({"dates": ["2026-06-06"] * 367}, "dates", id="too many dates"),
        pytest.param({"date_of_birth": "2200-01-01"}, "date_of_birth", id="born after 2199"),
    ],
)
def test_licence_requirement_422(client, change, field):
    response = client.post(REQUIREMENT, json=requirement(**change))
    assert response.status_code == 422
    assert field in response.get_json()["errors"], response.get_json()["errors"]


def test_both_checks_are_in_the_openapi_document_without_security(client):
    spec = client.get("/api/openapi.json").get_json()
    for path in (CHECK, REQUIREMENT):
        assert "security" not in spec["paths"][path]["post"]


# The page ------------------------------------------------------------------------------------------------

ANSWERS = {
    "date_of_birth": ["1", "3", "2016"],
    "kind": "performance",
    "first_day": ["6", "6", "2026"],
    "days": "2",
    "prior_days": "1",
    "paid": "no",
    "school_absence": "no",
    "arranged_by": "other",
}


def page_client(app):
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie, and so the CSRF token, is Secure
    return client


def post_page(client, answers: dict):
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    return client.post(PAGE, data={"csrf_token": token, **answers})


def text(response) -> str:
    """The page's words, tags removed and entities read."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_page_asks_the_questions(licensing_app):
    response = page_client(licensing_app).get(PAGE)
    assert response.status_code == 200
    page = text(response)
    assert "Do I need a licence?" in page
    assert "What is the child's date of birth?" in page and "Will anyone be paid" in page


@pytest.mark.parametrize(
    ("changes", "answer", "because"),
    [
        pytest.param({}, "The child does not need a licence", "the 4-day rule", id="3 days in 6 months"),
        pytest.param({"days": "4"}, "The child needs a licence", "by Tuesday 9 June 2026", id="a 5th day"),
        pytest.param({"paid": "yes"}, "The child needs a licence", "would be paid", id="paid"),
        pytest.param(
            {"kind": "sport", "days": "20"},
            "The child does not need a licence",
            "sport needs",
            id="unpaid sport",
        ),
        pytest.param(
            {"arranged_by": "school", "school_absence": "yes", "days": "5"},
            "The child does not need a licence",
            "arranged by the child's school",
            id="school",
        ),
        pytest.param(
            {"date_of_birth": ["1", "7", "2010"], "first_day": ["27", "6", "2026"], "paid": "yes"},
            "The child does not need a licence",
            "compulsory school age ends on Friday 26 June 2026",
            id="after school age",
        ),
    ],
)
def test_page_answers_on_the_same_page(licensing_app, changes, answer, because):
    response = post_page(page_client(licensing_app), {**ANSWERS, **changes})
    assert response.status_code == 200
    page = text(response)
    assert answer in page and because in page
    assert 'id="answer"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message", "href"),
    [
        pytest.param(
            {"date_of_birth": ["", "", ""]}, "Enter the child's date of birth", "#date_of_birth-day"
        ),
        pytest.param(
            {"date_of_birth": ["31", "2", "2016"]}, "Date of birth must be a real date", "#date_of_birth-day"
        ),
        pytest.param(
            {"date_of_birth": ["1", "3", ""]}, "Date of birth must include a year", "#date_of_birth-year"
        ),
        pytest.param(
            {"first_day": ["1", "1", "2015"]},
            "The first day must be on or after the child's date of birth",
            "#first_day-day",
        ),
        pytest.param({"days": ""}, "Enter the number of days the child will perform", "#days"),
        pytest.param({"days": "two"}, "Enter the number of days as a whole number, like 3", "#days"),
        pytest.param({"days": "400"}, "The number of days must be 366 or fewer", "#days"),
        pytest.param(
            {"prior_days": "-1"}, "Enter the number of days as a whole number, like 2", "#prior_days"
        ),
        pytest.param({"paid": ""}, "Select yes if anyone will be paid for the child taking part", "#paid"),
        pytest.param({"kind": "juggling"}, "Select what the child will do", "#kind"),
    ],
)
def test_page_errors_are_summarised_and_linked(licensing_app, changes, message, href):
    response = post_page(page_client(licensing_app), {**ANSWERS, **changes})
    assert response.status_code == 400
    markup = response.get_data(as_text=True)
    assert "There is a problem" in markup and message in text(response)
    assert f'href="{href}"' in markup
    assert 'id="answer"' not in markup
    assert "<title>Error: " in markup


def test_page_needs_the_csrf_token(licensing_app):
    response = page_client(licensing_app).post(PAGE, data=ANSWERS)
    assert response.status_code == 400
    assert 'id="answer"' not in response.get_data(as_text=True)


def test_start_page_links_to_the_check_and_signed_in_users_see_it_in_the_navigation(licensing_app):
    assert 'href="/licence-requirement"' in page_client(licensing_app).get("/").get_data(as_text=True)
    add_user(licensing_app, "producer@example.org", "applicant")
    client = signed_in_client(licensing_app, "producer@example.org")
    markup = client.get(PAGE).get_data(as_text=True)
    assert re.search(r'govuk-service-navigation__link[^>]*href="/licence-requirement"', markup) or re.search(
        r'href="/licence-requirement"[^>]*govuk-service-navigation__link', markup
    )
