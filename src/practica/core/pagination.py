"""Keyset (cursor) pagination: pages cost the same at any depth."""

import base64
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

BAD_CURSOR = "This page cursor is not valid: start again from the first page."


@dataclass
class Page[T: Model]:
    items: list[T]
    next_cursor: str | None


def encode(values: list[Any]) -> str:
    raw = json.dumps(values, default=str, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, size: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except ValueError:
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ValidationError({"cursor": BAD_CURSOR})
    return values


def keyset[T: Model](
    queryset: QuerySet[T],
    *,
    order: tuple[str, ...],
    cursor: str | None,
    size: int,
) -> Page[T]:
    """One page of ``queryset`` ordered by ``order`` (fields, ``-`` for
    descending, the last one unique), starting after ``cursor``."""
    qs = queryset.order_by(*order)
    fields = [f.lstrip("-") for f in order]
    if cursor:
        values = decode(cursor, len(order))
        after = Q()
        for i, key in enumerate(order):
            op = "lt" if key.startswith("-") else "gt"
            step = Q(**{f"{fields[i]}__{op}": values[i]})
            for prev, value in zip(fields[:i], values[:i], strict=True):
                step &= Q(**{prev: value})
            after |= step
        try:
            qs = qs.filter(after)
        except (TypeError, ValueError):  # a cursor edited by hand
            raise ValidationError({"cursor": BAD_CURSOR}) from None
    return page_of(list(qs[: size + 1]), order=order, size=size)


def page_of(
    items: list[Any], *, order: tuple[str, ...], size: int
) -> Page[Any]:
    """The page of ``items`` (up to ``size + 1`` rows fetched in
    ``order``), with the cursor after its last row when there are more."""
    fields = [f.lstrip("-") for f in order]
    more = len(items) > size
    items = items[:size]
    nxt = None
    if more and items:
        last = items[-1]
        nxt = encode([_value(last, f) for f in fields])
    return Page(items=items, next_cursor=nxt)


def _value(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj
