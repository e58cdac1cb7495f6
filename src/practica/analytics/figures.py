"""Health figures for a set of communities, computed by SQL aggregates.

Nothing here loads rows into Python: each figure is a conditional count
per period in one query per table (12 periods = 12 filtered aggregates),
and the medians are computed by the database (``percentile_cont`` on
PostgreSQL, a window-function median elsewhere). No access checks here:
:mod:`practica.analytics.selectors` decides who may ask.

Periods are calendar weeks (Monday first) or calendar months in a time
zone: their edges are computed in that zone (so a day is a local day,
daylight saving included) and compared with the stored UTC times.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any, Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from practica.analytics.models import Period
from practica.communities.models import Community, Membership, Role, Status
from practica.conversations.models import Conversation, Kind, Reply, State
from practica.core.models import Activity
from practica.events import selectors as events
from practica.mentoring import selectors as mentoring
from practica.repertoire.models import DUE_SOON, Artifact
from practica.repertoire.models import Status as ArtifactStatus

PERIODS = 12
GONE = (Status.LEFT, Status.REMOVED)


@dataclass(frozen=True)
class Bucket:
    start: datetime  # aware, in the chosen zone
    end: datetime

    def label(self, period: str) -> str:
        if period == Period.MONTH:
            return self.start.strftime("%b %Y")
        return self.start.strftime("%d %b %Y")

    @property
    def first_day(self) -> date:
        return self.start.date()


def buckets(
    period: str, tz: ZoneInfo, now: datetime | None = None, n: int = PERIODS
) -> list[Bucket]:
    """The ``n`` complete periods before the current one, oldest first."""
    today = (now or timezone.now()).astimezone(tz).date()
    if period == Period.MONTH:
        current = today.replace(day=1)
        starts = [current - relativedelta(months=i) for i in range(n, -1, -1)]
    else:
        current = today - timedelta(days=today.weekday())
        starts = [current - timedelta(weeks=i) for i in range(n, -1, -1)]
    edges = [datetime.combine(d, time(), tzinfo=tz) for d in starts]
    return [Bucket(a, b) for a, b in pairwise(edges)]


def bucket_at(period: str, tz: ZoneInfo, first_day: date) -> Bucket:
    """The period that starts on ``first_day``."""
    if period == Period.MONTH:
        end_day = first_day + relativedelta(months=1)
    else:
        end_day = first_day + timedelta(weeks=1)
    return Bucket(
        datetime.combine(first_day, time(), tzinfo=tz),
        datetime.combine(end_day, time(), tzinfo=tz),
    )


def _in(name: str, b: Bucket) -> Q:
    return Q(**{f"{name}__gte": b.start, f"{name}__lt": b.end})


def _span(name: str, bs: list[Bucket]) -> Q:
    return Q(**{f"{name}__gte": bs[0].start, f"{name}__lt": bs[-1].end})


def _per_bucket(
    qs: QuerySet[Any],
    bs: list[Bucket],
    column: str,
    figures: dict[str, tuple[Any, Q]],
) -> dict[str, list[int]]:
    """One query: for each figure (aggregate, extra condition) its value
    in each bucket of ``column``."""
    aggs = {}
    for key, (make, cond) in figures.items():
        for i, b in enumerate(bs):
            aggs[f"{key}__{i}"] = make(cond & _in(column, b))
    row = qs.aggregate(**aggs)
    return {
        key: [int(row[f"{key}__{i}"] or 0) for i in range(len(bs))]
        for key in figures
    }


def _count(col: str = "pk", distinct: bool = False) -> Any:
    return lambda cond: Count(col, filter=cond, distinct=distinct)


@dataclass
class Series:
    key: str
    label: str
    unit: Literal["count", "share", "hours"]
    values: list[float | None]
    help: str = ""

    @property
    def current(self) -> float | None:
        return self.values[-1] if self.values else None

    @property
    def previous(self) -> float | None:
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def change_pct(self) -> float | None:
        if self.change is None or not self.previous:
            return None
        return 100.0 * self.change / self.previous


@dataclass
class Cohort:
    start: date
    label: str
    joined: int
    stayed: int
    left: int

    @property
    def retention(self) -> float | None:
        return self.stayed / self.joined if self.joined else None


@dataclass
class Figures:
    period: str
    time_zone: str
    buckets: list[Bucket]
    series: list[Series]
    cohorts: list[Cohort]
    now: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [b.label(self.period) for b in self.buckets]

    def get(self, key: str) -> Series:
        for s in self.series:
            if s.key == key:
                return s
        raise KeyError(key)

    @property
    def is_empty(self) -> bool:
        """Nothing counted in any period (a new or silent community)."""
        return not any(
            v for s in self.series if s.unit == "count" for v in s.values
        )


def _share(part: list[int], whole: list[int]) -> list[float | None]:
    return [p / w if w else None for p, w in zip(part, whole, strict=True)]


def activity_series(ids: list[int], bs: list[Bucket]) -> dict[str, list[int]]:
    """Distinct actors (active members) and artifact verifications."""
    qs = Activity.objects.filter(community_id__in=ids).filter(
        _span("created_at", bs)
    )
    return _per_bucket(
        qs,
        bs,
        "created_at",
        {
            "active": (
                _count("actor_id", distinct=True),
                Q(actor_id__isnull=False),
            ),
            "verified": (_count(), Q(verb="artifact.verified")),
        },
    )


def member_series(ids: list[int], bs: list[Bucket]) -> dict[str, list[int]]:
    """People who joined, who left (or were removed), and the members at
    each period's end. A leaving is dated by the membership's last change
    (a left or removed membership changes no more)."""
    qs = Membership.objects.filter(
        community_id__in=ids, joined_at__isnull=False
    )
    aggs: dict[str, Any] = {}
    for i, b in enumerate(bs):
        aggs[f"joined__{i}"] = Count("pk", filter=_in("joined_at", b))
        aggs[f"left__{i}"] = Count(
            "pk", filter=_in("updated_at", b) & Q(status__in=GONE)
        )
        # Members at the period's end: joined before it, not gone by then.
        aggs[f"members__{i}"] = Count(
            "pk",
            filter=Q(joined_at__lt=b.end)
            & ~Q(status__in=GONE, updated_at__lt=b.end)
            & Q(status__in=(Status.ACTIVE, *GONE)),
        )
    row = qs.aggregate(**aggs)
    return {
        key: [int(row[f"{key}__{i}"] or 0) for i in range(len(bs))]
        for key in ("joined", "left", "members")
    }


def cohorts(ids: list[int], bs: list[Bucket], period: str) -> list[Cohort]:
    """Who joined in each period and how many of them are still here."""
    qs = Membership.objects.filter(
        community_id__in=ids, joined_at__isnull=False
    ).filter(_span("joined_at", bs))
    got = _per_bucket(
        qs,
        bs,
        "joined_at",
        {
            "joined": (_count(), Q()),
            "stayed": (_count(), Q(status=Status.ACTIVE)),
            "left": (_count(), Q(status__in=GONE)),
        },
    )
    return [
        Cohort(
            b.first_day,
            b.label(period),
            got["joined"][i],
            got["stayed"][i],
            got["left"][i],
        )
        for i, b in enumerate(bs)
    ]


def question_series(ids: list[int], bs: list[Bucket]) -> dict[str, list[int]]:
    """Questions asked in each period, and how many of those were answered
    and solved (by now)."""
    qs = Conversation.objects.filter(
        community_id__in=ids, kind=Kind.QUESTION
    ).filter(_span("created_at", bs))
    return _per_bucket(
        qs,
        bs,
        "created_at",
        {
            "asked": (_count(), Q()),
            "answered": (_count(), Q(reply_count__gt=0)),
            "solved": (_count(), Q(accepted_reply__isnull=False)),
        },
    )


def artifact_series(
    ids: list[int], bs: list[Bucket], now: datetime
) -> dict[str, list[int]]:
    """Artifacts created, and verifications that ran out unrenewed."""
    qs = Artifact.objects.filter(community_id__in=ids)
    created = _per_bucket(
        qs.filter(_span("created_at", bs)),
        bs,
        "created_at",
        {"created": (_count(), ~Q(status=ArtifactStatus.DRAFT))},
    )
    expired = _per_bucket(
        qs.filter(_span("verified_until", bs)),
        bs,
        "verified_until",
        {
            "expired": (
                _count(),
                Q(verified_until__lte=now, obsolete=False)
                & Q(status=ArtifactStatus.PUBLISHED),
            )
        },
    )
    return {**created, **expired}


# --- medians -------------------------------------------------------------

Method = Literal["percentile", "window"]


def _median_method() -> Method:
    return "percentile" if connection.vendor == "postgresql" else "window"


def _seconds(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"(julianday({later}) - julianday({earlier})) * 86400.0"


def medians(
    ids: list[int],
    bs: list[Bucket],
    what: Literal["first_answer", "solution"],
    method: Method | None = None,
) -> list[float | None]:
    """The median hours from asking to the first answer by someone else
    (or to the answer that was accepted), per period of asking; None for a
    period without any."""
    if not ids:
        return [None] * len(bs)
    method = method or _median_method()
    conv = Conversation._meta.db_table
    reply = Reply._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    cases: list[str] = []
    params: list[Any] = []
    for i, b in enumerate(bs):
        cases.append(f"WHEN c.created_at >= %s AND c.created_at < %s THEN {i}")
        params += [adapt(b.start), adapt(b.end)]
    if what == "first_answer":
        later = (
            f"(SELECT MIN(r.created_at) FROM {reply} r "  # noqa: S608
            "WHERE r.conversation_id = c.id AND (c.author_id IS NULL OR "
            "r.author_id IS NULL OR r.author_id <> c.author_id))"
        )
        join = ""
    else:
        later = "s.created_at"
        join = f"JOIN {reply} s ON s.id = c.accepted_reply_id"
    marks = ", ".join(["%s"] * len(ids))
    inner = (
        f"SELECT CASE {' '.join(cases)} END AS bucket, "  # noqa: S608
        f"{_seconds(later, 'c.created_at')} AS secs "
        f"FROM {conv} c {join} "
        f"WHERE c.community_id IN ({marks}) AND c.kind = %s "
        f"AND {'c.reply_count > 0' if what == 'first_answer' else '1 = 1'} "
        "AND c.created_at >= %s AND c.created_at < %s"
    )
    params += [*ids, Kind.QUESTION, adapt(bs[0].start), adapt(bs[-1].end)]
    if method == "percentile":
        sql = (
            "SELECT bucket, percentile_cont(0.5) WITHIN GROUP "  # noqa: S608
            f"(ORDER BY secs) FROM ({inner}) t WHERE secs IS NOT NULL "
            "GROUP BY bucket"
        )
    else:
        # The middle row (odd counts) or the mean of the two middle rows.
        sql = (
            "SELECT bucket, AVG(secs) FROM (SELECT bucket, secs, "  # noqa: S608
            "ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY secs) AS rn, "
            "COUNT(*) OVER (PARTITION BY bucket) AS n "
            f"FROM ({inner}) t WHERE secs IS NOT NULL) m "
            "WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY bucket"
        )
    # Only table names, %s marks and fixed SQL are formatted in; every
    # value is a parameter.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {int(b): float(v) for b, v in cursor.fetchall()}
    return [
        round(found[i] / 3600.0, 2) if i in found else None
        for i in range(len(bs))
    ]


# --- now -----------------------------------------------------------------


def snapshot(ids: list[int], now: datetime) -> dict[str, Any]:
    """Figures about today: members by role, the unanswered backlog by age
    and the repertoire's freshness."""
    members = Membership.objects.filter(
        community_id__in=ids, status=Status.ACTIVE
    ).aggregate(
        members=Count("pk"),
        newcomers=Count("pk", filter=Q(role=Role.NEWCOMER)),
        coordinators=Count("pk", filter=Q(role=Role.COORDINATOR)),
    )
    ages = [
        ("day", timedelta(days=1)),
        ("week", timedelta(days=7)),
        ("month", timedelta(days=30)),
    ]
    open_q = Conversation.objects.filter(
        community_id__in=ids,
        kind=Kind.QUESTION,
        state=State.OPEN,
        reply_count=0,
    )
    backlog = open_q.aggregate(
        unanswered=Count("pk"),
        oldest=Min("created_at"),
        **{
            f"older_than_{name}": Count(
                "pk", filter=Q(created_at__lt=now - age)
            )
            for name, age in ages
        },
    )
    oldest = backlog.pop("oldest")
    backlog["oldest_days"] = (
        round((now - oldest).total_seconds() / 86400, 1) if oldest else None
    )
    published = Artifact.objects.filter(
        community_id__in=ids,
        status=ArtifactStatus.PUBLISHED,
        obsolete=False,
    ).aggregate(
        artifacts=Count("pk"),
        verified=Count("pk", filter=Q(verified_until__gt=now + DUE_SOON)),
        due=Count(
            "pk",
            filter=Q(
                verified_until__gt=now, verified_until__lte=now + DUE_SOON
            ),
        ),
        expired=Count("pk", filter=Q(verified_until__lte=now)),
        unverified=Count("pk", filter=Q(verified_until__isnull=True)),
    )
    return {**members, **backlog, **published}


def rhythm(community: Community, bs: list[Bucket]) -> dict[str, Any]:
    """Sessions held, attendance and RSVPs per period (from the events
    app's rhythm health over the whole span: one call, its attendance
    list holds one entry per held occurrence), and planned, held,
    cancelled and with notes in the latest period."""
    whole = events.rhythm_health(community, start=bs[0].start, end=bs[-1].end)
    n = len(bs)
    held, attended, going = [0] * n, [0] * n, [0] * n
    starts = [b.start for b in bs]
    for start, came, said in whole["attendance"]:
        i = bisect_right(starts, start) - 1
        if 0 <= i < n:
            held[i] += 1
            attended[i] += came
            going[i] += said
    last = events.rhythm_health(community, start=bs[-1].start, end=bs[-1].end)
    return {
        "held": held,
        "attended": attended,
        "going": going,
        "last": {k: v for k, v in last.items() if k != "attendance"},
    }


def pathway(community: Community) -> dict[str, Any]:
    """Newcomers on the onboarding pathway: how many, done, stuck, and
    the average share of steps done (from the mentoring app)."""
    rows = mentoring.pathway_progress(community)
    shares = [r["done"] / r["steps"] for r in rows if r["steps"]]
    return {
        "on_pathway": len(rows),
        "complete": sum(1 for r in rows if r["complete"]),
        "stuck": sum(1 for r in rows if r["stuck"]),
        "average_done": sum(shares) / len(shares) if shares else None,
    }


def compute(
    ids: list[int],
    *,
    period: str,
    tz: ZoneInfo,
    now: datetime | None = None,
    community: Community | None = None,
) -> Figures:
    """Every health figure for the communities ``ids``; with one
    ``community``, also its rhythm of events and its pathway."""
    now = now or timezone.now()
    bs = buckets(period, tz, now)
    act = activity_series(ids, bs)
    mem = member_series(ids, bs)
    qs = question_series(ids, bs)
    art = artifact_series(ids, bs, now)
    series = [
        Series(
            "active",
            "Active members",
            "count",
            list(act["active"]),
            "People who did anything recorded (asked, answered, edited, "
            "joined, marked…) in the period.",
        ),
        Series("members", "Members at the end", "count", list(mem["members"])),
        Series("joined", "New members", "count", list(mem["joined"])),
        Series("left", "Members who left", "count", list(mem["left"])),
        Series("asked", "Questions asked", "count", list(qs["asked"])),
        Series(
            "answered_share",
            "Share answered",
            "share",
            _share(qs["answered"], qs["asked"]),
            "Of the questions asked in the period, those answered by now.",
        ),
        Series(
            "solved_share",
            "Share solved",
            "share",
            _share(qs["solved"], qs["asked"]),
            "Of the questions asked in the period, those with an accepted "
            "answer by now.",
        ),
        Series(
            "first_answer_hours",
            "Median hours to first answer",
            "hours",
            list(medians(ids, bs, "first_answer")),
            "From asking to the first answer by someone else, over the "
            "answered questions asked in the period.",
        ),
        Series(
            "solution_hours",
            "Median hours to solution",
            "hours",
            list(medians(ids, bs, "solution")),
            "From asking to the answer that was accepted.",
        ),
        Series(
            "artifacts_created",
            "Artifacts created",
            "count",
            list(art["created"]),
        ),
        Series(
            "artifacts_verified",
            "Artifact verifications",
            "count",
            list(act["verified"]),
        ),
        Series(
            "artifacts_expired",
            "Verifications that ran out",
            "count",
            list(art["expired"]),
            "Verified until a day in the period and not verified again.",
        ),
    ]
    today = snapshot(ids, now)
    if community is not None:
        r = rhythm(community, bs)
        series += [
            Series(
                "events_held",
                "Sessions held",
                "count",
                list(r["held"]),
                "Event occurrences that took place (not cancelled).",
            ),
            Series(
                "attended",
                "Attendance",
                "count",
                list(r["attended"]),
                "People marked as present, over all sessions held.",
            ),
            Series(
                "turnout",
                "Turnout",
                "share",
                _share(r["attended"], r["going"]),
                "Present of those who said they were going.",
            ),
        ]
        today["rhythm"] = r["last"]
        today["pathway"] = pathway(community)
    return Figures(
        period=period,
        time_zone=str(tz.key),
        buckets=bs,
        series=series,
        cohorts=cohorts(ids, bs, period),
        now=today,
    )
