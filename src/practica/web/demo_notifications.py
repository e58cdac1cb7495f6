"""Demo notifications: follows for the demo's people, then the fan-out
over the demo's whole history, so every inbox has something in it.

Run after the demo organisation is loaded (``practica demo``). Loading
again adds nothing: follows are made once, notifications are unique per
person and key, and the fan-out's cursor remembers where it stopped. No
email is queued for the history.
"""

from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community, Membership, Status
from practica.conversations.models import Tag
from practica.notifications import digests, fanout
from practica.notifications.models import Follow, Level, Notification
from practica.web.demo import SIGN_INS, console

# How many of each person's newest notifications stay unread.
UNREAD = 6


def _follows(people: list[User]) -> list[Follow]:
    """Each demo person watches the busiest tag of each of their
    communities, hears replies in their first community, and the
    coordinators watch their communities."""
    tag_ct = ContentType.objects.get_for_model(Tag)
    community_ct = ContentType.objects.get_for_model(Community)
    rows = []
    for person in people:
        joined = list(
            Membership.objects.filter(user=person, status=Status.ACTIVE)
            .select_related("community")
            .order_by("joined_at", "id")
        )
        for i, m in enumerate(joined):
            busiest = (
                Tag.objects.filter(community=m.community, approved=True)
                .order_by("-use_count", "name")
                .first()
            )
            if busiest is not None:
                rows.append(
                    Follow(
                        user=person,
                        target_type=tag_ct,
                        target_id=busiest.pk,
                        level=Level.EVERYTHING,
                    )
                )
            if m.role == "coordinator" or i == 0:
                rows.append(
                    Follow(
                        user=person,
                        target_type=community_ct,
                        target_id=m.community_id,
                        level=Level.EVERYTHING
                        if m.role == "coordinator"
                        else Level.REPLIES,
                    )
                )
    return rows


def _keep_few_unread() -> None:
    """History arrived all at once: leave each person's newest few
    unread, as if they had kept up until lately."""
    now = timezone.now()
    people = list(
        User.objects.filter(notifications__read_at__isnull=True).distinct()
    )
    for person in people:
        keep = list(
            Notification.objects.filter(user=person)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[:UNREAD]
        )
        Notification.objects.filter(user=person, read_at__isnull=True).exclude(
            pk__in=keep
        ).update(read_at=now)
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .values("user")
        .annotate(n=Count("id"))
        .values("n")
    )
    User.objects.filter(pk__in=[p.pk for p in people]).update(
        inbox_unread=Coalesce(Subquery(unread[:1]), 0)
    )


def load(stdout: Any = None) -> dict[str, int]:
    """Follows and notifications for the demo; returns what it holds."""
    emails = [row[0] for row in SIGN_INS]
    people = list(User.objects.filter(email__in=emails))
    before = Notification.objects.count()
    with transaction.atomic():
        Follow.objects.bulk_create(_follows(people), ignore_conflicts=True)
    # The whole history counts (the demo's is back-dated), with no wait
    # for late commits (nothing else is writing) and no email.
    fanout.catch_up(max_age=None, settle_for=timedelta(0), email=False)
    with transaction.atomic():
        if Notification.objects.count() > before:
            _keep_few_unread()
        digests.ensure_preferences(now=timezone.now())
    result = {
        "follows": Follow.objects.count(),
        "notifications": Notification.objects.count(),
        "added": Notification.objects.count() - before,
        "unread": Notification.objects.filter(read_at__isnull=True).count(),
    }
    if stdout is not None:
        console(stdout).print(
            f"Notifications: {result['follows']} follows, "
            f"{result['notifications']} notifications "
            f"({result['added']} new, {result['unread']} unread)."
        )
    return result
