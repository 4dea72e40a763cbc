"""``/api/v1/schools``: the schools that may request notices (officers and admins register them)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from penalty_service.models import School
from penalty_service.schemas import SchoolSchema
from penalty_service.services import schools
from shared import auth, db
from shared.users import STAFF_ROLES

blp = Blueprint("schools", __name__, url_prefix="/api/v1/schools", description="Schools")


@blp.route("")
class Schools(MethodView):
    @auth.api_roles(*STAFF_ROLES)
    @blp.arguments(SchoolSchema)
    @blp.response(201, SchoolSchema)
    def post(self, data):
        """Register a school so its staff can request notices."""
        return schools.create(data)

    @auth.api_roles(*STAFF_ROLES)
    @blp.response(200, SchoolSchema(many=True))
    def get(self):
        """Every registered school, by name."""
        return db.session().scalars(select(School).order_by(School.name).limit(5000)).all()
