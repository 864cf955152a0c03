"""The cost of each measure and its split between funders.

Rules (stated in the README and on every statement):
- a diagnostic costs the diagnostic rate, counted on the day the household signs it;
- accompaniment costs the yearly rate prorated by the days of active accompaniment (suspended days
  do not count), each calendar year by its own length: a full leap year costs the yearly rate too;
- money is Decimal; each line is rounded half-up to the cent, and totals are sums of rounded lines;
- shares between funders: each share is rounded half-up to the cent except the last, which takes
  the remainder, so that the shares of a line always add up to the line to the cent.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from measures.periods import Period, active_periods

CENT = Decimal("0.01")


def round_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class MissingRateError(ValueError):
    """The reference data has no rate for a day that costs: the administrator must complete it."""


@dataclass(frozen=True)
class RateSpan:
    valid_from: date
    valid_to: date | None  # inclusive
    amount: Decimal


@dataclass(frozen=True)
class RateSchedule:
    spans: tuple[RateSpan, ...]

    def amount_on(self, day: date) -> Decimal | None:
        for span in self.spans:
            if span.valid_from <= day and (span.valid_to is None or day <= span.valid_to):
                return span.amount
        return None

    def boundaries(self) -> set[date]:
        edges = {span.valid_from for span in self.spans}
        edges |= {span.valid_to + timedelta(days=1) for span in self.spans if span.valid_to}
        return edges


@dataclass(frozen=True)
class Share:
    label: str
    percent: Decimal
    is_subsidy: bool


def _days_in_year(year: int) -> int:
    return (date(year + 1, 1, 1) - date(year, 1, 1)).days


def _segments(start: date, end: date, edges: Iterable[date]) -> list[tuple[date, date]]:
    """[start, end) cut at every 1 January and every given edge inside it."""
    cuts = {date(year, 1, 1) for year in range(start.year + 1, end.year + 1)}
    cuts |= {edge for edge in edges if start < edge < end}
    points = [start, *sorted(cuts), end]
    return [(low, high) for low, high in zip(points, points[1:], strict=False) if low < high]


def accompaniment_amount(periods: Sequence[Period], *, start: date, end: date, rates: RateSchedule) -> Decimal:
    """Unrounded cost of the active days in [start, end)."""
    total = Decimal(0)
    for period in periods:
        low = max(period.start, start)
        high = min(period.end or end, end)
        if low >= high:
            continue
        for segment_start, segment_end in _segments(low, high, rates.boundaries()):
            amount = rates.amount_on(segment_start)
            if amount is None:
                raise MissingRateError(
                    f"Aucun tarif d'accompagnement valable le {segment_start:%d/%m/%Y} : "
                    "l'administrateur doit compléter les tarifs du programme dans les données de référence."
                )
            days = (segment_end - segment_start).days
            total += amount * days / _days_in_year(segment_start.year)
    return total


def active_days(periods: Sequence[Period], *, start: date, end: date) -> int:
    return sum(period.days_within(start, end) for period in periods)


def split(amount: Decimal, shares: Sequence[Share]) -> list[Decimal]:
    """Each share rounded half-up; the last takes the remainder, so the parts add up to `amount`."""
    if not shares:
        return []
    parts = [round_cents(amount * share.percent / 100) for share in shares[:-1]]
    parts.append(amount - sum(parts, Decimal(0)))
    return parts


@dataclass(frozen=True)
class Change:
    to_status: str
    on: date


@dataclass(frozen=True)
class MeasureFacts:
    """What costs read of a measure: loaded for a whole programme in two queries."""

    pk: int
    reference: str
    track: str  # label, as printed
    association: str
    status: str
    start_date: date | None
    planned_end: date | None
    closed_on: date | None
    diagnostic_signed_on: date | None
    diagnostic_minutes: int
    changes: tuple[Change, ...]
    has_diagnostic: bool = True


@dataclass
class CostLine:
    measure_id: int
    reference: str
    track: str
    association: str
    start_date: date | None
    end_date: date | None
    diagnostic: Decimal
    days: int
    accompaniment: Decimal
    shares: list[Decimal] = field(default_factory=list)
    subsidy: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.diagnostic + self.accompaniment


def cost_line(
    measure: MeasureFacts,
    *,
    start: date,
    end: date,
    diagnostic_rates: RateSchedule,
    accompaniment_rates: RateSchedule,
    shares: Sequence[Share],
) -> CostLine:
    """One measure's cost over [start, end)."""
    periods = active_periods(measure.changes)
    signed_on = measure.diagnostic_signed_on
    diagnostic_cost = Decimal("0.00")
    if signed_on and start <= signed_on < end:
        diagnostic_cost = round_cents(diagnostic_rates.amount_on(signed_on) or Decimal(0))
    accompaniment = round_cents(accompaniment_amount(periods, start=start, end=end, rates=accompaniment_rates))
    line = CostLine(
        measure_id=measure.pk,
        reference=measure.reference,
        track=measure.track,
        association=measure.association,
        start_date=measure.start_date,
        end_date=measure.closed_on,
        diagnostic=diagnostic_cost,
        days=active_days(periods, start=start, end=end),
        accompaniment=accompaniment,
    )
    line.shares = split(line.total, shares)
    line.subsidy = sum((part for part, share in zip(line.shares, shares, strict=True) if share.is_subsidy), Decimal(0))
    return line


def forecast_amount(measure, *, today: date, accompaniment_rates: RateSchedule) -> Decimal:
    """What an open measure will still cost from today to its planned end, if it stays active."""
    if measure.status not in ("active", "suspended") or not measure.planned_end or measure.planned_end <= today:
        return Decimal("0.00")
    # Today is already counted as engaged: what remains starts tomorrow.
    tomorrow = today + timedelta(days=1)
    remaining = [Period(tomorrow, measure.planned_end)]
    return round_cents(
        accompaniment_amount(remaining, start=tomorrow, end=measure.planned_end, rates=accompaniment_rates)
    )
