"""What every app's pages share: the htmx request type, refusals as a
403 page with the reason, the signed-in person, service errors put
beside the fields they name, and a signed-out visitor's whole page from
the cache."""

import hashlib
from collections.abc import Callable
from functools import cache as memo
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from practica.accounts.models import User
from practica.core import cache

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


# --- a visitor's whole page --------------------------------------------------

SHELL = "web/base.html"


@memo
def static_digest() -> str:
    """A digest of the static files' names (with their content hashes in
    production), once per process: a deploy that changes a stylesheet
    changes every cached page's key, as new templates do."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    names = getattr(staticfiles_storage, "hashed_files", None) or {}
    raw = repr(sorted(names.items())).encode()
    return hashlib.blake2b(raw, digest_size=6).hexdigest()


def has_messages(request: HttpRequest) -> bool:
    """Messages wait for this request (shown once, so never cached)."""
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def visitor_page(
    request: HttpRequest,
    name: str,
    *parts: Any,
    templates: list[str],
    build: Callable[[], tuple[str, int]],
    fill: Callable[[str], str] | None = None,
) -> HttpResponse:
    """The whole page, layout included, as every signed-out visitor sees
    it, from the cache: ``parts`` name what the page shows (versions,
    stamps), the key adds the address (the sign-in link returns to it),
    the templates with the layout, the static files and the time zone.
    ``build`` renders it (HTML, seconds to keep it); ``fill`` puts in what
    differs per request (a view count). A hit renders no template. A
    request with messages waiting gets its page built, not cached, so the
    messages show once."""
    if has_messages(request):
        html, _ = build()
    else:
        html = cache.fragment(
            cache.key(
                name,
                *parts,
                request.get_full_path(),
                static_digest(),
                templates=[*templates, SHELL],
            ),
            build,
        )
    if fill is not None:
        html = fill(html)
    return HttpResponse(html)
