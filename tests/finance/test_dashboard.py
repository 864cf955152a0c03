"""The steering dashboard: aggregates only (never a name), counts under 5 masked for outside viewers and
always in the PDF report, and charts drawn as SVG that the CSP and screen readers accept."""

import re
import time
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from finance import charts, dashboard
from households.enums import HouseholdStatus
from measures.enums import Outcome
from tests.accounts.factories import MembershipFactory, OrganisationFactory, member
from tests.finance.factories import ProgrammeFactory, pdf_text
from tests.households.factories import (
    DwellingFactory,
    HouseholdFactory,
    ProcedureEventFactory,
    SectorFactory,
    SocialLoadThresholdFactory,
    TenancyFactory,
    days_ago,
)
from tests.measures.factories import ContactFactory, FollowedHouseholdFactory, MeasureFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
MASKED = "< 5"


def parse_svg(svg: str) -> ET.Element:
    # The application's own markup, parsed in a test: xml.etree is what says whether it is well-formed.
    return ET.fromstring(svg)  # noqa: S314


def quarter(day) -> str:
    return f"T{(day.month - 1) // 3 + 1} {day.year}"


@pytest.fixture
def programme(landlord):
    return ProgrammeFactory(landlord=landlord)


@pytest.fixture
def activity(landlord, programme):
    """Three accompanied households, one closed, one access candidate; contacts, procedures, a sector."""
    sector = SectorFactory(landlord=landlord, name="Roubaix-Est", stock_size=40)
    active = [MeasureFactory(active=True) for _ in range(3)]
    closed = MeasureFactory(closed=True)
    HouseholdFactory(landlord=landlord, acces=True)
    ContactFactory(measure=active[0], duration_minutes=120)
    ContactFactory(measure=active[1], duration_minutes=120)
    for measure in active[:2]:
        TenancyFactory(household=measure.household, dwelling=DwellingFactory(landlord=landlord, sector=sector))
    ProcedureEventFactory(household=active[0].household, payment_order=True)
    ProcedureEventFactory(household=active[1].household, closed=True)
    SocialLoadThresholdFactory(rate=Decimal("4.00"))
    return {"active": active, "closed": closed, "sector": sector}


@pytest.fixture
def outside_steering(db):
    """A steering member of the State (DDETS): an institution, not the landlord."""
    ddets = OrganisationFactory(institution=True, name="DDETS du Nord", short_name="DDETS")
    return member(ddets, Role.STEERING, full_name="Hélène Vasseur", email="h.vasseur@ddets.example")


def rows(indicator) -> dict:
    return dict(indicator.rows)


# What the indicators count


def test_the_indicators_count_households_entries_exits_durations_and_outcomes(programme, activity):
    today = timezone.localdate()

    data = dashboard.indicators(programme, today=today, masked=False)

    assert rows(data["households"]) == {
        "Maintien · accompagné": "3",
        "Maintien · clos": "1",
        "Accès · proposé": "1",
    }
    assert rows(data["entries"])[quarter(days_ago(30))] == "5"
    assert rows(data["exits"])[quarter(days_ago(1))] == "1"
    assert sum(int(value) for value in rows(data["exits"]).values()) == 1
    assert rows(data["durations"]) == {
        "moins de 6 mois": "1",
        "6 à 12 mois": "0",
        "12 à 18 mois": "0",
        "18 mois et plus": "0",
    }
    assert rows(data["outcomes"]) == {Outcome.KEPT_IN_HOME.label: "1"}


def test_the_indicators_count_contacts_procedures_and_the_social_load_of_sectors(programme, activity):
    today = timezone.localdate()

    data = dashboard.indicators(programme, today=today, masked=False)

    contacts = rows(data["contacts"])
    assert len(contacts) == 12
    assert contacts[f"{days_ago(5):%m/%y}"] == "2"
    assert rows(data["procedures"]) == {"arrêtées ou suspendues": "1", "en cours": "1"}
    # Two households carried for 40 dwellings: 5 per 100.
    assert rows(data["sectors"]) == {"Roubaix-Est": "5,0 %"}
    assert data["threshold"] == Decimal("4.00")
    assert data["sectors_above"] == [("Roubaix-Est", Decimal("5.0"))]
    # 240 minutes of contacts for the 4 measures that began.
    assert data["time_per_household"] == pytest.approx(1.0)


def test_the_indicators_leave_out_other_landlords(programme, activity):
    other = OrganisationFactory(landlord=True, name="Vilogia", short_name="VILOGIA")
    for _ in range(4):
        MeasureFactory(
            active=True,
            household=FollowedHouseholdFactory(eole=True, landlord=other, status=HouseholdStatus.ACCOMPANIED),
        )

    data = dashboard.indicators(programme, today=timezone.localdate(), masked=False)

    assert rows(data["households"])["Maintien · accompagné"] == "3"


# Counts under 5


@pytest.mark.parametrize(
    ("count", "masked", "shown"),
    [(0, True, "0"), (1, True, MASKED), (4, True, MASKED), (5, True, "5"), (3, False, "3")],
)
def test_counts_from_1_to_4_are_masked_but_zero_and_five_are_not(count, masked, shown):
    assert dashboard.shown(count, masked=masked) == shown


def test_landlord_steering_sees_exact_counts_on_the_dashboard(client, steering, activity):
    client.force_login(steering)

    response = client.get(reverse("finance:dashboard"))

    assert response.context["masked"] is False
    assert rows(response.context["data"]["households"])["Maintien · accompagné"] == "3"
    html = response.content.decode()
    assert ">3</text>" in html
    assert "&lt; 5" not in html
    assert "Au-dessus du seuil : Roubaix-Est (5,0 %)." in html


def test_outside_steering_sees_the_programme_with_counts_under_5_masked(client, outside_steering, programme, activity):
    client.force_login(outside_steering)

    response = client.get(reverse("finance:dashboard"))

    assert response.context["programme"] == programme
    assert response.context["masked"] is True
    assert rows(response.context["data"]["households"]) == {
        "Maintien · accompagné": MASKED,
        "Maintien · clos": MASKED,
        "Accès · proposé": MASKED,
    }
    html = response.content.decode()
    assert "Les effectifs inférieurs à 5 sont masqués" in html
    assert ">&lt; 5</text>" in html
    assert ">3</text>" not in html
    # The figures in euros and the social load (a rate) are not counts.
    assert f"56{chr(0xA0)}400,00{chr(0xA0)}€" in html
    assert ">5,0 %</text>" in html


def test_the_pdf_report_masks_counts_under_5_even_for_the_landlord(client, steering, activity):
    client.force_login(steering)

    response = client.get(reverse("finance:dashboard_pdf"))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Rapport de pilotage" in text
    lines = text.splitlines()
    # Each count is printed on the line after its label.
    assert lines[lines.index("Maintien · accompagné") + 1] == MASKED
    assert lines[lines.index("moins de 6 mois") + 1] == MASKED
    assert "3" not in {line.strip() for line in lines}


def test_masked_counts_do_not_show_through_the_length_of_their_bars(programme, landlord):
    for _ in range(3):
        MeasureFactory(active=True)
    HouseholdFactory(landlord=landlord, acces=True)

    data = dashboard.indicators(programme, today=timezone.localdate(), masked=True)

    widths = {float(rect.get("width")) for rect in parse_svg(data["households"].svg).iter(f"{SVG}rect")}
    assert len(widths) == 1


def test_a_landlord_viewer_also_in_the_state_sees_other_landlords_counts_masked(client, steering):
    other = OrganisationFactory(landlord=True, name="Vilogia", short_name="VILOGIA")
    other_programme = ProgrammeFactory(landlord=other, name="Vilogia — appel 2014")
    for _ in range(2):
        household = FollowedHouseholdFactory(eole=True, landlord=other, status=HouseholdStatus.ACCOMPANIED)
        MeasureFactory(active=True, household=household)
    ddets = OrganisationFactory(institution=True, name="DDETS du Nord", short_name="DDETS")
    MembershipFactory(user=steering, organisation=ddets, role=Role.STEERING)
    client.force_login(steering)

    response = client.get(reverse("finance:dashboard"), {"programme": other_programme.pk})

    assert response.context["programme"] == other_programme
    assert rows(response.context["data"]["households"])["Maintien · accompagné"] == MASKED


# No name, no reference


@pytest.fixture
def named_households(landlord, programme):
    names = []
    for index, (name, last_name) in enumerate([("Famille Zébulon", "Quintard"), ("Famille Xéniade", "Oppermann")]):
        household = FollowedHouseholdFactory(
            eole=True,
            name=name,
            reference=f"ZQ-77{index}",
            status=HouseholdStatus.ACCOMPANIED,
            head__last_name=last_name,
            head__first_names="Philomène",
        )
        measure = MeasureFactory(active=True, household=household)
        ContactFactory(measure=measure, summary="Visite chez Mme Quintard", confidential_note="Note Oppermann")
        names += [name, last_name, household.reference]
    return [*names, "Philomène"]


def test_the_dashboard_shows_no_household_name_nor_reference(client, steering, named_households):
    client.force_login(steering)

    html = client.get(reverse("finance:dashboard")).content.decode()

    assert "Ménages par parcours et statut" in html
    for needle in named_households:
        assert needle not in html


def test_the_pdf_report_shows_no_household_name_nor_reference(client, steering, named_households):
    client.force_login(steering)

    text = pdf_text(client.get(reverse("finance:dashboard_pdf")).content)

    assert "Ménages par parcours et statut" in text
    for needle in named_households:
        assert needle not in text


# The charts


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)


def test_every_chart_of_the_dashboard_is_valid_svg_with_a_title_and_no_inline_style(client, steering, activity):
    client.force_login(steering)

    response = client.get(reverse("finance:dashboard"))

    html = response.content.decode()
    charts_on_page = svgs(html)
    titles = []
    for svg in charts_on_page:
        root = parse_svg(svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None and title.text
        assert root.get("aria-label") == title.text
        assert root.find(f"{SVG}desc").text
        assert not [element.tag for element in root.iter() if "style" in element.attrib]
        titles.append(title.text)
    assert len(charts_on_page) == 8
    assert "Ménages par parcours et statut" in titles
    # The CSP forbids inline styles: none in the page either.
    assert not re.search(r"\sstyle\s*=", html)


def test_every_chart_prints_its_values_and_labels_as_text(programme, activity):
    data = dashboard.indicators(programme, today=timezone.localdate(), masked=True)

    indicators = [value for value in data.values() if isinstance(value, dashboard.Indicator)]
    assert len(indicators) == 8
    for indicator in indicators:
        root = parse_svg(indicator.svg)
        texts = [element.text for element in root.iter(f"{SVG}text")]
        for label, display in indicator.rows:
            assert label in texts
            assert display in texts
            assert f"{label} : {display}" in root.find(f"{SVG}desc").text


def test_a_chart_escapes_its_labels_and_stays_valid_xml():
    svg = charts.horizontal_bars("Secteurs <Nord> & Sud", [charts.Bar('Lille <Fives> & "Hellemmes"', 3, "3")])

    root = parse_svg(svg)

    assert root.find(f"{SVG}title").text == "Secteurs <Nord> & Sud"
    assert 'Lille <Fives> & "Hellemmes"' in [element.text for element in root.iter(f"{SVG}text")]


def test_a_chart_title_with_double_quotes_stays_valid_xml():
    svg = charts.vertical_bars('Entrées du dispositif "Accès"', [charts.Bar("T1 2026", 6, "6")])

    assert parse_svg(svg).get("aria-label") == 'Entrées du dispositif "Accès"'


def test_a_sector_name_with_markup_keeps_the_page_chart_valid(client, steering, landlord, programme):
    sector = SectorFactory(landlord=landlord, name="Lille <Fives> & Hellemmes", stock_size=10)
    TenancyFactory(
        household=MeasureFactory(active=True).household, dwelling=DwellingFactory(landlord=landlord, sector=sector)
    )
    client.force_login(steering)

    html = client.get(reverse("finance:dashboard")).content.decode()

    sectors = [parse_svg(svg) for svg in svgs(html) if "Charge sociale" in svg]
    assert [element.text for element in sectors[0].iter(f"{SVG}text")] == ["Lille <Fives> & Hellemmes", "10,0 %"]
    assert "<Fives>" not in html


def test_an_empty_chart_says_there_is_no_data():
    root = parse_svg(charts.horizontal_bars("Issues à la clôture", []))

    assert [element.text for element in root.iter(f"{SVG}text")] == ["Aucune donnée"]
    assert root.find(f"{SVG}desc").text == "Aucune donnée"


def test_the_dashboard_without_activity_still_shows_the_plan(client, steering, programme):
    client.force_login(steering)

    response = client.get(reverse("finance:dashboard"))

    html = response.content.decode()
    assert f"Pilotage — {programme.name}" in html
    assert f"56{chr(0xA0)}400,00{chr(0xA0)}€" in html
    assert f'Engagé à ce jour</p><p class="h4 mb-0">0,00{chr(0xA0)}€' in html
    assert timezone.localdate().strftime("%d/%m/%Y") in html


def test_the_dashboard_follows_the_programme_chosen(client, admin_user, programme):
    other = ProgrammeFactory(
        landlord=OrganisationFactory(landlord=True, name="Vilogia", short_name="VILOGIA"), name="Vilogia — appel 2016"
    )
    client.force_login(admin_user)

    response = client.get(reverse("finance:dashboard"), {"programme": other.pk})

    assert response.context["programme"] == other
    html = response.content.decode()
    assert "Pilotage — Vilogia — appel 2016" in html
    # Administrators pick among every programme.
    assert f'<option value="{programme.pk}">' in html


def test_a_measure_closed_long_ago_is_not_an_exit_of_the_last_quarters(programme):
    today = timezone.localdate()
    # 600 days (about 20 months), ended before the 21 months the charts show.
    MeasureFactory(closed=True, start_date=today - timedelta(days=1300), closed_on=today - timedelta(days=700))

    data = dashboard.indicators(programme, today=today, masked=False)

    assert set(rows(data["exits"]).values()) == {"0"}
    assert rows(data["durations"])["18 mois et plus"] == "1"


class TestFiguresCache:
    """The figures are recomputed at most every 5 minutes, and when they are due only one request
    computes them: the others get the previous figures meanwhile (no stampede of every worker)."""

    @pytest.fixture(autouse=True)
    def memory_cache(self, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        from django.core.cache import cache

        cache.clear()
        return cache

    @pytest.fixture
    def computed(self):
        calls = []

        def compute():
            calls.append(1)
            return f"figures {len(calls)}"

        compute.calls = calls
        return compute

    def test_figures_younger_than_five_minutes_are_not_computed_again(self, computed):
        assert dashboard._cached("k", computed) == "figures 1"
        assert dashboard._cached("k", computed) == "figures 1"
        assert len(computed.calls) == 1

    def test_due_figures_are_computed_by_the_first_request(self, memory_cache, computed):
        memory_cache.set("k", dashboard._Computed(time.time() - dashboard.CACHE_SECONDS - 1, "old"))
        assert dashboard._cached("k", computed) == "figures 1"
        assert dashboard._cached("k", computed) == "figures 1"
        assert len(computed.calls) == 1

    def test_while_one_request_computes_the_others_get_the_previous_figures(self, memory_cache, computed):
        memory_cache.set("k", dashboard._Computed(time.time() - dashboard.CACHE_SECONDS - 1, "old"))
        memory_cache.add("k:computing", 1)  # another worker is computing
        assert dashboard._cached("k", computed) == "old"
        assert computed.calls == []

    def test_without_figures_yet_the_others_wait_for_the_first_computation(self, memory_cache, computed, monkeypatch):
        memory_cache.add("k:computing", 1)  # another worker computes the day's first figures
        monkeypatch.setattr(
            dashboard.time, "sleep", lambda seconds: memory_cache.set("k", dashboard._Computed(time.time(), "theirs"))
        )
        assert dashboard._cached("k", computed) == "theirs"
        assert computed.calls == []

    def test_without_figures_a_request_waits_only_so_long_then_computes(self, memory_cache, computed, monkeypatch):
        memory_cache.add("k:computing", 1)  # a computation that hangs
        monkeypatch.setattr(dashboard, "WAIT_SECONDS", 0.1)
        assert dashboard._cached("k", computed) == "figures 1"

    def test_a_failed_computation_gives_the_previous_figures_and_is_logged(self, memory_cache, caplog):
        memory_cache.set("k", dashboard._Computed(time.time() - dashboard.CACHE_SECONDS - 1, "old"))

        def failing():
            raise RuntimeError("base indisponible")

        assert dashboard._cached("k", failing) == "old"
        assert "base indisponible" in caplog.text
        # The lock lasts its minute: the requests meanwhile do not try again at once.
        assert dashboard._cached("k", lambda: "new") == "old"
        memory_cache.delete("k:computing")  # a minute later
        assert dashboard._cached("k", lambda: "new") == "new"

    def test_after_a_failed_query_the_request_can_still_use_the_database(self, memory_cache, programme):
        from django.db import connection

        memory_cache.set("k", dashboard._Computed(time.time() - dashboard.CACHE_SECONDS - 1, "old"))

        def failing_query():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 / 0")

        assert dashboard._cached("k", failing_query) == "old"
        assert type(programme).objects.filter(pk=programme.pk).exists()

    def test_a_failed_first_computation_is_an_error(self, memory_cache):
        def failing():
            raise RuntimeError("base indisponible")

        with pytest.raises(RuntimeError):
            dashboard._cached("k", failing)

    def test_a_value_left_in_another_form_is_computed_afresh(self, memory_cache, computed):
        memory_cache.set("k", {"households": 3})  # as an earlier release stored it
        assert dashboard._cached("k", computed) == "figures 1"

    def test_expired_figures_are_served_until_a_request_computes_them(self, memory_cache, programme):
        today = timezone.localdate()
        first = dashboard.cached_indicators(programme, today=today, masked=False)
        dashboard.expire(programme, today=today)
        memory_cache.add(f"{dashboard._indicators_key(programme, today, False)}:computing", 1)
        stale = dashboard.cached_indicators(programme, today=today, masked=False)
        assert stale["computed_at"] == first["computed_at"]
        memory_cache.delete(f"{dashboard._indicators_key(programme, today, False)}:computing")
        again = dashboard.cached_indicators(programme, today=today, masked=False)
        assert again["computed_at"] > first["computed_at"]
