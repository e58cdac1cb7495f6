"""Sending email: one function, HTML and plain text, through MAILERS."""

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def deliverable(address: str) -> bool:
    """Whether mail to ``address`` can arrive: not in the ``.invalid``
    top-level domain (RFC 2606), which imported accounts nobody has
    claimed yet use as their placeholder address."""
    _, at, domain = address.rpartition("@")
    domain = domain.rstrip(".>").lower()
    return bool(at and domain) and not (
        domain == "invalid" or domain.endswith(".invalid")
    )


def send(
    *,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    headers: Mapping[str, str] | None = None,
    reply_to: Sequence[str] = (),
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Send one message now (call from a task, not from a request).

    ``headers`` may carry ``Message-ID`` (to make a retry recognisable),
    ``List-Unsubscribe`` and ``List-Unsubscribe-Post``; ``attachments`` are
    ``(filename, content, mimetype)``, e.g. an ``.ics`` invitation.
    Addresses that cannot receive mail (:func:`deliverable`) are left
    out; with none left, nothing is sent.
    """
    to = [address for address in to if deliverable(address)]
    if not to:
        return
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=list(reply_to),
        headers=dict(headers or {}),
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
