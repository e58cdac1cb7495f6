"""Every write about the repertoire: create, edit with revisions and
optimistic locking, revert, verify, retire, capture, attach, mark."""

import mimetypes
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from practica import access
from practica.accounts.models import User
from practica.communities.models import Community
from practica.communities.models import Status as MemberStatus
from practica.conversations.models import Conversation
from practica.conversations.services import resolve_tags
from practica.core import activity, text, validation
from practica.repertoire.models import (
    Artifact,
    ArtifactRevision,
    Attachment,
    Helped,
    Kind,
    Status,
)

MIN_REVIEW_DAYS, MAX_REVIEW_DAYS = 1, 730
# Documents, images and data; nothing a browser would run (no HTML, SVG).
_EXTENSIONS = (
    ".pdf .png .jpg .jpeg .gif .webp .txt .md .csv .json .yaml .yml "
    ".docx .xlsx .pptx .odt .ods .odp .zip"
)
ALLOWED_EXTENSIONS = frozenset(_EXTENSIONS.split())


class EditConflict(ValidationError):
    """Someone saved the artifact after this editor started."""

    def __init__(self, artifact: Artifact, base: int):
        self.artifact = artifact
        self.base = base
        super().__init__(
            {
                "revision": (
                    f"Someone else saved revision {artifact.revision} while "
                    f"you were editing revision {base}. Compare the "
                    "changes, merge them into your text and save again."
                )
            }
        )


def _review_days(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if not MIN_REVIEW_DAYS <= days <= MAX_REVIEW_DAYS:
        raise ValidationError(
            {
                "review_days": f"The verification interval must be "
                f"{MIN_REVIEW_DAYS} to {MAX_REVIEW_DAYS} days; got {value}."
            }
        )
    return days


def _title(value: str) -> str:
    return text.clean_line(value, field="title", max_length=200)


def _body(value: str) -> str:
    return text.clean_markdown(
        value, field="body", max_length=100_000, required=True
    )


def _owners(community: Community, people: list[User]) -> list[User]:
    active = set(
        community.memberships.filter(
            status=MemberStatus.ACTIVE, user__in=people
        ).values_list("user_id", flat=True)
    )
    outside = [p.name for p in people if p.pk not in active]
    if outside:
        raise ValidationError(
            {
                "owners": f"Owners must be members of {community.name}: "
                f"{', '.join(outside)} is not."
            }
        )
    if not people:
        raise ValidationError({"owners": "An artifact needs an owner."})
    return people


def _revise(artifact: Artifact, author: User, message: str) -> None:
    ArtifactRevision.objects.create(
        artifact=artifact,
        number=artifact.revision,
        author=author,
        title=artifact.title,
        body=artifact.body,
        message=message,
    )


def _set_tags(artifact: Artifact, tags: list[Any]) -> None:
    artifact.tags.set(tags)
    artifact.tag_names = [t.name for t in tags]


def _touch_replacements(*pks: int | None) -> None:
    """Bump the version of the artifacts that list ``a`` under
    "Replaces": their pages show its title and hide it while it is a
    draft, so a change to either, or to what replaces it, shows there at
    once."""
    wanted = [pk for pk in pks if pk is not None]
    if wanted:
        Artifact.objects.filter(pk__in=wanted).update(version=F("version") + 1)


def _record(actor: User, verb: str, a: Artifact, **data: Any) -> None:
    activity.record(
        actor=actor,
        verb=verb,
        target=a,
        community_id=a.community_id,
        summary=a.title,
        data=data,
    )


@transaction.atomic
def artifact_create(
    *,
    author: User,
    community: Community,
    title: str,
    body: str,
    kind: str = Kind.BEST_PRACTICE,
    tags: list[str] | None = None,
    status: str = Status.DRAFT,
    owners: list[User] | None = None,
    review_days: Any = None,
    source: Any = None,
    credits: list[User] | None = None,
    message: str = "Created",
) -> Artifact:
    """Add an artifact to a community's repertoire; the author owns it
    unless owners are given.

    Refuses non-members, an empty title or body, an unknown kind or
    status, a verification interval outside 1..730 days, owners who are
    not members and tags outside the community's policy.
    """
    access.require(author, "participate", community)
    cleaned = validation.clean_all(
        {
            "title": lambda: _title(title),
            "body": lambda: _body(body),
            "kind": lambda: validation.choice(kind, Kind, "kind"),
            "status": lambda: validation.choice(status, Status, "status"),
            "review_days": lambda: _review_days(review_days),
            "owners": lambda: _owners(community, owners or [author]),
            "tags": lambda: resolve_tags(
                actor=author, community=community, names=tags or []
            ),
        }
    )
    found_tags = cleaned.pop("tags")
    owner_list = cleaned.pop("owners")
    artifact = Artifact(
        community=community,
        created_by=author,
        body_html=text.render_markdown(cleaned["body"]),
        **cleaned,
    )
    if source is not None:
        artifact.source_type = ContentType.objects.get_for_model(source)
        artifact.source_id = source.pk
        artifact.source_title = str(source)[:200]
    artifact.save()
    artifact.owners.set(owner_list)
    if credits:
        artifact.credits.set(credits)
    _set_tags(artifact, found_tags)
    artifact.save(update_fields=["tag_names"])
    _revise(artifact, author, message)
    _record(author, "artifact.created", artifact, kind=artifact.kind)
    return artifact


def _locked(artifact: Artifact) -> Artifact:
    return (
        Artifact.objects.select_for_update()
        .select_related("community")
        .get(pk=artifact.pk)
    )


@transaction.atomic
def artifact_edit(
    *,
    actor: User,
    artifact: Artifact,
    base_revision: int,
    title: str,
    body: str,
    tags: list[str] | None = None,
    kind: str | None = None,
    message: str = "",
) -> Artifact:
    """Save a new revision of an artifact.

    ``base_revision`` is the revision the editor started from; if someone
    saved since, nothing is written and :class:`EditConflict` says so.
    Refuses people who may not edit and the same bad input as creating.
    """
    a = _locked(artifact)
    access.require(actor, "edit", a)
    if base_revision != a.revision:
        raise EditConflict(a, base_revision)
    cleaned = validation.clean_all(
        {
            "title": lambda: _title(title),
            "body": lambda: _body(body),
            "kind": lambda: validation.choice(kind or a.kind, Kind, "kind"),
            "message": lambda: text.clean_line(
                message, field="message", max_length=200, required=False
            ),
            "tags": lambda: resolve_tags(
                actor=actor,
                community=a.community,
                names=list(a.tag_names) if tags is None else tags,
            ),
        }
    )
    if (cleaned["title"], cleaned["body"], cleaned["kind"]) == (
        a.title,
        a.body,
        a.kind,
    ) and [t.name for t in cleaned["tags"]] == a.tag_names:
        return a
    a.title, a.body, a.kind = (
        cleaned["title"],
        cleaned["body"],
        cleaned["kind"],
    )
    a.body_html = text.render_markdown(a.body)
    _set_tags(a, cleaned["tags"])
    a.revision += 1
    a.version += 1
    a.save()
    _touch_replacements(a.replaced_by_id)
    _revise(a, actor, cleaned["message"] or "Edited")
    _record(actor, "artifact.edited", a, revision=a.revision)
    return a


@transaction.atomic
def artifact_revert(
    *, actor: User, artifact: Artifact, revision: ArtifactRevision
) -> Artifact:
    """Bring back an earlier revision's text, as a new revision.

    Refuses a revision of another artifact and people who may not edit.
    """
    a = _locked(artifact)
    access.require(actor, "edit", a)
    if revision.artifact_id != a.pk:
        raise ValidationError(
            {
                "revision": "That revision belongs to another artifact: pick "
                "one from this artifact's history."
            }
        )
    a.title, a.body = revision.title, revision.body
    a.body_html = text.render_markdown(a.body)
    a.revision += 1
    a.version += 1
    a.save()
    _touch_replacements(a.replaced_by_id)
    _revise(a, actor, f"Reverted to revision {revision.number}")
    _record(actor, "artifact.reverted", a, to=revision.number)
    return a


@transaction.atomic
def artifact_set_status(
    *, actor: User, artifact: Artifact, status: str
) -> Artifact:
    """Publish, archive or return an artifact to draft.

    Refuses an unknown status and people who may not edit.
    """
    a = _locked(artifact)
    access.require(actor, "edit", a)
    a.status = validation.choice(status, Status, "status")
    a.version += 1
    a.save(update_fields=["status", "version", "updated_at"])
    _touch_replacements(a.replaced_by_id)
    _record(actor, f"artifact.{a.status}", a)
    return a


@transaction.atomic
def artifact_set_owners(
    *, actor: User, artifact: Artifact, owners: list[User]
) -> Artifact:
    """Replace the owners (at least one, all members of the community)."""
    a = _locked(artifact)
    access.require(actor, "edit", a)
    a.owners.set(_owners(a.community, owners))
    Artifact.objects.filter(pk=a.pk).update(version=F("version") + 1)
    _record(actor, "artifact.owners_changed", a)
    return a


@transaction.atomic
def artifact_verify(
    *, actor: User, artifact: Artifact, days: Any = None
) -> Artifact:
    """Vouch that an artifact is right, for ``days`` (default: the
    artifact's interval, else the community's).

    Refuses people who are neither owners nor coordinators and an
    interval outside 1..730 days.
    """
    a = _locked(artifact)
    access.require(actor, "verify", a)
    interval = _review_days(days) or a.review_days or a.community.review_days
    now = timezone.now()
    a.verified_at, a.verified_by = now, actor
    a.verified_until = now + timedelta(days=interval)
    if days not in (None, ""):
        a.review_days = interval
    a.version += 1
    a.save()
    _record(actor, "artifact.verified", a, days=interval)
    return a


@transaction.atomic
def artifact_mark_obsolete(
    *,
    actor: User,
    artifact: Artifact,
    reason: str,
    replaced_by: Artifact | None = None,
) -> Artifact:
    """Mark an artifact obsolete, optionally pointing to its replacement.

    Refuses an empty reason, a replacement in another community or the
    artifact itself, and people who may not edit.
    """
    a = _locked(artifact)
    access.require(actor, "edit", a)
    reason = text.clean_line(reason, field="reason", max_length=300)
    if replaced_by is not None and (
        replaced_by.pk == a.pk or replaced_by.community_id != a.community_id
    ):
        raise ValidationError(
            {
                "replaced_by": "The replacement must be another artifact of "
                "the same community."
            }
        )
    before = a.replaced_by_id
    a.obsolete, a.obsolete_reason, a.replaced_by = True, reason, replaced_by
    a.version += 1
    a.save()
    _touch_replacements(before, a.replaced_by_id)
    _record(actor, "artifact.obsoleted", a)
    return a


@transaction.atomic
def artifact_restore(*, actor: User, artifact: Artifact) -> Artifact:
    """Take back "obsolete": the artifact reads as current again, without
    the banner, its reason or the link to a replacement.

    Refuses an artifact that is not obsolete and people who may not edit.
    """
    a = _locked(artifact)
    access.require(actor, "edit", a)
    if not a.obsolete:
        raise ValidationError(
            f"“{a.title}” is not marked obsolete: there is nothing to restore."
        )
    before = a.replaced_by_id
    a.obsolete, a.obsolete_reason, a.replaced_by = False, "", None
    a.version += 1
    a.save(
        update_fields=[
            "obsolete",
            "obsolete_reason",
            "replaced_by",
            "version",
            "updated_at",
        ]
    )
    _touch_replacements(before)
    _record(actor, "artifact.restored", a)
    return a


@transaction.atomic
def artifact_capture(*, actor: User, conversation: Conversation) -> Artifact:
    """Turn a solved question into a draft best practice, prefilled from
    the question and its accepted answer, crediting the answerer and
    linking back to the question.

    Refuses questions without an accepted answer, questions already
    captured (naming the artifact when the actor may see it) and
    non-members.
    """
    c = Conversation.objects.select_related(
        "community", "accepted_reply__author"
    ).get(pk=conversation.pk)
    access.require(actor, "participate", c.community)
    earlier = (
        Artifact.objects.filter(
            source_type=ContentType.objects.get_for_model(Conversation),
            source_id=c.pk,
        )
        .prefetch_related("owners")
        .select_related("community")
        .first()
    )
    if earlier is not None:
        where = (
            f"as “{earlier.title}” (/r/{earlier.pk}/)"
            if access.can(actor, "view", earlier)
            else "as a draft its owners are still writing"
        )
        raise ValidationError(
            {"conversation": f"This question was already captured {where}."}
        )
    reply = c.accepted_reply
    if reply is None:
        raise ValidationError(
            {
                "conversation": "Only a solved question can be captured: "
                "accept an answer first."
            }
        )
    answerer = reply.author
    credit = f"*Answer by {answerer.name}*" if answerer else ""
    if answerer and reply.experience:
        credit += f" — {reply.experience}"
    body = (
        f"## Problem\n\n{c.body}\n\n## What worked\n\n{reply.body}\n\n"
        f"{credit}\n"
    )
    return artifact_create(
        author=actor,
        community=c.community,
        title=c.title,
        body=body,
        kind=Kind.BEST_PRACTICE,
        tags=list(c.tag_names),
        status=Status.DRAFT,
        source=c,
        credits=[answerer] if answerer else [],
        message="Captured from a solved question",
    )


def _check_file(upload: UploadedFile) -> tuple[str, str]:
    name = PurePath(upload.name or "file").name[:200]
    ext = PurePath(name).suffix.lower()
    limit = settings.PRACTICA_ATTACHMENT_MAX_BYTES
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "file": f"{name} is {size / 1_048_576:.1f} MB; files "
                f"may be at most {limit / 1_048_576:.0f} MB."
            }
        )
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            {
                "file": f"{name}: files of type '{ext or 'none'}' are not "
                "accepted. Use one of "
                f"{', '.join(sorted(ALLOWED_EXTENSIONS))}."
            }
        )
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return name, content_type


@transaction.atomic
def attachment_add(
    *, actor: User, artifact: Artifact, upload: UploadedFile
) -> Attachment:
    """Attach a file to an artifact.

    Refuses files over the size limit or of a type outside the allow-list,
    and people who may not edit the artifact.
    """
    a = _locked(artifact)
    access.require(actor, "edit", a)
    name, content_type = _check_file(upload)
    attachment = Attachment(
        artifact=a,
        name=name,
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    Artifact.objects.filter(pk=a.pk).update(version=F("version") + 1)
    _record(actor, "artifact.attached", a, file=name)
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """Remove a file (people who may edit the artifact)."""
    access.require(actor, "edit", attachment.artifact)
    path, storage = attachment.file.name or "", attachment.file.storage
    artifact, name = attachment.artifact, attachment.name
    attachment.delete()
    Artifact.objects.filter(pk=artifact.pk).update(version=F("version") + 1)
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(path))
    _record(actor, "artifact.detached", artifact, file=name)


@transaction.atomic
def artifact_helped(
    *, user: User, artifact: Artifact, helped: bool = True
) -> Artifact:
    """Mark (or unmark) "this helped me"; marking twice changes nothing.

    Refuses people who cannot see it and owners marking their own.
    """
    access.require(user, "view", artifact)
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to say this helped you.")
    if any(o.pk == user.pk for o in artifact.owners.all()):
        raise ValidationError("You own this artifact.")
    if helped:
        try:
            with transaction.atomic():
                Helped.objects.create(user=user, artifact=artifact)
        except IntegrityError:
            return artifact
        delta = 1
    else:
        deleted, _ = Helped.objects.filter(
            user=user, artifact=artifact
        ).delete()
        if not deleted:
            return artifact
        delta = -1
    Artifact.objects.filter(pk=artifact.pk).update(
        helped_count=F("helped_count") + delta, version=F("version") + 1
    )
    artifact.refresh_from_db(fields=["helped_count", "version"])
    if helped:
        _record(user, "artifact.helped", artifact)
    return artifact
