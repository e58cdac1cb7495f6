"""The one module that decides who may see or do what (see rules.py).

Rules for the later apps live beside it, one file per app, each adding its
entries to ``rules.RULES`` when imported here.
"""

from practica.access import (  # noqa: F401  (they register their rules)
    analytics,
    events,
    mentoring,
    notifications,
)
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
