"""Demo committee: the programme, eight past quarterly sessions with agendas, applied decisions and
validated minutes, and one upcoming session with a draft agenda. Deterministic."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Organisation, User
from committee import services
from committee.enums import Attendance, DecisionKind, ItemKind, SessionStatus
from committee.models import Attendee, Decision, Session
from finance import demo as finance_demo
from households.enums import HouseholdStatus, Track
from households.models import Household
from households.procedure import add_months
from measures.models import Measure

PARIS = ZoneInfo("Europe/Paris")
ATTENDEES = [
    ("LMH", "Nathalie Roussel", "n.roussel@lmh.example"),
    ("LMH", "Claire Lefebvre", "c.lefebvre@lmh.example"),
    ("EOLE", "Sophie Dubois", "s.dubois@eole.example"),
    ("AFEJI", "Karim Benali", "k.benali@afeji.example"),
    ("GRAAL", "Marc Dhont", "m.dhont@graal.example"),
    ("SIAO", "Hélène Carton", "h.carton@siao.example"),
    ("CCAS Lille", "Farid Amrani", "f.amrani@ccas.example"),
]


def seed(*, today=None) -> int:
    today = today or timezone.localdate()
    programme = finance_demo.seed(today=today)
    if Session.objects.filter(programme=programme).exists():
        return 0
    start = programme.start
    secretary = User.objects.get(email="n.roussel@lmh.example")
    organisations = {o.short_name: o for o in Organisation.objects.all()}
    sessions = []
    for quarter in range(9):
        day = add_months(start, 3 * quarter + 2) + timedelta(days=9)
        day += timedelta(days=(1 - day.weekday()) % 7)  # committees meet on Tuesdays
        starts_at = datetime.combine(day, time(14, 0), tzinfo=PARIS)
        session = services.session_plan(programme=programme, starts_at=starts_at, place=programme.committee_place)
        for index, (short, name, email) in enumerate(ATTENDEES):
            attendance = Attendance.PRESENT if (index + quarter) % 6 else Attendance.EXCUSED
            if day > today:
                attendance = Attendance.INVITED
            Attendee.objects.create(
                session=session, organisation=organisations[short], name=name, email=email, attendance=attendance
            )
        sessions.append(session)
    previous = start - timedelta(days=1)
    for session in sessions:
        day = timezone.localtime(session.starts_at).date()
        _agenda(session, previous, day, today)
        if day <= today:
            Session.objects.filter(pk=session.pk).update(
                status=SessionStatus.HELD, convened_at=session.starts_at - timedelta(days=15)
            )
            session.refresh_from_db()
            _decide(session)
            services.minutes_validate(session=session, by=secretary)
        previous = day
    return len(sessions)


def _agenda(session, after, until, today):
    households = Household.objects.filter(proposed_on__gt=after, proposed_on__lte=until).select_related("proposed_by")
    if until > today:  # the upcoming session: what is still waiting
        households = Household.objects.filter(status=HouseholdStatus.PROPOSED).select_related("proposed_by")
    for household in households.order_by("proposed_on"):
        report = household.situation_reports.first()
        if household.track == Track.MAINTIEN:
            services.agenda_add(
                session=session,
                kind=ItemKind.NEW_SITUATION,
                household=household,
                presented_by=household.landlord,
                report=report,
                summary=", ".join(report.reasons) if report else "",
            )
        else:
            services.agenda_add(
                session=session,
                kind=ItemKind.ACCESS_CANDIDATE,
                household=household,
                presented_by=household.proposed_by,
                summary="Famille hébergée, candidate au logement d'abord.",
            )
    if until <= today:
        for measure in Measure.objects.filter(closed_on__gt=after, closed_on__lte=until).select_related(
            "household", "operator"
        ):
            services.agenda_add(
                session=session,
                kind=ItemKind.CLOSURE,
                household=measure.household,
                presented_by=measure.operator,
                measure=measure,
                summary="Évaluation finale présentée.",
            )


def _decide(session):
    for item in session.items.select_related("household", "measure"):
        household = item.household
        measure = household.measures.order_by("created_at").first()
        if item.kind == ItemKind.CLOSURE:
            decision = Decision(
                item=item,
                kind=DecisionKind.CLOSE,
                outcome=item.measure.outcome,
                summary="Objectifs atteints ; le comité prononce la clôture.",
            )
            result = f"Mesure close : {item.measure.get_outcome_display().lower()}."
        elif household.status == HouseholdStatus.NOT_RETAINED and not measure:
            decision = Decision(
                item=item, kind=DecisionKind.NOT_RETAINED, reason="Situation relevant du droit commun (FSL)"
            )
            result = "Situation non retenue : situation relevant du droit commun (FSL)."
        elif household.operator_id:
            decision = Decision(
                item=item,
                kind=DecisionKind.ORIENT,
                operator=household.operator,
                measure_type=measure.measure_type if measure else "maintien",
                summary="Situation partagée ; diagnostic partagé à engager.",
            )
            result = f"Mesure proposée à {household.operator}."
        else:
            decision = Decision(
                item=item, kind=DecisionKind.DEFER, summary="Informations à compléter par le bailleur."
            )
            result = "Point reporté à la séance suivante."
        decision.full_clean()
        decision.applied_at = session.starts_at + timedelta(hours=2)
        decision.result = result
        decision.result_measure = item.measure or measure
        decision.save()
