"""The access log: each consultation of a case file, PDF, document or export writes one row naming
the user, the action, the object and the household's reference, and no sensitive value. The log's
page is for administrators and data protection officers, the latter seeing their landlord's
households only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AccessAction, Role
from accounts.models import AccessLog
from committee import services as committee_services
from tests.accounts.factories import OrganisationFactory, member
from tests.committee.factories import DecisionFactory, SessionFactory
from tests.finance.factories import ProgrammeFactory, html_tables
from tests.households.factories import HouseholdFactory, PersonFactory
from tests.measures.factories import ContactFactory, DocumentFactory, MeasureFactory
from tests.security.helpers import body, text_of

NAME = "Famille Quenouille"
LAST_NAME = "Quenouille"
FIRST_NAMES = "Philomène"
NOTE = "Addiction évoquée par Philomène, ne pas diffuser"
SUMMARY = "Visite faite chez Mme Quenouille, loyer payé"
DOCUMENT_TITLE = "Certificat médical Quenouille"
SENSITIVE = [NAME, LAST_NAME, FIRST_NAMES, NOTE, SUMMARY, DOCUMENT_TITLE]


@pytest.fixture
def world(landlord, referent, secretary):
    measure = MeasureFactory(
        active=True,
        referent=referent,
        household__name=NAME,
        household__reference="F-QUEN",
        household__head__last_name=LAST_NAME,
        household__head__first_names=FIRST_NAMES,
    )
    ContactFactory(measure=measure, by=referent, summary=SUMMARY, confidential_note=NOTE)
    programme = ProgrammeFactory(landlord=landlord)
    session = SessionFactory(held=True, programme=programme)
    DecisionFactory(item__session=session, applied=True, result="Mesure proposée à EOLE.")
    return {
        "household": measure.household,
        "measure": measure,
        "diagnostic": measure.diagnostic,
        "contract": measure.contract,
        "document": DocumentFactory(
            household=measure.household, measure=measure, title=DOCUMENT_TITLE, uploaded_by=referent
        ),
        "programme": programme,
        "session": session,
        "minutes": committee_services.minutes_validate(session=session, by=secretary),
    }


def statement(output):
    return lambda world: f"{reverse('finance:statement')}?format={output}"


# (persona, url, action, object type, object logged, whether the household is named)
ACCESSES = {
    "household file": (
        "referent",
        lambda w: reverse("households:detail", args=[w["household"].pk]),
        AccessAction.VIEW_HOUSEHOLD,
        "ménage",
        "household",
        True,
    ),
    "measure page": (
        "referent",
        lambda w: reverse("measures:detail", args=[w["measure"].pk]),
        AccessAction.VIEW_MEASURE,
        "mesure",
        "measure",
        True,
    ),
    "diagnostic PDF": (
        "referent",
        lambda w: reverse("measures:diagnostic_pdf", args=[w["measure"].pk]),
        AccessAction.DOWNLOAD_PDF,
        "diagnostic partagé",
        "diagnostic",
        True,
    ),
    "contract PDF": (
        "referent",
        lambda w: reverse("measures:contract_pdf", args=[w["measure"].pk]),
        AccessAction.DOWNLOAD_PDF,
        "contrat d'accompagnement",
        "contract",
        True,
    ),
    "document": (
        "referent",
        lambda w: reverse("measures:document", args=[w["document"].pk]),
        AccessAction.DOWNLOAD_DOCUMENT,
        "document",
        "document",
        True,
    ),
    "draft minutes": (
        "secretary",
        lambda w: reverse("committee:minutes_draft", args=[w["session"].pk]),
        AccessAction.DOWNLOAD_PDF,
        "séance du comité",
        "session",
        False,
    ),
    "validated minutes": (
        "secretary",
        lambda w: reverse("committee:minutes", args=[w["session"].pk, 1]),
        AccessAction.DOWNLOAD_PDF,
        "procès-verbal validé",
        "minutes",
        False,
    ),
    "funder statement PDF": (
        "steering",
        statement("pdf"),
        AccessAction.EXPORT,
        "état récapitulatif (pdf)",
        "programme",
        False,
    ),
    "funder statement XLSX": (
        "steering",
        statement("xlsx"),
        AccessAction.EXPORT,
        "état récapitulatif (xlsx)",
        "programme",
        False,
    ),
    "funder statement CSV": (
        "steering",
        statement("csv"),
        AccessAction.EXPORT,
        "état récapitulatif (csv)",
        "programme",
        False,
    ),
    "dashboard PDF": (
        "steering",
        lambda w: reverse("finance:dashboard_pdf"),
        AccessAction.EXPORT,
        "rapport de pilotage",
        "programme",
        False,
    ),
    "GDPR export": (
        "data_protection_officer",
        lambda w: reverse("household_export", args=[w["household"].pk]),
        AccessAction.GDPR_EXPORT,
        "ménage",
        "household",
        True,
    ),
}


@pytest.mark.parametrize("access", ACCESSES)
def test_each_access_writes_one_row_naming_user_action_object_and_household(client, request, world, access):
    persona, url, action, object_type, logged, names_household = ACCESSES[access]
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.get(url(world))
    body(response)

    assert response.status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.object_type, row.object_id) == (user, action, object_type, str(world[logged].pk))
    household = world["household"]
    if names_household:
        assert (row.household_id, row.household_reference) == (household.pk, "F-QUEN")
    else:
        assert (row.household_id, row.household_reference) == (None, "")
    assert row.path == url(world)
    assert timezone.now() - row.at < timedelta(minutes=1)


@pytest.mark.parametrize("access", ACCESSES)
def test_an_access_log_row_holds_no_sensitive_value(client, request, world, access):
    persona, url, *_ = ACCESSES[access]
    client.force_login(request.getfixturevalue(persona))

    body(client.get(url(world)))

    stored = " | ".join(str(value) for value in AccessLog.objects.values().get().values())
    assert not [value for value in SENSITIVE if value.lower() in stored.lower()], stored


def test_pages_that_show_no_case_file_write_nothing(client, referent, world):
    client.force_login(referent)

    for url in [reverse("home"), reverse("households:list"), reverse("password_change")]:
        assert client.get(url).status_code == 200

    assert not AccessLog.objects.exists()


def test_a_refused_access_writes_nothing(client, other_referent, world):
    client.force_login(other_referent)

    assert client.get(reverse("households:detail", args=[world["household"].pk])).status_code == 404

    assert not AccessLog.objects.exists()


# The access log's page


def log_row(user, household=None, action=AccessAction.VIEW_HOUSEHOLD):
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type="ménage",
        object_id=str(household.pk) if household else "",
        household_id=household.pk if household else None,
        household_reference=household.reference if household else "",
        path="/",
    )


def shown_rows(page: str) -> list[list[str]]:
    tables = html_tables(page)
    return tables[0][1:] if tables else []


@pytest.fixture
def logged(landlord, association, referent, tenancy_staff):
    """Accesses by two users to two households of the landlord and one of another landlord."""
    durand = HouseholdFactory(landlord=landlord, proposed_by=association, reference="F-DURAND", name="Famille Durand")
    kaci = HouseholdFactory(landlord=landlord, reference="F-KACI", name="Famille Kaci")
    leroy = HouseholdFactory(
        landlord=OrganisationFactory(landlord=True, name="Partenord Habitat", short_name="PARTENORD"),
        reference="F-LEROY",
        name="Famille Leroy",
    )
    PersonFactory(household=leroy, last_name="Leroy")
    log_row(referent, durand)
    log_row(referent, kaci)
    log_row(tenancy_staff, kaci)
    log_row(tenancy_staff, leroy)
    log_row(tenancy_staff, None, action=AccessAction.EXPORT)
    return {"durand": durand, "kaci": kaci, "leroy": leroy}


@pytest.mark.parametrize("persona", ["admin_user", "data_protection_officer"])
def test_access_log_page_lists_who_accessed_what(client, request, logged, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("access_log"))

    assert response.status_code == 200
    rows = shown_rows(text_of(response))
    assert {(row[1].split(" ")[0], row[2], row[4]) for row in rows} >= {
        ("Amandine", "Consultation du dossier", "F-DURAND"),
        ("Amandine", "Consultation du dossier", "F-KACI"),
        ("Claire", "Consultation du dossier", "F-KACI"),
    }


def test_administrator_sees_every_row(client, admin_user, logged):
    client.force_login(admin_user)

    rows = shown_rows(text_of(client.get(reverse("access_log"))))

    assert sorted(row[4] for row in rows) == ["F-DURAND", "F-KACI", "F-KACI", "F-LEROY", "—"]


def test_access_log_filters_by_household_reference(client, admin_user, logged):
    client.force_login(admin_user)

    rows = shown_rows(text_of(client.get(reverse("access_log"), {"menage": "f-kaci"})))

    assert [row[4] for row in rows] == ["F-KACI", "F-KACI"]
    assert {row[1].split(" ")[0] for row in rows} == {"Amandine", "Claire"}


@pytest.mark.parametrize("who", ["Amandine Martin", "a.martin@eole"])
def test_access_log_filters_by_user_name_or_address(client, admin_user, logged, who):
    client.force_login(admin_user)

    rows = shown_rows(text_of(client.get(reverse("access_log"), {"utilisateur": who})))

    assert sorted(row[4] for row in rows) == ["F-DURAND", "F-KACI"]
    assert all("a.martin@eole.example" in row[1] for row in rows)


def test_data_protection_officer_sees_only_the_rows_of_their_landlord_households(
    client, data_protection_officer, logged
):
    client.force_login(data_protection_officer)

    page = text_of(client.get(reverse("access_log")))

    assert sorted(row[4] for row in shown_rows(page)) == ["F-DURAND", "F-KACI", "F-KACI"]
    assert "F-LEROY" not in page
    leroy = shown_rows(text_of(client.get(reverse("access_log"), {"menage": "F-LEROY"})))
    assert leroy == []


def test_data_protection_officer_of_another_landlord_sees_none_of_these_rows(client, logged):
    partenord = logged["leroy"].landlord
    officer = member(partenord, Role.DATA_PROTECTION)
    client.force_login(officer)

    rows = shown_rows(text_of(client.get(reverse("access_log"))))

    assert [row[4] for row in rows] == ["F-LEROY"]


@pytest.mark.parametrize("persona", ["referent", "coordinator", "tenancy_staff", "secretary", "steering"])
def test_other_roles_may_not_read_the_access_log(client, request, logged, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("access_log"))

    assert response.status_code == 403
    assert "F-DURAND" not in text_of(response)


def test_access_log_page_refuses_post(client, admin_user):
    client.force_login(admin_user)

    assert client.post(reverse("access_log")).status_code == 405
