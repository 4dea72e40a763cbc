"""Form fields in GOV.UK wording, hardened against input a browser would never send."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field
from wtforms.validators import StopValidation


class GovDateField(Field):
    """A GOV.UK date input (day, month, year) with the Design System's error messages."""

    widget = GovDateInput()
    PARTS = ("day", "month", "year")

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        name_in_errors: str | None = None,
        required: str | None = None,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.name_in_errors = name_in_errors or self.label.text
        self.required_message = required
        self.error_part = "day"

    def _value(self) -> str:
        return ""

    def process_formdata(self, valuelist):
        parts = [(v if isinstance(v, str) else "") for v in list(valuelist)[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        self.data = None
        values = [p.strip() for p in parts]
        if not any(values):
            return
        missing = [name for name, value in zip(self.PARTS, values, strict=True) if not value]
        if missing:
            self.error_part = missing[0]
            raise ValueError(f"{self.name_in_errors} must include a {' and '.join(missing)}")
        day, month, year = values
        if not all(v.isdigit() for v in values):
            self.error_part = next(n for n, v in zip(self.PARTS, values, strict=True) if not v.isdigit())
            raise ValueError(f"{self.name_in_errors} must be a real date")
        if len(year) != 4:
            self.error_part = "year"
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValueError(f"{self.name_in_errors} must be a real date") from None

    def pre_validate(self, form):
        # Validators (``validate_<name>``) run only on a real date: a blank optional date or a date with
        # an error stops here, with the "Enter ..." message if the date is required.
        if self.process_errors:
            raise StopValidation()
        if self.data is None:
            raise StopValidation(self.required_message or "")
