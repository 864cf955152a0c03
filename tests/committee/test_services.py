"""The secretary's services: planning, the agenda, decisions applied to measures and households (all or
nothing, once only), and the quarterly rhythm of sessions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee import services
from committee.enums import DecisionKind, ItemKind, SessionStatus
from committee.models import AgendaItem, Decision, Session
from households.enums import HouseholdStatus
from households.procedure import add_months
from measures import services as measure_services
from measures.enums import Intensity, MeasureStatus, MeasureType, Outcome
from measures.models import Measure
from tests.committee.factories import (
    PLACE,
    AgendaItemFactory,
    DecisionFactory,
    ProgrammeFactory,
    SessionFactory,
    at,
    in_days,
)
from tests.households.factories import HouseholdFactory, SituationReportFactory, days_ago
from tests.measures.factories import EvaluationFactory

# Every application of decisions stops on this bug; the tests below say what must happen once it is fixed.


@pytest.fixture
def session(landlord):
    """A session that took place a week ago: its decisions may be applied."""
    return SessionFactory(held=True, programme=ProgrammeFactory(landlord=landlord))


def session_date(session) -> date:
    return timezone.localtime(session.starts_at).date()


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()


# Planning and the agenda


def test_planning_numbers_sessions_one_after_the_other_within_a_programme(landlord):
    programme = ProgrammeFactory(landlord=landlord)
    other_programme = ProgrammeFactory(other_landlord=True)
    SessionFactory(programme=other_programme, number=7)

    first = services.session_plan(programme=programme, starts_at=in_days(10), place=PLACE)
    second = services.session_plan(programme=programme, starts_at=in_days(100), place=PLACE)

    assert (first.number, second.number) == (1, 2)
    assert first.status == SessionStatus.PLANNED
    assert second.place == PLACE


def test_an_added_item_goes_last_on_the_agenda(session):
    AgendaItemFactory(session=session)
    report = SituationReportFactory(household=HouseholdFactory(landlord=session.programme.landlord))

    item = services.agenda_add(
        session=session,
        kind=ItemKind.NEW_SITUATION,
        household=report.household,
        presented_by=session.programme.landlord,
        report=report,
        summary="Impayés de loyer",
    )

    assert item.position == 2
    assert item.situation_report == report
    assert list(session.items.values_list("position", flat=True)) == [1, 2]


def test_a_household_is_not_put_twice_on_the_agenda_for_the_same_reason(session):
    item = AgendaItemFactory(session=session)

    with pytest.raises(ValidationError, match="déjà à l'ordre du jour"):
        services.agenda_add(session=session, kind=item.kind, household=item.household, presented_by=item.presented_by)

    assert session.items.count() == 1


def test_moving_an_item_swaps_it_with_its_neighbour(session):
    first, second, third = (AgendaItemFactory(session=session) for _ in range(3))

    services.agenda_move(item=third, offset=-1)
    services.agenda_move(item=first, offset=-1)  # already first: nothing moves

    order = list(session.items.order_by("position").values_list("pk", flat=True))
    assert order == [first.pk, third.pk, second.pk]


def test_an_item_whose_decision_is_applied_cannot_be_removed(session):
    decision = DecisionFactory(item__session=session, applied=True)

    with pytest.raises(ValidationError, match="décision de ce point est appliquée"):
        services.agenda_remove(item=decision.item)

    assert AgendaItem.objects.filter(pk=decision.item.pk).exists()


def test_an_item_with_a_decision_not_yet_applied_can_be_removed(session):
    decision = DecisionFactory(item__session=session)

    services.agenda_remove(item=decision.item)

    assert not session.items.exists()
    assert not Decision.objects.filter(pk=decision.pk).exists()


def test_an_applied_decision_cannot_be_recorded_again(session):
    decision = DecisionFactory(item__session=session, applied=True)
    decision.summary = "Réécriture après coup"

    with pytest.raises(ValidationError, match="déjà appliquée"):
        services.decision_record(decision=decision)

    decision.refresh_from_db()
    assert decision.summary == "Situation partagée ; diagnostic partagé à engager."


def test_a_calibration_is_refused_on_an_item_about_no_measure(session):
    item = AgendaItemFactory(session=session, access_candidate=True)
    decision = Decision(item=item, kind=DecisionKind.CALIBRATE, measure_type=MeasureType.AVDL, intensity="standard")

    with pytest.raises(ValidationError) as error:
        services.decision_record(decision=decision)

    assert "aucune mesure" in str(error.value.message_dict["kind"])
    assert not Decision.objects.exists()


# Applying decisions: what each kind does


def test_applying_a_held_session_without_decisions_applies_nothing(session, secretary):
    assert services.session_apply_decisions(session=session, by=secretary) == []


def test_decisions_apply_only_once_the_session_is_held(secretary, landlord):
    decision = DecisionFactory(item__session=SessionFactory(past=True, programme=ProgrammeFactory(landlord=landlord)))

    with pytest.raises(ValidationError, match="une fois la séance tenue"):
        services.session_apply_decisions(session=decision.item.session, by=secretary)

    decision.refresh_from_db()
    assert decision.applied_at is None
    assert not Measure.objects.exists()


def test_an_orientation_creates_a_proposed_measure_with_the_chosen_association_and_type(
    session, secretary, other_association
):
    item = AgendaItemFactory(session=session, access_candidate=True)
    decision = DecisionFactory(item=item, operator=other_association, measure_type=MeasureType.HOUSING_FIRST)

    applied = services.session_apply_decisions(session=session, by=secretary)

    measure = Measure.objects.get(household=item.household)
    assert (measure.status, measure.operator, measure.measure_type) == (
        MeasureStatus.PROPOSED,
        other_association,
        MeasureType.HOUSING_FIRST,
    )
    assert measure.intensity == Intensity.STANDARD
    refreshed(item.household, decision)
    assert item.household.operator == other_association
    assert applied == [decision]
    assert decision.result_measure == measure
    assert decision.applied_by == secretary
    assert decision.applied_at is not None
    assert decision.result == "Mesure proposée à AFEJI (Accès – logement d'abord)."


def test_the_diagnostic_starts_on_the_measure_the_committee_proposed(session, secretary, association, referent):
    decision = DecisionFactory(item__session=session, operator=association)
    services.session_apply_decisions(session=session, by=secretary)
    decision.refresh_from_db()

    diagnostic = measure_services.diagnostic_start(
        household=decision.item.household,
        operator=association,
        social_worker=referent,
        on=timezone.localdate(),
        by=referent,
    )

    assert diagnostic.measure == decision.result_measure
    assert Measure.objects.filter(household=decision.item.household).count() == 1


def test_an_orientation_is_refused_when_the_household_already_has_an_open_measure(session, secretary):
    item = AgendaItemFactory(session=session, evaluation=True, kind=ItemKind.OTHER)
    decision = DecisionFactory(item=item)

    with pytest.raises(ValidationError, match="déjà une mesure en cours.*Aucune décision n'a été appliquée"):
        services.session_apply_decisions(session=session, by=secretary)

    decision.refresh_from_db()
    assert decision.applied_at is None
    assert Measure.objects.filter(household=item.household).count() == 1


def test_a_calibration_updates_type_intensity_and_planned_end(session, secretary):
    decision = DecisionFactory(
        calibrate=True,
        item__session=session,
        measure_type=MeasureType.AVDL,
        intensity=Intensity.REINFORCED,
        duration_months=18,
        content="Reprise du paiement du loyer, ouverture des droits CAF.",
    )
    measure = decision.item.measure

    services.session_apply_decisions(session=session, by=secretary)

    refreshed(measure, decision)
    assert measure.measure_type == MeasureType.AVDL
    assert measure.intensity == Intensity.REINFORCED
    assert measure.planned_end == add_months(measure.start_date, 18)
    assert measure.content == "Reprise du paiement du loyer, ouverture des droits CAF."
    assert decision.result == "Mesure calibrée."
    assert decision.result_measure == measure


def test_a_calibration_with_a_planned_end_keeps_that_end(session, secretary):
    end = timezone.localdate() + timedelta(days=400)
    decision = DecisionFactory(calibrate=True, item__session=session, duration_months=None, planned_end=end)

    services.session_apply_decisions(session=session, by=secretary)

    decision.item.measure.refresh_from_db()
    assert decision.item.measure.planned_end == end


def test_an_extension_moves_the_planned_end_by_its_duration(session, secretary):
    decision = DecisionFactory(extend=True, item__session=session, duration_months=6)
    measure = decision.item.measure
    old_end = measure.planned_end

    services.session_apply_decisions(session=session, by=secretary)

    refreshed(measure, decision)
    assert measure.planned_end == add_months(old_end, 6)
    assert decision.result == f"Mesure prolongée jusqu'au {add_months(old_end, 6):%d/%m/%Y}."


def test_an_extension_to_a_later_date_sets_that_date(session, secretary):
    decision = DecisionFactory(extend=True, item__session=session, duration_months=None)
    new_end = decision.item.measure.planned_end + timedelta(days=45)
    Decision.objects.filter(pk=decision.pk).update(planned_end=new_end)

    services.session_apply_decisions(session=session, by=secretary)

    decision.item.measure.refresh_from_db()
    assert decision.item.measure.planned_end == new_end


@pytest.mark.parametrize("days", [0, -30], ids=["same-end", "earlier-end"])
def test_an_extension_is_refused_when_the_new_end_is_not_later(session, secretary, days):
    decision = DecisionFactory(extend=True, item__session=session, duration_months=None)
    measure = decision.item.measure
    old_end = measure.planned_end
    Decision.objects.filter(pk=decision.pk).update(planned_end=old_end + timedelta(days=days))

    with pytest.raises(ValidationError, match="la nouvelle fin doit suivre la fin prévue actuelle"):
        services.session_apply_decisions(session=session, by=secretary)

    refreshed(measure, decision)
    assert measure.planned_end == old_end
    assert decision.applied_at is None


def test_an_adjustment_changes_the_content_and_intensity(session, secretary):
    decision = DecisionFactory(adjust=True, item__session=session)

    services.session_apply_decisions(session=session, by=secretary)

    measure = decision.item.measure
    measure.refresh_from_db()
    assert (measure.intensity, measure.content) == (Intensity.LIGHT, "Une visite par mois suffit désormais.")


def test_a_closure_sets_the_outcome_through_the_measures_closure(session, secretary):
    decision = DecisionFactory(close=True, item__session=session, outcome=Outcome.REHOUSED)
    measure = decision.item.measure
    EvaluationFactory(measure=measure, final=True)

    services.session_apply_decisions(session=session, by=secretary)

    refreshed(measure, decision, measure.household)
    assert measure.status == MeasureStatus.CLOSED
    assert measure.outcome == Outcome.REHOUSED
    assert measure.closed_on == session_date(session)
    change = measure.status_changes.order_by("-recorded_at").first()
    assert (change.to_status, change.on, change.reason, change.by) == (
        MeasureStatus.CLOSED,
        session_date(session),
        "Décision du comité",
        secretary,
    )
    assert measure.household.status == HouseholdStatus.CLOSED
    assert not measure.assignments.filter(end__isnull=True).exists()
    assert decision.result_measure == measure


def test_a_closure_records_its_outcome_in_the_decisions_result(session, secretary):
    decision = DecisionFactory(close=True, item__session=session, outcome=Outcome.KEPT_IN_HOME)
    EvaluationFactory(measure=decision.item.measure, final=True)

    services.session_apply_decisions(session=session, by=secretary)

    decision.refresh_from_db()
    assert decision.result == "Mesure close : maintien dans le logement."


def test_a_closure_without_the_final_evaluation_fails_the_whole_application(session, secretary):
    orientation = DecisionFactory(item__session=session)
    closure = DecisionFactory(close=True, item__session=session)
    EvaluationFactory(measure=closure.item.measure)  # an intermediate one does not do

    with pytest.raises(ValidationError, match="Point 2 .*évaluation finale.*Aucune décision n'a été appliquée"):
        services.session_apply_decisions(session=session, by=secretary)

    refreshed(orientation, closure, closure.item.measure, orientation.item.household)
    assert closure.item.measure.status == MeasureStatus.ACTIVE
    assert not Measure.objects.filter(household=orientation.item.household).exists()
    assert orientation.item.household.operator is None
    assert orientation.applied_at is None
    assert closure.applied_at is None


def test_not_retained_sets_the_household_status(session, secretary):
    decision = DecisionFactory(not_retained=True, item__session=session)

    services.session_apply_decisions(session=session, by=secretary)

    refreshed(decision, decision.item.household)
    assert decision.item.household.status == HouseholdStatus.NOT_RETAINED
    assert decision.result == "Situation non retenue : Situation relevant du droit commun (FSL)."
    assert decision.result_measure is None


def test_defer_adds_the_item_to_the_next_session(session, secretary):
    following = SessionFactory(programme=session.programme, starts_at=in_days(80))
    SessionFactory(programme=session.programme, starts_at=in_days(170))
    AgendaItemFactory(session=following)
    decision = DecisionFactory(defer=True, item__session=session, item__reported=True)
    item = decision.item

    services.session_apply_decisions(session=session, by=secretary)

    deferred = following.items.get(household=item.household)
    assert (deferred.kind, deferred.situation_report, deferred.presented_by, deferred.summary) == (
        item.kind,
        item.situation_report,
        item.presented_by,
        item.summary,
    )
    assert deferred.position == 2
    decision.refresh_from_db()
    assert decision.result == f"Point reporté à la séance n° {following.number}."


def test_defer_is_refused_when_no_later_session_is_planned(session, secretary):
    decision = DecisionFactory(defer=True, item__session=session)

    with pytest.raises(ValidationError, match="aucune séance suivante"):
        services.session_apply_decisions(session=session, by=secretary)

    decision.refresh_from_db()
    assert decision.applied_at is None


def test_applying_twice_changes_nothing(session, secretary):
    orientation = DecisionFactory(item__session=session)
    calibration = DecisionFactory(calibrate=True, item__session=session)
    services.session_apply_decisions(session=session, by=secretary)
    refreshed(orientation, calibration)
    first = [(d.applied_at, d.result, d.result_measure_id) for d in (orientation, calibration)]
    measures = list(Measure.objects.order_by("pk").values_list("pk", "status", "planned_end", "version"))

    again = services.session_apply_decisions(session=session, by=secretary)

    assert again == []
    refreshed(orientation, calibration)
    assert [(d.applied_at, d.result, d.result_measure_id) for d in (orientation, calibration)] == first
    assert list(Measure.objects.order_by("pk").values_list("pk", "status", "planned_end", "version")) == measures


def test_a_failing_decision_rolls_back_the_whole_application(session, secretary):
    orientation = DecisionFactory(item__session=session, item__reported=True)
    extension = DecisionFactory(extend=True, item__session=session, duration_months=None)
    Decision.objects.filter(pk=extension.pk).update(planned_end=extension.item.measure.planned_end)

    with pytest.raises(ValidationError, match="Point 2"):
        services.session_apply_decisions(session=session, by=secretary)

    household = orientation.item.household
    household.refresh_from_db()
    assert not Measure.objects.filter(household=household).exists()
    assert household.operator is None
    assert not Decision.objects.filter(applied_at__isnull=False).exists()
    orientation.item.situation_report.refresh_from_db()
    assert orientation.item.situation_report.presented_on is None


def test_situation_reports_on_the_agenda_are_presented_on_the_session_date(secretary, landlord):
    # 00:30 in Paris is still the day before in UTC: the date is the committee's own.
    session = SessionFactory(
        held=True, programme=ProgrammeFactory(landlord=landlord), starts_at=at(days_ago(20), hour=0, minute=30)
    )
    decision = DecisionFactory(item__session=session, item__reported=True)
    report = decision.item.situation_report

    services.session_apply_decisions(session=session, by=secretary)

    report.refresh_from_db()
    assert report.presented_on == days_ago(20)


# The quarterly rhythm


@pytest.mark.parametrize(
    ("starts", "proposed"),
    [
        (at(date(2026, 1, 13), 14, 30), at(date(2026, 4, 13), 14, 30)),  # winter time to summer time
        (at(date(2025, 11, 30), 9, 0), at(date(2026, 2, 28), 9, 0)),  # no 30 February
    ],
    ids=["across-summer-time", "end-of-month"],
)
def test_marking_a_session_held_proposes_the_next_one_three_months_later(landlord, starts, proposed):
    session = SessionFactory(
        programme=ProgrammeFactory(landlord=landlord), starts_at=starts, place="Mairie de Roubaix"
    )

    following = services.session_mark_held(session=session)

    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert following.starts_at == proposed
    assert timezone.localtime(following.starts_at).strftime("%H:%M") == starts.strftime("%H:%M")
    assert following.place == "Mairie de Roubaix"
    assert (following.number, following.status) == (session.number + 1, SessionStatus.PLANNED)


def test_marking_held_proposes_nothing_when_a_later_session_is_planned(landlord):
    programme = ProgrammeFactory(landlord=landlord)
    session = SessionFactory(programme=programme, past=True)
    SessionFactory(programme=programme, starts_at=in_days(60))

    assert services.session_mark_held(session=session) is None

    assert Session.objects.filter(programme=programme).count() == 2


def test_a_later_session_of_another_programme_does_not_stop_the_proposal(landlord):
    session = SessionFactory(programme=ProgrammeFactory(landlord=landlord), past=True)
    SessionFactory(programme=ProgrammeFactory(other_landlord=True), starts_at=in_days(60))

    following = services.session_mark_held(session=session)

    assert following.programme == session.programme


def test_a_session_is_marked_held_only_once(session):
    with pytest.raises(ValidationError, match="déjà tenue"):
        services.session_mark_held(session=session)

    assert Session.objects.filter(programme=session.programme).count() == 1
