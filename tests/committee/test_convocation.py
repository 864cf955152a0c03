"""The convocation: one e-mail per attendee with an address, the agenda by reference and initials, and the
session as an .ics event whose times are in UTC."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committee import convocation, services
from committee.enums import SessionStatus
from tests.committee.factories import AgendaItemFactory, AttendeeFactory, ProgrammeFactory, SessionFactory, at
from tests.households.factories import HouseholdFactory, PersonFactory


@pytest.fixture
def session(landlord, association, other_association):
    """Session n° 4 on Tuesday 12/01/2027 at 14 h 30 (winter time: 13:30 UTC), three attendees of whom two
    have an address, and two households on the agenda."""
    session = SessionFactory(
        programme=ProgrammeFactory(landlord=landlord), number=4, starts_at=at(date(2027, 1, 12), 14, 30)
    )
    AttendeeFactory(session=session, organisation=landlord, name="Nathalie Roussel", email="n.roussel@lmh.example")
    AttendeeFactory(session=session, organisation=association, name="Sophie Dubois", email="s.dubois@eole.example")
    AttendeeFactory(session=session, organisation=other_association, name="Karim Benali", without_email=True)
    wattel = HouseholdFactory(landlord=landlord, name="Famille Wattel", reference="F-2027-0001")
    PersonFactory(household=wattel, last_name="Wattel", first_names="Karine")
    AgendaItemFactory(session=session, household=wattel, reported=True)
    AgendaItemFactory(session=session, access_candidate=True, household__name="Famille Ndiaye Sow")
    return session


def convene(session, secretary, capture):
    """Convene; the e-mails leave once the transaction commits."""
    with capture(execute=True):
        return services.session_convene(session=session, by=secretary)


def test_convening_sends_one_email_per_attendee_with_an_address(
    session, secretary, django_capture_on_commit_callbacks
):
    sent = convene(session, secretary, django_capture_on_commit_callbacks)

    assert sent == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["n.roussel@lmh.example", "s.dubois@eole.example"]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert {message.subject for message in mail.outbox} == {
        "Convocation : comité d'orientation et de suivi n° 4 du 12/01/2027"
    }
    greeting = {message.to[0]: message.body.splitlines()[0] for message in mail.outbox}
    assert greeting["s.dubois@eole.example"] == "Bonjour Sophie Dubois,"
    session.refresh_from_db()
    assert session.status == SessionStatus.CONVENED
    assert session.convened_at is not None


def test_the_convocation_gives_the_agenda_by_reference_and_initials_only(
    session, secretary, django_capture_on_commit_callbacks
):
    convene(session, secretary, django_capture_on_commit_callbacks)

    body = mail.outbox[0].body
    candidate = session.items.get(position=2).household
    assert "le 12/01/2027 à 14 h 30, Siège de LMH, 425 boulevard Gambetta, Tourcoing" in body
    assert "1. F-2027-0001 (W.) — Situation présentée par le bailleur" in body
    assert f"2. {candidate.reference} (N. S.) — Candidature à l'accès présentée par un partenaire" in body
    for name in ["Wattel", "Karine", "Ndiaye", "Sow"]:
        assert name not in body


@pytest.mark.parametrize(
    ("day", "expected_start", "expected_end"),
    [
        (date(2027, 1, 12), "DTSTART:20270112T133000Z", "DTEND:20270112T153000Z"),
        (date(2027, 6, 15), "DTSTART:20270615T123000Z", "DTEND:20270615T143000Z"),
    ],
    ids=["winter-time", "summer-time"],
)
def test_the_convocation_carries_an_ics_event_at_the_session_time_in_utc(
    session, secretary, day, expected_start, expected_end, django_capture_on_commit_callbacks
):
    session.starts_at = at(day, 14, 30)
    session.save()

    convene(session, secretary, django_capture_on_commit_callbacks)

    attachments = mail.outbox[0].attachments
    assert len(attachments) == 1
    attachment = attachments[0]
    assert (attachment.filename, attachment.mimetype) == ("comite-4.ics", "text/calendar")
    lines = attachment.content.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert expected_start in lines
    assert expected_end in lines
    assert "SUMMARY:Comité d’orientation et de suivi n° 4" in lines
    assert "LOCATION:Siège de LMH\\, 425 boulevard Gambetta\\, Tourcoing" in lines
    assert "Wattel" not in attachment.content


def test_convening_again_sends_the_convocation_again(session, secretary, django_capture_on_commit_callbacks):
    convene(session, secretary, django_capture_on_commit_callbacks)
    first = session.convened_at

    convene(session, secretary, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 4
    session.refresh_from_db()
    assert session.status == SessionStatus.CONVENED
    assert session.convened_at >= first


def test_a_session_without_attendees_with_an_address_is_refused_and_sends_nothing(landlord, secretary):
    session = SessionFactory(programme=ProgrammeFactory(landlord=landlord))
    AttendeeFactory(session=session, without_email=True)

    with pytest.raises(ValidationError, match="adresse e-mail"):
        services.session_convene(session=session, by=secretary)

    assert mail.outbox == []


def test_the_convocation_page_sends_it_and_says_to_how_many(
    client, session, secretary, django_capture_on_commit_callbacks
):
    client.force_login(secretary)
    url = reverse("committee:step", args=[session.pk, "convoquer"])

    confirmation = client.get(url).content.decode()
    assert "Chaque participant ayant une adresse e-mail recevra la convocation" in confirmation
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "Convocation envoyée à 2 participants." in response.content.decode()
    assert len(mail.outbox) == 2
    assert f"convocation envoyée le {timezone.localdate():%d/%m/%Y}" in response.content.decode()


def test_the_ics_view_returns_the_session_as_a_calendar_file(client, session, secretary):
    client.force_login(secretary)

    response = client.get(reverse("committee:ics", args=[session.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="comite-4.ics"'
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20270112T133000Z\r\n" in body
    assert f"UID:comite-{session.pk}@accompagnement\r\n" in body


def test_a_convened_partner_downloads_the_ics_file(client, session, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("committee:ics", args=[session.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    assert "DTSTART:20270112T133000Z" in response.content.decode()


def test_a_session_without_any_attendee_is_not_marked_convened(landlord, secretary):
    session = SessionFactory(programme=ProgrammeFactory(landlord=landlord))

    with pytest.raises(ValidationError, match="participant"):
        services.session_convene(session=session, by=secretary)

    session.refresh_from_db()
    assert (session.status, session.convened_at) == (SessionStatus.PLANNED, None)


def test_every_line_of_the_ics_file_fits_in_75_octets(session):
    session.place = (
        "Siège de Lille Métropole Habitat, 425 boulevard Gambetta, 59200 Tourcoing — salle du conseil, 2e étage"
    )
    session.save()

    calendar = convocation.ics(session)

    assert all(len(line.encode()) <= 75 for line in calendar.split("\r\n"))
    unfolded = calendar.replace("\r\n ", "")
    assert f"LOCATION:{convocation._ics_escape(session.place)}" in unfolded.split("\r\n")
