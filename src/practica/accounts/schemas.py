"""API schemas for people: explicit fields in, explicit fields out."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Self

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AwareDatetime, computed_field

from practica.accounts.models import AccessToken, Level, User
from practica.communities.models import Membership

# --- out -----------------------------------------------------------------


class DepartmentOut(Schema):
    slug: str
    name: str


class SkillOut(Schema):
    slug: str
    name: str


class ExpertiseOut(Schema):
    id: int
    skill: SkillOut
    level: int = Field(description="1 novice … 5 expert (Dreyfus).")
    years: int
    endorsement_count: int
    verified_at: datetime | None = Field(
        description="When a coordinator verified it; null if not verified."
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class PersonRefOut(Schema):
    """Just enough to name a person and link to them."""

    id: int
    name: str


class PersonBriefOut(PersonRefOut):
    job_title: str
    department: DepartmentOut | None


class PersonSummaryOut(PersonBriefOut):
    expertise: list[ExpertiseOut]


class PersonOut(PersonSummaryOut):
    """A person in the directory."""

    pronouns: str
    location: str
    time_zone: str
    available_to_help: bool
    help_note: str


class PersonPageOut(Schema):
    items: list[PersonOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null on the last."
    )


class PersonCommunityOut(Schema):
    slug: str
    name: str
    role: str


class PersonDetailOut(PersonOut):
    """A profile: the directory entry, the introduction, communities."""

    introduction_html: str = Field(
        description="The introduction rendered to safe HTML (read-only)."
    )
    communities: list[PersonCommunityOut]
    endorsed: list[int] = Field(
        description="Ids of this person's expertise you have endorsed."
    )

    @classmethod
    def build(
        cls,
        person: User,
        *,
        memberships: Iterable[Membership],
        endorsed: Iterable[int],
    ) -> Self:
        data: dict[str, Any] = {
            name: getattr(person, name) for name in PersonOut.model_fields
        }
        data["introduction_html"] = person.introduction_html
        data["communities"] = [
            {
                "slug": m.community.slug,
                "name": m.community.name,
                "role": m.role,
            }
            for m in memberships
        ]
        data["endorsed"] = sorted(endorsed)
        return cls.model_validate(data)


class MeOut(PersonOut):
    """Your own profile, with the sources you can edit."""

    email: str
    display_name: str
    introduction: str = Field(description="Markdown source.")
    introduction_html: str = Field(
        description="The introduction rendered to safe HTML (read-only)."
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The token's first characters.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def active(self) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class TokenCreatedOut(TokenOut):
    token: str = Field(
        description="The secret token, shown this once: store it now."
    )

    @classmethod
    def build(cls, token: AccessToken, raw: str) -> Self:
        data: dict[str, Any] = {
            name: getattr(token, name) for name in TokenOut.model_fields
        }
        return cls.model_validate({**data, "token": raw})


# --- in ------------------------------------------------------------------


class ProfilePatch(Schema):
    """Fields to change; a field left out (or null) stays as it is."""

    display_name: str | None = None
    pronouns: str | None = None
    job_title: str | None = None
    location: str | None = None
    time_zone: str | None = Field(
        default=None, description="An IANA name such as Europe/Berlin."
    )
    introduction: str | None = Field(default=None, description="Markdown.")
    available_to_help: bool | None = None
    help_note: str | None = None
    department: str | None = Field(
        default=None,
        description="A department slug (GET /departments); '' clears it.",
    )


class ExpertiseIn(Schema):
    skill: str = Field(description="A skill name; new names are added.")
    level: int = Field(description="1 novice … 5 expert.")
    years: int = Field(default=0, description="Years of practice, 0 to 70.")


class VerifyIn(Schema):
    verified: bool = True


class TokenIn(Schema):
    name: str = Field(description="What the token is for, e.g. 'CI sync'.")
    expires_at: AwareDatetime | None = Field(
        default=None,
        description="When it stops working (with a time zone); null for "
        "never.",
    )
