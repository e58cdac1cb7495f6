"""Offers, requests and people with expertise for the mentoring tests."""

from typing import Any

from practica.accounts import services as accounts
from practica.accounts.models import User
from practica.communities.models import Community, Role
from practica.mentoring import services
from practica.mentoring.models import HelpOffer, HelpRequest
from tests.factories import member

WEEKDAYS = "Mon 09:00-12:00, Tue 09:00-12:00, Wed 09:00-12:00"


def helper(
    community: Community,
    skills: dict[str, int] | None = None,
    role: str = Role.MEMBER,
    **kw: Any,
) -> User:
    """A member with expertise (skill name -> level)."""
    person = member(community, role, **kw)
    for name, level in (skills or {"Terraform": 5}).items():
        accounts.expertise_set(
            actor=person, person=person, skill=name, level=level, years=5
        )
    return person


def offer(person: User, community: Community, **kw: Any) -> HelpOffer:
    fields: dict[str, Any] = {
        "skills": [e.skill.name for e in person.expertise.all()],
        "formats": ["answer", "pair", "mentor"],
        "capacity": 2,
        "windows_": WEEKDAYS,
    }
    fields.update(kw)
    return services.offer_save(actor=person, community=community, **fields)


def need(person: User, community: Community, **kw: Any) -> HelpRequest:
    fields: dict[str, Any] = {
        "title": "Terraform state keeps locking",
        "need": "Our CI runs leave the state **locked** twice a week.",
        "skills": ["terraform"],
        "format": "pair",
        "windows_": WEEKDAYS,
    }
    fields.update(kw)
    return services.request_create(actor=person, community=community, **fields)
