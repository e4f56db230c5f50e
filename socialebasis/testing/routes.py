"""Every URL pattern of the project, for the generated authorization test and the
permission-matrix documentation.

``project_routes()`` walks ``get_resolver().url_patterns`` recursively (includes, the
admin, i18n patterns, the API routers) and returns one ``Route`` per pattern: its key (the
namespaced route name, or for an unnamed pattern its full pattern text), its readable
pattern and its path parameters. ``concrete_url`` fills the parameters to get a real URL.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)")


@dataclass(frozen=True)
class Route:
    key: str  # "directory:service", or "unnamed:<pattern>" for a pattern without a name
    name: str | None  # for reverse()
    pattern: str  # readable: "/diensten/<uuid:service_id>/"
    params: tuple[str, ...]
    callback: Callable
    i18n: bool  # under i18n_patterns (also served under /en/)

    @property
    def app(self) -> str:
        return self.key.split(":", 1)[0] if ":" in self.key else ""


def _readable(pattern) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return ""
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    if isinstance(pattern, RegexPattern):
        text = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
        text = _GROUP.sub(lambda m: f"<{m.group('name')}>", text)
        return text.replace("/?", "/")
    return str(pattern)


def _params(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def _walk(patterns, prefix: str, namespaces: list[str], params: list[str], i18n: bool):
    for entry in patterns:
        pattern_text = prefix + _readable(entry.pattern)
        entry_params = params + _params(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = [*namespaces, entry.namespace] if entry.namespace else namespaces
            yield from _walk(
                entry.url_patterns,
                pattern_text,
                ns,
                entry_params,
                i18n or isinstance(entry.pattern, LocalePrefixPattern),
            )
        elif isinstance(entry, URLPattern):
            name = ":".join([*namespaces, entry.name]) if entry.name else None
            yield name, "/" + pattern_text, tuple(entry_params), entry.callback, i18n


def project_routes() -> list[Route]:
    """Every URL pattern, in URLconf order. Keys are unique (a repeated name gets #2)."""
    routes: list[Route] = []
    seen: dict[str, int] = {}
    for name, pattern, params, callback, i18n in _walk(
        get_resolver().url_patterns, "", [], [], False
    ):
        key = name or f"unnamed:{pattern}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}#{seen[key]}"
        routes.append(Route(key, name, pattern, params, callback, i18n))
    return routes


def concrete_url(route: Route, values: dict[str, str]) -> str:
    """The route's URL with ``values`` for its parameters (reverse() for named routes;
    the pattern text for unnamed ones)."""
    if route.name and "#" not in route.key:
        return reverse(route.name, kwargs={p: values[p] for p in route.params})
    url = route.pattern
    for param in route.params:
        url = re.sub(rf"<(?:\w+:)?{param}>", str(values[param]), url)
    return url


def iter_keys() -> Iterator[str]:
    return (route.key for route in project_routes())
