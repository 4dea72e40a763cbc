"""Employers' pages: check hours and apply for a child employment permit."""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("employment_pages", __name__)
