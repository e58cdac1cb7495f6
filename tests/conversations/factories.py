from typing import Any

from practica.communities.models import Community
from practica.conversations import services
from practica.conversations.models import Conversation, Reply


def ask(author: Any, community: Community, **kw: Any) -> Conversation:
    fields = {
        "title": "How do we stop the press line from jamming?",
        "body": "It jams twice a shift since the new die arrived.",
        "tags": [],
    }
    fields.update(kw)
    return services.conversation_create(
        author=author, community=community, **fields
    )


def answer(author: Any, conversation: Conversation, **kw: Any) -> Reply:
    fields = {
        "body": "Check the die clearance first; ours was 0.2 mm off.",
        "experience": "Ran that press for 6 years",
    }
    fields.update(kw)
    return services.reply_create(
        author=author, conversation=conversation, **fields
    )
