"""Every URL pattern of the project, found by walking the resolver (so that a new page is never
forgotten by the header tests)."""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # « namespace:name », or the route itself for an unnamed pattern
    route: str  # « menages/<int:pk>/ »

    @property
    def parameters(self) -> list[str]:
        return PARAMETER.findall(self.route)

    def url(self, values: dict) -> str:
        return "/" + PARAMETER.sub(lambda match: str(values[match.group(1)]), self.route)


def project_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, prefix="", namespace=""))


def _walk(patterns, *, prefix, namespace):
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            raise AssertionError(f"Motif d'URL non pris en charge par ce parcours : {entry.pattern!r}")
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                # The Django admin's own pages are Django's; its index stands for them.
                yield Route("admin:index", route)
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix=route, namespace=inner)
        else:
            yield Route(f"{namespace}{entry.name}" if entry.name else route, route)
