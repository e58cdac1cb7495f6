"""The fan-out: read the activity record after a cursor and turn each
entry into inbox notifications for followers, mentioned people and
those asked directly.

What a verb means for whom is one row of :data:`VERBS`; a verb that is
not there notifies nobody. Adding a verb is one line.

A batch is read, decided and written in one transaction that holds the
cursor row, so a second worker waits instead of doing the same work, and
a crash repeats the batch from the cursor (notifications are unique per
person and key, so nothing arrives twice).
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F, Q, prefetch_related_objects
from django.utils import timezone

from practica.access.notifications import may_see, prime
from practica.accounts.models import User
from practica.communities.models import Community, Membership, Role, Status
from practica.core import cursors
from practica.core.models import Activity
from practica.notifications import emails
from practica.notifications.models import (
    Cursor,
    Follow,
    Level,
    Notification,
    Reason,
)
from practica.notifications.targets import title_of, url_of

CURSOR = "fanout"
BATCH = 500
# Entries older than this when first read (say, the history of a
# database that had no fan-out yet) move the cursor but notify nobody.
MAX_AGE = timedelta(days=2)
RANK = {Level.MUTE: 0, Level.DIGEST: 1, Level.REPLIES: 2, Level.EVERYTHING: 3}
EVENT_THREAD = ("event", "series", "occurrence.event", "")


@dataclass(frozen=True)
class Verb:
    """What one verb means for notifications.

    - ``says``: the inbox line, ``{actor}`` replaced by their name.
    - ``thread``: paths from the target to what the inbox groups by; the
      first that exists wins, ``""`` is the target itself.
    - ``text``: the target's Markdown source, scanned for @handles.
    - ``to_thread``: followers of the thread hear of it.
    - ``broadcast``: something new: followers of its community, its tags
      and its author hear of it too.
    - ``replied``: people the entry answers (reason "reply"), as paths
      (``target.author``, ``thread.author``) or ``data:key``.
    - ``direct``: people asked directly (reason "request"), same form.
    - ``coordinators``: the community's coordinators are asked.
    - ``coordinators_of``: people (same form as ``direct``) whose
      communities' coordinators are asked: those of every community the
      person is active in (for entries that belong to no community), or
      staff when the person is in none.
    - ``follow``: who starts following the thread by default: the
      ``actor``, or the artifact's ``owners``.
    """

    says: str
    thread: tuple[str, ...] = ("",)
    text: tuple[str, ...] = ()
    to_thread: bool = True
    broadcast: bool = False
    replied: tuple[str, ...] = ()
    direct: tuple[str, ...] = ()
    coordinators: bool = False
    coordinators_of: tuple[str, ...] = ()
    follow: tuple[str, ...] = ()


CONV = ("conversation", "")
PAIR = ("data:helper", "data:requester", "data:mentor", "data:mentee")

VERBS: dict[str, Verb] = {
    # conversations
    "question.created": Verb(
        "{actor} asked", text=("body",), broadcast=True, follow=("actor",)
    ),
    "discussion.created": Verb(
        "{actor} opened a discussion",
        text=("body",),
        broadcast=True,
        follow=("actor",),
    ),
    "conversation.edited": Verb(
        "{actor} edited the question", text=("body",), to_thread=False
    ),
    "reply.created": Verb(
        "{actor} answered",
        thread=CONV,
        text=("body",),
        replied=("thread.author",),
        follow=("actor",),
    ),
    "reply.edited": Verb(
        "{actor} edited an answer",
        thread=CONV,
        text=("body",),
        to_thread=False,
    ),
    "comment.created": Verb(
        "{actor} commented",
        thread=CONV,
        text=("body",),
        replied=("target.reply.author", "thread.author"),
        follow=("actor",),
    ),
    "reply.accepted": Verb(
        "{actor} accepted an answer", thread=CONV, replied=("data:answerer",)
    ),
    "conversation.closed": Verb("{actor} closed it"),
    "conversation.reopened": Verb("{actor} reopened it"),
    "conversation.merged": Verb("{actor} merged it into another"),
    "conversation.asked": Verb(
        "{actor} asks for your help",
        thread=CONV,
        to_thread=False,
        direct=("data:asked",),
    ),
    # accounts: "this is me" asks those who may hand the account over
    "claim.requested": Verb(
        "{actor} says this imported account is theirs",
        thread=("account",),
        to_thread=False,
        coordinators_of=("target.account",),
    ),
    # communities
    "membership.requested": Verb(
        "{actor} asks to join",
        thread=("community",),
        to_thread=False,
        coordinators=True,
    ),
    "membership.approved": Verb(
        "{actor} approved your request to join",
        thread=("community",),
        to_thread=False,
        replied=("target.user",),
    ),
    "membership.declined": Verb(
        "{actor} declined your request to join",
        thread=("community",),
        to_thread=False,
        replied=("target.user",),
    ),
    # repertoire
    "artifact.created": Verb(
        "{actor} added to the repertoire",
        text=("body",),
        broadcast=True,
        follow=("actor", "owners"),
    ),
    "artifact.published": Verb(
        "{actor} published", broadcast=True, follow=("owners",)
    ),
    "artifact.edited": Verb(
        "{actor} edited", text=("body",), follow=("actor", "owners")
    ),
    "artifact.reverted": Verb("{actor} brought back an earlier revision"),
    "artifact.verified": Verb("{actor} verified it", follow=("owners",)),
    "artifact.obsoleted": Verb("{actor} marked it obsolete"),
    "artifact.restored": Verb("{actor} restored it (no longer obsolete)"),
    "artifact.owners_changed": Verb(
        "{actor} changed the owners", to_thread=False, follow=("owners",)
    ),
    # events
    "event.created": Verb(
        "{actor} planned an event",
        thread=EVENT_THREAD,
        broadcast=True,
        follow=("actor",),
    ),
    "event.rsvp": Verb(
        "{actor} will come",
        thread=EVENT_THREAD,
        to_thread=False,
        follow=("actor",),
    ),
    "occurrence.cancelled": Verb(
        "{actor} cancelled a session", thread=EVENT_THREAD
    ),
    "occurrence.moved": Verb("{actor} moved a session", thread=EVENT_THREAD),
    "occurrence.notes": Verb(
        "{actor} wrote notes",
        thread=EVENT_THREAD,
        text=("what", "so_what", "now_what"),
    ),
    # mentoring
    "match.proposed": Verb(
        "A mentoring match was proposed to you", to_thread=False, direct=PAIR
    ),
    "match.accepted": Verb(
        "{actor} accepted the mentoring match", to_thread=False, direct=PAIR
    ),
    "mentorship.started": Verb(
        "{actor} started a mentorship with you", to_thread=False, direct=PAIR
    ),
    "match.confirmed": Verb(
        "{actor} confirmed the mentoring match", to_thread=False, direct=PAIR
    ),
    "mentorship.checkin": Verb(
        "{actor} wrote a mentorship check-in", to_thread=False, direct=PAIR
    ),
    "mentorship.ended": Verb(
        "{actor} ended the mentorship", to_thread=False, direct=PAIR
    ),
}

# @handle, not inside a word, an address or a path.
MENTION = re.compile(r"(?<![\w@/.`-])@([A-Za-z0-9_][A-Za-z0-9_-]{0,39})")
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)


def mentions(source: str) -> set[str]:
    """The handles @mentioned in Markdown ``source``, lower case (code
    spans and blocks are not read)."""
    plain = _CODE.sub(" ", source or "")
    return {m.group(1).rstrip("-_").lower() for m in MENTION.finditer(plain)}


# --- reading the batch ---------------------------------------------------


def _get(obj: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def _relations(model: type[models.Model], paths: Iterable[str]) -> list[str]:
    """The paths that are chains of forward foreign keys of ``model``,
    for select_related."""
    found = []
    for path in paths:
        current: Any = model
        ok = bool(path)
        for part in path.split("."):
            try:
                f = current._meta.get_field(part)
            except FieldDoesNotExist:
                ok = False
                break
            if not (f.many_to_one or f.one_to_one) or f.related_model is None:
                ok = False
                break
            current = f.related_model
        if ok:
            found.append(path.replace(".", "__"))
    return found


def _thread_paths(verb: Verb) -> set[str]:
    paths = {p for p in verb.thread if p}
    for ref in (*verb.replied, *verb.direct, *verb.coordinators_of):
        if ref.startswith("target."):
            paths.add(ref[len("target.") :])
        elif ref.startswith("thread."):
            for t in verb.thread:
                paths.add(f"{t}.{ref[len('thread.') :]}".strip("."))
    return paths | {f"{p}.community" for p in verb.thread if p} | {"community"}


def _load_targets(
    rows: list[Activity],
) -> dict[tuple[int, int], Any]:
    """The targets of the batch, one query per kind of target, with what
    the verbs need of them joined in."""
    by_type: dict[int, set[int]] = defaultdict(set)
    paths: dict[int, set[str]] = defaultdict(set)
    for a in rows:
        verb = VERBS[a.verb]
        by_type[a.target_type_id].add(a.target_id)
        paths[a.target_type_id] |= _thread_paths(verb)
    out: dict[tuple[int, int], Any] = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        related = _relations(model, paths[type_id])
        qs = model._default_manager.all()
        if related:
            qs = qs.select_related(*related)
        for pk, obj in qs.in_bulk(list(ids)).items():
            out[(type_id, pk)] = obj
    return out


def _thread(verb: Verb, target: Any) -> Any:
    for path in verb.thread:
        found = _get(target, path) if path else target
        if isinstance(found, models.Model):
            return found
    return target


def _person(ref: str, a: Activity, target: Any, thread: Any) -> int | None:
    if ref.startswith("data:"):
        value = (a.data or {}).get(ref[5:])
        return value if isinstance(value, int) else None
    source, _, path = ref.partition(".")
    base = target if source == "target" else thread
    found = _get(base, path)
    if isinstance(found, User):
        return found.pk
    return _get(base, path + "_id") if "." not in path else None


# --- deciding ------------------------------------------------------------


@dataclass
class _Index:
    """Follows by target, and which ones this batch added (with the
    activity that added them, so they apply only after it)."""

    by_target: dict[tuple[int, int], dict[int, str]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    added: dict[tuple[int, int, int], int] = field(default_factory=dict)

    def levels(self, key: tuple[int, int], before: int) -> dict[int, str]:
        found = self.by_target.get(key, {})
        return {
            u: level
            for u, level in found.items()
            if self.added.get((u, *key), 0) < before
        }

    def add(self, user: int, key: tuple[int, int], activity: int) -> None:
        if user not in self.by_target[key]:
            self.by_target[key][user] = Level.EVERYTHING
            self.added[(user, *key)] = activity


@dataclass
class _Plan:
    notifications: list[Notification] = field(default_factory=list)
    follows: list[Follow] = field(default_factory=list)


def _decide(
    rows: list[Activity], *, max_age: timedelta | None, now: datetime
) -> _Plan:
    targets = _load_targets(rows)
    ct = ContentType.objects.get_for_model
    community_ct, tag_ct, user_ct = (
        ct(Community).pk,
        ContentType.objects.get_by_natural_key("conversations", "tag").pk,
        ct(User).pk,
    )
    threads: dict[int, Any] = {}
    for a in rows:
        target = targets.get((a.target_type_id, a.target_id))
        if target is not None:
            threads[a.pk] = _thread(VERBS[a.verb], target)
    # What the decisions read, each in one query for the whole batch.
    by_model: dict[Any, list[Any]] = defaultdict(list)
    for t in {id(t): t for t in threads.values()}.values():
        by_model[type(t)].append(t)
    for model, objs in by_model.items():
        if _tagged(model):
            prefetch_related_objects(objs, "tags")
        if model._meta.label_lower == "repertoire.artifact":
            prefetch_related_objects(objs, "owners")
    communities = Community.objects.in_bulk(
        {a.community_id for a in rows if a.community_id}
    )
    coordinators: dict[int, list[int]] = defaultdict(list)
    asking = {
        a.community_id
        for a in rows
        if VERBS[a.verb].coordinators and a.community_id
    }
    # People whose communities' coordinators an entry asks, and those
    # communities (one query for the batch, none without such entries).
    about: dict[int, list[int]] = {}
    for a in rows:
        target = targets.get((a.target_type_id, a.target_id))
        if VERBS[a.verb].coordinators_of and target is not None:
            thread = threads.get(a.pk)
            about[a.pk] = [
                uid
                for ref in VERBS[a.verb].coordinators_of
                if (uid := _person(ref, a, target, thread))
            ]
    active_in: dict[int, set[int]] = defaultdict(set)
    if about:
        for uid, cid in Membership.objects.filter(
            user_id__in=set().union(*about.values()), status=Status.ACTIVE
        ).values_list("user_id", "community_id"):
            active_in[uid].add(cid)
            asking.add(cid)
    for cid, uid in Membership.objects.filter(
        community_id__in=asking, role=Role.COORDINATOR, status=Status.ACTIVE
    ).values_list("community_id", "user_id"):
        coordinators[cid].append(uid)
    # Asked about someone in no community: staff are asked instead (they
    # may hand any account over), so the request reaches someone.
    staff: list[int] = []
    if any(not active_in.get(uid) for uids in about.values() for uid in uids):
        staff = list(
            User.objects.filter(is_staff=True, is_active=True).values_list(
                "pk", flat=True
            )
        )
    handles: dict[int, set[str]] = {}
    for a in rows:
        verb = VERBS[a.verb]
        target = targets.get((a.target_type_id, a.target_id))
        if verb.text and target is not None:
            source = "\n\n".join(
                str(getattr(target, name, "") or "") for name in verb.text
            )
            handles[a.pk] = mentions(source)
    by_handle = dict(
        User.objects.filter(
            handle__in=set().union(*handles.values()), is_active=True
        ).values_list("handle", "pk")
    )
    keys: set[tuple[int, int]] = set()
    for a in rows:
        thread = threads.get(a.pk)
        if thread is None:
            continue
        keys.add((ct(thread).pk, thread.pk))
        verb = VERBS[a.verb]
        if verb.broadcast or verb.to_thread:
            if a.community_id:
                keys.add((community_ct, a.community_id))
            keys.update((tag_ct, t.pk) for t in _tags(thread))
        if verb.broadcast and a.actor_id:
            keys.add((user_ct, a.actor_id))
    index = _Index()
    if keys:
        q = Q()
        grouped: dict[int, set[int]] = defaultdict(set)
        for type_id, pk in keys:
            grouped[type_id].add(pk)
        for type_id, ids in grouped.items():
            q |= Q(target_type_id=type_id, target_id__in=ids)
        for user_id, type_id, pk, level in Follow.objects.filter(
            q
        ).values_list("user_id", "target_type_id", "target_id", "level"):
            index.by_target[(type_id, pk)][user_id] = level

    plan = _Plan()
    wanted: list[tuple[Activity, Any, Any, int, str, str]] = []
    for a in rows:
        verb, thread = VERBS[a.verb], threads.get(a.pk)
        if thread is None:
            continue
        target = targets[(a.target_type_id, a.target_id)]
        thread_key = (ct(thread).pk, thread.pk)
        # Defaults: who follows the thread from now on.
        starters = set()
        if "actor" in verb.follow and a.actor_id:
            starters.add(a.actor_id)
        if "owners" in verb.follow and hasattr(thread, "owners"):
            starters.update(o.pk for o in thread.owners.all())
        for uid in starters:
            if uid not in index.by_target.get(thread_key, {}):
                index.add(uid, thread_key, a.pk)
                plan.follows.append(
                    Follow(
                        user_id=uid,
                        target_type_id=thread_key[0],
                        target_id=thread_key[1],
                        level=Level.EVERYTHING,
                        auto=True,
                    )
                )
        if max_age is not None and a.created_at < now - max_age:
            continue
        on_thread = index.levels(thread_key, a.pk)
        chosen: dict[int, str] = {}
        grant = _granter(chosen, a.actor_id)
        for ref in verb.direct:
            grant(_person(ref, a, target, thread), Reason.REQUEST)
        if verb.coordinators and a.community_id:
            for uid in coordinators.get(a.community_id, []):
                grant(uid, Reason.REQUEST)
        for subject in about.get(a.pk, ()):
            theirs = sorted(active_in.get(subject, ()))
            askers = [uid for cid in theirs for uid in coordinators[cid]]
            for uid in askers if theirs else staff:
                if uid != subject:  # not the account asked about
                    grant(uid, Reason.REQUEST)
        mentioned = [
            by_handle[h] for h in handles.get(a.pk, ()) if h in by_handle
        ]
        for uid in mentioned:
            grant(uid, Reason.MENTION)
        for ref in verb.replied:
            replied = _person(ref, a, target, thread)
            level = on_thread.get(replied or 0, Level.REPLIES)
            if replied and RANK[Level(level)] >= 2:
                grant(replied, Reason.REPLY)
        if verb.to_thread or verb.broadcast:
            # A follow of the thread decides; else the closest watch of
            # its community, its tags (and, for something new, its
            # author) does.
            wide: dict[int, str] = {}
            sources: list[tuple[int, int]] = [
                (community_ct, a.community_id or 0),
                *((tag_ct, t.pk) for t in _tags(thread)),
            ]
            if verb.broadcast:
                sources.append((user_ct, a.actor_id or 0))
            for origin in sources:
                for uid, level in index.levels(origin, a.pk).items():
                    if RANK[Level(level)] > RANK[Level(wide.get(uid, "mute"))]:
                        wide[uid] = level
            for uid in [*on_thread, *wide]:
                level = on_thread.get(uid) or wide[uid]
                if level == Level.EVERYTHING:
                    grant(uid, Reason.FOLLOW)
        for uid, reason in chosen.items():
            key = f"a{a.pk}"
            if reason == Reason.MENTION:
                key = f"m{a.target_type_id}:{a.target_id}"
            wanted.append((a, target, thread, uid, reason, key))

    # Access: each person may still see the thread, asked once per pair.
    people = User.objects.filter(
        pk__in={w[3] for w in wanted}, is_active=True
    ).in_bulk()
    prime(people.values())
    seen: dict[tuple[int, int, int], bool] = {}
    for a, target, thread, uid, reason, key in wanted:
        person = people.get(uid)
        if person is None:
            continue
        pair = (uid, ct(thread).pk, thread.pk)
        if pair not in seen:
            seen[pair] = may_see(
                person, thread, community=communities.get(a.community_id or 0)
            )
        if not seen[pair]:
            continue
        actor_name = a.actor.name if a.actor else "Someone"
        plan.notifications.append(
            Notification(
                user_id=uid,
                key=key,
                reason=reason,
                verb=a.verb,
                activity_id=a.pk,
                actor_id=a.actor_id,
                thread_type_id=ct(thread).pk,
                thread_id=thread.pk,
                thread_title=title_of(thread),
                community_id=a.community_id,
                url=url_of(thread, verb=a.verb, target=target)[:300],
                text=VERBS[a.verb].says.format(actor=actor_name)[:300],
                created_at=a.created_at,
            )
        )
    return plan


def _granter(chosen: dict[int, str], actor_id: int | None) -> Any:
    """Give each person the first reason found (the strongest: requests
    are looked for first), never the actor."""

    def grant(uid: int | None, reason: str) -> None:
        if uid and uid != actor_id and uid not in chosen:
            chosen[uid] = reason

    return grant


def _tagged(model: Any) -> bool:
    """Does ``model`` carry tags (a many-to-many field called tags)?"""
    try:
        return bool(model._meta.get_field("tags").many_to_many)
    except FieldDoesNotExist:
        return False


def _tags(thread: Any) -> list[Any]:
    return list(thread.tags.all()) if _tagged(type(thread)) else []


# --- writing -------------------------------------------------------------


def _write(plan: _Plan, now: datetime, *, email: bool) -> list[Notification]:
    if plan.follows:
        Follow.objects.bulk_create(plan.follows, ignore_conflicts=True)
    if not plan.notifications:
        return []
    existing = set(
        Notification.objects.filter(
            user_id__in={n.user_id for n in plan.notifications},
            key__in={n.key for n in plan.notifications},
        ).values_list("user_id", "key")
    )
    fresh: dict[tuple[int, str], Notification] = {}
    for n in plan.notifications:
        if (n.user_id, n.key) not in existing:
            fresh.setdefault((n.user_id, n.key), n)
    made = Notification.objects.bulk_create(list(fresh.values()))
    counts: dict[int, int] = defaultdict(int)
    for n in made:
        counts[n.user_id] += 1
    by_count: dict[int, list[int]] = defaultdict(list)
    for uid, count in counts.items():
        by_count[count].append(uid)
    for count, uids in by_count.items():
        User.objects.filter(pk__in=uids).update(
            inbox_unread=F("inbox_unread") + count
        )
    if email:
        emails.queue(made, now)
    return made


def settle() -> timedelta:
    # On PostgreSQL ids are handed out before commit: the cursor stops
    # before rows younger than this (see core/cursors.py).
    return timedelta(
        seconds=float(getattr(settings, "NOTIFICATIONS_SETTLE_SECONDS", 1.0))
    )


def catch_up(
    *,
    max_age: timedelta | None = MAX_AGE,
    settle_for: timedelta | None = None,
    now: datetime | None = None,
    email: bool = True,
) -> int:
    """Fan out every activity after the cursor; returns how many
    notifications were made. Safe to run from several workers.

    ``max_age``: older entries notify nobody (None: all do);
    ``email=False`` fills inboxes without queueing email (for loading
    history, such as the demo's)."""
    now = now or timezone.now()
    horizon = now - (settle() if settle_for is None else settle_for)
    made = 0
    while True:
        with transaction.atomic():
            Cursor.objects.get_or_create(name=CURSOR)
            cursor = Cursor.objects.select_for_update().get(name=CURSOR)
            batch = cursors.read_after(
                Activity.objects.select_related("actor"),
                after=cursor.last_activity_id,
                size=BATCH,
                horizon=horizon,
            )
            rows = batch.done
            if not rows:
                return made
            known = [a for a in rows if a.verb in VERBS]
            if known:
                plan = _decide(known, max_age=max_age, now=now)
                made += len(_write(plan, now, email=email))
            cursor.last_activity_id = batch.through
            cursor.save(update_fields=["last_activity_id", "updated_at"])
        if batch.waits:
            return made


def pending() -> int:
    """How many activities the fan-out has not read yet."""
    cursor = Cursor.objects.filter(name=CURSOR).first()
    start = cursor.last_activity_id if cursor else 0
    return Activity.objects.filter(pk__gt=start).count()
