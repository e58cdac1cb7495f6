"""Demo help and mentoring on top of the demo organisation.

In each of the demo's communities: the core members and coordinators with
real expertise offer help (skills from their profiles, availability in
their own zones, a few glad to help other departments); newcomers and
members ask for help, some from their unanswered questions; the
coordinator proposes pairs the engine chose, some accepted by both (a
few became mentorships with check-ins and notes), one declined, some still
waiting. Three communities get an onboarding pathway, and their newcomers
stand at different steps (ticked from what they really did in the demo,
plus the reading some of them ticked by hand).

Everything goes through the services; running it again adds nothing that
is already there. Load the demo organisation first (``practica demo``).
"""

import random
from typing import Any

from django.db import transaction
from django.db.models import Count

from practica.accounts.models import Expertise, User
from practica.communities.models import Community, Membership, Role, Status
from practica.conversations.models import Conversation
from practica.conversations.models import Kind as ConversationKind
from practica.mentoring import selectors, services
from practica.mentoring.models import (
    Answer,
    CheckIn,
    Format,
    HelpOffer,
    HelpRequest,
    Match,
    MatchState,
    Mentorship,
    MentorshipState,
    Pathway,
    PathwayStep,
    StepDone,
    StepKind,
)
from practica.repertoire.models import Artifact
from practica.repertoire.models import Status as ArtifactStatus

SEED = 4211
# Weekly hours by site, in the person's own zone.
HOURS = (
    "Mon 09:00-11:00, Wed 14:00-16:00",
    "Tue 10:00-12:00, Thu 10:00-12:00",
    "Mon 15:00-17:00, Fri 09:00-10:30",
    "Wed 08:00-10:00, Thu 16:00-17:30",
)
NEEDS = (
    ("Getting started with {skill}", "I am new to {skill} and would like "
     "someone to look over my first steps and tell me what to read."),
    ("A second pair of eyes on {skill}", "I have a draft that uses "
     "{skill}; could someone review it before I share it with the team?"),
    ("Stuck on a {skill} problem", "I tried the obvious fixes and the "
     "repertoire, and I am still stuck. An hour of pairing would help."),
    ("Growing in {skill}", "I would like a mentor for a few weeks to get "
     "from competent to confident in {skill}."),
)  # fmt: skip
FORMAT_OF_NEED = (Format.ANSWER, Format.REVIEW, Format.PAIR, Format.MENTOR)
PATHWAYS = ("safety-quality", "new-hires", "platform-practice")


def _active(community: Community, roles: tuple[str, ...]) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(
            community=community, status=Status.ACTIVE, role__in=roles
        )
        .select_related("user")
        .order_by("user__email")
    ]


def _coordinator(community: Community) -> User | None:
    people = _active(community, (Role.COORDINATOR,))
    return people[0] if people else None


def _offers(community: Community, rng: random.Random) -> int:
    made = 0
    for person in _active(community, (Role.COORDINATOR, Role.CORE)):
        if HelpOffer.objects.filter(
            person=person, community=community
        ).exists():
            continue
        skills = list(
            Expertise.objects.filter(user=person, level__gte=3)
            .select_related("skill")
            .order_by("-level", "skill__name")[:3]
        )
        if not skills:
            continue
        departments = [
            d.slug
            for d in community.departments.all()
            if d.pk != person.department_id
        ]
        services.offer_save(
            actor=person,
            community=community,
            skills=[e.skill.slug for e in skills],
            formats=rng.sample(
                [Format.ANSWER, Format.PAIR, Format.REVIEW, Format.MENTOR],
                rng.randint(2, 4),
            ),
            capacity=rng.randint(1, 4),
            windows_=rng.choice(HOURS),
            time_zone=person.time_zone,
            departments=rng.sample(departments, min(len(departments), 2))
            if rng.random() < 0.5
            else [],
        )
        made += 1
    return made


def _requests(community: Community, rng: random.Random) -> int:
    offered = list(
        HelpOffer.objects.filter(community=community)
        .values_list("skills__slug", "skills__name")
        .distinct()
    )
    if not offered:
        return 0
    askers = (
        _active(community, (Role.NEWCOMER,))
        + _active(community, (Role.MEMBER,))[:4]
    )
    made = 0
    for i, person in enumerate(askers[:8]):
        if HelpRequest.objects.filter(
            requester=person, community=community
        ).exists():
            continue
        slug, name = offered[(i * 7 + SEED) % len(offered)]
        # Every other request asks for a mentor over weeks.
        kind = 3 if i % 2 else (i // 2) % 3
        title, need = NEEDS[kind]
        # Some requests come from the person's own unanswered question.
        source = (
            Conversation.objects.filter(
                community=community,
                author=person,
                kind=ConversationKind.QUESTION,
                accepted_reply__isnull=True,
                reply_count=0,
            ).first()
            if i % 3 == 0
            else None
        )
        services.request_create(
            actor=person,
            community=community,
            title=source.title if source else title.format(skill=name),
            need=need.format(skill=name),
            skills=[slug],
            format=FORMAT_OF_NEED[kind],
            urgency=rng.choice(["low", "normal", "normal", "high"]),
            windows_=rng.choice(HOURS),
            time_zone=person.time_zone,
            source=source,
        )
        made += 1
    return made


def _matches(community: Community) -> int:
    """Propose what the board suggests; then both accept most, one is
    declined and the last waits for answers."""
    coordinator = _coordinator(community)
    if (
        coordinator is None
        or Match.objects.filter(community=community).exists()
    ):
        return 0
    board = selectors.board(viewer=coordinator, community=community)
    made = 0
    suggested = [(s.offer, s.request) for s in board.suggestions if s.offer]
    for n, (o, r) in enumerate(suggested[:5]):
        try:
            m = services.match_propose(actor=coordinator, offer=o, request=r)
        except Exception:  # noqa: S112  (capacity used by an earlier pair)
            continue
        made += 1
        if n == len(suggested[:5]) - 1 and n > 0:
            continue  # waiting for answers
        if n == 2:
            services.match_answer(actor=m.helper, match=m, accept=False)
            continue
        services.match_answer(actor=m.helper, match=m, accept=True)
        services.match_answer(actor=m.requester, match=m, accept=True)
    return made


def _mentorship_life(community: Community) -> None:
    """Check-ins and notes in the mentorships that just started."""
    for ms in Mentorship.objects.filter(
        community=community, state=MentorshipState.ACTIVE
    ).select_related("mentor", "mentee"):
        if ms.notes.exists():
            continue
        services.note_add(
            actor=ms.mentor,
            mentorship=ms,
            body="Start with the checklist in the repertoire, then pair on "
            "a real case.",
            private=False,
        )
        services.note_add(
            actor=ms.mentee,
            mentorship=ms,
            body="Ask about the review rota next time.",
            private=True,
        )
        services.checkin_record(
            actor=ms.mentee,
            mentorship=ms,
            summary="Agreed on goals and a first small task.",
        )


def _pathway(community: Community, rng: random.Random) -> int:
    coordinator = _coordinator(community)
    if coordinator is None:
        return 0
    if not Pathway.objects.filter(community=community).exists():
        reads = list(
            Artifact.objects.filter(
                community=community, status=ArtifactStatus.PUBLISHED
            ).order_by("-helped_count", "id")[:2]
        )
        steps: list[dict[str, Any]] = [
            {
                "kind": StepKind.READ,
                "target_type": "repertoire.artifact",
                "target_id": a.pk,
            }
            for a in reads
        ]
        steps += [
            {"kind": StepKind.INTRODUCE, "title": "Introduce yourself"},
            {"kind": StepKind.ASK, "title": "Ask your first question"},
            {"kind": StepKind.ATTEND, "title": "Come to a session"},
            {"kind": StepKind.ANSWER, "title": "Answer a question"},
            {"kind": StepKind.MENTOR, "title": "Pair with a mentor"},
        ]
        services.pathway_save(
            actor=coordinator,
            community=community,
            title=f"Welcome to {community.name}",
            description="Walk these steps in your first weeks; each ticks "
            "by itself when you do it (reading you tick yourself).",
            steps=steps,
            stuck_days=21,
        )
    pathway = Pathway.objects.get(community=community)
    ticks = services.pathway_sync(pathway=pathway)
    # Some newcomers have done their reading, some not yet.
    reading = list(
        PathwayStep.objects.filter(pathway=pathway, kind=StepKind.READ)
    )
    for n, person in enumerate(_active(community, (Role.NEWCOMER,))):
        for step in reading[: n % 3]:
            if not StepDone.objects.filter(step=step, person=person).exists():
                services.step_tick(actor=person, step=step)
                ticks += 1
    return ticks


def counts() -> dict[str, int]:
    by_state = dict(
        Match.objects.values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return {
        "help_offers": HelpOffer.objects.count(),
        "help_requests": HelpRequest.objects.count(),
        "matches": Match.objects.count(),
        "matches_accepted": by_state.get(MatchState.ACCEPTED, 0),
        "matches_waiting": Match.objects.filter(
            state=MatchState.PROPOSED
        ).count(),
        "matches_declined": by_state.get(MatchState.DECLINED, 0),
        "mentorships": Mentorship.objects.count(),
        "checkins_done": CheckIn.objects.filter(done_at__isnull=False).count(),
        "pathways": Pathway.objects.count(),
        "pathway_steps_done": StepDone.objects.count(),
        "answers_pending": Match.objects.filter(
            state=MatchState.PROPOSED, helper_answer=Answer.PENDING
        ).count(),
    }


def load(stdout: Any = None) -> dict[str, int]:
    """Add help and mentoring to the demo organisation (idempotent);
    returns :func:`counts` plus ``added``: offers, requests, matches and
    ticks written by this run."""
    rng = random.Random(SEED)  # noqa: S311  (believable, not secret)
    added = 0
    with transaction.atomic():
        communities = list(Community.objects.order_by("slug"))
        for c in communities:
            added += _offers(c, rng)
            added += _requests(c, rng)
            added += _matches(c)
            _mentorship_life(c)
        for c in communities:
            if c.slug in PATHWAYS:
                added += _pathway(c, rng)
    result = counts()
    result["added"] = added
    if stdout is not None:
        stdout.write(
            f"Help and mentoring: {result['help_offers']} offers, "
            f"{result['help_requests']} requests, {result['matches']} "
            f"matches ({result['matches_accepted']} accepted, "
            f"{result['matches_waiting']} waiting, "
            f"{result['matches_declined']} declined), "
            f"{result['mentorships']} mentorships, {result['pathways']} "
            f"pathways with {result['pathway_steps_done']} steps done.\n"
        )
    return result
