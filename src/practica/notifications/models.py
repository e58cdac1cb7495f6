"""Follows, the inbox, email deliveries and digests.

Notifications are derived from the append-only activity record by a
periodic fan-out (see ``fanout.py``); no other app calls this one.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    """How closely someone watches what they follow."""

    EVERYTHING = "everything", "Everything"
    REPLIES = "replies", "Only replies to me and mentions"
    DIGEST = "digest", "Digest only"
    MUTE = "mute", "Mute"


class Reason(models.TextChoices):
    """Why a notification reached someone."""

    FOLLOW = "follow", "Something you follow"
    REPLY = "reply", "A reply to you, or about your post"
    MENTION = "mention", "You were mentioned"
    REQUEST = "request", "Asked of you directly"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    OFF = "off", "Off"


class Follow(models.Model):
    """A person follows a community, tag, conversation, artifact, event
    series or person; ``auto`` marks a default derived from what they
    did (asking, answering, owning, RSVPing), which a choice replaces."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()
    level = models.CharField(
        max_length=12, choices=Level.choices, default=Level.EVERYTHING
    )
    auto = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"],
                name="follow_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["target_type", "target_id"], name="follow_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.target_type_id}:{self.target_id}"


class Notification(models.Model):
    """One entry in a person's inbox.

    ``key`` makes the fan-out idempotent: the same activity (or the same
    mention of someone in the same post, or the same review due date)
    never reaches the same person twice. The thread is what the inbox
    groups by: a conversation, an artifact, a community, an event.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    key = models.CharField(max_length=80)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    verb = models.CharField(max_length=40)
    activity_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    thread_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    thread_id = models.PositiveBigIntegerField()
    thread_title = models.CharField(max_length=200)
    community_id = models.PositiveBigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="notification_once"
            )
        ]
        indexes = [
            models.Index(fields=["user", "-id"], name="inbox_recent"),
            models.Index(
                fields=["user", "-id"],
                condition=Q(read_at__isnull=True),
                name="inbox_unread",
            ),
            models.Index(
                fields=["user", "thread_type", "thread_id"],
                name="inbox_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.text}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """A person's email settings. A row is made for everyone the first
    time the digest job runs, so who is due is one indexed query."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    # Reasons (see Reason) that send an email at once.
    email_for = models.JSONField(default=list, blank=True)
    digest = models.CharField(
        max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    digest_hour = models.PositiveSmallIntegerField(default=8)
    digest_weekday = models.PositiveSmallIntegerField(
        default=0, help_text="0 is Monday."
    )
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    email = models.EmailField(
        blank=True, help_text="Empty: the account's address."
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    next_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_digest_at", "id"],
                condition=~Q(digest="off"),
                name="digest_due",
            )
        ]

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class Digest(models.Model):
    """One digest message, composed once: a retry sends this text."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField()
    since = models.DateTimeField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField()
    item_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "due_at"], name="digest_once_per_due"
            )
        ]

    def __str__(self) -> str:
        return f"digest {self.pk} for {self.user_id}"


class DigestItem(models.Model):
    """Something a digest included, so no later digest repeats it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=80)
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="digest_item_once"
            )
        ]

    def __str__(self) -> str:
        return self.key


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One message to one person on one channel, written before it is
    sent. Sending claims the row first (pending → sending, committed),
    so a crash and a retry never send it twice; the Message-ID is made
    from the row, so a message is recognisable across attempts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.ForeignKey(
        Notification,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    digest = models.ForeignKey(
        Digest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(max_length=10, default="email")
    state = models.CharField(
        max_length=10,
        choices=DeliveryState.choices,
        default=DeliveryState.PENDING,
    )
    not_before = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    message_id = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "user", "channel"],
                condition=Q(notification__isnull=False),
                name="delivery_once_per_notification",
            ),
            models.UniqueConstraint(
                fields=["digest", "user", "channel"],
                condition=Q(digest__isnull=False),
                name="delivery_once_per_digest",
            ),
            models.CheckConstraint(
                condition=Q(notification__isnull=True)
                | Q(digest__isnull=True),
                name="delivery_one_source",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "not_before"], name="delivery_due")
        ]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.channel} {self.state} to {self.user_id}"


class Cursor(models.Model):
    """How far the fan-out has read the activity record."""

    name = models.CharField(max_length=40, primary_key=True)
    last_activity_id = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_activity_id}"
