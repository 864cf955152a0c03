"""Referent's and coordinator's home sections: what is due now; tenancy staff's next exchange with
the social workers."""

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from accounts import perms
from accounts.dashboards import Section, register
from accounts.enums import Role
from households import perms as household_perms
from measures.enums import MeasureStatus
from measures.models import Contact, LiaisonMeeting, Measure, ReferentAssignment
from measures.norms import DEFAULT_NORM
from measures.timekeeping import time_summary

ENDING_SOON_DAYS = 45
ROWS_SHOWN = 25


def _measures(queryset):
    return list(
        queryset.open()
        .with_time()
        .select_related("household", "operator", "diagnostic", "contract")
        .prefetch_related(
            Prefetch("assignments", queryset=ReferentAssignment.objects.select_related("referent")),
            "status_changes",
        )
    )


def _ending(measures, today):
    """Measures whose planned end is passed or within ENDING_SOON_DAYS, the earliest first."""
    horizon = today + timedelta(days=ENDING_SOON_DAYS)
    return sorted((m for m in measures if m.planned_end and m.planned_end <= horizon), key=lambda m: m.planned_end)


def _to_sign(measures):
    items = []
    for measure in measures:
        diagnostic = getattr(measure, "diagnostic", None)
        if diagnostic and not diagnostic.is_signed:
            items.append((measure, "Diagnostic à faire signer"))
        contract = getattr(measure, "contract", None)
        if contract and not contract.is_signed and measure.status == MeasureStatus.ACTIVE:
            items.append((measure, "Contrat à faire signer"))
    return items


@register(Role.REFERENT, priority=10)
def referent_section(user):
    today = timezone.localdate()
    mine = _measures(
        (
            Measure.objects.filter(assignments__referent=user, assignments__end__isnull=True)
            | Measure.objects.filter(status=MeasureStatus.DIAGNOSTIC, diagnostic__social_worker=user)
        ).distinct()
    )
    rows = [(m, time_summary(m, today=today)) for m in mine]
    month_start = today.replace(day=1)
    month_minutes = sum(
        Contact.objects.filter(by=user, on__gte=month_start).values_list("duration_minutes", flat=True)
    )
    active = [m for m in mine if m.status == MeasureStatus.ACTIVE]
    norm_month = len(active) * sum(DEFAULT_NORM.accompaniment_minutes(30))
    return Section(
        role=Role.REFERENT,
        title="Mes mesures — à faire",
        template="measures/_home_referent.html",
        context={
            # Alerts first; a long caseload shows its first rows, the list page has them all.
            "rows": sorted(rows, key=lambda r: (not r[1].overdue, r[0].household.reference))[:ROWS_SHOWN],
            "total": len(rows),
            "overdue": [r for r in rows if r[1].overdue][:ROWS_SHOWN],
            "overdue_count": sum(1 for r in rows if r[1].overdue),
            "to_sign": _to_sign(mine)[:ROWS_SHOWN],
            "ending": (ending := _ending(mine, today))[:ROWS_SHOWN],
            "ending_count": len(ending),
            "month_minutes": month_minutes,
            "month_norm": norm_month,
            "today": today,
        },
    )


@register(Role.COORDINATOR, priority=10)
def coordinator_section(user):
    today = timezone.localdate()
    organisations = perms.social_work_organisation_ids(user)
    measures = _measures(Measure.objects.filter(operator_id__in=organisations))
    by_referent: dict = {}
    for measure in measures:
        summary = time_summary(measure, today=today)
        key = measure.referent or "Sans référent (diagnostic)"
        load = by_referent.setdefault(key, {"count": 0, "logged": 0, "expected": 0, "overdue": 0})
        load["count"] += 1
        load["logged"] += summary.logged_minutes
        load["expected"] += summary.expected_minutes
        load["overdue"] += summary.overdue
        measure.summary = summary
    return Section(
        role=Role.COORDINATOR,
        title="Responsable — activité de l'association",
        template="measures/_home_coordinator.html",
        context={
            "caseload": sorted(by_referent.items(), key=lambda item: str(item[0])),
            "without_contact": (without_contact := [m for m in measures if m.summary.overdue])[:ROWS_SHOWN],
            "without_contact_count": len(without_contact),
            "ending": (ending := _ending(measures, today))[:ROWS_SHOWN],
            "ending_count": len(ending),
            "horizon": ENDING_SOON_DAYS,
        },
    )


@register(Role.TENANCY_STAFF, priority=60)
def tenancy_staff_liaison(user):
    latest = LiaisonMeeting.objects.visible_to(user).first()
    next_on, overdue = LiaisonMeeting.next_after(latest, timezone.localdate())
    return Section(
        role=Role.TENANCY_STAFF,
        title="Gestion locative — échanges avec les travailleurs sociaux",
        template="measures/_home_liaison.html",
        context={
            "latest": latest,
            "next_on": next_on,
            "overdue": overdue,
            "can_create": bool(household_perms.report_landlords(user)),
        },
    )
