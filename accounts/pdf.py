"""Printing: one helper turns a template into PDF bytes, for every app that prints.

Templates extend `pdf/base_pdf.html` (A4, running header with the programme and the organisations,
footer « Page N sur M »). They receive a `header` (`PdfHeader`) beside their own document, and may
print signature blocks with its `signatures` partial.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PROGRAMME_NAME = "Programme « 10 000 logements HLM accompagnés »"


@dataclass(frozen=True)
class PdfHeader:
    """What the running header of every page shows."""

    organisations: list[str] = field(default_factory=list)
    programme: str = PROGRAMME_NAME


@dataclass(frozen=True)
class SignatureBlock:
    """One place to sign: filled in (date, how) once signed, empty lines to sign on paper otherwise."""

    label: str
    signer: str = ""
    signed_on: date | None = None
    detail: str = ""

    @property
    def is_signed(self) -> bool:
        return self.signed_on is not None


def local_url_fetcher() -> URLFetcher:
    # Case files are printed from the server: nothing may be fetched over the network, nor read
    # from the disk by a crafted URL in user text. Only inline data: URIs (logos, charts) resolve.
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a Django template to PDF bytes with WeasyPrint."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_url_fetcher()).write_pdf()


def file_response(content: bytes, filename: str, *, content_type: str = "application/pdf", inline: bool = True):
    """Bytes as a download (or shown inline, for PDFs). Never cached: they hold case data."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
