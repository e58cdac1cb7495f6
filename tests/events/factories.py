"""Events built through the services, as people make them."""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Community
from practica.events import services
from practica.events.models import Event, Kind


def soon(days: int = 2, hour: int = 18) -> datetime:
    """A naive wall-clock time ``days`` from now at ``hour``:00."""
    day = timezone.now().astimezone(UTC).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour)  # noqa: DTZ001


def event(
    community: Community,
    host: User,
    *,
    start: Any = None,
    time_zone: str = "Europe/Berlin",
    **kw: Any,
) -> Event:
    kw.setdefault("title", "Problem-solving hour")
    kw.setdefault("kind", Kind.PROBLEM_SOLVING)
    return services.event_create(
        actor=host,
        community=community,
        start=start if start is not None else soon(),
        time_zone=time_zone,
        **kw,
    )
