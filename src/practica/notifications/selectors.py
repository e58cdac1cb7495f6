"""Every read about notifications: the inbox, follows, mention
candidates. Each is the viewer's own, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from practica.accounts.models import User
from practica.core.pagination import Page, keyset
from practica.notifications.models import Follow, Notification
from practica.notifications.targets import kind_of, title_of, url_of

PAGE = 30
MENTIONS = 8


def notification_list(
    *,
    viewer: User,
    unread: bool = False,
    cursor: str | None = None,
    size: int = PAGE,
) -> Page[Notification]:
    """The viewer's notifications, newest first, a page at a time
    (one query, the actor joined)."""
    qs = Notification.objects.filter(user_id=viewer.pk).select_related("actor")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return keyset(qs, order=("-id",), cursor=cursor, size=size)


@dataclass
class Thread:
    """The notifications of one page about one thread, newest first."""

    title: str
    url: str
    items: list[Notification]

    @property
    def unread(self) -> int:
        return sum(1 for n in self.items if n.read_at is None)

    @property
    def latest(self) -> Notification:
        return self.items[0]


def inbox(
    *, viewer: User, unread: bool = False, cursor: str | None = None
) -> tuple[list[Thread], str | None]:
    """A page of the inbox grouped by thread, threads in the order of
    their newest notification (one query)."""
    page = notification_list(viewer=viewer, unread=unread, cursor=cursor)
    groups: dict[tuple[int, int], Thread] = {}
    for n in page.items:
        key = (n.thread_type_id, n.thread_id)
        if key not in groups:
            groups[key] = Thread(n.thread_title, n.url.split("#")[0], [])
        groups[key].items.append(n)
    return list(groups.values()), page.next_cursor


@dataclass
class FollowRow:
    follow: Follow
    kind: str
    title: str
    url: str


def follow_list(*, viewer: User) -> list[FollowRow]:
    """What the viewer follows, with each target's title and page (one
    query for the follows, one per kind of target)."""
    follows = list(
        Follow.objects.filter(user_id=viewer.pk).order_by(
            "target_type_id", "-created_at", "-id"
        )
    )
    wanted: dict[int, set[int]] = defaultdict(set)
    for f in follows:
        wanted[f.target_type_id].add(f.target_id)
    found: dict[tuple[int, int], Any] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, one in model._default_manager.in_bulk(list(ids)).items():
            found[(type_id, pk)] = one
    rows = []
    for f in follows:
        obj = found.get((f.target_type_id, f.target_id))
        if obj is None:
            continue
        url = url_of(obj)
        if obj._meta.label_lower == "conversations.tag":
            url = _tag_url(obj)
        rows.append(FollowRow(f, kind_of(obj), title_of(obj), url))
    return rows


def _tag_url(tag: Any) -> str:
    from django.urls import reverse

    return (
        reverse("conversations:list", args=[tag.community.slug])
        + f"?tag={tag.slug}"
    )


def follow_get(*, viewer: User, pk: int) -> Follow:
    """One of the viewer's follows (a refusal for anyone else's)."""
    from django.core.exceptions import ValidationError

    f = Follow.objects.filter(pk=pk, user_id=viewer.pk).first()
    if f is None:
        raise ValidationError({"id": f"You follow nothing with id {pk}."})
    return f


def mention_candidates(*, viewer: Any, q: str) -> QuerySet[User]:
    """People the viewer may see whose @handle starts with, or whose
    name contains, ``q``; people who share a community first. Signed-in
    viewers only (profiles are for signed-in people)."""
    q = (q or "").strip().lstrip("@")[:40]
    if not getattr(viewer, "is_authenticated", False) or not q:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(handle__istartswith=q) | Q(display_name__icontains=q))
        .exclude(pk=viewer.pk)
        .only("id", "handle", "display_name", "email")
        .order_by("display_name", "id")[:MENTIONS]
    )
