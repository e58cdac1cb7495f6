"""Events, their occurrences (stored only when they have state), RSVPs,
attendance, problems brought to sessions, notes and action items, feed
tokens and sent reminders."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.urls import reverse

from practica.core.models import TimeStamped
from practica.events import recurrence

DEFAULT_REMINDERS = [24 * 60, 60]  # minutes before the start


def default_reminders() -> list[int]:
    return list(DEFAULT_REMINDERS)


KEY_FORMAT = "%Y%m%dT%H%M%SZ"


def occurrence_key(moment: datetime) -> str:
    """An occurrence's original start as a URL part: 20270309T170000Z."""
    return moment.astimezone(UTC).strftime(KEY_FORMAT)


class Kind(models.TextChoices):
    GUEST_TALK = "guest_talk", "Guest talk"
    PROBLEM_SOLVING = "problem_solving", "Problem-solving session"
    FORMAL_MEETING = "formal_meeting", "Formal meeting"
    INFORMAL_MEETUP = "informal_meetup", "Informal meetup"
    WORKSHOP = "workshop", "Workshop"


class Event(TimeStamped):
    """One event or a recurring series; its occurrences are computed from
    ``starts_at`` (the first start) and ``rrule`` in ``time_zone``."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.INFORMAL_MEETUP
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True)
    agenda = models.TextField(blank=True)
    agenda_html = models.TextField(blank=True)
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="hosted_events"
    )
    online_url = models.URLField(max_length=500, blank=True)
    location = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    starts_at = models.DateTimeField(help_text="The first start (UTC).")
    duration = models.DurationField(default=timedelta(hours=1))
    rrule = models.CharField(max_length=500, blank=True)
    # The end of the last occurrence; NULL for a series without an end.
    # Lets a window query skip events that are over.
    series_end = models.DateTimeField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    reminders = models.JSONField(default=default_reminders, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # "This and following": the series this one continues.
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continued_by",
    )
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(
                fields=["community", "starts_at", "series_end"],
                name="event_window",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def rule_text(self) -> str:
        return recurrence.describe(self.rrule)

    def starts_between(self, start: datetime, end: datetime) -> list[datetime]:
        return recurrence.starts_between(
            self.rrule, self.local_start, start, end
        )

    def is_start(self, moment: datetime) -> bool:
        return recurrence.is_start(self.rrule, self.local_start, moment)


class Occurrence(models.Model):
    """An occurrence that has state: RSVPs, a cancellation, a move,
    attendance or notes. Keyed by the start the rule gave it."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="occurrences"
    )
    original_start = models.DateTimeField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)
    going_count = models.PositiveIntegerField(default=0)
    maybe_count = models.PositiveIntegerField(default=0)
    waitlist_count = models.PositiveIntegerField(default=0)
    attended_count = models.PositiveIntegerField(default=0)
    # Notes: What? So what? Now what?
    what = models.TextField(blank=True)
    what_html = models.TextField(blank=True)
    so_what = models.TextField(blank=True)
    so_what_html = models.TextField(blank=True)
    now_what = models.TextField(blank=True)
    now_what_html = models.TextField(blank=True)
    notes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes_at = models.DateTimeField(null=True, blank=True)
    artifact = models.ForeignKey(
        "repertoire.Artifact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "original_start"], name="occurrence_once"
            )
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="occurrence_start"),
        ]

    def __str__(self) -> str:
        local = self.starts_at.astimezone(self.event.zone)
        return f"{self.event.title}, {local:%-d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse(
            "events:occurrence",
            args=[self.event_id, occurrence_key(self.original_start)],
        )

    @property
    def moved(self) -> bool:
        return self.starts_at != self.original_start

    @property
    def has_notes(self) -> bool:
        return self.notes_at is not None


class RsvpStatus(models.TextChoices):
    GOING = "going", "Going"
    MAYBE = "maybe", "Maybe"
    NOT_GOING = "not_going", "Not going"


class Rsvp(models.Model):
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="rsvps"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_rsvps",
    )
    status = models.CharField(max_length=12, choices=RsvpStatus.choices)
    # Going, but the occurrence was full: waiting for a seat, in the
    # order of ``queued_at``.
    waitlisted = models.BooleanField(default=False)
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user"], name="rsvp_once"
            )
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="rsvp_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status} {self.occurrence_id}"


class Attendance(models.Model):
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_attendance",
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user"], name="attended_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} attended {self.occurrence_id}"


class Problem(models.Model):
    """A problem brought to a problem-solving session in advance."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="problems"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    conversation = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    """A "Now what?" action from an occurrence's notes."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="actions"
    )
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_actions",
    )
    due = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class FeedToken(models.Model):
    """The secret in a personal calendar feed's URL: only its hash."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.prefix}…"


class SentReminder(models.Model):
    """Written before a reminder is sent, so none goes out twice."""

    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    offset = models.PositiveIntegerField(help_text="Minutes before.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user", "offset"],
                name="reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id} {self.user_id} -{self.offset}m"
