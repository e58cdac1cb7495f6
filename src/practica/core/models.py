"""Shared base fields and the append-only activity record."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Activity(models.Model):
    """What happened: written by services, read by analytics and feeds.

    Rows are never updated or deleted by the application; the community id
    is a plain column (not a foreign key) so that ``core`` stays below
    every app and the record outlives what it describes.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(max_length=40)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()
    community_id = models.PositiveBigIntegerField(null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["community_id", "-id"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "-id"]),
        ]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("The activity record is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("The activity record is append-only.")
