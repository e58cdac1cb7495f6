"""Every write a person makes about their notifications: follow and
unfollow, mark read, email settings, unsubscribe."""

from datetime import time
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from practica import access
from practica.access.notifications import may_see
from practica.accounts.models import User
from practica.core import validation
from practica.notifications import digests, emails
from practica.notifications.models import (
    Follow,
    Frequency,
    Level,
    Notification,
    Preference,
    Reason,
)
from practica.notifications.targets import KINDS


def _model(kind: str) -> type[models.Model]:
    label = KINDS.get(kind)
    model = None
    if label is not None:
        try:
            model = apps.get_model(label)
        except LookupError:
            model = None
    if model is None:
        raise ValidationError(
            {
                "target": f"'{kind}' cannot be followed: use one of "
                f"{', '.join(KINDS)}."
            }
        )
    return model


def target_get(*, viewer: Any, kind: str, pk: Any) -> models.Model:
    """The thing a follow names, if the viewer may see it.

    Refuses an unknown kind, an id that is not a number, and anything
    missing or hidden from the viewer (the same message for both).
    """
    model = _model(kind)
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise ValidationError(
            {"id": f"The id must be a number; got '{pk}'."}
        ) from None
    qs = model._default_manager.all()
    if model._meta.label_lower == "repertoire.artifact":
        qs = qs.prefetch_related("owners")
    obj = qs.filter(pk=number).first()
    if obj is None or not may_see(viewer, obj):
        raise ValidationError(
            {"id": f"There is no {kind} {number} that you can see."}
        )
    return obj


def level(value: Any, field: str = "level") -> str:
    """A watch level, or a refusal naming ``field`` and the choices."""
    return validation.choice(value, Level, field)


@transaction.atomic
def follow_set(*, user: User, target: models.Model, level_: str) -> Follow:
    """Follow ``target`` at a watch level (or change the level); a choice
    made here replaces a default.

    Refuses an unknown level, and what the person may not see.
    """
    chosen = level(level_)
    if not may_see(user, target):
        raise PermissionDenied("You cannot follow what you cannot see.")
    follow, _ = Follow.objects.update_or_create(
        user=user,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        defaults={"level": chosen, "auto": False},
    )
    return follow


@transaction.atomic
def follow_update(*, user: User, follow: Follow, level_: str) -> Follow:
    """Change the level of one of your follows.

    Refuses someone else's follow and an unknown level.
    """
    access.require(user, "edit", follow)
    follow.level = level(level_)
    follow.auto = False
    follow.save(update_fields=["level", "auto"])
    return follow


@transaction.atomic
def follow_remove(*, user: User, follow: Follow) -> None:
    """Stop following (a default can come back when you take part
    again; mute instead to stay out).

    Refuses someone else's follow.
    """
    access.require(user, "edit", follow)
    follow.delete()


def _recount(user: User) -> int:
    """Set the unread count from the rows (one update)."""
    unread = (
        Notification.objects.filter(user_id=user.pk, read_at__isnull=True)
        .values("user_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    User.objects.filter(pk=user.pk).update(
        inbox_unread=models.functions.Coalesce(models.Subquery(unread[:1]), 0)
    )
    user.refresh_from_db(fields=["inbox_unread"])
    return user.inbox_unread


@transaction.atomic
def notifications_read(
    *,
    user: User,
    ids: list[int] | None = None,
    thread: tuple[int, int] | None = None,
    everything: bool = False,
    read: bool = True,
) -> int:
    """Mark notifications read (or unread again): by id, a whole thread
    (content type id, object id), or all of them. Returns the unread
    count afterwards. Only ever touches the person's own."""
    qs = Notification.objects.filter(user_id=user.pk)
    if everything:
        pass
    elif thread is not None:
        qs = qs.filter(thread_type_id=thread[0], thread_id=thread[1])
    elif ids:
        qs = qs.filter(pk__in=ids)
    else:
        return user.inbox_unread
    if read:
        qs.filter(read_at__isnull=True).update(read_at=timezone.now())
    else:
        qs.exclude(read_at__isnull=True).update(read_at=None)
    return _recount(user)


def notification_open(*, user: User, pk: int) -> Notification:
    """Mark a notification's whole thread read and return it (to follow
    its link). Refuses someone else's notification."""
    n = Notification.objects.filter(pk=pk).first()
    if n is None:
        raise ValidationError({"id": "There is no such notification."})
    access.require(user, "edit", n)
    notifications_read(user=user, thread=(n.thread_type_id, n.thread_id))
    return n


# --- settings ------------------------------------------------------------


def preference_get(user: User) -> Preference:
    """The person's settings (the defaults, unsaved, when none yet)."""
    pref = Preference.objects.filter(user_id=user.pk).first()
    if pref is None:
        pref = Preference(user=user, email_for=list(emails.DEFAULT_EMAIL_FOR))
        digests.schedule(pref, user.time_zone, timezone.now())
    return pref


def _email(value: Any) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(
            {
                "email": f"'{value}' is not an email address: write it "
                "as name@example.org, or leave it empty to use your "
                "account's address."
            }
        ) from None
    return value.lower()


def _email_for(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        raise ValidationError(
            {"email_for": "Give a list of reasons, e.g. ['mention']."}
        )
    wrong = [str(v) for v in value if v not in Reason.values]
    if wrong:
        raise ValidationError(
            {
                "email_for": f"{', '.join(wrong)}: not a reason to email; "
                f"use any of {', '.join(Reason.values)}."
            }
        )
    return [r for r in Reason.values if r in value]


def _hour(value: Any, field: str, top: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= top:
        raise ValidationError(
            {field: f"Use a whole number from 0 to {top}; got '{value}'."}
        )
    return number


def _time(value: Any, field: str) -> time | None:
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    try:
        return time.fromisoformat(str(value).strip()[:5]).replace(second=0)
    except ValueError:
        raise ValidationError(
            {field: f"Write a time as HH:MM, e.g. 22:00; got '{value}'."}
        ) from None


@transaction.atomic
def preference_update(*, user: User, **fields: Any) -> Preference:
    """Change email settings: ``email_for`` (reasons emailed at once),
    ``digest`` (daily, weekly, off), ``digest_hour`` (0-23, local),
    ``digest_weekday`` (0 Monday - 6), ``quiet_start`` and ``quiet_end``
    (HH:MM, local; both or neither) and ``email`` (empty: the account's).

    Refuses, naming each field at once: a malformed address, an unknown
    reason or frequency, an hour or day out of range, a malformed time,
    and one end of the quiet hours without the other.
    """
    pref = preference_get(user)
    cleaners: dict[str, Any] = {
        "email_for": _email_for,
        "digest": lambda v: validation.choice(v, Frequency, "digest"),
        "digest_hour": lambda v: _hour(v, "digest_hour", 23),
        "digest_weekday": lambda v: _hour(v, "digest_weekday", 6),
        "quiet_start": lambda v: _time(v, "quiet_start"),
        "quiet_end": lambda v: _time(v, "quiet_end"),
        "email": _email,
    }
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, clean in cleaners.items():
        if name not in fields:
            continue
        try:
            cleaned[name] = clean(fields[name])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    start = cleaned.get("quiet_start", pref.quiet_start)
    end = cleaned.get("quiet_end", pref.quiet_end)
    if not {"quiet_start", "quiet_end"} & set(errors) and (start is None) != (
        end is None
    ):
        missing = "quiet_end" if end is None else "quiet_start"
        errors[missing] = [
            "Give both the start and the end of your quiet hours, or neither."
        ]
    if errors:
        raise ValidationError(errors)
    for name, value in cleaned.items():
        setattr(pref, name, value)
    digests.schedule(pref, user.time_zone, timezone.now())
    pref.save()
    return pref


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, str]:
    """Stop what an unsubscribe link names (immediate email, or the
    digest); returns the person and the scope.

    Refuses (emails.BadToken) a damaged or expired link.
    """
    user_id, scope = emails.read_token(token)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise emails.BadToken("This unsubscribe link is not one of ours.")
    pref = preference_get(user)
    if scope == "digest":
        pref.digest = Frequency.OFF
        pref.next_digest_at = None
    else:
        pref.email_for = []
    pref.save()
    return user, scope


def follows_of(*, user: User, target: models.Model) -> Follow | None:
    return Follow.objects.filter(
        Q(user_id=user.pk)
        & Q(target_type=ContentType.objects.get_for_model(target))
        & Q(target_id=target.pk)
    ).first()
