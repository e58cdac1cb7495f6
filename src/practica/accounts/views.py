"""People, profiles and personal settings: thin pages over the services
and selectors."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from practica.accounts import selectors, services
from practica.accounts.forms import (
    ExpertiseForm,
    PeopleFilterForm,
    ProfileForm,
    TokenForm,
)
from practica.accounts.models import User
from practica.web import pages


class Request(pages.HtmxRequest):
    """A request that went through django-htmx and sign-in."""

    user: User


_fragment = pages.is_fragment
_errors_onto = pages.errors_onto


def _denied(request: Request, exc: PermissionDenied) -> HttpResponse:
    return render(
        request,
        "accounts/denied.html",
        {"reason": str(exc) or "You may not do that."},
        status=403,
    )


# --- people ------------------------------------------------------------


@login_required
@require_GET
def people(request: Request) -> HttpResponse:
    form = PeopleFilterForm(
        request.GET or None,
        skills=selectors.skills(),
        departments=selectors.departments(),
    )
    filters = form.filters()
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.people_list(
            viewer=request.user, cursor=cursor, **filters
        )
    except ValidationError as exc:  # a stale or edited cursor
        _errors_onto(form, exc)
        cursor = None
        page = selectors.people_list(viewer=request.user, **filters)
    more = request.GET.copy()
    more["cursor"] = page.next_cursor or ""
    template = "accounts/people.html"
    if _fragment(request):
        template += "#cards" if cursor else "#results"
    response = render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "more_query": more.urlencode(),
            "now": timezone.now(),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def person(request: Request, pk: int) -> HttpResponse:
    page = selectors.person_page(viewer=request.user, pk=pk)
    return render(
        request,
        "accounts/person.html",
        {"page": page, "person": page.person, "now": timezone.now()},
    )


def _row(request: Request, pk: int, done: str) -> HttpResponse:
    row = selectors.expertise_row(viewer=request.user, pk=pk)
    if _fragment(request):
        return render(
            request, "accounts/person.html#expertise_row", {"row": row}
        )
    messages.success(request, done)
    url = reverse("accounts:person", args=[row.expertise.user_id])
    return redirect(f"{url}#expertise-{pk}")


@login_required
@require_POST
def endorse(request: Request, pk: int) -> HttpResponse:
    expertise = selectors.expertise_get(viewer=request.user, pk=pk)
    try:
        services.expertise_endorse(actor=request.user, expertise=expertise)
    except PermissionDenied as exc:
        return _denied(request, exc)
    return _row(request, pk, f"You endorsed {expertise.skill.name}.")


@login_required
@require_POST
def withdraw(request: Request, pk: int) -> HttpResponse:
    expertise = selectors.expertise_get(viewer=request.user, pk=pk)
    services.expertise_withdraw_endorsement(
        actor=request.user, expertise=expertise
    )
    return _row(
        request, pk, f"You withdrew your endorsement of {expertise.skill}."
    )


@login_required
@require_POST
def verify(request: Request, pk: int) -> HttpResponse:
    expertise = selectors.expertise_get(viewer=request.user, pk=pk)
    verified = request.POST.get("verified", "1") != "0"
    try:
        services.expertise_verify(
            actor=request.user, expertise=expertise, verified=verified
        )
    except PermissionDenied as exc:
        return _denied(request, exc)
    done = "verified" if verified else "no longer verified"
    return _row(request, pk, f"{expertise.skill.name} is {done}.")


# --- settings ----------------------------------------------------------


@login_required
def settings_profile(request: Request) -> HttpResponse:
    me = request.user
    departments = selectors.departments()
    if request.method == "POST":
        form = ProfileForm(request.POST, departments=departments)
        if form.is_valid():
            try:
                services.profile_update(
                    actor=me, person=me, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
                me.refresh_from_db()  # the service set what it could
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("accounts:settings")
    else:
        form = ProfileForm(
            initial=ProfileForm.initial_for(me), departments=departments
        )
    return render(
        request,
        "accounts/settings_profile.html",
        {"form": form, "tab": "profile"},
    )


@login_required
def settings_expertise(request: Request) -> HttpResponse:
    me = request.user
    mine = selectors.my_expertise(viewer=me)
    if request.method == "POST":
        form = ExpertiseForm(request.POST)
        if form.is_valid():
            try:
                saved = services.expertise_set(
                    actor=me, person=me, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(
                    request,
                    f"Saved: {saved.skill.name}, "
                    f"{saved.get_level_display().lower()}.",
                )
                return redirect("accounts:settings_expertise")
    else:
        initial: dict[str, Any] = {}
        change = request.GET.get("change", "")
        for e in mine:
            if str(e.pk) == change:
                initial = {
                    "skill": e.skill.name,
                    "level": e.level,
                    "years": e.years,
                }
        form = ExpertiseForm(initial=initial or None)
    return render(
        request,
        "accounts/settings_expertise.html",
        {
            "form": form,
            "mine": mine,
            "skills": selectors.skills(),
            "tab": "expertise",
        },
    )


@login_required
@require_POST
def expertise_remove(request: Request, pk: int) -> HttpResponse:
    expertise = selectors.expertise_get(viewer=request.user, pk=pk)
    name = expertise.skill.name
    try:
        services.expertise_remove(actor=request.user, expertise=expertise)
    except PermissionDenied as exc:
        return _denied(request, exc)
    messages.success(request, f"Removed {name} from your expertise.")
    return redirect("accounts:settings_expertise")


@login_required
def settings_tokens(request: Request) -> HttpResponse:
    me = request.user
    raw = ""
    created = None
    form = TokenForm(zone=me.time_zone)
    if request.method == "POST":
        form = TokenForm(request.POST, zone=me.time_zone)
        if form.is_valid():
            try:
                created, raw = services.token_create(
                    actor=me, **form.cleaned_data
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                form = TokenForm(zone=me.time_zone)
    response = render(
        request,
        "accounts/settings_tokens.html",
        {
            "form": form,
            "tokens": selectors.token_list(viewer=me),
            "raw": raw,
            "created": created,
            "now": timezone.now(),
            "tab": "tokens",
        },
    )
    # The raw token is in this page once: never keep a copy of it.
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request: Request, pk: int) -> HttpResponse:
    token = selectors.token_get(viewer=request.user, pk=pk)
    try:
        services.token_revoke(actor=request.user, token=token)
    except PermissionDenied as exc:
        return _denied(request, exc)
    messages.success(
        request, f"Revoked '{token.name}': it no longer works for the API."
    )
    return redirect("accounts:settings_tokens")
