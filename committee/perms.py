"""Committee access: the landlord's secretary runs sessions; partners see the sessions they are
convened to and the items of their own households; landlord staff see the items they presented."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts import perms
from accounts.enums import OrganisationKind, Role
from committee.models import AgendaItem, Session
from households.models import Household


def secretary_landlords(user) -> frozenset[int]:
    return perms.organisation_ids(user, Role.SECRETARY, kind=OrganisationKind.LANDLORD)


def can_run(user, session: Session) -> bool:
    return session.programme.landlord_id in secretary_landlords(user)


def visible_items(user, session: Session):
    items = AgendaItem.objects.filter(session=session)
    if can_run(user, session):
        return items
    landlord_staff = session.programme.landlord_id in perms.landlord_ids_for_case_files(user)
    own = Q(
        household__in=Household.objects.visible_to(user).filter(
            Q(proposed_by_id__in=perms.social_work_organisation_ids(user))
            | Q(operator_id__in=perms.social_work_organisation_ids(user))
        )
    )
    if landlord_staff:
        own |= Q(situation_report__reported_by=user)
    return items.filter(own)


def get_session_for(user, pk, *, for_secretary: bool = False) -> Session:
    try:
        session = Session.objects.visible_to(user).select_related("programme__landlord").get(pk=pk)
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404("Séance introuvable.") from None
    if for_secretary and not can_run(user, session):
        raise PermissionDenied("Réservé au secrétariat du comité.")
    return session
