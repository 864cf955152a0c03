"""What the database and the models refuse on their own: one referent at a time, a closed measure has
its outcome, dates in order; and the rules about one object (allowed transitions, what a diagnostic
lacks before signature, a contract's frozen content)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction

from accounts.enums import Role
from measures.enums import ContactKind, DiagnosticConclusion, MeasureStatus, Outcome
from measures.models import TRANSITIONS, ContractVersion, Measure, ReferentAssignment, validate_file_content
from tests.accounts.factories import member
from tests.households.factories import days_ago
from tests.measures.factories import (
    ContactFactory,
    ContractFactory,
    DiagnosticFactory,
    LiaisonMeetingFactory,
    MeasureFactory,
    ObjectiveFactory,
)

pytestmark = pytest.mark.django_db

JAN_1, FEB_1, MAR_1, APR_1 = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)


@pytest.fixture
def measure(referent):
    return MeasureFactory(active=True, referent=False, start_date=JAN_1, planned_end=date(2025, 12, 31))


@pytest.fixture
def colleague(association):
    return member(association, Role.REFERENT, full_name="Julie Petit")


def insert_assignment(measure, referent, start, end=None):
    """A raw insert in its own savepoint, so that a refused row leaves the test's transaction usable."""
    with transaction.atomic():
        return ReferentAssignment.objects.create(measure=measure, referent=referent, start=start, end=end)


# One single referent: the partial unique constraint and the exclusion constraint


def test_database_refuses_a_second_current_referent(measure, referent, colleague):
    insert_assignment(measure, referent, JAN_1)

    with pytest.raises(IntegrityError) as refused:
        insert_assignment(measure, colleague, MAR_1)

    assert "assignment_one_current" in str(refused.value) or "assignment_no_overlap" in str(refused.value)
    assert list(measure.assignments.values_list("referent", flat=True)) == [referent.pk]


def test_partial_unique_constraint_alone_refuses_a_second_current_referent(measure, referent, colleague):
    # Two open-ended periods always overlap, so the exclusion constraint would refuse them as well:
    # without it (dropped inside this test's transaction, which is rolled back), the unique index alone holds.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE measures_referentassignment DROP CONSTRAINT assignment_no_overlap")
    insert_assignment(measure, referent, JAN_1)

    with pytest.raises(IntegrityError, match="assignment_one_current"):
        insert_assignment(measure, colleague, MAR_1)


def test_exclusion_constraint_refuses_a_closed_period_overlapping_a_new_one(measure, referent, colleague):
    insert_assignment(measure, referent, JAN_1, MAR_1)

    with pytest.raises(IntegrityError, match="assignment_no_overlap"):
        insert_assignment(measure, colleague, FEB_1)

    assert measure.assignments.count() == 1


def test_exclusion_constraint_refuses_two_overlapping_closed_periods(measure, referent, colleague):
    insert_assignment(measure, referent, JAN_1, MAR_1)

    with pytest.raises(IntegrityError, match="assignment_no_overlap"):
        insert_assignment(measure, colleague, FEB_1, APR_1)


def test_a_period_may_start_the_day_the_previous_one_ends(measure, referent, colleague):
    # Periods are half-open [start, end): handing over on 1 March leaves no overlap.
    insert_assignment(measure, referent, JAN_1, MAR_1)
    insert_assignment(measure, colleague, MAR_1)

    assert [a.referent for a in measure.assignments.all()] == [referent, colleague]
    assert measure.referent == colleague


def test_periods_of_two_different_measures_do_not_collide(measure, referent):
    other = MeasureFactory(active=True, referent=False, start_date=JAN_1)
    insert_assignment(measure, referent, JAN_1)
    insert_assignment(other, referent, JAN_1)

    assert ReferentAssignment.objects.filter(referent=referent, end__isnull=True).count() == 2


def test_database_refuses_an_assignment_ending_before_it_starts(measure, referent):
    with pytest.raises(IntegrityError, match="assignment_end_after_start"):
        insert_assignment(measure, referent, MAR_1, FEB_1)


# A measure's own constraints


def test_database_refuses_a_closed_measure_without_outcome():
    measure = MeasureFactory(active=True)

    with pytest.raises(IntegrityError, match="measure_closed_has_outcome"), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(status=MeasureStatus.CLOSED, closed_on=days_ago(1))

    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ACTIVE


def test_database_refuses_a_closed_measure_without_closing_date():
    measure = MeasureFactory(active=True)

    with pytest.raises(IntegrityError, match="measure_closed_has_outcome"), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(status=MeasureStatus.CLOSED, outcome=Outcome.KEPT_IN_HOME)


def test_database_refuses_a_planned_end_before_the_start():
    measure = MeasureFactory(active=True)

    with pytest.raises(IntegrityError, match="measure_planned_end_after_start"), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(planned_end=measure.start_date - timedelta(days=1))


def test_contract_version_numbers_are_unique_per_contract(referent):
    contract = ContractFactory(signed=True)
    ContractVersion.objects.create(contract=contract, number=1, content={}, reason="Avenant", by=referent)

    with pytest.raises(IntegrityError, match="contract_version_unique"), transaction.atomic():
        ContractVersion.objects.create(contract=contract, number=1, content={}, reason="Doublon", by=referent)


# Transitions


ALLOWED = {
    (MeasureStatus.PROPOSED, MeasureStatus.DIAGNOSTIC),
    (MeasureStatus.DIAGNOSTIC, MeasureStatus.ACTIVE),
    (MeasureStatus.DIAGNOSTIC, MeasureStatus.CLOSED),
    (MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED),
    (MeasureStatus.ACTIVE, MeasureStatus.CLOSED),
    (MeasureStatus.SUSPENDED, MeasureStatus.ACTIVE),
    (MeasureStatus.SUSPENDED, MeasureStatus.CLOSED),
}


@pytest.mark.parametrize("from_status", MeasureStatus.values)
@pytest.mark.parametrize("to_status", MeasureStatus.values)
def test_measure_moves_only_along_the_method(from_status, to_status):
    measure = Measure(status=from_status)

    assert measure.can_move_to(to_status) is ((from_status, to_status) in ALLOWED)


def test_a_closed_measure_never_reopens():
    assert TRANSITIONS[MeasureStatus.CLOSED] == set()


# Rules about one object


def test_blank_diagnostic_lists_everything_missing_for_the_signature():
    diagnostic = DiagnosticFactory(blank=True)

    assert diagnostic.missing_for_signature() == [
        "la date de l'entretien tripartite",
        "la conclusion",
        "au moins un constat",
    ]


def test_diagnostic_proposing_a_measure_needs_its_type_before_signature():
    diagnostic = DiagnosticFactory(proposed_type="")

    assert diagnostic.missing_for_signature() == ["le type de mesure proposé"]


def test_diagnostic_concluding_no_measure_needs_no_type():
    diagnostic = DiagnosticFactory(no_measure=True)

    assert diagnostic.conclusion == DiagnosticConclusion.NO_MEASURE
    assert diagnostic.missing_for_signature() == []


def test_diagnostic_is_signed_once_the_household_signed():
    assert not DiagnosticFactory().is_signed
    assert DiagnosticFactory(signed=True).is_signed


def test_contract_is_signed_only_with_both_signatures():
    contract = ContractFactory(signed=True)
    assert contract.is_signed

    contract.referent_signed_on = None
    assert not contract.is_signed


def test_contract_snapshot_keeps_the_signed_text_and_objectives():
    contract = ContractFactory(signed=True, objective=None)
    ObjectiveFactory(contract=contract, description="Ouvrir les droits CAF", target_date=date(2026, 6, 30))

    snapshot = contract.snapshot()

    assert snapshot["household_commitments"] == "Payer le loyer courant chaque mois."
    assert snapshot["household_signed_on"] == contract.household_signed_on.isoformat()
    assert snapshot["objectives"] == [
        {
            "domain": "Budget et dettes",
            "description": "Ouvrir les droits CAF",
            "target_date": "2026-06-30",
            "status": "En cours",
        }
    ]


def test_current_assignment_is_the_one_without_end(measure, referent, colleague):
    insert_assignment(measure, referent, JAN_1, MAR_1)
    insert_assignment(measure, colleague, MAR_1)

    assert measure.current_assignment.referent == colleague
    assert measure.referent == colleague


def test_measure_without_assignment_has_no_referent():
    assert MeasureFactory().referent is None


def test_contact_cannot_be_dated_in_the_future():
    contact = ContactFactory.build(measure=MeasureFactory(active=True), on=days_ago(-1))

    with pytest.raises(ValidationError) as refused:
        contact.full_clean(exclude=["by"])

    assert refused.value.message_dict["on"] == [
        "Un contact se note une fois fait : la date ne peut pas être dans le futur."
    ]


def test_contact_cannot_precede_the_accompaniment(measure):
    contact = ContactFactory.build(measure=measure, on=JAN_1 - timedelta(days=1))

    with pytest.raises(ValidationError) as refused:
        contact.full_clean(exclude=["by"])

    assert refused.value.message_dict["on"] == ["Le contact suit le début de l'accompagnement (01/01/2025)."]


def test_contact_may_be_dated_the_day_the_accompaniment_starts(measure):
    ContactFactory.build(measure=measure, on=JAN_1).full_clean(exclude=["by"])


def test_contact_at_the_diagnostic_stage_cannot_precede_the_diagnostic():
    measure = MeasureFactory(diagnostic__started_on=days_ago(20))
    contact = ContactFactory.build(measure=measure, on=days_ago(21))

    with pytest.raises(ValidationError) as refused:
        contact.full_clean(exclude=["by"])

    assert refused.value.message_dict["on"] == [f"Le contact suit le début du diagnostic ({days_ago(20):%d/%m/%Y})."]
    ContactFactory.build(measure=measure, on=days_ago(20)).full_clean(exclude=["by"])


def test_objective_cannot_be_due_before_the_accompaniment(measure):
    contract = measure.contract
    objective = ObjectiveFactory.build(contract=contract, target_date=JAN_1 - timedelta(days=1))

    with pytest.raises(ValidationError) as refused:
        objective.full_clean()

    assert refused.value.message_dict["target_date"] == ["L'échéance suit le début de l'accompagnement (01/01/2025)."]
    ObjectiveFactory.build(contract=contract, target_date=JAN_1).full_clean()
    ObjectiveFactory.build(contract=contract, target_date=None).full_clean()


@pytest.mark.parametrize(
    "name, content",
    [
        ("scan.pdf", b"%PDF-1.7\n..."),
        ("SCAN.PDF", b"%PDF-1.4\n..."),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("photo.jpeg", b"\xff\xd8\xff\xe1"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ],
)
def test_an_uploaded_file_of_the_announced_type_is_accepted(name, content):
    file = ContentFile(content, name=name)

    validate_file_content(file)

    assert file.read() == content  # read from its start again when saved


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("scan.pdf", b"Ceci est un simple texte.", "un PDF"),
        ("scan.pdf", b"", "un PDF"),
        ("photo.jpg", b"%PDF-1.4", "une image JPEG"),
        ("photo.png", b"GIF89a", "une image PNG"),
    ],
)
def test_a_file_renamed_to_an_accepted_extension_is_refused(name, content, kind):
    with pytest.raises(ValidationError) as refused:
        validate_file_content(ContentFile(content, name=name))

    assert refused.value.messages[0].startswith(f"Ce fichier n'est pas {kind} malgré son extension")


@pytest.mark.parametrize("kind", [ContactKind.ADMIN, ContactKind.PARTNER_MEETING])
def test_administrative_work_is_never_with_the_household(kind):
    contact = ContactFactory.build(measure=MeasureFactory(active=True), kind=kind, with_household=True)

    with pytest.raises(ValidationError) as refused:
        contact.full_clean(exclude=["by"])

    assert "sans le ménage" in refused.value.message_dict["with_household"][0]


def test_next_liaison_meeting_must_follow_the_meeting():
    meeting = LiaisonMeetingFactory.build(held_on=days_ago(3), next_on=days_ago(3))

    with pytest.raises(ValidationError) as refused:
        meeting.clean()

    assert refused.value.message_dict["next_on"] == ["Le prochain échange doit suivre celui-ci."]
