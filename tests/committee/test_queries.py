"""SQL queries of the committee pages: pinned, and the same for one item as for twenty (no N+1)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.enums import DecisionKind
from tests.committee.factories import (
    AgendaItemFactory,
    AttendeeFactory,
    DecisionFactory,
    ProgrammeFactory,
    SessionFactory,
    in_days,
)
from tests.households.factories import HouseholdFactory, SituationReportFactory
from tests.measures.factories import MeasureFactory

# Pinned counts. Each includes the session, the user, the audit-trail context (twice) and the memberships.
SECRETARY_PAGE_QUERIES = 15
PARTNER_PAGE_QUERIES = 9
LIST_QUERIES = 7
DRAFT_PDF_QUERIES = 10
DOWNLOAD_QUERIES = 9
TAB_QUERIES = 12
MANY = 20


@pytest.fixture
def session(landlord, association):
    session = SessionFactory(programme=ProgrammeFactory(landlord=landlord), starts_at=in_days(15))
    AttendeeFactory(session=session, organisation=landlord)
    AttendeeFactory(session=session, organisation=association)
    return session


def _item(session, association):
    """An item on an EOLE measure with its applied decision, and one case of each kind still waiting."""
    item = AgendaItemFactory(session=session, calibration=True)
    DecisionFactory(item=item, kind=DecisionKind.ORIENT, operator=association, applied=True, result="Appliquée.")
    landlord = session.programme.landlord
    SituationReportFactory(household=HouseholdFactory(landlord=landlord))
    HouseholdFactory(landlord=landlord, acces=True, proposed_by=association)
    MeasureFactory(diagnostic__signed=True)
    MeasureFactory(active=True, planned_end=timezone.localdate() + timedelta(days=30))


def _count_rows(page: str) -> int:
    return page.count('<article class="card mb-2">')


@pytest.mark.parametrize(
    ("persona", "pinned"),
    [("secretary", SECRETARY_PAGE_QUERIES), ("referent", PARTNER_PAGE_QUERIES)],
)
def test_the_session_page_runs_the_same_queries_for_one_item_as_for_twenty(
    request, client, session, association, django_assert_num_queries, persona, pinned
):
    url = reverse("committee:detail", args=[session.pk])
    _item(session, association)
    client.force_login(request.getfixturevalue(persona))
    client.get(url)  # warms the caches every later request finds warm

    with django_assert_num_queries(pinned) as one:
        response = client.get(url)
    assert _count_rows(response.content.decode()) == 1

    for _ in range(1, MANY):
        _item(session, association)
    with django_assert_num_queries(pinned) as many:
        response = client.get(url)
    page = response.content.decode()
    assert _count_rows(page) == MANY
    assert page.count("Décision : Orientation vers une association") == MANY
    if persona == "secretary":
        assert page.count(">Ajouter</button>") == 2 * MANY  # the reports and the candidates still waiting
        assert page.count(">Clôture</button>") == MANY  # the measures ending

    assert len(one.captured_queries) == len(many.captured_queries) == pinned


def test_the_session_list_runs_the_same_queries_for_one_session_as_for_twenty(
    client, secretary, session, django_assert_num_queries
):
    url = reverse("committee:list")
    client.force_login(secretary)
    client.get(url)

    with django_assert_num_queries(LIST_QUERIES):
        client.get(url)

    for index in range(1, MANY):
        SessionFactory(programme=session.programme, starts_at=in_days(15 + 90 * index))
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("Séance n° ") == MANY


def test_the_draft_minutes_run_the_same_queries_for_one_item_as_for_twenty(
    client, secretary, session, association, django_assert_num_queries
):
    url = reverse("committee:minutes_draft", args=[session.pk])
    _item(session, association)
    client.force_login(secretary)
    client.get(url)

    with django_assert_num_queries(DRAFT_PDF_QUERIES):
        client.get(url)

    for _ in range(1, MANY):
        _item(session, association)
        AttendeeFactory(session=session, organisation=association)
    with django_assert_num_queries(DRAFT_PDF_QUERIES):
        response = client.get(url)
    assert response.content.startswith(b"%PDF")


def test_validated_minutes_are_served_from_the_stored_bytes(client, secretary, landlord, django_assert_num_queries):
    session = SessionFactory(held=True, programme=ProgrammeFactory(landlord=landlord))
    for _ in range(MANY):
        DecisionFactory(item__session=session, applied=True)
    minutes = services.minutes_validate(session=session, by=secretary)
    url = reverse("committee:minutes", args=[session.pk, 1])
    client.force_login(secretary)
    client.get(url)

    with django_assert_num_queries(DOWNLOAD_QUERIES):
        response = client.get(url)

    assert response.content == bytes(minutes.pdf)


def test_the_household_files_committee_tab_runs_the_same_queries_for_one_passage_as_for_twenty(
    client, secretary, landlord, django_assert_num_queries
):
    programme = ProgrammeFactory(landlord=landlord)
    household = HouseholdFactory(landlord=landlord)
    url = f"{reverse('households:detail', args=[household.pk])}?onglet=comite"

    def passage(index):
        session = SessionFactory(programme=programme, starts_at=in_days(-30 - 90 * index), validated=True)
        DecisionFactory(item=AgendaItemFactory(session=session, household=household), applied=True, result="Faite.")

    passage(0)
    client.force_login(secretary)
    client.get(url)

    with django_assert_num_queries(TAB_QUERIES):
        client.get(url)

    for index in range(1, MANY):
        passage(index)
    with django_assert_num_queries(TAB_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("Orientation vers une association — EOLE") == MANY
