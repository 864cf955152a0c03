"""The access model, in one place.

Who may see what follows from a user's active memberships (organisation + role). Apps build their
`visible_to(user)` QuerySet methods and permission functions from the helpers below, so that a rule
is written once:

- a referent sees the households whose proposal or measure belongs to their organisation;
- a coordinator sees all of their organisation's households (for a landlord: all of its stock);
- landlord tenancy staff see their landlord's households, never the confidential social notes;
- the committee secretary sees what committee work needs (their landlord's households, no notes);
- steering sees aggregates only, never a household;
- administrators (Django staff) manage reference data; being staff grants no access to case files.
"""

from dataclasses import dataclass

from accounts.enums import OrganisationKind, Role

# Roles that work on households within the social-work circle (secret professionnel partagé).
SOCIAL_WORK_ROLES = frozenset({Role.REFERENT, Role.COORDINATOR})
# Roles that see a landlord's households, outside that circle.
LANDLORD_ROLES = frozenset({Role.TENANCY_STAFF, Role.SECRETARY, Role.COORDINATOR})


@dataclass(frozen=True)
class MembershipView:
    organisation_id: int
    organisation_kind: str
    organisation_name: str
    role: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def memberships_of(user) -> tuple[MembershipView, ...]:
    """The user's active memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_membership_views", None)
    if cached is None:
        rows = user.memberships.active().values_list(
            "organisation_id", "organisation__kind", "organisation__short_name", "role"
        )
        cached = tuple(MembershipView(*row) for row in rows)
        user._membership_views = cached
    return cached


def roles_of(user) -> frozenset[str]:
    return frozenset(m.role for m in memberships_of(user))


def has_role(user, *roles: str) -> bool:
    return not roles_of(user).isdisjoint(roles)


def organisation_ids(user, *roles: str, kind: str | None = None) -> frozenset[int]:
    """Ids of the organisations where the user holds one of `roles` (any role when none given)."""
    return frozenset(
        m.organisation_id
        for m in memberships_of(user)
        if (not roles or m.role in roles) and (kind is None or m.organisation_kind == kind)
    )


def landlord_ids_for_case_files(user) -> frozenset[int]:
    """Landlords whose whole stock of households the user may see (outside the social-work circle)."""
    return organisation_ids(user, *LANDLORD_ROLES, kind=OrganisationKind.LANDLORD)


def social_work_organisation_ids(user) -> frozenset[int]:
    """Organisations (associations, institutions) through which the user follows households."""
    return frozenset(
        m.organisation_id
        for m in memberships_of(user)
        if m.role in SOCIAL_WORK_ROLES and m.organisation_kind != OrganisationKind.LANDLORD
    )


def can_use_case_files(user) -> bool:
    """Whether any household page can concern this user at all (steering never sees names)."""
    return bool(landlord_ids_for_case_files(user) or social_work_organisation_ids(user))


def is_steering_only(user) -> bool:
    return roles_of(user) == {Role.STEERING}


def is_administrator(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_staff", False))


def data_protection_organisation_ids(user) -> frozenset[int]:
    from accounts.enums import Role

    return organisation_ids(user, Role.DATA_PROTECTION)


def can_consult_access_log(user) -> bool:
    return is_administrator(user) or bool(data_protection_organisation_ids(user))
