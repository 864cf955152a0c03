from accounts import perms
from accounts.enums import Role


def memberships(request):
    """The header shows who is logged in, on behalf of which organisations, and the menu entries
    their roles open (entries a role cannot use are not shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_memberships": (), "nav": {}}
    roles = perms.roles_of(user)
    case_files = perms.can_use_case_files(user)
    return {
        "current_memberships": perms.memberships_of(user),
        "nav": {
            "households": case_files,
            "liaison": case_files,
            "committee": bool(roles & {Role.SECRETARY, Role.REFERENT, Role.COORDINATOR, Role.TENANCY_STAFF}),
            "steering": bool(roles & {Role.STEERING, Role.SECRETARY}) or user.is_staff,
            "access_log": perms.can_consult_access_log(user),
        },
    }
