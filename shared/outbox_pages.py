"""Officers read the emails each service has recorded: sent, waiting, failed, or kept in the outbox."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from shared import auth, db
from shared.notify import OutboxMessage
from shared.users import STAFF_ROLES

blp = Blueprint("outbox", __name__, url_prefix="/outbox")
PAGE_SIZE = 50
STATUSES = ("stored", "pending", "sent", "failed")


@blp.get("/")
@auth.page_roles(*STAFF_ROLES)
def index():
    status = request.args.get("status", "")
    before = request.args.get("before", type=int)
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE + 1)
    if status in STATUSES:
        query = query.where(OutboxMessage.status == status)
    if before:
        query = query.where(OutboxMessage.id < before)
    messages = db.session().scalars(query).all()
    more = len(messages) > PAGE_SIZE
    messages = messages[:PAGE_SIZE]
    return render_template(
        "outbox/index.html",
        page_title="Emails",
        messages=messages,
        status=status,
        statuses=STATUSES,
        next_before=messages[-1].id if more else None,
    )


@blp.get("/<int(max=2147483647):message_id>")
@auth.page_roles(*STAFF_ROLES)
def show(message_id: int):
    message = auth.visible_or_404(db.session().get(OutboxMessage, message_id))
    return render_template("outbox/show.html", page_title=message.subject, message=message)
