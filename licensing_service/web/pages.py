"""Licensing service pages."""

from __future__ import annotations

from flask import Blueprint, render_template

blp = Blueprint("pages", __name__)

# Service navigation: which roles see which links.
NAVIGATION: list[dict] = []


@blp.get("/")
def start():
    return render_template("start.html", page_title=None)
