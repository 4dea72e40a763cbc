"""Rate limits (shared/rate_limits.py): each app counts in its own store, so apps built side by side never
throttle each other; the limit is read from the app's settings on each request; past it the API answers
429 in problem+json with Retry-After."""

from __future__ import annotations

from shared import rate_limits

VERIFY = "/api/v1/verify?number=NCC-PL-2026-00001&date_of_birth=2015-06-14"


def statuses(app, count: int, address: str = "198.51.100.1") -> list[int]:
    client = app.test_client()
    return [client.get(VERIFY, environ_base={"REMOTE_ADDR": address}).status_code for _ in range(count)]


def test_each_app_counts_in_its_own_store(make_app):
    first = make_app("licensing", VERIFY_RATE_LIMIT="2 per minute")
    second = make_app("licensing", VERIFY_RATE_LIMIT="2 per minute")
    assert first.extensions[rate_limits.EXTENSION] is not second.extensions[rate_limits.EXTENSION]
    assert statuses(first, 3) == [200, 200, 429]
    # The second app, built before the first was used and still alive beside it, has counted nothing.
    assert statuses(second, 2) == [200, 200]
    assert statuses(first, 1) == [429]


def test_an_app_built_with_limits_off_leaves_them_on_for_the_others(make_app):
    unlimited = make_app("licensing", VERIFY_RATE_LIMIT="1 per minute", RATELIMIT_ENABLED=False)
    limited = make_app("licensing", VERIFY_RATE_LIMIT="1 per minute")
    assert statuses(unlimited, 3) == [200, 200, 200]
    assert statuses(limited, 2) == [200, 429]
    assert statuses(unlimited, 1) == [200]


def test_the_limit_is_per_client_address_and_can_be_reset(make_app):
    app = make_app("licensing", VERIFY_RATE_LIMIT="1 per minute")
    assert statuses(app, 2, "198.51.100.1") == [200, 429]
    assert statuses(app, 1, "198.51.100.2") == [200]
    rate_limits.reset(app)
    assert statuses(app, 1, "198.51.100.1") == [200]


def test_past_the_limit_the_api_answers_problem_json_with_retry_after(make_app):
    app = make_app("licensing", VERIFY_RATE_LIMIT="1 per hour")
    client = app.test_client()
    client.get(VERIFY)
    response = client.get(VERIFY)
    assert response.status_code == 429 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert (body["title"], body["status"]) == ("Too many requests", 429)
    assert body["detail"] == rate_limits.MESSAGE
    assert 0 < int(response.headers["Retry-After"]) <= 3600


def test_both_services_have_the_limiter_with_the_default_store(make_app):
    for service in ("licensing", "penalty"):
        app = make_app(service)
        assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
        assert rate_limits.EXTENSION in app.extensions


def test_the_default_limits_leave_ordinary_use_alone(licensing_app):
    assert statuses(licensing_app, 20) == [200] * 20
