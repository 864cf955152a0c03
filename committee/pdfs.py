"""The minutes (procès-verbal) of a committee session. Households appear by reference and initials
only: the minutes circulate among all the partners (DOMAIN.md §5)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from accounts.pdf import PdfHeader, render_pdf
from committee.enums import Attendance, SessionStatus


@dataclass(frozen=True)
class AttendeeLine:
    name: str
    attendance: str


@dataclass(frozen=True)
class OrganisationAttendance:
    organisation: str
    people: list[AttendeeLine]


@dataclass(frozen=True)
class ItemLine:
    position: int
    kind: str
    reference: str
    initials: str
    track: str
    presented_by: str
    summary: str
    decision: str
    decision_detail: str
    discussion: str
    result: str


@dataclass(frozen=True)
class MinutesDocument:
    programme: str
    landlord: str
    number: int
    starts_at: datetime
    place: str
    attendance: list[OrganisationAttendance]
    items: list[ItemLine]
    draft: bool
    version: int
    correction_reason: str
    printed_on: date


def _decision_detail(decision) -> str:
    parts = []
    if decision.operator_id:
        parts.append(f"association : {decision.operator}")
    if decision.measure_type:
        parts.append(decision.get_measure_type_display())
    if decision.intensity:
        parts.append(f"intensité {decision.get_intensity_display().lower()}")
    if decision.duration_months:
        parts.append(f"{decision.duration_months} mois")
    if decision.planned_end:
        parts.append(f"fin prévue le {decision.planned_end:%d/%m/%Y}")
    if decision.outcome:
        parts.append(f"issue : {decision.get_outcome_display().lower()}")
    if decision.reason:
        parts.append(f"motif : {decision.reason}")
    if decision.content:
        parts.append(decision.content)
    return " · ".join(parts)


def minutes_document(session, *, version: int = 0, correction_reason: str = "") -> MinutesDocument:
    attendees = list(session.attendees.select_related("organisation").order_by("organisation__name", "name"))
    by_organisation: dict[str, list[AttendeeLine]] = {}
    for attendee in attendees:
        by_organisation.setdefault(attendee.organisation.name, []).append(
            AttendeeLine(attendee.name, Attendance(attendee.attendance).label)
        )
    items = []
    for item in session.items.select_related("household", "presented_by", "decision", "decision__operator"):
        decision = getattr(item, "decision", None)
        items.append(
            ItemLine(
                position=item.position,
                kind=item.get_kind_display(),
                reference=item.household.reference,
                initials=item.household.initials,
                track=item.household.get_track_display(),
                presented_by=item.presented_by.short_name,
                summary=item.summary,
                decision=decision.get_kind_display() if decision else "Pas de décision",
                decision_detail=_decision_detail(decision) if decision else "",
                discussion=decision.summary if decision else "",
                result=decision.result if decision and decision.applied_at else "",
            )
        )
    return MinutesDocument(
        programme=session.programme.name,
        landlord=session.programme.landlord.name,
        number=session.number,
        starts_at=timezone.localtime(session.starts_at),
        place=session.place,
        attendance=[OrganisationAttendance(name, people) for name, people in by_organisation.items()],
        items=items,
        draft=version == 0 and session.status != SessionStatus.VALIDATED,
        version=version,
        correction_reason=correction_reason,
        printed_on=timezone.localdate(),
    )


def minutes_pdf(session, *, version: int = 0, correction_reason: str = "") -> bytes:
    """Version 0 is the draft, printable at any time."""
    document = minutes_document(session, version=version, correction_reason=correction_reason)
    header = PdfHeader(organisations=[document.landlord, "Comité d'orientation et de suivi"])
    return render_pdf(
        "committee/minutes_pdf.html",
        {"document": document, "header": header, "draft_mark": "Projet — non validé" if document.draft else ""},
    )
