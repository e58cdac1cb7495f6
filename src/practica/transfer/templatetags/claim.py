"""``{% claim_box person %}``: the claiming box on a profile, so that the
people app's template needs one line and knows nothing of imports."""

from typing import Any

from django import template

from practica.accounts.models import User
from practica.transfer import selectors
from practica.transfer.forms import HandOverForm

register = template.Library()


@register.inclusion_tag("transfer/_claim_box.html", takes_context=True)
def claim_box(context: template.Context, person: User) -> dict[str, Any]:
    """Nothing (and no query) for anyone but an imported account still
    waiting for its owner."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    box = selectors.claim_box(viewer=viewer, person=person)
    return {
        "box": box,
        "form": HandOverForm(auto_id="claim_%s"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("transfer/_claims_link.html", takes_context=True)
def claim_requests_link(context: template.Context) -> dict[str, Any]:
    """A link to the requests page for whoever has requests to decide;
    nothing for anyone else."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return {"pending": selectors.pending_count(viewer=viewer)}
