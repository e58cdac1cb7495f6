"""The community pages: thin views over selectors and services.

Reads go through ``selectors`` (already filtered by ``access``), writes
through ``services``; a service's ValidationError is placed beside the
field it names and a PermissionDenied becomes a 403 page that says why.
htmx requests get only the fragment that changes.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from practica import access
from practica.accounts import selectors as people
from practica.accounts.models import User
from practica.communities import selectors, services
from practica.communities.forms import (
    ApproveForm,
    CommunityForm,
    DeclineForm,
    FilterForm,
    InvitationForm,
    JoinForm,
    MemberFilterForm,
    RemoveForm,
    RoleForm,
)
from practica.communities.models import (
    Community,
    Invitation,
    Membership,
    Policy,
    Role,
    Status,
)
from practica.core import cache
from practica.core.models import Activity
from practica.events import selectors as events
from practica.web import pages

HtmxHttpRequest = pages.HtmxRequest
View = pages.View
refusals = pages.refusals("web/denied.html")
_me = pages.me
_posted = pages.posted
_is_fragment = pages.is_fragment


def _department_choices() -> list[tuple[str, str]]:
    return [(d.slug, d.name) for d in people.departments()]


def _states(viewer: Any) -> dict[str, set[int]]:
    """Ids of the communities the viewer is in, or waiting for."""
    mine = access.memberships(viewer).items()
    return {
        "member_of": {c for c, m in mine if m.status == Status.ACTIVE},
        "pending_in": {c for c, m in mine if m.status == Status.PENDING},
    }


def _powers(viewer: Any, community: Community) -> dict[str, bool]:
    """What the viewer may do here, for the coordinator's tabs."""
    return {
        "can_moderate": access.can(viewer, "moderate", community),
        "can_invite": access.can(viewer, "invite", community),
    }


# --- activity in sentences -----------------------------------------------

_AS_ROLE: dict[str, str] = {
    Role.COORDINATOR: "a coordinator",
    Role.CORE: "a core member",
    Role.MEMBER: "a member",
    Role.NEWCOMER: "a newcomer",
}


def describe(event: Activity) -> str:
    """One activity entry as a sentence a person reads."""
    who = event.actor.name if event.actor is not None else "Someone"
    other = event.summary
    match event.verb:
        case "community.created":
            what = "started the community"
        case "community.updated":
            what = "updated the charter and settings"
        case "membership.joined":
            what = "joined"
        case "membership.requested":
            what = "asked to join"
        case "membership.approved":
            what = f"welcomed {other}"
        case "membership.left":
            what = "left"
        case "membership.role_changed":
            to = str((event.data or {}).get("to", ""))
            role = _AS_ROLE.get(to, "a member")
            what = f"made {other} {role}"
        case "invitation.accepted":
            what = "accepted an invitation and joined"
        case "question.created":
            what = f"asked “{other}”"
        case "discussion.created":
            what = f"opened a discussion: “{other}”"
        case "reply.created":
            what = f"answered “{other}”"
        case "reply.accepted":
            what = f"accepted an answer to “{other}”"
        case (
            "conversation.closed"
            | "conversation.reopened"
            | "conversation.merged"
            | "conversation.moved"
        ):
            what = f"{event.verb.split('.')[1]} “{other}”"
        case _:
            what = event.verb.replace(".", " ").replace("_", " ")
    return f"{who} {what}."


# --- directory and community page ----------------------------------------


def _filters(form: FilterForm) -> dict[str, Any]:
    """The filter values that are valid; anything else is ignored."""
    if form.is_bound:
        form.is_valid()  # keeps the valid fields in cleaned_data
    data = getattr(form, "cleaned_data", {})
    return {
        "q": (data.get("q") or "").strip(),
        "kind": data.get("kind") or "",
        "department": data.get("department") or "",
        "mine": bool(data.get("mine")),
    }


@refusals
def community_list(request: HtmxHttpRequest) -> HttpResponse:
    viewer = request.user
    form = FilterForm(
        request.GET or None,
        departments=_department_choices(),
        signed_in=viewer.is_authenticated,
    )
    filters = _filters(form)
    cursor = request.GET.get("cursor") or None
    cursor_error = ""
    try:
        page = selectors.community_list(
            viewer=viewer, cursor=cursor, **filters
        )
    except ValidationError as exc:
        cursor_error = " ".join(exc.messages)
        cursor = None
        page = selectors.community_list(viewer=viewer, **filters)
    template = "communities/list.html"
    if _is_fragment(request):
        template += "#page" if cursor else "#results"
    response = render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "cursor_error": cursor_error,
            **_states(viewer),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


DETAIL = "communities/detail.html"


def _detail_context(viewer: Any, page: selectors.CommunityPage) -> dict:
    community = page.community
    return {
        "page": page,
        "community": community,
        "membership": page.membership,
        "recent": [(event, describe(event)) for event in page.recent],
        "can_join": access.can(viewer, "join", community),
        # Signed-in only: visitors get the page from a cache that the
        # calendar does not key (they see the calendar link instead).
        "next_sessions": (
            events.next_sessions(viewer, community)
            if viewer.is_authenticated
            else None
        ),
        **_powers(viewer, community),
    }


def _visitor_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """The community page as every signed-out visitor sees it, from the
    cache: keyed by the community's version (charter, settings, counts)
    and its newest listed activity, so a change or a new entry shows at
    once; one small query (compiled once) on a hit and no template."""
    viewer = request.user
    community, newest = selectors.community_front_head(
        viewer=viewer, slug=slug
    )

    def build() -> tuple[str, int]:
        page = selectors.community_page(viewer=viewer, slug=slug)
        html = render_to_string(DETAIL, _detail_context(viewer, page), request)
        ttl = cache.fresh_for(*(event.created_at for event in page.recent))
        return html, ttl

    return pages.visitor_page(
        request,
        "community",
        community.pk,
        community.version,
        cache.stamp(community.created_at),
        newest,
        templates=[DETAIL],
        build=build,
    )


@refusals
def community_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    viewer = request.user
    if not viewer.is_authenticated:
        return _visitor_detail(request, slug)
    page = selectors.community_page(viewer=viewer, slug=slug)
    return render(request, DETAIL, _detail_context(viewer, page))


@login_required
@refusals
def community_create(request: HtmxHttpRequest) -> HttpResponse:
    me = _me(request)
    access.require(me, "create_community")
    form = CommunityForm(_posted(request), departments=_department_choices())
    if request.method == "POST" and form.is_valid():
        try:
            community = services.community_create(
                creator=me, **form.cleaned_data
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            messages.success(
                request,
                f"{community.name} is open. You are its first "
                "coordinator: invite people or share its address.",
            )
            return redirect("communities:detail", community.slug)
    return render(request, "communities/form.html", {"form": form})


@login_required
@refusals
def community_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    me = _me(request)
    community = selectors.community_for_edit(viewer=me, slug=slug)
    initial = {
        "name": community.name,
        "slug": community.slug,
        "tagline": community.tagline,
        "charter": community.charter,
        "kind": community.kind,
        "is_formal": community.is_formal,
        "visibility": community.visibility,
        "policy": community.policy,
        "statement_prompt": community.statement_prompt,
        "members_propose_tags": community.members_propose_tags,
        "departments": [d.slug for d in community.departments.all()],
    }
    form = CommunityForm(
        _posted(request),
        initial=initial,
        departments=_department_choices(),
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if not fields["slug"]:
            fields["slug"] = community.slug
        try:
            community = services.community_update(
                actor=me, community=community, **fields
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
            # The service set the valid fields on our copy; show the saved
            # community, not a half-edited one, around the form.
            community = selectors.community_for_edit(viewer=me, slug=slug)
        else:
            messages.success(request, f"{community.name} is saved.")
            return redirect("communities:detail", community.slug)
    return render(
        request,
        "communities/form.html",
        {"form": form, "community": community, **_powers(me, community)},
    )


# --- joining and leaving -------------------------------------------------


def _statement_help(community: Community) -> str:
    rule = f"At least {services.MIN_STATEMENT} characters."
    prompt = community.statement_prompt
    return f"{prompt} {rule}" if prompt else services.STATEMENT_HELP


@login_required
@refusals
def community_join(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(viewer=me, slug=slug, action="join")
    mine = access.memberships(me).get(community.pk)
    if mine is not None and mine.status in (Status.ACTIVE, Status.PENDING):
        messages.info(
            request,
            "You are already a member."
            if mine.status == Status.ACTIVE
            else "Your request is already with the coordinators.",
        )
        return redirect("communities:detail", community.slug)
    form = JoinForm(_posted(request), help_text=_statement_help(community))
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.community_join(
                user=me,
                community=community,
                practice_statement=form.cleaned_data["practice_statement"],
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            if membership.status == Status.ACTIVE:
                messages.success(
                    request, f"Welcome to {community.name}: you are in."
                )
            else:
                messages.success(
                    request,
                    f"Your request to join {community.name} is with its "
                    "coordinators. You will see their answer here and on "
                    "your home page.",
                )
            return redirect("communities:detail", community.slug)
    return render(
        request,
        "communities/join.html",
        {
            "community": community,
            "form": form,
            "needs_statement": community.policy == Policy.APPROVAL,
        },
    )


@login_required
@refusals
@require_http_methods(["GET", "POST"])
def community_leave(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(viewer=me, slug=slug)
    membership = access.memberships(me).get(community.pk)
    if membership is None or membership.status not in (
        Status.ACTIVE,
        Status.PENDING,
    ):
        messages.info(request, "You are not a member of this community.")
        return redirect("communities:detail", community.slug)
    errors: list[str] = []
    if request.method == "POST":
        pending = membership.status == Status.PENDING
        try:
            services.community_leave(user=me, community=community)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                f"Your request to join {community.name} is withdrawn."
                if pending
                else f"You left {community.name}.",
            )
            if access.can(me, "view", community):
                return redirect("communities:detail", community.slug)
            return redirect("communities:list")
    return render(
        request,
        "communities/leave.html",
        {"community": community, "membership": membership, "errors": errors},
    )


# --- join requests (coordinators) ---------------------------------------


@dataclass
class RequestRow:
    membership: Membership
    approve: ApproveForm
    decline: DeclineForm


def _row_id(pk: int) -> str:
    return f"id_%s_{pk}"


def _request_row(
    membership: Membership,
    approve: ApproveForm | None = None,
    decline: DeclineForm | None = None,
) -> RequestRow:
    auto_id = _row_id(membership.pk)
    return RequestRow(
        membership=membership,
        approve=approve or ApproveForm(auto_id=auto_id),
        decline=decline or DeclineForm(auto_id=auto_id),
    )


def _membership_in(me: User, community: Community, pk: int) -> Membership:
    membership = selectors.membership_get(viewer=me, pk=pk)
    if membership.community_id != community.pk:
        raise Http404("No such membership in this community.")
    return membership


def _requests_page(
    request: HtmxHttpRequest,
    community: Community,
    errored: RequestRow | None = None,
) -> HttpResponse:
    me = _me(request)
    rows = [
        errored
        if errored is not None and errored.membership.pk == m.pk
        else _request_row(m)
        for m in selectors.join_requests(viewer=me, community=community)
    ]
    return render(
        request,
        "communities/requests.html",
        {"community": community, "rows": rows, **_powers(me, community)},
    )


@login_required
@refusals
def join_requests(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(
        viewer=me, slug=slug, action="moderate"
    )
    return _requests_page(request, community)


def _decided(
    request: HtmxHttpRequest,
    community: Community,
    membership: Membership,
    note: str,
) -> HttpResponse:
    if _is_fragment(request):
        # The Requests tab's count goes with it, out of band.
        community.refresh_from_db(fields=["pending_count"])
        return render(
            request,
            "communities/requests.html#outcome",
            {"community": community, "m": membership, "note": note},
        )
    messages.success(request, note)
    return redirect("communities:requests", community.slug)


def _undecided(
    request: HtmxHttpRequest, community: Community, row: RequestRow
) -> HttpResponse:
    # 200, not 4xx: htmx swaps only successful responses into the page.
    if _is_fragment(request):
        # Someone else may have decided meanwhile: the count as it stands.
        community.refresh_from_db(fields=["pending_count"])
        return render(
            request,
            "communities/requests.html#row",
            {"community": community, "row": row, "oob_badge": True},
        )
    return _requests_page(request, community, errored=row)


@login_required
@refusals
@require_POST
def request_approve(
    request: HtmxHttpRequest, slug: str, pk: int
) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(
        viewer=me, slug=slug, action="moderate"
    )
    membership = _membership_in(me, community, pk)
    form = ApproveForm(request.POST, auto_id=_row_id(pk))
    if form.is_valid():
        try:
            membership = services.membership_approve(
                actor=me, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            role = _AS_ROLE[Role(membership.role)]
            note = f"{membership.user.name} joined {community.name} as {role}."
            return _decided(request, community, membership, note)
    return _undecided(request, community, _request_row(membership, form))


@login_required
@refusals
@require_POST
def request_decline(
    request: HtmxHttpRequest, slug: str, pk: int
) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(
        viewer=me, slug=slug, action="moderate"
    )
    membership = _membership_in(me, community, pk)
    form = DeclineForm(request.POST, auto_id=_row_id(pk))
    if form.is_valid():
        try:
            membership = services.membership_decline(
                actor=me,
                membership=membership,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            note = (
                f"You declined {membership.user.name}'s request; they will "
                "see your reason."
            )
            return _decided(request, community, membership, note)
    return _undecided(
        request, community, _request_row(membership, decline=form)
    )


# --- members -------------------------------------------------------------


@dataclass
class MemberRow:
    membership: Membership
    role_form: RoleForm | None = None
    remove_form: RemoveForm | None = None
    note: str = ""


def _member_row(
    membership: Membership,
    moderate: bool,
    role_form: RoleForm | None = None,
    remove_form: RemoveForm | None = None,
    note: str = "",
) -> MemberRow:
    if not moderate:
        return MemberRow(membership=membership)
    auto_id = _row_id(membership.pk)
    return MemberRow(
        membership=membership,
        role_form=role_form
        or RoleForm(initial={"role": membership.role}, auto_id=auto_id),
        remove_form=remove_form or RemoveForm(auto_id=auto_id),
        note=note,
    )


def _members_page(
    request: HtmxHttpRequest,
    community: Community,
    errored: MemberRow | None = None,
) -> HttpResponse:
    me = _me(request)
    moderate = access.can(me, "moderate", community)
    form = MemberFilterForm(
        request.GET or None,
        skills=[(s.slug, s.name) for s in people.skills()],
    )
    if form.is_bound:
        form.is_valid()  # keeps the valid fields in cleaned_data
    data = getattr(form, "cleaned_data", {})
    role, skill = data.get("role") or "", data.get("skill") or ""
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.member_list(
            viewer=me,
            community=community,
            role=role,
            skill=skill,
            cursor=cursor,
        )
    except ValidationError:  # a damaged cursor: start from the top
        cursor = None
        page = selectors.member_list(
            viewer=me, community=community, role=role, skill=skill
        )
    rows = [
        errored
        if errored is not None and errored.membership.pk == m.pk
        else _member_row(m, moderate)
        for m in page.items
    ]
    template = "communities/members.html"
    if _is_fragment(request) and request.method == "GET":
        template += "#page" if cursor else "#results"
    response = render(
        request,
        template,
        {
            "community": community,
            "form": form,
            "page": page,
            "rows": rows,
            **_powers(me, community),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@refusals
def members(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(
        viewer=me, slug=slug, action="view_members"
    )
    return _members_page(request, community)


def _member_result(
    request: HtmxHttpRequest,
    community: Community,
    row: MemberRow,
    note: str = "",
    removed: bool = False,
) -> HttpResponse:
    """Answer a role change or removal: the row (or its outcome) for htmx,
    otherwise back to the members page."""
    if _is_fragment(request):
        partial = "outcome" if removed else "row"
        return render(
            request,
            f"communities/members.html#{partial}",
            {
                "community": community,
                "row": row,
                "note": note,
                "can_moderate": True,
            },
        )
    if note:
        messages.success(request, note)
        return redirect("communities:members", community.slug)
    return _members_page(request, community, errored=row)


@login_required
@refusals
@require_POST
def member_role(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(
        viewer=me, slug=slug, action="moderate"
    )
    membership = _membership_in(me, community, pk)
    form = RoleForm(request.POST, auto_id=_row_id(pk))
    if form.is_valid():
        try:
            membership = services.membership_set_role(
                actor=me, membership=membership, role=form.cleaned_data["role"]
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            note = (
                f"{membership.user.name} is now "
                f"{_AS_ROLE[Role(membership.role)]}."
            )
            if membership.user_id == me.pk:
                # Stepping down changes what this page may show: reload it.
                access.forget(me)
                if _is_fragment(request):
                    messages.success(request, note)
                    return HttpResponseClientRefresh()
            row = _member_row(membership, True, note=note)
            return _member_result(request, community, row, note=note)
    row = _member_row(membership, True, role_form=form)
    return _member_result(request, community, row)


@login_required
@refusals
@require_POST
def member_remove(
    request: HtmxHttpRequest, slug: str, pk: int
) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(
        viewer=me, slug=slug, action="moderate"
    )
    membership = _membership_in(me, community, pk)
    form = RemoveForm(request.POST, auto_id=_row_id(pk))
    if form.is_valid():
        try:
            membership = services.membership_remove(
                actor=me,
                membership=membership,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        else:
            note = f"{membership.user.name} was removed from {community}."
            row = MemberRow(membership=membership)
            return _member_result(
                request, community, row, note=note, removed=True
            )
    row = _member_row(membership, True, remove_form=form)
    return _member_result(request, community, row)


# --- invitations ---------------------------------------------------------


def invitation_state(invitation: Invitation, now: datetime) -> str:
    """pending, accepted or expired, as the lists show it."""
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.expires_at <= now:
        return "expired"
    return "pending"


@login_required
@refusals
def invitations(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    me = _me(request)
    community = selectors.community_get(viewer=me, slug=slug, action="invite")
    roles = (
        Role.values
        if access.can(me, "moderate", community)
        else [Role.MEMBER, Role.NEWCOMER]
    )
    form = InvitationForm(_posted(request), roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, raw = services.invitation_create(
                actor=me, community=community, **form.cleaned_data
            )
        except ValidationError as exc:
            pages.errors_onto(form, exc)
        except PermissionDenied as exc:
            form.add_error("role", str(exc))
        else:
            link = request.build_absolute_uri(
                reverse("communities:invitation", args=[raw])
            )
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. You can also "
                f"give them this link yourself: {link}",
            )
            return redirect("communities:invitations", community.slug)
    now = timezone.now()
    sent = [
        (inv, invitation_state(inv, now))
        for inv in selectors.invitation_list(viewer=me, community=community)
    ]
    return render(
        request,
        "communities/invitations.html",
        {
            "community": community,
            "form": form,
            "sent": sent,
            "days": settings.PRACTICA_INVITATION_DAYS,
            **_powers(me, community),
        },
    )


@refusals
@require_http_methods(["GET", "POST"])
def invitation(request: HtmxHttpRequest, token: str) -> HttpResponse:
    try:
        found = services.invitation_find(token)
    except ValidationError as exc:
        return render(
            request,
            "communities/invitation.html",
            {"errors": exc.messages},
            status=404,
        )
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.invitation_accept(user=_me(request), raw_token=token)
        except ValidationError as exc:
            errors = exc.messages
        else:
            community = found.community
            messages.success(request, f"Welcome to {community.name}!")
            return redirect("communities:detail", community.slug)
    user = request.user
    return render(
        request,
        "communities/invitation.html",
        {
            "invitation": found,
            "community": found.community,
            "state": invitation_state(found, timezone.now()),
            "other_email": (
                isinstance(user, User) and user.email.lower() != found.email
            ),
            "errors": errors,
        },
    )
