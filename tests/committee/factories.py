"""Factories of the committee app. Defaults give a valid object; Traits give the usual variants.

Everything sits by default at the landlord « LMH » with the association « EOLE » (the organisations of the
shared personas of `tests/conftest.py`, found by their short name). Rows are saved as they are, without the
checks of `committee.services`: tests that need those checks go through the service or the view.

    SessionFactory()                          # planned, in a month, 14 h 00, at the programme's usual place
    SessionFactory(held=True)                 # took place a week ago, decisions not applied yet
    AgendaItemFactory(reported=True)          # a situation reported by the landlord's tenancy staff
    AgendaItemFactory(calibration=True)       # an item on an active measure of an EOLE household
    DecisionFactory()                         # orientation towards EOLE, maintien, not applied yet
    DecisionFactory(close=True)               # closure of an active measure (add its final evaluation)
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.db.models import Max
from django.utils import timezone

from committee.enums import Attendance, DecisionKind, ItemKind, SessionStatus
from committee.models import AgendaItem, Attendee, Decision, Session
from finance.models import Programme
from measures.enums import Intensity, MeasureType, Outcome
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.households.factories import HouseholdFactory, SituationReportFactory, days_ago
from tests.measures.factories import EOLE, LMH, MeasureFactory

PARIS = ZoneInfo("Europe/Paris")
PLACE = "Siège de LMH, 425 boulevard Gambetta, Tourcoing"


def at(day, hour: int = 14, minute: int = 0) -> datetime:
    """`day` at `hour`:`minute`, Paris time (the committee's wall clock)."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def in_days(days: int, hour: int = 14, minute: int = 0) -> datetime:
    return at(timezone.localdate() + timedelta(days=days), hour, minute)


def _next_number(session) -> int:
    return (Session.objects.filter(programme=session.programme).aggregate(n=Max("number"))["n"] or 0) + 1


def _next_position(item) -> int:
    return (AgendaItem.objects.filter(session=item.session).aggregate(n=Max("position"))["n"] or 0) + 1


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """LMH's programme, started a year ago for two years. `other_landlord=True` gives it to Partenord."""

    class Meta:
        model = Programme

    landlord = factory.SubFactory(OrganisationFactory, **LMH)
    name = factory.Sequence(lambda n: f"10 000 logements HLM accompagnés — programme {n}")
    call_year = 2014
    start = factory.LazyFunction(lambda: days_ago(365))
    end = factory.LazyAttribute(lambda o: o.start + timedelta(days=730))
    maintien_planned_per_year = 15
    acces_planned_per_year = 5
    committee_place = PLACE

    class Params:
        other_landlord = factory.Trait(
            landlord=factory.SubFactory(
                OrganisationFactory, landlord=True, name="Partenord Habitat", short_name="PARTENORD"
            ),
            committee_place="Siège de Partenord, Lille",
        )


class SessionFactory(factory.django.DjangoModelFactory):
    """A planned session in a month. Traits: `convened`, `past` (a week ago, still planned), `held`,
    `validated` (status only: validated minutes come from `services.minutes_validate`)."""

    class Meta:
        model = Session

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.LazyAttribute(_next_number)
    starts_at = factory.LazyFunction(lambda: in_days(30))
    place = factory.SelfAttribute("programme.committee_place")
    status = SessionStatus.PLANNED

    class Params:
        convened = factory.Trait(
            status=SessionStatus.CONVENED, convened_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
        )
        past = factory.Trait(starts_at=factory.LazyFunction(lambda: in_days(-7)))
        held = factory.Trait(past=True, status=SessionStatus.HELD)
        validated = factory.Trait(past=True, status=SessionStatus.VALIDATED)


class AttendeeFactory(factory.django.DjangoModelFactory):
    """Someone of the landlord convened with an e-mail address. Traits: `present`, `excused`, `without_email`."""

    class Meta:
        model = Attendee

    session = factory.SubFactory(SessionFactory)
    organisation = factory.SelfAttribute("session.programme.landlord")
    name = factory.Sequence(lambda n: f"Participant {n}")
    email = factory.Sequence(lambda n: f"participant{n}@partenaire.example")
    attendance = Attendance.INVITED

    class Params:
        present = factory.Trait(attendance=Attendance.PRESENT)
        excused = factory.Trait(attendance=Attendance.EXCUSED)
        without_email = factory.Trait(email="")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    """A maintien household of the session's landlord presented by the landlord, last on the agenda.

    - `reported=True`: with the tenancy staff's situation report (pass `situation_report__reported_by=u`);
    - `access_candidate=True`: an accès household proposed by EOLE, presented by EOLE;
    - `calibration=True`, `evaluation=True`, `closure=True`: on an active measure of an EOLE household
      (pass `measure=…` to choose it)."""

    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    position = factory.LazyAttribute(_next_position)
    kind = ItemKind.NEW_SITUATION
    household = factory.SubFactory(
        HouseholdFactory, landlord=factory.SelfAttribute("..session.programme.landlord"), in_arrears=True
    )
    situation_report = None
    measure = None
    presented_by = factory.SelfAttribute("household.landlord")
    summary = "Impayés de loyer"

    class Params:
        reported = factory.Trait(
            situation_report=factory.SubFactory(SituationReportFactory, household=factory.SelfAttribute("..household"))
        )
        access_candidate = factory.Trait(
            kind=ItemKind.ACCESS_CANDIDATE,
            household=factory.SubFactory(
                HouseholdFactory,
                acces=True,
                landlord=factory.SelfAttribute("..session.programme.landlord"),
                proposed_by=factory.SubFactory(OrganisationFactory, **EOLE),
            ),
            presented_by=factory.SelfAttribute("household.proposed_by"),
            summary="Famille hébergée en CHRS, candidate au logement d'abord.",
        )
        on_measure = factory.Trait(
            measure=factory.SubFactory(MeasureFactory, active=True),
            household=factory.SelfAttribute("measure.household"),
            presented_by=factory.SelfAttribute("measure.operator"),
            summary="Évaluation présentée par la référente.",
        )
        calibration = factory.Trait(on_measure=True, kind=ItemKind.CALIBRATION)
        evaluation = factory.Trait(on_measure=True, kind=ItemKind.EVALUATION)
        closure = factory.Trait(on_measure=True, kind=ItemKind.CLOSURE)


class DecisionFactory(factory.django.DjangoModelFactory):
    """An orientation towards EOLE (maintien) of a new situation, not applied yet. Traits give the other
    kinds on a fitting item: `calibrate`, `extend`, `adjust`, `close`, `defer`, `not_retained`; and
    `applied` for a decision already applied."""

    class Meta:
        model = Decision

    item = factory.SubFactory(AgendaItemFactory)
    kind = DecisionKind.ORIENT
    operator = factory.SubFactory(OrganisationFactory, **EOLE)
    measure_type = MeasureType.MAINTIEN
    summary = "Situation partagée ; diagnostic partagé à engager."

    class Params:
        calibrate = factory.Trait(
            item=factory.SubFactory(AgendaItemFactory, calibration=True),
            kind=DecisionKind.CALIBRATE,
            operator=None,
            measure_type=MeasureType.MAINTIEN,
            intensity=Intensity.REINFORCED,
            duration_months=18,
        )
        extend = factory.Trait(
            item=factory.SubFactory(AgendaItemFactory, evaluation=True),
            kind=DecisionKind.EXTEND,
            operator=None,
            measure_type="",
            duration_months=6,
        )
        adjust = factory.Trait(
            item=factory.SubFactory(AgendaItemFactory, evaluation=True),
            kind=DecisionKind.ADJUST,
            operator=None,
            measure_type="",
            intensity=Intensity.LIGHT,
            content="Une visite par mois suffit désormais.",
        )
        close = factory.Trait(
            item=factory.SubFactory(AgendaItemFactory, closure=True),
            kind=DecisionKind.CLOSE,
            operator=None,
            measure_type="",
            outcome=Outcome.KEPT_IN_HOME,
        )
        defer = factory.Trait(
            kind=DecisionKind.DEFER,
            operator=None,
            measure_type="",
            summary="Informations à compléter par le bailleur.",
        )
        not_retained = factory.Trait(
            kind=DecisionKind.NOT_RETAINED,
            operator=None,
            measure_type="",
            reason="Situation relevant du droit commun (FSL)",
        )
        applied = factory.Trait(
            applied_at=factory.LazyFunction(timezone.now),
            applied_by=factory.SubFactory(UserFactory),
            result="Décision appliquée.",
        )
