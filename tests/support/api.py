"""Helpers for API tests: users, tokens and headers."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from shared import db, users

PASSWORD = "Correct-horse-battery-9"


def add_user(app: Flask, email: str, role: str, school_urn: str | None = None) -> int:
    with app.app_context(), db.transaction():
        user = users.create_user(email, PASSWORD, role, school_urn=school_urn)
        db.session().flush()
        return user.id


def token_for(client: FlaskClient, email: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
