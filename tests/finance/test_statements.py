"""The funder statement (état récapitulatif): its lines and totals, and the same figures on the page, in the
PDF, the XLSX and the CSV."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finance import reports
from finance.models import RateKind
from tests.accounts.factories import OrganisationFactory
from tests.finance.factories import (
    NBSP,
    FundingShareFactory,
    ProgrammeFactory,
    RateFactory,
    accompanied_measure,
    html_tables,
    pdf_text,
)
from tests.measures.factories import FollowedHouseholdFactory, MeasureFactory

pytestmark = pytest.mark.django_db

D = Decimal
YEAR_2025 = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}


@pytest.fixture
def programme(landlord):
    """Fixed dates, wholly in the past: the figures below do not depend on today."""
    return ProgrammeFactory(landlord=landlord, start=date(2024, 1, 1), end=date(2025, 12, 31))


def household(reference, **fields):
    return FollowedHouseholdFactory(eole=True, reference=reference, **fields)


@pytest.fixture
def measures_2025(programme):
    """Four LMH measures with a cost in 2025, one of another landlord and one that starts in 2026."""
    accompanied_measure(
        date(2024, 10, 1),
        signed_on=date(2024, 9, 25),
        suspensions=[(date(2025, 2, 1), date(2025, 3, 15))],
        closed_on=date(2025, 9, 10),
        household=household("ST-2025-A"),
    )
    accompanied_measure(date(2025, 3, 17), household=household("ST-2025-B"))
    accompanied_measure(date(2025, 12, 1), signed_on=date(2025, 11, 20), household=household("ST-2025-C"))
    MeasureFactory(household=household("ST-2025-D"), diagnostic__signed=True, diagnostic__held_on=date(2025, 6, 3))
    accompanied_measure(
        date(2025, 1, 1),
        household=household("ST-2025-X", landlord=OrganisationFactory(landlord=True, short_name="VILOGIA")),
    )
    accompanied_measure(date(2026, 1, 5), household=household("ST-2026-E"))


# (reference, diagnostic, days, accompaniment, total, FNAVDL + CGLLS, fonds propres LMH)
EXPECTED_2025 = [
    # Diagnostic signed in 2024; 31 days in January, suspended, then 15/03 to 10/09 (179 days).
    ("ST-2025-A", D("0.00"), 210, D("747.95"), D("747.95"), D("373.98"), D("373.97")),
    # Signed the day before opening; open until the end of the year: 290 days.
    ("ST-2025-B", D("110.00"), 290, D("1032.88"), D("1142.88"), D("571.44"), D("571.44")),
    ("ST-2025-C", D("110.00"), 31, D("110.41"), D("220.41"), D("110.21"), D("110.20")),
    # Signed diagnostic, no accompaniment yet.
    ("ST-2025-D", D("110.00"), 0, D("0.00"), D("110.00"), D("55.00"), D("55.00")),
]
EXPECTED_TOTAL_2025 = ("Total", D("330.00"), 531, D("1891.24"), D("2221.24"), D("1110.63"), D("1110.61"))


def as_rows(statement):
    lines = [
        (line.reference, line.diagnostic, line.days, line.accompaniment, line.total, *line.shares)
        for line in statement.lines
    ]
    totals = (
        "Total",
        statement.diagnostic_total,
        statement.days_total,
        statement.accompaniment_total,
        statement.total,
        *statement.share_totals,
    )
    return lines, totals


def test_the_statement_has_one_line_per_measure_with_a_cost_in_the_period(programme, measures_2025):
    statement = reports.statement(programme, **YEAR_2025)

    lines, totals = as_rows(statement)
    assert lines == EXPECTED_2025
    assert totals == EXPECTED_TOTAL_2025
    assert [share.label for share in statement.shares] == ["FNAVDL + CGLLS", "Fonds propres LMH"]


def test_the_statement_total_is_the_sum_of_its_lines(programme, measures_2025):
    statement = reports.statement(programme, **YEAR_2025)

    assert statement.total == sum((line.total for line in statement.lines), D(0))
    assert statement.total == statement.diagnostic_total + statement.accompaniment_total
    assert statement.days_total == sum(line.days for line in statement.lines)


def test_each_share_total_is_the_sum_of_the_lines_shares_and_the_shares_add_up_to_the_total(programme, measures_2025):
    statement = reports.statement(programme, **YEAR_2025)

    for index, total in enumerate(statement.share_totals):
        assert total == sum((line.shares[index] for line in statement.lines), D(0))
    for line in statement.lines:
        assert sum(line.shares, D(0)) == line.total
    assert sum(statement.share_totals, D(0)) == statement.total
    assert statement.subsidy_total == statement.share_totals[0] == D("1110.63")


def test_the_diagnostic_is_costed_in_the_period_of_its_signature_only(programme, measures_2025):
    statement_2024 = reports.statement(programme, start=date(2024, 1, 1), end=date(2024, 12, 31))

    [line] = statement_2024.lines
    # ST-2025-A: signed 25/09/2024, opened 01/10/2024: 92 days of a 366-day year.
    assert (line.reference, line.diagnostic, line.days, line.accompaniment) == (
        "ST-2025-A",
        D("110.00"),
        92,
        D("326.78"),
    )


def test_a_statement_of_a_quarter_clips_the_accompaniment_to_it(programme, measures_2025):
    statement = reports.statement(programme, start=date(2025, 1, 1), end=date(2025, 3, 31))

    lines, _ = as_rows(statement)
    # ST-2025-A: January, then 15 to 31 March; ST-2025-B: 17 to 31 March.
    assert [line[:4] for line in lines] == [
        ("ST-2025-A", D("0.00"), 48, D("170.96")),
        ("ST-2025-B", D("110.00"), 15, D("53.42")),
    ]


def test_each_line_is_rounded_half_up_and_the_totals_add_the_rounded_lines(landlord):
    programme = ProgrammeFactory(landlord=landlord, reference=False, start=date(2024, 1, 1), end=date(2025, 12, 31))
    RateFactory(programme=programme, diagnostic=True)
    RateFactory(programme=programme, amount=D("1300.01"))
    FundingShareFactory(programme=programme, label="FNAVDL + CGLLS", position=1)
    FundingShareFactory(programme=programme, own_funds=True, position=2)
    for reference in ("RD-1", "RD-2"):
        # 183 days of 2024 at 1 300,01 € a year: exactly 650,005 €.
        accompanied_measure(date(2024, 1, 1), closed_on=date(2024, 7, 2), household=household(reference))

    statement = reports.statement(programme, start=date(2024, 1, 1), end=date(2024, 12, 31))

    assert [line.accompaniment for line in statement.lines] == [D("650.01"), D("650.01")]
    # Not round(1 300,01): the total is the sum of the rounded lines.
    assert statement.total == D("1300.02")
    assert [line.shares for line in statement.lines] == [[D("325.01"), D("325.00")]] * 2
    assert statement.share_totals == [D("650.02"), D("650.00")]


def test_a_rate_change_during_the_year_applies_from_its_validity_date(landlord):
    programme = ProgrammeFactory(landlord=landlord, reference=False, start=date(2025, 1, 1), end=date(2026, 12, 31))
    RateFactory(programme=programme, diagnostic=True)
    RateFactory(programme=programme, amount=D("1300.00"), valid_to=date(2025, 6, 30))
    RateFactory(programme=programme, amount=D("1400.00"), valid_from=date(2025, 7, 1))
    FundingShareFactory(programme=programme, percent=D("100.00"))
    accompanied_measure(date(2025, 1, 1), signed_on=date(2025, 1, 1), closed_on=date(2026, 1, 1))

    [line] = reports.statement(programme, **YEAR_2025).lines

    # 181 days at 1 300 € and 184 days at 1 400 €, over 365.
    assert (line.diagnostic, line.accompaniment, line.total) == (D("110.00"), D("1350.41"), D("1460.41"))
    assert programme.rates.filter(kind=RateKind.ACCOMPANIMENT).count() == 2


def test_the_statement_of_a_period_not_over_counts_active_days_up_to_today_only(landlord):
    today = timezone.localdate()
    programme = ProgrammeFactory(landlord=landlord)
    accompanied_measure(today - timedelta(days=30))

    [line] = reports.statement(programme, start=today - timedelta(days=40), end=today + timedelta(days=40)).lines

    assert line.days == 31  # from 30 days ago to today, both included


# The same figures on the page and in every file


def euros(text: str) -> Decimal:
    """« 1 175,34 € » (with non-breaking spaces) as a Decimal."""
    return D(text.replace(NBSP, "").replace(" ", "").replace("€", "").replace(",", "."))


def page_rows(html: str):
    table = html_tables(html)[0]
    header, *lines, total = table
    assert header[:9] == [
        "Référence",
        "Parcours",
        "Association",
        "Début",
        "Fin",
        "Diagnostic",
        "Jours",
        "Accompagnement",
        "Coût",
    ]
    parsed = [(row[0], euros(row[5]), int(row[6]), *(euros(cell) for cell in row[7:])) for row in lines]
    return parsed, (total[0], euros(total[1]), int(total[2]), *(euros(cell) for cell in total[3:]))


def csv_rows(content: bytes):
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header, *lines, total = rows

    def figures(row):
        return (row[0], D(row[5].replace(",", ".")), int(row[6]), *(D(cell.replace(",", ".")) for cell in row[7:]))

    assert header[5:] == [
        "Diagnostic (€)",
        "Jours d'accompagnement",
        "Accompagnement (€)",
        "Coût total (€)",
        "FNAVDL + CGLLS (€)",
        "Fonds propres LMH (€)",
    ]
    assert total[2] == f"{len(lines)} mesures"
    return [figures(row) for row in lines], figures(total)


def xlsx_rows(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True)]
    header, *lines, total = rows

    def money(value):
        return D(str(value)).quantize(D("0.01"))

    def figures(row):
        return (row[0], money(row[5]), int(row[6]), *(money(value) for value in row[7:]))

    assert header[0] == "Référence"
    assert header[-2:] == ("FNAVDL + CGLLS (€)", "Fonds propres LMH (€)")
    return [figures(row) for row in lines], figures(total)


def pdf_rows(content: bytes, references):
    """Each line and the total row of the printed table: the euro amounts and the days."""
    text = pdf_text(content)
    rows = []
    for reference in [*references, "Total ("]:
        [printed] = [line for line in text.splitlines() if line.startswith(reference)]
        tokens = printed.split(" ")
        amounts = [euros(token) for token in tokens if token.endswith(f"{NBSP}€")]
        first = next(index for index, token in enumerate(tokens) if token.endswith(f"{NBSP}€"))
        rows.append(
            ("Total" if reference == "Total (" else reference, amounts[0], int(tokens[first + 1]), *amounts[1:])
        )
    return rows[:-1], rows[-1]


@pytest.fixture
def downloads(client, steering, programme, measures_2025):
    client.force_login(steering)
    url = reverse("finance:statement")
    query = {"programme": programme.pk, "debut": "2025-01-01", "fin": "2025-12-31"}
    return {
        output: client.get(url, {**query, "format": output} if output else query)
        for output in ("", "pdf", "xlsx", "csv")
    }


def test_the_page_shows_the_statement_lines_and_totals(downloads):
    html = downloads[""].content.decode()

    assert page_rows(html) == (EXPECTED_2025, EXPECTED_TOTAL_2025)
    assert "Du 01/01/2025 au 31/12/2025 · 4 mesures" in html
    assert f"2{NBSP}221,24{NBSP}€" in html


def test_the_csv_holds_the_same_figures_as_the_page(downloads):
    assert csv_rows(downloads["csv"].content) == page_rows(downloads[""].content.decode())


def test_the_csv_is_semicolon_separated_with_decimal_commas_and_a_bom(downloads):
    content = downloads["csv"].content.decode("utf-8")

    assert content.startswith("\ufeffRéférence;Parcours;Association;Début;Fin;")
    assert "ST-2025-A;Maintien;EOLE;01/10/2024;10/09/2025;0,00;210;747,95;747,95;373,98;373,97\r\n" in content
    assert content.endswith("Total;;4 mesures;;;330,00;531;1891,24;2221,24;1110,63;1110,61\r\n")


def test_the_xlsx_holds_the_same_figures_as_the_page(downloads):
    assert xlsx_rows(downloads["xlsx"].content) == page_rows(downloads[""].content.decode())


def test_the_xlsx_stores_numbers_and_dates_with_french_formats(downloads):
    sheet = load_workbook(io.BytesIO(downloads["xlsx"].content)).active

    assert sheet["A1"].value.startswith("État récapitulatif — LMH")
    assert sheet["A2"].value == "Période du 01/01/2025 au 31/12/2025"
    assert "demi-centime vers le haut" in sheet["A3"].value
    first = sheet[6]
    assert first[0].value == "ST-2025-A"
    assert first[3].value.date() == date(2024, 10, 1)
    assert first[3].number_format == "DD/MM/YYYY"
    assert first[7].value == pytest.approx(747.95)
    assert first[7].number_format == '#,##0.00\\ "€"'
    assert sheet.max_row == 5 + 4 + 1


def test_the_pdf_prints_the_same_lines_and_totals_as_the_page(downloads):
    references = [row[0] for row in EXPECTED_2025]

    assert pdf_rows(downloads["pdf"].content, references) == page_rows(downloads[""].content.decode())


def test_the_pdf_states_the_period_and_the_rounding_rule(downloads):
    text = " ".join(pdf_text(downloads["pdf"].content).split())

    assert "Période du 01/01/2025 au 31/12/2025" in text
    assert "Total (4 mesures)" in text
    assert "chaque ligne est arrondie au centime le plus proche (demi-centime vers le haut)" in text
    assert "ST-2025-X" not in text  # another landlord's measure
    assert "ST-2026-E" not in text  # no cost in 2025


def test_a_period_without_cost_shows_an_empty_statement(client, steering, programme):
    client.force_login(steering)

    response = client.get(reverse("finance:statement"), {"debut": "2025-01-01", "fin": "2025-12-31"})

    assert "Aucune mesure n'a de coût sur cette période." in response.content.decode()
    assert response.context["statement"].total == D("0.00")


def test_a_period_ending_before_it_starts_is_refused_without_figures(client, steering, programme):
    client.force_login(steering)

    response = client.get(reverse("finance:statement"), {"debut": "2025-12-31", "fin": "2025-01-01"})

    assert "La fin de la période doit suivre son début." in response.content.decode()
    # Not the programme year's figures under the error: they would pass for the period asked.
    assert response.context["statement"] is None
