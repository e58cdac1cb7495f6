"""Communities of practice and the people in them."""

from django.conf import settings
from django.db import models

from practica.core.models import TimeStamped


class Kind(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    SOCIAL = "social", "Social"
    ACADEMIC = "academic", "Academic"
    CORPORATE = "corporate", "Corporate"
    VIRTUAL = "virtual", "Virtual"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: anyone, signed in or not"
    ORGANISATION = "organisation", "Organisation: everyone signed in"
    PRIVATE = "private", "Private: members only"


class Policy(models.TextChoices):
    OPEN = "open", "Open: anyone may join"
    APPROVAL = "approval", "Approval: practitioners, with a practice statement"
    INVITATION = "invitation", "Invitation only"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    CORE = "core", "Core member"
    MEMBER = "member", "Member"
    NEWCOMER = "newcomer", "Newcomer"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    LEFT = "left", "Left"
    REMOVED = "removed", "Removed"


class Community(TimeStamped):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    tagline = models.CharField(
        "domain", max_length=200, help_text="The joint enterprise in a line."
    )
    charter = models.TextField(blank=True)
    charter_html = models.TextField(blank=True)
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.PROFESSIONAL
    )
    is_formal = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    policy = models.CharField(
        "membership policy",
        max_length=20,
        choices=Policy.choices,
        default=Policy.OPEN,
    )
    statement_prompt = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the practice statement should say.",
    )
    departments = models.ManyToManyField(
        "accounts.Department", blank=True, related_name="communities"
    )
    members_propose_tags = models.BooleanField(
        default=True,
        help_text="Members may propose new tags; otherwise only "
        "coordinators add them.",
    )
    review_days = models.PositiveSmallIntegerField(
        default=90,
        help_text="How long a verification of an artifact lasts, in days.",
    )
    member_count = models.PositiveIntegerField(default=0)
    pending_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Bumped by every service that changes what the community page shows;
    # cached fragments are keyed by it.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"
        indexes = [models.Index(fields=["visibility", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_practice(self) -> bool:
        """A community of practice admits practitioners; an open one is a
        community of interest."""
        return self.policy != Policy.OPEN


class Membership(TimeStamped):
    """A person in a community; a pending one is a join request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.MEMBER
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    practice_statement = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["community", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="one_membership"
            )
        ]
        indexes = [
            models.Index(fields=["community", "status", "role"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE


class Invitation(models.Model):
    """An emailed invitation; only the token's hash is stored."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.MEMBER
    )
    message = models.CharField(max_length=500, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.community}"
