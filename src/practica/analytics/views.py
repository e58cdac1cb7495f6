"""The analytics pages: a community's health, its help network, value
stories, reflections and the sponsors' overview. Thin: selectors read,
services write, refusals become a 403 page that says why."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from practica import access
from practica.analytics import charts, selectors, services
from practica.analytics.figures import Figures
from practica.analytics.forms import HideForm, ReflectionForm, StoryForm
from practica.analytics.models import Cycle, Period
from practica.analytics.network import KINDS, Network
from practica.communities import selectors as communities
from practica.web import pages

Request = pages.HtmxRequest
refusals = pages.refusals("analytics/denied.html")
PEOPLE_SHOWN = 30
PAIRS_SHOWN = 100


def _charts(figs: Figures) -> list[dict[str, Any]]:
    return [
        {
            "series": s,
            "svg": charts.bars(
                figs.labels,
                s.values,
                title=f"{s.label}, per {figs.period}",
                unit=s.unit,
                ident=f"c-{s.key}",
            ),
        }
        for s in figs.series
    ]


def _department_chart(net: Network) -> Any:
    nodes = [
        (d.name, d.name, d.members, bool(d.gave and not d.got))
        for d in net.departments
    ]
    links = [(a, b, n, "answer") for (a, b), n in net.flows.items()]
    return charts.graph(
        nodes, links, title="Help between departments", ident="dept"
    )


def _people_chart(net: Network) -> Any:
    busiest = sorted(
        (p for p in net.people.values() if p.gave or p.got),
        key=lambda p: (-(p.gave + p.got), p.name),
    )[:PEOPLE_SHOWN]
    shown = {p.id for p in busiest}
    cut = {p.id for p, _ in net.connectors}
    nodes = [(str(p.id), p.name, p.gave + p.got, p.id in cut) for p in busiest]
    links = []
    for (a, b), kinds in net.pairs.items():
        if a in shown and b in shown:
            kind = max(kinds, key=lambda k: kinds[k])
            links.append((str(a), str(b), sum(kinds.values()), kind))
    return charts.graph(
        nodes, links, title="Who helps whom", ident="people", size=640
    )


@refusals
@require_GET
def health(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    community = selectors.health_community(viewer=viewer, slug=slug)
    period = request.GET.get("period") or Period.MONTH
    tz = request.GET.get("tz", "")
    error = ""
    status = 200
    try:
        h = selectors.community_health(
            viewer=viewer, community=community, period=period, tz=tz
        )
    except ValidationError as exc:
        error, status = pages.flat(exc), 400
        period, tz = Period.MONTH, ""
        h = selectors.community_health(viewer=viewer, community=community)
    return render(
        request,
        "analytics/health.html",
        {
            "community": community,
            "h": h,
            "figs": h.figures,
            "net": h.network,
            "charts": _charts(h.figures),
            "dept_chart": _department_chart(h.network),
            "period": period,
            "periods": Period.choices,
            "error": error,
            "kinds": KINDS,
            "cycles": Cycle.choices,
        },
        status=status,
    )


@refusals
@require_GET
def people(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    community = selectors.health_community(viewer=viewer, slug=slug)
    selectors.require_people(viewer, community)
    net = selectors.help_network(viewer=viewer, community=community)
    return render(
        request,
        "analytics/network.html",
        {
            "community": community,
            "net": net,
            "chart": _people_chart(net),
            "kinds": KINDS,
            "dashes": charts.DASH,
            "shown": PEOPLE_SHOWN,
            "pairs": net.strongest(PAIRS_SHOWN),
            "pairs_shown": PAIRS_SHOWN,
        },
    )


@refusals
@require_GET
def overview(request: Request) -> HttpResponse:
    viewer = request.user
    period = request.GET.get("period") or Period.MONTH
    error = ""
    access.require(viewer, "sponsor_overview")
    try:
        o = selectors.overview(
            viewer=viewer, period=period, tz=request.GET.get("tz", "")
        )
    except ValidationError as exc:
        error = pages.flat(exc)
        period = Period.MONTH
        o = selectors.overview(viewer=viewer)
    return render(
        request,
        "analytics/overview.html",
        {
            "o": o,
            "figs": o.figures,
            "charts": _charts(o.figures),
            "period": period,
            "periods": Period.choices,
            "error": error,
            "cycles": Cycle.choices,
        },
        status=400 if error else 200,
    )


# --- value stories -------------------------------------------------------


@refusals
@require_GET
def stories(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    community = communities.community_get(viewer=viewer, slug=slug)
    cycle = request.GET.get("cycle", "")
    error = ""
    try:
        page = selectors.story_list(
            viewer=viewer,
            community=community,
            cycle=cycle,
            cursor=request.GET.get("cursor") or None,
        )
    except ValidationError as exc:
        error, cycle = pages.flat(exc), ""
        page = selectors.story_list(viewer=viewer, community=community)
    return render(
        request,
        "analytics/stories.html",
        {
            "community": community,
            "page": page,
            "cycle": cycle,
            "cycles": Cycle.choices,
            "error": error,
            "may_tell": access.can(viewer, "tell_story", community),
            "may_curate": access.can(viewer, "curate_stories", community),
        },
        status=400 if error else 200,
    )


@login_required
@refusals
def story_new(request: Request, slug: str) -> HttpResponse:
    user = pages.me(request)
    community = communities.community_get(viewer=user, slug=slug)
    access.require(user, "tell_story", community)
    initial = {"links": request.GET.get("link", "")}
    form = StoryForm(pages.posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            story = services.story_create(
                author=user,
                community=community,
                title=form.cleaned_data["title"],
                cycle=form.cleaned_data["cycle"],
                happened=form.cleaned_data["happened"],
                difference=form.cleaned_data["difference"],
                links=form.link_list(),
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            messages.success(request, "Thank you: your story is recorded.")
            return redirect("analytics:story", pk=story.pk)
    return render(
        request,
        "analytics/story_form.html",
        {"community": community, "form": form},
    )


@refusals
@require_GET
def story(request: Request, pk: int) -> HttpResponse:
    viewer = request.user
    s = selectors.story_get(viewer=viewer, pk=pk)
    return render(
        request,
        "analytics/story.html",
        {
            "s": s,
            "community": s.community,
            "links": selectors.story_links(s),
            "may_curate": access.can(viewer, "curate_stories", s.community),
            "hide_form": HideForm(),
        },
    )


@login_required
@refusals
@require_POST
def story_feature(request: Request, pk: int) -> HttpResponse:
    user = pages.me(request)
    s = selectors.story_get(viewer=user, pk=pk)
    featured = request.POST.get("featured", "1") == "1"
    try:
        services.story_feature(actor=user, story=s, featured=featured)
    except ValidationError as exc:
        messages.error(request, pages.flat(exc))
    else:
        messages.success(
            request,
            "Featured: it shows first, on the health page too."
            if featured
            else "No longer featured.",
        )
    return redirect("analytics:story", pk=s.pk)


@login_required
@refusals
@require_POST
def story_hide(request: Request, pk: int) -> HttpResponse:
    user = pages.me(request)
    s = selectors.story_get(viewer=user, pk=pk)
    hidden = request.POST.get("hidden", "1") == "1"
    try:
        services.story_hide(
            actor=user,
            story=s,
            hidden=hidden,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, pages.flat(exc))
    else:
        messages.success(
            request, "Taken off the list." if hidden else "Shown again."
        )
    return redirect("analytics:story", pk=s.pk)


# --- reflections ---------------------------------------------------------


@refusals
@require_GET
def reflections(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    community = selectors.health_community(viewer=viewer, slug=slug)
    page = selectors.reflection_list(
        viewer=viewer,
        community=community,
        cursor=request.GET.get("cursor") or None,
    )
    return render(
        request,
        "analytics/reflections.html",
        {
            "community": community,
            "page": page,
            "may_reflect": access.can(viewer, "reflect", community),
        },
    )


@refusals
@require_GET
def reflection(request: Request, pk: int) -> HttpResponse:
    r = selectors.reflection_get(viewer=request.user, pk=pk)
    return render(
        request,
        "analytics/reflection.html",
        {
            "r": r,
            "community": r.community,
            "figures": [f for f in r.figures.values() if isinstance(f, dict)],
        },
    )


@login_required
@refusals
def reflection_new(request: Request, slug: str) -> HttpResponse:
    user = pages.me(request)
    community = selectors.health_community(viewer=user, slug=slug)
    access.require(user, "reflect", community)
    zone = selectors.zone_for(user)
    period = request.GET.get("period") or Period.MONTH
    try:
        period = selectors.period_of(period)
    except ValidationError as exc:
        messages.error(request, pages.flat(exc))
        period = Period.MONTH
    choices = [
        (b.first_day.isoformat(), b.label(period))
        for b in selectors.past_periods(period, zone)
    ]
    data = pages.posted(request)
    start = (data or request.GET).get("start") or choices[0][0]
    draft: dict[str, Any] = {}
    try:
        draft = selectors.reflection_draft(
            viewer=user, community=community, period=period, start=start
        )
    except ValidationError as exc:
        messages.error(request, pages.flat(exc))
        start = choices[0][0]
        draft = selectors.reflection_draft(
            viewer=user, community=community, period=period, start=start
        )
    form = ReflectionForm(
        data,
        periods=choices,
        initial={
            "start": draft["start"].isoformat(),
            "what": draft["what"],
            "so_what": draft["so_what"],
            "now_what": draft["now_what"],
        },
    )
    if form.is_bound and form.is_valid():
        try:
            r = services.reflection_save(
                author=user,
                community=community,
                period=period,
                start=form.cleaned_data["start"],
                what=form.cleaned_data["what"],
                so_what=form.cleaned_data["so_what"],
                now_what=form.cleaned_data["now_what"],
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            messages.success(request, "Reflection saved.")
            return redirect("analytics:reflection", pk=r.pk)
    return render(
        request,
        "analytics/reflection_form.html",
        {
            "community": community,
            "form": form,
            "draft": draft,
            "period": period,
            "periods": Period.choices,
            "figures": [
                f for f in draft["figures"].values() if isinstance(f, dict)
            ],
            "here": reverse("analytics:reflection_new", args=[slug]),
        },
    )
