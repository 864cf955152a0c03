"""The printed diagnostic and contract: real PDFs rendered by WeasyPrint, read back with pypdf."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from accounts.enums import Role
from accounts.pdf import PROGRAMME_NAME, local_url_fetcher
from households.enums import HousingSituation, Relation, Track
from households.models import Household, Person
from households.services import household_create
from measures.enums import (
    ContactKind,
    DiagnosticConclusion,
    Domain,
    Intensity,
    MeasureStatus,
    MeasureType,
    ObjectiveStatus,
    SignatureMethod,
)
from measures.models import (
    Contact,
    Contract,
    ContractVersion,
    Diagnostic,
    DiagnosticAmendment,
    Measure,
    Objective,
    ReferentAssignment,
)
from measures.pdfs import contract_document, contract_pdf, diagnostic_document, diagnostic_pdf
from tests.accounts.factories import member

CONFIDENTIAL_NOTE = "Violences conjugales évoquées, ne pas en parler au bailleur"
CONTACT_SUMMARY = "Visite faite, le plan d'apurement est suivi"


def read_pdf(data: bytes) -> tuple[str, int]:
    """The text of every page (whitespace runs folded to one space) and the number of pages."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")), len(reader.pages)


@pytest.fixture
def household(landlord, association, tenancy_staff):
    return household_create(
        household=Household(
            landlord=landlord,
            track=Track.MAINTIEN,
            name="Famille Durand",
            proposed_by=landlord,
            operator=association,
            proposed_on=date(2026, 2, 10),
            housing_situation=HousingSituation.LMH_TENANT,
        ),
        people=[
            Person(last_name="Durand", first_names="Sabrina", birth_date=date(1988, 4, 2), relation=Relation.HEAD),
            Person(last_name="Durand", first_names="Lucas", birth_date=date(2015, 9, 14), relation=Relation.CHILD),
        ],
        by=tenancy_staff,
    )


@pytest.fixture
def measure(household, association, referent):
    measure = Measure.objects.create(
        household=household,
        measure_type=MeasureType.MAINTIEN,
        operator=association,
        status=MeasureStatus.DIAGNOSTIC,
    )
    # A contact with a confidential note: it must never reach a printed document.
    Contact.objects.create(
        measure=measure,
        on=date(2026, 3, 9),
        kind=ContactKind.HOME_VISIT,
        duration_minutes=90,
        summary=CONTACT_SUMMARY,
        confidential_note=CONFIDENTIAL_NOTE,
        by=referent,
    )
    return measure


@pytest.fixture
def diagnostic(measure, referent):
    diagnostic = Diagnostic.objects.create(
        measure=measure,
        social_worker=referent,
        landlord_representative="Claire Lefebvre",
        started_on=date(2026, 3, 2),
        held_on=date(2026, 3, 16),
        household_minutes=165,
        admin_minutes=60,
        finding_housing="Logement T3 bien entretenu, chauffage électrique coûteux.",
        finding_budget="Dette locative de 1 240 € née d'une rupture de droits CAF.",
        household_words="Madame souhaite rester dans le quartier, près de l'école de Lucas.",
        needs="Rétablir les droits CAF ; un plan d'apurement tenable.",
        conclusion=DiagnosticConclusion.MEASURE,
        proposed_type=MeasureType.MAINTIEN,
        proposed_intensity=Intensity.STANDARD,
        proposed_duration_months=12,
    )
    diagnostic.members_present.set(measure.household.people.all())
    return diagnostic


def sign_diagnostic(diagnostic):
    diagnostic.household_signed_on = date(2026, 3, 20)
    diagnostic.household_signature_method = SignatureMethod.IN_PERSON
    diagnostic.association_signed_by = diagnostic.social_worker
    diagnostic.association_signed_on = date(2026, 3, 21)
    diagnostic.landlord_signed_by = "Claire Lefebvre"
    diagnostic.landlord_signed_on = date(2026, 3, 23)
    diagnostic.save()


@pytest.fixture
def contract(measure, referent, other_referent, association):
    measure.status = MeasureStatus.ACTIVE
    measure.start_date = date(2026, 4, 1)
    measure.planned_end = date(2027, 3, 31)
    measure.content = "Accompagnement budgétaire et lien avec la CAF."
    measure.save()
    # The first referent left; only the current one is the contract's single referent.
    first = member(association, Role.REFERENT, full_name="Bernard Lemaire", email="b.lemaire@eole.example")
    ReferentAssignment.objects.create(measure=measure, referent=first, start=date(2026, 4, 1), end=date(2026, 6, 1))
    ReferentAssignment.objects.create(measure=measure, referent=referent, start=date(2026, 6, 1))
    contract = Contract.objects.create(
        measure=measure,
        household_commitments="Recevoir la référente une fois toutes les trois semaines.",
        referent_commitments="Accompagner le ménage dans ses démarches auprès de la CAF.",
        landlord_commitments="Suspendre la procédure tant que le plan d'apurement est respecté.",
        amendment_number=1,
    )
    Objective.objects.create(
        contract=contract,
        domain=Domain.RIGHTS,
        description="Rouvrir les droits à l'aide au logement",
        target_date=date(2026, 7, 15),
        status=ObjectiveStatus.REACHED,
    )
    Objective.objects.create(
        contract=contract,
        domain=Domain.BUDGET,
        description="Tenir le plan d'apurement de 80 € par mois",
        target_date=date(2027, 1, 31),
        status=ObjectiveStatus.IN_PROGRESS,
    )
    ContractVersion.objects.create(
        contract=contract,
        number=1,
        reason="Nouvel objectif après la réouverture des droits",
        made_on=date(2026, 9, 10),
        by=referent,
        content={
            "household_commitments": "Ouvrir tous les courriers avec la référente.",
            "referent_commitments": "Rencontrer le ménage toutes les trois semaines.",
            "landlord_commitments": "Proposer un plan d'apurement.",
            "household_signed_on": "2026-04-03",
            "referent_signed_on": "2026-04-02",
            "objectives": [
                {
                    "domain": Domain.HOUSING.label,
                    "description": "Faire réparer la fuite de la salle de bains",
                    "target_date": "2026-05-30",
                    "status": ObjectiveStatus.NOT_STARTED.label,
                }
            ],
        },
    )
    return contract


def test_diagnostic_pdf_reads_as_the_household_shared_diagnostic(diagnostic):
    text, pages = read_pdf(diagnostic_pdf(diagnostic))

    assert "Diagnostic partagé" in text
    assert "M-2026-0001" in text
    assert "Famille Durand" in text
    assert PROGRAMME_NAME in text
    assert "Lille Métropole Habitat · EOLE" in text
    assert "Dette locative de 1 240 € née d'une rupture de droits CAF." in text
    assert "Logement T3 bien entretenu" in text
    assert "Madame souhaite rester dans le quartier" in text
    assert "Rétablir les droits CAF" in text
    assert "Entretien tripartite le 16/03/2026" in text
    assert "commencé le 02/03/2026" in text
    assert "Amandine Martin" in text
    assert "Claire Lefebvre" in text
    assert "Une mesure d'accompagnement est proposée" in text
    assert "Maintien dans le logement" in text
    assert "12 mois" in text
    assert f"Page 1 sur {pages}" in text
    assert f"Page {pages} sur {pages}" in text


def test_diagnostic_pdf_compares_time_spent_with_the_norm(diagnostic):
    text, _ = read_pdf(diagnostic_pdf(diagnostic))

    assert "Avec le ménage 2 h 45 2 h 30" in text
    assert "Suivi administratif 1 h 1 h" in text
    assert "Total 3 h 45 3 h 30" in text


def test_diagnostic_document_skips_empty_findings(diagnostic):
    document = diagnostic_document(diagnostic)

    assert [finding.domain for finding in document.findings] == [Domain.HOUSING.label, Domain.BUDGET.label]
    text, _ = read_pdf(diagnostic_pdf(diagnostic))
    assert Domain.WORK.label not in text


def test_unsigned_diagnostic_is_marked_as_a_working_document_with_blank_signature_blocks(diagnostic):
    text, _ = read_pdf(diagnostic_pdf(diagnostic))

    assert "Document de travail — non signé" in text
    assert "Le ménage" in text
    assert "L'association — EOLE" in text
    assert "Le bailleur — Lille Métropole Habitat" in text
    assert text.count("Date :") == 3
    assert "Signé le" not in text


def test_signed_diagnostic_shows_each_signature_date_and_no_working_mark(diagnostic):
    sign_diagnostic(diagnostic)

    text, _ = read_pdf(diagnostic_pdf(diagnostic))

    assert "Document de travail" not in text
    assert "Signé le 20/03/2026" in text
    assert "En personne, lors d'un entretien" in text
    assert "Signé le 21/03/2026" in text
    assert "Signé le 23/03/2026" in text
    assert "Date :" not in text


def test_diagnostic_pdf_prints_amendments_after_the_signed_text(diagnostic, referent):
    sign_diagnostic(diagnostic)
    DiagnosticAmendment.objects.create(
        diagnostic=diagnostic,
        made_on=date(2026, 6, 5),
        by=referent,
        reason="Nouvel élément sur les ressources",
        text="Madame a retrouvé un emploi à mi-temps depuis le 1er juin.",
    )

    text, _ = read_pdf(diagnostic_pdf(diagnostic))

    assert "Avenant n° 1 du 05/06/2026 — Amandine Martin" in text
    assert "Nouvel élément sur les ressources" in text
    assert "Madame a retrouvé un emploi à mi-temps depuis le 1er juin." in text
    assert text.index("Avenant n° 1") > text.index("Signé le 20/03/2026")


def test_diagnostic_conclusion_can_be_that_no_measure_is_needed(diagnostic):
    diagnostic.conclusion = DiagnosticConclusion.NO_MEASURE
    diagnostic.save()

    text, _ = read_pdf(diagnostic_pdf(diagnostic))

    assert "Aucune mesure n'est nécessaire" in text
    assert "Mesure proposée" not in text


def test_diagnostic_pdf_names_the_people_present_but_prints_no_contact(diagnostic):
    text, _ = read_pdf(diagnostic_pdf(diagnostic))

    assert "Sabrina Durand (chef de ménage)" in text
    assert "Lucas Durand (enfant)" in text
    assert CONFIDENTIAL_NOTE not in text
    assert "Violences" not in text
    assert CONTACT_SUMMARY not in text


def test_diagnostic_document_queries_do_not_grow_with_amendments(diagnostic, referent, django_assert_num_queries):
    sign_diagnostic(diagnostic)
    for day in (5, 6, 7):
        DiagnosticAmendment.objects.create(
            diagnostic=diagnostic, made_on=date(2026, 6, day), by=referent, reason="Motif", text=f"Avenant {day}"
        )
    fresh = Diagnostic.objects.get(pk=diagnostic.pk)

    # measure, household, landlord, association, social worker, association signatory, people, amendments
    with django_assert_num_queries(8):
        document = diagnostic_document(fresh)

    assert len(document.amendments) == 3


def test_contract_pdf_prints_the_measure_its_single_referent_and_objectives(contract):
    text, pages = read_pdf(contract_pdf(contract))

    assert "Contrat d'accompagnement" in text
    assert "M-2026-0001" in text
    assert "Avenant n° 1" in text
    assert "Type de mesure Maintien dans le logement" in text
    assert "Intensité Standard" in text
    assert "Début de l'accompagnement 01/04/2026" in text
    assert "Fin prévue 31/03/2027" in text
    assert "Amandine Martin (depuis le 01/06/2026)" in text
    assert "Bernard Lemaire" not in text
    assert "Accompagnement budgétaire et lien avec la CAF." in text
    assert "Droits et prestations Rouvrir les droits à l'aide au logement 15/07/2026 Atteint" in text
    assert "Budget et dettes Tenir le plan d'apurement de 80 € par mois 31/01/2027 En cours" in text
    assert "Recevoir la référente une fois toutes les trois semaines." in text
    assert "Accompagner le ménage dans ses démarches auprès de la CAF." in text
    assert "Suspendre la procédure tant que le plan d'apurement est respecté." in text
    assert f"Page 1 sur {pages}" in text


def test_unsigned_contract_is_marked_with_blank_signature_blocks(contract):
    text, _ = read_pdf(contract_pdf(contract))

    assert "Document de travail — non signé" in text
    assert "Le ménage" in text
    assert "Le référent social — EOLE" in text
    assert text.count("Date :") == 2


def test_signed_contract_shows_both_signature_dates(contract):
    contract.household_signed_on = date(2026, 9, 15)
    contract.referent_signed_on = date(2026, 9, 14)
    contract.save()

    text, _ = read_pdf(contract_pdf(contract))

    assert "Document de travail" not in text
    assert "Signé le 15/09/2026" in text
    assert "Signé le 14/09/2026" in text


def test_contract_pdf_keeps_previous_signed_versions_readable_in_an_annex(contract):
    text, pages = read_pdf(contract_pdf(contract))

    annex = text[text.index("Annexe — Versions antérieures") :]
    assert "Version 1" in annex
    assert "Signée par le ménage le 03/04/2026" in annex
    assert "Remplacée par l'avenant du 10/09/2026 (Amandine Martin)" in annex
    assert "Nouvel objectif après la réouverture des droits" in annex
    assert "Faire réparer la fuite de la salle de bains 30/05/2026 Pas commencé" in annex
    assert "Ouvrir tous les courriers avec la référente." in annex
    # The annex starts on its own page, after the signatures of the current version.
    assert pages >= 2
    assert text.index("Le référent social — EOLE") < text.index("Annexe — Versions antérieures")


def test_contract_pdf_prints_no_contact(contract):
    text, _ = read_pdf(contract_pdf(contract))

    assert CONFIDENTIAL_NOTE not in text
    assert CONTACT_SUMMARY not in text


def test_contract_document_queries_do_not_grow_with_objectives_and_versions(contract, django_assert_num_queries):
    fresh = Contract.objects.get(pk=contract.pk)

    # measure, household, landlord, association, assignments with referents, objectives, versions with authors
    with django_assert_num_queries(7):
        document = contract_document(fresh)

    assert len(document.objectives) == 2
    assert len(document.previous_versions) == 1


def test_text_typed_by_users_is_printed_as_text_not_markup(diagnostic):
    diagnostic.needs = 'Voir <img src="https://tracker.example.org/x.png"> <b>urgent</b>'
    diagnostic.save()

    text, _ = read_pdf(diagnostic_pdf(diagnostic))

    assert 'Voir <img src="https://tracker.example.org/x.png"> <b>urgent</b>' in text


def test_pdf_rendering_fetches_nothing_but_inline_data():
    fetcher = local_url_fetcher()

    for url in ["https://cdn.example.org/font.woff2", "http://169.254.169.254/", "file:///etc/passwd"]:
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
