from accounts.perms import memberships_of


def memberships(request):
    """The header shows who is logged in and on behalf of which organisations."""
    user = getattr(request, "user", None)
    return {"current_memberships": memberships_of(user) if user is not None else ()}
