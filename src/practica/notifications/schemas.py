"""API schemas for notifications: explicit fields in, explicit fields
out."""

from datetime import datetime, time

from ninja import Field, Schema

from practica.accounts.schemas import PersonRefOut
from practica.notifications.models import Frequency, Level, Reason

# --- out -----------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    reason: Reason = Field(
        description="follow (something you follow), reply (a reply to "
        "you or about your post), mention, request (asked of you)."
    )
    verb: str = Field(description="The activity it came from.")
    text: str
    actor: PersonRefOut | None
    thread_kind: str = Field(
        description="What the inbox groups by: conversation, artifact, "
        "community, event, …"
    )
    thread_id: int
    thread_title: str
    url: str = Field(description="The page, relative to the site.")
    created_at: datetime
    read_at: datetime | None


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null on the last."
    )
    unread: int = Field(description="Your unread notifications in all.")


class UnreadOut(Schema):
    unread: int


class FollowOut(Schema):
    id: int
    kind: str
    target_id: int
    title: str
    url: str
    level: Level
    auto: bool = Field(
        description="A default (you asked, answered, own or RSVPed); "
        "changing the level makes it your choice."
    )
    created_at: datetime


class PreferenceOut(Schema):
    email_for: list[Reason] = Field(
        description="Reasons that send an email at once."
    )
    digest: Frequency
    digest_hour: int = Field(description="Local hour, 0-23.")
    digest_weekday: int = Field(description="For weekly: 0 Monday … 6.")
    quiet_start: time | None
    quiet_end: time | None
    email: str = Field(description="Empty: your account's address.")
    next_digest_at: datetime | None


# --- in ------------------------------------------------------------------


class ReadIn(Schema):
    ids: list[int] = Field(default_factory=list)
    all: bool = Field(False, description="Mark every notification read.")
    read: bool = Field(True, description="false marks them unread again.")


class FollowIn(Schema):
    kind: str = Field(
        description="community, tag, conversation, artifact, event or person."
    )
    id: int
    level: Level = Level.EVERYTHING


class FollowPatch(Schema):
    level: Level


class PreferencePatch(Schema):
    """Fields left out stay as they are."""

    email_for: list[str] | None = None
    digest: str | None = None
    digest_hour: int | None = None
    digest_weekday: int | None = None
    quiet_start: str | None = Field(None, description="HH:MM or empty.")
    quiet_end: str | None = Field(None, description="HH:MM or empty.")
    email: str | None = None
