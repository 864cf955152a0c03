"""Demo measures in every state, built through the services so that every rule holds: diagnostics
(draft and signed), open measures with contracts, contacts every few weeks (some overdue), a
suspension, a referent change, evaluations and closures with different outcomes. Deterministic."""

import random
from datetime import date, timedelta

from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from households.enums import HouseholdStatus
from households.models import Household
from measures import services
from measures.enums import (
    ContactKind,
    DiagnosticConclusion,
    Domain,
    EvaluationKind,
    Intensity,
    Outcome,
    PartnerKind,
    Recommendation,
    SignatureMethod,
)
from measures.models import Contact, Diagnostic, Evaluation, Measure, NetworkMember, Objective

CLOSED_OUTCOMES = [Outcome.KEPT_IN_HOME, Outcome.REHOUSED, Outcome.REFUSED, Outcome.MOVED_OUT]
SUMMARIES = [
    "Point sur le budget : loyer résiduel payé ce mois-ci.",
    "Dossier FSL complété ensemble, à déposer par le ménage.",
    "Visite du logement : entretien correct, chauffage réglé.",
    "Accompagnement à la CAF pour la mise à jour de l'aide au logement.",
    "Échange avec le ménage sur les démarches en cours.",
]
NOTES = [
    "Fatigue importante de Mme, évoque des difficultés familiales.",
    "M. dit avoir repris contact avec son frère.",
    "Tensions dans le couple évoquées, à suivre avec prudence.",
    "",
]


def seed(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    if Measure.objects.exists():
        return 0
    rng = random.Random(2015)  # noqa: S311  (reproducible demo data, not security)
    households = Household.objects.filter(operator__isnull=False).select_related("operator").order_by("reference")
    count = 0
    closed_seen = 0
    for index, household in enumerate(households):
        status = household.status
        if status == HouseholdStatus.NOT_RETAINED:
            continue
        worker = _referent(household.operator)
        start_diag = max(household.proposed_on + timedelta(days=20), today - timedelta(days=500))
        if status == HouseholdStatus.CLOSED:
            start_diag = today - timedelta(days=rng.randint(420, 520))
        diagnostic = services.diagnostic_start(
            household=household, operator=household.operator, social_worker=worker, on=start_diag, by=worker
        )
        count += 1
        _fill_diagnostic(diagnostic, household, start_diag, rng)
        if status == HouseholdStatus.IN_DIAGNOSTIC:
            continue
        signed_on = diagnostic.held_on + timedelta(days=3)
        services.diagnostic_sign_household(
            diagnostic=diagnostic, signed_on=signed_on, method=SignatureMethod.IN_PERSON, by=worker
        )
        measure = services.measure_open(
            measure=diagnostic.measure,
            start_date=signed_on + timedelta(days=7),
            referent=worker,
            intensity=diagnostic.proposed_intensity or Intensity.STANDARD,
            planned_end=signed_on + timedelta(days=7 + 365),
            by=worker,
        )
        _contract(measure, worker, rng)
        _network(household, rng)
        last_contact = today if index % 4 else today - timedelta(days=30)  # a few overdue households
        end = today if status != HouseholdStatus.CLOSED else measure.start_date + timedelta(days=rng.randint(300, 380))
        _contacts(measure, worker, measure.start_date, min(end, last_contact), rng)
        services.evaluation_add(
            evaluation=Evaluation(
                measure=measure,
                kind=EvaluationKind.INTERMEDIATE,
                on=min(measure.start_date + timedelta(days=120), today),
                objectives_reached="Premiers objectifs engagés : dossier FSL déposé, contact renoué avec la CAF.",
                housing_now="Logement entretenu.",
                recommendation=Recommendation.CONTINUE,
                household_view="Le ménage souhaite poursuivre.",
            ),
            by=worker,
        )
        if index % 7 == 3 and status == HouseholdStatus.ACCOMPANIED:
            suspended_on = today - timedelta(days=60)
            services.measure_suspend(measure=measure, on=suspended_on, reason="Hospitalisation de Mme", by=worker)
            services.measure_resume(measure=measure, on=suspended_on + timedelta(days=21), by=worker)
        if household.operator.short_name == "EOLE" and status == HouseholdStatus.ACCOMPANIED and index % 2 == 0:
            other = User.objects.get(email="j.lemaire@eole.example")
            services.referent_change(
                measure=measure,
                referent=other,
                on=max(measure.start_date + timedelta(days=90), today - timedelta(days=40)),
                reason="Départ en congé de longue durée de la référente",
                by=User.objects.get(email="s.dubois@eole.example"),
            )
        if status == HouseholdStatus.CLOSED:
            services.evaluation_add(
                evaluation=Evaluation(
                    measure=measure,
                    kind=EvaluationKind.FINAL,
                    on=end,
                    objectives_reached="Dette apurée aux deux tiers ; loyer courant payé depuis 8 mois.",
                    recommendation=Recommendation.CLOSE,
                    household_view="Le ménage se sent capable de poursuivre seul.",
                ),
                by=worker,
            )
            services.measure_close(measure=measure, outcome=CLOSED_OUTCOMES[closed_seen % 4], on=end, by=worker)
            closed_seen += 1
    return count


def _referent(organisation) -> User:
    return (
        User.objects.filter(memberships__organisation=organisation, memberships__role=Role.REFERENT)
        .order_by("date_joined", "pk")
        .first()
    )


def _fill_diagnostic(diagnostic: Diagnostic, household, start: date, rng):
    diagnostic.held_on = start + timedelta(days=10)
    diagnostic.landlord_representative = "Claire Lefebvre (LMH)"
    diagnostic.household_minutes = rng.choice([120, 150, 165])
    diagnostic.admin_minutes = rng.choice([45, 60, 75])
    diagnostic.finding_housing = "Logement T3 correctement occupé ; quelques difficultés d'entretien."
    diagnostic.finding_budget = "Dette locative en hausse depuis la baisse des heures travaillées."
    diagnostic.finding_rights = "Aide au logement suspendue : dossier CAF à mettre à jour."
    diagnostic.finding_family = "Deux enfants scolarisés ; organisation familiale stable."
    diagnostic.household_words = "« On veut rester ici, les enfants ont leur école à côté. »"
    diagnostic.needs = "Reprise du paiement du loyer courant, plan d'apurement, mise à jour des droits CAF."
    diagnostic.conclusion = DiagnosticConclusion.MEASURE
    diagnostic.proposed_type = diagnostic.measure.measure_type
    diagnostic.proposed_intensity = rng.choice([Intensity.STANDARD, Intensity.REINFORCED])
    diagnostic.proposed_duration_months = 12
    diagnostic.save()
    diagnostic.members_present.set(household.people.all()[:2])


def _contract(measure, worker, rng):
    contract = measure.contract
    contract.household_commitments = "Payer le loyer courant ; être présent aux rendez-vous ; ouvrir le courrier."
    contract.referent_commitments = (
        "Rencontrer le ménage toutes les trois semaines ; l'accompagner dans ses démarches."
    )
    contract.landlord_commitments = "Suspendre la procédure tant que le plan d'apurement est respecté."
    contract.save()
    Objective.objects.create(
        contract=contract, domain=Domain.BUDGET, description="Reprendre le paiement du loyer courant"
    )
    Objective.objects.create(contract=contract, domain=Domain.RIGHTS, description="Rétablir l'aide au logement")
    Objective.objects.create(contract=contract, domain=Domain.HOUSING, description="Entretenir le logement")
    services.contract_sign(
        contract=contract,
        household_signed_on=measure.start_date + timedelta(days=14),
        referent_signed_on=measure.start_date + timedelta(days=14),
        by=worker,
    )


def _network(household, rng):
    NetworkMember.objects.create(
        household=household,
        kind=PartnerKind.CCAS,
        organisation_name="CCAS de Lille",
        person="Mme Dufour",
        role="Conseillère en économie sociale et familiale",
        phone="0320495000",
    )
    NetworkMember.objects.create(
        household=household, kind=PartnerKind.CAF, organisation_name="CAF du Nord", role="Gestionnaire du dossier"
    )


def _contacts(measure, worker, start: date, end: date, rng):
    day = start + timedelta(days=rng.randint(3, 10))
    contacts = []
    while day <= end:
        kind = rng.choice(
            [ContactKind.HOME_VISIT, ContactKind.HOME_VISIT, ContactKind.OFFICE, ContactKind.ESCORT, ContactKind.PHONE]
        )
        contacts.append(
            Contact(
                measure=measure,
                on=day,
                kind=kind,
                duration_minutes=rng.choice([60, 90, 90, 120]),
                with_household=True,
                summary=rng.choice(SUMMARIES),
                confidential_note=rng.choice(NOTES),
                by=worker,
            )
        )
        if rng.random() < 0.5:
            contacts.append(
                Contact(
                    measure=measure,
                    on=day,
                    kind=ContactKind.ADMIN,
                    duration_minutes=rng.choice([30, 45, 60]),
                    with_household=False,
                    summary="Courriers et appels aux partenaires.",
                    by=worker,
                )
            )
        day += timedelta(days=rng.randint(14, 24))
    Contact.objects.bulk_create(contacts)
