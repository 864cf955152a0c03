"""The measures pages end to end, through the Django test client: a measure's whole life from the
diagnostic to its closure, the refusals a user reads on the page, the concurrent-edit conflict (no lost
update), and the 6-weekly liaison meetings."""

import html
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Role
from households.enums import HouseholdStatus
from households.models import Household
from measures.enums import (
    ContactKind,
    DiagnosticConclusion,
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
    ContractVersion,
    Diagnostic,
    Document,
    Evaluation,
    LiaisonItem,
    LiaisonMeeting,
    Measure,
    MeasureStatusChange,
)
from tests.accounts.factories import member
from tests.conftest import VerifiedClient
from tests.households.factories import PersonFactory, days_ago
from tests.measures.factories import (
    PDF_BYTES,
    ContactFactory,
    EvaluationFactory,
    FollowedHouseholdFactory,
    LiaisonMeetingFactory,
    MeasureFactory,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    """The text a reader sees: tags removed, whitespace folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text(response)))


def url(name, *args):
    return reverse(f"measures:{name}", args=args)


def hidden_version(response) -> str:
    """The version the edit form carries, as the browser would post it back."""
    match = re.search(r'<input type="hidden" name="version" value="(\d+)"', response.content.decode())
    assert match, "the form carries no version"
    return match.group(1)


def objectives_data(contract, new=()) -> dict:
    """The objectives formset as posted: the contract's objectives as they are, then `new` rows."""
    existing = list(contract.objectives.all())
    data = {"objectives-TOTAL_FORMS": len(existing) + len(new), "objectives-INITIAL_FORMS": len(existing)}
    rows = [{"id": o.pk, "domain": o.domain, "description": o.description, "status": o.status} for o in existing] + [
        {"status": ObjectiveStatus.NOT_STARTED, **row} for row in new
    ]
    for index, row in enumerate(rows):
        data |= {f"objectives-{index}-{key}": value for key, value in row.items()}
    return data


# The whole life of a measure


def test_a_measure_from_diagnostic_to_closure(client, referent, association, landlord):
    household = FollowedHouseholdFactory(eole=True, name="Famille Durand")
    head = household.people.get()
    child = PersonFactory(household=household, child=True, first_names="Lucas")
    client.force_login(referent)

    # 1. The referent starts the shared diagnostic.
    response = client.post(
        url("diagnostic_start", household.pk),
        {"operator": association.pk, "social_worker": referent.pk, "on": days_ago(12)},
    )
    measure = Measure.objects.get(household=household)
    assert response["Location"] == url("diagnostic_edit", measure.pk)
    assert measure.status == MeasureStatus.DIAGNOSTIC
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.IN_DIAGNOSTIC

    # 2. The diagnostic is written.
    form = client.get(url("diagnostic_edit", measure.pk))
    assert "Lucas" in text(form)
    response = client.post(
        url("diagnostic_edit", measure.pk),
        {
            "version": hidden_version(form),
            "held_on": days_ago(10),
            "landlord_representative": "Claire Lefebvre",
            "members_present": [head.pk, child.pk],
            "household_minutes": 150,
            "admin_minutes": 60,
            "finding_budget": "Dette de 1 850 € ; aucun plan d'apurement.",
            "needs": "Plan d'apurement, droits CAF.",
            "conclusion": DiagnosticConclusion.MEASURE,
            "proposed_type": MeasureType.MAINTIEN,
            "proposed_intensity": Intensity.REINFORCED,
            "proposed_duration_months": 12,
        },
    )
    assert response["Location"] == url("diagnostic", measure.pk)
    page = text(client.get(url("diagnostic", measure.pk)))
    assert "Dette de 1 850 € ; aucun plan d'apurement." in page
    assert "Brouillon — non signé" in page
    assert "Sabrina" in page and "Lucas" in page

    # 3. The household signs in person: the diagnostic is locked.
    response = client.post(
        url("diagnostic_sign", measure.pk), {"signed_on": days_ago(10), "method": SignatureMethod.IN_PERSON}
    )
    assert response["Location"] == url("diagnostic", measure.pk)
    diagnostic = Diagnostic.objects.get(measure=measure)
    assert diagnostic.is_signed and diagnostic.household_signature_method == SignatureMethod.IN_PERSON
    assert f"Signé le {days_ago(10):%d/%m/%Y}" in text(client.get(url("diagnostic", measure.pk)))
    assert client.get(url("diagnostic_edit", measure.pk))["Location"] == url("diagnostic_amend", measure.pk)

    # 4. The measure opens: active, household accompanied, contract created, referent assigned.
    response = client.post(
        url("open", measure.pk),
        {
            "start_date": days_ago(9),
            "referent": referent.pk,
            "intensity": Intensity.REINFORCED,
            "planned_end": days_ago(-356),
        },
    )
    assert response["Location"] == url("contract_edit", measure.pk)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ACTIVE
    assert measure.start_date == days_ago(9)
    assert measure.referent == referent
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.ACCOMPANIED
    contract = Contract.objects.get(measure=measure)

    # 5. The contract is written with its objectives, then signed.
    form = client.get(url("contract_edit", measure.pk))
    response = client.post(
        url("contract_edit", measure.pk),
        {
            "version": hidden_version(form),
            "household_commitments": "Payer le loyer courant et 50 € par mois sur la dette.",
            "referent_commitments": "Une visite toutes les trois semaines.",
            "landlord_commitments": "Suspendre la procédure tant que le plan est tenu.",
        }
        | objectives_data(
            contract,
            new=[
                {"domain": Domain.BUDGET, "description": "Tenir le plan d'apurement"},
                {"domain": Domain.RIGHTS, "description": "Ouvrir les droits CAF"},
            ],
        ),
    )
    assert response["Location"] == url("contract", measure.pk)
    assert list(contract.objectives.values_list("description", flat=True)) == [
        "Tenir le plan d'apurement",
        "Ouvrir les droits CAF",
    ]
    response = client.post(
        url("contract_sign", measure.pk), {"household_signed_on": days_ago(8), "referent_signed_on": days_ago(8)}
    )
    assert response["Location"] == url("contract", measure.pk)
    assert Contract.objects.get(pk=contract.pk).is_signed
    assert client.get(url("contract_edit", measure.pk))["Location"] == url("contract", measure.pk)

    # 6. An amendment keeps the signed version, readable on the contract page.
    response = client.post(url("contract_amend", measure.pk), {"reason": "Plan d'apurement renégocié"})
    assert response["Location"] == url("contract_edit", measure.pk)
    version = ContractVersion.objects.get(contract=contract)
    assert version.number == 1
    assert version.content["household_commitments"] == "Payer le loyer courant et 50 € par mois sur la dette."
    form = client.get(url("contract_edit", measure.pk))
    contract.refresh_from_db()
    client.post(
        url("contract_edit", measure.pk),
        {
            "version": hidden_version(form),
            "household_commitments": "Payer le loyer courant et 80 € par mois sur la dette.",
            "referent_commitments": "Une visite toutes les trois semaines.",
            "landlord_commitments": "Suspendre la procédure tant que le plan est tenu.",
        }
        | objectives_data(contract),
    )
    page = text(client.get(url("contract", measure.pk)))
    assert "Contrat d'accompagnement — avenant n° 1" in page
    assert "80 € par mois" in page
    assert "Versions signées antérieures" in page
    assert "Version 1 — remplacée par l'avenant" in page and "Plan d'apurement renégocié" in page
    assert "50 € par mois" in page
    assert "Tenir le plan d'apurement" in page

    # 7. A contact is noted, then the final evaluation.
    response = client.post(
        url("contact_add", measure.pk),
        {
            "on": days_ago(2),
            "kind": ContactKind.HOME_VISIT,
            "duration_minutes": 90,
            "with_household": "on",
            "summary": "Loyer de ce mois payé.",
            "confidential_note": "Mme évoque un conflit avec son ex-conjoint.",
        },
    )
    assert response["Location"] == url("detail", measure.pk) + "#temps"
    contact = Contact.objects.get(measure=measure)
    assert (contact.by, contact.duration_minutes, contact.with_household) == (referent, 90, True)
    page = visible(client.get(url("detail", measure.pk)))
    assert "Loyer de ce mois payé." in page and "Mme évoque un conflit avec son ex-conjoint." in page
    assert f"Dernier contact avec le ménage : {days_ago(2):%d/%m/%Y}" in page

    response = client.post(
        url("evaluation_add", measure.pk),
        {
            "kind": EvaluationKind.FINAL,
            "on": days_ago(1),
            "objectives_reached": "Plan tenu, droits CAF ouverts.",
            "arrears_now": "320.00",
            "recommendation": Recommendation.CLOSE,
        },
    )
    assert response["Location"] == url("detail", measure.pk) + "#evaluations"
    assert Evaluation.objects.get(measure=measure).by == referent

    # 8. The measure closes with its outcome; the household file is closed.
    response = client.post(url("status", measure.pk, "cloture"), {"outcome": Outcome.KEPT_IN_HOME, "on": days_ago(0)})
    assert response["Location"] == url("detail", measure.pk)
    measure.refresh_from_db()
    assert (measure.status, measure.outcome, measure.closed_on) == (
        MeasureStatus.CLOSED,
        Outcome.KEPT_IN_HOME,
        days_ago(0),
    )
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.CLOSED
    assert measure.assignments.get().end == days_ago(0)
    assert list(measure.status_changes.values_list("to_status", flat=True)) == [
        MeasureStatus.DIAGNOSTIC,
        MeasureStatus.ACTIVE,
        MeasureStatus.CLOSED,
    ]
    page = visible(client.get(url("detail", measure.pk)))
    assert f"Close le {days_ago(0):%d/%m/%Y} : Maintien dans le logement" in page
    assert "Noter un contact" not in page


def test_close_is_refused_without_a_final_evaluation(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    EvaluationFactory(measure=measure)
    client.force_login(referent)

    response = client.post(url("status", measure.pk, "cloture"), {"outcome": Outcome.KEPT_IN_HOME, "on": days_ago(0)})

    assert response.status_code == 200
    assert "Enregistrez d'abord l'évaluation finale : elle accompagne la clôture." in text(response)
    measure.refresh_from_db()
    assert (measure.status, measure.outcome) == (MeasureStatus.ACTIVE, "")
    assert measure.household.status == HouseholdStatus.ACCOMPANIED


def test_close_needs_an_outcome(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    EvaluationFactory(measure=measure, final=True)
    client.force_login(referent)

    response = client.post(url("status", measure.pk, "cloture"), {"outcome": "", "on": days_ago(0)})

    assert response.status_code == 200
    assert "outcome" in response.context["form"].errors
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.ACTIVE


def test_diagnostic_concluding_no_need_closes_through_the_page(client, referent):
    measure = MeasureFactory(diagnostic__signed=True, diagnostic__no_measure=True)
    client.force_login(referent)
    assert url("status", measure.pk, "cloture") in text(client.get(url("diagnostic", measure.pk)))

    response = client.post(
        url("status", measure.pk, "cloture"), {"outcome": Outcome.NO_MEASURE_NEEDED, "on": days_ago(0)}
    )

    assert response["Location"] == url("detail", measure.pk)
    measure.refresh_from_db()
    assert (measure.status, measure.outcome) == (MeasureStatus.CLOSED, Outcome.NO_MEASURE_NEEDED)
    assert measure.household.status == HouseholdStatus.CLOSED


def test_unsigned_diagnostic_cannot_close_the_measure_through_the_page(client, referent):
    measure = MeasureFactory(diagnostic__no_measure=True)
    client.force_login(referent)

    response = client.post(
        url("status", measure.pk, "cloture"), {"outcome": Outcome.NO_MEASURE_NEEDED, "on": days_ago(0)}
    )

    assert response.status_code == 200
    assert "se clôt seulement quand le diagnostic signé conclut" in text(response)
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.DIAGNOSTIC


def test_suspend_and_resume_through_the_pages(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(referent)

    response = client.post(url("status", measure.pk, "suspension"), {"on": days_ago(5), "reason": "Hospitalisation"})
    assert response["Location"] == url("detail", measure.pk)
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.SUSPENDED
    assert url("status", measure.pk, "reprise") in text(client.get(url("detail", measure.pk)))

    client.post(url("status", measure.pk, "reprise"), {"on": days_ago(1)})

    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.ACTIVE
    change = MeasureStatusChange.objects.filter(measure=measure).last()
    assert (change.from_status, change.to_status, change.on) == ("suspended", "active", days_ago(1))


def test_status_change_cannot_be_dated_in_the_future(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(referent)

    response = client.post(url("status", measure.pk, "suspension"), {"on": days_ago(-1), "reason": "Absence"})

    assert "La date ne peut pas être dans le futur." in text(response)
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.ACTIVE


def test_status_confirmation_page_says_what_will_change(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(referent)

    page = visible(client.get(url("status", measure.pk, "cloture")))

    assert "sera close à la date indiquée" in page
    assert "le ménage passe au statut « Clos »" in page


def test_diagnostic_signature_page_lists_what_is_missing(client, referent):
    measure = MeasureFactory(diagnostic__blank=True, diagnostic__social_worker=referent)
    client.force_login(referent)

    page = text(client.get(url("diagnostic_sign", measure.pk)))

    missing = "la date de l'entretien tripartite, la conclusion, au moins un constat"
    assert f"Avant la signature, renseignez : {missing}." in page


def test_paper_signature_without_scan_is_refused_on_the_page(client, referent):
    measure = MeasureFactory(diagnostic__social_worker=referent)
    client.force_login(referent)

    response = client.post(url("diagnostic_sign", measure.pk), {"signed_on": days_ago(1), "method": "paper"})

    assert "Pour une signature sur papier, joignez le scan." in text(response)
    assert not Diagnostic.objects.get(measure=measure).is_signed


def test_paper_signature_with_a_text_file_renamed_pdf_is_refused_next_to_the_scan(client, referent):
    measure = MeasureFactory(diagnostic__social_worker=referent)
    client.force_login(referent)
    scan = SimpleUploadedFile("diagnostic-signe.pdf", b"Bonjour, ceci est un texte.", content_type="application/pdf")

    response = client.post(
        url("diagnostic_sign", measure.pk), {"signed_on": days_ago(1), "method": "paper", "scan": scan}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["scan"] == [
        "Ce fichier n'est pas un PDF malgré son extension .pdf : joignez le document lui-même "
        "(scan enregistré en PDF, JPEG ou PNG)."
    ]
    assert not Diagnostic.objects.get(measure=measure).is_signed
    assert not Document.objects.exists()


def test_paper_signature_keeps_the_whole_pdf_scan(client, referent):
    measure = MeasureFactory(diagnostic__social_worker=referent)
    client.force_login(referent)
    scan = SimpleUploadedFile("diagnostic-signe.pdf", PDF_BYTES, content_type="application/pdf")

    response = client.post(
        url("diagnostic_sign", measure.pk), {"signed_on": days_ago(1), "method": "paper", "scan": scan}
    )

    assert response["Location"] == url("diagnostic", measure.pk)
    with Document.objects.get(measure=measure).file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_document_upload_refuses_a_text_file_renamed_pdf(client, referent):
    household = FollowedHouseholdFactory(eole=True)
    client.force_login(referent)
    fake = SimpleUploadedFile("contrat-signe.pdf", b"Ceci n'est pas un PDF.", content_type="application/pdf")

    response = client.post(
        reverse("measures:document_add", args=[household.pk]),
        {"kind": "signed_contract", "title": "Contrat signé", "file": fake, "confidential": "on"},
    )

    assert response.status_code == 200
    assert "Ce fichier n'est pas un PDF malgré son extension .pdf" in response.context["form"].errors["file"][0]
    assert not Document.objects.exists()


def test_diagnostic_proposing_a_measure_is_refused_without_its_type(client, referent):
    measure = MeasureFactory(diagnostic__blank=True, diagnostic__social_worker=referent)
    edit = url("diagnostic_edit", measure.pk)
    client.force_login(referent)

    response = client.post(
        edit,
        {
            "version": hidden_version(client.get(edit)),
            "household_minutes": 150,
            "admin_minutes": 60,
            "conclusion": DiagnosticConclusion.MEASURE,
            "proposed_intensity": Intensity.STANDARD,
            "proposed_duration_months": 12,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["proposed_type"] == [
        "La conclusion propose une mesure : précisez son type."
    ]
    diagnostic = Diagnostic.objects.get(measure=measure)
    assert (diagnostic.conclusion, diagnostic.version) == ("", 1)


def test_diagnostic_page_says_when_the_proposed_type_is_missing(client, referent):
    measure = MeasureFactory(diagnostic__proposed_type="")
    client.force_login(referent)

    page = visible(client.get(url("diagnostic", measure.pk)))

    assert "Une mesure d'accompagnement est proposée : type de mesure à préciser, intensité standard" in page
    assert "proposée : ," not in page


def test_contract_signature_is_refused_without_objective(client, referent):
    measure = MeasureFactory(active=True, referent=referent, contract__objective=None)
    client.force_login(referent)

    response = client.post(
        url("contract_sign", measure.pk), {"household_signed_on": days_ago(1), "referent_signed_on": days_ago(1)}
    )

    assert "Un contrat a au moins un objectif : ajoutez-en un avant la signature." in text(response)
    assert not Contract.objects.get(measure=measure).is_signed


def test_referent_change_by_the_coordinator(client, coordinator, referent, association):
    colleague = member(association, Role.REFERENT, full_name="Julie Petit")
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(coordinator)

    response = client.post(
        url("referent_change", measure.pk), {"referent": colleague.pk, "on": days_ago(3), "reason": "Congé"}
    )

    assert response["Location"] == url("detail", measure.pk)
    page = visible(client.get(url("detail", measure.pk)))
    assert "Référent : Julie Petit" in page
    assert f"Amandine Martin du {measure.start_date:%d/%m/%Y} au {days_ago(3):%d/%m/%Y}" in page


def test_referent_change_dated_in_the_future_is_refused_next_to_the_date(client, coordinator, referent, association):
    colleague = member(association, Role.REFERENT, full_name="Julie Lemaire")
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(coordinator)

    response = client.post(
        url("referent_change", measure.pk), {"referent": colleague.pk, "on": days_ago(-183), "reason": "Mutation"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["on"] == [
        "Un changement de référent s'enregistre une fois effectif : la date ne peut pas être dans le futur."
    ]
    assignment = measure.assignments.get()
    assert (assignment.referent, assignment.end) == (referent, None)


def test_referent_change_before_the_current_referent_start_is_refused_next_to_the_date(
    client, coordinator, referent, association
):
    colleague = member(association, Role.REFERENT)
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(coordinator)

    response = client.post(
        url("referent_change", measure.pk),
        {"referent": colleague.pk, "on": measure.start_date - timedelta(days=1), "reason": "Congé"},
    )

    assert response.context["form"].errors["on"] == [
        f"Le changement doit suivre le début du référent actuel ({measure.start_date:%d/%m/%Y})."
    ]
    assert measure.assignments.get().referent == referent


def test_referent_change_without_reason_is_refused(client, coordinator, referent, association):
    colleague = member(association, Role.REFERENT)
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(coordinator)

    response = client.post(url("referent_change", measure.pk), {"referent": colleague.pk, "on": days_ago(3)})

    assert "reason" in response.context["form"].errors
    assert measure.assignments.get().referent == referent


def test_contact_in_the_future_is_refused(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(referent)

    response = client.post(
        url("contact_add", measure.pk),
        {"on": days_ago(-1), "kind": ContactKind.PHONE, "duration_minutes": 20, "with_household": "on"},
    )

    assert response.status_code == 200
    assert "la date ne peut pas être dans le futur" in text(response)
    assert not Contact.objects.exists()


def test_contact_dated_before_the_measure_start_is_refused_and_not_counted(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    ContactFactory(measure=measure, duration_minutes=90)
    client.force_login(referent)

    response = client.post(
        url("contact_add", measure.pk),
        {"on": date(2020, 1, 1), "kind": ContactKind.HOME_VISIT, "duration_minutes": 60, "with_household": "on"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["on"] == [
        f"Le contact suit le début de l'accompagnement ({measure.start_date:%d/%m/%Y})."
    ]
    assert Contact.objects.filter(measure=measure).count() == 1
    assert response.context["form"].errors["on"][0] in text(response)


def test_contact_at_the_diagnostic_stage_before_the_diagnostic_is_refused(client, referent):
    measure = MeasureFactory(diagnostic__social_worker=referent, diagnostic__started_on=days_ago(20))
    client.force_login(referent)

    response = client.post(
        url("contact_add", measure.pk),
        {"on": days_ago(30), "kind": ContactKind.PHONE, "duration_minutes": 20, "with_household": "on"},
    )

    assert response.context["form"].errors["on"] == [
        f"Le contact suit le début du diagnostic ({days_ago(20):%d/%m/%Y})."
    ]
    assert not Contact.objects.exists()


def test_measure_page_shows_a_dash_for_a_contact_without_confidential_note(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    ContactFactory(measure=measure, confidential_note=None)
    client.force_login(referent)

    page = text(client.get(url("detail", measure.pk)))

    assert '<td class="confidential-cell">—</td>' in page
    assert "None" not in page


def test_a_visit_with_nobody_home_reads_in_correct_french(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    ContactFactory(measure=measure, nobody_home=True)
    client.force_login(referent)

    page = visible(client.get(url("detail", measure.pk)))

    assert "Visite à domicile, ménage absent" in page
    assert "personne présent" not in page


def test_measure_page_shows_the_time_against_the_norm_and_the_alert(client, referent):
    measure = MeasureFactory(active=True, referent=referent, start_date=days_ago(364))
    ContactFactory(measure=measure, on=days_ago(30), duration_minutes=90)
    ContactFactory(measure=measure, admin=True, on=days_ago(2), duration_minutes=45)
    client.force_login(referent)

    page = text(client.get(url("detail", measure.pk)))

    assert "sur 365 jours d'accompagnement actif" in page
    assert "26\u00a0h" in page and "18\u00a0h" in page
    assert "Aucun contact avec le ménage depuis 30 jours (plus de 3 semaines)" in page


def test_measure_page_shows_30_contacts_then_a_link_to_the_others(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    for day in range(32):
        ContactFactory(measure=measure, on=days_ago(day + 1), summary=f"Contact numéro {day + 1}.")
    client.force_login(referent)

    page = text(client.get(url("detail", measure.pk)))
    everything = text(client.get(url("detail", measure.pk) + "?contacts=tous"))

    assert "Contact numéro 30." in page and "Contact numéro 31." not in page
    assert "Afficher les 2 contacts plus anciens" in page
    assert "Contact numéro 32." in everything


def test_measure_pages_are_not_cached(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(referent)

    for name in ["detail", "diagnostic", "contract"]:
        assert "no-store" in client.get(url(name, measure.pk))["Cache-Control"]


def test_pdfs_are_served_inline_with_the_household_reference(client, referent):
    measure = MeasureFactory(active=True, referent=referent, household__reference="F-PDF01")
    client.force_login(referent)

    diagnostic = client.get(url("diagnostic_pdf", measure.pk))
    contract = client.get(url("contract_pdf", measure.pk))

    assert diagnostic["Content-Type"] == contract["Content-Type"] == "application/pdf"
    assert diagnostic["Content-Disposition"] == 'inline; filename="diagnostic-F-PDF01.pdf"'
    assert contract["Content-Disposition"] == 'inline; filename="contrat-F-PDF01.pdf"'
    assert diagnostic.content.startswith(b"%PDF-") and contract.content.startswith(b"%PDF-")


# Concurrent edits: the second save is refused, the first one is kept


@pytest.fixture
def two_sessions(client, referent, coordinator):
    first, second = client, VerifiedClient()
    first.force_login(referent)
    second.force_login(coordinator)
    return first, second


def test_concurrent_diagnostic_edit_keeps_the_first_save(two_sessions):
    first, second = two_sessions
    measure = MeasureFactory()
    edit = url("diagnostic_edit", measure.pk)
    form_a, form_b = first.get(edit), second.get(edit)
    assert hidden_version(form_a) == hidden_version(form_b) == "1"
    common = {
        "household_minutes": 150,
        "admin_minutes": 60,
        "conclusion": DiagnosticConclusion.MEASURE,
        "proposed_type": MeasureType.MAINTIEN,
    }

    saved = first.post(edit, common | {"version": hidden_version(form_a), "finding_budget": "Texte du premier"})
    refused = second.post(edit, common | {"version": hidden_version(form_b), "finding_budget": "Texte du second"})

    assert saved["Location"] == url("diagnostic", measure.pk)
    assert refused.status_code == 200
    assert "modifié par quelqu'un d'autre" in text(refused)
    assert "Vos modifications n'ont pas été enregistrées" in text(refused)
    diagnostic = Diagnostic.objects.get(measure=measure)
    assert diagnostic.finding_budget == "Texte du premier"
    assert diagnostic.version == 2


def test_concurrent_diagnostic_edit_does_not_change_the_people_present(two_sessions):
    first, second = two_sessions
    measure = MeasureFactory()
    person = measure.household.people.get()
    edit = url("diagnostic_edit", measure.pk)
    version = hidden_version(first.get(edit))
    first.post(edit, {"version": version, "household_minutes": 150, "admin_minutes": 60})

    second.post(
        edit, {"version": version, "household_minutes": 150, "admin_minutes": 60, "members_present": [person.pk]}
    )

    assert Diagnostic.objects.get(measure=measure).members_present.count() == 0


def test_objective_due_before_the_measure_start_is_refused_next_to_its_date(client, referent):
    measure = MeasureFactory(active=True, referent=referent, start_date=days_ago(0))
    contract = measure.contract
    edit = url("contract_edit", measure.pk)
    client.force_login(referent)

    response = client.post(
        edit,
        {"version": hidden_version(client.get(edit)), "household_commitments": "Payer le loyer."}
        | objectives_data(
            contract,
            new=[{"domain": Domain.BUDGET, "description": "Solder la dette", "target_date": date(2020, 1, 1)}],
        ),
    )

    assert response.status_code == 200
    new_row = response.context["objectives"].forms[-1]
    assert new_row.errors["target_date"] == [f"L'échéance suit le début de l'accompagnement ({days_ago(0):%d/%m/%Y})."]
    stored = Contract.objects.get(pk=contract.pk)
    assert (stored.version, stored.objectives.count()) == (1, 1)
    assert stored.household_commitments != "Payer le loyer."


def test_concurrent_contract_edit_keeps_the_first_save(two_sessions, referent):
    first, second = two_sessions
    measure = MeasureFactory(active=True, referent=referent)
    contract = measure.contract
    edit = url("contract_edit", measure.pk)
    form_a, form_b = first.get(edit), second.get(edit)
    assert hidden_version(form_a) == hidden_version(form_b)
    objectives = objectives_data(contract)

    saved = first.post(
        edit, {"version": hidden_version(form_a), "household_commitments": "Engagement du premier"} | objectives
    )
    refused = second.post(
        edit,
        {"version": hidden_version(form_b), "household_commitments": "Engagement du second"}
        | objectives_data(contract, new=[{"domain": Domain.HEALTH, "description": "Objectif du second"}]),
    )

    assert saved["Location"] == url("contract", measure.pk)
    assert refused.status_code == 200
    assert "modifié par quelqu'un d'autre" in text(refused)
    stored = Contract.objects.get(pk=contract.pk)
    assert stored.household_commitments == "Engagement du premier"
    assert stored.version == 2
    assert not stored.objectives.filter(description="Objectif du second").exists()


# Liaison meetings (every 6 weeks)


@pytest.fixture
def followed(landlord, association, other_association):
    return {
        "eole": FollowedHouseholdFactory(eole=True, reference="F-EOLE1", status=HouseholdStatus.ACCOMPANIED),
        "afeji": FollowedHouseholdFactory(afeji=True, reference="F-AFEJI1", status=HouseholdStatus.ACCOMPANIED),
    }


def liaison_post(association, other_association, followed, **fields) -> dict:
    return {
        "held_on": days_ago(2),
        "partners": [association.pk, other_association.pk],
        "participants": "C. Lefebvre (LMH), A. Martin (EOLE), K. Benali (AFEJI)",
        "items-TOTAL_FORMS": 3,
        "items-INITIAL_FORMS": 0,
        "items-0-household": followed["eole"].pk,
        "items-0-note": "Plan d'apurement tenu depuis deux mois.",
        "items-1-household": followed["afeji"].pk,
        "items-1-note": "Relogement en T2 à étudier.",
    } | fields


def test_tenancy_staff_record_a_liaison_meeting_with_its_items(
    client, tenancy_staff, association, other_association, followed
):
    client.force_login(tenancy_staff)

    response = client.post(reverse("measures:liaison_create"), liaison_post(association, other_association, followed))

    meeting = LiaisonMeeting.objects.get()
    assert response["Location"] == reverse("measures:liaison_detail", args=[meeting.pk])
    assert meeting.created_by == tenancy_staff
    assert set(meeting.partners.all()) == {association, other_association}
    assert list(meeting.items.values_list("household__reference", "note")) == [
        ("F-EOLE1", "Plan d'apurement tenu depuis deux mois."),
        ("F-AFEJI1", "Relogement en T2 à étudier."),
    ]
    page = text(client.get(response["Location"], follow=True))
    assert f"prochain le {days_ago(2) + timedelta(weeks=6):%d/%m/%Y}" in page


def test_next_liaison_meeting_defaults_to_six_weeks_later(
    client, tenancy_staff, association, other_association, followed
):
    client.force_login(tenancy_staff)

    client.post(reverse("measures:liaison_create"), liaison_post(association, other_association, followed))

    meeting = LiaisonMeeting.objects.get()
    assert meeting.next_on == meeting.held_on + timedelta(days=42)


def test_next_liaison_meeting_may_be_set_by_hand(client, tenancy_staff, association, other_association, followed):
    client.force_login(tenancy_staff)

    client.post(
        reverse("measures:liaison_create"),
        liaison_post(association, other_association, followed, next_on=days_ago(-30)),
    )

    assert LiaisonMeeting.objects.get().next_on == days_ago(-30)


def test_a_partner_association_reads_only_the_items_of_its_own_households(
    client, referent, other_referent, tenancy_staff, association, other_association, followed
):
    meeting = LiaisonMeetingFactory(partners=[association, other_association])
    LiaisonItem.objects.create(meeting=meeting, household=followed["eole"], note="Note sur le ménage d'EOLE")
    LiaisonItem.objects.create(meeting=meeting, household=followed["afeji"], note="Note sur le ménage d'AFEJI")
    detail = reverse("measures:liaison_detail", args=[meeting.pk])

    client.force_login(referent)
    eole_page = text(client.get(detail))
    client.force_login(other_referent)
    afeji_page = text(client.get(detail))
    client.force_login(tenancy_staff)
    landlord_page = text(client.get(detail))

    assert "Note sur le ménage d'EOLE" in eole_page and "F-EOLE1" in eole_page
    assert "Note sur le ménage d'AFEJI" not in eole_page and "F-AFEJI1" not in eole_page
    assert "Note sur le ménage d'AFEJI" in afeji_page and "Note sur le ménage d'EOLE" not in afeji_page
    assert "Note sur le ménage d'EOLE" in landlord_page and "Note sur le ménage d'AFEJI" in landlord_page


def test_liaison_list_warns_when_the_next_meeting_is_overdue(client, tenancy_staff, landlord):
    LiaisonMeetingFactory(held_on=days_ago(50))
    client.force_login(tenancy_staff)

    page = visible(client.get(reverse("measures:liaison_list")))

    assert f"Prochain échange prévu le {days_ago(8):%d/%m/%Y}" in page
    assert "en retard" in page


def test_liaison_meeting_in_the_future_is_refused(client, tenancy_staff, association, other_association, followed):
    client.force_login(tenancy_staff)

    response = client.post(
        reverse("measures:liaison_create"),
        liaison_post(association, other_association, followed, held_on=days_ago(-1)),
    )

    assert response.status_code == 200
    assert "La date de l'échange ne peut pas être dans le futur." in text(response)
    assert not LiaisonMeeting.objects.exists()


def test_liaison_form_offers_only_the_landlord_s_open_households(client, tenancy_staff, followed):
    closed = FollowedHouseholdFactory(eole=True, reference="F-CLOS1", status=HouseholdStatus.CLOSED)
    client.force_login(tenancy_staff)

    response = client.get(reverse("measures:liaison_create"))

    choices = response.context["items"].forms[0].fields["household"].queryset
    assert set(choices) == {followed["eole"], followed["afeji"]}
    assert closed not in choices


def test_liaison_form_labels_the_household_in_french(client, tenancy_staff, followed):
    client.force_login(tenancy_staff)

    response = client.get(reverse("measures:liaison_create"))

    assert response.context["items"].forms[0].fields["household"].label == "Ménage"
    assert "Household" not in text(response)


# The household file's Accompagnement tab


def test_accompaniment_tab_offers_the_diagnostic_to_the_association(client, referent, tenancy_staff):
    household = FollowedHouseholdFactory(eole=True)
    tab = reverse("households:detail", args=[household.pk]) + "?onglet=accompagnement"

    client.force_login(referent)
    assert url("diagnostic_start", household.pk) in text(client.get(tab))
    client.force_login(tenancy_staff)
    assert url("diagnostic_start", household.pk) not in text(client.get(tab))


def test_accompaniment_tab_lists_the_measure_with_its_referent_and_time(client, referent):
    measure = MeasureFactory(active=True, referent=referent)
    ContactFactory(measure=measure, on=days_ago(25))
    client.force_login(referent)

    page = text(client.get(reverse("households:detail", args=[measure.household.pk]) + "?onglet=accompagnement"))

    assert url("detail", measure.pk) in page
    assert "Référent : Amandine Martin" in page
    assert f"dernier contact : {days_ago(25):%d/%m/%Y}" in page
    assert "plus de 3 semaines sans contact" in page
    assert url("diagnostic_start", measure.household.pk) not in page


def test_diagnostic_start_is_refused_on_the_page_while_a_measure_is_open(client, referent, association):
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(referent)

    response = client.post(
        url("diagnostic_start", measure.household.pk),
        {"operator": association.pk, "social_worker": referent.pk, "on": days_ago(0)},
    )

    assert response.status_code == 200
    assert "Ce ménage a déjà une mesure en cours" in text(response)
    assert Measure.objects.filter(household=measure.household).count() == 1


def test_tenancy_staff_home_shows_the_next_exchange_and_whether_it_is_late(client, tenancy_staff, landlord):
    client.force_login(tenancy_staff)
    assert "Aucun échange enregistré" in visible(client.get(reverse("home")))

    LiaisonMeetingFactory(landlord=landlord, held_on=days_ago(50))
    page = visible(client.get(reverse("home")))

    assert f"Prochain échange prévu le {days_ago(8):%d/%m/%Y} — ⚠ en retard" in page
    assert f"(dernier le {days_ago(50):%d/%m/%Y})" in page
