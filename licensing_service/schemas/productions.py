"""Productions through the API: ``POST /api/v1/productions`` (SPEC §6) and what the lists show."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from licensing_service.models.productions import ProductionType
from shared.schemas import BaseSchema

NAME = validate.Length(min=1, max=200)
EMAIL = validate.Length(max=254)
ADDRESS = validate.Length(max=500)
MAX_ID = 2_147_483_647


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    return BaseSchema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "page_size": fields.Integer(),
            "total": fields.Integer(metadata={"description": "Counted up to 10,000"}),
            "total_capped": fields.Boolean(metadata={"description": "More records match than ``total``"}),
        },
        name=name,
    )


class ProducerSchema(BaseSchema):
    name = fields.String(required=True, validate=NAME)
    organisation = fields.String(load_default="", validate=validate.Length(max=200))
    email = fields.Email(required=True, validate=EMAIL)
    phone = fields.String(load_default="", validate=validate.Length(max=40))
    address = fields.String(load_default="", validate=ADDRESS)


class HostAuthoritySchema(BaseSchema):
    """The council where the performances take place (it gets a copy of each licence). Given as an
    object, or as just the council's name."""

    name = fields.String(required=True, validate=NAME)
    email = fields.Email(load_default=None, allow_none=True, validate=EMAIL)

    @ma.pre_load
    def _name_alone(self, data, **_kwargs):
        return {"name": data} if isinstance(data, str) else data


class VenueSchema(BaseSchema):
    name = fields.String(required=True, validate=NAME)
    address = fields.String(load_default="", validate=ADDRESS)


class ProductionInSchema(BaseSchema):
    name = fields.String(required=True, validate=NAME)
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in ProductionType]))
    broadcast = fields.Boolean(required=True)
    paid = fields.Boolean(required=True)
    producer = fields.Nested(ProducerSchema, required=True)
    host_authority = fields.Nested(HostAuthoritySchema, required=True)
    venues = fields.List(fields.Nested(VenueSchema), load_default=list, validate=validate.Length(max=50))


class ChildApplicationSchema(BaseSchema):
    """One child's application as a production lists it."""

    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    child_name = fields.String()
    first_day = fields.Date(allow_none=True)
    decision_due_on = fields.Date(allow_none=True)
    late = fields.Boolean()
    parent_part_state = fields.String()


class ProductionSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    type = fields.String()
    broadcast = fields.Boolean()
    paid = fields.Boolean()
    producer = fields.Function(
        lambda p: {
            "name": p.producer_name,
            "organisation": p.producer_organisation,
            "email": p.producer_email,
            "phone": p.producer_phone,
            "address": p.producer_address,
        }
    )
    host_authority = fields.Function(
        lambda p: {"name": p.host_authority_name, "email": p.host_authority_email}
    )
    venues = fields.List(fields.Dict())
    created_at = fields.DateTime()


class ProductionDetailSchema(ProductionSchema):
    children = fields.List(fields.Nested(ChildApplicationSchema))


ProductionPageSchema = page_schema(ProductionSchema, "ProductionPage")


class ProductionListArgs(BaseSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))
