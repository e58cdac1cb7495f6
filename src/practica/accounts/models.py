"""People: accounts signed in by email, their profile and expertise."""

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.text import slugify

from practica.core.models import TimeStamped


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(
        self, email: str, password: str | None, **extra: Any
    ) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class Department(models.Model):
    """A unit of the organisation: people belong to one, communities span
    several."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account with its profile; sign-in is by email."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=100)
    # @handle for mentions and profile links; made from the name on first
    # save (see unique_handle) and editable afterwards.
    handle = models.SlugField(  # noqa: DJ001  (NULL until first save)
        max_length=40, unique=True, null=True
    )
    pronouns = models.CharField(max_length=30, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    job_title = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    introduction = models.TextField(blank=True)
    introduction_html = models.TextField(blank=True)
    available_to_help = models.BooleanField(default=False)
    help_note = models.CharField(max_length=200, blank=True)
    # Unread notifications, kept by the notifications app so that the
    # header's bell costs no query (request.user is loaded anyway).
    inbox_unread = models.PositiveIntegerField(default=0)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [models.Index(Lower("display_name"), name="user_name_ci")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.handle:
            self.handle = unique_handle(self.name, exclude=self.pk)
        super().save(*args, **kwargs)


HANDLE_MAX = 40


def unique_handle(name: str, *, exclude: int | None = None) -> str:
    """A free @handle made from ``name``: ``ada-lovelace``, ``ada-2``."""
    base = (slugify(name) or "member")[: HANDLE_MAX - 6].strip("-")
    others = User.objects.filter(handle__startswith=base)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken = set(others.values_list("handle", flat=True))
    handle, n = base, 1
    while handle in taken:
        n += 1
        handle = f"{base}-{n}"
    return handle


class Skill(models.Model):
    """A named area of practice (Terraform, root cause analysis, ...)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.IntegerChoices):
    # The Dreyfus model of skill acquisition.
    NOVICE = 1, "Novice"
    ADVANCED_BEGINNER = 2, "Advanced beginner"
    COMPETENT = 3, "Competent"
    PROFICIENT = 4, "Proficient"
    EXPERT = 5, "Expert"


class Expertise(TimeStamped):
    """A person's declared practice in a skill, endorsed by others and
    optionally verified by a coordinator."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expertise",
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="expertise"
    )
    level = models.PositiveSmallIntegerField(
        choices=Level.choices, default=Level.COMPETENT
    )
    years = models.PositiveSmallIntegerField(default=0)
    endorsement_count = models.PositiveIntegerField(default=0)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-level", "skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "skill"], name="expertise_once_per_skill"
            ),
            models.CheckConstraint(
                condition=models.Q(years__lte=70), name="expertise_years_max"
            ),
        ]
        verbose_name_plural = "expertise"

    def __str__(self) -> str:
        return f"{self.user} · {self.skill} ({self.get_level_display()})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Endorsement(models.Model):
    """One person vouching for another's expertise."""

    expertise = models.ForeignKey(
        Expertise, on_delete=models.CASCADE, related_name="endorsements"
    )
    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["expertise", "endorser"], name="endorse_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endorser_id} endorses {self.expertise_id}"


class AccessToken(models.Model):
    """A personal access token for the API: only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
