"""SQL queries: the list and the file pages run as many queries for one row as for many (no N+1), and the
QuerySet methods the pages rely on (visibility, search, social load, procedure stage) return the right rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from households.enums import HouseholdStatus, ProcedureEventKind
from households.filters import with_procedure_stage
from households.models import Dwelling, Household, ProcedureEvent, Sector
from households.procedure import MAIN_STAGES, current_stage
from tests.accounts.factories import UserFactory
from tests.households.factories import (
    AllocationFactory,
    ArrearsBalanceFactory,
    DwellingFactory,
    HouseholdFactory,
    PersonFactory,
    ProcedureEventFactory,
    ResourceFactory,
    SectorFactory,
    SituationReportFactory,
    TenancyFactory,
    days_ago,
)

# Pinned counts. Each includes the session, the user, the second-factor device, the data version
# (accounts/data_version.py) and the memberships.
LIST_QUERIES = 11
# Filtering by organisation reads the chosen organisation once, to check the user may filter on it.
FILTERED_LIST_QUERIES = LIST_QUERIES + 1
FILE_QUERIES = {"situation": 13, "logement": 14, "procedure": 11}
MANY = 24  # rows on one list page (25 a page), events on one file


def _listed_household(landlord, association, other_association, index):
    household = HouseholdFactory(
        landlord=landlord, proposed_by=association, operator=other_association, status=HouseholdStatus.ACCOMPANIED
    )
    PersonFactory(household=household)
    TenancyFactory(household=household)
    ProcedureEventFactory(household=household, ccapex_referral=True, occurred_on=days_ago(60 + index))
    ProcedureEventFactory(household=household, payment_order=True, occurred_on=days_ago(10 + index))
    SituationReportFactory(household=household)
    return household


def _rows(page: str) -> int:
    return page.count('<td class="text-nowrap"><a href="/menages/')


def test_list_runs_the_same_queries_for_one_household_as_for_many(
    client, tenancy_staff, landlord, association, other_association, django_assert_num_queries
):
    url = reverse("households:list")
    _listed_household(landlord, association, other_association, 0)
    client.force_login(tenancy_staff)
    client.get(url)  # warms the caches every later request finds warm

    with django_assert_num_queries(LIST_QUERIES) as one:
        response = client.get(url)
    assert _rows(response.content.decode()) == 1

    for index in range(1, MANY):
        _listed_household(landlord, association, other_association, index)
    with django_assert_num_queries(LIST_QUERIES) as many:
        response = client.get(url)
    page = response.content.decode()
    assert _rows(page) == MANY
    assert page.count("Fin du délai du commandement de payer") == MANY

    assert len(one.captured_queries) == len(many.captured_queries) == LIST_QUERIES


def test_filtered_list_runs_the_same_queries_as_the_plain_list(
    client, tenancy_staff, landlord, association, other_association, django_assert_num_queries
):
    for index in range(MANY):
        _listed_household(landlord, association, other_association, index)
    client.force_login(tenancy_staff)
    client.get(reverse("households:list"))

    with django_assert_num_queries(FILTERED_LIST_QUERIES) as filtered:
        response = client.get(
            reverse("households:list"),
            {"q": "Famille", "status": HouseholdStatus.ACCOMPANIED, "organisation": association.pk},
        )

    assert _rows(response.content.decode()) == MANY
    assert len(filtered.captured_queries) == FILTERED_LIST_QUERIES


def _situation_details(household, landlord, index):
    PersonFactory(household=household, child=True)
    ResourceFactory(household=household)
    SituationReportFactory(
        household=household, organisation=landlord, reported_by=UserFactory(), reported_on=days_ago(index)
    )


def _housing_details(household, landlord, index):
    TenancyFactory(
        household=household,
        sliding=True,
        start=household.proposed_on - timedelta(days=4000 - 100 * index),
        end=household.proposed_on - timedelta(days=3950 - 100 * index),
        dwelling=DwellingFactory(landlord=landlord),
    )
    AllocationFactory(household=household, dwelling=DwellingFactory(landlord=landlord))
    ArrearsBalanceFactory(household=household, as_of=days_ago(index + 1))


def _procedure_details(household, landlord, index):
    kinds = [ProcedureEventKind.REPAYMENT_PLAN, ProcedureEventKind.FSL_APPLICATION, ProcedureEventKind.CCAPEX_OPINION]
    ProcedureEventFactory(
        household=household,
        kind=kinds[index % 3],
        occurred_on=days_ago(200 - index),
        note=f"Événement {index}",
        recorded_by=UserFactory(),
    )


DETAILS = {"situation": _situation_details, "logement": _housing_details, "procedure": _procedure_details}


@pytest.mark.parametrize("tab", DETAILS)
def test_file_tab_runs_the_same_queries_for_one_row_as_for_many(
    client, tenancy_staff, landlord, tenant_household, django_assert_num_queries, tab
):
    url = f"{reverse('households:detail', args=[tenant_household.pk])}?onglet={tab}"
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(5))
    DETAILS[tab](tenant_household, landlord, 0)
    client.force_login(tenancy_staff)
    client.get(url)

    with django_assert_num_queries(FILE_QUERIES[tab]) as one:
        assert client.get(url).status_code == 200

    for index in range(1, MANY):
        DETAILS[tab](tenant_household, landlord, index)
    with django_assert_num_queries(FILE_QUERIES[tab]) as many:
        response = client.get(url)
    assert response.status_code == 200

    assert len(one.captured_queries) == len(many.captured_queries) == FILE_QUERIES[tab]
    rendered = {"situation": "À présenter au comité", "logement": "Bail principal :", "procedure": "Événement "}
    assert response.content.decode().count(rendered[tab]) == MANY


# Visibility


@pytest.fixture
def every_household(household, other_household, tenant_household, foreign_household):
    return {"household": household, "other": other_household, "tenant": tenant_household, "foreign": foreign_household}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("tenancy_staff", {"household", "other", "tenant"}),
        ("secretary", {"household", "other", "tenant"}),
        ("referent", {"household"}),
        ("coordinator", {"household"}),
        ("other_referent", {"other"}),
        ("steering", set()),
        ("admin_user", set()),
    ],
)
def test_households_visible_to_each_persona(request, every_household, persona, visible):
    user = request.getfixturevalue(persona)

    seen = set(Household.objects.visible_to(user))

    assert seen == {every_household[name] for name in visible}


def test_referent_sees_a_household_their_association_accompanies(referent, association, foreign_household):
    foreign_household.operator = association
    foreign_household.save()

    assert list(Household.objects.visible_to(referent)) == [foreign_household]


def test_inactive_membership_gives_no_household(referent, household):
    referent.memberships.update(is_active=False)
    referent = User.objects.get(pk=referent.pk)

    assert not Household.objects.visible_to(referent).exists()


def test_dwellings_visible_to_a_referent_are_those_of_their_households_landlords(
    referent, household, landlord, other_landlord
):
    mine = DwellingFactory(landlord=landlord)
    DwellingFactory(landlord=other_landlord)

    assert list(Dwelling.objects.visible_to(referent)) == [mine]


# Search and procedure stage


def test_search_matches_reference_name_and_member_last_name_once_each(every_household):
    household = every_household["household"]
    PersonFactory(household=household, last_name="Durand", child=True)

    assert list(Household.objects.search("DURAND")) == [household]
    assert list(Household.objects.search(" f-kaci ")) == [every_household["other"]]
    assert list(Household.objects.search("Lemai")) == [every_household["tenant"]]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("traore", "traore"),
        ("TRAORÉ", "traore"),
        ("Henaff", "henaff"),
        ("hénaff-œuvray", "henaff"),
        ("oeuvray", "henaff"),
        ("OEUVRAY", "henaff"),
        ("Œuvray", "henaff"),
        ("Hénaff", "henaff"),
    ],
)
def test_search_ignores_case_and_accents(landlord, text, found):
    """Users type without accents, and « Œ » is typed « oe »: PostgreSQL's unaccent maps both."""
    traore = HouseholdFactory(landlord=landlord, name="Famille Diarra", reference="M-2026-0001")
    PersonFactory(household=traore, last_name="Traoré")
    henaff = HouseholdFactory(landlord=landlord, name="Famille Hénaff-Œuvray", reference="M-2026-0002")
    HouseholdFactory(landlord=landlord, name="Famille Tran", reference="M-2026-0003")

    assert list(Household.objects.search(text)) == [{"traore": traore, "henaff": henaff}[found]]


def test_procedure_stage_is_the_latest_main_stage_not_a_way_out(tenant_household, household):
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(50))
    ProcedureEventFactory(household=tenant_household, repayment_plan=True, occurred_on=days_ago(10))

    stages = dict(with_procedure_stage(Household.objects.all()).values_list("reference", "procedure_stage"))

    assert stages == {"F-LEMAIRE": ProcedureEventKind.PAYMENT_ORDER, "F-DURAND": None}


# Social load


def test_social_load_counts_open_households_currently_housed_in_the_sector(landlord):
    sector = SectorFactory(landlord=landlord, stock_size=40)
    dwelling = DwellingFactory(landlord=landlord, sector=sector)
    for status in [HouseholdStatus.PROPOSED, HouseholdStatus.IN_DIAGNOSTIC, HouseholdStatus.ACCOMPANIED]:
        TenancyFactory(household=HouseholdFactory(landlord=landlord, status=status), dwelling__sector=sector)
    # Not carried: a closed or not retained household, a household that moved out.
    TenancyFactory(household=HouseholdFactory(landlord=landlord, status=HouseholdStatus.CLOSED), dwelling=dwelling)
    TenancyFactory(
        household=HouseholdFactory(landlord=landlord, status=HouseholdStatus.NOT_RETAINED), dwelling=dwelling
    )
    TenancyFactory(household=HouseholdFactory(landlord=landlord), dwelling=dwelling, ended=True)
    # Counted once, whatever its former tenancies in the sector.
    moved_within = HouseholdFactory(landlord=landlord)
    TenancyFactory(household=moved_within, dwelling=dwelling, ended=True)
    TenancyFactory(household=moved_within, dwelling=dwelling)

    annotated = Sector.objects.with_social_load().get(pk=sector.pk)

    assert annotated.carried == 4
    assert str(Sector.load_rate(annotated.carried, annotated.stock_size)) == "10.0"


def test_load_rate_is_per_hundred_dwellings_to_one_decimal():
    assert str(Sector.load_rate(1, 3)) == "33.3"
    assert str(Sector.load_rate(0, 50)) == "0.0"


def test_the_list_places_a_referral_after_the_payment_order_at_the_payment_order(tenant_household):
    """Lawful (the referral must only come two months before the summons): the rules then place
    the household at the payment order, and so must the list's filter."""
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(50))
    ProcedureEventFactory(household=tenant_household, ccapex_referral=True, occurred_on=days_ago(20))
    annotated = with_procedure_stage(Household.objects.filter(pk=tenant_household.pk)).get()
    assert annotated.procedure_stage == ProcedureEventKind.PAYMENT_ORDER
    assert current_stage(tenant_household.procedure_events.all()) == ProcedureEventKind.PAYMENT_ORDER


def test_a_procedure_reopened_after_its_closing_is_not_shown_closed(tenant_household):
    ProcedureEventFactory(household=tenant_household, payment_order=True, occurred_on=days_ago(200))
    ProcedureEventFactory(household=tenant_household, closed=True, occurred_on=days_ago(100))
    ProcedureEventFactory(household=tenant_household, repayment_plan=True, occurred_on=days_ago(50))
    annotated = with_procedure_stage(Household.objects.filter(pk=tenant_household.pk)).get()
    assert annotated.procedure_stage is None
    assert current_stage(tenant_household.procedure_events.all()) is None


KINDS_DRAWN = [
    *MAIN_STAGES,
    ProcedureEventKind.CLOSED,
    ProcedureEventKind.REPAYMENT_PLAN,
    ProcedureEventKind.SUSPENSION,
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(KINDS_DRAWN), st.integers(min_value=0, max_value=12)), max_size=7))
def test_the_filter_and_the_rules_always_agree_on_the_stage(tenant_household, events):
    """Whatever the events (ties and out-of-order dates included), the filter's SQL says what the
    rules say (`procedure.current_stage`, which the list shows)."""
    ProcedureEvent.objects.filter(household=tenant_household).delete()
    recorded_by = User.objects.first() or UserFactory()
    ProcedureEvent.objects.bulk_create(
        ProcedureEvent(household=tenant_household, kind=kind, occurred_on=days_ago(100 - day), recorded_by=recorded_by)
        for kind, day in events
    )
    annotated = with_procedure_stage(Household.objects.filter(pk=tenant_household.pk)).get()
    assert annotated.procedure_stage == current_stage(tenant_household.procedure_events.all())
