"""``/api/v1/performance-schedules/check`` and ``/api/v1/licence-requirement``: anyone may ask, before
applying, whether a schedule keeps to the limits and whether a child needs a licence at all. Nothing is
stored."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from licensing_service.rules import performance, requirement
from licensing_service.schemas.performance import (
    LicenceRequirementSchema,
    RequirementResultSchema,
    ScheduleCheckSchema,
    ScheduleResultSchema,
)
from shared import auth

blp = Blueprint("checks_public", __name__, url_prefix="/api/v1", description="Checks anyone may make")


def limits() -> performance.Limits:
    """The chaperone numbers this council has set (config ``CHAPERONE_*``)."""
    config = current_app.config
    return performance.Limits(
        chaperone_max_children=int(config["CHAPERONE_MAX_CHILDREN"]),
        chaperone_max_children_as_teacher=int(config["CHAPERONE_MAX_CHILDREN_AS_TEACHER"]),
        chaperone_recommended_max=int(config["CHAPERONE_RECOMMENDED_MAX"]),
    )


@blp.route("/performance-schedules/check")
class ScheduleCheck(MethodView):
    @auth.public
    @blp.arguments(ScheduleCheckSchema)
    @blp.response(200, ScheduleResultSchema)
    def post(self, data):
        """Breaches and warnings for a child's days at the place of performance (2014 Regulations).

        The chaperone's approval number is not looked up here: an application checks it.
        """
        return performance.check_schedule(
            data["date_of_birth"],
            data["days"],
            night_work=data["night_work"],
            chaperone=data["chaperone"],
            education=data["education"],
            limits=limits(),
        )


@blp.route("/licence-requirement")
class LicenceRequirement(MethodView):
    @auth.public
    @blp.arguments(LicenceRequirementSchema)
    @blp.response(200, RequirementResultSchema)
    def post(self, data):
        """Does the child need a performance licence for these dates? (Children and Young Persons Act
        1963 s37, the 4-day rule.)"""
        date_of_birth = data.pop("date_of_birth")
        dates = data.pop("dates")
        return requirement.licence_requirement(date_of_birth, dates, **data)
