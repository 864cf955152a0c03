"""Who reaches which household page: another organisation's household is a 404, a read-only role gets
a 403 on forms, steering sees no household, and every page refuses the methods it does not serve."""

import pytest
from django.urls import reverse

from households.models import Household
from tests.households.factories import TenancyFactory

FILE_TABS = ["situation", "logement", "procedure", "accompagnement", "comite", "documents", "historique"]
# Every form hanging from one household: (URL name, needs a tenancy id).
FORMS = [
    ("households:edit", False),
    ("households:people", False),
    ("households:resources", False),
    ("households:tenancy_add", False),
    ("households:tenancy_edit", True),
    ("households:arrears_add", False),
    ("households:allocation_add", False),
    ("households:procedure_add", False),
]
FORM_NAMES = [name for name, _ in FORMS]


def form_url(name, household):
    if dict(FORMS)[name]:
        tenancy = household.tenancies.first() or TenancyFactory(household=household)
        return reverse(name, args=[household.pk, tenancy.pk])
    return reverse(name, args=[household.pk])


def file_url(household, tab):
    return f"{reverse('households:detail', args=[household.pk])}?onglet={tab}"


# The file, tab by tab


@pytest.mark.parametrize("tab", FILE_TABS)
def test_referent_sees_every_tab_of_their_association_household(client, referent, household, tab):
    client.force_login(referent)

    response = client.get(file_url(household, tab))

    assert response.status_code == 200
    assert "F-DURAND · Famille Durand" in response.content.decode()


@pytest.mark.parametrize("tab", FILE_TABS)
def test_referent_cannot_see_other_association_household(client, other_referent, household, tab):
    client.force_login(other_referent)

    response = client.get(file_url(household, tab))

    assert response.status_code == 404
    assert "Famille Durand" not in response.content.decode()


@pytest.mark.parametrize("tab", FILE_TABS)
def test_tenancy_staff_cannot_see_another_landlord_household(client, tenancy_staff, foreign_household, tab):
    client.force_login(tenancy_staff)

    assert client.get(file_url(foreign_household, tab)).status_code == 404


@pytest.mark.parametrize("tab", [tab for tab in FILE_TABS if tab != "historique"])
def test_secretary_reads_the_file_without_edit_links(client, secretary, household, tab):
    client.force_login(secretary)

    response = client.get(file_url(household, tab))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Famille Durand" in page
    assert reverse("households:edit", args=[household.pk]) not in page
    assert reverse("households:procedure_add", args=[household.pk]) not in page


def test_secretary_may_not_read_the_audit_history(client, secretary, household):
    client.force_login(secretary)

    assert client.get(file_url(household, "historique")).status_code == 403


@pytest.mark.parametrize("persona", ["steering", "admin_user"])
@pytest.mark.parametrize("tab", ["situation", "procedure", "historique"])
def test_steering_and_administrators_see_no_household_file(client, request, household, persona, tab):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(file_url(household, tab)).status_code == 404


def test_unknown_tab_falls_back_to_the_situation_tab(client, referent, household):
    client.force_login(referent)

    page = client.get(file_url(household, "inconnu")).content.decode()

    assert 'aria-current="page" href="?onglet=situation"' in page


def test_anonymous_visitor_is_sent_to_login(client, household):
    response = client.get(file_url(household, "situation"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_file_page_is_not_cached(client, referent, household):
    client.force_login(referent)

    response = client.get(file_url(household, "situation"))

    assert "no-store" in response["Cache-Control"]


# The list


@pytest.mark.parametrize("persona", ["steering", "admin_user"])
def test_steering_and_administrators_have_no_household_list(client, request, household, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("households:list"))

    assert response.status_code == 403
    assert "Famille Durand" not in response.content.decode()


def test_referent_list_holds_no_household_of_another_association(
    client, referent, household, other_household, tenant_household, foreign_household
):
    client.force_login(referent)

    page = client.get(reverse("households:list")).content.decode()

    assert "F-DURAND" in page
    for hidden in ["F-KACI", "Famille Kaci", "F-LEMAIRE", "Famille Lemaire", "F-LEROY", "Famille Leroy"]:
        assert hidden not in page
    assert "1 ménage" in page


def test_referent_list_search_does_not_reach_another_association_household(
    client, referent, household, other_household
):
    client.force_login(referent)

    page = client.get(reverse("households:list"), {"q": "Kaci"}).content.decode()

    assert "F-KACI" not in page
    assert "Aucun ménage ne correspond à ces filtres" in page


def test_tenancy_staff_list_holds_the_landlord_households_only(
    client, tenancy_staff, household, other_household, tenant_household, foreign_household
):
    client.force_login(tenancy_staff)

    page = client.get(reverse("households:list")).content.decode()

    assert all(reference in page for reference in ["F-DURAND", "F-KACI", "F-LEMAIRE"])
    assert "F-LEROY" not in page


def test_secretary_sees_the_landlord_households_but_cannot_propose_one(client, secretary, household, tenant_household):
    client.force_login(secretary)

    page = client.get(reverse("households:list")).content.decode()

    assert "F-DURAND" in page and "F-LEMAIRE" in page
    assert reverse("households:create") not in page


def test_secretary_gets_an_empty_list_before_any_household_exists(client, secretary):
    client.force_login(secretary)

    response = client.get(reverse("households:list"))

    assert response.status_code == 200
    assert "Aucun ménage pour l'instant." in response.content.decode()


def test_referent_of_a_new_association_gets_an_empty_list_with_a_proposal_link(client, referent):
    client.force_login(referent)

    response = client.get(reverse("households:list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Aucun ménage pour l'instant." in page
    assert reverse("households:create") in page


# Forms hanging from a household


@pytest.mark.parametrize("name", FORM_NAMES)
@pytest.mark.parametrize("persona", ["referent", "coordinator", "tenancy_staff"])
def test_editors_open_every_household_form(client, request, household, name, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(form_url(name, household))

    assert response.status_code == 200
    assert "F-DURAND" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", FORM_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_referent_cannot_reach_the_forms_of_another_association_household(
    client, other_referent, household, name, method
):
    url = form_url(name, household)
    client.force_login(other_referent)

    response = getattr(client, method)(url, {"name": "Famille Piratée"})

    assert response.status_code == 404
    household.refresh_from_db()
    assert household.name == "Famille Durand"


@pytest.mark.parametrize("name", FORM_NAMES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_secretary_may_not_use_household_forms(client, secretary, household, name, method):
    url = form_url(name, household)
    client.force_login(secretary)

    response = getattr(client, method)(url, {"name": "Famille Modifiée"})

    assert response.status_code == 403
    household.refresh_from_db()
    assert household.name == "Famille Durand"


@pytest.mark.parametrize("name", FORM_NAMES)
def test_steering_reaches_no_household_form(client, steering, household, name):
    url = form_url(name, household)
    client.force_login(steering)

    assert client.get(url).status_code == 404


def test_tenancy_of_another_household_is_not_found_through_a_household_the_user_edits(
    client, referent, household, other_household
):
    other_tenancy = TenancyFactory(household=other_household)
    client.force_login(referent)

    response = client.get(reverse("households:tenancy_edit", args=[household.pk, other_tenancy.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["secretary", "steering", "admin_user"])
def test_read_only_roles_may_not_propose_a_household(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("households:create")).status_code == 403


# The situation-report form


def test_tenancy_staff_opens_the_report_form(client, tenancy_staff):
    client.force_login(tenancy_staff)

    response = client.get(reverse("households:report"))

    assert response.status_code == 200
    assert "Signaler une situation" in response.content.decode()


@pytest.mark.parametrize("persona", ["secretary", "referent", "coordinator", "steering", "admin_user"])
def test_only_landlord_staff_report_situations(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("households:report")).status_code == 403


def test_report_form_for_another_landlord_household_is_not_found(client, tenancy_staff, foreign_household):
    client.force_login(tenancy_staff)

    assert client.get(reverse("households:report"), {"menage": foreign_household.pk}).status_code == 404


def test_report_form_with_a_malformed_household_id_is_not_found(client, tenancy_staff):
    client.force_login(tenancy_staff)

    assert client.get(reverse("households:report"), {"menage": "abc"}).status_code == 404


# Sectors


def test_steering_sees_no_sector_load_page(client, steering):
    client.force_login(steering)

    assert client.get(reverse("households:sectors")).status_code == 403


# Methods


@pytest.mark.parametrize("name", FORM_NAMES)
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_household_forms_refuse_other_methods(client, referent, household, name, method):
    url = form_url(name, household)
    client.force_login(referent)

    assert getattr(client, method)(url).status_code == 405
    assert Household.objects.filter(pk=household.pk).exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_creation_and_report_forms_refuse_other_methods(client, tenancy_staff, method):
    client.force_login(tenancy_staff)

    assert getattr(client, method)(reverse("households:create")).status_code == 405
    assert getattr(client, method)(reverse("households:report")).status_code == 405


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_read_pages_refuse_writes(client, referent, household, method):
    client.force_login(referent)

    for url in [reverse("households:list"), file_url(household, "situation"), reverse("households:sectors")]:
        assert getattr(client, method)(url).status_code == 405, url
