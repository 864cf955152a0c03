"""SQL queries of the measures pages: pinned, and the same with one row as with many (no N+1).

Each count includes the session, the user, the audit-trail context (twice) and the memberships. A page
is requested once before counting, so that per-process caches (content types and the like) are warm.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from accounts.templatetags.french import duration
from measures.home_sections import ROWS_SHOWN
from measures.models import ContractVersion, DiagnosticAmendment, LiaisonItem, ReferentAssignment
from measures.norms import DEFAULT_NORM
from tests.accounts.factories import member
from tests.households.factories import PersonFactory, days_ago
from tests.measures.factories import (
    ContactFactory,
    DiagnosticFactory,
    DocumentFactory,
    EvaluationFactory,
    FollowedHouseholdFactory,
    LiaisonMeetingFactory,
    MeasureFactory,
    ObjectiveFactory,
)

pytestmark = pytest.mark.django_db

MANY = 12
HOME_REFERENT_QUERIES = 12
HOME_COORDINATOR_QUERIES = 11
MEASURE_QUERIES = 14
DIAGNOSTIC_QUERIES = 11
CONTRACT_QUERIES = 13
ACCOMPANIMENT_TAB_QUERIES = 14
DOCUMENTS_TAB_QUERIES = 14
DIAGNOSTIC_PDF_QUERIES = 14
CONTRACT_PDF_QUERIES = 13
LIAISON_LIST_QUERIES = 8
LIAISON_DETAIL_QUERIES = 9


def assert_same_queries(client, url, expected, grow, django_assert_num_queries):
    """The page runs `expected` queries, then as many once `grow()` has added rows; returns both pages."""
    assert client.get(url).status_code == 200
    with django_assert_num_queries(expected):
        few = client.get(url)
    grow()
    with django_assert_num_queries(expected):
        many = client.get(url)
    assert few.status_code == many.status_code == 200
    return few, many


# Home pages


def referent_caseload(referent, count):
    """`count` measures of the referent, each in a different state the home page reports on."""
    for index in range(count):
        measure = MeasureFactory(
            active=True, referent=referent, planned_end=days_ago(-10 - index) if index % 2 else days_ago(-300)
        )
        ContactFactory(measure=measure, on=days_ago(30 if index % 3 == 0 else 2), by=referent)
        ContactFactory(measure=measure, admin=True, on=days_ago(1), by=referent)
        EvaluationFactory(measure=measure)
        MeasureFactory(diagnostic__social_worker=referent)


def test_referent_home_runs_the_same_queries_for_one_measure_as_for_many(client, referent, django_assert_num_queries):
    referent_caseload(referent, 1)
    client.force_login(referent)

    few, many = assert_same_queries(
        client,
        reverse("home"),
        HOME_REFERENT_QUERIES,
        lambda: referent_caseload(referent, MANY - 1),
        django_assert_num_queries,
    )

    assert few.content.decode().count("Diagnostic à faire signer") == 1
    assert many.content.decode().count("Diagnostic à faire signer") == MANY
    # Every third measure of each batch was last met 30 days ago.
    overdue = len(range(0, 1, 3)) + len(range(0, MANY - 1, 3))
    assert many.content.decode().count("Contact en retard</span>") == overdue


def coordinator_caseload(association, count):
    for _ in range(count):
        measure = MeasureFactory(active=True, referent=member(association, Role.REFERENT))
        ContactFactory(measure=measure, on=days_ago(25))
        MeasureFactory()


def test_coordinator_home_runs_the_same_queries_for_one_measure_as_for_many(
    client, coordinator, association, django_assert_num_queries
):
    coordinator_caseload(association, 1)
    client.force_login(coordinator)

    few, many = assert_same_queries(
        client,
        reverse("home"),
        HOME_COORDINATOR_QUERIES,
        lambda: coordinator_caseload(association, MANY - 1),
        django_assert_num_queries,
    )

    # One caseload row per referent, plus the measures still at the diagnostic stage.
    assert many.content.decode().count("Sans référent (diagnostic)") == 1
    assert len(many.context["sections"][0].context["without_contact"]) == MANY


# The measure and its documents


@pytest.fixture
def measure(referent):
    return MeasureFactory(active=True, referent=referent, start_date=days_ago(400))


def measure_rows(measure, referent, count):
    for index in range(count):
        ContactFactory(measure=measure, on=days_ago(index + 1), by=member(measure.operator, Role.REFERENT))
        EvaluationFactory(measure=measure, on=days_ago(index + 1))
        ObjectiveFactory(contract=measure.contract)
        DocumentFactory(household=measure.household, measure=measure)


def test_measure_page_runs_the_same_queries_for_one_contact_as_for_many(
    client, referent, measure, django_assert_num_queries
):
    measure_rows(measure, referent, 1)
    client.force_login(referent)

    def grow():
        measure_rows(measure, referent, MANY - 1)
        # A history of referents: each change ends the current period.
        current = measure.assignments.get()
        current.end = days_ago(100)
        current.save()
        ReferentAssignment.objects.create(measure=measure, referent=referent, start=days_ago(100))

    few, many = assert_same_queries(
        client, reverse("measures:detail", args=[measure.pk]), MEASURE_QUERIES, grow, django_assert_num_queries
    )

    assert few.content.decode().count('class="confidential-cell"') == 1
    assert many.content.decode().count('class="confidential-cell"') == MANY


def test_measure_page_runs_the_same_queries_for_landlord_staff(
    client, tenancy_staff, referent, measure, django_assert_num_queries
):
    measure_rows(measure, referent, 1)
    client.force_login(tenancy_staff)

    assert_same_queries(
        client,
        reverse("measures:detail", args=[measure.pk]),
        MEASURE_QUERIES,
        lambda: measure_rows(measure, referent, MANY - 1),
        django_assert_num_queries,
    )


def diagnostic_rows(measure, referent, count, *, amendments=True):
    diagnostic = measure.diagnostic
    for _ in range(count):
        diagnostic.members_present.add(PersonFactory(household=measure.household))
        if amendments:
            DiagnosticAmendment.objects.create(diagnostic=diagnostic, by=referent, reason="Ajout", text="Texte")


def test_diagnostic_page_runs_the_same_queries_for_one_person_as_for_many(
    client, referent, measure, django_assert_num_queries
):
    diagnostic_rows(measure, referent, 1, amendments=False)
    client.force_login(referent)

    few, many = assert_same_queries(
        client,
        reverse("measures:diagnostic", args=[measure.pk]),
        DIAGNOSTIC_QUERIES,
        lambda: diagnostic_rows(measure, referent, MANY - 1, amendments=False),
        django_assert_num_queries,
    )

    assert few.content.decode().count("Marie Nom") == 1
    assert many.content.decode().count("Marie Nom") == MANY


def test_diagnostic_page_runs_the_same_queries_for_one_amendment_as_for_many(client, referent, measure):
    DiagnosticAmendment.objects.create(diagnostic=measure.diagnostic, by=referent, reason="Ajout", text="Texte")
    url = reverse("measures:diagnostic", args=[measure.pk])
    client.force_login(referent)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(MANY - 1):
        author = member(measure.operator, Role.REFERENT)
        DiagnosticAmendment.objects.create(diagnostic=measure.diagnostic, by=author, reason=f"Ajout {index}", text="…")

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.content.decode().count("Avenant du") == MANY
    assert len(many) == len(few)


def test_diagnostic_pdf_runs_the_same_queries_for_one_person_as_for_many(
    client, referent, measure, django_assert_num_queries
):
    diagnostic_rows(measure, referent, 1)
    client.force_login(referent)

    assert_same_queries(
        client,
        reverse("measures:diagnostic_pdf", args=[measure.pk]),
        DIAGNOSTIC_PDF_QUERIES,
        lambda: diagnostic_rows(measure, referent, MANY - 1),
        django_assert_num_queries,
    )


def contract_rows(measure, referent, count):
    contract = measure.contract
    for _ in range(count):
        ObjectiveFactory(contract=contract)
        number = contract.versions.count() + 1
        ContractVersion.objects.create(
            contract=contract, number=number, content=contract.snapshot(), reason=f"Avenant {number}", by=referent
        )


def test_contract_page_runs_the_same_queries_for_one_objective_as_for_many(
    client, referent, measure, django_assert_num_queries
):
    contract_rows(measure, referent, 1)
    client.force_login(referent)

    few, many = assert_same_queries(
        client,
        reverse("measures:contract", args=[measure.pk]),
        CONTRACT_QUERIES,
        lambda: contract_rows(measure, referent, MANY - 1),
        django_assert_num_queries,
    )

    assert many.content.decode().count("remplacée par l'avenant") == MANY


def test_contract_pdf_runs_the_same_queries_for_one_objective_as_for_many(
    client, referent, measure, django_assert_num_queries
):
    contract_rows(measure, referent, 1)
    client.force_login(referent)

    assert_same_queries(
        client,
        reverse("measures:contract_pdf", args=[measure.pk]),
        CONTRACT_PDF_QUERIES,
        lambda: contract_rows(measure, referent, MANY - 1),
        django_assert_num_queries,
    )


# The household file's tabs


def past_measures(household, count):
    for _ in range(count):
        past = MeasureFactory(closed=True, household=household, start_date=days_ago(900), closed_on=days_ago(500))
        ContactFactory(measure=past, on=days_ago(600))
        DocumentFactory(household=household, measure=past, shared=True)


def test_accompaniment_tab_runs_the_same_queries_for_one_measure_as_for_many(
    client, referent, measure, django_assert_num_queries
):
    household = measure.household
    past_measures(household, 1)
    client.force_login(referent)

    few, many = assert_same_queries(
        client,
        reverse("households:detail", args=[household.pk]) + "?onglet=accompagnement",
        ACCOMPANIMENT_TAB_QUERIES,
        lambda: past_measures(household, MANY - 1),
        django_assert_num_queries,
    )

    assert many.content.decode().count("badge measure-closed") == MANY


@pytest.mark.parametrize("persona", ["referent", "tenancy_staff"])
def test_documents_tab_runs_the_same_queries_for_one_document_as_for_many(
    client, request, measure, django_assert_num_queries, persona
):
    household = measure.household
    past_measures(household, 1)
    client.force_login(request.getfixturevalue(persona))

    assert_same_queries(
        client,
        reverse("households:detail", args=[household.pk]) + "?onglet=documents",
        DOCUMENTS_TAB_QUERIES,
        lambda: past_measures(household, MANY - 1),
        django_assert_num_queries,
    )


# Liaison meetings


def meetings(association, other_association, count):
    for _ in range(count):
        meeting = LiaisonMeetingFactory(partners=[association, other_association])
        LiaisonItem.objects.create(meeting=meeting, household=FollowedHouseholdFactory(eole=True), note="Point")


def test_liaison_list_runs_the_same_queries_for_one_meeting_as_for_many(
    client, tenancy_staff, association, other_association, django_assert_num_queries
):
    meetings(association, other_association, 1)
    client.force_login(tenancy_staff)

    few, many = assert_same_queries(
        client,
        reverse("measures:liaison_list"),
        LIAISON_LIST_QUERIES,
        lambda: meetings(association, other_association, MANY - 1),
        django_assert_num_queries,
    )

    assert many.content.decode().count("EOLE, AFEJI") + many.content.decode().count("AFEJI, EOLE") == MANY


def test_liaison_detail_runs_the_same_queries_for_one_item_as_for_many(
    client, referent, association, django_assert_num_queries
):
    meeting = LiaisonMeetingFactory(partners=[association])

    def items(count):
        for _ in range(count):
            LiaisonItem.objects.create(meeting=meeting, household=FollowedHouseholdFactory(eole=True), note="Point")

    items(1)
    client.force_login(referent)

    few, many = assert_same_queries(
        client,
        reverse("measures:liaison_detail", args=[meeting.pk]),
        LIAISON_DETAIL_QUERIES,
        lambda: items(MANY - 1),
        django_assert_num_queries,
    )

    assert many.content.decode().count("— Point") == MANY


def test_referent_home_lists_the_earliest_ends_first_and_counts_the_rest(client, referent):
    ends = [days_ago(-40), days_ago(200), days_ago(5)] + [days_ago(-30)] * ROWS_SHOWN
    for planned_end in ends:
        MeasureFactory(active=True, referent=referent, start_date=days_ago(400), planned_end=planned_end)
    client.force_login(referent)

    data = client.get(reverse("home")).context["sections"][0].context

    assert [measure.planned_end for measure in data["ending"][:3]] == [days_ago(200), days_ago(5), days_ago(-30)]
    assert len(data["ending"]) == ROWS_SHOWN
    assert data["ending_count"] == len(ends)


def test_referent_home_gives_a_measure_in_diagnostic_the_diagnostic_time_and_norm(client):
    """Not « 0 min / 0 min »: the diagnostic's 3 h 30 against its norm, as on the measure page."""
    diagnostic = DiagnosticFactory()
    client.force_login(diagnostic.social_worker)

    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", client.get(reverse("home")).content.decode()))

    expected = f"{duration(210)} / {duration(DEFAULT_NORM.diagnostic_minutes)} (diagnostic)"
    assert expected.replace("\u00a0", " ") in page  # whitespace folded above
