"""Penalty notices: amounts, service, payment periods, discharge by payment, withdrawal and time limits.

Sources: Education Act 1996 s444A-s444B; Education (Penalty Notices) (England) Regulations 2007 as
amended by the Education (Penalty Notices) (England) (Amendment) Regulations 2024 (amounts and periods in
reg 4, withdrawal in regs 8-9); Education and Inspections Act 2006 s103/s105 (excluded pupil in a public
place); Magistrates' Courts Act 1980 s127 (six-month time limit); Interpretation Act 1978 s7 and the
usual rule that first-class post is deemed served on the second working day after posting.

Money is in pence. Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.calendar import add_months, add_working_days, days_beginning_with
from shared.formatting import long_date

__all__ = [
    "EXCLUDED_PUPIL_AMOUNTS",
    "REGIMES",
    "AmountRegime",
    "Offence",
    "Payment",
    "PaymentPosition",
    "WithdrawalGround",
    "amount_due_on",
    "amounts",
    "final_payment_day",
    "lay_by",
    "lower_rate_until",
    "payment_position",
    "regime_for",
    "served_on",
    "warnings_for_notice",
]

POSTAL_SERVICE_WORKING_DAYS = 2
LOWER_RATE_DAYS = 21
PAYMENT_DAYS = 28
LAY_BY_MONTHS = 6


class Offence(StrEnum):
    """What the notice is for: s444 irregular attendance (incl. late after registers close), s444 term-time
    leave, or s103 EIA 2006 (excluded pupil found in a public place in the first 5 school days)."""

    UNAUTHORISED_ABSENCE = "unauthorised_absence"
    LEAVE_OF_ABSENCE = "leave_of_absence"
    EXCLUDED_PUPIL_IN_PUBLIC_PLACE = "excluded_pupil_in_public_place"


@dataclass(frozen=True)
class AmountRegime:
    """Amounts for notices whose first counted absence is on or after ``starts_on``.

    ``lower_pence`` is payable within 21 days, ``full_pence`` within 28 days. ``second_notice_full_pence``,
    when set, is the only amount (no lower rate) for a second notice to the same parent for the same child
    within 3 years.
    """

    starts_on: date
    lower_pence: int | None
    full_pence: int
    second_notice_full_pence: int | None


# Sorted by starts_on. The first row stands for everything before 19 August 2024 (the £60/£120 amounts
# with 21/28-day periods in force since 2013; anything older is long out of time under s127).
REGIMES: tuple[AmountRegime, ...] = (
    AmountRegime(starts_on=date.min, lower_pence=6000, full_pence=12000, second_notice_full_pence=None),
    AmountRegime(
        starts_on=date(2024, 8, 19), lower_pence=8000, full_pence=16000, second_notice_full_pence=16000
    ),
)

# s105 EIA 2006 notices kept £60 within 21 days / £120 within 28 days when the 2024 amendments came in.
EXCLUDED_PUPIL_AMOUNTS: tuple[int, int] = (6000, 12000)


def regime_for(first_absence: date, regimes: Sequence[AmountRegime] = REGIMES) -> AmountRegime:
    """The regime in force on ``first_absence``: the latest one starting on or before it."""
    chosen = [r for r in regimes if r.starts_on <= first_absence]
    if not chosen:
        raise ValueError(f"no amount regime covers {first_absence.isoformat()}")
    return max(chosen, key=lambda r: r.starts_on)


def amounts(
    offence: str,
    first_absence: date,
    prior_notices: int,
    regimes: Sequence[AmountRegime] = REGIMES,
) -> tuple[int | None, int]:
    """(lower amount or None, full amount) in pence for a new notice.

    The regime is chosen by the date of the first counted absence (the 2024 amounts apply where the
    offence period began on or after 19 August 2024). ``prior_notices`` is the number of notices already
    issued to this parent for this child within 3 years and not withdrawn (:func:`limits.notices_in_window`):
    one or more, under a regime with a second-notice rule, gives the second-notice amount with no lower
    rate (whether a further notice may be issued at all is :func:`limits.limit_verdict`'s question).
    Excluded-pupil notices are £60/£120 whatever the date and the history.
    """
    offence = Offence(offence)
    if prior_notices < 0:
        raise ValueError("prior_notices cannot be negative")
    if offence is Offence.EXCLUDED_PUPIL_IN_PUBLIC_PLACE:
        return EXCLUDED_PUPIL_AMOUNTS
    regime = regime_for(first_absence, regimes)
    if prior_notices >= 1 and regime.second_notice_full_pence is not None:
        return None, regime.second_notice_full_pence
    return regime.lower_pence, regime.full_pence


def served_on(posted_on: date) -> date:
    """Deemed service of a notice sent by first-class post: the second working day after posting.

    Day 1 is the first working day after the posting day (weekends and England-and-Wales bank holidays
    skipped), so a notice posted on Thursday 24 December 2026 is served on Wednesday 30 December 2026.
    """
    return add_working_days(posted_on, POSTAL_SERVICE_WORKING_DAYS)


def lower_rate_until(served: date) -> date:
    """Last day of the lower rate: 21 days beginning with the day of service (day 1), i.e. served + 20.

    Calendar days: the period is not extended when it ends at a weekend or on a bank holiday.
    """
    return days_beginning_with(served, LOWER_RATE_DAYS)


def final_payment_day(served: date) -> date:
    """Last day to pay: 28 days beginning with the day of service, i.e. served + 27 (not extended)."""
    return days_beginning_with(served, PAYMENT_DAYS)


def lay_by(last_absence: date) -> date:
    """The last day to lay an information (Magistrates' Courts Act 1980 s127: within 6 months).

    Time runs from the last absence in the notice's period (the s444 offence is committed over the period
    and is complete on its last day). The day of the offence is excluded and months are calendar months
    (Interpretation Act 1978 Sch 1), so the last day is the same date six months later (15 January ->
    15 July); where that date does not exist, the last day of that month (31 August -> 28 February, or 29
    in a leap year) under the corresponding-date rule (Dodds v Walker [1981] 1 WLR 1027).
    """
    return add_months(last_absence, LAY_BY_MONTHS)


def amount_due_on(day: date, lower_pence: int | None, full_pence: int, served: date) -> int | None:
    """The amount that discharges the notice if paid on ``day``.

    The lower amount (if any) up to and including :func:`lower_rate_until`, including days before deemed
    service (a parent who pays early is not charged more); the full amount up to and including
    :func:`final_payment_day`; None after it (the notice can no longer be paid).
    """
    if lower_pence is not None and day <= lower_rate_until(served):
        return lower_pence
    if day <= final_payment_day(served):
        return full_pence
    return None


@dataclass(frozen=True)
class Payment:
    """Money received for a notice. ``amount_pence`` must be positive."""

    paid_on: date
    amount_pence: int
    reference: str

    def __post_init__(self) -> None:
        if self.amount_pence <= 0:
            raise ValueError("a payment must be for a positive amount")


@dataclass(frozen=True)
class PaymentPosition:
    """Where a notice stands on a given day.

    ``paid_pence``: all money received up to and including that day. ``due_pence``: what would discharge
    the notice that day (0 once discharged, None once past the final day undischarged).
    ``balance_pence``: what is still needed (0 once discharged or no longer payable).
    ``refund_due_pence``: money to give back. ``kept_pence`` = paid - refund: money applied to the
    penalty, or part payments held while the notice can still be paid.
    """

    discharged_on: date | None
    paid_pence: int
    due_pence: int | None
    balance_pence: int
    refund_due_pence: int
    status: str

    @property
    def kept_pence(self) -> int:
        return self.paid_pence - self.refund_due_pence


def _unique(payments: Iterable[Payment]) -> list[Payment]:
    """Payments in date order, ties by reference (then amount, so the order given never matters).

    A reference seen again counts once: the earliest (the first in that order) is kept.
    """
    seen: set[str] = set()
    result = []
    for p in sorted(payments, key=lambda p: (p.paid_on, p.reference, p.amount_pence)):
        if p.reference not in seen:
            seen.add(p.reference)
            result.append(p)
    return result


def payment_position(
    payments: Iterable[Payment],
    lower_pence: int | None,
    full_pence: int,
    served: date,
    as_of: date,
) -> PaymentPosition:
    """The payment position of a notice on ``as_of`` (s444A: payment discharges liability).

    Choices, in order:

    - Only money received on or before ``as_of`` is seen (a later-dated payment has not arrived yet). A
      reference seen twice counts once (the earliest). Payments are taken in date order, ties by reference.
    - The notice is discharged on the first day on which the money received up to and including that day
      reaches the amount due that day (:func:`amount_due_on`). Money received on different days adds up,
      so £50 on day 5 and £30 on day 10 discharges an £80 notice on day 10; but the amount due rises after
      day 21, so £50 on day 5 and £110 on day 25 discharges at £160 on day 25, and £80 on day 22 does not
      discharge (£160 due) until £80 more arrives by day 28.
    - Part payments are not accepted as settling part of the penalty. Until the final day passes they are
      held (not refunded): the rest may still arrive. Once ``as_of`` is past the final day without
      discharge, everything received is refundable.
    - Money beyond the amount that discharged the notice, and all money received after the final day, is
      refundable; nothing is ever dropped, so ``kept_pence + refund_due_pence == paid_pence``.
    - Status: "paid" once discharged; "unpaid" when ``as_of`` is after the final day and it never was;
      otherwise "issued".
    """
    final = final_payment_day(served)
    received = [p for p in _unique(payments) if p.paid_on <= as_of]
    paid = sum(p.amount_pence for p in received)

    discharged_on, applied, running = None, 0, 0
    for p in received:
        if p.paid_on > final:
            break
        running += p.amount_pence
        due = amount_due_on(p.paid_on, lower_pence, full_pence, served)
        if due is not None and running >= due:
            discharged_on, applied = p.paid_on, due
            break

    if discharged_on is not None:
        return PaymentPosition(discharged_on, paid, 0, 0, paid - applied, "paid")
    if as_of > final:
        return PaymentPosition(None, paid, None, 0, paid, "unpaid")
    due_now = amount_due_on(as_of, lower_pence, full_pence, served)
    assert due_now is not None  # as_of is on or before the final day
    return PaymentPosition(None, paid, due_now, due_now - paid, 0, "issued")


class WithdrawalGround(StrEnum):
    """Grounds for withdrawing a notice (2007 Regulations reg 8; reg 9 for a notice the council will not
    prosecute). Money paid is refunded and no proceedings may follow for the same period."""

    OUTSIDE_CODE_OF_CONDUCT = "outside_code_of_conduct"
    WRONG_PERSON = "wrong_person"
    MATERIAL_ERROR = "material_error"
    WILL_NOT_PROSECUTE = "will_not_prosecute"

    @property
    def label(self) -> str:
        return {
            WithdrawalGround.OUTSIDE_CODE_OF_CONDUCT: (
                "The notice was not issued in line with the code of conduct"
            ),
            WithdrawalGround.WRONG_PERSON: "The notice was issued to the wrong person",
            WithdrawalGround.MATERIAL_ERROR: "The notice contains a material error",
            WithdrawalGround.WILL_NOT_PROSECUTE: "The notice was not paid and the council will not prosecute",
        }[self]


def warnings_for_notice(final_day: date, lay_by_date: date) -> list[str]:
    """A warning when an unpaid notice could not be prosecuted in time.

    No proceedings may be brought until the payment period has ended (s444A and the Regulations), so the
    information can be laid on the day after the final payment day at the earliest. The warning is given
    when the final day is on or after ``lay_by_date``: then no day is left to lay it.
    """
    if final_day < lay_by_date:
        return []
    relation = "the same day as" if final_day == lay_by_date else "after"
    return [
        f"The payment period ends on {long_date(final_day)}, {relation} the last day to lay an information "
        f"({long_date(lay_by_date)}): if the notice is not paid the parent could not be prosecuted"
    ]
