"""``/api/v1/auth``: tokens for every role, and self-registration for applicants where allowed."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import audit, auth, db, problems, users
from shared.schemas import BaseSchema
from shared.users import Role

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign in with an API token")


class CredentialsSchema(BaseSchema):
    email = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=254))
    password = ma.fields.String(
        required=True, validate=ma.validate.Length(min=1, max=users.PASSWORD_MAX_LENGTH)
    )


class TokenSchema(BaseSchema):
    token = ma.fields.String()
    expires_at = ma.fields.AwareDateTime()
    role = ma.fields.String()


class RegistrationSchema(BaseSchema):
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    password = ma.fields.String(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))

    @ma.validates("password")
    def _password_rules(self, value: str, **_kwargs) -> None:
        found = users.password_problems(value)
        if found:
            raise ma.ValidationError(found)


class UserSchema(BaseSchema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.String()
    school_urn = ma.fields.String(allow_none=True)


@blp.route("/token")
class Tokens(MethodView):
    @auth.public
    @blp.arguments(CredentialsSchema)
    @blp.response(201, TokenSchema)
    def post(self, credentials):
        """Exchange an email and password for a bearer token."""
        email = credentials["email"]
        if auth.sign_in_blocked(email):
            raise auth.too_many_attempts()
        user = users.authenticate(email, credentials["password"])
        if user is None:
            with db.transaction():
                users.record_failure(email)
            raise problems.Problem(401, "The email address or password is not right")
        with db.transaction():
            token, record = users.issue_token(user, auth.token_ttl())
            db.session().flush()
            after = {"token_id": record.id, "expires_at": record.expires_at}
            audit.record("token.issued", "user", user.id, after=after, actor=f"{user.role}:{user.id}")
        return {"token": token, "expires_at": record.expires_at, "role": user.role}

    @auth.api_roles(*Role)
    @blp.response(204)
    def delete(self):
        """Revoke the token this request was sent with."""
        with db.transaction():
            users.revoke_token(auth.bearer_token() or "")
            # The token was checked on the way in, so it was active until now.
            audit.record("token.revoked", "user", auth.current_user().id, {"active": True}, {"active": False})


@blp.route("/me")
class Me(MethodView):
    @auth.api_roles(*Role)
    @blp.response(200, UserSchema)
    def get(self):
        """The signed-in user."""
        return auth.current_user()


registration_blp = Blueprint(
    "registration", __name__, url_prefix="/api/v1/auth", description="Applicants create their own account"
)


@registration_blp.route("/register")
class Registration(MethodView):
    @auth.public
    @registration_blp.arguments(RegistrationSchema)
    @registration_blp.response(201, UserSchema)
    def post(self, data):
        """Create an applicant account (producers, parents, employers, chaperones)."""
        if users.find_user(data["email"]) is not None:
            raise problems.invalid("email", "An account with this email address already exists")
        with db.transaction():
            user = users.create_user(data["email"], data["password"], Role.APPLICANT, name=data["name"])
            db.session().flush()
            audit.record("user.registered", "user", user.id, after={"role": user.role}, actor="public")
        return user
