"""The notifications API: your inbox, what you follow, your email
settings."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from ninja import Router, Status

from practica.api.auth import actor
from practica.api.pagination import Cursor, cursor_guard
from practica.api.problems import problems
from practica.notifications import selectors, services
from practica.notifications.models import Follow, Notification, Preference
from practica.notifications.schemas import (
    FollowIn,
    FollowOut,
    FollowPatch,
    NotificationPageOut,
    PreferenceOut,
    PreferencePatch,
    ReadIn,
    UnreadOut,
)
from practica.notifications.targets import kind_of, title_of, url_of

router = Router(tags=["notifications"])


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "reason": n.reason,
        "verb": n.verb,
        "text": n.text,
        "actor": n.actor,
        "thread_kind": ContentType.objects.get_for_id(n.thread_type_id).model,
        "thread_id": n.thread_id,
        "thread_title": n.thread_title,
        "url": n.url,
        "created_at": n.created_at,
        "read_at": n.read_at,
    }


@router.get(
    "/me/notifications",
    response={200: NotificationPageOut, **problems(401, 422)},
)
def notification_list(
    request: HttpRequest, unread: bool = False, cursor: Cursor = None
) -> dict[str, Any]:
    """Your notifications, newest first; unread=true for unread only."""
    user = actor(request)
    with cursor_guard(cursor):
        page = selectors.notification_list(
            viewer=user, unread=unread, cursor=cursor
        )
    return {
        "items": [_out(n) for n in page.items],
        "next_cursor": page.next_cursor,
        "unread": user.inbox_unread,
    }


@router.post(
    "/me/notifications/read",
    response={200: UnreadOut, **problems(401, 422)},
)
def notification_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    """Mark notifications read by id, or all of them; read=false marks
    them unread again. Returns your unread count."""
    user = actor(request)
    unread = services.notifications_read(
        user=user, ids=payload.ids, everything=payload.all, read=payload.read
    )
    return {"unread": unread}


@router.get(
    "/me/notifications/settings",
    response={200: PreferenceOut, **problems(401)},
)
def notification_settings_get(request: HttpRequest) -> Preference:
    """Your email settings: what is emailed at once, the digest, quiet
    hours and the address."""
    return services.preference_get(actor(request))


@router.patch(
    "/me/notifications/settings",
    response={200: PreferenceOut, **problems(401, 422)},
)
def notification_settings_update(
    request: HttpRequest, payload: PreferencePatch
) -> Preference:
    """Change your email settings; fields left out stay as they are.

    422 names each wrong field: a malformed email, an unknown reason or
    digest frequency, an hour out of range, a time not HH:MM, quiet
    hours with one end only.
    """
    fields = payload.model_dump(exclude_unset=True)
    return services.preference_update(user=actor(request), **fields)


def _follow_out(f: Follow, target: Any) -> dict[str, Any]:
    return {
        "id": f.pk,
        "kind": kind_of(target),
        "target_id": f.target_id,
        "title": title_of(target),
        "url": url_of(target),
        "level": f.level,
        "auto": f.auto,
        "created_at": f.created_at,
    }


@router.get("/me/follows", response={200: list[FollowOut], **problems(401)})
def follow_list(request: HttpRequest) -> list[dict[str, Any]]:
    """What you follow, and how closely."""
    return [
        {
            "id": row.follow.pk,
            "kind": row.kind,
            "target_id": row.follow.target_id,
            "title": row.title,
            "url": row.url,
            "level": row.follow.level,
            "auto": row.follow.auto,
            "created_at": row.follow.created_at,
        }
        for row in selectors.follow_list(viewer=actor(request))
    ]


@router.post(
    "/me/follows",
    response={201: FollowOut, **problems(401, 403, 422)},
)
def follow_create(
    request: HttpRequest, payload: FollowIn
) -> Status[dict[str, Any]]:
    """Follow a community, tag, conversation, artifact, event or person
    (or change the level if you already do)."""
    user = actor(request)
    target = services.target_get(viewer=user, kind=payload.kind, pk=payload.id)
    f = services.follow_set(user=user, target=target, level_=payload.level)
    return Status(201, _follow_out(f, target))


@router.patch(
    "/me/follows/{follow_id}",
    response={200: FollowOut, **problems(401, 422)},
)
def follow_update(
    request: HttpRequest, follow_id: int, payload: FollowPatch
) -> dict[str, Any]:
    """Change how closely you follow something."""
    user = actor(request)
    f = selectors.follow_get(viewer=user, pk=follow_id)
    f = services.follow_update(user=user, follow=f, level_=payload.level)
    target = f.target_type.get_object_for_this_type(pk=f.target_id)
    return _follow_out(f, target)


@router.delete(
    "/me/follows/{follow_id}",
    response={204: None, **problems(401, 422)},
)
def follow_delete(request: HttpRequest, follow_id: int) -> Status[None]:
    """Stop following something."""
    user = actor(request)
    f = selectors.follow_get(viewer=user, pk=follow_id)
    services.follow_remove(user=user, follow=f)
    return Status(204, None)
