"""Digests: one message per person, daily or weekly, at their morning.

A run takes the people whose ``next_digest_at`` has passed a batch at a
time and composes every digest of the batch with the same handful of
queries, whatever the batch's size: memberships, follows, new unanswered
questions, accepted solutions, artifacts due for review, new members,
and what earlier digests already said (nothing is said twice). Empty
digests are skipped. The digest, its items, its delivery and the next
due time are written in one transaction; sending follows, claiming the
batch's deliveries with one update (see ``emails`` for why nothing is
sent twice).

Review-due notices for artifact owners are inbox notifications, made by
:func:`review_notices`.
"""

import functools
import heapq
import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import (
    Community,
    Membership,
    Role,
    Status,
    Visibility,
)
from practica.conversations.models import Conversation, Kind, State, Tag
from practica.core import mail
from practica.core.models import Activity
from practica.notifications import emails
from practica.notifications.models import (
    Delivery,
    DeliveryState,
    Digest,
    DigestItem,
    Follow,
    Frequency,
    Level,
    Notification,
    Preference,
    Reason,
)
from practica.repertoire.models import DUE_SOON, Artifact
from practica.repertoire.models import Status as ArtifactStatus

log = logging.getLogger(__name__)

BATCH = 500
PER_SECTION = 10
# Sessions in the next week, whether the digest is daily or weekly.
SESSION_HORIZON = timedelta(days=7)
PERIOD = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(7)}


def next_due(
    frequency: str, *, hour: int, weekday: int, time_zone: str, after: datetime
) -> datetime | None:
    """The next morning (``hour`` local; for weekly, on ``weekday``)
    strictly after ``after``, in UTC; None when the digest is off."""
    if frequency not in PERIOD:
        return None
    tz = emails.zone(time_zone)
    local = after.astimezone(tz)
    day = local.date()
    if frequency == Frequency.WEEKLY:
        day += timedelta(days=(weekday - local.weekday()) % 7)
    step = PERIOD[Frequency(frequency)]
    while True:
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
        if moment > local:
            return moment.astimezone(UTC)
        day += step


def schedule(pref: Preference, time_zone: str, after: datetime) -> None:
    pref.next_digest_at = next_due(
        pref.digest,
        hour=pref.digest_hour,
        weekday=pref.digest_weekday,
        time_zone=time_zone,
        after=after,
    )


def ensure_preferences(*, now: datetime, limit: int = 5000) -> int:
    """Give everyone without settings the defaults (weekly digest), so
    the due query finds them; returns how many rows were made."""
    made = 0
    while True:
        missing = list(
            User.objects.filter(
                is_active=True, notification_preference__isnull=True
            ).values_list("pk", "time_zone")[:limit]
        )
        if not missing:
            return made
        rows = []
        for pk, tz in missing:
            pref = Preference(user_id=pk, email_for=emails.DEFAULT_EMAIL_FOR)
            schedule(pref, tz, now)
            rows.append(pref)
        Preference.objects.bulk_create(rows, ignore_conflicts=True)
        made += len(rows)


# --- what a batch needs --------------------------------------------------


@dataclass
class Item:
    key: str
    title: str
    url: str
    note: str = ""


@dataclass
class Sections:
    questions: list[Item] = field(default_factory=list)
    solutions: list[Item] = field(default_factory=list)
    reviews: list[Item] = field(default_factory=list)
    sessions: list[Item] = field(default_factory=list)
    welcome: list[Item] = field(default_factory=list)

    def all(self) -> list[Item]:
        return [
            *self.questions,
            *self.solutions,
            *self.reviews,
            *self.sessions,
            *self.welcome,
        ]


TITLES = {
    "questions": "New questions nobody has answered yet",
    "solutions": "Solutions accepted",
    "reviews": "Artifacts you own that are due for review",
    "sessions": "Sessions you are going to",
    "welcome": "New members to welcome",
}


def _sessions(
    ids: list[int],
    zones: dict[int, str],
    member_of: dict[int, set[int]],
    now: datetime,
    until: dict[int, datetime],
) -> dict[int, list[Item]]:
    """Sessions each person said they are going to (with a seat, not
    cancelled, in communities they may see) before ``until``: the
    filter of events.selectors.upcoming_for, for a whole batch in one
    query."""
    try:
        from practica.events.models import Rsvp, RsvpStatus
        from practica.events.selectors import key
    except ImportError:  # the events app is optional here
        return {}
    rows = (
        Rsvp.objects.filter(
            user_id__in=ids,
            status=RsvpStatus.GOING,
            waitlisted=False,
            occurrence__cancelled=False,
            occurrence__starts_at__gte=now,
            occurrence__starts_at__lt=max(until.values()),
        )
        .order_by("occurrence__starts_at", "occurrence_id")
        .values_list(
            "user_id",
            "occurrence_id",
            "occurrence__event_id",
            "occurrence__event__title",
            "occurrence__event__community_id",
            "occurrence__event__community__visibility",
            "occurrence__original_start",
            "occurrence__starts_at",
        )
    )
    out: dict[int, list[Item]] = defaultdict(list)
    for uid, occ, event, title, cid, vis, original, starts in rows:
        hidden = vis == Visibility.PRIVATE and cid not in member_of[uid]
        if starts >= until[uid] or hidden:
            continue
        if len(out[uid]) >= PER_SECTION:
            continue
        local = starts.astimezone(emails.zone(zones[uid]))
        out[uid].append(
            Item(
                key=f"session:{occ}",
                title=title,
                url=reverse("events:occurrence", args=[event, key(original)]),
                note=local.strftime("%a %d %b, %H:%M"),
            )
        )
    return out


def _linker(name: str) -> Callable[..., str]:
    """A fast ``reverse`` for one URL name with integer arguments: the
    pattern is reversed once, then filled in (reverse is ~0.2 ms)."""
    marks = (987654321, 987654322)

    def link(*args: Any) -> str:
        return template.format(*args)

    try:
        path = reverse(name, args=marks[:1])
        template = path.replace(str(marks[0]), "{}")
    except NoReverseMatch:
        path = reverse(name, args=marks)
        template = path.replace(str(marks[0]), "{}").replace(
            str(marks[1]), "{}"
        )
    return link


def compose_batch(
    prefs: list[Preference], now: datetime
) -> dict[int, Sections]:
    """Each person's digest sections, in a fixed number of queries."""
    people = {p.user_id: p.user for p in prefs}
    ids = list(people)
    since = {
        p.user_id: p.last_digest_at
        or now - PERIOD.get(Frequency(p.digest), timedelta(days=7))
        for p in prefs
    }
    earliest = min(since.values())
    # 1. memberships
    member_of: dict[int, set[int]] = defaultdict(set)
    coordinates: dict[int, set[int]] = defaultdict(set)
    for uid, cid, role in Membership.objects.filter(
        user_id__in=ids, status=Status.ACTIVE
    ).values_list("user_id", "community_id", "role"):
        member_of[uid].add(cid)
        if role == Role.COORDINATOR:
            coordinates[uid].add(cid)
    # 2. follows of communities and tags
    ct = ContentType.objects.get_for_model
    community_ct, tag_ct = ct(Community).pk, ct(Tag).pk
    muted: dict[int, set[int]] = defaultdict(set)
    followed: dict[int, set[int]] = defaultdict(set)
    tag_follows: dict[int, set[int]] = defaultdict(set)
    for uid, type_id, pk, level in Follow.objects.filter(
        user_id__in=ids, target_type_id__in=[community_ct, tag_ct]
    ).values_list("user_id", "target_type_id", "target_id", "level"):
        if type_id == community_ct:
            (muted if level == Level.MUTE else followed)[uid].add(pk)
        elif level != Level.MUTE:
            tag_follows[uid].add(pk)
    # 3. the followed tags, and the communities outside memberships
    tags = {
        pk: (cid, name)
        for pk, cid, name in Tag.objects.filter(
            pk__in=set().union(*tag_follows.values())
        ).values_list("pk", "community_id", "name")
    }
    outside = set().union(*followed.values()) | {c for c, _ in tags.values()}
    visible = set(
        Community.objects.filter(pk__in=outside)
        .exclude(visibility=Visibility.PRIVATE)
        .values_list("pk", flat=True)
    )

    def sees(uid: int, cid: int) -> bool:
        return cid in member_of[uid] or cid in visible

    areas = {
        uid: {
            c
            for c in (member_of[uid] | followed[uid]) - muted[uid]
            if sees(uid, c)
        }
        for uid in ids
    }
    wanted_tags = {
        uid: {
            (tags[t][0], tags[t][1])
            for t in tag_follows[uid]
            if t in tags and sees(uid, tags[t][0])
        }
        for uid in ids
    }
    communities = set().union(*areas.values()) | {
        c for pairs in wanted_tags.values() for c, _ in pairs
    }
    # 4. new unanswered questions
    questions = list(
        Conversation.objects.filter(
            community_id__in=communities,
            kind=Kind.QUESTION,
            state=State.OPEN,
            reply_count=0,
            created_at__gte=earliest,
            created_at__lt=now,
        )
        .order_by("-created_at", "-id")
        .values_list(
            "pk",
            "title",
            "community_id",
            "tag_names",
            "author_id",
            "created_at",
        )[:5000]
    )
    # 5. accepted solutions
    solutions = list(
        Activity.objects.filter(
            verb="reply.accepted",
            community_id__in=communities,
            created_at__gte=earliest,
            created_at__lt=now,
        )
        .order_by("-id")
        .values_list("data", "summary", "community_id", "created_at")[:5000]
    )
    # 6. artifacts due for review that they own
    owned = Artifact.owners.through.objects.filter(
        user_id__in=ids,
        artifact__status=ArtifactStatus.PUBLISHED,
        artifact__obsolete=False,
    ).filter(
        Q(artifact__verified_until__isnull=True)
        | Q(artifact__verified_until__lte=now + DUE_SOON)
    )
    reviews = list(
        owned.values_list(
            "user_id",
            "artifact_id",
            "artifact__title",
            "artifact__verified_until",
            "artifact__community_id",
        )
    )
    # 7. new members in communities they coordinate
    led = set().union(*coordinates.values())
    joined = list(
        Membership.objects.filter(
            community_id__in=led,
            status=Status.ACTIVE,
            joined_at__gte=earliest,
            joined_at__lt=now,
        )
        .order_by("-joined_at")
        .values_list(
            "pk",
            "community_id",
            "community__name",
            "user_id",
            "user__display_name",
            "joined_at",
        )[:5000]
    )
    # 8. sessions (the events app decides what is upcoming)
    until = {p.user_id: now + SESSION_HORIZON for p in prefs}
    zones = {uid: people[uid].time_zone for uid in ids}
    sessions = _sessions(ids, zones, member_of, now, until)

    # Each person's candidates, newest first, by community: a person
    # walks only the lists of their own communities.
    wide = PER_SECTION * 5  # room for what earlier digests already said
    asked: dict[int, list[Any]] = defaultdict(list)
    for row in questions:
        asked[row[2]].append(row)
    solved: dict[int, list[Any]] = defaultdict(list)
    for data, summary, sol_cid, created in solutions:
        conv = (data or {}).get("conversation")
        if isinstance(conv, int) and sol_cid:
            solved[sol_cid].append((conv, summary, created))
    newcomers: dict[int, list[Any]] = defaultdict(list)
    for joiner in joined:
        newcomers[joiner[1]].append(joiner)
    question_url = _linker("conversations:detail")
    person_url = _linker("accounts:person")
    artifact_url = _linker("repertoire:detail")
    out: dict[int, Sections] = {uid: Sections() for uid in ids}
    for uid in ids:
        s = out[uid]
        by_tag = defaultdict(set)
        for c, name in wanted_tags[uid]:
            by_tag[c].add(name.lower())
        rows = heapq.merge(
            *(asked[c] for c in areas[uid] | set(by_tag)),
            key=lambda r: r[5],
            reverse=True,
        )
        for pk, title, cid, tag_names, author, created in rows:
            if len(s.questions) >= wide or created < since[uid]:
                break
            if author == uid:
                continue
            if cid not in areas[uid] and not by_tag[cid] & {
                str(n).lower() for n in tag_names or []
            }:
                continue
            s.questions.append(Item(f"q:{pk}", title, question_url(pk)))
        seen: set[int] = set()
        for conv, summary, created in heapq.merge(
            *(solved[c] for c in areas[uid]), key=lambda r: r[2], reverse=True
        ):
            if len(s.solutions) >= wide or created < since[uid]:
                break
            if conv not in seen:
                seen.add(conv)
                s.solutions.append(
                    Item(
                        f"sol:{conv}",
                        summary,
                        question_url(conv),
                    )
                )
        for mpk, _cid, cname, person, name, at in heapq.merge(
            *(newcomers[c] for c in coordinates[uid]),
            key=lambda r: r[5],
            reverse=True,
        ):
            if len(s.welcome) >= wide or at is None or at < since[uid]:
                break
            if person != uid:
                s.welcome.append(
                    Item(
                        f"welcome:{mpk}",
                        name or "A new member",
                        person_url(person),
                        f"joined {cname}",
                    )
                )
    for uid, apk, title, until_at, cid in reviews:
        if cid not in member_of[uid] or len(out[uid].reviews) >= wide:
            continue
        due = until_at.date().isoformat() if until_at else "never"
        note = (
            "never verified"
            if until_at is None
            else ("expired" if until_at <= now else f"verified until {due}")
        )
        out[uid].reviews.append(
            Item(
                f"review:{apk}:{due}",
                title,
                artifact_url(apk),
                note,
            )
        )
    for uid, found in sessions.items():
        out[uid].sessions = found
    # 9. what earlier digests said
    keys = {i.key for s in out.values() for i in s.all()}
    said = set(
        DigestItem.objects.filter(user_id__in=ids, key__in=keys).values_list(
            "user_id", "key"
        )
    )
    for uid, parts in out.items():
        for name in TITLES:
            fresh = [
                i for i in getattr(parts, name) if (uid, i.key) not in said
            ]
            setattr(parts, name, fresh[:PER_SECTION])
    return out


@functools.cache
def _links() -> dict[str, str]:
    return {
        "settings_link": emails.absolute(reverse("notifications:settings")),
        "inbox_link": emails.absolute(reverse("notifications:inbox")),
    }


def _render(
    person: User, sections: Sections, frequency: str
) -> dict[str, str]:
    parts = [
        {
            "title": title,
            "items": [
                {**i.__dict__, "link": emails.absolute(i.url) if i.url else ""}
                for i in getattr(sections, name)
            ],
        }
        for name, title in TITLES.items()
        if getattr(sections, name)
    ]
    count = sum(len(p["items"]) for p in parts)
    context = {
        "person": person,
        "parts": parts,
        "frequency": "daily" if frequency == Frequency.DAILY else "weekly",
        **_links(),
    }
    label = (
        "Your daily digest"
        if frequency == Frequency.DAILY
        else ("Your weekly digest")
    )
    return {
        "subject": f"{label}: {count} thing{'s' if count != 1 else ''} "
        "worth a look",
        "text": render_to_string("notifications/email/digest.txt", context),
        "html": render_to_string("notifications/email/digest.html", context),
    }


@dataclass
class Stats:
    people: int = 0
    digests: int = 0
    sent: int = 0
    batches: int = 0


def _send_batch(deliveries: list[Delivery], now: datetime) -> int:
    """Send a batch of digest deliveries: one update claims them all,
    one marks the sent ones."""
    if not deliveries:
        return 0
    ids = [d.pk for d in deliveries]
    Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
    )
    claimed = list(
        Delivery.objects.filter(
            pk__in=ids, state=DeliveryState.SENDING, claimed_at=now
        ).select_related("digest", "user", "user__notification_preference")
    )
    sent, failed = [], []
    for d in claimed:
        if d.digest is None:
            continue
        pref = d.user.notification_preference
        try:
            mail.send(
                to=[emails.address(d.user, pref)],
                subject=d.digest.subject,
                text=d.digest.text,
                html=d.digest.html,
                headers={
                    "Message-ID": emails.message_id(d),
                    **emails.unsubscribe_headers(d.user_id, "digest"),
                },
            )
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("Digest delivery %s failed: %s", d.pk, exc)
            failed.append(d.pk)
        else:
            sent.append(d.pk)
    Delivery.objects.filter(pk__in=sent).update(
        state=DeliveryState.SENT, sent_at=timezone.now()
    )
    # Refused before leaving: back to the queue that ``emails`` sends.
    Delivery.objects.filter(pk__in=failed).update(
        state=DeliveryState.PENDING, not_before=now + timedelta(minutes=2)
    )
    return len(sent)


def run(
    *, now: datetime | None = None, batch: int = BATCH, send: bool = True
) -> Stats:
    """Compose (and send) every digest that is due."""
    now = now or timezone.now()
    stats = Stats()
    ensure_preferences(now=now)
    while True:
        with transaction.atomic():
            prefs = list(
                Preference.objects.select_for_update(
                    skip_locked=True, of=("self",)
                )
                .filter(~Q(digest=Frequency.OFF), next_digest_at__lte=now)
                .select_related("user")
                .order_by("next_digest_at", "id")[:batch]
            )
            if not prefs:
                return stats
            for p in prefs:
                # the reverse one-to-one, so compose needs no query for it
                p.user.notification_preference = p
            sections = compose_batch(prefs, now)
            digests: list[Digest] = []
            items: list[DigestItem] = []
            for p in prefs:
                s = sections[p.user_id]
                found = s.all()
                if found:
                    body = _render(p.user, s, p.digest)
                    digests.append(
                        Digest(
                            user_id=p.user_id,
                            due_at=p.next_digest_at or now,
                            since=p.last_digest_at or now,
                            item_count=len(found),
                            **body,
                        )
                    )
                p.last_digest_at = now
                schedule(p, p.user.time_zone, now)
            made = Digest.objects.bulk_create(digests, ignore_conflicts=False)
            by_user = {d.user_id: d for d in made}
            for p in prefs:
                d = by_user.get(p.user_id)
                if d is not None:
                    items.extend(
                        DigestItem(user_id=p.user_id, key=i.key, digest=d)
                        for i in sections[p.user_id].all()
                    )
            DigestItem.objects.bulk_create(items, ignore_conflicts=True)
            by_pref = {p.user_id: p for p in prefs}
            deliveries = Delivery.objects.bulk_create(
                [
                    Delivery(
                        user_id=d.user_id,
                        digest=d,
                        not_before=emails.after_quiet_hours(
                            by_pref[d.user_id],
                            by_pref[d.user_id].user.time_zone,
                            now,
                        ),
                    )
                    for d in made
                ]
            )
            Preference.objects.bulk_update(
                prefs, ["last_digest_at", "next_digest_at"]
            )
        stats.batches += 1
        stats.people += len(prefs)
        stats.digests += len(made)
        if send:
            due = [d for d in deliveries if d.not_before <= now]
            stats.sent += _send_batch(due, now)


def review_notices(*, now: datetime | None = None) -> int:
    """Inbox notices for owners of published artifacts whose verification
    expires within two weeks (or has expired), once per due date."""
    now = now or timezone.now()
    rows = list(
        Artifact.owners.through.objects.filter(
            artifact__status=ArtifactStatus.PUBLISHED,
            artifact__obsolete=False,
            artifact__verified_until__isnull=False,
            artifact__verified_until__lte=now + DUE_SOON,
            artifact__verified_until__gt=now - timedelta(days=30),
            user__is_active=True,
            user__memberships__community_id=F("artifact__community_id"),
            user__memberships__status=Status.ACTIVE,
        ).values_list(
            "user_id",
            "artifact_id",
            "artifact__title",
            "artifact__verified_until",
            "artifact__community_id",
        )
    )
    if not rows:
        return 0
    keyed = {
        (uid, f"review:{apk}:{until.date().isoformat()}"): (apk, t, until, c)
        for uid, apk, t, until, c in rows
        if until is not None
    }
    existing = set(
        Notification.objects.filter(
            user_id__in={u for u, _ in keyed},
            key__in={k for _, k in keyed},
        ).values_list("user_id", "key")
    )
    artifact_ct = ContentType.objects.get_for_model(Artifact).pk
    fresh = [
        Notification(
            user_id=uid,
            key=key,
            reason=Reason.REQUEST,
            verb="artifact.review_due",
            thread_type_id=artifact_ct,
            thread_id=apk,
            thread_title=title[:200],
            community_id=cid,
            url=reverse("repertoire:detail", args=[apk]),
            text=(
                "Its verification expired"
                if until <= now
                else f"Review due by {until.date():%d %b %Y}"
            ),
            created_at=now,
        )
        for (uid, key), (apk, title, until, cid) in keyed.items()
        if (uid, key) not in existing
    ]
    with transaction.atomic():
        made = Notification.objects.bulk_create(fresh)
        counts: dict[int, int] = defaultdict(int)
        for n in made:
            counts[n.user_id] += 1
        for uid, count in counts.items():
            User.objects.filter(pk=uid).update(
                inbox_unread=F("inbox_unread") + count
            )
        emails.queue(made, now)
    return len(made)
