"""Who reaches which committee page. The landlord's secretary runs its sessions; a partner convened to a
session sees only the items of its own households; landlord staff see the items they presented; everybody
else gets a 404 on a session and a 403 on the secretary's work; pages refuse the methods they do not serve;
a forged id never puts another landlord's case on the agenda."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from committee import services
from committee.enums import ItemKind, SessionStatus
from committee.models import AgendaItem, Decision
from households.enums import HouseholdStatus
from tests.accounts.factories import OrganisationFactory, member
from tests.committee.factories import (
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    ProgrammeFactory,
    SessionFactory,
)
from tests.households.factories import HouseholdFactory, SituationReportFactory
from tests.measures.factories import FollowedHouseholdFactory, MeasureFactory

STEPS = ["convoquer", "tenue", "appliquer", "valider", "corriger"]
REFERENCES = {
    "reported": "F-LMH-REPORTED",
    "colleague": "F-LMH-COLLEAGUE",
    "eole": "F-EOLE-CANDIDATE",
    "eole_operated": "F-EOLE-FOLLOWED",
    "afeji": "F-AFEJI-CANDIDATE",
}


@pytest.fixture
def other_landlord(db):
    return OrganisationFactory(landlord=True, name="Partenord Habitat", short_name="PARTENORD")


@pytest.fixture
def other_secretary(other_landlord):
    return member(other_landlord, Role.SECRETARY, full_name="Rachid Haddad", email="r.haddad@partenord.example")


@pytest.fixture
def scene(landlord, association, other_association, tenancy_staff):
    """A convened session of LMH, with LMH and EOLE convened (not AFEJI), and five households on the agenda:
    one reported by the tenancy staff persona, one by a colleague, an accès candidate of each association and
    a maintien household EOLE accompanies."""
    session = SessionFactory(convened=True, programme=ProgrammeFactory(landlord=landlord))
    AttendeeFactory(session=session, organisation=landlord, name="Nathalie Roussel")
    AttendeeFactory(session=session, organisation=association, name="Sophie Dubois")
    colleague = member(landlord, Role.TENANCY_STAFF, full_name="Marc Vasseur")
    items = {
        "reported": AgendaItemFactory(
            session=session,
            reported=True,
            household__reference=REFERENCES["reported"],
            situation_report__reported_by=tenancy_staff,
        ),
        "colleague": AgendaItemFactory(
            session=session,
            reported=True,
            household__reference=REFERENCES["colleague"],
            situation_report__reported_by=colleague,
        ),
        "eole": AgendaItemFactory(
            session=session,
            access_candidate=True,
            household__reference=REFERENCES["eole"],
            household__proposed_by=association,
        ),
        "eole_operated": AgendaItemFactory(
            session=session,
            household=HouseholdFactory(
                landlord=landlord,
                reference=REFERENCES["eole_operated"],
                operator=association,
                status=HouseholdStatus.ACCOMPANIED,
            ),
        ),
        "afeji": AgendaItemFactory(
            session=session,
            access_candidate=True,
            household__reference=REFERENCES["afeji"],
            household__proposed_by=other_association,
            presented_by=other_association,
        ),
    }
    DecisionFactory(item=items["eole"])
    return {"session": session, "items": items}


def detail_url(session):
    return reverse("committee:detail", args=[session.pk])


# The session page, role by role


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("secretary", set(REFERENCES)),
        ("referent", {"eole", "eole_operated"}),
        ("coordinator", {"eole", "eole_operated"}),
        ("tenancy_staff", {"reported"}),
    ],
)
def test_each_role_sees_on_the_session_page_only_the_items_it_may_see(request, client, scene, persona, visible):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(detail_url(scene["session"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Comité n° {scene['session'].number}" in page
    for name, reference in REFERENCES.items():
        assert (reference in page) == (name in visible), f"{persona} and {reference}"


def test_a_convened_partner_sees_its_own_items_but_not_the_secretary_tools(client, scene, referent):
    client.force_login(referent)

    page = client.get(detail_url(scene["session"])).content.decode()

    assert "(les points qui vous concernent)" in page
    assert "Décision : Orientation vers une association" in page
    for tool in ["À présenter", "Participants", "Projet de PV", "Marquer comme tenue", "Enregistrer la décision"]:
        assert tool not in page
    assert "Nathalie Roussel" not in page


@pytest.mark.parametrize("persona", ["other_referent", "steering", "admin_user", "other_secretary"])
def test_a_session_is_a_404_for_whoever_is_not_concerned(request, client, scene, persona):
    client.force_login(request.getfixturevalue(persona))
    session = scene["session"]

    for url in [detail_url(session), reverse("committee:ics", args=[session.pk])]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert REFERENCES["afeji"] not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("tenancy_staff", 200), ("referent", 200), ("other_referent", 404), ("steering", 404)],
)
def test_validated_minutes_are_downloaded_by_whoever_sees_the_session(
    request, client, landlord, association, secretary, persona, status
):
    session = SessionFactory(held=True, programme=ProgrammeFactory(landlord=landlord))
    AttendeeFactory(session=session, organisation=association)
    DecisionFactory(item__session=session, applied=True)
    minutes = services.minutes_validate(session=session, by=secretary)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("committee:minutes", args=[session.pk, 1]))

    assert response.status_code == status
    if status == 200:
        assert response.content == bytes(minutes.pdf)
        assert response["Content-Disposition"] == f'inline; filename="pv-comite-{session.number}-v1.pdf"'


def test_a_referent_is_no_longer_convened_once_their_organisation_leaves_the_attendees(client, scene, referent):
    scene["session"].attendees.filter(organisation__short_name="EOLE").delete()
    client.force_login(referent)

    assert client.get(detail_url(scene["session"])).status_code == 404


def test_a_partner_not_convened_gets_the_empty_session_list(client, scene, other_referent):
    client.force_login(other_referent)

    response = client.get(reverse("committee:list"))

    assert response.status_code == 200
    assert "Aucune séance." in response.content.decode()
    assert f"Séance n° {scene['session'].number}" not in response.content.decode()


@pytest.mark.parametrize("persona", ["steering", "admin_user"])
def test_the_session_list_is_refused_to_who_has_no_session(request, client, scene, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("committee:list"))

    assert response.status_code == 403
    assert f"Séance n° {scene['session'].number}" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "listed"),
    [("secretary", True), ("tenancy_staff", True), ("referent", True), ("other_secretary", False)],
)
def test_the_session_list_shows_the_sessions_each_role_may_open(request, client, scene, persona, listed):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("committee:list"))

    assert response.status_code == 200
    assert (detail_url(scene["session"]) in response.content.decode()) == listed
    assert ("Planifier une séance" in response.content.decode()) == (persona in {"secretary", "other_secretary"})


@pytest.mark.parametrize("persona", ["tenancy_staff", "referent"])
def test_the_session_list_shows_an_empty_state_before_any_session_concerns_a_partner(request, client, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("committee:list"))

    assert response.status_code == 200
    assert "Aucune séance." in response.content.decode()


def test_the_secretary_opens_every_page_of_the_workflow(client, scene, secretary):
    session, item = scene["session"], scene["items"]["eole"]
    client.force_login(secretary)
    pages = {
        reverse("committee:list"): "Planifier une séance",
        reverse("committee:create"): "Planifier une séance",
        detail_url(session): "À présenter",
        reverse("committee:attendees", args=[session.pk]): "Participants de la séance",
        reverse("committee:decision", args=[item.pk]): "Décision du comité",
        reverse("committee:ics", args=[session.pk]): "BEGIN:VCALENDAR",
    } | {reverse("committee:step", args=[session.pk, step]): "Confirmer" for step in STEPS}

    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url
    draft = client.get(reverse("committee:minutes_draft", args=[session.pk]))
    assert draft.content.startswith(b"%PDF")


# The secretary's work is the secretary's


def secretary_requests(scene):
    """(method, URL, data) of every secretary-only request about the scene's session."""
    session, item = scene["session"], scene["items"]["reported"]
    report = SituationReportFactory(household=HouseholdFactory(landlord=session.programme.landlord))
    return [
        ("get", reverse("committee:attendees", args=[session.pk]), None),
        ("post", reverse("committee:attendees", args=[session.pk]), {"attendees-TOTAL_FORMS": "0"}),
        ("post", reverse("committee:agenda_add", args=[session.pk]), {"kind": "new_situation", "report": report.pk}),
        ("get", reverse("committee:decision", args=[item.pk]), None),
        ("post", reverse("committee:decision", args=[item.pk]), {"kind": "not_retained", "reason": "Forcé"}),
        *[
            ("post", reverse("committee:item_action", args=[item.pk, action]), None)
            for action in ["monter", "retirer"]
        ],
        *[("get", reverse("committee:step", args=[session.pk, step]), None) for step in STEPS],
        *[("post", reverse("committee:step", args=[session.pk, step]), {"reason": "Forcé"}) for step in STEPS],
        ("get", reverse("committee:minutes_draft", args=[session.pk]), None),
    ]


def assert_nothing_changed(scene):
    session = scene["session"]
    session.refresh_from_db()
    assert session.status == SessionStatus.CONVENED
    assert session.items.count() == len(REFERENCES)
    assert session.attendees.count() == 2
    assert not session.minutes.exists()
    assert not Decision.objects.filter(item=scene["items"]["reported"]).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("persona", ["tenancy_staff", "referent", "coordinator"])
def test_the_secretary_only_pages_are_forbidden_to_the_others_who_see_the_session(request, client, scene, persona):
    client.force_login(request.getfixturevalue(persona))

    for method, url, data in [("get", reverse("committee:create"), None), *secretary_requests(scene)]:
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 403, f"{method} {url}"

    assert_nothing_changed(scene)


@pytest.mark.parametrize("persona", ["other_referent", "steering", "other_secretary"])
def test_the_secretary_only_pages_are_a_404_for_who_does_not_see_the_session(request, client, scene, persona):
    client.force_login(request.getfixturevalue(persona))

    for method, url, data in secretary_requests(scene):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 404, f"{method} {url}"

    assert_nothing_changed(scene)


@pytest.mark.parametrize("persona", ["steering", "other_referent", "tenancy_staff", "admin_user"])
def test_planning_a_session_is_forbidden_to_whoever_is_not_a_secretary(request, client, landlord, persona):
    programme = ProgrammeFactory(landlord=landlord)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("committee:create"), {"programme": programme.pk, "starts_at": "2027-03-09T14:00", "place": "Lille"}
    )

    assert response.status_code == 403
    assert not programme.sessions.exists()


def test_a_secretary_plans_no_session_in_another_landlords_programme(client, other_secretary, landlord):
    programme = ProgrammeFactory(landlord=landlord)
    client.force_login(other_secretary)

    response = client.post(
        reverse("committee:create"), {"programme": programme.pk, "starts_at": "2027-03-09T14:00", "place": "Lille"}
    )

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not programme.sessions.exists()


# Methods


@pytest.mark.parametrize("action", ["monter", "descendre", "retirer"])
def test_item_actions_refuse_get(client, scene, secretary, action):
    client.force_login(secretary)
    item = scene["items"]["reported"]

    response = client.get(reverse("committee:item_action", args=[item.pk, action]))

    assert response.status_code == 405
    assert AgendaItem.objects.filter(pk=item.pk, position=item.position).exists()


def test_adding_to_the_agenda_refuses_get(client, scene, secretary, landlord):
    report = SituationReportFactory(household=HouseholdFactory(landlord=landlord))
    client.force_login(secretary)

    response = client.get(
        reverse("committee:agenda_add", args=[scene["session"].pk]), {"kind": "new_situation", "report": report.pk}
    )

    assert response.status_code == 405
    assert not AgendaItem.objects.filter(situation_report=report).exists()


def form_urls(scene):
    session, item = scene["session"], scene["items"]["eole"]
    return [
        reverse("committee:create"),
        reverse("committee:attendees", args=[session.pk]),
        reverse("committee:decision", args=[item.pk]),
        *[reverse("committee:step", args=[session.pk, step]) for step in STEPS],
    ]


def test_forms_refuse_put_and_delete(client, scene, secretary):
    client.force_login(secretary)

    for url in form_urls(scene):
        assert client.put(url).status_code == 405, url
        assert client.delete(url).status_code == 405, url

    assert_nothing_changed(scene)


def test_read_only_pages_refuse_post(client, scene, secretary):
    session = scene["session"]
    client.force_login(secretary)

    for url in [
        reverse("committee:list"),
        detail_url(session),
        reverse("committee:minutes_draft", args=[session.pk]),
        reverse("committee:minutes", args=[session.pk, 1]),
        reverse("committee:ics", args=[session.pk]),
    ]:
        assert client.post(url).status_code == 405, url


# Forged ids


@pytest.fixture
def foreign(other_landlord):
    """A case of another landlord for each kind of pending item."""
    household = HouseholdFactory(landlord=other_landlord, acces=True, reference="F-PARTENORD")
    report = SituationReportFactory(household=HouseholdFactory(landlord=other_landlord), organisation=other_landlord)
    measure = MeasureFactory(
        active=True,
        household=FollowedHouseholdFactory(eole=True, landlord=other_landlord, status=HouseholdStatus.ACCOMPANIED),
    )
    return {"report": report, "household": household, "measure": measure}


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (ItemKind.NEW_SITUATION, "report"),
        (ItemKind.ACCESS_CANDIDATE, "household"),
        (ItemKind.DIAGNOSTIC, "measure"),
        (ItemKind.CALIBRATION, "measure"),
        (ItemKind.EVALUATION, "measure"),
        (ItemKind.CLOSURE, "measure"),
    ],
)
def test_a_forged_id_of_another_landlords_case_adds_nothing_to_the_agenda(
    client, scene, secretary, foreign, kind, field
):
    client.force_login(secretary)

    response = client.post(
        reverse("committee:agenda_add", args=[scene["session"].pk]), {"kind": kind, field: foreign[field].pk}
    )

    assert response.status_code == 404
    assert scene["session"].items.count() == len(REFERENCES)
    assert not AgendaItem.objects.exclude(session=scene["session"]).exists()


def test_an_unknown_kind_of_item_adds_nothing(client, scene, secretary):
    client.force_login(secretary)

    response = client.post(reverse("committee:agenda_add", args=[scene["session"].pk]), {"kind": "autre"})

    assert response.status_code == 404
    assert scene["session"].items.count() == len(REFERENCES)


@pytest.mark.parametrize("field", ["report", "household", "measure"])
def test_a_malformed_id_is_a_404(client, scene, secretary, field):
    kind = {"report": ItemKind.NEW_SITUATION, "household": ItemKind.ACCESS_CANDIDATE, "measure": ItemKind.CLOSURE}
    client.force_login(secretary)
    client.raise_request_exception = False

    response = client.post(
        reverse("committee:agenda_add", args=[scene["session"].pk]), {"kind": kind[field], field: "12abc"}
    )

    assert response.status_code == 404
    assert scene["session"].items.count() == len(REFERENCES)


def test_an_item_of_another_landlords_session_is_a_404_for_the_secretary(client, secretary, other_landlord):
    item = AgendaItemFactory(session=SessionFactory(programme=ProgrammeFactory(landlord=other_landlord)))
    client.force_login(secretary)

    assert client.get(reverse("committee:decision", args=[item.pk])).status_code == 404
    assert client.post(reverse("committee:item_action", args=[item.pk, "retirer"])).status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()
