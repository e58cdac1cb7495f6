"""Keep the health figures warm: the worker recomputes each community's
help network and its figures in the site's time zone into the cache
before the cached copy expires (with a shared cache such as Redis; a
per-process cache only warms the worker's own)."""

from datetime import timedelta

from django.tasks import task

from practica.analytics import selectors
from practica.communities.models import Community
from practica.core.worker import every


@every(timedelta(minutes=10))
@task
def refresh_health() -> int:
    """Recompute every community's figures; returns how many."""
    done = 0
    for community in Community.objects.order_by("pk").iterator():
        selectors.refresh(community)
        done += 1
    return done
