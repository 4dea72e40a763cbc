"""The SPP's decision on a performance licence application, and what follows a grant: the licence PDF,
its distribution, variations and revocation (SPEC §4.1; Children and Young Persons Act 1963 ss37-40;
Children (Performances and Activities) (England) Regulations 2014).

Rules decided here where the specification is silent:

- A grant needs the parent's part, an outcome for each of the four checks, the SPP's approval of the
  education arrangements where the child misses school, and a schedule without breaches, re-checked
  now with the rules in force (night work is a breach only where the application does not ask for it).
  A check that found concerns does not stop a grant — the council must be satisfied under s37(4), and
  the SPP may be after weighing them — but the grant then needs a ``reason``, kept with the decision.
  All of this is a 409 naming every missing item (``missing``), so the officer sees the whole list at
  once.
- A late application (less notice than ``LICENCE_MIN_NOTICE_DAYS``) is granted only with a
  ``late_reason`` (422): reg 4(2) lets the council refuse it, so granting it is a choice to record.
- The licence number is ``NCC-PL-<year of grant>-<application id, 5 digits or more>``: unique because the
  id is, so two grants at once can never share one, and no counter row is locked while a PDF renders.
  The application row is locked while deciding, so a licence is granted (and numbered, rendered and
  sent) once however many requests arrive together.
- The PDF is rendered inside the decision's transaction: a licence is never granted without its
  document, and the emails carrying it are in the outbox when the grant commits. If rendering fails,
  nothing is decided (503) and the officer tries again.
- Copies go to the licence holder, the host authority and the parent (s39; SPEC §4.1). Where the host
  authority is Nottinghamshire County Council itself, the council already holds the licence: the copy is
  recorded against its own team address and no email is sent. A host authority without an email address
  is recorded as not sent, with a warning for the officer to send it another way.
- A variation (s39(1)-(2)) is made by staff on a granted licence that has not ended. Days before today
  cannot be changed (they have happened). The whole schedule is re-checked; a breach is a 409. Each
  variation is a new version of the licence, sent to the same parties.
- A revocation ends a granted licence at once; the letter goes to the same parties. A refused, revoked or
  withdrawn application is never reopened here: the producer applies again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from licensing_service.models.decisions import DecisionEvent, LicenceDecision
from licensing_service.models.licences import (
    CheckOutcome,
    LicenceDistribution,
    LicenceStatus,
    PerformanceLicence,
)
from licensing_service.rules import performance
from licensing_service.services import access, education_approvals, licence_checks, licences, links
from licensing_service.services import licence_documents as docs
from shared import audit, auth, calendar, db, documents, notify, problems
from shared.db import utcnow
from shared.documents import Document
from shared.formatting import long_date
from shared.users import User

log = logging.getLogger(__name__)

OBJECT_TYPE = licences.OBJECT_TYPE
NUMBER_PREFIX = "NCC-PL"
CHECK_LABELS = {
    "education": "The education check",
    "social_care": "The social care check",
    "early_help": "The early help check",
    "school_opinion": "The school's opinion",
}


class Party(StrEnum):
    HOLDER = "holder"
    HOST_AUTHORITY = "host_authority"
    PARENT = "parent"


class Delivery(StrEnum):
    EMAIL = "email"
    THIS_COUNCIL = "this_council"  # the host authority is Nottinghamshire: no copy to send
    NOT_SENT = "not_sent"  # no email address: the officer sends it another way


def licence_number(licence_id: int, granted_on: date) -> str:
    return f"{NUMBER_PREFIX}-{granted_on.year}-{licence_id:05d}"


def is_this_council(authority_name: str | None) -> bool:
    """Whether the host authority is this council (Nottingham City Council is another authority)."""
    return "nottinghamshire" in (authority_name or "").lower()


# --- loading ------------------------------------------------------------------------------------------


def _locked(licence_id: int, user: User) -> PerformanceLicence:
    """The application, locked for this transaction and read afresh: a row lock on PostgreSQL; on SQLite
    the database write lock, taken at once by a no-op update so that a second decider waits and then
    sees the first one's result."""
    query = access.scope_licences(select(PerformanceLicence).where(PerformanceLicence.id == licence_id), user)
    return auth.visible_or_404(db.locked(PerformanceLicence, licence_id, query))


def decisions_of(licence_id: int) -> list[LicenceDecision]:
    return list(
        db.session().scalars(
            select(LicenceDecision)
            .where(LicenceDecision.licence_id == licence_id)
            .order_by(LicenceDecision.id)
        )
    )


def _versions(decisions: list[LicenceDecision]) -> list[LicenceDecision]:
    return [d for d in decisions if d.version is not None]


def _require(licence: PerformanceLicence, status: LicenceStatus, action: str) -> None:
    if licence.status != status:
        raise problems.Problem(
            409,
            f"Cannot {action}: the application is {licence.status}",
            extra={"current_status": licence.status},
        )


def _officer(user: User) -> tuple[str, str]:
    name = (user.name or "").strip() or f"Officer no. {user.id}"
    return name, docs.SPP_ROLE


def _text(value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    return text or None


def conditions_list(value: Any) -> list[str]:
    """The council's own conditions: a list of texts, or one text with a condition on each line."""
    if value is None:
        return []
    items = value.splitlines() if isinstance(value, str) else list(value)
    return [str(item).strip() for item in items if str(item).strip()]


# --- readiness ----------------------------------------------------------------------------------------


@dataclass
class Readiness:
    """What stands between an application and a grant. ``missing`` names each item; ``errors`` says it."""

    missing: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    breaches: list[dict[str, Any]] = field(default_factory=list)
    concerns: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def readiness(licence: PerformanceLicence, reason: str | None = None) -> Readiness:
    """Whether ``licence`` may be granted now with ``reason`` (the web pages show it before deciding)."""
    result = Readiness()
    for item in licence_checks.outstanding(licence):
        result.missing.append(item)
        if item == "parent_part":
            result.errors[item] = ["The parent's part of the application is not complete"]
        elif item == "education_arrangements":
            result.errors[item] = [education_approvals.needed(licence)]
        else:
            result.errors[f"checks.{item}"] = [f"{CHECK_LABELS[item]} has no outcome yet"]
    result.concerns = [c.kind for c in licence.checks if c.outcome == CheckOutcome.CONCERNS]
    if result.concerns and not _text(reason):
        result.missing.append("concerns_reason")
        named = ", ".join(CHECK_LABELS[k].removeprefix("The ").lower() for k in result.concerns)
        result.errors["reason"] = [
            f"Concerns were recorded ({named}): give the reason for granting the licence despite them"
        ]
    if licence.child_date_of_birth is None or not licence.days:
        result.missing.append("schedule")
        result.errors["schedule"] = ["The application has no days to license"]
    else:
        checked = licences.schedule_result(licence)
        if checked.breaches:
            result.missing.append("schedule")
            result.breaches = [licences.finding_json(f) for f in checked.breaches]
            result.errors["schedule"] = [f.message for f in checked.breaches]
    return result


# --- rendering and sending ----------------------------------------------------------------------------


def _render(render: Callable[[], bytes]) -> bytes:
    try:
        return render()
    except Exception as exc:
        log.exception("rendering a licence document failed")
        raise problems.Problem(
            503, "The document could not be made just now, so nothing was changed: try again shortly"
        ) from exc


def _store(licence: PerformanceLicence, kind: str, filename: str, content: bytes) -> Document:
    document = documents.store(OBJECT_TYPE, licence.id, kind, filename, content)
    db.session().flush()
    return document


@dataclass(frozen=True)
class Recipient:
    party: Party
    name: str
    email: str
    delivery: Delivery


def recipients(licence: PerformanceLicence, *, host: bool = True) -> list[Recipient]:
    production = licence.production
    found = [
        Recipient(
            Party.HOLDER,
            production.producer_organisation or production.producer_name,
            production.producer_email,
            Delivery.EMAIL,
        )
    ]
    if host:
        name = production.host_authority_name or docs.COUNCIL_NAME
        if is_this_council(production.host_authority_name):
            found.append(
                Recipient(Party.HOST_AUTHORITY, name, docs.contacts()["team_email"], Delivery.THIS_COUNCIL)
            )
        elif production.host_authority_email:
            found.append(
                Recipient(Party.HOST_AUTHORITY, name, production.host_authority_email, Delivery.EMAIL)
            )
        else:
            found.append(Recipient(Party.HOST_AUTHORITY, name, "", Delivery.NOT_SENT))
    if licence.parent_email:
        found.append(Recipient(Party.PARENT, licence.parent_name or "", licence.parent_email, Delivery.EMAIL))
    return found


def _distribute(
    licence: PerformanceLicence,
    event: DecisionEvent,
    document: Document,
    compose: Callable[[Recipient], tuple[str, str]],
    *,
    host: bool = True,
) -> list[LicenceDistribution]:
    """Email ``document`` to each party (through the outbox, so it leaves once the decision commits) and
    record every copy."""
    today = calendar.today()
    rows = []
    for recipient in recipients(licence, host=host):
        message = None
        if recipient.delivery == Delivery.EMAIL:
            subject, body = compose(recipient)
            message = notify.enqueue(
                recipient.email,
                subject,
                body,
                object_type=OBJECT_TYPE,
                object_id=licence.id,
                document_id=document.id,
            )
            db.session().flush()
        row = LicenceDistribution(
            licence_id=licence.id,
            party=recipient.party.value,
            event=event.value,
            email=recipient.email,
            sent_on=today,
            document_id=document.id,
            outbox_message_id=message.id if message is not None else None,
        )
        licence.distributions.append(row)
        rows.append(row)
    db.session().flush()
    return rows


def _sign_off() -> str:
    contact = docs.contacts()
    return f"{contact['team_name']}\n{docs.COUNCIL_NAME}\n{contact['team_email']}"


def _period(licence: PerformanceLicence) -> str:
    if licence.first_day == licence.last_day:
        return f"on {long_date(licence.first_day)}"
    return f"from {long_date(licence.first_day)} to {long_date(licence.last_day)}"


def _greeting(licence: PerformanceLicence, recipient: Recipient) -> str:
    if recipient.party == Party.HOLDER:
        return f"Dear {licence.production.producer_name},"
    if recipient.party == Party.PARENT:
        return f"Dear {recipient.name or 'parent or carer'},"
    return "Dear colleague,"


def _granted_email(licence: PerformanceLicence, recipient: Recipient) -> tuple[str, str]:
    production = licence.production
    number = licence.licence_number
    what = f"{licence.child_name} to take part in {production.name} {_period(licence)}"
    if recipient.party == Party.HOST_AUTHORITY:
        subject = f"Copy of performance licence {number}: a child performing in your area"
        lines = [
            f"{docs.COUNCIL_NAME} has granted a licence under section 37 of the Children and Young Persons "
            f"Act 1963 for {what}. The performances take place in your area, so we are sending you a copy "
            "(section 39 of the Act).",
            f"Licence holder: {_holder_label(licence)}.",
        ]
    elif recipient.party == Party.PARENT:
        subject = f"{licence.child_first_name}'s performance licence {number}"
        lines = [
            f"We have granted the licence for {what}. The licence is attached: it lists the days and "
            "times, who will look after your child and the conditions the producer must keep to.",
            "If anything on it is wrong, or you are worried about your child while they take part, "
            "contact us.",
        ]
    else:
        subject = f"Performance licence {number} granted: {licence.child_name} in {production.name}"
        lines = [
            f"We have granted licence {number} for {what}. The licence is attached.",
            "Please read its conditions. Keep the licence, or a copy, at the place of performance or "
            "rehearsal and show it to an authorised officer on request. Tell us at once of any change to "
            "the days, times, places or chaperone: the licence must be varied first.",
            "We have sent a copy to the child's parent"
            + (
                "."
                if is_this_council(production.host_authority_name)
                else " and to the council where the performances take place."
            ),
        ]
    return subject, _body(licence, recipient, lines)


def _holder_label(licence: PerformanceLicence) -> str:
    production = licence.production
    if production.producer_organisation:
        return f"{production.producer_organisation} ({production.producer_name})"
    return production.producer_name


def _body(licence: PerformanceLicence, recipient: Recipient, lines: list[str]) -> str:
    return "\n\n".join([_greeting(licence, recipient), *lines, _sign_off()]) + "\n"


# --- the decision -------------------------------------------------------------------------------------


def decide(licence_id: int, data: dict[str, Any], user: User) -> PerformanceLicence:
    """Grant or refuse a submitted application: ``data`` is ``{decision: grant|refuse, reason,
    conditions (a list, or one text with a condition per line), late_reason}``.

    409 unless submitted, or (grant) while anything is missing — ``missing`` lists each of
    ``parent_part``, ``education``, ``social_care``, ``early_help``, ``school_opinion``,
    ``concerns_reason``, ``education_arrangements`` (school missed and the SPP has not approved how the
    child is taught) and ``schedule`` (with ``breaches``); 422 for a refusal without a reason or a
    late grant without ``late_reason``. Returns the licence as decided (committed)."""
    decision = data.get("decision")
    if decision not in ("grant", "refuse"):
        raise problems.invalid("decision", "Choose grant or refuse")
    reason = _text(data.get("reason"))
    if decision == "refuse" and reason is None:
        raise problems.invalid("reason", "Give the reason for refusing the licence")
    with db.transaction():
        licence = _locked(licence_id, user)
        _require(licence, LicenceStatus.SUBMITTED, "decide")
        if decision == "refuse":
            _refuse(licence, reason or "", user)
        else:
            _grant(licence, data, reason, user)
    return licence


def _grant(licence: PerformanceLicence, data: dict[str, Any], reason: str | None, user: User) -> None:
    ready = readiness(licence, reason)
    if not ready.ready:
        raise problems.Problem(
            409,
            "The licence cannot be granted yet: " + "; ".join(m for ms in ready.errors.values() for m in ms),
            errors=ready.errors,
            extra={"current_status": licence.status, "missing": ready.missing, "breaches": ready.breaches},
        )
    late_reason = _text(data.get("late_reason"))
    if licence.late and late_reason is None:
        raise problems.invalid(
            "late_reason",
            f"The application arrived {licence.days_notice} days before the first day, less than the "
            "notice required: give the reason for granting it late",
        )
    today = calendar.today()
    officer_name, officer_role = _officer(user)
    conditions = conditions_list(data.get("conditions"))
    licence.status = LicenceStatus.GRANTED.value
    licence.licence_number = licence_number(licence.id, today)
    licence.conditions = "\n".join(conditions) or None
    licence.late_reason = late_reason
    licence.decided_at = utcnow()
    licence.decided_by_id = user.id
    result = licences.schedule_result(licence)
    licence.breaches = [licences.finding_json(f) for f in result.breaches]
    licence.warnings = [licences.finding_json(f) for f in result.warnings]
    links.revoke(OBJECT_TYPE, licence.id)
    decision = LicenceDecision(
        licence_id=licence.id,
        event=DecisionEvent.GRANTED.value,
        version=1,
        reason=reason,
        late_reason=late_reason,
        conditions=conditions,
        officer_name=officer_name,
        officer_role=officer_role,
        decided_on=today,
        decided_at=licence.decided_at,
        decided_by_id=user.id,
    )
    db.session().add(decision)
    db.session().flush()
    content = _render(lambda: docs.render_licence(licence, decision, [decision]))
    document = _store(licence, docs.LICENCE_KIND, docs.licence_filename(licence, 1), content)
    decision.document_id = document.id
    rows = _distribute(licence, DecisionEvent.GRANTED, document, lambda r: _granted_email(licence, r))
    audit.record(
        "performance_licence.granted",
        OBJECT_TYPE,
        licence.id,
        before={"status": LicenceStatus.SUBMITTED.value},
        after={
            "status": licence.status,
            "licence_number": licence.licence_number,
            "version": 1,
            "valid_from": licence.first_day,
            "valid_until": licence.last_day,
            "conditions": conditions,
            "late": licence.late,
            "late_reason": late_reason,
            "concerns": ready.concerns,
            "document": {"id": document.id, "sha256": document.sha256},
            "distribution": [{"party": r.party, "email": r.email} for r in rows],
        },
        note=reason,
    )


def _refused_email(licence: PerformanceLicence, recipient: Recipient) -> tuple[str, str]:
    production = licence.production
    subject = f"Performance licence application {licence.reference} refused: {licence.child_name}"
    if recipient.party == Party.PARENT:
        lines = [
            f"We have refused the application for a licence for {licence.child_name} to take part in "
            f"{production.name}. Without a licence your child must not take part. The attached letter, "
            "sent to the producer, gives the reason.",
        ]
    else:
        lines = [
            f"We have refused the application {licence.reference} for a licence for {licence.child_name} "
            f"to take part in {production.name}. The attached letter gives the reason and what you can do "
            "next. The child must not take part without a licence.",
            "We have told the child's parent.",
        ]
    return subject, _body(licence, recipient, lines)


def _refuse(licence: PerformanceLicence, reason: str, user: User) -> None:
    today = calendar.today()
    officer_name, officer_role = _officer(user)
    licence.status = LicenceStatus.REFUSED.value
    licence.refusal_reason = reason
    licence.decided_at = utcnow()
    licence.decided_by_id = user.id
    links.revoke(OBJECT_TYPE, licence.id)
    decision = LicenceDecision(
        licence_id=licence.id,
        event=DecisionEvent.REFUSED.value,
        reason=reason,
        conditions=[],
        officer_name=officer_name,
        officer_role=officer_role,
        decided_on=today,
        decided_at=licence.decided_at,
        decided_by_id=user.id,
    )
    db.session().add(decision)
    db.session().flush()
    content = _render(lambda: docs.render_refusal(licence, decision))
    document = _store(licence, docs.REFUSAL_KIND, docs.refusal_filename(licence), content)
    decision.document_id = document.id
    rows = _distribute(
        licence, DecisionEvent.REFUSED, document, lambda r: _refused_email(licence, r), host=False
    )
    audit.record(
        "performance_licence.refused",
        OBJECT_TYPE,
        licence.id,
        before={"status": LicenceStatus.SUBMITTED.value},
        after={
            "status": licence.status,
            "document": {"id": document.id, "sha256": document.sha256},
            "distribution": [{"party": r.party, "email": r.email} for r in rows],
        },
        note=reason,
    )


# --- variation ----------------------------------------------------------------------------------------


def _chaperone_json(licence: PerformanceLicence) -> dict[str, Any]:
    return {
        "approval_number": licence.chaperone_approval_number,
        "is_parent": licence.chaperone_is_parent,
        "is_usual_teacher": bool(licence.chaperone_is_usual_teacher),
        "usual_teacher_name": licence.usual_teacher_name,
        "usual_teacher_school": licence.usual_teacher_school,
        "children_in_care": licence.chaperone_children_in_care,
        "also_private_teacher": licence.chaperone_also_private_teacher,
    }


def _terms(licence: PerformanceLicence, conditions: list[str]) -> dict[str, Any]:
    return {
        "days": list(licence.days or []),
        "night_work": licence.night_work,
        "chaperone": _chaperone_json(licence),
        "conditions": list(conditions),
    }


def _day_json(day: performance.Day | dict[str, Any]) -> dict[str, Any]:
    return licences.day_to_json(day if isinstance(day, performance.Day) else licences.day_from_json(day))


def _set_days(licence: PerformanceLicence, new_days: list[Any], today: date) -> None:
    if not new_days:
        raise problems.invalid("changes.days", "Give at least one day")
    days = sorted((_day_json(d) for d in new_days), key=lambda d: (d["date"], d["arrive"]))
    dates = [d["date"] for d in days]
    if len(set(dates)) != len(dates):
        raise problems.invalid("changes.days", "Give each date once")
    old = {d["date"]: d for d in licence.days or []}
    new = {d["date"]: d for d in days}
    past = sorted(
        d for d in old.keys() | new.keys() if date.fromisoformat(d) < today and old.get(d) != new.get(d)
    )
    if past:
        named = ", ".join(long_date(date.fromisoformat(d)) for d in past)
        raise problems.invalid(
            "changes.days", f"Days before today have happened and cannot be changed: {named}"
        )
    licence.days = days
    licence.first_day = date.fromisoformat(days[0]["date"])
    licence.last_day = date.fromisoformat(days[-1]["date"])


CHANGE_LABELS = {
    "days": "the days and times",
    "night_work": "night work",
    "chaperone": "the chaperone",
    "conditions": "the council's conditions",
}


def vary(licence_id: int, data: dict[str, Any], user: User) -> PerformanceLicence:
    """Vary a granted licence: ``data`` is ``{reason, changes: {days?, night_work?, chaperone?,
    conditions?}}`` — days as the rules' ``Day`` (or stored-form dicts), the chaperone as the rules'
    ``Chaperone``, conditions replacing the council's own. Re-renders the licence as the next version and
    sends it to the same parties. 409 unless granted and not yet ended, or when the new schedule breaches
    a limit (``breaches``); 422 without a reason or a change, or when it changes a day already past."""
    reason = _text(data.get("reason"))
    if reason is None:
        raise problems.invalid("reason", "Give the reason for varying the licence")
    changes = {k: v for k, v in (data.get("changes") or {}).items() if k in CHANGE_LABELS}
    if not changes:
        raise problems.invalid("changes", "Say what changes: days, night_work, chaperone or conditions")
    today = calendar.today()
    with db.transaction():
        licence = _locked(licence_id, user)
        _require(licence, LicenceStatus.GRANTED, "vary the licence")
        if licence.last_day is not None and licence.last_day < today:
            raise problems.Problem(
                409,
                f"The licence ended on {long_date(licence.last_day)}: it can no longer be varied",
                extra={"current_status": licence.status},
            )
        versions = _versions(decisions_of(licence.id))
        current = versions[-1]
        before = _terms(licence, current.conditions or [])
        if "days" in changes:
            _set_days(licence, changes["days"], today)
            licences.split_out_of_scope(licence)
        if "night_work" in changes:
            licence.night_work = bool(changes["night_work"])
        if "chaperone" in changes:
            licences.set_chaperone(licence, changes["chaperone"])
        conditions = (
            conditions_list(changes["conditions"])
            if "conditions" in changes
            else list(current.conditions or [])
        )
        after = _terms(licence, conditions)
        changed = {
            k: {"before": before[k], "after": after[k]} for k in CHANGE_LABELS if before[k] != after[k]
        }
        if not changed:
            raise problems.invalid("changes", "These are the licence's terms already: nothing would change")
        result = licences.schedule_result(licence)
        if result.breaches:
            breaches = [licences.finding_json(f) for f in result.breaches]
            raise problems.Problem(
                409,
                "The varied schedule breaks the limits: " + "; ".join(b["message"] for b in breaches),
                errors={"schedule": [b["message"] for b in breaches]},
                extra={"current_status": licence.status, "missing": ["schedule"], "breaches": breaches},
            )
        licence.breaches = []
        licence.warnings = [licences.finding_json(f) for f in result.warnings]
        licence.conditions = "\n".join(conditions) or None
        officer_name, officer_role = _officer(user)
        decision = LicenceDecision(
            licence_id=licence.id,
            event=DecisionEvent.VARIED.value,
            version=current.version + 1,
            reason=reason,
            conditions=conditions,
            changes=changed,
            officer_name=officer_name,
            officer_role=officer_role,
            decided_on=today,
            decided_at=utcnow(),
            decided_by_id=user.id,
        )
        db.session().add(decision)
        db.session().flush()
        history = [*versions, decision]
        content = _render(lambda: docs.render_licence(licence, decision, history))
        document = _store(
            licence, docs.LICENCE_KIND, docs.licence_filename(licence, decision.version), content
        )
        decision.document_id = document.id
        summary = ", ".join(CHANGE_LABELS[k] for k in changed)
        rows = _distribute(
            licence,
            DecisionEvent.VARIED,
            document,
            lambda r: _varied_email(licence, decision, summary, r),
        )
        audit.record(
            "performance_licence.varied",
            OBJECT_TYPE,
            licence.id,
            before={"version": current.version, **{k: v["before"] for k, v in changed.items()}},
            after={
                "version": decision.version,
                **{k: v["after"] for k, v in changed.items()},
                "valid_from": licence.first_day,
                "valid_until": licence.last_day,
                "document": {"id": document.id, "sha256": document.sha256},
                "distribution": [{"party": r.party, "email": r.email} for r in rows],
            },
            note=reason,
        )
    return licence


def _varied_email(
    licence: PerformanceLicence, decision: LicenceDecision, summary: str, recipient: Recipient
) -> tuple[str, str]:
    number = licence.licence_number
    subject = f"Performance licence {number} varied (version {decision.version}): {licence.child_name}"
    lines = [
        f"We have varied licence {number} for {licence.child_name} in {licence.production.name}. "
        f"What changed: {summary}. Why: {decision.reason}",
        f"The licence now runs {_period(licence)}. Version {decision.version} is attached and replaces "
        "every earlier version: use only this one from now on.",
    ]
    return subject, _body(licence, recipient, lines)


# --- revocation ---------------------------------------------------------------------------------------


def revoke(licence_id: int, data: dict[str, Any], user: User) -> PerformanceLicence:
    """Revoke a granted licence (``data``: ``{reason}``): the letter goes to the licence holder, the host
    authority and the parent. 409 unless granted; 422 without a reason."""
    reason = _text(data.get("reason"))
    if reason is None:
        raise problems.invalid("reason", "Give the reason for revoking the licence")
    today = calendar.today()
    with db.transaction():
        licence = _locked(licence_id, user)
        _require(licence, LicenceStatus.GRANTED, "revoke the licence")
        versions = _versions(decisions_of(licence.id))
        officer_name, officer_role = _officer(user)
        licence.status = LicenceStatus.REVOKED.value
        decision = LicenceDecision(
            licence_id=licence.id,
            event=DecisionEvent.REVOKED.value,
            reason=reason,
            conditions=list(versions[-1].conditions or []) if versions else [],
            officer_name=officer_name,
            officer_role=officer_role,
            decided_on=today,
            decided_at=utcnow(),
            decided_by_id=user.id,
        )
        db.session().add(decision)
        db.session().flush()
        content = _render(lambda: docs.render_revocation(licence, decision))
        document = _store(licence, docs.REVOCATION_KIND, docs.revocation_filename(licence), content)
        decision.document_id = document.id
        rows = _distribute(licence, DecisionEvent.REVOKED, document, lambda r: _revoked_email(licence, r))
        audit.record(
            "performance_licence.revoked",
            OBJECT_TYPE,
            licence.id,
            before={
                "status": LicenceStatus.GRANTED.value,
                "licence_number": licence.licence_number,
                "valid_until": licence.last_day,
            },
            after={
                "status": licence.status,
                "revoked_on": today,
                "document": {"id": document.id, "sha256": document.sha256},
                "distribution": [{"party": r.party, "email": r.email} for r in rows],
            },
            note=reason,
        )
    return licence


def _revoked_email(licence: PerformanceLicence, recipient: Recipient) -> tuple[str, str]:
    number = licence.licence_number
    subject = f"Performance licence {number} revoked: {licence.child_name}"
    lines = [
        f"We have revoked licence {number} for {licence.child_name} to take part in "
        f"{licence.production.name}. From today the child must not take part in any performance or "
        "rehearsal under it. The attached letter gives the reason.",
    ]
    return subject, _body(licence, recipient, lines)


# --- documents on request -----------------------------------------------------------------------------


def _stored(document_id: int | None) -> Document | None:
    return db.session().get(Document, document_id) if document_id is not None else None


def licence_pdf(licence: PerformanceLicence, version: int | None = None) -> Document:
    """The licence as granted or last varied (or as ``version``); 404 when no licence was granted."""
    versions = _versions(decisions_of(licence.id))
    if not versions:
        raise problems.Problem(404, "No licence has been granted for this application")
    if version is None:
        chosen = versions[-1]
    else:
        chosen = next((d for d in versions if d.version == version), None)
        if chosen is None:
            raise problems.Problem(404, f"This licence has no version {version}")
    document = _stored(chosen.document_id)
    if document is not None:
        return document
    if chosen is not versions[-1]:
        raise problems.Problem(404, f"Version {chosen.version} of this licence is no longer held")
    return _remake(
        licence,
        chosen,
        docs.LICENCE_KIND,
        docs.licence_filename(licence, chosen.version),
        lambda: docs.render_licence(licence, chosen, versions),
    )


def refusal_pdf(licence: PerformanceLicence) -> Document:
    """The refusal letter; one refused automatically on submission gets its letter on first request."""
    refusals = [d for d in decisions_of(licence.id) if d.event == DecisionEvent.REFUSED]
    if refusals:
        document = _stored(refusals[-1].document_id)
        if document is not None:
            return document
    if licence.status != LicenceStatus.REFUSED:
        raise problems.Problem(404, "This application has not been refused")
    decision = refusals[-1] if refusals else None
    return _remake(
        licence,
        decision,
        docs.REFUSAL_KIND,
        docs.refusal_filename(licence),
        lambda: docs.render_refusal(licence, decision),
    )


def revocation_pdf(licence: PerformanceLicence) -> Document:
    revocations = [d for d in decisions_of(licence.id) if d.event == DecisionEvent.REVOKED]
    if not revocations:
        raise problems.Problem(404, "This licence has not been revoked")
    decision = revocations[-1]
    document = _stored(decision.document_id)
    if document is not None:
        return document
    return _remake(
        licence,
        decision,
        docs.REVOCATION_KIND,
        docs.revocation_filename(licence),
        lambda: docs.render_revocation(licence, decision),
    )


def _remake(
    licence: PerformanceLicence,
    decision: LicenceDecision | None,
    kind: str,
    filename: str,
    render: Callable[[], bytes],
) -> Document:
    """Render a document that is not held (the retention job removed it, or a refusal made on submission
    never had one), store it once — under the application's lock, checking again — and return it."""
    content = _render(render)
    with db.transaction():
        session = db.session()
        db.lock_row(PerformanceLicence, licence.id)
        if decision is not None:
            session.refresh(decision)
            existing = _stored(decision.document_id)
        else:
            existing = documents.latest(OBJECT_TYPE, licence.id, kind)
        if existing is not None:
            return existing
        document = _store(licence, kind, filename, content)
        if decision is not None:
            decision.document_id = document.id
        audit.record(
            "document.created",
            OBJECT_TYPE,
            licence.id,
            after={"document_id": document.id, "kind": kind, "filename": filename, "sha256": document.sha256},
        )
    return document


# --- what the API and the pages show ------------------------------------------------------------------

DOCUMENT_PATHS = {
    docs.LICENCE_KIND: "licence.pdf",
    docs.REFUSAL_KIND: "refusal.pdf",
    docs.REVOCATION_KIND: "revocation.pdf",
}
EVENT_KINDS = {
    DecisionEvent.GRANTED: docs.LICENCE_KIND,
    DecisionEvent.VARIED: docs.LICENCE_KIND,
    DecisionEvent.REFUSED: docs.REFUSAL_KIND,
    DecisionEvent.REVOKED: docs.REVOCATION_KIND,
}


def document_url(licence_id: int, kind: str, version: int | None = None) -> str:
    path = f"/api/v1/performance-licences/{licence_id}/documents/{DOCUMENT_PATHS[kind]}"
    return f"{path}?version={version}" if kind == docs.LICENCE_KIND and version else path


def distribution_rows(licence: PerformanceLicence, rows: list[LicenceDistribution]) -> list[dict[str, Any]]:
    production = licence.production
    names = {
        Party.HOLDER: production.producer_organisation or production.producer_name,
        Party.HOST_AUTHORITY: production.host_authority_name or docs.COUNCIL_NAME,
        Party.PARENT: licence.parent_name or "",
    }
    shown = []
    for row in rows:
        if not row.email:
            delivery = Delivery.NOT_SENT
        elif row.party == Party.HOST_AUTHORITY and is_this_council(production.host_authority_name):
            delivery = Delivery.THIS_COUNCIL
        else:
            delivery = Delivery.EMAIL
        shown.append(
            {
                "party": row.party,
                "name": names.get(row.party, ""),
                "email": row.email or None,
                "event": row.event,
                "sent_on": row.sent_on,
                "delivery": delivery.value,
                "document_id": row.document_id,
            }
        )
    return shown


def outcome(licence: PerformanceLicence, *, staff: bool = True) -> dict[str, Any]:
    """The decision as the API shows it: status, number, documents, where copies went, and history.

    A grant's reason explains why concerns found by the council's checks did not stop it: like the checks
    themselves, it is for staff only (``staff=False`` leaves it out)."""
    decisions = decisions_of(licence.id)
    versions = _versions(decisions)
    latest = decisions[-1] if decisions else None
    held = {
        d.id: d
        for d in db.session().scalars(
            select(Document).where(Document.id.in_([x.document_id for x in decisions if x.document_id]))
        )
    }
    document_links = []
    for d in decisions:
        document = held.get(d.document_id)
        if document is None:
            continue
        kind = EVENT_KINDS[DecisionEvent(d.event)]
        document_links.append(
            {
                "kind": kind,
                "version": d.version,
                "filename": document.filename,
                "url": document_url(licence.id, kind, d.version),
                "sha256": document.sha256,
                "size": document.size,
            }
        )
    if latest is None and licence.status == LicenceStatus.REFUSED:  # refused on submission
        document_links.append(
            {
                "kind": docs.REFUSAL_KIND,
                "version": None,
                "filename": docs.refusal_filename(licence),
                "url": document_url(licence.id, docs.REFUSAL_KIND),
                "sha256": None,
                "size": None,
            }
        )
    latest_rows = [
        r for r in licence.distributions if latest is not None and r.document_id == latest.document_id
    ]
    warnings = [
        f"No email address is held for {row['name']}: send its copy another way"
        for row in distribution_rows(licence, latest_rows)
        if row["delivery"] == Delivery.NOT_SENT
    ]
    granted = licence.licence_number is not None
    revoked = next((d for d in reversed(decisions) if d.event == DecisionEvent.REVOKED), None)
    return {
        "id": licence.id,
        "reference": licence.reference,
        "status": licence.status,
        "licence_number": licence.licence_number,
        "version": versions[-1].version if versions else None,
        "valid_from": licence.first_day if granted else None,
        "valid_until": licence.last_day if granted else None,
        "conditions": list(versions[-1].conditions or []) if versions else [],
        "standard_conditions": docs.standard_conditions(licence) if granted else [],
        "decided_at": licence.decided_at,
        "decided_by": latest.officer_name if latest is not None else None,
        "refusal_reason": licence.refusal_reason,
        "late_reason": licence.late_reason,
        "revoked_on": revoked.decided_on if revoked else None,
        "revocation_reason": revoked.reason if revoked else None,
        "verification": (
            {"reference": licence.licence_number, "url": docs.verification_url(licence.licence_number)}
            if granted
            else None
        ),
        "documents": document_links,
        "distribution": distribution_rows(licence, latest_rows),
        "history": [
            {
                "event": d.event,
                "version": d.version,
                "reason": d.reason if staff or d.event != DecisionEvent.GRANTED else None,
                "decided_on": d.decided_on,
                "decided_by": d.officer_name,
                "changes": sorted((d.changes or {}).keys()),
            }
            for d in decisions
        ],
        "warnings": warnings,
    }


def verification(number: str, date_of_birth: date, today: date | None = None) -> dict[str, Any] | None:
    """The public check of a licence (SPEC §4.2): the number and the child's date of birth give whether it
    is valid today and until when — nothing else. None when they do not match a licence."""
    licence = db.session().scalar(
        select(PerformanceLicence).where(PerformanceLicence.licence_number == number.strip().upper())
    )
    if licence is None or licence.child_date_of_birth != date_of_birth:
        return None
    today = today or calendar.today()
    granted = licence.status == LicenceStatus.GRANTED
    return {
        "valid": granted and licence.last_day is not None and today <= licence.last_day,
        "valid_until": licence.last_day if granted else None,
        "kind": "performance_licence",
    }
