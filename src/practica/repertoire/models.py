"""The shared repertoire: artifacts, their revisions, files and marks."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from practica.core.models import TimeStamped

DUE_SOON = timedelta(days=14)


class Kind(models.TextChoices):
    BEST_PRACTICE = "best_practice", "Best practice"
    STORY = "story", "Story / case"
    TOOL = "tool", "Tool or template"
    ROUTINE = "routine", "Routine / checklist"
    GLOSSARY = "glossary", "Glossary term"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Freshness(models.TextChoices):
    UNVERIFIED = "unverified", "Not verified"
    VERIFIED = "verified", "Verified"
    DUE = "due", "Review due soon"
    EXPIRED = "expired", "Verification expired"


class Artifact(TimeStamped):
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="artifacts",
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.BEST_PRACTICE
    )
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    tags = models.ManyToManyField(
        "conversations.Tag", blank=True, related_name="+"
    )
    tag_names = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="owned_artifacts"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The number of the latest revision: an editor sends the number they
    # started from, and a different one means someone else saved first.
    revision = models.PositiveIntegerField(default=1)
    review_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Verification interval; empty uses the community's.",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_until = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    obsolete = models.BooleanField(default=False)
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    obsolete_reason = models.CharField(max_length=300, blank=True)
    # Where it came from: a solved question, an event's notes, a project.
    source_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_title = models.CharField(max_length=200, blank=True)
    credits = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="credited_artifacts"
    )
    view_count = models.PositiveIntegerField(default=0)
    helped_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(
                fields=["community", "status", "-updated_at", "-id"],
                name="art_recent",
            ),
            models.Index(
                fields=["community", "status", "-helped_count", "-id"],
                name="art_helpful",
            ),
            models.Index(
                fields=["community", "kind", "title"], name="art_kind"
            ),
            models.Index(fields=["verified_until"], name="art_freshness"),
            models.Index(
                fields=["source_type", "source_id"], name="art_source"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def freshness(self, now: datetime | None = None) -> str:
        """Computed, never stored: verified, due soon, expired or not
        verified."""
        if self.verified_until is None:
            return Freshness.UNVERIFIED
        now = now or timezone.now()
        if self.verified_until <= now:
            return Freshness.EXPIRED
        if self.verified_until - now <= DUE_SOON:
            return Freshness.DUE
        return Freshness.VERIFIED

    @property
    def freshness_label(self) -> str:
        return str(Freshness(self.freshness()).label)


class ArtifactRevision(models.Model):
    artifact = models.ForeignKey(
        Artifact, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(max_length=200)
    body = models.TextField()
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["artifact", "number"], name="artifact_revision_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.artifact_id} r{self.number}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"artifacts/{instance.artifact_id}/{filename}"


class Attachment(models.Model):
    artifact = models.ForeignKey(
        Artifact, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Helped(models.Model):
    """ "This helped me" on an artifact."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    artifact = models.ForeignKey(
        Artifact, on_delete=models.CASCADE, related_name="helped"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "artifact"], name="helped_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} helped by {self.artifact_id}"
