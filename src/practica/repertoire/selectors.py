"""Every read about the repertoire, filtered by access."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from practica import access
from practica.communities.models import Community
from practica.communities.models import Status as MemberStatus
from practica.conversations.models import Conversation, Reply
from practica.core import sql, text
from practica.core.pagination import Page, keyset
from practica.repertoire.models import (
    DUE_SOON,
    Artifact,
    ArtifactRevision,
    Attachment,
    Freshness,
    Helped,
    Kind,
    Status,
)

SORTS = {
    "recent": ("-updated_at", "-id"),
    "helpful": ("-helped_count", "-id"),
    "title": ("title", "id"),
    "freshness": ("verified_until", "id"),
}
LIST_ONLY = (
    "id",
    "community_id",
    "kind",
    "title",
    "tag_names",
    "status",
    "verified_until",
    "obsolete",
    "helped_count",
    "view_count",
    "updated_at",
    "community__name",
    "community__slug",
)


def _freshness_q(state: str) -> Q:
    now = timezone.now()
    return {
        Freshness.UNVERIFIED: Q(verified_until__isnull=True),
        Freshness.EXPIRED: Q(verified_until__lte=now),
        Freshness.DUE: Q(
            verified_until__gt=now, verified_until__lte=now + DUE_SOON
        ),
        Freshness.VERIFIED: Q(verified_until__gt=now + DUE_SOON),
    }[Freshness(state)]


def _owners_prefetch() -> Any:
    from practica.accounts.models import User

    return Prefetch(
        "owners", queryset=User.objects.only("id", "display_name", "email")
    )


def artifact_list(
    *,
    viewer: Any,
    community: Community,
    kind: str = "",
    tag: str = "",
    freshness: str = "",
    status: str = "",
    sort: str = "recent",
    cursor: str | None = None,
    size: int | None = None,
) -> Page[Artifact]:
    """A community's repertoire, filtered and sorted, a page at a time.

    Drafts show only to those who may see them. Refuses an unknown kind,
    freshness, status or sort, naming the choices.
    """
    access.require(viewer, "view", community)
    checks = {
        "kind": (kind, Kind.values),
        "freshness": (freshness, Freshness.values),
        "status": (status, Status.values),
        "sort": (sort, list(SORTS)),
    }
    for name, (value, allowed) in checks.items():
        if value and value not in allowed:
            raise ValidationError(
                {
                    name: f"'{value}' is not a {name}: use one of "
                    f"{', '.join(allowed)}."
                }
            )
    qs = access.visible_artifacts(
        viewer, Artifact.objects.filter(community=community)
    )
    qs = (
        qs.filter(status=status)
        if status
        else qs.exclude(status=Status.ARCHIVED)
    )
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(tags__slug=tag)
    if freshness:
        qs = qs.filter(_freshness_q(freshness))
    if sort == "freshness":
        qs = qs.filter(verified_until__isnull=False)
    qs = (
        qs.select_related("community")
        .only(*LIST_ONLY)
        .prefetch_related(_owners_prefetch())
    )
    return keyset(
        qs,
        order=SORTS[sort],
        cursor=cursor,
        size=size or settings.PRACTICA_PAGE_SIZE,
    )


def glossary(
    *, viewer: Any, community: Community
) -> list[tuple[str, list[Artifact]]]:
    """A community's published glossary terms, A to Z, grouped by first
    letter."""
    access.require(viewer, "view", community)
    terms = (
        Artifact.objects.filter(
            community=community, kind=Kind.GLOSSARY, status=Status.PUBLISHED
        )
        .only("id", "title", "body_html", "verified_until", "obsolete")
        .order_by("title")
    )
    groups: dict[str, list[Artifact]] = defaultdict(list)
    for term in terms:
        first = term.title[:1].upper()
        groups[first if first.isalpha() else "#"].append(term)
    return sorted(groups.items())


def artifact_get(*, viewer: Any, pk: int) -> Artifact:
    """One artifact the viewer may see (404 otherwise)."""
    a = (
        Artifact.objects.select_related(
            "community", "verified_by", "replaced_by", "source_type"
        )
        .prefetch_related(_owners_prefetch())
        .filter(pk=pk)
        .first()
    )
    if a is None or not access.can(viewer, "view", a):
        raise Http404("No such artifact.")
    return a


HEAD_FIELDS = sql.in_model_order(
    Artifact,
    (
        "id", "created_at", "updated_at", "title", "status", "version",
        "community_id", "replaced_by_id",
    ),
)  # fmt: skip
HEAD_COMMUNITY = sql.in_model_order(
    Community, ("id", "created_at", "visibility", "version")
)
HEAD_REPLACEMENT = sql.in_model_order(
    Artifact, ("id", "status", "version", "community_id")
)


def _head_query(pk: int) -> QuerySet[Any]:
    """One row: the artifact, its community, its replacement and the
    stamp of the stories a signed-out visitor sees citing it (a new,
    edited, hidden or featured story, or its community shut, changes
    their number or the newest change). The same filter as
    ``analytics.selectors.stories_citing`` for a signed-out visitor."""
    from practica.analytics.models import StoryLink

    links = (
        StoryLink.objects.filter(
            # By name, not by the row's id: the SQL is compiled once per
            # process, and a database flushed and refilled (tests) gives
            # content types new ids.
            target_type__app_label=Artifact._meta.app_label,
            target_type__model=Artifact._meta.model_name,
            target_id=OuterRef("pk"),
            story__hidden=False,
            story__community__in=access.visible_communities(None),
        )
        .order_by()
        .values("target_id")
    )
    return (
        Artifact.objects.filter(pk=pk)
        .annotate(
            cited_n=Subquery(links.annotate(n=Count("pk")).values("n")),
            cited_at=Subquery(
                links.annotate(at=Max("story__updated_at")).values("at")
            ),
        )
        .order_by()
        .values_list(
            *HEAD_FIELDS,
            *(f"community__{n}" for n in HEAD_COMMUNITY),
            *(f"replaced_by__{n}" for n in HEAD_REPLACEMENT),
            "replaced_by__community__visibility",
            "cited_n",
            "cited_at",
        )[:1]
    )


# Compiled once per process: a visitor's access filter is a constant.
_head = sql.Prepared(_head_query, pk=int)


def artifact_head(*, viewer: Any, pk: int) -> Artifact:
    """Just enough of an artifact a signed-out visitor may see (404
    otherwise) to find its cached page: its version, its community's and
    its replacement's, and the stamp of the stories citing it
    (``cited_n``, ``cited_at``). One query; signed-out visitors only."""
    if getattr(viewer, "is_authenticated", False):
        raise ValueError("artifact_head is for signed-out visitors.")
    found = _head(pk=pk)
    if not found:
        raise Http404("No such artifact.")
    row, alias = found[0], _head.alias
    n, m = len(HEAD_FIELDS), len(HEAD_COMMUNITY)
    a = Artifact.from_db(alias, HEAD_FIELDS, row[:n])
    community = Community.from_db(alias, HEAD_COMMUNITY, row[n : n + m])
    Artifact.community.field.set_cached_value(a, community)
    rest = row[n + m :]
    if a.replaced_by_id is not None:
        k = len(HEAD_REPLACEMENT)
        r = Artifact.from_db(alias, HEAD_REPLACEMENT, rest[:k])
        Artifact.community.field.set_cached_value(
            r,
            Community.from_db(
                alias, ("id", "visibility"), (r.community_id, rest[k])
            ),
        )
        Artifact.replaced_by.field.set_cached_value(a, r)
    a.cited_n, a.cited_at = rest[-2], rest[-1]  # type: ignore[attr-defined]
    if not access.can(viewer, "view", a):
        raise Http404("No such artifact.")
    return a


@dataclass
class ArtifactPage:
    artifact: Artifact
    attachments: list[Attachment]
    credits: list[Any]
    replaces: list[Artifact]
    helped: bool
    may_edit: bool
    may_verify: bool
    is_owner: bool
    # Shown to owners: how it is used.
    answer_links: int
    source_url: str


def source_url(a: Artifact) -> str:
    """Where the artifact came from, as a page address ("" if none)."""
    if a.source_type_id is None or a.source_id is None:
        return ""
    from django.urls import NoReverseMatch, reverse

    if a.source_type is None:
        return ""
    if a.source_type.model == "conversation":  # no query for the usual one
        try:
            return reverse("conversations:detail", args=[a.source_id])
        except NoReverseMatch:
            return ""
    # Anything else that knows its page (an event's occurrence, ...).
    model = a.source_type.model_class()
    if model is None or not hasattr(model, "get_absolute_url"):
        return ""
    source: Any = model._default_manager.filter(pk=a.source_id).first()
    return source.get_absolute_url() if source is not None else ""


def artifact_page(*, viewer: Any, pk: int) -> ArtifactPage:
    """An artifact with its files, credits, replacements and the viewer's
    marks, in a fixed number of queries."""
    a = artifact_get(viewer=viewer, pk=pk)
    signed_in = getattr(viewer, "is_authenticated", False)
    is_owner = signed_in and any(o.pk == viewer.pk for o in a.owners.all())
    links = 0
    if is_owner:
        links = Reply.objects.filter(
            conversation__community_id=a.community_id,
            body__contains=f"/r/{a.pk}/",
        ).count()
    return ArtifactPage(
        artifact=a,
        attachments=list(a.attachments.select_related("uploaded_by")),
        credits=list(a.credits.only("id", "display_name", "email")),
        # Only those the viewer may see: a draft's title stays hidden.
        replaces=replaced_artifacts(viewer=viewer, artifact=a),
        helped=signed_in
        and Helped.objects.filter(user=viewer, artifact=a).exists(),
        may_edit=access.can(viewer, "edit", a),
        may_verify=access.can(viewer, "verify", a),
        is_owner=is_owner,
        answer_links=links,
        source_url=source_url(a),
    )


def review_queue(*, viewer: Any) -> QuerySet[Artifact]:
    """Published artifacts the viewer owns, in communities they are still
    an active member of, whose verification is due soon, expired or
    missing, most urgent first."""
    soon = timezone.now() + DUE_SOON
    return (
        Artifact.objects.filter(
            owners=viewer,
            status=Status.PUBLISHED,
            obsolete=False,
            community__memberships__user=viewer,
            community__memberships__status=MemberStatus.ACTIVE,
        )
        .filter(Q(verified_until__isnull=True) | Q(verified_until__lte=soon))
        .select_related("community")
        .prefetch_related(_owners_prefetch())
        .order_by(F("verified_until").asc(nulls_first=True), "title")
    )


def revisions(*, viewer: Any, artifact: Artifact) -> list[ArtifactRevision]:
    """An artifact's history, newest first."""
    access.require(viewer, "view", artifact)
    return list(
        artifact.revisions.select_related("author").order_by("-number")
    )


def revision_get(
    *, viewer: Any, artifact: Artifact, number: int
) -> ArtifactRevision:
    access.require(viewer, "view", artifact)
    rev = (
        artifact.revisions.select_related("author")
        .filter(number=number)
        .first()
    )
    if rev is None:
        raise ValidationError(
            {
                "revision": f"Revision {number} does not exist: this artifact "
                f"has revisions 1 to {artifact.revision}."
            }
        )
    return rev


@dataclass
class Diff:
    old: ArtifactRevision
    new: ArtifactRevision
    title_changed: bool
    lines: list[tuple[str, str]]


def revision_diff(
    *, viewer: Any, artifact: Artifact, old: int, new: int
) -> Diff:
    """The line changes between two revisions of an artifact."""
    a = revision_get(viewer=viewer, artifact=artifact, number=old)
    b = revision_get(viewer=viewer, artifact=artifact, number=new)
    return Diff(
        old=a,
        new=b,
        title_changed=a.title != b.title,
        lines=text.diff_lines(a.body, b.body),
    )


def attachment_get(*, viewer: Any, pk: int) -> Attachment:
    """A file the viewer may download (404 otherwise)."""
    att = (
        Attachment.objects.select_related("artifact__community")
        .filter(pk=pk)
        .first()
    )
    if att is None or not access.can(viewer, "view", att.artifact):
        raise Http404("No such file.")
    return att


def captured_from(
    *, viewer: Any, conversation: Conversation
) -> list[Artifact]:
    """Artifacts captured from a conversation that the viewer may see."""
    ct = ContentType.objects.get_for_model(Conversation)
    return list(
        access.visible_artifacts(
            viewer,
            Artifact.objects.filter(source_type=ct, source_id=conversation.pk),
        ).only("id", "title", "status")
    )


def revision_compare(
    *,
    viewer: Any,
    artifact: Artifact,
    from_number: int | None = None,
    to_number: int | None = None,
) -> Diff:
    """What changed between two revisions of an artifact; ``to`` defaults
    to the latest, ``from`` to the one before ``to``.

    Refuses revision numbers that do not exist, naming from or to.
    """
    latest = artifact.revision
    new = latest if to_number is None else to_number
    old = max(new - 1, 1) if from_number is None else from_number
    # Revisions are numbered 1, 2, … without gaps: every save adds one.
    errors = {
        name: f"There is no revision {n}: this artifact has revisions 1 "
        f"to {latest}."
        for name, n in (("from", old), ("to", new))
        if not 1 <= n <= latest
    }
    if errors:
        raise ValidationError(errors)
    return revision_diff(viewer=viewer, artifact=artifact, old=old, new=new)


def people_get(*, viewer: Any, ids: list[int]) -> list[Any]:
    """The people with these ids, in that order (duplicates dropped), to
    name as owners.

    Refuses ids of nobody the viewer may see, naming owners.
    """
    from practica.accounts.models import User

    wanted = list(dict.fromkeys(ids))
    found = {
        u.pk: u
        for u in User.objects.filter(pk__in=wanted).only(
            "id", "display_name", "email", "is_active"
        )
        if access.can(viewer, "view", u)
    }
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            {
                "owners": f"There is nobody with the id {', '.join(missing)}: "
                "pick people from the community's members."
            }
        )
    return [found[pk] for pk in wanted]


# --- for the repertoire pages ----------------------------------------------


def artifact_for_edit(*, viewer: Any, pk: int) -> Artifact:
    """An artifact the viewer may change: its owners (while members),
    core members and coordinators. 404 when unseen, PermissionDenied
    otherwise."""
    a = artifact_get(viewer=viewer, pk=pk)
    access.require(viewer, "edit", a)
    return a


def artifact_for_verify(*, viewer: Any, pk: int) -> Artifact:
    """An artifact the viewer may verify: its owners and the community's
    coordinators. 404 when unseen, PermissionDenied otherwise."""
    a = artifact_get(viewer=viewer, pk=pk)
    access.require(viewer, "verify", a)
    return a


def visible_replacement(*, viewer: Any, artifact: Artifact) -> Artifact | None:
    """The artifact that replaces an obsolete one, if the viewer may see
    it (a draft replacement stays hidden from plain members)."""
    r = artifact.replaced_by
    if r is None or not access.can(viewer, "view", r):
        return None
    return r


def replaced_artifacts(*, viewer: Any, artifact: Artifact) -> list[Artifact]:
    """The obsolete artifacts this one replaces that the viewer may see.
    One query."""
    return list(
        access.visible_artifacts(
            viewer, Artifact.objects.filter(replaced_by=artifact)
        )
        .only("id", "title")
        .order_by("title", "id")
    )


def owner_candidates(*, viewer: Any, artifact: Artifact) -> list[Any]:
    """Active members of the artifact's community who do not own it yet,
    by name, to add as owners (people who may edit it)."""
    from practica.accounts.models import User
    from practica.communities.models import Status as MemberStatus

    access.require(viewer, "edit", artifact)
    owners = [o.pk for o in artifact.owners.all()]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__community_id=artifact.community_id,
            memberships__status=MemberStatus.ACTIVE,
        )
        .exclude(pk__in=owners)
        .only("id", "display_name", "email")
        .order_by("display_name", "id")[:500]
    )


def review_count(*, viewer: Any) -> int:
    """How many artifacts in the viewer's review queue. One query."""
    if not getattr(viewer, "is_authenticated", False):
        return 0
    return review_queue(viewer=viewer).count()


def attachment_list(*, viewer: Any, artifact: Artifact) -> list[Attachment]:
    """An artifact's files, by name, with who uploaded them."""
    access.require(viewer, "view", artifact)
    return list(
        artifact.attachments.select_related("uploaded_by").order_by(
            "name", "id"
        )
    )
