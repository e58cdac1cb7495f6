"""Every write about conversations: ask, reply, comment, vote, accept,
edit with history, moderate, flag, and ask someone directly."""

import hashlib
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify

from practica import access
from practica.accounts.models import Expertise, Skill, User
from practica.communities.models import Community, Role, Status
from practica.conversations.models import (
    AskRequest,
    Comment,
    Conversation,
    Flag,
    FlagState,
    Kind,
    Reply,
    Revision,
    State,
    Tag,
    Vote,
    Worked,
)
from practica.core import activity, text, validation

MIN_TITLE, MAX_TITLE = 10, 200
MIN_BODY = 20
MAX_TAGS = 5
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=30)


# --- helpers ------------------------------------------------------------


def _title(value: str) -> str:
    title = text.clean_line(value, field="title", max_length=MAX_TITLE)
    if len(title) < MIN_TITLE:
        raise ValidationError(
            {
                "title": f"Title is {len(title)} characters; write at least "
                f"{MIN_TITLE} so people can tell what it is about."
            }
        )
    return title


def _body(value: str, *, field: str = "body") -> str:
    body = text.clean_markdown(
        value, field=field, max_length=30_000, required=True
    )
    if len(body) < MIN_BODY:
        raise ValidationError(
            {
                field: f"{field.capitalize()} is {len(body)} characters; "
                f"write at least {MIN_BODY}: what you tried, what happened."
            }
        )
    return body


def resolve_tags(
    *, actor: User, community: Community, names: list[str]
) -> list[Tag]:
    """Tags by name for a post in ``community``.

    Known tags are used as they are. Unknown ones are proposals: created
    unapproved when the community lets members propose tags (or the
    actor coordinates it), refused otherwise with the list to pick from.
    Refuses more than five tags.
    """
    wanted: dict[str, str] = {}
    for name in names:
        name = text.clean_line(
            name, field="tags", max_length=40, required=False
        )
        slug = slugify(name)
        if slug:
            wanted.setdefault(slug, name)
    if len(wanted) > MAX_TAGS:
        raise ValidationError(
            {"tags": f"{len(wanted)} tags given; use at most {MAX_TAGS}."}
        )
    found = {
        t.slug: t
        for t in Tag.objects.filter(community=community, slug__in=wanted)
    }
    missing = [s for s in wanted if s not in found]
    if missing:
        coordinator = access.can(actor, "moderate", community)
        if not (community.members_propose_tags or coordinator):
            known = ", ".join(
                Tag.objects.filter(
                    community=community, approved=True
                ).values_list("name", flat=True)[:15]
            )
            raise ValidationError(
                {
                    "tags": f"{', '.join(missing)}: not in this community's "
                    "tag list. Pick from: "
                    f"{known or 'no tags yet'}; a coordinator can add more."
                }
            )
        for slug in missing:
            found[slug] = Tag.objects.create(
                community=community,
                name=wanted[slug],
                slug=slug,
                approved=coordinator,
                proposed_by=actor,
            )
    return [found[s] for s in wanted]


def _set_tags(conversation: Conversation, tags: list[Tag]) -> None:
    old = set(conversation.tags.values_list("pk", flat=True))
    new = {t.pk for t in tags}
    conversation.tags.set(tags)
    Tag.objects.filter(pk__in=new - old).update(use_count=F("use_count") + 1)
    Tag.objects.filter(pk__in=old - new, use_count__gt=0).update(
        use_count=F("use_count") - 1
    )
    conversation.tag_names = [t.name for t in tags]


def _touch(conversation_id: int, **counters: Any) -> None:
    """Bump the version (and counters) so cached fragments refresh."""
    Conversation.objects.filter(pk=conversation_id).update(
        version=F("version") + 1, last_activity_at=timezone.now(), **counters
    )


def _revision(
    *,
    conversation: Conversation,
    reply: Reply | None,
    author: User,
    title: str,
    body: str,
    message: str,
) -> None:
    last = (
        Revision.objects.filter(conversation=conversation, reply=reply)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    Revision.objects.create(
        conversation=conversation,
        reply=reply,
        number=(last or 0) + 1,
        author=author,
        title=title,
        body=body,
        message=message,
    )


def from_practice(*, author: User, conversation: Conversation) -> bool:
    """Does the author practise in the conversation's area?

    Yes when their role in the community is above newcomer, or when they
    declared expertise in a skill linked to one of its tags (or a skill of
    the same name).
    """
    role = access.role_in(author, conversation.community)
    if role is not None and role != Role.NEWCOMER:
        return True
    tags = list(conversation.tags.all())
    skill_ids = {t.skill_id for t in tags if t.skill_id}
    slugs = {t.slug for t in tags}
    return (
        Expertise.objects.filter(user=author)
        .filter(Q(skill_id__in=skill_ids) | Q(skill__slug__in=slugs))
        .exists()
    )


# --- conversations ------------------------------------------------------


@transaction.atomic
def conversation_create(
    *,
    author: User,
    community: Community,
    title: str,
    body: str,
    kind: str = Kind.QUESTION,
    tags: list[str] | None = None,
) -> Conversation:
    """Ask a question or open a discussion in a community.

    Refuses non-members, a title under 10 or over 200 characters, a body
    under 20 characters, an unknown kind and tags outside the community's
    policy, naming each field.
    """
    access.require(author, "participate", community)
    if kind not in Kind.values:
        raise ValidationError(
            {"kind": f"'{kind}' is not a kind: use question or discussion."}
        )
    title, body, found = validation.clean_all(
        {
            "title": lambda: _title(title),
            "body": lambda: _body(body),
            "tags": lambda: resolve_tags(
                actor=author, community=community, names=tags or []
            ),
        }
    ).values()
    now = timezone.now()
    conversation = Conversation.objects.create(
        community=community,
        kind=kind,
        author=author,
        title=title,
        body=body,
        body_html=text.render_markdown(body),
        last_activity_at=now,
    )
    _set_tags(conversation, found)
    conversation.save(update_fields=["tag_names"])
    _revision(
        conversation=conversation,
        reply=None,
        author=author,
        title=title,
        body=body,
        message="Asked" if kind == Kind.QUESTION else "Opened",
    )
    activity.record(
        actor=author,
        verb=f"{kind}.created",
        target=conversation,
        community_id=community.pk,
        summary=title,
    )
    return conversation


def _may_edit(
    actor: User, author_id: int | None, community: Community
) -> None:
    if actor.pk == author_id and access.can(actor, "participate", community):
        return
    if access.can(actor, "moderate", community):
        return
    raise PermissionDenied("Only the author or a coordinator can edit this.")


@transaction.atomic
def conversation_edit(
    *,
    actor: User,
    conversation: Conversation,
    title: str,
    body: str,
    tags: list[str] | None = None,
    message: str = "",
) -> Conversation:
    """Edit a question or discussion, keeping the old text as a revision.

    Refuses anyone but the author (while a member) or a coordinator, and
    the same bad input as asking.
    """
    c = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _may_edit(actor, c.author_id, c.community)
    message = text.clean_line(
        message, field="message", max_length=200, required=False
    )
    title, body, found = validation.clean_all(
        {
            "title": lambda: _title(title),
            "body": lambda: _body(body),
            "tags": lambda: resolve_tags(
                actor=actor,
                community=c.community,
                names=tags if tags is not None else list(c.tag_names),
            ),
        }
    ).values()
    if (title, body, [t.name for t in found]) == (
        c.title,
        c.body,
        c.tag_names,
    ):
        return c
    c.title, c.body = title, body
    c.body_html = text.render_markdown(body)
    c.edited_at = timezone.now()
    _set_tags(c, found)
    c.version = F("version") + 1
    c.save()
    c.refresh_from_db()
    _revision(
        conversation=c,
        reply=None,
        author=actor,
        title=title,
        body=body,
        message=message or "Edited",
    )
    activity.record(
        actor=actor,
        verb="conversation.edited",
        target=c,
        community_id=c.community_id,
        summary=title,
    )
    return c


def _moderate(actor: User, conversation: Conversation) -> Conversation:
    access.require(actor, "moderate", conversation.community)
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _reason(reason: str) -> str:
    return text.clean_line(reason, field="reason", max_length=300)


@transaction.atomic
def conversation_close(
    *, actor: User, conversation: Conversation, reason: str
) -> Conversation:
    """Close a conversation to new replies, with a reason shown on it.

    Refuses non-coordinators and an empty reason.
    """
    c = _moderate(actor, conversation)
    c.state, c.state_reason = State.CLOSED, _reason(reason)
    c.version = F("version") + 1
    c.save()
    c.refresh_from_db()
    activity.record(
        actor=actor,
        verb="conversation.closed",
        target=c,
        community_id=c.community_id,
        summary=c.title,
    )
    return c


@transaction.atomic
def conversation_reopen(
    *, actor: User, conversation: Conversation, reason: str = ""
) -> Conversation:
    """Reopen a closed or duplicate conversation (coordinators); an
    optional reason goes into the history.

    Refuses non-coordinators and a reason over 300 characters.
    """
    c = _moderate(actor, conversation)
    reason = text.clean_line(
        reason, field="reason", max_length=300, required=False
    )
    c.state, c.state_reason, c.duplicate_of = State.OPEN, "", None
    c.version = F("version") + 1
    c.save()
    c.refresh_from_db()
    activity.record(
        actor=actor,
        verb="conversation.reopened",
        target=c,
        community_id=c.community_id,
        summary=c.title,
        data={"reason": reason} if reason else None,
    )
    return c


@transaction.atomic
def conversation_lock(
    *, actor: User, conversation: Conversation, locked: bool, reason: str = ""
) -> Conversation:
    """Lock (no replies, comments or votes) or unlock a conversation.

    Refuses non-coordinators and locking without a reason.
    """
    c = _moderate(actor, conversation)
    c.locked = locked
    if locked:
        c.state_reason = _reason(reason)
    elif c.state == State.OPEN:
        c.state_reason = ""  # the lock's reason no longer applies
    c.version = F("version") + 1
    c.save()
    c.refresh_from_db()
    activity.record(
        actor=actor,
        verb="conversation.locked" if locked else "conversation.unlocked",
        target=c,
        community_id=c.community_id,
        summary=c.title,
    )
    return c


@transaction.atomic
def conversation_move(
    *,
    actor: User,
    conversation: Conversation,
    community: Community,
    reason: str,
) -> Conversation:
    """Move a conversation to another community, keeping its tags by name
    where the target has them.

    Refuses anyone who does not coordinate both communities.
    """
    c = _moderate(actor, conversation)
    access.require(actor, "moderate", community)
    reason = _reason(reason)
    if community.pk == c.community_id:
        raise ValidationError(
            {"community": "It is already in this community: pick another."}
        )
    target = list(
        Tag.objects.filter(
            community=community, slug__in=[slugify(n) for n in c.tag_names]
        )
    )
    source = c.community_id
    c.community = community
    c.state_reason = reason
    _set_tags(c, target)
    c.version = F("version") + 1
    c.save()
    c.refresh_from_db()
    activity.record(
        actor=actor,
        verb="conversation.moved",
        target=c,
        community_id=community.pk,
        summary=c.title,
        data={"from": source, "reason": reason},
    )
    return c


@transaction.atomic
def conversation_merge(
    *, actor: User, conversation: Conversation, into: Conversation, reason: str
) -> Conversation:
    """Mark a conversation as a duplicate of another; its replies move to
    the original and it links there.

    Refuses non-coordinators, merging into itself or into another
    community, and an empty reason.
    """
    c = _moderate(actor, conversation)
    reason = _reason(reason)
    if into.pk == c.pk or into.community_id != c.community_id:
        raise ValidationError(
            {"into": "Pick another conversation in the same community."}
        )
    moved = Reply.objects.filter(conversation=c).update(conversation=into)
    # The answers' histories follow them, so their next edit numbers on.
    Revision.objects.filter(conversation=c, reply__isnull=False).update(
        conversation=into
    )
    comments = Comment.objects.filter(conversation=c).update(conversation=into)
    c.state, c.state_reason, c.duplicate_of = State.DUPLICATE, reason, into
    c.reply_count = c.comment_count = 0
    c.accepted_reply = None
    c.version = F("version") + 1
    c.save()
    c.refresh_from_db()
    _touch(
        into.pk,
        reply_count=F("reply_count") + moved,
        comment_count=F("comment_count") + comments,
    )
    activity.record(
        actor=actor,
        verb="conversation.merged",
        target=c,
        community_id=c.community_id,
        summary=c.title,
        data={"into": into.pk, "reason": reason},
    )
    return c


def _open_for_writing(user: User, c: Conversation) -> None:
    access.require(user, "participate", c.community)
    if c.locked:
        raise ValidationError(
            f"This conversation is locked: {c.state_reason or 'no reason'}"
            ". It takes no more replies, comments or votes."
        )
    if c.state != State.OPEN:
        raise ValidationError(
            "This conversation is closed"
            + (f": {c.state_reason}" if c.state_reason else "")
            + ". It takes no more replies."
        )


# --- replies ------------------------------------------------------------


def _digest(author: User, body: str) -> str:
    return hashlib.sha256(f"{author.pk}:{body}".encode()).hexdigest()


@transaction.atomic
def reply_create(
    *,
    author: User,
    conversation: Conversation,
    body: str,
    experience: str = "",
) -> Reply:
    """Answer a question or reply in a discussion.

    Sending the same text again within seconds returns the first reply.
    Refuses non-members, closed or locked conversations and a body under
    20 characters.
    """
    c = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _open_for_writing(author, c)
    body, experience = validation.clean_all(
        {
            "body": lambda: _body(body),
            "experience": lambda: text.clean_line(
                experience, field="experience", max_length=300, required=False
            ),
        }
    ).values()
    digest = _digest(author, body)
    twin = Reply.objects.filter(
        conversation=c,
        author=author,
        digest=digest,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if twin is not None:
        return twin
    reply = Reply.objects.create(
        conversation=c,
        author=author,
        body=body,
        body_html=text.render_markdown(body),
        experience=experience,
        from_practice=from_practice(author=author, conversation=c),
        digest=digest,
    )
    _revision(
        conversation=c,
        reply=reply,
        author=author,
        title="",
        body=body,
        message="Answered",
    )
    _touch(c.pk, reply_count=F("reply_count") + 1)
    activity.record(
        actor=author,
        verb="reply.created",
        target=reply,
        community_id=c.community_id,
        summary=c.title,
        data={"conversation": c.pk, "asker": c.author_id},
    )
    return reply


@transaction.atomic
def reply_edit(
    *,
    actor: User,
    reply: Reply,
    body: str,
    experience: str | None = None,
    message: str = "",
) -> Reply:
    """Edit an answer, keeping the old text as a revision.

    Refuses anyone but the author (while a member) or a coordinator.
    """
    r = (
        Reply.objects.select_for_update()
        .select_related("conversation__community")
        .get(pk=reply.pk)
    )
    _may_edit(actor, r.author_id, r.conversation.community)
    body, experience, message = validation.clean_all(
        {
            "body": lambda: _body(body),
            "experience": lambda: text.clean_line(
                r.experience if experience is None else experience,
                field="experience",
                max_length=300,
                required=False,
            ),
            "message": lambda: text.clean_line(
                message, field="message", max_length=200, required=False
            ),
        }
    ).values()
    if (body, experience) == (r.body, r.experience):
        return r
    r.body, r.experience = body, experience
    r.body_html = text.render_markdown(body)
    r.edited_at = timezone.now()
    r.save()
    _revision(
        conversation=r.conversation,
        reply=r,
        author=actor,
        title="",
        body=body,
        message=message or "Edited",
    )
    _touch(r.conversation_id)
    activity.record(
        actor=actor,
        verb="reply.edited",
        target=r,
        community_id=r.conversation.community_id,
        summary=r.conversation.title,
    )
    return r


@transaction.atomic
def reply_accept(
    *, actor: User, reply: Reply, accepted: bool = True
) -> Conversation:
    """Accept an answer as the solution (or withdraw the acceptance).

    Accepting another answer replaces the previous one. Refuses anyone
    but the asker or a coordinator, and discussions (they have no
    solution).
    """
    c = (
        Conversation.objects.select_for_update()
        .select_related("community")
        .get(pk=reply.conversation_id)
    )
    if c.kind != Kind.QUESTION:
        raise ValidationError("Discussions have no accepted solution.")
    asker = actor.pk == c.author_id and access.can(
        actor, "participate", c.community
    )
    if not (asker or access.can(actor, "moderate", c.community)):
        raise PermissionDenied(
            "Only the person who asked, or a coordinator, can accept an "
            "answer."
        )
    if accepted:
        c.accepted_reply_id = reply.pk
    elif c.accepted_reply_id == reply.pk:
        c.accepted_reply_id = None
    c.version = F("version") + 1
    c.last_activity_at = timezone.now()
    c.save()
    c.refresh_from_db()
    activity.record(
        actor=actor,
        verb="reply.accepted" if accepted else "reply.unaccepted",
        target=reply,
        community_id=c.community_id,
        summary=c.title,
        data={"conversation": c.pk, "answerer": reply.author_id},
    )
    return c


@transaction.atomic
def reply_worked(*, user: User, reply: Reply, worked: bool = True) -> Reply:
    """Mark (or unmark) "this also worked for me" on an answer.

    Refuses non-members and your own answer.
    """
    r = Reply.objects.select_related("conversation__community").get(
        pk=reply.pk
    )
    access.require(user, "participate", r.conversation.community)
    if r.author_id == user.pk:
        raise ValidationError("This is your own answer.")
    if worked:
        try:
            with transaction.atomic():
                Worked.objects.create(user=user, reply=r)
        except IntegrityError:
            return r
        delta = 1
    else:
        deleted, _ = Worked.objects.filter(user=user, reply=r).delete()
        if not deleted:
            return r
        delta = -1
    Reply.objects.filter(pk=r.pk).update(
        worked_count=F("worked_count") + delta
    )
    _touch(r.conversation_id)
    r.refresh_from_db(fields=["worked_count"])
    if worked:
        activity.record(
            actor=user,
            verb="reply.worked",
            target=r,
            community_id=r.conversation.community_id,
            summary=r.conversation.title,
            data={"answerer": r.author_id},
        )
    return r


# --- comments, votes, flags, asks -----------------------------------------


@transaction.atomic
def comment_create(
    *,
    author: User,
    conversation: Conversation,
    body: str,
    reply: Reply | None = None,
) -> Comment:
    """Comment on a question or one of its answers.

    Refuses non-members, locked conversations, an empty comment and one
    over 600 characters.
    """
    c = Conversation.objects.select_for_update().get(pk=conversation.pk)
    access.require(author, "participate", c.community)
    if c.locked:
        raise ValidationError("This conversation is locked: no comments.")
    if reply is not None and reply.conversation_id != c.pk:
        raise ValidationError(
            {"reply": "That answer is not part of this conversation."}
        )
    body = text.clean_markdown(
        body, field="body", max_length=600, required=True
    )
    comment = Comment.objects.create(
        conversation=c,
        reply=reply,
        author=author,
        body=body,
        body_html=text.render_markdown(body),
    )
    if reply is not None:
        Reply.objects.filter(pk=reply.pk).update(
            comment_count=F("comment_count") + 1
        )
    _touch(c.pk, comment_count=F("comment_count") + 1)
    activity.record(
        actor=author,
        verb="comment.created",
        target=comment,
        community_id=c.community_id,
        summary=c.title,
    )
    return comment


@transaction.atomic
def vote(
    *,
    user: User,
    value: int,
    conversation: Conversation | None = None,
    reply: Reply | None = None,
) -> int:
    """Vote +1 / -1 (answers) or +1 (questions); 0 takes the vote back.

    Returns the new score. Changing a vote replaces it. Scores stay right
    under concurrent votes: the target row is locked while the vote
    changes. Refuses your own posts, down-votes on questions, values
    other than -1, 0, 1 and locked conversations.
    """
    if (conversation is None) == (reply is None):
        raise ValueError("Vote on a conversation or a reply, not both.")
    model: Any = Conversation if reply is None else Reply
    wanted: Any = reply if reply is not None else conversation
    related = "community" if reply is None else "conversation__community"
    target = (
        model.objects.select_for_update(of=("self",))
        .select_related(related)
        .get(pk=wanted.pk)
    )
    c = target if reply is None else target.conversation
    access.require(user, "participate", c.community)
    if c.locked:
        raise ValidationError("This conversation is locked: no votes.")
    if value not in (-1, 0, 1) or (reply is None and value == -1):
        allowed = "1 or 0" if reply is None else "1, -1 or 0"
        raise ValidationError(
            {"value": f"Vote must be {allowed}; got {value}."}
        )
    if target.author_id == user.pk:
        raise ValidationError("You cannot vote on your own post.")
    lookup = (
        {"conversation": c, "reply": None}
        if reply is None
        else {"conversation": None, "reply": target}
    )
    existing = Vote.objects.filter(user=user, **lookup).first()
    old = existing.value if existing else 0
    if value == old:
        return int(target.score)
    if existing and value == 0:
        existing.delete()
    elif existing:
        existing.value = value
        existing.save(update_fields=["value"])
    else:
        Vote.objects.create(user=user, value=value, **lookup)
    model.objects.filter(pk=target.pk).update(score=F("score") + (value - old))
    _touch(c.pk)
    target.refresh_from_db(fields=["score"])
    return int(target.score)


@transaction.atomic
def flag_create(
    *,
    user: User,
    conversation: Conversation,
    reason: str,
    reply: Reply | None = None,
) -> Flag:
    """Flag a post for the coordinators; flagging twice changes nothing.

    Refuses people who may not see the conversation and an empty reason.
    """
    access.require(user, "participate", conversation.community)
    reason = _reason(reason)
    existing = Flag.objects.filter(
        conversation=conversation,
        reply=reply,
        flagged_by=user,
        state=FlagState.OPEN,
    ).first()
    if existing is not None:
        return existing
    flag = Flag.objects.create(
        conversation=conversation, reply=reply, flagged_by=user, reason=reason
    )
    activity.record(
        actor=user,
        verb="flag.created",
        target=flag,
        community_id=conversation.community_id,
        summary=conversation.title,
    )
    return flag


@transaction.atomic
def flag_resolve(
    *, actor: User, flag: Flag, resolution: str, dismiss: bool = False
) -> Flag:
    """Resolve or dismiss a flag with a note (coordinators).

    Refuses non-coordinators, flags already handled and an empty note.
    """
    access.require(actor, "moderate", flag.conversation.community)
    f = Flag.objects.select_for_update().get(pk=flag.pk)
    if f.state != FlagState.OPEN:
        raise ValidationError("This flag was already handled.")
    f.resolution = text.clean_line(
        resolution, field="resolution", max_length=300
    )
    f.state = FlagState.DISMISSED if dismiss else FlagState.RESOLVED
    f.resolved_by = actor
    f.save()
    activity.record(
        actor=actor,
        verb=f"flag.{f.state}",
        target=f,
        community_id=flag.conversation.community_id,
        summary=f.resolution,
    )
    return f


@transaction.atomic
def ask_request_create(
    *, actor: User, conversation: Conversation, person: User, reason: str = ""
) -> AskRequest:
    """Ask a member directly to look at a question; asking twice changes
    nothing.

    Refuses anyone but the asker (or a coordinator), asking yourself, and
    people who are not active members of the community.
    """
    c = conversation
    if not (
        actor.pk == c.author_id or access.can(actor, "moderate", c.community)
    ):
        raise PermissionDenied(
            "Only the person who asked can ask others directly."
        )
    if person.pk == actor.pk:
        raise ValidationError({"person": "You cannot ask yourself."})
    if not c.community.memberships.filter(
        user=person, status=Status.ACTIVE
    ).exists():
        raise ValidationError(
            {"person": f"{person.name} is not a member of {c.community.name}."}
        )
    request, created = AskRequest.objects.get_or_create(
        conversation=c,
        asked=person,
        defaults={"asked_by": actor, "reason": reason[:300]},
    )
    if created:
        activity.record(
            actor=actor,
            verb="conversation.asked",
            target=request,
            community_id=c.community_id,
            summary=c.title,
            data={"asked": person.pk},
        )
    return request


# --- tags ---------------------------------------------------------------


def _tag_name(community: Community, value: str) -> tuple[str, str]:
    name = text.clean_line(value, field="name", max_length=40)
    slug = slugify(name)
    if not slug:
        raise ValidationError(
            {"name": "Use letters or digits in a tag's name."}
        )
    taken = Tag.objects.filter(community=community, slug=slug).first()
    if taken is not None:
        state = "a tag" if taken.approved else "a proposed tag"
        raise ValidationError(
            {"name": f"'{taken.name}' is already {state} here."}
        )
    return name, slug


def _skill(slug: str) -> Skill | None:
    slug = (slug or "").strip()
    if not slug:
        return None
    skill = Skill.objects.filter(slug=slug).first()
    if skill is None:
        raise ValidationError(
            {"skill": f"No skill is called '{slug}': use a skill's slug."}
        )
    return skill


@transaction.atomic
def tag_create(
    *,
    actor: User,
    community: Community,
    name: str,
    description: str = "",
    skill: str = "",
) -> Tag:
    """Add a tag: approved when a coordinator adds it, a proposal when a
    member does and the community lets members propose tags.

    Refuses other people, an empty, over-long or taken name, a
    description over 300 characters and an unknown skill slug.
    """
    coordinator = access.can(actor, "moderate", community)
    if not coordinator:
        access.require(actor, "participate", community)
        if not community.members_propose_tags:
            raise PermissionDenied(
                "Only this community's coordinators add tags here."
            )
    (name, slug), description, linked = validation.clean_all(
        {
            "name": lambda: _tag_name(community, name),
            "description": lambda: text.clean_line(
                description,
                field="description",
                max_length=300,
                required=False,
            ),
            "skill": lambda: _skill(skill),
        }
    ).values()
    tag = Tag.objects.create(
        community=community,
        name=name,
        slug=slug,
        description=description,
        skill=linked,
        approved=coordinator,
        proposed_by=actor,
    )
    activity.record(
        actor=actor,
        verb="tag.created" if coordinator else "tag.proposed",
        target=tag,
        community_id=community.pk,
        summary=name,
    )
    return tag


@transaction.atomic
def tag_update(
    *,
    actor: User,
    tag: Tag,
    description: str | None = None,
    skill: str | None = None,
    approved: bool | None = None,
) -> Tag:
    """Describe a tag, link it to a skill, or approve a proposal
    (coordinators); a value left None stays as it is.

    Refuses non-coordinators, a description over 300 characters and an
    unknown skill slug.
    """
    access.require(actor, "moderate", tag.community)
    t = Tag.objects.select_for_update().get(pk=tag.pk)
    fields: dict[str, Any] = {
        k: v
        for k, v in {
            "description": description,
            "skill": skill,
            "approved": approved,
        }.items()
        if v is not None
    }
    validation.apply(
        t,
        fields,
        {
            "description": lambda v: text.clean_line(
                v, field="description", max_length=300, required=False
            ),
            "skill": _skill,
            "approved": bool,
        },
    )
    t.save()
    activity.record(
        actor=actor,
        verb="tag.approved" if approved else "tag.updated",
        target=t,
        community_id=t.community_id,
        summary=t.name,
    )
    return t


@transaction.atomic
def tag_delete(*, actor: User, tag: Tag) -> None:
    """Remove a tag or turn down a proposal (coordinators); conversations
    that carry it keep their other tags.

    Refuses non-coordinators.
    """
    access.require(actor, "moderate", tag.community)
    tagged = list(
        Conversation.objects.select_for_update()
        .filter(tags=tag)
        .only("id", "tag_names")
    )
    for c in tagged:
        c.tag_names = [n for n in c.tag_names if slugify(n) != tag.slug]
    Conversation.objects.bulk_update(tagged, ["tag_names"])
    Conversation.objects.filter(pk__in=[c.pk for c in tagged]).update(
        version=F("version") + 1
    )
    activity.record(
        actor=actor,
        verb="tag.deleted",
        target=tag,
        community_id=tag.community_id,
        summary=tag.name,
        data={"conversations": len(tagged)},
    )
    tag.delete()


# An account deleted (in the admin, or by an operator) takes its votes
# and "worked for me" marks with it by cascade, which no service sees.
# Scores are not counted from the votes (an import brings scores with
# no votes behind them), so the deleted account's own votes are taken
# off what they were added to once the rows are gone. Connected in
# ConversationsConfig.ready.
_CAST = "_practica_votes_cast"


def before_user_delete(sender: Any, instance: User, **kwargs: Any) -> None:
    setattr(
        instance,
        _CAST,
        (
            list(
                Vote.objects.filter(user_id=instance.pk).values_list(
                    "conversation_id", "reply_id", "value"
                )
            ),
            list(
                Worked.objects.filter(user_id=instance.pk).values_list(
                    "reply_id", flat=True
                )
            ),
        ),
    )


def after_user_delete(sender: Any, instance: User, **kwargs: Any) -> None:
    votes, worked = getattr(instance, _CAST, ([], []))
    taken: dict[tuple[str, int], list[int]] = defaultdict(list)
    for conversation_id, reply_id, value in votes:
        if reply_id is not None:
            taken[("reply", value)].append(reply_id)
        elif conversation_id is not None:
            taken[("conversation", value)].append(conversation_id)
    for (kind, value), ids in taken.items():
        model: Any = Reply if kind == "reply" else Conversation
        model.objects.filter(pk__in=ids).update(score=F("score") - value)
    Reply.objects.filter(pk__in=worked).update(
        worked_count=Greatest(F("worked_count") - 1, 0)
    )
    replies = {
        r for (kind, _), ids in taken.items() if kind == "reply" for r in ids
    }
    shown = {
        c
        for (kind, _), ids in taken.items()
        if kind == "conversation"
        for c in ids
    } | set(
        Reply.objects.filter(pk__in=replies | set(worked)).values_list(
            "conversation_id", flat=True
        )
    )
    # The versions key the cached pages that show these numbers.
    Conversation.objects.filter(pk__in=shown).update(version=F("version") + 1)
