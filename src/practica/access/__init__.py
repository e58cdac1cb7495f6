"""The one module that decides who may see or do what (see rules.py)."""

from practica.access.rules import (
    can,
    forget,
    memberships,
    rank,
    reason,
    require,
    role_in,
    visible_artifacts,
    visible_communities,
)

__all__ = [
    "can",
    "forget",
    "memberships",
    "rank",
    "reason",
    "require",
    "role_in",
    "visible_artifacts",
    "visible_communities",
]
