"""Journey of a referent: diagnostic, signatures, measure, contract, a meeting, the final
evaluation; then the committee closes the measure and the file shows it."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from committee import services as committee_services
from committee.enums import DecisionKind, ItemKind
from committee.models import Decision
from households.enums import Track
from households.models import Household, Person
from households.services import household_create
from measures.enums import MeasureStatus, Outcome
from measures.models import Measure
from tests.finance.factories import ProgrammeFactory


def test_referent_runs_the_measure_and_the_committee_closes_it(login_as, referent, association, landlord, secretary):
    today = timezone.localdate()
    household = household_create(
        household=Household(
            landlord=landlord,
            track=Track.MAINTIEN,
            name="Famille Carpentier",
            proposed_by=landlord,
            operator=association,
            housing_situation="lmh_tenant",
        ),
        people=[
            Person(
                last_name="Carpentier", first_names="Sandrine", birth_date=today.replace(year=1985), relation="head"
            )
        ],
        by=secretary,
    )
    page = login_as(referent)

    page.goto(f"/menages/{household.pk}/?onglet=accompagnement")
    page.get_by_role("link", name="Commencer le diagnostic partagé").click()
    page.get_by_label("Commencé le").fill((today - timedelta(days=45)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_label("Entretien tripartite le").fill((today - timedelta(days=42)).isoformat())
    page.get_by_label("Temps avec le ménage (minutes)").fill("150")
    page.get_by_label("Budget et dettes").fill("Dette de 2 400 € depuis une baisse de revenus.")
    page.get_by_label("Conclusion", exact=True).select_option(label="Une mesure d'accompagnement est proposée")
    page.get_by_label("Mesure proposée").select_option(label="Maintien dans le logement")
    page.get_by_role("button", name="Enregistrer le diagnostic").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diagnostic partagé")

    page.get_by_role("link", name="Enregistrer la signature du ménage").click()
    page.get_by_label("Signé par le ménage le").fill((today - timedelta(days=40)).isoformat())
    page.get_by_label("En personne, lors d'un entretien").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("main")).to_contain_text("Signé le")

    page.get_by_role("link", name="Ouvrir la mesure").click()
    page.get_by_label("Début de l'accompagnement").fill((today - timedelta(days=35)).isoformat())
    page.get_by_label("Fin prévue").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Contrat d'accompagnement")
    page.get_by_label("Domaine").first.select_option(label="Budget et dettes")
    page.get_by_label("Objectif").first.fill("Reprendre le paiement du loyer courant")
    page.get_by_label("Engagements du ménage").fill("Payer le loyer courant.")
    page.get_by_role("button", name="Enregistrer le contrat").click()
    page.get_by_role("link", name="Enregistrer les signatures").click()
    page.get_by_label("Signé par le ménage le").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Signé par le référent le").fill((today - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("main")).to_contain_text("Signé par le ménage le")

    measure = Measure.objects.get(household=household)
    page.goto(f"/mesures/{measure.pk}/")
    page.get_by_role("link", name="Noter un contact").first.click()
    page.get_by_label("Durée (minutes)").fill("90")
    page.get_by_label("Résumé partageable").fill("Visite : loyer de novembre payé.")
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.locator("#temps")).to_contain_text(f"Dernier contact avec le ménage : {today:%d/%m/%Y}")

    page.get_by_role("link", name="Évaluer").click()
    page.get_by_label("Type").select_option(label="Finale")
    page.get_by_label("Objectifs atteints").fill("Loyer courant payé depuis trois mois.")
    page.get_by_label("Préconisation").select_option(label="Clore")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("main")).to_contain_text("Évaluation finale du")

    # The committee closes the measure (its own browser journey is tests/browser/test_committee_journey.py).
    session = committee_services.session_plan(
        programme=ProgrammeFactory(landlord=landlord),
        starts_at=timezone.make_aware(datetime.combine(today, time(9))),
        place="Siège",
    )
    item = committee_services.agenda_add(
        session=session, kind=ItemKind.CLOSURE, household=household, presented_by=association, measure=measure
    )
    committee_services.decision_record(
        decision=Decision(item=item, kind=DecisionKind.CLOSE, outcome=Outcome.KEPT_IN_HOME)
    )
    committee_services.session_mark_held(session=session)
    committee_services.session_apply_decisions(session=session, by=secretary)

    measure.refresh_from_db()
    assert (measure.status, measure.outcome) == (MeasureStatus.CLOSED, Outcome.KEPT_IN_HOME)
    page.goto(f"/mesures/{measure.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Maintien dans le logement")
    expect(page.get_by_role("main")).to_contain_text(f"Close le {today:%d/%m/%Y}")
