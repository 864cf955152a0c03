"""The minutes (procès-verbal): a real PDF read back with pypdf, naming households by reference and initials
only; validated versions frozen by PostgreSQL; corrections as new versions; a validated session no longer
changes, neither through the services nor through the pages."""

import hashlib
import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse
from pypdf import PdfReader

from committee import services
from committee.enums import Attendance, DecisionKind, ItemKind, SessionStatus
from committee.models import AgendaItem, Decision, Minutes
from committee.pdfs import minutes_pdf
from measures.enums import Intensity, MeasureType
from tests.committee.factories import (
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    ProgrammeFactory,
    SessionFactory,
    at,
)
from tests.households.factories import HouseholdFactory, PersonFactory, SituationReportFactory
from tests.measures.factories import ContactFactory

CONFIDENTIAL_NOTE = "Violences conjugales évoquées par l'école, ne pas diffuser"


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages(content))


def ready_session(landlord, **fields):
    """A held session whose every item has an applied decision: its minutes may be validated."""
    session = SessionFactory(held=True, programme=ProgrammeFactory(landlord=landlord), **fields)
    DecisionFactory(item__session=session, applied=True, result="Mesure proposée à EOLE (Maintien dans le logement).")
    return session


@pytest.fixture
def validated(landlord, secretary):
    session = ready_session(landlord)
    return services.minutes_validate(session=session, by=secretary)


# Validation and versions


def test_validation_freezes_the_pdf_with_its_sha256(landlord, secretary):
    session = ready_session(landlord)

    minutes = services.minutes_validate(session=session, by=secretary)

    minutes.refresh_from_db()
    content = bytes(minutes.pdf)
    assert content.startswith(b"%PDF")
    assert minutes.sha256 == hashlib.sha256(content).hexdigest()
    assert (minutes.version, minutes.validated_by, minutes.correction_reason) == (1, secretary, "")
    session.refresh_from_db()
    assert session.status == SessionStatus.VALIDATED
    assert "Projet — non validé" not in pdf_text(content)
    assert "version 1" in pdf_text(content)


def test_a_validated_minutes_row_cannot_be_updated(validated):
    with pytest.raises(DatabaseError, match="Cannot update or delete rows from committee_minutes"):
        with transaction.atomic():
            Minutes.objects.filter(pk=validated.pk).update(sha256="0" * 64, pdf=b"%PDF-1.7 faux")

    stored = Minutes.objects.get(pk=validated.pk)
    assert stored.sha256 == validated.sha256
    assert hashlib.sha256(bytes(stored.pdf)).hexdigest() == validated.sha256


def test_a_validated_minutes_row_cannot_be_saved_again(validated):
    validated.correction_reason = "Retouche discrète"

    with pytest.raises(DatabaseError), transaction.atomic():
        validated.save()

    assert Minutes.objects.get(pk=validated.pk).correction_reason == ""


def test_a_validated_minutes_row_cannot_be_deleted(validated):
    with pytest.raises(DatabaseError, match="Cannot update or delete rows from committee_minutes"):
        with transaction.atomic():
            Minutes.objects.filter(pk=validated.pk).delete()

    assert Minutes.objects.filter(pk=validated.pk).exists()


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_a_correction_without_a_reason_is_refused(validated, secretary, reason):
    with pytest.raises(ValidationError, match="une correction indique son motif"):
        services.minutes_validate(session=validated.session, by=secretary, correction_reason=reason)

    assert list(validated.session.minutes.values_list("version", flat=True)) == [1]


def test_a_correction_makes_version_2_while_version_1_stays_downloadable_unchanged(client, validated, secretary):
    session = validated.session
    client.force_login(secretary)
    before = client.get(reverse("committee:minutes", args=[session.pk, 1])).content

    correction = services.minutes_validate(
        session=session, by=secretary, correction_reason="Erreur sur la présence de l'AFEJI"
    )

    after = client.get(reverse("committee:minutes", args=[session.pk, 1]))
    assert after["Content-Type"] == "application/pdf"
    assert after.content == before
    assert hashlib.sha256(after.content).hexdigest() == validated.sha256
    assert correction.version == 2
    assert correction.sha256 != validated.sha256
    second = client.get(reverse("committee:minutes", args=[session.pk, 2])).content
    assert hashlib.sha256(second).hexdigest() == correction.sha256
    assert "Version corrigée : Erreur sur la présence de l'AFEJI" in pdf_text(second)
    assert "version 2" in pdf_text(second)
    page = client.get(reverse("committee:detail", args=[session.pk])).content.decode()
    assert "Version 1</a>" in page and "Version 2</a>" in page
    assert "(Erreur sur la présence de l&#x27;AFEJI)" in page


def test_the_correction_page_asks_for_a_reason(client, validated, secretary):
    client.force_login(secretary)
    url = reverse("committee:step", args=[validated.session.pk, "corriger"])

    response = client.post(url, {"reason": ""})

    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    assert validated.session.minutes.count() == 1

    response = client.post(url, {"reason": "Coquille dans le nom d'un participant"}, follow=True)

    assert "Procès-verbal corrigé : version 2." in response.content.decode()
    assert validated.session.minutes.get(version=2).correction_reason == "Coquille dans le nom d'un participant"


@pytest.mark.parametrize("decision", [None, "not applied"], ids=["no-decision", "decision-not-applied"])
def test_validation_is_refused_before_every_item_has_an_applied_decision(landlord, secretary, decision):
    session = ready_session(landlord)
    if decision:
        DecisionFactory(item__session=session)
    else:
        AgendaItemFactory(session=session)

    with pytest.raises(ValidationError, match="Chaque point doit avoir une décision appliquée"):
        services.minutes_validate(session=session, by=secretary)

    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert not Minutes.objects.exists()


def test_validation_is_refused_before_the_session_is_held(landlord, secretary):
    session = SessionFactory(past=True, programme=ProgrammeFactory(landlord=landlord))

    with pytest.raises(ValidationError, match="une fois la séance tenue"):
        services.minutes_validate(session=session, by=secretary)

    assert not Minutes.objects.exists()


def test_the_validation_page_says_why_it_is_refused(client, landlord, secretary):
    session = ready_session(landlord)
    AgendaItemFactory(session=session)
    client.force_login(secretary)

    response = client.post(reverse("committee:step", args=[session.pk, "valider"]), follow=True)

    assert "Chaque point doit avoir une décision appliquée" in response.content.decode()
    assert not Minutes.objects.exists()


def test_the_validation_page_freezes_the_minutes(client, landlord, secretary):
    session = ready_session(landlord)
    client.force_login(secretary)

    response = client.post(reverse("committee:step", args=[session.pk, "valider"]), follow=True)

    minutes = session.minutes.get()
    assert f"Procès-verbal validé (version 1, empreinte {minutes.sha256[:12]}" in response.content.decode()
    assert reverse("committee:minutes", args=[session.pk, 1]) in response.content.decode()


# A validated session no longer changes


def _add(session):
    household = HouseholdFactory(landlord=session.programme.landlord)
    services.agenda_add(
        session=session, kind=ItemKind.NEW_SITUATION, household=household, presented_by=household.landlord
    )


def _move(session):
    services.agenda_move(item=session.items.first(), offset=1)


def _remove(session):
    services.agenda_remove(item=session.items.first())


def _decide(session):
    decision = Decision.objects.get(item__session=session)
    decision.summary = "Réécrit après la validation"
    services.decision_record(decision=decision)


def _mark_held(session):
    services.session_mark_held(session=session)


def _convene(session):
    services.session_convene(session=session, by=None)


def _apply(session):
    services.session_apply_decisions(session=session, by=None)


@pytest.mark.parametrize("change", [_add, _move, _remove, _decide, _mark_held, _convene, _apply])
def test_services_refuse_to_change_a_validated_session(validated, change):
    session = validated.session
    AttendeeFactory(session=session)
    AgendaItemFactory(session=session)  # a second item, so that a move would change something
    before = list(session.items.values_list("pk", "position"))

    with pytest.raises(ValidationError, match="procès-verbal de cette séance est validé"):
        change(session)

    assert list(session.items.values_list("pk", "position")) == before
    assert Decision.objects.get(item__session=session).summary == "Situation partagée ; diagnostic partagé à engager."
    assert mail.outbox == []
    session.refresh_from_db()
    assert (session.status, session.convened_at) == (SessionStatus.VALIDATED, None)


def test_the_attendees_form_of_a_validated_session_is_refused(client, validated, secretary):
    attendee = AttendeeFactory(session=validated.session, name="Sophie Dubois")
    client.force_login(secretary)
    url = reverse("committee:attendees", args=[validated.session.pk])

    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {
            "attendees-TOTAL_FORMS": "1",
            "attendees-INITIAL_FORMS": "1",
            "attendees-0-id": attendee.pk,
            "attendees-0-organisation": attendee.organisation_id,
            "attendees-0-name": "Quelqu'un d'autre",
            "attendees-0-email": "",
            "attendees-0-attendance": Attendance.ABSENT,
            "attendees-0-DELETE": "on",
        },
    )

    assert response.status_code == 403
    attendee.refresh_from_db()
    assert (attendee.name, attendee.attendance) == ("Sophie Dubois", Attendance.INVITED)


def test_the_agenda_of_a_validated_session_cannot_grow_from_the_page(client, validated, secretary, landlord):
    report = SituationReportFactory(household=HouseholdFactory(landlord=landlord), organisation=landlord)
    client.force_login(secretary)

    response = client.post(
        reverse("committee:agenda_add", args=[validated.session.pk]),
        {"kind": ItemKind.NEW_SITUATION, "report": report.pk},
        follow=True,
    )

    assert "procès-verbal de cette séance est validé" in response.content.decode()
    assert not AgendaItem.objects.filter(situation_report=report).exists()


@pytest.mark.parametrize("action", ["monter", "descendre", "retirer"])
def test_the_items_of_a_validated_session_cannot_move_or_go_from_the_page(client, validated, secretary, action):
    session = validated.session
    AgendaItemFactory(session=session)
    before = list(session.items.values_list("pk", "position"))
    client.force_login(secretary)

    for item_pk, _ in before:
        response = client.post(reverse("committee:item_action", args=[item_pk, action]), follow=True)
        assert "procès-verbal de cette séance est validé" in response.content.decode()

    assert list(session.items.values_list("pk", "position")) == before


def test_the_decision_of_a_validated_session_cannot_be_rewritten_from_the_page(client, validated, secretary):
    decision = Decision.objects.get(item__session=validated.session)
    client.force_login(secretary)

    response = client.post(
        reverse("committee:decision", args=[decision.item_id]),
        {"kind": DecisionKind.NOT_RETAINED, "reason": "Réécrit après la validation"},
    )

    assert response.status_code == 403
    decision.refresh_from_db()
    assert (decision.kind, decision.reason) == (DecisionKind.ORIENT, "")


FROZEN = "Le procès-verbal de cette séance est validé : la séance ne se modifie plus."


@pytest.mark.parametrize(
    ("step", "refusal"),
    [
        ("convoquer", FROZEN),
        ("tenue", FROZEN),
        ("appliquer", FROZEN),
        ("valider", "Le procès-verbal est déjà validé : une correction indique son motif."),
    ],
)
def test_the_workflow_steps_of_a_validated_session_are_refused(client, validated, secretary, step, refusal):
    AttendeeFactory(session=validated.session)
    client.force_login(secretary)

    response = client.post(reverse("committee:step", args=[validated.session.pk, step]), follow=True)

    assert refusal in response.content.decode().replace("&#x27;", "'")
    assert validated.session.minutes.count() == 1
    assert mail.outbox == []
    validated.session.refresh_from_db()
    assert validated.session.status == SessionStatus.VALIDATED


def test_the_page_of_a_validated_session_offers_no_change(client, validated, secretary):
    client.force_login(secretary)

    page = client.get(reverse("committee:detail", args=[validated.session.pk])).content.decode()

    assert "Procès-verbal validé" in page
    assert "Corriger le PV" in page
    for offer in [
        "Enregistrer la décision",
        "Modifier la décision",
        ">Retirer<",
        "À présenter",
        "Marquer comme tenue",
    ]:
        assert offer not in page
    assert reverse("committee:attendees", args=[validated.session.pk]) not in page


# What the PDF says


@pytest.fixture
def printed(landlord, association, other_association, secretary):
    """Session n° 3 of 11/03/2025 at 14 h 30: a new situation oriented to EOLE and a calibration, with
    attendees from three organisations, and households whose people and notes must not be printed."""
    programme = ProgrammeFactory(landlord=landlord)
    SessionFactory(programme=programme, number=1, starts_at=at(date(2024, 9, 10)), validated=True)
    SessionFactory(programme=programme, number=2, starts_at=at(date(2024, 12, 10)), validated=True)
    session = SessionFactory(programme=programme, number=3, starts_at=at(date(2025, 3, 11), 14, 30), held=True)
    for organisation, name, attendance in [
        (landlord, "Nathalie Roussel", Attendance.PRESENT),
        (landlord, "Claire Lefebvre", Attendance.PRESENT),
        (association, "Sophie Dubois", Attendance.EXCUSED),
        (other_association, "Karim Benali", Attendance.ABSENT),
    ]:
        AttendeeFactory(session=session, organisation=organisation, name=name, attendance=attendance)
    wattel = HouseholdFactory(landlord=landlord, name="Famille Wattel", reference="F-2025-0042")
    PersonFactory(household=wattel, last_name="Wattel", first_names="Karine")
    PersonFactory(household=wattel, last_name="Wattel", first_names="Lina", child=True)
    oriented = DecisionFactory(
        item=AgendaItemFactory(session=session, household=wattel, reported=True),
        operator=association,
        applied=True,
        result="Mesure proposée à EOLE (Maintien dans le logement).",
    )
    calibrated = DecisionFactory(
        calibrate=True,
        item__session=session,
        measure_type=MeasureType.MAINTIEN,
        intensity=Intensity.REINFORCED,
        duration_months=12,
        applied=True,
        result="Mesure calibrée.",
    )
    followed = calibrated.item.household
    followed.name = "Famille Oukacha"
    followed.save()
    ContactFactory(measure=calibrated.item.measure, confidential_note=CONFIDENTIAL_NOTE)
    return {"session": session, "oriented": oriented, "calibrated": calibrated, "households": [wattel, followed]}


def test_the_minutes_pdf_holds_the_session_its_attendees_and_each_decision(printed, secretary):
    minutes = services.minutes_validate(session=printed["session"], by=secretary)

    pages = pdf_pages(bytes(minutes.pdf))
    text = "\n".join(pages)

    assert "séance n° 3" in text
    assert "Le mardi 11 mars 2025 à 14 h 30" in text
    assert "Siège de LMH, 425 boulevard Gambetta, Tourcoing" in text
    assert "AFEJI Karim Benali Absent(e)" in text
    assert "EOLE Sophie Dubois Excusé(e)" in text
    assert "Lille Métropole Habitat Claire Lefebvre Présent(e)\nNathalie Roussel Présent(e)" in text
    assert text.index("AFEJI") < text.index("EOLE Sophie") < text.index("Lille Métropole Habitat Claire")
    oriented, calibrated = printed["oriented"], printed["calibrated"]
    assert "1. F-2025-0042 (W.) — Situation présentée par le bailleur" in text
    assert "Décision : Orientation vers une association — association : EOLE · Maintien dans le logement" in text
    assert "Mesure proposée à EOLE (Maintien dans le logement)." in text
    reference = calibrated.item.household.reference
    assert f"2. {reference} (O.) — Calibrage de la mesure" in text
    assert "Décision : Calibrage de la mesure — Maintien dans le logement · intensité renforcée · 12 mois" in text
    assert oriented.summary in text
    assert f"Page 1 sur {len(pages)}" in pages[0]
    assert f"Page {len(pages)} sur {len(pages)}" in pages[-1]


def test_the_minutes_pdf_names_no_household_and_no_person_of_a_household(printed, secretary):
    minutes = services.minutes_validate(session=printed["session"], by=secretary)

    text = pdf_text(bytes(minutes.pdf))

    for household in printed["households"]:
        assert household.name not in text
        assert household.name.removeprefix("Famille ") not in text
        for person in household.people.all():
            assert person.first_names not in text
            assert person.last_name not in text
    assert CONFIDENTIAL_NOTE not in text
    assert "Violences" not in text


def test_the_draft_minutes_are_marked_as_such_and_follow_the_agenda(client, printed, secretary):
    client.force_login(secretary)

    response = client.get(reverse("committee:minutes_draft", args=[printed["session"].pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "Projet — non validé" in text
    assert "F-2025-0042 (W.)" in text
    assert "Wattel" not in text
    assert re.search(r"Page 1 sur \d+", text)


def test_the_validated_pdf_is_the_one_printed_at_validation(printed, secretary):
    session = printed["session"]
    expected = minutes_pdf(session, version=1)

    minutes = services.minutes_validate(session=session, by=secretary)

    # Same document, apart from WeasyPrint's creation timestamp and identifiers.
    assert pdf_pages(bytes(minutes.pdf)) == pdf_pages(expected)
