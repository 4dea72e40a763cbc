"""Form fields in GOV.UK wording, hardened against input a browser would never send."""

from __future__ import annotations

from datetime import date

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField


class DateInput(GovDateInput):
    """GOV.UK's day, month and year boxes; copes with a post that lacks some of the three."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None
        return super().map_gov_params(field, **kwargs)


class GovDateField(DateField):
    """A date from three boxes (day, month, year) with GOV.UK error messages."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        parts = [v.strip() for v in valuelist]
        if not any(parts):
            self.data = None
            return
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, for example 27 3 2026")
        day, month, year = (int(p) for p in parts)
        try:
            self.data = date(year, month, day)
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date") from None
        if not 1900 <= year <= 2100:
            self.data = None
            raise ValueError(f"{self.label.text} must have a 4-digit year, for example 2026")
