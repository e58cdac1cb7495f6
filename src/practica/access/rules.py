"""Who may see or do what: the one place that decides.

Each rule returns ``None`` when the action is allowed, or the reason it is
not, written for the person who tried. :func:`can`, :func:`require` and
:func:`visible_communities` are the only doors; web, API, search, feeds,
digests and notifications all go through them.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from practica.accounts.models import Expertise, User
from practica.communities.models import (
    Community,
    Membership,
    Policy,
    Role,
    Status,
    Visibility,
)
from practica.repertoire.models import Artifact
from practica.repertoire.models import Status as ArtifactStatus

RANK: dict[str, int] = {
    Role.NEWCOMER: 1,
    Role.MEMBER: 2,
    Role.CORE: 3,
    Role.COORDINATOR: 4,
}
_CACHE = "_practica_memberships"

Rule = Callable[[Any, Any], str | None]


def memberships(user: Any) -> dict[int, Membership]:
    """The user's memberships by community id, loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = {
            m.community_id: m for m in Membership.objects.filter(user=user)
        }
        setattr(user, _CACHE, cached)
    return cached


def forget(user: Any) -> None:
    """Drop the cached memberships after a service changed them."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def role_in(user: Any, community: Community) -> str | None:
    """The user's active role in the community, or None."""
    m = memberships(user).get(community.pk)
    return m.role if m is not None and m.status == Status.ACTIVE else None


def rank(role: str) -> int:
    """Coordinator 4, core 3, member 2, newcomer 1."""
    return RANK[role]


def _is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def _at_least(user: Any, community: Community, role: str) -> bool:
    mine = role_in(user, community)
    return _is_staff(user) or (mine is not None and RANK[mine] >= RANK[role])


# --- communities ---------------------------------------------------------


def _view(user: Any, c: Community) -> str | None:
    if c.visibility == Visibility.PUBLIC or _is_staff(user):
        return None
    if not _signed_in(user):
        return "Sign in to see this community."
    if c.visibility == Visibility.ORGANISATION:
        return None
    if role_in(user, c) is not None:
        return None
    m = memberships(user).get(c.pk)
    if m is not None and m.status == Status.PENDING:
        return None  # the requester may follow their own request
    return "This community is private: only its members can see it."


def _view_members(user: Any, c: Community) -> str | None:
    if not _signed_in(user):
        return "Sign in to see who is in this community."
    return _view(user, c)


def _join(user: Any, c: Community) -> str | None:
    if not _signed_in(user):
        return "Sign in to join this community."
    if (why := _view(user, c)) is not None:
        return why
    if c.policy == Policy.INVITATION:
        return "This community admits members by invitation only."
    return None


def _leave(user: Any, c: Community) -> str | None:
    if role_in(user, c) is None:
        return "You are not a member of this community."
    return None


def _participate(user: Any, c: Community) -> str | None:
    if not _signed_in(user):
        return "Sign in to take part."
    if role_in(user, c) is None and not _is_staff(user):
        return "Join this community to take part."
    return None


def _coordinate(user: Any, c: Community) -> str | None:
    if _at_least(user, c, Role.COORDINATOR):
        return None
    return "Only this community's coordinators can do that."


def _invite(user: Any, c: Community) -> str | None:
    if _at_least(user, c, Role.CORE):
        return None
    return "Only coordinators and core members can invite people."


# --- people --------------------------------------------------------------


def _view_person(user: Any, person: User) -> str | None:
    if not _signed_in(user):
        return "Sign in to see people's profiles."
    if not person.is_active:
        return "This person's account is closed."
    return None


def _edit_person(user: Any, person: User) -> str | None:
    if _signed_in(user) and (user.pk == person.pk or _is_staff(user)):
        return None
    return "You can only change your own profile."


def _endorse(user: Any, e: Expertise) -> str | None:
    if not _signed_in(user):
        return "Sign in to endorse someone's expertise."
    if user.pk == e.user_id:
        return "You cannot endorse your own expertise."
    return None


def _verify(user: Any, e: Expertise) -> str | None:
    if _is_staff(user):
        return None
    if not _signed_in(user):
        return "Sign in to verify expertise."
    mine = {
        cid
        for cid, m in memberships(user).items()
        if m.status == Status.ACTIVE and m.role == Role.COORDINATOR
    }
    if (
        mine
        and Membership.objects.filter(
            user_id=e.user_id, community_id__in=mine, status=Status.ACTIVE
        ).exists()
    ):
        return None
    return (
        "Only a coordinator of a community this person belongs to can "
        "verify their expertise."
    )


# --- repertoire ----------------------------------------------------------


def _owns(user: Any, a: Artifact) -> bool:
    # owners.all() uses the prefetch cache when the selector loaded it.
    return _signed_in(user) and any(o.pk == user.pk for o in a.owners.all())


def _view_artifact(user: Any, a: Artifact) -> str | None:
    if (why := _view(user, a.community)) is not None:
        return why
    if a.status != ArtifactStatus.DRAFT:
        return None
    if _owns(user, a) or _at_least(user, a.community, Role.CORE):
        return None
    return (
        "This artifact is a draft: only its owners and the community's "
        "core members and coordinators can see it."
    )


def _edit_artifact(user: Any, a: Artifact) -> str | None:
    if (why := _view_artifact(user, a)) is not None:
        return why
    if _at_least(user, a.community, Role.CORE):
        return None
    if _owns(user, a) and role_in(user, a.community) is not None:
        return None
    return (
        "Only the artifact's owners and the community's core members "
        "and coordinators can change it."
    )


def _verify_artifact(user: Any, a: Artifact) -> str | None:
    if (why := _view_artifact(user, a)) is not None:
        return why
    if _at_least(user, a.community, Role.COORDINATOR):
        return None
    if _owns(user, a) and role_in(user, a.community) is not None:
        return None
    return "Only the artifact's owners and coordinators can verify it."


def visible_artifacts(
    user: Any, queryset: QuerySet[Artifact]
) -> QuerySet[Artifact]:
    """Artifacts ``user`` may see: in visible communities, and drafts only
    to their owners and to core members and coordinators."""
    qs = queryset.filter(community__in=visible_communities(user))
    if _is_staff(user):
        return qs
    curated = [
        cid
        for cid, m in memberships(user).items()
        if m.status == Status.ACTIVE and RANK[m.role] >= RANK[Role.CORE]
    ]
    drafts = Q(status=ArtifactStatus.DRAFT)
    if _signed_in(user):
        return qs.filter(
            ~drafts | Q(owners=user) | Q(community_id__in=curated)
        ).distinct()
    return qs.exclude(drafts)


def _create_community(user: Any, _obj: Any) -> str | None:
    if not _signed_in(user):
        return "Sign in to start a community."
    return None


RULES: dict[tuple[type | None, str], Rule] = {
    (Community, "view"): _view,
    (Community, "view_members"): _view_members,
    (Community, "join"): _join,
    (Community, "leave"): _leave,
    (Community, "participate"): _participate,
    (Community, "edit"): _coordinate,
    (Community, "moderate"): _coordinate,
    (Community, "invite"): _invite,
    (User, "view"): _view_person,
    (User, "edit"): _edit_person,
    (Expertise, "endorse"): _endorse,
    (Expertise, "verify"): _verify,
    (Artifact, "view"): _view_artifact,
    (Artifact, "edit"): _edit_artifact,
    (Artifact, "verify"): _verify_artifact,
    (None, "create_community"): _create_community,
}


def reason(user: Any, action: str, obj: Model | None = None) -> str | None:
    """Why ``user`` may not do ``action`` on ``obj``; None if they may."""
    if isinstance(obj, Membership):  # acting on a membership = moderating
        obj = obj.community
    # __class__, not type(): request.user is a SimpleLazyObject whose
    # type() is the wrapper, while __class__ is the wrapped model.
    rule = RULES.get((obj.__class__ if obj is not None else None, action))
    if rule is None:
        raise LookupError(f"No access rule for {action!r} on {obj!r}")
    return rule(user, obj)


def can(user: Any, action: str, obj: Model | None = None) -> bool:
    """True when ``user`` may do ``action`` on ``obj``."""
    return reason(user, action, obj) is None


def require(user: Any, action: str, obj: Model | None = None) -> None:
    """Raise PermissionDenied, with the reason, unless allowed."""
    why = reason(user, action, obj)
    if why is not None:
        raise PermissionDenied(why)


def visible_communities(
    user: Any, queryset: QuerySet[Community] | None = None
) -> QuerySet[Community]:
    """The communities ``user`` may see."""
    qs = Community.objects.all() if queryset is None else queryset
    if _is_staff(user):
        return qs
    if not _signed_in(user):
        return qs.filter(visibility=Visibility.PUBLIC)
    seen = [
        cid
        for cid, m in memberships(user).items()
        if m.status in (Status.ACTIVE, Status.PENDING)
    ]
    return qs.filter(~Q(visibility=Visibility.PRIVATE) | Q(pk__in=seen))
