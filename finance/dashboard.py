"""Programme indicators for steering: aggregates only, never a name. Counts under 5 can be masked
for anything meant for outside funders."""

import logging
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from finance.charts import Bar, horizontal_bars, vertical_bars
from finance.reports import plan_vs_actual
from households.enums import HouseholdStatus, ProcedureEventKind, Track
from households.models import Household, ProcedureEvent, Sector, SocialLoadThreshold
from households.procedure import add_months
from measures.enums import MeasureStatus, Outcome
from measures.models import Contact, Measure

MASK_BELOW = 5
MASKED_DRAWN_AS = 2.5
STOPPED = {
    ProcedureEventKind.CLOSED,
    ProcedureEventKind.SUSPENSION,
    ProcedureEventKind.COHESION_PROTOCOL,
    ProcedureEventKind.REPAYMENT_PLAN,
}


def shown(count: int, *, masked: bool) -> str:
    return "< 5" if masked and 0 < count < MASK_BELOW else f"{count}"


@dataclass
class Indicator:
    title: str
    svg: str
    rows: list[tuple[str, str]]


def _indicator(title, pairs, *, masked, vertical=False, unit=""):
    bars = [
        Bar(
            label,
            # A masked count is drawn at one fixed length, so bar lengths do not reveal it either.
            MASKED_DRAWN_AS if masked and not unit and 0 < value < MASK_BELOW else value,
            shown(value, masked=masked) if not unit else f"{value:.1f}{unit}".replace(".", ","),
        )
        for label, value in pairs
    ]
    svg = (vertical_bars if vertical else horizontal_bars)(title, bars)
    return Indicator(title, svg, [(bar.label, bar.display) for bar in bars])


def _quarter(day: date) -> str:
    return f"T{(day.month - 1) // 3 + 1} {day.year}"


CACHE_SECONDS = 300
# The figures take about a second to compute on the volume data, more when the workers compete:
# when they expired, every worker used to compute them at once (dashboard p95 over 2 s in
# bench/run). Now one request computes them, under a lock that expires on its own (so a
# computation that fails or hangs does not keep the others waiting for ever), while the others
# get the previous figures, or wait for the first ones of the day.
KEEP_SECONDS = 24 * 3600  # the keys hold the date
COMPUTING_SECONDS = 60
WAIT_SECONDS = 10

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Computed:
    at: float  # time.time()
    value: object


def _cached(key: str, compute):
    """`compute()`, computed at most every CACHE_SECONDS by one request at a time. Once due, the
    first request computes it afresh and the others get the previous value meanwhile; without any
    value yet, they wait for it (at most WAIT_SECONDS, then compute it themselves). A computation
    that fails while there is a previous value gives that value, and is logged."""
    entry = _entry(key)
    if entry is not None and time.time() - entry.at < CACHE_SECONDS:
        return entry.value
    if not cache.add(f"{key}:computing", 1, COMPUTING_SECONDS):
        entry = entry or _wait_for(key)
        if entry is not None:
            return entry.value
    try:
        # In a savepoint: after a failed query, the rest of the request can still use the database.
        with transaction.atomic():
            value = compute()
    except Exception:
        if entry is None:
            raise
        logger.exception("Calcul des chiffres de pilotage en échec (%s) : les précédents restent affichés.", key)
        return entry.value
    cache.set(key, _Computed(time.time(), value), KEEP_SECONDS)
    return value


def _entry(key: str) -> _Computed | None:
    entry = cache.get(key)
    return entry if isinstance(entry, _Computed) else None  # or left by an earlier release in another form


def _wait_for(key: str) -> _Computed | None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if (entry := _entry(key)) is not None:
            return entry
    return None


def cached_indicators(programme, *, today: date, masked: bool) -> dict:
    """The indicators, computed at most every 5 minutes per programme: steering reads aggregates
    over the whole programme, and a few minutes' delay is stated on the page."""
    return _cached(
        _indicators_key(programme, today, masked), lambda: indicators(programme, today=today, masked=masked)
    )


def _indicators_key(programme, today: date, masked: bool) -> str:
    # The release too: another version of the code may compute other figures.
    return f"steering:{settings.RELEASE}:{programme.pk}:{today:%Y%m%d}:{int(masked)}"


def _plan_key(programme, today: date) -> str:
    return f"steering-plan:{settings.RELEASE}:{programme.pk}:{today:%Y%m%d}"


def expire(programme, *, today: date) -> None:
    """Makes the programme's figures of the day due: the next request computes them afresh while
    the others get these meanwhile (bench/run measures the dashboard through such a computation)."""
    for key in (
        _indicators_key(programme, today, False),
        _indicators_key(programme, today, True),
        _plan_key(programme, today),
    ):
        if (entry := _entry(key)) is not None:
            cache.set(key, _Computed(0, entry.value), KEEP_SECONDS)
            cache.delete(f"{key}:computing")


@dataclass(frozen=True)
class EngagedTotals:
    """The engaged statement without its lines: what steering pages print, small to cache."""

    measures: int
    total: Decimal
    subsidy_total: Decimal
    diagnostic_total: Decimal
    accompaniment_total: Decimal
    days_total: int


def cached_plan_vs_actual(programme, *, today: date):
    def compute():
        data = plan_vs_actual(programme, today=today)
        engaged = data.engaged
        totals = EngagedTotals(
            measures=len(engaged.lines),
            total=engaged.total,
            subsidy_total=engaged.subsidy_total,
            diagnostic_total=engaged.diagnostic_total,
            accompaniment_total=engaged.accompaniment_total,
            days_total=engaged.days_total,
        )
        return replace(data, engaged=totals)

    return _cached(_plan_key(programme, today), compute)


def indicators(programme, *, today: date, masked: bool) -> dict:
    households = Household.objects.filter(landlord=programme.landlord)
    measures = Measure.objects.filter(household__landlord=programme.landlord)
    result = {}

    by_track_status = Counter(
        {
            (row["track"], row["status"]): row["n"]
            for row in households.values("track", "status").annotate(n=Count("pk"))
        }
    )
    result["households"] = _indicator(
        "Ménages par parcours et statut",
        [
            (f"{Track(track).label} · {HouseholdStatus(status).label.lower()}", by_track_status[(track, status)])
            for track in Track.values
            for status in HouseholdStatus.values
            if by_track_status[(track, status)]
        ],
        masked=masked,
    )

    start = add_months(today.replace(day=1), -21)
    quarters = []
    day = date(start.year, ((start.month - 1) // 3) * 3 + 1, 1)
    while day <= today:
        quarters.append(_quarter(day))
        day = add_months(day, 3)
    entries = Counter(
        _quarter(d) for d in households.filter(proposed_on__gte=start).values_list("proposed_on", flat=True)
    )
    exits = Counter(_quarter(d) for d in measures.filter(closed_on__gte=start).values_list("closed_on", flat=True))
    result["entries"] = _indicator(
        "Entrées (ménages proposés) par trimestre", [(q, entries[q]) for q in quarters], masked=masked, vertical=True
    )
    result["exits"] = _indicator(
        "Sorties (mesures closes) par trimestre", [(q, exits[q]) for q in quarters], masked=masked, vertical=True
    )

    durations = Counter()
    for started, closed in measures.filter(status=MeasureStatus.CLOSED, start_date__isnull=False).values_list(
        "start_date", "closed_on"
    ):
        months = (closed - started).days / 30.44
        durations[
            "moins de 6 mois"
            if months < 6
            else "6 à 12 mois"
            if months < 12
            else "12 à 18 mois"
            if months < 18
            else "18 mois et plus"
        ] += 1
    result["durations"] = _indicator(
        "Durée des mesures closes",
        [(label, durations[label]) for label in ["moins de 6 mois", "6 à 12 mois", "12 à 18 mois", "18 mois et plus"]],
        masked=masked,
    )

    outcomes = Counter(
        dict(measures.filter(status=MeasureStatus.CLOSED).values_list("outcome").annotate(n=Count("pk")))
    )
    result["outcomes"] = _indicator(
        "Issues à la clôture", [(Outcome(o).label, n) for o, n in outcomes.most_common()], masked=masked
    )

    followed = measures.exclude(start_date=None)
    minutes = Contact.objects.filter(measure__in=followed).aggregate(t=Sum("duration_minutes"))["t"] or 0
    count = followed.count()
    result["time_per_household"] = (minutes / count / 60) if count else 0

    months = [add_months(today.replace(day=1), -offset) for offset in range(11, -1, -1)]
    per_month = dict(
        Contact.objects.filter(measure__household__landlord=programme.landlord, on__gte=months[0])
        .annotate(month=TruncMonth("on"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    result["contacts"] = _indicator(
        "Contacts par mois",
        [(f"{m:%m/%y}", per_month.get(m, 0)) for m in months],
        masked=masked,
        vertical=True,
    )

    latest = ProcedureEvent.objects.filter(household=OuterRef("pk")).order_by("-occurred_on", "-recorded_at")
    kinds = (
        households.annotate(last=Subquery(latest.values("kind")[:1])).exclude(last=None).values_list("last", flat=True)
    )
    stopped = sum(1 for kind in kinds if kind in STOPPED)
    result["procedures"] = _indicator(
        "Procédures d'expulsion",
        [("arrêtées ou suspendues", stopped), ("en cours", len(kinds) - stopped)],
        masked=masked,
    )

    threshold = SocialLoadThreshold.current_rate(today)
    sectors = [
        (sector.name, Sector.load_rate(sector.carried, sector.stock_size))
        for sector in Sector.objects.filter(landlord=programme.landlord).with_social_load()
    ]
    result["sectors"] = _indicator(
        "Charge sociale des secteurs (ménages suivis pour 100 logements)",
        [(name, float(rate)) for name, rate in sectors],
        masked=False,
        unit=" %",
    )
    result["threshold"] = threshold
    # Named on the page, as on the sectors' page: the chart alone does not say which are over.
    result["sectors_above"] = [(name, rate) for name, rate in sectors if threshold is not None and rate > threshold]
    result["finance"] = cached_plan_vs_actual(programme, today=today)
    result["computed_at"] = timezone.localtime()
    return result
