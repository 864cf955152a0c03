"""What the households app puts on each role's home page."""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts import perms as access
from accounts.dashboards import Section, register
from accounts.enums import Role
from households import perms
from households.models import Household, SituationReport, procedure_events_by_household

DEADLINE_HORIZON_DAYS = 30
DEADLINE_LOOKBACK_DAYS = 240
# A home page lists this many deadlines of each kind at most, and says how many more there are.
DEADLINES_SHOWN = 10


def upcoming_deadlines(households, *, today: date, horizon: int = DEADLINE_HORIZON_DAYS):
    """(household, deadline) pairs falling within `horizon` days (or already past), soonest first.
    Only households with procedure news in the last eight months are read."""
    # A deadline runs at most a few months after its stage, but the winter truce can push the end
    # of an order to vacate to 1 April, some eight months later.
    recent = today - timedelta(days=DEADLINE_LOOKBACK_DAYS)
    candidates = list(
        households.filter(Q(procedure_events__occurred_on__gte=recent) | Q(procedure_events__hearing_date__gte=today))
        .distinct()
        .prefetch_related("tenancies")
    )
    events = procedure_events_by_household(candidates)
    found = []
    for household in candidates:
        deadline = household.procedure_deadline(events.get(household.pk, []), today=today)
        if deadline and (deadline.effective - today).days <= horizon:
            found.append((household, deadline))
    return sorted(found, key=lambda pair: pair[1].effective)


def deadline_digest(households, *, today: date) -> dict:
    """What the home page shows of the deadlines: those to come, soonest first, and those passed
    with nothing recorded since, latest first (the oldest ones are likely files to update), each
    cut to DEADLINES_SHOWN with the full count."""
    found = upcoming_deadlines(households, today=today)
    coming = [pair for pair in found if pair[1].effective >= today]
    passed = [pair for pair in reversed(found) if pair[1].effective < today]
    return {
        "coming": coming[:DEADLINES_SHOWN],
        "coming_count": len(coming),
        "passed": passed[:DEADLINES_SHOWN],
        "passed_count": len(passed),
        "today": today,
        "horizon": DEADLINE_HORIZON_DAYS,
    }


@register(Role.TENANCY_STAFF)
def tenancy_staff_section(user):
    today = timezone.localdate()
    landlords = perms.report_landlords(user)
    reports = (
        SituationReport.objects.filter(reported_by=user).select_related("household").order_by("-reported_on")[:10]
    )
    to_present = SituationReport.objects.filter(
        organisation_id__in=landlords, to_present=True, presented_on__isnull=True
    ).select_related("household")
    households = Household.objects.visible_to(user).filter(landlord_id__in=landlords).open()
    return Section(
        role=Role.TENANCY_STAFF,
        title="Gestion locative — à faire",
        template="households/_home_tenancy_staff.html",
        context={
            "reports": reports,
            "to_present": to_present,
            "deadlines": deadline_digest(households, today=today),
        },
    )


def _partner_section(role, title):
    def build(user):
        today = timezone.localdate()
        households = Household.objects.visible_to(user).open()
        return Section(
            role=role,
            title=title,
            template="households/_home_partner.html",
            context={
                "households": households.select_related("proposed_by", "operator").order_by("-proposed_on")[:10],
                "count": households.count(),
                "deadlines": deadline_digest(households, today=today),
                "can_propose": bool(perms.proposing_organisations(user)),
            },
        )

    return build


register(Role.REFERENT)(_partner_section(Role.REFERENT, "Référent social — ménages de mon association"))
register(Role.COORDINATOR)(_partner_section(Role.COORDINATOR, "Responsable — ménages de mon organisation"))


@register(Role.SECRETARY)
def secretary_section(user):
    landlords = access.landlord_ids_for_case_files(user)
    to_present = SituationReport.objects.filter(
        organisation_id__in=landlords, to_present=True, presented_on__isnull=True
    ).select_related("household", "reported_by")
    return Section(
        role=Role.SECRETARY,
        title="Secrétariat du comité — situations à présenter",
        template="households/_home_secretary.html",
        context={"to_present": to_present},
    )
