"""The repertoire pages: thin views over selectors and services.

Reads go through ``selectors`` (already filtered by ``access``), writes
through ``services``. A service's ValidationError is placed beside the
field it names; a PermissionDenied becomes a 403 page that says why. An
edit that crossed someone else's save comes back with the editor's text
kept, what changed meanwhile and the current text, ready to merge. htmx
requests (filters, "More", "this helped me", the review count) get only
the fragment that changed; without JavaScript the same links and forms
work as whole pages.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from practica import access
from practica.accounts.models import User
from practica.analytics import selectors as analytics
from practica.communities import selectors as communities
from practica.communities.models import Community
from practica.conversations import selectors as conversations
from practica.conversations.models import Tag
from practica.core import cache
from practica.repertoire import selectors, services
from practica.repertoire.forms import (
    AttachmentForm,
    CompareForm,
    CreateForm,
    EditForm,
    ListFilterForm,
    ObsoleteForm,
    OwnerForm,
    VerifyForm,
)
from practica.repertoire.models import DUE_SOON, Artifact, Kind, Status
from practica.web import pages

REVIEW_SHOWN = 100
STATUS_DONE = {
    Status.PUBLISHED: "Published: everyone who can see the community can "
    "read it now.",
    Status.ARCHIVED: "Archived: it no longer shows in the repertoire.",
    Status.DRAFT: "Back to draft: only its owners and the community's core "
    "members and coordinators see it.",
}


Request = pages.HtmxRequest
View = pages.View
refusals = pages.refusals("repertoire/denied.html")
_me = pages.me
_fragment = pages.is_fragment
_posted = pages.posted
_errors_onto = pages.errors_onto
_flat = pages.flat


def _url(a: Artifact | int, anchor: str = "") -> str:
    pk = a if isinstance(a, int) else a.pk
    url = reverse("repertoire:detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _day(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _tags(viewer: Any, community: Community) -> list[Tag]:
    return list(conversations.tag_list(viewer=viewer, community=community))


# --- a community's repertoire ----------------------------------------------


@refusals
@require_GET
def artifact_list(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    community = communities.community_get(viewer=viewer, slug=slug)
    form = ListFilterForm(request.GET or None, tags=_tags(viewer, community))
    filters = form.filters()
    cursor = request.GET.get("cursor") or None
    cursor_error = ""
    try:
        page = selectors.artifact_list(
            viewer=viewer, community=community, cursor=cursor, **filters
        )
    except ValidationError as exc:  # a stale or edited cursor
        cursor, cursor_error = None, _flat(exc)
        page = selectors.artifact_list(
            viewer=viewer, community=community, **filters
        )
    template = "repertoire/list.html"
    if _fragment(request):
        template += "#rows" if cursor else "#results"
    response = render(
        request,
        template,
        {
            "community": community,
            "form": form,
            "sort": filters["sort"],
            "page": page,
            "cursor_error": cursor_error,
            "here": "list",
            "may_participate": access.can(viewer, "participate", community),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@refusals
@require_GET
def glossary(request: Request, slug: str) -> HttpResponse:
    viewer = request.user
    community = communities.community_get(viewer=viewer, slug=slug)
    groups = selectors.glossary(viewer=viewer, community=community)
    present = {letter for letter, _ in groups}
    return render(
        request,
        "repertoire/glossary.html",
        {
            "community": community,
            "groups": groups,
            "letters": [
                (letter, letter in present)
                for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ#"
            ],
            "here": "glossary",
            "may_participate": access.can(viewer, "participate", community),
        },
    )


@login_required
@refusals
def create(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    community = communities.community_get(viewer=me, slug=slug)
    why = access.reason(me, "participate", community)
    if why is not None:
        return render(
            request,
            "repertoire/denied.html",
            {"reason": why, "community": community},
            status=403,
        )
    kind = request.GET.get("kind", "")
    form = CreateForm(
        _posted(request),
        tags=_tags(me, community),
        default_days=community.review_days,
        initial={"kind": kind if kind in Kind.values else Kind.BEST_PRACTICE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            a = services.artifact_create(
                author=me,
                community=community,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                tags=form.tag_names(),
                status=data["status"],
                review_days=data["review_days"] or None,
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(
                request,
                "Saved as a draft: publish it when it is ready."
                if a.status == Status.DRAFT
                else "Published in the repertoire. Thank you.",
            )
            return redirect(_url(a))
    return render(
        request,
        "repertoire/form.html",
        {
            "community": community,
            "form": form,
            "heading": f"Add to the repertoire of {community.name}",
        },
    )


# --- an artifact -----------------------------------------------------------


def _detail_context(
    viewer: Any, page: selectors.ArtifactPage, *, cited: bool = True
) -> dict[str, Any]:
    a = page.artifact
    return {
        "page": page,
        "a": a,
        "replacement": selectors.visible_replacement(viewer=viewer, artifact=a)
        if a.obsolete
        else None,
        "verify_form": VerifyForm(
            default=a.community.review_days, current=a.review_days
        )
        if page.may_verify
        else None,
        "cited": _cited(viewer, a)
        if cited
        else analytics.Cited(stories=[], total=0),
    }


def _cited(viewer: Any, a: Artifact) -> analytics.Cited:
    return analytics.stories_citing(viewer, a, link=f"artifact:{a.pk}")


def _detail(request: Request, page: selectors.ArtifactPage) -> HttpResponse:
    return render(request, DETAIL, _detail_context(request.user, page))


# The cached reader's page: these markers are filled per request.
FOLLOW_HOLE = "<!--practica:follow-->"
HELPED_HOLE = "<!--practica:helped-->"
CITED_HOLE = "<!--practica:cited-->"
DETAIL = "repertoire/detail.html"


def _reader(page: selectors.ArtifactPage) -> bool:
    """Nothing on the page depends on who this viewer is beyond their
    own marks: no management, verification or owners' figures."""
    return not (page.may_edit or page.may_verify or page.is_owner)


def _ttl(a: Artifact, now: Any) -> int:
    """Until a relative time on the page reads differently or the review
    state changes (due soon, then expired)."""
    ttl = cache.fresh_for(a.updated_at, now=now)
    if a.verified_until is not None:
        for moment in (a.verified_until - DUE_SOON, a.verified_until):
            if moment > now:
                ttl = min(ttl, int((moment - now).total_seconds()) + 1)
    return max(1, ttl)


def _reader_parts(
    viewer: Any, head: Artifact, page: selectors.ArtifactPage | None
) -> tuple[Any, ...]:
    """What the readers' page shows, named by versions: the artifact's
    (any write to it, its owners, files, marks or the artifacts it
    replaces bumps it), its community's and its replacement's, and what
    of the stories citing it (a visitor's: their stamp) and of the
    artifacts it replaces (a signed-in reader's: those they may see)
    this viewer sees."""
    replacement = head.replaced_by if head.replaced_by_id else None
    if replacement is not None and not access.can(viewer, "view", replacement):
        replacement = None
    parts: tuple[Any, ...] = (
        head.pk,
        head.version,
        cache.stamp(head.created_at),
        head.community.version,
        cache.stamp(head.community.created_at),
        (replacement.pk, replacement.version) if replacement else None,
    )
    if page is None:  # a signed-out visitor: the stories box is inside
        cited_at = getattr(head, "cited_at", None)
        return (*parts, getattr(head, "cited_n", None), cache.stamp(cited_at))
    return (*parts, tuple(r.pk for r in page.replaces))


READER_TEMPLATES = [
    "repertoire/detail.html",
    "repertoire/_badges.html",
    "repertoire/_freshness.html",
    "analytics/_stories_for.html",
]


def _visitor_detail(request: Request, head: Artifact) -> HttpResponse:
    """The whole page as every signed-out visitor sees it, layout
    included, from one cache entry (web.pages.visitor_page)."""
    viewer = request.user

    def build() -> tuple[str, int]:
        page = selectors.artifact_page(viewer=viewer, pk=head.pk)
        # The stamp already says whether any story cites it.
        context = _detail_context(
            viewer, page, cited=bool(getattr(head, "cited_n", None))
        )
        html = render_to_string(DETAIL, context, request)
        return html, _ttl(page.artifact, timezone.now())

    return pages.visitor_page(
        request,
        "artifact",
        *_reader_parts(viewer, head, None),
        templates=READER_TEMPLATES,
        build=build,
    )


def _reader_detail(
    request: Request, page: selectors.ArtifactPage
) -> HttpResponse:
    """The page as every signed-in reader sees it (no management,
    verification or owners' figures), from the cache (see
    :func:`_reader_parts`); the reader's follow link, "this helped me"
    and stories box are filled in per request."""
    viewer = request.user
    a = page.artifact

    def build() -> tuple[str, int]:
        context = _detail_context(viewer, page)
        context["holes"] = True
        html = render_to_string(f"{DETAIL}#main", context, request)
        return html, _ttl(a, timezone.now())

    main = cache.fragment(
        cache.key(
            "artifact-reader",
            *_reader_parts(viewer, a, page),
            templates=READER_TEMPLATES,
        ),
        build,
    )
    follow = render_to_string(
        "notifications/_follow.html", {"kind": "artifact", "pk": a.pk}, request
    )
    helped = render_to_string(
        f"{DETAIL}#helped", {"page": page, "a": a}, request
    )
    cited = render_to_string(
        "analytics/_stories_for.html", {"cited": _cited(viewer, a)}, request
    )
    main = mark_safe(  # noqa: S308 (our templates, escaped there)
        main.replace(FOLLOW_HOLE, follow, 1)
        .replace(HELPED_HOLE, helped, 1)
        .replace(CITED_HOLE, cited, 1)
    )
    return render(request, DETAIL, {"a": a, "main_html": main})


@refusals
@require_GET
def detail(request: Request, pk: int) -> HttpResponse:
    viewer = request.user
    if not viewer.is_authenticated:
        # A signed-out visitor is a reader: one query on a cache hit.
        head = selectors.artifact_head(viewer=viewer, pk=pk)
        cache.count(head)
        return _visitor_detail(request, head)
    page = selectors.artifact_page(viewer=viewer, pk=pk)
    # Counted without a write (practica.core.cache); the owners' figure
    # (views before this one) includes those not yet written.
    if page.is_owner:
        page.artifact.view_count += cache.pending(page.artifact)
    cache.count(page.artifact)
    if _reader(page):
        return _reader_detail(request, page)
    return _detail(request, page)


@login_required
@refusals
@require_POST
def helped(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    a = selectors.artifact_get(viewer=me, pk=pk)
    mark = request.POST.get("helped", "1") != "0"
    error = ""
    try:
        services.artifact_helped(user=me, artifact=a, helped=mark)
    except ValidationError as exc:
        error = _flat(exc)
    if not _fragment(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request,
                "Thanks: the owners can see it helped."
                if mark
                else "Your mark is taken back.",
            )
        return redirect(_url(a, "helped"))
    page = selectors.artifact_page(viewer=me, pk=pk)
    return render(
        request,
        "repertoire/detail.html#helped",
        {"page": page, "a": page.artifact, "error": error},
    )


@dataclass
class Conflict:
    """What the second editor needs to merge: their base, the current
    artifact and the line changes between the two."""

    base: int
    current: Artifact
    diff: selectors.Diff | None


def _conflict(
    me: User,
    exc: services.EditConflict,
    posted: QueryDict,
    tags: list[Tag],
) -> tuple[EditForm, Conflict]:
    """The editor's own text again, now based on the current revision so
    that saving it (merged or not) goes through."""
    current = exc.artifact
    data = posted.copy()
    data["base_revision"] = str(current.revision)
    form = EditForm(data, tags=tags)
    form.is_valid()
    _errors_onto(form, exc)
    try:
        diff = selectors.revision_diff(
            viewer=me, artifact=current, old=exc.base, new=current.revision
        )
    except ValidationError:  # a base that never existed: no diff to show
        diff = None
    return form, Conflict(base=exc.base, current=current, diff=diff)


@login_required
@refusals
def edit(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    a = selectors.artifact_for_edit(viewer=me, pk=pk)
    tags = _tags(me, a.community)
    form = EditForm(
        _posted(request),
        tags=tags,
        initial={
            "kind": a.kind,
            "title": a.title,
            "body": a.body,
            "tags": ", ".join(a.tag_names),
            "base_revision": a.revision,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.artifact_edit(
                actor=me,
                artifact=a,
                base_revision=data["base_revision"],
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                tags=form.tag_names(),
                message=data["message"],
            )
        except services.EditConflict as exc:
            form, conflict = _conflict(me, exc, request.POST, tags)
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(
                request,
                f"Saved as revision {saved.revision}."
                if saved.revision != data["base_revision"]
                else "Nothing changed, so there is no new revision.",
            )
            return redirect(_url(saved))
    return render(
        request,
        "repertoire/form.html",
        {
            "a": a,
            "community": a.community,
            "form": form,
            "conflict": conflict,
            "heading": f"Edit: {a.title}",
        },
        # 200, not 409: the page is the answer (the conflict shown, the
        # editor's text kept), and browsers log a page with an error
        # status as a failed load.
    )


@login_required
@refusals
def verify(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    a = selectors.artifact_for_verify(viewer=me, pk=pk)
    form = VerifyForm(
        _posted(request),
        default=a.community.review_days,
        current=a.review_days,
    )
    if request.method == "POST" and form.is_valid():
        try:
            a = services.artifact_verify(
                actor=me, artifact=a, days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            _errors_onto(form, exc, rename={"review_days": "days"})
        else:
            messages.success(
                request,
                f"Verified “{a.title}” until {_day(a.verified_until)}.",
            )
            if request.POST.get("back") == "review":
                return redirect("repertoire:review")
            return redirect(_url(a))
    return render(
        request,
        "repertoire/action.html",
        {
            "a": a,
            "form": form,
            "heading": f"Verify: {a.title}",
            "intro": "Read it through first: you vouch that it is right "
            "and still how the work is done.",
            "submit": "Verify",
        },
    )


@login_required
@refusals
def obsolete(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    a = selectors.artifact_for_edit(viewer=me, pk=pk)
    form = ObsoleteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        replacement = None
        if data["replaced_by"] is not None:
            try:
                replacement = selectors.artifact_get(
                    viewer=me, pk=data["replaced_by"]
                )
            except Http404:
                form.add_error(
                    "replaced_by",
                    f"There is no artifact #{data['replaced_by']} here.",
                )
        if not form.errors:
            try:
                services.artifact_mark_obsolete(
                    actor=me,
                    artifact=a,
                    reason=data["reason"],
                    replaced_by=replacement,
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(
                    request,
                    "Marked obsolete: readers are sent to its replacement."
                    if replacement
                    else "Marked obsolete.",
                )
                return redirect(_url(a))
    return render(
        request,
        "repertoire/action.html",
        {
            "a": a,
            "form": form,
            "heading": f"Mark obsolete: {a.title}",
            "intro": "It stays readable, with a banner that says it is "
            "obsolete and why, and a link to what replaces it.",
            "submit": "Mark obsolete",
            "danger": True,
        },
    )


@login_required
@refusals
@require_POST
def restore(request: Request, pk: int) -> HttpResponse:
    """Take back "obsolete" (people who may edit)."""
    me = _me(request)
    a = selectors.artifact_for_edit(viewer=me, pk=pk)
    try:
        a = services.artifact_restore(actor=me, artifact=a)
    except ValidationError as exc:
        messages.error(request, _flat(exc))
    else:
        messages.success(
            request, "Restored: it reads as current again, without the banner."
        )
    return redirect(_url(a))


@login_required
@refusals
@require_POST
def set_status(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    a = selectors.artifact_for_edit(viewer=me, pk=pk)
    try:
        a = services.artifact_set_status(
            actor=me, artifact=a, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        messages.error(request, _flat(exc))
    else:
        messages.success(request, STATUS_DONE[Status(a.status)])
    return redirect(_url(a))


# --- history ---------------------------------------------------------------


@refusals
@require_GET
def history(request: Request, pk: int) -> HttpResponse:
    viewer = request.user
    a = selectors.artifact_get(viewer=viewer, pk=pk)
    revisions = selectors.revisions(viewer=viewer, artifact=a)
    return render(
        request,
        "repertoire/revisions.html",
        {
            "a": a,
            "revisions": revisions,
            "form": CompareForm(
                numbers=[r.number for r in revisions],
                initial={"from": max(a.revision - 1, 1), "to": a.revision},
            ),
            "may_edit": access.can(viewer, "edit", a),
        },
    )


@refusals
@require_GET
def diff(request: Request, pk: int) -> HttpResponse:
    viewer = request.user
    a = selectors.artifact_get(viewer=viewer, pk=pk)
    numbers = [
        r.number for r in selectors.revisions(viewer=viewer, artifact=a)
    ]
    form = CompareForm(
        {
            "from": request.GET.get("from") or str(max(a.revision - 1, 1)),
            "to": request.GET.get("to") or str(a.revision),
        },
        numbers=numbers,
    )
    result = None
    if form.is_valid():
        result = selectors.revision_diff(
            viewer=viewer,
            artifact=a,
            old=form.cleaned_data["from"],
            new=form.cleaned_data["to"],
        )
    return render(
        request,
        "repertoire/diff.html",
        {
            "a": a,
            "form": form,
            "diff": result,
            "may_edit": access.can(viewer, "edit", a),
        },
        status=200 if result else 400,
    )


@login_required
@refusals
def revert(request: Request, pk: int, number: int) -> HttpResponse:
    me = _me(request)
    a = selectors.artifact_for_edit(viewer=me, pk=pk)
    try:
        rev = selectors.revision_get(viewer=me, artifact=a, number=number)
    except ValidationError as exc:
        raise Http404(_flat(exc)) from None
    if request.method == "POST":
        if rev.number == a.revision:
            messages.info(request, "That is already the current text.")
        else:
            a = services.artifact_revert(actor=me, artifact=a, revision=rev)
            messages.success(
                request,
                f"Brought back revision {rev.number}, saved as revision "
                f"{a.revision}.",
            )
        return redirect(_url(a))
    return render(
        request,
        "repertoire/revert.html",
        {
            "a": a,
            "rev": rev,
            "diff": selectors.revision_diff(
                viewer=me, artifact=a, old=a.revision, new=rev.number
            ),
        },
    )


# --- files -----------------------------------------------------------------


def _max_mb() -> float:
    return round(settings.PRACTICA_ATTACHMENT_MAX_BYTES / 1_048_576, 1)


@refusals
def files(request: Request, pk: int) -> HttpResponse:
    viewer = request.user
    a = selectors.artifact_get(viewer=viewer, pk=pk)
    may_edit = access.can(viewer, "edit", a)
    form = None
    if may_edit:
        form = AttachmentForm(
            _posted(request), request.FILES or None, max_mb=_max_mb()
        )
    if request.method == "POST":
        me = _me(request)
        access.require(me, "edit", a)
        if form is not None and form.is_valid():
            try:
                att = services.attachment_add(
                    actor=me, artifact=a, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(request, f"Added {att.name}.")
                return redirect("repertoire:files", a.pk)
    return render(
        request,
        "repertoire/files.html",
        {
            "a": a,
            "attachments": selectors.attachment_list(
                viewer=viewer, artifact=a
            ),
            "form": form,
            "may_edit": may_edit,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@refusals
@require_POST
def file_remove(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    att = selectors.attachment_get(viewer=me, pk=pk)
    services.attachment_remove(actor=me, attachment=att)
    messages.success(request, f"Removed {att.name}.")
    return redirect("repertoire:files", att.artifact_id)


@refusals
@require_GET
def download(request: Request, pk: int) -> FileResponse:
    att = selectors.attachment_get(viewer=request.user, pk=pk)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=att.name,
        content_type=att.content_type,
    )
    # Served as a download, never rendered or sniffed as a page of ours.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private"
    return response


# --- owners ----------------------------------------------------------------


@login_required
@refusals
def owners(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    a = selectors.artifact_for_edit(viewer=me, pk=pk)
    people = selectors.owner_candidates(viewer=me, artifact=a)
    action = request.POST.get("action", "")
    form = OwnerForm(request.POST if action == "add" else None, people=people)
    current = list(a.owners.all())
    if request.method == "POST":
        if action == "remove":
            gone = request.POST.get("person", "")
            try:
                services.artifact_set_owners(
                    actor=me,
                    artifact=a,
                    owners=[o for o in current if str(o.pk) != gone],
                )
            except ValidationError as exc:
                messages.error(request, _flat(exc))
            else:
                messages.success(request, "The owners are updated.")
                if gone == str(me.pk):  # they may no longer edit it
                    return redirect(_url(a))
            return redirect("repertoire:owners", a.pk)
        if form.is_valid():
            chosen = form.cleaned_data["person"]
            added = next(p for p in people if str(p.pk) == chosen)
            try:
                services.artifact_set_owners(
                    actor=me, artifact=a, owners=[*current, added]
                )
            except ValidationError as exc:
                _errors_onto(form, exc, rename={"owners": "person"})
            else:
                messages.success(request, f"{added.name} is now an owner.")
                return redirect("repertoire:owners", a.pk)
    return render(
        request,
        "repertoire/owners.html",
        {"a": a, "owners": current, "form": form},
    )


# --- capture and review ----------------------------------------------------


@login_required
@refusals
@require_POST
def capture(request: Request, pk: int) -> HttpResponse:
    """A solved question becomes a draft best practice, to edit."""
    me = _me(request)
    c = conversations.conversation_get(viewer=me, pk=pk)
    try:
        a = services.artifact_capture(actor=me, conversation=c)
    except ValidationError as exc:
        messages.error(request, _flat(exc))
        return redirect("conversations:detail", c.pk)
    messages.success(
        request,
        "Captured as a draft best practice. Make it read well on its own, "
        "then publish it.",
    )
    return redirect("repertoire:edit", a.pk)


@login_required
@refusals
@require_GET
def review(request: Request) -> HttpResponse:
    me = _me(request)
    if _fragment(request) and request.GET.get("count"):
        response = render(
            request,
            "repertoire/review.html#count",
            {"count": selectors.review_count(viewer=me)},
        )
    else:
        queue = list(selectors.review_queue(viewer=me)[:REVIEW_SHOWN])
        count = len(queue)
        if count == REVIEW_SHOWN:  # there may be more than are shown
            count = selectors.review_count(viewer=me)
        response = render(
            request,
            "repertoire/review.html",
            {"queue": queue, "count": count},
        )
    patch_vary_headers(response, ["HX-Request"])
    return response
