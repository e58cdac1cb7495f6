"""System checks: a search backend this site can actually run."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db import connection

BACKENDS = ("tantivy", "postgres", "database")


@register()
def backend(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """SEARCH_BACKEND names a backend, and ``postgres`` has PostgreSQL."""
    name = settings.SEARCH_BACKEND
    if name not in BACKENDS:
        return [
            Error(
                f"SEARCH_BACKEND={name!r} is unknown.",
                hint=f"Use one of {', '.join(BACKENDS)}.",
                id="search.E001",
            )
        ]
    if name == "postgres" and connection.vendor != "postgresql":
        return [
            Error(
                "SEARCH_BACKEND=postgres needs a PostgreSQL database, and "
                f"this one is {connection.vendor}.",
                hint="Set DATABASE_URL to PostgreSQL, or use "
                "SEARCH_BACKEND=tantivy.",
                id="search.E002",
            )
        ]
    return []
