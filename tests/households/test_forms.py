"""Forms on their own: choices limited to what the user may use, and French messages for what is refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from households.enums import HousingSituation, LeaseKind, ProcedureEventKind, Relation, ResourceSource, Track
from households.forms import (
    AllocationForm,
    ArrearsBalanceForm,
    HouseholdForm,
    NewTenantForm,
    PersonForm,
    PersonFormSet,
    ProcedureEventForm,
    ResourceForm,
    SituationReportForm,
    TenancyForm,
)
from households.models import Household
from tests.households.factories import (
    DwellingFactory,
    SectorFactory,
    SocialLoadThresholdFactory,
    TenancyFactory,
    days_ago,
    people_data,
)

MUST_BE_POSITIVE = "Assurez-vous que cette valeur est supérieure ou égale à 0."
INVALID_CHOICE = "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


# Household


def household_data(landlord, proposer, **overrides):
    return {
        "landlord": landlord.pk,
        "proposed_by": proposer.pk,
        "track": Track.ACCES,
        "name": "Famille Diallo",
        "proposed_on": timezone.localdate().isoformat(),
        "housing_situation": HousingSituation.HOSTED,
    } | overrides


def test_household_form_offers_only_the_user_organisations_as_proposer(referent, association, other_association):
    form = HouseholdForm(user=referent)

    assert list(form.fields["proposed_by"].queryset) == [association]
    assert form.fields["proposed_by"].initial == association.pk


def test_household_form_offers_landlords_only_as_landlord(referent, landlord, association):
    form = HouseholdForm(user=referent)

    assert list(form.fields["landlord"].queryset) == [landlord]
    assert form.fields["landlord"].initial == landlord.pk


def test_household_form_suggests_the_track_of_the_user_role(referent, tenancy_staff):
    assert HouseholdForm(user=referent).fields["track"].initial == Track.ACCES
    landlord_form = HouseholdForm(user=tenancy_staff)
    assert landlord_form.fields["track"].initial == Track.MAINTIEN
    assert landlord_form.fields["housing_situation"].initial == HousingSituation.LMH_TENANT


def test_household_form_rejects_an_association_as_landlord(referent, association):
    form = HouseholdForm(household_data(association, association), user=referent)

    assert form.errors["landlord"] == [INVALID_CHOICE]


def test_household_form_rejects_a_forged_proposer(referent, landlord, other_association):
    form = HouseholdForm(household_data(landlord, other_association), user=referent)

    assert not form.is_valid()
    assert form.errors["proposed_by"] == [INVALID_CHOICE]


def test_household_form_rejects_a_landlord_as_proposer_for_the_referent(referent, landlord):
    form = HouseholdForm(household_data(landlord, landlord), user=referent)

    assert not form.is_valid()
    assert "proposed_by" in form.errors


def test_household_form_refuses_a_landlord_proposing_for_another_landlord(tenancy_staff, landlord, other_landlord):
    form = HouseholdForm(household_data(other_landlord, landlord), user=tenancy_staff)

    assert not form.is_valid()
    assert form.errors["landlord"] == ["Un bailleur ne propose que des ménages de son propre parc."]


def test_household_form_accepts_a_landlord_proposing_in_its_own_stock(tenancy_staff, landlord):
    form = HouseholdForm(household_data(landlord, landlord, track=Track.MAINTIEN), user=tenancy_staff)

    assert form.is_valid(), form.errors


def test_household_edit_form_does_not_offer_proposer_landlord_or_track(referent, household):
    form = HouseholdForm(instance=household, user=referent)

    assert not {"landlord", "proposed_by", "track"} & set(form.fields)
    assert [legend for legend, _ in form.groups()] == [
        "Ménage",
        "Éligibilité",
        "Difficultés",
        "Coordonnées et consentement",
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"syplo_labelled": "on"}, "syplo_date", "Indiquez la date de labellisation SYPLO."),
        (
            {"syplo_labelled": "on", "syplo_date": tomorrow()},
            "syplo_date",
            "La date de labellisation SYPLO ne peut pas être dans le futur.",
        ),
        ({"rent_arrears": "on"}, "arrears_amount", "Indiquez le montant de la dette locative."),
        ({"rent_arrears": "on", "arrears_amount": "-1"}, "arrears_amount", MUST_BE_POSITIVE),
        ({"proposed_on": tomorrow()}, "proposed_on", "La date de proposition ne peut pas être dans le futur."),
        (
            {"consent_on": days_ago(2).isoformat()},
            "consent_method",
            "Indiquez comment le ménage a été informé et a consenti.",
        ),
        ({"postal_code": "5900"}, "postal_code", "Le code postal compte 5 chiffres, par exemple 59000."),
        ({"phone": "12345"}, "phone", "Numéro de téléphone attendu, par exemple 03 20 12 34 56."),
    ],
)
def test_household_form_explains_what_is_wrong_in_french(referent, landlord, association, overrides, field, message):
    form = HouseholdForm(household_data(landlord, association, **overrides), user=referent)

    assert not form.is_valid()
    assert message in form.errors[field]


# People and resources


def person_data(birth_date):
    return {"last_name": "Diallo", "first_names": "Aminata", "birth_date": birth_date, "relation": Relation.HEAD}


def test_person_born_in_the_future_is_refused(db):
    form = PersonForm(person_data(tomorrow()))

    assert form.errors["birth_date"] == ["La date de naissance ne peut pas être dans le futur."]


def test_person_born_more_than_110_years_ago_is_refused(db):
    form = PersonForm(person_data(date(timezone.localdate().year - 111, 12, 31).isoformat()))

    assert form.errors["birth_date"] == ["Date de naissance peu plausible : vérifiez l'année."]


def test_person_born_110_years_ago_is_accepted(db):
    form = PersonForm(person_data(date(timezone.localdate().year - 110, 1, 1).isoformat()))

    assert "birth_date" not in form.errors


def test_person_born_today_is_accepted(db):
    form = PersonForm(person_data(timezone.localdate().isoformat()))

    assert "birth_date" not in form.errors


def people_formset(household, rows):
    return PersonFormSet(people_data(household, rows), instance=household, prefix="people")


ONLY_ONE_HEAD = "Le ménage doit compter un chef de ménage, et un seul."


def test_people_formset_refuses_a_head_turned_into_a_child(household):
    formset = people_formset(household, [person_data("1984-05-17") | {"relation": Relation.CHILD}])

    assert not formset.is_valid()
    assert formset.non_form_errors() == [ONLY_ONE_HEAD]
    assert formset.forms[0].errors["relation"] == ["Le ménage doit garder un chef de ménage : désignez-en un autre."]


def test_people_formset_refuses_a_second_head(household):
    second = person_data("1982-11-02") | {"first_names": "Karim"}
    formset = people_formset(household, [person_data("1984-05-17"), second])

    assert not formset.is_valid()
    assert formset.non_form_errors() == [ONLY_ONE_HEAD]
    assert formset.forms[1].errors["relation"] == [
        "Un ménage n'a qu'un seul chef de ménage : choisissez un autre lien."
    ]


def test_new_household_without_a_head_is_refused(db):
    data = {
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "1000",
    } | {f"people-0-{key}": value for key, value in (person_data("2015-06-01") | {"relation": Relation.CHILD}).items()}
    formset = PersonFormSet(data, instance=Household(), prefix="people")

    assert not formset.is_valid()
    assert formset.non_form_errors() == [ONLY_ONE_HEAD]
    assert formset.forms[0].errors["relation"] == ["Indiquez qui est le chef de ménage."]


def test_people_formset_with_one_head_is_valid(household):
    child = person_data("2015-06-01") | {"first_names": "Léo", "relation": Relation.CHILD}

    assert people_formset(household, [person_data("1984-05-17"), child]).is_valid()


def test_resource_with_a_negative_amount_is_refused(db):
    form = ResourceForm({"source": ResourceSource.WAGES, "monthly_amount": "-1", "as_of": days_ago(1).isoformat()})

    assert form.errors["monthly_amount"] == [MUST_BE_POSITIVE]


def test_resource_dated_in_the_future_is_refused(db):
    form = ResourceForm({"source": ResourceSource.WAGES, "monthly_amount": "1200", "as_of": tomorrow()})

    assert form.errors["as_of"] == ["La date de la ressource ne peut pas être dans le futur."]


# Tenancy


@pytest.fixture
def dwelling(landlord):
    return DwellingFactory(landlord=landlord, reference="LMH-0042", sector__name="Lille-Sud", sector__stock_size=10)


def tenancy_data(dwelling, **overrides):
    return {"dwelling": dwelling.pk, "start": "2021-03-01", "lease_kind": LeaseKind.DIRECT} | overrides


def test_tenancy_form_offers_only_the_household_landlord_dwellings(tenant_household, dwelling, other_landlord):
    DwellingFactory(landlord=other_landlord)

    form = TenancyForm(household=tenant_household)

    assert list(form.fields["dwelling"].queryset) == [dwelling]


def test_tenancy_form_rejects_a_dwelling_of_another_landlord(tenant_household, other_landlord):
    form = TenancyForm(tenancy_data(DwellingFactory(landlord=other_landlord)), household=tenant_household)

    assert form.errors["dwelling"] == [INVALID_CHOICE]


def test_dwelling_choice_shows_the_sector_load_and_flags_it_above_the_threshold(tenant_household, landlord, dwelling):
    SocialLoadThresholdFactory(rate=Decimal("5.00"))
    TenancyFactory(household__landlord=landlord, dwelling=dwelling)
    calm = DwellingFactory(landlord=landlord, reference="LMH-0099", sector__name="Hellemmes", sector__stock_size=100)

    labels = dict(TenancyForm(household=tenant_household).fields["dwelling"].choices)

    loaded = next(label for label in labels.values() if str(label).startswith("LMH-0042"))
    quiet = next(label for label in labels.values() if str(label).startswith(calm.reference))
    assert "secteur Lille-Sud : charge sociale 10.0 % — au-dessus du seuil" in loaded
    assert "secteur Hellemmes : charge sociale 0.0 %" in quiet
    assert "au-dessus du seuil" not in quiet


def test_tenancy_ending_before_it_starts_is_refused(tenant_household, dwelling):
    form = TenancyForm(tenancy_data(dwelling, end="2021-02-28"), household=tenant_household)

    assert form.errors["end"] == ["La sortie doit suivre l'entrée dans les lieux (01/03/2021)."]


def test_tenancy_ending_in_the_future_is_refused(tenant_household, dwelling):
    form = TenancyForm(tenancy_data(dwelling, end=tomorrow()), household=tenant_household)

    assert form.errors["end"] == ["La date de sortie ne peut pas être dans le futur."]


@pytest.mark.parametrize("lease_kind", [LeaseKind.DIRECT, LeaseKind.TEMPORARY])
def test_sliding_lease_fields_are_refused_on_another_lease(tenant_household, dwelling, association, lease_kind):
    form = TenancyForm(
        tenancy_data(
            dwelling,
            lease_kind=lease_kind,
            main_lease_holder=association.pk,
            sublet_start="2021-03-01",
            planned_slide_on="2023-03-01",
            slid_on="2023-02-01",
        ),
        household=tenant_household,
    )

    assert not form.is_valid()
    for name in ["main_lease_holder", "sublet_start", "planned_slide_on", "slid_on"]:
        assert "Réservé au bail glissant : videz ce champ ou choisissez « Bail glissant »." in form.errors[name]


def test_sliding_lease_needs_its_holder_and_sublet_start(tenant_household, dwelling):
    form = TenancyForm(tenancy_data(dwelling, lease_kind=LeaseKind.SLIDING), household=tenant_household)

    assert form.errors["main_lease_holder"] == ["Un bail glissant a pour titulaire une association : indiquez-la."]
    assert form.errors["sublet_start"] == ["Indiquez le début de la sous-location."]


def test_sliding_lease_slides_after_the_sublet_starts(tenant_household, dwelling, association):
    form = TenancyForm(
        tenancy_data(
            dwelling,
            lease_kind=LeaseKind.SLIDING,
            main_lease_holder=association.pk,
            sublet_start="2021-03-01",
            planned_slide_on="2021-01-01",
        ),
        household=tenant_household,
    )

    assert form.errors["planned_slide_on"] == ["Le glissement prévu doit suivre le début de la sous-location."]


def test_sliding_lease_holder_is_an_association(tenant_household, dwelling, landlord):
    form = TenancyForm(
        tenancy_data(dwelling, lease_kind=LeaseKind.SLIDING, main_lease_holder=landlord.pk, sublet_start="2021-03-01"),
        household=tenant_household,
    )

    assert INVALID_CHOICE in form.errors["main_lease_holder"]


# Arrears, allocation


def test_arrears_balance_dated_in_the_future_or_negative_is_refused(tenant_household):
    form = ArrearsBalanceForm({"as_of": tomorrow(), "amount": "-3"}, household=tenant_household)

    assert form.errors == {
        "as_of": ["La date du solde ne peut pas être dans le futur."],
        "amount": [MUST_BE_POSITIVE],
    }


def test_allocation_form_rejects_a_dwelling_of_another_landlord(household, other_landlord):
    form = AllocationForm(
        {"dwelling": DwellingFactory(landlord=other_landlord).pk, "decision": "pending", "contingent": "prefectoral"},
        household=household,
    )

    assert form.errors["dwelling"] == [INVALID_CHOICE]


def test_allocation_decision_needs_a_committee_date(household, landlord):
    form = AllocationForm(
        {"dwelling": DwellingFactory(landlord=landlord).pk, "decision": "refused", "contingent": "prefectoral"},
        household=household,
    )

    assert form.errors["cal_date"] == ["Une décision de la CAL a une date : indiquez-la."]


# Procedure events


def event_data(kind, **overrides):
    return {"kind": kind, "occurred_on": days_ago(3).isoformat(), "lease_terminated": "unknown"} | overrides


def test_summons_needs_its_hearing_date(tenant_household):
    form = ProcedureEventForm(event_data(ProcedureEventKind.SUMMONS), household=tenant_household)

    assert form.errors["hearing_date"] == ["Une assignation indique la date d'audience : renseignez-la."]


def test_hearing_date_belongs_to_a_summons_only(tenant_household):
    form = ProcedureEventForm(
        event_data(ProcedureEventKind.PAYMENT_ORDER, hearing_date=days_ago(1).isoformat()), household=tenant_household
    )

    assert form.errors["hearing_date"] == ["La date d'audience ne se renseigne que pour une assignation."]


def test_judgment_says_whether_the_lease_is_terminated(tenant_household):
    form = ProcedureEventForm(event_data(ProcedureEventKind.JUDGMENT), household=tenant_household)

    assert form.errors["lease_terminated"] == ["Indiquez si le jugement prononce la résiliation du bail."]


@pytest.mark.parametrize(("answer", "expected"), [("true", True), ("false", False)])
def test_judgment_records_the_answer_on_the_lease(tenant_household, answer, expected):
    form = ProcedureEventForm(
        event_data(ProcedureEventKind.JUDGMENT, lease_terminated=answer), household=tenant_household
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["lease_terminated"] is expected


def test_procedure_event_in_the_future_is_refused(tenant_household):
    form = ProcedureEventForm(
        event_data(ProcedureEventKind.CCAPEX_REFERRAL, occurred_on=tomorrow()), household=tenant_household
    )

    assert form.errors["occurred_on"] == ["La date de l'événement ne peut pas être dans le futur."]


def test_procedure_event_amount_cannot_be_negative(tenant_household):
    form = ProcedureEventForm(event_data(ProcedureEventKind.PAYMENT_ORDER, amount="-5"), household=tenant_household)

    assert form.errors["amount"] == [MUST_BE_POSITIVE]


# Situation report


def report_data(organisation, **overrides):
    return {"organisation": organisation.pk, "poor_use": "on", "to_present": "on"} | overrides


def test_report_form_offers_only_the_user_landlords(tenancy_staff, landlord, other_landlord):
    form = SituationReportForm(user=tenancy_staff)

    assert list(form.fields["organisation"].queryset) == [landlord]
    assert form.fields["organisation"].initial == landlord.pk
    assert form.fields["organisation"].label == "Bailleur"


def test_report_form_rejects_a_landlord_the_user_does_not_belong_to(tenancy_staff, other_landlord):
    form = SituationReportForm(report_data(other_landlord), user=tenancy_staff)

    assert form.errors["organisation"] == [INVALID_CHOICE]


def test_report_without_any_reason_is_refused(tenancy_staff, landlord):
    form = SituationReportForm(report_data(landlord, poor_use=""), user=tenancy_staff)

    assert form.non_field_errors() == ["Indiquez au moins un motif de signalement."]


def test_report_of_arrears_needs_their_amount(tenancy_staff, landlord):
    form = SituationReportForm(report_data(landlord, rent_arrears="on"), user=tenancy_staff)

    assert form.errors["arrears_amount"] == ["Indiquez le montant de la dette locative."]


def test_report_with_another_reason_only_is_accepted(tenancy_staff, landlord):
    form = SituationReportForm(
        report_data(landlord, poor_use="", other_reason="Suroccupation du logement"), user=tenancy_staff
    )

    assert form.is_valid(), form.errors


# New tenant (situation report)


def new_tenant_data(dwelling, **overrides):
    return {
        "name": "Famille Mercier",
        "head_last_name": "Mercier",
        "head_first_names": "Julie",
        "head_birth_date": "1979-08-03",
        "dwelling": dwelling.pk,
        "tenancy_start": "2018-03-01",
    } | overrides


def test_new_tenant_form_offers_only_the_landlord_dwellings(landlord, other_landlord, dwelling):
    DwellingFactory(landlord=other_landlord)

    form = NewTenantForm(landlord_ids={landlord.pk})

    assert list(form.fields["dwelling"].queryset) == [dwelling]


def test_new_tenant_in_a_dwelling_of_another_landlord_is_refused(landlord, other_landlord):
    form = NewTenantForm(new_tenant_data(DwellingFactory(landlord=other_landlord)), landlord_ids={landlord.pk})

    assert form.errors["dwelling"] == [INVALID_CHOICE]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"head_birth_date": tomorrow()}, "head_birth_date", "La date de naissance ne peut pas être dans le futur."),
        ({"head_birth_date": "1900-01-01"}, "head_birth_date", "Date de naissance peu plausible : vérifiez l'année."),
        ({"tenancy_start": tomorrow()}, "tenancy_start", "La date d'entrée ne peut pas être dans le futur."),
        ({"phone": "0320"}, "phone", "Numéro de téléphone attendu, par exemple 03 20 12 34 56."),
    ],
)
def test_new_tenant_form_explains_what_is_wrong(landlord, dwelling, overrides, field, message):
    form = NewTenantForm(new_tenant_data(dwelling, **overrides), landlord_ids={landlord.pk})

    assert form.errors[field] == [message]


def test_sector_of_a_dwelling_belongs_to_its_landlord(landlord, other_landlord):
    dwelling = DwellingFactory.build(landlord=landlord, sector=SectorFactory(landlord=other_landlord))

    with pytest.raises(ValidationError, match="Ce secteur appartient à un autre bailleur."):
        dwelling.full_clean()
