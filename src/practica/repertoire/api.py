"""The repertoire API: artifacts, their history, review, capture from
solved questions, files and "this helped me" marks.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from ninja import File, Router, Status, UploadedFile

from practica.accounts.models import User
from practica.api.auth import OPTIONAL, OPTIONAL_EXTRA, actor, viewer
from practica.api.pagination import Cursor, cursor_guard
from practica.api.params import FromRevision, ToRevision
from practica.api.problems import ProblemError, problems
from practica.communities import selectors as communities
from practica.conversations import selectors as conversations
from practica.core.pagination import Page
from practica.repertoire import selectors, services
from practica.repertoire.models import (
    Artifact,
    ArtifactRevision,
    Attachment,
    Freshness,
    Kind,
)
from practica.repertoire.models import Status as ArtifactStatus
from practica.repertoire.schemas import (
    ArtifactDetailOut,
    ArtifactDiffOut,
    ArtifactIn,
    ArtifactOut,
    ArtifactPageOut,
    ArtifactPatch,
    ArtifactRevisionOut,
    AttachmentOut,
    CapturedOut,
    CurrentOut,
    EditConflictOut,
    GlossaryLetterOut,
    HelpedOut,
    ObsoleteIn,
    OwnersIn,
    RevertIn,
    Sort,
    StatusIn,
    VerifyIn,
)

router = Router(tags=["repertoire"])

# A file is bytes to save, never a page to render: no sniffing, no
# scripts, no plug-ins, whatever its name claims.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}
DOWNLOAD_EXTRA: dict[str, Any] = {
    **OPTIONAL_EXTRA,
    "responses": {
        200: {
            "description": "The file, as an attachment.",
            "content": {
                "application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}
                }
            },
        }
    },
}


@contextmanager
def _field(name: str, *, alias: str = "") -> Iterator[None]:
    """Report a missing object named in the request, or a service's
    complaint about it filed under ``alias``, as an error on the field
    ``name`` that the client sent."""
    try:
        yield
    except Http404 as exc:
        raise ValidationError({name: str(exc) or "Not found."}) from exc
    except ValidationError as exc:
        if not (alias and hasattr(exc, "error_dict")):
            raise
        errors = exc.message_dict
        if alias in errors:
            errors[name] = errors.pop(alias)
        raise ValidationError(errors) from exc


@contextmanager
def _state_of(name: str) -> Iterator[None]:
    """A service's complaint about ``name``, which the path names, is
    about its state (409), not about the input (422)."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.message_dict) == {name}:
            raise ValidationError(exc.message_dict[name]) from exc
        raise


def _detail(request: HttpRequest, pk: int) -> ArtifactDetailOut:
    who = viewer(request)
    page = selectors.artifact_page(viewer=who, pk=pk)
    a = page.artifact
    signals = None
    if page.is_owner:
        signals = {
            "view_count": a.view_count,
            "helped_count": a.helped_count,
            "answer_links": page.answer_links,
        }
    return ArtifactDetailOut.build(
        a,
        attachments=page.attachments,
        credits=page.credits,
        replaces=page.replaces,
        replaced_by=selectors.visible_replacement(viewer=who, artifact=a),
        helped=page.helped,
        source_url=page.source_url,
        permissions={"edit": page.may_edit, "verify": page.may_verify},
        signals=signals,
    )


def _conflict(user: User, exc: services.EditConflict) -> ProblemError:
    """The 409 for an edit that started from an older revision: the
    current text and what changed since the editor's base."""
    current = exc.artifact
    with _field("base_revision", alias="from"):
        diff = selectors.revision_compare(
            viewer=user,
            artifact=current,
            from_number=exc.base,
            to_number=current.revision,
        )
    return ProblemError(
        409,
        " ".join(exc.messages),
        base_revision=exc.base,
        current=CurrentOut.model_validate(current).model_dump(mode="json"),
        diff=ArtifactDiffOut.model_validate(diff).model_dump(mode="json"),
    )


# --- lists ---------------------------------------------------------------


@router.get(
    "/communities/{slug}/artifacts",
    response={200: ArtifactPageOut, **problems(401, 404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def artifact_list(
    request: HttpRequest,
    slug: str,
    sort: Sort = "recent",
    kind: Kind | None = None,
    tag: str = "",
    freshness: Freshness | None = None,
    status: ArtifactStatus | None = None,
    cursor: Cursor = None,
) -> Page[Artifact]:
    """A community's repertoire, a page at a time.

    sort: recent (last changed first), helpful (most "this helped me"
    first), title (A to Z) or freshness (verification ending soonest
    first; unverified artifacts left out). Filter by kind, tag slug,
    freshness and status; archived artifacts show only with
    status=archived, drafts only to their owners, core members and
    coordinators.
    """
    who = viewer(request)
    community = communities.community_get(viewer=who, slug=slug)
    with cursor_guard(cursor):
        return selectors.artifact_list(
            viewer=who,
            community=community,
            kind=kind or "",
            tag=tag.strip(),
            freshness=freshness or "",
            status=status or "",
            sort=sort,
            cursor=cursor,
        )


@router.get(
    "/communities/{slug}/glossary",
    response={200: list[GlossaryLetterOut], **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def glossary_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """A community's published glossary terms, A to Z, by first letter."""
    who = viewer(request)
    community = communities.community_get(viewer=who, slug=slug)
    return [
        {"letter": letter, "terms": terms}
        for letter, terms in selectors.glossary(
            viewer=who, community=community
        )
    ]


@router.get(
    "/me/review-queue",
    response={200: list[ArtifactOut], **problems(401)},
)
def review_queue(request: HttpRequest) -> list[Artifact]:
    """Published artifacts you own whose verification is due within 14
    days, expired or missing, most urgent first."""
    return list(selectors.review_queue(viewer=actor(request)))


@router.get(
    "/conversations/{conversation_id}/artifacts",
    response={200: list[CapturedOut], **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def captured_list(
    request: HttpRequest, conversation_id: int
) -> list[Artifact]:
    """The artifacts captured from a conversation that you may see."""
    who = viewer(request)
    c = conversations.conversation_get(viewer=who, pk=conversation_id)
    return selectors.captured_from(viewer=who, conversation=c)


# --- one artifact --------------------------------------------------------


@router.post(
    "/communities/{slug}/artifacts",
    response={201: ArtifactDetailOut, **problems(401, 403, 404, 422)},
)
def artifact_create(
    request: HttpRequest, slug: str, payload: ArtifactIn
) -> Status[ArtifactDetailOut]:
    """Add an artifact to a community's repertoire (members).

    You own it unless owners are given; it starts as revision 1.
    """
    user = actor(request)
    community = communities.community_get(viewer=user, slug=slug)
    owners = None
    if payload.owners:
        owners = selectors.people_get(viewer=user, ids=payload.owners)
    artifact = services.artifact_create(
        author=user,
        community=community,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        status=payload.status,
        owners=owners,
        review_days=payload.review_days,
    )
    return Status(201, _detail(request, artifact.pk))


@router.post(
    "/conversations/{conversation_id}/capture",
    response={201: ArtifactDetailOut, **problems(401, 403, 404, 409)},
)
def artifact_capture(
    request: HttpRequest, conversation_id: int
) -> Status[ArtifactDetailOut]:
    """Capture a solved question as a draft best practice (members).

    The draft holds the problem and the accepted answer, credits the
    answerer and links back to the question. 409 when no answer is
    accepted.
    """
    user = actor(request)
    c = conversations.conversation_get(viewer=user, pk=conversation_id)
    with _state_of("conversation"):
        artifact = services.artifact_capture(actor=user, conversation=c)
    return Status(201, _detail(request, artifact.pk))


@router.get(
    "/artifacts/{artifact_id}",
    response={200: ArtifactDetailOut, **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
)
def artifact_get(request: HttpRequest, artifact_id: int) -> ArtifactDetailOut:
    """An artifact with its body, files, credits, source and review.

    Owners also get its use signals. Reading through the API does not
    count as a view.
    """
    return _detail(request, artifact_id)


@router.patch(
    "/artifacts/{artifact_id}",
    response={
        200: ArtifactDetailOut,
        409: EditConflictOut,
        **problems(401, 403, 404, 422),
    },
)
def artifact_update(
    request: HttpRequest, artifact_id: int, payload: ArtifactPatch
) -> ArtifactDetailOut:
    """Edit an artifact, saving a new revision (owners, core members,
    coordinators).

    Send the revision you started from as base_revision. If someone
    saved since, nothing is written and the answer is 409 with the
    current text and the diff from your base to it, so you can merge and
    send again. An edit that changes nothing makes no revision.
    """
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    try:
        services.artifact_edit(
            actor=user,
            artifact=a,
            base_revision=payload.base_revision,
            title=a.title if payload.title is None else payload.title,
            body=a.body if payload.body is None else payload.body,
            kind=payload.kind,
            tags=payload.tags,
            message=payload.message,
        )
    except services.EditConflict as exc:
        raise _conflict(user, exc) from exc
    return _detail(request, a.pk)


@router.post(
    "/artifacts/{artifact_id}/revert",
    response={200: ArtifactDetailOut, **problems(401, 403, 404, 422)},
    tags=["revisions"],
)
def artifact_revert(
    request: HttpRequest, artifact_id: int, payload: RevertIn
) -> ArtifactDetailOut:
    """Bring back an earlier revision's title and body as a new revision
    (people who may edit); the history keeps everything."""
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    revision = selectors.revision_get(
        viewer=user, artifact=a, number=payload.revision
    )
    services.artifact_revert(actor=user, artifact=a, revision=revision)
    return _detail(request, a.pk)


@router.put(
    "/artifacts/{artifact_id}/status",
    response={200: ArtifactDetailOut, **problems(401, 403, 404, 422)},
)
def artifact_status(
    request: HttpRequest, artifact_id: int, payload: StatusIn
) -> ArtifactDetailOut:
    """Publish, archive or return to draft (people who may edit)."""
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    services.artifact_set_status(actor=user, artifact=a, status=payload.status)
    return _detail(request, a.pk)


@router.put(
    "/artifacts/{artifact_id}/owners",
    response={200: ArtifactDetailOut, **problems(401, 403, 404, 422)},
)
def artifact_owners(
    request: HttpRequest, artifact_id: int, payload: OwnersIn
) -> ArtifactDetailOut:
    """Replace the owners (people who may edit): at least one, each an
    active member of the community."""
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    owners = selectors.people_get(viewer=user, ids=payload.owners)
    services.artifact_set_owners(actor=user, artifact=a, owners=owners)
    return _detail(request, a.pk)


@router.post(
    "/artifacts/{artifact_id}/verify",
    response={200: ArtifactDetailOut, **problems(401, 403, 404, 422)},
)
def artifact_verify(
    request: HttpRequest,
    artifact_id: int,
    payload: VerifyIn | None = None,
) -> ArtifactDetailOut:
    """Vouch that an artifact is right, for an interval (owners and
    coordinators).

    days (1 to 730) becomes the artifact's interval; without it the
    artifact's own interval holds, else the community's (90 days unless
    the community says otherwise).
    """
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    with _field("days", alias="review_days"):
        services.artifact_verify(
            actor=user, artifact=a, days=(payload or VerifyIn()).days
        )
    return _detail(request, a.pk)


@router.post(
    "/artifacts/{artifact_id}/obsolete",
    response={200: ArtifactDetailOut, **problems(401, 403, 404, 422)},
)
def artifact_obsolete(
    request: HttpRequest, artifact_id: int, payload: ObsoleteIn
) -> ArtifactDetailOut:
    """Mark an artifact obsolete with a reason, linking to the artifact
    that replaces it (people who may edit)."""
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    replacement = None
    if payload.replaced_by is not None:
        with _field("replaced_by"):
            replacement = selectors.artifact_get(
                viewer=user, pk=payload.replaced_by
            )
    services.artifact_mark_obsolete(
        actor=user, artifact=a, reason=payload.reason, replaced_by=replacement
    )
    return _detail(request, a.pk)


@router.post(
    "/artifacts/{artifact_id}/restore",
    response={200: ArtifactDetailOut, **problems(401, 403, 404, 409)},
)
def artifact_restore(
    request: HttpRequest, artifact_id: int
) -> ArtifactDetailOut:
    """Take back "obsolete": the artifact reads as current again, without
    its reason or replacement (people who may edit). 409 when it is not
    obsolete."""
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    services.artifact_restore(actor=user, artifact=a)
    return _detail(request, a.pk)


# --- history -------------------------------------------------------------


@router.get(
    "/artifacts/{artifact_id}/revisions",
    response={200: list[ArtifactRevisionOut], **problems(401, 404)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["revisions"],
)
def artifact_revision_list(
    request: HttpRequest, artifact_id: int
) -> list[ArtifactRevision]:
    """An artifact's history: every revision with its author, time and
    message, newest first."""
    who = viewer(request)
    a = selectors.artifact_get(viewer=who, pk=artifact_id)
    return selectors.revisions(viewer=who, artifact=a)


@router.get(
    "/artifacts/{artifact_id}/revisions/diff",
    response={200: ArtifactDiffOut, **problems(401, 404, 422)},
    auth=OPTIONAL,
    openapi_extra=OPTIONAL_EXTRA,
    tags=["revisions"],
)
def artifact_revision_diff(
    request: HttpRequest,
    artifact_id: int,
    from_: FromRevision = None,
    to: ToRevision = None,
) -> selectors.Diff:
    """What changed between any two revisions, line by line."""
    who = viewer(request)
    a = selectors.artifact_get(viewer=who, pk=artifact_id)
    return selectors.revision_compare(
        viewer=who, artifact=a, from_number=from_, to_number=to
    )


# --- "this helped me" ----------------------------------------------------


@router.put(
    "/artifacts/{artifact_id}/helped",
    response={200: HelpedOut, **problems(401, 403, 404, 409)},
)
def artifact_helped(request: HttpRequest, artifact_id: int) -> HelpedOut:
    """Say "this helped me"; saying it twice changes nothing.

    409 on an artifact you own.
    """
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    a = services.artifact_helped(user=user, artifact=a)
    return HelpedOut(
        artifact_id=a.pk, helped=True, helped_count=a.helped_count
    )


@router.delete(
    "/artifacts/{artifact_id}/helped",
    response={200: HelpedOut, **problems(401, 403, 404, 409)},
)
def artifact_unhelped(request: HttpRequest, artifact_id: int) -> HelpedOut:
    """Take back "this helped me"."""
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    a = services.artifact_helped(user=user, artifact=a, helped=False)
    return HelpedOut(
        artifact_id=a.pk, helped=False, helped_count=a.helped_count
    )


# --- files ---------------------------------------------------------------


@router.post(
    "/artifacts/{artifact_id}/attachments",
    response={201: AttachmentOut, **problems(401, 403, 404, 422)},
    tags=["attachments"],
)
def attachment_create(
    request: HttpRequest, artifact_id: int, file: File[UploadedFile]
) -> Status[Attachment]:
    """Attach a file, sent as multipart/form-data in the field file
    (people who may edit).

    Documents, images, data and archives up to the size limit (10 MB
    unless the operator set another); nothing a browser would run.
    """
    user = actor(request)
    a = selectors.artifact_get(viewer=user, pk=artifact_id)
    attachment = services.attachment_add(actor=user, artifact=a, upload=file)
    return Status(201, attachment)


@router.get(
    "/attachments/{attachment_id}/download",
    response=problems(401, 404),
    auth=OPTIONAL,
    openapi_extra=DOWNLOAD_EXTRA,
    tags=["attachments"],
)
def attachment_download(
    request: HttpRequest, attachment_id: int
) -> FileResponse:
    """Download a file of an artifact you may see, as an attachment."""
    att = selectors.attachment_get(viewer=viewer(request), pk=attachment_id)
    try:
        stored = att.file.open("rb")
    except FileNotFoundError as exc:  # lost from the disk, say by a restore
        raise Http404("No such file.") from exc
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=att.name,
        content_type=att.content_type,
    )
    for header, value in FILE_HEADERS.items():
        response[header] = value
    return response


@router.delete(
    "/attachments/{attachment_id}",
    response={204: None, **problems(401, 403, 404)},
    tags=["attachments"],
)
def attachment_delete(
    request: HttpRequest, attachment_id: int
) -> Status[None]:
    """Remove a file (people who may edit the artifact)."""
    user = actor(request)
    att = selectors.attachment_get(viewer=user, pk=attachment_id)
    services.attachment_remove(actor=user, attachment=att)
    return Status(204, None)
