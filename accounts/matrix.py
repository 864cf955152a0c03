"""The permission matrix: roles × object types × actions, in one declarative table.

It is the specification the permission code (accounts/perms.py and each app's perms.py) is tested
against: tests/security/test_permission_matrix.py generates one test per cell, on an object of the
user's own organisation, of another organisation, and shared between them, and fails on any
unexpected allow or deny. The README shows the same table.

Scopes:
- OWN: objects of the user's organisation (a landlord's households for its staff; the households an
  association proposed or accompanies for its members; committee sessions of the landlord, or the
  sessions an association is convened to);
- ALL: every object of that type (aggregates only for steering);
- NONE: never.
"""

from accounts.enums import Role

OWN, ALL, NONE = "own", "all", "none"

T, R, C, S, P, D = (
    Role.TENANCY_STAFF,
    Role.REFERENT,
    Role.COORDINATOR,
    Role.SECRETARY,
    Role.STEERING,
    Role.DATA_PROTECTION,
)

# object type -> action -> {role: scope}; a role absent from a cell is NONE.
MATRIX: dict[str, dict[str, dict[str, str]]] = {
    "household": {
        "view": {T: OWN, R: OWN, C: OWN, S: OWN},
        "edit": {T: OWN, R: OWN, C: OWN},
        "report_situation": {T: OWN},
        "propose_access": {R: OWN, C: OWN},
        "record_procedure": {T: OWN, R: OWN, C: OWN},
        "history": {T: OWN, R: OWN, C: OWN},
        "gdpr_export": {D: OWN},
    },
    "measure": {
        "view": {T: OWN, R: OWN, C: OWN, S: OWN},
        "work": {R: OWN, C: OWN},
        "change_referent": {C: OWN},
        "read_confidential_note": {R: OWN, C: OWN},
        "download_pdf": {T: OWN, R: OWN, C: OWN, S: OWN},
    },
    "document": {
        "download_confidential": {R: OWN, C: OWN},
        "download_shared": {T: OWN, R: OWN, C: OWN, S: OWN},
    },
    "committee_session": {
        "view": {T: OWN, R: OWN, C: OWN, S: OWN},
        "run": {S: OWN},
        "download_minutes": {T: OWN, R: OWN, C: OWN, S: OWN},
    },
    "finance": {
        # Steering of a landlord sees its programmes; steering of the State or a funder sees them all.
        "dashboard": {S: OWN, P: OWN},
        "statement": {S: OWN, P: OWN},
    },
    "access_log": {
        "view": {D: OWN},
    },
}


def scope(object_type: str, action: str, role: str) -> str:
    return MATRIX[object_type][action].get(role, NONE)


def as_markdown() -> str:
    """The matrix as the README shows it."""
    roles = [T, R, C, S, P, D]
    labels = {OWN: "propre org.", ALL: "tous", NONE: "—"}
    lines = [
        "| Objet · action | " + " | ".join(Role(role).label for role in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for object_type, actions in MATRIX.items():
        for action, cells in actions.items():
            values = " | ".join(labels[cells.get(role, NONE)] for role in roles)
            lines.append(f"| {object_type} · {action} | {values} |")
    return "\n".join(lines)
