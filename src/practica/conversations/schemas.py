"""API schemas for conversations: explicit fields in, explicit fields out."""

from datetime import datetime
from typing import Any, Literal, Self

from django.utils.text import slugify
from ninja import Field, Schema
from pydantic import field_validator

from practica.accounts.schemas import PersonBriefOut, PersonRefOut, SkillOut
from practica.communities.schemas import CommunityRefOut
from practica.conversations.models import (
    Comment,
    Conversation,
    FlagState,
    Kind,
    Reply,
    Revision,
    State,
    Tag,
)

Sort = Literal["active", "newest", "votes", "unanswered"]
StatusFilter = Literal["solved", "unsolved", "open", "closed"]

# --- out -----------------------------------------------------------------


class TagRefOut(Schema):
    slug: str = Field(description="Filter lists with ?tag=<slug>.")
    name: str


class TagOut(TagRefOut):
    """A tag of one community; unapproved tags are members' proposals."""

    id: int
    description: str
    approved: bool = Field(
        description="False for a proposal a coordinator has not approved."
    )
    skill: SkillOut | None = Field(
        description="The area of practice the tag belongs to, if linked."
    )
    use_count: int


class ConversationRefOut(Schema):
    id: int
    title: str


class ConversationOut(Schema):
    """A question or discussion in a list."""

    id: int
    kind: Kind
    title: str
    community: CommunityRefOut
    author: PersonRefOut | None = Field(
        description="Null when the account was deleted."
    )
    tags: list[TagRefOut] = Field(validation_alias="tag_names")
    state: State
    locked: bool = Field(
        description="A locked conversation takes no replies, comments or "
        "votes."
    )
    is_solved: bool
    accepted_reply_id: int | None
    score: int
    reply_count: int
    view_count: int
    created_at: datetime
    last_activity_at: datetime

    @field_validator("tags", mode="before")
    @classmethod
    def _tag_refs(cls, value: Any) -> Any:
        # Lists carry the denormalised names; their slugs follow from them
        # exactly as the services make them.
        return [
            {"slug": slugify(v), "name": v} if isinstance(v, str) else v
            for v in value
        ]


class ConversationPageOut(Schema):
    items: list[ConversationOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null on the last."
    )


class CommentOut(Schema):
    id: int
    reply_id: int | None = Field(
        description="The answer commented on; null for the question."
    )
    author: PersonRefOut | None
    body: str = Field(description="Markdown source.")
    body_html: str = Field(description="Rendered, safe HTML (read-only).")
    created_at: datetime


class ReplyOut(Schema):
    """An answer (or a reply in a discussion) with its comments."""

    id: int
    conversation_id: int
    author: PersonBriefOut | None
    body: str = Field(description="Markdown source.")
    body_html: str = Field(description="Rendered, safe HTML (read-only).")
    experience: str = Field(
        description="The practice the answer comes from, in the author's "
        "words."
    )
    from_practice: bool = Field(
        description="False when the author had neither a role above "
        "newcomer nor expertise in the question's tags when answering."
    )
    score: int
    worked_count: int = Field(description='"This also worked for me" marks.')
    comment_count: int
    accepted: bool
    my_vote: int = Field(description="Your vote: 1, -1, or 0 for none.")
    worked: bool = Field(description='Whether you marked "worked for me".')
    created_at: datetime
    edited_at: datetime | None
    comments: list[CommentOut]

    @classmethod
    def build(
        cls,
        reply: Reply,
        *,
        comments: list[Comment],
        my_vote: int,
        worked: bool,
        accepted: bool,
    ) -> Self:
        data: dict[str, Any] = {
            name: getattr(reply, name)
            for name in cls.model_fields
            if name not in {"comments", "my_vote", "worked", "accepted"}
        }
        data.update(
            comments=comments,
            my_vote=my_vote,
            worked=worked,
            accepted=accepted,
        )
        return cls.model_validate(data)


class PermissionsOut(Schema):
    """What you may do here, so a client can show the right actions."""

    participate: bool = Field(description="Reply, comment, vote, flag.")
    moderate: bool = Field(description="Close, lock, move, merge.")
    edit: bool
    accept: bool = Field(description="Accept an answer.")


class ConversationDetailOut(ConversationOut):
    """A question or discussion with its answers (accepted first, then by
    votes), comments and your own votes."""

    author: PersonBriefOut | None
    body: str = Field(description="Markdown source.")
    body_html: str = Field(description="Rendered, safe HTML (read-only).")
    state_reason: str = Field(
        description="Why it was closed, locked, moved or merged."
    )
    duplicate_of: ConversationRefOut | None
    comment_count: int
    edited_at: datetime | None
    my_vote: int = Field(description="Your vote on the question: 1 or 0.")
    permissions: PermissionsOut
    comments: list[CommentOut] = Field(
        description="Comments on the question itself."
    )
    replies: list[ReplyOut]

    @classmethod
    def build(
        cls,
        conversation: Conversation,
        *,
        tags: list[Tag],
        replies: list[ReplyOut],
        comments: list[Comment],
        my_vote: int,
        duplicate_of: Conversation | None,
        permissions: dict[str, bool],
    ) -> Self:
        extra = {
            "tags",
            "replies",
            "comments",
            "my_vote",
            "duplicate_of",
            "permissions",
        }
        data: dict[str, Any] = {
            name: getattr(conversation, name)
            for name in cls.model_fields
            if name not in extra
        }
        # In the order the author gave them, as in lists.
        order = {slugify(n): i for i, n in enumerate(conversation.tag_names)}
        data.update(
            tag_names=sorted(tags, key=lambda t: order.get(t.slug, 99)),
            replies=replies,
            comments=comments,
            my_vote=my_vote,
            duplicate_of=duplicate_of,
            permissions=permissions,
        )
        return cls.model_validate(data)


class RevisionOut(Schema):
    """One version of a question's or an answer's text."""

    number: int
    title: str = Field(description="Empty for an answer.")
    body: str = Field(description="Markdown source.")
    message: str = Field(description="What the editor said they changed.")
    author: PersonRefOut | None
    created_at: datetime


class DiffLineOut(Schema):
    op: Literal["equal", "insert", "delete"] = Field(
        description="insert: only in the newer text; delete: only in the "
        "older one."
    )
    text: str


class RevisionDiffOut(Schema):
    """What changed between two revisions, line by line."""

    old: RevisionOut = Field(description="The revision given as from.")
    new: RevisionOut = Field(description="The revision given as to.")
    title: list[DiffLineOut]
    body: list[DiffLineOut]

    @classmethod
    def build(
        cls,
        *,
        old: Revision,
        new: Revision,
        title: list[tuple[str, str]],
        body: list[tuple[str, str]],
    ) -> Self:
        def lines(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
            return [{"op": op, "text": line} for op, line in pairs]

        return cls.model_validate(
            {
                "old": old,
                "new": new,
                "title": lines(title),
                "body": lines(body),
            }
        )


class VoteOut(Schema):
    score: int = Field(description="The post's score after your vote.")
    my_vote: int = Field(description="Your vote now: 1, -1, or 0.")


class WorkedOut(Schema):
    reply_id: int
    worked: bool = Field(description='Whether you marked "worked for me".')
    worked_count: int


class SuggestionOut(Schema):
    """Someone likely to know, and why."""

    person: PersonBriefOut
    score: float = Field(description="Higher is a better match.")
    reasons: list[str] = Field(
        description="Expertise, accepted answers, availability: the "
        "evidence behind the suggestion."
    )


class AskRequestOut(Schema):
    """A person asked directly to look at a question."""

    id: int
    conversation_id: int
    person: PersonRefOut = Field(validation_alias="asked")
    asked_by: PersonRefOut
    reason: str
    created_at: datetime


class FlagOut(Schema):
    """A report that a post needs a coordinator's attention."""

    id: int
    conversation: ConversationRefOut
    reply_id: int | None = Field(
        description="The answer flagged; null for the question itself."
    )
    flagged_by: PersonRefOut
    reason: str
    state: FlagState
    resolution: str
    resolved_by: PersonRefOut | None
    created_at: datetime


class SimilarOut(Schema):
    """A conversation whose title matches what you are typing."""

    id: int
    kind: Kind
    title: str
    community: CommunityRefOut
    solved: bool
    reply_count: int

    @classmethod
    def build(cls, hit: Any) -> Self:
        return cls.model_validate(
            {
                "id": hit.id,
                "kind": hit.kind,
                "title": hit.title,
                "community": {
                    "slug": hit.community_slug,
                    "name": hit.community_name,
                },
                "solved": hit.solved,
                "reply_count": hit.reply_count,
            }
        )


# --- in ------------------------------------------------------------------


class ConversationIn(Schema):
    kind: Kind = Kind.QUESTION
    title: str = Field(description="10 to 200 characters.")
    body: str = Field(description="Markdown, 20 characters or more.")
    tags: list[str] = Field(
        default_factory=list,
        description="Up to five tag names. Unknown names are proposals "
        "where the community lets members propose tags.",
    )


class ConversationPatch(Schema):
    """Fields to change; a field left out (or null) stays as it is."""

    title: str | None = None
    body: str | None = Field(default=None, description="Markdown.")
    tags: list[str] | None = Field(
        default=None, description="Tag names; replaces the list."
    )
    message: str = Field(
        default="", description="What you changed, shown in the history."
    )


class ReplyIn(Schema):
    body: str = Field(description="Markdown, 20 characters or more.")
    experience: str = Field(
        default="",
        description="The practice your answer comes from, e.g. 'Ran that "
        "press for six years'.",
    )


class ReplyPatch(Schema):
    """Fields to change; a field left out (or null) stays as it is."""

    body: str | None = Field(default=None, description="Markdown.")
    experience: str | None = None
    message: str = Field(
        default="", description="What you changed, shown in the history."
    )


class CommentIn(Schema):
    body: str = Field(description="Markdown, up to 600 characters.")


class VoteIn(Schema):
    value: int = Field(
        description="1 up, -1 down (answers only), 0 takes your vote back."
    )


class ReasonIn(Schema):
    reason: str = Field(description="Shown on the conversation.")


class ReopenIn(Schema):
    reason: str = Field(
        default="", description="Kept in the history; optional."
    )


class MoveIn(Schema):
    community: str = Field(
        description="The slug of a community you also coordinate."
    )
    reason: str = Field(description="Shown on the conversation.")


class MergeIn(Schema):
    into: int = Field(
        description="The id of the conversation this one duplicates."
    )
    reason: str = Field(description="Shown on the conversation.")


class AskIn(Schema):
    person_id: int = Field(description="An active member of the community.")
    reason: str = Field(
        default="", description="Why you ask them, shown to them."
    )


class FlagIn(Schema):
    reason: str = Field(description="What is wrong, for the coordinators.")


class FlagResolveIn(Schema):
    resolution: str = Field(description="What was done, or why not.")
    dismiss: bool = Field(
        default=False,
        description="True when the flag needs no action.",
    )


class TagIn(Schema):
    name: str = Field(description="Up to 40 characters.")
    description: str = ""
    skill: str = Field(
        default="", description="A skill slug (GET /skills) to link."
    )


class TagPatch(Schema):
    """Fields to change; a field left out (or null) stays as it is."""

    description: str | None = None
    skill: str | None = Field(
        default=None, description="A skill slug; '' unlinks it."
    )
    approved: bool | None = Field(
        default=None, description="True approves a member's proposal."
    )
