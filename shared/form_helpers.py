"""The pieces every GOV.UK form page in both services is built from: fields with the Design System's
wording, the error summary, and a page rendered with its errors (status 400 when there are any).

Each field strips what people paste around an answer and says in plain English what is wrong.
"""

from __future__ import annotations

import marshmallow as ma
from flask import render_template
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, ValidationError

from shared.forms import GovDateField

YES_NO = [("yes", "Yes"), ("no", "No")]


def strip(value):
    """Windows line endings and surrounding spaces removed from typed text."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def lines(value):
    """Typed text as its non-blank lines, each stripped (one item per line)."""
    if not isinstance(value, str):
        return value
    return "\n".join(line.strip() for line in value.replace("\r\n", "\n").split("\n") if line.strip())


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in pairs]


def radios(label: str, options, message: str, **kwargs) -> RadioField:
    """Radios that accept only their own values; ``message`` when nothing (or anything else) is sent."""
    return RadioField(
        label,
        choices=choices(options),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[InputRequired(message), AnyOf([c[0] for c in options], message=message)],
        **kwargs,
    )


def text(label: str, required: str | None, max_length: int, too_long: str, **kwargs) -> StringField:
    """A text input; ``required`` is the message when it is empty (None: optional)."""
    first = InputRequired(required) if required else Optional()
    extra = kwargs.pop("validators", [])
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip],
        validators=[first, Length(max=max_length, message=too_long), *extra],
        **kwargs,
    )


def area(label: str, required: str | None, max_length: int, too_long: str, **kwargs) -> TextAreaField:
    """A textarea; ``required`` is the message when it is empty (None: optional)."""
    first = InputRequired(required) if required else Optional()
    extra = kwargs.pop("validators", [])
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[kwargs.pop("filter", strip)],
        validators=[first, Length(max=max_length, message=too_long), *extra],
        **kwargs,
    )


def email_format(form, field) -> None:
    """The Design System's message for an email address that is not one."""
    if field.data:
        try:
            ma.validate.Email()(field.data)
        except ma.ValidationError:
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com"
            ) from None


def whole_number(what: str, low: int, high: int):
    """A count typed into a text box: digits only, between ``low`` and ``high``."""

    def check(form, field) -> None:
        value = (field.data or "").strip()
        if not (value.isascii() and value.isdigit()):
            raise ValidationError(f"{what} must be a whole number, like 3")
        if not low <= int(value) <= high:
            raise ValidationError(f"{what} must be between {low} and {high}")

    return check


def error_list(*forms: FlaskForm | None) -> list[dict[str, str]]:
    """The error summary's entries, each linking to its field (a date to the part that is wrong)."""
    items = []
    for form in forms:
        if form is None:
            continue
        for field in form:
            if not field.errors:
                continue
            href = f"#{field.id}-{field.error_part}" if isinstance(field, GovDateField) else f"#{field.id}"
            items.append({"text": field.errors[0], "href": href})
    return items


def place_errors(
    form: FlaskForm, messages: dict[str, list[str]], fields: dict[str, str], default: str
) -> None:
    """A schema's or service's messages put at the form fields they are about (``fields`` maps an error
    path's prefix to a field name); anything else at ``default``."""
    for path, texts in messages.items():
        name = next(
            (f for prefix, f in fields.items() if path == prefix or path.startswith(prefix + ".")), default
        )
        field = form._fields.get(name) or form._fields[default]
        field.errors = [*field.errors, *texts]


def render(template: str, title: str, *forms: FlaskForm | None, extra: list | None = None, **context):
    """A form page: "Error: " in the title and status 400 when any form (or ``extra``) has errors."""
    errors = error_list(*forms) + (extra or [])
    page_title = ("Error: " if errors else "") + title
    if forms:
        context.setdefault("form", forms[0])
    return render_template(template, page_title=page_title, errors=errors, **context), (
        400 if errors else 200
    )
