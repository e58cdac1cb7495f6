"""Rules expanded in the event's zone: wall-clock time kept across DST."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from practica.events import recurrence


def _local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))  # type: ignore[misc]


# (zone, first Tuesday, the spring change, the autumn change)
DST = [
    ("Europe/Berlin", (2027, 3, 16, 10), (2027, 3, 28), (2027, 10, 31)),
    ("America/New_York", (2027, 3, 2, 10), (2027, 3, 14), (2027, 11, 7)),
    ("Australia/Sydney", (2027, 3, 23, 10), (2027, 4, 4), (2027, 10, 3)),
]


@pytest.mark.parametrize(("zone", "first", "spring", "autumn"), DST)
def test_weekly_keeps_wall_clock_on_both_dst_edges(
    zone: str, first: tuple[int, ...], spring: tuple[int, ...], autumn: tuple
) -> None:
    start = _local(zone, *first)
    rule = recurrence.clean_rule("FREQ=WEEKLY;BYDAY=TU", dtstart=start)
    window = (
        datetime(2027, 1, 1, tzinfo=UTC),
        datetime(2028, 1, 1, tzinfo=UTC),
    )
    starts = recurrence.starts_between(rule, start, *window)
    tz = ZoneInfo(zone)
    local = [s.astimezone(tz) for s in starts]
    # Every occurrence is on a Tuesday at 10:00 local time...
    assert {(d.weekday(), d.hour, d.minute) for d in local} == {(1, 10, 0)}
    # ...so its UTC time shifts by an hour at each change.
    offsets = {s.astimezone(tz).utcoffset() for s in starts}
    assert len(offsets) == 2
    for edge in (spring, autumn):
        change = datetime(*edge, tzinfo=tz)  # type: ignore[misc]
        before = max(s for s in starts if s < change.astimezone(UTC))
        after = min(s for s in starts if s > change.astimezone(UTC))
        assert after - before != timedelta(weeks=1)  # 167 or 169 hours
        assert abs(after - before - timedelta(weeks=1)) == timedelta(hours=1)
        assert after.astimezone(tz).hour == before.astimezone(tz).hour == 10


def test_until_is_stored_in_utc_and_read_in_the_zone() -> None:
    start = _local("America/New_York", 2027, 3, 2, 18)
    rule = recurrence.clean_rule(
        "RRULE:freq=weekly;until=20270323", dtstart=start
    )
    # The end of 23 March in New York is 24 March 03:59:59 UTC (EDT).
    assert rule == "FREQ=WEEKLY;UNTIL=20270324T035959Z"
    starts = recurrence.starts_between(
        rule,
        start,
        datetime(2027, 1, 1, tzinfo=UTC),
        datetime(2028, 1, 1, tzinfo=UTC),
    )
    assert len(starts) == 4
    assert recurrence.last_start(rule, start) == starts[-1]
    assert recurrence.next_start(rule, start, starts[1]) == starts[1]


def test_count_bounds_the_series() -> None:
    start = _local("Europe/Berlin", 2027, 1, 4, 9)
    rule = recurrence.clean_rule("FREQ=DAILY;COUNT=5", dtstart=start)
    assert recurrence.last_start(rule, start) == _local(
        "Europe/Berlin", 2027, 1, 8, 9
    ).astimezone(UTC)
    assert recurrence.last_start("FREQ=DAILY", start) is None


def test_a_daily_rule_over_years_expands_only_the_window() -> None:
    start = _local("Europe/Berlin", 2020, 1, 1, 8)
    rule = recurrence.clean_rule("FREQ=DAILY", dtstart=start)
    june = recurrence.starts_between(
        rule,
        start,
        datetime(2027, 6, 1, tzinfo=UTC),
        datetime(2027, 7, 1, tzinfo=UTC),
    )
    assert len(june) == 30


def test_with_until_replaces_count() -> None:
    cut = datetime(2027, 5, 1, 12, tzinfo=UTC)
    assert (
        recurrence.with_until("FREQ=WEEKLY;COUNT=10;BYDAY=MO", cut)
        == "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270501T120000Z"
    )


def test_describe() -> None:
    assert recurrence.describe("") == "once"
    assert (
        recurrence.describe("FREQ=MONTHLY;BYDAY=1TH")
        == "every month on 1st Thu"
    )
    assert recurrence.describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH") == (
        "every 2 weeks on Tue, Thu"
    )


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("FREQ=MINUTELY", "not supported"),
        ("FREQ=SECONDLY;COUNT=3", "not supported"),
        ("FREQ=HOURLY", "not supported"),
        ("BYDAY=TU", "needs a FREQ"),
        ("FREQ=WEEKLY;BYDAY=XX", "not valid RFC 5545"),
        ("FREQ=WEEKLY;FOO=1", "not a recurrence rule part"),
        ("FREQ=WEEKLY;COUNT=0", "COUNT must be"),
        ("FREQ=WEEKLY;COUNT=5000", "COUNT must be"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20280101", "either UNTIL or COUNT"),
        ("FREQ=WEEKLY;UNTIL=20200101", "before the first start"),
        ("FREQ=WEEKLY;UNTIL=tomorrow", "is not a date"),
        ("FREQ=WEEKLY\nRDATE:20270101", "one rule on one line"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no occurrence"),
        ("nonsense", "not a rule part"),
        ("FREQ=WEEKLY;FREQ=DAILY", "appears twice"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(rule: str, says: str) -> None:
    start = _local("Europe/Berlin", 2027, 3, 16, 10)
    with pytest.raises(ValidationError) as exc:
        recurrence.clean_rule(rule, dtstart=start)
    assert list(exc.value.message_dict) == ["rrule"]
    assert says in exc.value.message_dict["rrule"][0]
