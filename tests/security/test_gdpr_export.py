"""The household's right of access (RGPD art. 15): a ZIP with its data, its history, who consulted
it, its printed documents and its uploaded files, and nothing about any other household. Its
rectification through the normal forms is audited with the user's name."""

import io
import json

import pghistory.models
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from accounts.enums import AccessAction
from accounts.models import AccessLog
from households.models import Household
from tests.accounts.factories import OrganisationFactory
from tests.committee.factories import AgendaItemFactory, SessionFactory
from tests.finance.factories import ProgrammeFactory
from tests.households.factories import HouseholdFactory, PersonFactory, SituationReportFactory
from tests.measures.factories import (
    PDF_BYTES,
    ContactFactory,
    DocumentFactory,
    LiaisonItemFactory,
    LiaisonMeetingFactory,
    MeasureFactory,
)
from tests.security.helpers import text_of, zip_files

NOTE = "Mme Arnoult évoque des violences passées"
OTHER = {
    "name": "Famille Zygmuntowicz",
    "reference": "F-ZYGMU",
    "last_name": "Zygmuntowicz",
    "first_names": "Wenceslas",
    "note": "Note-confidentielle-Wenceslas-addiction",
    "summary": "Résumé-partageable-Zygmunt",
    "document": "Avis-expulsion-Zygmunt",
    "document_bytes": b"%PDF-1.4\n% ZYGMUNT-PIECE-SECRETE\n%%EOF\n",
    "liaison": "Point-liaison-Zygmunt",
    "agenda": "Ordre-du-jour-Zygmunt",
    "report": "Signalement-Zygmunt-voisinage",
}


@pytest.fixture
def arnoult(landlord, referent):
    """The household whose data is asked for, with everything a file may hold."""
    measure = MeasureFactory(
        active=True,
        referent=referent,
        household__name="Famille Arnoult",
        household__reference="F-ARNOU",
        household__head__last_name="Arnoult",
        household__head__first_names="Josiane",
    )
    ContactFactory(measure=measure, by=referent, summary="Visite chez Mme Arnoult.", confidential_note=NOTE)
    document = DocumentFactory(
        household=measure.household,
        measure=measure,
        title="Attestation CAF Arnoult",
        uploaded_by=referent,
    )
    SituationReportFactory(household=measure.household, comment="Dette de loyer Arnoult.")
    return {"household": measure.household, "measure": measure, "document": document}


@pytest.fixture
def zygmunt(landlord, referent, tenancy_staff, arnoult):
    """Another household of the same landlord and association, sharing a liaison meeting and a committee
    session with the first one, with distinctive names and notes."""
    measure = MeasureFactory(
        active=True,
        referent=referent,
        household__name=OTHER["name"],
        household__reference=OTHER["reference"],
        household__head__last_name=OTHER["last_name"],
        household__head__first_names=OTHER["first_names"],
    )
    household = measure.household
    ContactFactory(measure=measure, by=referent, summary=OTHER["summary"], confidential_note=OTHER["note"])
    DocumentFactory(
        household=household,
        measure=measure,
        title=OTHER["document"],
        file=ContentFile(OTHER["document_bytes"], name="zygmunt.pdf"),
        uploaded_by=referent,
    )
    SituationReportFactory(household=household, comment=OTHER["report"])
    meeting = LiaisonMeetingFactory(landlord=landlord, created_by=tenancy_staff)
    LiaisonItemFactory(meeting=meeting, household=arnoult["household"], note="Plan tenu.")
    LiaisonItemFactory(meeting=meeting, household=household, note=OTHER["liaison"])
    session = SessionFactory(programme=ProgrammeFactory(landlord=landlord))
    AgendaItemFactory(session=session, household=arnoult["household"], summary="Impayés.")
    AgendaItemFactory(session=session, household=household, summary=OTHER["agenda"])
    AccessLog.objects.create(
        user=tenancy_staff,
        action=AccessAction.VIEW_HOUSEHOLD,
        object_type="ménage",
        object_id=str(household.pk),
        household_id=household.pk,
        household_reference=household.reference,
        path=f"/menages/{household.pk}/",
    )
    return household


def export(client, household):
    return client.get(reverse("household_export", args=[household.pk]))


def readable(content: bytes) -> str:
    """A file's text: a printed PDF read back with pypdf, anything else (JSON, text, the test
    attachments, which are not real PDFs) as it is."""
    if content.startswith(b"%PDF"):
        try:
            return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        except PdfReadError:
            pass
    return content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("persona", ["data_protection_officer", "admin_user"])
def test_export_is_a_zip_of_the_household_data_history_access_log_pdfs_and_documents(
    client, request, arnoult, referent, persona
):
    household, measure, document = arnoult["household"], arnoult["measure"], arnoult["document"]
    client.force_login(referent)
    client.get(reverse("households:detail", args=[household.pk]))
    client.force_login(request.getfixturevalue(persona))

    response = export(client, household)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="rgpd-F-ARNOU.zip"'
    files = zip_files(response.content)
    document_name = f"documents/{document.pk}-{document.file.name.rsplit('/', 1)[-1]}"
    assert set(files) == {
        "donnees.json",
        "historique.json",
        "journal_des_acces.json",
        f"pdf/diagnostic-{measure.pk}.pdf",
        f"pdf/contrat-{measure.pk}.pdf",
        document_name,
        "LISEZMOI.txt",
    }
    assert files[document_name] == PDF_BYTES
    assert "F-ARNOU" in readable(files[f"pdf/diagnostic-{measure.pk}.pdf"])
    assert "F-ARNOU" in readable(files[f"pdf/contrat-{measure.pk}.pdf"])


def test_export_data_hold_the_household_people_contacts_with_their_confidential_note_and_measures(
    client, data_protection_officer, arnoult
):
    client.force_login(data_protection_officer)

    data = json.loads(zip_files(export(client, arnoult["household"]).content)["donnees.json"])

    assert data["menage"][0]["fields"]["name"] == "Famille Arnoult"
    assert [person["fields"]["last_name"] for person in data["personnes"]] == ["Arnoult"]
    assert [contact["fields"]["confidential_note"] for contact in data["contacts"]] == [NOTE]
    assert [contact["fields"]["summary"] for contact in data["contacts"]] == ["Visite chez Mme Arnoult."]
    assert [m["pk"] for m in data["mesures"]] == [arnoult["measure"].pk]
    assert len(data["diagnostics"]) == len(data["contrats"]) == 1
    assert [report["fields"]["comment"] for report in data["signalements"]] == ["Dette de loyer Arnoult."]
    assert [d["fields"]["title"] for d in data["documents"]] == ["Attestation CAF Arnoult"]


def test_export_history_and_access_log_concern_the_household(client, data_protection_officer, referent, arnoult):
    household = arnoult["household"]
    client.force_login(referent)
    client.get(reverse("households:detail", args=[household.pk]))
    client.force_login(data_protection_officer)

    files = zip_files(export(client, household).content)

    history = json.loads(files["historique.json"])
    assert {"action": "insert", "objet": "households.HouseholdEvent"} in [
        {"action": event["action"], "objet": event["objet"]} for event in history
    ]
    assert any(event["donnees"].get("last_name") == "Arnoult" for event in history)
    accesses = json.loads(files["journal_des_acces.json"])
    assert [(row["user__full_name"], row["action"]) for row in accesses] == [
        ("Amandine Martin", AccessAction.VIEW_HOUSEHOLD)
    ]


def test_export_holds_nothing_about_another_household(client, data_protection_officer, arnoult, zygmunt):
    client.force_login(data_protection_officer)

    files = zip_files(export(client, arnoult["household"]).content)

    markers = [value for key, value in OTHER.items() if key != "document_bytes"]
    leaks = {
        name: [marker for marker in markers if marker.lower() in readable(content).lower()]
        for name, content in files.items()
    }
    assert {name: found for name, found in leaks.items() if found} == {}
    assert not any(OTHER["document_bytes"] in content for content in files.values())
    data = json.loads(files["donnees.json"])
    assert {row["fields"]["household"] for key in ("personnes", "signalements", "documents") for row in data[key]} == {
        arnoult["household"].pk
    }
    assert all(row["household_id"] != zygmunt.pk for row in json.loads(files["journal_des_acces.json"]))


def test_export_history_holds_the_changes_of_the_household_measure_records(client, data_protection_officer, arnoult):
    contact = arnoult["measure"].contacts.get()
    contact.summary = "Visite chez Mme Arnoult, corrigée."
    contact.save()
    client.force_login(data_protection_officer)

    history = json.loads(zip_files(export(client, arnoult["household"]).content)["historique.json"])

    objects = {event["objet"] for event in history}
    assert {"measures.ContactEvent", "measures.DiagnosticEvent", "measures.ContractEvent"} <= objects


@pytest.mark.parametrize("persona", ["referent", "coordinator", "tenancy_staff", "secretary", "steering"])
def test_other_roles_may_not_export(client, request, arnoult, persona):
    client.force_login(request.getfixturevalue(persona))

    response = export(client, arnoult["household"])

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLog.objects.filter(action=AccessAction.GDPR_EXPORT).exists()


def test_a_household_outside_the_officer_organisation_is_not_found(client, data_protection_officer):
    partenord = OrganisationFactory(landlord=True, name="Partenord Habitat", short_name="PARTENORD")
    leroy = HouseholdFactory(landlord=partenord, name="Famille Leroy")
    PersonFactory(household=leroy, last_name="Leroy")
    client.force_login(data_protection_officer)

    response = export(client, leroy)

    assert response.status_code == 404
    assert "Leroy" not in text_of(response)


def test_export_refuses_post(client, data_protection_officer, arnoult):
    client.force_login(data_protection_officer)

    assert client.post(reverse("household_export", args=[arnoult["household"].pk])).status_code == 405


# Rectification through the normal forms is audited


def test_an_edit_through_the_household_form_is_recorded_with_the_user(client, referent, arnoult):
    household = arnoult["household"]
    client.force_login(referent)

    response = client.post(
        reverse("households:edit", args=[household.pk]),
        {
            "name": "Famille Arnoult-Morel",
            "proposed_on": household.proposed_on.isoformat(),
            "housing_situation": household.housing_situation,
        },
    )

    assert response.status_code == 302
    update = (
        pghistory.models.Events.objects.tracks(household)
        .filter(pgh_label="update")
        .order_by("-pgh_created_at")
        .first()
    )
    assert update.pgh_diff["name"] == ["Famille Arnoult", "Famille Arnoult-Morel"]
    assert update.pgh_context["user"] == referent.pk
    assert update.pgh_context["url"] == reverse("households:edit", args=[household.pk])
    event_model = Household.pgh_event_models["update"]
    assert event_model.objects.filter(pgh_obj=household, name="Famille Arnoult-Morel").exists()


def test_the_rectification_appears_in_the_next_export_with_who_made_it(
    client, referent, data_protection_officer, arnoult
):
    household = arnoult["household"]
    client.force_login(referent)
    client.post(
        reverse("households:edit", args=[household.pk]),
        {
            "name": "Famille Arnoult-Morel",
            "proposed_on": household.proposed_on.isoformat(),
            "housing_situation": household.housing_situation,
        },
    )
    client.force_login(data_protection_officer)

    history = json.loads(zip_files(export(client, household).content)["historique.json"])

    updates = [e for e in history if e["action"] == "update" and e["donnees"].get("name") == "Famille Arnoult-Morel"]
    assert len(updates) == 1
    assert updates[0]["contexte"]["user"] == referent.pk
