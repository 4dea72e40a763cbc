"""Producers' pages: their productions, and each child's performance licence application as a task list.

A production is created on one page. Each child's application is a draft filled task by task (the
child, the days, the chaperone, education), each task its own page saved through
:func:`licensing_service.services.licences.update_section` with the API's own section schemas, so the
pages and the API apply the same rules. The days are added one at a time and the whole schedule is
checked against every limit after each change. "Check and submit" shows the notice the council would
have if the application were sent today, then :func:`licences.submit_draft` sends it.

A producer sees only their own productions and applications: anything else is 404, as in the API.

One module a task: ``blueprint`` (the ``producer`` blueprint and its roles), ``display`` (status tags,
the schedule's rows and document links, which the officers' and the parent's pages use too), ``forms``,
``parsing`` (times as people type them), ``productions``, ``application`` (the task list), the tasks
``child``, ``days``, ``chaperone`` and ``education``, ``submission`` (check, submit, withdraw) and
``files`` (the photo and the PDFs).
"""

from licensing_service.web.producer_pages import (  # noqa: F401 - importing a module adds its pages
    application,
    chaperone,
    child,
    days,
    education,
    files,
    productions,
    submission,
)
from licensing_service.web.producer_pages.blueprint import blp

__all__ = ["blp"]
