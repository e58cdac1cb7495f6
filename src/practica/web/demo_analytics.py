"""Demo value stories and reflections on the demo communities.

Run after :func:`practica.web.demo.build` (and the events and mentoring
demos): in each community a few members tell what the community made
possible, citing the community's own artifacts and solved questions, a
coordinator features the best one, takes none off the list, and writes
the What? / So what? / Now what? review of last month. Everything goes
through the services; running it again adds nothing.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from practica.analytics import selectors, services
from practica.analytics.models import Cycle, Period, Reflection, ValueStory
from practica.communities.models import Community, Membership, Role, Status
from practica.conversations.models import Conversation, Kind
from practica.repertoire.models import Artifact
from practica.repertoire.models import Status as ArtifactStatus

SEED = 11

# (cycle, title, what happened, what difference it made); {artifact} and
# {question} are the titles of what the story cites.
STORIES = [
    (
        Cycle.IMMEDIATE,
        "An answer the same afternoon",
        'I was stuck and asked "{question}". Two colleagues from other '
        "sites answered within hours, one from a case they had last year.",
        "I did not lose the afternoon, and I know whom to ask next time.",
    ),
    (
        Cycle.POTENTIAL,
        "A checklist I keep coming back to",
        "I read **{artifact}** before my first shift on my own and kept a "
        "printout at the station.",
        "I had not needed it yet, but I now know the failure modes and "
        "who owns the procedure.",
    ),
    (
        Cycle.APPLIED,
        "We changed how we do it",
        'After the thread "{question}" our team tried the approach in '
        "**{artifact}** for three weeks.",
        "We now do it this way on every line; the old workaround is gone "
        "from our own notes.",
    ),
    (
        Cycle.REALISED,
        "Hours back every week",
        "Following **{artifact}**, we rebuilt our weekly routine and "
        "measured it for a month.",
        "About 4 hours a week saved across the team, and two incidents "
        "avoided that we used to have every month.",
    ),
    (
        Cycle.TRANSFORMATIVE,
        "From firefighting to prevention",
        'The discussions around "{question}" and **{artifact}** made us '
        "rethink what our team is for.",
        "Our department now plans preventive work each quarter with the "
        "community's core members, instead of waiting for breakdowns.",
    ),
]


def _people(c: Community) -> tuple[list[Any], list[Any]]:
    ms = list(
        Membership.objects.filter(community=c, status=Status.ACTIVE)
        .select_related("user")
        .order_by("user__email")
    )
    coords = [m.user for m in ms if m.role == Role.COORDINATOR]
    others = [m.user for m in ms if m.role != Role.COORDINATOR]
    return coords, others


def _stories(c: Community, rng: random.Random) -> int:
    coords, tellers = _people(c)
    if not coords or not tellers:
        return 0
    artifacts = list(
        Artifact.objects.filter(
            community=c, status=ArtifactStatus.PUBLISHED, obsolete=False
        ).order_by("id")[:20]
    )
    solved = list(
        Conversation.objects.filter(
            community=c, kind=Kind.QUESTION, accepted_reply__isnull=False
        ).order_by("id")[:20]
    )
    if not artifacts or not solved:
        return 0
    added = 0
    now = timezone.now()
    made: list[ValueStory] = []
    for i, (cycle, title, happened, difference) in enumerate(STORIES):
        if ValueStory.objects.filter(community=c, title=title).exists():
            continue
        art, q = rng.choice(artifacts), rng.choice(solved)
        teller = tellers[i % len(tellers)]
        links = []
        if "{artifact}" in happened:
            links.append(f"artifact:{art.pk}")
        if "{question}" in happened:
            links.append(f"question:{q.pk}")
        try:
            story = services.story_create(
                author=teller,
                community=c,
                title=title,
                cycle=cycle,
                happened=happened.format(artifact=art.title, question=q.title),
                difference=difference,
                links=links,
            )
        except (ValidationError, PermissionDenied):
            continue  # a teller who may not see what is cited
        # Spread the stories over the past year.
        when = now - timedelta(days=20 + 70 * i + rng.randint(0, 20))
        ValueStory.objects.filter(pk=story.pk).update(
            created_at=when, updated_at=when
        )
        made.append(story)
        added += 1
    if made and not ValueStory.objects.filter(community=c, featured=True):
        best = max(made, key=lambda s: list(Cycle.values).index(s.cycle))
        services.story_feature(actor=coords[0], story=best)
    return added


def _last_month() -> date:
    first = timezone.now().date().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _reflection(c: Community) -> int:
    coords, _ = _people(c)
    start = _last_month()
    if (
        not coords
        or Reflection.objects.filter(
            community=c, period=Period.MONTH, start=start
        ).exists()
    ):
        return 0
    coord = coords[0]
    draft = selectors.reflection_draft(
        viewer=coord, community=c, period=Period.MONTH, start=start
    )
    services.reflection_save(
        author=coord,
        community=c,
        period=Period.MONTH,
        start=start,
        what=draft["what"]
        + "\n- Two value stories told, one about time saved on the lines.",
        so_what="Questions get answered, but too many wait more than a day "
        "for the first answer, and the same few people answer most of "
        "them. The repertoire grows; several verifications ran out.",
        now_what="- Ask the core members to watch the unanswered list on "
        "Mondays and Thursdays.\n- Pair each newcomer with a mentor from "
        "another site.\n- Owners of expired artifacts: review them before "
        "the next session.",
    )
    return 1


def counts() -> dict[str, int]:
    return {
        "value_stories": ValueStory.objects.count(),
        "featured_stories": ValueStory.objects.filter(featured=True).count(),
        "reflections": Reflection.objects.count(),
    }


def load(stdout: Any = None) -> dict[str, int]:
    """Add value stories and a reflection to every demo community
    (idempotent); returns :func:`counts` plus ``added``."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
    added = 0
    with transaction.atomic():
        for c in Community.objects.order_by("slug"):
            added += _stories(c, rng)
            added += _reflection(c)
    result = counts()
    result["added"] = added
    if stdout is not None:
        stdout.write(
            f"Value: {result['value_stories']} value stories "
            f"({result['featured_stories']} featured) and "
            f"{result['reflections']} reflections.\n"
        )
    return result
