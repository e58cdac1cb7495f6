"""Write to the activity record (services only)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from practica.core.models import Activity


def record(
    *,
    actor: Any,
    verb: str,
    target: models.Model,
    community_id: int | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> Activity:
    """Append one entry; ``actor`` may be None for system actions."""
    return Activity.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        community_id=community_id,
        summary=summary[:300],
        data=data or {},
    )
