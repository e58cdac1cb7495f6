"""Access rules for the notifications app (merged into rules.RULES).

Who may be told about something is who may see it: :func:`may_see`
asks the rule of the thing itself when there is one (an artifact, an
event), else the rule of its community. The fan-out and the digests ask
about many people at once, so :func:`prime` loads their memberships in
one query first.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Model

from practica.access.rules import (
    _CACHE,
    RULES,
    _signed_in,
    can,
)
from practica.communities.models import Community, Membership
from practica.notifications.models import Follow, Notification


def prime(users: Iterable[Any]) -> None:
    """Load the memberships of every user in ``users`` that has none
    cached yet, in one query (what :func:`rules.memberships` would do
    once per person)."""
    todo = {u.pk: u for u in users if getattr(u, _CACHE, None) is None}
    if not todo:
        return
    found: dict[int, dict[int, Membership]] = defaultdict(dict)
    for m in Membership.objects.filter(user_id__in=list(todo)):
        found[m.user_id][m.community_id] = m
    for pk, user in todo.items():
        setattr(user, _CACHE, found.get(pk, {}))


def may_see(
    user: Any,
    obj: Model | None,
    *,
    community: Community | None = None,
) -> bool:
    """May ``user`` see ``obj`` (its own view rule, else its
    community's)? ``community`` is used when ``obj`` has neither."""
    if not _signed_in(user):
        return False
    if obj is not None and (obj.__class__, "view") in RULES:
        return can(user, "view", obj)
    owner = getattr(obj, "community", None) if obj is not None else None
    if isinstance(owner, Community):
        return can(user, "view", owner)
    if community is not None:
        return can(user, "view", community)
    return obj is not None  # nothing to ask: a person, a system object


def _own_follow(user: Any, f: Follow) -> str | None:
    if _signed_in(user) and user.pk == f.user_id:
        return None
    return "You can only change what you follow yourself."


def _own_notification(user: Any, n: Notification) -> str | None:
    if _signed_in(user) and user.pk == n.user_id:
        return None
    return "This notification is someone else's."


RULES.update(
    {
        (Follow, "edit"): _own_follow,
        (Notification, "edit"): _own_notification,
    }
)
