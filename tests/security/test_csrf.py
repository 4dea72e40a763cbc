"""CSRF (SPEC §9): every form a page posts to, generated from each service's URL map, refuses a post
without the session's CSRF token, or with a forged one, with a 400 and changes nothing. The API is
exempt: it takes bearer tokens, never cookies."""

from __future__ import annotations

import pytest

from tests.conftest import SERVICES
from tests.security.test_audit_completeness import database, state_changing_rules
from tests.support.api import add_user
from tests.support.pages import csrf_token, signed_in_client
from tests.support.routes import example_path

FORGED = "IjQ1ZjBkYTVhNzYyYjg1MmJjNjAwZjE3ZGI2YWY3ZjRjIg.forged.signature"


def page_forms(app) -> list[tuple[str, str]]:
    """(method, path) for every state-changing page rule."""
    forms = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue
        for method in sorted(set(rule.methods or ()) & {"POST", "PUT", "PATCH", "DELETE"}):
            forms.append((method, example_path(rule)))
    return sorted(forms)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_form_refuses_a_post_without_the_csrf_token(make_app, service):
    app = make_app(service)
    add_user(app, "officer@example.org", "officer")
    client = signed_in_client(app, "officer@example.org")
    real_token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    before = database(app, service)
    forms = page_forms(app)
    assert len(forms) == len(state_changing_rules(service, api=False)) > 10
    for method, path in forms:
        rule = f"{method} {path}"
        form = {"decision": "grant", "reason": "x", "email": "officer@example.org"}
        for token in (None, FORGED):
            data = form if token is None else {**form, "csrf_token": token}
            response = client.open(path, method=method, data=data)
            assert response.status_code == 400, f"{rule} with {'no' if token is None else 'a forged'} token"
    assert database(app, service) == before
    # The same session's own token is accepted: the refusals were for the token alone.
    assert client.post("/sign-out", data={"csrf_token": real_token}).status_code == 302
