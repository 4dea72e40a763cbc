"""What a person following an emailed single-purpose link sees when the link cannot be used: wrong
(404), nothing more needed (409), or used or expired (410). Each page gives its own advice."""

from __future__ import annotations

from flask import render_template

from shared import problems

# status: (title, advice or None)
Messages = dict[int, tuple[str, str | None]]


def unavailable(error: problems.Problem, messages: Messages):
    """The page for a link the service refused; any other refusal is raised again."""
    status = error.code or 500
    if status not in messages:
        raise error
    title, advice = messages[status]
    return render_template(
        "parent/unavailable.html",
        page_title=title,
        title=title,
        detail=error.description if status != 404 else None,
        advice=advice,
    ), status
