"""Time norms of the method (DOMAIN.md §3-4): what the time logged is compared with.

Diagnostic: 2 h 30 with the household + 1 h of administration. Accompaniment: 1 h 30 with the
household every 3 weeks + 1 h 30 of administration a month. A year counts 52 weeks, so a year of
accompaniment expects 52/3 ≈ 17.33 meetings (26 h) and 12 administrative slots (18 h): with the
diagnostic, 47 h 30 per measure, the seed's figure.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class TimeNorm:
    diagnostic_household_minutes: int = 150
    diagnostic_admin_minutes: int = 60
    meeting_minutes: int = 90
    meeting_every_weeks: int = 3
    admin_minutes_per_month: int = 90

    def accompaniment_minutes(self, days: int) -> tuple[int, int]:
        """(with the household, administrative) minutes expected over `days` days of accompaniment."""
        years = Decimal(days) / Decimal(365)
        meetings = years * Decimal(52) / Decimal(self.meeting_every_weeks)
        household = meetings * self.meeting_minutes
        admin = years * 12 * self.admin_minutes_per_month
        return _whole(household), _whole(admin)

    @property
    def diagnostic_minutes(self) -> int:
        return self.diagnostic_household_minutes + self.diagnostic_admin_minutes

    def per_measure_minutes(self) -> int:
        """A diagnostic and a year of accompaniment: 47 h 30 with the default norm."""
        household, admin = self.accompaniment_minutes(365)
        return self.diagnostic_minutes + household + admin


def _whole(minutes: Decimal) -> int:
    return int(minutes.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


DEFAULT_NORM = TimeNorm()
# Beyond this many days without a contact with the household, the measure shows an alert.
CONTACT_ALERT_DAYS = 21
