"""The conversation pages: thin views over selectors and services.

Reads go through ``selectors`` (already filtered by ``access``), writes
through ``services``. A service's ValidationError is placed beside the
field it names; a PermissionDenied becomes a 403 page that says why. htmx
requests (votes, accept, "worked for me", comments, asking someone) get
only the fragment that changed; without JavaScript the same forms post
and redirect back.
"""

import functools
from collections.abc import Callable, Hashable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ChoiceField, Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from practica import access
from practica.accounts import selectors as people
from practica.accounts.models import User
from practica.communities import selectors as communities
from practica.communities.models import Community
from practica.conversations import selectors, services
from practica.conversations.forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    EditForm,
    FlagForm,
    ListFilterForm,
    MergeForm,
    MoveForm,
    ReasonForm,
    ReplyEditForm,
    ResolveForm,
    TagForm,
)
from practica.conversations.models import Conversation, Kind, Reply
from practica.core import cache
from practica.core.pagination import Page
from practica.repertoire import selectors as repertoire
from practica.search import backends as search
from practica.web import pages

SIMILAR_SHOWN = 5


Request = pages.HtmxRequest
View = pages.View
refusals = pages.refusals("conversations/denied.html")
_me = pages.me
_fragment = pages.is_fragment
_posted = pages.posted
_errors_onto = pages.errors_onto
_flat = pages.flat


def _url(c: Conversation | int, anchor: str = "") -> str:
    pk = c if isinstance(c, int) else c.pk
    url = reverse("conversations:detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


# --- lists ----------------------------------------------------------------


def _page_or_restart(
    fetch: Callable[..., Page[Conversation]], cursor: str | None
) -> tuple[Page[Conversation], str, bool]:
    """A page from ``cursor``; a stale or edited cursor starts again."""
    try:
        return fetch(cursor=cursor), "", bool(cursor)
    except ValidationError as exc:
        return fetch(cursor=None), _flat(exc), False


ROW = "conversations/_row.html"


def _author_name(c: Conversation) -> str:
    """The row author's name, from a stamp's plain values or the row."""
    if hasattr(c, "author_email"):  # a stamp (conversation_list(stamps=))
        email = getattr(c, "author_email", None) or ""
        return getattr(c, "author_display", "") or email.split("@")[0]
    return c.author.name if c.author else ""


def _row_parts(c: Conversation, show_community: bool) -> tuple[Any, ...]:
    """What a row shows besides relative times, as a key."""
    if hasattr(c, "community_slug"):  # a stamp: plain values
        slug = getattr(c, "community_slug", "")
        name = getattr(c, "community_name", "")
    else:
        slug, name = c.community.slug, c.community.name
    return (
        c.id,
        c.version,
        cache.stamp(c.created_at),
        c.view_count,
        _author_name(c),
        slug,
        name if show_community else "",
    )


def _rows(
    request: Request, items: list[Conversation], show_community: bool
) -> SafeString:
    """Each conversation's row, cached per version of what it shows: the
    conversation (its version covers votes, answers, state, tags), its
    view count, its author's name and its community's name. ``items``
    may be stamps: the full rows are then loaded for the misses only."""

    row_key = cache.keyer("row", templates=[ROW])

    def key_of(c: Conversation) -> str:
        return row_key(*_row_parts(c, show_community))

    def render_rows(missing: list[Conversation]) -> list[tuple[str, int]]:
        full = {c.id: c for c in missing if not hasattr(c, "author_email")}
        if len(full) < len(missing):
            full.update(
                selectors.conversation_rows(
                    viewer=request.user,
                    ids=[c.id for c in missing if c.id not in full],
                )
            )
        row = get_template(ROW)
        return [
            (
                row.render(
                    {"c": full[c.id], "show_community": show_community}
                ),
                cache.fresh_for(c.created_at, c.last_activity_at),
            )
            for c in missing
        ]

    # One string: a template loop over 30 rows costs more than the rows.
    return mark_safe(  # noqa: S308 (rendered by our template)
        "".join(cache.fragments(items, key_of, render_rows))
    )


LIST = "conversations/list.html"
TABS = "conversations/_tabs.html"


def _filters_html(
    request: Request, form: ListFilterForm, context: dict[str, Any]
) -> SafeString:
    """The filter form, cached per set of choices and values: its tag
    select alone is a widget template per tag."""
    field = form.fields.get("tag")
    choices = getattr(field, "choices", [])
    return cache.fragment(
        cache.key(
            "filters",
            request.path,
            tuple(choices),
            tuple((name, form[name].value()) for name in form.fields),
            templates=[LIST, "web/_field.html"],
        ),
        lambda: (
            render_to_string(f"{LIST}#filters", context, request),
            cache.MAX_AGE,
        ),
    )


def _list(
    request: Request,
    *,
    template_context: dict[str, Any],
    fetch: Callable[..., Page[Conversation]],
    stamp: Hashable | None = None,
) -> HttpResponse:
    """A list page (or its htmx fragment). A signed-out visitor's page
    comes whole from the cache, keyed by ``stamp`` (selectors.list_head's
    for one community's list, lists_head's for the list across
    communities) and looked up before anything is listed, so a hit runs
    no other query. Without a stamp (a list only for signed-in people)
    the page is built every time."""
    show_community = bool(template_context.get("show_community"))
    form = template_context.get("form")
    listed = functools.cache(
        lambda: _page_or_restart(fetch, request.GET.get("cursor") or None)
    )

    def context() -> dict[str, Any]:
        page, cursor_error, _ = listed()
        found = {
            **template_context,
            "page": page,
            "rows": _rows(request, page.items, show_community),
            "cursor_error": cursor_error,
        }
        if form is not None and not _fragment(request) and not form.errors:
            found["filters_html"] = _filters_html(request, form, found)
        return found

    if request.user.is_authenticated or _fragment(request) or stamp is None:
        template = LIST
        if _fragment(request):
            template += "#rows" if listed()[2] else "#results"
        response = render(request, template, context())
    else:

        def build() -> tuple[str, int]:
            html = render_to_string(LIST, context(), request)
            moments = [t for c in listed()[0].items for t in _row_times(c)]
            return html, cache.fresh_for(*moments)

        response = pages.visitor_page(
            request,
            "list",
            template_context.get("heading", ""),  # a rename shows at once
            show_community,
            stamp,
            templates=[LIST, ROW, "web/_field.html", TABS],
            build=build,
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _row_times(c: Conversation) -> tuple[Any, Any]:
    return c.created_at, c.last_activity_at


# What ListFilterForm.filters() gives without a query string.
NO_FILTERS = {"sort": "active", "tag": "", "status": "", "kind": ""}


def _filter_form(
    request: Request, make: Callable[[], ListFilterForm]
) -> tuple[ListFilterForm, dict[str, Any]]:
    """The list's filter form and the filters it asks for. Without a
    query string the filters are the defaults, and the form (a copy of
    its fields, a choice per tag) is only built if the page is rendered:
    a cached page needs none."""
    if request.GET:
        form = make()
        return form, form.filters()
    return cast(ListFilterForm, SimpleLazyObject(make)), dict(NO_FILTERS)


@refusals
@require_GET
def conversation_list(
    request: Request, slug: str, sort: str = ""
) -> HttpResponse:
    viewer = request.user
    community, stamp = selectors.list_head(viewer=viewer, slug=slug)

    def filter_form() -> ListFilterForm:
        form = ListFilterForm(request.GET or None)
        # Only the slugs and names (the list shows no more): no Tag
        # objects; loaded only when the form is built.
        cast(ChoiceField, form.fields["tag"]).choices = [
            ("", "Any tag"),
            *selectors.tag_choices(viewer=viewer, community=community),
        ]
        return form

    form, filters = _filter_form(request, filter_form)
    if sort:  # the unanswered queue
        filters["sort"] = sort

    def fetch(cursor: str | None) -> Page[Conversation]:
        return selectors.conversation_list(
            viewer=viewer,
            community=community,
            cursor=cursor,
            stamps=True,
            **filters,
        )

    unanswered = filters["sort"] == "unanswered"
    return _list(
        request,
        fetch=fetch,
        stamp=stamp,
        template_context={
            "community": community,
            "form": form,
            "sort": filters["sort"],
            "here": "unanswered" if sort else "list",
            "heading": (
                f"Unanswered in {community.name}"
                if unanswered and sort
                else f"Questions in {community.name}"
            ),
            "may_participate": access.can(viewer, "participate", community),
            "may_moderate": access.can(viewer, "moderate", community),
            "sorts": True,
        },
    )


@refusals
@require_GET
def all_questions(request: Request) -> HttpResponse:
    viewer = request.user

    def filter_form() -> ListFilterForm:
        form = ListFilterForm(request.GET or None)
        del form.fields["tag"]  # tags belong to one community
        return form

    form, filters = _filter_form(request, filter_form)
    filters.pop("tag")

    def fetch(cursor: str | None) -> Page[Conversation]:
        return selectors.conversation_list(
            viewer=viewer, cursor=cursor, stamps=True, **filters
        )

    return _list(
        request,
        fetch=fetch,
        # a signed-out visitor's page, found before anything is listed
        stamp=None
        if viewer.is_authenticated or _fragment(request)
        else selectors.lists_head(),
        template_context={
            "form": form,
            "sort": filters["sort"],
            "here": "all",
            "heading": "Recent questions",
            "show_community": True,
            "sorts": True,
        },
    )


@login_required
@refusals
@require_GET
def for_me(request: Request) -> HttpResponse:
    me = _me(request)

    def fetch(cursor: str | None) -> Page[Conversation]:
        return selectors.questions_for_me(viewer=me, cursor=cursor)

    return _list(
        request,
        fetch=fetch,
        template_context={
            "here": "for_me",
            "heading": "Questions for you",
            "show_community": True,
        },
    )


# --- asking ---------------------------------------------------------------


def _join_prompt(
    request: HttpRequest, community: Community, reason: str
) -> HttpResponse:
    return render(
        request,
        "conversations/denied.html",
        {"reason": reason, "community": community},
        status=403,
    )


@login_required
@refusals
def ask(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    community = communities.community_get(viewer=me, slug=slug)
    why = access.reason(me, "participate", community)
    if why is not None:
        return _join_prompt(request, community, why)
    tags = list(selectors.tag_list(viewer=me, community=community))
    kind = request.GET.get("kind", Kind.QUESTION)
    form = AskForm(
        _posted(request),
        community=community,
        tags=tags,
        initial={"kind": kind if kind in Kind.values else Kind.QUESTION},
    )
    if request.method == "POST" and form.is_valid():
        try:
            c = services.conversation_create(
                author=me,
                community=community,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.tag_names(),
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            noun = "question" if c.kind == Kind.QUESTION else "discussion"
            messages.success(request, f"Your {noun} is posted.")
            return redirect(_url(c) + "?asked=1")
    discussion = form["kind"].value() == Kind.DISCUSSION
    return render(
        request,
        "conversations/ask.html",
        {
            "community": community,
            "form": form,
            "heading": "Start a discussion"
            if discussion
            else "Ask a question",
        },
    )


@refusals
@require_GET
def similar(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    community = communities.community_get(viewer=viewer, slug=slug)
    title = request.GET.get("title", "")[:200]
    hits = search.query(
        viewer=viewer, text=title, community=community, limit=SIMILAR_SHOWN
    )
    template = "conversations/ask.html#similar"
    if not _fragment(request):
        template = "conversations/similar.html"
    response = render(
        request,
        template,
        {"community": community, "hits": hits, "title": title},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- the conversation page ------------------------------------------------


def _reader(page: selectors.ConversationPage) -> bool:
    """Nothing on the page depends on who this viewer is beyond being
    signed in: no votes, marks, edits or forms."""
    return not (page.may_participate or page.may_moderate)


def _views(c: Conversation) -> int:
    """Views written so far plus those counted and not yet written (ask
    before counting this one: a count may write the others)."""
    return c.view_count + cache.pending(c)


def _captured(viewer: Any, c: Conversation) -> list[Any]:
    # Only a solved question can be captured, so only it asks (one query).
    if not c.accepted_reply_id:
        return []
    return repertoire.captured_from(viewer=viewer, conversation=c)


def _detail(
    request: Request,
    page: selectors.ConversationPage,
    *,
    answer_form: AnswerForm | None = None,
    status: int = 200,
    views: int | None = None,
) -> HttpResponse:
    viewer = request.user
    c = page.conversation
    who: list[selectors.Suggestion] = []
    asked: set[int] = set()
    if page.may_edit:
        who = selectors.who_to_ask(viewer=viewer, conversation=c)
        if who:
            asked = selectors.asked_people(viewer=viewer, conversation=c)
    if answer_form is None and page.may_participate and c.is_open:
        answer_form = AnswerForm()
    page.linked = selectors.linked_to(c)
    practised = True
    if answer_form is not None:
        practised = services.from_practice(author=_me(request), conversation=c)
    return render(
        request,
        "conversations/detail.html",
        {
            "page": page,
            "c": c,
            "who": who,
            "asked": asked,
            "note": selectors.moderation_note(viewer=viewer, conversation=c),
            "answer_form": answer_form,
            "practised": practised,
            "captured": _captured(viewer, c),
            "views": _views(c) if views is None else views,
            "just_asked": request.GET.get("asked") == "1" and page.may_edit,
        },
        status=status,
    )


# The parts of the cached page that differ per request.
VIEWS_HOLE = "<!--practica:views-->"
CAPTURED_HOLE = "<!--practica:captured-->"
DETAIL = "conversations/detail.html"


def _reader_detail(
    request: Request,
    c: Conversation,
    page: selectors.ConversationPage | None = None,
    *,
    views: int,
) -> HttpResponse:
    """The page as every reader sees it (no votes, forms or edits), from
    the cache: keyed by the conversation's version, so any write to it or
    its answers shows at once (and its community's, for the name); the
    view count and the captured artifacts are filled in per request. A
    signed-out visitor gets the whole page, layout included, from one
    entry; a signed-in reader the page's middle inside their own layout."""
    viewer = request.user
    anonymous = not viewer.is_authenticated

    def context() -> tuple[dict[str, Any], int]:
        full = page or selectors.conversation_page(viewer=viewer, pk=c.pk)
        whole = full.conversation
        full.linked = selectors.linked_to(whole)
        note = selectors.moderation_note(viewer=viewer, conversation=whole)
        ttl = cache.fresh_for(
            whole.created_at,
            whole.edited_at,
            whole.last_activity_at,
            note.created_at if note else None,
            *(t for rv in full.replies for t in _reply_times(rv)),
            *(cm.created_at for cm in full.comments),
        )
        return {"page": full, "c": whole, "note": note, "holes": True}, ttl

    def build() -> tuple[str, int]:
        found, ttl = context()
        name = DETAIL if anonymous else f"{DETAIL}#main"
        return render_to_string(name, found, request), ttl

    def fill(html: str) -> str:
        captured = _captured(viewer, c)
        return html.replace(
            VIEWS_HOLE, f"{views} view{pluralize(views)}", 1
        ).replace(
            CAPTURED_HOLE,
            render_to_string(
                f"{DETAIL}#captured", {"c": c, "captured": captured}, request
            )
            if captured
            else "",
            1,
        )

    community = c.community
    parts = (
        c.pk,
        c.version,
        cache.stamp(c.created_at),
        community.pk,
        community.version,
    )
    if anonymous:
        return pages.visitor_page(
            request,
            "question",
            *parts,
            templates=[DETAIL],
            build=build,
            fill=fill,
        )
    main = cache.fragment(
        cache.key(
            "question-reader",
            *parts,
            request.get_full_path(),
            templates=[DETAIL],
        ),
        build,
    )
    return render(
        request,
        DETAIL,
        {"c": c, "main_html": mark_safe(fill(main))},  # noqa: S308 (ours)
    )


def _reply_times(rv: selectors.ReplyView) -> list[Any]:
    return [
        rv.reply.created_at,
        rv.reply.edited_at,
        *(cm.created_at for cm in rv.comments),
    ]


@refusals
@require_GET
def detail(request: Request, pk: int) -> HttpResponse:
    viewer = request.user
    if not viewer.is_authenticated:
        # Anonymous visitors are readers: one query on a cache hit.
        c = selectors.conversation_head(viewer=viewer, pk=pk)
        views = _views(c)
        cache.count(c)
        return _reader_detail(request, c, views=views)
    page = selectors.conversation_page(viewer=viewer, pk=pk)
    views = _views(page.conversation)
    cache.count(page.conversation)
    if _reader(page):
        return _reader_detail(request, page.conversation, page, views=views)
    return _detail(request, page, views=views)


@login_required
@refusals
@require_POST
def answer(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    c = selectors.conversation_get(viewer=me, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            reply = services.reply_create(
                author=me, conversation=c, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, "Your answer is posted. Thank you.")
            return redirect(_url(c, f"answer-{reply.pk}"))
    page = selectors.conversation_page(viewer=me, pk=pk)
    return _detail(request, page, answer_form=form)


def _reply_view(
    page: selectors.ConversationPage, pk: int
) -> selectors.ReplyView:
    return next(rv for rv in page.replies if rv.reply.pk == pk)


def _piece(
    request: Request,
    *,
    conversation_id: int,
    partial: str,
    reply_id: int | None = None,
    done: str = "",
    anchor: str = "",
    **extra: Any,
) -> HttpResponse:
    """After a write: the changed fragment for htmx, or back to the page
    with a note (or the error) without JavaScript."""
    error = extra.get("error", "")
    if not _fragment(request):
        if error:
            messages.error(request, error)
        elif done:
            messages.success(request, done)
        return redirect(_url(conversation_id, anchor))
    page = selectors.conversation_page(viewer=request.user, pk=conversation_id)
    context: dict[str, Any] = {"page": page, "c": page.conversation, **extra}
    if reply_id is not None:
        rv = _reply_view(page, reply_id)
        context.update(rv=rv, reply=rv.reply, comments=rv.comments)
    elif partial == "comments":
        context.update(reply=None, comments=page.comments)
    return render(request, f"conversations/detail.html#{partial}", context)


def _vote_value(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("value", ""))
    except ValueError:
        raise ValidationError(
            "Choose a vote: up, down or take it back."
        ) from None


@login_required
@refusals
@require_POST
def vote(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    c = selectors.conversation_get(viewer=me, pk=pk)
    error = ""
    try:
        services.vote(user=me, conversation=c, value=_vote_value(request))
    except ValidationError as exc:
        error = _flat(exc)
    return _piece(
        request,
        conversation_id=c.pk,
        partial="question_vote",
        done="Your vote is counted.",
        anchor="question",
        error=error,
    )


@login_required
@refusals
@require_POST
def reply_vote(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    reply = selectors.reply_get(viewer=me, pk=pk)
    error = ""
    try:
        services.vote(user=me, reply=reply, value=_vote_value(request))
    except ValidationError as exc:
        error = _flat(exc)
    return _piece(
        request,
        conversation_id=reply.conversation_id,
        partial="reply_vote",
        reply_id=reply.pk,
        done="Your vote is counted.",
        anchor=f"answer-{reply.pk}",
        error=error,
    )


@login_required
@refusals
@require_POST
def accept(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    reply = selectors.reply_get(viewer=me, pk=pk)
    accepted = request.POST.get("accepted", "1") != "0"
    error = ""
    try:
        services.reply_accept(actor=me, reply=reply, accepted=accepted)
    except ValidationError as exc:
        error = _flat(exc)
    return _piece(
        request,
        conversation_id=reply.conversation_id,
        partial="answers",
        done=(
            "You accepted this answer as the solution."
            if accepted
            else "The answer is no longer marked as the solution."
        ),
        anchor=f"answer-{reply.pk}",
        error=error,
        oob=True,
    )


@login_required
@refusals
@require_POST
def worked(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    reply = selectors.reply_get(viewer=me, pk=pk)
    mark = request.POST.get("worked", "1") != "0"
    error = ""
    try:
        services.reply_worked(user=me, reply=reply, worked=mark)
    except ValidationError as exc:
        error = _flat(exc)
    return _piece(
        request,
        conversation_id=reply.conversation_id,
        partial="worked",
        reply_id=reply.pk,
        done="Thanks: others can see it worked for you too."
        if mark
        else "Your mark is taken back.",
        anchor=f"answer-{reply.pk}",
        error=error,
    )


# --- comments -------------------------------------------------------------


def _comment(
    request: Request, c: Conversation, reply: Reply | None
) -> HttpResponse:
    me = _me(request)
    access.require(me, "participate", c.community)
    prefix = f"comment-a{reply.pk}" if reply else "comment-q"
    form = CommentForm(_posted(request), prefix=prefix)
    anchor = f"comments-a-{reply.pk}" if reply else f"comments-q-{c.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_create(
                author=me,
                conversation=c,
                reply=reply,
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            return _piece(
                request,
                conversation_id=c.pk,
                partial="comments",
                reply_id=reply.pk if reply else None,
                done="Your comment is posted.",
                anchor=anchor,
            )
    if _fragment(request):
        return _piece(
            request,
            conversation_id=c.pk,
            partial="comments",
            reply_id=reply.pk if reply else None,
            comment_form=form,
        )
    return render(
        request,
        "conversations/comment.html",
        {"c": c, "reply": reply, "form": form, "back": _url(c, anchor)},
    )


@login_required
@refusals
def comment(request: Request, pk: int) -> HttpResponse:
    c = selectors.conversation_get(viewer=request.user, pk=pk)
    return _comment(request, c, None)


@login_required
@refusals
def reply_comment(request: Request, pk: int) -> HttpResponse:
    reply = selectors.reply_get(viewer=request.user, pk=pk)
    return _comment(request, reply.conversation, reply)


# --- who to ask -----------------------------------------------------------


@login_required
@refusals
@require_POST
def ask_person(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    c = selectors.conversation_get(viewer=me, pk=pk)
    error = ""
    name = ""
    try:
        person_id = int(request.POST.get("person", ""))
    except ValueError:
        error = "Pick a person to ask."
    else:
        person = people.person_get(viewer=me, pk=person_id)
        name = person.name
        suggested = {
            s.person.pk: s
            for s in selectors.who_to_ask(viewer=me, conversation=c)
        }
        why = suggested.get(person.pk)
        try:
            services.ask_request_create(
                actor=me,
                conversation=c,
                person=person,
                reason="; ".join(why.reasons) if why else "",
            )
        except ValidationError as exc:
            error = _flat(exc)
    if not _fragment(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"We let {name} know you asked.")
        return redirect(_url(c, "who-to-ask"))
    who = selectors.who_to_ask(viewer=me, conversation=c)
    return render(
        request,
        "conversations/detail.html#who",
        {
            "c": c,
            "who": who,
            "asked": selectors.asked_people(viewer=me, conversation=c),
            "error": error,
        },
    )


# --- edits and history ----------------------------------------------------


@login_required
@refusals
def edit(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    c = selectors.conversation_for_edit(viewer=me, pk=pk)
    form = EditForm(
        _posted(request),
        initial={
            "title": c.title,
            "body": c.body,
            "tags": ", ".join(c.tag_names),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.conversation_edit(
                actor=me,
                conversation=c,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.tag_names(),
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(_url(c))
    return render(
        request,
        "conversations/edit.html",
        {"c": c, "form": form, "heading": f"Edit: {c.title}"},
    )


@login_required
@refusals
def reply_edit(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    reply = selectors.reply_for_edit(viewer=me, pk=pk)
    c = reply.conversation
    form = ReplyEditForm(
        _posted(request),
        initial={"body": reply.body, "experience": reply.experience},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_edit(actor=me, reply=reply, **form.cleaned_data)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(_url(c, f"answer-{reply.pk}"))
    return render(
        request,
        "conversations/edit.html",
        {
            "c": c,
            "reply": reply,
            "form": form,
            "heading": f"Edit an answer to: {c.title}",
        },
    )


@refusals
@require_GET
def history(request: Request, pk: int) -> HttpResponse:
    c = selectors.conversation_get(viewer=request.user, pk=pk)
    return render(
        request,
        "conversations/revisions.html",
        {
            "c": c,
            "reply": None,
            "rows": selectors.revision_history(
                viewer=request.user, conversation=c
            ),
        },
    )


@refusals
@require_GET
def reply_history(request: Request, pk: int) -> HttpResponse:
    reply = selectors.reply_get(viewer=request.user, pk=pk)
    c = reply.conversation
    return render(
        request,
        "conversations/revisions.html",
        {
            "c": c,
            "reply": reply,
            "rows": selectors.revision_history(
                viewer=request.user, conversation=c, reply=reply
            ),
        },
    )


# --- flags ----------------------------------------------------------------


def _flag(
    request: Request, c: Conversation, reply: Reply | None
) -> HttpResponse:
    me = _me(request)
    access.require(me, "participate", c.community)
    form = FlagForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_create(
                user=me,
                conversation=c,
                reply=reply,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(
                request,
                "Thank you: the coordinators will look at it. Nothing "
                "changes on the page until they do.",
            )
            anchor = f"answer-{reply.pk}" if reply else "question"
            return redirect(_url(c, anchor))
    return render(
        request,
        "conversations/flag.html",
        {"c": c, "reply": reply, "form": form},
    )


@login_required
@refusals
def flag(request: Request, pk: int) -> HttpResponse:
    c = selectors.conversation_get(viewer=request.user, pk=pk)
    return _flag(request, c, None)


@login_required
@refusals
def reply_flag(request: Request, pk: int) -> HttpResponse:
    reply = selectors.reply_get(viewer=request.user, pk=pk)
    return _flag(request, reply.conversation, reply)


@login_required
@refusals
@require_GET
def flags(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    community = communities.community_get(viewer=me, slug=slug)
    queue = list(selectors.flag_queue(viewer=me, community=community))
    return render(
        request,
        "conversations/flags.html",
        {
            "community": community,
            "flags": queue,
            "form": ResolveForm(),
            "here": "flags",
            "may_moderate": True,
        },
    )


@login_required
@refusals
@require_POST
def flag_resolve(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    f = selectors.flag_get(viewer=me, pk=pk)
    community = f.conversation.community
    form = ResolveForm(request.POST)
    dismiss = request.POST.get("dismiss") == "1"
    if form.is_valid():
        try:
            services.flag_resolve(
                actor=me,
                flag=f,
                resolution=form.cleaned_data["resolution"],
                dismiss=dismiss,
            )
        except ValidationError as exc:
            messages.error(request, _flat(exc))
        else:
            messages.success(
                request, "Flag dismissed." if dismiss else "Flag resolved."
            )
        return redirect("conversations:flags", community.slug)
    queue = list(selectors.flag_queue(viewer=me, community=community))
    return render(
        request,
        "conversations/flags.html",
        {
            "community": community,
            "flags": queue,
            "form": ResolveForm(),
            "failed": f.pk,
            "failed_form": form,
            "here": "flags",
            "may_moderate": True,
        },
    )


# --- tags -----------------------------------------------------------------


@refusals
def tags(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    community = communities.community_get(viewer=viewer, slug=slug)
    form = TagForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            tag = services.tag_create(
                actor=_me(request), community=community, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(
                request,
                f"Added the tag '{tag.name}'."
                if tag.approved
                else f"Proposed the tag '{tag.name}' to the coordinators.",
            )
            return redirect("conversations:tags", community.slug)
    moderate = access.can(viewer, "moderate", community)
    participate = access.can(viewer, "participate", community)
    return render(
        request,
        "conversations/tags.html",
        {
            "community": community,
            "tags": selectors.tag_list(viewer=viewer, community=community),
            "form": form,
            "may_add": moderate
            or (participate and community.members_propose_tags),
            "here": "tags",
            "may_participate": participate,
            "may_moderate": moderate,
        },
    )


@login_required
@refusals
@require_POST
def tag_decide(request: Request, pk: int) -> HttpResponse:
    """Approve a proposed tag, or turn it down (coordinators)."""
    me = _me(request)
    tag = selectors.tag_get(viewer=me, pk=pk)
    if request.POST.get("approve") == "1":
        services.tag_update(actor=me, tag=tag, approved=True)
        messages.success(request, f"'{tag.name}' is now an approved tag.")
    else:
        services.tag_delete(actor=me, tag=tag)
        messages.success(request, f"Turned down the tag '{tag.name}'.")
    return redirect("conversations:tags", tag.community.slug)


# --- moderation -----------------------------------------------------------

ACTIONS = ("close", "reopen", "lock", "unlock", "move", "merge")


@login_required
@refusals
def moderate(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    c = selectors.conversation_for_moderation(viewer=me, pk=pk)
    targets = selectors.move_targets(viewer=me, conversation=c)
    action = request.POST.get("action", "")
    data = _posted(request)

    def bound(name: str) -> QueryDict | None:
        return data if action == name else None

    forms: dict[str, Form] = {
        "close": ReasonForm(bound("close"), prefix="close"),
        "lock": ReasonForm(bound("lock"), prefix="lock"),
        "move": MoveForm(bound("move"), prefix="move", communities=targets),
        "merge": MergeForm(bound("merge"), prefix="merge"),
        "reopen": Form(bound("reopen")),
        "unlock": Form(bound("unlock")),
    }
    if request.method == "POST":
        if action not in ACTIONS:
            messages.error(request, "Pick one of the actions below.")
        else:
            done = _moderate(me, c, action, forms[action], targets)
            if done:
                messages.success(request, done)
                return redirect(_url(c))
    similar = [
        h
        for h in search.query(
            viewer=me, text=c.title, community=c.community, limit=6
        )
        if h.id != c.pk
    ][:SIMILAR_SHOWN]
    return render(
        request,
        "conversations/moderate.html",
        {"c": c, "forms": forms, "similar": similar, "targets": targets},
    )


def _moderate(
    me: User,
    c: Conversation,
    action: str,
    form: Form,
    targets: list[Community],
) -> str:
    """Run one moderation action; its message, or "" with the errors on
    the form."""
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    try:
        if action == "close":
            services.conversation_close(
                actor=me, conversation=c, reason=data["reason"]
            )
            return "Closed: it takes no more answers."
        if action == "reopen":
            services.conversation_reopen(actor=me, conversation=c)
            return "Reopened."
        if action in ("lock", "unlock"):
            services.conversation_lock(
                actor=me,
                conversation=c,
                locked=action == "lock",
                reason=data.get("reason", ""),
            )
            return "Locked." if action == "lock" else "Unlocked."
        if action == "move":
            # The form only offers communities the viewer coordinates.
            target = next(t for t in targets if t.slug == data["community"])
            services.conversation_move(
                actor=me,
                conversation=c,
                community=target,
                reason=data["reason"],
            )
            return f"Moved to {target.name}."
        try:
            into = selectors.conversation_get(viewer=me, pk=data["into"])
        except Http404:
            form.add_error(
                "into", f"There is no conversation #{data['into']} here."
            )
            return ""
        services.conversation_merge(
            actor=me, conversation=c, into=into, reason=data["reason"]
        )
        return f"Merged into “{into.title}”."
    except ValidationError as exc:
        _errors_onto(form, exc)
    return ""
