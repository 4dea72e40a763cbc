"""Amounts, service, payment periods, payment and the s127 time limit, on real 2024-2028 dates.

England and Wales bank holidays used: 25, 26 December 2025; 1 January, 3 and 6 April, 4 and 25 May,
31 August, 25 and 28 (substitute) December 2026; 1 January 2027.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from penalty_service.rules.notices import (
    REGIMES,
    AmountRegime,
    Payment,
    PaymentPosition,
    WithdrawalGround,
    amount_due_on,
    amounts,
    final_payment_day,
    lay_by,
    lower_rate_until,
    payment_position,
    regime_for,
    served_on,
    warnings_for_notice,
)
from shared.calendar import is_working_day, working_days_between
from shared.formatting import long_date

# --- amounts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offence", "first_absence", "prior", "expected"),
    [
        pytest.param(
            "unauthorised_absence", date(2024, 8, 19), 0, (8000, 16000), id="first day of 2024 regime"
        ),
        pytest.param("unauthorised_absence", date(2024, 8, 18), 0, (6000, 12000), id="day before: £60/£120"),
        pytest.param("leave_of_absence", date(2024, 7, 15), 0, (6000, 12000), id="summer 2024 holiday"),
        pytest.param("leave_of_absence", date(2026, 1, 12), 0, (8000, 16000), id="term-time holiday 2026"),
        pytest.param("leave_of_absence", date(2026, 1, 12), 1, (None, 16000), id="second in 3 years"),
        pytest.param("unauthorised_absence", date(2025, 11, 3), 1, (None, 16000), id="second, irregular"),
        pytest.param(
            "unauthorised_absence", date(2024, 5, 13), 1, (6000, 12000), id="no second rule pre-2024"
        ),
        pytest.param(
            "excluded_pupil_in_public_place", date(2026, 3, 2), 0, (6000, 12000), id="excluded pupil"
        ),
        pytest.param(
            "excluded_pupil_in_public_place", date(2026, 3, 2), 1, (6000, 12000), id="excluded, again"
        ),
        pytest.param(
            "excluded_pupil_in_public_place", date(2024, 3, 4), 0, (6000, 12000), id="excluded, 2024"
        ),
    ],
)
def test_amounts(offence, first_absence, prior, expected):
    assert amounts(offence, first_absence, prior) == expected


@pytest.mark.parametrize(("offence", "prior"), [("truancy", 0), ("unauthorised_absence", -1)])
def test_amounts_rejects_bad_input(offence, prior):
    with pytest.raises(ValueError):
        amounts(offence, date(2026, 1, 12), prior)


def test_regimes_table_is_dated_and_replaceable():
    assert [r.starts_on for r in REGIMES] == sorted(r.starts_on for r in REGIMES)
    assert regime_for(date(2024, 8, 19)).full_pence == 16000
    future = (*REGIMES, AmountRegime(date(2027, 9, 1), 10000, 20000, 20000))
    assert amounts("unauthorised_absence", date(2027, 9, 6), 0, regimes=future) == (10000, 20000)
    assert amounts("unauthorised_absence", date(2027, 8, 31), 0, regimes=future) == (8000, 16000)
    with pytest.raises(ValueError):
        regime_for(date(2024, 8, 18), regimes=future[1:2])


# --- service and payment periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("posted", "served"),
    [
        pytest.param(date(2026, 1, 12), date(2026, 1, 14), id="Mon -> Wed"),
        pytest.param(date(2026, 1, 15), date(2026, 1, 19), id="Thu -> Mon over a weekend"),
        pytest.param(date(2026, 1, 17), date(2026, 1, 20), id="posted on a Saturday"),
        pytest.param(date(2025, 12, 19), date(2025, 12, 23), id="Fri 19 Dec 2025 -> Tue 23 Dec"),
        pytest.param(date(2025, 12, 23), date(2025, 12, 29), id="Tue 23 Dec 2025 -> Mon 29 Dec"),
        pytest.param(date(2025, 12, 31), date(2026, 1, 5), id="New Year's Day skipped"),
        pytest.param(date(2026, 12, 24), date(2026, 12, 30), id="Thu 24 Dec 2026 -> Wed 30 Dec (28th sub)"),
        pytest.param(date(2026, 4, 2), date(2026, 4, 8), id="Easter 2026"),
        pytest.param(date(2026, 5, 1), date(2026, 5, 6), id="early May bank holiday"),
        pytest.param(date(2026, 5, 22), date(2026, 5, 27), id="spring bank holiday"),
        pytest.param(date(2026, 8, 29), date(2026, 9, 2), id="summer bank holiday 2026"),
    ],
)
def test_served_on_second_working_day_after_posting(posted, served):
    assert served_on(posted) == served


@pytest.mark.parametrize(
    ("served", "lower_until", "final"),
    [
        pytest.param(date(2026, 1, 14), date(2026, 2, 3), date(2026, 2, 10), id="January 2026"),
        pytest.param(date(2026, 12, 30), date(2027, 1, 19), date(2027, 1, 26), id="across the new year"),
        pytest.param(date(2028, 2, 9), date(2028, 2, 29), date(2028, 3, 7), id="leap February 2028"),
        pytest.param(
            date(2026, 2, 9), date(2026, 3, 1), date(2026, 3, 8), id="ends on a Sunday: not extended"
        ),
    ],
)
def test_payment_periods_begin_with_the_day_of_service(served, lower_until, final):
    assert (lower_rate_until(served), final_payment_day(served)) == (lower_until, final)


SERVED = date(2026, 1, 14)  # posted Monday 12 January 2026
DAY = {n: SERVED + timedelta(days=n - 1) for n in (1, 3, 4, 5, 10, 21, 22, 25, 28, 29, 40)}


def test_day_numbers_are_real_dates():
    assert (DAY[21], DAY[22], DAY[28], DAY[29]) == (
        date(2026, 2, 3),
        date(2026, 2, 4),
        date(2026, 2, 10),
        date(2026, 2, 11),
    )


@pytest.mark.parametrize(
    ("day", "lower", "expected"),
    [
        pytest.param(date(2026, 1, 12), 8000, 8000, id="paid before deemed service"),
        pytest.param(DAY[1], 8000, 8000, id="day 1"),
        pytest.param(DAY[21], 8000, 8000, id="day 21 lower"),
        pytest.param(DAY[22], 8000, 16000, id="day 22 full"),
        pytest.param(DAY[28], 8000, 16000, id="day 28 full"),
        pytest.param(DAY[29], 8000, None, id="day 29 no longer payable"),
        pytest.param(DAY[1], None, 16000, id="second notice: full from day 1"),
        pytest.param(DAY[29], None, None, id="second notice: day 29"),
    ],
)
def test_amount_due_on(day, lower, expected):
    assert amount_due_on(day, lower, 16000, SERVED) == expected


def pay(day: int, pence: int, ref: str | None = None) -> Payment:
    return Payment(DAY[day], pence, ref or f"REF-{day}-{pence}")


@pytest.mark.parametrize(
    ("payments", "lower", "as_of", "expected"),
    [
        pytest.param([], 8000, DAY[1], PaymentPosition(None, 0, 8000, 8000, 0, "issued"), id="nothing yet"),
        pytest.param([], 8000, DAY[22], PaymentPosition(None, 0, 16000, 16000, 0, "issued"), id="rate rises"),
        pytest.param([], 8000, DAY[29], PaymentPosition(None, 0, None, 0, 0, "unpaid"), id="never paid"),
        pytest.param(
            [pay(21, 8000)],
            8000,
            DAY[29],
            PaymentPosition(DAY[21], 8000, 0, 0, 0, "paid"),
            id="£80 on day 21",
        ),
        pytest.param(
            [pay(22, 8000)],
            8000,
            DAY[22],
            PaymentPosition(None, 8000, 16000, 8000, 0, "issued"),
            id="£80 day 22 held",
        ),
        pytest.param(
            [pay(22, 8000)],
            8000,
            DAY[29],
            PaymentPosition(None, 8000, None, 0, 8000, "unpaid"),
            id="£80 day 22 never topped up: refund",
        ),
        pytest.param(
            [pay(28, 16000)],
            8000,
            DAY[29],
            PaymentPosition(DAY[28], 16000, 0, 0, 0, "paid"),
            id="£160 on day 28",
        ),
        pytest.param(
            [pay(29, 16000)],
            8000,
            DAY[29],
            PaymentPosition(None, 16000, None, 0, 16000, "unpaid"),
            id="£160 on day 29: too late, refund",
        ),
        pytest.param(
            [pay(10, 3000), pay(5, 5000)],
            8000,
            DAY[40],
            PaymentPosition(DAY[10], 8000, 0, 0, 0, "paid"),
            id="£50 day 5 + £30 day 10",
        ),
        pytest.param(
            [pay(5, 5000), pay(25, 11000)],
            8000,
            DAY[40],
            PaymentPosition(DAY[25], 16000, 0, 0, 0, "paid"),
            id="£50 day 5 + £110 day 25 at the full rate",
        ),
        pytest.param(
            [pay(5, 5000), pay(25, 11000)],
            8000,
            DAY[10],
            PaymentPosition(None, 5000, 8000, 3000, 0, "issued"),
            id="part payment held before the final day",
        ),
        pytest.param(
            [pay(22, 8000), pay(28, 8000)],
            8000,
            DAY[28],
            PaymentPosition(DAY[28], 16000, 0, 0, 0, "paid"),
            id="£80 day 22 + £80 day 28",
        ),
        pytest.param(
            [pay(22, 8000), pay(29, 8000)],
            8000,
            DAY[29],
            PaymentPosition(None, 16000, None, 0, 16000, "unpaid"),
            id="£80 day 22 + £80 day 29: all refundable",
        ),
        pytest.param(
            [pay(3, 10000)],
            8000,
            DAY[3],
            PaymentPosition(DAY[3], 10000, 0, 0, 2000, "paid"),
            id="overpaid £20",
        ),
        pytest.param(
            [pay(3, 8000, "A"), pay(4, 8000, "B")],
            8000,
            DAY[4],
            PaymentPosition(DAY[3], 16000, 0, 0, 8000, "paid"),
            id="paid twice: second refunded",
        ),
        pytest.param(
            [pay(22, 5000, "B"), pay(22, 11000, "A")],
            8000,
            DAY[22],
            PaymentPosition(DAY[22], 16000, 0, 0, 0, "paid"),
            id="two payments the same day add up",
        ),
        pytest.param(
            [pay(3, 8000, "SAME"), pay(4, 8000, "SAME")],
            8000,
            DAY[4],
            PaymentPosition(DAY[3], 8000, 0, 0, 0, "paid"),
            id="a repeated reference counts once",
        ),
        pytest.param(
            [pay(3, 8000), pay(10, 5000)],
            8000,
            DAY[5],
            PaymentPosition(DAY[3], 8000, 0, 0, 0, "paid"),
            id="money dated after as_of not seen yet",
        ),
        pytest.param(
            [pay(3, 8000)],
            None,
            DAY[10],
            PaymentPosition(None, 8000, 16000, 8000, 0, "issued"),
            id="second notice: £80 is not enough",
        ),
        pytest.param(
            [pay(3, 8000), pay(21, 8000)],
            None,
            DAY[21],
            PaymentPosition(DAY[21], 16000, 0, 0, 0, "paid"),
            id="second notice: £160 in two parts",
        ),
    ],
)
def test_payment_position(payments, lower, as_of, expected):
    assert payment_position(payments, lower, 16000, SERVED, as_of) == expected


def test_christmas_2026_notice_from_posting_to_payment():
    served = served_on(date(2026, 12, 24))
    assert served == date(2026, 12, 30)
    lower, full = amounts("unauthorised_absence", date(2026, 11, 2), 0)
    on_day_21 = payment_position(
        [Payment(date(2027, 1, 19), 8000, "X1")], lower, full, served, date(2027, 2, 1)
    )
    assert (on_day_21.status, on_day_21.discharged_on) == ("paid", date(2027, 1, 19))
    on_day_22 = payment_position(
        [Payment(date(2027, 1, 20), 8000, "X1")], lower, full, served, date(2027, 1, 20)
    )
    assert (on_day_22.status, on_day_22.balance_pence) == ("issued", 8000)
    late = payment_position([Payment(date(2027, 1, 27), 16000, "X1")], lower, full, served, date(2027, 1, 27))
    assert (late.status, late.refund_due_pence, late.due_pence) == ("unpaid", 16000, None)


def test_payment_must_be_positive():
    with pytest.raises(ValueError):
        Payment(date(2026, 1, 20), 0, "ZERO")


# --- s127 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_absence", "expected"),
    [
        pytest.param(date(2026, 1, 15), date(2026, 7, 15), id="same date six months later"),
        pytest.param(date(2025, 8, 31), date(2026, 2, 28), id="31 Aug -> 28 Feb"),
        pytest.param(date(2027, 8, 31), date(2028, 2, 29), id="31 Aug -> 29 Feb in a leap year"),
        pytest.param(date(2026, 3, 31), date(2026, 9, 30), id="31 Mar -> 30 Sep"),
        pytest.param(date(2028, 2, 29), date(2028, 8, 29), id="29 Feb -> 29 Aug"),
        pytest.param(date(2025, 12, 19), date(2026, 6, 19), id="end of autumn term"),
        pytest.param(date(2026, 7, 17), date(2027, 1, 17), id="into the next year"),
    ],
)
def test_lay_by_is_six_calendar_months(last_absence, expected):
    assert lay_by(last_absence) == expected


@pytest.mark.parametrize(
    ("final", "lay_by_date", "warned"),
    [
        pytest.param(date(2026, 7, 14), date(2026, 7, 15), False, id="a day to spare"),
        pytest.param(date(2026, 7, 15), date(2026, 7, 15), True, id="same day: no day left to lay"),
        pytest.param(date(2026, 7, 20), date(2026, 7, 15), True, id="after"),
    ],
)
def test_warnings_for_notice(final, lay_by_date, warned):
    warnings = warnings_for_notice(final, lay_by_date)
    assert bool(warnings) is warned
    if warned:
        assert warnings[0].startswith(f"The payment period ends on {long_date(final)}")
        assert f"the last day to lay an information ({long_date(lay_by_date)})" in warnings[0]


def test_withdrawal_grounds():
    assert [g.value for g in WithdrawalGround] == [
        "outside_code_of_conduct",
        "wrong_person",
        "material_error",
        "will_not_prosecute",
    ]
    assert all(g.label and g.label[0].isupper() for g in WithdrawalGround)
    assert WithdrawalGround("wrong_person").label == "The notice was issued to the wrong person"


# --- properties ------------------------------------------------------------------------------------------

dates_2024_2027 = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 20))


@given(dates_2024_2027)
def test_served_on_is_the_second_working_day_after_posting(posted):
    served = served_on(posted)
    assert served > posted and is_working_day(served)
    assert working_days_between(posted, served) == 2


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_payment_periods_are_fixed_calendar_lengths(served):
    assert (lower_rate_until(served) - served).days == 20
    assert (final_payment_day(served) - served).days == 27


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_lay_by_is_between_181_and_184_days_later(last_absence):
    assert 181 <= (lay_by(last_absence) - last_absence).days <= 184
    assert lay_by(last_absence).day <= last_absence.day


payments_strategy = st.lists(
    st.builds(
        Payment,
        paid_on=st.integers(-5, 40).map(lambda n: SERVED + timedelta(days=n)),
        amount_pence=st.integers(1, 20000),
        reference=st.text("ABC123", min_size=1, max_size=3),
    ),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(
    payments_strategy,
    st.sampled_from([8000, None]),
    st.integers(-5, 45).map(lambda n: SERVED + timedelta(days=n)),
    st.randoms(use_true_random=False),
)
def test_payment_position_never_loses_money(payments, lower, as_of, rnd):
    position = payment_position(payments, lower, 16000, SERVED, as_of)
    counted = {}
    for p in sorted(payments, key=lambda p: (p.paid_on, p.reference, p.amount_pence)):
        counted.setdefault(p.reference, p)
    received = sum(p.amount_pence for p in counted.values() if p.paid_on <= as_of)

    assert position.paid_pence == received
    assert position.balance_pence >= 0 and position.refund_due_pence >= 0
    assert position.kept_pence + position.refund_due_pence == position.paid_pence
    if position.status == "paid":
        assert position.kept_pence == amount_due_on(position.discharged_on, lower, 16000, SERVED)
        assert position.discharged_on <= min(as_of, final_payment_day(SERVED))
    elif position.status == "unpaid":
        assert as_of > final_payment_day(SERVED) and position.refund_due_pence == received
    else:
        assert position.refund_due_pence == 0
        assert position.balance_pence == position.due_pence - received > 0
    shuffled = list(payments)
    rnd.shuffle(shuffled)
    assert payment_position(shuffled, lower, 16000, SERVED, as_of) == position


@given(payments_strategy, st.integers(0, 27).map(lambda n: SERVED + timedelta(days=n)))
def test_paying_the_amount_due_today_discharges_today(payments, day):
    assume(all(p.reference != "TODAY" for p in payments))
    earlier = [p for p in payments if p.paid_on < day]
    position = payment_position(earlier, 8000, 16000, SERVED, day)
    if position.status == "issued":
        topped_up = payment_position(
            earlier + [Payment(day, position.balance_pence, "TODAY")], 8000, 16000, SERVED, day
        )
        assert (topped_up.status, topped_up.discharged_on, topped_up.refund_due_pence) == ("paid", day, 0)
