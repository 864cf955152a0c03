"""The household pages as users meet them: list, search and filters, proposal, file tabs, forms with their
French error messages, situation reports, sectors and home-page sections."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from households.enums import (
    HouseholdStatus,
    HousingSituation,
    LeaseKind,
    ProcedureEventKind,
    Relation,
    ResourceSource,
    Track,
)
from households.models import (
    Allocation,
    ArrearsBalance,
    Household,
    Person,
    ProcedureEvent,
    Resource,
    SituationReport,
    Tenancy,
)
from households.procedure import EventFacts, add_months, format_date, order_errors
from tests.households.factories import (
    DwellingFactory,
    HouseholdFactory,
    PersonFactory,
    ProcedureEventFactory,
    SectorFactory,
    SituationReportFactory,
    SocialLoadThresholdFactory,
    TenancyFactory,
    days_ago,
    people_data,
)

NBSP = "\u00a0"


def content(response) -> str:
    return response.content.decode()


def list_page(client, **params) -> str:
    response = client.get(reverse("households:list"), params)
    assert response.status_code == 200
    return content(response)


def row_of(page: str, reference: str) -> str:
    """The list's table row holding `reference`."""
    match = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(reference)}(?:(?!</tr>).)*</tr>", page, re.S)
    assert match, f"{reference} is not in the list"
    return match.group(0)


def file_page(client, household, tab="situation") -> str:
    response = client.get(f"{reverse('households:detail', args=[household.pk])}?onglet={tab}")
    assert response.status_code == 200
    return content(response)


def iso(day: date) -> str:
    return day.isoformat()


# List: search


@pytest.fixture
def three_households(household, other_household, tenant_household):
    return household, other_household, tenant_household


def test_list_search_finds_a_household_by_name(client, tenancy_staff, three_households):
    client.force_login(tenancy_staff)

    page = list_page(client, q="durand")

    assert "F-DURAND" in page
    assert "F-KACI" not in page and "F-LEMAIRE" not in page
    assert "1 ménage" in page


def test_list_search_finds_a_household_by_reference(client, tenancy_staff, three_households):
    client.force_login(tenancy_staff)

    page = list_page(client, q="f-lemaire")

    assert "F-LEMAIRE" in page
    assert "F-DURAND" not in page and "F-KACI" not in page


def test_list_search_finds_a_household_by_a_member_last_name(client, tenancy_staff, three_households):
    household = three_households[0]
    PersonFactory(household=household, child=True, last_name="Benhamou", first_names="Nael")
    client.force_login(tenancy_staff)

    page = list_page(client, q="Benhamou")

    assert "F-DURAND" in page
    assert "F-KACI" not in page and "F-LEMAIRE" not in page


def test_list_search_from_the_header_ignores_accents_and_case(client, tenancy_staff, three_households, landlord):
    household = three_households[0]
    PersonFactory(household=household, child=True, last_name="Traoré", first_names="Awa")
    HouseholdFactory(landlord=landlord, name="Famille Hénaff-Œuvray", reference="M-2026-0002")
    client.force_login(tenancy_staff)

    by_member, by_name, by_ligature = (list_page(client, q=text) for text in ["traore", "Henaff", "oeuvray"])

    assert "F-DURAND" in by_member and "1 ménage" in by_member
    assert "M-2026-0002" in by_name and "1 ménage" in by_name
    assert "M-2026-0002" in by_ligature and "1 ménage" in by_ligature
    assert 'value="oeuvray"' in by_ligature  # kept in the header's search box


def test_list_search_without_match_says_so(client, tenancy_staff, three_households):
    client.force_login(tenancy_staff)

    page = list_page(client, q="Inconnu")

    assert "0 ménage" in page
    assert "Aucun ménage ne correspond à ces filtres" in page


# List: filters


def test_list_filters_by_track(client, tenancy_staff, three_households):
    client.force_login(tenancy_staff)

    page = list_page(client, track=Track.MAINTIEN)

    assert "F-LEMAIRE" in page
    assert "F-DURAND" not in page and "F-KACI" not in page


def test_list_filters_by_status(client, tenancy_staff, three_households):
    household = three_households[0]
    household.status = HouseholdStatus.ACCOMPANIED
    household.save()
    client.force_login(tenancy_staff)

    page = list_page(client, status=HouseholdStatus.ACCOMPANIED)

    assert "F-DURAND" in page
    assert "F-KACI" not in page and "F-LEMAIRE" not in page


def test_list_filters_by_organisation(client, tenancy_staff, other_association, three_households):
    client.force_login(tenancy_staff)

    page = list_page(client, organisation=other_association.pk)

    assert "F-KACI" in page
    assert "F-DURAND" not in page and "F-LEMAIRE" not in page


def test_list_filters_by_operator_organisation(client, tenancy_staff, association, three_households):
    tenant_household = three_households[2]
    tenant_household.operator = association
    tenant_household.save()
    client.force_login(tenancy_staff)

    page = list_page(client, organisation=association.pk)

    assert "F-DURAND" in page and "F-LEMAIRE" in page
    assert "F-KACI" not in page


def test_list_filters_by_sector_of_the_current_dwelling(client, tenancy_staff, landlord, three_households):
    household, other_household, tenant_household = three_households
    south, moulins = (
        SectorFactory(landlord=landlord, name="Lille-Sud"),
        SectorFactory(landlord=landlord, name="Moulins"),
    )
    TenancyFactory(household=tenant_household, dwelling=DwellingFactory(landlord=landlord, sector=south))
    TenancyFactory(household=other_household, dwelling=DwellingFactory(landlord=landlord, sector=moulins))
    # A former dwelling in the sector does not count.
    TenancyFactory(household=household, ended=True, dwelling=DwellingFactory(landlord=landlord, sector=south))
    client.force_login(tenancy_staff)

    page = list_page(client, sector=south.pk)

    assert "F-LEMAIRE" in page
    assert "F-KACI" not in page and "F-DURAND" not in page


def test_list_filters_by_eligibility(client, tenancy_staff, three_households):
    household = three_households[1]
    household.dalo = True
    household.save()
    client.force_login(tenancy_staff)

    page = list_page(client, eligibility="dalo")

    assert "F-KACI" in page
    assert "F-DURAND" not in page and "F-LEMAIRE" not in page


def test_list_filters_by_procedure_stage(client, tenancy_staff, three_households):
    tenant_household = three_households[2]
    ProcedureEventFactory(household=tenant_household, ccapex_referral=True, occurred_on=days_ago(40))
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(20))
    client.force_login(tenancy_staff)

    at_payment_order = list_page(client, procedure_stage=ProcedureEventKind.PAYMENT_ORDER)
    without_procedure = list_page(client, procedure_stage="none")

    assert "F-LEMAIRE" in at_payment_order
    assert "F-DURAND" not in at_payment_order and "F-KACI" not in at_payment_order
    assert "F-DURAND" in without_procedure and "F-KACI" in without_procedure
    assert "F-LEMAIRE" not in without_procedure


def test_list_shows_the_procedure_stage_and_next_deadline(client, tenancy_staff, tenant_household):
    ordered_on = days_ago(10)
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=ordered_on)
    client.force_login(tenancy_staff)

    row = row_of(list_page(client), "F-LEMAIRE")

    assert "Commandement de payer" in row
    assert f"Fin du délai du commandement de payer : {format_date(ordered_on + timedelta(weeks=6))}" in row


def test_list_and_its_filter_place_a_later_referral_at_the_payment_order(client, tenancy_staff, tenant_household):
    """A CCAPEX referral made after the payment order is lawful; the household stands at the
    payment order, the further stage in legal order (as the deadlines reckon it)."""
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(50))
    ProcedureEventFactory(household=tenant_household, ccapex_referral=True, occurred_on=days_ago(20))
    client.force_login(tenancy_staff)

    row = row_of(list_page(client), "F-LEMAIRE")
    assert "Commandement de payer" in row and "Saisine de la CCAPEX" not in row
    assert "F-LEMAIRE" in list_page(client, procedure_stage=ProcedureEventKind.PAYMENT_ORDER)
    assert "F-LEMAIRE" not in list_page(client, procedure_stage=ProcedureEventKind.CCAPEX_REFERRAL)


def test_list_shows_a_closed_procedure_as_closed(client, tenancy_staff, tenant_household):
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(100))
    ProcedureEventFactory(household=tenant_household, closed=True, occurred_on=days_ago(20))
    client.force_login(tenancy_staff)

    row = row_of(list_page(client), "F-LEMAIRE")

    assert "Procédure abandonnée ou éteinte" in row
    assert "Commandement de payer" not in row


def test_filters_stay_in_the_pagination_links(client, tenancy_staff, landlord, household):
    HouseholdFactory.create_batch(30, landlord=landlord, track=Track.MAINTIEN)
    client.force_login(tenancy_staff)

    first = list_page(client, track=Track.MAINTIEN)
    second = list_page(client, track=Track.MAINTIEN, page=2)

    assert "30 ménages" in first
    assert "Page 1 sur 2" in first
    assert "?track=maintien&amp;page=2" in first
    assert "Page 2 sur 2" in second
    assert "?track=maintien&amp;page=1" in second
    assert "F-DURAND" not in first + second
    assert len(re.findall(r'href="/menages/\d+/"', second)) == 5


def test_filters_keep_their_values_in_the_form(client, tenancy_staff, household):
    client.force_login(tenancy_staff)

    page = list_page(client, q="Durand", track=Track.ACCES)

    assert 'value="Durand"' in page
    assert '<option value="acces" selected>' in page


# Proposing a household


@pytest.fixture
def proposal(landlord, association):
    """What a referent types to propose an accès household with its head."""
    return {
        "landlord": landlord.pk,
        "proposed_by": association.pk,
        "track": Track.ACCES,
        "name": "Famille Diallo",
        "proposed_on": iso(timezone.localdate()),
        "housing_situation": HousingSituation.CHRS,
        "housing_situation_detail": "CHRS Les Glycines",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "1000",
        "people-0-last_name": "Diallo",
        "people-0-first_names": "Aminata",
        "people-0-birth_date": "1990-04-12",
        "people-0-relation": Relation.HEAD,
    }


def test_referent_proposes_a_household_with_its_head(client, referent, association, landlord, proposal):
    client.force_login(referent)

    response = client.post(reverse("households:create"), proposal)

    household = Household.objects.get(name="Famille Diallo")
    assert response.status_code == 302
    assert response["Location"] == reverse("households:detail", args=[household.pk])
    assert household.reference == f"M-{timezone.localdate().year}-0001"
    assert (household.landlord, household.proposed_by, household.proposed_by_user) == (landlord, association, referent)
    assert household.track == Track.ACCES
    assert [(p.last_name, p.first_names, p.relation) for p in household.people.all()] == [
        ("Diallo", "Aminata", Relation.HEAD)
    ]
    assert f"Ménage M-{timezone.localdate().year}-0001 enregistré." in content(client.get(response["Location"]))


def test_proposed_households_get_consecutive_references(client, referent, proposal):
    client.force_login(referent)
    year = timezone.localdate().year

    client.post(reverse("households:create"), proposal)
    client.post(
        reverse("households:create"),
        proposal | {"name": "Famille Sow", "people-0-last_name": "Sow", "people-0-birth_date": "1992-01-30"},
    )

    assert list(Household.objects.order_by("reference").values_list("name", "reference")) == [
        ("Famille Diallo", f"M-{year}-0001"),
        ("Famille Sow", f"M-{year}-0002"),
    ]


def test_proposal_on_behalf_of_an_organisation_the_user_does_not_belong_to_is_rejected(
    client, referent, other_association, proposal
):
    client.force_login(referent)

    response = client.post(reverse("households:create"), proposal | {"proposed_by": other_association.pk})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in content(response)
    assert not Household.objects.exists()


def test_landlord_staff_cannot_propose_for_another_landlord(client, tenancy_staff, landlord, other_landlord, proposal):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:create"),
        proposal | {"proposed_by": landlord.pk, "landlord": other_landlord.pk, "track": Track.MAINTIEN},
    )

    assert "Un bailleur ne propose que des ménages de son propre parc." in content(response)
    assert not Household.objects.exists()


def test_proposal_with_a_future_birth_date_is_refused_and_keeps_what_was_typed(client, referent, proposal):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(referent)

    response = client.post(reverse("households:create"), proposal | {"people-0-birth_date": iso(tomorrow)})

    page = content(response)
    assert "La date de naissance ne peut pas être dans le futur." in page
    assert 'value="Famille Diallo"' in page
    assert 'value="CHRS Les Glycines"' in page
    assert 'value="Aminata"' in page
    assert f'value="{iso(tomorrow)}"' in page
    assert not Household.objects.exists()
    assert not Person.objects.exists()


def test_proposal_with_a_birth_year_more_than_110_years_ago_is_refused(client, referent, proposal):
    client.force_login(referent)
    too_old = date(timezone.localdate().year - 111, 6, 1)

    response = client.post(reverse("households:create"), proposal | {"people-0-birth_date": iso(too_old)})

    assert escape("Date de naissance peu plausible : vérifiez l'année.") in content(response)
    assert not Household.objects.exists()


def test_proposal_labelled_syplo_needs_the_labelling_date(client, referent, proposal):
    client.force_login(referent)

    response = client.post(reverse("households:create"), proposal | {"syplo_labelled": "on"})

    assert "Indiquez la date de labellisation SYPLO." in content(response)
    assert not Household.objects.exists()


def test_proposal_with_a_negative_debt_is_refused(client, referent, proposal):
    client.force_login(referent)

    response = client.post(reverse("households:create"), proposal | {"rent_arrears": "on", "arrears_amount": "-120"})

    page = content(response)
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in page
    assert 'value="-120"' in page
    assert not Household.objects.exists()


def test_proposal_without_any_person_is_refused(client, referent, proposal):
    client.force_login(referent)
    data = {key: value for key, value in proposal.items() if not key.startswith("people-0-")}

    response = client.post(reverse("households:create"), data)

    assert content(response).count("Ce champ est obligatoire.") == 4
    assert not Household.objects.exists()


def test_possible_duplicate_blocks_the_first_submission_then_a_confirmed_one_goes_through(
    client, referent, household, proposal
):
    PersonFactory(household=household, last_name="DIALLO", first_names="Awa", birth_date=date(1990, 4, 12))
    client.force_login(referent)

    first = client.post(reverse("households:create"), proposal)

    page = content(first)
    assert first.status_code == 200
    assert "Ce ménage est peut-être déjà connu" in page
    assert "F-DURAND : même nom et même date de naissance." in page
    assert 'value="Famille Diallo"' in page
    assert Household.objects.count() == 1

    confirmed = client.post(reverse("households:create"), proposal | {"confirm_not_duplicate": "1"})

    assert confirmed.status_code == 302
    assert Household.objects.filter(name="Famille Diallo").exists()


def test_possible_duplicate_the_user_cannot_see_is_announced_without_its_reference(
    client, referent, other_household, proposal
):
    PersonFactory(household=other_household, last_name="Diallo", birth_date=date(1990, 4, 12))
    client.force_login(referent)

    response = client.post(reverse("households:create"), proposal)

    page = content(response)
    assert "Un ménage suivi par une autre organisation : même nom et même date de naissance." in page
    assert "F-KACI" not in page
    assert "Famille Kaci" not in page
    assert not Household.objects.filter(name="Famille Diallo").exists()


def test_same_name_with_another_birth_date_is_not_a_duplicate(client, referent, household, proposal):
    PersonFactory(household=household, last_name="Diallo", birth_date=date(1991, 4, 12))
    client.force_login(referent)

    response = client.post(reverse("households:create"), proposal)

    assert response.status_code == 302


# Editing a household


@pytest.fixture
def identity(household):
    """The edit form's fields as the page shows them for the `household` fixture."""
    return {
        "name": household.name,
        "proposed_on": iso(household.proposed_on),
        "housing_situation": household.housing_situation,
    }


def test_edit_saves_the_change_and_the_history_tab_names_who_made_it(client, referent, household, identity):
    client.force_login(referent)

    response = client.post(reverse("households:edit", args=[household.pk]), identity | {"name": "Famille Durand-Roy"})

    assert response.status_code == 302
    household.refresh_from_db()
    assert household.name == "Famille Durand-Roy"
    history = file_page(client, household, "historique")
    assert "Modification — Ménage" in history
    assert "Nom du ménage : Famille Durand → Famille Durand-Roy" in history
    assert "Amandine Martin" in history


def test_history_tab_shows_labels_french_dates_and_yes_no_not_raw_values(client, referent, household, association):
    household.status = HouseholdStatus.ACCOMPANIED
    household.syplo_labelled, household.syplo_date = True, date(2025, 10, 13)
    household.rent_arrears, household.arrears_amount = True, Decimal("1850.50")
    household.operator = association
    household.save()
    household.people.update(relation=Relation.SPOUSE)
    client.force_login(referent)

    history = html.unescape(file_page(client, household, "historique")).replace(NBSP, " ")

    assert "Statut : Proposé → Accompagné" in history
    assert "Date de labellisation SYPLO : — → 13/10/2025" in history
    assert "Labellisé SYPLO : Non → Oui" in history
    assert "Impayés de loyer : Non → Oui" in history
    assert "Montant de la dette (€) : — → 1 850,50" in history
    assert f"Association chargée de l'accompagnement : — → {association.short_name}" in history
    assert "Lien avec le chef de ménage : Chef de ménage → Conjoint(e)" in history
    for raw in ["proposed", "accompanied", "2025-10-13", "True", "False", "1850.5", "spouse"]:
        assert raw not in history.split('<nav aria-label="Sections du dossier">')[1]


def test_edit_does_not_change_who_proposed_the_household(client, referent, household, identity, other_association):
    client.force_login(referent)

    client.post(
        reverse("households:edit", args=[household.pk]),
        identity | {"proposed_by": other_association.pk, "track": Track.MAINTIEN},
    )

    household.refresh_from_db()
    assert household.proposed_by.short_name == "EOLE"
    assert household.track == Track.ACCES


def test_edit_with_syplo_but_no_date_is_refused_and_keeps_what_was_typed(client, referent, household, identity):
    client.force_login(referent)

    response = client.post(
        reverse("households:edit", args=[household.pk]),
        identity | {"name": "Famille Durand-Roy", "syplo_labelled": "on", "phone": "03 20 12 34 56"},
    )

    page = content(response)
    assert "Indiquez la date de labellisation SYPLO." in page
    assert 'value="Famille Durand-Roy"' in page
    assert 'value="03 20 12 34 56"' in page
    household.refresh_from_db()
    assert household.name == "Famille Durand"
    assert not household.syplo_labelled


def test_edit_with_a_future_consent_date_is_refused(client, referent, household, identity):
    client.force_login(referent)

    response = client.post(
        reverse("households:edit", args=[household.pk]),
        identity | {"consent_on": iso(timezone.localdate() + timedelta(days=2)), "consent_method": "signed"},
    )

    assert "La date du consentement ne peut pas être dans le futur." in content(response)
    household.refresh_from_db()
    assert household.consent_on is None


# People and resources


HEAD = {"last_name": "Durand", "first_names": "Sylvie", "birth_date": "1984-05-17", "relation": Relation.HEAD}


def test_people_form_adds_a_child(client, referent, household):
    client.force_login(referent)
    child = {"last_name": "Durand", "first_names": "Léo", "birth_date": "2018-09-03", "relation": Relation.CHILD}

    response = client.post(reverse("households:people", args=[household.pk]), people_data(household, [HEAD, child]))

    assert response.status_code == 302
    assert household.people.filter(first_names="Léo", relation=Relation.CHILD).exists()
    assert "1 enfant." in file_page(client, household)


def test_people_form_refuses_a_future_birth_date_and_saves_nobody(client, referent, household):
    client.force_login(referent)
    tomorrow = iso(timezone.localdate() + timedelta(days=1))
    child = {"last_name": "Durand", "first_names": "Léo", "birth_date": tomorrow, "relation": Relation.CHILD}

    response = client.post(reverse("households:people", args=[household.pk]), people_data(household, [HEAD, child]))

    page = content(response)
    assert "La date de naissance ne peut pas être dans le futur." in page
    assert 'value="Léo"' in page
    assert household.people.count() == 1


def test_people_form_refuses_to_delete_the_head_of_household(client, referent, household):
    """The demo's case: ticking « Supprimer » on the head left a household of one 11-year-old child."""
    PersonFactory(household=household, child=True, first_names="Léo", birth_date=date(2015, 6, 1))
    client.force_login(referent)
    child = {"last_name": "Durand", "first_names": "Léo", "birth_date": "2015-06-01", "relation": Relation.CHILD}

    response = client.post(
        reverse("households:people", args=[household.pk]), people_data(household, [HEAD | {"DELETE": "on"}, child])
    )

    page = content(response)
    assert response.status_code == 200
    assert field_error(page, "people-0-DELETE") == (
        "Le chef de ménage ne peut pas être supprimé : désignez d'abord un autre membre comme chef de ménage."
    )
    assert "Le ménage doit compter un chef de ménage, et un seul." in html.unescape(page)
    assert sorted(household.people.values_list("first_names", "relation")) == [
        ("Léo", Relation.CHILD),
        ("Sylvie", Relation.HEAD),
    ]


def test_people_form_accepts_a_new_head_chosen_while_the_former_one_is_deleted(client, referent, household):
    PersonFactory(household=household, spouse=True, last_name="Durand")
    client.force_login(referent)
    spouse = {"last_name": "Durand", "first_names": "Karim", "birth_date": "1982-11-02", "relation": Relation.HEAD}
    # People come ordered by birth date: the spouse (1982) before the head (1984).
    data = people_data(household, [spouse, HEAD | {"DELETE": "on"}])

    response = client.post(reverse("households:people", args=[household.pk]), data)

    assert response.status_code == 302
    assert list(household.people.values_list("first_names", "relation")) == [("Karim", Relation.HEAD)]


def test_resources_form_refuses_a_negative_amount(client, referent, household):
    client.force_login(referent)
    data = {
        "resources-TOTAL_FORMS": "1",
        "resources-INITIAL_FORMS": "0",
        "resources-0-source": ResourceSource.RSA,
        "resources-0-monthly_amount": "-607.75",
        "resources-0-as_of": iso(days_ago(3)),
    }

    response = client.post(reverse("households:resources", args=[household.pk]), data)

    page = content(response)
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in page
    assert 'value="-607.75"' in page
    assert not Resource.objects.exists()


def test_resources_form_records_an_income_shown_on_the_situation_tab(client, referent, household):
    client.force_login(referent)
    data = {
        "resources-TOTAL_FORMS": "1",
        "resources-INITIAL_FORMS": "0",
        "resources-0-source": ResourceSource.RSA,
        "resources-0-monthly_amount": "607.75",
        "resources-0-as_of": iso(days_ago(3)),
    }

    response = client.post(reverse("households:resources", args=[household.pk]), data)

    assert response.status_code == 302
    assert f"607,75{NBSP}€" in file_page(client, household)


# Tenancy, arrears, allocation


@pytest.fixture
def dwelling(landlord):
    return DwellingFactory(
        landlord=landlord,
        reference="LMH-0042",
        address="12 rue de Douai",
        sector__name="Lille-Sud",
        sector__landlord=landlord,
    )


def tenancy_data(dwelling, **overrides):
    return {"dwelling": dwelling.pk, "start": "2021-03-01", "lease_kind": LeaseKind.DIRECT} | overrides


def test_tenancy_form_records_a_current_tenancy_shown_on_the_housing_tab(
    client, tenancy_staff, tenant_household, dwelling
):
    client.force_login(tenancy_staff)

    response = client.post(reverse("households:tenancy_add", args=[tenant_household.pk]), tenancy_data(dwelling))

    assert response.status_code == 302
    assert response["Location"].endswith("?onglet=logement")
    page = file_page(client, tenant_household, "logement")
    assert "LMH-0042 — 12 rue de Douai" in page
    assert "En cours" in page
    assert "secteur Lille-Sud" in page


def test_tenancy_edit_records_the_move_out(client, tenancy_staff, tenant_household, dwelling):
    tenancy = TenancyFactory(household=tenant_household, dwelling=dwelling, start=date(2019, 9, 1))
    client.force_login(tenancy_staff)
    moved_out = days_ago(2)

    response = client.post(
        reverse("households:tenancy_edit", args=[tenant_household.pk, tenancy.pk]),
        tenancy_data(dwelling, start="2019-09-01", end=iso(moved_out)),
    )

    assert response.status_code == 302
    tenancy.refresh_from_db()
    assert tenancy.end == moved_out
    page = file_page(client, tenant_household, "logement")
    assert f"depuis le 01/09/2019 jusqu'au {format_date(moved_out)}" in page
    assert "En cours" not in page


def test_tenancy_form_rejects_a_dwelling_of_another_landlord(client, tenancy_staff, tenant_household, other_landlord):
    foreign_dwelling = DwellingFactory(landlord=other_landlord)
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:tenancy_add", args=[tenant_household.pk]), tenancy_data(foreign_dwelling)
    )

    assert "Sélectionnez un choix valide" in content(response)
    assert not Tenancy.objects.exists()


def test_tenancy_ending_before_it_starts_is_refused(client, tenancy_staff, tenant_household, dwelling):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:tenancy_add", args=[tenant_household.pk]),
        tenancy_data(dwelling, start="2021-03-01", end="2021-02-01"),
    )

    page = content(response)
    assert "La sortie doit suivre l&#x27;entrée dans les lieux (01/03/2021)." in page
    assert 'value="2021-02-01"' in page
    assert not Tenancy.objects.exists()


def test_second_current_tenancy_is_refused_with_the_service_message(client, tenancy_staff, tenant_household, dwelling):
    TenancyFactory(household=tenant_household, start=date(2015, 1, 1))
    client.force_login(tenancy_staff)

    response = client.post(reverse("households:tenancy_add", args=[tenant_household.pk]), tenancy_data(dwelling))

    assert escape(
        "Ce ménage a déjà une occupation en cours : indiquez d'abord sa date de sortie, puis ajoutez la nouvelle."
    ) in content(response)
    assert tenant_household.tenancies.count() == 1


def test_sliding_lease_fields_on_a_direct_lease_are_refused(
    client, tenancy_staff, tenant_household, dwelling, association
):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:tenancy_add", args=[tenant_household.pk]),
        tenancy_data(dwelling, main_lease_holder=association.pk, sublet_start="2021-03-01"),
    )

    page = content(response)
    assert page.count(escape("Réservé au bail glissant : videz ce champ ou choisissez « Bail glissant ».")) == 2
    assert not Tenancy.objects.exists()


def test_sliding_lease_records_its_holder(client, referent, household, dwelling, association):
    client.force_login(referent)

    response = client.post(
        reverse("households:tenancy_add", args=[household.pk]),
        tenancy_data(
            dwelling,
            lease_kind=LeaseKind.SLIDING,
            main_lease_holder=association.pk,
            sublet_start="2021-03-01",
            planned_slide_on="2023-03-01",
        ),
    )

    assert response.status_code == 302
    page = file_page(client, household, "logement")
    assert "Bail principal : EOLE · sous-location depuis le 01/03/2021" in page
    assert "glissement prévu le 01/03/2023" in page


def test_arrears_balance_with_a_negative_amount_is_refused(client, tenancy_staff, tenant_household):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:arrears_add", args=[tenant_household.pk]), {"as_of": iso(days_ago(1)), "amount": "-10"}
    )

    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in content(response)
    assert not ArrearsBalance.objects.exists()


def test_arrears_balance_is_shown_on_the_housing_tab(client, tenancy_staff, tenant_household):
    client.force_login(tenancy_staff)

    client.post(
        reverse("households:arrears_add", args=[tenant_household.pk]), {"as_of": iso(days_ago(1)), "amount": "2140.30"}
    )

    assert f"2{NBSP}140,30{NBSP}€" in file_page(client, tenant_household, "logement")


def test_second_arrears_balance_on_the_same_day_is_refused_without_error_page(client, tenancy_staff, tenant_household):
    client.force_login(tenancy_staff)
    url = reverse("households:arrears_add", args=[tenant_household.pk])
    client.post(url, {"as_of": iso(days_ago(1)), "amount": "2140.30"})

    response = client.post(url, {"as_of": iso(days_ago(1)), "amount": "2200.00"})

    assert response.status_code == 200
    assert "existe déjà" in content(response)
    assert ArrearsBalance.objects.get().amount == Decimal("2140.30")


def test_allocation_form_rejects_a_dwelling_of_another_landlord(client, referent, household, other_landlord):
    foreign_dwelling = DwellingFactory(landlord=other_landlord, new_offer=True)
    client.force_login(referent)

    response = client.post(
        reverse("households:allocation_add", args=[household.pk]),
        {"dwelling": foreign_dwelling.pk, "decision": "pending", "contingent": "prefectoral"},
    )

    assert "Sélectionnez un choix valide" in content(response)
    assert not Allocation.objects.exists()


def test_allocation_decision_needs_the_committee_date(client, referent, household, dwelling):
    client.force_login(referent)

    response = client.post(
        reverse("households:allocation_add", args=[household.pk]),
        {"dwelling": dwelling.pk, "decision": "granted", "contingent": "prefectoral"},
    )

    assert "Une décision de la CAL a une date : indiquez-la." in content(response)
    assert not Allocation.objects.exists()


def test_allocation_is_shown_on_the_housing_tab(client, referent, household, dwelling):
    client.force_login(referent)

    client.post(
        reverse("households:allocation_add", args=[household.pk]),
        {"dwelling": dwelling.pk, "cal_date": iso(days_ago(2)), "decision": "granted", "contingent": "prefectoral"},
    )

    page = file_page(client, household, "logement")
    assert "LMH-0042 — 12 rue de Douai" in page
    assert "Attribution" in page and "Contingent préfectoral" in page


# Procedure


def event_data(kind, occurred_on, **overrides):
    return {
        "kind": kind,
        "occurred_on": iso(occurred_on),
        "hearing_date": "",
        "lease_terminated": "unknown",
        "payment_delay_months": "",
        "amount": "",
        "note": "",
    } | overrides


def test_payment_order_shows_its_deadline_on_the_procedure_tab_and_in_the_header(
    client, tenancy_staff, tenant_household
):
    client.force_login(tenancy_staff)
    ordered_on = days_ago(10)

    response = client.post(
        reverse("households:procedure_add", args=[tenant_household.pk]),
        event_data(ProcedureEventKind.PAYMENT_ORDER, ordered_on, amount="1850.00", note="Par huissier"),
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?onglet=procedure")
    event = ProcedureEvent.objects.get()
    assert event.recorded_by == tenancy_staff
    page = file_page(client, tenant_household, "procedure")
    deadline = f"Fin du délai du commandement de payer : {format_date(ordered_on + timedelta(weeks=6))}"
    header, tab = page.split('<nav aria-label="Sections du dossier">')
    assert deadline in header
    assert "Prochaine échéance :" in tab and deadline in tab
    assert f"{format_date(ordered_on)}</strong> Commandement de payer" in tab
    assert "Par huissier" in tab


def test_summons_before_the_payment_order_delay_is_refused_with_the_legal_reason(
    client, tenancy_staff, tenant_household
):
    ordered_on, summoned_on = days_ago(20), days_ago(5)
    hearing = summoned_on + timedelta(days=70)
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=ordered_on)
    expected = order_errors(
        [EventFacts(ProcedureEventKind.PAYMENT_ORDER, ordered_on)],
        EventFacts(ProcedureEventKind.SUMMONS, summoned_on, hearing_date=hearing),
    )
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:procedure_add", args=[tenant_household.pk]),
        event_data(ProcedureEventKind.SUMMONS, summoned_on, hearing_date=iso(hearing), note="Assignation reçue"),
    )

    page = content(response)
    assert expected and expected[0].startswith("L'assignation ne peut intervenir qu'après la fin du délai")
    assert field_error(page, "occurred_on") == " ".join(expected)
    assert f'value="{iso(summoned_on)}"' in page
    assert f'value="{iso(hearing)}"' in page
    assert 'value="Assignation reçue"' in page
    assert list(tenant_household.procedure_events.values_list("kind", flat=True)) == [ProcedureEventKind.PAYMENT_ORDER]


def test_summons_without_hearing_date_is_refused(client, tenancy_staff, tenant_household):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:procedure_add", args=[tenant_household.pk]),
        event_data(ProcedureEventKind.SUMMONS, days_ago(3)),
    )

    assert escape("Une assignation indique la date d'audience : renseignez-la.") in content(response)
    assert not ProcedureEvent.objects.exists()


def field_error(page: str, field: str) -> str:
    """The error text crispy-forms shows under `field` (empty when there is none)."""
    return " ".join(
        html.unescape(text)
        for text in re.findall(rf'id="error_\d+_id_{field}"[^>]*>\s*<strong>(.*?)</strong>', page, re.S)
    )


def test_hearing_a_week_after_the_summons_is_refused_next_to_its_date(client, tenancy_staff, tenant_household):
    """The demo's case: the summons sets the hearing in twelve weeks, a hearing is entered one week after it."""
    summoned_on = days_ago(10)
    hearing_set_on = summoned_on + timedelta(weeks=12)
    ProcedureEventFactory(
        household=tenant_household, summons=True, occurred_on=summoned_on, hearing_date=hearing_set_on
    )
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:procedure_add", args=[tenant_household.pk]),
        event_data(ProcedureEventKind.HEARING, summoned_on + timedelta(weeks=1), note="Audience tenue"),
    )

    page = content(response)
    assert field_error(page, "occurred_on") == (
        f"L'audience ne peut se tenir moins de 6 semaines après l'assignation ({format_date(summoned_on)}, "
        f"régime après le 29/07/2023), soit au plus tôt le {format_date(summoned_on + timedelta(weeks=6))} ; "
        f"l'assignation la fixe au {format_date(hearing_set_on)}."
    )
    assert 'value="Audience tenue"' in page
    assert list(tenant_household.procedure_events.values_list("kind", flat=True)) == [ProcedureEventKind.SUMMONS]
    assert f"Audience : {format_date(hearing_set_on)}" in file_page(client, tenant_household, "procedure")


def test_procedure_event_in_the_future_is_refused(client, tenancy_staff, tenant_household):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:procedure_add", args=[tenant_household.pk]),
        event_data(ProcedureEventKind.CCAPEX_REFERRAL, timezone.localdate() + timedelta(days=1)),
    )

    assert escape("La date de l'événement ne peut pas être dans le futur.") in content(response)
    assert not ProcedureEvent.objects.exists()


def test_procedure_event_with_a_negative_amount_is_refused(client, tenancy_staff, tenant_household):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:procedure_add", args=[tenant_household.pk]),
        event_data(ProcedureEventKind.PAYMENT_ORDER, days_ago(3), amount="-1850"),
    )

    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in content(response)
    assert not ProcedureEvent.objects.exists()


def test_payment_order_deadline_follows_the_regime_of_a_lease_signed_before_the_reform(
    client, tenancy_staff, tenant_household
):
    TenancyFactory(household=tenant_household, start=date(2019, 9, 1))
    ordered_on = days_ago(10)
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=ordered_on)
    client.force_login(tenancy_staff)

    page = file_page(client, tenant_household, "procedure")

    assert "régime : Avant le 29/07/2023" in page
    assert f"Fin du délai du commandement de payer : {format_date(add_months(ordered_on, 2))}" in page


# Situation reports


@pytest.fixture
def report_data(landlord):
    return {
        "organisation": landlord.pk,
        "rent_arrears": "on",
        "arrears_amount": "2300.50",
        "procedure_stage": "",
        "comment": "Trois relances sans réponse.",
        "to_present": "on",
    }


@pytest.fixture
def new_tenant_data(dwelling):
    return {
        "new-name": "Famille Mercier",
        "new-head_last_name": "Mercier",
        "new-head_first_names": "Julie",
        "new-head_birth_date": "1979-08-03",
        "new-dwelling": dwelling.pk,
        "new-tenancy_start": "2018-03-01",
        "new-phone": "03 20 12 34 56",
    }


def test_report_for_a_new_tenant_creates_household_head_tenancy_and_report(
    client, tenancy_staff, landlord, dwelling, report_data, new_tenant_data
):
    client.force_login(tenancy_staff)

    response = client.post(reverse("households:report"), report_data | new_tenant_data)

    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('households:detail', args=[household.pk])}?onglet=procedure"
    assert household.reference == f"M-{timezone.localdate().year}-0001"
    assert (household.track, household.landlord, household.proposed_by) == (Track.MAINTIEN, landlord, landlord)
    assert household.proposed_by_user == tenancy_staff
    assert household.housing_situation == HousingSituation.LMH_TENANT
    assert household.rent_arrears and household.arrears_amount == Decimal("2300.50")
    head = household.people.get()
    assert (head.last_name, head.first_names, head.birth_date, head.relation) == (
        "Mercier",
        "Julie",
        date(1979, 8, 3),
        Relation.HEAD,
    )
    tenancy = household.tenancies.current().get()
    assert (tenancy.dwelling, tenancy.start) == (dwelling, date(2018, 3, 1))
    report = household.situation_reports.get()
    assert (report.reported_by, report.organisation, report.to_present) == (tenancy_staff, landlord, True)


def test_report_shows_on_the_situation_tab(client, tenancy_staff, dwelling, report_data, new_tenant_data):
    client.force_login(tenancy_staff)
    client.post(reverse("households:report"), report_data | new_tenant_data)

    page = file_page(client, Household.objects.get())

    assert f"Le {format_date(timezone.localdate())} par Claire Lefebvre (LMH)" in page
    assert "À présenter au comité" in page
    assert f"Impayés de loyer — dette 2{NBSP}300,50{NBSP}€" in page
    assert "Trois relances sans réponse." in page


def test_report_for_an_existing_household_updates_its_difficulties(
    client, tenancy_staff, tenant_household, report_data
):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:report"),
        report_data | {"household": tenant_household.pk, "neighbour_disturbances": "on", "arrears_amount": "2600.00"},
    )

    assert response.status_code == 302
    tenant_household.refresh_from_db()
    assert tenant_household.neighbour_disturbances
    assert tenant_household.arrears_amount == Decimal("2600.00")
    assert not tenant_household.poor_use
    assert tenant_household.situation_reports.get().reported_by == tenancy_staff
    assert Household.objects.count() == 1


def test_report_form_preselected_household_is_named_on_the_page(client, tenancy_staff, tenant_household):
    client.force_login(tenancy_staff)

    page = content(client.get(reverse("households:report"), {"menage": tenant_household.pk}))

    assert "Signalement pour <strong>F-LEMAIRE · Famille Lemaire</strong>" in page
    assert 'type="hidden" name="household"' in page
    assert "new-head_last_name" not in page


def test_report_form_search_lists_the_landlord_households(client, tenancy_staff, tenant_household, foreign_household):
    PersonFactory(household=foreign_household, last_name="Lemaire")
    client.force_login(tenancy_staff)

    page = content(client.get(reverse("households:report"), {"q": "Lemaire"}))

    assert "F-LEMAIRE · Famille Lemaire" in page
    assert page.count("Choisir ce ménage") == 1
    assert "F-LEROY" not in page


# Ids past 999 are where a localised « 1 234 » in a template breaks a link or a hidden field.
LARGE_PK = 123456


def test_report_form_search_link_opens_the_chosen_household(client, tenancy_staff, landlord):
    HouseholdFactory(pk=LARGE_PK, landlord=landlord, name="Famille Vasseur", reference="F-VASSEUR")
    client.force_login(tenancy_staff)
    search = content(client.get(reverse("households:report"), {"q": "Vasseur"}))
    link = html.unescape(re.search(r'href="\?menage=([^"]*)"', search).group(1))

    response = client.get(reverse("households:report"), {"menage": link})

    assert response.status_code == 200
    assert "Signalement pour <strong>F-VASSEUR · Famille Vasseur</strong>" in content(response)


def test_report_form_posts_back_the_preselected_household(client, tenancy_staff, landlord, report_data):
    household = HouseholdFactory(pk=LARGE_PK, landlord=landlord, name="Famille Vasseur")
    url = f"{reverse('households:report')}?menage={LARGE_PK}"
    client.force_login(tenancy_staff)
    hidden = re.search(r'name="household" value="([^"]*)"', content(client.get(url))).group(1)

    # The form has no action: the browser posts to the page's own URL, query string included.
    response = client.post(url, report_data | {"household": html.unescape(hidden)})

    assert response.status_code == 302
    assert household.situation_reports.count() == 1


def test_report_for_a_household_of_another_landlord_is_not_found(
    client, tenancy_staff, foreign_household, report_data
):
    client.force_login(tenancy_staff)

    response = client.post(reverse("households:report"), report_data | {"household": foreign_household.pk})

    assert response.status_code == 404
    assert not SituationReport.objects.exists()


def test_report_for_another_association_household_the_user_cannot_see_is_not_found(
    client, tenancy_staff, other_landlord, other_association, report_data
):
    hidden = HouseholdFactory(landlord=other_landlord, proposed_by=other_association, name="Famille Cachée")
    client.force_login(tenancy_staff)

    response = client.post(reverse("households:report"), report_data | {"household": hidden.pk})

    assert response.status_code == 404
    assert "Famille Cachée" not in content(response)
    assert not SituationReport.objects.exists()
    hidden.refresh_from_db()
    assert not hidden.rent_arrears


def test_report_on_behalf_of_a_landlord_the_user_does_not_belong_to_is_rejected(
    client, tenancy_staff, other_landlord, tenant_household, report_data
):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:report"),
        report_data | {"household": tenant_household.pk, "organisation": other_landlord.pk},
    )

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in content(response)
    assert not SituationReport.objects.exists()


def test_report_without_any_reason_is_refused_and_keeps_the_new_tenant(
    client, tenancy_staff, report_data, new_tenant_data
):
    client.force_login(tenancy_staff)
    data = report_data | new_tenant_data
    del data["rent_arrears"]

    response = client.post(reverse("households:report"), data)

    page = content(response)
    assert "Indiquez au moins un motif de signalement." in page
    assert 'value="Famille Mercier"' in page
    assert 'value="1979-08-03"' in page
    assert "Trois relances sans réponse." in page
    assert not Household.objects.exists()


def test_report_with_a_procedure_step_adds_it_to_the_procedure(client, tenancy_staff, tenant_household, report_data):
    ordered_on = days_ago(12)
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:report"),
        report_data
        | {
            "household": tenant_household.pk,
            "procedure_stage": ProcedureEventKind.PAYMENT_ORDER,
            "procedure_date": iso(ordered_on),
        },
    )

    assert response.status_code == 302
    event = tenant_household.procedure_events.get()
    assert (event.kind, event.occurred_on, event.amount, event.recorded_by) == (
        ProcedureEventKind.PAYMENT_ORDER,
        ordered_on,
        Decimal("2300.50"),
        tenancy_staff,
    )
    page = file_page(client, tenant_household, "procedure")
    assert f"Fin du délai du commandement de payer : {format_date(ordered_on + timedelta(weeks=6))}" in page


def test_report_with_a_procedure_step_out_of_order_saves_nothing(client, tenancy_staff, tenant_household, report_data):
    ordered_on, summoned_on = days_ago(20), days_ago(5)
    hearing = summoned_on + timedelta(days=70)
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=ordered_on)
    expected = order_errors(
        [EventFacts(ProcedureEventKind.PAYMENT_ORDER, ordered_on)],
        EventFacts(ProcedureEventKind.SUMMONS, summoned_on, hearing_date=hearing),
    )
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:report"),
        report_data
        | {
            "household": tenant_household.pk,
            "neighbour_disturbances": "on",
            "procedure_stage": ProcedureEventKind.SUMMONS,
            "procedure_date": iso(summoned_on),
            "procedure_hearing_date": iso(hearing),
        },
    )

    page = content(response)
    assert expected and all(escape(message) in page for message in expected)
    assert field_error(page, "procedure_date") == " ".join(expected)
    assert f'value="{iso(hearing)}"' in page
    assert not SituationReport.objects.exists()
    assert tenant_household.procedure_events.count() == 1
    tenant_household.refresh_from_db()
    assert not tenant_household.neighbour_disturbances


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"procedure_date": "2026-01-05"}, "Indiquez à quelle étape correspond cette date."),
        (
            {"procedure_stage": ProcedureEventKind.SUMMONS, "procedure_date": "2026-01-05"},
            "Une assignation indique la date d'audience : renseignez-la.",
        ),
    ],
)
def test_report_procedure_step_needs_its_stage_and_hearing_date(
    client, tenancy_staff, tenant_household, report_data, step, message
):
    client.force_login(tenancy_staff)

    response = client.post(reverse("households:report"), report_data | {"household": tenant_household.pk} | step)

    assert escape(message) in content(response)
    assert not SituationReport.objects.exists()
    assert not ProcedureEvent.objects.exists()


def test_report_with_arrears_needs_their_amount(client, tenancy_staff, tenant_household, report_data):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:report"), report_data | {"household": tenant_household.pk, "arrears_amount": ""}
    )

    assert "Indiquez le montant de la dette locative." in content(response)
    assert not SituationReport.objects.exists()


@pytest.mark.parametrize("amount", ["12345678.90", "123456789012.00"])
def test_report_with_an_improbable_arrears_amount_gets_one_message(
    client, tenancy_staff, tenant_household, report_data, amount
):
    """A typing slip: one clear message, not also « Indiquez le montant… » as if nothing were typed."""
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("households:report"), report_data | {"household": tenant_household.pk, "arrears_amount": amount}
    )

    page = content(response)
    assert "Au plus 200 000 € : vérifiez le montant saisi." in page or "chiffres" in page
    assert "Indiquez le montant de la dette locative." not in page
    assert not SituationReport.objects.exists()


def test_report_new_tenant_with_a_future_birth_date_is_refused(client, tenancy_staff, report_data, new_tenant_data):
    client.force_login(tenancy_staff)
    tomorrow = iso(timezone.localdate() + timedelta(days=1))

    response = client.post(
        reverse("households:report"), report_data | new_tenant_data | {"new-head_birth_date": tomorrow}
    )

    assert "La date de naissance ne peut pas être dans le futur." in content(response)
    assert not Household.objects.exists()


def test_report_new_tenant_in_an_occupied_dwelling_is_a_possible_duplicate_until_confirmed(
    client, tenancy_staff, tenant_household, dwelling, report_data, new_tenant_data
):
    TenancyFactory(household=tenant_household, dwelling=dwelling)
    client.force_login(tenancy_staff)

    first = client.post(reverse("households:report"), report_data | new_tenant_data)

    page = content(first)
    assert first.status_code == 200
    assert "Ce ménage est peut-être déjà connu" in page
    assert "F-LEMAIRE : occupe déjà ce logement." in page
    assert 'value="Famille Mercier"' in page
    assert Household.objects.count() == 1
    assert not SituationReport.objects.exists()

    confirmed = client.post(
        reverse("households:report"), report_data | new_tenant_data | {"new-confirm_not_duplicate": "on"}
    )

    assert confirmed.status_code == 302
    assert Household.objects.filter(name="Famille Mercier").exists()
    assert SituationReport.objects.count() == 1


def test_report_new_tenant_matching_another_landlord_household_hides_its_reference(
    client, tenancy_staff, foreign_household, report_data, new_tenant_data
):
    PersonFactory(household=foreign_household, last_name="MERCIER", birth_date=date(1979, 8, 3))
    client.force_login(tenancy_staff)

    response = client.post(reverse("households:report"), report_data | new_tenant_data)

    page = content(response)
    assert "Un ménage suivi par une autre organisation : même nom et même date de naissance." in page
    assert "F-LEROY" not in page and "Famille Leroy" not in page
    assert not Household.objects.filter(name="Famille Mercier").exists()


def test_report_new_tenant_dwelling_of_another_landlord_is_rejected(
    client, tenancy_staff, other_landlord, report_data, new_tenant_data
):
    client.force_login(tenancy_staff)
    foreign_dwelling = DwellingFactory(landlord=other_landlord)

    response = client.post(
        reverse("households:report"), report_data | new_tenant_data | {"new-dwelling": foreign_dwelling.pk}
    )

    assert "Sélectionnez un choix valide" in content(response)
    assert not Household.objects.exists()


# Sectors


def test_sectors_are_ordered_by_social_load_and_flag_those_above_the_threshold(client, tenancy_staff, landlord):
    SocialLoadThresholdFactory(rate=Decimal("5.00"))
    heavy = SectorFactory(landlord=landlord, name="Lille-Sud", stock_size=20)
    light = SectorFactory(landlord=landlord, name="Hellemmes", stock_size=100)
    SectorFactory(landlord=landlord, name="Attiches", stock_size=50)
    for sector, count in [(heavy, 2), (light, 3)]:
        for _ in range(count):
            TenancyFactory(household__landlord=landlord, dwelling=DwellingFactory(landlord=landlord, sector=sector))
    client.force_login(tenancy_staff)

    page = content(client.get(reverse("households:sectors")))

    assert page.index("Lille-Sud") < page.index("Hellemmes") < page.index("Attiches")
    assert "10,0 %" in page and "3,0 %" in page and "0,0 %" in page
    assert "Seuil d'alerte : <strong>5,00 %</strong>" in page
    assert page.count("Au-dessus du seuil") == 1
    heavy_row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Lille-Sud(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    assert "table-warning" in heavy_row and "Au-dessus du seuil" in heavy_row


def test_sector_exactly_at_the_threshold_is_not_flagged(client, tenancy_staff, landlord):
    SocialLoadThresholdFactory(rate=Decimal("5.00"))
    sector = SectorFactory(landlord=landlord, name="Hellemmes", stock_size=20)
    TenancyFactory(household__landlord=landlord, dwelling=DwellingFactory(landlord=landlord, sector=sector))
    client.force_login(tenancy_staff)

    page = content(client.get(reverse("households:sectors")))

    assert "5,0 %" in page
    assert "Au-dessus du seuil" not in page


def test_sectors_page_without_threshold_says_so(client, tenancy_staff, landlord):
    SectorFactory(landlord=landlord, name="Hellemmes")
    client.force_login(tenancy_staff)

    page = content(client.get(reverse("households:sectors")))

    assert "Aucun seuil n'est défini dans les données de référence." in page
    assert "Au-dessus du seuil" not in page


def test_sectors_page_of_a_referent_shows_the_landlords_of_their_households(
    client, referent, household, landlord, other_landlord
):
    SectorFactory(landlord=landlord, name="Lille-Sud")
    SectorFactory(landlord=other_landlord, name="Roubaix-Épeule")
    client.force_login(referent)

    page = content(client.get(reverse("households:sectors")))

    assert "Lille-Sud" in page
    assert "Roubaix-Épeule" not in page


# Home page


def test_tenancy_staff_home_lists_their_reports_and_the_situations_to_present(
    client, tenancy_staff, tenant_household, household, landlord
):
    SituationReportFactory(household=tenant_household, reported_by=tenancy_staff)
    colleague_report = SituationReportFactory(household=household, organisation=landlord, poor_use_only=True)
    SituationReportFactory(household=HouseholdFactory(landlord=landlord, name="Famille Presentee"), presented=True)
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(40))
    client.force_login(tenancy_staff)

    page = content(client.get(reverse("home")))

    to_present = page.split("À présenter au prochain comité")[1].split("Mes derniers signalements")[0]
    mine = page.split("Mes derniers signalements", 1)[1]
    assert "F-LEMAIRE · Famille Lemaire" in to_present
    assert "F-DURAND · Famille Durand" in to_present
    assert "Famille Presentee" not in to_present
    assert "F-LEMAIRE · Famille Lemaire" in mine and "Impayés de loyer" in mine
    assert "F-DURAND" not in mine
    assert colleague_report.reported_by.full_name not in mine
    assert "Fin du délai du commandement de payer" in page


def test_referent_home_lists_only_their_association_households(
    client, referent, household, other_household, tenant_household
):
    client.force_login(referent)

    page = content(client.get(reverse("home")))

    assert "F-DURAND · Famille Durand" in page
    # The count is of the households still followed, not of the whole list the button opens.
    assert "· 1 en cours" in page and "Tous les ménages</a>" in page
    for hidden in ["F-KACI", "Famille Kaci", "F-LEMAIRE", "Famille Lemaire"]:
        assert hidden not in page


def test_referent_home_shows_deadlines_of_their_households_only(client, referent, household, other_household):
    ProcedureEventFactory(household=household, payment_order=True, occurred_on=days_ago(30))
    ProcedureEventFactory(household=other_household, payment_order=True, occurred_on=days_ago(30))
    client.force_login(referent)

    page = content(client.get(reverse("home")))

    deadlines = page.split("Échéances de procédure")[1]
    assert "F-DURAND" in deadlines
    assert "F-KACI" not in deadlines
