"""Availability windows: stored as JSON, typed as text, matched as
:class:`practica.mentoring.matching.Window`.

Stored: ``[{"day": 0, "start": "09:00", "end": "12:00"}]`` with day 0 for
Monday, times local to the offer's or request's zone, on the quarter hour.
Typed on the pages as ``Mon 09:00-12:00, Wed 14:00-16:00``.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError

from practica.mentoring.matching import Window

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_WINDOWS = 21
_TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
_TYPED = re.compile(
    r"^\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}:\d{2})\s*[-\u2013]\s*(\d{1,2}:\d{2})\s*$"
)


def _minutes(value: str, field: str, where: str) -> int:
    m = _TIME.match(str(value).strip())
    if not m:
        raise ValidationError(
            {field: f"{where}: '{value}' is not a time; write it as HH:MM."}
        )
    minutes = int(m.group(1)) * 60 + int(m.group(2))
    if minutes > 1440:
        raise ValidationError({field: f"{where}: '{value}' is past 24:00."})
    if minutes % 15:
        raise ValidationError(
            {
                field: f"{where}: '{value}' is not on the quarter hour; use "
                ":00, :15, :30 or :45."
            }
        )
    return minutes


def _day(value: Any, field: str, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= 6:
            return value
    elif isinstance(value, str):
        key = value.strip()[:3].capitalize()
        if key in DAYS:
            return DAYS.index(key)
    raise ValidationError(
        {
            field: f"{where}: '{value}' is not a day; use 0 (Monday) to 6 "
            "(Sunday) or Mon..Sun."
        }
    )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clean(value: Any, *, field: str = "windows") -> list[dict[str, Any]]:
    """Windows from a list of {day, start, end} or from typed text;
    refuses bad days and times, empty windows and more than 21."""
    if value in (None, ""):
        return []
    items: list[tuple[Any, Any, Any, str]] = []
    if isinstance(value, str):
        for n, part in enumerate(re.split(r"[,;\n]+", value), start=1):
            if not part.strip():
                continue
            m = _TYPED.match(part)
            if not m:
                raise ValidationError(
                    {
                        field: f"Window {n}: '{part.strip()}' is not like "
                        "'Mon 09:00-12:00'."
                    }
                )
            items.append((m.group(1), m.group(2), m.group(3), f"Window {n}"))
    elif isinstance(value, Iterable):
        for n, item in enumerate(value, start=1):
            if not isinstance(item, Mapping):
                raise ValidationError(
                    {field: f"Window {n}: give day, start and end."}
                )
            items.append(
                (
                    item.get("day"),
                    item.get("start", ""),
                    item.get("end", ""),
                    f"Window {n}",
                )
            )
    else:
        raise ValidationError({field: "Give a list of windows."})
    if len(items) > MAX_WINDOWS:
        raise ValidationError(
            {
                field: f"{len(items)} windows is too many; give at most "
                f"{MAX_WINDOWS}."
            }
        )
    out = []
    for day, start, end, where in items:
        d = _day(day, field, where)
        a = _minutes(start, field, where)
        b = _minutes(end, field, where)
        if a == b or (a == 1440 and b == 0):
            raise ValidationError(
                {field: f"{where}: it starts and ends at the same time."}
            )
        out.append({"day": d, "start": _hhmm(a), "end": _hhmm(b)})
    return out


def as_windows(stored: Iterable[Mapping[str, Any]]) -> tuple[Window, ...]:
    """Stored windows for the matcher."""

    def m(v: str) -> int:
        h, mm = v.split(":")
        return int(h) * 60 + int(mm)

    return tuple(
        Window(int(w["day"]), m(w["start"]), m(w["end"])) for w in stored
    )


def as_text(stored: Iterable[Mapping[str, Any]]) -> str:
    """Stored windows as the pages show and take them."""
    return ", ".join(
        f"{DAYS[int(w['day'])]} {w['start']}-{w['end']}" for w in stored
    )
