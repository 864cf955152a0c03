"""What each role's home page shows: a section per role held, built by the app that owns the work.

Apps register a builder per role; a builder returns a `Section` (title, template, context) for the
user. Sections of roles the user does not hold are never built, so no query runs for them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.enums import Role
from accounts.perms import roles_of


@dataclass
class Section:
    role: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


_builders: dict[str, list[tuple[int, Callable]]] = {}
_fallbacks: dict[str, Callable] = {}


def register(role: str, *, fallback: bool = False, priority: int = 50):
    """Register a section builder for a role; lower priorities come first on the page. A fallback
    shows only while no app registers a section for the role."""

    def decorator(builder):
        if fallback:
            _fallbacks[role] = builder
        else:
            _builders.setdefault(role, []).append((priority, builder))
            _builders[role].sort(key=lambda entry: entry[0])
        return builder

    return decorator


def sections_for(user) -> list[Section]:
    held = roles_of(user)
    sections = []
    for role in Role.values:
        if role in held:
            builders = [builder for _, builder in _builders.get(role, [])]
            if not builders and role in _fallbacks:
                builders = [_fallbacks[role]]
            sections.extend(builder(user) for builder in builders)
    return sections
