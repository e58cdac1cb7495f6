"""Helpers for the notification tests."""

from typing import Any

from practica.notifications import fanout, services
from practica.notifications.models import Follow, Level


def fan_out() -> int:
    """Run the fan-out over everything new, at once."""
    return fanout.catch_up()


def follow(user: Any, target: Any, level: str = Level.EVERYTHING) -> Follow:
    return services.follow_set(user=user, target=target, level_=level)
