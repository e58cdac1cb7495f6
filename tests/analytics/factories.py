"""Hand-built history for the analytics tests: things made through the
services, then moved to the moment the test needs."""

from datetime import datetime
from typing import Any

from practica.communities.models import Community
from practica.conversations import services as conversations
from practica.conversations.models import Conversation, Reply
from practica.core import activity
from practica.core.models import Activity
from practica.repertoire import services as repertoire
from practica.repertoire.models import Artifact, Status
from tests.conversations.factories import answer, ask


def at(obj: Any, when: datetime, **more: Any) -> Any:
    """Move ``obj`` (and any other columns) to ``when``, bypassing
    auto_now_add."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=when, **more)
    for name, value in {"created_at": when, **more}.items():
        setattr(obj, name, value)
    return obj


def question(
    author: Any,
    community: Community,
    asked: datetime,
    answers: list[tuple[Any, datetime]] = (),  # type: ignore[assignment]
    accept: int | None = None,
    **kw: Any,
) -> Conversation:
    """A question asked at ``asked`` with answers at their times; the
    answer at index ``accept`` accepted."""
    q = ask(author, community, **kw)
    replies: list[Reply] = []
    for i, (who, when) in enumerate(answers):
        r = answer(who, q, body=f"Answer {i}: try the other valve first.")
        at(r, when)
        replies.append(r)
    if accept is not None:
        conversations.reply_accept(actor=author, reply=replies[accept])
    at(q, asked)
    q.refresh_from_db()
    return q


def happened(
    actor: Any, community: Community, when: datetime, verb: str = "x.done"
) -> Activity:
    """One activity-record entry at ``when``."""
    a = activity.record(
        actor=actor, verb=verb, target=community, community_id=community.pk
    )
    Activity.objects.filter(pk=a.pk).update(created_at=when)
    return a


def artifact(author: Any, community: Community, **kw: Any) -> Artifact:
    fields: dict[str, Any] = {
        "title": "Die change checklist",
        "body": "1. Lock out. 2. Check clearance.",
        "status": Status.PUBLISHED,
    }
    fields.update(kw)
    return repertoire.artifact_create(
        author=author, community=community, **fields
    )
