"""The conversations API: questions and discussions, answers, comments,
votes, solutions, history, moderation, tags, flags and similar questions.
"""

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.params.functions import Query

from practica.accounts import selectors as people
from practica.api.auth import OPTIONAL, OPTIONAL_EXTRA, actor, viewer
from practica.api.lists import page_response, stamped_page_response
from practica.api.pagination import Cursor, cursor_guard
from practica.api.params import FromRevision, ToRevision
from practica.api.problems import problems
from practica.communities import selectors as communities
from practica.conversations import selectors, services
from practica.conversations.models import (
    AskRequest,
    Comment,
    Conversation,
    Flag,
    Kind,
    Revision,
    Tag,
)
from practica.conversations.schemas import (
    AskIn,
    AskRequestOut,
    CommentIn,
    CommentOut,
    ConversationDetailOut,
    ConversationIn,
    ConversationOut,
    ConversationPageOut,
    ConversationPatch,
    FlagIn,
    FlagOut,
    FlagResolveIn,
    MergeIn,
    MoveIn,
    ReasonIn,
    ReopenIn,
    ReplyIn,
    ReplyOut,
    ReplyPatch,
    RevisionDiffOut,
    RevisionOut,
    SimilarOut,
    Sort,
    StatusFilter,
    SuggestionOut,
    TagIn,
    TagOut,
    TagPatch,
    VoteIn,
    VoteOut,
    WorkedOut,
)
from practica.core.pagination import Page
from practica.search import backends as search

router = Router(tags=["conversations"])


@contextmanager
def _field(name: str, *, alias: str = "") -> Iterator[None]:
    """Report a missing object named in the request, or a service's
    complaint about it filed under ``alias``, as an error on the field
    ``name`` that the client sent."""
    try:
        yield
    except Http404 as exc:
        raise ValidationError({name: str(exc) or "Not found."}) from exc
    except ValidationError as exc:
        if not (alias and hasattr(exc, "error_dict")):
            raise
        errors = exc.message_dict
        if alias in errors:
            errors[name] = errors.pop(alias)
        raise ValidationError(errors) from exc


def _reply(view: selectors.ReplyView) -> ReplyOut:
    return ReplyOut.build(
        view.reply,
        comments=view.comments,
        my_vote=view.my_vote,
        worked=view.worked,
        accepted=view.accepted,
    )


def _detail(request: HttpRequest, pk: int) -> ConversationDetailOut:
    page = selectors.conversation_page(viewer=viewer(request), pk=pk)
    return ConversationDetailOut.build(
        page.conversation,
        tags=page.tags,
        replies=[_reply(v) for v in page.replies],
        comments=page.comments,
        my_vote=page.my_vote,
        duplicate_of=page.duplicate_of,
        permissions={
            "participate": page.may_participate,
            "moderate": page.may_moderate,
            "edit": page.may_edit,
            "accept": page.may_accept,
        },
    )


def _reply_detail(request: HttpRequest, pk: int) -> ReplyOut:
    return _reply(selectors.reply_view(viewer=viewer(request), pk=pk))


# --- lists ---------------------------------------------------------------


def _parts(c: Conversation) -> tuple[Hashable, ...]:
    """Everything a list item's JSON shows, as a cache key: the row's
    version covers its title, state, tags, answers and votes; the rest is
    named here. ``c`` is a stamp (``conversation_list(stamps=True)``) or a
    full row."""
    author: tuple[str | None, str | None]
    if hasattr(c, "author_email"):  # a stamp: plain values
        author = (getattr(c, "author_display", None), c.author_email)
        where = (
            getattr(c, "community_slug", ""),
            getattr(c, "community_name", ""),
        )
    elif c.author is None:  # a full row by a deleted account
        author, where = (None, None), (c.community.slug, c.community.name)
    else:
        author = (c.author.display_name, c.author.email)
        where = (c.community.slug, c.community.name)
    return (
        c.id,
        c.community_id,
        c.version,
        c.view_count,
        c.score,
        # Exact to the microsecond, and cheaper to key than datetimes.
        c.last_activity_at.timestamp(),
        c.created_at.timestamp(),
        *author,
        *where,
    )


def _page(page: Page[Conversation], *, who: Any, first: bool) -> HttpResponse:
    """A page of conversations as ConversationPageOut, from cached items;
    stamps are loaded in full only for the items not cached."""

    def load(rows: list[Conversation]) -> list[Conversation | None]:
        if not any(hasattr(c, "author_email") for c in rows):
            return list(rows)  # full rows already
        full = selectors.conversation_rows(
            viewer=who, ids=[c.id for c in rows]
        )
        return [full.get(c.id) for c in rows]

    return page_response(
        page.items,
        page.next_cursor,
        schema=ConversationOut,
        parts=_parts,
        load=load,
        whole=first,
    )


@router.get(
    "/conversations",
    response={200: ConversationPageOut, **problems(401, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def conversation_list(
    request: HttpRequest,
    sort: Sort = "active",
    tag: str = "",
    kind: Kind | None = None,
    status: StatusFilter | None = None,
    cursor: Cursor = None,
) -> HttpResponse:
    """Conversations in every community you may see, a page at a time.

    sort: active (latest activity), newest, votes, or unanswered (open
    questions without an answer yet). Filter by tag slug, kind and
    status (solved, unsolved, open, closed).
    """
    who = viewer(request)
    with cursor_guard(cursor):
        page = selectors.conversation_list(
            viewer=who,
            sort=sort,
            tag=tag.strip(),
            kind=kind or "",
            status=status or "",
            cursor=cursor,
            stamps=True,
        )
    return _page(page, who=who, first=not cursor)


@router.get(
    "/communities/{slug}/conversations",
    response={200: ConversationPageOut, **problems(401, 404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def community_conversation_list(
    request: HttpRequest,
    slug: str,
    sort: Sort = "active",
    tag: str = "",
    kind: Kind | None = None,
    status: StatusFilter | None = None,
    cursor: Cursor = None,
) -> HttpResponse:
    """A community's conversations, a page at a time.

    The same sorts and filters as GET /conversations.
    """
    who = viewer(request)
    community, stamp = selectors.list_head(viewer=who, slug=slug)
    filters = (sort, tag.strip(), kind or "", status or "")

    def listed(*, stamps: bool) -> Page[Conversation]:
        return selectors.conversation_list(
            viewer=who,
            community=community,
            sort=filters[0],
            tag=filters[1],
            kind=filters[2],
            status=filters[3],
            cursor=cursor,
            stamps=stamps,
        )

    with cursor_guard(cursor):
        if cursor:
            return _page(listed(stamps=True), who=who, first=False)
        # The first page is cached whole under the community's list
        # stamp: what it holds depends on nothing else (who may see it
        # is decided by list_head, before the cache).
        return stamped_page_response(
            (stamp, filters),
            lambda: listed(stamps=False),
            schema=ConversationOut,
            parts=_parts,
        )


@router.get(
    "/me/questions-for-me",
    response={200: ConversationPageOut, **problems(401, 422)},
)
def questions_for_me(
    request: HttpRequest, cursor: Cursor = None
) -> HttpResponse:
    """Open, unsolved questions in your communities that match your
    expertise, newest first; never your own."""
    me = actor(request)
    with cursor_guard(cursor):
        page = selectors.questions_for_me(viewer=me, cursor=cursor)
    return _page(page, who=me, first=not cursor)


@router.get(
    "/search/similar",
    response={200: list[SimilarOut], **problems(401, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["search"],
)
def similar_list(
    request: HttpRequest,
    q: Annotated[
        str, Query("", max_length=200, description="A title being typed.")
    ] = "",
    community: Annotated[
        str, Query("", description="A community slug to search in only.")
    ] = "",
    limit: Annotated[int, Query(5, ge=1, le=20)] = 5,
) -> list[SimilarOut]:
    """Conversations with titles like q, for "has this been asked?".

    Only conversations you may see; an empty q finds nothing.
    """
    who = viewer(request)
    where = None
    if community.strip():
        with _field("community"):
            where = communities.community_get(
                viewer=who, slug=community.strip()
            )
    hits = search.query(viewer=who, text=q, community=where, limit=limit)
    return [SimilarOut.build(hit) for hit in hits]


# --- one conversation ----------------------------------------------------


@router.post(
    "/communities/{slug}/conversations",
    response={201: ConversationDetailOut, **problems(401, 403, 404, 422)},
)
def conversation_create(
    request: HttpRequest, slug: str, payload: ConversationIn
) -> Status[ConversationDetailOut]:
    """Ask a question or open a discussion (members)."""
    user = actor(request)
    community = communities.community_get(viewer=user, slug=slug)
    conversation = services.conversation_create(
        author=user,
        community=community,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
    )
    return Status(201, _detail(request, conversation.pk))


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationDetailOut, **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def conversation_get(
    request: HttpRequest, conversation_id: int
) -> ConversationDetailOut:
    """A conversation with its answers, comments and your votes.

    Answers come accepted first, then by score, then oldest first.
    """
    return _detail(request, conversation_id)


@router.patch(
    "/conversations/{conversation_id}",
    response={
        200: ConversationDetailOut,
        **problems(401, 403, 404, 422),
    },
)
def conversation_update(
    request: HttpRequest, conversation_id: int, payload: ConversationPatch
) -> ConversationDetailOut:
    """Edit a question or discussion (its author or a coordinator).

    The old text stays in the revisions; an edit that changes nothing
    makes no revision.
    """
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    services.conversation_edit(
        actor=user,
        conversation=c,
        title=c.title if payload.title is None else payload.title,
        body=c.body if payload.body is None else payload.body,
        tags=payload.tags,
        message=payload.message,
    )
    return _detail(request, c.pk)


@router.get(
    "/conversations/{conversation_id}/revisions",
    response={200: list[RevisionOut], **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["revisions"],
)
def revision_list(
    request: HttpRequest, conversation_id: int
) -> list[Revision]:
    """The edit history of a question or discussion, oldest first."""
    who = viewer(request)
    c = selectors.conversation_get(viewer=who, pk=conversation_id)
    return selectors.revisions(viewer=who, conversation=c)


@router.get(
    "/conversations/{conversation_id}/revisions/diff",
    response={200: RevisionDiffOut, **problems(401, 404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["revisions"],
)
def revision_diff(
    request: HttpRequest,
    conversation_id: int,
    from_: FromRevision = None,
    to: ToRevision = None,
) -> RevisionDiffOut:
    """What changed between two revisions, line by line."""
    who = viewer(request)
    c = selectors.conversation_get(viewer=who, pk=conversation_id)
    diff = selectors.revision_diff(
        viewer=who, conversation=c, from_number=from_, to_number=to
    )
    return RevisionDiffOut.build(
        old=diff.old, new=diff.new, title=diff.title, body=diff.body
    )


# --- answers and comments ------------------------------------------------


@router.post(
    "/conversations/{conversation_id}/replies",
    response={201: ReplyOut, **problems(401, 403, 404, 409, 422)},
    tags=["replies"],
)
def reply_create(
    request: HttpRequest, conversation_id: int, payload: ReplyIn
) -> Status[ReplyOut]:
    """Answer a question or reply in a discussion (members).

    Sending the same body again within 30 seconds (a double click, a
    retry) returns the first reply, again with 201. 409 when the
    conversation is closed or locked.
    """
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    reply = services.reply_create(
        author=user,
        conversation=c,
        body=payload.body,
        experience=payload.experience,
    )
    return Status(201, _reply_detail(request, reply.pk))


@router.get(
    "/replies/{reply_id}",
    response={200: ReplyOut, **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["replies"],
)
def reply_get(request: HttpRequest, reply_id: int) -> ReplyOut:
    """One answer with its comments and your vote."""
    return _reply_detail(request, reply_id)


@router.patch(
    "/replies/{reply_id}",
    response={200: ReplyOut, **problems(401, 403, 404, 422)},
    tags=["replies"],
)
def reply_update(
    request: HttpRequest, reply_id: int, payload: ReplyPatch
) -> ReplyOut:
    """Edit an answer (its author or a coordinator), keeping a revision."""
    user = actor(request)
    r = selectors.reply_get(viewer=user, pk=reply_id)
    services.reply_edit(
        actor=user,
        reply=r,
        body=r.body if payload.body is None else payload.body,
        experience=payload.experience,
        message=payload.message,
    )
    return _reply_detail(request, r.pk)


@router.get(
    "/replies/{reply_id}/revisions",
    response={200: list[RevisionOut], **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["revisions"],
)
def reply_revision_list(request: HttpRequest, reply_id: int) -> list[Revision]:
    """The edit history of an answer, oldest first."""
    who = viewer(request)
    r = selectors.reply_get(viewer=who, pk=reply_id)
    return selectors.revisions(
        viewer=who, conversation=r.conversation, reply=r
    )


@router.get(
    "/replies/{reply_id}/revisions/diff",
    response={200: RevisionDiffOut, **problems(401, 404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["revisions"],
)
def reply_revision_diff(
    request: HttpRequest,
    reply_id: int,
    from_: FromRevision = None,
    to: ToRevision = None,
) -> RevisionDiffOut:
    """What changed between two revisions of an answer, line by line."""
    who = viewer(request)
    r = selectors.reply_get(viewer=who, pk=reply_id)
    diff = selectors.revision_diff(
        viewer=who,
        conversation=r.conversation,
        reply=r,
        from_number=from_,
        to_number=to,
    )
    return RevisionDiffOut.build(
        old=diff.old, new=diff.new, title=diff.title, body=diff.body
    )


@router.post(
    "/conversations/{conversation_id}/comments",
    response={201: CommentOut, **problems(401, 403, 404, 409, 422)},
    tags=["comments"],
)
def comment_create(
    request: HttpRequest, conversation_id: int, payload: CommentIn
) -> Status[Comment]:
    """Comment on a question or discussion (members)."""
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    comment = services.comment_create(
        author=user, conversation=c, body=payload.body
    )
    return Status(201, comment)


@router.post(
    "/replies/{reply_id}/comments",
    response={201: CommentOut, **problems(401, 403, 404, 409, 422)},
    tags=["comments"],
)
def reply_comment_create(
    request: HttpRequest, reply_id: int, payload: CommentIn
) -> Status[Comment]:
    """Comment on an answer (members)."""
    user = actor(request)
    r = selectors.reply_get(viewer=user, pk=reply_id)
    comment = services.comment_create(
        author=user, conversation=r.conversation, reply=r, body=payload.body
    )
    return Status(201, comment)


# --- votes, solutions, "worked for me" -----------------------------------


@router.put(
    "/conversations/{conversation_id}/vote",
    response={200: VoteOut, **problems(401, 403, 404, 409, 422)},
    tags=["votes"],
)
def conversation_vote(
    request: HttpRequest, conversation_id: int, payload: VoteIn
) -> VoteOut:
    """Vote a question or discussion up (1) or take the vote back (0).

    Sending the same vote again changes nothing. 409 on your own post
    and on a locked conversation.
    """
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    score = services.vote(user=user, value=payload.value, conversation=c)
    return VoteOut(score=score, my_vote=payload.value)


@router.put(
    "/replies/{reply_id}/vote",
    response={200: VoteOut, **problems(401, 403, 404, 409, 422)},
    tags=["votes"],
)
def reply_vote(
    request: HttpRequest, reply_id: int, payload: VoteIn
) -> VoteOut:
    """Vote an answer up (1) or down (-1), or take the vote back (0).

    One vote per person: a new value replaces yours, the same value
    changes nothing. 409 on your own answer and in a locked
    conversation.
    """
    user = actor(request)
    r = selectors.reply_get(viewer=user, pk=reply_id)
    score = services.vote(user=user, value=payload.value, reply=r)
    return VoteOut(score=score, my_vote=payload.value)


@router.post(
    "/replies/{reply_id}/accept",
    response={200: ConversationDetailOut, **problems(401, 403, 404, 409)},
    tags=["replies"],
)
def reply_accept(request: HttpRequest, reply_id: int) -> ConversationDetailOut:
    """Accept an answer as the solution (the asker or a coordinator).

    It replaces any answer accepted before. 409 in a discussion.
    """
    user = actor(request)
    r = selectors.reply_get(viewer=user, pk=reply_id)
    services.reply_accept(actor=user, reply=r)
    return _detail(request, r.conversation_id)


@router.delete(
    "/replies/{reply_id}/accept",
    response={200: ConversationDetailOut, **problems(401, 403, 404, 409)},
    tags=["replies"],
)
def reply_unaccept(
    request: HttpRequest, reply_id: int
) -> ConversationDetailOut:
    """Withdraw the acceptance of an answer; the question is unsolved."""
    user = actor(request)
    r = selectors.reply_get(viewer=user, pk=reply_id)
    services.reply_accept(actor=user, reply=r, accepted=False)
    return _detail(request, r.conversation_id)


@router.put(
    "/replies/{reply_id}/worked",
    response={200: WorkedOut, **problems(401, 403, 404, 409)},
    tags=["replies"],
)
def reply_worked(request: HttpRequest, reply_id: int) -> WorkedOut:
    """Say "this also worked for me"; saying it twice changes nothing.

    409 on your own answer.
    """
    user = actor(request)
    r = selectors.reply_get(viewer=user, pk=reply_id)
    r = services.reply_worked(user=user, reply=r)
    return WorkedOut(reply_id=r.pk, worked=True, worked_count=r.worked_count)


@router.delete(
    "/replies/{reply_id}/worked",
    response={200: WorkedOut, **problems(401, 403, 404, 409)},
    tags=["replies"],
)
def reply_unworked(request: HttpRequest, reply_id: int) -> WorkedOut:
    """Take back "this also worked for me"."""
    user = actor(request)
    r = selectors.reply_get(viewer=user, pk=reply_id)
    r = services.reply_worked(user=user, reply=r, worked=False)
    return WorkedOut(reply_id=r.pk, worked=False, worked_count=r.worked_count)


# --- moderation ----------------------------------------------------------


MODERATED = {200: ConversationDetailOut, **problems(401, 403, 404, 422)}


@router.post(
    "/conversations/{conversation_id}/close",
    response=MODERATED,
    tags=["moderation"],
)
def conversation_close(
    request: HttpRequest, conversation_id: int, payload: ReasonIn
) -> ConversationDetailOut:
    """Close to new answers, with a reason shown on it (coordinators)."""
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    services.conversation_close(
        actor=user, conversation=c, reason=payload.reason
    )
    return _detail(request, c.pk)


@router.post(
    "/conversations/{conversation_id}/reopen",
    response=MODERATED,
    tags=["moderation"],
)
def conversation_reopen(
    request: HttpRequest,
    conversation_id: int,
    payload: ReopenIn | None = None,
) -> ConversationDetailOut:
    """Reopen a closed or duplicate conversation (coordinators)."""
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    services.conversation_reopen(
        actor=user, conversation=c, reason=(payload or ReopenIn()).reason
    )
    return _detail(request, c.pk)


@router.post(
    "/conversations/{conversation_id}/lock",
    response=MODERATED,
    tags=["moderation"],
)
def conversation_lock(
    request: HttpRequest, conversation_id: int, payload: ReasonIn
) -> ConversationDetailOut:
    """Lock: no answers, comments or votes until unlocked (coordinators)."""
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    services.conversation_lock(
        actor=user, conversation=c, locked=True, reason=payload.reason
    )
    return _detail(request, c.pk)


@router.post(
    "/conversations/{conversation_id}/unlock",
    response=MODERATED,
    tags=["moderation"],
)
def conversation_unlock(
    request: HttpRequest, conversation_id: int
) -> ConversationDetailOut:
    """Unlock a locked conversation (coordinators)."""
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    services.conversation_lock(actor=user, conversation=c, locked=False)
    return _detail(request, c.pk)


@router.post(
    "/conversations/{conversation_id}/move",
    response=MODERATED,
    tags=["moderation"],
)
def conversation_move(
    request: HttpRequest, conversation_id: int, payload: MoveIn
) -> ConversationDetailOut:
    """Move to another community (coordinators of both).

    Tags move by name where the other community has them.
    """
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    with _field("community"):
        target = communities.community_get(viewer=user, slug=payload.community)
    services.conversation_move(
        actor=user, conversation=c, community=target, reason=payload.reason
    )
    return _detail(request, c.pk)


@router.post(
    "/conversations/{conversation_id}/merge",
    response=MODERATED,
    tags=["moderation"],
)
def conversation_merge(
    request: HttpRequest, conversation_id: int, payload: MergeIn
) -> ConversationDetailOut:
    """Merge into the conversation it duplicates (coordinators).

    Its answers and comments move there; this one is marked duplicate
    and links to it.
    """
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    with _field("into"):
        into = selectors.conversation_get(viewer=user, pk=payload.into)
    services.conversation_merge(
        actor=user, conversation=c, into=into, reason=payload.reason
    )
    return _detail(request, c.pk)


# --- who to ask ----------------------------------------------------------


@router.get(
    "/conversations/{conversation_id}/who-to-ask",
    response={200: list[SuggestionOut], **problems(401, 404)},
    tags=["who to ask"],
)
def who_to_ask(
    request: HttpRequest, conversation_id: int
) -> list[selectors.Suggestion]:
    """Up to five members likely to know, each with the reasons.

    Ranked by expertise in the question's tags, endorsements, accepted
    answers on the same tags and availability to help.
    """
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    return selectors.who_to_ask(viewer=user, conversation=c)


@router.post(
    "/conversations/{conversation_id}/ask",
    response={201: AskRequestOut, **problems(401, 403, 404, 422)},
    tags=["who to ask"],
)
def ask_request_create(
    request: HttpRequest, conversation_id: int, payload: AskIn
) -> Status[AskRequest]:
    """Ask a member directly to look at your question.

    The asker or a coordinator. Asking the same person again returns the
    first request, again with 201.
    """
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    with _field("person_id"):
        person = people.person_get(viewer=user, pk=payload.person_id)
    with _field("person_id", alias="person"):
        asked = services.ask_request_create(
            actor=user, conversation=c, person=person, reason=payload.reason
        )
    return Status(201, asked)


# --- tags ----------------------------------------------------------------


@router.get(
    "/communities/{slug}/tags",
    response={200: list[TagOut], **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["tags"],
)
def tag_list(
    request: HttpRequest, slug: str, proposed: bool = True
) -> QuerySet[Tag]:
    """A community's tags, most used first.

    proposed=false leaves out members' proposals not yet approved.
    """
    who = viewer(request)
    community = communities.community_get(viewer=who, slug=slug)
    return selectors.tag_list(
        viewer=who, community=community, include_proposed=proposed
    )


@router.post(
    "/communities/{slug}/tags",
    response={201: TagOut, **problems(401, 403, 404, 422)},
    tags=["tags"],
)
def tag_create(request: HttpRequest, slug: str, payload: TagIn) -> Status[Tag]:
    """Add a tag (coordinators) or propose one (members, where the
    community lets them); a proposal waits for a coordinator."""
    user = actor(request)
    community = communities.community_get(viewer=user, slug=slug)
    tag = services.tag_create(
        actor=user,
        community=community,
        name=payload.name,
        description=payload.description,
        skill=payload.skill,
    )
    return Status(201, tag)


@router.patch(
    "/tags/{tag_id}",
    response={200: TagOut, **problems(401, 403, 404, 422)},
    tags=["tags"],
)
def tag_update(request: HttpRequest, tag_id: int, payload: TagPatch) -> Tag:
    """Describe a tag, link it to a skill or approve it (coordinators)."""
    user = actor(request)
    tag = selectors.tag_get(viewer=user, pk=tag_id)
    return services.tag_update(
        actor=user,
        tag=tag,
        description=payload.description,
        skill=payload.skill,
        approved=payload.approved,
    )


@router.delete(
    "/tags/{tag_id}",
    response={204: None, **problems(401, 403, 404)},
    tags=["tags"],
)
def tag_delete(request: HttpRequest, tag_id: int) -> Status[None]:
    """Remove a tag or turn down a proposal (coordinators).

    Conversations that carry it keep their other tags.
    """
    user = actor(request)
    tag = selectors.tag_get(viewer=user, pk=tag_id)
    services.tag_delete(actor=user, tag=tag)
    return Status(204, None)


# --- flags ---------------------------------------------------------------


@router.post(
    "/conversations/{conversation_id}/flags",
    response={201: FlagOut, **problems(401, 403, 404, 422)},
    tags=["flags"],
)
def conversation_flag(
    request: HttpRequest, conversation_id: int, payload: FlagIn
) -> Status[Flag]:
    """Flag a question or discussion for the coordinators (members).

    Flagging again while your flag is open returns it, again with 201.
    """
    user = actor(request)
    c = selectors.conversation_get(viewer=user, pk=conversation_id)
    flag = services.flag_create(
        user=user, conversation=c, reason=payload.reason
    )
    return Status(201, flag)


@router.post(
    "/replies/{reply_id}/flags",
    response={201: FlagOut, **problems(401, 403, 404, 422)},
    tags=["flags"],
)
def reply_flag(
    request: HttpRequest, reply_id: int, payload: FlagIn
) -> Status[Flag]:
    """Flag an answer for the coordinators (members)."""
    user = actor(request)
    r = selectors.reply_get(viewer=user, pk=reply_id)
    flag = services.flag_create(
        user=user, conversation=r.conversation, reply=r, reason=payload.reason
    )
    return Status(201, flag)


@router.get(
    "/communities/{slug}/flags",
    response={200: list[FlagOut], **problems(401, 403, 404)},
    tags=["flags"],
)
def flag_list(request: HttpRequest, slug: str) -> list[Flag]:
    """Open flags in a community, oldest first (coordinators)."""
    user = actor(request)
    community = communities.community_get(viewer=user, slug=slug)
    return list(selectors.flag_queue(viewer=user, community=community))


@router.post(
    "/flags/{flag_id}/resolve",
    response={200: FlagOut, **problems(401, 403, 404, 409, 422)},
    tags=["flags"],
)
def flag_resolve(
    request: HttpRequest, flag_id: int, payload: FlagResolveIn
) -> Flag:
    """Resolve a flag, or dismiss it, with a note (coordinators).

    409 when the flag was already handled.
    """
    user = actor(request)
    flag = selectors.flag_get(viewer=user, pk=flag_id)
    return services.flag_resolve(
        actor=user,
        flag=flag,
        resolution=payload.resolution,
        dismiss=payload.dismiss,
    )
