"""The inbox, the bell, follow pages, email settings, unsubscribe and
the @mention lookup: thin views over selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from practica.notifications import emails, selectors, services
from practica.notifications.forms import LEVEL_HELP, FollowForm, PreferenceForm
from practica.notifications.models import Level
from practica.notifications.targets import title_of
from practica.web import pages

Request = pages.HtmxRequest
refusals = pages.refusals("notifications/denied.html")


def _back(request: Request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}
    ):
        return nxt
    return default


# --- the inbox -----------------------------------------------------------


@login_required
@require_GET
def inbox(request: Request) -> HttpResponse:
    me = pages.me(request)
    unread = request.GET.get("filter") == "unread"
    cursor = request.GET.get("cursor") or None
    cursor_error = ""
    try:
        threads, nxt = selectors.inbox(viewer=me, unread=unread, cursor=cursor)
    except ValidationError as exc:
        cursor, cursor_error = None, pages.flat(exc)
        threads, nxt = selectors.inbox(viewer=me, unread=unread)
    template = "notifications/inbox.html"
    if pages.is_fragment(request) and cursor:
        template += "#threads"
    response = render(
        request,
        template,
        {
            "threads": threads,
            "next_cursor": nxt,
            "unread_only": unread,
            "cursor_error": cursor_error,
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def bell(request: Request) -> HttpResponse:
    """The header's bell, polled by htmx: the count is on the person's
    row, which the session already loaded. Signed out, 286 tells htmx to
    stop polling."""
    if not request.user.is_authenticated:
        return HttpResponse(status=286)
    response = render(request, "notifications/_bell.html", {"polled": True})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
@refusals
def open_notification(request: Request, pk: int) -> HttpResponse:
    me = pages.me(request)
    try:
        n = services.notification_open(user=me, pk=pk)
    except ValidationError:
        messages.error(request, "That notification is gone.")
        return redirect("notifications:inbox")
    return redirect(n.url or "/")


@login_required
@require_POST
@refusals
def mark_read(request: Request) -> HttpResponse:
    me = pages.me(request)
    thread = request.POST.get("thread", "")
    read = request.POST.get("read", "1") != "0"
    if thread:
        type_id, _, obj_id = thread.partition(":")
        try:
            pair = (int(type_id), int(obj_id))
        except ValueError:
            pair = (0, 0)
        services.notifications_read(user=me, thread=pair, read=read)
    else:
        services.notifications_read(user=me, everything=True)
        messages.success(request, "Everything in your inbox is read.")
    return redirect(_back(request, reverse("notifications:inbox")))


# --- following -----------------------------------------------------------


@login_required
@refusals
def follow(request: Request, kind: str, pk: int) -> HttpResponse:
    me = pages.me(request)
    try:
        target = services.target_get(viewer=me, kind=kind, pk=pk)
    except ValidationError as exc:
        return render(
            request,
            "notifications/denied.html",
            {"reason": pages.flat(exc)},
            status=404,
        )
    current = services.follows_of(user=me, target=target)
    form = FollowForm(
        pages.posted(request),
        initial={"level": current.level if current else Level.EVERYTHING},
    )
    if request.method == "POST":
        if request.POST.get("unfollow") and current is not None:
            services.follow_remove(user=me, follow=current)
            messages.success(
                request, f"You no longer follow {title_of(target)}."
            )
            return redirect(_back(request, request.path))
        if form.is_valid():
            try:
                services.follow_set(
                    user=me, target=target, level_=form.cleaned_data["level"]
                )
            except ValidationError as exc:
                pages.errors_onto(form, exc)
            else:
                label = Level(form.cleaned_data["level"]).label
                messages.success(
                    request, f"You follow {title_of(target)}: {label.lower()}."
                )
                return redirect(_back(request, request.path))
    return render(
        request,
        "notifications/follow.html",
        {
            "target": target,
            "title": title_of(target),
            "kind": kind,
            "current": current,
            "form": form,
            "help": LEVEL_HELP,
        },
    )


# --- settings ------------------------------------------------------------


def _initial(pref: Any) -> dict[str, Any]:
    return {
        "email_for": pref.email_for,
        "digest": pref.digest,
        "digest_hour": pref.digest_hour,
        "digest_weekday": pref.digest_weekday,
        "quiet_start": pref.quiet_start.strftime("%H:%M")
        if pref.quiet_start
        else "",
        "quiet_end": pref.quiet_end.strftime("%H:%M")
        if pref.quiet_end
        else "",
        "email": pref.email,
    }


@login_required
@refusals
def preferences(request: Request) -> HttpResponse:
    me = pages.me(request)
    pref = services.preference_get(me)
    form = PreferenceForm(
        pages.posted(request), initial=_initial(pref), account_email=me.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(user=me, **form.cleaned_data)
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "pref": pref,
            "follows": selectors.follow_list(viewer=me),
            "levels": Level.choices,
            "tab": "notifications",
        },
    )


@login_required
@require_POST
@refusals
def follow_change(request: Request, pk: int) -> HttpResponse:
    me = pages.me(request)
    back = _back(request, reverse("notifications:settings"))
    try:
        f = selectors.follow_get(viewer=me, pk=pk)
        if request.POST.get("unfollow"):
            services.follow_remove(user=me, follow=f)
            messages.success(request, "Unfollowed.")
        else:
            services.follow_update(
                user=me, follow=f, level_=request.POST.get("level", "")
            )
            messages.success(request, "Watch level changed.")
    except ValidationError as exc:
        messages.error(request, pages.flat(exc))
    return redirect(back)


# --- unsubscribe ---------------------------------------------------------


@csrf_exempt  # RFC 8058: mail clients POST without a session or token
def unsubscribe(request: Request, token: str) -> HttpResponse:
    """GET shows what the link stops and a button; POST stops it (the
    button, or a mail client's one-click request)."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    try:
        if request.method == "POST":
            _, scope = services.unsubscribe(token=token)
            done = True
        else:
            _, scope = emails.read_token(token)
            done = False
    except emails.BadToken as exc:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"error": str(exc), "expired": exc.expired},
            status=410 if exc.expired else 400,
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"scope": emails.SCOPES[scope], "done": done, "token": token},
    )


# --- mentions ------------------------------------------------------------


@require_GET
def mentions(request: Request) -> JsonResponse:
    """People to @mention, for the textarea autocomplete."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in first."}, status=401)
    people = selectors.mention_candidates(
        viewer=request.user, q=request.GET.get("q", "")
    )
    return JsonResponse(
        {"results": [{"handle": p.handle, "name": p.name} for p in people]}
    )
