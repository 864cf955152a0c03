"""Who may open the finance and steering pages, and what each page and download gives them."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from accounts.templatetags.french import duration
from measures.norms import DEFAULT_NORM
from tests.accounts.factories import OrganisationFactory, member
from tests.finance.factories import NBSP, ProgrammeFactory, html_tables, pdf_text
from tests.measures.factories import ContactFactory, MeasureFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "dashboard": ("finance:dashboard", {}),
    "dashboard_pdf": ("finance:dashboard_pdf", {}),
    "plan": ("finance:plan", {}),
    "statement": ("finance:statement", {}),
    "statement_pdf": ("finance:statement", {"format": "pdf"}),
    "statement_xlsx": ("finance:statement", {"format": "xlsx"}),
    "statement_csv": ("finance:statement", {"format": "csv"}),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def programme(landlord):
    return ProgrammeFactory(landlord=landlord)


@pytest.fixture
def measure(programme, referent):
    return MeasureFactory(active=True, referent=referent)


@pytest.fixture
def outside_steering(db):
    ddets = OrganisationFactory(institution=True, name="DDETS du Nord", short_name="DDETS")
    return member(ddets, Role.STEERING, full_name="Hélène Vasseur", email="h.vasseur@ddets.example")


def get(client, page, **extra):
    name, query = PAGES[page]
    return client.get(reverse(name), {**query, **extra})


def assert_shows_the_programme(response, page, programme):
    """Each page or file is the one asked for, about the programme."""
    year = timezone.localdate().year
    if page in ("dashboard", "plan", "statement"):
        assert response["Content-Type"].startswith("text/html")
        heading = {"dashboard": "Pilotage", "plan": "Plan de financement", "statement": "État récapitulatif"}[page]
        assert f"{heading} — {programme.name}" in response.content.decode()
    elif page in ("dashboard_pdf", "statement_pdf"):
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(pdf_text(response.content).split())
        assert programme.name in text
        assert (
            "Rapport de pilotage" if page == "dashboard_pdf" else f"Période du 01/01/{year} au 31/12/{year}"
        ) in text
    elif page == "statement_xlsx":
        assert response["Content-Type"] == XLSX
        assert (
            load_workbook(io.BytesIO(response.content)).active["A1"].value == f"État récapitulatif — {programme.name}"
        )
    else:
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.decode("utf-8").startswith("\ufeffRéférence;Parcours;Association;")


# Who may see the figures


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["steering", "secretary", "admin_user"])
def test_steering_secretary_and_administrators_see_every_finance_page(
    client, request, persona, page, measure, programme
):
    client.force_login(request.getfixturevalue(persona))

    response = get(client, page)

    assert response.status_code == 200
    assert_shows_the_programme(response, page, programme)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["referent", "coordinator", "tenancy_staff", "other_referent"])
def test_social_workers_and_tenancy_staff_may_not_see_finance_pages(client, request, persona, page, measure):
    client.force_login(request.getfixturevalue(persona))

    response = get(client, page)

    assert response.status_code == 403
    assert "1 300" not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_finance_pages_ask_anonymous_visitors_to_log_in(client, page, programme):
    response = get(client, page)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", PAGES)
def test_outside_steering_sees_every_programme_in_every_format(client, outside_steering, page, measure, programme):
    client.force_login(outside_steering)

    response = get(client, page)

    assert response.status_code == 200
    assert_shows_the_programme(response, page, programme)


@pytest.mark.parametrize("page", PAGES)
def test_landlord_steering_gets_404_for_another_landlords_programme(client, steering, page, programme):
    other = ProgrammeFactory(landlord=OrganisationFactory(landlord=True, name="Vilogia", short_name="VILOGIA"))
    client.force_login(steering)

    response = get(client, page, programme=other.pk)

    assert response.status_code == 404
    assert get(client, page, programme=programme.pk).status_code == 200


@pytest.mark.parametrize("page", ["dashboard", "plan", "statement"])
def test_a_finance_page_without_any_programme_says_so_with_a_404(client, steering, page):
    client.force_login(steering)

    response = get(client, page)

    assert response.status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_finance_pages_only_answer_get(client, steering, page, programme):
    client.force_login(steering)
    name, query = PAGES[page]

    response = client.post(reverse(name), query)

    assert response.status_code == 405


@pytest.mark.parametrize("page", ["dashboard", "plan", "statement"])
def test_finance_pages_are_not_cached(client, steering, page, programme):
    client.force_login(steering)

    response = get(client, page)

    assert "no-store" in response["Cache-Control"]


# Downloads


def test_the_statement_files_are_attachments_named_after_the_period(client, steering, programme):
    client.force_login(steering)
    period = {"debut": "2025-01-01", "fin": "2025-06-30"}

    for output, content_type in [("pdf", "application/pdf"), ("xlsx", XLSX), ("csv", "text/csv; charset=utf-8")]:
        response = get(client, "statement", format=output, **period)

        assert response["Content-Type"] == content_type
        assert (
            response["Content-Disposition"] == f'attachment; filename="etat-recapitulatif-20250101-20250630.{output}"'
        )


def test_the_pilotage_report_opens_inline_named_after_today(client, steering, programme):
    client.force_login(steering)

    response = get(client, "dashboard_pdf")

    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == f'inline; filename="pilotage-{timezone.localdate():%Y-%m-%d}.pdf"'


def test_the_statement_page_links_its_three_files_for_the_same_period(client, steering, programme):
    client.force_login(steering)

    html = get(client, "statement", debut="2025-01-01", fin="2025-06-30").content.decode()

    for output in ("pdf", "xlsx", "csv"):
        assert f'href="?debut=2025-01-01&amp;fin=2025-06-30&amp;programme={programme.pk}&amp;format={output}"' in html


def test_a_wrong_period_gives_its_error_and_neither_figures_nor_file(client, steering, programme):
    """Not the default year's figures under the error: they would pass for the period asked."""
    client.force_login(steering)
    wrong = {"debut": "2025-06-30", "fin": "2025-01-01"}

    html = get(client, "statement", **wrong).content.decode()
    download = get(client, "statement", format="pdf", **wrong)

    assert "La fin de la période doit suivre son début." in html
    assert "Corrigez la période pour afficher l'état et le télécharger." in html
    assert "Total" not in html and "format=pdf" not in html
    assert download["Content-Type"].startswith("text/html")
    assert "La fin de la période doit suivre son début." in download.content.decode()


def test_the_statement_page_defaults_to_the_current_year(client, steering, programme):
    client.force_login(steering)
    year = timezone.localdate().year

    response = get(client, "statement")

    html = response.content.decode()
    assert f"Du 01/01/{year} au 31/12/{year}" in html
    assert f"debut={year}-01-01&amp;fin={year}-12-31&amp;programme={programme.pk}&amp;format=xlsx" in html


# Referents: the time of their own measures, not the money


def test_a_referent_sees_the_time_of_their_measure_against_the_norm(client, referent, measure):
    ContactFactory(measure=measure, by=referent, duration_minutes=90)
    ContactFactory(measure=measure, by=referent, admin=True, duration_minutes=60)
    client.force_login(referent)

    response = client.get(reverse("measures:detail", args=[measure.pk]))

    html = response.content.decode()
    assert "Temps au regard de la norme" in html
    [time] = [table for table in html_tables(html) if table and table[0][1:] == ["Noté", "Norme"]]
    days = (timezone.localdate() - measure.start_date).days + 1
    household, admin = DEFAULT_NORM.accompaniment_minutes(days)
    assert time[1:] == [
        ["Diagnostic", "3 h 30", "3 h 30"],
        ["Avec le ménage", "1 h 30", duration(household).replace(NBSP, " ")],
        ["Administratif", "1 h", duration(admin).replace(NBSP, " ")],
    ]
    assert "€" not in html


def test_a_referent_of_another_association_does_not_see_that_measure_time(client, other_referent, measure):
    client.force_login(other_referent)

    response = client.get(reverse("measures:detail", args=[measure.pk]))

    assert response.status_code == 404


# The steering home


def test_the_steering_home_gives_the_key_figures_and_the_finance_pages(client, steering, programme):
    client.force_login(steering)

    html = client.get(reverse("home")).content.decode()

    assert "Pilotage — chiffres clés" in html
    assert f"56{NBSP}400,00{NBSP}€" in html
    for name in ("dashboard", "plan", "statement"):
        assert f'href="{reverse(f"finance:{name}")}"' in html


def test_the_home_of_a_referent_shows_no_finance_figures(client, referent, measure, programme):
    client.force_login(referent)

    html = client.get(reverse("home")).content.decode()

    assert "Pilotage — chiffres clés" not in html
    assert reverse("finance:dashboard") not in html
