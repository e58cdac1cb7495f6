"""The help and mentoring API: offers, requests, the matching board,
matches and their answers, mentorships, pathways and progress.

A refusal about a field (a helper with no place left, a person matched
with themselves, a target that was deleted) is a 422 naming the field; a
refusal about the state of what the path names (accepting a match on a
closed request) is a 409. Nothing is written in either case.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Status

from practica import access
from practica.accounts.models import User
from practica.accounts.schemas import PersonRefOut
from practica.api.auth import actor
from practica.api.problems import problems
from practica.communities import selectors as communities
from practica.communities.models import Community
from practica.conversations import selectors as conversations
from practica.mentoring import selectors, services
from practica.mentoring.models import (
    HelpOffer,
    HelpRequest,
    Match,
    Mentorship,
    PathwayStep,
    RequestState,
)
from practica.mentoring.schemas import (
    AdjustIn,
    CandidateOut,
    CheckInIn,
    CheckInOut,
    CloseIn,
    FeedbackIn,
    LoadOut,
    MatchIn,
    MatchOut,
    MentorshipDetailOut,
    MentorshipIn,
    MentorshipOut,
    MentorshipPatch,
    MyHelpOut,
    NoteIn,
    NoteOut,
    OfferIn,
    OfferOut,
    PathwayIn,
    PathwayOut,
    ProgressOut,
    PromoteIn,
    RequestIn,
    RequestOut,
    SuggestionOut,
    TickOut,
)

router = Router(tags=["mentoring"])


def _community(user: User, slug: str) -> Community:
    return communities.community_get(viewer=user, slug=slug)


def _match(user: User, pk: int) -> Match:
    return selectors.match_get(viewer=user, pk=pk)


def _offer_in(community: Community, pk: int) -> HelpOffer:
    o = HelpOffer.objects.filter(pk=pk, community=community).first()
    if o is None:
        raise Http404("No such help offer in this community.")
    return o


# --- offers and requests ---------------------------------------------------


@router.get(
    "/communities/{slug}/help/offers",
    response={200: list[OfferOut], **problems(401, 403, 404)},
)
def help_offer_list(request: HttpRequest, slug: str) -> list[HelpOffer]:
    """The community's active help offers (members)."""
    user = actor(request)
    return selectors.offer_list(viewer=user, community=_community(user, slug))


@router.put(
    "/communities/{slug}/help/offer",
    response={200: OfferOut, **problems(401, 403, 404, 422)},
)
def help_offer_save(
    request: HttpRequest, slug: str, payload: OfferIn
) -> HelpOffer:
    """Offer help in a community, or replace your offer (one each).

    Skills must be on your profile's expertise: the matcher weighs your
    level there. Capacity is people a month (1 to 20).
    """
    user = actor(request)
    return services.offer_save(
        actor=user,
        community=_community(user, slug),
        skills=payload.skills,
        formats=payload.formats,
        capacity=payload.capacity,
        windows_=[w.model_dump() for w in payload.windows],
        time_zone=payload.time_zone,
        departments=payload.departments,
        note=payload.note,
        active=payload.active,
    )


@router.get(
    "/communities/{slug}/help/requests",
    response={200: list[RequestOut], **problems(401, 403, 404)},
)
def help_request_list(
    request: HttpRequest, slug: str, state: RequestState = RequestState.OPEN
) -> list[HelpRequest]:
    """The community's help requests in a state (open by default)."""
    user = actor(request)
    return selectors.request_list(
        viewer=user, community=_community(user, slug), state=state
    )


@router.post(
    "/communities/{slug}/help/requests",
    response={201: RequestOut, **problems(401, 403, 404, 422)},
)
def help_request_create(
    request: HttpRequest, slug: str, payload: RequestIn
) -> Status[HelpRequest]:
    """Ask for help, in words; source_question turns an unsolved question
    into a request."""
    user = actor(request)
    community = _community(user, slug)
    source = None
    if payload.source_question is not None:
        try:
            source = conversations.conversation_get(
                viewer=user, pk=payload.source_question
            )
        except Http404 as exc:
            raise ValidationError(
                {"source_question": "No such question."}
            ) from exc
    r = services.request_create(
        actor=user,
        community=community,
        title=payload.title,
        need=payload.need,
        skills=payload.skills,
        urgency=payload.urgency,
        format=payload.format,
        time_zone=payload.time_zone,
        windows_=[w.model_dump() for w in payload.windows],
        source=source,
    )
    return Status(201, selectors.request_get(viewer=user, pk=r.pk))


@router.get(
    "/help/requests/{request_id}",
    response={200: RequestOut, **problems(401, 404)},
)
def help_request_get(request: HttpRequest, request_id: int) -> HelpRequest:
    """One help request."""
    return selectors.request_get(viewer=actor(request), pk=request_id)


@router.post(
    "/help/requests/{request_id}/close",
    response={200: RequestOut, **problems(401, 403, 404, 409)},
)
def help_request_close(
    request: HttpRequest, request_id: int, payload: CloseIn
) -> HelpRequest:
    """Close a request (the asker or a coordinator); a match waiting for
    answers is declined with it."""
    user = actor(request)
    r = selectors.request_get(viewer=user, pk=request_id)
    services.request_close(actor=user, request=r, reason=payload.reason)
    return selectors.request_get(viewer=user, pk=request_id)


@router.get("/me/help", response={200: MyHelpOut, **problems(401)})
def help_mine(request: HttpRequest) -> dict[str, Any]:
    """Your offers, requests, matches and mentorships."""
    my = selectors.my_help(viewer=actor(request))
    return {
        "offers": my.offers,
        "requests": my.requests,
        "matches": my.matches,
        "mentorships": my.mentorships,
    }


# --- the board and matches ---------------------------------------------------


def _candidate(o: HelpOffer, score: float, reasons: list[str]) -> Any:
    return CandidateOut(
        offer_id=o.pk,
        helper=PersonRefOut(id=o.person_id, name=o.person.name),
        score=round(score, 4),
        reasons=reasons,
    )


@router.get(
    "/communities/{slug}/help/board",
    response={200: list[SuggestionOut], **problems(401, 403, 404)},
)
def help_board(
    request: HttpRequest, slug: str, crossing: bool = False
) -> list[dict[str, Any]]:
    """The engine's global assignment for every open request without a
    match waiting (coordinators): the suggested helper and up to three
    others, each with reasons. crossing prefers helping across
    departments. Nothing is stored: propose the pairs you want."""
    user = actor(request)
    board = selectors.board(
        viewer=user, community=_community(user, slug), prefer_crossing=crossing
    )
    return [
        {
            "request": s.request,
            "suggested": _candidate(s.offer, s.score, s.reasons)
            if s.offer
            else None,
            "others": [_candidate(o, sc, rs) for o, sc, rs in s.others],
        }
        for s in board.suggestions
    ]


@router.get(
    "/communities/{slug}/help/load",
    response={200: list[LoadOut], **problems(401, 403, 404)},
)
def help_load(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Each helper's load this month, heaviest first (coordinators)."""
    user = actor(request)
    community = _community(user, slug)
    access.require(user, "match_help", community)
    return selectors.mentor_load(community)


@router.post(
    "/help/matches",
    response={201: MatchOut, **problems(401, 403, 404, 422)},
)
def match_propose(request: HttpRequest, payload: MatchIn) -> Status[Match]:
    """Propose a helper for a request: a coordinator, the asker or the
    helper (whose own side then counts as accepted).

    422 when the helper has no place left this month, when it would
    match someone with themselves, when the request is not open or
    already has a match waiting, or when the pair was declined before.
    """
    user = actor(request)
    r = selectors.request_get(viewer=user, pk=payload.request_id)
    o = _offer_in(r.community, payload.offer_id)
    m = services.match_propose(actor=user, offer=o, request=r)
    return Status(201, _match(user, m.pk))


@router.get(
    "/help/matches/{match_id}",
    response={200: MatchOut, **problems(401, 404)},
)
def match_get(request: HttpRequest, match_id: int) -> Match:
    """One match (its two people and the coordinators)."""
    return _match(actor(request), match_id)


@router.post(
    "/help/matches/{match_id}/accept",
    response={200: MatchOut, **problems(401, 403, 404, 409)},
)
def match_accept(request: HttpRequest, match_id: int) -> Match:
    """Accept a match (each of the two people). When both have, the
    request is matched and, for mentoring over weeks, a mentorship
    starts. 409 when the match or its request is no longer open."""
    user = actor(request)
    services.match_answer(
        actor=user, match=_match(user, match_id), accept=True
    )
    return _match(user, match_id)


@router.post(
    "/help/matches/{match_id}/decline",
    response={200: MatchOut, **problems(401, 403, 404, 409)},
)
def match_decline(request: HttpRequest, match_id: int) -> Match:
    """Decline a match (each of the two people); the pair is not
    proposed again."""
    user = actor(request)
    services.match_answer(
        actor=user, match=_match(user, match_id), accept=False
    )
    return _match(user, match_id)


@router.post(
    "/help/matches/{match_id}/confirm",
    response={200: MatchOut, **problems(401, 403, 404, 409)},
)
def match_confirm(request: HttpRequest, match_id: int) -> Match:
    """Confirm the help was given (the person helped or a coordinator);
    the request closes. 409 unless both accepted."""
    user = actor(request)
    services.match_confirm(actor=user, match=_match(user, match_id))
    return _match(user, match_id)


@router.post(
    "/help/matches/{match_id}/adjust",
    response={200: MatchOut, **problems(401, 403, 404, 409, 422)},
)
def match_adjust(
    request: HttpRequest, match_id: int, payload: AdjustIn
) -> Match:
    """Give a proposed match another helper before anyone answered
    (coordinators)."""
    user = actor(request)
    m = _match(user, match_id)
    o = _offer_in(m.community, payload.offer_id)
    services.match_adjust(actor=user, match=m, offer=o)
    return _match(user, match_id)


# --- mentorships -----------------------------------------------------------


def _person(community: Community, pk: int, field: str) -> User:
    u = User.objects.filter(pk=pk, is_active=True).first()
    if u is None:
        raise ValidationError({field: f"No person with id {pk}."})
    return u


@router.post(
    "/communities/{slug}/mentorships",
    response={201: MentorshipOut, **problems(401, 403, 404, 422)},
)
def mentorship_create(
    request: HttpRequest, slug: str, payload: MentorshipIn
) -> Status[Mentorship]:
    """Start a mentorship directly, outside matching (coordinators)."""
    user = actor(request)
    community = _community(user, slug)
    ms = services.mentorship_create(
        actor=user,
        community=community,
        mentor=_person(community, payload.mentor_id, "mentor_id"),
        mentee=_person(community, payload.mentee_id, "mentee_id"),
        goals=payload.goals,
        checkin_days=payload.checkin_days,
    )
    return Status(201, selectors.mentorship_get(viewer=user, pk=ms.pk))


def _detail(user: User, pk: int) -> dict[str, Any]:
    page = selectors.mentorship_page(viewer=user, pk=pk)
    ms = page.mentorship
    out = MentorshipOut.model_validate(ms).model_dump()
    out.update(
        checkins=page.checkins, notes=page.notes, feedback=page.feedback
    )
    return out


@router.get(
    "/mentorships/{mentorship_id}",
    response={200: MentorshipDetailOut, **problems(401, 404)},
)
def mentorship_get(request: HttpRequest, mentorship_id: int) -> Any:
    """A mentorship with its check-ins, the notes you may read (private
    notes only to their author) and the feedback."""
    return _detail(actor(request), mentorship_id)


@router.patch(
    "/mentorships/{mentorship_id}",
    response={200: MentorshipDetailOut, **problems(401, 403, 404, 409, 422)},
)
def mentorship_update(
    request: HttpRequest, mentorship_id: int, payload: MentorshipPatch
) -> Any:
    """Change the goals and the check-in rhythm (mentor or mentee)."""
    user = actor(request)
    ms = selectors.mentorship_get(viewer=user, pk=mentorship_id)
    services.mentorship_update(
        actor=user,
        mentorship=ms,
        goals=payload.goals,
        checkin_days=payload.checkin_days,
    )
    return _detail(user, mentorship_id)


@router.post(
    "/mentorships/{mentorship_id}/checkins",
    response={201: CheckInOut, **problems(401, 403, 404, 409, 422)},
)
def mentorship_checkin(
    request: HttpRequest, mentorship_id: int, payload: CheckInIn
) -> Status[Any]:
    """Record a check-in with a shared summary; the next is scheduled."""
    user = actor(request)
    ms = selectors.mentorship_get(viewer=user, pk=mentorship_id)
    c = services.checkin_record(
        actor=user, mentorship=ms, summary=payload.summary
    )
    return Status(201, c)


@router.post(
    "/mentorships/{mentorship_id}/notes",
    response={201: NoteOut, **problems(401, 403, 404, 422)},
)
def mentorship_note(
    request: HttpRequest, mentorship_id: int, payload: NoteIn
) -> Status[Any]:
    """Add a note: private (only you) or shared with the other person."""
    user = actor(request)
    ms = selectors.mentorship_get(viewer=user, pk=mentorship_id)
    n = services.note_add(
        actor=user, mentorship=ms, body=payload.body, private=payload.private
    )
    return Status(201, n)


@router.post(
    "/mentorships/{mentorship_id}/end",
    response={200: MentorshipDetailOut, **problems(401, 403, 404, 409, 422)},
)
def mentorship_end(
    request: HttpRequest, mentorship_id: int, payload: FeedbackIn
) -> Any:
    """End a mentorship with your feedback (mentor or mentee)."""
    user = actor(request)
    ms = selectors.mentorship_get(viewer=user, pk=mentorship_id)
    services.mentorship_end(
        actor=user,
        mentorship=ms,
        rating=payload.rating,
        feedback=payload.feedback,
    )
    return _detail(user, mentorship_id)


@router.post(
    "/mentorships/{mentorship_id}/feedback",
    response={200: MentorshipDetailOut, **problems(401, 403, 404, 422)},
)
def mentorship_feedback(
    request: HttpRequest, mentorship_id: int, payload: FeedbackIn
) -> Any:
    """The other side's feedback once a mentorship has ended."""
    user = actor(request)
    ms = selectors.mentorship_get(viewer=user, pk=mentorship_id)
    services.feedback_give(
        actor=user,
        mentorship=ms,
        rating=payload.rating,
        feedback=payload.feedback,
    )
    return _detail(user, mentorship_id)


# --- pathways --------------------------------------------------------------


def _pathway(user: User, community: Community) -> dict[str, Any]:
    p = selectors.pathway_of(community)
    if p is not None:
        services.pathway_sync(pathway=p, people=[user.pk])
    view = selectors.pathway_view(viewer=user, community=community)
    if view is None:
        raise Http404("This community has no pathway yet.")
    return {
        "id": view.pathway.pk,
        "title": view.pathway.title,
        "description": view.pathway.description,
        "stuck_days": view.pathway.stuck_days,
        "done": view.done,
        "complete": view.complete,
        "steps": [
            {
                "id": s.pk,
                "position": s.position,
                "kind": s.kind,
                "title": s.title,
                "target_type": f"{s.target_type.app_label}."
                f"{s.target_type.model}"
                if s.target_type
                else "",
                "target_id": s.target_id,
                "target_missing": not exists,
                "done_at": done_at,
            }
            for s, done_at, exists, _url in view.steps
        ],
    }


@router.get(
    "/communities/{slug}/pathway",
    response={200: PathwayOut, **problems(401, 403, 404)},
)
def pathway_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The community's onboarding pathway with your progress (ticked from
    your activity as you ask)."""
    user = actor(request)
    return _pathway(user, _community(user, slug))


@router.put(
    "/communities/{slug}/pathway",
    response={200: PathwayOut, **problems(401, 403, 404, 422)},
)
def pathway_save(
    request: HttpRequest, slug: str, payload: PathwayIn
) -> dict[str, Any]:
    """Define or replace the pathway (coordinators). 422 names a step
    whose target does not exist (or was deleted)."""
    user = actor(request)
    community = _community(user, slug)
    services.pathway_save(
        actor=user,
        community=community,
        title=payload.title,
        description=payload.description,
        stuck_days=payload.stuck_days,
        steps=[s.model_dump() for s in payload.steps],
    )
    return _pathway(user, community)


@router.post(
    "/pathway/steps/{step_id}/tick",
    response={200: TickOut, **problems(401, 403, 404, 409)},
)
def pathway_tick(request: HttpRequest, step_id: int) -> dict[str, bool]:
    """Tick a reading step yourself. 409 for other kinds (they tick from
    what you do) and for a step whose target was deleted."""
    user = actor(request)
    step = (
        PathwayStep.objects.select_related("pathway__community")
        .filter(pk=step_id)
        .first()
    )
    if step is None:
        raise Http404("No such step.")
    _community(user, step.pathway.community.slug)
    return {"ticked": services.step_tick(actor=user, step=step)}


@router.get(
    "/communities/{slug}/pathway/progress",
    response={200: list[ProgressOut], **problems(401, 403, 404)},
)
def pathway_progress_list(
    request: HttpRequest, slug: str
) -> list[dict[str, Any]]:
    """Every newcomer's progress, stuck ones first (coordinators)."""
    user = actor(request)
    community = _community(user, slug)
    access.require(user, "match_help", community)
    p = selectors.pathway_of(community)
    if p is not None:
        services.pathway_sync(pathway=p)
    return selectors.pathway_progress(community)


@router.post(
    "/communities/{slug}/pathway/promote",
    response={200: list[ProgressOut], **problems(401, 403, 404, 422)},
)
def pathway_promote(
    request: HttpRequest, slug: str, payload: PromoteIn
) -> list[dict[str, Any]]:
    """Make a newcomer a member (coordinators), as the pathway's end
    prompts."""
    user = actor(request)
    community = _community(user, slug)
    services.newcomer_promote(
        actor=user,
        community=community,
        person=_person(community, payload.person_id, "person_id"),
    )
    return selectors.pathway_progress(community)
