"""The demo programme and its reference data, as in the seed's plan de financement (DOMAIN.md §4)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation
from finance.models import FundingShare, Programme, Rate, RateKind, TimeNormSetting
from households.procedure import add_months


def seed(*, today=None) -> Programme:
    today = today or timezone.localdate()
    landlord = Organisation.objects.get(short_name="LMH")
    existing = Programme.objects.filter(landlord=landlord).first()
    if existing:
        return existing
    start = add_months(today.replace(day=1), -24)
    programme = Programme.objects.create(
        landlord=landlord,
        name="LMH — 10 000 logements HLM accompagnés (appel 2014)",
        call_year=2014,
        start=start,
        end=add_months(start, 24) - timedelta(days=1),
        maintien_planned_per_year=15,
        acces_planned_per_year=5,
        committee_place="Siège de LMH, 425 boulevard Gambetta, Tourcoing",
    )
    seed_reference(programme)
    return programme


def seed_reference(programme: Programme) -> None:
    """110 € per diagnostic, 1 300 € per year of accompaniment, the time norms, and the 50/50 split."""
    Rate.objects.create(
        programme=programme, kind=RateKind.DIAGNOSTIC, amount=Decimal("110.00"), valid_from=programme.start
    )
    Rate.objects.create(
        programme=programme, kind=RateKind.ACCOMPANIMENT, amount=Decimal("1300.00"), valid_from=programme.start
    )
    TimeNormSetting.objects.create(programme=programme, valid_from=programme.start)
    subsidy = FundingShare.objects.create(
        programme=programme,
        label="FNAVDL + CGLLS",
        percent=Decimal("50.00"),
        is_subsidy=True,
        position=1,
        valid_from=programme.start,
    )
    subsidy.funders.set(Organisation.objects.filter(short_name__in=["FNAVDL", "CGLLS"]))
    own = FundingShare.objects.create(
        programme=programme,
        label="Fonds propres LMH",
        percent=Decimal("50.00"),
        is_subsidy=False,
        position=2,
        valid_from=programme.start,
    )
    own.funders.set(Organisation.objects.filter(short_name="LMH"))
