"""Keyset pages in the API: ``{items, next_cursor}``."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from django.core.exceptions import ValidationError
from ninja.params.functions import Query

BAD_CURSOR = (
    "This page cursor is not valid: start again from the first page "
    "(leave cursor out) and follow next_cursor."
)

Cursor = Annotated[
    str | None,
    Query(
        None,
        description="Where the page starts: the next_cursor of the page "
        "before. Leave it out for the first page.",
    ),
]


@contextmanager
def cursor_guard(cursor: str | None) -> Iterator[None]:
    """Refuse a cursor that decodes but holds values of the wrong type.

    ``core.pagination`` refuses cursors it cannot decode; one edited to
    hold, say, text where an id belongs fails later, when the database
    lookup is built, as a ValueError or TypeError.
    """
    try:
        yield
    except (ValueError, TypeError) as exc:
        if not cursor:
            raise
        raise ValidationError({"cursor": BAD_CURSOR}) from exc
