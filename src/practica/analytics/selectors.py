"""Every read of the analytics app, filtered by access.

Health figures come from :mod:`figures` (SQL aggregates), the help
network from :mod:`network`; this module decides who may ask for what
and in which time zone periods are cut.
"""

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from practica import access
from practica.access.analytics import sponsored_communities
from practica.analytics import figures, network
from practica.analytics.models import (
    Cycle,
    Period,
    Reflection,
    StoryLink,
    ValueStory,
)
from practica.communities.models import Community, Role, Visibility
from practica.communities.models import Status as MemberStatus
from practica.conversations.models import Conversation, Kind
from practica.core import validation
from practica.core.pagination import Page, keyset
from practica.mentoring import selectors as mentoring

NETWORK_MONTHS = 12
CITED_SHOWN = 5
# Figures and the network are costly on a big community (seconds over
# 100 k questions) and change slowly: each is kept this long in the
# cache, keyed by what it depends on (see docs/analytics.md).
CACHE_SECONDS = getattr(settings, "ANALYTICS_CACHE_SECONDS", 900)


def _cached(key: str, make: Any, *, fresh: bool = False) -> Any:
    if CACHE_SECONDS <= 0:
        return make()
    found = None if fresh else cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, CACHE_SECONDS)
    return found


def _network_of(
    community: Community, months: int, now: datetime, *, fresh: bool = False
) -> network.Network:
    start = now - relativedelta(months=months)
    return _cached(
        f"analytics:net:{community.pk}:{months}",
        lambda: network.build(
            [community.pk],
            start,
            now,
            mentoring.help_edges(community, start=start, end=now),
            load=mentoring.mentor_load(community),
        ),
        fresh=fresh,
    )


def refresh(community: Community, now: datetime | None = None) -> None:
    """Recompute a community's help network and its monthly and weekly
    figures in the site's time zone into the cache (the worker does this
    every few minutes, so the first visitor does not wait)."""
    now = now or timezone.now()
    _network_of(community, NETWORK_MONTHS, now, fresh=True)
    zone = ZoneInfo(settings.TIME_ZONE)
    for period in Period.values:
        cached_figures(
            [community.pk],
            period=period,
            tz=zone,
            now=now,
            community=community,
            fresh=True,
        )


def cached_figures(
    ids: list[int],
    *,
    period: str,
    tz: ZoneInfo,
    now: datetime,
    community: Community | None = None,
    fresh: bool = False,
) -> figures.Figures:
    """:func:`figures.compute`, from the cache when it was computed in the
    last CACHE_SECONDS for the same communities, period and zone."""
    key = "analytics:fig:{}:{}:{}:{}:{}".format(
        ",".join(map(str, sorted(ids))) if len(ids) < 50 else hash(tuple(ids)),
        period,
        tz.key,
        figures.buckets(period, tz, now)[-1].end.isoformat(),
        int(community is not None),
    )
    return _cached(
        key,
        lambda: figures.compute(
            ids, period=period, tz=tz, now=now, community=community
        ),
        fresh=fresh,
    )


def period_of(value: str | None) -> str:
    """The period asked for (month when none), or a refusal naming the
    choices."""
    return validation.choice(value or Period.MONTH, Period, "period")


def zone_for(viewer: Any, name: str = "") -> ZoneInfo:
    """The time zone periods are cut in: ``name`` when given, else the
    viewer's own, else the site's. Refuses an unknown zone."""
    if not name:
        name = getattr(viewer, "time_zone", "") or settings.TIME_ZONE
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {
                "tz": f"'{name}' is not a time zone: use a name such as "
                "Europe/Berlin or America/New_York."
            }
        ) from None


def health_community(*, viewer: Any, slug: str) -> Community:
    """The community whose health the viewer may see (404 when they may
    not even see the community; a refusal with the reason otherwise)."""
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise Http404("No such community.")
    sees = access.can(viewer, "view", community)
    if not sees and not access.can(viewer, "view_health", community):
        raise Http404("No such community.")
    access.require(viewer, "view_health", community)
    return community


@dataclass
class Health:
    community: Community
    figures: figures.Figures
    network: network.Network
    sees_people: bool
    may_reflect: bool
    may_curate: bool
    may_tell: bool
    stories: list[ValueStory] = field(default_factory=list)
    story_counts: dict[str, int] = field(default_factory=dict)


def community_health(
    *,
    viewer: Any,
    community: Community,
    period: str | None = None,
    tz: str = "",
    now: datetime | None = None,
) -> Health:
    """A community's dashboard: figures, the help network (people only
    for coordinators), featured stories. Refuses an unknown period or
    time zone and anyone but members, sponsors and staff."""
    access.require(viewer, "view_health", community)
    period = period_of(period)
    zone = zone_for(viewer, tz)
    now = now or timezone.now()
    figs = cached_figures(
        [community.pk], period=period, tz=zone, now=now, community=community
    )
    net = help_network(viewer=viewer, community=community, now=now)
    stories: list[ValueStory] = []
    if access.can(viewer, "view", community):  # sponsors see numbers only
        stories = list(
            story_queryset(viewer, community).filter(featured=True)[:3]
        )
    counts = dict(
        ValueStory.objects.filter(community=community, hidden=False)
        .values_list("cycle")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Health(
        community=community,
        figures=figs,
        network=net,
        sees_people=access.can(viewer, "view_help_people", community),
        may_reflect=access.can(viewer, "reflect", community),
        may_curate=access.can(viewer, "curate_stories", community),
        may_tell=access.can(viewer, "tell_story", community),
        stories=stories,
        story_counts={c: counts.get(c, 0) for c in Cycle.values},
    )


def help_network(
    *,
    viewer: Any,
    community: Community,
    months: int = NETWORK_MONTHS,
    now: datetime | None = None,
) -> network.Network:
    """Who helped whom in the last ``months`` months. Names, connectors,
    overload and isolated people only for coordinators; everyone else
    gets the totals and the departments."""
    access.require(viewer, "view_health", community)
    now = now or timezone.now()
    net = _network_of(community, months, now)
    if not access.can(viewer, "view_help_people", community):
        net = copy.copy(net).strip_people()
    return net


# --- sponsors ------------------------------------------------------------


@dataclass
class CommunityRow:
    community: Community
    members: int
    active: int
    asked: int
    solved: int
    artifacts: int
    stories: int
    named: bool  # False: a private community the sponsor cannot see

    @property
    def solved_share(self) -> float | None:
        return self.solved / self.asked if self.asked else None


@dataclass
class Overview:
    figures: figures.Figures
    rows: list[CommunityRow]
    private_rows: int
    cycles: dict[str, int]
    cross_share: float | None
    start: datetime
    end: datetime


def overview(
    *,
    viewer: Any,
    period: str | None = None,
    tz: str = "",
    now: datetime | None = None,
) -> Overview:
    """Aggregates across the communities a sponsor's grant covers (all,
    for staff): figures and one row of numbers per community; private
    communities the viewer cannot see are counted together, unnamed. No
    titles, texts or people."""
    access.require(viewer, "sponsor_overview")
    period = period_of(period)
    zone = zone_for(viewer, tz)
    now = now or timezone.now()
    comms = list(sponsored_communities(viewer).order_by("name"))
    ids = [c.pk for c in comms]
    figs = cached_figures(ids, period=period, tz=zone, now=now)
    # The last complete period, as on the figures.
    last = figs.buckets[-1]
    year = figs.buckets[0].start
    active = dict(
        figures.Activity.objects.filter(
            community_id__in=ids,
            created_at__gte=last.start,
            created_at__lt=last.end,
            actor_id__isnull=False,
        )
        .values_list("community_id")
        .annotate(n=Count("actor_id", distinct=True))
        .order_by()
    )
    questions: dict[int, Any] = {
        row["community_id"]: row
        for row in Conversation.objects.filter(
            community_id__in=ids, kind=Kind.QUESTION, created_at__gte=year
        )
        .values("community_id")
        .annotate(
            asked=Count("pk"),
            solved=Count("pk", filter=Q(accepted_reply__isnull=False)),
        )
        .order_by()
    }
    artifacts = dict(
        figures.Artifact.objects.filter(
            community_id__in=ids, status=figures.ArtifactStatus.PUBLISHED
        )
        .values_list("community_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    story_rows = list(
        ValueStory.objects.filter(community_id__in=ids, hidden=False)
        .values_list("community_id", "cycle")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stories: dict[int, int] = {}
    cycles = dict.fromkeys(Cycle.values, 0)
    for cid, cycle, n in story_rows:
        stories[cid] = stories.get(cid, 0) + n
        cycles[cycle] += n
    seen = set(
        access.visible_communities(
            viewer, Community.objects.filter(pk__in=ids)
        ).values_list("pk", flat=True)
    )
    rows = [
        CommunityRow(
            community=c,
            members=c.member_count,
            active=active.get(c.pk, 0),
            asked=questions.get(c.pk, {}).get("asked", 0),
            solved=questions.get(c.pk, {}).get("solved", 0),
            artifacts=artifacts.get(c.pk, 0),
            stories=stories.get(c.pk, 0),
            named=c.pk in seen or c.visibility != Visibility.PRIVATE,
        )
        for c in comms
    ]
    start = now - relativedelta(months=NETWORK_MONTHS)
    net = _cached(
        f"analytics:net:{hash(tuple(ids))}",
        lambda: network.build(ids, start, now),
    )
    return Overview(
        figures=figs,
        rows=[r for r in rows if r.named],
        private_rows=sum(1 for r in rows if not r.named),
        cycles=cycles,
        cross_share=net.cross_share,
        start=start,
        end=now,
    )


# --- value stories -------------------------------------------------------


def story_queryset(viewer: Any, community: Community) -> QuerySet[ValueStory]:
    """The stories of ``community`` the viewer may see: hidden ones only
    to their author and the coordinators."""
    access.require(viewer, "view", community)
    qs = ValueStory.objects.filter(community=community).select_related(
        "author", "featured_by"
    )
    if access.can(viewer, "curate_stories", community):
        return qs
    if getattr(viewer, "is_authenticated", False):
        return qs.filter(Q(hidden=False) | Q(author_id=viewer.pk))
    return qs.filter(hidden=False)


def story_list(
    *,
    viewer: Any,
    community: Community,
    cycle: str = "",
    featured: bool = False,
    cursor: str | None = None,
    size: int = 20,
) -> Page[ValueStory]:
    """A page of stories, featured first then newest. Refuses an unknown
    cycle."""
    qs = story_queryset(viewer, community).prefetch_related("links")
    if cycle:
        qs = qs.filter(cycle=validation.choice(cycle, Cycle, "cycle"))
    if featured:
        qs = qs.filter(featured=True)
    return keyset(
        qs, order=("-featured", "-created_at", "-id"), cursor=cursor, size=size
    )


def story_get(*, viewer: Any, pk: int) -> ValueStory:
    """One story the viewer may see (404 otherwise)."""
    s = (
        ValueStory.objects.select_related("community", "author", "featured_by")
        .prefetch_related("links")
        .filter(pk=pk)
        .first()
    )
    if s is None or not access.can(viewer, "view", s):
        raise Http404("No such story.")
    return s


@dataclass
class Cited:
    stories: list[ValueStory]
    total: int
    tell_url: str = ""  # where the viewer may tell a story about it


def stories_citing(viewer: Any, obj: Any, *, link: str = "") -> Cited:
    """The visible stories that link ``obj`` (featured first, at most
    five, with the total), in two queries; with ``link`` (``artifact:5``)
    and a viewer who takes part in its community, also the address of
    the story form with that link filled in."""
    ct = ContentType.objects.get_for_model(obj)
    qs = ValueStory.objects.filter(
        links__target_type=ct,
        links__target_id=obj.pk,
        community__in=access.visible_communities(viewer),
    )
    if not getattr(viewer, "is_superuser", False):
        curated = [
            cid
            for cid, m in access.memberships(viewer).items()
            if m.status == MemberStatus.ACTIVE and m.role == Role.COORDINATOR
        ]
        mine = Q(author_id=viewer.pk) if viewer.is_authenticated else Q()
        qs = qs.filter(Q(hidden=False) | mine | Q(community_id__in=curated))
    qs = qs.distinct()
    stories = list(
        qs.select_related("author").order_by("-featured", "-created_at")[
            :CITED_SHOWN
        ]
    )
    total = len(stories)
    if total == CITED_SHOWN:
        total = qs.count()
    tell_url = ""
    if link and access.can(viewer, "participate", obj.community):
        tell_url = (
            reverse("analytics:story_new", args=[obj.community.slug])
            + "?"
            + urlencode({"link": link})
        )
    return Cited(stories=stories, total=total, tell_url=tell_url)


def story_links(story: ValueStory) -> list[StoryLink]:
    return list(story.links.all())


# --- reflections ---------------------------------------------------------


def reflection_list(
    *, viewer: Any, community: Community, cursor: str | None = None
) -> Page[Reflection]:
    """The community's reflections, newest period first."""
    access.require(viewer, "view_health", community)
    return keyset(
        Reflection.objects.filter(community=community).select_related(
            "author"
        ),
        order=("-start", "-id"),
        cursor=cursor,
        size=20,
    )


def reflection_get(*, viewer: Any, pk: int) -> Reflection:
    r = (
        Reflection.objects.select_related("community", "author")
        .filter(pk=pk)
        .first()
    )
    if r is None or not access.can(viewer, "view_health", r.community):
        raise Http404("No such reflection.")
    return r


def period_start(period: str, value: Any, tz: ZoneInfo) -> date:
    """The first day of a period named by ``value`` (a date or
    YYYY-MM-DD): a Monday for a week, the 1st for a month, and over
    already. Refuses anything else with the reason."""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(
                {"start": f"'{value}' is not a date: write it as YYYY-MM-DD."}
            ) from None
    if period == Period.WEEK and day.weekday() != 0:
        monday = day - timedelta(days=day.weekday())
        raise ValidationError(
            {"start": f"A week starts on a Monday: use {monday.isoformat()}."}
        )
    if period == Period.MONTH and day.day != 1:
        raise ValidationError(
            {
                "start": "A month starts on its first day: use "
                f"{day.replace(day=1).isoformat()}."
            }
        )
    b = figures.bucket_at(period, tz, day)
    if b.end > timezone.now():
        raise ValidationError(
            {"start": "That period is not over yet: reflect on it after it."}
        )
    return day


def period_figures(
    community: Community, period: str, start: date, tz: ZoneInfo
) -> dict[str, Any]:
    """The figures of one period and the one before, for a reflection."""
    b = figures.bucket_at(period, tz, start)
    figs = figures.compute(
        [community.pk], period=period, tz=tz, now=b.end, community=community
    )
    out: dict[str, Any] = {"period": period, "start": start.isoformat()}
    for s in figs.series:
        out[s.key] = {
            "label": s.label,
            "unit": s.unit,
            "value": s.current,
            "previous": s.previous,
        }
    return out


def describe(figs: dict[str, Any]) -> str:
    """The period's figures as Markdown bullet points (the What?)."""
    lines = []
    for key, f in figs.items():
        if not isinstance(f, dict):
            continue
        v, p = f["value"], f["previous"]
        if v is None:
            continue
        text = _fmt(v, f["unit"])
        if p is not None:
            text += f" (before: {_fmt(p, f['unit'])})"
        lines.append(f"- {f['label']}: {text}")
        del key
    return "\n".join(lines)


def _fmt(v: float, unit: str) -> str:
    if unit == "share":
        return f"{v * 100:.0f} %"
    if unit == "hours":
        return f"{v:.1f} h"
    return f"{v:g}"


def reflection_draft(
    *, viewer: Any, community: Community, period: str, start: Any
) -> dict[str, Any]:
    """A new reflection's form, prefilled: the period's figures as the
    What?, or the saved review when there is one."""
    access.require(viewer, "reflect", community)
    period = period_of(period)
    zone = zone_for(viewer)
    day = period_start(period, start, zone)
    saved = Reflection.objects.filter(
        community=community, period=period, start=day
    ).first()
    figs = period_figures(community, period, day, zone)
    if saved is not None:
        return {
            "period": period,
            "start": day,
            "what": saved.what,
            "so_what": saved.so_what,
            "now_what": saved.now_what,
            "figures": figs,
            "saved": saved,
        }
    return {
        "period": period,
        "start": day,
        "what": describe(figs),
        "so_what": "",
        "now_what": "",
        "figures": figs,
        "saved": None,
    }


def past_periods(period: str, tz: ZoneInfo) -> list[figures.Bucket]:
    """The last twelve complete periods, newest first (for a form)."""
    return list(reversed(figures.buckets(period, tz)))


def require_people(viewer: Any, community: Community) -> None:
    """Refuse anyone who may not see the help network by name."""
    if not access.can(viewer, "view_help_people", community):
        raise PermissionDenied(
            access.reason(viewer, "view_help_people", community)
        )
