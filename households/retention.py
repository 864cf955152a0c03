"""Retention (CNIL 2023 guide for the social sector): two years after the last contact a household
is anonymised and kept for statistics only; the access log is kept twelve months.

Anonymising blanks names, contact details and free texts, in the live rows and in the history
(audit) rows alike; it keeps what statistics need: track, statuses, dates, amounts, outcomes,
commune, birth years. Uploaded documents are deleted with their files.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Max, Value
from django.db.models.functions import Concat, Greatest, TruncYear
from django.utils import timezone

from accounts.models import AccessLog
from households.models import Household, Person, ProcedureEvent, SituationReport, SlidingLeaseReview
from households.procedure import add_months

ANONYMOUS = "[anonymisé]"


def _targets():
    from committee.models import AgendaItem, Decision
    from measures.models import (
        Contact,
        Contract,
        ContractVersion,
        Diagnostic,
        DiagnosticAmendment,
        Evaluation,
        LiaisonItem,
        Measure,
        MeasureStatusChange,
        NetworkMember,
        Objective,
        ReferentAssignment,
    )

    findings = {name: "" for name, _ in Diagnostic.FINDINGS}
    return [
        (
            Household,
            "pk",
            {
                "name": Concat(Value("Ménage anonymisé "), "reference"),
                "address": "",
                "postal_code": "",
                "phone": "",
                "email": "",
                "other_difficulty": "",
                "housing_situation_detail": "",
            },
        ),
        (
            Person,
            "household",
            {"last_name": ANONYMOUS, "first_names": ANONYMOUS, "birth_date": TruncYear("birth_date")},
        ),
        (SituationReport, "household", {"comment": "", "other_reason": ""}),
        (ProcedureEvent, "household", {"note": ""}),
        (SlidingLeaseReview, "tenancy__household", {"note": ""}),
        (Measure, "household", {"content": ""}),
        (MeasureStatusChange, "measure__household", {"reason": ""}),
        (ReferentAssignment, "measure__household", {"reason": ""}),
        (NetworkMember, "household", {"organisation_name": ANONYMOUS, "person": "", "phone": "", "email": ""}),
        (LiaisonItem, "household", {"note": ANONYMOUS}),
        (AgendaItem, "household", {"summary": ""}),
        (Decision, "item__household", {"summary": "", "content": "", "reason": ""}),
        (Contact, "measure__household", {"summary": "", "confidential_note": None, "participants": ""}),
        (
            Diagnostic,
            "measure__household",
            {**findings, "household_words": "", "needs": "", "landlord_representative": ""},
        ),
        (DiagnosticAmendment, "diagnostic__measure__household", {"reason": ANONYMOUS, "text": ""}),
        (
            Contract,
            "measure__household",
            {"household_commitments": "", "referent_commitments": "", "landlord_commitments": ""},
        ),
        (Objective, "contract__measure__household", {"description": ANONYMOUS, "progress_notes": ""}),
        (ContractVersion, "contract__measure__household", {"content": {}, "reason": ANONYMOUS}),
        (
            Evaluation,
            "measure__household",
            {
                "objectives_reached": "",
                "housing_now": "",
                "rights_now": "",
                "household_view": "",
            },
        ),
    ]


def last_activity_dates():
    """Each household's last dated activity: proposal, report, procedure event, contact, evaluation,
    status change or closure."""
    return Household.objects.annotate(
        last_activity=Greatest(
            "proposed_on",
            Max("situation_reports__reported_on"),
            Max("procedure_events__occurred_on"),
            Max("measures__contacts__on"),
            Max("measures__evaluations__on"),
            Max("measures__status_changes__on"),
            Max("measures__closed_on"),
        )
    )


def due_for_anonymisation(today: date):
    cutoff = add_months(today, -24)
    return last_activity_dates().filter(anonymised_on__isnull=True, last_activity__lt=cutoff).order_by("reference")


@dataclass
class RetentionReport:
    households: list[tuple[str, date]]
    access_log_rows: int


@transaction.atomic
def apply_retention(*, today: date, dry_run: bool) -> RetentionReport:
    due = list(due_for_anonymisation(today).values_list("pk", "reference", "last_activity"))
    log_cutoff = datetime.combine(add_months(today, -12), time.min, tzinfo=timezone.get_current_timezone())
    old_logs = AccessLog.objects.older_than(log_cutoff)
    report = RetentionReport([(reference, last) for _, reference, last in due], old_logs.count())
    if dry_run:
        return report
    ids = [pk for pk, _, _ in due]
    if ids:
        _anonymise(ids, today)
    old_logs.delete()
    return report


def _anonymise(ids: list[int], today: date) -> None:
    from measures.models import Document

    for model, path, values in _targets():
        lookup = "pk__in" if path == "pk" else f"{path}__in"
        model.objects.filter(**{lookup: ids}).update(**values)
        # The history rows hold the same fields: they are anonymised too.
        event_model = model.pgh_event_models["insert"]
        event_lookup = "pgh_obj_id__in" if path == "pk" else lookup
        event_model.objects.filter(**{event_lookup: ids}).update(**values)
    for document in Document.objects.filter(household_id__in=ids):
        document.file.delete(save=False)
        document.delete()
    # The documents' history keeps no title nor file name either.
    Document.pgh_event_models["insert"].objects.filter(household_id__in=ids).update(title=ANONYMOUS, file="")
    Household.objects.filter(pk__in=ids).update(anonymised_on=today)
