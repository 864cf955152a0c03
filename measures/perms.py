"""Who may do what with measures. The social-work circle of a household (CASF L.121-6-2) is the
referents and coordinators of the association that accompanies it: they alone write and read
contacts' confidential notes. Landlord staff and the secretary read shareable summaries only."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import perms
from accounts.enums import OrganisationKind, Role
from measures.models import Measure


def _roles_in(user, organisation_id) -> set[str]:
    return {m.role for m in perms.memberships_of(user) if m.organisation_id == organisation_id}


def in_circle(user, measure: Measure) -> bool:
    return bool(_roles_in(user, measure.operator_id) & {Role.REFERENT, Role.COORDINATOR})


def can_work_on(user, measure: Measure) -> bool:
    """Diagnostic, contract, contacts, evaluations: the association's referents and coordinators."""
    return in_circle(user, measure)


def can_see_confidential(user, measure: Measure) -> bool:
    return in_circle(user, measure)


def can_manage(user, measure: Measure) -> bool:
    """Referent changes and closure: the association's coordinator (or the current referent for closure)."""
    return Role.COORDINATOR in _roles_in(user, measure.operator_id)


def can_landlord_sign_off(user, measure: Measure) -> bool:
    landlords = perms.organisation_ids(user, Role.TENANCY_STAFF, Role.COORDINATOR, kind=OrganisationKind.LANDLORD)
    return measure.household.landlord_id in landlords


def operators_for(user, household) -> list[int]:
    """Associations through which the user may start a household's diagnostic: its association if it
    has one, else the one that proposed it (an access candidate) if the user belongs to it."""
    mine = perms.social_work_organisation_ids(user)
    if household.operator_id:
        return [household.operator_id] if household.operator_id in mine else []
    proposer = household.proposed_by
    if proposer.kind == OrganisationKind.ASSOCIATION and proposer.pk in mine:
        return [proposer.pk]
    return []


def get_measure_for(user, pk, *, for_work: bool = False, queryset=None) -> Measure:
    """404 when the household is not visible to the user, 403 when visible but not theirs to work on."""
    queryset = queryset if queryset is not None else Measure.objects.select_related("household", "operator")
    try:
        measure = queryset.visible_to(user).get(pk=pk)
    except (Measure.DoesNotExist, ValueError, TypeError):
        raise Http404("Mesure introuvable.") from None
    if for_work and not can_work_on(user, measure):
        raise PermissionDenied("Seuls les travailleurs sociaux de l'association du ménage peuvent faire cela.")
    return measure
