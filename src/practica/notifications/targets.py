"""What a notification or a follow points at: names, titles, pages."""

from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse

# What can be followed, by the name clients use.
KINDS: dict[str, str] = {
    "community": "communities.community",
    "tag": "conversations.tag",
    "conversation": "conversations.conversation",
    "artifact": "repertoire.artifact",
    "event": "events.event",
    "person": "accounts.user",
}


def kind_of(obj: models.Model) -> str:
    label = obj._meta.label_lower
    return next((k for k, v in KINDS.items() if v == label), label)


def title_of(obj: Any) -> str:
    for name in ("title", "name"):
        value = getattr(obj, name, None)
        if isinstance(value, str) and value:
            return value[:200]
    return str(obj)[:200]


URLS = {
    "conversations.conversation": ("conversations:detail", "pk"),
    "repertoire.artifact": ("repertoire:detail", "pk"),
    "communities.community": ("communities:detail", "slug"),
    "accounts.user": ("accounts:person", "pk"),
    "events.event": ("events:detail", "pk"),
    "mentoring.match": ("mentoring:request", "request_id"),
    "mentoring.mentorship": ("mentoring:mentorship", "pk"),
}


def url_of(obj: Any, *, verb: str = "", target: Any = None) -> str:
    """Where the inbox and emails link: the thread's page, at the
    answer or comment that is new."""
    label = obj._meta.label_lower
    if verb == "membership.requested" and label == "communities.community":
        return reverse("communities:requests", args=[obj.slug])
    if verb == "claim.requested":
        return reverse("transfer:claims")
    if label in URLS:
        name, attr = URLS[label]
        try:
            url = reverse(name, args=[getattr(obj, attr)])
        except NoReverseMatch:
            url = "/"
    elif hasattr(obj, "get_absolute_url"):
        url = str(obj.get_absolute_url())
    else:
        url = "/"
    if target is not None and target is not obj:
        anchor = {
            "conversations.reply": "answer",
            "conversations.comment": "comment",
        }.get(target._meta.label_lower)
        if anchor:
            url += f"#{anchor}-{target.pk}"
    return url
