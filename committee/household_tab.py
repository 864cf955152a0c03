"""The Comité tab of the household file: the items and decisions about this household that the
user may see."""

from committee.models import AgendaItem, Session


def committee_context(user, household) -> dict:
    sessions = Session.objects.visible_to(user)
    items = (
        AgendaItem.objects.filter(household=household, session__in=sessions)
        .select_related("session", "decision", "decision__operator", "presented_by")
        .order_by("-session__starts_at", "position")
    )
    return {"committee_items": items}
