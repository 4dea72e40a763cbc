"""Check and submit, then what follows: the submitted page, a new link for the parent, and withdrawing
the application."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for

from licensing_service.models.licences import LicenceStatus, PerformanceLicence
from licensing_service.rules import notice
from licensing_service.services import licences
from licensing_service.web.producer_pages.application import application_page
from licensing_service.web.producer_pages.blueprint import LICENCE_ID, PRODUCERS, blp
from licensing_service.web.producer_pages.display import day_rows
from licensing_service.web.producer_pages.drafts import draft, to_application
from licensing_service.web.producer_pages.forms import ResendForm, SubmitForm, WithdrawForm
from shared import auth, calendar, db, problems
from shared.form_helpers import render


def notice_if_sent_today(licence: PerformanceLicence) -> notice.NoticeVerdict | None:
    if licence.first_day is None:
        return None
    return notice.notice_verdict(
        calendar.today(),
        licence.first_day,
        min_days=int(current_app.config["LICENCE_MIN_NOTICE_DAYS"]),
        hard_stop_days=licences.hard_stop_days(),
    )


SECTION_ANCHORS = {"child": "#child", "days": "#days", "chaperone": "#chaperone", "education": "#education"}


@blp.route(f"/applications/{LICENCE_ID}/check", methods=["GET", "POST"])
@auth.page_roles(*PRODUCERS)
def check(licence_id: int):
    licence = draft(licence_id)
    if licence is None:
        return redirect(url_for("producer.application", licence_id=licence_id))
    if any(state != "completed" for state in licences.tasks(licence).values()):
        return to_application(licence)
    form = SubmitForm()
    extra: list[dict[str, str]] = []
    if form.validate_on_submit():
        try:
            licences.submit_draft(licence.id, g.current_user)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            for key, messages in (error.errors or {"": [error.description or ""]}).items():
                anchor = SECTION_ANCHORS.get(key.split(".")[0], "#submit")
                extra += [{"text": message, "href": anchor} for message in messages]
        else:
            return redirect(url_for("producer.submitted", licence_id=licence.id))
        db.session().refresh(licence)
    return render(
        "producer/check.html",
        "Check your answers before submitting the application",
        form,
        extra=extra,
        licence=licence,
        production=licence.production,
        rows=day_rows(licence.days),
        verdict=notice_if_sent_today(licence),
        today=calendar.today(),
        back=url_for("producer.application", licence_id=licence.id),
    )


@blp.get(f"/applications/{LICENCE_ID}/submitted")
@auth.page_roles(*PRODUCERS)
def submitted(licence_id: int):
    licence = licences.get_visible(licence_id, g.current_user)
    if licence.status == LicenceStatus.DRAFT:
        return to_application(licence)
    return render_template(
        "producer/submitted.html",
        page_title="Application submitted"
        if licence.status != LicenceStatus.REFUSED
        else "Application refused",
        licence=licence,
        production=licence.production,
    )


@blp.post(f"/applications/{LICENCE_ID}/parent-link")
@auth.page_roles(*PRODUCERS)
def resend_parent_link(licence_id: int):
    licence = licences.get_visible(licence_id, g.current_user)
    if ResendForm().validate_on_submit():
        try:
            licence = licences.resend_parent_link(licence.id, g.current_user)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            flash(error.description or "The link could not be sent")
        else:
            flash(f"We have emailed {licence.parent_name} a new link. The earlier link no longer works.")
    return to_application(licence)


@blp.post(f"/applications/{LICENCE_ID}/withdraw")
@auth.page_roles(*PRODUCERS)
def withdraw(licence_id: int):
    licence = licences.get_visible(licence_id, g.current_user)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            licences.withdraw(licence.id, g.current_user, form.reason.data or None)
        except problems.Problem as error:
            if (error.code or 500) >= 500:
                raise
            flash(error.description or "The application could not be withdrawn")
        else:
            flash(f"The application for {licence.child_name or 'the child'} is withdrawn")
        return to_application(licence)
    return application_page(licence, form), 400
