"""Factories of the households app. Defaults give a valid object; Traits give the usual variants.

References made here start with « F- » so that they never take a number that
`services.household_create` hands out (« M-YYYY-NNNN »).
"""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from households.enums import (
    AllocationDecision,
    Contingent,
    Financing,
    HouseholdStatus,
    HousingSituation,
    LeaseKind,
    OfferKind,
    ProcedureEventKind,
    Relation,
    ResourceSource,
    Track,
    Typology,
)
from households.models import (
    Allocation,
    ArrearsBalance,
    Dwelling,
    Household,
    Person,
    ProcedureEvent,
    Resource,
    Sector,
    SituationReport,
    SocialLoadThreshold,
    Tenancy,
)
from tests.accounts.factories import OrganisationFactory, UserFactory


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    landlord = factory.SubFactory(OrganisationFactory, landlord=True)
    name = factory.Sequence(lambda n: f"Secteur {n}")
    commune = "Lille"
    stock_size = 100

    class Params:
        small = factory.Trait(stock_size=10)


class DwellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dwelling

    landlord = factory.SubFactory(OrganisationFactory, landlord=True)
    sector = factory.SubFactory(SectorFactory, landlord=factory.SelfAttribute("..landlord"))
    reference = factory.Sequence(lambda n: f"LOG-{n:05d}")
    address = factory.Sequence(lambda n: f"{n} rue de Douai")
    postal_code = "59000"
    commune = "Lille"
    typology = Typology.T3
    financing = Financing.PLUS
    offer_kind = OfferKind.EXISTING
    rent = Decimal("420.00")
    charges = Decimal("85.00")
    contingent = Contingent.LANDLORD

    class Params:
        new_offer = factory.Trait(
            offer_kind=OfferKind.NEW, financing=Financing.PLAI, contingent=Contingent.PREFECTORAL
        )
        super_plai = factory.Trait(
            offer_kind=OfferKind.NEW, financing=Financing.SUPER_PLAI, contingent=Contingent.PREFECTORAL
        )


class HouseholdFactory(factory.django.DjangoModelFactory):
    """By default a *maintien* household proposed by its landlord. `acces=True` (or `by_association=True`)
    makes it an association's proposal; `with_operator=True` gives it an accompanying association."""

    class Meta:
        model = Household

    reference = factory.Sequence(lambda n: f"F-{n:05d}")
    landlord = factory.SubFactory(OrganisationFactory, landlord=True)
    track = Track.MAINTIEN
    status = HouseholdStatus.PROPOSED
    name = factory.Sequence(lambda n: f"Famille Menage{n:04d}")
    proposed_by = factory.SelfAttribute("landlord")
    proposed_on = factory.LazyFunction(lambda: days_ago(30))
    housing_situation = HousingSituation.LMH_TENANT

    class Params:
        maintien = factory.Trait(
            track=Track.MAINTIEN,
            proposed_by=factory.SelfAttribute("landlord"),
            housing_situation=HousingSituation.LMH_TENANT,
        )
        acces = factory.Trait(
            track=Track.ACCES,
            proposed_by=factory.SubFactory(OrganisationFactory),
            housing_situation=HousingSituation.CHRS,
        )
        by_landlord = factory.Trait(proposed_by=factory.SelfAttribute("landlord"))
        by_association = factory.Trait(proposed_by=factory.SubFactory(OrganisationFactory))
        with_operator = factory.Trait(
            operator=factory.SubFactory(OrganisationFactory), status=HouseholdStatus.ACCOMPANIED
        )
        accompanied = factory.Trait(status=HouseholdStatus.ACCOMPANIED)
        closed = factory.Trait(status=HouseholdStatus.CLOSED)
        in_arrears = factory.Trait(rent_arrears=True, arrears_amount=Decimal("1850.00"), arrears_months=5)
        syplo = factory.Trait(syplo_labelled=True, syplo_date=factory.LazyFunction(lambda: days_ago(200)))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    last_name = factory.Sequence(lambda n: f"Nom{n:04d}")
    first_names = "Marie"
    birth_date = date(1984, 5, 17)
    relation = Relation.HEAD

    class Params:
        spouse = factory.Trait(relation=Relation.SPOUSE, first_names="Karim", birth_date=date(1982, 11, 2))
        child = factory.Trait(relation=Relation.CHILD, first_names="Lina", birth_date=date(2016, 2, 29))


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    household = factory.SubFactory(HouseholdFactory)
    source = ResourceSource.RSA
    monthly_amount = Decimal("607.75")
    as_of = factory.LazyFunction(lambda: days_ago(10))


class TenancyFactory(factory.django.DjangoModelFactory):
    """A current direct lease in a dwelling of the household's landlord."""

    class Meta:
        model = Tenancy

    household = factory.SubFactory(HouseholdFactory)
    dwelling = factory.SubFactory(DwellingFactory, landlord=factory.SelfAttribute("..household.landlord"))
    start = date(2019, 9, 1)
    lease_kind = LeaseKind.DIRECT

    class Params:
        ended = factory.Trait(end=date(2024, 6, 30))
        sliding = factory.Trait(
            lease_kind=LeaseKind.SLIDING,
            main_lease_holder=factory.SubFactory(OrganisationFactory),
            sublet_start=factory.SelfAttribute("start"),
            planned_slide_on=factory.LazyAttribute(lambda o: o.start + timedelta(days=730)),
        )


class ArrearsBalanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArrearsBalance

    household = factory.SubFactory(HouseholdFactory)
    as_of = factory.LazyFunction(lambda: days_ago(5))
    amount = Decimal("1850.00")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    household = factory.SubFactory(HouseholdFactory, acces=True)
    dwelling = factory.SubFactory(
        DwellingFactory, new_offer=True, landlord=factory.SelfAttribute("..household.landlord")
    )
    contingent = Contingent.PREFECTORAL

    class Params:
        granted = factory.Trait(
            decision=AllocationDecision.GRANTED, cal_date=factory.LazyFunction(lambda: days_ago(7))
        )


class ProcedureEventFactory(factory.django.DjangoModelFactory):
    """Saved as is, without the legal-order check of `services.procedure_event_add`: tests that need
    the check go through the service or the view."""

    class Meta:
        model = ProcedureEvent

    household = factory.SubFactory(HouseholdFactory)
    kind = ProcedureEventKind.PAYMENT_ORDER
    occurred_on = factory.LazyFunction(lambda: days_ago(10))
    recorded_by = factory.SubFactory(UserFactory)

    class Params:
        ccapex_referral = factory.Trait(kind=ProcedureEventKind.CCAPEX_REFERRAL)
        payment_order = factory.Trait(kind=ProcedureEventKind.PAYMENT_ORDER, amount=Decimal("1850.00"))
        summons = factory.Trait(
            kind=ProcedureEventKind.SUMMONS,
            hearing_date=factory.LazyAttribute(lambda o: o.occurred_on + timedelta(days=70)),
        )
        judgment = factory.Trait(kind=ProcedureEventKind.JUDGMENT, lease_terminated=True, payment_delay_months=24)
        repayment_plan = factory.Trait(kind=ProcedureEventKind.REPAYMENT_PLAN, amount=Decimal("80.00"))
        closed = factory.Trait(kind=ProcedureEventKind.CLOSED)


class SituationReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SituationReport

    household = factory.SubFactory(HouseholdFactory)
    reported_by = factory.SubFactory(UserFactory)
    organisation = factory.SelfAttribute("household.landlord")
    reported_on = factory.LazyFunction(lambda: days_ago(3))
    rent_arrears = True
    arrears_amount = Decimal("1850.00")
    comment = "Relances amiables sans suite depuis trois mois."
    to_present = True

    class Params:
        poor_use_only = factory.Trait(rent_arrears=False, arrears_amount=None, poor_use=True)
        disturbances = factory.Trait(rent_arrears=False, arrears_amount=None, neighbour_disturbances=True)
        presented = factory.Trait(presented_on=factory.LazyFunction(lambda: days_ago(1)))


class SocialLoadThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialLoadThreshold

    rate = Decimal("5.00")
    valid_from = date(2020, 1, 1)


def people_data(household, rows) -> dict:
    """The household's people formset posted with `rows`, matched in order to its people."""
    people = list(household.people.all())
    data = {
        "people-TOTAL_FORMS": str(len(rows)),
        "people-INITIAL_FORMS": str(len(people)),
        "people-MIN_NUM_FORMS": "1",
        "people-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        if index < len(people):
            data[f"people-{index}-id"] = people[index].pk
        data.update({f"people-{index}-{key}": value for key, value in row.items()})
    return data
