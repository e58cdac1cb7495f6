"""API schemas for help and mentoring: explicit fields in and out."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from practica.accounts.schemas import PersonRefOut
from practica.communities.schemas import CommunityRefOut
from practica.mentoring.models import (
    Answer,
    Format,
    MatchState,
    MentorshipState,
    RequestState,
    StepKind,
    Urgency,
)


class WindowSchema(Schema):
    """A weekly time someone is free, in their own zone."""

    day: int = Field(description="0 Monday .. 6 Sunday.", ge=0, le=6)
    start: str = Field(description="HH:MM on the quarter hour.")
    end: str = Field(
        description="HH:MM; at or before start runs past midnight."
    )


class SkillRefOut(Schema):
    id: int
    slug: str
    name: str


class DepartmentRefOut(Schema):
    slug: str
    name: str


# --- offers --------------------------------------------------------------


class OfferIn(Schema):
    skills: list[str] = Field(
        description="Skill slugs or names from your profile's expertise."
    )
    formats: list[Format]
    capacity: int = Field(description="People a month, 1 to 20.")
    windows: list[WindowSchema] = []
    time_zone: str = Field(
        "", description="IANA name; empty uses your profile's."
    )
    departments: list[str] = Field(
        [], description="Department slugs you are glad to help across."
    )
    note: str = ""
    active: bool = True


class OfferOut(Schema):
    id: int
    person: PersonRefOut
    community: CommunityRefOut
    skills: list[SkillRefOut]
    formats: list[Format]
    capacity: int
    windows: list[WindowSchema]
    time_zone: str
    departments: list[DepartmentRefOut]
    note: str
    active: bool

    @staticmethod
    def resolve_skills(obj: Any) -> list[Any]:
        return list(obj.skills.all())

    @staticmethod
    def resolve_departments(obj: Any) -> list[Any]:
        return list(obj.departments.all())


# --- requests ------------------------------------------------------------


class RequestIn(Schema):
    title: str
    need: str = Field(description="Markdown.")
    skills: list[str] = Field(description="Skill slugs or names.")
    urgency: Urgency = Urgency.NORMAL
    format: Format = Format.ANSWER
    time_zone: str = ""
    windows: list[WindowSchema] = []
    source_question: int | None = Field(
        None, description="An unsolved question this request comes from."
    )


class RequestOut(Schema):
    id: int
    community: CommunityRefOut
    requester: PersonRefOut
    title: str
    need: str
    need_html: str
    skills: list[SkillRefOut]
    urgency: Urgency
    format: Format
    time_zone: str
    windows: list[WindowSchema]
    source_question: int | None = Field(validation_alias="source_id")
    state: RequestState
    closed_reason: str
    created_at: datetime

    @staticmethod
    def resolve_skills(obj: Any) -> list[Any]:
        return list(obj.skills.all())


class CloseIn(Schema):
    reason: str = ""


# --- matches -------------------------------------------------------------


class MatchIn(Schema):
    offer_id: int
    request_id: int


class AdjustIn(Schema):
    offer_id: int


class MatchOut(Schema):
    id: int
    community: CommunityRefOut
    offer_id: int
    request_id: int
    helper: PersonRefOut
    requester: PersonRefOut
    score: float
    reasons: list[str] = Field(description="Why this pair, in plain words.")
    state: MatchState
    helper_answer: Answer
    requester_answer: Answer
    proposed_by: PersonRefOut | None
    mentorship_id: int | None = Field(
        description="Set once both accepted a mentoring request."
    )
    created_at: datetime

    @staticmethod
    def resolve_mentorship_id(obj: Any) -> int | None:
        ms = getattr(obj, "mentorship", None)
        return ms.pk if ms is not None else None


class CandidateOut(Schema):
    offer_id: int
    helper: PersonRefOut
    score: float
    reasons: list[str]


class SuggestionOut(Schema):
    request: RequestOut
    suggested: CandidateOut | None = Field(
        description="The engine's choice in the global assignment."
    )
    others: list[CandidateOut]


class LoadOut(Schema):
    person_id: int
    name: str
    offer_id: int
    active: bool
    capacity: int
    used: int
    left: int
    waiting: int
    mentorships: int


# --- mentorships ---------------------------------------------------------


class MentorshipIn(Schema):
    mentor_id: int
    mentee_id: int
    goals: str = ""
    checkin_days: int = 14


class MentorshipPatch(Schema):
    goals: str
    checkin_days: int


class CheckInIn(Schema):
    summary: str = ""


class NoteIn(Schema):
    body: str
    private: bool = True


class FeedbackIn(Schema):
    rating: int = Field(description="1 (not useful) to 5 (very useful).")
    feedback: str = ""


class CheckInOut(Schema):
    id: int
    due_at: datetime
    done_at: datetime | None
    done_by: PersonRefOut | None
    summary: str


class NoteOut(Schema):
    id: int
    author: PersonRefOut
    private: bool
    body: str
    body_html: str
    created_at: datetime


class FeedbackOut(Schema):
    author: PersonRefOut
    rating: int
    text: str


class MentorshipOut(Schema):
    id: int
    community: CommunityRefOut
    mentor: PersonRefOut
    mentee: PersonRefOut
    match_id: int | None
    goals: str
    goals_html: str
    checkin_days: int
    state: MentorshipState
    started_at: datetime
    ended_at: datetime | None


class MentorshipDetailOut(MentorshipOut):
    checkins: list[CheckInOut]
    notes: list[NoteOut] = Field(
        description="Shared notes and your own private ones."
    )
    feedback: list[FeedbackOut]


class MyHelpOut(Schema):
    offers: list[OfferOut]
    requests: list[RequestOut]
    matches: list[MatchOut]
    mentorships: list[MentorshipOut]


# --- pathways ------------------------------------------------------------


class StepIn(Schema):
    kind: StepKind
    title: str = ""
    target_type: str = Field(
        "",
        description="repertoire.artifact, conversations.conversation, "
        "events.event or events.occurrence; empty for none.",
    )
    target_id: int | None = None


class PathwayIn(Schema):
    title: str
    description: str = ""
    stuck_days: int = 14
    steps: list[StepIn]


class StepOut(Schema):
    id: int
    position: int
    kind: StepKind
    title: str
    target_type: str
    target_id: int | None
    target_missing: bool = Field(
        description="The target was deleted: the step needs updating."
    )
    done_at: datetime | None = Field(description="When you did it.")


class PathwayOut(Schema):
    id: int
    title: str
    description: str
    stuck_days: int
    steps: list[StepOut]
    done: int
    complete: bool


class ProgressOut(Schema):
    person_id: int
    name: str
    role: str
    done: int
    steps: int
    next_step: str
    last_progress_at: datetime
    completed_at: datetime | None
    promoted_at: datetime | None
    complete: bool
    stuck: bool
    days_idle: int


class PromoteIn(Schema):
    person_id: int


class TickOut(Schema):
    ticked: bool = Field(description="False when it was already ticked.")
