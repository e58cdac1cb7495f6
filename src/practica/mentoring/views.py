"""Help and mentoring pages: thin views over selectors and services.

The coordinator's board proposes, adjusts and confirms pairs in place
(htmx swaps the row); accepting or declining a match swaps its card.
Without JavaScript the same forms post and come back to the page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from practica import access
from practica.accounts.models import Department, Expertise, Skill, User
from practica.communities import selectors as communities
from practica.communities.models import Community
from practica.conversations import selectors as conversations
from practica.mentoring import selectors, services, windows
from practica.mentoring.forms import (
    CheckInForm,
    FeedbackForm,
    GoalsForm,
    NoteForm,
    OfferForm,
    PathwayForm,
    RequestForm,
    steps_text,
)
from practica.mentoring.models import (
    HelpOffer,
    Match,
    MentorshipState,
    PathwayStep,
)
from practica.web import pages

Request = pages.HtmxRequest
refusals = pages.refusals("web/denied.html")
_me = pages.me
_fragment = pages.is_fragment
_posted = pages.posted
_errors_onto = pages.errors_onto
_flat = pages.flat


def _community(viewer: Any, slug: str, action: str = "help") -> Community:
    c = communities.community_get(viewer=viewer, slug=slug)
    access.require(viewer, action, c)
    return c


def _back(request: Request, fallback: str) -> str:
    nxt = request.POST.get("next", "")
    return (
        nxt if nxt.startswith("/") and not nxt.startswith("//") else fallback
    )


# --- a community's help page -----------------------------------------------


@login_required
@refusals
@require_GET
def community_help(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    c = _community(me, slug)
    return render(
        request,
        "mentoring/community.html",
        {
            "community": c,
            "offers": selectors.offer_list(viewer=me, community=c),
            "requests": selectors.request_list(viewer=me, community=c),
            "mine": selectors.offer_mine(viewer=me, community=c),
            "coordinator": access.can(me, "match_help", c),
            "pathway": selectors.pathway_of(c),
        },
    )


@login_required
@refusals
def offer_form(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    c = _community(me, slug)
    current = selectors.offer_mine(viewer=me, community=c)
    expertise = Expertise.objects.filter(user=me).select_related("skill")
    initial: dict[str, Any] = {"time_zone": me.time_zone, "active": True}
    if current is not None:
        initial.update(
            skills=[s.slug for s in current.skills.all()],
            formats=current.formats,
            capacity=current.capacity,
            windows=windows.as_text(current.windows),
            time_zone=current.time_zone,
            departments=[d.slug for d in current.departments.all()],
            note=current.note,
            active=current.active,
        )
    form = OfferForm(
        _posted(request),
        initial=initial,
        expertise=expertise,
        departments=Department.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.offer_save(
                actor=me,
                community=c,
                skills=d["skills"],
                formats=d["formats"],
                capacity=d["capacity"],
                windows_=d["windows"],
                time_zone=d["time_zone"],
                departments=d["departments"],
                note=d["note"],
                active=d["active"],
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(
                request,
                "Thank you: coordinators can now match you with people "
                "who need your help.",
            )
            return redirect("mentoring:community", slug=c.slug)
    return render(
        request,
        "mentoring/form.html",
        {
            "community": c,
            "form": form,
            "heading": f"Offer help in {c.name}",
            "no_expertise": not expertise,
        },
    )


@login_required
@refusals
def request_form(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    c = _community(me, slug)
    source = None
    initial: dict[str, Any] = {"time_zone": me.time_zone}
    qid = request.GET.get("question") or request.POST.get("question")
    if qid and str(qid).isdigit():
        source = conversations.conversation_get(viewer=me, pk=int(qid))
        initial.update(title=source.title, need=source.body)
    form = RequestForm(
        _posted(request), initial=initial, skills=Skill.objects.all()
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            r = services.request_create(
                actor=me,
                community=c,
                title=d["title"],
                need=d["need"],
                skills=d["skills"],
                format=d["format"],
                urgency=d["urgency"],
                windows_=d["windows"],
                time_zone=d["time_zone"],
                source=source,
            )
        except ValidationError as exc:
            _errors_onto(form, exc, {"source": "title"})
        else:
            messages.success(
                request,
                "Your request is open: a coordinator will match you with "
                "someone, and you will be asked to accept.",
            )
            return redirect("mentoring:request", pk=r.pk)
    return render(
        request,
        "mentoring/form.html",
        {
            "community": c,
            "form": form,
            "source": source,
            "heading": f"Ask for help in {c.name}",
        },
    )


@login_required
@refusals
def request_detail(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    r = selectors.request_get(viewer=me, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                services.request_close(
                    actor=me, request=r, reason=request.POST.get("reason", "")
                )
                messages.success(request, "Closed.")
            elif request.POST.get("action") == "volunteer":
                o = HelpOffer.objects.filter(
                    person=me, community=r.community
                ).first()
                if o is None:
                    raise ValidationError(
                        "Offer help in this community first."
                    )
                services.match_propose(actor=me, offer=o, request=r)
                messages.success(
                    request,
                    f"Proposed: {r.requester.name} will be asked to accept.",
                )
            return redirect("mentoring:request", pk=r.pk)
        except ValidationError as exc:
            error = _flat(exc)
    matches = list(
        Match.objects.filter(request=r)
        .select_related("helper", "requester", "community", "mentorship")
        .order_by("-created_at")
    )
    return render(
        request,
        "mentoring/request.html",
        {
            "r": r,
            "matches": [m for m in matches if access.can(me, "view", m)],
            "may_edit": access.can(me, "edit", r),
            "error": error,
            "has_offer": HelpOffer.objects.filter(
                person=me, community=r.community, active=True
            )
            .exclude(person=r.requester)
            .exists(),
        },
    )


# --- my help -----------------------------------------------------------------


@login_required
@refusals
@require_GET
def mine(request: Request) -> HttpResponse:
    me = _me(request)
    return render(
        request,
        "mentoring/mine.html",
        {"my": selectors.my_help(viewer=me)},
    )


def _match_card(request: Request, m: Match, error: str = "") -> HttpResponse:
    return render(
        request,
        "mentoring/_match.html",
        {"m": m, "error": error, "me": request.user},
    )


@login_required
@refusals
@require_POST
def match_answer(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    m = selectors.match_get(viewer=me, pk=pk)
    accept = request.POST.get("accept") == "1"
    error = ""
    try:
        services.match_answer(actor=me, match=m, accept=accept)
    except ValidationError as exc:
        error = _flat(exc)
    m = selectors.match_get(viewer=me, pk=pk)
    if _fragment(request):
        return _match_card(request, m, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Accepted." if accept else "Declined.")
    return redirect(_back(request, reverse("mentoring:mine")))


@login_required
@refusals
@require_POST
def match_confirm(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    m = selectors.match_get(viewer=me, pk=pk)
    error = ""
    try:
        services.match_confirm(actor=me, match=m)
    except ValidationError as exc:
        error = _flat(exc)
    m = selectors.match_get(viewer=me, pk=pk)
    if _fragment(request):
        return _match_card(request, m, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Confirmed: thank you for helping.")
    return redirect(_back(request, reverse("mentoring:mine")))


# --- the coordinator's board ---------------------------------------------


@login_required
@refusals
@require_GET
def board(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    c = _community(me, slug, "match_help")
    crossing = request.GET.get("crossing") == "1"
    b = selectors.board(viewer=me, community=c, prefer_crossing=crossing)
    return render(
        request,
        "mentoring/board.html",
        {"community": c, "board": b, "crossing": crossing},
    )


@login_required
@refusals
@require_POST
def propose(request: Request, slug: str) -> HttpResponse:
    """Propose one pair (the board's row), or every suggested pair."""
    me = _me(request)
    c = _community(me, slug, "match_help")
    error, made = "", []
    try:
        pairs = []
        for value in request.POST.getlist("pair"):
            offer_id, _, request_id = value.partition(":")
            if not (offer_id.isdigit() and request_id.isdigit()):
                raise ValidationError("Choose a helper for the request.")
            o = HelpOffer.objects.filter(pk=offer_id, community=c).first()
            r = c.help_requests.filter(pk=request_id).first()
            if o is None or r is None:
                raise ValidationError("That offer or request is gone.")
            pairs.append((o, r))
        made = services.match_propose_many(actor=me, community=c, pairs=pairs)
    except ValidationError as exc:
        error = _flat(exc)
    if _fragment(request) and len(made) <= 1:
        return render(
            request,
            "mentoring/_proposed.html",
            {"m": made[0] if made else None, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            f"Proposed {len(made)} match{'es' if len(made) != 1 else ''}: "
            "both people are asked to accept.",
        )
    return redirect("mentoring:board", slug=c.slug)


@login_required
@refusals
@require_POST
def adjust(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    m = selectors.match_get(viewer=me, pk=pk)
    try:
        o = HelpOffer.objects.get(
            pk=request.POST.get("offer", ""), community=m.community
        )
        services.match_adjust(actor=me, match=m, offer=o)
    except (ValidationError, HelpOffer.DoesNotExist, ValueError) as exc:
        msg = (
            _flat(exc)
            if isinstance(exc, ValidationError)
            else "Choose a helper."
        )
        messages.error(request, msg)
    else:
        messages.success(request, "Adjusted: the new helper is asked.")
    return redirect("mentoring:board", slug=m.community.slug)


# --- mentorships ---------------------------------------------------------


def _mentorship(request: Request, pk: int, **forms: Any) -> HttpResponse:
    page = selectors.mentorship_page(viewer=request.user, pk=pk)
    ms = page.mentorship
    context = {
        "page": page,
        "ms": ms,
        "checkin_form": CheckInForm(),
        "note_form": NoteForm(),
        "goals_form": GoalsForm(
            initial={"goals": ms.goals, "checkin_days": ms.checkin_days}
        ),
        "feedback_form": FeedbackForm(),
        "given": any(f.author_id == request.user.pk for f in page.feedback),
        "coordinator": access.can(request.user, "match_help", ms.community),
    }
    context.update(forms)
    status = 422 if forms else 200
    return render(request, "mentoring/mentorship.html", context, status=status)


@login_required
@refusals
def mentorship(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    if request.method != "POST":
        return _mentorship(request, pk)
    ms = selectors.mentorship_get(viewer=me, pk=pk)
    action = request.POST.get("action", "")
    form: Any
    done = {
        "checkin": "Check-in recorded; the next one is scheduled.",
        "note": "Note saved.",
        "goals": "Goals saved.",
        "end": "The mentorship has ended. Thank you for your feedback.",
        "feedback": "Thank you for your feedback.",
    }
    if action not in done:
        raise Http404("No such action.")
    form_class = {
        "checkin": CheckInForm,
        "note": NoteForm,
        "goals": GoalsForm,
        "end": FeedbackForm,
        "feedback": FeedbackForm,
    }[action]
    form = form_class(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "checkin":
                services.checkin_record(
                    actor=me, mentorship=ms, summary=d["summary"]
                )
            elif action == "note":
                services.note_add(
                    actor=me,
                    mentorship=ms,
                    body=d["body"],
                    private=d["private"],
                )
            elif action == "goals":
                services.mentorship_update(
                    actor=me,
                    mentorship=ms,
                    goals=d["goals"],
                    checkin_days=d["checkin_days"],
                )
            elif action == "end":
                services.mentorship_end(
                    actor=me,
                    mentorship=ms,
                    rating=d["rating"],
                    feedback=d["feedback"],
                )
            else:
                services.feedback_give(
                    actor=me,
                    mentorship=ms,
                    rating=d["rating"],
                    feedback=d["feedback"],
                )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, done[action])
            return redirect("mentoring:mentorship", pk=ms.pk)
    key = {"end": "feedback_form", "feedback": "feedback_form"}.get(
        action, f"{action}_form"
    )
    return _mentorship(request, pk, **{key: form})


# --- pathways ------------------------------------------------------------


@login_required
@refusals
def pathway(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    c = _community(me, slug)
    p = selectors.pathway_of(c)
    if p is not None:
        services.pathway_sync(pathway=p, people=[me.pk])
    view = selectors.pathway_view(viewer=me, community=c)
    return render(
        request,
        "mentoring/pathway.html",
        {
            "community": c,
            "view": view,
            "coordinator": access.can(me, "match_help", c),
        },
    )


@login_required
@refusals
@require_POST
def step_tick(request: Request, pk: int) -> HttpResponse:
    me = _me(request)
    step = (
        PathwayStep.objects.select_related("pathway__community")
        .filter(pk=pk)
        .first()
    )
    if step is None or not access.can(me, "view", step.pathway):
        raise Http404("No such step.")
    try:
        services.step_tick(actor=me, step=step)
    except ValidationError as exc:
        messages.error(request, _flat(exc))
    else:
        messages.success(request, f"Ticked: {step.title}.")
    return redirect("mentoring:pathway", slug=step.pathway.community.slug)


@login_required
@refusals
def pathway_edit(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    c = _community(me, slug, "match_help")
    p = selectors.pathway_of(c)
    initial: dict[str, Any] = {
        "title": f"Welcome to {c.name}",
        "steps": "read artifact:ID Read how we work\n"
        "introduce Introduce yourself\nask Ask a first question\n"
        "answer Answer a question\nattend Come to a session\n"
        "mentor Pair with a mentor",
    }
    if p is not None:
        initial = {
            "title": p.title,
            "description": p.description,
            "steps": steps_text(p.steps.all()),
            "stuck_days": p.stuck_days,
        }
    form = PathwayForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.pathway_save(
                actor=me,
                community=c,
                title=d["title"],
                description=d["description"],
                steps=form.step_list(),
                stuck_days=d["stuck_days"],
            )
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, "Pathway saved.")
            return redirect("mentoring:progress", slug=c.slug)
    return render(
        request,
        "mentoring/form.html",
        {"community": c, "form": form, "heading": f"Pathway of {c.name}"},
    )


@login_required
@refusals
def progress(request: Request, slug: str) -> HttpResponse:
    me = _me(request)
    c = _community(me, slug, "match_help")
    if request.method == "POST":
        person = User.objects.filter(
            pk=request.POST.get("person", "0")
        ).first()
        try:
            if person is None:
                raise ValidationError("Choose a person.")
            services.newcomer_promote(actor=me, community=c, person=person)
        except ValidationError as exc:
            messages.error(request, _flat(exc))
        else:
            messages.success(request, f"{person.name} is now a member.")
        return redirect("mentoring:progress", slug=c.slug)
    p = selectors.pathway_of(c)
    if p is not None:
        services.pathway_sync(pathway=p)
    return render(
        request,
        "mentoring/progress.html",
        {
            "community": c,
            "pathway": p,
            "rows": selectors.pathway_progress(c),
            "mentorships": selectors.mentorship_list(viewer=me, community=c),
            "active": MentorshipState.ACTIVE,
        },
    )
