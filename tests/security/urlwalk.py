"""Every URL pattern of the project, found by walking the resolver, so that a
new page cannot be left out of the security tests."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern as written, e.g. "teach/classes/<int:pk>/"
    params: tuple[str, ...]  # the URL's keyword arguments
    callback: object


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            if entry.namespace == "admin":
                # The admin's own pages are Django's; only its front door is ours to check.
                yield Route("admin:index", f"{prefix}{entry.pattern}", (), None)
                continue
            yield from _walk(entry.url_patterns, f"{prefix}{entry.pattern}", ns)
        elif isinstance(entry, URLPattern):
            route = f"{prefix}{entry.pattern}"
            if entry.name is None:
                raise AssertionError(f"URL pattern {route!r} has no name: give it one so the tests can cover it")
            params = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
            yield Route(f"{namespace}{entry.name}", route, params, entry.callback)


def project_routes() -> list[Route]:
    """Every named URL of the project (static files and the admin's inner pages aside)."""
    routes = [r for r in _walk(get_resolver().url_patterns) if not r.route.startswith(("static/", "media/"))]
    names = [r.name for r in routes]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, f"URL names used twice: {duplicates}"
    return routes

