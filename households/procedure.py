"""Rules of the French eviction procedure (*procédure d'expulsion locative*), as pure functions.

The household file shows the next legal deadline and the procedure-event form refuses an event
that contradicts the ones already recorded. Both need the same rules, and rules about legal delays
are only trusted when they are tested date by date: so this module touches no database and imports
no model. It works on any object with `kind`, `occurred_on`, `hearing_date` and `lease_terminated`
(a model instance, or `EventFacts`).

Deliberate simplifications, to keep in mind when reading a deadline:
- a delay ending on a Saturday, Sunday or public holiday is not extended to the next working day
  (article 642 of the code de procédure civile), so a computed end can be one to three days early;
- a CLOSED event ends a procedure: events dated after it belong to a new procedure, which starts
  again from the first stage (a household may face a second procedure years later).
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from households.enums import LegalRegime, ProcedureEventKind

Kind = ProcedureEventKind

# Law no. 2023-668 of 27 July 2023, in force on 29 July 2023, shortened several delays.
REFORM_DATE = date(2023, 7, 29)

# The main stages, in their legal order.
MAIN_STAGES: tuple[ProcedureEventKind, ...] = (
    Kind.CCAPEX_REFERRAL,
    Kind.PAYMENT_ORDER,
    Kind.SUMMONS,
    Kind.HEARING,
    Kind.JUDGMENT,
    Kind.ORDER_TO_VACATE,
    Kind.POLICE_REQUEST,
    Kind.POLICE_DECISION,
)
_STAGE_INDEX = {kind: index for index, kind in enumerate(MAIN_STAGES)}

# The order dates must respect. The CCAPEX referral and the payment order share a rank: the law only
# requires the referral two months before the summons, not before the payment order, so a referral
# made after the payment order is lawful and must not be refused.
_ORDER_RANK = {kind: max(index - 1, 0) for index, kind in enumerate(MAIN_STAGES)}

# Events that stop the clock: no legal deadline runs while they are the latest news.
_PAUSING = (Kind.SUSPENSION, Kind.COHESION_PROTOCOL)


class ProcedureEvent(Protocol):
    """What the rules read from an event: a model instance or an `EventFacts` both fit."""

    @property
    def kind(self) -> str: ...

    @property
    def occurred_on(self) -> date: ...

    @property
    def hearing_date(self) -> date | None: ...

    @property
    def lease_terminated(self) -> bool | None: ...


@dataclass(frozen=True)
class EventFacts:
    """The facts of one event, for callers (and tests) that have no model instance at hand."""

    kind: ProcedureEventKind
    occurred_on: date
    # On a SUMMONS: the hearing date given in the summons.
    hearing_date: date | None = None
    # On a JUDGMENT: whether the judge terminated the lease (or found the termination clause acquired).
    lease_terminated: bool | None = None


# Dates and delays


def format_date(day: date) -> str:
    """French numeric format, the one users read in letters and judgments."""
    return day.strftime("%d/%m/%Y")


def add_months(day: date, months: int) -> date:
    """Add (or subtract) calendar months, keeping the day but never past the end of the target month.

    31/01 + 1 month is 28/02 (29/02 in a leap year): a delay counted in months ends on the same
    day of the month, or on the last day when that month is shorter (article 641 of the code de
    procédure civile).
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Delay:
    """A legal delay, in months or weeks, as the texts express it (so labels can quote them)."""

    months: int = 0
    weeks: int = 0

    def after(self, day: date) -> date:
        """The day on which the delay counted from `day` ends."""
        return add_months(day, self.months) + timedelta(weeks=self.weeks)

    @property
    def label(self) -> str:
        parts = []
        if self.months:
            parts.append(f"{self.months} mois")
        if self.weeks:
            parts.append(f"{self.weeks} semaine{'s' if self.weeks > 1 else ''}")
        return " et ".join(parts)


# Delays that did not change with the reform.
CCAPEX_REFERRAL_DELAY = Delay(months=2)
ORDER_TO_VACATE_DELAY = Delay(months=2)
POLICE_DECISION_DELAY = Delay(months=2)


def regime_on(day: date) -> LegalRegime:
    """The regime of an act done on `day`: the reform applies to acts done from 29/07/2023."""
    return LegalRegime.AFTER_2023 if day >= REFORM_DATE else LegalRegime.BEFORE_2023


def payment_order_regime(*, ordered_on: date, lease_signed_on: date | None = None) -> LegalRegime:
    """The regime that sets the delay of a payment order.

    The Cour de cassation held (avis of 13 June 2024, no. 24-70.002) that the six-week delay does
    not apply to leases in progress on 29/07/2023: their termination clause keeps its two months.
    So when the lease date is known it decides; otherwise the date of the payment order does.
    """
    return regime_on(lease_signed_on if lease_signed_on is not None else ordered_on)


def payment_order_delay(regime: LegalRegime) -> Delay:
    """Delay the tenant has to pay after a *commandement de payer* before the termination clause applies."""
    return Delay(weeks=6) if regime == LegalRegime.AFTER_2023 else Delay(months=2)


def summons_hearing_delay(regime: LegalRegime) -> Delay:
    """Minimum time between the *assignation* and the hearing, so the préfet can have the social
    and financial diagnostic made for the judge. The regime is the summons date's."""
    return Delay(weeks=6) if regime == LegalRegime.AFTER_2023 else Delay(months=2)


def _regime_phrase(regime: LegalRegime) -> str:
    when = "après" if regime == LegalRegime.AFTER_2023 else "avant"
    return f"régime {when} le {format_date(REFORM_DATE)}"


def in_winter_truce(day: date) -> bool:
    """No eviction may be carried out from 1 November to 31 March inclusive (*trêve hivernale*)."""
    return day.month >= 11 or day.month <= 3


def winter_truce_end(day: date) -> date:
    """The 31 March ending the truce that contains `day` (or, outside the truce, the next truce)."""
    return date(day.year + 1 if day.month >= 4 else day.year, 3, 31)


# Deadlines


@dataclass(frozen=True)
class Deadline:
    """A date the procedure is waiting for, with what the household file needs to show it."""

    code: str
    label: str
    due: date
    regime: LegalRegime
    # True when an eviction-related deadline falls in the winter truce: nobody can be evicted before 1 April.
    postponed_by_truce: bool
    # The date from which the step can actually happen: `due`, or 1 April when the truce postpones it.
    effective: date

    def days_left(self, today: date) -> int:
        """Days until `due`; negative once it is past (the page then says "dépassée")."""
        return (self.due - today).days

    def is_past(self, today: date) -> bool:
        return self.due < today


def _deadline(code: str, label: str, due: date, regime: LegalRegime, *, eviction: bool = False) -> Deadline:
    postponed = eviction and in_winter_truce(due)
    effective = winter_truce_end(due) + timedelta(days=1) if postponed else due
    return Deadline(code, label, due, regime, postponed_by_truce=postponed, effective=effective)


def _kind(event: ProcedureEvent) -> ProcedureEventKind:
    # Model instances give plain strings; normalising also rejects an unknown kind loudly.
    return Kind(event.kind)


def _of_kind(events: Iterable[ProcedureEvent], *kinds: ProcedureEventKind) -> list[ProcedureEvent]:
    return [event for event in events if _kind(event) in kinds]


def _latest(events: list[ProcedureEvent]) -> ProcedureEvent | None:
    return max(events, key=lambda event: event.occurred_on, default=None)


def _earliest(events: list[ProcedureEvent]) -> ProcedureEvent | None:
    return min(events, key=lambda event: event.occurred_on, default=None)


def _is_closed(events: list[ProcedureEvent]) -> bool:
    # A CLOSED event dated the same day as another one is taken as the last act of that day.
    closed = _latest(_of_kind(events, Kind.CLOSED))
    return closed is not None and closed.occurred_on >= max(event.occurred_on for event in events)


def _procedure_of(events: Iterable[ProcedureEvent], day: date) -> list[ProcedureEvent]:
    """The events of the procedure an event dated `day` belongs to: those between the CLOSED event
    before `day` (excluded) and the CLOSED event on or after `day` (included, as it closes it)."""
    events = list(events)
    closed_on = [event.occurred_on for event in _of_kind(events, Kind.CLOSED)]
    start = max((closed for closed in closed_on if closed < day), default=None)
    end = min((closed for closed in closed_on if closed >= day), default=None)
    return [
        event
        for event in events
        if _kind(event) != Kind.CLOSED
        and (start is None or event.occurred_on > start)
        and (end is None or event.occurred_on <= end)
    ]


def _latest_main_stage(events: list[ProcedureEvent]) -> ProcedureEvent | None:
    stages = [event for event in events if _kind(event) in _STAGE_INDEX]
    return max(stages, key=lambda event: (_STAGE_INDEX[_kind(event)], event.occurred_on), default=None)


def _stage_deadline(event: ProcedureEvent, *, lease_signed_on: date | None) -> Deadline | None:
    kind, day = _kind(event), event.occurred_on
    if kind == Kind.CCAPEX_REFERRAL:
        return _deadline(
            "summons_possible", "Assignation possible à partir du", CCAPEX_REFERRAL_DELAY.after(day), regime_on(day)
        )
    if kind == Kind.PAYMENT_ORDER:
        regime = payment_order_regime(ordered_on=day, lease_signed_on=lease_signed_on)
        return _deadline(
            "payment_order_end",
            "Fin du délai du commandement de payer",
            payment_order_delay(regime).after(day),
            regime,
        )
    if kind == Kind.SUMMONS and event.hearing_date is not None:
        return _deadline("hearing", "Audience", event.hearing_date, regime_on(day))
    if kind == Kind.ORDER_TO_VACATE:
        return _deadline(
            "vacate_end",
            "Fin du délai pour quitter les lieux",
            ORDER_TO_VACATE_DELAY.after(day),
            regime_on(day),
            eviction=True,
        )
    if kind == Kind.POLICE_REQUEST:
        return _deadline(
            "police_decision_due",
            "Décision du préfet attendue au plus tard",
            POLICE_DECISION_DELAY.after(day),
            regime_on(day),
            eviction=True,
        )
    # After a hearing or a judgment, the next dates are set by the judge, not by the law.
    return None


def next_deadline(
    events: Iterable[ProcedureEvent], *, today: date, lease_signed_on: date | None = None
) -> Deadline | None:
    """The deadline that follows from the latest main stage recorded, as it stands on `today`.

    Events dated after `today` have not happened yet and are left out, so the answer is the one
    the household file would have shown on that day. A past deadline is still returned: the page
    shows it as passed rather than pretending nothing is due. None when the procedure is closed,
    paused by a suspension or a cohesion protocol, or at a stage with no legal delay.
    `lease_signed_on`, when known, decides the payment order's delay (see `payment_order_regime`).
    """
    known = [event for event in events if event.occurred_on <= today]
    if not known or _is_closed(known):
        return None
    current = _procedure_of(known, date.max)
    stage = _latest_main_stage(current)
    if stage is None:
        return None
    last_stage_on = max(event.occurred_on for event in current if _kind(event) in _STAGE_INDEX)
    if any(event.occurred_on >= last_stage_on for event in _of_kind(current, *_PAUSING)):
        return None
    if _kind(stage) in (Kind.CCAPEX_REFERRAL, Kind.PAYMENT_ORDER):
        # Before the summons both constraints hold: show the later one, which is the one that binds.
        candidates = []
        for kind in (Kind.CCAPEX_REFERRAL, Kind.PAYMENT_ORDER):
            event = _latest(_of_kind(current, kind))
            deadline = _stage_deadline(event, lease_signed_on=lease_signed_on) if event is not None else None
            if deadline is not None:
                candidates.append(deadline)
        # On a tie the payment order binds: the summons must come strictly after its end.
        return max(candidates, key=lambda deadline: (deadline.due, deadline.code == "payment_order_end"))
    return _stage_deadline(stage, lease_signed_on=lease_signed_on)


def current_stage(events: Iterable[ProcedureEvent]) -> Kind | None:
    """Where the procedure stands: closed, its furthest main stage in legal order, or None (no
    procedure). The household list's filter computes the same in SQL (filters.with_procedure_stage)."""
    events = list(events)
    if events and _is_closed(events):
        return Kind.CLOSED
    stage = _latest_main_stage(_procedure_of(events, date.max))
    return Kind(stage.kind) if stage is not None else None


def stage_label(events: Iterable[ProcedureEvent]) -> str:
    """The French label of where the procedure stands: its latest main stage, or that it is closed."""
    stage = current_stage(events)
    return stage.label if stage is not None else "Aucune procédure"


# Order of the events


@dataclass(frozen=True)
class _Noun:
    indefinite: str  # "une assignation"
    of: str  # "de l'assignation": after "la date" or "celle"
    feminine: bool


_NOUNS = {
    Kind.CCAPEX_REFERRAL: _Noun("une saisine de la CCAPEX", "de la saisine de la CCAPEX", True),
    Kind.PAYMENT_ORDER: _Noun("un commandement de payer", "du commandement de payer", False),
    Kind.SUMMONS: _Noun("une assignation", "de l'assignation", True),
    Kind.HEARING: _Noun("une audience", "de l'audience", True),
    Kind.JUDGMENT: _Noun("un jugement", "du jugement", False),
    Kind.ORDER_TO_VACATE: _Noun("un commandement de quitter les lieux", "du commandement de quitter les lieux", False),
    Kind.POLICE_REQUEST: _Noun("une réquisition de la force publique", "de la réquisition de la force publique", True),
    Kind.POLICE_DECISION: _Noun(
        "une décision du préfet sur le concours de la force publique",
        "de la décision du préfet sur le concours de la force publique",
        True,
    ),
}


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def order_errors(
    existing_events: Iterable[ProcedureEvent], new_event: ProcedureEvent, *, lease_signed_on: date | None = None
) -> list[str]:
    """Why `new_event` cannot be recorded after `existing_events`, in French; empty when it can.

    `existing_events` must not include the event being edited. Only the order and the legal delays
    between events are checked, whatever order they are entered in (files are often filled in
    afterwards); whether a date is in the future is the form's business, not a rule of law.
    """
    existing_events = list(existing_events)
    kind = _kind(new_event)
    if kind == Kind.CLOSED:
        return []
    if kind == Kind.FSL_DECISION:
        # FSL files live alongside the procedure, not inside one: look at every event.
        return _fsl_decision_errors(existing_events, new_event)
    events = _procedure_of(existing_events, new_event.occurred_on)
    if kind == Kind.COHESION_PROTOCOL:
        return _cohesion_protocol_errors(events, new_event)
    if kind not in _STAGE_INDEX:
        return []

    noun = _NOUNS[kind]
    same_stage = _earliest(_of_kind(events, kind))
    # An adjourned hearing leads to another hearing; any other stage happens once per procedure.
    if same_stage is not None and kind != Kind.HEARING:
        recorded = "enregistrée" if noun.feminine else "enregistré"
        return [
            f"{_sentence(noun.indefinite)} est déjà {recorded} pour cette procédure "
            f"({format_date(same_stage.occurred_on)})."
        ]

    errors = _stage_order_errors(events, new_event, kind)
    if kind == Kind.CCAPEX_REFERRAL:
        errors += _ccapex_referral_errors(events, new_event)
    elif kind == Kind.PAYMENT_ORDER:
        errors += _payment_order_errors(events, new_event, lease_signed_on=lease_signed_on)
    elif kind == Kind.SUMMONS:
        errors += _summons_errors(events, new_event, lease_signed_on=lease_signed_on)
    elif kind == Kind.HEARING:
        errors += _hearing_errors(events, new_event)
    elif kind == Kind.JUDGMENT:
        errors += _judgment_errors(events, new_event)
    elif kind == Kind.ORDER_TO_VACATE:
        errors += _order_to_vacate_errors(events, new_event)
    elif kind == Kind.POLICE_REQUEST:
        errors += _police_request_errors(events, new_event)
    return errors


def _stage_order_errors(
    events: list[ProcedureEvent], new_event: ProcedureEvent, kind: ProcedureEventKind
) -> list[str]:
    """A stage is dated on or after every earlier stage, and on or before every later one."""
    rank, day, noun = _ORDER_RANK[kind], new_event.occurred_on, _NOUNS[kind]
    stages = [event for event in events if _kind(event) in _ORDER_RANK]
    errors = []
    earlier = _latest([event for event in stages if _ORDER_RANK[_kind(event)] < rank])
    if earlier is not None and day < earlier.occurred_on:
        errors.append(
            f"La date {noun.of} doit suivre celle {_NOUNS[_kind(earlier)].of} ({format_date(earlier.occurred_on)})."
        )
    later = _earliest([event for event in stages if _ORDER_RANK[_kind(event)] > rank])
    if later is not None and day > later.occurred_on:
        errors.append(
            f"La date {noun.of} doit précéder celle {_NOUNS[_kind(later)].of} ({format_date(later.occurred_on)})."
        )
    return errors


def _payment_order_end(payment_order: ProcedureEvent, lease_signed_on: date | None) -> tuple[date, str]:
    regime = payment_order_regime(ordered_on=payment_order.occurred_on, lease_signed_on=lease_signed_on)
    delay = payment_order_delay(regime)
    return delay.after(payment_order.occurred_on), f"{delay.label}, {_regime_phrase(regime)}"


# In the rules below, a gap is only checked when the two events are in the right order: otherwise
# `_stage_order_errors` has already said so, and a second message would only repeat it.


def _summons_errors(
    events: list[ProcedureEvent], summons: ProcedureEvent, *, lease_signed_on: date | None
) -> list[str]:
    errors = []
    day = summons.occurred_on
    payment_order = _latest(_of_kind(events, Kind.PAYMENT_ORDER))
    if payment_order is not None and payment_order.occurred_on <= day:
        end, explanation = _payment_order_end(payment_order, lease_signed_on)
        if day <= end:
            errors.append(
                "L'assignation ne peut intervenir qu'après la fin du délai du commandement de payer, "
                f"le {format_date(end)} ({explanation})."
            )
    referral = _latest(_of_kind(events, Kind.CCAPEX_REFERRAL))
    if referral is not None and referral.occurred_on <= day:
        earliest = CCAPEX_REFERRAL_DELAY.after(referral.occurred_on)
        if day < earliest:
            errors.append(
                f"L'assignation ne peut intervenir que {CCAPEX_REFERRAL_DELAY.label} au moins après la saisine "
                f"de la CCAPEX ({format_date(referral.occurred_on)}), soit à partir du {format_date(earliest)}."
            )
    if summons.hearing_date is not None:
        regime = regime_on(day)
        delay = summons_hearing_delay(regime)
        earliest_hearing = delay.after(day)
        if summons.hearing_date < earliest_hearing:
            errors.append(
                f"L'audience doit être fixée au moins {delay.label} après l'assignation ({_regime_phrase(regime)}), "
                f"soit au plus tôt le {format_date(earliest_hearing)}."
            )
        judgment = _earliest(_of_kind(events, Kind.JUDGMENT))
        if judgment is not None and judgment.occurred_on < summons.hearing_date:
            errors.append(
                f"L'audience fixée dans l'assignation ({format_date(summons.hearing_date)}) doit précéder "
                f"le jugement ({format_date(judgment.occurred_on)})."
            )
    hearing = _earliest([event for event in _of_kind(events, Kind.HEARING) if event.occurred_on >= day])
    if hearing is not None and (message := _hearing_date_error(summons, hearing, recorded=True)):
        errors.append(message)
    return errors


def _hearing_errors(events: list[ProcedureEvent], hearing: ProcedureEvent) -> list[str]:
    summons = _latest(_of_kind(events, Kind.SUMMONS))
    if summons is None or summons.occurred_on > hearing.occurred_on:
        return []
    message = _hearing_date_error(summons, hearing, recorded=False)
    return [message] if message else []


def _hearing_date_error(summons: ProcedureEvent, hearing: ProcedureEvent, *, recorded: bool) -> str | None:
    """Why a hearing cannot be held on its date after this summons, or None.

    The summons must be served at least 6 weeks (2 months before 29/07/2023, the summons date's regime)
    before the hearing, for the préfet's social and financial diagnostic. The hearing date set in the
    summons is the first day the judge can hear the case: the hearing may be adjourned to a later date
    (several hearings are allowed), never held earlier.
    """
    regime = regime_on(summons.occurred_on)
    delay = summons_hearing_delay(regime)
    earliest = delay.after(summons.occurred_on)
    subject = f"L'audience déjà enregistrée ({format_date(hearing.occurred_on)})" if recorded else "L'audience"
    set_on = summons.hearing_date
    if hearing.occurred_on < earliest:
        return (
            f"{subject} ne peut se tenir moins de {delay.label} après l'assignation "
            f"({format_date(summons.occurred_on)}, {_regime_phrase(regime)}), soit au plus tôt le "
            f"{format_date(earliest)}" + (f" ; l'assignation la fixe au {format_date(set_on)}." if set_on else ".")
        )
    if set_on is not None and hearing.occurred_on < set_on:
        return (
            f"{subject} ne peut précéder la date d'audience fixée dans l'assignation, le {format_date(set_on)} : "
            "une audience renvoyée se tient après cette date, jamais avant."
        )
    return None


def _payment_order_errors(
    events: list[ProcedureEvent], payment_order: ProcedureEvent, *, lease_signed_on: date | None
) -> list[str]:
    summons = _earliest(_of_kind(events, Kind.SUMMONS))
    if summons is None or summons.occurred_on < payment_order.occurred_on:
        return []
    end, explanation = _payment_order_end(payment_order, lease_signed_on)
    if summons.occurred_on > end:
        return []
    return [
        f"L'assignation déjà enregistrée ({format_date(summons.occurred_on)}) doit intervenir après la fin du délai "
        f"de ce commandement de payer, le {format_date(end)} ({explanation})."
    ]


def _ccapex_referral_errors(events: list[ProcedureEvent], referral: ProcedureEvent) -> list[str]:
    summons = _earliest(_of_kind(events, Kind.SUMMONS))
    if summons is None or summons.occurred_on < referral.occurred_on:
        return []
    earliest = CCAPEX_REFERRAL_DELAY.after(referral.occurred_on)
    if summons.occurred_on >= earliest:
        return []
    return [
        f"L'assignation déjà enregistrée ({format_date(summons.occurred_on)}) doit intervenir "
        f"{CCAPEX_REFERRAL_DELAY.label} au moins après la saisine de la CCAPEX, "
        f"soit à partir du {format_date(earliest)}."
    ]


def _judgment_errors(events: list[ProcedureEvent], judgment: ProcedureEvent) -> list[str]:
    errors = []
    if not _of_kind(events, Kind.HEARING):
        # Without a recorded hearing, the hearing date given in the summons is the one to follow.
        summons = _earliest(_of_kind(events, Kind.SUMMONS))
        if (
            summons is not None
            and summons.hearing_date is not None
            and summons.occurred_on <= judgment.occurred_on < summons.hearing_date
        ):
            errors.append(
                "Le jugement ne peut précéder l'audience fixée dans l'assignation "
                f"({format_date(summons.hearing_date)})."
            )
    if judgment.lease_terminated is not True:
        if order := _earliest(_of_kind(events, Kind.ORDER_TO_VACATE)):
            errors.append(
                "Un commandement de quitter les lieux est déjà enregistré "
                f"({format_date(order.occurred_on)}) : le jugement doit avoir résilié le bail."
            )
        if protocol := _earliest(_of_kind(events, Kind.COHESION_PROTOCOL)):
            errors.append(
                "Un protocole de cohésion sociale est déjà enregistré "
                f"({format_date(protocol.occurred_on)}) : le jugement doit avoir résilié le bail."
            )
    return errors


def _order_to_vacate_errors(events: list[ProcedureEvent], order: ProcedureEvent) -> list[str]:
    errors = []
    judgment = _latest(_of_kind(events, Kind.JUDGMENT))
    if judgment is None:
        errors.append(
            "Un commandement de quitter les lieux suppose un jugement ayant résilié le bail : aucun jugement n'est "
            "enregistré."
        )
    elif judgment.lease_terminated is not True:
        errors.append(
            "Un commandement de quitter les lieux suppose un jugement ayant résilié le bail : le jugement enregistré "
            f"({format_date(judgment.occurred_on)}) ne prononce pas la résiliation du bail."
        )
    request = _earliest(_of_kind(events, Kind.POLICE_REQUEST))
    if request is not None and request.occurred_on >= order.occurred_on:
        end = ORDER_TO_VACATE_DELAY.after(order.occurred_on)
        if request.occurred_on <= end:
            errors.append(
                f"La réquisition de la force publique déjà enregistrée ({format_date(request.occurred_on)}) doit "
                f"intervenir après la fin du délai pour quitter les lieux, le {format_date(end)} "
                f"({ORDER_TO_VACATE_DELAY.label})."
            )
    return errors


def _police_request_errors(events: list[ProcedureEvent], request: ProcedureEvent) -> list[str]:
    order = _latest(_of_kind(events, Kind.ORDER_TO_VACATE))
    if order is None or request.occurred_on < order.occurred_on:
        return []
    end = ORDER_TO_VACATE_DELAY.after(order.occurred_on)
    if request.occurred_on > end:
        return []
    return [
        "La réquisition de la force publique ne peut intervenir qu'après la fin du délai pour quitter les lieux, "
        f"le {format_date(end)} ({ORDER_TO_VACATE_DELAY.label})."
    ]


def _fsl_decision_errors(events: list[ProcedureEvent], decision: ProcedureEvent) -> list[str]:
    applications = _of_kind(events, Kind.FSL_APPLICATION)
    if not applications:
        return ["Une décision FSL suppose une demande FSL enregistrée."]
    first = _earliest(applications)
    if first is not None and decision.occurred_on < first.occurred_on:
        return [f"La date de la décision FSL doit suivre celle de la demande FSL ({format_date(first.occurred_on)})."]
    return []


def _cohesion_protocol_errors(events: list[ProcedureEvent], protocol: ProcedureEvent) -> list[str]:
    terminations = [event for event in _of_kind(events, Kind.JUDGMENT) if event.lease_terminated is True]
    if not terminations:
        return ["Un protocole de cohésion sociale suppose un jugement ayant résilié le bail."]
    first = _earliest(terminations)
    if first is not None and protocol.occurred_on < first.occurred_on:
        return [
            "La date du protocole de cohésion sociale doit suivre celle du jugement ayant résilié le bail "
            f"({format_date(first.occurred_on)})."
        ]
    return []
