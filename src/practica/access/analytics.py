"""Access rules for the analytics app (merged into rules.RULES on import).

- A community's health (figures, aggregate network, reflections) is for
  its active members, for sponsors whose grant covers it and for staff.
- The people in the help network (names, connectors, overload, isolated
  members) are for the community's coordinators and staff only.
- Any active member tells a value story; coordinators feature or hide
  them; core members and coordinators write reflections.
- Sponsors (a :class:`SponsorGrant`, given by site staff in the admin)
  see cross-community aggregates: numbers, never titles, texts or people.
"""

from typing import Any

from django.db.models import QuerySet

from practica.access.rules import (
    RULES,
    _at_least,
    _is_staff,
    _signed_in,
    _view,
    role_in,
)
from practica.analytics.models import SponsorGrant, ValueStory
from practica.communities.models import Community, Role

_SPONSOR = "_practica_sponsor_scope"
ALL = "all"


def sponsor_scope(user: Any) -> set[int] | str | None:
    """The communities a sponsor's grant covers: ``ALL``, a set of ids, or
    None for someone who is not a sponsor (loaded once per request)."""
    if not _signed_in(user):
        return None
    if hasattr(user, _SPONSOR):
        return getattr(user, _SPONSOR)
    grant = SponsorGrant.objects.filter(user_id=user.pk).first()
    scope: set[int] | str | None = None
    if grant is not None:
        ids = set(grant.communities.values_list("id", flat=True))
        scope = ids or ALL
    setattr(user, _SPONSOR, scope)
    return scope


def forget_sponsor(user: Any) -> None:
    """Drop the cached grant after a service changed it."""
    if hasattr(user, _SPONSOR):
        delattr(user, _SPONSOR)


def is_sponsor(user: Any) -> bool:
    return sponsor_scope(user) is not None


def _sponsors(user: Any, c: Community) -> bool:
    scope = sponsor_scope(user)
    return scope == ALL or (isinstance(scope, set) and c.pk in scope)


def _view_health(user: Any, c: Community) -> str | None:
    if _is_staff(user) or _sponsors(user, c):
        return None
    if not _signed_in(user):
        return "Sign in to see this community's health."
    if role_in(user, c) is not None:
        return None
    return "Only this community's members can see its health."


def _view_people(user: Any, c: Community) -> str | None:
    if _at_least(user, c, Role.COORDINATOR):
        return None
    return (
        "Only this community's coordinators see who helps whom by name; "
        "members see the totals."
    )


def _tell_story(user: Any, c: Community) -> str | None:
    if not _signed_in(user):
        return "Sign in to tell a value story."
    if role_in(user, c) is None and not _is_staff(user):
        return "Join this community to tell a value story in it."
    return None


def _curate(user: Any, c: Community) -> str | None:
    if _at_least(user, c, Role.COORDINATOR):
        return None
    return "Only this community's coordinators can feature or hide stories."


def _reflect(user: Any, c: Community) -> str | None:
    if _at_least(user, c, Role.CORE):
        return None
    return (
        "Only this community's core members and coordinators write its "
        "reflections."
    )


def _view_story(user: Any, s: ValueStory) -> str | None:
    if (why := _view(user, s.community)) is not None:
        return why
    if not s.hidden:
        return None
    if _signed_in(user) and user.pk == s.author_id:
        return None
    if _at_least(user, s.community, Role.COORDINATOR):
        return None
    return "A coordinator took this story off the list."


def _sponsor_overview(user: Any, _obj: Any) -> str | None:
    if _is_staff(user) or is_sponsor(user):
        return None
    if not _signed_in(user):
        return "Sign in to see the overview of every community."
    return (
        "The overview of every community is for sponsors: ask the site's "
        "staff for a sponsor grant. Your communities' health pages are "
        "open to you."
    )


def sponsored_communities(
    user: Any, queryset: QuerySet[Community] | None = None
) -> QuerySet[Community]:
    """The communities whose aggregates ``user`` sees as a sponsor (all
    for staff; none for anyone else)."""
    qs = Community.objects.all() if queryset is None else queryset
    if _is_staff(user):
        return qs
    scope = sponsor_scope(user)
    if scope == ALL:
        return qs
    if isinstance(scope, set):
        return qs.filter(pk__in=scope)
    return qs.none()


RULES.update(
    {
        (Community, "view_health"): _view_health,
        (Community, "view_help_people"): _view_people,
        (Community, "tell_story"): _tell_story,
        (Community, "curate_stories"): _curate,
        (Community, "reflect"): _reflect,
        (ValueStory, "view"): _view_story,
        (None, "sponsor_overview"): _sponsor_overview,
    }
)
