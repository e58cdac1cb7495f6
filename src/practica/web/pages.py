"""What every app's pages share: the htmx request type, refusals as a
403 page with the reason, the signed-in person, and service errors put
beside the fields they name."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from practica.accounts.models import User

View = Callable[..., HttpResponseBase]


class HtmxRequest(HttpRequest):
    """A request that went through django-htmx."""

    htmx: HtmxDetails


def refusals(template: str) -> Callable[[View], View]:
    """A decorator answering PermissionDenied with ``template`` (status
    403) that shows the refusal's reason."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                return denied(request, exc, template)

        return wrapper

    return decorate


def denied(
    request: HttpRequest, exc: PermissionDenied, template: str
) -> HttpResponse:
    return render(
        request,
        template,
        {"reason": str(exc) or "You may not do that here."},
        status=403,
    )


def me(request: HttpRequest) -> User:
    """The signed-in person, or a refusal."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user


def is_fragment(request: HtmxRequest) -> bool:
    """An htmx request for a piece of the page (a history restore wants
    the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data, even when empty, or None for a GET."""
    return request.POST if request.method == "POST" else None


def errors_onto(
    form: Form, exc: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Put a service's messages beside the fields they name (``rename``
    maps a service's field names to the form's); anything else becomes a
    form-level error."""
    if hasattr(exc, "error_dict"):
        for name, msgs in exc.message_dict.items():
            name = (rename or {}).get(name, name)
            target = name if name in form.fields else None
            for msg in msgs:
                form.add_error(target, msg)
    else:
        for msg in exc.messages:
            form.add_error(None, msg)


def flat(exc: ValidationError) -> str:
    """A refusal's messages as one sentence (for a fragment)."""
    return " ".join(exc.messages)
