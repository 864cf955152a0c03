"""The cost rules of `finance.costs`, as pure functions: proration by active days, each calendar year by
its own length, rates by validity dates, rounding half-up on each line, shares that add up to the cent."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from finance.costs import (
    Change,
    MeasureFacts,
    RateSchedule,
    RateSpan,
    Share,
    accompaniment_amount,
    active_days,
    cost_line,
    forecast_amount,
    round_cents,
    split,
)
from measures.enums import MeasureStatus
from measures.periods import Period, active_periods

YEARLY = RateSchedule((RateSpan(date(2000, 1, 1), None, Decimal("1300.00")),))
DIAGNOSTIC = RateSchedule((RateSpan(date(2000, 1, 1), None, Decimal("110.00")),))
HALF_AND_HALF = [
    Share("FNAVDL + CGLLS", Decimal("50.00"), True),
    Share("Fonds propres LMH", Decimal("50.00"), False),
]
THIRDS = [
    Share("FNAVDL", Decimal("33.33"), True),
    Share("CGLLS", Decimal("33.33"), True),
    Share("Fonds propres", Decimal("33.34"), False),
]


def cost(*periods, start=date(2000, 1, 1), end=date(2100, 1, 1), rates=YEARLY) -> Decimal:
    """The rounded accompaniment cost of the given [start, end) periods."""
    return round_cents(accompaniment_amount(list(periods), start=start, end=end, rates=rates))


# Proration by active days


def test_a_full_non_leap_year_costs_the_yearly_rate():
    assert cost(Period(date(2026, 1, 1), date(2027, 1, 1))) == Decimal("1300.00")


def test_half_a_leap_year_costs_exactly_half_the_yearly_rate():
    # 1 January to 1 July 2024 inclusive: 183 days of a 366-day year.
    period = Period(date(2024, 1, 1), date(2024, 7, 2))

    assert period.days_within(date(2024, 1, 1), date(2025, 1, 1)) == 183
    assert cost(period) == Decimal("650.00")


def test_half_a_non_leap_year_falls_either_side_of_650_as_a_year_has_365_days():
    # 182 days: 1 300 × 182 / 365 = 648.2191… ; 183 days: 651.7808…
    assert cost(Period(date(2026, 1, 1), date(2026, 7, 2))) == Decimal("648.22")
    assert cost(Period(date(2026, 1, 1), date(2026, 7, 3))) == Decimal("651.78")


def test_a_measure_starting_and_ending_mid_month_counts_its_days():
    period = Period(date(2026, 3, 15), date(2026, 9, 15))

    assert active_days([period], start=date(2026, 1, 1), end=date(2027, 1, 1)) == 184
    # 1 300 × 184 / 365 = 655.3424…
    assert cost(period) == Decimal("655.34")


def test_a_single_day_of_accompaniment_costs_a_365th_of_the_rate():
    assert cost(Period(date(2026, 6, 15), date(2026, 6, 16))) == Decimal("3.56")


def test_the_statement_period_clips_the_active_period():
    period = Period(date(2025, 10, 1), None)

    # Only 2026 counts, and the open period stops at the end of the statement.
    assert cost(period, start=date(2026, 1, 1), end=date(2026, 4, 1)) == round_cents(Decimal(1300) * 90 / 365)
    assert cost(period, start=date(2026, 1, 1), end=date(2026, 4, 1)) == Decimal("320.55")


def test_suspended_days_do_not_count():
    changes = [
        SimpleNamespace(to_status=MeasureStatus.DIAGNOSTIC, on=date(2025, 12, 1)),
        SimpleNamespace(to_status=MeasureStatus.ACTIVE, on=date(2026, 1, 1)),
        SimpleNamespace(to_status=MeasureStatus.SUSPENDED, on=date(2026, 3, 1)),
        SimpleNamespace(to_status=MeasureStatus.ACTIVE, on=date(2026, 5, 1)),
        SimpleNamespace(to_status=MeasureStatus.CLOSED, on=date(2026, 7, 1)),
    ]
    periods = active_periods(changes)

    assert periods == [Period(date(2026, 1, 1), date(2026, 3, 1)), Period(date(2026, 5, 1), date(2026, 7, 1))]
    # 59 + 61 = 120 active days, not the 181 days from opening to closure.
    assert active_days(periods, start=date(2026, 1, 1), end=date(2027, 1, 1)) == 120
    assert cost(*periods) == Decimal("427.40")


def test_a_full_leap_year_costs_exactly_the_yearly_rate():
    period = Period(date(2024, 1, 1), date(2025, 1, 1))

    assert active_days([period], start=date(2024, 1, 1), end=date(2025, 1, 1)) == 366
    assert cost(period) == Decimal("1300.00")


def test_29_february_counts_as_a_day_of_accompaniment():
    february_2024 = Period(date(2024, 2, 1), date(2024, 3, 1))
    february_2026 = Period(date(2026, 2, 1), date(2026, 3, 1))

    assert active_days([february_2024], start=date(2024, 1, 1), end=date(2025, 1, 1)) == 29
    assert active_days([february_2026], start=date(2026, 1, 1), end=date(2027, 1, 1)) == 28
    # 1 300 × 29 / 366 = 103.0054…, against 1 300 × 28 / 365 = 99.7260…
    assert cost(february_2024) == Decimal("103.01")
    assert cost(february_2026) == Decimal("99.73")


def test_a_measure_spanning_two_years_is_split_by_calendar_year_each_by_its_own_length():
    period = Period(date(2023, 7, 1), date(2024, 7, 1))
    # 184 days of 2023 (365) and 182 days of 2024 (366), summed before the line is rounded.
    expected = round_cents(Decimal(1300) * 184 / 365 + Decimal(1300) * 182 / 366)

    assert expected == Decimal("1301.79")
    assert cost(period) == expected
    assert cost(period, end=date(2024, 1, 1)) == Decimal("655.34")
    assert cost(period, start=date(2024, 1, 1)) == Decimal("646.45")


def test_twelve_months_across_two_non_leap_years_cost_the_yearly_rate():
    assert cost(Period(date(2025, 7, 1), date(2026, 7, 1))) == Decimal("1300.00")


def test_a_rate_change_in_the_middle_of_a_period_applies_from_its_validity_date():
    rates = RateSchedule(
        (
            RateSpan(date(2020, 1, 1), date(2026, 6, 30), Decimal("1300.00")),
            RateSpan(date(2026, 7, 1), None, Decimal("1400.00")),
        )
    )
    period = Period(date(2026, 1, 1), date(2027, 1, 1))

    # 181 days at 1 300 and 184 days at 1 400, over 365: 644.657… + 705.753… = 1 350.41.
    assert cost(period, rates=rates) == Decimal("1350.41")
    assert cost(Period(date(2026, 1, 1), date(2026, 7, 1)), rates=rates) == Decimal("644.66")
    assert cost(Period(date(2026, 7, 1), date(2027, 1, 1)), rates=rates) == Decimal("705.75")


def test_a_day_without_a_valid_rate_is_refused_rather_than_costed_at_zero():
    rates = RateSchedule((RateSpan(date(2026, 1, 1), date(2026, 6, 30), Decimal("1300.00")),))

    with pytest.raises(ValueError, match="Aucun tarif d'accompagnement valable le 01/07/2026"):
        cost(Period(date(2026, 6, 1), date(2026, 8, 1)), rates=rates)


def test_the_rate_schedule_reads_the_amount_valid_on_each_day_both_ends_included():
    rates = RateSchedule(
        (
            RateSpan(date(2025, 1, 1), date(2025, 12, 31), Decimal("1300.00")),
            RateSpan(date(2026, 1, 1), None, Decimal("1310.00")),
        )
    )

    assert rates.amount_on(date(2024, 12, 31)) is None
    assert rates.amount_on(date(2025, 1, 1)) == Decimal("1300.00")
    assert rates.amount_on(date(2025, 12, 31)) == Decimal("1300.00")
    assert rates.amount_on(date(2026, 1, 1)) == Decimal("1310.00")
    assert rates.boundaries() == {date(2025, 1, 1), date(2026, 1, 1)}


# Rounding


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        (Decimal("0.005"), Decimal("0.01")),
        (Decimal("0.004999"), Decimal("0.00")),
        (Decimal("2.675"), Decimal("2.68")),  # 2.67 in binary floating point
        (Decimal("650.005"), Decimal("650.01")),  # 650.00 with banker's rounding
        (Decimal("650.015"), Decimal("650.02")),
    ],
)
def test_amounts_are_rounded_half_up_to_the_cent(amount, rounded):
    assert round_cents(amount) == rounded


def test_a_half_cent_line_is_rounded_up():
    rates = RateSchedule((RateSpan(date(2000, 1, 1), None, Decimal("1300.01")),))

    # 1 300,01 × 183 / 366 is exactly 650,005.
    exact = accompaniment_amount(
        [Period(date(2024, 1, 1), date(2024, 7, 2))], start=date(2024, 1, 1), end=date(2025, 1, 1), rates=rates
    )
    assert exact == Decimal("650.005")
    assert cost(Period(date(2024, 1, 1), date(2024, 7, 2)), rates=rates) == Decimal("650.01")


# Shares between funders


@pytest.mark.parametrize(
    ("amount", "shares", "parts"),
    [
        (Decimal("0.01"), HALF_AND_HALF, ["0.01", "0.00"]),
        (Decimal("650.05"), HALF_AND_HALF, ["325.03", "325.02"]),
        (Decimal("1410.00"), HALF_AND_HALF, ["705.00", "705.00"]),
        (Decimal("56400.00"), HALF_AND_HALF, ["28200.00", "28200.00"]),
        (Decimal("100.00"), THIRDS, ["33.33", "33.33", "33.34"]),
        (Decimal("0.01"), THIRDS, ["0.00", "0.00", "0.01"]),
        (Decimal("1.00"), THIRDS, ["0.33", "0.33", "0.34"]),
        (Decimal("1300.00"), THIRDS, ["433.29", "433.29", "433.42"]),
    ],
)
def test_funder_shares_add_up_to_the_amount_to_the_cent(amount, shares, parts):
    result = split(amount, shares)

    assert result == [Decimal(part) for part in parts]
    assert sum(result, Decimal(0)) == amount


@pytest.mark.parametrize("cents", [1, 2, 3, 7, 99, 101, 65005, 130001, 141099, 5640001])
@pytest.mark.parametrize("shares", [HALF_AND_HALF, THIRDS], ids=["50-50", "thirds"])
def test_funder_shares_never_lose_nor_make_a_cent(cents, shares):
    amount = Decimal(cents) / 100
    parts = split(amount, shares)

    assert sum(parts, Decimal(0)) == amount
    assert all(part == round_cents(part) and part >= 0 for part in parts)


def test_no_share_gives_no_part():
    assert split(Decimal("1410.00"), []) == []


# One measure's line


def fake_measure(changes, *, signed_on=date(2025, 12, 20)):
    """What `cost_line` reads of a measure, without the database."""
    return MeasureFacts(
        pk=7,
        reference="M-2025-0007",
        track="Maintien",
        association="EOLE",
        status=MeasureStatus.ACTIVE,
        start_date=changes[1][1],
        planned_end=None,
        closed_on=None,
        diagnostic_signed_on=signed_on,
        diagnostic_minutes=210,
        changes=tuple(Change(status, on) for status, on in changes),
    )


def test_a_line_costs_the_diagnostic_in_the_period_of_its_signature_and_the_accompaniment_prorated():
    measure = fake_measure([(MeasureStatus.DIAGNOSTIC, date(2025, 12, 1)), (MeasureStatus.ACTIVE, date(2026, 1, 1))])
    common = {"diagnostic_rates": DIAGNOSTIC, "accompaniment_rates": YEARLY, "shares": HALF_AND_HALF}

    line_2025 = cost_line(measure, start=date(2025, 1, 1), end=date(2026, 1, 1), **common)
    line_2026 = cost_line(measure, start=date(2026, 1, 1), end=date(2027, 1, 1), **common)

    assert (line_2025.diagnostic, line_2025.days, line_2025.accompaniment) == (Decimal("110.00"), 0, Decimal("0.00"))
    assert (line_2026.diagnostic, line_2026.days, line_2026.accompaniment) == (
        Decimal("0.00"),
        365,
        Decimal("1300.00"),
    )
    assert line_2025.shares == [Decimal("55.00"), Decimal("55.00")]
    assert line_2025.subsidy == Decimal("55.00")


def test_a_line_total_is_the_sum_of_its_rounded_parts_and_its_shares_add_up_to_it():
    measure = fake_measure(
        [(MeasureStatus.DIAGNOSTIC, date(2026, 1, 2)), (MeasureStatus.ACTIVE, date(2026, 3, 15))],
        signed_on=date(2026, 3, 14),
    )

    line = cost_line(
        measure,
        start=date(2026, 1, 1),
        end=date(2026, 9, 15),
        diagnostic_rates=DIAGNOSTIC,
        accompaniment_rates=YEARLY,
        shares=THIRDS,
    )

    assert line.accompaniment == Decimal("655.34")
    assert line.total == Decimal("765.34")
    assert line.shares == [Decimal("255.09"), Decimal("255.09"), Decimal("255.16")]
    assert sum(line.shares, Decimal(0)) == line.total
    assert line.subsidy == Decimal("510.18")


def test_the_forecast_counts_an_open_measure_from_tomorrow_to_its_planned_end():
    measure = SimpleNamespace(status=MeasureStatus.ACTIVE, planned_end=date(2027, 1, 1))
    closed = SimpleNamespace(status=MeasureStatus.CLOSED, planned_end=date(2027, 1, 1))
    overdue = SimpleNamespace(status=MeasureStatus.ACTIVE, planned_end=date(2026, 6, 1))

    # Today is engaged already: 2 July 2026 to 31 December 2026 is 183 days, 1 300 € × 183 / 365.
    assert forecast_amount(measure, today=date(2026, 7, 1), accompaniment_rates=YEARLY) == Decimal("651.78")
    assert forecast_amount(closed, today=date(2026, 7, 1), accompaniment_rates=YEARLY) == Decimal("0.00")
    assert forecast_amount(overdue, today=date(2026, 7, 1), accompaniment_rates=YEARLY) == Decimal("0.00")
