"""Every write about communities and memberships."""

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from practica import access
from practica.accounts.models import Department, User
from practica.accounts.services import hash_token
from practica.communities.models import (
    Community,
    Invitation,
    Kind,
    Membership,
    Policy,
    Role,
    Status,
    Visibility,
)
from practica.core import activity, mail, text, validation

RESERVED_SLUGS = {"new", "mine", "api", "admin", "static", "media"}
MIN_STATEMENT = 20
STATEMENT_HELP = (
    "Tell the coordinators about your practice in this area (at least "
    f"{MIN_STATEMENT} characters): what you do, and for how long."
)


def _clean_slug(value: str, *, current: Community | None = None) -> str:
    slug = slugify(value or "")[:60].strip("-")
    if not slug:
        raise ValidationError(
            {"slug": "Slug needs letters or digits, e.g. 'safety-quality'."}
        )
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": f"'{slug}' is reserved: choose another slug."}
        )
    taken = Community.objects.filter(slug=slug)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise ValidationError(
            {
                "slug": f"The slug '{slug}' is already used by another "
                "community: choose another one."
            }
        )
    return slug


def _departments(values: list[Any]) -> list[Department]:
    wanted = {str(v) for v in values}
    found = list(Department.objects.filter(slug__in=wanted))
    missing = wanted - {d.slug for d in found}
    if missing:
        raise ValidationError(
            {
                "departments": "Unknown departments: "
                f"{', '.join(sorted(missing))}. Pick from the list."
            }
        )
    return found


def _apply(
    community: Community, fields: dict[str, Any]
) -> list[Department] | None:
    """Validate and set the editable fields (every error at once); return
    the departments to set, or None to leave them."""
    cleaned = validation.clean_fields(
        fields,
        {
            "name": lambda v: text.clean_line(v, field="name", max_length=120),
            "tagline": lambda v: text.clean_line(
                v, field="tagline", max_length=200
            ),
            "charter": lambda v: text.clean_markdown(v, field="charter"),
            "kind": lambda v: validation.choice(v, Kind, "kind"),
            "visibility": lambda v: validation.choice(
                v, Visibility, "visibility"
            ),
            "policy": lambda v: validation.choice(v, Policy, "policy"),
            "statement_prompt": lambda v: text.clean_line(
                v, field="statement_prompt", max_length=300, required=False
            ),
            "is_formal": bool,
            "members_propose_tags": bool,
            "slug": lambda v: _clean_slug(
                v, current=community if community.pk else None
            ),
            "departments": lambda v: None if v is None else _departments(v),
        },
    )
    departments = cleaned.pop("departments", None)
    for name, value in cleaned.items():
        setattr(community, name, value)
    community.charter_html = text.render_markdown(community.charter)
    return departments


@transaction.atomic
def community_create(
    *, creator: User, name: str, slug: str = "", tagline: str, **fields: Any
) -> Community:
    """Start a community; its creator becomes its first coordinator.

    Refuses a duplicate or reserved slug, an empty name or domain and
    unknown kinds, visibilities, policies or departments.
    """
    access.require(creator, "create_community")
    community = Community(created_by=creator)
    departments = _apply(
        community,
        {"name": name, "tagline": tagline, "slug": slug or name, **fields},
    )
    community.save()
    if departments:
        community.departments.set(departments)
    Membership.objects.create(
        user=creator,
        community=community,
        role=Role.COORDINATOR,
        status=Status.ACTIVE,
        joined_at=timezone.now(),
    )
    _recount(community)
    access.forget(creator)
    activity.record(
        actor=creator,
        verb="community.created",
        target=community,
        community_id=community.pk,
        summary=community.name,
    )
    return community


@transaction.atomic
def community_update(
    *, actor: User, community: Community, **fields: Any
) -> Community:
    """Change a community's charter and settings (coordinators only)."""
    access.require(actor, "edit", community)
    departments = _apply(community, fields)
    community.version = F("version") + 1
    community.save()
    community.refresh_from_db()
    if departments is not None:
        community.departments.set(departments)
    activity.record(
        actor=actor,
        verb="community.updated",
        target=community,
        community_id=community.pk,
        summary=community.name,
    )
    return community


def members_recount(*, community_ids: Iterable[int]) -> None:
    """Set the member and pending counts of these communities from their
    memberships (after a cascade removed some: a deleted account's)."""
    for community in Community.objects.filter(pk__in=set(community_ids)):
        _recount(community)


def _recount(community: Community) -> None:
    counts = Membership.objects.filter(community=community).aggregate(
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
        pending=Count("pk", filter=Q(status=Status.PENDING)),
    )
    Community.objects.filter(pk=community.pk).update(
        member_count=counts["active"],
        pending_count=counts["pending"],
        version=F("version") + 1,
    )
    community.refresh_from_db(
        fields=["member_count", "pending_count", "version"]
    )


def _locked_membership(user: User, community: Community) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(user=user, community=community)
        .first()
    )


@transaction.atomic
def community_join(
    *, user: User, community: Community, practice_statement: str = ""
) -> Membership:
    """Join an open community, or ask to join one that needs approval.

    Joining twice returns the existing membership. Refuses an invitation-
    only community and, where approval is needed, a practice statement of
    fewer than 20 characters.
    """
    access.require(user, "join", community)
    existing = _locked_membership(user, community)
    if existing is not None and existing.status in (
        Status.ACTIVE,
        Status.PENDING,
    ):
        return existing
    statement = ""
    if community.policy == Policy.APPROVAL:
        statement = text.clean_markdown(
            practice_statement, field="practice_statement", max_length=3000
        )
        if len(statement) < MIN_STATEMENT:
            raise ValidationError({"practice_statement": STATEMENT_HELP})
    membership = existing or Membership(user=user, community=community)
    membership.practice_statement = statement
    membership.reason = ""
    membership.decided_by = None
    membership.decided_at = None
    if community.policy == Policy.OPEN:
        membership.status = Status.ACTIVE
        membership.role = Role.MEMBER
        membership.joined_at = timezone.now()
        verb = "membership.joined"
    else:
        membership.status = Status.PENDING
        membership.role = Role.NEWCOMER
        verb = "membership.requested"
    membership.save()
    _recount(community)
    access.forget(user)
    activity.record(
        actor=user,
        verb=verb,
        target=membership,
        community_id=community.pk,
        summary=user.name,
    )
    return membership


def _pending(membership: Membership) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != Status.PENDING:
        status = locked.get_status_display().lower()
        raise ValidationError(f"This request was already decided: {status}.")
    return locked


@transaction.atomic
def membership_approve(
    *, actor: User, membership: Membership, role: str = Role.NEWCOMER
) -> Membership:
    """Admit a pending member, by default as a newcomer.

    Refuses non-coordinators and requests already decided.
    """
    access.require(actor, "moderate", membership.community)
    validation.choice(role, Role, "role")
    m = _pending(membership)
    m.status = Status.ACTIVE
    m.role = role
    m.decided_by = actor
    m.decided_at = m.joined_at = timezone.now()
    m.save()
    _recount(m.community)
    access.forget(m.user)
    activity.record(
        actor=actor,
        verb="membership.approved",
        target=m,
        community_id=m.community_id,
        summary=m.user.name,
    )
    return m


@transaction.atomic
def membership_decline(
    *, actor: User, membership: Membership, reason: str
) -> Membership:
    """Decline a join request with a reason the person will read.

    Refuses an empty reason, non-coordinators and decided requests.
    """
    access.require(actor, "moderate", membership.community)
    reason = text.clean_line(reason, field="reason", max_length=500)
    m = _pending(membership)
    m.status = Status.DECLINED
    m.reason = reason
    m.decided_by = actor
    m.decided_at = timezone.now()
    m.save()
    _recount(m.community)
    activity.record(
        actor=actor,
        verb="membership.declined",
        target=m,
        community_id=m.community_id,
        summary=m.user.name,
    )
    return m


def _refuse_last_coordinator(m: Membership, doing: str) -> None:
    if m.role != Role.COORDINATOR or m.status != Status.ACTIVE:
        return
    others = (
        Membership.objects.select_for_update()
        .filter(
            community_id=m.community_id,
            role=Role.COORDINATOR,
            status=Status.ACTIVE,
        )
        .exclude(pk=m.pk)
    )
    if not others.exists():
        raise ValidationError(
            f"{m.user.name} is the last coordinator of "
            f"{m.community.name}: make someone else coordinator before "
            f"{doing}."
        )


@transaction.atomic
def membership_set_role(
    *, actor: User, membership: Membership, role: str
) -> Membership:
    """Change an active member's role (coordinators only).

    Refuses an unknown role, an inactive membership and demoting the last
    coordinator.
    """
    access.require(actor, "moderate", membership.community)
    validation.choice(role, Role, "role")
    m = Membership.objects.select_for_update().get(pk=membership.pk)
    if m.status != Status.ACTIVE:
        raise ValidationError(
            {
                "role": "Only active members have a role; this membership is "
                f"{m.get_status_display().lower()}."
            }
        )
    if role != Role.COORDINATOR:
        _refuse_last_coordinator(m, "changing this role")
    old, m.role = m.role, role
    m.save(update_fields=["role", "updated_at"])
    _recount(m.community)
    activity.record(
        actor=actor,
        verb="membership.role_changed",
        target=m,
        community_id=m.community_id,
        summary=m.user.name,
        data={"from": old, "to": role},
    )
    return m


@transaction.atomic
def membership_remove(
    *, actor: User, membership: Membership, reason: str
) -> Membership:
    """Remove a member, with a reason (coordinators only).

    Refuses an empty reason and removing the last coordinator.
    """
    access.require(actor, "moderate", membership.community)
    reason = text.clean_line(reason, field="reason", max_length=500)
    m = Membership.objects.select_for_update().get(pk=membership.pk)
    if m.status != Status.ACTIVE:
        raise ValidationError("This person is not an active member.")
    _refuse_last_coordinator(m, "removing them")
    m.status = Status.REMOVED
    m.reason = reason
    m.decided_by = actor
    m.decided_at = timezone.now()
    m.save()
    _recount(m.community)
    access.forget(m.user)
    activity.record(
        actor=actor,
        verb="membership.removed",
        target=m,
        community_id=m.community_id,
        summary=m.user.name,
    )
    return m


@transaction.atomic
def community_leave(*, user: User, community: Community) -> Membership:
    """Leave a community, or withdraw a pending request.

    Refuses the last coordinator, who must hand over first.
    """
    m = _locked_membership(user, community)
    if m is None or m.status not in (Status.ACTIVE, Status.PENDING):
        raise ValidationError("You are not a member of this community.")
    _refuse_last_coordinator(m, "leaving")
    m.status = Status.LEFT
    m.save(update_fields=["status", "updated_at"])
    _recount(community)
    access.forget(user)
    activity.record(
        actor=user,
        verb="membership.left",
        target=m,
        community_id=community.pk,
        summary=user.name,
    )
    return m


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    community: Community,
    email: str,
    role: str = Role.MEMBER,
    message: str = "",
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and its raw token.

    Refuses a malformed address, people who are already members, and
    anyone who is neither coordinator nor core member. Only coordinators
    may invite into the core or coordinator roles.
    """
    access.require(actor, "invite", community)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {
                "email": f"'{email}' is not an email address: write it as "
                "name@example.org."
            }
        ) from None
    validation.choice(role, Role, "role")
    if role in (Role.COORDINATOR, Role.CORE) and not access.can(
        actor, "moderate", community
    ):
        raise PermissionDenied(
            "Only coordinators can invite people as core members or "
            "coordinators."
        )
    if Membership.objects.filter(
        community=community, user__email=email, status=Status.ACTIVE
    ).exists():
        raise ValidationError(
            {"email": f"{email} is already a member of {community.name}."}
        )
    message = text.clean_line(
        message, field="message", max_length=500, required=False
    )
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        community=community,
        email=email,
        role=role,
        message=message,
        token_hash=hash_token(raw),
        invited_by=actor,
        expires_at=timezone.now()
        + timedelta(days=settings.PRACTICA_INVITATION_DAYS),
    )
    link = settings.SITE_URL + reverse("communities:invitation", args=[raw])
    body = (
        f"{actor.name} invites you to join {community.name} on "
        f"Practica.\n\n{community.tagline}\n\n"
        + (f"“{message}”\n\n" if message else "")
        + f"Accept the invitation: {link}\n\nThe link works until "
        f"{invitation.expires_at:%d %B %Y}.\n"
    )
    transaction.on_commit(
        lambda: mail.send(
            to=[email], subject=f"Invitation to {community.name}", text=body
        )
    )
    activity.record(
        actor=actor,
        verb="invitation.created",
        target=invitation,
        community_id=community.pk,
        summary=email,
    )
    return invitation, raw


def invitation_find(raw: str) -> Invitation:
    """The invitation behind a raw token, or a clear refusal."""
    invitation = (
        Invitation.objects.select_related("community", "invited_by")
        .filter(token_hash=hash_token(raw or ""))
        .first()
    )
    if invitation is None:
        raise ValidationError(
            {
                "token": "This invitation link is not valid: check that you "
                "copied all of it, or ask for a new invitation."
            }
        )
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, raw_token: str) -> Membership:
    """Accept an invitation and become an active member.

    Refuses an unknown, expired or already used token, and an invitation
    addressed to another email address.
    """
    invitation = invitation_find(raw_token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            {
                "token": "This invitation was already used. Ask a coordinator "
                "for a new one if you are not a member yet."
            }
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            {
                "token": f"This invitation expired on "
                f"{invitation.expires_at:%d %B %Y}: ask a coordinator of "
                f"{invitation.community.name} for a new one."
            }
        )
    if invitation.email != user.email.lower():
        raise ValidationError(
            {
                "token": f"This invitation was sent to {invitation.email}; "
                f"you are signed in as {user.email}. Sign in with that "
                "address to accept it."
            }
        )
    community = invitation.community
    m = _locked_membership(user, community) or Membership(
        user=user, community=community
    )
    if m.status != Status.ACTIVE or access.rank(invitation.role) > access.rank(
        m.role
    ):
        m.role = invitation.role
    m.status = Status.ACTIVE
    m.joined_at = m.joined_at or timezone.now()
    m.decided_by = invitation.invited_by
    m.decided_at = timezone.now()
    m.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _recount(community)
    access.forget(user)
    activity.record(
        actor=user,
        verb="invitation.accepted",
        target=m,
        community_id=community.pk,
        summary=user.name,
    )
    return m
