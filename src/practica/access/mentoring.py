"""Access rules for the mentoring app (merged into rules.RULES on import).

Offers and requests are seen by the community's active members (helpers
volunteer from the open requests); a match by its two people and the
coordinators; a mentorship by its two people and the coordinators, but a
private note only by its author (see mentoring.selectors). Coordinators
run matching, see loads and progress, and keep the pathway.
"""

from typing import Any

from practica.access.rules import (
    RULES,
    _at_least,
    _is_staff,
    _signed_in,
    role_in,
)
from practica.communities.models import Community, Role
from practica.mentoring.models import (
    HelpOffer,
    HelpRequest,
    Match,
    Mentorship,
    Pathway,
)

COORDINATORS_ONLY = "Only this community's coordinators can do that."


def _member(user: Any, c: Community) -> str | None:
    if not _signed_in(user):
        return "Sign in to see help and mentoring."
    if role_in(user, c) is None and not _is_staff(user):
        return "Join this community to offer or ask for help."
    return None


def _coordinator(user: Any, c: Community) -> str | None:
    if _at_least(user, c, Role.COORDINATOR):
        return None
    return COORDINATORS_ONLY


def _is(user: Any, person_id: int | None) -> bool:
    return _signed_in(user) and user.pk == person_id


def _view_offer(user: Any, o: HelpOffer) -> str | None:
    if _is(user, o.person_id):
        return None
    return _member(user, o.community)


def _edit_offer(user: Any, o: HelpOffer) -> str | None:
    if _is(user, o.person_id) or _at_least(
        user, o.community, Role.COORDINATOR
    ):
        return None
    return "Only the person who offers, or a coordinator, can change it."


def _view_request(user: Any, r: HelpRequest) -> str | None:
    if _is(user, r.requester_id):
        return None
    return _member(user, r.community)


def _edit_request(user: Any, r: HelpRequest) -> str | None:
    if _is(user, r.requester_id) or _at_least(
        user, r.community, Role.COORDINATOR
    ):
        return None
    return "Only the person who asked, or a coordinator, can change it."


def _view_match(user: Any, m: Match) -> str | None:
    if _is(user, m.helper_id) or _is(user, m.requester_id):
        return None
    if _at_least(user, m.community, Role.COORDINATOR):
        return None
    return "Only the two people matched and the coordinators see a match."


def _answer_match(user: Any, m: Match) -> str | None:
    if _is(user, m.helper_id) or _is(user, m.requester_id):
        return None
    return "Only the two people matched can accept or decline."


def _confirm_match(user: Any, m: Match) -> str | None:
    if _is(user, m.requester_id) or _at_least(
        user, m.community, Role.COORDINATOR
    ):
        return None
    return (
        "Only the person who was helped, or a coordinator, can confirm "
        "that the help was given."
    )


def _view_mentorship(user: Any, m: Mentorship) -> str | None:
    if _is(user, m.mentor_id) or _is(user, m.mentee_id):
        return None
    if _at_least(user, m.community, Role.COORDINATOR):
        return None
    return "Only the mentor, the mentee and the coordinators see this."


def _take_part(user: Any, m: Mentorship) -> str | None:
    if _is(user, m.mentor_id) or _is(user, m.mentee_id):
        return None
    return "Only the mentor and the mentee can do that."


def _view_pathway(user: Any, p: Pathway) -> str | None:
    return _member(user, p.community)


def _edit_pathway(user: Any, p: Pathway) -> str | None:
    return _coordinator(user, p.community)


RULES.update(
    {
        (Community, "help"): _member,
        (Community, "match_help"): _coordinator,
        (HelpOffer, "view"): _view_offer,
        (HelpOffer, "edit"): _edit_offer,
        (HelpRequest, "view"): _view_request,
        (HelpRequest, "edit"): _edit_request,
        (Match, "view"): _view_match,
        (Match, "answer"): _answer_match,
        (Match, "confirm"): _confirm_match,
        (Mentorship, "view"): _view_mentorship,
        (Mentorship, "take_part"): _take_part,
        (Pathway, "view"): _view_pathway,
        (Pathway, "edit"): _edit_pathway,
    }
)
