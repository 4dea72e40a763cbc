"""Officers read the outbox in the web pages; nobody else can."""

from __future__ import annotations

import re

import pytest

from shared import db, notify
from tests.support.api import PASSWORD, add_user


def signed_in_client(app, email):
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    html = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def enqueue(app, count=1):
    with app.app_context(), db.transaction():
        for n in range(count):
            notify.enqueue(
                f"parent{n}@example.org", f"Your licence application {n}", f"Dear parent,\nnumber {n}"
            )


@pytest.mark.parametrize(("service", "role"), [("penalty", "officer"), ("licensing", "admin")])
def test_staff_read_stored_emails(make_app, service, role):
    app = make_app(service)
    add_user(app, "staff@example.org", role)
    enqueue(app)
    client = signed_in_client(app, "staff@example.org")
    index = client.get("/outbox/").get_data(as_text=True)
    assert "parent0@example.org" in index and "Stored" in index
    message = client.get("/outbox/1").get_data(as_text=True)
    assert "Dear parent,\nnumber 0" in message


def test_outbox_pages_in_pages_of_fifty(penalty_app):
    add_user(penalty_app, "o@example.org", "officer")
    enqueue(penalty_app, 51)
    client = signed_in_client(penalty_app, "o@example.org")
    first = client.get("/outbox/").get_data(as_text=True)
    assert first.count("govuk-table__row") == 51  # header row and fifty messages
    assert "Older emails" in first
    older = client.get("/outbox/?before=2").get_data(as_text=True)
    assert "parent0@example.org" in older and "Older emails" not in older


@pytest.mark.parametrize(("service", "role"), [("penalty", "school"), ("licensing", "applicant")])
def test_schools_and_applicants_cannot_read_the_outbox(make_app, service, role):
    app = make_app(service)
    add_user(app, "user@example.org", role, school_urn="100000" if role == "school" else None)
    enqueue(app)
    client = signed_in_client(app, "user@example.org")
    assert client.get("/outbox/").status_code == 403
    assert client.get("/outbox/1").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(penalty_app):
    response = penalty_app.test_client().get("/outbox/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_missing_message_is_404(penalty_app):
    add_user(penalty_app, "o@example.org", "officer")
    client = signed_in_client(penalty_app, "o@example.org")
    assert client.get("/outbox/999").status_code == 404
    assert client.get("/outbox/99999999999999").status_code == 404
