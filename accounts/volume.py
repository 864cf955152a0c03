"""Volume data for benchmarks: a second landlord, « Volume Habitat », with its own associations,
users, programme and N households carrying measures, contacts and committee sessions. Bulk
inserts only; the demo organisations and accounts are not touched.

For N = 10 000: about 20 000 measures, 300 000 contacts and 100 committee sessions.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pgtrigger
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts import demo
from accounts.enums import OrganisationKind, Role
from accounts.models import Membership, Organisation, User
from accounts.security import replace_backup_codes

LANDLORD = ("Volume Habitat", "VOL")
ASSOCIATIONS = [(f"Association volume {n}", f"VOL-A{n}") for n in range(1, 6)]
BATCH = 5000
REFERENTS_PER_ASSOCIATION = 10
PARIS = ZoneInfo("Europe/Paris")


def volume_users() -> dict[str, tuple[str, str, Role]]:
    """E-mail → (full name, organisation short name, role) of the benchmark accounts."""
    users = {
        "vol.gestion@volume.example": ("Valérie Gestion", "VOL", Role.TENANCY_STAFF),
        "vol.secretariat@volume.example": ("Victor Secrétariat", "VOL", Role.SECRETARY),
        "vol.pilotage@volume.example": ("Véronique Pilotage", "VOL", Role.STEERING),
        "vol.responsable@volume.example": ("Vincent Responsable", "VOL-A1", Role.COORDINATOR),
    }
    # Ten referents per association, households dealt round robin (for 10 000 households, 100 to 200
    # active measures each for most of them: a heavy caseload, to measure the pages at their worst).
    for n in range(1, REFERENTS_PER_ASSOCIATION * len(ASSOCIATIONS) + 1):
        association = f"VOL-A{(n - 1) % len(ASSOCIATIONS) + 1}"
        users[f"vol.referent{n}@volume.example"] = (f"Référent Volume {n}", association, Role.REFERENT)
    return users


@transaction.atomic
def seed_volume(*, households: int, today: date | None = None, seed: int = 2026) -> dict[str, int]:
    """Benchmark data is not audited: the history triggers are skipped while it is written (in this
    transaction only), which makes the bulk inserts several times faster."""
    with pgtrigger.ignore():
        return _seed_volume(households=households, today=today, seed=seed)


def _seed_volume(*, households: int, today: date | None, seed: int) -> dict[str, int]:
    from committee.enums import Attendance, DecisionKind, ItemKind, SessionStatus
    from committee.models import AgendaItem, Attendee, Decision, Session
    from finance import demo as finance_demo
    from finance.models import Programme
    from households.enums import (
        Contingent,
        Financing,
        HouseholdStatus,
        HousingSituation,
        ProcedureEventKind,
        Relation,
        Track,
        Typology,
    )
    from households.models import Dwelling, Household, Person, ProcedureEvent, Sector, Tenancy
    from measures.enums import ContactKind, MeasureStatus, MeasureType, Outcome
    from measures.models import Contact, Diagnostic, Measure, MeasureStatusChange, ReferentAssignment

    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311  (reproducible benchmark data, not security)
    landlord, _ = Organisation.objects.get_or_create(
        short_name=LANDLORD[1], defaults={"name": LANDLORD[0], "kind": OrganisationKind.LANDLORD}
    )
    if Household.objects.filter(landlord=landlord).exists():
        raise ValueError("Les données de volume existent déjà : videz la base (ou utilisez une base neuve).")
    associations = [
        Organisation.objects.get_or_create(
            short_name=short, defaults={"name": name, "kind": OrganisationKind.ASSOCIATION}
        )[0]
        for name, short in ASSOCIATIONS
    ]
    organisations = {o.short_name: o for o in [landlord, *associations]}
    users = {}
    password = make_password(demo.DEMO_PASSWORD)  # hashed once for all the accounts
    for email, (full_name, organisation, role) in volume_users().items():
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "password": password})
        Membership.objects.get_or_create(user=user, organisation=organisations[organisation], role=role)
        replace_backup_codes(user, list(demo.DEMO_BACKUP_CODES))
        users[email] = user
    referents: dict[int, list[User]] = {a.pk: [] for a in associations}
    for email, (_, short_name, role) in volume_users().items():
        if role == Role.REFERENT:
            referents[organisations[short_name].pk].append(users[email])
    staff = users["vol.gestion@volume.example"]

    start = today - timedelta(days=3 * 365)
    programme = Programme.objects.create(
        landlord=landlord,
        name="Volume Habitat — programme de charge",
        call_year=2024,
        start=start,
        end=today + timedelta(days=365),
        maintien_planned_per_year=2000,
        acces_planned_per_year=1000,
        committee_place="Salle du conseil, Volume Habitat",
    )
    finance_demo.seed_reference(programme)

    sectors = Sector.objects.bulk_create(
        [
            Sector(landlord=landlord, name=f"Secteur {n:02d}", commune="Lille", stock_size=rng.randint(400, 2000))
            for n in range(1, 21)
        ]
    )
    dwellings = Dwelling.objects.bulk_create(
        [
            Dwelling(
                landlord=landlord,
                reference=f"VOL-{n:06d}",
                address=f"{rng.randint(1, 200)} rue du Volume",
                postal_code="59000",
                commune="Lille",
                sector=sectors[n % len(sectors)],
                typology=rng.choice(Typology.values),
                financing=rng.choice(Financing.values),
                rent=Decimal(rng.randint(250, 600)),
                charges=Decimal(rng.randint(40, 150)),
                contingent=rng.choice(Contingent.values),
            )
            for n in range(households)
        ],
        batch_size=BATCH,
    )
    statuses = (
        [HouseholdStatus.ACCOMPANIED] * 6
        + [HouseholdStatus.CLOSED] * 2
        + [HouseholdStatus.IN_DIAGNOSTIC, HouseholdStatus.PROPOSED]
    )
    rows = []
    for n in range(households):
        association = associations[n % len(associations)]
        track = Track.MAINTIEN if n % 4 else Track.ACCES
        status = statuses[n % len(statuses)]
        rows.append(
            Household(
                reference=f"V-{n // 10000 + 2024}-{n % 10000:04d}",
                landlord=landlord,
                track=track,
                status=status,
                name=f"Famille Volume {n}",
                proposed_by=landlord if track == Track.MAINTIEN else association,
                proposed_on=start + timedelta(days=rng.randint(0, 900)),
                operator=None if status == HouseholdStatus.PROPOSED else association,
                rent_arrears=track == Track.MAINTIEN,
                arrears_amount=Decimal(rng.randint(300, 9000)) if track == Track.MAINTIEN else None,
                housing_situation=HousingSituation.LMH_TENANT if track == Track.MAINTIEN else HousingSituation.CHRS,
                dalo=n % 3 == 0,
                pdalhpd=n % 2 == 0,
            )
        )
    household_rows = Household.objects.bulk_create(rows, batch_size=BATCH)
    Person.objects.bulk_create(
        [
            Person(
                household=h,
                last_name=f"Volume{i}",
                first_names="Prénom",
                relation=Relation.HEAD if not k else Relation.CHILD,
                birth_date=date(1970 + i % 30, 1 + k, 1 + i % 27),
            )
            for i, h in enumerate(household_rows)
            for k in range(1 + i % 3)
        ],
        batch_size=BATCH,
    )
    Tenancy.objects.bulk_create(
        [
            Tenancy(household=h, dwelling=d, start=date(2015, 1, 1))
            for h, d in zip(household_rows, dwellings, strict=True)
        ],
        batch_size=BATCH,
    )
    events = []
    for h in household_rows:
        if h.track == Track.MAINTIEN:
            day = h.proposed_on
            events.append(
                ProcedureEvent(
                    household=h, kind=ProcedureEventKind.CCAPEX_REFERRAL, occurred_on=day, recorded_by=staff
                )
            )
            events.append(
                ProcedureEvent(
                    household=h,
                    kind=ProcedureEventKind.PAYMENT_ORDER,
                    occurred_on=day + timedelta(days=15),
                    recorded_by=staff,
                )
            )
    ProcedureEvent.objects.bulk_create(events, batch_size=BATCH)

    measures, plans = [], []
    for h in household_rows:
        first_start = h.proposed_on + timedelta(days=30)
        # Every household had an earlier, closed accompaniment (a proposed one is proposed again).
        operator_id = h.operator_id or associations[h.pk % len(associations)].pk
        measures.append(
            Measure(
                household=h,
                measure_type=MeasureType.MAINTIEN,
                operator_id=operator_id,
                status=MeasureStatus.CLOSED,
                start_date=first_start,
                planned_end=first_start + timedelta(days=200),
                outcome=Outcome.KEPT_IN_HOME,
                closed_on=first_start + timedelta(days=180),
            )
        )
        plans.append(("closed", first_start))
        if h.status == HouseholdStatus.PROPOSED:
            continue
        second_start = min(first_start + timedelta(days=220), today - timedelta(days=10))
        status = {
            HouseholdStatus.ACCOMPANIED: MeasureStatus.ACTIVE,
            HouseholdStatus.IN_DIAGNOSTIC: MeasureStatus.DIAGNOSTIC,
        }.get(h.status, MeasureStatus.CLOSED)
        closed = status == MeasureStatus.CLOSED
        measures.append(
            Measure(
                household=h,
                measure_type=MeasureType.AVDL,
                operator_id=h.operator_id,
                status=status,
                start_date=None if status == MeasureStatus.DIAGNOSTIC else second_start,
                planned_end=None if status == MeasureStatus.DIAGNOSTIC else second_start + timedelta(days=365),
                outcome=Outcome.REHOUSED if closed else "",
                closed_on=today - timedelta(days=5) if closed else None,
            )
        )
        plans.append((status, second_start))
    measures = Measure.objects.bulk_create(measures, batch_size=BATCH)

    changes, assignments, diagnostics, contacts = [], [], [], []
    dealt, followed_by = dict.fromkeys(referents, 0), {}
    for measure, (plan, started) in zip(measures, plans, strict=True):
        # Households dealt round robin within each association, a household keeping its referent
        # from one measure to the next (household ids follow a pattern that a modulo would turn
        # into a few overloaded referents and others with closed measures only).
        if measure.household_id not in followed_by:
            team = referents[measure.operator_id]
            followed_by[measure.household_id] = team[dealt[measure.operator_id] % len(team)]
            dealt[measure.operator_id] += 1
        referent = followed_by[measure.household_id]
        diag_day = started - timedelta(days=20)
        changes.append(
            MeasureStatusChange(
                measure=measure, from_status="", to_status=MeasureStatus.DIAGNOSTIC, on=diag_day, by=referent
            )
        )
        diagnostics.append(
            Diagnostic(
                measure=measure,
                social_worker=referent,
                started_on=diag_day,
                held_on=diag_day,
                household_minutes=150,
                admin_minutes=60,
                finding_housing="Constat de volume.",
                household_signed_on=None if plan == MeasureStatus.DIAGNOSTIC else diag_day + timedelta(days=3),
            )
        )
        if plan == MeasureStatus.DIAGNOSTIC:
            continue
        changes.append(
            MeasureStatusChange(
                measure=measure,
                from_status=MeasureStatus.DIAGNOSTIC,
                to_status=MeasureStatus.ACTIVE,
                on=started,
                by=referent,
            )
        )
        end = measure.closed_on
        if end:
            changes.append(
                MeasureStatusChange(
                    measure=measure,
                    from_status=MeasureStatus.ACTIVE,
                    to_status=MeasureStatus.CLOSED,
                    on=end,
                    by=referent,
                )
            )
        assignments.append(ReferentAssignment(measure=measure, referent=referent, start=started, end=end))
        day, stop = started + timedelta(days=3), end or today
        while day <= stop:
            contacts.append(
                Contact(
                    measure=measure,
                    on=day,
                    kind=ContactKind.HOME_VISIT,
                    duration_minutes=90,
                    with_household=True,
                    summary="Point d'étape.",
                    by=referent,
                )
            )
            day += timedelta(days=rng.randint(12, 20))
    MeasureStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    ReferentAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    Diagnostic.objects.bulk_create(diagnostics, batch_size=BATCH)
    for offset in range(0, len(contacts), BATCH):
        Contact.objects.bulk_create(contacts[offset : offset + BATCH], batch_size=BATCH)

    sessions = Session.objects.bulk_create(
        [
            Session(
                programme=programme,
                number=n + 1,
                place=programme.committee_place,
                starts_at=datetime.combine(start + timedelta(days=11 * n), time(14), tzinfo=PARIS),
                status=SessionStatus.VALIDATED if start + timedelta(days=11 * n) < today else SessionStatus.PLANNED,
            )
            for n in range(100)
        ]
    )
    Attendee.objects.bulk_create(
        [
            Attendee(session=s, organisation=o, name=f"Membre {o.short_name}", attendance=Attendance.PRESENT)
            for s in sessions
            for o in [landlord, *associations]
        ]
    )
    items = AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                session=sessions[i % 100],
                position=i // 100 + 1,
                kind=ItemKind.NEW_SITUATION,
                household=h,
                presented_by=landlord,
                summary="Impayés de loyer",
            )
            for i, h in enumerate(household_rows[: 40 * 100])
        ],
        batch_size=BATCH,
    )
    Decision.objects.bulk_create(
        [
            Decision(item=item, kind=DecisionKind.DEFER, applied_at=timezone.now(), result="Point reporté.")
            for item in items
        ],
        batch_size=BATCH,
    )
    # Fresh statistics, or the planner takes the new tables for empty ones (seconds instead of ms).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "households": len(household_rows),
        "measures": len(measures),
        "contacts": len(contacts),
        "sessions": len(sessions),
        "agenda_items": len(items),
    }
