"""API schemas for communities: explicit fields in, explicit fields out."""

from datetime import datetime
from typing import Any, Literal, Self

from django.utils import timezone
from ninja import Field, Schema
from pydantic import computed_field

from practica.accounts.models import Department
from practica.accounts.schemas import (
    DepartmentOut,
    PersonBriefOut,
    PersonRefOut,
    PersonSummaryOut,
)
from practica.communities.models import (
    Community,
    Kind,
    Membership,
    Policy,
    Role,
    Status,
    Visibility,
)

# --- out -----------------------------------------------------------------


class CommunityOut(Schema):
    """A community in the directory."""

    id: int
    slug: str
    name: str
    tagline: str = Field(description="The domain: its joint enterprise.")
    kind: Kind
    is_formal: bool
    visibility: Visibility
    policy: Policy
    is_practice: bool = Field(
        description="True for a community of practice (admission by "
        "approval or invitation), false for an open community of interest."
    )
    member_count: int
    departments: list[DepartmentOut]


class CommunityRefOut(Schema):
    slug: str
    name: str


class MyMembershipOut(Schema):
    """Your own membership (or join request) in a community."""

    id: int
    community: CommunityRefOut
    role: Role
    status: Status
    practice_statement: str
    reason: str = Field(description="Why a request was declined.")
    joined_at: datetime | None


class CommunityDetailOut(CommunityOut):
    """A community's page: charter, coordinators and your membership."""

    charter: str = Field(description="Markdown source.")
    charter_html: str = Field(
        description="The charter rendered to safe HTML (read-only)."
    )
    statement_prompt: str = Field(
        description="What a practice statement should say."
    )
    pending_count: int
    created_at: datetime
    updated_at: datetime
    coordinators: list[PersonBriefOut]
    membership: MyMembershipOut | None = Field(
        description="Your membership or request; null if you have none."
    )

    @classmethod
    def build(
        cls,
        community: Community,
        *,
        departments: list[Department],
        coordinators: list[Membership],
        membership: Membership | None,
    ) -> Self:
        data: dict[str, Any] = {
            name: getattr(community, name)
            for name in cls.model_fields
            if name not in {"departments", "coordinators", "membership"}
        }
        data["departments"] = departments
        data["coordinators"] = [m.user for m in coordinators]
        if membership is not None:
            membership.community = community  # spare a query
        data["membership"] = membership
        return cls.model_validate(data)


class CommunityPageOut(Schema):
    items: list[CommunityOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null on the last."
    )


class MemberOut(Schema):
    """An active member of a community."""

    id: int = Field(description="The membership's id.")
    role: Role
    joined_at: datetime | None
    person: PersonSummaryOut = Field(validation_alias="user")


class MemberPageOut(Schema):
    items: list[MemberOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null on the last."
    )


class JoinRequestOut(Schema):
    id: int = Field(description="The membership's id.")
    practice_statement: str
    created_at: datetime
    person: PersonSummaryOut = Field(validation_alias="user")


class MembershipOut(Schema):
    """A membership as its coordinators see it."""

    id: int
    community: CommunityRefOut
    role: Role
    status: Status
    reason: str = Field(description="Why it was declined or removed.")
    joined_at: datetime | None
    decided_at: datetime | None
    person: PersonRefOut = Field(validation_alias="user")


class InvitationOut(Schema):
    """An invitation; its token went only to the invited address."""

    id: int
    email: str
    role: Role
    message: str
    invited_by: PersonRefOut | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def state(self) -> Literal["pending", "accepted", "expired"]:
        if self.accepted_at is not None:
            return "accepted"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


# --- in ------------------------------------------------------------------


class CommunityIn(Schema):
    name: str
    slug: str = Field(
        default="", description="Made from the name when left empty."
    )
    tagline: str = Field(description="The domain: its joint enterprise.")
    charter: str = Field(default="", description="Markdown.")
    kind: Kind = Kind.PROFESSIONAL
    is_formal: bool = False
    visibility: Visibility = Visibility.PUBLIC
    policy: Policy = Policy.OPEN
    statement_prompt: str = ""
    departments: list[str] = Field(
        default_factory=list, description="Department slugs."
    )


class CommunityPatch(Schema):
    """Fields to change; a field left out (or null) stays as it is."""

    name: str | None = None
    slug: str | None = None
    tagline: str | None = None
    charter: str | None = Field(default=None, description="Markdown.")
    kind: Kind | None = None
    is_formal: bool | None = None
    visibility: Visibility | None = None
    policy: Policy | None = None
    statement_prompt: str | None = None
    departments: list[str] | None = Field(
        default=None, description="Department slugs; replaces the list."
    )


class JoinIn(Schema):
    practice_statement: str = Field(
        default="",
        description="Required (20 characters or more) where the policy is "
        "approval.",
    )


class ApproveIn(Schema):
    role: Role = Role.NEWCOMER


class RoleIn(Schema):
    role: Role


class ReasonIn(Schema):
    reason: str = Field(description="Shown to the person.")


class InvitationIn(Schema):
    email: str
    role: Role = Role.MEMBER
    message: str = ""


class AcceptIn(Schema):
    token: str = Field(description="The token from the invitation link.")
