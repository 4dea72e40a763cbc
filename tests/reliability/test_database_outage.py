"""The database stops while a service is serving: ``/_status`` and the API answer 503 (problem+json
with Retry-After), never a 500, nothing half-done is kept; when the database returns the same app
serves again without a restart. The database is taken away through a TCP proxy between the app and
PostgreSQL, so other tests keep their server."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from penalty_service.models import Payment
from shared import db
from tests.penalty.builders import SCHOOL_URN, PenaltyWorld
from tests.support import databases
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def proxy():
    target = make_url(databases.POSTGRES_URL)
    proxy = TcpProxy((target.host or "127.0.0.1", target.port or 5432))
    proxy.restore()
    yield proxy
    proxy.cut()


def through(proxy: TcpProxy, url: str) -> str:
    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


@pytest.mark.parametrize("service", ["licensing", "penalty"])
def test_status_is_503_while_the_database_is_away_and_ok_when_it_returns(make_app, proxy, service):
    app = make_app(service)
    app.extensions["db_engine"].dispose()
    app.extensions["db_engine"] = db.make_engine(through(proxy, app.config["DATABASE_URL"]))
    client = app.test_client()
    assert client.get("/_status").status_code == 200

    proxy.cut()
    down = client.get("/_status")
    assert (down.status_code, down.get_json()["database"]) == (503, "unreachable")

    proxy.restore()
    assert client.get("/_status").get_json() == {"status": "ok", "database": "ok", "service": service}


def test_the_api_answers_503_while_the_database_is_away_then_serves_again(make_app, proxy):
    app = make_app("penalty")
    world = PenaltyWorld(app)
    notices = world.decide(world.request()["id"], issue_date="2026-01-26")["notices"]
    app.extensions["db_engine"].dispose()
    app.extensions["db_engine"] = db.make_engine(through(proxy, app.config["DATABASE_URL"]))
    assert world.get("/api/v1/penalty-notices", world.school).status_code == 200

    proxy.cut()
    for response in (
        world.get("/api/v1/penalty-notices", world.school),
        world.get(f"/api/v1/penalty-notices/{notices[0]['id']}", world.officer),
        world.post("/api/v1/auth/token", {"email": "officer@example.org", "password": "x"}, {}),
        world.post(
            "/api/v1/payments",
            {
                "notice_number": notices[0]["notice_number"],
                "amount_pence": 8000,
                "paid_on": "2026-02-02",
                "reference": "BANK-OUTAGE-1",
                "method": "card",
            },
            world.officer,
        ),
    ):
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.mimetype == "application/problem+json"
        assert response.headers["Retry-After"] == "30"
        assert "try again in a minute" in response.get_json()["detail"]
    page = app.test_client().get("/", headers={"Accept": "text/html"})
    assert page.status_code in (200, 503)  # the start page needs no database; no page is ever a 500

    proxy.restore()
    listed = world.get(f"/api/v1/penalty-notices?school_urn={SCHOOL_URN}", world.officer)
    assert listed.status_code == 200 and listed.get_json()["total"] == 1
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Payment)) == 0  # the refused payment
