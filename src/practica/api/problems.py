"""Errors as ``application/problem+json`` (RFC 9457).

Every refusal has the same shape: ``type`` (``about:blank``: the status
says what kind of problem it is), ``title`` (the status phrase),
``status``, ``detail`` (what went wrong, written for a person) and, for
invalid input, ``errors`` mapping each field to its messages.

- 400: the body is not JSON.
- 401: no valid credentials, or an anonymous caller asked for something
  that needs signing in.
- 403: signed in but not allowed; ``detail`` is the access rule's reason.
- 404: not found, or not visible to the caller (a private community's
  existence is not revealed).
- 409: the request is valid but the current state refuses it (a request
  already decided, the last coordinator leaving). An edit conflict adds
  extension members with what the client needs to merge (see
  :class:`ProblemError`).
- 422: fields are invalid; ``errors`` names each one.
"""

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from practica.api.auth import InvalidToken, viewer

if TYPE_CHECKING:
    from ninja import NinjaAPI

MEDIA_TYPE = "application/problem+json"
SIGN_IN = (
    "Sign in, or send a personal access token as "
    "'Authorization: Bearer pra_…'."
)


class Problem(Schema):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None


class ProblemError(Exception):
    """A refusal whose problem document carries extension members
    (RFC 9457, section 3.2) beside ``detail``: say, the current state of
    what the client tried to change, so that it can merge and retry."""

    def __init__(self, status: int, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extensions = extensions


def problems(*codes: int) -> dict[int, type[Problem]]:
    """Response declarations for the OpenAPI document."""
    return dict.fromkeys(codes, Problem)


def problem(
    api: "NinjaAPI",
    request: HttpRequest,
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = dict(extensions or {})
    body.update(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        }
    )
    if errors:
        body["errors"] = errors
    content = api.renderer.render(request, body, response_status=status)
    return HttpResponse(content, status=status, content_type=MEDIA_TYPE)


def _fields_detail(errors: dict[str, list[str]]) -> str:
    names = ", ".join(errors)
    if len(errors) == 1:
        return f"The field {names} is not valid: {errors[names][0]}"
    return f"{len(errors)} fields are not valid: {names}."


def _field_name(loc: Sequence[Any]) -> str:
    source, *rest = loc
    if source == "body" and rest:
        rest = rest[1:]  # the view's argument name means nothing to clients
    return ".".join(str(part) for part in rest) or str(source)


def _message(error: dict[str, Any]) -> str:
    if error.get("type") == "missing":
        return "This field is required."
    return str(error.get("msg", "This value is not valid."))


def install(api: "NinjaAPI") -> None:
    """Replace ninja's default error responses with problem documents."""

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(
        request: HttpRequest, exc: DjangoValidationError
    ) -> HttpResponse:
        if not hasattr(exc, "error_dict"):
            return problem(api, request, 409, " ".join(exc.messages))
        errors = dict(exc.message_dict)
        general = errors.pop(NON_FIELD_ERRORS, [])
        if not errors:
            return problem(api, request, 409, " ".join(general))
        detail = " ".join([*general, _fields_detail(errors)])
        return problem(api, request, 422, detail, errors)

    @api.exception_handler(NinjaValidationError)
    def on_ninja_validation(
        request: HttpRequest, exc: NinjaValidationError
    ) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            name = _field_name(error.get("loc", ("body",)))
            errors.setdefault(name, []).append(_message(error))
        return problem(api, request, 422, _fields_detail(errors), errors)

    @api.exception_handler(ProblemError)
    def on_problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
        return problem(
            api, request, exc.status, exc.detail, extensions=exc.extensions
        )

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(
        request: HttpRequest, exc: PermissionDenied
    ) -> HttpResponse:
        detail = str(exc) or "You may not do that."
        if not viewer(request).is_authenticated:
            # Signing in may change the answer: say so with a 401.
            return _unauthorized(request, detail)
        return problem(api, request, 403, detail)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(api, request, 404, str(exc) or "Not found.")

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            detail = SIGN_IN if exc.message == "Unauthorized" else exc.message
            return _unauthorized(
                request, detail, invalid=isinstance(exc, InvalidToken)
            )
        detail = exc.message
        if detail.startswith("Cannot parse request body"):
            detail = (
                "The request body is not valid JSON: send a JSON object "
                "with Content-Type: application/json."
            )
        return problem(api, request, exc.status_code, detail)

    def _unauthorized(
        request: HttpRequest, detail: str, *, invalid: bool = False
    ) -> HttpResponse:
        response = problem(api, request, 401, detail)
        challenge = 'Bearer realm="practica"'
        if invalid:
            challenge += ', error="invalid_token"'
        response["WWW-Authenticate"] = challenge
        return response
