"""The household's right of access (RGPD art. 15): everything held on one household, as a ZIP of
JSON files, the printed documents and the uploaded files."""

import io
import json
import zipfile

import pghistory.models
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder

from accounts.models import AccessLog


def _serialise(queryset) -> list[dict]:
    return json.loads(serializers.serialize("json", queryset))


def household_data(household) -> dict:
    from committee.models import AgendaItem, Decision
    from measures.models import (
        Contact,
        Contract,
        ContractVersion,
        Diagnostic,
        DiagnosticAmendment,
        Document,
        Evaluation,
        LiaisonItem,
        Measure,
        MeasureStatusChange,
        NetworkMember,
        Objective,
        ReferentAssignment,
    )

    measures = Measure.objects.filter(household=household)
    return {
        "menage": _serialise([household]),
        "personnes": _serialise(household.people.all()),
        "ressources": _serialise(household.resources.all()),
        "occupations": _serialise(household.tenancies.all()),
        "dettes_locatives": _serialise(household.arrears_balances.all()),
        "attributions": _serialise(household.allocations.all()),
        "procedure": _serialise(household.procedure_events.all()),
        "signalements": _serialise(household.situation_reports.all()),
        "reseau": _serialise(NetworkMember.objects.filter(household=household)),
        "mesures": _serialise(measures),
        "changements_de_statut": _serialise(MeasureStatusChange.objects.filter(measure__in=measures)),
        "referents": _serialise(ReferentAssignment.objects.filter(measure__in=measures)),
        "diagnostics": _serialise(Diagnostic.objects.filter(measure__in=measures)),
        "avenants_diagnostic": _serialise(DiagnosticAmendment.objects.filter(diagnostic__measure__in=measures)),
        "contrats": _serialise(Contract.objects.filter(measure__in=measures)),
        "objectifs": _serialise(Objective.objects.filter(contract__measure__in=measures)),
        "versions_de_contrat": _serialise(ContractVersion.objects.filter(contract__measure__in=measures)),
        "contacts": _serialise(Contact.objects.filter(measure__in=measures)),
        "evaluations": _serialise(Evaluation.objects.filter(measure__in=measures)),
        "echanges_bailleur": _serialise(LiaisonItem.objects.filter(household=household)),
        "comite_points": _serialise(AgendaItem.objects.filter(household=household)),
        "comite_decisions": _serialise(Decision.objects.filter(item__household=household)),
        "documents": _serialise(Document.objects.filter(household=household)),
    }


def household_history(household) -> list[dict]:
    """Every change of the household's rows and of its measures' rows (diagnostics, contracts,
    contacts, evaluations…). Confidential notes stay encrypted in the history."""
    from measures.models import Contract, Diagnostic, Measure

    measures = list(Measure.objects.filter(household=household))
    groups = [
        [household],
        measures,
        list(Diagnostic.objects.filter(measure__in=measures)),
        list(Contract.objects.filter(measure__in=measures)),
    ]
    # references() takes objects of one model at a time.
    events = sorted(
        (event for group in groups if group for event in pghistory.models.Events.objects.references(*group)),
        key=lambda event: (event.pgh_created_at, event.pgh_id),
    )
    return [
        {
            "date": event.pgh_created_at,
            "action": event.pgh_label,
            "objet": event.pgh_model,
            "donnees": event.pgh_data,
            "contexte": event.pgh_context,
        }
        for event in events
    ]


def household_archive(household) -> bytes:
    from measures.models import Contract, Diagnostic, Document
    from measures.pdfs import contract_pdf, diagnostic_pdf

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def write_json(name, data):
            archive.writestr(name, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))

        write_json("donnees.json", household_data(household))
        write_json("historique.json", household_history(household))
        write_json(
            "journal_des_acces.json",
            list(
                AccessLog.objects.filter(household_id=household.pk).values(
                    "at", "user__full_name", "action", "object_type", "object_id", "path"
                )
            ),
        )
        for diagnostic in Diagnostic.objects.filter(measure__household=household).select_related("measure"):
            archive.writestr(f"pdf/diagnostic-{diagnostic.measure_id}.pdf", diagnostic_pdf(diagnostic))
        for contract in Contract.objects.filter(measure__household=household).select_related("measure"):
            archive.writestr(f"pdf/contrat-{contract.measure_id}.pdf", contract_pdf(contract))
        for document in Document.objects.filter(household=household):
            with document.file.open("rb") as handle:
                archive.writestr(f"documents/{document.pk}-{document.file.name.rsplit('/', 1)[-1]}", handle.read())
        archive.writestr(
            "LISEZMOI.txt",
            f"Export des données détenues sur le ménage {household.reference} (droit d'accès, RGPD article 15).\n"
            "donnees.json : les données ; historique.json : toutes les modifications ; "
            "journal_des_acces.json : qui a consulté le dossier ; pdf/ et documents/ : les pièces.\n",
        )
    return buffer.getvalue()
