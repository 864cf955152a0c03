"""Steering (LMH) follows its programme: the dashboard, the plan, then the funder statement and its files."""

import io
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.finance.factories import ProgrammeFactory
from tests.measures.factories import ContactFactory, MeasureFactory


def test_steering_follows_the_programme_from_the_dashboard_to_the_funder_statement(login_as, steering, landlord):
    programme = ProgrammeFactory(landlord=landlord)
    for _ in range(3):
        ContactFactory(measure=MeasureFactory(active=True))
    MeasureFactory(active=True)
    year = timezone.localdate().year
    page = login_as(steering)

    page.get_by_role("link", name="Tableau de pilotage").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Pilotage — {programme.name}")
    for title in ("Ménages par parcours et statut", "Contacts par mois", "Issues à la clôture"):
        chart = page.get_by_role("img", name=title)
        expect(chart).to_be_visible()
    expect(page.get_by_role("img", name="Ménages par parcours et statut")).to_contain_text("Maintien · accompagné")

    page.get_by_role("link", name="Plan de financement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan de financement")
    expect(page.get_by_role("main")).to_contain_text("56 400,00 €")
    expect(page.get_by_role("row", name="Total par mesure")).to_contain_text("1 410,00 €")

    page.get_by_role("link", name="État récapitulatif pour les financeurs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("État récapitulatif")
    expect(page.get_by_role("main")).to_contain_text(f"Du 01/01/{year} au 31/12/{year} · 4 mesures")

    with page.expect_download() as spreadsheet:
        page.get_by_role("link", name="XLSX", exact=True).click()
    assert spreadsheet.value.suggested_filename == f"etat-recapitulatif-{year}0101-{year}1231.xlsx"
    sheet = load_workbook(io.BytesIO(Path(spreadsheet.value.path()).read_bytes())).active
    assert sheet.cell(row=sheet.max_row, column=3).value == "4 mesures"

    with page.expect_download() as printed:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert printed.value.suggested_filename.endswith(".pdf")
    assert Path(printed.value.path()).read_bytes().startswith(b"%PDF")
