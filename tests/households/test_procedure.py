"""The eviction procedure's rules, date by date: no database, the module is pure."""

from dataclasses import dataclass
from datetime import date

import pytest

from households.enums import LegalRegime, ProcedureEventKind
from households.procedure import (
    REFORM_DATE,
    Deadline,
    Delay,
    EventFacts,
    add_months,
    in_winter_truce,
    next_deadline,
    order_errors,
    payment_order_delay,
    payment_order_regime,
    regime_on,
    stage_label,
    summons_hearing_delay,
    winter_truce_end,
)

Kind = ProcedureEventKind
TODAY = date(2026, 12, 31)


def event(kind, day, **facts):
    return EventFacts(kind, day, **facts)


def ccapex(day):
    return event(Kind.CCAPEX_REFERRAL, day)


def payment_order(day):
    return event(Kind.PAYMENT_ORDER, day)


def summons(day, hearing_date=None):
    return event(Kind.SUMMONS, day, hearing_date=hearing_date)


def hearing(day):
    return event(Kind.HEARING, day)


def judgment(day, *, lease_terminated=True):
    return event(Kind.JUDGMENT, day, lease_terminated=lease_terminated)


def order_to_vacate(day):
    return event(Kind.ORDER_TO_VACATE, day)


def police_request(day):
    return event(Kind.POLICE_REQUEST, day)


# Regime and delays


def test_reform_date_is_29_july_2023():
    assert REFORM_DATE == date(2023, 7, 29)


def test_regime_is_before_the_reform_on_28_july_2023():
    assert regime_on(date(2023, 7, 28)) == LegalRegime.BEFORE_2023


def test_regime_is_after_the_reform_from_29_july_2023():
    assert regime_on(date(2023, 7, 29)) == LegalRegime.AFTER_2023
    assert regime_on(date(2026, 1, 1)) == LegalRegime.AFTER_2023


def test_payment_order_delay_is_two_months_before_the_reform():
    assert payment_order_delay(LegalRegime.BEFORE_2023) == Delay(months=2)
    assert payment_order_delay(LegalRegime.BEFORE_2023).label == "2 mois"


def test_payment_order_delay_is_six_weeks_after_the_reform():
    assert payment_order_delay(LegalRegime.AFTER_2023) == Delay(weeks=6)
    assert payment_order_delay(LegalRegime.AFTER_2023).label == "6 semaines"


def test_summons_hearing_delay_is_two_months_before_the_reform_and_six_weeks_after():
    assert summons_hearing_delay(LegalRegime.BEFORE_2023) == Delay(months=2)
    assert summons_hearing_delay(LegalRegime.AFTER_2023) == Delay(weeks=6)


def test_payment_order_regime_follows_the_lease_date_when_known():
    # Cour de cassation, avis of 13 June 2024: leases in progress on 29/07/2023 keep two months.
    assert payment_order_regime(ordered_on=date(2026, 3, 2), lease_signed_on=date(2015, 6, 1)) == (
        LegalRegime.BEFORE_2023
    )
    assert payment_order_regime(ordered_on=date(2026, 3, 2), lease_signed_on=date(2024, 6, 1)) == (
        LegalRegime.AFTER_2023
    )
    assert payment_order_regime(ordered_on=date(2026, 3, 2)) == LegalRegime.AFTER_2023


# Month arithmetic


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2026, 1, 15), -2, date(2025, 11, 15)),
        (date(2025, 8, 31), 2, date(2025, 10, 31)),
    ],
)
def test_add_months_keeps_the_day_and_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


def test_delay_in_weeks_counts_calendar_days():
    assert Delay(weeks=6).after(date(2026, 9, 2)) == date(2026, 10, 14)
    assert Delay(weeks=6).after(date(2025, 12, 1)) == date(2026, 1, 12)


# Winter truce


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 10, 31), False),
        (date(2025, 11, 1), True),
        (date(2025, 12, 31), True),
        (date(2026, 1, 1), True),
        (date(2026, 3, 31), True),
        (date(2026, 4, 1), False),
        (date(2026, 7, 14), False),
    ],
)
def test_winter_truce_runs_from_1_november_to_31_march_inclusive(day, expected):
    assert in_winter_truce(day) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 11, 1), date(2026, 3, 31)),
        (date(2025, 12, 31), date(2026, 3, 31)),
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 3, 31), date(2026, 3, 31)),
    ],
)
def test_winter_truce_end_is_the_31_march_after_the_year_change(day, expected):
    assert winter_truce_end(day) == expected


# Next deadline


def test_no_event_means_no_deadline():
    assert next_deadline([], today=TODAY) is None


def test_ccapex_referral_allows_the_summons_two_months_later():
    deadline = next_deadline([ccapex(date(2025, 12, 31))], today=TODAY)
    assert deadline.code == "summons_possible"
    assert deadline.label == "Assignation possible à partir du"
    assert deadline.due == date(2026, 2, 28)
    assert deadline.effective == deadline.due
    assert deadline.postponed_by_truce is False


def test_payment_order_dated_28_july_2023_ends_two_months_later():
    deadline = next_deadline([payment_order(date(2023, 7, 28))], today=TODAY)
    assert deadline.code == "payment_order_end"
    assert deadline.label == "Fin du délai du commandement de payer"
    assert deadline.due == date(2023, 9, 28)
    assert deadline.regime == LegalRegime.BEFORE_2023


def test_payment_order_dated_29_july_2023_ends_six_weeks_later():
    deadline = next_deadline([payment_order(date(2023, 7, 29))], today=TODAY)
    assert deadline.due == date(2023, 9, 9)
    assert deadline.regime == LegalRegime.AFTER_2023


def test_payment_order_under_a_lease_signed_before_the_reform_keeps_two_months():
    deadline = next_deadline([payment_order(date(2026, 3, 2))], today=TODAY, lease_signed_on=date(2012, 5, 1))
    assert deadline.due == date(2026, 5, 2)
    assert deadline.regime == LegalRegime.BEFORE_2023


def test_before_the_summons_the_later_of_ccapex_and_payment_order_deadlines_is_shown():
    referral_last = [payment_order(date(2026, 1, 5)), ccapex(date(2026, 2, 10))]
    assert next_deadline(referral_last, today=TODAY).code == "summons_possible"
    assert next_deadline(referral_last, today=TODAY).due == date(2026, 4, 10)

    payment_order_last = [ccapex(date(2026, 1, 5)), payment_order(date(2026, 2, 10))]
    assert next_deadline(payment_order_last, today=TODAY).code == "payment_order_end"
    assert next_deadline(payment_order_last, today=TODAY).due == date(2026, 3, 24)


def test_summons_gives_the_hearing_as_deadline():
    deadline = next_deadline(
        [payment_order(date(2026, 1, 5)), summons(date(2026, 3, 2), date(2026, 5, 4))], today=TODAY
    )
    assert deadline.code == "hearing"
    assert deadline.label == "Audience"
    assert deadline.due == date(2026, 5, 4)
    assert deadline.postponed_by_truce is False


def test_summons_without_hearing_date_gives_no_deadline():
    assert next_deadline([summons(date(2026, 3, 2))], today=TODAY) is None


@pytest.mark.parametrize(
    "events",
    [
        [summons(date(2026, 3, 2), date(2026, 5, 4)), hearing(date(2026, 5, 4))],
        [summons(date(2026, 3, 2), date(2026, 5, 4)), hearing(date(2026, 5, 4)), judgment(date(2026, 6, 1))],
        [judgment(date(2026, 1, 5), lease_terminated=False)],
        [police_request(date(2026, 5, 1)), event(Kind.POLICE_DECISION, date(2026, 6, 1))],
    ],
)
def test_hearing_judgment_and_police_decision_have_no_legal_deadline(events):
    assert next_deadline(events, today=TODAY) is None


def test_order_to_vacate_deadline_outside_the_truce_is_not_postponed():
    deadline = next_deadline([judgment(date(2025, 6, 2)), order_to_vacate(date(2025, 7, 10))], today=TODAY)
    assert deadline.code == "vacate_end"
    assert deadline.label == "Fin du délai pour quitter les lieux"
    assert deadline.due == date(2025, 9, 10)
    assert deadline.postponed_by_truce is False
    assert deadline.effective == date(2025, 9, 10)


def test_order_to_vacate_deadline_in_the_truce_is_postponed_to_1_april():
    deadline = next_deadline([judgment(date(2025, 11, 3)), order_to_vacate(date(2025, 12, 15))], today=TODAY)
    assert deadline.due == date(2026, 2, 15)
    assert deadline.postponed_by_truce is True
    assert deadline.effective == date(2026, 4, 1)


def test_order_to_vacate_deadline_on_the_truce_boundaries():
    on_31_october = next_deadline([order_to_vacate(date(2025, 8, 31))], today=TODAY)
    assert (on_31_october.due, on_31_october.postponed_by_truce) == (date(2025, 10, 31), False)
    on_1_november = next_deadline([order_to_vacate(date(2025, 9, 1))], today=TODAY)
    assert (on_1_november.due, on_1_november.postponed_by_truce) == (date(2025, 11, 1), True)
    assert on_1_november.effective == date(2026, 4, 1)


def test_police_decision_deadline_is_two_months_and_postponed_in_the_truce():
    in_truce = next_deadline([police_request(date(2026, 1, 10))], today=TODAY)
    assert in_truce.code == "police_decision_due"
    assert in_truce.label == "Décision du préfet attendue au plus tard"
    assert in_truce.due == date(2026, 3, 10)
    assert in_truce.postponed_by_truce is True
    assert in_truce.effective == date(2026, 4, 1)

    after_truce = next_deadline([police_request(date(2026, 2, 15))], today=TODAY)
    assert after_truce.due == date(2026, 4, 15)
    assert after_truce.postponed_by_truce is False
    assert after_truce.effective == date(2026, 4, 15)


def test_hearing_in_the_truce_is_not_postponed():
    deadline = next_deadline([summons(date(2025, 10, 1), date(2025, 12, 1))], today=TODAY)
    assert deadline.due == date(2025, 12, 1)
    assert deadline.postponed_by_truce is False
    assert deadline.effective == date(2025, 12, 1)


def test_past_deadline_is_still_returned_with_negative_days_left():
    deadline = next_deadline([payment_order(date(2026, 9, 2))], today=date(2026, 10, 20))
    assert deadline.due == date(2026, 10, 14)
    assert deadline.days_left(date(2026, 10, 20)) == -6
    assert deadline.is_past(date(2026, 10, 20)) is True


def test_days_left_counts_to_the_due_date():
    deadline = Deadline(
        "hearing",
        "Audience",
        date(2026, 5, 4),
        LegalRegime.AFTER_2023,
        postponed_by_truce=False,
        effective=date(2026, 5, 4),
    )
    assert deadline.days_left(date(2026, 5, 1)) == 3
    assert deadline.days_left(date(2026, 5, 4)) == 0
    assert deadline.is_past(date(2026, 5, 4)) is False


def test_events_after_today_are_not_yet_taken_into_account():
    events = [payment_order(date(2026, 1, 5)), summons(date(2026, 3, 2), date(2026, 5, 4))]
    assert next_deadline(events, today=date(2026, 2, 1)).code == "payment_order_end"


@pytest.mark.parametrize("pause", [Kind.SUSPENSION, Kind.COHESION_PROTOCOL])
def test_suspension_or_cohesion_protocol_after_the_latest_stage_means_no_deadline(pause):
    events = [judgment(date(2026, 1, 5)), order_to_vacate(date(2026, 2, 2)), event(pause, date(2026, 2, 20))]
    assert next_deadline(events, today=TODAY) is None


def test_suspension_the_same_day_as_the_latest_stage_means_no_deadline():
    events = [payment_order(date(2026, 3, 2)), event(Kind.SUSPENSION, date(2026, 3, 2))]
    assert next_deadline(events, today=TODAY) is None


def test_stage_recorded_after_a_suspension_resumes_the_deadlines():
    events = [
        payment_order(date(2026, 1, 5)),
        event(Kind.SUSPENSION, date(2026, 2, 1)),
        summons(date(2026, 6, 1), date(2026, 7, 20)),
    ]
    assert next_deadline(events, today=TODAY).code == "hearing"


def test_other_ways_out_do_not_stop_the_deadlines():
    events = [
        payment_order(date(2026, 3, 2)),
        event(Kind.REPAYMENT_PLAN, date(2026, 3, 10)),
        event(Kind.FSL_APPLICATION, date(2026, 3, 12)),
        event(Kind.CCAPEX_OPINION, date(2026, 3, 20)),
    ]
    assert next_deadline(events, today=TODAY).code == "payment_order_end"


def test_closed_procedure_has_no_deadline():
    events = [payment_order(date(2026, 3, 2)), event(Kind.CLOSED, date(2026, 3, 20))]
    assert next_deadline(events, today=TODAY) is None


def test_closed_the_same_day_as_a_stage_has_no_deadline():
    events = [payment_order(date(2026, 3, 2)), event(Kind.CLOSED, date(2026, 3, 2))]
    assert next_deadline(events, today=TODAY) is None


def test_procedure_after_a_closed_one_starts_again():
    events = [
        payment_order(date(2024, 3, 4)),
        summons(date(2024, 6, 3), date(2024, 9, 2)),
        event(Kind.CLOSED, date(2024, 7, 1)),
        payment_order(date(2026, 9, 2)),
    ]
    deadline = next_deadline(events, today=TODAY)
    assert deadline.code == "payment_order_end"
    assert deadline.due == date(2026, 10, 14)


@dataclass
class StoredEvent:
    """Like a model instance: the kind is a plain string, and every attribute is there."""

    kind: str
    occurred_on: date
    hearing_date: date | None = None
    lease_terminated: bool | None = None


def test_events_with_plain_string_kinds_are_understood():
    events = [StoredEvent("payment_order", date(2026, 9, 2))]
    assert next_deadline(events, today=TODAY).due == date(2026, 10, 14)
    assert stage_label(events) == "Commandement de payer"
    assert order_errors(events, StoredEvent("summons", date(2026, 10, 15))) == []


# Stage label


def test_stage_label_without_main_stage_says_no_procedure():
    assert stage_label([]) == "Aucune procédure"
    assert stage_label([event(Kind.FSL_APPLICATION, date(2026, 1, 5))]) == "Aucune procédure"


def test_stage_label_is_the_latest_main_stage_in_legal_order():
    events = [
        ccapex(date(2026, 2, 1)),
        payment_order(date(2026, 1, 5)),
        summons(date(2026, 4, 6), date(2026, 6, 1)),
        hearing(date(2026, 6, 1)),
        event(Kind.REPAYMENT_PLAN, date(2026, 6, 15)),
    ]
    assert stage_label(events) == "Audience"


def test_stage_label_of_a_closed_procedure_says_so():
    events = [payment_order(date(2026, 3, 2)), event(Kind.CLOSED, date(2026, 4, 1))]
    assert stage_label(events) == "Procédure abandonnée ou éteinte"


def test_stage_label_after_a_closed_procedure_is_the_new_stage():
    events = [
        summons(date(2024, 6, 3)),
        event(Kind.CLOSED, date(2024, 7, 1)),
        payment_order(date(2026, 9, 2)),
    ]
    assert stage_label(events) == "Commandement de payer"


# Order of the events: what may be recorded


def test_a_procedure_in_legal_order_is_accepted_step_by_step():
    steps = [
        payment_order(date(2025, 9, 1)),
        ccapex(date(2025, 9, 15)),
        summons(date(2025, 11, 17), date(2026, 1, 12)),
        hearing(date(2026, 1, 12)),
        hearing(date(2026, 2, 9)),
        judgment(date(2026, 3, 9)),
        order_to_vacate(date(2026, 4, 6)),
        police_request(date(2026, 6, 8)),
        event(Kind.POLICE_DECISION, date(2026, 7, 20)),
    ]
    for index, step in enumerate(steps):
        assert order_errors(steps[:index], step) == [], step


def test_order_errors_does_not_check_dates_in_the_future():
    assert order_errors([], payment_order(date(2099, 1, 1))) == []


def test_stage_dated_before_an_earlier_stage_is_refused():
    errors = order_errors([payment_order(date(2026, 3, 12))], summons(date(2026, 3, 1)))
    assert errors == ["La date de l'assignation doit suivre celle du commandement de payer (12/03/2026)."]


def test_stage_dated_after_a_later_stage_is_refused():
    errors = order_errors([summons(date(2026, 5, 4))], payment_order(date(2026, 6, 1)))
    assert errors == ["La date du commandement de payer doit précéder celle de l'assignation (04/05/2026)."]


def test_ccapex_referral_may_follow_the_payment_order():
    assert order_errors([payment_order(date(2026, 1, 5))], ccapex(date(2026, 2, 1))) == []
    assert order_errors([ccapex(date(2026, 2, 1))], payment_order(date(2026, 1, 5))) == []


def test_summons_before_the_end_of_the_payment_order_delay_is_refused():
    existing = [payment_order(date(2026, 9, 2))]
    assert order_errors(existing, summons(date(2026, 10, 14))) == [
        "L'assignation ne peut intervenir qu'après la fin du délai du commandement de payer, le 14/10/2026 "
        "(6 semaines, régime après le 29/07/2023)."
    ]
    assert order_errors(existing, summons(date(2026, 10, 15))) == []


def test_summons_after_a_payment_order_of_28_july_2023_waits_two_months():
    existing = [payment_order(date(2023, 7, 28))]
    assert order_errors(existing, summons(date(2023, 9, 28))) == [
        "L'assignation ne peut intervenir qu'après la fin du délai du commandement de payer, le 28/09/2023 "
        "(2 mois, régime avant le 29/07/2023)."
    ]
    assert order_errors(existing, summons(date(2023, 9, 29))) == []


def test_summons_after_a_payment_order_of_29_july_2023_waits_six_weeks():
    existing = [payment_order(date(2023, 7, 29))]
    assert order_errors(existing, summons(date(2023, 9, 9))) == [
        "L'assignation ne peut intervenir qu'après la fin du délai du commandement de payer, le 09/09/2023 "
        "(6 semaines, régime après le 29/07/2023)."
    ]
    assert order_errors(existing, summons(date(2023, 9, 10))) == []


def test_summons_under_a_lease_signed_before_the_reform_waits_two_months():
    errors = order_errors(
        [payment_order(date(2026, 9, 2))], summons(date(2026, 10, 15)), lease_signed_on=date(2010, 1, 1)
    )
    assert errors == [
        "L'assignation ne peut intervenir qu'après la fin du délai du commandement de payer, le 02/11/2026 "
        "(2 mois, régime avant le 29/07/2023)."
    ]


def test_payment_order_too_close_to_a_recorded_summons_is_refused():
    errors = order_errors([summons(date(2026, 10, 1))], payment_order(date(2026, 9, 2)))
    assert errors == [
        "L'assignation déjà enregistrée (01/10/2026) doit intervenir après la fin du délai de ce commandement "
        "de payer, le 14/10/2026 (6 semaines, régime après le 29/07/2023)."
    ]


def test_summons_less_than_two_months_after_the_ccapex_referral_is_refused():
    existing = [ccapex(date(2025, 12, 31))]
    assert order_errors(existing, summons(date(2026, 2, 27))) == [
        "L'assignation ne peut intervenir que 2 mois au moins après la saisine de la CCAPEX (31/12/2025), "
        "soit à partir du 28/02/2026."
    ]
    assert order_errors(existing, summons(date(2026, 2, 28))) == []


def test_ccapex_referral_too_close_to_a_recorded_summons_is_refused():
    errors = order_errors([summons(date(2026, 3, 1))], ccapex(date(2026, 2, 1)))
    assert errors == [
        "L'assignation déjà enregistrée (01/03/2026) doit intervenir 2 mois au moins après la saisine de la CCAPEX, "
        "soit à partir du 01/04/2026."
    ]


def test_hearing_date_less_than_six_weeks_after_the_summons_is_refused():
    assert order_errors([], summons(date(2026, 3, 2), date(2026, 4, 12))) == [
        "L'audience doit être fixée au moins 6 semaines après l'assignation (régime après le 29/07/2023), "
        "soit au plus tôt le 13/04/2026."
    ]
    assert order_errors([], summons(date(2026, 3, 2), date(2026, 4, 13))) == []


def test_hearing_date_of_a_summons_of_28_july_2023_needs_two_months():
    assert order_errors([], summons(date(2023, 7, 28), date(2023, 9, 27))) == [
        "L'audience doit être fixée au moins 2 mois après l'assignation (régime avant le 29/07/2023), "
        "soit au plus tôt le 28/09/2023."
    ]
    assert order_errors([], summons(date(2023, 7, 28), date(2023, 9, 28))) == []


def test_hearing_date_of_a_summons_of_29_july_2023_needs_six_weeks():
    assert order_errors([], summons(date(2023, 7, 29), date(2023, 9, 8))) == [
        "L'audience doit être fixée au moins 6 semaines après l'assignation (régime après le 29/07/2023), "
        "soit au plus tôt le 09/09/2023."
    ]
    assert order_errors([], summons(date(2023, 7, 29), date(2023, 9, 9))) == []


def test_summons_whose_hearing_follows_a_recorded_judgment_is_refused():
    errors = order_errors([judgment(date(2026, 5, 1))], summons(date(2026, 3, 2), date(2026, 5, 4)))
    assert errors == ["L'audience fixée dans l'assignation (04/05/2026) doit précéder le jugement (01/05/2026)."]


def test_hearing_before_the_summons_is_refused():
    errors = order_errors([summons(date(2026, 3, 2))], hearing(date(2026, 2, 20)))
    assert errors == ["La date de l'audience doit suivre celle de l'assignation (02/03/2026)."]


def test_several_hearings_are_allowed_for_adjournments():
    existing = [summons(date(2026, 3, 2), date(2026, 5, 4)), hearing(date(2026, 5, 4))]
    assert order_errors(existing, hearing(date(2026, 6, 8))) == []


def test_hearing_one_week_after_the_summons_is_refused():
    """The demo's case: a hearing recorded a week after the summons left the file with no deadline."""
    existing = [summons(date(2026, 11, 20), date(2027, 2, 10))]
    assert order_errors(existing, hearing(date(2026, 11, 27))) == [
        "L'audience ne peut se tenir moins de 6 semaines après l'assignation (20/11/2026, régime après le "
        "29/07/2023), soit au plus tôt le 01/01/2027 ; l'assignation la fixe au 10/02/2027."
    ]


def test_hearing_six_weeks_after_a_summons_without_hearing_date_is_accepted():
    existing = [summons(date(2026, 3, 2))]
    assert order_errors(existing, hearing(date(2026, 4, 12))) == [
        "L'audience ne peut se tenir moins de 6 semaines après l'assignation (02/03/2026, régime après le "
        "29/07/2023), soit au plus tôt le 13/04/2026."
    ]
    assert order_errors(existing, hearing(date(2026, 4, 13))) == []


def test_hearing_after_a_summons_of_28_july_2023_waits_two_months():
    existing = [summons(date(2023, 7, 28))]
    assert order_errors(existing, hearing(date(2023, 9, 27))) == [
        "L'audience ne peut se tenir moins de 2 mois après l'assignation (28/07/2023, régime avant le "
        "29/07/2023), soit au plus tôt le 28/09/2023."
    ]
    assert order_errors(existing, hearing(date(2023, 9, 28))) == []


def test_hearing_before_the_hearing_date_set_in_the_summons_is_refused():
    existing = [summons(date(2026, 3, 2), date(2026, 5, 4))]
    assert order_errors(existing, hearing(date(2026, 4, 27))) == [
        "L'audience ne peut précéder la date d'audience fixée dans l'assignation, le 04/05/2026 : une audience "
        "renvoyée se tient après cette date, jamais avant."
    ]
    assert order_errors(existing, hearing(date(2026, 5, 4))) == []


def test_first_hearing_may_follow_the_hearing_date_set_in_the_summons():
    """An adjournment decided at the first hearing may not have been recorded: a later date is lawful."""
    assert order_errors([summons(date(2026, 3, 2), date(2026, 5, 4))], hearing(date(2026, 6, 8))) == []


def test_summons_recorded_after_a_hearing_held_too_soon_is_refused():
    existing = [hearing(date(2026, 11, 27))]
    assert order_errors(existing, summons(date(2026, 11, 20), date(2027, 2, 10))) == [
        "L'audience déjà enregistrée (27/11/2026) ne peut se tenir moins de 6 semaines après l'assignation "
        "(20/11/2026, régime après le 29/07/2023), soit au plus tôt le 01/01/2027 ; l'assignation la fixe au "
        "10/02/2027."
    ]
    assert order_errors([hearing(date(2026, 5, 4))], summons(date(2026, 3, 2), date(2026, 5, 4))) == []


@pytest.mark.parametrize(
    ("existing", "new", "message"),
    [
        (
            summons(date(2026, 3, 2)),
            summons(date(2026, 4, 1)),
            "Une assignation est déjà enregistrée pour cette procédure (02/03/2026).",
        ),
        (
            payment_order(date(2026, 3, 2)),
            payment_order(date(2026, 4, 1)),
            "Un commandement de payer est déjà enregistré pour cette procédure (02/03/2026).",
        ),
        (
            judgment(date(2026, 3, 2)),
            judgment(date(2026, 4, 1)),
            "Un jugement est déjà enregistré pour cette procédure (02/03/2026).",
        ),
        (
            ccapex(date(2026, 3, 2)),
            ccapex(date(2026, 4, 1)),
            "Une saisine de la CCAPEX est déjà enregistrée pour cette procédure (02/03/2026).",
        ),
    ],
)
def test_second_event_of_the_same_stage_is_refused(existing, new, message):
    assert order_errors([existing], new) == [message]


def test_judgment_before_the_last_hearing_is_refused():
    existing = [summons(date(2026, 3, 2), date(2026, 5, 4)), hearing(date(2026, 5, 4)), hearing(date(2026, 6, 8))]
    assert order_errors(existing, judgment(date(2026, 6, 1))) == [
        "La date du jugement doit suivre celle de l'audience (08/06/2026)."
    ]
    assert order_errors(existing, judgment(date(2026, 6, 8))) == []


def test_judgment_before_the_hearing_date_of_the_summons_is_refused():
    existing = [summons(date(2026, 3, 2), date(2026, 5, 4))]
    assert order_errors(existing, judgment(date(2026, 5, 1))) == [
        "Le jugement ne peut précéder l'audience fixée dans l'assignation (04/05/2026)."
    ]
    assert order_errors(existing, judgment(date(2026, 5, 4))) == []


def test_order_to_vacate_without_judgment_is_refused():
    assert order_errors([], order_to_vacate(date(2026, 4, 6))) == [
        "Un commandement de quitter les lieux suppose un jugement ayant résilié le bail : aucun jugement n'est "
        "enregistré."
    ]


def test_order_to_vacate_after_a_judgment_that_kept_the_lease_is_refused():
    existing = [judgment(date(2026, 3, 9), lease_terminated=False)]
    assert order_errors(existing, order_to_vacate(date(2026, 4, 6))) == [
        "Un commandement de quitter les lieux suppose un jugement ayant résilié le bail : le jugement enregistré "
        "(09/03/2026) ne prononce pas la résiliation du bail."
    ]


def test_order_to_vacate_before_the_judgment_is_refused():
    existing = [judgment(date(2026, 3, 9))]
    assert order_errors(existing, order_to_vacate(date(2026, 3, 1))) == [
        "La date du commandement de quitter les lieux doit suivre celle du jugement (09/03/2026)."
    ]


def test_judgment_keeping_the_lease_is_refused_once_an_order_to_vacate_is_recorded():
    existing = [order_to_vacate(date(2026, 4, 6))]
    assert order_errors(existing, judgment(date(2026, 3, 9), lease_terminated=False)) == [
        "Un commandement de quitter les lieux est déjà enregistré (06/04/2026) : le jugement doit avoir résilié "
        "le bail."
    ]


def test_police_request_before_the_end_of_the_vacate_delay_is_refused():
    existing = [judgment(date(2026, 3, 9)), order_to_vacate(date(2026, 4, 6))]
    assert order_errors(existing, police_request(date(2026, 6, 6))) == [
        "La réquisition de la force publique ne peut intervenir qu'après la fin du délai pour quitter les lieux, "
        "le 06/06/2026 (2 mois)."
    ]
    assert order_errors(existing, police_request(date(2026, 6, 7))) == []


def test_order_to_vacate_too_close_to_a_recorded_police_request_is_refused():
    existing = [judgment(date(2026, 3, 9)), police_request(date(2026, 5, 1))]
    assert order_errors(existing, order_to_vacate(date(2026, 4, 6))) == [
        "La réquisition de la force publique déjà enregistrée (01/05/2026) doit intervenir après la fin du délai "
        "pour quitter les lieux, le 06/06/2026 (2 mois)."
    ]


def test_police_decision_before_the_police_request_is_refused():
    existing = [police_request(date(2026, 6, 8))]
    assert order_errors(existing, event(Kind.POLICE_DECISION, date(2026, 6, 1))) == [
        "La date de la décision du préfet sur le concours de la force publique doit suivre celle de la réquisition "
        "de la force publique (08/06/2026)."
    ]


def test_fsl_decision_needs_an_fsl_application():
    assert order_errors([], event(Kind.FSL_DECISION, date(2026, 3, 1))) == [
        "Une décision FSL suppose une demande FSL enregistrée."
    ]


def test_fsl_decision_before_the_application_is_refused():
    existing = [event(Kind.FSL_APPLICATION, date(2026, 3, 10))]
    assert order_errors(existing, event(Kind.FSL_DECISION, date(2026, 3, 1))) == [
        "La date de la décision FSL doit suivre celle de la demande FSL (10/03/2026)."
    ]
    assert order_errors(existing, event(Kind.FSL_DECISION, date(2026, 4, 1))) == []


def test_cohesion_protocol_needs_a_judgment_that_terminated_the_lease():
    message = "Un protocole de cohésion sociale suppose un jugement ayant résilié le bail."
    assert order_errors([], event(Kind.COHESION_PROTOCOL, date(2026, 5, 1))) == [message]
    kept_lease = [judgment(date(2026, 3, 9), lease_terminated=False)]
    assert order_errors(kept_lease, event(Kind.COHESION_PROTOCOL, date(2026, 5, 1))) == [message]
    assert order_errors([judgment(date(2026, 3, 9))], event(Kind.COHESION_PROTOCOL, date(2026, 5, 1))) == []


def test_cohesion_protocol_before_the_judgment_is_refused():
    existing = [judgment(date(2026, 3, 9))]
    assert order_errors(existing, event(Kind.COHESION_PROTOCOL, date(2026, 3, 1))) == [
        "La date du protocole de cohésion sociale doit suivre celle du jugement ayant résilié le bail (09/03/2026)."
    ]


@pytest.mark.parametrize(
    "kind", [Kind.CLOSED, Kind.SUSPENSION, Kind.REPAYMENT_PLAN, Kind.FSL_APPLICATION, Kind.CCAPEX_OPINION]
)
def test_events_alongside_the_stages_are_never_refused(kind):
    existing = [payment_order(date(2026, 3, 2)), summons(date(2026, 5, 4))]
    assert order_errors(existing, event(kind, date(2026, 1, 1))) == []


def test_new_procedure_after_a_closed_one_is_accepted():
    existing = [
        payment_order(date(2024, 3, 4)),
        summons(date(2024, 6, 3)),
        event(Kind.CLOSED, date(2024, 7, 1)),
    ]
    assert order_errors(existing, payment_order(date(2026, 9, 2))) == []


def test_stage_in_a_closed_procedure_is_checked_against_that_procedure():
    existing = [
        payment_order(date(2024, 3, 4)),
        event(Kind.CLOSED, date(2024, 7, 1)),
        payment_order(date(2026, 9, 2)),
    ]
    assert order_errors(existing, payment_order(date(2024, 5, 1))) == [
        "Un commandement de payer est déjà enregistré pour cette procédure (04/03/2024)."
    ]
    assert order_errors(existing, summons(date(2024, 4, 1))) == [
        "L'assignation ne peut intervenir qu'après la fin du délai du commandement de payer, le 15/04/2024 "
        "(6 semaines, régime après le 29/07/2023)."
    ]
