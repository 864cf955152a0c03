"""Automated accessibility check (axe-core, from the pinned axe-playwright-python package) on the
main pages of each role: no serious or critical violation."""

from datetime import datetime, time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from committee import services as committee_services
from households.enums import Track
from households.models import Household, Person
from households.services import household_create
from tests.finance.factories import ProgrammeFactory
from tests.measures.factories import MeasureFactory

BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}) : {violation['help']} — {violation['nodes'][0]['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.fixture
def scene(landlord, association, secretary):
    today = timezone.localdate()
    household = household_create(
        household=Household(
            landlord=landlord,
            track=Track.MAINTIEN,
            name="Famille Dubrulle",
            proposed_by=landlord,
            operator=association,
            housing_situation="lmh_tenant",
            rent_arrears=True,
            arrears_amount=1200,
        ),
        people=[
            Person(last_name="Dubrulle", first_names="Nadia", birth_date=today.replace(year=1980), relation="head")
        ],
        by=secretary,
    )
    measure = MeasureFactory(active=True, household=household)
    programme = ProgrammeFactory(landlord=landlord)
    session = committee_services.session_plan(
        programme=programme, starts_at=timezone.make_aware(datetime.combine(today, time(14))), place="Siège"
    )
    return {"household": household, "measure": measure, "session": session}


def test_login_page_has_no_serious_violation(page, live_server):
    page.goto("/compte/connexion/")

    assert blocking_violations(page) == []


@pytest.mark.parametrize(
    ("persona", "paths"),
    [
        (
            "referent",
            [
                "/",
                "/menages/",
                "/menages/{household}/",
                "/menages/{household}/?onglet=accompagnement",
                "/mesures/{measure}/",
                "/mesures/{measure}/contacts/nouveau/",
                "/comite/",
            ],
        ),
        ("tenancy_staff", ["/", "/signalements/nouveau/", "/menages/{household}/?onglet=procedure", "/secteurs/"]),
        ("secretary", ["/", "/comite/{session}/"]),
        ("steering", ["/", "/pilotage/", "/financement/plan/", "/financement/etat/"]),
    ],
)
def test_main_pages_have_no_serious_violation(login_as, request, scene, persona, paths):
    page = login_as(request.getfixturevalue(persona))
    ids = {"household": scene["household"].pk, "measure": scene["measure"].pk, "session": scene["session"].pk}
    found = {}
    for path in paths:
        page.goto(path.format(**ids))
        if violations := blocking_violations(page):
            found[path] = violations

    assert found == {}
