"""Finance and steering figures: the steering viewers, the committee secretary and administrators.
Steering members of a landlord see its programmes; those of the State or a funder see every
programme (aggregates only, counts under 5 masked)."""

from accounts import perms
from accounts.enums import OrganisationKind, Role
from finance.models import Programme

FINANCE_ROLES = (Role.STEERING, Role.SECRETARY)


def programmes_for(user):
    if perms.is_administrator(user):
        return Programme.objects.all()
    landlords = perms.organisation_ids(user, *FINANCE_ROLES, kind=OrganisationKind.LANDLORD)
    outside = perms.organisation_ids(user, Role.STEERING) - landlords
    if outside:
        return Programme.objects.all()
    return Programme.objects.filter(landlord_id__in=landlords)


def can_see_finance(user) -> bool:
    return perms.is_administrator(user) or perms.has_role(user, *FINANCE_ROLES)


def masks_small_counts(user, programme) -> bool:
    """Counts under 5 are masked for anyone outside the programme's landlord (State, funders)."""
    own_landlords = perms.organisation_ids(user, *FINANCE_ROLES, kind=OrganisationKind.LANDLORD)
    return not (programme.landlord_id in own_landlords or perms.is_administrator(user))
