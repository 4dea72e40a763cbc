"""``/api/v1/calendar``: working days in England and Wales, for schools' and officers' own planning."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from shared import auth, calendar
from shared.problems import invalid
from shared.schemas import BaseSchema

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/calendar", description="Working days")

MAX_WORKING_DAYS = 3650


class WorkingDaysArgs(BaseSchema):
    from_ = ma.fields.Date(required=True, data_key="from", metadata={"description": "Start date, YYYY-MM-DD"})
    add = ma.fields.Integer(
        required=True,
        strict=False,
        validate=ma.validate.Range(min=-MAX_WORKING_DAYS, max=MAX_WORKING_DAYS),
        metadata={"description": "Working days to add; day 1 is the first working day after 'from'"},
    )


class WorkingDaySchema(BaseSchema):
    date = ma.fields.Date()
    from_ = ma.fields.Date(data_key="from")
    add = ma.fields.Integer()


@blp.route("/working-days")
class WorkingDays(MethodView):
    @auth.public
    @blp.arguments(WorkingDaysArgs, location="query")
    @blp.response(200, WorkingDaySchema)
    def get(self, args):
        """The date N working days after a date (Monday–Friday, not an England and Wales bank holiday)."""
        start, n = args["from_"], args["add"]
        try:
            result = calendar.add_working_days(start, n)
        except (OverflowError, ValueError) as exc:
            raise invalid("add", "The result is outside the calendar") from exc
        return {"date": result, "from_": start, "add": n}
