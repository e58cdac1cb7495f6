"""Every write about people: profiles, expertise, endorsements, tokens."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from practica import access
from practica.accounts.models import (
    AccessToken,
    Department,
    Endorsement,
    Expertise,
    Level,
    Skill,
    User,
)
from practica.core import activity, text, validation

TOKEN_PREFIX = "pra_"  # noqa: S105 - a marker, not a secret


@transaction.atomic
def profile_update(*, actor: User, person: User, **fields: Any) -> User:
    """Change a profile; only the fields given are touched.

    Refuses anyone but the person (or an operator), an unknown department,
    an invalid time zone and over-long values, naming the field.
    """
    access.require(actor, "edit", person)

    def line(name: str, limit: int, required: bool = False) -> Any:
        return lambda v: text.clean_line(
            v, field=name, max_length=limit, required=required
        )

    validation.apply(
        person,
        fields,
        {
            "display_name": line("display_name", 100, required=True),
            "pronouns": line("pronouns", 30),
            "job_title": line("job_title", 100),
            "location": line("location", 100),
            "help_note": line("help_note", 200),
            "time_zone": text.clean_time_zone,
            "introduction": lambda v: text.clean_markdown(
                v, field="introduction", max_length=5000
            ),
            "available_to_help": bool,
            "department": _department,
        },
    )
    person.introduction_html = text.render_markdown(person.introduction)
    person.save()
    activity.record(
        actor=actor, verb="profile.updated", target=person, summary=person.name
    )
    return person


def _department(value: Any) -> Department | None:
    if value in (None, ""):
        return None
    if isinstance(value, Department):
        return value
    dept = Department.objects.filter(slug=str(value)).first()
    if dept is None:
        raise ValidationError(
            {
                "department": f"There is no department '{value}': pick one "
                "from the list."
            }
        )
    return dept


def skill_get_or_create(*, name: str) -> Skill:
    """The skill with this name (case-insensitive), created if new."""
    name = text.clean_line(name, field="skill", max_length=80)
    slug = slugify(name)
    if not slug:
        raise ValidationError(
            {"skill": "Skill needs letters or digits, e.g. 'Terraform'."}
        )
    skill = Skill.objects.filter(slug=slug).first()
    if skill is None:
        skill, _ = Skill.objects.get_or_create(
            slug=slug, defaults={"name": name}
        )
    return skill


@transaction.atomic
def expertise_set(
    *, actor: User, person: User, skill: str, level: int, years: int
) -> Expertise:
    """Declare or change a person's expertise in a skill.

    Refuses a level outside novice..expert, years outside 0..70 and anyone
    but the person. Changing the level keeps endorsements but clears a
    coordinator's verification, which vouched for the old level.
    """
    access.require(actor, "edit", person)
    errors = {}
    if level not in Level.values:
        errors["level"] = (
            f"Level must be 1 (novice) to 5 (expert); got {level}."
        )
    if not 0 <= years <= 70:
        errors["years"] = f"Years of practice must be 0 to 70; got {years}."
    if errors:
        raise ValidationError(errors)
    found = skill_get_or_create(name=skill)
    expertise, created = Expertise.objects.get_or_create(
        user=person, skill=found, defaults={"level": level, "years": years}
    )
    if not created:
        if expertise.level != level:
            expertise.verified_by = None
            expertise.verified_at = None
        expertise.level = level
        expertise.years = years
        expertise.save()
    activity.record(
        actor=actor,
        verb="expertise.set",
        target=expertise,
        summary=f"{person.name}: {found.name}",
    )
    return expertise


@transaction.atomic
def expertise_remove(*, actor: User, expertise: Expertise) -> None:
    """Remove a declared expertise; only its owner (or an operator)."""
    access.require(actor, "edit", expertise.user)
    activity.record(
        actor=actor,
        verb="expertise.removed",
        target=expertise.user,
        summary=expertise.skill.name,
    )
    expertise.delete()


@transaction.atomic
def expertise_endorse(*, actor: User, expertise: Expertise) -> Expertise:
    """Endorse someone's expertise; endorsing twice changes nothing.

    Refuses endorsing your own expertise.
    """
    access.require(actor, "endorse", expertise)
    try:
        with transaction.atomic():
            Endorsement.objects.create(expertise=expertise, endorser=actor)
    except IntegrityError:
        return expertise
    Expertise.objects.filter(pk=expertise.pk).update(
        endorsement_count=F("endorsement_count") + 1
    )
    expertise.refresh_from_db(fields=["endorsement_count"])
    activity.record(
        actor=actor,
        verb="expertise.endorsed",
        target=expertise,
        summary=f"{expertise.user.name}: {expertise.skill.name}",
    )
    return expertise


@transaction.atomic
def expertise_withdraw_endorsement(
    *, actor: User, expertise: Expertise
) -> Expertise:
    """Take back an endorsement; nothing happens if there was none."""
    deleted, _ = Endorsement.objects.filter(
        expertise=expertise, endorser=actor
    ).delete()
    if deleted:
        Expertise.objects.filter(pk=expertise.pk).update(
            endorsement_count=F("endorsement_count") - 1
        )
        expertise.refresh_from_db(fields=["endorsement_count"])
    return expertise


def endorsements_recount(*, expertise_ids: Iterable[int]) -> None:
    """Set these expertise rows' endorsement counts from their
    endorsements (one update)."""
    ids = list(expertise_ids)
    if not ids:
        return
    n = (
        Endorsement.objects.filter(expertise_id=OuterRef("pk"))
        .order_by()
        .values("expertise_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    Expertise.objects.filter(pk__in=ids).update(
        endorsement_count=Coalesce(Subquery(n[:1]), 0)
    )


# An account deleted (in the admin, or by an operator) takes its
# endorsements and memberships with it by cascade, which no service
# sees: the counts on what it endorsed and on its communities are set
# again once the rows are gone. Connected in
# AccountsConfig.ready.
_ENDORSED = "_practica_endorsed"
_MEMBER_OF = "_practica_member_of"


def before_user_delete(sender: Any, instance: User, **kwargs: Any) -> None:
    from practica.communities.models import Membership

    setattr(
        instance,
        _ENDORSED,
        list(
            Endorsement.objects.filter(endorser_id=instance.pk)
            .exclude(expertise__user_id=instance.pk)
            .values_list("expertise_id", flat=True)
        ),
    )
    setattr(
        instance,
        _MEMBER_OF,
        list(
            Membership.objects.filter(user_id=instance.pk).values_list(
                "community_id", flat=True
            )
        ),
    )


def after_user_delete(sender: Any, instance: User, **kwargs: Any) -> None:
    from practica.communities.services import members_recount

    endorsements_recount(expertise_ids=getattr(instance, _ENDORSED, ()))
    members_recount(community_ids=getattr(instance, _MEMBER_OF, ()))


@transaction.atomic
def expertise_verify(
    *, actor: User, expertise: Expertise, verified: bool = True
) -> Expertise:
    """A coordinator vouches for (or withdraws) a member's expertise.

    Refuses anyone who does not coordinate a community the person is in.
    """
    access.require(actor, "verify", expertise)
    expertise.verified_by = actor if verified else None
    expertise.verified_at = timezone.now() if verified else None
    expertise.save(update_fields=["verified_by", "verified_at", "updated_at"])
    activity.record(
        actor=actor,
        verb="expertise.verified" if verified else "expertise.unverified",
        target=expertise,
        summary=f"{expertise.user.name}: {expertise.skill.name}",
    )
    return expertise


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, actor: User, name: str, expires_at: datetime | None = None
) -> tuple[AccessToken, str]:
    """A new personal access token; the raw value is returned only now.

    Refuses an empty name and an expiry in the past.
    """
    name = text.clean_line(name, field="name", max_length=80)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            {
                "expires_at": "The expiry is in the past: pick a future date "
                "or leave it empty for a token that does not expire."
            }
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=actor,
        name=name,
        prefix=raw[:12],
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    activity.record(
        actor=actor, verb="token.created", target=token, summary=name
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: AccessToken) -> AccessToken:
    """Revoke one of your tokens; revoking twice changes nothing."""
    if token.user_id != actor.pk:
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        activity.record(
            actor=actor, verb="token.revoked", target=token, summary=token.name
        )
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, stamping its last use."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    # Write the last-use stamp at most once a minute per token.
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > 60
    ):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
