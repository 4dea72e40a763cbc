"""Helpers for page tests: a signed-in browser-like client and the CSRF token of a page."""

from __future__ import annotations

import re

from tests.support.api import PASSWORD


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def signed_in_client(app, email: str, password: str = PASSWORD):
    """A test client over HTTPS (the session cookie is Secure), signed in through the sign-in form."""
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, "sign-in failed"
    return client
