"""Figures for funders and steering, from the reference data and the measures (reads only)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from accounts.templatetags.french import duration
from finance.costs import (
    Change,
    CostLine,
    MeasureFacts,
    RateSchedule,
    RateSpan,
    Share,
    cost_line,
    forecast_amount,
    round_cents,
)
from finance.models import FundingShare, Programme, Rate, RateKind, TimeNormSetting
from households.enums import Track
from measures.models import Contact, Measure, MeasureStatusChange
from measures.norms import DEFAULT_NORM, TimeNorm


@dataclass(frozen=True)
class Reference:
    diagnostic_rates: RateSchedule
    accompaniment_rates: RateSchedule
    shares: list[Share]
    norm: TimeNorm


def reference(programme: Programme, *, on: date) -> Reference:
    rates = list(Rate.objects.filter(programme=programme).order_by("valid_from"))

    def schedule(kind):
        return RateSchedule(tuple(RateSpan(r.valid_from, r.valid_to, r.amount) for r in rates if r.kind == kind))

    shares = [
        Share(share.label, share.percent, share.is_subsidy)
        for share in FundingShare.objects.filter(programme=programme).valid_on(on).order_by("position", "pk")
    ]
    norm_row = TimeNormSetting.objects.filter(programme=programme).valid_on(on).order_by("-valid_from").first()
    return Reference(
        diagnostic_rates=schedule(RateKind.DIAGNOSTIC),
        accompaniment_rates=schedule(RateKind.ACCOMPANIMENT),
        shares=shares,
        norm=norm_row.as_norm() if norm_row else DEFAULT_NORM,
    )


def programme_measures(programme: Programme) -> list[MeasureFacts]:
    """The programme's measures as plain facts: two queries, whatever their number."""
    changes: dict[int, list[Change]] = defaultdict(list)
    for measure_id, to_status, on in (
        MeasureStatusChange.objects.filter(measure__household__landlord=programme.landlord)
        .order_by("measure_id", "on", "recorded_at")
        .values_list("measure_id", "to_status", "on")
    ):
        changes[measure_id].append(Change(to_status, on))
    rows = (
        Measure.objects.filter(household__landlord=programme.landlord)
        .order_by("household__reference", "pk")
        .values(
            "pk",
            "household__reference",
            "household__track",
            "operator__short_name",
            "status",
            "start_date",
            "planned_end",
            "closed_on",
            "diagnostic__household_signed_on",
            "diagnostic__household_minutes",
            "diagnostic__admin_minutes",
            "diagnostic__pk",
        )
    )
    return [
        MeasureFacts(
            pk=row["pk"],
            reference=row["household__reference"],
            track=Track(row["household__track"]).label,
            association=row["operator__short_name"],
            status=row["status"],
            start_date=row["start_date"],
            planned_end=row["planned_end"],
            closed_on=row["closed_on"],
            diagnostic_signed_on=row["diagnostic__household_signed_on"],
            diagnostic_minutes=(row["diagnostic__household_minutes"] or 0) + (row["diagnostic__admin_minutes"] or 0),
            changes=tuple(changes[row["pk"]]),
            has_diagnostic=row["diagnostic__pk"] is not None,
        )
        for row in rows
    ]


@dataclass
class Statement:
    programme: Programme
    start: date
    end: date  # inclusive, as printed
    lines: list[CostLine]
    shares: list[Share]
    stopped_on: date

    @property
    def shares_complete(self) -> bool:
        """The shares valid for the period must cover the whole cost."""
        return sum((share.percent for share in self.shares), Decimal(0)) == 100

    @property
    def diagnostic_total(self) -> Decimal:
        return sum((line.diagnostic for line in self.lines), Decimal("0.00"))

    @property
    def accompaniment_total(self) -> Decimal:
        return sum((line.accompaniment for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))

    @property
    def subsidy_total(self) -> Decimal:
        return sum((line.subsidy for line in self.lines), Decimal("0.00"))

    @property
    def share_totals(self) -> list[Decimal]:
        return [sum((line.shares[i] for line in self.lines), Decimal("0.00")) for i in range(len(self.shares))]

    @property
    def days_total(self) -> int:
        return sum(line.days for line in self.lines)


def statement(
    programme: Programme, *, start: date, end: date, today: date | None = None, measures: list | None = None
) -> Statement:
    """One line per measure with a cost in [start, end] (both inclusive). Days not yet worked are
    not charged: a period reaching into the future stops at `today`."""
    today = today or timezone.localdate()
    ref = reference(programme, on=start)
    stop = min(end, today) + timedelta(days=1)
    lines = []
    for measure in measures if measures is not None else programme_measures(programme):
        line = cost_line(
            measure,
            start=start,
            end=stop,
            diagnostic_rates=ref.diagnostic_rates,
            accompaniment_rates=ref.accompaniment_rates,
            shares=ref.shares,
        )
        if line.total or line.days:
            lines.append(line)
    return Statement(
        programme=programme, start=start, end=end, lines=lines, shares=ref.shares, stopped_on=min(end, today)
    )


@dataclass(frozen=True)
class PlanRow:
    step: str
    time: str
    unit_cost: Decimal
    for_year: Decimal
    shares: list[Decimal]


@dataclass(frozen=True)
class PlanTable:
    measures_per_year: int
    years: int
    measures_total: int
    rows: list[PlanRow]
    per_measure_minutes: int
    per_measure_cost: Decimal
    share_labels: list[str]
    programme_total: Decimal
    programme_shares: list[Decimal]


def plan_table(programme: Programme) -> PlanTable:
    """The programme's plan de financement, rebuilt from its reference data."""
    from finance.costs import split

    ref = reference(programme, on=programme.start)
    norm = ref.norm
    diagnostic = ref.diagnostic_rates.amount_on(programme.start) or Decimal(0)
    yearly = ref.accompaniment_rates.amount_on(programme.start) or Decimal(0)
    per_year = programme.measures_planned_per_year
    years = max(round((programme.end - programme.start).days / 365), 1)
    household, admin = norm.accompaniment_minutes(365)
    with_household, administrative = (
        duration(norm.diagnostic_household_minutes),
        duration(norm.diagnostic_admin_minutes),
    )
    diagnostic_time = f"{with_household} avec le ménage + {administrative} admin"
    accompaniment_time = (
        f"{duration(norm.meeting_minutes)} toutes les {norm.meeting_every_weeks} semaines "
        f"+ {duration(norm.admin_minutes_per_month)} par mois admin"
    )
    rows = []
    for step, time, unit in [
        ("Diagnostic", diagnostic_time, diagnostic),
        ("Accompagnement (un an)", accompaniment_time, yearly),
        ("Total par mesure", duration(norm.diagnostic_minutes + household + admin), diagnostic + yearly),
    ]:
        amount = round_cents(unit * per_year)
        rows.append(PlanRow(step, time, round_cents(unit), amount, split(amount, ref.shares)))
    total = round_cents((diagnostic + yearly) * per_year * years)
    return PlanTable(
        measures_per_year=per_year,
        years=years,
        measures_total=per_year * years,
        rows=rows,
        per_measure_minutes=norm.diagnostic_minutes + household + admin,
        per_measure_cost=round_cents(diagnostic + yearly),
        share_labels=[share.label for share in ref.shares],
        programme_total=total,
        programme_shares=split(total, ref.shares),
    )


@dataclass(frozen=True)
class PlanVsActual:
    plan: PlanTable
    engaged: Statement
    forecast_total: Decimal
    planned_by_track: dict[str, int]
    started_by_track: dict[str, int]
    hours_norm: int  # minutes expected by the norm for the measures started
    hours_logged: int  # minutes logged (diagnostics and contacts)


def plan_vs_actual(programme: Programme, *, today: date) -> PlanVsActual:
    engaged_end = min(today, programme.end)
    measures = programme_measures(programme)
    engaged = statement(programme, start=programme.start, end=engaged_end, today=today, measures=measures)
    ref = reference(programme, on=today)
    remaining = sum(
        (forecast_amount(m, today=today, accompaniment_rates=ref.accompaniment_rates) for m in measures),
        Decimal("0.00"),
    )
    years = max(round((programme.end - programme.start).days / 365), 1)
    started = [m for m in measures if m.start_date or m.has_diagnostic]
    started_by_track = {
        label: sum(1 for m in started if m.track == label) for label in (Track.MAINTIEN.label, Track.ACCES.label)
    }
    norm = ref.norm
    norm_minutes = 0
    for line in engaged.lines:
        household, admin = norm.accompaniment_minutes(line.days)
        norm_minutes += household + admin + (norm.diagnostic_minutes if line.diagnostic else 0)
    logged = (
        Contact.objects.filter(measure__household__landlord=programme.landlord).aggregate(t=Sum("duration_minutes"))[
            "t"
        ]
        or 0
    )
    logged += sum(m.diagnostic_minutes for m in measures)
    return PlanVsActual(
        plan=plan_table(programme),
        engaged=engaged,
        forecast_total=engaged.total + remaining,
        planned_by_track={
            Track.MAINTIEN.label: programme.maintien_planned_per_year * years,
            Track.ACCES.label: programme.acces_planned_per_year * years,
        },
        started_by_track=started_by_track,
        hours_norm=norm_minutes,
        hours_logged=logged,
    )
