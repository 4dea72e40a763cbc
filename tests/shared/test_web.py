"""The shared GOV.UK web layer: sign in and out, CSRF, security headers, assets, error pages."""

from __future__ import annotations

import re

import pytest

from tests.support.api import PASSWORD, add_user

SERVICES = ["licensing", "penalty"]


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def https_client(app):
    """Session cookies are Secure, so the browser-like client talks HTTPS."""
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    return client


@pytest.mark.parametrize("service", SERVICES)
def test_start_and_sign_in_pages_are_govuk_pages_with_security_headers(make_app, service):
    client = https_client(make_app(service))
    for path in ("/", "/sign-in"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'class="govuk-template' in html and "govuk-frontend.min.css" in html
        assert "Nottinghamshire County Council" in html
        headers = response.headers
        nonce = re.search(r"'nonce-([^']+)'", headers["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in html, "the inline js-enabled script must carry the CSP nonce"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"


def test_each_page_gets_a_fresh_nonce(penalty_app):
    client = https_client(penalty_app)
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    assert first != second


@pytest.mark.parametrize("service", SERVICES)
def test_sign_in_and_out_with_the_form(make_app, service):
    app = make_app(service)
    add_user(app, "officer@example.org", "officer")
    client = https_client(app)
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))

    response = client.post(
        "/sign-in", data={"email": "officer@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Sign out" in client.get("/").get_data(as_text=True)

    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_wrong_password_shows_a_govuk_error_summary(penalty_app):
    add_user(penalty_app, "officer@example.org", "officer")
    client = https_client(penalty_app)
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in", data={"email": "officer@example.org", "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "Enter a correct email address and password" in html


def test_empty_form_names_each_missing_field(penalty_app):
    client = https_client(penalty_app)
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    html = client.post("/sign-in", data={"csrf_token": token}).get_data(as_text=True)
    assert "Enter your email address" in html and "Enter your password" in html


def test_form_without_csrf_token_is_refused(penalty_app):
    add_user(penalty_app, "officer@example.org", "officer")
    client = https_client(penalty_app)
    response = client.post("/sign-in", data={"email": "officer@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers or "session=" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil"]
)
def test_sign_in_never_redirects_off_site(penalty_app, target):
    add_user(penalty_app, "officer@example.org", "officer")
    client = https_client(penalty_app)
    token = csrf_token(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": "officer@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "https://localhost/")


def test_unknown_page_is_a_govuk_404_page_and_unknown_api_path_is_problem_json(penalty_app):
    client = https_client(penalty_app)
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "govuk-heading-l" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.content_type == "application/problem+json"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/assets/govuk-frontend.min.css", "text/css"),
        ("/assets/govuk-frontend.min.js", "text/javascript"),
        ("/assets/app.mjs", "text/javascript"),
        ("/assets/images/favicon.ico", "image/vnd.microsoft.icon"),
        ("/assets/swagger-ui/swagger-ui-bundle.js", "text/javascript"),
    ],
)
def test_assets_are_served_from_the_npm_packages(penalty_app, path, content_type):
    response = penalty_app.test_client().get(path)
    assert response.status_code == 200
    assert response.content_type.startswith(content_type)


def test_asset_path_traversal_is_refused(penalty_app):
    client = penalty_app.test_client()
    for path in (
        "/assets/../../pyproject.toml",
        "/assets/%2e%2e/%2e%2e/pyproject.toml",
        "/assets/swagger-ui/../x",
    ):
        assert client.get(path).status_code == 404
