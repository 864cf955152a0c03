"""The secretary's pages, happy path first: planning, what waits to be presented, the agenda built in one click
per item, decisions, attendees, the workflow steps; the household file's « Comité » tab; the secretary's
home page."""

import html
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from committee.enums import Attendance, DecisionKind, ItemKind, SessionStatus
from committee.models import Attendee, Decision, Session
from measures.enums import MeasureType
from tests.committee.factories import (
    PLACE,
    AgendaItemFactory,
    DecisionFactory,
    ProgrammeFactory,
    SessionFactory,
    at,
    in_days,
)
from tests.households.factories import HouseholdFactory, SituationReportFactory, days_ago
from tests.measures.factories import MeasureFactory


@pytest.fixture
def programme(landlord):
    return ProgrammeFactory(landlord=landlord)


@pytest.fixture
def session(programme):
    return SessionFactory(programme=programme, starts_at=in_days(20))


def text(response) -> str:
    return html.unescape(response.content.decode())


def detail(client, session) -> str:
    return text(client.get(reverse("committee:detail", args=[session.pk])))


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Planning


def test_the_secretary_plans_a_session_at_the_programmes_usual_place(client, secretary, programme):
    client.force_login(secretary)
    url = reverse("committee:create")

    form = client.get(url).content.decode()
    assert f'value="{PLACE}"' in form

    response = client.post(url, {"programme": programme.pk, "starts_at": "2027-03-09T14:30", "place": PLACE})

    session = Session.objects.get(programme=programme)
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:detail", args=[session.pk])
    assert flashed(response) == ["Séance n° 1 planifiée."]
    assert timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M") == "09/03/2027 14:30"
    assert (session.number, session.place, session.status) == (1, PLACE, SessionStatus.PLANNED)


@pytest.mark.parametrize(
    ("starts_at", "error"),
    [
        ("2020-01-01T14:00", "Le programme commence le"),
        ("LAST_DAY_AT_18", "La séance n° 1 a déjà lieu ce jour-là."),
        ("BEFORE_LAST", "Les séances sont numérotées dans l&#x27;ordre et la dernière, n° 1, a lieu le"),
    ],
)
def test_a_session_cannot_precede_the_programme_nor_another_session_nor_share_its_day(
    client, secretary, programme, starts_at, error
):
    last = SessionFactory(programme=programme, number=1, starts_at=at(days_ago(-30), 14, 0))
    day = timezone.localtime(last.starts_at)
    starts_at = {
        "LAST_DAY_AT_18": f"{day:%Y-%m-%d}T18:00",
        "BEFORE_LAST": f"{day - timedelta(days=7):%Y-%m-%d}T14:00",
    }.get(starts_at, starts_at)
    client.force_login(secretary)

    response = client.post(
        reverse("committee:create"), {"programme": programme.pk, "starts_at": starts_at, "place": PLACE}
    )

    assert response.status_code == 200
    assert error in response.text
    assert list(Session.objects.filter(programme=programme)) == [last]


def test_the_session_list_shows_each_session_with_its_date_and_status(client, secretary, programme):
    SessionFactory(programme=programme, number=1, starts_at=at(days_ago(80), 9, 30), validated=True)
    SessionFactory(programme=programme, number=2, starts_at=at(days_ago(-10), 14, 0))
    client.force_login(secretary)

    page = client.get(reverse("committee:list")).content.decode()

    assert f"{days_ago(80):%d/%m/%Y} à 9 h 30" in page
    assert "Procès-verbal validé" in page and "Planifiée" in page
    assert page.index("Séance n° 2") < page.index("Séance n° 1")


# What waits to be presented, and the agenda


@pytest.fixture
def waiting(landlord, association, tenancy_staff):
    """One case of each kind waiting for the committee, and cases that must not show."""
    return {
        "report": SituationReportFactory(
            household=HouseholdFactory(landlord=landlord, reference="F-REPORT"), reported_by=tenancy_staff
        ),
        "candidate": HouseholdFactory(landlord=landlord, acces=True, proposed_by=association, reference="F-CANDIDAT"),
        "diagnostic": MeasureFactory(diagnostic__signed=True, household__reference="F-DIAGNOSTIC"),
        "ending": MeasureFactory(
            active=True, planned_end=timezone.localdate() + timedelta(days=40), household__reference="F-ECHEANCE"
        ),
        "not_to_present": SituationReportFactory(
            household=HouseholdFactory(landlord=landlord, reference="F-PAS-A-PRESENTER"), to_present=False
        ),
        "presented": SituationReportFactory(
            household=HouseholdFactory(landlord=landlord, reference="F-DEJA-PRESENTE"), presented=True
        ),
        "unsigned": MeasureFactory(household__reference="F-NON-SIGNE"),
        "far": MeasureFactory(
            active=True, planned_end=timezone.localdate() + timedelta(days=300), household__reference="F-LOINTAIN"
        ),
        "foreign": SituationReportFactory(
            household=HouseholdFactory(
                landlord=ProgrammeFactory(other_landlord=True).landlord, reference="F-AUTRE-BAILLEUR"
            )
        ),
    }


def test_the_session_page_lists_what_waits_to_be_presented(client, secretary, session, waiting):
    client.force_login(secretary)

    page = detail(client, session)

    assert "F-REPORT (M.) — Impayés de loyer" in page
    assert 'aria-label="Ajouter F-REPORT à l\'ordre du jour"' in page
    assert "F-CANDIDAT (M.) — EOLE" in page
    assert "F-DIAGNOSTIC — EOLE" in page
    assert "F-ECHEANCE — fin prévue le" in page
    for absent in ["F-PAS-A-PRESENTER", "F-DEJA-PRESENTE", "F-NON-SIGNE", "F-LOINTAIN", "F-AUTRE-BAILLEUR"]:
        assert absent not in page


def test_measures_coming_to_their_end_are_listed_soonest_first(client, secretary, session, waiting):
    MeasureFactory(
        active=True, planned_end=timezone.localdate() + timedelta(days=10), household__reference="F-BIENTOT"
    )
    MeasureFactory(
        active=True, planned_end=timezone.localdate() + timedelta(days=70), household__reference="F-PLUS-TARD"
    )
    client.force_login(secretary)

    page = detail(client, session)

    assert page.index("F-BIENTOT") < page.index("F-ECHEANCE") < page.index("F-PLUS-TARD")


def test_adding_a_reported_situation_puts_it_on_the_agenda_with_its_reasons(
    client, secretary, session, waiting, landlord
):
    report = waiting["report"]
    client.force_login(secretary)

    response = client.post(
        reverse("committee:agenda_add", args=[session.pk]), {"kind": ItemKind.NEW_SITUATION, "report": report.pk}
    )

    assert flashed(response) == ["Point ajouté à l'ordre du jour."]
    item = session.items.get()
    assert (item.kind, item.household, item.situation_report, item.presented_by, item.summary, item.position) == (
        ItemKind.NEW_SITUATION,
        report.household,
        report,
        landlord,
        "Impayés de loyer",
        1,
    )
    page = detail(client, session)
    assert "1. <a" in page and "F-REPORT</a> (M.) — Situation présentée par le bailleur" in page
    assert "Ajouter F-REPORT" not in page


def test_adding_an_access_candidate_credits_the_association_that_proposed_it(
    client, secretary, session, waiting, association
):
    client.force_login(secretary)

    client.post(
        reverse("committee:agenda_add", args=[session.pk]),
        {"kind": ItemKind.ACCESS_CANDIDATE, "household": waiting["candidate"].pk},
    )

    item = session.items.get()
    assert (item.household, item.presented_by, item.kind) == (
        waiting["candidate"],
        association,
        ItemKind.ACCESS_CANDIDATE,
    )
    assert "Présenté par EOLE" in detail(client, session)


@pytest.mark.parametrize("kind", [ItemKind.DIAGNOSTIC, ItemKind.CALIBRATION, ItemKind.EVALUATION, ItemKind.CLOSURE])
def test_adding_an_item_about_a_measure_credits_its_association(client, secretary, session, waiting, kind):
    measure = waiting["ending"]
    client.force_login(secretary)

    client.post(reverse("committee:agenda_add", args=[session.pk]), {"kind": kind, "measure": measure.pk})

    item = session.items.get()
    assert (item.kind, item.measure, item.household, item.presented_by) == (
        kind,
        measure,
        measure.household,
        measure.operator,
    )


def test_adding_the_same_case_twice_says_it_is_already_there(client, secretary, session, waiting):
    client.force_login(secretary)
    url = reverse("committee:agenda_add", args=[session.pk])
    data = {"kind": ItemKind.ACCESS_CANDIDATE, "household": waiting["candidate"].pk}
    client.post(url, data)

    response = client.post(url, data)

    assert flashed(response)[-1] == "F-CANDIDAT est déjà à l'ordre du jour pour ce motif."
    assert session.items.count() == 1


def test_items_move_up_and_down_and_leave_the_agenda(client, secretary, session):
    first, second, third = (AgendaItemFactory(session=session) for _ in range(3))
    client.force_login(secretary)

    client.post(reverse("committee:item_action", args=[third.pk, "monter"]))
    client.post(reverse("committee:item_action", args=[first.pk, "descendre"]))
    assert list(session.items.values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]

    response = client.post(reverse("committee:item_action", args=[first.pk, "retirer"]))

    assert flashed(response) == ["Point retiré de l'ordre du jour."]
    assert list(session.items.values_list("pk", flat=True)) == [third.pk, second.pk]
    assert client.post(reverse("committee:item_action", args=[third.pk, "effacer"])).status_code == 404


# Decisions


def test_the_secretary_records_an_orientation(client, secretary, session, association):
    item = AgendaItemFactory(session=session, reported=True)
    client.force_login(secretary)
    url = reverse("committee:decision", args=[item.pk])

    form = client.get(url).content.decode()
    assert f"Point 1 : {item.household.reference} (M.) — Situation présentée par le bailleur" in form

    response = client.post(
        url,
        {
            "kind": DecisionKind.ORIENT,
            "operator": association.pk,
            "measure_type": MeasureType.MAINTIEN,
            "summary": "Dette ancienne, premiers contacts positifs.",
        },
    )

    assert response.status_code == 302
    assert flashed(response) == [f"Décision enregistrée pour {item.household.reference}."]
    decision = Decision.objects.get(item=item)
    assert (decision.kind, decision.operator, decision.measure_type, decision.applied_at) == (
        DecisionKind.ORIENT,
        association,
        MeasureType.MAINTIEN,
        None,
    )
    page = detail(client, session)
    assert "Décision : Orientation vers une association</strong> — EOLE · Maintien dans le logement" in page
    assert "À appliquer" in page
    assert "Modifier la décision" in page


def test_an_orientation_must_fit_the_households_track(client, secretary, session, association):
    """An access candidate gets an access measure (or AVDL), a tenant a keeping-one's-home one."""
    item = AgendaItemFactory(session=session, access_candidate=True)
    client.force_login(secretary)
    url = reverse("committee:decision", args=[item.pk])
    data = {"kind": DecisionKind.ORIENT, "operator": association.pk, "summary": "Candidat."}

    refused = client.post(url, data | {"measure_type": MeasureType.MAINTIEN})

    assert refused.status_code == 200
    assert "Ce ménage relève du parcours « Accès » : choisissez « Accès – logement d&#x27;abord »" in refused.text
    assert not Decision.objects.filter(item=item).exists()
    assert client.post(url, data | {"measure_type": MeasureType.AVDL}).status_code == 302


def test_a_recorded_decision_is_changed_in_place(client, secretary, session):
    decision = DecisionFactory(item__session=session)
    client.force_login(secretary)

    client.post(
        reverse("committee:decision", args=[decision.item_id]),
        {"kind": DecisionKind.NOT_RETAINED, "reason": "Relève du FSL"},
    )

    assert Decision.objects.filter(item=decision.item).count() == 1
    decision.refresh_from_db()
    assert (decision.kind, decision.reason) == (DecisionKind.NOT_RETAINED, "Relève du FSL")


@pytest.mark.parametrize(
    ("item_traits", "data", "error"),
    [
        ({}, {"kind": DecisionKind.ORIENT, "measure_type": MeasureType.MAINTIEN}, "nécessaire pour ce type"),
        (
            {"access_candidate": True},
            {"kind": DecisionKind.CALIBRATE, "measure_type": MeasureType.AVDL, "intensity": "standard"},
            "Ce point ne porte sur aucune mesure",
        ),
        ({"evaluation": True}, {"kind": DecisionKind.EXTEND}, "Indiquez la nouvelle fin prévue"),
        (
            {"evaluation": True},
            {"kind": DecisionKind.EXTEND, "planned_end": days_ago(1).isoformat()},
            "La fin prévue doit être dans le futur.",
        ),
        ({}, {"kind": DecisionKind.NOT_RETAINED}, "nécessaire pour ce type"),
    ],
    ids=["orient-without-association", "calibrate-without-measure", "extend-without-end", "end-in-past", "no-reason"],
)
def test_an_incomplete_decision_is_refused_with_the_reason(client, secretary, session, item_traits, data, error):
    item = AgendaItemFactory(session=session, **item_traits)
    client.force_login(secretary)

    response = client.post(reverse("committee:decision", args=[item.pk]), data)

    assert response.status_code == 200
    assert error in text(response)
    assert not Decision.objects.exists()


def test_a_refused_end_date_gives_one_message_not_also_a_request_for_it(client, secretary, session):
    item = AgendaItemFactory(session=session, evaluation=True)
    client.force_login(secretary)

    response = client.post(
        reverse("committee:decision", args=[item.pk]),
        {"kind": DecisionKind.EXTEND, "planned_end": days_ago(1).isoformat()},
    )

    assert "La fin prévue doit être dans le futur." in text(response)
    assert "Indiquez la nouvelle fin prévue" not in text(response)


def test_an_applied_decision_is_no_longer_offered_for_change(client, secretary, session):
    decision = DecisionFactory(item__session=session, applied=True, result="Mesure proposée à EOLE.")
    client.force_login(secretary)

    page = detail(client, session)

    assert "Appliquée</span> Mesure proposée à EOLE." in page
    assert reverse("committee:decision", args=[decision.item_id]) not in page
    assert ">Retirer<" not in page
    response = client.post(
        reverse("committee:decision", args=[decision.item_id]),
        {"kind": DecisionKind.NOT_RETAINED, "reason": "Après coup"},
    )
    assert "déjà appliquée" in response.content.decode()


# Attendees


def test_the_secretary_records_the_attendees(client, secretary, session, landlord, association):
    client.force_login(secretary)
    # As a browser sends it: the blank third row keeps its default attendance.
    data = {"attendees-TOTAL_FORMS": "3", "attendees-INITIAL_FORMS": "0", "attendees-2-attendance": "invited"}
    rows = [
        (landlord, "Nathalie Roussel", "n.roussel@lmh.example", Attendance.PRESENT),
        (association, "Sophie Dubois", "", Attendance.EXCUSED),
    ]
    for index, (organisation, name, email, attendance) in enumerate(rows):
        data |= {
            f"attendees-{index}-organisation": organisation.pk,
            f"attendees-{index}-name": name,
            f"attendees-{index}-email": email,
            f"attendees-{index}-attendance": attendance,
        }

    response = client.post(reverse("committee:attendees", args=[session.pk]), data)

    assert flashed(response) == ["Participants enregistrés."]
    assert set(Attendee.objects.values_list("organisation__short_name", "name", "attendance")) == {
        ("LMH", "Nathalie Roussel", Attendance.PRESENT),
        ("EOLE", "Sophie Dubois", Attendance.EXCUSED),
    }
    page = detail(client, session)
    assert "Sophie Dubois (EOLE) — excusé(e)" in page


# The workflow steps


def test_marking_the_session_held_proposes_the_next_one(client, secretary, programme):
    session = SessionFactory(programme=programme, starts_at=at(days_ago(1), 14, 0))
    client.force_login(secretary)
    url = reverse("committee:step", args=[session.pk, "tenue"])

    assert "la suivante sera proposée trois mois plus tard" in client.get(url).content.decode()
    response = client.post(url)

    following = Session.objects.get(programme=programme, number=session.number + 1)
    assert flashed(response) == [
        f"Séance tenue. La suivante (n° {following.number}) est proposée le {following.starts_at:%d/%m/%Y}."
    ]
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    page = detail(client, session)
    assert "Valider le procès-verbal" in page
    assert "Marquer comme tenue" not in page


def test_the_application_page_lists_the_decisions_to_apply(client, secretary, programme):
    session = SessionFactory(programme=programme, held=True)
    decision = DecisionFactory(item__session=session)
    DecisionFactory(item__session=session, not_retained=True, applied=True)
    client.force_login(secretary)

    page = text(client.get(reverse("committee:step", args=[session.pk, "appliquer"])))

    assert "appliquées ensemble, ou aucune si l'une échoue" in page
    assert f"<li>{decision.item.household.reference} : Orientation vers une association (EOLE)</li>" in page
    assert "Non retenu" not in page
    assert "Appliquer les décisions (1)" in detail(client, session)


def test_applying_the_decisions_from_the_page_reports_how_many(client, secretary, programme):
    session = SessionFactory(programme=programme, held=True)
    decision = DecisionFactory(item__session=session, item__reported=True)
    client.force_login(secretary)

    response = client.post(reverse("committee:step", args=[session.pk, "appliquer"]))

    assert flashed(response) == ["1 décision appliquée."]
    decision.refresh_from_db()
    assert "Appliquée</span> Mesure proposée à EOLE" in detail(client, session)
    assert decision.item.household.measures.count() == 1


# The household file's « Comité » tab


def test_the_household_files_committee_tab_lists_its_items_and_decisions(client, secretary, programme):
    past = SessionFactory(programme=programme, number=1, starts_at=at(days_ago(90)), validated=True)
    upcoming = SessionFactory(programme=programme, number=2, starts_at=in_days(5))
    deferred = DecisionFactory(
        defer=True, item__session=past, item__reported=True, applied=True, result="Point reporté à la séance n° 2."
    )
    household = deferred.item.household
    AgendaItemFactory(session=upcoming, household=household, reported=True)
    other = AgendaItemFactory(session=upcoming, household__reference="F-AUTRE-MENAGE")
    client.force_login(secretary)

    response = client.get(reverse("households:detail", args=[household.pk]), {"onglet": "comite"})

    page = text(response)
    assert f"N° 1 du {days_ago(90):%d/%m/%Y}" in page
    assert "Report à la prochaine séance" in page
    assert "Point reporté à la séance n° 2." in page
    assert f"N° 2 du {upcoming.starts_at:%d/%m/%Y}" in page
    assert "non appliquée" in page
    assert "Situation présentée par le bailleur (présenté par LMH)" in page
    assert page.index("N° 2 du") < page.index("N° 1 du")
    assert other.household.reference not in page


def test_the_committee_tab_of_a_household_never_presented_says_so(client, secretary, landlord):
    household = HouseholdFactory(landlord=landlord)
    client.force_login(secretary)

    response = client.get(reverse("households:detail", args=[household.pk]), {"onglet": "comite"})

    assert "Ce ménage n'est encore passé devant aucun comité." in text(response)


# The secretary's home page


def test_the_secretary_home_shows_the_next_session_and_the_minutes_to_validate(client, secretary, programme):
    held = SessionFactory(programme=programme, number=1, starts_at=at(days_ago(10)), held=True)
    SessionFactory(programme=programme, number=0, starts_at=at(days_ago(100)), validated=True)
    upcoming = SessionFactory(programme=programme, number=2, starts_at=in_days(12, 9, 30))
    SessionFactory(programme=programme, number=3, starts_at=in_days(100))
    SessionFactory(programme=ProgrammeFactory(other_landlord=True), number=9, starts_at=in_days(3))
    DecisionFactory(item__session=upcoming)
    AgendaItemFactory(session=upcoming)
    AgendaItemFactory(session=upcoming)
    client.force_login(secretary)

    page = text(client.get(reverse("home")))

    assert "Secrétariat du comité — prochaine séance" in page
    assert f"<strong>Séance n° 2</strong></a> le {upcoming.starts_at:%d/%m/%Y} à 9 h 30" in page
    assert "Convocation : <strong>non envoyée</strong> · 3 points à l'ordre du jour, dont 2 sans décision." in page
    assert f"Séance n° 1 du {held.starts_at:%d/%m/%Y}</a>" in page
    assert "Séance n° 0 du" not in page
    assert "Séance n° 3" not in page and "Séance n° 9" not in page

    Session.objects.filter(pk=upcoming.pk).update(convened_at=timezone.now(), status=SessionStatus.CONVENED)
    page = text(client.get(reverse("home")))
    assert f"Convocation : envoyée le {timezone.localdate():%d/%m/%Y}" in page


def test_the_secretary_home_invites_to_plan_when_no_session_is_ahead(client, secretary, programme):
    client.force_login(secretary)

    page = text(client.get(reverse("home")))

    assert "Aucune séance à venir." in page
    assert reverse("committee:create") in page
    assert "Aucun procès-verbal en attente." in page


def test_a_candidate_decided_at_an_earlier_session_no_longer_waits(client, secretary, session, waiting):
    earlier = SessionFactory(programme=session.programme, held=True, starts_at=at(days_ago(60)))
    DecisionFactory(
        defer=True,
        applied=True,
        item__session=earlier,
        item__household=waiting["candidate"],
        item__kind=ItemKind.ACCESS_CANDIDATE,
    )
    client.force_login(secretary)

    page = detail(client, session)

    assert "F-CANDIDAT" not in page
    assert "F-REPORT" in page
