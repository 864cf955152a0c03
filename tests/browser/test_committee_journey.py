"""The committee secretary's session, in a real browser: the situation reported by tenancy staff goes on the
agenda in one click, gets its decision, the session is held, the decisions applied, the minutes validated
and downloaded as a PDF that names the household by reference and initials only."""

import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from committee.enums import Attendance
from measures.enums import MeasureStatus
from measures.models import Measure
from tests.committee.factories import AttendeeFactory, ProgrammeFactory, SessionFactory, at
from tests.households.factories import HouseholdFactory, PersonFactory, SituationReportFactory

REFERENCE = "F-2026-0099"


@pytest.fixture
def prepared(landlord, association, tenancy_staff, secretary):
    """A planned session of LMH dated this morning, and a situation reported by the tenancy staff."""
    session = SessionFactory(programme=ProgrammeFactory(landlord=landlord), starts_at=at(timezone.localdate(), 9, 0))
    AttendeeFactory(session=session, organisation=landlord, name="Nathalie Roussel", attendance=Attendance.PRESENT)
    AttendeeFactory(session=session, organisation=association, name="Sophie Dubois", attendance=Attendance.PRESENT)
    household = HouseholdFactory(landlord=landlord, name="Famille Wattel", reference=REFERENCE, in_arrears=True)
    PersonFactory(household=household, last_name="Wattel", first_names="Karine")
    SituationReportFactory(household=household, reported_by=tenancy_staff, to_present=True)
    return {"session": session, "household": household}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def status_message(page):
    return page.locator(".alert-success")


def decide_and_hold(page, session):
    """From the session page: put the reported situation on the agenda, orient it to EOLE, hold the session."""
    page.goto(f"/comite/{session.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Comité n° {session.number}")

    page.get_by_role("button", name=f"Ajouter {REFERENCE} à l'ordre du jour").click()
    expect(status_message(page)).to_contain_text("Point ajouté à l'ordre du jour.")
    agenda = page.get_by_role("region", name="Ordre du jour")
    expect(agenda).to_contain_text(f"1. {REFERENCE} (W.) — Situation présentée par le bailleur")
    expect(page.get_by_role("button", name=f"Ajouter {REFERENCE} à l'ordre du jour")).to_have_count(0)

    page.get_by_role("link", name="Enregistrer la décision").click()
    page.get_by_label("Décision").select_option(label="Orientation vers une association")
    page.get_by_label("Association").select_option(label="EOLE")
    page.get_by_label("Type de mesure").select_option(label="Maintien dans le logement")
    page.get_by_label("Résumé des échanges").fill("Dette ancienne ; la famille accepte un diagnostic partagé.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(status_message(page)).to_contain_text(f"Décision enregistrée pour {REFERENCE}.")
    expect(agenda).to_contain_text("Décision : Orientation vers une association — EOLE · Maintien dans le logement")

    page.get_by_role("link", name="Marquer comme tenue").click()
    page.get_by_role("button", name="Confirmer : marquer la séance comme tenue").click()
    expect(status_message(page)).to_contain_text(f"Séance tenue. La suivante (n° {session.number + 1}) est proposée")


def test_the_secretary_holds_a_session_and_prints_its_draft_minutes(login_as, prepared, secretary):
    page = login_as(secretary)

    decide_and_hold(page, prepared["session"])

    expect(page.get_by_role("link", name="Appliquer les décisions (1)")).to_be_visible()
    draft = page.request.get(page.get_by_role("link", name="Projet de PV (PDF)").get_attribute("href"))
    assert draft.headers["content-type"] == "application/pdf"
    text = pdf_text(draft.body())
    assert f"{REFERENCE} (W.)" in text
    assert "Décision : Orientation vers une association — association : EOLE" in text
    assert "Projet — non validé" in text
    assert "Wattel" not in text and "Karine" not in text


def test_the_secretary_runs_a_session_from_the_reported_situation_to_the_validated_minutes(
    login_as, prepared, secretary, association
):
    session = prepared["session"]
    page = login_as(secretary)
    decide_and_hold(page, session)

    page.get_by_role("link", name="Appliquer les décisions (1)").click()
    expect(page.locator(".alert-warning")).to_contain_text(f"{REFERENCE} : Orientation vers une association (EOLE)")
    page.get_by_role("button", name="Confirmer : appliquer les décisions").click()
    expect(status_message(page)).to_contain_text("1 décision appliquée.")
    expect(page.get_by_role("region", name="Ordre du jour")).to_contain_text("Appliquée Mesure proposée à EOLE")
    measure = Measure.objects.get(household=prepared["household"])
    assert (measure.status, measure.operator) == (MeasureStatus.PROPOSED, association)

    page.get_by_role("link", name="Valider le procès-verbal").click()
    page.get_by_role("button", name="Confirmer : valider le procès-verbal").click()
    expect(status_message(page)).to_contain_text("Procès-verbal validé (version 1")

    link = page.get_by_role("link", name="Version 1")
    expect(link).to_be_visible()
    download = page.request.get(link.get_attribute("href"))
    body = download.body()
    assert body.startswith(b"%PDF")
    text = pdf_text(body)
    assert f"{REFERENCE} (W.)" in text
    assert "Mesure proposée à EOLE (Maintien dans le logement)." in text
    assert "Wattel" not in text and "Karine" not in text
