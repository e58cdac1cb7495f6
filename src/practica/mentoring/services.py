"""Every write about help and mentoring: offers, requests, matches and
their answers, mentorships with check-ins, notes and feedback, pathways
and their progress. Each checks everything first and writes nothing when
anything is wrong.

Activity verbs (notifications and analytics read them): help.offered,
help.requested, help.closed, match.proposed, match.accepted,
match.declined, match.confirmed, mentorship.started, mentorship.checkin,
mentorship.updated, mentorship.note (shared notes only),
mentorship.feedback, mentorship.ended, pathway.saved, pathway.step_done,
pathway.completed; all with the community's id.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from practica import access
from practica.accounts.models import Department, Expertise, Skill, User
from practica.communities import services as communities
from practica.communities.models import Community, Membership, Role, Status
from practica.conversations.models import Conversation
from practica.conversations.models import Kind as ConversationKind
from practica.core import activity, mail, text, validation
from practica.core.models import Activity
from practica.mentoring import matching, selectors, windows
from practica.mentoring.models import (
    LIVE_MATCH,
    Answer,
    CheckIn,
    CheckInReminder,
    Feedback,
    Format,
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
    StepKind,
    Urgency,
)

log = logging.getLogger(__name__)

MAX_CAPACITY = 20
CHECKIN_DAYS = (7, 14, 21, 30)
MAX_STEPS = 20
REMIND_BEFORE = timedelta(hours=24)
# Where a step's target may point: "app_label.model".
TARGETS = {
    "repertoire.artifact",
    "conversations.conversation",
    "events.event",
    "events.occurrence",
}


def _record(
    actor: Any,
    verb: str,
    target: Any,
    community_id: int,
    summary: str = "",
    **data: Any,
) -> None:
    activity.record(
        actor=actor,
        verb=verb,
        target=target,
        community_id=community_id,
        summary=summary,
        data=data,
    )


# --- cleaning ------------------------------------------------------------


def _skills(values: Iterable[Any], field: str = "skills") -> list[Skill]:
    """Skills named by slug, name or id; refuses unknown ones and none."""
    values = [v for v in values if v not in (None, "")]
    if not values:
        raise ValidationError({field: "Choose at least one skill."})
    found: list[Skill] = []
    missing = []
    for v in values:
        if isinstance(v, Skill):
            found.append(v)
            continue
        q = Q(slug=str(v).strip().lower()) | Q(name__iexact=str(v).strip())
        if isinstance(v, int) or str(v).isdigit():
            q |= Q(pk=int(v))
        skill = Skill.objects.filter(q).first()
        if skill is None:
            missing.append(str(v))
        else:
            found.append(skill)
    if missing:
        raise ValidationError(
            {
                field: f"No skill called {', '.join(missing)}: choose from "
                "the skills on people's profiles."
            }
        )
    unique = {s.pk: s for s in found}
    if len(unique) > 10:
        raise ValidationError({field: "Choose at most 10 skills."})
    return list(unique.values())


def _formats(values: Iterable[Any]) -> list[str]:
    values = list(dict.fromkeys(str(v) for v in values))
    if not values:
        raise ValidationError(
            {"formats": "Choose at least one way you are glad to help."}
        )
    for v in values:
        validation.choice(v, Format, "formats")
    return [f for f in Format.values if f in values]


def _capacity(value: Any) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= MAX_CAPACITY:
        raise ValidationError(
            {
                "capacity": f"Capacity is how many people a month, 1 to "
                f"{MAX_CAPACITY}; got {value}."
            }
        )
    return n


def _departments(values: Iterable[Any]) -> list[Department]:
    values = [v for v in values if v not in (None, "")]
    found = []
    for v in values:
        if isinstance(v, Department):
            found.append(v)
            continue
        q = Q(slug=str(v))
        if isinstance(v, int) or str(v).isdigit():
            q |= Q(pk=int(v))
        d = Department.objects.filter(q).first()
        if d is None:
            raise ValidationError(
                {"departments": f"No department called '{v}'."}
            )
        found.append(d)
    return found


def _checkin_days(value: Any) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= 90:
        raise ValidationError(
            {
                "checkin_days": "Check in every 1 to 90 days (7, 14, 21 or "
                f"30 are usual); got {value}."
            }
        )
    return n


def _rating(value: Any) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= 5:
        raise ValidationError(
            {
                "rating": "Rate it from 1 (not useful) to 5 (very useful); "
                f"got {value}."
            }
        )
    return n


def _member_of(person: User, community: Community, field: str) -> None:
    ok = Membership.objects.filter(
        user=person, community=community, status=Status.ACTIVE
    ).exists()
    if not ok:
        raise ValidationError(
            {
                field: f"{person.name} is not an active member of "
                f"{community.name}."
            }
        )


# --- offers --------------------------------------------------------------


@transaction.atomic
def offer_save(
    *,
    actor: User,
    community: Community,
    skills: Sequence[Any],
    formats: Sequence[str],
    capacity: Any,
    windows_: Any = None,
    time_zone: str = "",
    departments: Sequence[Any] = (),
    note: str = "",
    active: bool = True,
) -> HelpOffer:
    """Offer help in a community, or change your offer (one per
    community).

    Refuses non-members, no skills or skills not on your profile's
    expertise (the level comes from there), no format, a capacity outside
    1..20 a month, bad windows or time zone, and unknown departments.
    """
    access.require(actor, "help", community)

    def own_skills() -> list[Skill]:
        found = _skills(skills)
        mine = set(
            Expertise.objects.filter(user=actor).values_list(
                "skill_id", flat=True
            )
        )
        outside = [s.name for s in found if s.pk not in mine]
        if outside:
            raise ValidationError(
                {
                    "skills": f"Add {', '.join(outside)} to the expertise on "
                    "your profile first: the offer shows your level from "
                    "there."
                }
            )
        return found

    cleaned = validation.clean_all(
        {
            "skills": own_skills,
            "formats": lambda: _formats(formats),
            "capacity": lambda: _capacity(capacity),
            "windows": lambda: windows.clean(windows_),
            "time_zone": lambda: text.clean_time_zone(
                time_zone or actor.time_zone
            ),
            "departments": lambda: _departments(departments),
            "note": lambda: text.clean_line(
                note, field="note", max_length=300, required=False
            ),
        }
    )
    offer = (
        HelpOffer.objects.select_for_update()
        .filter(person=actor, community=community)
        .first()
    )
    created = offer is None
    if offer is None:
        offer = HelpOffer(person=actor, community=community)
    offer.formats = cleaned["formats"]
    offer.capacity = cleaned["capacity"]
    offer.windows = cleaned["windows"]
    offer.time_zone = cleaned["time_zone"]
    offer.note = cleaned["note"]
    offer.active = bool(active)
    offer.save()
    offer.skills.set(cleaned["skills"])
    offer.departments.set(cleaned["departments"])
    _record(
        actor,
        "help.offered",
        offer,
        community.pk,
        ", ".join(s.name for s in cleaned["skills"]),
        skills=[s.pk for s in cleaned["skills"]],
        formats=offer.formats,
        capacity=offer.capacity,
        updated=not created,
        active=offer.active,
    )
    return offer


# --- requests ------------------------------------------------------------


def _source(
    conversation: Conversation | None, community: Community
) -> Conversation | None:
    if conversation is None:
        return None
    conversation = Conversation.objects.get(pk=conversation.pk)
    if conversation.community_id != community.pk:
        raise ValidationError(
            {"source": "The question is in another community."}
        )
    if conversation.kind != ConversationKind.QUESTION:
        raise ValidationError(
            {"source": "Only a question can become a request for help."}
        )
    if conversation.accepted_reply_id is not None:
        raise ValidationError(
            {
                "source": "This question already has an accepted answer; "
                "ask for help with what is still open in a new request."
            }
        )
    return conversation


@transaction.atomic
def request_create(
    *,
    actor: User,
    community: Community,
    title: str,
    need: str,
    skills: Sequence[Any],
    urgency: str = Urgency.NORMAL,
    format: str = Format.ANSWER,
    time_zone: str = "",
    windows_: Any = None,
    source: Conversation | None = None,
) -> HelpRequest:
    """Ask the community for help with a need, in words.

    Refuses non-members, an empty title or need, no skills or unknown
    ones, an unknown urgency or format, bad windows or time zone, and a
    source that is not an unsolved question in the same community.
    """
    access.require(actor, "help", community)
    cleaned = validation.clean_all(
        {
            "title": lambda: text.clean_line(
                title, field="title", max_length=200
            ),
            "need": lambda: text.clean_markdown(
                need, field="need", max_length=5000, required=True
            ),
            "skills": lambda: _skills(skills),
            "urgency": lambda: validation.choice(urgency, Urgency, "urgency"),
            "format": lambda: validation.choice(format, Format, "format"),
            "time_zone": lambda: text.clean_time_zone(
                time_zone or actor.time_zone
            ),
            "windows": lambda: windows.clean(windows_),
            "source": lambda: _source(source, community),
        }
    )
    found = cleaned.pop("skills")
    r = HelpRequest.objects.create(
        community=community,
        requester=actor,
        need_html=text.render_markdown(cleaned["need"]),
        **cleaned,
    )
    r.skills.set(found)
    _record(
        actor,
        "help.requested",
        r,
        community.pk,
        r.title,
        skills=[s.pk for s in found],
        format=r.format,
        urgency=r.urgency,
        source=source.pk if source else None,
    )
    return r


@transaction.atomic
def request_close(
    *, actor: User, request: HelpRequest, reason: str = ""
) -> HelpRequest:
    """Close a request (the asker or a coordinator); a match waiting for
    answers is declined with it. Refuses a request already closed."""
    access.require(actor, "edit", request)
    r = HelpRequest.objects.select_for_update().get(pk=request.pk)
    if r.state == RequestState.CLOSED:
        raise ValidationError("This request is already closed.")
    reason = text.clean_line(
        reason, field="reason", max_length=300, required=False
    )
    for m in Match.objects.select_for_update().filter(
        request=r, state=MatchState.PROPOSED
    ):
        m.state = MatchState.DECLINED
        m.decided_at = timezone.now()
        m.save(update_fields=["state", "decided_at", "updated_at"])
    r.state = RequestState.CLOSED
    r.closed_reason = reason
    r.save(update_fields=["state", "closed_reason", "updated_at"])
    _record(actor, "help.closed", r, r.community_id, r.title)
    return r


# --- matches -------------------------------------------------------------


def _pair_checks(
    offer: HelpOffer, request: HelpRequest, *, ignore: Match | None = None
) -> None:
    """Refuse a pair that may not be made, with the reason."""
    if offer.community_id != request.community_id:
        raise ValidationError(
            {
                "offer": "The offer and the request are in different "
                "communities."
            }
        )
    if offer.person_id == request.requester_id:
        raise ValidationError(
            {"offer": "A person cannot be matched with themselves."}
        )
    if request.state != RequestState.OPEN:
        raise ValidationError(
            {
                "request": "This request is "
                f"{request.get_state_display().lower()}: "
                "only open requests can be matched."
            }
        )
    if not offer.active:
        raise ValidationError(
            {"offer": f"{offer.person.name} has paused their offer."}
        )
    live = Match.objects.filter(request=request, state__in=LIVE_MATCH)
    if ignore is not None:
        live = live.exclude(pk=ignore.pk)
    if live.exists():
        raise ValidationError(
            {
                "request": "This request already has a match waiting for "
                "answers; adjust that one instead."
            }
        )
    if Match.objects.filter(
        request=request, offer=offer, state=MatchState.DECLINED
    ).exists():
        raise ValidationError(
            {"offer": "This pair was declined before; choose another helper."}
        )
    used = selectors.places_used([offer.pk]).get(offer.pk, 0)
    if ignore is not None and ignore.offer_id == offer.pk:
        used -= 1
    if used >= offer.capacity:
        raise ValidationError(
            {
                "offer": f"{offer.person.name} has no place left this month "
                f"({used} of {offer.capacity} used)."
            }
        )


def _explained(
    offer: HelpOffer, request: HelpRequest, monday: date | None
) -> tuple[float, list[str]]:
    data = selectors.matching_data(
        offer.community, offers=[offer], requests=[request]
    )
    o, n = data.offers[0], data.needs[0]
    p = matching.parts(o, n, monday=monday)
    if not p.eligible:
        raise ValidationError({"offer": p.why_not})
    return (
        matching.score(o, n, monday=monday),
        matching.explain(o, n, names=data.names, monday=monday),
    )


def _locked_pair(
    offer: HelpOffer, request: HelpRequest
) -> tuple[HelpOffer, HelpRequest]:
    r = (
        HelpRequest.objects.select_for_update()
        .select_related("community", "requester")
        .get(pk=request.pk)
    )
    o = (
        HelpOffer.objects.select_for_update()
        .select_related("community", "person")
        .get(pk=offer.pk)
    )
    return o, r


@transaction.atomic
def match_propose(
    *,
    actor: User,
    offer: HelpOffer,
    request: HelpRequest,
    monday: date | None = None,
) -> Match:
    """Propose a helper for a request: a coordinator (from the board),
    the asker (choosing a helper) or the helper (volunteering). The
    proposer's own side counts as accepted.

    Refuses anyone else, different communities, a person with
    themselves, a request that is not open or already has a match
    waiting, a pair declined before, a helper with no place left this
    month, and a pair the engine rules out (no skill in common, no hours
    in common for pairing or mentoring).
    """
    o, r = _locked_pair(offer, request)
    party = actor.pk in (o.person_id, r.requester_id)
    if not party and not access.can(actor, "match_help", r.community):
        raise PermissionDenied(
            "Only a coordinator, the asker or the helper can propose a match."
        )
    if party and not access.can(actor, "help", r.community):
        raise PermissionDenied(access.reason(actor, "help", r.community) or "")
    _pair_checks(o, r)
    score, reasons = _explained(o, r, monday)
    m = Match.objects.create(
        offer=o,
        request=r,
        community=r.community,
        helper=o.person,
        requester=r.requester,
        score=round(score, 4),
        reasons=reasons,
        proposed_by=actor,
        helper_answer=Answer.YES
        if actor.pk == o.person_id
        else Answer.PENDING,
        requester_answer=Answer.YES
        if actor.pk == r.requester_id
        else Answer.PENDING,
    )
    _record(
        actor,
        "match.proposed",
        m,
        r.community_id,
        r.title,
        helper=o.person_id,
        requester=r.requester_id,
        request=r.pk,
        score=m.score,
    )
    return m


@transaction.atomic
def match_propose_many(
    *,
    actor: User,
    community: Community,
    pairs: Sequence[tuple[HelpOffer, HelpRequest]],
    monday: date | None = None,
) -> list[Match]:
    """Propose several pairs at once (the board's "propose all"); all or
    nothing. Refuses what :func:`match_propose` refuses, and two pairs
    that together go over a helper's places."""
    access.require(actor, "match_help", community)
    return [
        match_propose(actor=actor, offer=o, request=r, monday=monday)
        for o, r in pairs
    ]


@transaction.atomic
def match_adjust(
    *,
    actor: User,
    match: Match,
    offer: HelpOffer,
    monday: date | None = None,
) -> Match:
    """Give a proposed match another helper (coordinators), before anyone
    answered it. Refuses what :func:`match_propose` refuses."""
    m = (
        Match.objects.select_for_update()
        .select_related("community")
        .get(pk=match.pk)
    )
    access.require(actor, "match_help", m.community)
    if m.state != MatchState.PROPOSED:
        raise ValidationError(
            f"This match is {m.get_state_display().lower()}; only a proposed "
            "match can be adjusted."
        )
    if m.helper_answer != Answer.PENDING or (
        m.requester_answer != Answer.PENDING
        and m.proposed_by_id != m.requester_id
    ):
        raise ValidationError(
            "Someone has already answered this match; propose a new one "
            "after it is declined."
        )
    o, r = _locked_pair(offer, m.request)
    _pair_checks(o, r, ignore=m)
    score, reasons = _explained(o, r, monday)
    m.offer, m.helper = o, o.person
    m.score, m.reasons = round(score, 4), reasons
    m.proposed_by = actor
    m.save()
    _record(
        actor,
        "match.proposed",
        m,
        m.community_id,
        r.title,
        helper=o.person_id,
        requester=r.requester_id,
        request=r.pk,
        score=m.score,
        adjusted=True,
    )
    return m


@transaction.atomic
def match_answer(*, actor: User, match: Match, accept: bool) -> Match:
    """Accept or decline a match (each of the two people). When both have
    accepted, the request is matched; for mentoring over weeks a
    mentorship starts.

    Refuses anyone else, a match no longer waiting for answers, and a
    request that was closed meanwhile.
    """
    m = (
        Match.objects.select_for_update()
        .select_related("community", "request", "helper", "requester")
        .get(pk=match.pk)
    )
    access.require(actor, "answer", m)
    if m.state not in (MatchState.PROPOSED,):
        raise ValidationError(
            f"This match is already {m.get_state_display().lower()}; "
            "there is nothing left to answer."
        )
    r = HelpRequest.objects.select_for_update().get(pk=m.request_id)
    if accept and r.state != RequestState.OPEN:
        raise ValidationError(
            f"This request is {r.get_state_display().lower()}, so the match "
            "cannot be accepted."
        )
    answer = Answer.YES if accept else Answer.NO
    if actor.pk == m.helper_id:
        m.helper_answer = answer
    if actor.pk == m.requester_id:
        m.requester_answer = answer
    now = timezone.now()
    if not accept:
        m.state = MatchState.DECLINED
        m.decided_at = now
        m.save()
        _record(
            actor,
            "match.declined",
            m,
            m.community_id,
            r.title,
            helper=m.helper_id,
            requester=m.requester_id,
        )
        return m
    both = m.helper_answer == Answer.YES and m.requester_answer == Answer.YES
    if both:
        m.state = MatchState.ACCEPTED
        m.decided_at = now
        r.state = RequestState.MATCHED
        r.save(update_fields=["state", "updated_at"])
    m.save()
    _record(
        actor,
        "match.accepted",
        m,
        m.community_id,
        r.title,
        helper=m.helper_id,
        requester=m.requester_id,
        both=both,
    )
    if both and r.format == Format.MENTOR:
        _start(
            actor=actor,
            community=m.community,
            mentor=m.helper,
            mentee=m.requester,
            goals=r.need,
            match=m,
        )
    return m


@transaction.atomic
def match_confirm(*, actor: User, match: Match) -> Match:
    """Confirm that the help was given (the person helped or a
    coordinator); the request closes. Refuses a match not accepted by
    both."""
    m = (
        Match.objects.select_for_update()
        .select_related("community", "request")
        .get(pk=match.pk)
    )
    access.require(actor, "confirm", m)
    if m.state != MatchState.ACCEPTED:
        raise ValidationError(
            f"This match is {m.get_state_display().lower()}: only a match "
            "both people accepted can be confirmed."
        )
    m.state = MatchState.CONFIRMED
    m.save(update_fields=["state", "updated_at"])
    HelpRequest.objects.filter(pk=m.request_id).update(
        state=RequestState.CLOSED, closed_reason="Help given."
    )
    _record(
        actor,
        "match.confirmed",
        m,
        m.community_id,
        m.request.title,
        helper=m.helper_id,
        requester=m.requester_id,
    )
    return m


# --- mentorships ---------------------------------------------------------


def _start(
    *,
    actor: User,
    community: Community,
    mentor: User,
    mentee: User,
    goals: str,
    match: Match | None = None,
    checkin_days: int = 14,
    started_at: datetime | None = None,
) -> Mentorship:
    now = started_at or timezone.now()
    ms = Mentorship.objects.create(
        community=community,
        mentor=mentor,
        mentee=mentee,
        match=match,
        goals=goals,
        goals_html=text.render_markdown(goals),
        checkin_days=checkin_days,
        started_at=now,
    )
    CheckIn.objects.create(
        mentorship=ms, due_at=now + timedelta(days=checkin_days)
    )
    _record(
        actor,
        "mentorship.started",
        ms,
        community.pk,
        f"{mentor.name} mentors {mentee.name}",
        mentor=mentor.pk,
        mentee=mentee.pk,
    )
    return ms


@transaction.atomic
def mentorship_create(
    *,
    actor: User,
    community: Community,
    mentor: User,
    mentee: User,
    goals: str = "",
    checkin_days: Any = 14,
) -> Mentorship:
    """Start a mentorship directly (coordinators), outside matching.

    Refuses non-coordinators, the same person on both sides, people who
    are not active members and a check-in interval outside 1..90 days.
    """
    access.require(actor, "match_help", community)
    cleaned = validation.clean_all(
        {
            "mentor": lambda: _member_of(mentor, community, "mentor"),
            "mentee": lambda: _member_of(mentee, community, "mentee"),
            "goals": lambda: text.clean_markdown(
                goals, field="goals", max_length=5000
            ),
            "checkin_days": lambda: _checkin_days(checkin_days),
        }
    )
    if mentor.pk == mentee.pk:
        raise ValidationError(
            {"mentee": "A person cannot be matched with themselves."}
        )
    return _start(
        actor=actor,
        community=community,
        mentor=mentor,
        mentee=mentee,
        goals=cleaned["goals"],
        checkin_days=cleaned["checkin_days"],
    )


def _active(ms: Mentorship, actor: User) -> Mentorship:
    m = (
        Mentorship.objects.select_for_update()
        .select_related("community", "mentor", "mentee")
        .get(pk=ms.pk)
    )
    access.require(actor, "take_part", m)
    if m.state != MentorshipState.ACTIVE:
        raise ValidationError("This mentorship has ended.")
    return m


@transaction.atomic
def mentorship_update(
    *,
    actor: User,
    mentorship: Mentorship,
    goals: str,
    checkin_days: Any,
) -> Mentorship:
    """Change the goals and the check-in rhythm (mentor or mentee); the
    next check-in moves to the new rhythm. Refuses an ended mentorship
    and an interval outside 1..90 days."""
    m = _active(mentorship, actor)
    cleaned = validation.clean_all(
        {
            "goals": lambda: text.clean_markdown(
                goals, field="goals", max_length=5000
            ),
            "checkin_days": lambda: _checkin_days(checkin_days),
        }
    )
    m.goals = cleaned["goals"]
    m.goals_html = text.render_markdown(m.goals)
    if cleaned["checkin_days"] != m.checkin_days:
        m.checkin_days = cleaned["checkin_days"]
        last = (
            m.checkins.filter(done_at__isnull=False)
            .order_by("-done_at")
            .values_list("done_at", flat=True)
            .first()
        ) or m.started_at
        m.checkins.filter(done_at__isnull=True).update(
            due_at=last + timedelta(days=m.checkin_days)
        )
    m.save()
    _record(
        actor,
        "mentorship.updated",
        m,
        m.community_id,
        f"{m.mentor.name} and {m.mentee.name}",
        checkin_days=m.checkin_days,
    )
    return m


@transaction.atomic
def checkin_record(
    *, actor: User, mentorship: Mentorship, summary: str = ""
) -> CheckIn:
    """Record a check-in (mentor or mentee) with a shared summary; the
    next one is scheduled a rhythm later. Refuses an ended mentorship."""
    m = _active(mentorship, actor)
    summary = text.clean_markdown(summary, field="summary", max_length=5000)
    now = timezone.now()
    c = m.checkins.filter(done_at__isnull=True).order_by("due_at").first()
    if c is None:
        c = CheckIn(mentorship=m, due_at=now)
    c.done_at = now
    c.done_by = actor
    c.summary = summary
    c.summary_html = text.render_markdown(summary)
    c.save()
    m.checkins.filter(done_at__isnull=True).exclude(pk=c.pk).delete()
    CheckIn.objects.create(
        mentorship=m, due_at=now + timedelta(days=m.checkin_days)
    )
    number = m.checkins.filter(done_at__isnull=False).count()
    _record(
        actor,
        "mentorship.checkin",
        m,
        m.community_id,
        f"Check-in {number}: {m.mentor.name} and {m.mentee.name}",
        mentor=m.mentor_id,
        mentee=m.mentee_id,
        number=number,
    )
    return c


@transaction.atomic
def note_add(
    *, actor: User, mentorship: Mentorship, body: str, private: bool
) -> MentorshipNote:
    """Add a note: private (only you see it) or shared with the other
    person. Refuses an empty note and anyone outside the mentorship."""
    m = Mentorship.objects.select_related("community").get(pk=mentorship.pk)
    access.require(actor, "take_part", m)
    body = text.clean_markdown(
        body, field="body", max_length=10_000, required=True
    )
    note = MentorshipNote.objects.create(
        mentorship=m,
        author=actor,
        private=bool(private),
        body=body,
        body_html=text.render_markdown(body),
    )
    if not note.private:  # a private note leaves no trace anyone reads
        _record(
            actor,
            "mentorship.note",
            m,
            m.community_id,
            "A shared note",
            mentor=m.mentor_id,
            mentee=m.mentee_id,
        )
    return note


def _feedback(m: Mentorship, actor: User, rating: Any, feedback: str) -> None:
    cleaned = validation.clean_all(
        {
            "rating": lambda: _rating(rating),
            "feedback": lambda: text.clean_markdown(
                feedback, field="feedback", max_length=5000
            ),
        }
    )
    if Feedback.objects.filter(mentorship=m, author=actor).exists():
        raise ValidationError(
            {"feedback": "You have already given feedback on this mentorship."}
        )
    Feedback.objects.create(
        mentorship=m,
        author=actor,
        rating=cleaned["rating"],
        text=cleaned["feedback"],
        text_html=text.render_markdown(cleaned["feedback"]),
    )


@transaction.atomic
def mentorship_end(
    *, actor: User, mentorship: Mentorship, rating: Any, feedback: str = ""
) -> Mentorship:
    """End a mentorship with your feedback (mentor or mentee); the other
    person adds theirs afterwards. A match it came from is confirmed.
    Refuses an ended mentorship and a rating outside 1..5."""
    m = _active(mentorship, actor)
    _feedback(m, actor, rating, feedback)
    now = timezone.now()
    m.state = MentorshipState.ENDED
    m.ended_at = now
    m.ended_by = actor
    m.save()
    m.checkins.filter(done_at__isnull=True).delete()
    if m.match_id:
        Match.objects.filter(pk=m.match_id, state=MatchState.ACCEPTED).update(
            state=MatchState.CONFIRMED, updated_at=now
        )
        HelpRequest.objects.filter(matches__pk=m.match_id).update(
            state=RequestState.CLOSED, closed_reason="Mentorship ended."
        )
    _record(
        actor,
        "mentorship.ended",
        m,
        m.community_id,
        f"{m.mentor.name} and {m.mentee.name}",
        mentor=m.mentor_id,
        mentee=m.mentee_id,
    )
    return m


@transaction.atomic
def feedback_give(
    *, actor: User, mentorship: Mentorship, rating: Any, feedback: str = ""
) -> Feedback:
    """The other side's feedback on an ended mentorship. Refuses feedback
    while it runs (end it instead) and a second feedback."""
    m = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    access.require(actor, "take_part", m)
    if m.state != MentorshipState.ENDED:
        raise ValidationError(
            {"feedback": "End the mentorship to give your feedback."}
        )
    _feedback(m, actor, rating, feedback)
    _record(
        actor,
        "mentorship.feedback",
        m,
        m.community_id,
        "Feedback on a mentorship",
        mentor=m.mentor_id,
        mentee=m.mentee_id,
    )
    return Feedback.objects.get(mentorship=m, author=actor)


def checkin_reminders_send(*, now: datetime | None = None) -> int:
    """Email both people of each check-in due within a day; each person
    once per check-in (the row is written before the email, so a second
    run or worker never sends it again). Returns emails sent."""
    now = now or timezone.now()
    sent = 0
    for c in selectors.due_checkins(now=now, within=REMIND_BEFORE):
        ms = c.mentorship
        for person, other in ((ms.mentor, ms.mentee), (ms.mentee, ms.mentor)):
            try:
                with transaction.atomic():
                    row = CheckInReminder.objects.create(
                        checkin=c, person=person
                    )
            except IntegrityError:
                continue
            try:
                _remind(c, person, other)
            except Exception:
                # Not sent: forget the row so the next run tries again.
                row.delete()
                log.exception("Check-in reminder %s failed", c.pk)
                continue
            sent += 1
    return sent


def _remind(c: CheckIn, person: User, other: User) -> None:
    ms = c.mentorship
    with timezone.override(person.time_zone or "UTC"):
        when = timezone.localtime(c.due_at).strftime("%A %d %B, %H:%M")
    url = settings.SITE_URL.rstrip("/") + reverse(
        "mentoring:mentorship", args=[ms.pk]
    )
    mail.send(
        to=[person.email],
        subject=f"Check-in with {other.name} due {when}",
        text=(
            f"Hello {person.name},\n\n"
            f"Your check-in with {other.name} ({ms.community.name}) is due "
            f"{when} ({person.time_zone}).\n\n"
            f"Look at your goals and record the check-in here:\n{url}\n"
        ),
        headers={
            "Message-ID": f"<checkin-{c.pk}-{person.pk}@practica>",
        },
    )


# --- pathways ------------------------------------------------------------


def _target(
    step: dict[str, Any], n: int, community: Community
) -> tuple[ContentType | None, int | None, str]:
    kind = step.get("target_type") or ""
    pk = step.get("target_id")
    if not kind and pk in (None, ""):
        return None, None, ""
    where = f"Step {n}"
    if kind not in TARGETS:
        raise ValidationError(
            {
                "steps": f"{where}: '{kind}' cannot be a step's target; use "
                f"one of {', '.join(sorted(TARGETS))}."
            }
        )
    app_label, model = kind.split(".")
    try:
        ct = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        ct = None
    cls = ct.model_class() if ct else None
    try:
        pk = int(str(pk))
    except (TypeError, ValueError):
        raise ValidationError(
            {"steps": f"{where}: the target needs an id."}
        ) from None
    obj = cls._default_manager.filter(pk=pk).first() if cls else None
    if obj is None or ct is None:
        raise ValidationError(
            {
                "steps": f"{where}: {model} {pk} does not exist (it may have "
                "been deleted); choose another or remove the target."
            }
        )
    if getattr(obj, "community_id", community.pk) != community.pk:
        raise ValidationError(
            {"steps": f"{where}: {model} {pk} is in another community."}
        )
    return ct, pk, str(obj)[:200]


@transaction.atomic
def pathway_save(
    *,
    actor: User,
    community: Community,
    title: str,
    steps: Sequence[dict[str, Any]],
    description: str = "",
    stuck_days: Any = 14,
) -> Pathway:
    """Define (or redefine) the community's onboarding pathway
    (coordinators): ordered steps, each of a kind with an optional target
    (an artifact to read, an event to attend). Progress on steps kept by
    position stays.

    Refuses no steps or more than 20, an unknown kind, a target that does
    not exist (or was deleted) or is in another community, and a stuck
    threshold outside 1..365 days.
    """
    access.require(actor, "match_help", community)

    def clean_steps() -> list[dict[str, Any]]:
        if not steps:
            raise ValidationError({"steps": "A pathway needs a step."})
        if len(steps) > MAX_STEPS:
            raise ValidationError(
                {"steps": f"At most {MAX_STEPS} steps; got {len(steps)}."}
            )
        out = []
        for n, s in enumerate(steps, start=1):
            kind = s.get("kind", "")
            if kind not in StepKind.values:
                raise ValidationError(
                    {
                        "steps": f"Step {n}: '{kind}' is not a kind of step; "
                        f"use one of {', '.join(StepKind.values)}."
                    }
                )
            ct, pk, target_title = _target(s, n, community)
            title_ = text.clean_line(
                s.get("title") or target_title or StepKind(kind).label,
                field="steps",
                max_length=200,
            )
            out.append(
                {
                    "kind": kind,
                    "title": title_,
                    "target_type": ct,
                    "target_id": pk,
                    "target_title": target_title,
                }
            )
        return out

    def clean_stuck() -> int:
        try:
            n = int(stuck_days)
        except (TypeError, ValueError):
            n = 0
        if not 1 <= n <= 365:
            raise ValidationError(
                {"stuck_days": f"Stuck after 1 to 365 days; got {stuck_days}."}
            )
        return n

    cleaned = validation.clean_all(
        {
            "title": lambda: text.clean_line(
                title, field="title", max_length=200
            ),
            "description": lambda: text.clean_markdown(
                description, field="description", max_length=5000
            ),
            "steps": clean_steps,
            "stuck_days": clean_stuck,
        }
    )
    pathway = (
        Pathway.objects.select_for_update().filter(community=community).first()
    )
    if pathway is None:
        pathway = Pathway(community=community, created_by=actor)
    pathway.title = cleaned["title"]
    pathway.description = cleaned["description"]
    pathway.description_html = text.render_markdown(cleaned["description"])
    pathway.stuck_days = cleaned["stuck_days"]
    pathway.save()
    old = {s.position: s for s in pathway.steps.all()}
    keep = []
    for position, s in enumerate(cleaned["steps"], start=1):
        step = old.get(position)
        if step is not None and step.kind != s["kind"]:
            step.delete()  # a different step now: its progress goes
            step = None
        if step is None:
            step = PathwayStep(pathway=pathway, position=position)
        for k, v in s.items():
            setattr(step, k, v)
        step.save()
        keep.append(step.pk)
    pathway.steps.exclude(pk__in=keep).delete()
    _record(
        actor,
        "pathway.saved",
        pathway,
        community.pk,
        pathway.title,
        steps=len(keep),
    )
    return pathway


def _tick(
    step: PathwayStep, person: User | int, at: datetime, how: str
) -> bool:
    person_id = person if isinstance(person, int) else person.pk
    try:
        with transaction.atomic():
            StepDone.objects.create(
                step=step, person_id=person_id, done_at=at, how=how
            )
    except IntegrityError:
        return False
    pathway = step.pathway
    p, _ = PathwayProgress.objects.get_or_create(
        pathway=pathway, person_id=person_id, defaults={"started_at": at}
    )
    p.last_step_at = max(p.last_step_at or at, at)
    _record(
        User(pk=person_id),
        "pathway.step_done",
        step,
        pathway.community_id,
        step.title,
        person=person_id,
        step=step.pk,
        kind=step.kind,
        how=how,
    )
    n_steps = pathway.steps.count()
    n_done = StepDone.objects.filter(
        step__pathway=pathway, person_id=person_id
    ).count()
    if n_done == n_steps and p.completed_at is None:
        p.completed_at = at
        _record(
            User(pk=person_id),
            "pathway.completed",
            pathway,
            pathway.community_id,
            pathway.title,
            person=person_id,
        )
    p.save()
    return True


@transaction.atomic
def step_tick(*, actor: User, step: PathwayStep) -> bool:
    """Tick a reading step yourself (you read the artifact). Refuses other
    kinds (they tick from what you do) and a step whose target was
    deleted. Returns False when it was already ticked."""
    s = PathwayStep.objects.select_related("pathway__community").get(
        pk=step.pk
    )
    access.require(actor, "view", s.pathway)
    if s.kind != StepKind.READ:
        raise ValidationError(
            "This step ticks by itself when you do it; only reading steps "
            "are ticked by hand."
        )
    if not selectors.target_exists(s):
        raise ValidationError(
            f"What this step pointed to ('{s.target_title}') was deleted; "
            "ask a coordinator to update the pathway."
        )
    return _tick(s, actor, timezone.now(), "self")


VERBS = {
    StepKind.ASK: "question.created",
    StepKind.INTRODUCE: "discussion.created",
    StepKind.ANSWER: "reply.created",
    StepKind.ATTEND: "occurrence.attended",
    StepKind.MENTOR: "mentorship.started",
    StepKind.READ: "artifact.helped",
}


def _who(a: Activity) -> int | None:
    data = a.data or {}
    if a.verb == "occurrence.attended":
        return data.get("user")
    if a.verb == "mentorship.started":
        return data.get("mentee")
    return a.actor_id


def _fits(step: PathwayStep, a: Activity) -> bool:
    if a.verb != VERBS[StepKind(step.kind)]:
        return False
    if step.target_id is None:
        return step.kind != StepKind.READ
    if (
        a.target_type_id == step.target_type_id
        and a.target_id == step.target_id
    ):
        return True
    # An attendance names the occurrence; a step may name the event.
    return (a.data or {}).get("event") == step.target_id


@transaction.atomic
def pathway_sync(
    *, pathway: Pathway, people: Iterable[int] | None = None
) -> int:
    """Tick the steps people did, from the activity record: asking,
    introducing themselves, answering, attending, being mentored (and a
    "this helped me" on an artifact to read). Safe to run any time; runs
    for the community's newcomers and whoever has started. Returns new
    ticks."""
    steps = list(pathway.steps.select_related("pathway"))
    if not steps:
        return 0
    if people is None:
        people = set(
            Membership.objects.filter(
                community_id=pathway.community_id,
                status=Status.ACTIVE,
                role=Role.NEWCOMER,
            ).values_list("user_id", flat=True)
        ) | set(
            PathwayProgress.objects.filter(
                pathway=pathway, completed_at__isnull=True
            ).values_list("person_id", flat=True)
        )
    people = set(people)
    if not people:
        return 0
    done = set(
        StepDone.objects.filter(
            step__pathway=pathway, person_id__in=people
        ).values_list("step_id", "person_id")
    )
    own = [VERBS[StepKind(s.kind)] for s in steps]
    by_actor = [
        v
        for v in own
        if v not in ("occurrence.attended", "mentorship.started")
    ]
    by_data = [
        v for v in own if v in ("occurrence.attended", "mentorship.started")
    ]
    rows = (
        Activity.objects.filter(community_id=pathway.community_id)
        .filter(
            Q(verb__in=by_actor, actor_id__in=people) | Q(verb__in=by_data)
        )
        .order_by("id")
    )
    first: dict[tuple[int, int], datetime] = {}
    pending = defaultdict(list)
    for s in steps:
        pending[VERBS[StepKind(s.kind)]].append(s)
    for a in rows.iterator():
        who = _who(a)
        if who not in people:
            continue
        for s in pending[a.verb]:
            key = (s.pk, who)
            if key in done or key in first:
                continue
            if _fits(s, a):
                first[key] = a.created_at
    ticks = 0
    for s in steps:
        for person in sorted(people):
            at = first.get((s.pk, person))
            if at is not None and _tick(s, person, at, "activity"):
                ticks += 1
    return ticks


@transaction.atomic
def newcomer_promote(
    *, actor: User, community: Community, person: User
) -> Membership:
    """Make a newcomer a member (coordinators), as the pathway's end
    prompts. Refuses someone who is not an active newcomer."""
    access.require(actor, "match_help", community)
    m = Membership.objects.filter(
        community=community, user=person, status=Status.ACTIVE
    ).first()
    if m is None or m.role != Role.NEWCOMER:
        raise ValidationError(
            {"person": f"{person.name} is not a newcomer in {community.name}."}
        )
    m = communities.membership_set_role(
        actor=actor, membership=m, role=Role.MEMBER
    )
    PathwayProgress.objects.filter(
        pathway__community=community, person=person
    ).update(promoted_at=timezone.now())
    return m
