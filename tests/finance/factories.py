"""Factories of the finance app. Defaults give the seed's programme (DOMAIN.md §4); Traits and helpers
give the usual variants.

    ProgrammeFactory()                    # LMH, 1 January last year to 31 December this year, 15 + 5
                                          # measures a year, with the seed's reference data
    ProgrammeFactory(reference=False)     # the same without any rate, norm or share
    accompanied_measure(date(2026, 1, 5), suspensions=[(date(2026, 3, 1), date(2026, 4, 1))])

The reference data is the seed's own (`finance.demo.seed_reference`): 110 € per diagnostic,
1 300 € per year of accompaniment, the default time norms, FNAVDL + CGLLS 50 % and LMH 50 %.

At the end, two readers shared by the tests of this folder: `html_tables` (a page's tables as cell
texts) and `pdf_text` (a PDF's text, read back with pypdf).
"""

import io
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import factory
from django.utils import timezone
from pypdf import PdfReader

from accounts.enums import OrganisationKind
from finance.demo import seed_reference
from finance.models import FundingShare, Programme, Rate, RateKind, TimeNormSetting
from measures.enums import MeasureStatus, Outcome
from measures.models import MeasureStatusChange
from tests.accounts.factories import OrganisationFactory
from tests.measures.factories import LMH, MeasureFactory

NBSP = "\u00a0"

FUNDERS = [
    {"name": "Fonds national d'accompagnement vers et dans le logement", "short_name": "FNAVDL"},
    {"name": "Caisse de garantie du logement locatif social", "short_name": "CGLLS"},
]


def this_year() -> int:
    return timezone.localdate().year


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """Two calendar years (last year and this one), so that today's measures fall inside it."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    landlord = factory.SubFactory(OrganisationFactory, **LMH)
    name = "LMH — 10 000 logements HLM accompagnés (appel 2014)"
    call_year = 2014
    start = factory.LazyFunction(lambda: date(this_year() - 1, 1, 1))
    end = factory.LazyAttribute(lambda o: date(o.start.year + 1, 12, 31))
    maintien_planned_per_year = 15
    acces_planned_per_year = 5
    committee_place = "Siège de LMH, 425 boulevard Gambetta, Tourcoing"

    class Params:
        three_years = factory.Trait(end=factory.LazyAttribute(lambda o: date(o.start.year + 2, 12, 31)))

    @factory.post_generation
    def reference(programme, create, extracted, **kwargs):
        """The seed's reference data, with the funders it names; `reference=False` leaves it out."""
        if not create or extracted is False:
            return
        for funder in FUNDERS:
            OrganisationFactory(kind=OrganisationKind.FUNDER, **funder)
        seed_reference(programme)


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    programme = factory.SubFactory(ProgrammeFactory, reference=False)
    kind = RateKind.ACCOMPANIMENT
    amount = Decimal("1300.00")
    valid_from = factory.SelfAttribute("programme.start")

    class Params:
        diagnostic = factory.Trait(kind=RateKind.DIAGNOSTIC, amount=Decimal("110.00"))


class TimeNormSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeNormSetting

    programme = factory.SubFactory(ProgrammeFactory, reference=False)
    valid_from = factory.SelfAttribute("programme.start")


class FundingShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingShare

    programme = factory.SubFactory(ProgrammeFactory, reference=False)
    label = factory.Sequence(lambda n: f"Financeur {n}")
    percent = Decimal("50.00")
    is_subsidy = True
    position = factory.Sequence(lambda n: n)
    valid_from = factory.SelfAttribute("programme.start")

    class Params:
        own_funds = factory.Trait(label="Fonds propres LMH", is_subsidy=False)


def change(measure, from_status, to_status, on):
    return MeasureStatusChange.objects.create(measure=measure, from_status=from_status, to_status=to_status, on=on)


def accompanied_measure(start, *, signed_on=None, suspensions=(), closed_on=None, **fields):
    """A measure of an LMH household followed by EOLE, opened on `start` after a diagnostic signed on
    `signed_on` (the day before by default), suspended over each [from, to) of `suspensions`, and
    closed on `closed_on` if given."""
    signed_on = signed_on or start - timedelta(days=1)
    closed = {"closed": True, "closed_on": closed_on, "outcome": Outcome.KEPT_IN_HOME} if closed_on else {}
    measure = MeasureFactory(
        active=True,
        start_date=start,
        planned_end=start + timedelta(days=365),
        diagnostic__held_on=signed_on,
        diagnostic__started_on=signed_on - timedelta(days=20),
        **closed | fields,
    )
    for suspended_on, resumed_on in suspensions:
        change(measure, MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED, suspended_on)
        if resumed_on:
            change(measure, MeasureStatus.SUSPENDED, MeasureStatus.ACTIVE, resumed_on)
    return measure


# Reading back what the pages and files show (shared by the tests of this folder)


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data.replace(NBSP, " "))


def html_tables(html: str) -> list[list[list[str]]]:
    """Every table of the page: its rows, each a list of cell texts (spaces, non-breaking ones included,
    folded to one)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def pdf_text(data: bytes) -> str:
    """The text of every page, non-breaking spaces kept (the euro amounts hold them)."""
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
