"""Demo history: date the demo's activity record when its things happened.

The demo writes everything through the services, so each activity entry
is stamped with the minute the demo ran, although the question, the
answer or the session it records is backdated months. Health figures
("active members" per period), the inbox and the digests read the record,
so on demo data they looked as if everything happened today. This moves
each of the demo people's entries to the moment its target shows: a
question's creation, a session's start, a membership's joining, and so
on. Run after the parts it dates; running again changes nothing (an entry
only ever moves back, and once moved it matches its target).
"""

from typing import Any, NamedTuple

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef, Subquery

from practica.core.models import Activity
from practica.web.demo import DOMAIN


class Mark(NamedTuple):
    """A person's mark on the target dates the entry: ``model``'s
    ``field`` where ``link`` is the target and ``person`` the actor."""

    target: str
    model: str
    link: str
    person: str
    field: str = "created_at"


# verb -> (target model, the target's field that dates it), or a Mark.
# Verbs left out (profile edits) keep the demo's run time.
WHEN: dict[str, tuple[str, str] | Mark] = {
    "artifact.helped": Mark(
        "repertoire.artifact", "repertoire.helped", "artifact", "user"
    ),
    "reply.worked": Mark(
        "conversations.reply", "conversations.worked", "reply", "user"
    ),
    "expertise.endorsed": Mark(
        "accounts.expertise", "accounts.endorsement", "expertise", "endorser"
    ),
    "reply.accepted": ("conversations.reply", "created_at"),
    "event.rsvp": ("events.occurrence", "starts_at"),
    "artifact.archived": ("repertoire.artifact", "updated_at"),
    "artifact.created": ("repertoire.artifact", "created_at"),
    "artifact.edited": ("repertoire.artifact", "updated_at"),
    "artifact.obsoleted": ("repertoire.artifact", "updated_at"),
    "artifact.published": ("repertoire.artifact", "updated_at"),
    "artifact.verified": ("repertoire.artifact", "verified_at"),
    "comment.created": ("conversations.comment", "created_at"),
    "community.created": ("communities.community", "created_at"),
    "conversation.asked": ("conversations.askrequest", "created_at"),
    "conversation.closed": ("conversations.conversation", "updated_at"),
    "conversation.locked": ("conversations.conversation", "updated_at"),
    "conversation.merged": ("conversations.conversation", "updated_at"),
    "discussion.created": ("conversations.conversation", "created_at"),
    "question.created": ("conversations.conversation", "created_at"),
    "reply.created": ("conversations.reply", "created_at"),
    "flag.created": ("conversations.flag", "created_at"),
    "event.created": ("events.event", "created_at"),
    "event.problem": ("events.problem", "created_at"),
    "occurrence.attended": ("events.occurrence", "starts_at"),
    "occurrence.notes": ("events.occurrence", "notes_at"),
    "expertise.set": ("accounts.expertise", "created_at"),
    "expertise.verified": ("accounts.expertise", "verified_at"),
    "help.offered": ("mentoring.helpoffer", "created_at"),
    "help.requested": ("mentoring.helprequest", "created_at"),
    "match.proposed": ("mentoring.match", "created_at"),
    "match.accepted": ("mentoring.match", "decided_at"),
    "match.declined": ("mentoring.match", "decided_at"),
    "mentorship.started": ("mentoring.mentorship", "started_at"),
    "invitation.created": ("communities.invitation", "created_at"),
    "invitation.accepted": ("communities.invitation", "accepted_at"),
    "membership.requested": ("communities.membership", "created_at"),
    "membership.approved": ("communities.membership", "decided_at"),
    "membership.declined": ("communities.membership", "decided_at"),
    "membership.joined": ("communities.membership", "joined_at"),
    "reflection.created": ("analytics.reflection", "created_at"),
    "story.created": ("analytics.valuestory", "created_at"),
    "story.featured": ("analytics.valuestory", "featured_at"),
}


def load(stdout: Any = None) -> int:
    """Move the demo people's entries back to their targets' dates;
    returns how many moved."""
    moved = 0
    with transaction.atomic():
        for verb, how in WHEN.items():
            if isinstance(how, Mark):
                target = apps.get_model(how.target)
                dating = apps.get_model(how.model).objects.filter(
                    **{
                        how.link: OuterRef("target_id"),
                        how.person: OuterRef("actor_id"),
                    }
                )
                field = how.field
            else:
                target = apps.get_model(how[0])
                dating = target.objects.filter(pk=OuterRef("target_id"))
                field = how[1]
            when = Subquery(
                dating.filter(**{f"{field}__isnull": False}).values(field)[:1]
            )
            moved += Activity.objects.filter(
                verb=verb,
                target_type=ContentType.objects.get_for_model(target),
                actor__email__endswith=f"@{DOMAIN}",
                created_at__gt=when,
            ).update(created_at=when)
    if stdout is not None and moved:
        stdout.write(f"History: {moved} activity entries dated.\n")
    return moved
