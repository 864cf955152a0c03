"""Writes that touch several models. Each runs in one transaction and validates before saving."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from households import procedure
from households.enums import HousingSituation, Track
from households.models import (
    Household,
    Person,
    ProcedureEvent,
    SituationReport,
    Tenancy,
)


def _next_reference(year: int) -> str:
    # Serialise reference numbering per year: two reports saved at once must not get the same number.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('household_reference'), %s)", [year])
    prefix = f"M-{year}-"
    last = (
        Household.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def household_create(*, household: Household, people: list[Person] = (), by) -> Household:
    """Save a new household (fields already set) with its people, giving it its reference."""
    household.proposed_by_user = by
    household.reference = _next_reference((household.proposed_on or timezone.localdate()).year)
    household.full_clean()
    household.save()
    for person in people:
        person.household = household
        person.full_clean()
        person.save()
    return household


@transaction.atomic
def situation_report_create(
    *,
    report: SituationReport,
    household: Household,
    by,
    people: list[Person] = (),
    tenancy: Tenancy | None = None,
    procedure_event: ProcedureEvent | None = None,
) -> SituationReport:
    """Log a situation for an existing tenant, or for a new tenant (household, people and tenancy
    created on the way), with the procedure step it reports, if any."""
    # A user may work for several landlords: the report, its household and its dwelling must agree.
    if household.landlord_id != report.organisation_id:
        raise ValidationError(
            "Ce ménage relève d'un autre bailleur que celui du signalement : vérifiez le bailleur choisi."
        )
    if tenancy is not None and tenancy.dwelling.landlord_id != report.organisation_id:
        raise ValidationError("Ce logement appartient à un autre bailleur que celui du signalement.")
    if household.pk is None:
        household.track = Track.MAINTIEN
        household.housing_situation = household.housing_situation or HousingSituation.LMH_TENANT
        household_create(household=household, people=people, by=by)
        if tenancy is not None:
            tenancy.household = household
            tenancy_start(tenancy=tenancy)
    report.household = household
    report.reported_by = by
    report.full_clean()
    report.save()
    # The household's difficulties follow the latest report.
    changed = []
    for name in ["rent_arrears", "poor_use", "neighbour_disturbances"]:
        if getattr(report, name) and not getattr(report.household, name):
            setattr(report.household, name, True)
            changed.append(name)
    if report.arrears_amount is not None and report.household.arrears_amount != report.arrears_amount:
        report.household.arrears_amount = report.arrears_amount
        changed.append("arrears_amount")
    if changed:
        report.household.full_clean()
        report.household.save(update_fields=[*changed, "updated_at"])
    if procedure_event is not None:
        procedure_event.household = report.household
        procedure_event_add(event=procedure_event, by=by)
    return report


@transaction.atomic
def procedure_event_add(*, event: ProcedureEvent, by) -> ProcedureEvent:
    """Record an eviction-procedure event if it fits the legal order of those already recorded."""
    # Lock the household so that two events recorded at once are checked against each other.
    household = Household.objects.select_for_update(no_key=True).get(pk=event.household_id)
    existing = ProcedureEvent.objects.filter(household_id=event.household_id).exclude(pk=event.pk)
    errors = procedure.order_errors(existing, event, lease_signed_on=household.lease_start())
    if errors:
        # Every order rule places this event's date among the others: the form shows them by the date.
        raise ValidationError({"occurred_on": errors})
    event.recorded_by = by
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def tenancy_start(*, tenancy: Tenancy) -> Tenancy:
    current = Tenancy.objects.select_for_update(no_key=True).filter(
        household_id=tenancy.household_id, end__isnull=True
    )
    if tenancy.end is None and current.exclude(pk=tenancy.pk).exists():
        raise ValidationError(
            "Ce ménage a déjà une occupation en cours : indiquez d'abord sa date de sortie, puis ajoutez la nouvelle."
        )
    tenancy.full_clean()
    tenancy.save()
    return tenancy
