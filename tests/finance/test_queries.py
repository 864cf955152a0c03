"""SQL queries of the finance pages and files: pinned, and the same for one measure as for fifteen (no N+1).

Each count includes the session, the user, the audit-trail context (twice) and the memberships. A page is
requested once before counting, so that per-process caches (content types and the like) are warm.

The dashboard reads the reference data (rates, shares, norms) three times and the measures twice, through
`plan_vs_actual` and `plan_table`: fixed costs, not per row.
"""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.finance.factories import ProgrammeFactory, accompanied_measure, pdf_text
from tests.households.factories import days_ago
from tests.measures.factories import ContactFactory

pytestmark = pytest.mark.django_db

MANY = 15
# The steering figures are computed here at each request (no cache in the tests), each in a
# savepoint (finance/dashboard.py: two statements; the dashboard's figures include the plan's).
DASHBOARD_QUERIES = 35
DASHBOARD_PDF_QUERIES = 35
PLAN_QUERIES = 20
STATEMENT_QUERIES = 13
STATEMENT_FILE_QUERIES = 13
STEERING_HOME_QUERIES = 20


def measures(count, offset=0):
    """Measures opened this year and last, each suspended for 20 days, one in three closed, with contacts."""
    for index in range(offset, offset + count):
        measure = accompanied_measure(
            days_ago(200 + index),
            suspensions=[(days_ago(100), days_ago(80))],
            closed_on=days_ago(3) if index % 3 == 0 else None,
        )
        ContactFactory(measure=measure, on=days_ago(10))
        ContactFactory(measure=measure, admin=True, on=days_ago(40))


@pytest.fixture
def programme(landlord):
    programme = ProgrammeFactory(landlord=landlord)
    measures(1)
    return programme


def assert_same_queries(client, url, query, expected, django_assert_num_queries):
    """The page runs `expected` queries for one measure, then as many for MANY; returns both responses."""
    assert client.get(url, query).status_code == 200
    with django_assert_num_queries(expected):
        few = client.get(url, query)
    measures(MANY - 1, offset=1)
    with django_assert_num_queries(expected):
        many = client.get(url, query)
    assert few.status_code == many.status_code == 200
    return few, many


def test_the_dashboard_runs_the_same_queries_for_one_measure_as_for_fifteen(
    client, steering, programme, django_assert_num_queries
):
    client.force_login(steering)

    few, many = assert_same_queries(
        client, reverse("finance:dashboard"), {}, DASHBOARD_QUERIES, django_assert_num_queries
    )

    assert few.context["data"]["finance"].engaged.measures == 1
    assert many.context["data"]["finance"].engaged.measures == MANY
    assert few.context["data"]["finance"].engaged.total < many.context["data"]["finance"].engaged.total


def test_the_dashboard_pdf_runs_the_same_queries_for_one_measure_as_for_fifteen(
    client, steering, programme, django_assert_num_queries
):
    client.force_login(steering)

    few, many = assert_same_queries(
        client, reverse("finance:dashboard_pdf"), {}, DASHBOARD_PDF_QUERIES, django_assert_num_queries
    )

    assert "Rapport de pilotage" in pdf_text(few.content)
    assert "Rapport de pilotage" in pdf_text(many.content)


def test_the_plan_page_runs_the_same_queries_for_one_measure_as_for_fifteen(
    client, steering, programme, django_assert_num_queries
):
    client.force_login(steering)

    few, many = assert_same_queries(client, reverse("finance:plan"), {}, PLAN_QUERIES, django_assert_num_queries)

    assert sum(few.context["data"].started_by_track.values()) == 1
    assert sum(many.context["data"].started_by_track.values()) == MANY


def test_the_statement_page_runs_the_same_queries_for_one_measure_as_for_fifteen(
    client, steering, programme, django_assert_num_queries
):
    client.force_login(steering)
    period = {"debut": programme.start.isoformat(), "fin": programme.end.isoformat()}

    few, many = assert_same_queries(
        client, reverse("finance:statement"), period, STATEMENT_QUERIES, django_assert_num_queries
    )

    assert "· 1 mesure ·" in few.content.decode()
    assert f"· {MANY} mesures ·" in many.content.decode()


def total_label(output, response) -> str:
    """What the file's total row says of the number of measures."""
    if output == "pdf":
        return re.search(r"Total \((\d+ mesures?)\)", pdf_text(response.content))[1]
    if output == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        return sheet.cell(row=sheet.max_row, column=3).value
    return response.content.decode("utf-8").splitlines()[-1].split(";")[2]


@pytest.mark.parametrize("output", ["pdf", "xlsx", "csv"])
def test_each_statement_file_runs_the_same_queries_for_one_measure_as_for_fifteen(
    client, steering, programme, output, django_assert_num_queries
):
    client.force_login(steering)
    period = {"debut": programme.start.isoformat(), "fin": programme.end.isoformat(), "format": output}

    few, many = assert_same_queries(
        client, reverse("finance:statement"), period, STATEMENT_FILE_QUERIES, django_assert_num_queries
    )

    assert total_label(output, few) == "1 mesure"
    assert total_label(output, many) == f"{MANY} mesures"


def test_the_steering_home_runs_the_same_queries_for_one_measure_as_for_fifteen(
    client, steering, programme, django_assert_num_queries
):
    client.force_login(steering)

    few, many = assert_same_queries(client, reverse("home"), {}, STEERING_HOME_QUERIES, django_assert_num_queries)

    [few_section], [many_section] = few.context["sections"], many.context["sections"]
    assert few_section.context["figures"].engaged.total < many_section.context["figures"].engaged.total
