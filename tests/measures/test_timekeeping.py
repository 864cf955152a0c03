"""Time against the norm (DOMAIN.md §3-4): 47 h 30 per measure, the days of active accompaniment that
the expected time and the costs count, and the alert after three weeks without meeting the household."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from measures.enums import ContactKind, MeasureStatus
from measures.models import Measure
from measures.norms import CONTACT_ALERT_DAYS, DEFAULT_NORM, TimeNorm
from measures.periods import Period, active_days, active_days_until, active_periods
from measures.timekeeping import time_summary
from tests.households.factories import days_ago
from tests.measures.factories import ContactFactory, DiagnosticFactory, MeasureFactory


def change(to_status, on):
    return SimpleNamespace(to_status=to_status, on=on)


ACTIVE, SUSPENDED, CLOSED = MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED, MeasureStatus.CLOSED

# The norm


def test_a_measure_is_47_hours_30_by_the_default_norm():
    assert DEFAULT_NORM.per_measure_minutes() == 47 * 60 + 30


def test_a_year_of_accompaniment_expects_26_hours_with_the_household_and_18_administrative():
    assert DEFAULT_NORM.accompaniment_minutes(365) == (26 * 60, 18 * 60)


def test_the_diagnostic_norm_is_2_hours_30_with_the_household_and_1_hour_administrative():
    assert (DEFAULT_NORM.diagnostic_household_minutes, DEFAULT_NORM.diagnostic_admin_minutes) == (150, 60)
    assert DEFAULT_NORM.diagnostic_minutes == 3 * 60 + 30


def test_three_weeks_of_accompaniment_expect_one_meeting():
    household, admin = DEFAULT_NORM.accompaniment_minutes(21)

    # 21/365 × 52/3 meetings × 90 min = 89.75 → 90; 21/365 × 12 × 90 min = 62.1 → 62
    assert (household, admin) == (90, 62)


def test_no_active_day_expects_no_time():
    assert DEFAULT_NORM.accompaniment_minutes(0) == (0, 0)


def test_an_edited_norm_changes_what_is_expected():
    weekly = TimeNorm(meeting_every_weeks=1, admin_minutes_per_month=60)

    assert weekly.accompaniment_minutes(365) == (52 * 90, 12 * 60)
    assert weekly.per_measure_minutes() == 210 + 52 * 90 + 12 * 60


def test_the_alert_comes_after_three_weeks():
    assert CONTACT_ALERT_DAYS == 21


# Days of active accompaniment


def test_suspended_days_do_not_count():
    changes = [
        change(ACTIVE, date(2025, 1, 1)),
        change(SUSPENDED, date(2025, 2, 1)),
        change(ACTIVE, date(2025, 3, 1)),
    ]

    # January (31 days) + March (31 days); February was suspended.
    assert active_days(changes, start=date(2025, 1, 1), end=date(2025, 4, 1)) == 62
    assert active_periods(changes) == [Period(date(2025, 1, 1), date(2025, 2, 1)), Period(date(2025, 3, 1), None)]


def test_a_leap_year_counts_366_days():
    changes = [change(ACTIVE, date(2023, 6, 1))]

    assert active_days(changes, start=date(2024, 1, 1), end=date(2025, 1, 1)) == 366
    assert active_days(changes, start=date(2024, 2, 1), end=date(2024, 3, 1)) == 29


def test_a_measure_starting_mid_month_counts_from_its_first_day():
    changes = [change(ACTIVE, date(2025, 3, 15))]

    assert active_days(changes, start=date(2025, 3, 1), end=date(2025, 4, 1)) == 17
    assert active_days(changes, start=date(2025, 2, 1), end=date(2025, 3, 1)) == 0


def test_a_closed_measure_stops_counting_on_its_closing_day():
    changes = [change(ACTIVE, date(2025, 3, 15)), change(CLOSED, date(2025, 4, 10))]

    assert active_days(changes, start=date(2025, 1, 1), end=date(2026, 1, 1)) == 17 + 9


def test_the_diagnostic_stage_counts_no_active_day():
    changes = [change(MeasureStatus.DIAGNOSTIC, date(2025, 1, 1))]

    assert active_days(changes, start=date(2025, 1, 1), end=date(2026, 1, 1)) == 0


def test_active_days_until_today_count_today():
    today = date(2025, 3, 20)

    assert active_days_until([change(ACTIVE, today)], today) == 1
    assert active_days_until([change(ACTIVE, date(2025, 3, 1))], today) == 20


def test_active_days_until_skip_a_suspension():
    changes = [
        change(ACTIVE, date(2024, 2, 1)),
        change(SUSPENDED, date(2024, 2, 10)),
        change(ACTIVE, date(2024, 3, 1)),
    ]

    # 1 → 9 February (9 days), then 1 → 5 March (5 days).
    assert active_days_until(changes, date(2024, 3, 5)) == 14


# The summary of one measure and the three-week alert


def summary(measure, today=None):
    measure = Measure.objects.prefetch_related("contacts", "status_changes").get(pk=measure.pk)
    return time_summary(measure, today=today or timezone.localdate())


@pytest.fixture
def measure(db, referent):
    return MeasureFactory(active=True, referent=referent)


@pytest.mark.django_db
def test_22_days_without_meeting_the_household_is_overdue(measure):
    ContactFactory(measure=measure, on=days_ago(22))

    time = summary(measure)

    assert time.overdue
    assert (time.last_contact_on, time.days_since_contact) == (days_ago(22), 22)


@pytest.mark.django_db
def test_21_days_without_meeting_the_household_is_not_overdue(measure):
    ContactFactory(measure=measure, on=days_ago(21))

    time = summary(measure)

    assert not time.overdue
    assert time.days_since_contact == 21


@pytest.mark.django_db
def test_a_visit_with_nobody_home_is_not_a_contact(measure):
    ContactFactory(measure=measure, on=days_ago(22))
    ContactFactory(measure=measure, nobody_home=True, on=days_ago(1))

    time = summary(measure)

    assert time.overdue
    assert time.last_contact_on == days_ago(22)


@pytest.mark.django_db
@pytest.mark.parametrize("trait", ["admin", "partner_meeting"])
def test_administrative_work_is_not_a_contact_with_the_household(measure, trait):
    ContactFactory(measure=measure, on=days_ago(22))
    ContactFactory(measure=measure, on=days_ago(1), **{trait: True})

    time = summary(measure)

    assert time.overdue
    assert time.last_contact_on == days_ago(22)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [ContactKind.HOME_VISIT, ContactKind.OFFICE, ContactKind.ESCORT, ContactKind.PHONE])
def test_any_meeting_with_the_household_resets_the_alert(measure, kind):
    ContactFactory(measure=measure, on=days_ago(30))
    ContactFactory(measure=measure, on=days_ago(2), kind=kind)

    time = summary(measure)

    assert not time.overdue
    assert time.last_contact_on == days_ago(2)


@pytest.mark.django_db
def test_without_any_contact_the_alert_counts_from_the_start(referent):
    late = MeasureFactory(active=True, start_date=days_ago(22))
    on_time = MeasureFactory(active=True, start_date=days_ago(21))

    assert summary(late).overdue
    assert summary(late).last_contact_on is None and summary(late).days_since_contact is None
    assert not summary(on_time).overdue


@pytest.mark.django_db
def test_a_suspended_measure_raises_no_alert():
    measure = MeasureFactory(suspended=True)
    ContactFactory(measure=measure, on=days_ago(60))

    assert not summary(measure).overdue


@pytest.mark.django_db
def test_a_measure_at_the_diagnostic_stage_raises_no_alert():
    assert not summary(MeasureFactory()).overdue


@pytest.mark.django_db
def test_time_logged_is_split_between_household_and_administration(measure):
    ContactFactory(measure=measure, on=days_ago(3), duration_minutes=90)
    ContactFactory(measure=measure, on=days_ago(2), phone=True, duration_minutes=20)
    ContactFactory(measure=measure, on=days_ago(1), admin=True, duration_minutes=45)

    time = summary(measure)

    assert (time.household_minutes, time.admin_minutes, time.logged_minutes) == (110, 45, 155)


@pytest.mark.django_db
def test_time_expected_follows_the_active_days():
    measure = MeasureFactory(active=True, start_date=days_ago(364))

    time = summary(measure)

    assert time.active_days == 365
    assert (time.expected_household_minutes, time.expected_admin_minutes) == (26 * 60, 18 * 60)
    assert time.expected_minutes == 44 * 60


@pytest.mark.django_db
def test_time_expected_skips_the_suspension():
    measure = MeasureFactory(suspended=True, start_date=days_ago(40))
    today = timezone.localdate()

    time = summary(measure, today)

    # Active from 40 days ago to the suspension 10 days ago: 30 days.
    assert time.active_days == 30
    assert time.active_days == (today - timedelta(days=10) - measure.start_date).days


@pytest.mark.django_db
def test_diagnostic_time_is_read_from_the_diagnostic():
    measure = MeasureFactory(diagnostic=False)
    DiagnosticFactory(measure=measure, household_minutes=140, admin_minutes=75)

    time = summary(measure)

    assert (time.diagnostic_minutes, time.diagnostic_norm_minutes) == (215, 210)
    assert time.active_days == 0 and time.expected_minutes == 0
