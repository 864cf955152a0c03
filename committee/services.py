"""The committee secretary's work: sessions, agenda, decisions applied to measures, minutes."""

import hashlib
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from committee.enums import DecisionKind, ItemKind, SessionStatus
from committee.models import AgendaItem, Decision, Minutes, Session
from households.enums import HouseholdStatus
from households.models import Household, SituationReport
from households.procedure import add_months
from measures import services as measure_services
from measures.enums import Intensity, MeasureStatus
from measures.models import Measure


@transaction.atomic
def session_plan(*, programme, starts_at, place: str) -> Session:
    number = (Session.objects.filter(programme=programme).aggregate(n=Max("number"))["n"] or 0) + 1
    session = Session(programme=programme, number=number, starts_at=starts_at, place=place)
    session.full_clean()
    session.save()
    return session


def _check_open(session: Session):
    if session.is_frozen:
        raise ValidationError("Le procès-verbal de cette séance est validé : la séance ne se modifie plus.")


@transaction.atomic
def agenda_add(
    *, session: Session, kind: str, household: Household, presented_by, report=None, measure=None, summary: str = ""
) -> AgendaItem:
    _check_open(session)
    if AgendaItem.objects.filter(session=session, household=household, kind=kind).exists():
        raise ValidationError(f"{household.reference} est déjà à l'ordre du jour pour ce motif.")
    position = (session.items.aggregate(n=Max("position"))["n"] or 0) + 1
    item = AgendaItem(
        session=session,
        position=position,
        kind=kind,
        household=household,
        situation_report=report,
        measure=measure,
        presented_by=presented_by,
        summary=summary,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_move(*, item: AgendaItem, offset: int) -> None:
    """Swap the item with its neighbour above (-1) or below (+1)."""
    _check_open(item.session)
    items = list(item.session.items.select_for_update(no_key=True).order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            AgendaItem.objects.filter(pk=other.pk).update(position=position)


@transaction.atomic
def agenda_remove(*, item: AgendaItem) -> None:
    _check_open(item.session)
    if hasattr(item, "decision") and item.decision.applied_at:
        raise ValidationError("La décision de ce point est appliquée : le point ne peut plus être retiré.")
    item.delete()


@transaction.atomic
def decision_record(*, decision: Decision) -> Decision:
    _check_open(decision.item.session)
    if decision.pk and Decision.objects.filter(pk=decision.pk, applied_at__isnull=False).exists():
        raise ValidationError("Cette décision est déjà appliquée : elle ne se modifie plus.")
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def session_mark_held(*, session: Session) -> Session | None:
    """The session took place; the next one is proposed three months later (quarterly rhythm)."""
    _check_open(session)
    if session.status not in (SessionStatus.PLANNED, SessionStatus.CONVENED):
        raise ValidationError("Cette séance est déjà tenue.")
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise ValidationError(
            f"La séance n'a pas encore eu lieu (prévue le {timezone.localtime(session.starts_at):%d/%m/%Y})."
        )
    session.status = SessionStatus.HELD
    session.save(update_fields=["status"])
    later = Session.objects.filter(programme=session.programme, starts_at__gt=session.starts_at).exists()
    if later:
        return None
    local = timezone.localtime(session.starts_at)
    next_day = add_months(local.date(), 3)
    starts_at = local.replace(year=next_day.year, month=next_day.month, day=next_day.day)
    return session_plan(programme=session.programme, starts_at=starts_at, place=session.place)


@transaction.atomic
def session_apply_decisions(*, session: Session, by) -> list[Decision]:
    """Apply every decision of the session not yet applied, all or nothing. Each decision records
    what it did; an applied decision is never applied again."""
    session = Session.objects.select_for_update(no_key=True).get(pk=session.pk)
    _check_open(session)
    if session.status != SessionStatus.HELD:
        raise ValidationError("Les décisions s'appliquent une fois la séance tenue.")
    decisions = list(
        Decision.objects.select_for_update(no_key=True, of=("self",))
        .filter(item__session=session, applied_at__isnull=True)
        .select_related("item__household", "item__measure", "item__situation_report", "operator")
        .order_by("item__position")
    )
    on = timezone.localtime(session.starts_at).date()
    applied = []
    for decision in decisions:
        try:
            decision.result, decision.result_measure = _apply(decision, on=on, by=by)
        except ValidationError as error:
            raise ValidationError(
                f"Point {decision.item.position} ({decision.item.household.reference}) : {' '.join(error.messages)} "
                "Aucune décision n'a été appliquée."
            ) from error
        decision.applied_at = timezone.now()
        decision.applied_by = by
        decision.save(update_fields=["result", "result_measure", "applied_at", "applied_by"])
        report = decision.item.situation_report
        if report and not report.presented_on:
            SituationReport.objects.filter(pk=report.pk).update(presented_on=on)
        applied.append(decision)
    return applied


def _apply(decision: Decision, *, on, by) -> tuple[str, Measure | None]:
    item, household, measure = decision.item, decision.item.household, decision.item.measure
    kind = decision.kind
    if kind == DecisionKind.ORIENT:
        if household.measures.open().exists():
            raise ValidationError("le ménage a déjà une mesure en cours.")
        created = Measure(
            household=household,
            measure_type=decision.measure_type,
            operator=decision.operator,
            content=decision.content,
            intensity=decision.intensity or Intensity.STANDARD,
        )
        created.full_clean()
        created.save()
        household.operator = decision.operator
        household.full_clean()
        household.save(update_fields=["operator", "updated_at"])
        return f"Mesure proposée à {decision.operator} ({created.get_measure_type_display()}).", created
    if kind == DecisionKind.CALIBRATE:
        measure.measure_type = decision.measure_type
        measure.intensity = decision.intensity
        measure.content = decision.content or measure.content
        measure.planned_end = decision.planned_end or _end_from(measure, decision, on)
        measure.full_clean()
        measure.save()
        return "Mesure calibrée.", measure
    if kind == DecisionKind.EXTEND:
        new_end = decision.planned_end or add_months(measure.planned_end or on, decision.duration_months)
        if measure.planned_end and new_end <= measure.planned_end:
            raise ValidationError(
                f"la nouvelle fin doit suivre la fin prévue actuelle ({measure.planned_end:%d/%m/%Y})."
            )
        measure.planned_end = new_end
        measure.full_clean()
        measure.save(update_fields=["planned_end"])
        return f"Mesure prolongée jusqu'au {new_end:%d/%m/%Y}.", measure
    if kind == DecisionKind.ADJUST:
        measure.content = decision.content or measure.content
        measure.intensity = decision.intensity or measure.intensity
        measure.full_clean()
        measure.save(update_fields=["content", "intensity"])
        return "Mesure ajustée.", measure
    if kind == DecisionKind.CLOSE:
        closed = measure_services.measure_close(
            measure=measure, outcome=decision.outcome, on=on, by=by, reason="Décision du comité"
        )
        return f"Mesure close : {closed.get_outcome_display().lower()}.", closed
    if kind == DecisionKind.DEFER:
        following = (
            Session.objects.filter(programme=item.session.programme, starts_at__gt=item.session.starts_at)
            .order_by("starts_at")
            .first()
        )
        if following is None:
            raise ValidationError("aucune séance suivante n'est planifiée pour y reporter le point.")
        agenda_add(
            session=following,
            kind=item.kind,
            household=household,
            presented_by=item.presented_by,
            report=item.situation_report,
            measure=measure,
            summary=item.summary,
        )
        return f"Point reporté à la séance n° {following.number}.", None
    if kind == DecisionKind.NOT_RETAINED:
        if household.measures.open().exists():
            raise ValidationError("le ménage a une mesure en cours : clôturez-la plutôt.")
        household.status = HouseholdStatus.NOT_RETAINED
        household.full_clean()
        household.save(update_fields=["status", "updated_at"])
        return f"Situation non retenue : {decision.reason}.", None
    raise ValidationError("type de décision inconnu.")


def _end_from(measure, decision, on):
    if decision.duration_months:
        return add_months(measure.start_date or on, decision.duration_months)
    return measure.planned_end


@transaction.atomic
def session_convene(*, session: Session, by) -> int:
    """Mark the session convened and send the convocation once the transaction commits, so that a
    rolled-back request sends nothing. Returns how many attendees will receive it."""
    from committee import convocation

    _check_open(session)
    recipients = session.attendees.exclude(email="").count()
    if not recipients:
        raise ValidationError("Aucun participant n'a d'adresse e-mail : ajoutez les participants avant de convoquer.")
    session.convened_at = timezone.now()
    if session.status == SessionStatus.PLANNED:
        session.status = SessionStatus.CONVENED
    session.save(update_fields=["convened_at", "status"])
    transaction.on_commit(lambda: convocation.send(session))
    return recipients


@transaction.atomic
def minutes_validate(*, session: Session, by, correction_reason: str = "") -> Minutes:
    """Freeze the minutes: store the PDF bytes and their SHA-256. A correction makes a new version."""
    from committee.pdfs import minutes_pdf

    session = Session.objects.select_for_update(no_key=True).get(pk=session.pk)
    last = session.minutes.order_by("-version").first()
    if last is None:
        if session.status != SessionStatus.HELD:
            raise ValidationError("Le procès-verbal se valide une fois la séance tenue.")
        if (
            session.items.filter(decision__applied_at__isnull=True).exists()
            or session.items.filter(decision__isnull=True).exists()
        ):
            raise ValidationError(
                "Chaque point doit avoir une décision appliquée avant la validation du procès-verbal."
            )
    elif not correction_reason.strip():
        raise ValidationError("Le procès-verbal est déjà validé : une correction indique son motif.")
    version = (last.version + 1) if last else 1
    pdf = minutes_pdf(session, version=version, correction_reason=correction_reason)
    minutes = Minutes(
        session=session,
        version=version,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        validated_by=by,
        correction_reason=correction_reason,
    )
    minutes.full_clean()
    minutes.save()
    if session.status != SessionStatus.VALIDATED:
        session.status = SessionStatus.VALIDATED
        session.save(update_fields=["status"])
    return minutes


def pending_for(session: Session) -> dict[str, list]:
    """What could go on the agenda, from what is waiting in the files (one click per item)."""
    landlord = session.programme.landlord_id
    on_agenda = AgendaItem.objects.filter(session=session)
    reports = (
        SituationReport.objects.filter(organisation_id=landlord, to_present=True, presented_on__isnull=True)
        .exclude(pk__in=on_agenda.exclude(situation_report=None).values("situation_report"))
        .exclude(agenda_items__decision__applied_at__isnull=False)
        .select_related("household")
    )
    candidates = (
        Household.objects.filter(landlord_id=landlord, track="acces", status=HouseholdStatus.PROPOSED)
        .exclude(agenda_items__session=session)
        .exclude(agenda_items__decision__applied_at__isnull=False)
        .select_related("proposed_by")
    )
    measures = Measure.objects.filter(household__landlord_id=landlord).select_related("household", "operator")
    diagnostics = measures.filter(
        status=MeasureStatus.DIAGNOSTIC, diagnostic__household_signed_on__isnull=False
    ).exclude(agenda_items__kind=ItemKind.DIAGNOSTIC)
    horizon = timezone.localtime(session.starts_at).date() + timedelta(days=92)
    ending = (
        measures.filter(status__in=[MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED], planned_end__lte=horizon)
        .exclude(agenda_items__session=session)
        .order_by("planned_end", "household__reference")
    )
    return {
        "reports": list(reports),
        "candidates": list(candidates),
        "diagnostics": list(diagnostics),
        "ending": list(ending),
    }
