"""Email: quiet hours, unsubscribe links, and sending deliveries.

A delivery row exists before its message is sent. Sending claims it
(pending → sending) in a committed transaction, then sends, then marks it
sent; a second worker, a retry or a rerun finds it claimed and leaves it.
A failure the SMTP server reports puts it back to pending for a later
try. A worker that dies between claiming and sending leaves the row in
"sending": it is never sent twice, and :func:`sweep` marks it failed so
an operator can see it. The Message-ID is made from the row, so every
attempt carries the same one.
"""

import hashlib
import logging
import smtplib
import zoneinfo
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from practica.access.notifications import may_see
from practica.core import mail
from practica.notifications.models import (
    Delivery,
    DeliveryState,
    Frequency,
    Notification,
    Preference,
    Reason,
)

log = logging.getLogger(__name__)

DEFAULT_EMAIL_FOR = [Reason.REPLY, Reason.MENTION, Reason.REQUEST]
UNSUBSCRIBE_SALT = "practica.notifications.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)
SCOPES = {
    "email": "emails sent at once about your notifications",
    "digest": "the digest",
}
MAX_ATTEMPTS = 5
STALE = timedelta(hours=1)
DIGEST_SHELF_LIFE = timedelta(days=1)


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _at(day: Any, moment: time, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, moment).replace(tzinfo=tz)


def after_quiet_hours(
    pref: Preference | None, time_zone: str, now: datetime
) -> datetime:
    """``now``, or when the person's quiet hours end if ``now`` falls in
    them (in their time zone; a span over midnight works)."""
    if pref is None or pref.quiet_start is None or pref.quiet_end is None:
        return now
    start, end = pref.quiet_start, pref.quiet_end
    if start == end:
        return now
    tz = zone(time_zone)
    local = now.astimezone(tz)
    t = local.time().replace(tzinfo=None)
    if start < end:
        quiet = start <= t < end
        ends = _at(local.date(), end, tz)
    else:
        quiet = t >= start or t < end
        day = local.date() + timedelta(days=1 if t >= start else 0)
        ends = _at(day, end, tz)
    return ends.astimezone(UTC) if quiet else now


# --- unsubscribe ---------------------------------------------------------


def unsubscribe_token(user_id: int, scope: str) -> str:
    """A signed, dated token that stops ``scope`` (email or digest)."""
    return signing.dumps({"u": user_id, "s": scope}, salt=UNSUBSCRIBE_SALT)


class BadToken(Exception):
    """The link was altered, or is too old."""

    def __init__(self, message: str, *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


def read_token(token: str) -> tuple[int, str]:
    """The person and scope a token names; refuses (:class:`BadToken`)
    an altered or expired one with a message to show."""
    try:
        data = signing.loads(
            token,
            salt=UNSUBSCRIBE_SALT,
            max_age=UNSUBSCRIBE_MAX_AGE,
        )
    except signing.SignatureExpired:
        raise BadToken(
            "This unsubscribe link has expired (links work for "
            f"{UNSUBSCRIBE_MAX_AGE.days} days). Sign in and change your "
            "email settings instead.",
            expired=True,
        ) from None
    except signing.BadSignature:
        raise BadToken(
            "This unsubscribe link is damaged: it may have been cut short "
            "or changed when it was copied. Use the link from the email "
            "again, or sign in and change your email settings."
        ) from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or data.get("s") not in SCOPES
    ):
        raise BadToken("This unsubscribe link is not one of ours.")
    return data["u"], data["s"]


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_headers(user_id: int, scope: str) -> dict[str, str]:
    """RFC 2369 List-Unsubscribe with RFC 8058 one-click POST."""
    url = absolute(
        reverse(
            "notifications:unsubscribe",
            args=[unsubscribe_token(user_id, scope)],
        )
    )
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def message_id(delivery: Delivery) -> str:
    """The same Message-ID for every attempt at one delivery."""
    host = urlsplit(settings.SITE_URL).hostname or "practica.localhost"
    seed = f"{settings.SECRET_KEY}:{delivery.pk}".encode()
    check = hashlib.sha256(seed).hexdigest()[:12]
    return f"<delivery.{delivery.pk}.{check}@{host}>"


def address(user: Any, pref: Preference | None) -> str:
    return (pref.email if pref and pref.email else "") or user.email


def queue(made: list[Notification], now: datetime) -> None:
    """Deliveries for the notifications their people want by email at
    once, held back until their quiet hours end."""
    if not made:
        return
    users = {n.user_id for n in made}
    prefs = {
        p.user_id: p for p in Preference.objects.filter(user_id__in=users)
    }
    zones = dict(
        get_user_model()
        .objects.filter(pk__in=users)
        .values_list("pk", "time_zone")
    )
    rows = []
    for n in made:
        pref = prefs.get(n.user_id)
        email_for = DEFAULT_EMAIL_FOR if pref is None else pref.email_for
        if n.reason not in email_for:
            continue
        rows.append(
            Delivery(
                user_id=n.user_id,
                notification=n,
                not_before=after_quiet_hours(
                    pref, zones.get(n.user_id, "UTC"), now
                ),
            )
        )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)


# --- composing -----------------------------------------------------------


def _thread(n: Notification) -> Any:
    model = ContentType.objects.get_for_id(n.thread_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=n.thread_id).first()


def _notification_message(
    d: Delivery, pref: Preference | None
) -> dict[str, Any] | str:
    """The message for a notification, or why it is not sent."""
    n = d.notification
    if n is None:
        return "The notification is gone."
    email_for = DEFAULT_EMAIL_FOR if pref is None else pref.email_for
    if n.reason not in email_for:
        return "They no longer want these by email."
    thread = _thread(n)
    if thread is None:
        return "What it was about no longer exists."
    if hasattr(thread, "owners"):  # the artifact rule reads its owners
        thread = (
            type(thread)
            ._default_manager.prefetch_related("owners")
            .get(pk=thread.pk)
        )
    if not may_see(d.user, thread):
        return "They may no longer see what it is about."
    context = {
        "n": n,
        "person": d.user,
        "link": absolute(n.url),
        "settings_link": absolute(reverse("notifications:settings")),
        "reason": Reason(n.reason).label,
    }
    return {
        "subject": f"{n.text}: {n.thread_title}",
        "text": render_to_string(
            "notifications/email/notification.txt", context
        ),
        "html": render_to_string(
            "notifications/email/notification.html", context
        ),
        "headers": unsubscribe_headers(d.user_id, "email"),
    }


def _digest_message(
    d: Delivery, pref: Preference | None, now: datetime
) -> dict[str, Any] | str:
    digest = d.digest
    if digest is None:
        return "The digest is gone."
    if pref is not None and pref.digest == Frequency.OFF:
        return "They turned the digest off."
    if now - digest.created_at > DIGEST_SHELF_LIFE:
        return "Composed over a day ago; the next digest will do."
    return {
        "subject": digest.subject,
        "text": digest.text,
        "html": digest.html,
        "headers": unsubscribe_headers(d.user_id, "digest"),
    }


# --- sending -------------------------------------------------------------


def _claim(pk: int, now: datetime) -> Delivery | None:
    with transaction.atomic():
        d = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, state=DeliveryState.PENDING, not_before__lte=now)
            .first()
        )
        if d is None:
            return None
        d.state = DeliveryState.SENDING
        d.attempts += 1
        d.claimed_at = now
        d.message_id = message_id(d)
        d.save(update_fields=["state", "attempts", "claimed_at", "message_id"])
    return Delivery.objects.select_related(
        "user", "notification", "digest"
    ).get(pk=pk)


def send_one(pk: int, *, now: datetime | None = None) -> str:
    """Send one pending delivery; returns its state afterwards."""
    now = now or timezone.now()
    d = _claim(pk, now)
    if d is None:
        return "taken"
    pref = Preference.objects.filter(user_id=d.user_id).first()
    if not d.user.is_active:
        built: dict[str, Any] | str = "Their account is closed."
    elif not mail.deliverable(address(d.user, pref)):
        built = "No address to send to (an imported account not yet claimed)."
    elif d.notification_id:
        built = _notification_message(d, pref)
    else:
        built = _digest_message(d, pref, now)
    if isinstance(built, str):
        d.state, d.note = DeliveryState.SKIPPED, built[:300]
        d.save(update_fields=["state", "note"])
        return d.state
    try:
        mail.send(
            to=[address(d.user, pref)],
            subject=built["subject"],
            text=built["text"],
            html=built["html"],
            headers={"Message-ID": d.message_id, **built["headers"]},
        )
    except (smtplib.SMTPException, OSError) as exc:
        # Refused before it left: safe to try again later.
        log.warning("Delivery %s failed: %s", d.pk, exc)
        d.note = f"Attempt {d.attempts}: {exc}"[:300]
        if d.attempts >= MAX_ATTEMPTS:
            d.state = DeliveryState.FAILED
        else:
            d.state = DeliveryState.PENDING
            d.not_before = now + timedelta(minutes=2**d.attempts)
        d.save(update_fields=["state", "note", "not_before"])
        return d.state
    d.state, d.sent_at = DeliveryState.SENT, timezone.now()
    d.save(update_fields=["state", "sent_at"])
    return d.state


def send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the deliveries that are due; returns how many were sent."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(
            state=DeliveryState.PENDING, not_before__lte=now
        )
        .order_by("not_before", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(send_one(pk, now=now) == DeliveryState.SENT for pk in ids)


def sweep(*, now: datetime | None = None) -> int:
    """Mark deliveries left in "sending" by a worker that died as
    failed (they are not resent: they may have gone out)."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        state=DeliveryState.SENDING, claimed_at__lt=now - STALE
    ).update(
        state=DeliveryState.FAILED,
        note="Interrupted while sending; not resent, so it cannot arrive "
        "twice.",
    )
