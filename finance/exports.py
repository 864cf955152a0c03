"""The funder statement (état récapitulatif) as PDF, XLSX and CSV: the same lines and totals."""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from accounts.pdf import PdfHeader, render_pdf

EURO_FORMAT = '#,##0.00\\ "€"'
ROUNDING_NOTE = (
    "Arrondi : chaque ligne est arrondie au centime le plus proche (demi-centime vers le haut) ; "
    "les totaux sont la somme des lignes arrondies ; la dernière part de financement reçoit le reste."
)


def _headers(statement) -> list[str]:
    return [
        "Référence",
        "Parcours",
        "Association",
        "Début",
        "Fin",
        "Diagnostic (€)",
        "Jours d'accompagnement",
        "Accompagnement (€)",
        "Coût total (€)",
        *[f"{share.label} (€)" for share in statement.shares],
    ]


def _row_values(line) -> list:
    return [
        line.reference,
        line.track,
        line.association,
        line.start_date,
        line.end_date,
        line.diagnostic,
        line.days,
        line.accompaniment,
        line.total,
        *line.shares,
    ]


def _totals(statement) -> list:
    return [
        "Total",
        "",
        f"{len(statement.lines)} mesure{'s' if len(statement.lines) > 1 else ''}",
        None,
        None,
        statement.diagnostic_total,
        statement.days_total,
        statement.accompaniment_total,
        statement.total,
        *statement.share_totals,
    ]


def statement_pdf(statement) -> bytes:
    return render_pdf(
        "finance/statement_pdf.html",
        {
            "statement": statement,
            "header": PdfHeader(organisations=[statement.programme.landlord.name]),
            "rounding": ROUNDING_NOTE,
            "printed_on": timezone.localdate(),
        },
    )


def statement_xlsx(statement) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "État récapitulatif"
    sheet.append([f"État récapitulatif — {statement.programme.name}"])
    sheet.append([f"Période du {statement.start:%d/%m/%Y} au {statement.end:%d/%m/%Y}"])
    sheet.append([ROUNDING_NOTE])
    sheet.append([])
    sheet.append(_headers(statement))
    header_row = sheet.max_row
    for line in statement.lines:
        sheet.append(_row_values(line))
    sheet.append(_totals(statement))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    money_columns = {6, 8, 9, *range(10, 10 + len(statement.shares))}
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            if cell.column in money_columns:
                cell.number_format = EURO_FORMAT
            elif cell.column in (4, 5):
                cell.number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGHIJKL", [14, 10, 16, 11, 11, 14, 12, 16, 14, 16, 16, 16], strict=False):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _french(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    if hasattr(value, "quantize"):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def statement_csv(statement) -> bytes:
    """Semicolon-separated with decimal commas and a BOM: what a French spreadsheet opens as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_headers(statement))
    for line in statement.lines:
        writer.writerow([_french(value) for value in _row_values(line)])
    writer.writerow([_french(value) for value in _totals(statement)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
