"""What the household file shows of measures: the header's referent and contact alert, and the
Accompagnement and Documents tabs. Kept here so the households app does not depend on measures."""

from django.db.models import Prefetch

from households import perms as household_perms
from measures import perms
from measures.models import Document, Measure, NetworkMember, ReferentAssignment
from measures.timekeeping import time_summary


def measures_of(household):
    return list(
        Measure.objects.filter(household=household)
        .with_time()
        .select_related("operator", "diagnostic", "contract")
        .prefetch_related(
            Prefetch("assignments", queryset=ReferentAssignment.objects.select_related("referent")),
            "status_changes",
        )
    )


def header_context(household, *, today) -> dict:
    measures = measures_of(household)
    current = next((m for m in measures if m.status != "closed"), None)
    return {
        "measures": measures,
        "current_measure": current,
        "current_time": time_summary(current, today=today) if current else None,
    }


def accompaniment_context(user, household, measures, *, today) -> dict:
    rows = [(measure, time_summary(measure, today=today)) for measure in measures]
    return {
        "measure_rows": rows,
        "can_start_diagnostic": bool(perms.operators_for(user, household))
        and not any(m.status != "closed" for m in measures),
        "network": NetworkMember.objects.filter(household=household)
        if household_perms.is_in_social_work_circle(user, household)
        else None,
        "in_circle": household_perms.is_in_social_work_circle(user, household),
    }


def documents_context(user, household) -> dict:
    documents = Document.objects.filter(household=household).select_related("uploaded_by")
    in_circle = household_perms.is_in_social_work_circle(user, household)
    if not in_circle:
        documents = documents.filter(confidential=False)
    return {"documents": documents, "in_circle": in_circle}
