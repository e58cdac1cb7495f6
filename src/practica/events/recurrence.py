"""RFC 5545 recurrence rules, expanded lazily in the event's time zone.

A rule is stored as its RRULE value (``FREQ=WEEKLY;BYDAY=TU``) with any
UNTIL in UTC (``...Z``), as RFC 5545 asks when the start has a time zone.
It is expanded on naive wall-clock times and each result is then placed
in the zone, so a 10:00 session stays at 10:00 across daylight-saving
changes. Nothing is ever materialised: callers ask for a bounded window.
"""

from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError

# Sub-daily rules would flood calendars and reminders; nobody meets
# every minute.
FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
MAX_COUNT = 1000
MAX_LENGTH = 500
# Parts that are plain rule parts; DTSTART comes from the event itself.
PARTS = {
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _zone(moment: datetime) -> ZoneInfo:
    tz = moment.tzinfo
    if not isinstance(tz, ZoneInfo):
        raise TypeError("an aware datetime in a ZoneInfo zone is needed")
    return tz


def _bad(message: str, field: str) -> ValidationError:
    return ValidationError({field: message})


def _split(value: str, field: str) -> list[tuple[str, str]]:
    value = (value or "").strip()
    if value.upper().startswith("RRULE:"):
        value = value[6:]
    if "\n" in value or "\r" in value:
        raise _bad(
            "Give one rule on one line, such as FREQ=WEEKLY;BYDAY=TU "
            "(no DTSTART, RDATE or EXDATE lines).",
            field,
        )
    parts: list[tuple[str, str]] = []
    for chunk in value.strip(";").split(";"):
        name, sep, val = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not val.strip():
            raise _bad(
                f"'{chunk}' is not a rule part: write NAME=VALUE pairs "
                "separated by ';', such as FREQ=WEEKLY;BYDAY=TU.",
                field,
            )
        if name not in PARTS:
            raise _bad(
                f"'{name}' is not a recurrence rule part we support: use "
                f"{', '.join(sorted(PARTS))}.",
                field,
            )
        if any(n == name for n, _ in parts):
            raise _bad(f"{name} appears twice in the rule.", field)
        parts.append((name, val.strip().upper()))
    return parts


def _until_utc(value: str, tz: ZoneInfo, field: str) -> datetime:
    try:
        if value.endswith("Z"):
            return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=UTC
            )
        if "T" in value:
            local = datetime.strptime(value, "%Y%m%dT%H%M%S")  # noqa: DTZ007
        else:
            day = datetime.strptime(value, "%Y%m%d").date()  # noqa: DTZ007
            local = datetime.combine(day, time(23, 59, 59))
    except ValueError:
        raise _bad(
            f"UNTIL={value} is not a date: write UNTIL=20271231 or "
            "UNTIL=20271231T235959Z.",
            field,
        ) from None
    return local.replace(tzinfo=tz).astimezone(UTC)


def _join(parts: list[tuple[str, str]]) -> str:
    return ";".join(f"{n}={v}" for n, v in parts)


def clean_rule(value: str, *, dtstart: datetime, field: str = "rrule") -> str:
    """The canonical RRULE value for ``value``, or '' for none.

    ``dtstart`` is the aware first start in the event's zone. Refuses
    anything dateutil cannot read, sub-daily frequencies, a COUNT over
    1000, UNTIL and COUNT together, and a rule with no occurrence at or
    after the start.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > MAX_LENGTH:
        raise _bad(
            f"The rule is {len(value)} characters long; shorten it to at "
            f"most {MAX_LENGTH}.",
            field,
        )
    tz = _zone(dtstart)
    parts = _split(value, field)
    names = {n for n, _ in parts}
    freq = dict(parts).get("FREQ")
    if freq is None:
        raise _bad("The rule needs a FREQ, such as FREQ=WEEKLY.", field)
    if freq not in FREQS:
        raise _bad(
            f"FREQ={freq} is not supported: events repeat at most daily "
            f"(use {', '.join(FREQS)}).",
            field,
        )
    if {"UNTIL", "COUNT"} <= names:
        raise _bad("Give either UNTIL or COUNT, not both (RFC 5545).", field)
    out = []
    for name, val in parts:
        if name == "UNTIL":
            until = _until_utc(val, tz, field)
            if until < dtstart:
                raise _bad(
                    "UNTIL is before the first start: the series would "
                    "never happen. Pick a later date.",
                    field,
                )
            val = until.strftime("%Y%m%dT%H%M%SZ")
        if name == "COUNT" and (
            not val.isdigit() or not 1 <= int(val) <= MAX_COUNT
        ):
            raise _bad(
                f"COUNT must be a whole number from 1 to {MAX_COUNT}.",
                field,
            )
        out.append((name, val))
    canonical = _join(out)
    try:
        rule = build(canonical, dtstart)
        first = rule.after(dtstart.replace(tzinfo=None), inc=True)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise _bad(
            f"This rule is not valid RFC 5545 ({exc}). An example: "
            "FREQ=WEEKLY;BYDAY=TU;UNTIL=20271231T000000Z.",
            field,
        ) from None
    if first is None:
        raise _bad(
            "This rule has no occurrence at or after the start: check "
            "UNTIL, COUNT and the BY... parts.",
            field,
        )
    return canonical


@lru_cache(maxsize=512)
def _build(value: str, dtstart_naive: datetime, zone: str) -> rrule:
    tz = ZoneInfo(zone)
    parts = []
    for chunk in value.split(";"):
        name, _, val = chunk.partition("=")
        if name == "UNTIL" and val.endswith("Z"):
            until = datetime.strptime(val, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=UTC
            )
            val = until.astimezone(tz).strftime("%Y%m%dT%H%M%S")
        parts.append(f"{name}={val}")
    rule = rrulestr(";".join(parts), dtstart=dtstart_naive, cache=False)
    if not isinstance(rule, rrule):  # a set: never from one RRULE line
        raise ValueError("one rule expected")
    return rule


def build(value: str, dtstart: datetime) -> rrule:
    """The dateutil rule over naive wall-clock times in the start's zone."""
    tz = _zone(dtstart)
    return _build(value, dtstart.replace(tzinfo=None), tz.key)


def _aware(naive: datetime, tz: ZoneInfo) -> datetime:
    return naive.replace(tzinfo=tz).astimezone(UTC)


def starts_between(
    value: str,
    dtstart: datetime,
    start: datetime,
    end: datetime,
) -> list[datetime]:
    """Original starts (UTC) in ``[start, end)``; ``dtstart`` is the
    aware first start in the event's zone."""
    tz = _zone(dtstart)
    if not value:
        first = dtstart.astimezone(UTC)
        return [first] if start <= first < end else []
    rule = build(value, dtstart)
    # A day of margin on each side covers offsets; exact filter below.
    lo = start.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    hi = end.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    found = [_aware(n, tz) for n in rule.between(lo, hi, inc=True)]
    return [s for s in found if start <= s < end]


def is_start(value: str, dtstart: datetime, moment: datetime) -> bool:
    """True when ``moment`` (aware) is an original start of the series."""
    return moment in starts_between(
        value, dtstart, moment, moment + timedelta(seconds=1)
    )


def next_start(
    value: str, dtstart: datetime, after: datetime
) -> datetime | None:
    """The first original start at or after ``after``."""
    tz = _zone(dtstart)
    if not value:
        first = dtstart.astimezone(UTC)
        return first if first >= after else None
    rule = build(value, dtstart)
    naive = after.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    for n in rule.xafter(naive, count=None, inc=True):
        s = _aware(n, tz)
        if s >= after:
            return s
    return None


def last_start(value: str, dtstart: datetime) -> datetime | None:
    """The last original start of a bounded rule; None if unbounded."""
    tz = _zone(dtstart)
    if not value:
        return dtstart.astimezone(UTC)
    parts = dict(p.split("=", 1) for p in value.split(";"))
    if "UNTIL" not in parts and "COUNT" not in parts:
        return None
    rule = build(value, dtstart)
    found = None
    for found in rule:  # noqa: B007  (bounded: COUNT <= 1000 or UNTIL)
        pass
    return _aware(found, tz) if found is not None else None


def with_until(value: str, until: datetime) -> str:
    """``value`` ending at ``until`` (UTC): COUNT and UNTIL replaced."""
    parts = [
        p for p in value.split(";") if not p.startswith(("UNTIL=", "COUNT="))
    ]
    parts.append("UNTIL=" + until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    return ";".join(parts)


def describe(value: str) -> str:
    """A short phrase for a rule, for pages ("every week on Tue")."""
    if not value:
        return "once"
    parts = dict(p.split("=", 1) for p in value.split(";"))
    interval = int(parts.get("INTERVAL", "1") or 1)
    unit = {
        "DAILY": "day",
        "WEEKLY": "week",
        "MONTHLY": "month",
        "YEARLY": "year",
    }.get(parts.get("FREQ", ""), "time")
    phrase = f"every {unit}" if interval == 1 else f"every {interval} {unit}s"
    if "BYDAY" in parts:
        names = {
            "MO": "Mon",
            "TU": "Tue",
            "WE": "Wed",
            "TH": "Thu",
            "FR": "Fri",
            "SA": "Sat",
            "SU": "Sun",
        }
        days = []
        for d in parts["BYDAY"].split(","):
            prefix = d[:-2]
            name = names.get(d[-2:], d)
            days.append(f"{_ordinal(prefix)} {name}" if prefix else name)
        phrase += " on " + ", ".join(days)
    if "COUNT" in parts:
        phrase += f", {parts['COUNT']} times"
    if "UNTIL" in parts:
        until = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ")  # noqa: DTZ007
        phrase += f", until {until:%-d %b %Y}"
    return phrase


def _ordinal(prefix: str) -> str:
    return {
        "1": "1st",
        "+1": "1st",
        "2": "2nd",
        "3": "3rd",
        "4": "4th",
        "-1": "last",
    }.get(prefix, prefix)
