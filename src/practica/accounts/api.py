"""The people API: directory, profiles, expertise, access tokens."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status

from practica.accounts import selectors, services
from practica.accounts.models import (
    AccessToken,
    Department,
    Expertise,
    Skill,
    User,
)
from practica.accounts.schemas import (
    DepartmentOut,
    ExpertiseIn,
    ExpertiseOut,
    MeOut,
    PersonDetailOut,
    PersonPageOut,
    ProfilePatch,
    SkillOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    VerifyIn,
)
from practica.api.auth import (
    OPTIONAL,
    OPTIONAL_EXTRA,
    actor,
    by_token,
    viewer,
)
from practica.api.pagination import Cursor, cursor_guard
from practica.api.problems import problems
from practica.core.pagination import Page

router = Router(tags=["people"])


def _me(user: User) -> User:
    """Your profile with its expertise loaded."""
    return selectors.person_get(viewer=user, pk=user.pk)


# --- directory -----------------------------------------------------------


@router.get(
    "/people",
    response={200: PersonPageOut, **problems(401, 422)},
)
def person_list(
    request: HttpRequest,
    skill: str = "",
    department: str = "",
    available: bool = False,
    q: str = "",
    cursor: Cursor = None,
) -> Page[User]:
    """The member directory, by name.

    Filter by skill slug, department slug, availability to help and a word
    in the name or job title (q).
    """
    with cursor_guard(cursor):
        return selectors.people_list(
            viewer=viewer(request),
            skill=skill.strip(),
            department=department.strip(),
            available=available,
            q=q.strip(),
            cursor=cursor,
        )


@router.get(
    "/people/{person_id}",
    response={200: PersonDetailOut, **problems(401, 404)},
)
def person_get(request: HttpRequest, person_id: int) -> PersonDetailOut:
    """A profile: expertise, introduction and the communities you may see.

    ``endorsed`` lists the expertise ids you have endorsed.
    """
    who = viewer(request)
    person = selectors.person_get(viewer=who, pk=person_id)
    return PersonDetailOut.build(
        person,
        memberships=selectors.person_memberships(viewer=who, person=person),
        endorsed=selectors.endorsed_by(viewer=who, person=person),
    )


@router.get(
    "/departments",
    response=list[DepartmentOut],
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def department_list(request: HttpRequest) -> QuerySet[Department]:
    """Every department, by name."""
    return selectors.departments()


@router.get(
    "/skills",
    response=list[SkillOut],
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def skill_list(request: HttpRequest) -> QuerySet[Skill]:
    """Every skill someone has declared, by name."""
    return selectors.skills()


# --- your profile --------------------------------------------------------


@router.get("/me", response={200: MeOut, **problems(401)})
def me_get(request: HttpRequest) -> User:
    """Your own profile."""
    return _me(actor(request))


@router.patch("/me", response={200: MeOut, **problems(401, 422)})
def me_update(request: HttpRequest, payload: ProfilePatch) -> User:
    """Change your profile; fields left out or null stay as they are."""
    user = actor(request)
    fields = {k: v for k, v in payload.model_dump().items() if v is not None}
    services.profile_update(actor=user, person=user, **fields)
    return _me(user)


@router.get(
    "/me/expertise",
    response={200: list[ExpertiseOut], **problems(401)},
    tags=["expertise"],
)
def my_expertise_list(request: HttpRequest) -> list[Expertise]:
    """Your declared expertise, strongest first."""
    return list(_me(actor(request)).expertise.all())


@router.put(
    "/me/expertise",
    response={200: ExpertiseOut, **problems(401, 422)},
    tags=["expertise"],
)
def my_expertise_set(request: HttpRequest, payload: ExpertiseIn) -> Expertise:
    """Declare or change your expertise in a skill.

    Changing the level keeps endorsements but clears a coordinator's
    verification, which vouched for the old level.
    """
    user = actor(request)
    return services.expertise_set(
        actor=user,
        person=user,
        skill=payload.skill,
        level=payload.level,
        years=payload.years,
    )


@router.delete(
    "/me/expertise/{expertise_id}",
    response={204: None, **problems(401, 403, 404)},
    tags=["expertise"],
)
def my_expertise_remove(
    request: HttpRequest, expertise_id: int
) -> Status[None]:
    """Remove one of your declared skills."""
    user = actor(request)
    expertise = selectors.expertise_get(viewer=user, pk=expertise_id)
    services.expertise_remove(actor=user, expertise=expertise)
    return Status(204, None)


@router.post(
    "/expertise/{expertise_id}/endorse",
    response={200: ExpertiseOut, **problems(401, 403, 404)},
    tags=["expertise"],
)
def expertise_endorse(request: HttpRequest, expertise_id: int) -> Expertise:
    """Vouch for someone's expertise; endorsing twice changes nothing."""
    user = actor(request)
    expertise = selectors.expertise_get(viewer=user, pk=expertise_id)
    return services.expertise_endorse(actor=user, expertise=expertise)


@router.delete(
    "/expertise/{expertise_id}/endorse",
    response={200: ExpertiseOut, **problems(401, 404)},
    tags=["expertise"],
)
def expertise_withdraw_endorsement(
    request: HttpRequest, expertise_id: int
) -> Expertise:
    """Take back your endorsement; nothing happens if there was none."""
    user = actor(request)
    expertise = selectors.expertise_get(viewer=user, pk=expertise_id)
    return services.expertise_withdraw_endorsement(
        actor=user, expertise=expertise
    )


@router.post(
    "/expertise/{expertise_id}/verify",
    response={200: ExpertiseOut, **problems(401, 403, 404)},
    tags=["expertise"],
)
def expertise_verify(
    request: HttpRequest, expertise_id: int, payload: VerifyIn | None = None
) -> Expertise:
    """Vouch for (or withdraw) a member's expertise.

    Coordinators of a community the person belongs to.
    """
    user = actor(request)
    expertise = selectors.expertise_get(viewer=user, pk=expertise_id)
    return services.expertise_verify(
        actor=user,
        expertise=expertise,
        verified=(payload or VerifyIn()).verified,
    )


# --- access tokens -------------------------------------------------------


@router.get(
    "/me/tokens",
    response={200: list[TokenOut], **problems(401)},
    tags=["tokens"],
)
def token_list(request: HttpRequest) -> QuerySet[AccessToken]:
    """Your access tokens, newest first, revoked ones included."""
    return selectors.token_list(viewer=actor(request))


@router.post(
    "/me/tokens",
    response={201: TokenCreatedOut, **problems(401, 403, 422)},
    tags=["tokens"],
)
def token_create(
    request: HttpRequest, payload: TokenIn
) -> Status[TokenCreatedOut]:
    """Create a token (from a signed-in browser session only).

    The response holds the secret token this once; only its hash is kept.
    """
    if by_token(request):
        # A leaked token must not be able to mint tokens that outlive it.
        raise PermissionDenied(
            "An access token cannot create tokens: sign in to Practica in "
            "a browser and create the token there."
        )
    token, raw = services.token_create(
        actor=actor(request), name=payload.name, expires_at=payload.expires_at
    )
    return Status(201, TokenCreatedOut.build(token, raw))


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, **problems(401, 404)},
    tags=["tokens"],
)
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    """Revoke one of your tokens; revoking twice changes nothing."""
    user = actor(request)
    token = selectors.token_get(viewer=user, pk=token_id)
    services.token_revoke(actor=user, token=token)
    return Status(204, None)
