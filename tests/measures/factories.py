"""Factories of the measures app. Defaults give a valid object; Traits give the usual stages.

A measure's household is by default a *maintien* household of the landlord « LMH » followed by the
association « EOLE » (the same organisations as the shared personas of `tests/conftest.py`: the
organisation factory gets them by short name). Rows are saved as they are, without the checks of
`measures.services`: tests that need those checks go through the service or the view.

    MeasureFactory()                          # at the diagnostic stage, with its draft diagnostic
    MeasureFactory(active=True, referent=user)  # signed diagnostic, referent assignment, draft contract
    MeasureFactory(suspended=True)            # the same, suspended ten days ago
    MeasureFactory(closed=True)               # the same, closed yesterday
"""

from datetime import timedelta

import factory
from django.core.files.base import ContentFile

from accounts.enums import Role
from households.enums import HouseholdStatus
from measures.enums import (
    ContactKind,
    DiagnosticConclusion,
    DocumentKind,
    Domain,
    EvaluationKind,
    Intensity,
    MeasureStatus,
    MeasureType,
    ObjectiveStatus,
    Outcome,
    Recommendation,
    SignatureMethod,
)
from measures.models import (
    Contact,
    Contract,
    Diagnostic,
    Document,
    Evaluation,
    LiaisonItem,
    LiaisonMeeting,
    Measure,
    MeasureStatusChange,
    Objective,
    ReferentAssignment,
)
from tests.accounts.factories import OrganisationFactory, UserFactory, member
from tests.households.factories import HouseholdFactory, PersonFactory, days_ago

# The shared personas' organisations, found (not duplicated) by their short name.
LMH = {"landlord": True, "name": "Lille Métropole Habitat", "short_name": "LMH"}
EOLE = {"name": "EOLE", "short_name": "EOLE"}
AFEJI = {"name": "AFEJI", "short_name": "AFEJI"}

# Default dates of an active measure: diagnostic 120 days ago, signed 100 days ago, open 90 days ago.
DIAGNOSTIC_DAYS_AGO = 120
SIGNED_DAYS_AGO = 100
START_DAYS_AGO = 90

HOUSEHOLD_STATUS = {
    MeasureStatus.PROPOSED: HouseholdStatus.PROPOSED,
    MeasureStatus.DIAGNOSTIC: HouseholdStatus.IN_DIAGNOSTIC,
    MeasureStatus.ACTIVE: HouseholdStatus.ACCOMPANIED,
    MeasureStatus.SUSPENDED: HouseholdStatus.ACCOMPANIED,
    MeasureStatus.CLOSED: HouseholdStatus.CLOSED,
}
ACCOMPANIMENT = (MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED, MeasureStatus.CLOSED)


class FollowedHouseholdFactory(HouseholdFactory):
    """A *maintien* household of LMH with one person. `eole=True` (or `afeji=True`) gives it its
    accompanying association."""

    class Meta:
        skip_postgeneration_save = True

    landlord = factory.SubFactory(OrganisationFactory, **LMH)
    head = factory.RelatedFactory(PersonFactory, factory_related_name="household", first_names="Sabrina")

    class Params:
        eole = factory.Trait(operator=factory.SubFactory(OrganisationFactory, **EOLE))
        afeji = factory.Trait(operator=factory.SubFactory(OrganisationFactory, **AFEJI))
        in_diagnostic = factory.Trait(status=HouseholdStatus.IN_DIAGNOSTIC)


def _social_worker(diagnostic) -> object:
    return member(diagnostic.measure.operator, Role.REFERENT)


class DiagnosticFactory(factory.django.DjangoModelFactory):
    """A draft diagnostic, complete enough to be signed. `signed=True` records the household's signature
    (in person); `no_measure=True` concludes that no measure is needed."""

    class Meta:
        model = Diagnostic
        skip_postgeneration_save = True

    measure = factory.SubFactory("tests.measures.factories.MeasureFactory", diagnostic=False)
    social_worker = factory.LazyAttribute(_social_worker)
    landlord_representative = "Claire Lefebvre (LMH)"
    started_on = factory.LazyFunction(lambda: days_ago(DIAGNOSTIC_DAYS_AGO))
    held_on = factory.LazyFunction(lambda: days_ago(SIGNED_DAYS_AGO))
    household_minutes = 150
    admin_minutes = 60
    finding_housing = "Logement bien tenu, chauffage coupé depuis l'hiver."
    finding_budget = "Dette de loyer de 1 850 €, pas de plan d'apurement."
    needs = "Reprendre le paiement du loyer, ouvrir les droits CAF."
    conclusion = DiagnosticConclusion.MEASURE
    proposed_type = MeasureType.MAINTIEN
    proposed_intensity = Intensity.STANDARD
    proposed_duration_months = 12

    class Params:
        blank = factory.Trait(
            held_on=None,
            finding_housing="",
            finding_budget="",
            needs="",
            conclusion="",
            proposed_type="",
            proposed_intensity="",
            proposed_duration_months=None,
        )
        signed = factory.Trait(
            household_signed_on=factory.SelfAttribute("held_on"),
            household_signature_method=SignatureMethod.IN_PERSON,
            association_signed_by=factory.SelfAttribute("social_worker"),
            association_signed_on=factory.SelfAttribute("held_on"),
        )
        no_measure = factory.Trait(
            conclusion=DiagnosticConclusion.NO_MEASURE,
            proposed_type="",
            proposed_intensity="",
            proposed_duration_months=None,
        )


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    contract = factory.SubFactory("tests.measures.factories.ContractFactory")
    domain = Domain.BUDGET
    description = factory.Sequence(lambda n: f"Objectif {n} : solder la dette de loyer")
    target_date = factory.LazyFunction(lambda: days_ago(-180))
    status = ObjectiveStatus.IN_PROGRESS


class ContractFactory(factory.django.DjangoModelFactory):
    """A draft contract with one objective. `signed=True` records both signatures."""

    class Meta:
        model = Contract
        skip_postgeneration_save = True

    measure = factory.SubFactory("tests.measures.factories.MeasureFactory", active=True, contract=False)
    household_commitments = "Payer le loyer courant chaque mois."
    referent_commitments = "Une visite toutes les trois semaines."
    landlord_commitments = "Suspendre la procédure tant que le plan est tenu."
    objective = factory.RelatedFactory(ObjectiveFactory, factory_related_name="contract")

    class Params:
        signed = factory.Trait(
            household_signed_on=factory.LazyFunction(lambda: days_ago(START_DAYS_AGO - 5)),
            referent_signed_on=factory.LazyFunction(lambda: days_ago(START_DAYS_AGO - 5)),
        )


class MeasureFactory(factory.django.DjangoModelFactory):
    """At the diagnostic stage by default, with its draft diagnostic and its dated status changes.

    - `active=True`: open 90 days ago after a signed diagnostic, with a referent assignment (pass
      `referent=user`, else a new referent of the association) and a draft contract;
    - `suspended=True`: the same, suspended ten days ago;
    - `closed=True`: the same, closed yesterday (kept in the home);
    - `proposed=True`: no diagnostic yet.
    Pass `diagnostic=False`, `referent=False` or `contract=False` to leave one out, and
    `diagnostic__no_measure=True`, `contract__signed=True` and the like to shape them."""

    class Meta:
        model = Measure
        skip_postgeneration_save = True

    household = factory.SubFactory(
        FollowedHouseholdFactory, eole=True, status=factory.SelfAttribute("..household_status")
    )
    operator = factory.SelfAttribute("household.operator")
    measure_type = MeasureType.MAINTIEN
    status = MeasureStatus.DIAGNOSTIC
    intensity = Intensity.STANDARD

    class Params:
        household_status = factory.LazyAttribute(lambda o: HOUSEHOLD_STATUS[o.status])
        proposed = factory.Trait(status=MeasureStatus.PROPOSED)
        active = factory.Trait(
            status=MeasureStatus.ACTIVE,
            start_date=factory.LazyFunction(lambda: days_ago(START_DAYS_AGO)),
            planned_end=factory.LazyFunction(lambda: days_ago(START_DAYS_AGO - 365)),
        )
        suspended = factory.Trait(active=True, status=MeasureStatus.SUSPENDED)
        closed = factory.Trait(
            active=True,
            status=MeasureStatus.CLOSED,
            outcome=Outcome.KEPT_IN_HOME,
            closed_on=factory.LazyFunction(lambda: days_ago(1)),
        )

    @factory.post_generation
    def history(measure, create, extracted, **kwargs):
        """The status changes that led to the measure's status, dated like the other defaults."""
        if not create or measure.status == MeasureStatus.PROPOSED:
            return
        diagnosed_on = days_ago(DIAGNOSTIC_DAYS_AGO)
        if measure.start_date:  # an older accompaniment had its diagnostic a month before it started
            diagnosed_on = min(diagnosed_on, measure.start_date - timedelta(days=30))
        steps = [(MeasureStatus.PROPOSED, MeasureStatus.DIAGNOSTIC, diagnosed_on)]
        if measure.status in ACCOMPANIMENT:
            steps.append((MeasureStatus.DIAGNOSTIC, MeasureStatus.ACTIVE, measure.start_date))
        if measure.status == MeasureStatus.SUSPENDED:
            steps.append((MeasureStatus.ACTIVE, MeasureStatus.SUSPENDED, days_ago(10)))
        if measure.status == MeasureStatus.CLOSED:
            steps.append((MeasureStatus.ACTIVE, MeasureStatus.CLOSED, measure.closed_on))
        for from_status, to_status, on in steps:
            MeasureStatusChange.objects.create(measure=measure, from_status=from_status, to_status=to_status, on=on)

    @factory.post_generation
    def referent(measure, create, extracted, **kwargs):
        """The single referent of an accompaniment (current until the measure closes)."""
        if not create or extracted is False or measure.status not in ACCOMPANIMENT:
            return
        ReferentAssignmentFactory(
            measure=measure,
            referent=extracted or member(measure.operator, Role.REFERENT),
            start=measure.start_date,
            end=measure.closed_on,
        )

    @factory.post_generation
    def diagnostic(measure, create, extracted, **kwargs):
        if not create or extracted is False or measure.status == MeasureStatus.PROPOSED:
            return
        assignment = measure.assignments.first()
        fields = {"social_worker": assignment.referent} if assignment else {}
        fields |= {"signed": True} if measure.status in ACCOMPANIMENT else {}
        DiagnosticFactory(measure=measure, **fields | kwargs)

    @factory.post_generation
    def contract(measure, create, extracted, **kwargs):
        if not create or extracted is False or measure.status not in ACCOMPANIMENT:
            return
        ContractFactory(measure=measure, **kwargs)


class ReferentAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferentAssignment

    measure = factory.SubFactory(MeasureFactory, active=True, referent=False)
    referent = factory.LazyAttribute(lambda o: member(o.measure.operator, Role.REFERENT))
    start = factory.LazyFunction(lambda: days_ago(START_DAYS_AGO))
    reason = "Référent désigné à l'ouverture de la mesure"


def _author(obj):
    """The measure's current referent, else a new referent of its association."""
    assignment = obj.measure.assignments.filter(end__isnull=True).first()
    return assignment.referent if assignment else member(obj.measure.operator, Role.REFERENT)


class ContactFactory(factory.django.DjangoModelFactory):
    """A home visit of 1 h 30 five days ago, with a shareable summary and a confidential note.
    Traits: `admin`, `nobody_home`, `phone`, `partner_meeting`."""

    class Meta:
        model = Contact

    measure = factory.SubFactory(MeasureFactory, active=True)
    on = factory.LazyFunction(lambda: days_ago(5))
    kind = ContactKind.HOME_VISIT
    duration_minutes = 90
    with_household = True
    participants = "Mme Durand"
    summary = "Visite faite, le loyer courant est payé."
    confidential_note = "Tensions dans le couple, à suivre."
    by = factory.LazyAttribute(_author)

    class Params:
        admin = factory.Trait(kind=ContactKind.ADMIN, with_household=False, participants="", duration_minutes=60)
        nobody_home = factory.Trait(kind=ContactKind.NOBODY_HOME, duration_minutes=30)
        phone = factory.Trait(kind=ContactKind.PHONE, duration_minutes=20)
        partner_meeting = factory.Trait(kind=ContactKind.PARTNER_MEETING, with_household=False)


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An intermediate evaluation, yesterday; `final=True` for the one that goes with the closure."""

    class Meta:
        model = Evaluation

    measure = factory.SubFactory(MeasureFactory, active=True)
    kind = EvaluationKind.INTERMEDIATE
    on = factory.LazyFunction(lambda: days_ago(1))
    objectives_reached = "Le loyer courant est payé depuis trois mois."
    recommendation = Recommendation.CONTINUE
    by = factory.LazyAttribute(_author)

    class Params:
        final = factory.Trait(kind=EvaluationKind.FINAL, recommendation=Recommendation.CLOSE)


PDF_BYTES = b"%PDF-1.4\n% piece jointe de test\n%%EOF\n"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A confidential PDF of an EOLE household; `shared=True` makes it visible to the landlord."""

    class Meta:
        model = Document

    household = factory.SubFactory(FollowedHouseholdFactory, eole=True)
    kind = DocumentKind.OTHER
    title = factory.Sequence(lambda n: f"Pièce {n}")
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="piece.pdf"))
    confidential = True
    uploaded_by = factory.SubFactory(UserFactory)

    class Params:
        shared = factory.Trait(confidential=False)


class LiaisonMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonMeeting
        skip_postgeneration_save = True

    landlord = factory.SubFactory(OrganisationFactory, **LMH)
    held_on = factory.LazyFunction(lambda: days_ago(14))
    participants = "C. Lefebvre (LMH), A. Martin (EOLE)"
    next_on = factory.LazyAttribute(lambda o: o.held_on + timedelta(weeks=6))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def partners(meeting, create, extracted, **kwargs):
        if create and extracted:
            meeting.partners.set(extracted)


class LiaisonItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonItem

    meeting = factory.SubFactory(LiaisonMeetingFactory)
    household = factory.SubFactory(FollowedHouseholdFactory, eole=True)
    note = "Le plan d'apurement est tenu."
