"""Value stories, reflections and sponsor grants.

Health figures and the help network are computed from the other apps'
tables and the activity record when asked (see selectors.py); only what
people write here is stored.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from practica.core.models import TimeStamped


class Cycle(models.TextChoices):
    # Wenger, Trayner and de Laat's value-creation cycles.
    IMMEDIATE = "immediate", "Immediate value: the activity itself helped"
    POTENTIAL = "potential", "Potential value: knowledge or a tie gained"
    APPLIED = "applied", "Applied value: practice changed"
    REALISED = "realised", "Realised value: a result that matters"
    TRANSFORMATIVE = "transformative", "Transformative value: a new way"


class Period(models.TextChoices):
    WEEK = "week", "Week"
    MONTH = "month", "Month"


class ValueStory(TimeStamped):
    """A member's account of value the community created."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="value_stories",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="value_stories",
    )
    title = models.CharField(max_length=200)
    cycle = models.CharField(max_length=20, choices=Cycle.choices)
    happened = models.TextField("what happened")
    happened_html = models.TextField()
    difference = models.TextField("what difference it made")
    difference_html = models.TextField()
    featured = models.BooleanField(default=False)
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Curated out by a coordinator: only the author and coordinators see it.
    hidden = models.BooleanField(default=False)
    curator_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-featured", "-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["community", "-featured", "-created_at"],
                name="story_list",
            ),
            models.Index(fields=["cycle"], name="story_cycle"),
        ]
        verbose_name_plural = "value stories"

    def __str__(self) -> str:
        return self.title


class StoryLink(models.Model):
    """What a story came from: a question, an artifact, an event or a
    mentorship (a generic link, so the apps need not know stories)."""

    story = models.ForeignKey(
        ValueStory, on_delete=models.CASCADE, related_name="links"
    )
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField()
    # The title when linked, so the story reads well if the target goes.
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "target_type", "target_id"],
                name="story_link_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["target_type", "target_id"], name="story_cites"
            )
        ]

    def __str__(self) -> str:
        return f"{self.story_id} ← {self.title}"


class Reflection(TimeStamped):
    """A What? / So what? / Now what? review of one period."""

    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        related_name="reflections",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    period = models.CharField(max_length=10, choices=Period.choices)
    start = models.DateField(help_text="The first day of the period.")
    end = models.DateField(help_text="The day after the period.")
    what = models.TextField("What?")
    what_html = models.TextField()
    so_what = models.TextField("So what?")
    so_what_html = models.TextField()
    now_what = models.TextField("Now what?")
    now_what_html = models.TextField()
    # The figures the review was written against, kept as they were.
    figures = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period", "start"],
                name="one_reflection_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.period} {self.start}"


class SponsorGrant(models.Model):
    """Site staff let a person see cross-community aggregates (never the
    content: no titles, texts or names of people)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sponsor_grant",
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Why, for the record."
    )
    communities = models.ManyToManyField(
        "communities.Community",
        blank=True,
        related_name="+",
        help_text="Empty: every community.",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sponsor: {self.user}"
