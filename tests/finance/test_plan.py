"""The plan de financement rebuilt from the reference data (DOMAIN.md §4), and the plan against actual."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from finance import reports
from finance.costs import accompaniment_amount, round_cents
from finance.models import Rate, RateKind, TimeNormSetting
from households.enums import Track
from measures.periods import Period
from tests.finance.factories import NBSP, ProgrammeFactory, accompanied_measure, html_tables
from tests.measures.factories import ContactFactory, FollowedHouseholdFactory, MeasureFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def programme(landlord):
    return ProgrammeFactory(landlord=landlord)


@pytest.fixture
def past_programme(landlord):
    """Two years wholly in the past, so that what is engaged does not depend on today."""
    return ProgrammeFactory(landlord=landlord, start=date(2024, 1, 1), end=date(2025, 12, 31))


def test_the_seed_plan_table_holds_the_plan_de_financement_figure_for_figure(programme):
    plan = reports.plan_table(programme)

    assert (plan.measures_per_year, plan.years) == (20, 2)
    assert plan.share_labels == ["FNAVDL + CGLLS", "Fonds propres LMH"]
    assert [(row.step, row.unit_cost, row.for_year, row.shares) for row in plan.rows] == [
        ("Diagnostic", D("110.00"), D("2200.00"), [D("1100.00"), D("1100.00")]),
        ("Accompagnement (un an)", D("1300.00"), D("26000.00"), [D("13000.00"), D("13000.00")]),
        ("Total par mesure", D("1410.00"), D("28200.00"), [D("14100.00"), D("14100.00")]),
    ]
    assert plan.per_measure_cost == D("1410.00")
    assert plan.per_measure_minutes == 2850  # 47 h 30
    assert plan.programme_total == D("56400.00")
    assert plan.programme_shares == [D("28200.00"), D("28200.00")]


def test_the_seed_plan_table_states_the_time_of_each_step(programme):
    times = [row.time.replace(NBSP, " ") for row in reports.plan_table(programme).rows]

    assert times == [
        "2 h 30 avec le ménage + 1 h admin",
        "1 h 30 toutes les 3 semaines + 1 h 30 par mois admin",
        "47 h 30",
    ]


def test_the_subsidy_asked_is_half_of_the_whole_programme(programme):
    plan = reports.plan_table(programme)
    shares = reports.reference(programme, on=programme.start).shares
    subsidy = [part for part, share in zip(plan.programme_shares, shares, strict=True) if share.is_subsidy]

    assert subsidy == [D("28200.00")]
    assert sum(plan.programme_shares, D(0)) == plan.programme_total


def test_the_plan_page_prints_the_seed_table_in_french_formats(client, steering, programme):
    client.force_login(steering)

    response = client.get(reverse("finance:plan"))

    html = response.content.decode()
    assert f"56{NBSP}400,00{NBSP}€" in html
    assert f"47{NBSP}h{NBSP}30" in html
    plan = html_tables(html)[0]
    assert plan[0] == ["Étape", "Temps", "Coût unitaire", "Pour 20 mesures", "FNAVDL + CGLLS", "Fonds propres LMH"]
    assert plan[1:] == [
        ["Diagnostic", "2 h 30 avec le ménage + 1 h admin", "110,00 €", "2 200,00 €", "1 100,00 €", "1 100,00 €"],
        [
            "Accompagnement (un an)",
            "1 h 30 toutes les 3 semaines + 1 h 30 par mois admin",
            "1 300,00 €",
            "26 000,00 €",
            "13 000,00 €",
            "13 000,00 €",
        ],
        ["Total par mesure", "47 h 30", "1 410,00 €", "28 200,00 €", "14 100,00 €", "14 100,00 €"],
        ["Programme entier (2 ans, 40 mesures)", "", "", "56 400,00 €", "28 200,00 €", "28 200,00 €"],
    ]


def test_the_plan_page_counts_the_measures_of_a_three_year_programme(client, steering, landlord):
    programme = ProgrammeFactory(landlord=landlord, three_years=True)
    client.force_login(steering)

    response = client.get(reverse("finance:plan"))

    assert reports.plan_table(programme).programme_total == D("84600.00")
    assert html_tables(response.content.decode())[0][-1][:4] == [
        "Programme entier (3 ans, 60 mesures)",
        "",
        "",
        "84 600,00 €",
    ]


def test_the_plan_follows_the_reference_data_valid_at_the_start_of_the_programme(programme):
    Rate.objects.filter(programme=programme, kind=RateKind.ACCOMPANIMENT).update(
        valid_to=programme.start + timedelta(days=199)
    )
    Rate.objects.create(
        programme=programme,
        kind=RateKind.ACCOMPANIMENT,
        amount=D("1310.00"),
        valid_from=programme.start + timedelta(days=200),
    )
    TimeNormSetting.objects.filter(programme=programme).update(meeting_every_weeks=2, admin_minutes_per_month=60)

    plan = reports.plan_table(programme)

    # The 1 310 € of a later call does not change the plan as filed.
    assert plan.per_measure_cost == D("1410.00")
    assert plan.programme_total == D("56400.00")
    # 3 h 30 + 26 meetings of 1 h 30 (39 h) + 12 h of administration.
    assert plan.per_measure_minutes == 210 + 2340 + 720
    assert plan.rows[1].time.replace(NBSP, " ") == "1 h 30 toutes les 2 semaines + 1 h par mois admin"


# Plan against actual


def test_a_twelve_month_measure_costs_what_the_plan_says_per_measure(past_programme):
    accompanied_measure(date(2025, 1, 1), signed_on=date(2024, 12, 20), closed_on=date(2026, 1, 1))

    data = reports.plan_vs_actual(past_programme, today=timezone.localdate())

    [line] = data.engaged.lines
    assert (line.diagnostic, line.days, line.accompaniment) == (D("110.00"), 365, D("1300.00"))
    assert data.engaged.total == data.plan.per_measure_cost == D("1410.00")
    assert data.engaged.subsidy_total == D("705.00")
    assert data.hours_norm == data.plan.per_measure_minutes == 2850
    # Closed: nothing more to come.
    assert data.forecast_total == D("1410.00")


def test_a_twelve_month_measure_across_29_february_is_prorated_by_each_year_length(past_programme):
    accompanied_measure(date(2024, 3, 1), signed_on=date(2024, 2, 20), closed_on=date(2025, 3, 1))

    data = reports.plan_vs_actual(past_programme, today=timezone.localdate())

    # 306 days of 2024 (366) and 59 days of 2025 (365): 1 086,885… + 210,136… = 1 297,02.
    [line] = data.engaged.lines
    assert (line.days, line.accompaniment, line.total) == (365, D("1297.02"), D("1407.02"))


def test_plan_against_actual_counts_measures_planned_and_started_by_track(past_programme):
    accompanied_measure(date(2024, 3, 1), closed_on=date(2024, 9, 1))
    accompanied_measure(date(2024, 4, 1), closed_on=date(2025, 4, 1))
    accompanied_measure(
        date(2025, 1, 6), closed_on=date(2025, 6, 1), household=FollowedHouseholdFactory(eole=True, acces=True)
    )
    MeasureFactory(proposed=True)  # not started: no diagnostic yet

    data = reports.plan_vs_actual(past_programme, today=timezone.localdate())

    assert data.planned_by_track == {Track.MAINTIEN.label: 30, Track.ACCES.label: 10}
    assert data.started_by_track == {Track.MAINTIEN.label: 2, Track.ACCES.label: 1}
    assert data.plan.programme_total == D("56400.00")
    assert len(data.engaged.lines) == 3


def test_engaged_is_the_statement_from_the_start_of_the_programme_to_today(programme):
    today = timezone.localdate()
    accompanied_measure(today - timedelta(days=200), closed_on=today - timedelta(days=20))
    open_measure = accompanied_measure(today - timedelta(days=60))
    open_measure.planned_end = today + timedelta(days=305)
    open_measure.save()

    data = reports.plan_vs_actual(programme, today=today)

    statement = reports.statement(programme, start=programme.start, end=today)
    assert data.engaged.total == statement.total
    assert data.engaged.days_total == 180 + 61
    assert data.engaged.diagnostic_total == D("220.00")
    # What is still to come: the open measure, from today to its planned end (305 days of 1 300 € a year).
    remaining = data.forecast_total - data.engaged.total
    assert D("1080.00") < remaining < D("1090.00")


def test_plan_against_actual_compares_the_hours_logged_with_the_norm(past_programme):
    measure = accompanied_measure(date(2024, 1, 1), signed_on=date(2023, 12, 20), closed_on=date(2025, 1, 1))
    ContactFactory(measure=measure, on=date(2024, 2, 1), duration_minutes=90)
    ContactFactory(measure=measure, on=date(2024, 3, 1), admin=True, duration_minutes=45)

    data = reports.plan_vs_actual(past_programme, today=timezone.localdate())

    # 366 days of 2024: 1 560 × 366/365 = 1 564 min with the household and 1 080 × 366/365 = 1 083 min of
    # administration; the diagnostic, signed before the programme began, is not in it.
    assert data.hours_norm == 1564 + 1083
    # Contacts (1 h 30 + 45 min) and the diagnostic (2 h 30 + 1 h).
    assert data.hours_logged == 90 + 45 + 210


def test_the_forecast_of_an_open_measure_counts_each_day_once(programme):
    today = timezone.localdate()
    start, planned_end = today - timedelta(days=60), today + timedelta(days=305)
    measure = accompanied_measure(start)
    measure.planned_end = planned_end
    measure.save()
    rates = reports.reference(programme, on=today).accompaniment_rates

    data = reports.plan_vs_actual(programme, today=today)

    whole = round_cents(accompaniment_amount([Period(start, planned_end)], start=start, end=planned_end, rates=rates))
    # Engaged and still to come are rounded apart: a cent at most between them and the whole.
    assert abs(data.forecast_total - (D("110.00") + whole)) <= D("0.01")


def test_the_plan_page_shows_plan_engaged_and_forecast(client, secretary, past_programme):
    accompanied_measure(date(2025, 1, 1), signed_on=date(2024, 12, 20), closed_on=date(2026, 1, 1))
    client.force_login(secretary)

    response = client.get(reverse("finance:plan"))

    figures = html_tables(response.content.decode())[1]
    assert figures == [
        ["Plan du programme", "56 400,00 €"],
        ["Engagé à ce jour", "1 410,00 €"],
        ["dont subvention", "705,00 €"],
        ["Prévision à fin des durées prévues", "1 410,00 €"],
    ]
