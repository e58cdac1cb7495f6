"""Every read about help and mentoring, filtered by access.

Also the selectors other apps import (keep their names): ``help_edges``,
``pathway_progress`` and ``mentor_load``.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from practica import access
from practica.accounts.models import Department, Expertise, Skill, User
from practica.communities.models import Community, Membership, Role, Status
from practica.core.models import Activity
from practica.mentoring import matching, windows
from practica.mentoring.models import (
    LIVE_MATCH,
    CheckIn,
    Feedback,
    HelpOffer,
    HelpRequest,
    Match,
    MatchState,
    Mentorship,
    MentorshipNote,
    MentorshipState,
    Pathway,
    PathwayProgress,
    PathwayStep,
    RequestState,
    StepDone,
)

HISTORY_DAYS = 90  # "this quarter"
PERSON = ("id", "display_name", "email", "handle", "time_zone", "department")


def month_start(now: datetime | None = None) -> datetime:
    """The first moment of the current month (UTC): capacity is per
    calendar month."""
    now = now or timezone.now()
    return now.astimezone(UTC).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )


def places_used(
    offer_ids: list[int], *, now: datetime | None = None
) -> dict[int, int]:
    """Places each offer uses this month: matches waiting for answers,
    matches accepted this month, and mentorships still running from
    earlier months."""
    start = month_start(now)
    used: Counter[int] = Counter()
    rows = (
        Match.objects.filter(offer_id__in=offer_ids)
        .filter(
            Q(state=MatchState.PROPOSED)
            | Q(
                state__in=(MatchState.ACCEPTED, MatchState.CONFIRMED),
                created_at__gte=start,
            )
        )
        .values("offer_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        used[row["offer_id"]] += row["n"]
    running = (
        Mentorship.objects.filter(
            match__offer_id__in=offer_ids,
            state=MentorshipState.ACTIVE,
            match__created_at__lt=start,
        )
        .values("match__offer_id")
        .annotate(n=Count("id"))
    )
    for offer_id, n in running.values_list("match__offer_id", "n"):
        used[offer_id] += n
    return dict(used)


# --- matching inputs -------------------------------------------------------


@dataclass
class MatchingData:
    offers: list[matching.Offer]
    needs: list[matching.Need]
    names: matching.Names
    offer_rows: dict[int, HelpOffer]
    request_rows: dict[int, HelpRequest]
    used: dict[int, int] = field(default_factory=dict)


def _history(
    community: Community, people: list[int], now: datetime
) -> dict[int, matching.History]:
    since = now - timedelta(days=HISTORY_DAYS)
    helped: dict[int, set[int]] = defaultdict(set)
    for helper, requester in Match.objects.filter(
        community=community,
        helper_id__in=people,
        state__in=(MatchState.ACCEPTED, MatchState.CONFIRMED),
        decided_at__gte=since,
    ).values_list("helper_id", "requester_id"):
        helped[helper].add(requester)
    mine = set(people)
    answers: Counter[int] = Counter()
    marks: Counter[int] = Counter()
    for verb, data in Activity.objects.filter(
        community_id=community.pk,
        verb__in=("reply.accepted", "reply.worked"),
        created_at__gte=since,
    ).values_list("verb", "data"):
        who = (data or {}).get("answerer")
        if who in mine:
            (answers if verb == "reply.accepted" else marks)[who] += 1
    mentored = Counter(
        dict(
            Mentorship.objects.filter(
                community=community, mentor_id__in=people
            )
            .values("mentor_id")
            .annotate(n=Count("id"))
            .values_list("mentor_id", "n")
        )
    )
    return {
        p: matching.History(
            helped=len(helped[p]),
            accepted_answers=answers[p],
            helped_marks=marks[p],
            mentorships=mentored[p],
        )
        for p in people
    }


def _offer_rows(community: Community) -> QuerySet[HelpOffer]:
    return (
        HelpOffer.objects.filter(community=community)
        .select_related("person")
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.only("id", "name")),
            Prefetch(
                "departments", queryset=Department.objects.only("id", "name")
            ),
        )
    )


def _request_rows(community: Community) -> QuerySet[HelpRequest]:
    return (
        HelpRequest.objects.filter(community=community)
        .select_related("requester")
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.only("id", "name"))
        )
    )


def matching_data(
    community: Community,
    *,
    offers: list[HelpOffer] | None = None,
    requests: list[HelpRequest] | None = None,
    now: datetime | None = None,
) -> MatchingData:
    """Active offers and open requests of a community (or the ones
    given) as plain data for the engine, in a fixed number of queries."""
    now = now or timezone.now()
    if offers is None:
        offers = list(_offer_rows(community).filter(active=True))
    if requests is None:
        requests = list(
            _request_rows(community).filter(state=RequestState.OPEN)
        )
    people = sorted({o.person_id for o in offers})
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for user_id, skill_id, level in Expertise.objects.filter(
        user_id__in=people
    ).values_list("user_id", "skill_id", "level"):
        levels[user_id][skill_id] = level
    used = places_used([o.pk for o in offers], now=now)
    history = _history(community, people, now)
    skill_names: dict[int, str] = {}
    out_offers = []
    for o in offers:
        skills = {}
        for s in o.skills.all():
            skill_names[s.pk] = s.name
            if s.pk in levels[o.person_id]:
                skills[s.pk] = levels[o.person_id][s.pk]
        out_offers.append(
            matching.Offer(
                id=o.pk,
                person=o.person_id,
                skills=skills,
                formats=frozenset(o.formats),
                capacity=o.capacity,
                capacity_left=max(o.capacity - used.get(o.pk, 0), 0),
                time_zone=o.time_zone,
                windows=windows.as_windows(o.windows),
                department=o.person.department_id,
                glad_departments=frozenset(d.pk for d in o.departments.all()),
                history=history[o.person_id],
            )
        )
    needs = []
    for r in requests:
        for s in r.skills.all():
            skill_names[s.pk] = s.name
        needs.append(
            matching.Need(
                id=r.pk,
                person=r.requester_id,
                skills=frozenset(s.pk for s in r.skills.all()),
                format=r.format,
                urgency=r.urgency,
                time_zone=r.time_zone,
                windows=windows.as_windows(r.windows),
                department=r.requester.department_id,
            )
        )
    names = matching.Names(
        skills=skill_names,
        departments=dict(Department.objects.values_list("id", "name")),
        community=community.name,
    )
    return MatchingData(
        offers=out_offers,
        needs=needs,
        names=names,
        offer_rows={o.pk: o for o in offers},
        request_rows={r.pk: r for r in requests},
        used=used,
    )


# --- the coordinator's board -----------------------------------------------


@dataclass
class Suggestion:
    request: HelpRequest
    offer: HelpOffer | None
    score: float
    reasons: list[str]
    # Other helpers a coordinator may pick instead: (offer, score, reasons)
    others: list[tuple[HelpOffer, float, list[str]]]


@dataclass
class Board:
    community: Community
    suggestions: list[Suggestion]
    live: list[Match]
    loads: list[dict[str, Any]]
    prefer_crossing: bool
    open_requests: int
    places_left: int


def board(
    *,
    viewer: Any,
    community: Community,
    prefer_crossing: bool = False,
    monday: date | None = None,
) -> Board:
    """The matching board: the engine's assignment for every open request
    without a live match, with reasons and alternatives, the matches
    waiting for answers and each helper's load (coordinators only)."""
    access.require(viewer, "match_help", community)
    live = list(
        Match.objects.filter(community=community, state__in=LIVE_MATCH)
        .select_related(
            "helper", "requester", "request", "community", "mentorship"
        )
        .order_by("-created_at", "-id")
    )
    waiting = {m.request_id for m in live}
    requests = [
        r
        for r in _request_rows(community).filter(state=RequestState.OPEN)
        if r.pk not in waiting
    ]
    data = matching_data(community, requests=requests)
    weights = matching.Weights(prefer_crossing=prefer_crossing)
    monday = monday or matching.week_start()
    declined = set(
        Match.objects.filter(
            community=community, state=MatchState.DECLINED
        ).values_list("request_id", "offer_id")
    )
    scores = matching.score_all(
        data.offers, data.needs, weights=weights, monday=monday
    )
    pairs = {
        p.need: p
        for p in matching.assign(
            data.offers,
            data.needs,
            weights=weights,
            monday=monday,
            exclude=declined,
            scores=scores,
        )
    }
    by_offer = {o.id: o for o in data.offers}

    def why(offer_id: int, need: matching.Need) -> list[str]:
        return matching.explain(
            by_offer[offer_id],
            need,
            names=data.names,
            weights=weights,
            monday=monday,
        )

    suggestions = []
    for row, need in enumerate(data.needs):
        pair = pairs.get(need.id)
        others = [
            (
                data.offer_rows[data.offers[j].id],
                s,
                why(data.offers[j].id, need),
            )
            for j, s in matching.candidates(scores, row, k=4)
            if (pair is None or data.offers[j].id != pair.offer)
            and (need.id, data.offers[j].id) not in declined
        ][:3]
        suggestions.append(
            Suggestion(
                request=data.request_rows[need.id],
                offer=data.offer_rows[pair.offer] if pair else None,
                score=pair.score if pair else 0.0,
                reasons=why(pair.offer, need) if pair else [],
                others=others,
            )
        )
    suggestions.sort(key=lambda s: (s.offer is None, -s.score))
    return Board(
        community=community,
        suggestions=suggestions,
        live=live,
        loads=mentor_load(community),
        prefer_crossing=prefer_crossing,
        open_requests=len(data.needs) + len(waiting),
        places_left=sum(o.capacity_left for o in data.offers),
    )


# --- lists and pages -------------------------------------------------------


def offer_list(*, viewer: Any, community: Community) -> list[HelpOffer]:
    """A community's active offers (members)."""
    access.require(viewer, "help", community)
    return list(_offer_rows(community).filter(active=True))


def offer_get(*, viewer: Any, pk: int) -> HelpOffer:
    o = _offer_rows_all().select_related("community").filter(pk=pk).first()
    if o is None or not access.can(viewer, "view", o):
        raise Http404("No such help offer.")
    return o


def _offer_rows_all() -> QuerySet[HelpOffer]:
    return HelpOffer.objects.select_related("person").prefetch_related(
        "skills", "departments"
    )


def offer_mine(*, viewer: Any, community: Community) -> HelpOffer | None:
    """The viewer's offer in a community, if any."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    return _offer_rows_all().filter(person=viewer, community=community).first()


def request_list(
    *, viewer: Any, community: Community, state: str = RequestState.OPEN
) -> list[HelpRequest]:
    """A community's requests in a state (members)."""
    access.require(viewer, "help", community)
    qs = _request_rows(community)
    if state:
        qs = qs.filter(state=state)
    return list(qs[:200])


def request_get(*, viewer: Any, pk: int) -> HelpRequest:
    r = (
        HelpRequest.objects.select_related("community", "requester", "source")
        .prefetch_related("skills")
        .filter(pk=pk)
        .first()
    )
    if r is None or not access.can(viewer, "view", r):
        raise Http404("No such help request.")
    return r


def match_get(*, viewer: Any, pk: int) -> Match:
    m = (
        Match.objects.select_related(
            "community",
            "helper",
            "requester",
            "request",
            "offer",
            "mentorship",
            "proposed_by",
        )
        .filter(pk=pk)
        .first()
    )
    if m is None or not access.can(viewer, "view", m):
        raise Http404("No such match.")
    return m


@dataclass
class MyHelp:
    offers: list[HelpOffer]
    requests: list[HelpRequest]
    matches: list[Match]
    mentorships: list[Mentorship]
    used: dict[int, int]


def my_help(*, viewer: User) -> MyHelp:
    """The viewer's offers, requests, matches and mentorships."""
    offers = list(
        _offer_rows_all().select_related("community").filter(person=viewer)
    )
    requests = list(
        HelpRequest.objects.filter(requester=viewer)
        .select_related("community")
        .prefetch_related("skills")[:100]
    )
    matches = list(
        Match.objects.filter(Q(helper=viewer) | Q(requester=viewer))
        .select_related(
            "community",
            "helper",
            "requester",
            "request",
            "mentorship",
            "proposed_by",
        )
        .order_by("-created_at", "-id")[:100]
    )
    mentorships = list(
        Mentorship.objects.filter(
            Q(mentor=viewer) | Q(mentee=viewer)
        ).select_related("community", "mentor", "mentee")[:100]
    )
    return MyHelp(
        offers=offers,
        requests=requests,
        matches=matches,
        mentorships=mentorships,
        used=places_used([o.pk for o in offers]),
    )


@dataclass
class MentorshipPage:
    mentorship: Mentorship
    checkins: list[CheckIn]
    notes: list[MentorshipNote]  # shared, and the viewer's private ones
    feedback: list[Feedback]
    is_party: bool
    next_checkin: CheckIn | None


def mentorship_get(*, viewer: Any, pk: int) -> Mentorship:
    m = (
        Mentorship.objects.select_related(
            "community", "mentor", "mentee", "match"
        )
        .filter(pk=pk)
        .first()
    )
    if m is None or not access.can(viewer, "view", m):
        raise Http404("No such mentorship.")
    return m


def mentorship_page(*, viewer: Any, pk: int) -> MentorshipPage:
    """A mentorship with its check-ins, the notes the viewer may read
    (private notes only to their author) and the feedback."""
    m = mentorship_get(viewer=viewer, pk=pk)
    checkins = list(m.checkins.select_related("done_by"))
    notes = list(
        m.notes.filter(
            Q(private=False) | Q(author_id=viewer.pk)
        ).select_related("author")
    )
    feedback = list(m.feedback.select_related("author"))
    is_party = viewer.pk in (m.mentor_id, m.mentee_id)
    upcoming = [c for c in checkins if c.done_at is None]
    return MentorshipPage(
        mentorship=m,
        checkins=checkins,
        notes=notes,
        feedback=feedback,
        is_party=is_party,
        next_checkin=upcoming[0] if upcoming else None,
    )


def mentorship_list(*, viewer: Any, community: Community) -> list[Mentorship]:
    """A community's mentorships (coordinators)."""
    access.require(viewer, "match_help", community)
    return list(
        Mentorship.objects.filter(community=community).select_related(
            "mentor", "mentee"
        )
    )


def due_checkins(*, now: datetime, within: timedelta) -> QuerySet[CheckIn]:
    """Check-ins of active mentorships due before ``now + within`` and
    not yet recorded (for the reminder task)."""
    return CheckIn.objects.filter(
        done_at__isnull=True,
        due_at__lte=now + within,
        due_at__gte=now - timedelta(days=7),
        mentorship__state=MentorshipState.ACTIVE,
    ).select_related(
        "mentorship__mentor", "mentorship__mentee", "mentorship__community"
    )


# --- loads, edges, progress (also read by analytics) --------------------


def mentor_load(community: Community) -> list[dict[str, Any]]:
    """Each helper's load in a community: places a month, places used,
    matches waiting, active mentorships. Heaviest first."""
    offers = list(
        HelpOffer.objects.filter(community=community).select_related("person")
    )
    used = places_used([o.pk for o in offers])
    waiting = Counter(
        dict(
            Match.objects.filter(community=community, state__in=LIVE_MATCH)
            .values("helper_id")
            .annotate(n=Count("id"))
            .values_list("helper_id", "n")
        )
    )
    active = Counter(
        dict(
            Mentorship.objects.filter(
                community=community, state=MentorshipState.ACTIVE
            )
            .values("mentor_id")
            .annotate(n=Count("id"))
            .values_list("mentor_id", "n")
        )
    )
    rows: list[dict[str, Any]] = [
        {
            "person_id": o.person_id,
            "name": o.person.name,
            "offer_id": o.pk,
            "active": o.active,
            "capacity": o.capacity,
            "used": used.get(o.pk, 0),
            "left": max(o.capacity - used.get(o.pk, 0), 0),
            "waiting": waiting[o.person_id],
            "mentorships": active[o.person_id],
        }
        for o in offers
    ]
    rows.sort(key=lambda r: (-r["used"] / r["capacity"], r["name"]))
    return rows


def help_edges(
    community: Community, *, start: datetime, end: datetime
) -> list[tuple[int, int, str]]:
    """Who helped whom between ``start`` and ``end``: (helper id, helped
    id, "mentoring") for each match both accepted (or confirmed) and each
    mentorship started then."""
    edges = set()
    for helper, helped in Match.objects.filter(
        community=community,
        state__in=(MatchState.ACCEPTED, MatchState.CONFIRMED),
        decided_at__gte=start,
        decided_at__lt=end,
    ).values_list("helper_id", "requester_id"):
        edges.add((helper, helped))
    for mentor, mentee in Mentorship.objects.filter(
        community=community, started_at__gte=start, started_at__lt=end
    ).values_list("mentor_id", "mentee_id"):
        edges.add((mentor, mentee))
    return [(a, b, "mentoring") for a, b in sorted(edges)]


def target_exists(step: PathwayStep) -> bool:
    """Whether a step's target (if any) is still there."""
    if step.target_type_id is None and step.target_id is None:
        return True
    if step.target_type is None:
        return False
    model = step.target_type.model_class()
    return (
        model is not None
        and model._default_manager.filter(pk=step.target_id).exists()
    )


def pathway_of(community: Community) -> Pathway | None:
    return (
        Pathway.objects.filter(community=community)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=PathwayStep.objects.select_related("target_type"),
            )
        )
        .first()
    )


def _newcomers(community: Community) -> list[Membership]:
    return list(
        Membership.objects.filter(
            community=community, status=Status.ACTIVE, role=Role.NEWCOMER
        ).select_related("user")
    )


def pathway_progress(community: Community) -> list[dict[str, Any]]:
    """Every newcomer (and everyone who finished) on the community's
    pathway: steps done of steps, last progress, stuck or not."""
    pathway = pathway_of(community)
    if pathway is None:
        return []
    now = timezone.now()
    steps = list(pathway.steps.all())
    progress = {
        p.person_id: p for p in PathwayProgress.objects.filter(pathway=pathway)
    }
    done: dict[int, dict[int, datetime]] = defaultdict(dict)
    for person, step, at in StepDone.objects.filter(
        step__pathway=pathway
    ).values_list("person_id", "step_id", "done_at"):
        done[person][step] = at
    members = {m.user_id: m for m in _newcomers(community)}
    extra = [pid for pid in progress if pid not in members]
    people = {m.user_id: m.user for m in members.values()}
    if extra:
        people.update(
            {u.pk: u for u in User.objects.filter(pk__in=extra).only(*PERSON)}
        )
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(
            community=community, user_id__in=extra
        )
    }
    memberships.update(members)
    rows = []
    for pid, someone in people.items():
        p = progress.get(pid)
        mine = done.get(pid, {})
        m = memberships.get(pid)
        since = (
            p.last_step_at or p.started_at
            if p
            else (m.joined_at or m.created_at if m else now)
        )
        complete = bool(steps) and all(s.pk in mine for s in steps)
        next_step = next((s for s in steps if s.pk not in mine), None)
        rows.append(
            {
                "person_id": pid,
                "name": someone.name,
                "role": m.role if m else "",
                "done": len([s for s in steps if s.pk in mine]),
                "steps": len(steps),
                "done_steps": [s.pk for s in steps if s.pk in mine],
                "next_step": next_step.title if next_step else "",
                "last_progress_at": since,
                "completed_at": p.completed_at if p else None,
                "promoted_at": p.promoted_at if p else None,
                "complete": complete,
                "stuck": not complete
                and (now - since) > timedelta(days=pathway.stuck_days),
                "days_idle": (now - since).days,
            }
        )
    rows.sort(key=lambda r: (not r["stuck"], r["complete"], r["name"]))
    return rows


@dataclass
class PathwayView:
    pathway: Pathway
    steps: list[tuple[PathwayStep, datetime | None, bool, str]]
    # (step, done at, target still there, target url)
    done: int
    complete: bool


def _target_url(step: PathwayStep) -> str:
    if step.target_type is None or step.target_id is None:
        return ""
    from django.urls import NoReverseMatch, reverse

    names = {
        ("repertoire", "artifact"): "repertoire:detail",
        ("conversations", "conversation"): "conversations:detail",
        ("events", "event"): "events:detail",
    }
    name = names.get((step.target_type.app_label, step.target_type.model))
    if name is None:
        return ""
    try:
        return reverse(name, args=[step.target_id])
    except NoReverseMatch:
        return ""


def pathway_view(
    *, viewer: Any, community: Community, person: User | None = None
) -> PathwayView | None:
    """The pathway with one person's progress (the viewer's own unless a
    coordinator asks for someone else's)."""
    pathway = pathway_of(community)
    if pathway is None:
        return None
    access.require(viewer, "view", pathway)
    person = person or viewer
    if person.pk != viewer.pk:
        access.require(viewer, "edit", pathway)
    done = dict(
        StepDone.objects.filter(
            step__pathway=pathway, person=person
        ).values_list("step_id", "done_at")
    )
    steps = list(pathway.steps.all())
    ct_ids: dict[int, set[int]] = defaultdict(set)
    for s in steps:
        if s.target_type_id and s.target_id:
            ct_ids[s.target_type_id].add(s.target_id)
    present: set[tuple[int, int]] = set()
    for ct_id, ids in ct_ids.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        present |= {
            (ct_id, pk)
            for pk in model._default_manager.filter(pk__in=ids).values_list(
                "pk", flat=True
            )
        }
    rows = []
    for s in steps:
        exists = (
            s.target_type_id is None
            or (s.target_type_id, s.target_id) in present
        )
        if s.target_type_id is None and s.target_id is not None:
            exists = False
        rows.append(
            (s, done.get(s.pk), exists, _target_url(s) if exists else "")
        )
    n_done = sum(1 for s in steps if s.pk in done)
    return PathwayView(
        pathway=pathway,
        steps=rows,
        done=n_done,
        complete=bool(steps) and n_done == len(steps),
    )
