"""Every write of the analytics app: value stories, their curation,
reflections and sponsor grants."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from practica import access
from practica.access.analytics import forget_sponsor
from practica.accounts.models import User
from practica.analytics import selectors
from practica.analytics.models import (
    Cycle,
    Reflection,
    SponsorGrant,
    StoryLink,
    ValueStory,
)
from practica.communities.models import Community
from practica.conversations import selectors as conversations
from practica.core import activity, text, validation
from practica.events import selectors as events
from practica.mentoring import selectors as mentoring
from practica.repertoire import selectors as repertoire

MAX_LINKS = 20
LINK_HELP = (
    "Link what the story came from as question:12, artifact:5, event:3 or "
    "mentorship:4, or paste the page's address (…/q/12/, …/r/5/)."
)


@dataclass
class Linkable:
    """How to find one kind of thing a story may cite, as the author."""

    load: Callable[[Any, int], models.Model]  # (viewer, pk) → object or 404
    noun: str


LINKABLE: dict[str, Linkable] = {
    "question": Linkable(
        lambda viewer, pk: conversations.conversation_get(
            viewer=viewer, pk=pk
        ),
        "question",
    ),
    "artifact": Linkable(
        lambda viewer, pk: repertoire.artifact_get(viewer=viewer, pk=pk),
        "artifact",
    ),
    "event": Linkable(
        lambda viewer, pk: events.event_get(viewer=viewer, pk=pk), "event"
    ),
    "mentorship": Linkable(
        lambda viewer, pk: mentoring.mentorship_get(viewer=viewer, pk=pk),
        "mentorship",
    ),
}
# Pasted addresses: the page paths of each kind.
PATHS = {"q": "question", "r": "artifact", "e": "event", "m": "mentorship"}
_REF = re.compile(r"^\s*([a-z]+)\s*[:#]\s*(\d+)\s*$")
_URL = re.compile(r"/(q|r|e|events|m|mentorships)/(\d+)(?:/|$)")


def parse_ref(ref: str) -> tuple[str, int]:
    """'artifact:5', 'artifact #5' or a page address → (kind, pk)."""
    m = _REF.match(ref.lower())
    if m:
        return m.group(1), int(m.group(2))
    m = _URL.search(ref)
    if m:
        short = m.group(1)[0]
        return PATHS[short], int(m.group(2))
    raise ValidationError(
        {"links": f"'{ref[:80]}' is not a link. {LINK_HELP}"}
    )


def resolve_links(author: Any, refs: list[str]) -> list[models.Model]:
    """The objects ``refs`` name, each one the author may see. Refuses an
    unknown kind and anything missing or hidden from the author, naming
    each (every problem at once)."""
    refs = [r for r in (refs or []) if r and r.strip()]
    if len(refs) > MAX_LINKS:
        raise ValidationError(
            {"links": f"Link at most {MAX_LINKS} things, not {len(refs)}."}
        )
    found: list[models.Model] = []
    errors: list[str] = []
    seen: set[tuple[str, int]] = set()
    for ref in refs:
        try:
            kind, pk = parse_ref(ref)
        except ValidationError as exc:
            errors.extend(exc.message_dict["links"])
            continue
        if (kind, pk) in seen:
            continue
        seen.add((kind, pk))
        how = LINKABLE.get(kind)
        if how is None:
            kinds = ", ".join(LINKABLE)
            errors.append(f"'{kind}' cannot be linked: link a {kinds}.")
            continue
        try:
            found.append(how.load(author, pk))
        except (Http404, PermissionDenied):
            errors.append(
                f"You cannot link {how.noun} {pk}: it does not exist or you "
                "cannot see it. Link only what you can open yourself."
            )
    if errors:
        raise ValidationError({"links": errors})
    return found


def _title_of(obj: models.Model) -> str:
    return str(getattr(obj, "title", "") or obj)[:200]


@transaction.atomic
def story_create(
    *,
    author: User,
    community: Community,
    title: str,
    cycle: str,
    happened: str,
    difference: str,
    links: list[str] | None = None,
) -> ValueStory:
    """Record a value story in a community, with what it came from.

    Refuses non-members, an empty title, text or difference, an unknown
    cycle and a link to anything the author cannot see.
    """
    access.require(author, "tell_story", community)
    cleaned = validation.clean_all(
        {
            "title": lambda: text.clean_line(
                title, field="title", max_length=200
            ),
            "cycle": lambda: validation.choice(cycle, Cycle, "cycle"),
            "happened": lambda: text.clean_markdown(
                happened, field="happened", max_length=10_000, required=True
            ),
            "difference": lambda: text.clean_markdown(
                difference,
                field="difference",
                max_length=10_000,
                required=True,
            ),
            "links": lambda: resolve_links(author, links or []),
        }
    )
    targets = cleaned.pop("links")
    story = ValueStory.objects.create(
        community=community,
        author=author,
        happened_html=text.render_markdown(cleaned["happened"]),
        difference_html=text.render_markdown(cleaned["difference"]),
        **cleaned,
    )
    StoryLink.objects.bulk_create(
        StoryLink(
            story=story,
            target_type=ContentType.objects.get_for_model(t),
            target_id=t.pk,
            title=_title_of(t),
        )
        for t in targets
    )
    activity.record(
        actor=author,
        verb="story.created",
        target=story,
        community_id=community.pk,
        summary=story.title,
        data={"cycle": story.cycle, "links": len(targets)},
    )
    return story


@transaction.atomic
def story_feature(
    *, actor: User, story: ValueStory, featured: bool = True
) -> ValueStory:
    """Feature a story (shown first, on the dashboard and to sponsors in
    the counts) or stop featuring it. Coordinators only; a hidden story
    cannot be featured."""
    access.require(actor, "curate_stories", story.community)
    s = ValueStory.objects.select_for_update().get(pk=story.pk)
    if featured and s.hidden:
        raise ValidationError(
            "This story is hidden: show it again before featuring it."
        )
    s.featured = featured
    s.featured_at = timezone.now() if featured else None
    s.featured_by = actor if featured else None
    s.save(
        update_fields=["featured", "featured_at", "featured_by", "updated_at"]
    )
    activity.record(
        actor=actor,
        verb="story.featured" if featured else "story.unfeatured",
        target=s,
        community_id=s.community_id,
        summary=s.title,
    )
    return s


@transaction.atomic
def story_hide(
    *, actor: User, story: ValueStory, hidden: bool = True, note: str = ""
) -> ValueStory:
    """Take a story off the list (its author and coordinators still see
    it) with a note saying why, or show it again. Coordinators only."""
    access.require(actor, "curate_stories", story.community)
    note = text.clean_line(note, field="note", max_length=300, required=hidden)
    s = ValueStory.objects.select_for_update().get(pk=story.pk)
    s.hidden = hidden
    s.curator_note = note if hidden else ""
    if hidden:
        s.featured, s.featured_at, s.featured_by = False, None, None
    s.save()
    activity.record(
        actor=actor,
        verb="story.hidden" if hidden else "story.shown",
        target=s,
        community_id=s.community_id,
        summary=s.title,
    )
    return s


@transaction.atomic
def reflection_save(
    *,
    author: User,
    community: Community,
    period: str,
    start: Any,
    what: str,
    so_what: str,
    now_what: str,
) -> Reflection:
    """Save the What? / So what? / Now what? review of a period that is
    over (saving again replaces it), with that period's figures kept.

    Refuses anyone below core member, an unknown period, a start that is
    not the first day of a period or a period not yet over, and empty
    answers.
    """
    access.require(author, "reflect", community)
    zone = selectors.zone_for(author)
    cleaned = validation.clean_all(
        {
            "period": lambda: selectors.period_of(period),
            "what": lambda: text.clean_markdown(
                what, field="what", max_length=20_000, required=True
            ),
            "so_what": lambda: text.clean_markdown(
                so_what, field="so_what", max_length=20_000, required=True
            ),
            "now_what": lambda: text.clean_markdown(
                now_what, field="now_what", max_length=20_000, required=True
            ),
        }
    )
    day = selectors.period_start(cleaned["period"], start, zone)
    end = selectors.figures.bucket_at(cleaned["period"], zone, day).end.date()
    figs = selectors.period_figures(community, cleaned["period"], day, zone)
    r, created = Reflection.objects.select_for_update().get_or_create(
        community=community,
        period=cleaned["period"],
        start=day,
        defaults={"end": end, "author": author},
    )
    r.end = end
    r.author = author
    r.what = cleaned["what"]
    r.what_html = text.render_markdown(r.what)
    r.so_what = cleaned["so_what"]
    r.so_what_html = text.render_markdown(r.so_what)
    r.now_what = cleaned["now_what"]
    r.now_what_html = text.render_markdown(r.now_what)
    r.figures = figs
    r.save()
    activity.record(
        actor=author,
        verb="reflection.created" if created else "reflection.edited",
        target=r,
        community_id=community.pk,
        summary=f"{r.get_period_display()} from {day.isoformat()}",
    )
    return r


@transaction.atomic
def sponsor_grant(
    *,
    actor: User,
    user: User,
    note: str = "",
    communities: list[Community] | None = None,
) -> SponsorGrant:
    """Let ``user`` see cross-community aggregates (every community, or
    only ``communities``). Site staff only."""
    if not actor.is_superuser:
        raise PermissionDenied("Only the site's staff can name sponsors.")
    note = text.clean_line(note, field="note", max_length=200, required=False)
    grant, _ = SponsorGrant.objects.update_or_create(
        user=user, defaults={"note": note, "granted_by": actor}
    )
    grant.communities.set(communities or [])
    forget_sponsor(user)
    activity.record(
        actor=actor,
        verb="sponsor.granted",
        target=grant,
        summary=user.name,
        data={"communities": [c.pk for c in communities or []]},
    )
    return grant


@transaction.atomic
def sponsor_revoke(*, actor: User, user: User) -> None:
    """Take a sponsor grant away. Site staff only."""
    if not actor.is_superuser:
        raise PermissionDenied("Only the site's staff can name sponsors.")
    grant = SponsorGrant.objects.filter(user=user).first()
    if grant is None:
        raise ValidationError(f"{user.name} is not a sponsor.")
    activity.record(
        actor=actor, verb="sponsor.revoked", target=grant, summary=user.name
    )
    grant.delete()
    forget_sponsor(user)
