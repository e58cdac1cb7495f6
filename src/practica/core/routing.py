"""Resolve each address once per process.

Django tries a site's routes in order until one matches. Practica's
apps are all mounted at the root, so the address of a page in a late
app fails through the routes of every app before it, building a list
of what it tried at each level: ~0.1-0.5 ms a request, more than the
rest of a cached page. :class:`Remembered` holds every route behind one
resolver that remembers what each address resolved to (a bounded
table, per process); the view still gets fresh arguments each time.
An address that matches nothing is never remembered (the 404 page
lists what was tried, in DEBUG).
"""

from typing import Any

from django.urls import URLPattern, URLResolver
from django.urls.resolvers import ResolverMatch, RoutePattern

# Distinct addresses remembered before the table starts over: the busy
# ones come back at once, and a crawler walking every question cannot
# grow it without bound.
LIMIT = 4096


class Remembered(URLResolver):
    """The routes ``patterns``, resolved once per address."""

    def __init__(self, patterns: list[URLPattern | URLResolver]) -> None:
        super().__init__(RoutePattern(""), patterns)
        self._seen: dict[str, ResolverMatch] = {}

    def resolve(self, path: Any) -> ResolverMatch:
        path = str(path)
        found = self._seen.get(path)
        if found is None:
            found = super().resolve(path)  # Resolver404 is not kept
            # What was tried before the match is for the 404 page only;
            # the resolver above would copy it on every request.
            found.tried = []
            if len(self._seen) >= LIMIT:
                self._seen.clear()
            self._seen[path] = found
        return found
