"""Time logged against the norm, and the contact alert, for one measure (from prefetched rows)."""

from dataclasses import dataclass
from datetime import date

from measures.enums import ContactKind, MeasureStatus
from measures.norms import CONTACT_ALERT_DAYS, DEFAULT_NORM, TimeNorm
from measures.periods import active_days_until


@dataclass(frozen=True)
class TimeSummary:
    household_minutes: int
    admin_minutes: int
    expected_household_minutes: int
    expected_admin_minutes: int
    diagnostic_minutes: int
    diagnostic_norm_minutes: int
    active_days: int
    last_contact_on: date | None
    days_since_contact: int | None
    overdue: bool

    @property
    def logged_minutes(self) -> int:
        return self.household_minutes + self.admin_minutes

    @property
    def expected_minutes(self) -> int:
        return self.expected_household_minutes + self.expected_admin_minutes


def time_summary(measure, *, today: date, norm: TimeNorm = DEFAULT_NORM) -> TimeSummary:
    """Reads `measure.status_changes.all()`, the diagnostic, and either the aggregates annotated by
    `Measure.objects.with_time()` or, without them, `measure.contacts.all()`: prefetch what is read."""
    if hasattr(measure, "time_household"):
        household, admin, last = measure.time_household or 0, measure.time_admin or 0, measure.time_last_met
    else:
        contacts = list(measure.contacts.all())
        household = sum(c.duration_minutes for c in contacts if c.with_household)
        admin = sum(c.duration_minutes for c in contacts if not c.with_household)
        met = [c.on for c in contacts if c.with_household and c.kind != ContactKind.NOBODY_HOME]
        last = max(met) if met else None
    days = active_days_until(list(measure.status_changes.all()), today)
    expected_household, expected_admin = norm.accompaniment_minutes(days)
    diagnostic = getattr(measure, "diagnostic", None)
    diagnostic_minutes = diagnostic.household_minutes + diagnostic.admin_minutes if diagnostic else 0
    reference = last or measure.start_date
    since = (today - reference).days if reference else None
    overdue = measure.status == MeasureStatus.ACTIVE and since is not None and since > CONTACT_ALERT_DAYS
    return TimeSummary(
        household_minutes=household,
        admin_minutes=admin,
        expected_household_minutes=expected_household,
        expected_admin_minutes=expected_admin,
        diagnostic_minutes=diagnostic_minutes,
        diagnostic_norm_minutes=norm.diagnostic_minutes,
        active_days=days,
        last_contact_on=last,
        days_since_contact=(today - last).days if last else None,
        overdue=overdue,
    )
