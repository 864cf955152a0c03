"""Helpers shared by the matrix and fuzz tests: a snapshot of every table's row count (to prove that a
refused request wrote nothing), and readers of what the application hands out (PDF, XLSX, ZIP)."""

import io
import zipfile
from functools import cache

from django.apps import apps
from django.db import connection
from openpyxl import load_workbook
from psycopg2 import sql
from pypdf import PdfReader
from pypdf.errors import PdfReadError

# The project's own apps: their models, the audit trail's event tables and the many-to-many tables.
PROJECT_APPS = ("accounts", "households", "measures", "committee", "finance")
DENIED = (403, 404)


def project_models():
    return [
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    """`Model.objects.count()` for every model of the project's apps, read in one query. The audit
    trail's event tables are among them: an update of an audited row adds an event, so an unchanged
    snapshot also means that no audited row was changed."""
    labels, query = _count_query()
    with connection.cursor() as cursor:
        cursor.execute(query)
        counts = cursor.fetchone()
    return dict(zip(labels, counts, strict=True))


@cache
def _count_query() -> tuple[list[str], str]:
    models = project_models()
    count = sql.SQL("(SELECT COUNT(*) FROM {})")
    query = sql.SQL("SELECT {}").format(
        sql.SQL(", ").join(count.format(sql.Identifier(model._meta.db_table)) for model in models)
    )
    with connection.cursor() as cursor:
        return [model._meta.label for model in models], query.as_string(cursor.connection)


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {label: (before[label], after[label]) for label in before if before[label] != after[label]}


def body(response) -> bytes:
    if response.streaming:
        content = b"".join(response.streaming_content)
        response.close()
        return content
    return response.content


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-"), "not a PDF"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        " | ".join("" if value is None else str(value) for value in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def zip_texts(data: bytes) -> dict[str, str]:
    """Every entry of the archive as text: PDFs read back with pypdf, the rest (and uploaded files that
    are not readable PDFs) decoded as UTF-8."""
    texts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            content = archive.read(name)
            try:
                texts[name] = pdf_text(content) if name.endswith(".pdf") else content.decode("utf-8", "replace")
            except PdfReadError:
                texts[name] = content.decode("utf-8", "replace")
    return texts
