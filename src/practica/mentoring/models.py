"""Help offers and requests, the matches between them, mentorships with
check-ins and notes, and onboarding pathways with each newcomer's
progress.

An offer belongs to one community (a person may offer in several, each
with its own capacity and skills): matching, coordinators and history are
per community, and so is the capacity a coordinator plans with.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from practica.core.models import TimeStamped


class Format(models.TextChoices):
    ANSWER = "answer", "Answer questions"
    PAIR = "pair", "Pair on a problem"
    REVIEW = "review", "Review work"
    MENTOR = "mentor", "Mentor over weeks"


class Urgency(models.TextChoices):
    LOW = "low", "Low: within a few weeks"
    NORMAL = "normal", "Normal: within a week or two"
    HIGH = "high", "High: blocking me now"


class RequestState(models.TextChoices):
    OPEN = "open", "Open"
    MATCHED = "matched", "Matched"
    CLOSED = "closed", "Closed"


class MatchState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted by both"
    DECLINED = "declined", "Declined"
    CONFIRMED = "confirmed", "Confirmed: help given"


class Answer(models.TextChoices):
    PENDING = "pending", "Not answered yet"
    YES = "yes", "Accepted"
    NO = "no", "Declined"


class MentorshipState(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


class StepKind(models.TextChoices):
    READ = "read", "Read an artifact"
    ATTEND = "attend", "Attend a session"
    INTRODUCE = "introduce", "Introduce yourself"
    ASK = "ask", "Ask a first question"
    ANSWER = "answer", "Answer a question"
    MENTOR = "mentor", "Pair with a mentor"


LIVE_MATCH = (MatchState.PROPOSED, MatchState.ACCEPTED)


class HelpOffer(TimeStamped):
    """What a person is glad to help with in one community, and when."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="help_offers",
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="help_offers",
    )
    skills = models.ManyToManyField("accounts.Skill", related_name="+")
    formats = models.JSONField(default=list)
    capacity = models.PositiveSmallIntegerField(
        default=2, help_text="People a month."
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    # [{"day": 0..6 (Monday 0), "start": "HH:MM", "end": "HH:MM"}], local.
    windows = models.JSONField(default=list, blank=True)
    departments = models.ManyToManyField(
        "accounts.Department",
        blank=True,
        related_name="+",
        help_text="Departments the person is glad to help across.",
    )
    note = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["community", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "community"], name="one_offer_per_community"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=20),
                name="offer_capacity_range",
            ),
        ]
        indexes = [models.Index(fields=["community", "active"])]

    def __str__(self) -> str:
        return f"{self.person} helps in {self.community}"


class HelpRequest(TimeStamped):
    """A need for help, in words, with what would fit it."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="help_requests",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="help_requests",
    )
    title = models.CharField(max_length=200)
    need = models.TextField()
    need_html = models.TextField()
    skills = models.ManyToManyField("accounts.Skill", related_name="+")
    urgency = models.CharField(
        max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    format = models.CharField(
        max_length=10, choices=Format.choices, default=Format.ANSWER
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    windows = models.JSONField(default=list, blank=True)
    # "Can come from an unanswered question."
    source = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_requests",
    )
    state = models.CharField(
        max_length=10,
        choices=RequestState.choices,
        default=RequestState.OPEN,
    )
    closed_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["community", "state", "-created_at"],
                name="helpreq_open",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Match(TimeStamped):
    """A proposed pair of offer and request; both people answer it."""

    offer = models.ForeignKey(
        HelpOffer, on_delete=models.CASCADE, related_name="matches"
    )
    request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="matches"
    )
    # Copied from offer and request so boards and loads need no joins.
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=10,
        choices=MatchState.choices,
        default=MatchState.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    helper_answer = models.CharField(
        max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    requester_answer = models.CharField(
        max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(helper=F("requester")), name="match_not_self"
            ),
            # One live match per request at a time.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(state__in=["proposed", "accepted"]),
                name="one_live_match_per_request",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "state"]),
            models.Index(fields=["offer", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.helper_id} → {self.requester_id} ({self.state})"


class Mentorship(TimeStamped):
    """A mentor and a mentee working on goals over weeks."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="mentorships",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    match = models.OneToOneField(
        Match,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentorship",
    )
    goals = models.TextField(blank=True)
    goals_html = models.TextField(blank=True)
    checkin_days = models.PositiveSmallIntegerField(default=14)
    state = models.CharField(
        max_length=10,
        choices=MentorshipState.choices,
        default=MentorshipState.ACTIVE,
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="mentorship_not_self"
            ),
            models.CheckConstraint(
                condition=Q(checkin_days__gte=1) & Q(checkin_days__lte=90),
                name="mentorship_checkin_range",
            ),
        ]
        indexes = [models.Index(fields=["community", "state"])]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee}"


class CheckIn(models.Model):
    """A scheduled conversation of a mentorship; done when recorded."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="checkins"
    )
    due_at = models.DateTimeField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(blank=True)
    summary_html = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"check-in {self.mentorship_id} {self.due_at:%Y-%m-%d}"


class CheckInReminder(models.Model):
    """One reminder email per check-in and person: written before the
    email is sent, so a second worker never sends it again."""

    checkin = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, related_name="reminders"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "person"], name="remind_once"
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.checkin_id} → {self.person_id}"


class MentorshipNote(TimeStamped):
    """A note: private ones only their author sees; shared ones both."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    private = models.BooleanField(default=False)
    body = models.TextField()
    body_html = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.mentorship_id}"


class Feedback(models.Model):
    """How a mentorship went, from one side."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    text_html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "author"], name="feedback_once"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="feedback_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.author_id} on {self.mentorship_id}"


class Pathway(TimeStamped):
    """A community's onboarding path: ordered steps for newcomers."""

    community = models.OneToOneField(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="pathway",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True)
    stuck_days = models.PositiveSmallIntegerField(
        default=14, help_text="No progress for this many days is stuck."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return self.title


class PathwayStep(models.Model):
    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    title = models.CharField(max_length=200)
    # What to read or attend, referenced generically; the title is kept
    # so that a deleted target can still be named.
    target_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pathway", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "position"], name="step_position_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class PathwayProgress(models.Model):
    """One person on a pathway: when they started, last moved, finished
    and were made a member."""

    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="progress"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField()
    last_step_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "person"], name="progress_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.pathway_id}"


class StepDone(models.Model):
    step = models.ForeignKey(
        PathwayStep, on_delete=models.CASCADE, related_name="done"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    done_at = models.DateTimeField()
    # "activity" (ticked from what they did) or "self" (they said so).
    how = models.CharField(max_length=10, default="activity")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["step", "person"], name="step_done_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} did {self.step_id}"
