"""Pages for claiming imported accounts: handing one over from its
profile, "This is me" requests and their decisions, and the page where
the owner sets a password from the invitation link."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import url_str_to_user_pk
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from practica.accounts.models import User
from practica.transfer import selectors, services
from practica.transfer.forms import (
    ClaimRequestForm,
    DeclineForm,
    HandOverForm,
)
from practica.web import pages

refusals = pages.refusals("transfer/denied.html")


def _profile(person: User) -> str:
    return reverse("accounts:person", args=[person.pk]) + "#claim"


@login_required
@refusals
@require_http_methods(["GET", "POST"])
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an imported account an address and mail its owner a link."""
    me = pages.me(request)
    person = selectors.account_get(viewer=me, pk=pk)
    box = selectors.claim_box(viewer=me, person=person)
    if box is None:
        messages.info(request, f"{person.name} can sign in already.")
        return redirect("accounts:person", pk=person.pk)
    if not box.may_hand_over:
        raise PermissionDenied(services.hand_over_refusal(me, person))
    form = HandOverForm(pages.posted(request))
    if form.is_valid():
        try:
            person = services.account_claim(
                actor=me, account=person, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            messages.success(
                request,
                f"An invitation to set a password went to "
                f"{person.email}. {person.name} signs in with it "
                "afterwards.",
            )
            return redirect(_profile(person))
    return render(
        request,
        "transfer/hand_over.html",
        {"person": person, "box": box, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@refusals
@require_http_methods(["GET", "POST"])
def claim_create(request: HttpRequest, pk: int) -> HttpResponse:
    """ "This is me": ask for an imported account."""
    me = pages.me(request)
    person = selectors.account_get(viewer=me, pk=pk)
    form = ClaimRequestForm(pages.posted(request))
    if form.is_valid():
        try:
            services.claim_request_create(
                requester=me, account=person, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            messages.success(
                request,
                "Your request went to the coordinators. If they approve, "
                f"you sign in as {person.name} with your usual address "
                "and password.",
            )
            return redirect(_profile(person))
    return render(
        request,
        "transfer/claim_create.html",
        {
            "person": person,
            "box": selectors.claim_box(viewer=me, person=person),
            "form": form,
        },
        status=422 if form.errors else 200,
    )


@login_required
@refusals
def claim_list(request: HttpRequest) -> HttpResponse:
    """Pending "This is me" requests for staff and coordinators; your own
    requests for everyone."""
    me = pages.me(request)
    return render(
        request,
        "transfer/claims.html",
        {
            "rows": selectors.claim_requests(viewer=me),
            "may_decide": selectors.may_decide(me),
            "mine": selectors.my_claim_requests(viewer=me),
        },
    )


@login_required
@refusals
@require_POST
def claim_approve(request: HttpRequest, pk: int) -> HttpResponse:
    me = pages.me(request)
    claim = selectors.claim_request_get(viewer=me, pk=pk)
    try:
        services.claim_request_approve(actor=me, claim=claim)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{claim.requester.name} now signs in as "
            f"{claim.account.name} with their usual address and password.",
        )
    return redirect("transfer:claims")


@login_required
@refusals
@require_POST
def claim_decline(request: HttpRequest, pk: int) -> HttpResponse:
    me = pages.me(request)
    claim = selectors.claim_request_get(viewer=me, pk=pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.claim_request_decline(actor=me, claim=claim, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"You declined {claim.requester.name}'s request."
        )
    return redirect("transfer:claims")


def _invited(uidb36: str, key: str) -> User | None:
    try:
        pk = url_str_to_user_pk(uidb36)
    except (ValueError, TypeError):
        return None
    account = User.objects.filter(pk=pk, is_active=True).first()
    if account is None or not default_token_generator.check_token(
        account, key
    ):
        return None
    return account


@never_cache
@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, uidb36: str, key: str) -> HttpResponse:
    """The invitation link: set a password, and be signed in as the
    imported account. Opening it changes nothing (mail scanners open
    links); only the form does."""
    account = _invited(uidb36, key)
    if account is None:
        return render(request, "transfer/welcome.html", status=400)
    form = SetPasswordForm(account, pages.posted(request))
    if form.is_valid():
        try:
            # The session is keyed by the new password's hash: sign in
            # with the account as the service saved it.
            account = services.account_take(
                account=account, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            login(
                request,
                account,
                backend="django.contrib.auth.backends.ModelBackend",
            )
            messages.success(
                request,
                f"Welcome, {account.name}: this account is yours. Sign in "
                f"with {account.email} and your new password from now on.",
            )
            return redirect("accounts:person", pk=account.pk)
    return render(
        request,
        "transfer/welcome.html",
        {"account": account, "form": form},
        status=422 if form.errors else 200,
    )
