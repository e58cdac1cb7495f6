"""Links between conversations that the importers brought in (Stack
Exchange's PostLinks), as the question page shows them."""

from typing import Any

from django.db.models import Q
from django.http import Http404

from practica import access
from practica.conversations.models import Conversation, ConversationLink

LINKED_MAX = 20


def linked(*, viewer: Any, conversation: Conversation) -> list[Conversation]:
    """The conversations linked with this one, either way (Stack
    Exchange's "Linked" questions, and the duplicates of either), that
    the viewer may see: the highest scored first, at most 20.

    Refuses (404) a conversation the viewer may not see.
    """
    if not access.can(viewer, "view", conversation.community):
        raise Http404("No such conversation.")
    pk = conversation.pk
    others = {
        target if source == pk else source
        for source, target in ConversationLink.objects.filter(
            Q(source_id=pk) | Q(target_id=pk)
        ).values_list("source_id", "target_id")
    }
    others.discard(pk)
    if not others:
        return []
    return list(
        Conversation.objects.filter(
            pk__in=others,
            community__in=access.visible_communities(viewer),
        )
        .only("id", "title", "state", "reply_count", "accepted_reply_id")
        .order_by("-score", "-id")[:LINKED_MAX]
    )
