"""The writes of the measures app: the measure's life (proposed → diagnostic → active ⇄ suspended →
closed), each step dated in MeasureStatusChange; a refused step says why in French and changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.enums import Role
from households.enums import HouseholdStatus, Track
from households.models import Household
from measures import services
from measures.enums import (
    DiagnosticConclusion,
    DocumentKind,
    EvaluationKind,
    Intensity,
    MeasureStatus,
    MeasureType,
    Outcome,
    Recommendation,
    SignatureMethod,
)
from measures.models import (
    Contact,
    Contract,
    ContractVersion,
    Diagnostic,
    Document,
    Evaluation,
    Measure,
    MeasureStatusChange,
    ReferentAssignment,
)
from tests.accounts.factories import member
from tests.households.factories import days_ago
from tests.measures.factories import (
    ContactFactory,
    ContractFactory,
    DiagnosticFactory,
    EvaluationFactory,
    FollowedHouseholdFactory,
    MeasureFactory,
)

pytestmark = pytest.mark.django_db


def changes(measure) -> list[tuple[str, str]]:
    return list(measure.status_changes.order_by("on", "recorded_at").values_list("from_status", "to_status"))


def reloaded(measure) -> Measure:
    return Measure.objects.get(pk=measure.pk)


@pytest.fixture
def household(landlord, association):
    return FollowedHouseholdFactory(eole=True, landlord=landlord)


@pytest.fixture
def active(referent):
    return MeasureFactory(active=True, referent=referent)


@pytest.fixture
def colleague(association):
    return member(association, Role.REFERENT, full_name="Julie Petit")


# proposed → diagnostic


def test_diagnostic_start_opens_a_measure_at_the_diagnostic_stage(household, association, referent):
    diagnostic = services.diagnostic_start(
        household=household, operator=association, social_worker=referent, on=days_ago(3), by=referent
    )

    measure = diagnostic.measure
    assert measure.status == MeasureStatus.DIAGNOSTIC
    assert measure.operator == association
    assert measure.measure_type == MeasureType.MAINTIEN
    assert diagnostic.social_worker == referent and diagnostic.started_on == days_ago(3)
    assert changes(measure) == [(MeasureStatus.PROPOSED, MeasureStatus.DIAGNOSTIC)]
    change = measure.status_changes.get()
    assert (change.on, change.by) == (days_ago(3), referent)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.IN_DIAGNOSTIC
    assert household.operator == association


def test_diagnostic_start_of_an_access_household_proposes_housing_first(landlord, association, referent):
    household = FollowedHouseholdFactory(track=Track.ACCES, proposed_by=association, landlord=landlord)

    diagnostic = services.diagnostic_start(
        household=household, operator=association, social_worker=referent, on=days_ago(1), by=referent
    )

    assert diagnostic.measure.measure_type == MeasureType.HOUSING_FIRST
    assert Household.objects.get(pk=household.pk).operator == association


def test_diagnostic_start_is_refused_while_a_measure_is_open(active, association, referent):
    with pytest.raises(ValidationError, match="déjà une mesure en cours"):
        services.diagnostic_start(
            household=active.household, operator=association, social_worker=referent, on=days_ago(1), by=referent
        )

    assert Measure.objects.filter(household=active.household).count() == 1


# Signing the diagnostic


def test_household_signature_in_person_locks_the_diagnostic(referent):
    diagnostic = DiagnosticFactory(social_worker=referent)

    signed = services.diagnostic_sign_household(
        diagnostic=diagnostic, signed_on=days_ago(90), method=SignatureMethod.IN_PERSON, by=referent
    )

    stored = Diagnostic.objects.get(pk=diagnostic.pk)
    assert stored.is_signed and signed.is_signed
    assert stored.household_signed_on == days_ago(90)
    assert stored.household_signature_method == SignatureMethod.IN_PERSON
    assert (stored.association_signed_by, stored.association_signed_on) == (referent, days_ago(90))
    assert stored.version == diagnostic.version + 1
    assert not Document.objects.exists()


def test_paper_signature_keeps_the_scan_as_a_confidential_document(referent):
    diagnostic = DiagnosticFactory(social_worker=referent)
    scan = SimpleUploadedFile("diagnostic-signe.pdf", b"%PDF-1.4 scan", content_type="application/pdf")

    services.diagnostic_sign_household(
        diagnostic=diagnostic, signed_on=days_ago(90), method=SignatureMethod.PAPER, scan=scan, by=referent
    )

    document = Document.objects.get()
    assert document.kind == DocumentKind.SIGNED_DIAGNOSTIC
    assert document.confidential
    assert document.measure == diagnostic.measure
    assert document.title == f"Diagnostic signé le {days_ago(90):%d/%m/%Y}"


def test_paper_signature_without_scan_is_refused(referent):
    diagnostic = DiagnosticFactory(social_worker=referent)

    with pytest.raises(ValidationError, match="joignez le scan"):
        services.diagnostic_sign_household(
            diagnostic=diagnostic, signed_on=days_ago(90), method=SignatureMethod.PAPER, by=referent
        )

    assert not Diagnostic.objects.get(pk=diagnostic.pk).is_signed


def test_incomplete_diagnostic_cannot_be_signed(referent):
    diagnostic = DiagnosticFactory(blank=True, social_worker=referent)

    with pytest.raises(ValidationError) as refused:
        services.diagnostic_sign_household(
            diagnostic=diagnostic, signed_on=days_ago(1), method=SignatureMethod.IN_PERSON, by=referent
        )

    assert refused.value.messages == [
        "Avant la signature, renseignez : la date de l'entretien tripartite, la conclusion, au moins un constat."
    ]
    assert not Diagnostic.objects.get(pk=diagnostic.pk).is_signed


def test_signature_cannot_precede_the_tripartite_meeting(referent):
    diagnostic = DiagnosticFactory(social_worker=referent, held_on=days_ago(10))

    with pytest.raises(ValidationError, match="ne peut précéder l'entretien tripartite"):
        services.diagnostic_sign_household(
            diagnostic=diagnostic, signed_on=days_ago(11), method=SignatureMethod.IN_PERSON, by=referent
        )


def test_signed_diagnostic_is_not_signed_twice(referent):
    diagnostic = DiagnosticFactory(signed=True, social_worker=referent)

    with pytest.raises(ValidationError, match="déjà signé"):
        services.diagnostic_sign_household(
            diagnostic=diagnostic, signed_on=days_ago(1), method=SignatureMethod.IN_PERSON, by=referent
        )


def test_signed_diagnostic_changes_by_amendment_only(referent):
    draft = DiagnosticFactory(social_worker=referent)
    with pytest.raises(ValidationError, match="se modifie directement"):
        services.diagnostic_amend(diagnostic=draft, reason="Précision", text="Texte", by=referent)

    signed = DiagnosticFactory(signed=True, social_worker=referent)
    amendment = services.diagnostic_amend(
        diagnostic=signed, reason="Nouvelle dette", text="Une dette d'énergie de 400 € est apparue.", by=referent
    )

    assert list(signed.amendments.all()) == [amendment]
    assert amendment.by == referent


def test_landlord_signs_off_a_signed_diagnostic_only(tenancy_staff, referent):
    draft = DiagnosticFactory(social_worker=referent)
    with pytest.raises(ValidationError, match="une fois signé par le ménage"):
        services.diagnostic_landlord_sign_off(diagnostic=draft, on=days_ago(0), by=tenancy_staff)

    signed = DiagnosticFactory(signed=True, social_worker=referent)
    services.diagnostic_landlord_sign_off(diagnostic=signed, on=days_ago(0), by=tenancy_staff)

    stored = Diagnostic.objects.get(pk=signed.pk)
    assert (stored.landlord_signed_by, stored.landlord_signed_on) == ("Claire Lefebvre", days_ago(0))


def test_landlord_sign_off_is_not_overwritten(tenancy_staff, landlord, referent):
    diagnostic = DiagnosticFactory(signed=True, social_worker=referent)
    services.diagnostic_landlord_sign_off(diagnostic=diagnostic, on=days_ago(2), by=tenancy_staff)
    colleague = member(landlord, Role.TENANCY_STAFF, full_name="Marc Delattre")

    with pytest.raises(ValidationError):
        services.diagnostic_landlord_sign_off(diagnostic=diagnostic, on=days_ago(0), by=colleague)

    stored = Diagnostic.objects.get(pk=diagnostic.pk)
    assert (stored.landlord_signed_by, stored.landlord_signed_on) == ("Claire Lefebvre", days_ago(2))


# diagnostic → active


def test_measure_opens_after_a_signed_diagnostic(referent):
    measure = MeasureFactory(diagnostic__signed=True, diagnostic__proposed_type=MeasureType.AVDL)

    services.measure_open(
        measure=measure,
        start_date=days_ago(90),
        referent=referent,
        intensity=Intensity.REINFORCED,
        planned_end=days_ago(-275),
        by=referent,
    )

    measure = reloaded(measure)
    assert measure.status == MeasureStatus.ACTIVE
    assert (measure.start_date, measure.planned_end) == (days_ago(90), days_ago(-275))
    assert measure.intensity == Intensity.REINFORCED
    assert measure.measure_type == MeasureType.AVDL
    assert changes(measure)[-1] == (MeasureStatus.DIAGNOSTIC, MeasureStatus.ACTIVE)
    assert measure.status_changes.last().on == days_ago(90)
    assignment = measure.assignments.get()
    assert (assignment.referent, assignment.start, assignment.end) == (referent, days_ago(90), None)
    assert Contract.objects.get(measure=measure).objectives.count() == 0
    assert measure.household.status == HouseholdStatus.ACCOMPANIED


def test_measure_does_not_open_before_the_household_signed(referent):
    measure = MeasureFactory()

    with pytest.raises(ValidationError, match="après la signature du diagnostic"):
        services.measure_open(
            measure=measure,
            start_date=days_ago(1),
            referent=referent,
            intensity=Intensity.STANDARD,
            planned_end=None,
            by=referent,
        )

    measure = reloaded(measure)
    assert measure.status == MeasureStatus.DIAGNOSTIC
    assert changes(measure) == [(MeasureStatus.PROPOSED, MeasureStatus.DIAGNOSTIC)]
    assert not ReferentAssignment.objects.exists() and not Contract.objects.exists()


def test_measure_does_not_open_when_the_diagnostic_found_no_need(referent):
    measure = MeasureFactory(diagnostic__signed=True, diagnostic__no_measure=True)

    with pytest.raises(ValidationError, match="aucune mesure n'est nécessaire"):
        services.measure_open(
            measure=measure,
            start_date=days_ago(1),
            referent=referent,
            intensity=Intensity.STANDARD,
            planned_end=None,
            by=referent,
        )

    assert reloaded(measure).status == MeasureStatus.DIAGNOSTIC


def test_accompaniment_cannot_start_before_the_signature(referent):
    measure = MeasureFactory(diagnostic__signed=True)
    signed_on = measure.diagnostic.household_signed_on

    with pytest.raises(ValidationError, match="commence après la signature du diagnostic"):
        services.measure_open(
            measure=measure,
            start_date=signed_on - timedelta(days=1),
            referent=referent,
            intensity=Intensity.STANDARD,
            planned_end=None,
            by=referent,
        )


def test_an_active_measure_does_not_open_again(active, referent):
    before = changes(active)

    with pytest.raises(ValidationError) as refused:
        services.measure_open(
            measure=active,
            start_date=days_ago(1),
            referent=referent,
            intensity=Intensity.STANDARD,
            planned_end=None,
            by=referent,
        )

    assert refused.value.messages == ["Une mesure « active » ne peut pas passer à « active »."]
    assert changes(active) == before
    assert active.assignments.count() == 1


# active ⇄ suspended


def test_suspend_then_resume_records_both_changes(active, referent):
    services.measure_suspend(measure=active, on=days_ago(20), reason="Hospitalisation de Mme", by=referent)
    assert reloaded(active).status == MeasureStatus.SUSPENDED

    services.measure_resume(measure=active, on=days_ago(5), by=referent)

    assert reloaded(active).status == MeasureStatus.ACTIVE
    assert changes(active)[-2:] == [
        (MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED),
        (MeasureStatus.SUSPENDED, MeasureStatus.ACTIVE),
    ]
    suspension, resumption = active.status_changes.order_by("on")[2:]
    assert (suspension.on, suspension.reason, suspension.by) == (days_ago(20), "Hospitalisation de Mme", referent)
    assert (resumption.on, resumption.reason) == (days_ago(5), "Reprise de l'accompagnement")


def test_suspension_needs_a_reason(active, referent):
    with pytest.raises(ValidationError, match="motif de la suspension"):
        services.measure_suspend(measure=active, on=days_ago(1), reason="  ", by=referent)

    assert reloaded(active).status == MeasureStatus.ACTIVE
    assert active.status_changes.count() == 2


def test_an_active_measure_cannot_resume(active, referent):
    before = changes(active)

    with pytest.raises(ValidationError) as refused:
        services.measure_resume(measure=active, on=days_ago(1), by=referent)

    assert refused.value.messages == ["Une mesure « active » ne peut pas passer à « active »."]
    assert reloaded(active).status == MeasureStatus.ACTIVE
    assert changes(active) == before


def test_a_measure_at_the_diagnostic_stage_cannot_be_suspended(referent):
    measure = MeasureFactory()

    with pytest.raises(ValidationError) as refused:
        services.measure_suspend(measure=measure, on=days_ago(1), reason="Absence", by=referent)

    assert refused.value.messages == ["Une mesure « diagnostic en cours » ne peut pas passer à « suspendue »."]
    assert reloaded(measure).status == MeasureStatus.DIAGNOSTIC
    assert measure.status_changes.count() == 1


def test_a_suspended_measure_cannot_be_suspended_again(referent):
    measure = MeasureFactory(suspended=True, referent=referent)

    with pytest.raises(ValidationError, match="« suspendue » ne peut pas passer à « suspendue »"):
        services.measure_suspend(measure=measure, on=days_ago(1), reason="Encore", by=referent)

    assert measure.status_changes.count() == 3


def test_a_status_change_cannot_be_dated_before_the_previous_one(active, referent):
    with pytest.raises(ValidationError) as refused:
        services.measure_suspend(measure=active, on=active.start_date - timedelta(days=1), reason="X", by=referent)

    assert refused.value.messages == [
        f"La date doit suivre celle du dernier changement de statut ({active.start_date:%d/%m/%Y})."
    ]
    assert reloaded(active).status == MeasureStatus.ACTIVE


# → closed


def test_active_measure_closes_after_its_final_evaluation(active, referent):
    EvaluationFactory(measure=active, final=True)

    services.measure_close(measure=active, outcome=Outcome.KEPT_IN_HOME, on=days_ago(0), by=referent)

    measure = reloaded(active)
    assert measure.status == MeasureStatus.CLOSED
    assert (measure.outcome, measure.closed_on) == (Outcome.KEPT_IN_HOME, days_ago(0))
    assert changes(measure)[-1] == (MeasureStatus.ACTIVE, MeasureStatus.CLOSED)
    assert measure.assignments.get().end == days_ago(0)
    assert measure.household.status == HouseholdStatus.CLOSED


def test_suspended_measure_may_close(referent):
    measure = MeasureFactory(suspended=True, referent=referent)
    EvaluationFactory(measure=measure, final=True)

    services.measure_close(measure=measure, outcome=Outcome.REFUSED, on=days_ago(0), by=referent)

    assert reloaded(measure).status == MeasureStatus.CLOSED
    assert changes(measure)[-1] == (MeasureStatus.SUSPENDED, MeasureStatus.CLOSED)


def test_measure_does_not_close_without_a_final_evaluation(active, referent):
    EvaluationFactory(measure=active)  # intermediate only

    with pytest.raises(ValidationError) as refused:
        services.measure_close(measure=active, outcome=Outcome.KEPT_IN_HOME, on=days_ago(0), by=referent)

    assert refused.value.messages == ["Enregistrez d'abord l'évaluation finale : elle accompagne la clôture."]
    measure = reloaded(active)
    assert (measure.status, measure.outcome, measure.closed_on) == (MeasureStatus.ACTIVE, "", None)
    assert measure.assignments.get().end is None
    assert measure.household.status == HouseholdStatus.ACCOMPANIED


def test_closed_measure_does_not_close_again(referent):
    measure = MeasureFactory(closed=True, referent=referent)
    EvaluationFactory(measure=measure, final=True, on=days_ago(2))

    with pytest.raises(ValidationError) as refused:
        services.measure_close(measure=measure, outcome=Outcome.OTHER, on=days_ago(0), by=referent)

    assert refused.value.messages == ["Une mesure « close » ne peut pas passer à « close »."]
    assert reloaded(measure).outcome == Outcome.KEPT_IN_HOME


def test_diagnostic_concluding_no_need_closes_the_measure(referent):
    measure = MeasureFactory(diagnostic__signed=True, diagnostic__no_measure=True)

    services.measure_close(measure=measure, outcome=Outcome.NO_MEASURE_NEEDED, on=days_ago(0), by=referent)

    measure = reloaded(measure)
    assert (measure.status, measure.outcome) == (MeasureStatus.CLOSED, Outcome.NO_MEASURE_NEEDED)
    assert changes(measure) == [
        (MeasureStatus.PROPOSED, MeasureStatus.DIAGNOSTIC),
        (MeasureStatus.DIAGNOSTIC, MeasureStatus.CLOSED),
    ]
    assert measure.household.status == HouseholdStatus.CLOSED


NO_NEED_ONLY = (
    "Au stade du diagnostic, la mesure se clôt seulement quand le diagnostic signé conclut "
    "qu'aucune mesure n'est nécessaire."
)


def test_unsigned_diagnostic_does_not_close_the_measure(referent):
    measure = MeasureFactory(diagnostic__no_measure=True)

    with pytest.raises(ValidationError) as refused:
        services.measure_close(measure=measure, outcome=Outcome.NO_MEASURE_NEEDED, on=days_ago(0), by=referent)

    assert refused.value.messages == [NO_NEED_ONLY]
    assert reloaded(measure).status == MeasureStatus.DIAGNOSTIC
    assert measure.status_changes.count() == 1


def test_diagnostic_stage_closes_with_no_other_outcome(referent):
    measure = MeasureFactory(diagnostic__signed=True, diagnostic__no_measure=True)

    with pytest.raises(ValidationError) as refused:
        services.measure_close(measure=measure, outcome=Outcome.KEPT_IN_HOME, on=days_ago(0), by=referent)

    assert refused.value.messages == [NO_NEED_ONLY]
    assert reloaded(measure).status == MeasureStatus.DIAGNOSTIC


def test_diagnostic_proposing_a_measure_does_not_close_as_no_measure_needed(referent):
    measure = MeasureFactory(diagnostic__signed=True)
    assert measure.diagnostic.conclusion == DiagnosticConclusion.MEASURE

    with pytest.raises(ValidationError):
        services.measure_close(measure=measure, outcome=Outcome.NO_MEASURE_NEEDED, on=days_ago(0), by=referent)

    assert reloaded(measure).status == MeasureStatus.DIAGNOSTIC


def test_a_proposed_measure_moves_only_to_the_diagnostic(referent):
    measure = MeasureFactory(proposed=True)

    with pytest.raises(ValidationError) as refused:
        services.measure_resume(measure=measure, on=days_ago(0), by=referent)

    assert refused.value.messages == ["Une mesure « proposée » ne peut pas passer à « active »."]
    assert not MeasureStatusChange.objects.filter(measure=measure).exists()


# Referent change


def test_referent_change_ends_the_current_assignment_and_starts_the_new_one(active, referent, colleague, coordinator):
    services.referent_change(
        measure=active, referent=colleague, on=days_ago(10), reason="Départ en congé maternité", by=coordinator
    )

    previous, current = active.assignments.order_by("start")
    assert (previous.referent, previous.start, previous.end) == (referent, days_ago(90), days_ago(10))
    assert (current.referent, current.start, current.end) == (colleague, days_ago(10), None)
    assert current.reason == "Départ en congé maternité"
    assert reloaded(active).referent == colleague


def test_referent_change_needs_a_reason(active, referent, colleague, coordinator):
    with pytest.raises(ValidationError, match="Indiquez le motif du changement de référent"):
        services.referent_change(measure=active, referent=colleague, on=days_ago(10), reason=" ", by=coordinator)

    assignment = active.assignments.get()
    assert (assignment.referent, assignment.end) == (referent, None)


def test_referent_change_to_the_same_referent_is_refused(active, referent, coordinator):
    with pytest.raises(ValidationError, match="est déjà le référent de cette mesure"):
        services.referent_change(measure=active, referent=referent, on=days_ago(10), reason="Test", by=coordinator)


def test_referent_change_must_follow_the_current_start(active, colleague, coordinator):
    with pytest.raises(ValidationError, match="doit suivre le début du référent actuel"):
        services.referent_change(
            measure=active, referent=colleague, on=active.start_date, reason="Trop tôt", by=coordinator
        )

    assert active.assignments.count() == 1


def test_referent_change_is_refused_next_to_the_date_when_it_precedes_the_current_start(
    active, colleague, coordinator
):
    with pytest.raises(ValidationError) as refused:
        services.referent_change(
            measure=active, referent=colleague, on=days_ago(200), reason="Trop tôt", by=coordinator
        )

    assert refused.value.message_dict["on"] == [
        f"Le changement doit suivre le début du référent actuel ({active.start_date:%d/%m/%Y})."
    ]


def test_referent_change_cannot_be_dated_in_the_future(active, referent, colleague, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.referent_change(
            measure=active, referent=colleague, on=days_ago(-1), reason="Mutation prévue", by=coordinator
        )

    assert refused.value.message_dict["on"] == [
        "Un changement de référent s'enregistre une fois effectif : la date ne peut pas être dans le futur."
    ]
    assignment = active.assignments.get()
    assert (assignment.referent, assignment.end) == (referent, None)


def test_referent_change_may_be_dated_today(active, colleague, coordinator):
    services.referent_change(measure=active, referent=colleague, on=days_ago(0), reason="Départ", by=coordinator)

    assert reloaded(active).referent == colleague


def test_referent_change_needs_a_current_referent(colleague, coordinator):
    measure = MeasureFactory()

    with pytest.raises(ValidationError, match="pas de référent en cours"):
        services.referent_change(measure=measure, referent=colleague, on=days_ago(1), reason="X", by=coordinator)


# Contacts, contract, evaluations


def test_contact_is_logged_with_its_author(active, referent):
    contact = ContactFactory.build(measure=active, by=None)

    services.contact_log(contact=contact, by=referent)

    assert Contact.objects.get().by == referent


def test_no_contact_is_logged_on_a_closed_measure(referent):
    measure = MeasureFactory(closed=True, referent=referent)

    with pytest.raises(ValidationError, match="mesure close"):
        services.contact_log(contact=ContactFactory.build(measure=measure, by=None), by=referent)

    assert not Contact.objects.exists()


def test_contact_before_the_accompaniment_is_not_logged(active, referent):
    contact = ContactFactory.build(measure=active, on=active.start_date - timedelta(days=1), by=None)

    with pytest.raises(ValidationError) as refused:
        services.contact_log(contact=contact, by=referent)

    assert refused.value.message_dict["on"] == [
        f"Le contact suit le début de l'accompagnement ({active.start_date:%d/%m/%Y})."
    ]
    assert not Contact.objects.exists()


def test_paper_signature_with_a_text_file_renamed_pdf_is_refused(referent):
    diagnostic = DiagnosticFactory(social_worker=referent)
    scan = SimpleUploadedFile(
        "diagnostic-signe.pdf", b"Bonjour, ceci n'est pas un scan.", content_type="application/pdf"
    )

    with pytest.raises(ValidationError, match="Ce fichier n'est pas un PDF malgré son extension .pdf"):
        services.diagnostic_sign_household(
            diagnostic=diagnostic, signed_on=days_ago(90), method=SignatureMethod.PAPER, scan=scan, by=referent
        )

    assert not Document.objects.exists()
    assert not Diagnostic.objects.get(pk=diagnostic.pk).is_signed


def test_contract_signature_needs_an_objective(referent):
    contract = ContractFactory(measure=MeasureFactory(active=True, contract=False), objective=None)

    with pytest.raises(ValidationError, match="au moins un objectif"):
        services.contract_sign(
            contract=contract, household_signed_on=days_ago(1), referent_signed_on=days_ago(1), by=referent
        )

    assert not Contract.objects.get(pk=contract.pk).is_signed


def test_contract_signature_cannot_precede_the_measure(active, referent):
    with pytest.raises(ValidationError, match="La signature du ménage ne peut précéder le début de la mesure"):
        services.contract_sign(
            contract=active.contract,
            household_signed_on=active.start_date - timedelta(days=1),
            referent_signed_on=active.start_date,
            by=referent,
        )


def test_contract_amendment_keeps_the_signed_version(referent):
    contract = ContractFactory(signed=True, household_commitments="Payer 50 € par mois sur la dette.")

    services.contract_amend(contract=contract, reason="Nouveau plan d'apurement", by=referent)

    stored = Contract.objects.get(pk=contract.pk)
    assert stored.amendment_number == 1
    assert not stored.is_signed
    version = ContractVersion.objects.get(contract=contract)
    assert (version.number, version.reason, version.by) == (1, "Nouveau plan d'apurement", referent)
    assert version.content["household_commitments"] == "Payer 50 € par mois sur la dette."
    assert len(version.content["objectives"]) == 1


def test_unsigned_contract_is_changed_directly_not_amended(active, referent):
    with pytest.raises(ValidationError, match="pas encore signé"):
        services.contract_amend(contract=active.contract, reason="X", by=referent)

    assert not ContractVersion.objects.exists()


def test_evaluation_only_during_the_accompaniment(referent):
    measure = MeasureFactory()
    evaluation = Evaluation(
        measure=measure,
        kind=EvaluationKind.FINAL,
        on=days_ago(0),
        objectives_reached="—",
        recommendation=Recommendation.CLOSE,
    )

    with pytest.raises(ValidationError, match="mesure en cours d'accompagnement"):
        services.evaluation_add(evaluation=evaluation, by=referent)

    assert not Evaluation.objects.exists()


def test_evaluation_cannot_precede_the_accompaniment(active, referent):
    evaluation = Evaluation(
        measure=active,
        on=active.start_date - timedelta(days=1),
        objectives_reached="—",
        recommendation=Recommendation.CONTINUE,
    )

    with pytest.raises(ValidationError) as refused:
        services.evaluation_add(evaluation=evaluation, by=referent)

    assert "L'évaluation suit le début de l'accompagnement" in refused.value.message_dict["on"][0]


# Optimistic locking


def test_stale_version_is_refused_and_nothing_is_overwritten(active):
    contract = active.contract
    first, second = Contract.objects.get(pk=contract.pk), Contract.objects.get(pk=contract.pk)
    first.household_commitments = "Texte du premier"
    services.save_versioned(first, expected_version=1, fields=["household_commitments"])
    second.household_commitments = "Texte du second"

    with pytest.raises(services.StaleVersionError, match="modifié par quelqu'un d'autre"):
        services.save_versioned(second, expected_version=1, fields=["household_commitments"])

    stored = Contract.objects.get(pk=contract.pk)
    assert (stored.household_commitments, stored.version) == ("Texte du premier", 2)
