"""The analytics API: health figures and the help network as JSON and
CSV, the sponsors' overview, value stories and reflections."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from practica import access
from practica.analytics import selectors, services
from practica.analytics.figures import Figures
from practica.analytics.models import Reflection, ValueStory
from practica.analytics.schemas import (
    FeatureIn,
    FiguresOut,
    HealthOut,
    HideIn,
    NetworkOut,
    OverviewOut,
    OverviewRowOut,
    ReflectionIn,
    ReflectionOut,
    ReflectionPageOut,
    StoryIn,
    StoryOut,
    StoryPageOut,
)
from practica.api.auth import OPTIONAL, OPTIONAL_EXTRA, actor, viewer
from practica.api.pagination import Cursor, cursor_guard
from practica.api.problems import problems
from practica.communities import selectors as communities
from practica.communities.schemas import CommunityRefOut
from practica.core.pagination import Page

router = Router(tags=["analytics"])

CSV_EXTRA: dict[str, Any] = {
    "responses": {
        200: {
            "description": "A CSV file, one row per figure or pair.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}
PERIOD_HELP = "week or month (calendar periods in tz)"


def _csv(name: str, rows: Iterable[list[Any]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _figure_rows(f: Figures) -> Iterable[list[Any]]:
    yield ["figure", "label", "unit", *[b.first_day for b in f.buckets]]
    for s in f.series:
        yield [s.key, s.label, s.unit, *s.values]


def _health(request: HttpRequest, slug: str, period: str, tz: str) -> Any:
    who = viewer(request)
    community = selectors.health_community(viewer=who, slug=slug)
    return community, selectors.community_health(
        viewer=who, community=community, period=period, tz=tz
    )


@router.get(
    "/communities/{slug}/health",
    response={200: HealthOut, **problems(401, 403, 404, 422)},
)
def health_get(
    request: HttpRequest, slug: str, period: str = "month", tz: str = ""
) -> HealthOut:
    """A community's health: figures per period and the help network.

    Periods are the twelve complete calendar weeks or months before now in
    ``tz`` (default: your own time zone). The network names people only
    for the community's coordinators. Members, sponsors and staff only.
    """
    community, h = _health(request, slug, period, tz)
    return HealthOut(
        community=CommunityRefOut(slug=community.slug, name=community.name),
        figures=FiguresOut.build(h.figures),
        network=NetworkOut.build(h.network, people=h.sees_people),
    )


@router.get(
    "/communities/{slug}/health.csv",
    response={200: None, **problems(401, 403, 404, 422)},
    openapi_extra=CSV_EXTRA,
)
def health_csv(
    request: HttpRequest, slug: str, period: str = "month", tz: str = ""
) -> HttpResponse:
    """A community's health figures as CSV: one row per figure, one
    column per period."""
    community, h = _health(request, slug, period, tz)
    return _csv(
        f"{community.slug}-health-{h.figures.period}.csv",
        _figure_rows(h.figures),
    )


@router.get(
    "/communities/{slug}/network",
    response={200: NetworkOut, **problems(401, 403, 404)},
)
def network_get(request: HttpRequest, slug: str) -> NetworkOut:
    """Who helped whom in the last twelve months: totals and departments
    for members; people, connectors, overload and isolated members for
    coordinators too."""
    who = viewer(request)
    community = selectors.health_community(viewer=who, slug=slug)
    net = selectors.help_network(viewer=who, community=community)
    people = access.can(who, "view_help_people", community)
    return NetworkOut.build(net, people=people)


@router.get(
    "/communities/{slug}/network.csv",
    response={200: None, **problems(401, 403, 404)},
    openapi_extra=CSV_EXTRA,
)
def network_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The help network as CSV: pairs of people and the kinds of help
    (coordinators), or department to department flows (everyone else)."""
    who = viewer(request)
    community = selectors.health_community(viewer=who, slug=slug)
    net = selectors.help_network(viewer=who, community=community)
    if access.can(who, "view_help_people", community):
        rows: list[list[Any]] = [
            ["helper_id", "helper", "helped_id", "helped", "kind", "count"]
        ]
        for (a, b), kinds in net.pairs.items():
            for kind, n in sorted(kinds.items()):
                rows.append(
                    [a, net.people[a].name, b, net.people[b].name, kind, n]
                )
        return _csv(f"{community.slug}-help-people.csv", rows)
    rows = [["from_department", "to_department", "count"]]
    rows += [[a, b, n] for (a, b), n in sorted(net.flows.items())]
    return _csv(f"{community.slug}-help-departments.csv", rows)


def _overview(request: HttpRequest, period: str, tz: str) -> Any:
    return selectors.overview(viewer=viewer(request), period=period, tz=tz)


@router.get("/health", response={200: OverviewOut, **problems(401, 403, 422)})
def overview_get(
    request: HttpRequest, period: str = "month", tz: str = ""
) -> OverviewOut:
    """Every community's health together (sponsors and staff): figures
    per period and one row of numbers per community. No titles, texts or
    people; private communities you cannot see are counted, not named."""
    o = _overview(request, period, tz)
    return OverviewOut(
        figures=FiguresOut.build(o.figures),
        communities=[
            OverviewRowOut(
                community=CommunityRefOut(
                    slug=r.community.slug, name=r.community.name
                ),
                members=r.members,
                active=r.active,
                asked=r.asked,
                solved_share=r.solved_share,
                artifacts=r.artifacts,
                stories=r.stories,
            )
            for r in o.rows
        ],
        private_communities=o.private_rows,
        stories_by_cycle=o.cycles,
        cross_department_share=o.cross_share,
    )


@router.get(
    "/health.csv",
    response={200: None, **problems(401, 403, 422)},
    openapi_extra=CSV_EXTRA,
)
def overview_csv(
    request: HttpRequest, period: str = "month", tz: str = ""
) -> HttpResponse:
    """Every community's health figures together, as CSV."""
    o = _overview(request, period, tz)
    return _csv(f"health-{o.figures.period}.csv", _figure_rows(o.figures))


# --- stories -------------------------------------------------------------


@router.get(
    "/communities/{slug}/stories",
    response={200: StoryPageOut, **problems(404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def story_list(
    request: HttpRequest,
    slug: str,
    cycle: str = "",
    featured: bool = False,
    cursor: Cursor = None,
) -> StoryPageOut:
    """A community's value stories, featured first, then newest."""
    who = viewer(request)
    community = communities.community_get(viewer=who, slug=slug)
    with cursor_guard(cursor):
        page: Page[ValueStory] = selectors.story_list(
            viewer=who,
            community=community,
            cycle=cycle,
            featured=featured,
            cursor=cursor,
        )
    return StoryPageOut(
        items=[StoryOut.build(s) for s in page.items],
        next_cursor=page.next_cursor,
    )


@router.post(
    "/communities/{slug}/stories",
    response={201: StoryOut, **problems(401, 403, 404, 422)},
)
def story_create(
    request: HttpRequest, slug: str, payload: StoryIn
) -> Status[StoryOut]:
    """Record a value story; links you cannot see are refused by name."""
    me = actor(request)
    community = communities.community_get(viewer=me, slug=slug)
    s = services.story_create(
        author=me, community=community, **payload.model_dump()
    )
    return Status(201, StoryOut.build(selectors.story_get(viewer=me, pk=s.pk)))


@router.get(
    "/stories/{pk}",
    response={200: StoryOut, **problems(404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def story_get(request: HttpRequest, pk: int) -> StoryOut:
    """One value story."""
    return StoryOut.build(selectors.story_get(viewer=viewer(request), pk=pk))


@router.post(
    "/stories/{pk}/feature",
    response={200: StoryOut, **problems(401, 403, 404, 409)},
)
def story_feature(
    request: HttpRequest, pk: int, payload: FeatureIn
) -> StoryOut:
    """Feature a story, or stop featuring it (coordinators)."""
    me = actor(request)
    s = selectors.story_get(viewer=me, pk=pk)
    services.story_feature(actor=me, story=s, featured=payload.featured)
    return StoryOut.build(selectors.story_get(viewer=me, pk=pk))


@router.post(
    "/stories/{pk}/hide",
    response={200: StoryOut, **problems(401, 403, 404, 422)},
)
def story_hide(request: HttpRequest, pk: int, payload: HideIn) -> StoryOut:
    """Take a story off the list with a note, or show it again
    (coordinators)."""
    me = actor(request)
    s = selectors.story_get(viewer=me, pk=pk)
    services.story_hide(
        actor=me, story=s, hidden=payload.hidden, note=payload.note
    )
    return StoryOut.build(selectors.story_get(viewer=me, pk=pk))


# --- reflections ---------------------------------------------------------


@router.get(
    "/communities/{slug}/reflections",
    response={200: ReflectionPageOut, **problems(401, 403, 404, 422)},
)
def reflection_list(
    request: HttpRequest, slug: str, cursor: Cursor = None
) -> ReflectionPageOut:
    """A community's reflections, newest period first (members)."""
    who = viewer(request)
    community = selectors.health_community(viewer=who, slug=slug)
    with cursor_guard(cursor):
        page: Page[Reflection] = selectors.reflection_list(
            viewer=who, community=community, cursor=cursor
        )
    return ReflectionPageOut(
        items=[ReflectionOut.build(r) for r in page.items],
        next_cursor=page.next_cursor,
    )


@router.post(
    "/communities/{slug}/reflections",
    response={201: ReflectionOut, **problems(401, 403, 404, 422)},
)
def reflection_save(
    request: HttpRequest, slug: str, payload: ReflectionIn
) -> Status[ReflectionOut]:
    """Save the review of a period that is over (again: replaces it).
    Core members and coordinators."""
    me = actor(request)
    community = selectors.health_community(viewer=me, slug=slug)
    r = services.reflection_save(
        author=me, community=community, **payload.model_dump()
    )
    return Status(201, ReflectionOut.build(r))


@router.get(
    "/reflections/{pk}", response={200: ReflectionOut, **problems(404)}
)
def reflection_get(request: HttpRequest, pk: int) -> ReflectionOut:
    """One reflection."""
    return ReflectionOut.build(
        selectors.reflection_get(viewer=viewer(request), pk=pk)
    )
