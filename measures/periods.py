"""Periods of active accompaniment, from a measure's dated status changes (pure functions).

Used for the time expected by the norm and, in finance, for prorating the yearly rate: a measure
counts the days it was active; days suspended do not count.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from measures.enums import MeasureStatus


@dataclass(frozen=True)
class Period:
    start: date  # first active day
    end: date | None  # first day no longer active (exclusive); None while still active

    def days_within(self, start: date, end: date) -> int:
        """Active days in [start, end) ."""
        low = max(self.start, start)
        high = min(self.end or end, end)
        return max((high - low).days, 0)


def active_periods(changes: Iterable) -> list[Period]:
    """Changes are objects with `to_status` and `on`, in chronological order."""
    periods, opened = [], None
    for change in changes:
        if change.to_status == MeasureStatus.ACTIVE and opened is None:
            opened = change.on
        elif change.to_status != MeasureStatus.ACTIVE and opened is not None:
            periods.append(Period(opened, change.on))
            opened = None
    if opened is not None:
        periods.append(Period(opened, None))
    return periods


def active_days(changes: Iterable, *, start: date, end: date) -> int:
    """Days of active accompaniment in [start, end)."""
    return sum(period.days_within(start, end) for period in active_periods(changes))


def active_days_until(changes: Iterable, today: date) -> int:
    """Active days up to and including `today`."""
    return sum(period.days_within(date.min, today + timedelta(days=1)) for period in active_periods(changes))
