"""Every read about people, filtered by access."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from practica import access
from practica.accounts.models import (
    AccessToken,
    Department,
    Endorsement,
    Expertise,
    Skill,
    User,
)
from practica.communities.models import Membership, Status
from practica.core.pagination import Page, keyset


def _with_expertise(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.select_related("department").prefetch_related(
        Prefetch(
            "expertise", queryset=Expertise.objects.select_related("skill")
        )
    )


def people_list(
    *,
    viewer: Any,
    skill: str = "",
    department: str = "",
    available: bool = False,
    q: str = "",
    cursor: str | None = None,
    size: int | None = None,
) -> Page[User]:
    """The member directory (signed-in people only)."""
    access.require(viewer, "view", viewer)
    qs = User.objects.filter(is_active=True)
    if skill:
        qs = qs.filter(expertise__skill__slug=skill)
    if department:
        qs = qs.filter(department__slug=department)
    if available:
        qs = qs.filter(available_to_help=True)
    if q:
        qs = qs.filter(
            Q(display_name__icontains=q) | Q(job_title__icontains=q)
        )
    return keyset(
        _with_expertise(qs.distinct()),
        order=("display_name", "id"),
        cursor=cursor,
        size=size or settings.PRACTICA_PAGE_SIZE,
    )


def person_get(*, viewer: Any, pk: int) -> User:
    """A profile with expertise and the viewer's endorsements marked."""
    person = _with_expertise(User.objects.filter(pk=pk)).first()
    if person is None or not access.can(viewer, "view", person):
        raise Http404("No such person.")
    return person


def person_memberships(*, viewer: Any, person: User) -> list[Membership]:
    """The communities a person is active in that the viewer may see."""
    visible = access.visible_communities(viewer).values("pk")
    return list(
        Membership.objects.filter(
            user=person, status=Status.ACTIVE, community__in=visible
        )
        .select_related("community")
        .order_by("community__name")
    )


def endorsed_by(*, viewer: Any, person: User) -> set[int]:
    """Ids of the person's expertise the viewer has endorsed."""
    if not getattr(viewer, "is_authenticated", False):
        return set()
    return set(
        Endorsement.objects.filter(
            endorser=viewer, expertise__user=person
        ).values_list("expertise_id", flat=True)
    )


def expertise_get(*, viewer: Any, pk: int) -> Expertise:
    e = Expertise.objects.select_related("user", "skill").filter(pk=pk).first()
    if e is None or not access.can(viewer, "view", e.user):
        raise Http404("No such expertise.")
    return e


def skills() -> QuerySet[Skill]:
    return Skill.objects.order_by("name")


def departments() -> QuerySet[Department]:
    return Department.objects.order_by("name")


def token_list(*, viewer: Any) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=viewer)


def token_get(*, viewer: Any, pk: int) -> AccessToken:
    token = AccessToken.objects.filter(user=viewer, pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token


# --- pages -----------------------------------------------------------------


@dataclass
class ExpertiseRow:
    """One line of a profile's expertise list, with what the viewer may do
    on it."""

    expertise: Expertise
    endorsed: bool
    may_endorse: bool
    may_verify: bool


@dataclass
class PersonPage:
    person: User
    rows: list[ExpertiseRow]
    memberships: list[Membership]
    is_me: bool


def _rows(viewer: Any, expertise: list[Expertise]) -> list[ExpertiseRow]:
    endorsed: set[int] = set()
    if expertise and getattr(viewer, "is_authenticated", False):
        endorsed = set(
            Endorsement.objects.filter(
                endorser=viewer, expertise__in=[e.pk for e in expertise]
            ).values_list("expertise_id", flat=True)
        )
    # The verify rule asks whether the viewer coordinates a community the
    # *person* is in, so one answer per person keeps the page at a fixed
    # number of queries however much expertise it lists.
    verify: dict[int, bool] = {}
    rows = []
    for e in expertise:
        if e.user_id not in verify:
            verify[e.user_id] = access.can(viewer, "verify", e)
        rows.append(
            ExpertiseRow(
                expertise=e,
                endorsed=e.pk in endorsed,
                may_endorse=access.can(viewer, "endorse", e),
                may_verify=verify[e.user_id],
            )
        )
    return rows


def person_page(*, viewer: Any, pk: int) -> PersonPage:
    """A profile with its expertise (skill, verifier, the viewer's
    endorsements and rights) and the communities the viewer may see the
    person in, in a fixed number of queries.

    Refuses (404) a person the viewer may not see.
    """
    person = User.objects.select_related("department").filter(pk=pk).first()
    if person is None or not access.can(viewer, "view", person):
        raise Http404("No such person.")
    expertise = list(
        Expertise.objects.filter(user=person).select_related(
            "skill", "verified_by"
        )
    )
    return PersonPage(
        person=person,
        rows=_rows(viewer, expertise),
        memberships=person_memberships(viewer=viewer, person=person),
        is_me=person.pk == getattr(viewer, "pk", None),
    )


def expertise_row(*, viewer: Any, pk: int) -> ExpertiseRow:
    """One expertise line as the profile shows it (after an endorsement or
    a verification).

    Refuses (404) expertise of a person the viewer may not see.
    """
    e = (
        Expertise.objects.select_related("user", "skill", "verified_by")
        .filter(pk=pk)
        .first()
    )
    if e is None or not access.can(viewer, "view", e.user):
        raise Http404("No such expertise.")
    return _rows(viewer, [e])[0]


def my_expertise(*, viewer: Any) -> list[Expertise]:
    """The viewer's own expertise, highest level first, for settings.

    Refuses nothing: it only ever lists the viewer's own (sign-in is the
    page's concern).
    """
    return list(
        Expertise.objects.filter(user=viewer).select_related(
            "skill", "verified_by"
        )
    )
