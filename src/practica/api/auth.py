"""Who is calling: a personal access token, the web session, or nobody.

Routes that ``access`` may allow for anonymous people use :data:`OPTIONAL`
and leave the decision to the selectors; every other route uses
:data:`REQUIRED` and answers 401 before the view runs. The view reads the
caller with :func:`viewer` (maybe anonymous) or :func:`actor` (signed in).
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from practica.accounts import services
from practica.accounts.models import User

VIA = "practica.auth"  # how the caller authenticated, kept in META

NOT_VALID = (
    "This access token is not valid: it may be mistyped, revoked or "
    "expired. Create a new token and try again."
)


MALFORMED = (
    "The Authorization header is malformed: send the token as "
    "'Authorization: Bearer pra_…'."
)


class InvalidToken(AuthenticationError):
    """A bearer token was sent and refused (RFC 6750 ``invalid_token``)."""

    def __init__(self, message: str = NOT_VALID) -> None:
        super().__init__(401, message)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pra_…``: a personal access token."""

    openapi_description = (
        "A personal access token (pra_…) created at POST /me/tokens."
    )

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header, "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            if header.strip().startswith(services.TOKEN_PREFIX):
                raise InvalidToken(MALFORMED)
            return None  # no token: let the next method try
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = services.token_authenticate(token)
        if user is None:
            # A client that sent a token expects to act as someone: do not
            # quietly serve it as anonymous.
            raise InvalidToken
        request.user = user
        request.META[VIA] = "token"
        return user


class SessionAuth(APIKeyCookie):
    """The web session cookie, with Django's CSRF check on writes."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The Practica web session; writes need the X-CSRFToken header."
    )

    def _get_key(self, request: HttpRequest) -> str | None:
        # The CSRF check waits until we know there is a session user, so
        # that an anonymous write gets 401 rather than a CSRF failure.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise HttpError(
                403,
                "The CSRF check failed: send the csrftoken cookie's value "
                "in the X-CSRFToken header, or use an access token.",
            )
        return user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last resort of :data:`OPTIONAL`: nobody signed in."""
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth()

REQUIRED = [token_auth, session_auth]
OPTIONAL = [token_auth, session_auth, anonymous]
# OpenAPI: an empty requirement marks authentication as optional.
OPTIONAL_EXTRA: dict[str, Any] = {"security": [{}]}


def viewer(request: HttpRequest) -> User | AnonymousUser:
    """The caller, who may be anonymous on :data:`OPTIONAL` routes."""
    user = getattr(request, "auth", None)
    return user if isinstance(user, User) else AnonymousUser()


def by_token(request: HttpRequest) -> bool:
    """True when the caller sent an access token (not the session)."""
    return request.META.get(VIA) == "token"


def actor(request: HttpRequest) -> User:
    """The signed-in caller; 401 when there is none."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user
