"""Secret professionnel partagé (CASF L.121-6-2, DOMAIN.md §5): a contact's confidential note stays
within the association that accompanies the household. The landlord's tenancy staff and the committee
secretary never read it, on any page, PDF or home page; they read the shareable summary. Confidential
documents are neither listed nor served to them."""

import html
import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from measures.models import Contact
from tests.households.factories import days_ago
from tests.measures.factories import PDF_BYTES, ContactFactory, DocumentFactory, EvaluationFactory, MeasureFactory

NOTE = "Violences conjugales évoquées, ne pas en parler au bailleur"
SUMMARY = "Visite faite, le plan d'apurement est suivi"
DIAGNOSTIC_NOTE = "Mme craint son ex-conjoint, hébergée chez sa sœur"
FILE_TABS = ["situation", "logement", "procedure", "accompagnement", "comite", "documents", "historique"]
OUTSIDE_THE_CIRCLE = ["tenancy_staff", "secretary"]


def text(response) -> str:
    """The page as a reader sees it: entities (&#x27; for an apostrophe) unescaped."""
    return html.unescape(response.content.decode())


def read_pdf(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.fixture
def measure(referent, landlord, association):
    """An accompaniment under way, diagnostic and contract signed, with a contact noted in confidence
    on each stage."""
    measure = MeasureFactory(active=True, referent=referent, contract__signed=True)
    ContactFactory(measure=measure, on=days_ago(95), confidential_note=DIAGNOSTIC_NOTE, summary="Premier entretien")
    ContactFactory(measure=measure, on=days_ago(3), confidential_note=NOTE, summary=SUMMARY)
    EvaluationFactory(measure=measure)
    return measure


def measure_pages(measure) -> dict[str, str]:
    household_url = reverse("households:detail", args=[measure.household.pk])
    pages = {
        "measure": reverse("measures:detail", args=[measure.pk]),
        "all contacts": reverse("measures:detail", args=[measure.pk]) + "?contacts=tous",
        "diagnostic": reverse("measures:diagnostic", args=[measure.pk]),
        "contract": reverse("measures:contract", args=[measure.pk]),
        "home": reverse("home"),
        "liaison list": reverse("measures:liaison_list"),
    }
    return pages | {f"file, tab {tab}": f"{household_url}?onglet={tab}" for tab in FILE_TABS}


@pytest.mark.parametrize("persona", OUTSIDE_THE_CIRCLE)
def test_confidential_notes_appear_on_no_page_for_landlord_staff(client, request, measure, persona):
    client.force_login(request.getfixturevalue(persona))

    for name, url in measure_pages(measure).items():
        response = client.get(url)
        page = text(response)
        # The secretary may not read the audit history (403): the note is absent from the refusal too.
        assert response.status_code in (200, 403), name
        if response.status_code == 200 and name not in ("home", "liaison list"):
            assert measure.household.reference in page, name
        assert NOTE not in page, name
        assert DIAGNOSTIC_NOTE not in page, name
        assert "Note confidentielle" not in page, name


@pytest.mark.parametrize("persona", OUTSIDE_THE_CIRCLE)
def test_landlord_staff_read_the_shareable_summary_on_the_measure_page(client, request, measure, persona):
    client.force_login(request.getfixturevalue(persona))

    page = text(client.get(reverse("measures:detail", args=[measure.pk])))

    assert SUMMARY in page
    assert "Résumé partageable" in page
    assert NOTE not in page


@pytest.mark.parametrize("persona", OUTSIDE_THE_CIRCLE)
@pytest.mark.parametrize("pdf", ["measures:diagnostic_pdf", "measures:contract_pdf"])
def test_confidential_notes_are_not_printed_for_landlord_staff(client, request, measure, persona, pdf):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(pdf, args=[measure.pk]))

    assert response.status_code == 200
    printed = read_pdf(response.content)
    assert measure.household.reference in printed
    assert NOTE not in printed and DIAGNOSTIC_NOTE not in printed
    assert SUMMARY not in printed


def test_confidential_notes_are_not_printed_even_for_the_referent(client, referent, measure):
    client.force_login(referent)

    for pdf in ["measures:diagnostic_pdf", "measures:contract_pdf"]:
        printed = read_pdf(client.get(reverse(pdf, args=[measure.pk])).content)
        assert NOTE not in printed and DIAGNOSTIC_NOTE not in printed


@pytest.mark.parametrize("persona", ["referent", "coordinator"])
def test_the_association_reads_the_confidential_notes_on_the_measure_page(client, request, measure, persona):
    client.force_login(request.getfixturevalue(persona))

    page = text(client.get(reverse("measures:detail", args=[measure.pk])))

    assert "Note confidentielle" in page
    assert NOTE in page and DIAGNOSTIC_NOTE in page
    assert SUMMARY in page


def test_another_association_reads_nothing_of_the_measure(client, other_referent, measure):
    client.force_login(other_referent)

    response = client.get(reverse("measures:detail", args=[measure.pk]))

    assert response.status_code == 404
    assert NOTE not in text(response)


def test_a_changed_confidential_note_is_not_shown_in_the_history(client, tenancy_staff, referent, measure):
    # The audit trail keeps every version of the row: the history page must not show any of them.
    contact = Contact.objects.get(summary=SUMMARY)  # the note is encrypted: the database cannot filter on it
    contact.confidential_note = "Nouvelle note : dépôt de plainte en cours"
    contact.summary = "Visite faite, plan suivi, rendez-vous CAF pris"
    contact.save()
    client.force_login(tenancy_staff)

    page = client.get(reverse("households:detail", args=[measure.household.pk]) + "?onglet=historique")

    assert page.status_code == 200
    assert "dépôt de plainte" not in text(page)
    assert NOTE not in text(page)


def test_confidential_notes_are_stored_encrypted_with_their_history(measure):
    with connection.cursor() as cursor:
        cursor.execute("SELECT confidential_note FROM measures_contact")
        stored = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT confidential_note FROM measures_contactevent")
        history = [row[0] for row in cursor.fetchall()]

    assert len(stored) == 2 and len(history) >= 2
    assert not any(NOTE in value or DIAGNOSTIC_NOTE in value for value in stored + history)
    assert sorted(Contact.objects.values_list("confidential_note", flat=True)) == sorted([NOTE, DIAGNOSTIC_NOTE])


# Documents


@pytest.fixture
def documents(measure, referent):
    return {
        "confidential": DocumentFactory(
            household=measure.household, measure=measure, title="Jugement de divorce", uploaded_by=referent
        ),
        "shared": DocumentFactory(
            household=measure.household, shared=True, title="Attestation CAF", uploaded_by=referent
        ),
    }


def documents_tab(client, measure) -> str:
    return text(client.get(reverse("households:detail", args=[measure.household.pk]) + "?onglet=documents"))


@pytest.mark.parametrize("persona", OUTSIDE_THE_CIRCLE)
def test_landlord_staff_cannot_download_a_confidential_document(client, request, documents, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("measures:document", args=[documents["confidential"].pk]))

    assert response.status_code == 403
    assert PDF_BYTES not in response.content


@pytest.mark.parametrize("persona", OUTSIDE_THE_CIRCLE)
def test_landlord_staff_do_not_see_a_confidential_document_listed(client, request, measure, documents, persona):
    client.force_login(request.getfixturevalue(persona))

    page = documents_tab(client, measure)

    assert "Jugement de divorce" not in page
    assert reverse("measures:document", args=[documents["confidential"].pk]) not in page
    assert "Attestation CAF" in page


@pytest.mark.parametrize("persona", OUTSIDE_THE_CIRCLE)
def test_landlord_staff_download_a_shared_document(client, request, documents, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("measures:document", args=[documents["shared"].pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_the_referent_lists_and_downloads_every_document(client, referent, measure, documents):
    client.force_login(referent)

    page = documents_tab(client, measure)

    assert "Jugement de divorce" in page and "Attestation CAF" in page
    assert "Confidentiel" in page
    response = client.get(reverse("measures:document", args=[documents["confidential"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


@pytest.mark.parametrize("persona", ["other_referent", "steering", "admin_user"])
def test_documents_of_a_household_one_cannot_see_are_not_found(client, request, documents, persona):
    client.force_login(request.getfixturevalue(persona))

    for document in documents.values():
        assert client.get(reverse("measures:document", args=[document.pk])).status_code == 404
