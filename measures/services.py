"""Writes of the measures app: each in one transaction, validated before saving."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from households.enums import HouseholdStatus
from households.models import Household
from measures.enums import (
    TYPES_FOR_TRACK,
    DiagnosticConclusion,
    DocumentKind,
    MeasureStatus,
    Outcome,
    SignatureMethod,
)
from measures.models import (
    Contact,
    Contract,
    ContractVersion,
    Diagnostic,
    DiagnosticAmendment,
    Document,
    Evaluation,
    Measure,
    MeasureStatusChange,
    ReferentAssignment,
)


class StaleVersionError(Exception):
    """Someone else saved the same record since it was read: nothing was overwritten."""

    message = (
        "Ce document a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. "
        "Vos modifications n'ont pas été enregistrées : rechargez la page pour voir la nouvelle version, "
        "puis reportez vos changements."
    )


def save_versioned(instance, *, expected_version: int, fields: list[str]) -> None:
    """Save `fields` only if the row is still at `expected_version`, and bump the version."""
    instance.full_clean()
    updated = (
        type(instance)
        .objects.filter(pk=instance.pk, version=expected_version)
        .update(version=F("version") + 1, **{name: getattr(instance, name) for name in fields})
    )
    if updated != 1:
        raise StaleVersionError(StaleVersionError.message)
    instance.version = expected_version + 1


def _set_household_status(household: Household, status: str, **fields) -> None:
    household.status = status
    for name, value in fields.items():
        setattr(household, name, value)
    household.full_clean()
    household.save(update_fields=["status", "updated_at", *fields])


def _change_status(measure: Measure, to: str, *, on: date, by, reason: str = "") -> None:
    if not measure.can_move_to(to):
        raise ValidationError(
            f"Une mesure « {measure.get_status_display().lower()} » ne peut pas passer "
            f"à « {MeasureStatus(to).label.lower()} »."
        )
    last = measure.status_changes.order_by("-on", "-recorded_at").first()
    if last and on < last.on:
        raise ValidationError(f"La date doit suivre celle du dernier changement de statut ({last.on:%d/%m/%Y}).")
    MeasureStatusChange.objects.create(
        measure=measure, from_status=measure.status, to_status=to, on=on, by=by, reason=reason
    )
    measure.status = to


def default_measure_type(household: Household) -> str:
    return TYPES_FOR_TRACK[household.track][0]


@transaction.atomic
def diagnostic_start(*, household: Household, operator, social_worker, on: date, by) -> Diagnostic:
    """Open a measure at the diagnostic stage and its draft diagnostic; the household is now followed
    by `operator`."""
    household = Household.objects.select_for_update(no_key=True).get(pk=household.pk)
    # A committee orientation leaves a proposed measure: the diagnostic starts on it.
    measure = household.measures.filter(status=MeasureStatus.PROPOSED, operator=operator).first()
    if measure is None:
        if household.measures.open().exists():
            raise ValidationError(
                "Ce ménage a déjà une mesure en cours : poursuivez-la plutôt que d'en ouvrir une autre."
            )
        measure = Measure(household=household, measure_type=default_measure_type(household), operator=operator)
        measure.full_clean()
        measure.save()
    _change_status(measure, MeasureStatus.DIAGNOSTIC, on=on, by=by)
    measure.save(update_fields=["status"])
    diagnostic = Diagnostic(measure=measure, social_worker=social_worker, started_on=on)
    diagnostic.full_clean()
    diagnostic.save()
    _set_household_status(household, HouseholdStatus.IN_DIAGNOSTIC, operator=operator)
    return diagnostic


@transaction.atomic
def diagnostic_sign_household(*, diagnostic: Diagnostic, signed_on: date, method: str, scan=None, by) -> Diagnostic:
    diagnostic = Diagnostic.objects.select_for_update(no_key=True).get(pk=diagnostic.pk)
    if diagnostic.is_signed:
        raise ValidationError("Ce diagnostic est déjà signé : toute modification passe par un avenant.")
    if missing := diagnostic.missing_for_signature():
        raise ValidationError(f"Avant la signature, renseignez : {', '.join(missing)}.")
    if diagnostic.held_on and signed_on < diagnostic.held_on:
        raise ValidationError(f"La signature ne peut précéder l'entretien tripartite ({diagnostic.held_on:%d/%m/%Y}).")
    if method == SignatureMethod.PAPER:
        if scan is None:
            raise ValidationError("Pour une signature sur papier, joignez le scan du diagnostic signé.")
        document_add(
            household=diagnostic.measure.household,
            measure=diagnostic.measure,
            kind=DocumentKind.SIGNED_DIAGNOSTIC,
            title=f"Diagnostic signé le {signed_on:%d/%m/%Y}",
            file=scan,
            by=by,
        )
    diagnostic.household_signed_on = signed_on
    diagnostic.household_signature_method = method
    diagnostic.association_signed_by = by
    diagnostic.association_signed_on = signed_on
    save_versioned(
        diagnostic,
        expected_version=diagnostic.version,
        fields=["household_signed_on", "household_signature_method", "association_signed_by", "association_signed_on"],
    )
    return diagnostic


@transaction.atomic
def diagnostic_landlord_sign_off(*, diagnostic: Diagnostic, on: date, by) -> Diagnostic:
    diagnostic = Diagnostic.objects.select_for_update(no_key=True).get(pk=diagnostic.pk)
    if not diagnostic.is_signed:
        raise ValidationError("Le bailleur vise le diagnostic une fois signé par le ménage.")
    if diagnostic.landlord_signed_on:
        raise ValidationError(
            f"Le bailleur a déjà visé ce diagnostic ({diagnostic.landlord_signed_by}, "
            f"le {diagnostic.landlord_signed_on:%d/%m/%Y})."
        )
    diagnostic.landlord_signed_by = by.full_name
    diagnostic.landlord_signed_on = on
    save_versioned(
        diagnostic, expected_version=diagnostic.version, fields=["landlord_signed_by", "landlord_signed_on"]
    )
    return diagnostic


@transaction.atomic
def diagnostic_amend(*, diagnostic: Diagnostic, reason: str, text: str, by) -> DiagnosticAmendment:
    if not diagnostic.is_signed:
        raise ValidationError("Un diagnostic non signé se modifie directement ; l'avenant sert après signature.")
    amendment = DiagnosticAmendment(diagnostic=diagnostic, reason=reason, text=text, by=by)
    amendment.full_clean()
    amendment.save()
    return amendment


@transaction.atomic
def measure_open(
    *, measure: Measure, start_date: date, referent, intensity: str, planned_end: date | None, by
) -> Measure:
    """After a signed diagnostic concluding to a measure: the accompaniment starts with its referent."""
    measure = Measure.objects.select_for_update(no_key=True).get(pk=measure.pk)
    diagnostic = getattr(measure, "diagnostic", None)
    if diagnostic is None or not diagnostic.is_signed:
        raise ValidationError("La mesure s'ouvre après la signature du diagnostic par le ménage.")
    if diagnostic.conclusion != DiagnosticConclusion.MEASURE:
        raise ValidationError("Le diagnostic conclut qu'aucune mesure n'est nécessaire : clôturez plutôt la mesure.")
    if start_date < diagnostic.household_signed_on:
        raise ValidationError(
            f"L'accompagnement commence après la signature du diagnostic ({diagnostic.household_signed_on:%d/%m/%Y})."
        )
    _change_status(measure, MeasureStatus.ACTIVE, on=start_date, by=by)
    measure.start_date = start_date
    measure.intensity = intensity
    measure.planned_end = planned_end
    if diagnostic.proposed_type:
        measure.measure_type = diagnostic.proposed_type
    measure.full_clean()
    measure.save()
    _assign(measure, referent, start=start_date, reason="Référent désigné à l'ouverture de la mesure")
    Contract.objects.create(measure=measure)
    _set_household_status(measure.household, HouseholdStatus.ACCOMPANIED)
    return measure


def _assign(measure: Measure, referent, *, start: date, reason: str) -> ReferentAssignment:
    assignment = ReferentAssignment(measure=measure, referent=referent, start=start, reason=reason)
    assignment.full_clean(validate_constraints=False)  # the database enforces the single-referent rule
    assignment.save()
    return assignment


@transaction.atomic
def referent_change(*, measure: Measure, referent, on: date, reason: str, by) -> ReferentAssignment:
    current = (
        ReferentAssignment.objects.select_for_update(no_key=True).filter(measure=measure, end__isnull=True).first()
    )
    if current is None:
        raise ValidationError("Cette mesure n'a pas de référent en cours.")
    if current.referent_id == referent.pk:
        raise ValidationError(f"{referent} est déjà le référent de cette mesure.")
    # A change dated ahead would be shown at once as done (the current referent "until" that date).
    if on > timezone.localdate():
        raise ValidationError(
            {
                "on": "Un changement de référent s'enregistre une fois effectif : "
                "la date ne peut pas être dans le futur."
            }
        )
    if on <= current.start:
        raise ValidationError(
            {"on": f"Le changement doit suivre le début du référent actuel ({current.start:%d/%m/%Y})."}
        )
    if not reason.strip():
        raise ValidationError("Indiquez le motif du changement de référent.")
    current.end = on
    current.save(update_fields=["end"])
    return _assign(measure, referent, start=on, reason=reason)


@transaction.atomic
def measure_suspend(*, measure: Measure, on: date, reason: str, by) -> Measure:
    measure = Measure.objects.select_for_update(no_key=True).get(pk=measure.pk)
    if not reason.strip():
        raise ValidationError("Indiquez le motif de la suspension.")
    _change_status(measure, MeasureStatus.SUSPENDED, on=on, by=by, reason=reason)
    measure.save(update_fields=["status"])
    return measure


@transaction.atomic
def measure_resume(*, measure: Measure, on: date, by) -> Measure:
    measure = Measure.objects.select_for_update(no_key=True).get(pk=measure.pk)
    _change_status(measure, MeasureStatus.ACTIVE, on=on, by=by, reason="Reprise de l'accompagnement")
    measure.save(update_fields=["status"])
    return measure


@transaction.atomic
def measure_close(*, measure: Measure, outcome: str, on: date, by, reason: str = "") -> Measure:
    """Close with an outcome. An accompaniment closes after a final evaluation; a diagnostic that
    found no need closes with that outcome."""
    measure = Measure.objects.select_for_update(no_key=True).get(pk=measure.pk)
    if measure.status == MeasureStatus.DIAGNOSTIC:
        diagnostic = getattr(measure, "diagnostic", None)
        if (
            outcome != Outcome.NO_MEASURE_NEEDED
            or diagnostic is None
            or not diagnostic.is_signed
            or diagnostic.conclusion != DiagnosticConclusion.NO_MEASURE
        ):
            raise ValidationError(
                "Au stade du diagnostic, la mesure se clôt seulement quand le diagnostic signé conclut "
                "qu'aucune mesure n'est nécessaire."
            )
    elif not measure.evaluations.filter(kind="final").exists():
        raise ValidationError("Enregistrez d'abord l'évaluation finale : elle accompagne la clôture.")
    if measure.start_date and on < measure.start_date:
        raise ValidationError(f"La clôture doit suivre le début de l'accompagnement ({measure.start_date:%d/%m/%Y}).")
    latest_start = measure.assignments.filter(end__isnull=True).values_list("start", flat=True).first()
    if latest_start and on <= latest_start:
        raise ValidationError(
            f"La clôture doit suivre la prise de fonction du référent actuel ({latest_start:%d/%m/%Y})."
        )
    _change_status(measure, MeasureStatus.CLOSED, on=on, by=by, reason=reason)
    measure.outcome = outcome
    measure.closed_on = on
    measure.full_clean()
    measure.save(update_fields=["status", "outcome", "closed_on"])
    ReferentAssignment.objects.filter(measure=measure, end__isnull=True).update(end=on)
    _set_household_status(measure.household, HouseholdStatus.CLOSED)
    return measure


@transaction.atomic
def contact_log(*, contact: Contact, by) -> Contact:
    if contact.measure.status not in (MeasureStatus.DIAGNOSTIC, MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED):
        raise ValidationError("On ne note plus de contact sur une mesure close.")
    contact.by = by
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contract_sign(*, contract: Contract, household_signed_on: date, referent_signed_on: date, by) -> Contract:
    contract = Contract.objects.select_for_update(no_key=True).get(pk=contract.pk)
    if contract.is_signed:
        raise ValidationError("Ce contrat est déjà signé : faites un avenant pour le modifier.")
    if not contract.objectives.exists():
        raise ValidationError("Un contrat a au moins un objectif : ajoutez-en un avant la signature.")
    start = contract.measure.start_date
    for label, day in [("du ménage", household_signed_on), ("du référent", referent_signed_on)]:
        if start and day < start:
            raise ValidationError(f"La signature {label} ne peut précéder le début de la mesure ({start:%d/%m/%Y}).")
    contract.household_signed_on = household_signed_on
    contract.referent_signed_on = referent_signed_on
    save_versioned(contract, expected_version=contract.version, fields=["household_signed_on", "referent_signed_on"])
    return contract


@transaction.atomic
def contract_amend(*, contract: Contract, reason: str, by) -> Contract:
    """Freeze the signed content as a version, then reopen the contract for changes and signatures."""
    contract = Contract.objects.select_for_update(no_key=True).get(pk=contract.pk)
    if not contract.is_signed:
        raise ValidationError("Le contrat n'est pas encore signé : modifiez-le directement.")
    if not reason.strip():
        raise ValidationError("Indiquez le motif de l'avenant.")
    ContractVersion.objects.create(
        contract=contract, number=contract.amendment_number + 1, content=contract.snapshot(), reason=reason, by=by
    )
    contract.amendment_number += 1
    contract.household_signed_on = None
    contract.referent_signed_on = None
    save_versioned(
        contract,
        expected_version=contract.version,
        fields=["amendment_number", "household_signed_on", "referent_signed_on"],
    )
    return contract


@transaction.atomic
def evaluation_add(*, evaluation: Evaluation, by) -> Evaluation:
    measure = evaluation.measure
    if measure.status not in (MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED):
        raise ValidationError("On évalue une mesure en cours d'accompagnement.")
    if measure.start_date and evaluation.on < measure.start_date:
        raise ValidationError(
            {"on": f"L'évaluation suit le début de l'accompagnement ({measure.start_date:%d/%m/%Y})."}
        )
    evaluation.by = by
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def document_add(*, household, measure=None, kind: str, title: str, file, by, confidential: bool = True) -> Document:
    document = Document(
        household=household,
        measure=measure,
        kind=kind,
        title=title,
        file=file,
        uploaded_by=by,
        confidential=confidential,
    )
    document.full_clean()
    document.save()
    return document
