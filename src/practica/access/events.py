"""Access rules for the events app (merged into rules.RULES on import).

Anyone who may see the community sees its events. Members (not
newcomers, who first find their feet) schedule events; any active member
RSVPs and brings problems; hosts, core members and coordinators run an
event (edit, cancel, move, attendance, notes); coordinators see the
community's rhythm health.
"""

from typing import Any

from practica.access.rules import (
    RULES,
    _at_least,
    _participate,
    _signed_in,
    _view,
    role_in,
)
from practica.communities.models import Community, Role
from practica.events.models import Event, Occurrence, Problem


def _is_host(user: Any, e: Event) -> bool:
    if not _signed_in(user):
        return False
    # hosts.all() uses the prefetch cache when the selector loaded it.
    return any(h.pk == user.pk for h in e.hosts.all())


def _schedule(user: Any, c: Community) -> str | None:
    if not _signed_in(user):
        return "Sign in to schedule an event."
    if _at_least(user, c, Role.MEMBER):
        return None
    if role_in(user, c) is not None:
        return (
            "Newcomers cannot schedule events yet: ask a member or a "
            "coordinator to host it with you."
        )
    return "Join this community to schedule its events."


def _rhythm(user: Any, c: Community) -> str | None:
    if _at_least(user, c, Role.COORDINATOR):
        return None
    return "Only this community's coordinators can see its rhythm health."


def _view_event(user: Any, e: Event) -> str | None:
    return _view(user, e.community)


def _run(user: Any, e: Event) -> str | None:
    if (why := _view(user, e.community)) is not None:
        return why
    if _at_least(user, e.community, Role.CORE):
        return None
    if _is_host(user, e) and role_in(user, e.community) is not None:
        return None
    return (
        "Only the event's hosts and the community's core members and "
        "coordinators can do that."
    )


def _take_part(user: Any, e: Event) -> str | None:
    if (why := _view(user, e.community)) is not None:
        return why
    return _participate(user, e.community)


def _view_occurrence(user: Any, o: Occurrence) -> str | None:
    return _view_event(user, o.event)


def _rsvp(user: Any, o: Occurrence) -> str | None:
    return _take_part(user, o.event)


def _run_occurrence(user: Any, o: Occurrence) -> str | None:
    return _run(user, o.event)


def _remove_problem(user: Any, p: Problem) -> str | None:
    if _signed_in(user) and p.author_id == user.pk:
        return None
    return _run(user, p.occurrence.event)


RULES.update(
    {
        (Community, "schedule"): _schedule,
        (Community, "rhythm"): _rhythm,
        (Event, "view"): _view_event,
        (Event, "edit"): _run,
        (Event, "host"): _run,
        (Event, "take_part"): _take_part,
        (Occurrence, "view"): _view_occurrence,
        (Occurrence, "rsvp"): _rsvp,
        (Occurrence, "host"): _run_occurrence,
        (Occurrence, "submit_problem"): _rsvp,
        (Problem, "remove"): _remove_problem,
    }
)
