"""Writes that touch several models (households/services.py), the duplicate check and the deadlines of the
home page: each runs whole or not at all, and validates before saving."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from households import services
from households.duplicates import possible_duplicates
from households.enums import HousingSituation, ProcedureEventKind, Relation, Track
from households.home_sections import DEADLINES_SHOWN, deadline_digest, upcoming_deadlines
from households.models import Household, Person, ProcedureEvent, SituationReport, Tenancy
from households.procedure import add_months
from tests.households.factories import (
    DwellingFactory,
    HouseholdFactory,
    PersonFactory,
    ProcedureEventFactory,
    TenancyFactory,
    days_ago,
)

Kind = ProcedureEventKind


def new_household(landlord, proposer, **fields):
    return Household(
        landlord=landlord,
        proposed_by=proposer,
        track=Track.ACCES,
        name=fields.pop("name", "Famille Diallo"),
        housing_situation=HousingSituation.CHRS,
        **fields,
    )


def head(last_name="Diallo", birth_date=date(1990, 4, 12)):
    return Person(last_name=last_name, first_names="Aminata", birth_date=birth_date, relation=Relation.HEAD)


# household_create


def test_household_create_numbers_references_in_order_within_the_year(referent, landlord, association):
    year = timezone.localdate().year

    first = services.household_create(household=new_household(landlord, association), by=referent)
    second = services.household_create(household=new_household(landlord, association, name="Famille Sow"), by=referent)

    assert (first.reference, second.reference) == (f"M-{year}-0001", f"M-{year}-0002")


def test_household_create_numbers_from_the_year_of_the_proposal(referent, landlord, association):
    last_year = timezone.localdate().year - 1
    HouseholdFactory(landlord=landlord, reference=f"M-{last_year}-0041")

    household = services.household_create(
        household=new_household(landlord, association, proposed_on=date(last_year, 12, 30)), by=referent
    )

    assert household.reference == f"M-{last_year}-0042"


def test_household_create_continues_after_the_highest_reference(referent, landlord, association):
    year = timezone.localdate().year
    HouseholdFactory(landlord=landlord, reference=f"M-{year}-0009")
    HouseholdFactory(landlord=landlord, reference=f"M-{year}-0010")

    household = services.household_create(household=new_household(landlord, association), by=referent)

    assert household.reference == f"M-{year}-0011"


def test_household_create_saves_its_people_and_who_proposed_it(referent, landlord, association):
    household = services.household_create(household=new_household(landlord, association), people=[head()], by=referent)

    household.refresh_from_db()
    assert household.proposed_by_user == referent
    assert list(household.people.values_list("last_name", "relation")) == [("Diallo", Relation.HEAD)]


def test_household_create_saves_nothing_when_a_person_is_invalid(referent, landlord, association):
    unborn = head(birth_date=timezone.localdate() + timedelta(days=3))

    with pytest.raises(ValidationError) as error:
        services.household_create(household=new_household(landlord, association), people=[head(), unborn], by=referent)

    assert error.value.message_dict == {"birth_date": ["La date de naissance ne peut pas être dans le futur."]}
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_household_create_validates_the_household(referent, landlord, association):
    with pytest.raises(ValidationError) as error:
        services.household_create(household=new_household(landlord, association, syplo_labelled=True), by=referent)

    assert error.value.message_dict == {"syplo_date": ["Indiquez la date de labellisation SYPLO."]}
    assert not Household.objects.exists()


# situation_report_create


def report(landlord, **fields):
    return SituationReport(organisation=landlord, **({"poor_use": True} | fields))


def test_report_for_a_new_tenant_creates_a_maintien_household_with_head_and_tenancy(tenancy_staff, landlord):
    dwelling = DwellingFactory(landlord=landlord)

    saved = services.situation_report_create(
        report=report(landlord, rent_arrears=True, arrears_amount=Decimal("950.00")),
        household=Household(name="Famille Mercier", landlord=landlord, proposed_by=landlord, track=Track.ACCES),
        people=[head("Mercier", date(1979, 8, 3))],
        tenancy=Tenancy(dwelling=dwelling, start=date(2018, 3, 1)),
        by=tenancy_staff,
    )

    household = Household.objects.get()
    assert saved.household == household
    assert household.track == Track.MAINTIEN
    assert household.housing_situation == HousingSituation.LMH_TENANT
    assert household.reference == f"M-{timezone.localdate().year}-0001"
    assert (household.rent_arrears, household.poor_use, household.arrears_amount) == (True, True, Decimal("950.00"))
    assert household.people.get().last_name == "Mercier"
    assert household.tenancies.current().get().dwelling == dwelling
    assert (saved.reported_by, saved.reported_on) == (tenancy_staff, timezone.localdate())


def test_report_for_a_new_tenant_saves_nothing_when_the_report_is_invalid(tenancy_staff, landlord):
    dwelling = DwellingFactory(landlord=landlord)

    with pytest.raises(ValidationError, match="Indiquez au moins un motif de signalement."):
        services.situation_report_create(
            report=SituationReport(organisation=landlord),
            household=Household(name="Famille Mercier", landlord=landlord, proposed_by=landlord),
            people=[head("Mercier")],
            tenancy=Tenancy(dwelling=dwelling, start=date(2018, 3, 1)),
            by=tenancy_staff,
        )

    assert not Household.objects.exists()
    assert not Person.objects.exists()
    assert not Tenancy.objects.exists()


def test_report_for_an_existing_household_raises_its_difficulty_flags(tenancy_staff, landlord, tenant_household):
    tenant_household.poor_use = True
    tenant_household.save()

    services.situation_report_create(
        report=report(
            landlord, poor_use=False, neighbour_disturbances=True, rent_arrears=True, arrears_amount=Decimal("2600")
        ),
        household=tenant_household,
        by=tenancy_staff,
    )

    tenant_household.refresh_from_db()
    assert tenant_household.neighbour_disturbances
    assert tenant_household.rent_arrears
    assert tenant_household.arrears_amount == Decimal("2600.00")
    # A report is news, not a full statement: it never clears a difficulty already recorded.
    assert tenant_household.poor_use
    assert Household.objects.count() == 1


def test_report_for_an_existing_household_is_saved_with_its_reasons(tenancy_staff, landlord, tenant_household):
    saved = services.situation_report_create(report=report(landlord), household=tenant_household, by=tenancy_staff)

    assert SituationReport.objects.get() == saved
    assert saved.reasons == ["Mauvaise appropriation du logement"]


# procedure_event_add


def event(household, kind, day, **fields):
    return ProcedureEvent(household=household, kind=kind, occurred_on=day, **fields)


def test_procedure_event_add_records_who_entered_it(tenancy_staff, tenant_household):
    saved = services.procedure_event_add(
        event=event(tenant_household, Kind.PAYMENT_ORDER, days_ago(10)), by=tenancy_staff
    )

    assert ProcedureEvent.objects.get() == saved
    assert saved.recorded_by == tenancy_staff


def test_procedure_event_add_refuses_a_summons_before_the_payment_order_delay(tenancy_staff, tenant_household):
    ordered_on = days_ago(20)
    services.procedure_event_add(event=event(tenant_household, Kind.PAYMENT_ORDER, ordered_on), by=tenancy_staff)

    with pytest.raises(ValidationError) as error:
        services.procedure_event_add(
            event=event(tenant_household, Kind.SUMMONS, days_ago(5), hearing_date=days_ago(5) + timedelta(days=70)),
            by=tenancy_staff,
        )

    assert error.value.messages[0].startswith(
        "L'assignation ne peut intervenir qu'après la fin du délai du commandement de payer, le "
        f"{ordered_on + timedelta(weeks=6):%d/%m/%Y}"
    )
    assert list(ProcedureEvent.objects.values_list("kind", flat=True)) == [Kind.PAYMENT_ORDER]


def test_procedure_event_add_refuses_a_second_payment_order_in_the_same_procedure(tenancy_staff, tenant_household):
    services.procedure_event_add(event=event(tenant_household, Kind.PAYMENT_ORDER, days_ago(20)), by=tenancy_staff)

    with pytest.raises(ValidationError, match="Un commandement de payer est déjà enregistré pour cette procédure"):
        services.procedure_event_add(event=event(tenant_household, Kind.PAYMENT_ORDER, days_ago(5)), by=tenancy_staff)

    assert ProcedureEvent.objects.count() == 1


def test_procedure_event_add_checks_only_the_household_own_events(tenancy_staff, tenant_household, household):
    ProcedureEventFactory(household=household, payment_order=True, occurred_on=days_ago(20))

    services.procedure_event_add(event=event(tenant_household, Kind.PAYMENT_ORDER, days_ago(5)), by=tenancy_staff)

    assert tenant_household.procedure_events.count() == 1


def test_procedure_event_add_accepts_a_new_procedure_after_a_closed_one(tenancy_staff, tenant_household):
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(400))
    ProcedureEventFactory(household=tenant_household, closed=True, occurred_on=days_ago(300))

    services.procedure_event_add(event=event(tenant_household, Kind.PAYMENT_ORDER, days_ago(5)), by=tenancy_staff)

    assert tenant_household.procedure_events.filter(kind=Kind.PAYMENT_ORDER).count() == 2


def test_summons_after_six_weeks_is_refused_for_a_lease_signed_before_the_reform(tenancy_staff, tenant_household):
    TenancyFactory(household=tenant_household, start=date(2019, 9, 1))
    ordered_on = days_ago(60)
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=ordered_on)
    summoned_on = ordered_on + timedelta(weeks=7)
    assert summoned_on <= add_months(ordered_on, 2)

    with pytest.raises(ValidationError, match="2 mois, régime avant le 29/07/2023"):
        services.procedure_event_add(
            event=event(tenant_household, Kind.SUMMONS, summoned_on, hearing_date=summoned_on + timedelta(days=70)),
            by=tenancy_staff,
        )


# tenancy_start


def test_tenancy_start_refuses_a_second_current_tenancy(tenant_household, landlord):
    TenancyFactory(household=tenant_household)

    with pytest.raises(ValidationError) as error:
        services.tenancy_start(
            tenancy=Tenancy(
                household=tenant_household, dwelling=DwellingFactory(landlord=landlord), start=date(2024, 1, 1)
            )
        )

    assert error.value.messages == [
        "Ce ménage a déjà une occupation en cours : indiquez d'abord sa date de sortie, puis ajoutez la nouvelle."
    ]
    assert tenant_household.tenancies.count() == 1


def test_tenancy_start_accepts_a_new_tenancy_once_the_previous_one_ended(tenant_household, landlord):
    TenancyFactory(household=tenant_household, ended=True)

    services.tenancy_start(
        tenancy=Tenancy(
            household=tenant_household, dwelling=DwellingFactory(landlord=landlord), start=date(2024, 7, 1)
        )
    )

    assert tenant_household.tenancies.current().get().start == date(2024, 7, 1)


def test_tenancy_start_lets_the_current_tenancy_be_edited(tenant_household):
    tenancy = TenancyFactory(household=tenant_household)
    tenancy.start = date(2019, 10, 1)

    services.tenancy_start(tenancy=tenancy)

    tenancy.refresh_from_db()
    assert tenancy.start == date(2019, 10, 1)


def test_tenancy_start_records_a_past_tenancy_beside_the_current_one(tenant_household, landlord):
    TenancyFactory(household=tenant_household)

    services.tenancy_start(
        tenancy=Tenancy(
            household=tenant_household,
            dwelling=DwellingFactory(landlord=landlord),
            start=date(2010, 1, 1),
            end=date(2015, 1, 1),
        )
    )

    assert tenant_household.tenancies.count() == 2


# possible_duplicates


def test_duplicate_by_name_and_birth_date_ignores_case_and_spaces(referent, landlord, household):
    duplicates = possible_duplicates(referent, people=[head(" durand ", date(1984, 5, 17))], landlord=landlord)

    assert [(d.reference, d.reason) for d in duplicates] == [("F-DURAND", "même nom et même date de naissance")]


def test_duplicate_by_name_ignores_accents(referent, landlord, household):
    PersonFactory(household=household, last_name="Traoré", birth_date=date(1990, 4, 12))

    duplicates = possible_duplicates(referent, people=[head("TRAORE", date(1990, 4, 12))], landlord=landlord)

    assert [(d.reference, d.reason) for d in duplicates] == [("F-DURAND", "même nom et même date de naissance")]


def test_duplicate_the_user_cannot_see_has_no_reference(referent, landlord, other_household):
    duplicates = possible_duplicates(referent, people=[head("Kaci", date(1984, 5, 17))], landlord=landlord)

    assert [(d.reference, d.reason) for d in duplicates] == [(None, "même nom et même date de naissance")]


def test_duplicate_by_current_occupant_of_the_dwelling(tenancy_staff, landlord, tenant_household):
    tenancy = TenancyFactory(household=tenant_household)
    TenancyFactory(household=HouseholdFactory(landlord=landlord), dwelling=tenancy.dwelling, ended=True)

    duplicates = possible_duplicates(
        tenancy_staff, people=[head("Autre")], landlord=landlord, dwelling=tenancy.dwelling
    )

    assert [(d.reference, d.reason) for d in duplicates] == [("F-LEMAIRE", "occupe déjà ce logement")]


def test_household_matching_both_ways_is_listed_once(tenancy_staff, landlord, tenant_household):
    tenancy = TenancyFactory(household=tenant_household)
    PersonFactory(household=tenant_household, last_name="Diallo", birth_date=date(1990, 4, 12))

    duplicates = possible_duplicates(tenancy_staff, people=[head()], landlord=landlord, dwelling=tenancy.dwelling)

    assert len(duplicates) == 1


def test_no_duplicate_for_a_new_person(referent, landlord, household, other_household):
    assert possible_duplicates(referent, people=[head("Nouveau")], landlord=landlord) == []


# Deadlines on the home page


def test_upcoming_deadlines_keep_those_within_the_horizon_soonest_first(landlord):
    today = timezone.localdate()
    soon = HouseholdFactory(landlord=landlord)
    later = HouseholdFactory(landlord=landlord)
    far = HouseholdFactory(landlord=landlord)
    quiet = HouseholdFactory(landlord=landlord)
    ProcedureEventFactory(household=soon, payment_order=True, occurred_on=today - timedelta(days=40))
    ProcedureEventFactory(household=later, payment_order=True, occurred_on=today - timedelta(days=30))
    ProcedureEventFactory(household=far, payment_order=True, occurred_on=today)
    ProcedureEventFactory(household=quiet, payment_order=True, occurred_on=today - timedelta(days=200))
    ProcedureEventFactory(household=quiet, closed=True, occurred_on=today - timedelta(days=10))

    found = upcoming_deadlines(Household.objects.all(), today=today)

    assert [(household, deadline.due) for household, deadline in found] == [
        (soon, today + timedelta(days=2)),
        (later, today + timedelta(days=12)),
    ]


def test_upcoming_deadlines_include_a_past_deadline_still_to_act_on(landlord):
    today = timezone.localdate()
    household = HouseholdFactory(landlord=landlord)
    ProcedureEventFactory(household=household, payment_order=True, occurred_on=today - timedelta(days=60))

    found = upcoming_deadlines(Household.objects.all(), today=today)

    assert [(found_household, deadline.is_past(today)) for found_household, deadline in found] == [(household, True)]


def test_upcoming_deadlines_announce_the_end_of_the_winter_truce(landlord):
    household = HouseholdFactory(landlord=landlord)
    ProcedureEventFactory(household=household, judgment=True, occurred_on=date(2026, 7, 1))
    ProcedureEventFactory(household=household, kind=Kind.ORDER_TO_VACATE, occurred_on=date(2026, 10, 1))
    march_10 = date(2027, 3, 10)

    found = upcoming_deadlines(Household.objects.all(), today=march_10)

    assert [(found_household, deadline.effective) for found_household, deadline in found] == [
        (household, date(2027, 4, 1))
    ]


def test_the_home_page_digest_splits_coming_and_passed_deadlines_and_cuts_each_list(landlord):
    today = timezone.localdate()
    coming = HouseholdFactory(landlord=landlord)
    ProcedureEventFactory(household=coming, payment_order=True, occurred_on=today - timedelta(days=30))
    passed = []
    for index in range(DEADLINES_SHOWN + 2):  # payment orders whose six weeks ended 1 to 12 days ago
        household = HouseholdFactory(landlord=landlord)
        ProcedureEventFactory(household=household, payment_order=True, occurred_on=today - timedelta(days=43 + index))
        passed.append(household)

    digest = deadline_digest(Household.objects.all(), today=today)

    assert [household for household, _ in digest["coming"]] == [coming]
    assert digest["coming_count"] == 1
    assert digest["passed_count"] == DEADLINES_SHOWN + 2
    # The most recently passed first: the two oldest are counted, not listed.
    assert [household for household, _ in digest["passed"]] == passed[:DEADLINES_SHOWN]
