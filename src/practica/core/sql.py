"""Hot reads compiled once per process.

Building and compiling a queryset costs 0.3-1 ms of Python (the SQL itself
runs in a few tens of microseconds on the hot pages' indexed lookups), so
a cached page's stamp query spent most of a hit's time in the ORM. A
:class:`Prepared` read builds its queryset once, with stand-in values for
its parameters, keeps the SQL, the parameters' places and the columns'
converters, and then only runs that SQL with the real values: the same
rows, converted the same way, as the queryset gives.

Only for ``values()`` / ``values_list()`` querysets whose *shape* depends
on nothing but the declared parameters (an int or a str each): anything
else a builder reads (the viewer, the time, a setting) is baked into the
SQL, so callers keep one Prepared per shape (e.g. per sort order, and
only for viewers whose access filter is a constant, such as signed-out
visitors). An int beyond 64 bits finds no row, as an exact lookup
would. A parameter the ORM transforms (``icontains`` wraps it in
``%``) cannot be found again and is refused when first compiled.

Never let a builder look a row's id up (``ContentType.objects.
get_for_model(...)``, an id fetched once): it becomes a constant of the
SQL for the life of the process, and a recreated row (a PostgreSQL test
flush recreates the content types with new ids) is then never found.
Name such rows by natural key (``target_type__app_label`` and
``target_type__model``) or pass the id as a parameter.
"""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    NamedValuesListIterable,
    ValuesIterable,
    ValuesListIterable,
)
from django.db.models.utils import create_namedtuple_class
from django.utils.dateparse import parse_datetime

_STR = "\ue000practica-param-"  # a string stand-in's prefix
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class _Plan:
    alias: str
    sql: str
    params: tuple[Any, ...]  # constants, or _Arg for a parameter's place
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    shape: str  # "tuple", "named", "flat", "dict"
    names: tuple[str, ...]
    row_class: Any


@dataclass(frozen=True)
class _Arg:
    name: str


class Prepared:
    """A values query compiled once per process and run again with new
    parameters: ``Prepared(build, pk=int)(pk=5)`` gives what
    ``list(build(pk=5))`` would, without building the queryset."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any]],
        **kinds: type[int] | type[str],
    ) -> None:
        for name, kind in kinds.items():
            if kind not in (int, str):
                raise TypeError(f"{name}: only int and str parameters.")
        self.build = build
        self.kinds = kinds
        self._plan: _Plan | None = None
        self._lock = threading.Lock()

    def _stand_ins(self, base: int) -> dict[str, Any]:
        # Small ints: a lookup on a (small, positive) integer field finds
        # nothing for a value out of its range and leaves it out.
        return {
            name: base + i if kind is int else f"{_STR}{base + i}"
            for i, (name, kind) in enumerate(self.kinds.items())
        }

    def _compile(self) -> _Plan:
        # Built twice with other stand-ins: the parameters are exactly the
        # places where the two differ (a constant that happens to equal a
        # stand-in cannot be mistaken for one).
        first, second = self._stand_ins(30_001), self._stand_ins(30_501)
        qs = self.build(**first)
        shapes = {
            NamedValuesListIterable: "named",
            FlatValuesListIterable: "flat",
            ValuesListIterable: "tuple",
            ValuesIterable: "dict",
        }
        shape = shapes.get(qs._iterable_class)
        if shape is None:
            raise TypeError("Prepared reads are values() querysets.")
        compiler = qs.query.get_compiler(qs.db)
        sql, params = compiler.as_sql()
        other = self.build(**second)
        sql2, params2 = other.query.get_compiler(other.db).as_sql()
        if sql2 != sql or len(params2) != len(params):
            raise ValueError("The query's shape depends on its parameters.")
        placed: list[Any] = []
        found: set[str] = set()
        for a, b in zip(params, params2, strict=True):
            if type(a) is type(b) and a == b:
                placed.append(a)
                continue
            name = next(
                (n for n in self.kinds if first[n] == a and second[n] == b),
                None,
            )
            if name is None:
                raise ValueError(
                    f"A parameter became {a!r} (transformed by a lookup?): "
                    "use the queryset."
                )
            placed.append(_Arg(name))
            found.add(name)
        if missing := set(self.kinds) - found:
            raise ValueError(
                f"{', '.join(sorted(missing))}: not in the compiled query."
            )
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = tuple(
            (pos, tuple(_faster(c) for c in convs), expression)
            for pos, (convs, expression) in compiler.get_converters(
                columns
            ).items()
        )
        query = qs.query
        names = tuple(
            getattr(qs, "_fields", None)
            or (
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            )
        )
        return _Plan(
            alias=qs.db,
            sql=sql,
            params=tuple(placed),
            converters=converters,
            shape=shape,
            names=names,
            row_class=(
                create_namedtuple_class(*names) if shape == "named" else None
            ),
        )

    def plan(self) -> _Plan:
        if self._plan is None:
            with self._lock:
                if self._plan is None:
                    self._plan = self._compile()
        return self._plan

    @property
    def alias(self) -> str:
        """The database it reads (for ``Model.from_db``)."""
        return self.plan().alias

    def __call__(self, **values: Any) -> list[Any]:
        if values.keys() != self.kinds.keys():
            raise TypeError(
                f"Give exactly these parameters: {', '.join(self.kinds)}."
            )
        plan = self.plan()
        if any(
            type(v) is int and not _INT_MIN <= v <= _INT_MAX
            for v in values.values()
        ):
            return []  # no column holds it (the ORM's exact lookups agree)
        params = [
            values[p.name] if type(p) is _Arg else p for p in plan.params
        ]
        connection = connections[plan.alias]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows: list[Any] = cursor.fetchall()
        if plan.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for pos, convs, expression in plan.converters:
                    value = row[pos]
                    for convert in convs:
                        value = convert(value, expression, connection)
                    row[pos] = value
        if plan.shape == "flat":
            return [row[0] for row in rows]
        if plan.shape == "named":
            new, cls = tuple.__new__, plan.row_class
            return [new(cls, row) for row in rows]
        if plan.shape == "dict":
            return [dict(zip(plan.names, row, strict=True)) for row in rows]
        return [tuple(row) for row in rows]


def in_model_order(
    model: type[Model], names: Iterable[str]
) -> tuple[str, ...]:
    """``names`` (attnames) in the order of ``model``'s columns, as
    ``Model.from_db`` reads a row of some of them."""
    wanted = set(names)
    ordered = tuple(
        f.attname for f in model._meta.concrete_fields if f.attname in wanted
    )
    if len(ordered) != len(wanted):
        raise ValueError(f"Not columns of {model.__name__}: {wanted}.")
    return ordered


def _sqlite_datetime(value: Any, expression: Any, connection: Any) -> Any:
    """SQLite's text timestamps as aware datetimes: what the backend's
    converter gives with USE_TZ, a third of its cost (no settings lookup
    per value), which counts on a page of 30 rows."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=connection.timezone)
    return value


_SQLITE_DATETIME = (
    "django.db.backends.sqlite3.operations",
    "DatabaseOperations.convert_datetimefield_value",
)


def _faster(convert: Callable[..., Any]) -> Callable[..., Any]:
    func = getattr(convert, "__func__", None)
    name = (getattr(func, "__module__", ""), getattr(func, "__qualname__", ""))
    if name == _SQLITE_DATETIME and settings.USE_TZ:
        return _sqlite_datetime
    return convert
