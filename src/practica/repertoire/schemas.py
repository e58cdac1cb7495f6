"""API schemas for the repertoire: explicit fields in, explicit fields
out."""

from datetime import datetime
from typing import Any, Literal, Self

from django.urls import reverse
from django.utils.text import slugify
from ninja import Field, Schema
from pydantic import field_validator

from practica.accounts.schemas import PersonRefOut
from practica.api.problems import Problem
from practica.communities.schemas import CommunityRefOut
from practica.conversations.schemas import DiffLineOut, TagRefOut
from practica.repertoire.models import (
    Artifact,
    Attachment,
    Freshness,
    Kind,
    Status,
)

Sort = Literal["recent", "helpful", "title", "freshness"]

# --- out -----------------------------------------------------------------


class ArtifactRefOut(Schema):
    id: int
    title: str


class CapturedOut(ArtifactRefOut):
    """An artifact captured from a conversation."""

    status: Status


class ArtifactOut(Schema):
    """An artifact in a list: no body, its freshness computed now."""

    id: int
    kind: Kind
    title: str
    community: CommunityRefOut
    tags: list[TagRefOut] = Field(validation_alias="tag_names")
    status: Status
    owners: list[PersonRefOut]
    # Artifact.freshness is a method: ninja calls it for the value.
    freshness: Freshness = Field(
        description="verified, due (expires within 14 days), expired or "
        "unverified; computed when asked, never stored."
    )
    verified_until: datetime | None
    obsolete: bool = Field(
        description="Kept for the record; see replaced_by on the artifact."
    )
    helped_count: int = Field(description='"This helped me" marks.')
    updated_at: datetime

    @field_validator("tags", mode="before")
    @classmethod
    def _tag_refs(cls, value: Any) -> Any:
        # The denormalised names; their slugs follow from them exactly as
        # the services make them.
        return [
            {"slug": slugify(v), "name": v} if isinstance(v, str) else v
            for v in value
        ]


class ArtifactPageOut(Schema):
    items: list[ArtifactOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null on the last."
    )


class AttachmentOut(Schema):
    """A file attached to an artifact."""

    id: int
    name: str
    size: int = Field(description="In bytes.")
    content_type: str
    uploaded_by: PersonRefOut | None
    created_at: datetime
    download_url: str = Field(
        description="GET it to download the file (as an attachment)."
    )

    @staticmethod
    def resolve_download_url(obj: Attachment) -> str:
        return reverse(
            "api:attachment_download", kwargs={"attachment_id": obj.pk}
        )


class SourceOut(Schema):
    """Where an artifact came from, e.g. the solved question it was
    captured from."""

    type: str = Field(description="conversation, for now.")
    id: int
    title: str = Field(description="Its title when captured.")
    url: str = Field(description="Its web page; empty if it has none.")


class SignalsOut(Schema):
    """How the artifact is used, shown to its owners."""

    view_count: int = Field(description="Views of its web page.")
    helped_count: int
    answer_links: int = Field(
        description="Answers in the community that link to it."
    )


class ArtifactPermissionsOut(Schema):
    """What you may do here, so a client can show the right actions."""

    edit: bool = Field(
        description="Edit, revert, publish, archive, change owners, "
        "attach files, mark obsolete."
    )
    verify: bool


class ArtifactDetailOut(ArtifactOut):
    """An artifact with its body, files, credits, source and review."""

    body: str = Field(description="Markdown source.")
    body_html: str = Field(description="Rendered, safe HTML (read-only).")
    revision: int = Field(
        description="The latest revision's number: send it back as "
        "base_revision when you edit."
    )
    review_days: int | None = Field(
        description="The artifact's own verification interval in days; "
        "null uses the community's."
    )
    review_interval: int = Field(
        description="The interval in force: review_days or the "
        "community's default."
    )
    verified_at: datetime | None
    verified_by: PersonRefOut | None
    obsolete_reason: str
    replaced_by: ArtifactRefOut | None = Field(
        description="What replaces it, if you may see that artifact."
    )
    replaces: list[ArtifactRefOut] = Field(
        description="Obsolete artifacts that point here."
    )
    source: SourceOut | None
    credits: list[PersonRefOut] = Field(
        description="People whose work it records, e.g. the answerer of "
        "the question it was captured from."
    )
    attachments: list[AttachmentOut]
    created_at: datetime
    helped: bool = Field(description='Whether you marked "this helped me".')
    permissions: ArtifactPermissionsOut
    signals: SignalsOut | None = Field(
        description="Use signals; null unless you own the artifact."
    )

    @classmethod
    def build(
        cls,
        artifact: Artifact,
        *,
        attachments: list[Attachment],
        credits: list[Any],
        replaces: list[Artifact],
        replaced_by: Artifact | None,
        helped: bool,
        source_url: str,
        permissions: dict[str, bool],
        signals: dict[str, int] | None,
    ) -> Self:
        a = artifact
        source = None
        if a.source_type is not None and a.source_id is not None:
            source = {
                "type": a.source_type.model,
                "id": a.source_id,
                "title": a.source_title,
                "url": source_url,
            }
        extra = {
            "tags",
            "freshness",
            "review_interval",
            "replaces",
            "replaced_by",
            "source",
            "credits",
            "attachments",
            "helped",
            "permissions",
            "signals",
        }
        data: dict[str, Any] = {
            name: getattr(a, name)
            for name in cls.model_fields
            if name not in extra
        }
        data.update(
            owners=list(a.owners.all()),
            tag_names=a.tag_names,
            freshness=a.freshness(),
            review_interval=a.review_days or a.community.review_days,
            replaces=replaces,
            replaced_by=replaced_by,
            source=source,
            credits=credits,
            attachments=attachments,
            helped=helped,
            permissions=permissions,
            signals=signals,
        )
        return cls.model_validate(data)


class ArtifactRevisionOut(Schema):
    """One version of an artifact's text."""

    number: int
    title: str
    body: str = Field(description="Markdown source.")
    message: str = Field(description="What the editor said they changed.")
    author: PersonRefOut | None
    created_at: datetime


class ArtifactDiffOut(Schema):
    """What changed between two revisions, line by line."""

    old: ArtifactRevisionOut = Field(description="The revision given as from.")
    new: ArtifactRevisionOut = Field(description="The revision given as to.")
    title_changed: bool
    body: list[DiffLineOut] = Field(validation_alias="lines")

    @field_validator("body", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        return [
            {"op": v[0], "text": v[1]} if isinstance(v, tuple) else v
            for v in value
        ]


class CurrentOut(Schema):
    """The artifact as someone else saved it."""

    revision: int
    kind: Kind
    title: str
    body: str = Field(description="Markdown source.")
    tags: list[str] = Field(validation_alias="tag_names")
    updated_at: datetime


class EditConflictOut(Problem):
    """409: someone saved after you started editing. Nothing of yours was
    written: merge your text with current and send it again with
    base_revision set to current.revision."""

    base_revision: int = Field(description="The revision you started from.")
    current: CurrentOut
    diff: ArtifactDiffOut = Field(
        description="From your base revision to the current one."
    )


class GlossaryTermOut(Schema):
    id: int
    title: str
    body_html: str = Field(description="The definition, rendered.")
    freshness: Freshness
    obsolete: bool


class GlossaryLetterOut(Schema):
    letter: str = Field(
        description="A to Z; # for terms that start otherwise."
    )
    terms: list[GlossaryTermOut]


class HelpedOut(Schema):
    artifact_id: int
    helped: bool = Field(description='Whether you marked "this helped me".')
    helped_count: int


# --- in ------------------------------------------------------------------


class ArtifactIn(Schema):
    kind: Kind = Kind.BEST_PRACTICE
    title: str = Field(description="Up to 200 characters.")
    body: str = Field(description="Markdown.")
    tags: list[str] = Field(
        default_factory=list,
        description="Tag names of the community, as on conversations.",
    )
    status: Status = Status.DRAFT
    owners: list[int] | None = Field(
        default=None,
        description="Ids of active members who own it; by default you.",
    )
    review_days: int | None = Field(
        default=None,
        description="Its own verification interval, 1 to 730 days; null "
        "uses the community's.",
    )


class ArtifactPatch(Schema):
    """A new revision. Fields left out (or null) stay as they are."""

    base_revision: int = Field(
        description="The revision you started editing from (revision on "
        "the artifact). If someone saved since, the answer is 409 with "
        "what they changed and nothing is written."
    )
    title: str | None = None
    kind: Kind | None = None
    body: str | None = Field(default=None, description="Markdown.")
    tags: list[str] | None = Field(
        default=None, description="Tag names; replaces the list."
    )
    message: str = Field(
        default="", description="What you changed, shown in the history."
    )


class RevertIn(Schema):
    revision: int = Field(
        description="The number of the revision of this artifact to bring "
        "back; it is saved as a new revision."
    )


class StatusIn(Schema):
    status: Status


class OwnersIn(Schema):
    owners: list[int] = Field(
        description="Ids of active members of the community; replaces "
        "the list. At least one."
    )


class VerifyIn(Schema):
    days: int | None = Field(
        default=None,
        description="How long the verification holds, 1 to 730 days; it "
        "becomes the artifact's interval. Null uses the artifact's "
        "interval, else the community's.",
    )


class ObsoleteIn(Schema):
    reason: str = Field(description="Why, shown on the artifact.")
    replaced_by: int | None = Field(
        default=None,
        description="The id of the artifact of the same community that "
        "replaces it.",
    )
