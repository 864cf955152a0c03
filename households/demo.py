"""Demo households like the seed's: 30 *maintien* in existing LMH dwellings, with arrears and
procedures at various stages, and 10 *accès* households from shelters or the street, some on
sliding leases; spread across the associations so that the access rules show. Deterministic."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from households import services
from households.enums import (
    ConsentMethod,
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
from households.procedure import add_months

SECTORS = [
    ("Lille-Sud", "Lille", 620),
    ("Lille-Moulins", "Lille", 410),
    ("Hellemmes", "Lille", 240),
    ("Roubaix-Épeule", "Roubaix", 380),
    ("Tourcoing-Bourgogne", "Tourcoing", 520),
    ("Villeneuve-d'Ascq Pont-de-Bois", "Villeneuve-d'Ascq", 300),
    ("Loos Les Oliveaux", "Loos", 160),
    ("Wattrelos Beaulieu", "Wattrelos", 90),
]
POSTAL = {
    "Lille": "59000",
    "Roubaix": "59100",
    "Tourcoing": "59200",
    "Villeneuve-d'Ascq": "59650",
    "Loos": "59120",
    "Wattrelos": "59150",
}
STREETS = [
    "rue de Douai",
    "rue Saint-Sauveur",
    "avenue de la République",
    "rue du Long-Pot",
    "rue Pierre-Legrand",
    "boulevard de Metz",
    "rue de l'Alma",
    "rue de Lannoy",
    "allée des Tilleuls",
    "rue Jean-Jaurès",
]
SURNAMES = [
    "Durand",
    "Lemaire",
    "Dupont",
    "Benali",
    "Diallo",
    "Leroy",
    "Martin",
    "Kaci",
    "Lefebvre",
    "Mercier",
    "Petit",
    "Haddad",
    "Vasseur",
    "Delattre",
    "Traoré",
    "Carpentier",
    "Lambert",
    "Boulanger",
    "Roussel",
    "Nowak",
    "Fontaine",
    "Morel",
    "Bouchez",
    "Camara",
    "Dubrulle",
    "Wattel",
    "Ouali",
    "Deschamps",
    "Lecomte",
    "Gomes",
    "Dhainaut",
    "Mabille",
    "Ndiaye",
    "Vandenbussche",
    "Poulain",
    "Sahraoui",
    "Delmotte",
    "Cuvelier",
    "Ferreira",
    "Hennebelle",
]
ADULT_FIRST = [
    "Nadia",
    "Karim",
    "Sandrine",
    "Mickaël",
    "Fatou",
    "David",
    "Aurélie",
    "Mohamed",
    "Séverine",
    "Jordan",
    "Laetitia",
    "Samir",
    "Christelle",
    "Anthony",
    "Aïcha",
    "Grégory",
]
CHILD_FIRST = ["Lina", "Noah", "Inès", "Lucas", "Jade", "Adam", "Chloé", "Rayan", "Manon", "Yanis", "Léa", "Nolan"]
ASSOCIATIONS = [
    "EOLE",
    "AFEJI",
    "GRAAL",
    "Mission Locale",
    "Collectif SDF",
    "Sauvegarde du Nord",
    "Ensemble Autrement",
]


def seed(*, organisations, users, today: date | None = None) -> int:
    """Create the demo households once; returns how many were created (0 when already there)."""
    today = today or timezone.localdate()
    landlord = organisations["LMH"]
    if Household.objects.filter(landlord=landlord).exists():
        return 0
    rng = random.Random(2014)  # noqa: S311  (reproducible demo data, not security)
    SocialLoadThreshold.objects.get_or_create(valid_from=date(2014, 9, 1), defaults={"rate": Decimal("3.00")})
    sectors = [
        Sector.objects.get_or_create(landlord=landlord, name=n, defaults={"commune": c, "stock_size": s})[0]
        for n, c, s in SECTORS
    ]
    existing = [_dwelling(landlord, sectors[i % 6], i, OfferKind.EXISTING, rng) for i in range(30)]
    new = [_dwelling(landlord, sectors[6 + i % 2], 100 + i, OfferKind.NEW, rng) for i in range(10)]
    staff = users["c.lefebvre@lmh.example"]
    for index in range(30):
        _maintien(index, landlord, existing[index], organisations, staff, rng, today)
    for index in range(10):
        _acces(index, landlord, new[index], organisations, users, rng, today)
    for index in range(2):
        _past_retention(index, landlord, existing[index], staff, rng, today)
    return 42


def _past_retention(index, landlord, dwelling, staff, rng, today):
    """Two situations not retained more than two years ago: the retention command anonymises them."""
    surname = ["Bourgeois", "Vermeersch"][index]
    proposed_on = add_months(today, -28 - index)
    household = services.household_create(
        household=Household(
            landlord=landlord,
            track=Track.MAINTIEN,
            status=HouseholdStatus.NOT_RETAINED,
            name=f"Famille {surname}",
            proposed_by=landlord,
            proposed_on=proposed_on,
            neighbour_disturbances=True,
            housing_situation=HousingSituation.LMH_TENANT,
            phone="06 11 22 33 44",
        ),
        people=_people(rng, surname, today, children=1),
        by=staff,
    )
    SituationReport.objects.create(
        household=household,
        reported_by=staff,
        organisation=landlord,
        reported_on=proposed_on,
        neighbour_disturbances=True,
        comment="Plaintes de voisinage répétées ; situation apaisée depuis.",
        to_present=False,
    )


def _dwelling(landlord, sector, index, offer_kind, rng) -> Dwelling:
    financing = (
        (Financing.SUPER_PLAI if index - 100 < 4 else Financing.PLAI)
        if offer_kind == OfferKind.NEW
        else rng.choice([Financing.PLUS, Financing.PLUS, Financing.PLAI, Financing.PLS])
    )
    typology = rng.choice([Typology.T2, Typology.T3, Typology.T3, Typology.T4, Typology.T5])
    dwelling = Dwelling(
        landlord=landlord,
        reference=f"LMH-{sector.commune[:3].upper()}-{1000 + index}",
        address=f"{rng.randint(2, 180)} {rng.choice(STREETS)}",
        postal_code=POSTAL[sector.commune],
        commune=sector.commune,
        sector=sector,
        typology=typology,
        financing=financing,
        offer_kind=offer_kind,
        rent=Decimal(rng.randint(290, 520)) + Decimal("0.45"),
        charges=Decimal(rng.randint(60, 140)),
        contingent=Contingent.PREFECTORAL if offer_kind == OfferKind.NEW else rng.choice(list(Contingent)),
    )
    dwelling.full_clean()
    dwelling.save()
    return dwelling


def _people(rng, surname, today, *, children) -> list[Person]:
    head_birth = date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
    people = [
        Person(last_name=surname, first_names=rng.choice(ADULT_FIRST), birth_date=head_birth, relation=Relation.HEAD)
    ]
    if rng.random() < 0.45:
        spouse = rng.choice(ADULT_FIRST)
        if spouse == people[0].first_names:  # the next name instead (the same draws: the demo stays as it is)
            spouse = ADULT_FIRST[(ADULT_FIRST.index(spouse) + 1) % len(ADULT_FIRST)]
        people.append(
            Person(
                last_name=surname,
                first_names=spouse,
                birth_date=head_birth + timedelta(days=rng.randint(-900, 900)),
                relation=Relation.SPOUSE,
            )
        )
    for _ in range(children):
        birth = date(
            rng.randint(max(head_birth.year + 18, today.year - 17), today.year - 1),
            rng.randint(1, 12),
            rng.randint(1, 28),
        )
        people.append(
            Person(last_name=surname, first_names=rng.choice(CHILD_FIRST), birth_date=birth, relation=Relation.CHILD)
        )
    return people


def _resources(household, rng, today):
    sources = rng.sample(
        [ResourceSource.WAGES, ResourceSource.RSA, ResourceSource.CAF, ResourceSource.HOUSING_BENEFIT], 2
    )
    for source in sources:
        Resource.objects.create(
            household=household,
            source=source,
            monthly_amount=Decimal(rng.randint(180, 1400)),
            as_of=today - timedelta(days=rng.randint(10, 200)),
        )


# Procedure stages reached by the 30 maintien households: 0 = none, 1 = CCAPEX referral … 7 = police request.
MAINTIEN_STAGES = [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 5, 6, 6, 7, 1, 2, 3, 4, 0, 2, 3, 5, 6, 3]
MAINTIEN_STATUS = (
    [HouseholdStatus.PROPOSED] * 6
    + [HouseholdStatus.IN_DIAGNOSTIC] * 6
    + [HouseholdStatus.ACCOMPANIED] * 12
    + [HouseholdStatus.CLOSED] * 4
    + [HouseholdStatus.NOT_RETAINED] * 2
)


def _maintien(index, landlord, dwelling, organisations, staff, rng, today):
    surname = SURNAMES[index]
    status = MAINTIEN_STATUS[index]
    proposed_on = today - timedelta(days=rng.randint(30, 600))
    arrears = Decimal(rng.randint(4, 60) * 100) + Decimal("0.00")
    operator = None if status == HouseholdStatus.PROPOSED else organisations[ASSOCIATIONS[index % len(ASSOCIATIONS)]]
    household = services.household_create(
        household=Household(
            landlord=landlord,
            track=Track.MAINTIEN,
            status=status,
            name=f"Famille {surname}",
            proposed_by=landlord,
            proposed_on=proposed_on,
            operator=operator,
            dalo=rng.random() < 0.2,
            collective_agreements=rng.random() < 0.3,
            pdalhpd=rng.random() < 0.6,
            rent_arrears=index % 5 != 4,
            arrears_amount=arrears if index % 5 != 4 else None,
            arrears_months=rng.randint(3, 18) if index % 5 != 4 else None,
            poor_use=index % 4 == 0,
            neighbour_disturbances=index % 5 == 4 or index % 7 == 0,
            housing_situation=HousingSituation.LMH_TENANT,
            address=f"{dwelling.address}",
            postal_code=dwelling.postal_code,
            commune=dwelling.commune,
            phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            consent_on=proposed_on + timedelta(days=rng.randint(5, 25))
            if status != HouseholdStatus.PROPOSED
            else None,
            consent_method=ConsentMethod.SIGNED if status != HouseholdStatus.PROPOSED else "",
        ),
        people=_people(rng, surname, today, children=rng.randint(0, 4)),
        by=staff,
    )
    services.tenancy_start(
        tenancy=Tenancy(
            household=household, dwelling=dwelling, start=date(rng.randint(2008, 2022), rng.randint(1, 12), 1)
        )
    )
    _resources(household, rng, today)
    if household.arrears_amount is not None:
        for months_ago in (6, 3, 0):
            ArrearsBalance.objects.create(
                household=household,
                as_of=add_months(today, -months_ago).replace(day=1),
                amount=(household.arrears_amount * Decimal(10 - months_ago) / 10).quantize(Decimal("0.01")),
            )
    _procedure(household, MAINTIEN_STAGES[index], staff, rng, today)
    SituationReport.objects.create(
        household=household,
        reported_by=staff,
        organisation=landlord,
        reported_on=proposed_on,
        rent_arrears=household.rent_arrears,
        arrears_amount=household.arrears_amount,
        poor_use=household.poor_use,
        neighbour_disturbances=household.neighbour_disturbances,
        comment="Relances amiables sans suite depuis plusieurs mois. Visite à domicile le "
        f"{proposed_on - timedelta(days=12):%d/%m/%Y} : ménage présent, accord pour rencontrer une association.",
        to_present=status == HouseholdStatus.PROPOSED,
        presented_on=None if status == HouseholdStatus.PROPOSED else proposed_on + timedelta(days=40),
    )


def _procedure(household, stage, staff, rng, today):
    """Events up to `stage`, built backwards from today so that the latest stage is recent and every
    legal delay between stages is respected (the service checks them)."""
    if stage == 0:
        return
    gaps = [70, 65, 63, 28, 45, 65, 20]  # days between successive stages, above each legal delay
    start = today - timedelta(days=sum(gaps[: stage - 1]) + rng.randint(5, 40))
    kinds = [
        ProcedureEventKind.CCAPEX_REFERRAL,
        ProcedureEventKind.PAYMENT_ORDER,
        ProcedureEventKind.SUMMONS,
        ProcedureEventKind.HEARING,
        ProcedureEventKind.JUDGMENT,
        ProcedureEventKind.ORDER_TO_VACATE,
        ProcedureEventKind.POLICE_REQUEST,
    ]
    day = start
    for position, kind in enumerate(kinds[:stage]):
        if position:
            day += timedelta(days=gaps[position - 1])
        event = ProcedureEvent(household=household, kind=kind, occurred_on=day)
        if kind == ProcedureEventKind.SUMMONS:
            event.hearing_date = day + timedelta(days=gaps[2])
        if kind == ProcedureEventKind.PAYMENT_ORDER:
            event.amount = household.arrears_amount
        if kind == ProcedureEventKind.JUDGMENT:
            event.lease_terminated = True
            event.payment_delay_months = 24
        services.procedure_event_add(event=event, by=staff)
    if stage == 5 and household.pk % 2:
        services.procedure_event_add(
            event=ProcedureEvent(
                household=household,
                kind=ProcedureEventKind.REPAYMENT_PLAN,
                occurred_on=day + timedelta(days=10),
                amount=Decimal("80.00"),
                note="Plan d'apurement de 80 € par mois signé avec le service contentieux.",
            ),
            by=staff,
        )


ACCES_SITUATIONS = (
    [HousingSituation.CHRS] * 5
    + [HousingSituation.STREET] * 2
    + [HousingSituation.HOSTED] * 2
    + [HousingSituation.HOTEL]
)


def _acces(index, landlord, dwelling, organisations, users, rng, today):
    surname = SURNAMES[30 + index]
    association = organisations[ASSOCIATIONS[index % 3]]  # EOLE, AFEJI, GRAAL
    proposer = users["a.martin@eole.example"] if association.short_name == "EOLE" else None
    if association.short_name == "AFEJI":
        proposer = users["k.benali@afeji.example"]
    status = [HouseholdStatus.ACCOMPANIED] * 6 + [HouseholdStatus.IN_DIAGNOSTIC] * 2 + [HouseholdStatus.PROPOSED] * 2
    status = status[index]
    proposed_on = today - timedelta(days=rng.randint(40, 560))
    household = services.household_create(
        household=Household(
            landlord=landlord,
            track=Track.ACCES,
            status=status,
            name=f"Famille {surname}",
            proposed_by=association,
            proposed_on=proposed_on,
            operator=association if status != HouseholdStatus.PROPOSED else None,
            dalo=index % 2 == 0,
            pdalhpd=True,
            syplo_labelled=index % 3 == 0,
            syplo_date=proposed_on - timedelta(days=60) if index % 3 == 0 else None,
            housing_situation=ACCES_SITUATIONS[index],
            housing_situation_detail="CHRS Les Glycines, Lille"
            if ACCES_SITUATIONS[index] == HousingSituation.CHRS
            else "",
            phone=f"07 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            consent_on=proposed_on,
            consent_method=ConsentMethod.IN_PERSON,
        ),
        people=_people(rng, surname, today, children=rng.randint(1, 3)),
        by=proposer,
    )
    _resources(household, rng, today)
    if status == HouseholdStatus.ACCOMPANIED:
        sliding = index % 2 == 1
        start = proposed_on + timedelta(days=rng.randint(60, 120))
        if start > today:
            start = today - timedelta(days=7)
        services.tenancy_start(
            tenancy=Tenancy(
                household=household,
                dwelling=dwelling,
                start=start,
                lease_kind=LeaseKind.SLIDING if sliding else LeaseKind.DIRECT,
                main_lease_holder=association if sliding else None,
                sublet_start=start if sliding else None,
                planned_slide_on=add_months(start, 24) if sliding else None,
            )
        )
