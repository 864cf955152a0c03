"""Who may do what to a household (pure functions over the user's memberships), and the one helper
through which views fetch a household."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import perms
from accounts.enums import OrganisationKind, Role
from households.models import Household

LANDLORD_EDITORS = (Role.TENANCY_STAFF, Role.COORDINATOR)


def _landlord_editor(user, household) -> bool:
    landlords = perms.organisation_ids(user, *LANDLORD_EDITORS, kind=OrganisationKind.LANDLORD)
    return household.landlord_id in landlords


def _partner(user, household) -> bool:
    organisations = perms.social_work_organisation_ids(user)
    return household.proposed_by_id in organisations or household.operator_id in organisations


def can_edit(user, household) -> bool:
    """Identity, people, resources, housing: the landlord's staff and the household's associations.
    The committee secretary reads only."""
    return _landlord_editor(user, household) or _partner(user, household)


def can_record_procedure(user, household) -> bool:
    return can_edit(user, household)


def can_see_history(user, household) -> bool:
    return can_edit(user, household)


def is_in_social_work_circle(user, household) -> bool:
    """Confidential material is for the professionals accompanying the household only: the
    association that follows it, or, before it is oriented, the one that proposed it."""
    accompanying = household.operator_id or household.proposed_by_id
    return accompanying in perms.social_work_organisation_ids(user)


def report_landlords(user) -> frozenset[int]:
    """Landlords for which the user may log situation reports."""
    return perms.organisation_ids(user, *LANDLORD_EDITORS, kind=OrganisationKind.LANDLORD)


def proposing_organisations(user) -> frozenset[int]:
    """Associations and institutions through which the user may propose access candidates."""
    return perms.social_work_organisation_ids(user)


def can_create_household(user) -> bool:
    return bool(report_landlords(user) or proposing_organisations(user))


def get_household_for(user, pk, *, for_edit: bool = False, queryset=None) -> Household:
    """404 when the user may not see the household, 403 when they see it but may not change it."""
    queryset = queryset if queryset is not None else Household.objects.all()
    try:
        household = queryset.visible_to(user).get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404("Ménage introuvable.") from None
    if for_edit and not can_edit(user, household):
        raise PermissionDenied("Vous pouvez consulter ce ménage mais pas le modifier.")
    return household
