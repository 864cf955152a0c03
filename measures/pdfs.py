"""The printed shared diagnostic and accompaniment contract.

Each document is a dataclass built from the models, then rendered by `accounts.pdf.render_pdf`.
Contacts (and their confidential notes) are not part of these documents: nothing here reads them.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from accounts.pdf import PdfHeader, SignatureBlock, render_pdf
from measures.enums import DiagnosticConclusion
from measures.models import Contract, ContractVersion, Diagnostic, DiagnosticAmendment, ReferentAssignment
from measures.norms import DEFAULT_NORM

DRAFT_MARK = "Document de travail — non signé"


@dataclass(frozen=True)
class Finding:
    domain: str
    text: str


@dataclass(frozen=True)
class AmendmentEntry:
    made_on: date
    author: str
    reason: str
    text: str


@dataclass(frozen=True)
class DiagnosticDocument:
    reference: str
    household_name: str
    track: str
    people_present: list[str]
    association: str
    landlord: str
    social_worker: str
    landlord_representative: str
    started_on: date
    held_on: date | None
    household_minutes: int
    admin_minutes: int
    norm_household_minutes: int
    norm_admin_minutes: int
    findings: list[Finding]
    household_words: str
    needs: str
    conclusion: str
    measure_proposed: bool
    proposed_type: str
    proposed_intensity: str
    proposed_duration_months: int | None
    is_signed: bool
    signatures: list[SignatureBlock]
    amendments: list[AmendmentEntry]
    printed_on: date
    title: str = "Diagnostic partagé"

    @property
    def total_minutes(self) -> int:
        return self.household_minutes + self.admin_minutes

    @property
    def norm_total_minutes(self) -> int:
        return self.norm_household_minutes + self.norm_admin_minutes


def diagnostic_document(diagnostic: Diagnostic) -> DiagnosticDocument:
    """The diagnostic as printed. Pass an instance freshly read for the request: relations it has
    already loaded (select_related, prefetch) are reused as they are, not read again."""
    # A fixed number of queries whatever the number of people or amendments.
    prefetch_related_objects(
        [diagnostic],
        "measure__household__landlord",
        "measure__operator",
        "social_worker",
        "association_signed_by",
        "members_present",
        Prefetch("amendments", queryset=DiagnosticAmendment.objects.select_related("by")),
    )
    measure = diagnostic.measure
    household = measure.household
    landlord = household.landlord
    association = measure.operator
    signatures = [
        SignatureBlock(
            label="Le ménage",
            signer=household.name,
            signed_on=diagnostic.household_signed_on,
            detail=(
                diagnostic.get_household_signature_method_display()
                if diagnostic.household_signed_on
                else "Faire précéder la signature de la mention « Lu et approuvé »."
            ),
        ),
        SignatureBlock(
            label=f"L'association — {association.name}",
            signer=diagnostic.association_signed_by.full_name if diagnostic.association_signed_by else "",
            signed_on=diagnostic.association_signed_on,
            detail="Visa de l'association" if diagnostic.association_signed_on else "",
        ),
        SignatureBlock(
            label=f"Le bailleur — {landlord.name}",
            signer=diagnostic.landlord_signed_by or diagnostic.landlord_representative,
            signed_on=diagnostic.landlord_signed_on,
            detail="Visa du bailleur" if diagnostic.landlord_signed_on else "",
        ),
    ]
    measure_proposed = diagnostic.conclusion == DiagnosticConclusion.MEASURE
    return DiagnosticDocument(
        reference=household.reference,
        household_name=household.name,
        track=household.get_track_display(),
        people_present=[
            f"{person.first_names} {person.last_name} ({person.get_relation_display().lower()})"
            for person in diagnostic.members_present.all()
        ],
        association=association.name,
        landlord=landlord.name,
        social_worker=diagnostic.social_worker.full_name,
        landlord_representative=diagnostic.landlord_representative,
        started_on=diagnostic.started_on,
        held_on=diagnostic.held_on,
        household_minutes=diagnostic.household_minutes,
        admin_minutes=diagnostic.admin_minutes,
        norm_household_minutes=DEFAULT_NORM.diagnostic_household_minutes,
        norm_admin_minutes=DEFAULT_NORM.diagnostic_admin_minutes,
        findings=[Finding(domain, text.strip()) for domain, text in diagnostic.findings() if text.strip()],
        household_words=diagnostic.household_words.strip(),
        needs=diagnostic.needs.strip(),
        conclusion=diagnostic.get_conclusion_display() if diagnostic.conclusion else "",
        measure_proposed=measure_proposed,
        proposed_type=diagnostic.get_proposed_type_display() if measure_proposed else "",
        proposed_intensity=(
            diagnostic.get_proposed_intensity_display() if measure_proposed and diagnostic.proposed_intensity else ""
        ),
        proposed_duration_months=diagnostic.proposed_duration_months if measure_proposed else None,
        is_signed=diagnostic.is_signed,
        signatures=signatures,
        amendments=[
            AmendmentEntry(made_on=a.made_on, author=a.by.full_name, reason=a.reason, text=a.text)
            for a in diagnostic.amendments.all()
        ],
        printed_on=timezone.localdate(),
    )


def diagnostic_pdf(diagnostic: Diagnostic) -> bytes:
    document = diagnostic_document(diagnostic)
    return render_pdf(
        "measures/diagnostic_pdf.html",
        {
            "document": document,
            "header": PdfHeader(organisations=[document.landlord, document.association]),
            "draft_mark": "" if document.is_signed else DRAFT_MARK,
        },
    )


@dataclass(frozen=True)
class ObjectiveEntry:
    domain: str
    description: str
    target_date: date | None
    status: str


@dataclass(frozen=True)
class ContractVersionEntry:
    """A previous signed version, read back from its frozen JSON content."""

    number: int
    replaced_on: date
    replaced_by: str
    reason: str
    household_commitments: str
    referent_commitments: str
    landlord_commitments: str
    household_signed_on: date | None
    referent_signed_on: date | None
    objectives: list[ObjectiveEntry]


@dataclass(frozen=True)
class ContractDocument:
    reference: str
    household_name: str
    track: str
    association: str
    landlord: str
    measure_type: str
    measure_status: str
    intensity: str
    measure_content: str
    start_date: date | None
    planned_end: date | None
    referent: str
    referent_since: date | None
    objectives: list[ObjectiveEntry]
    household_commitments: str
    referent_commitments: str
    landlord_commitments: str
    household_signed_on: date | None
    referent_signed_on: date | None
    amendment_number: int
    is_signed: bool
    signatures: list[SignatureBlock]
    previous_versions: list[ContractVersionEntry]
    printed_on: date
    title: str = "Contrat d'accompagnement"


def _iso_date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _version_entry(version: ContractVersion) -> ContractVersionEntry:
    content = version.content or {}
    return ContractVersionEntry(
        number=version.number,
        replaced_on=version.made_on,
        replaced_by=version.by.full_name,
        reason=version.reason,
        household_commitments=content.get("household_commitments") or "",
        referent_commitments=content.get("referent_commitments") or "",
        landlord_commitments=content.get("landlord_commitments") or "",
        household_signed_on=_iso_date(content.get("household_signed_on")),
        referent_signed_on=_iso_date(content.get("referent_signed_on")),
        objectives=[
            ObjectiveEntry(
                domain=item.get("domain", ""),
                description=item.get("description", ""),
                target_date=_iso_date(item.get("target_date")),
                status=item.get("status", ""),
            )
            for item in content.get("objectives", [])
        ],
    )


def contract_document(contract: Contract) -> ContractDocument:
    """The contract as printed, with its single current referent and its previous signed versions
    (read back from their frozen `Contract.snapshot()` content)."""
    prefetch_related_objects(
        [contract],
        "measure__household__landlord",
        "measure__operator",
        Prefetch("measure__assignments", queryset=ReferentAssignment.objects.select_related("referent")),
        "objectives",
        Prefetch("versions", queryset=ContractVersion.objects.select_related("by")),
    )
    measure = contract.measure
    household = measure.household
    assignment = measure.current_assignment
    referent_name = assignment.referent.full_name if assignment else ""
    signatures = [
        SignatureBlock(
            label="Le ménage",
            signer=household.name,
            signed_on=contract.household_signed_on,
            detail=""
            if contract.household_signed_on
            else "Faire précéder la signature de la mention « Lu et approuvé ».",
        ),
        SignatureBlock(
            label=f"Le référent social — {measure.operator.name}",
            signer=referent_name,
            signed_on=contract.referent_signed_on,
        ),
    ]
    return ContractDocument(
        reference=household.reference,
        household_name=household.name,
        track=household.get_track_display(),
        association=measure.operator.name,
        landlord=household.landlord.name,
        measure_type=measure.get_measure_type_display(),
        measure_status=measure.get_status_display(),
        intensity=measure.get_intensity_display(),
        measure_content=measure.content.strip(),
        start_date=measure.start_date,
        planned_end=measure.planned_end,
        referent=referent_name,
        referent_since=assignment.start if assignment else None,
        objectives=[
            ObjectiveEntry(
                domain=o.get_domain_display(),
                description=o.description,
                target_date=o.target_date,
                status=o.get_status_display(),
            )
            for o in contract.objectives.all()
        ],
        household_commitments=contract.household_commitments.strip(),
        referent_commitments=contract.referent_commitments.strip(),
        landlord_commitments=contract.landlord_commitments.strip(),
        household_signed_on=contract.household_signed_on,
        referent_signed_on=contract.referent_signed_on,
        amendment_number=contract.amendment_number,
        is_signed=contract.is_signed,
        signatures=signatures,
        previous_versions=[_version_entry(v) for v in contract.versions.all()],
        printed_on=timezone.localdate(),
    )


def contract_pdf(contract: Contract) -> bytes:
    document = contract_document(contract)
    return render_pdf(
        "measures/contract_pdf.html",
        {
            "document": document,
            "header": PdfHeader(organisations=[document.landlord, document.association]),
            "draft_mark": "" if document.is_signed else DRAFT_MARK,
        },
    )
