"""``practica export [--community SLUG] OUT`` and ``practica import
practica OUT``: the whole site (or one community) as versioned JSON Lines.

``OUT/practica.jsonl`` holds a header line, then one line per record in
the order of :data:`SECTIONS` (what a record points to comes before it,
except the links listed as *deferred*, which are set once everything is
in), then an end line with the counts, so a cut-off file is recognised::

    {"format": "practica-export", "version": 1, "community": null, ...}
    {"model": "accounts.user", "id": 3, "fields": {...}, "m2m": {...}}
    ...
    {"end": true, "counts": {"accounts.user": 12, ...}}

``OUT/files/`` holds the uploaded files (attachments) under their
stored names. Records keep their ids, so a restore into an empty site
rebuilds the same rows, and exporting it again gives the same file
(apart from ``exported_at``).

Each model is one :class:`Section`, registered with :func:`register`
and a line saying how its rows belong to a community (for
``--community``) or to a person; adding an app's models is a few lines
at the end of this module.
"""

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, cast
from uuid import UUID

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.duration import duration_string

from practica.communities.models import Community
from practica.conversations import importer
from practica.transfer.dumps import DumpError, Progress

FORMAT = "practica-export"
VERSION = 1
FILE = "practica.jsonl"
CHUNK = 1000


@dataclass
class Scope:
    """What an export covers: everything, or one community and the
    people in it or named by its rows."""

    community: Community | None = None
    people: set[int] = field(default_factory=set)


Filter = Callable[[QuerySet[Any], Scope], QuerySet[Any]]


@dataclass(frozen=True)
class Section:
    label: str  # app_label.model_name
    # How a row belongs to a community ("community", "conversation__
    # community"); for --community exports. None: see person/whole.
    community: str | None = None
    # How a row belongs to a person, for person-scoped rows (settings,
    # expertise): exported when the person is.
    person: str | None = None
    # Exported whole even for one community (skills, departments).
    shared: bool = False
    # Only in a whole-site export (import keys, site-wide records).
    site_only: bool = False
    # A custom filter for --community exports, when a path will not do.
    where: Filter | None = None
    # File fields whose files are copied into OUT/files.
    files: tuple[str, ...] = ()

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


SECTIONS: list[Section] = []


def register(label: str, **kw: Any) -> None:
    """Add a model to the export, after everything registered so far
    (register what it points to first; links to itself or to later
    sections are restored last)."""
    if any(s.label == label for s in SECTIONS):
        raise ValueError(f"{label} is registered twice.")
    SECTIONS.append(Section(label=label, **kw))


def _sections() -> list[Section]:
    """The registered sections whose app is installed."""
    found = []
    for s in SECTIONS:
        try:
            s.model  # noqa: B018 (raises LookupError when not installed)
        except LookupError:
            continue
        found.append(s)
    return found


# --- values ------------------------------------------------------------


class _Types:
    """Content types as [app_label, model] (ids differ between sites)."""

    def __init__(self) -> None:
        self.by_id = {
            ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()
        }
        self.by_key: dict[tuple[str, str], int] = {}

    def id_of(self, value: Any, where: str) -> int:
        if not (isinstance(value, list) and len(value) == 2):
            raise DumpError(f"{where}: a content type is [app, model].")
        key = (str(value[0]), str(value[1]))
        if key not in self.by_key:
            try:
                model = apps.get_model(*key)
            except LookupError:
                raise DumpError(
                    f"{where}: no model {key[0]}.{key[1]} on this site."
                ) from None
            self.by_key[key] = ContentType.objects.get_for_model(model).pk
        return self.by_key[key]


def _through(f: Any) -> type[models.Model]:
    """The link table of a many-to-many field."""
    return cast(type[models.Model], f.remote_field.through)


def _related(f: Any) -> type[models.Model]:
    return cast(type[models.Model], f.related_model)


def _is_type(f: models.Field[Any, Any]) -> bool:
    return isinstance(f, models.ForeignKey) and f.related_model is ContentType


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    pk = model._meta.pk
    return [f for f in model._meta.concrete_fields if f is not pk]


def _m2m(
    model: type[models.Model], labels: set[str]
) -> list[models.ManyToManyField[Any, Any]]:
    """Many-to-many fields with an automatic link table to an exported
    model (links to auth groups and permissions stay behind)."""
    return [
        f
        for f in model._meta.many_to_many
        if isinstance(f, models.ManyToManyField)
        and _through(f)._meta.auto_created
        and _related(f)._meta.label_lower in labels
    ]


def _out(value: Any, f: models.Field[Any, Any], types: _Types) -> Any:
    if value is None:
        return None
    if _is_type(f):
        return types.by_id[value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_string(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(f, models.FileField):
        return str(value)
    return value


# --- export ------------------------------------------------------------


def _rows(section: Section, scope: Scope) -> QuerySet[Any]:
    qs = section.model._default_manager.all()
    if scope.community is None:
        return qs.order_by("pk")
    if section.site_only:
        return qs.none()
    if section.shared:
        pass
    elif section.where is not None:
        qs = section.where(qs, scope)
    elif section.community is not None:
        qs = qs.filter(**{section.community: scope.community.pk})
    elif section.person is not None:
        qs = qs.filter(**{f"{section.person}__in": scope.people})
    else:
        qs = qs.none()
    return qs.order_by("pk")


def _people(scope: Scope, sections: list[Section]) -> set[int]:
    """Members of the community and everyone its rows name."""
    from practica.accounts.models import User

    people = set(
        User.objects.filter(
            memberships__community=scope.community
        ).values_list("pk", flat=True)
    )
    for s in sections:
        if s.community is None:
            continue
        qs = _rows(s, scope)
        for f in _columns(s.model):
            if isinstance(f, models.ForeignKey) and f.related_model is User:
                people.update(
                    v
                    for v in qs.values_list(f.attname, flat=True).distinct()
                    if v is not None
                )
    return people


def export(
    out: Path | str,
    *,
    community: str | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write the site, or the community with slug ``community``, to the
    directory ``out`` (created; refused when it holds an export
    already). Returns the records written per model."""
    out = Path(out)
    step = progress or (lambda _phase, _n: None)
    scope = Scope()
    if community:
        found = Community.objects.filter(slug=community).first()
        if found is None:
            raise DumpError(f"No community has the slug {community!r}.")
        scope.community = found
    if (out / FILE).exists():
        raise DumpError(
            f"{out / FILE} exists already: choose an empty directory."
        )
    if out.exists() and not out.is_dir():
        raise DumpError(f"{out} is a file; give a directory to write to.")
    sections = _sections()
    if scope.community is not None:
        scope.people = _people(scope, sections)
    out.mkdir(parents=True, exist_ok=True)
    types = _Types()
    labels = {s.label for s in sections}
    counts: dict[str, int] = {}
    partial = out / f"{FILE}.partial"
    with partial.open("w", encoding="utf-8") as handle:
        _line(
            handle,
            {
                "format": FORMAT,
                "version": VERSION,
                "exported_at": timezone.now().isoformat(),
                "community": community or None,
                "sections": [s.label for s in sections],
            },
        )
        for s in sections:
            counts[s.label] = _export_section(
                handle, s, scope, types, labels, out, step
            )
        _line(handle, {"end": True, "counts": counts})
    partial.rename(out / FILE)
    return counts


def _line(handle: TextIO, data: dict[str, Any]) -> None:
    handle.write(
        json.dumps(
            data, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
    )
    handle.write("\n")


def _export_section(
    handle: TextIO,
    s: Section,
    scope: Scope,
    types: _Types,
    labels: set[str],
    out: Path,
    step: Progress,
) -> int:
    model = s.model
    columns = _columns(model)
    names = [f.attname for f in columns]
    links = _m2m(model, labels)
    qs = _rows(s, scope)
    written = 0
    last = None
    while True:
        page = qs if last is None else qs.filter(pk__gt=last)
        rows = list(page.values("pk", *names)[:CHUNK])
        if not rows:
            return written
        last = rows[-1]["pk"]
        ids = [r["pk"] for r in rows]
        linked = {f.name: _links(f, ids) for f in links}
        for r in rows:
            record: dict[str, Any] = {
                "model": s.label,
                "id": r["pk"],
                "fields": {
                    f.name: _out(r[f.attname], f, types) for f in columns
                },
            }
            if links:
                record["m2m"] = {
                    name: sorted(found.get(r["pk"], []))
                    for name, found in linked.items()
                }
            for name in s.files:
                stored = r[name]
                if stored:
                    _copy_out(stored, out)
            _line(handle, record)
        written += len(rows)
        step(s.label, len(rows))


def _links(
    f: models.ManyToManyField[Any, Any], ids: list[int]
) -> dict[int, list[int]]:
    through = _through(f)
    source = f.m2m_column_name()
    target = f.m2m_reverse_name()
    found: dict[int, list[int]] = {}
    for a, b in through._default_manager.filter(
        **{f"{source}__in": ids}
    ).values_list(source, target):
        found.setdefault(a, []).append(b)
    return found


def _copy_out(stored: str, out: Path) -> None:
    target = out / "files" / stored
    if ".." in Path(stored).parts:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(stored, "rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)


# --- import ------------------------------------------------------------


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as exc:
                raise DumpError(
                    f"{path.name}:{number}: not JSON ({exc})."
                ) from exc
            if not isinstance(data, dict):
                raise DumpError(f"{path.name}:{number}: not an object.")
            yield number, data


def _empty_site(sections: list[Section]) -> str | None:
    for label in (
        "accounts.user",
        "communities.community",
        "conversations.conversation",
        "repertoire.artifact",
    ):
        if apps.get_model(label)._default_manager.exists():
            return label
    return None


@dataclass
class _Pending:
    """Links set once every row is in: (model, id, field attname, id)."""

    rows: list[tuple[type[models.Model], int, str, Any]] = field(
        default_factory=list
    )


def restore(
    directory: Path | str, *, progress: Progress | None = None
) -> dict[str, int]:
    """Load an export into an empty site; returns records per model.

    All or nothing: one transaction. Refuses a site that has people,
    communities or content already, a file that is not an export or of
    a later version, an unknown model or field, and a cut-off file,
    naming the line.
    """
    directory = Path(directory)
    step = progress or (lambda _phase, _n: None)
    path = directory / FILE
    if not directory.is_dir():
        raise DumpError(f"{directory} is not a directory.")
    if not path.is_file():
        raise DumpError(
            f"{path}: the file is missing; an export written by "
            "'practica export' has it."
        )
    sections = _sections()
    busy = _empty_site(sections)
    if busy is not None:
        raise DumpError(
            f"This site is not empty ({busy} has rows): import an export "
            "into a new site only."
        )
    order = {s.label: i for i, s in enumerate(sections)}
    by_label = {s.label: s for s in sections}
    types = _Types()
    counts: dict[str, int] = {}
    pending = _Pending()
    rows = _records(path)
    first = next(rows, None)
    if first is None:
        raise DumpError(f"{FILE}:1: the file is empty.")
    _header(first)
    ended = False
    models_ = [s.model for s in sections]
    with transaction.atomic(), importer.dates_as_given(*models_):
        batch: list[tuple[int, dict[str, Any]]] = []
        label = None
        for number, data in rows:
            if ended:
                raise DumpError(f"{FILE}:{number}: a line after the end.")
            if data.get("end") is True:
                ended = True
                _check_counts(number, data, counts, batch, label)
                continue
            where = f"{FILE}:{number}"
            if data.get("model") not in by_label:
                raise DumpError(
                    f"{where}: unknown model {data.get('model')!r}."
                )
            if data["model"] != label or len(batch) >= CHUNK:
                if batch and label is not None:
                    _load(by_label[label], batch, order, types, pending)
                    counts[label] = counts.get(label, 0) + len(batch)
                    step(label, len(batch))
                if (
                    label is not None
                    and data["model"] != label
                    and order[data["model"]] < order[label]
                ):
                    raise DumpError(
                        f"{where}: {data['model']} after {label}; records "
                        "must come in the order of the header's sections."
                    )
                label, batch = data["model"], []
            batch.append((number, data))
        if batch and label is not None:
            _load(by_label[label], batch, order, types, pending)
            counts[label] = counts.get(label, 0) + len(batch)
        if not ended:
            raise DumpError(
                f"{FILE}: no end line; the file was cut off. Export again."
            )
        _settle(pending)
        for s in sections:
            for name in s.files:
                for stored in s.model._default_manager.values_list(
                    name, flat=True
                ):
                    if stored:
                        _copy_in(directory, stored)
    _reset_sequences(models_)
    return counts


def _header(item: tuple[int, dict[str, Any]]) -> None:
    _number, head = item
    if head.get("format") != FORMAT:
        raise DumpError(
            f"{FILE}:1: not a Practica export (format "
            f"{head.get('format')!r}, expected {FORMAT!r})."
        )
    version = head.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise DumpError(
            f"{FILE}:1: export version {version!r}; this Practica reads "
            f"version {VERSION} and earlier: upgrade it first."
        )


def _check_counts(
    number: int,
    data: dict[str, Any],
    counts: dict[str, int],
    batch: list[tuple[int, dict[str, Any]]],
    label: str | None,
) -> None:
    seen = dict(counts)
    if label is not None:
        seen[label] = seen.get(label, 0) + len(batch)
    expected = {k: v for k, v in (data.get("counts") or {}).items() if v}
    if expected != {k: v for k, v in seen.items() if v}:
        raise DumpError(
            f"{FILE}:{number}: the end line counts {expected}, but the "
            f"file holds {seen}; it is damaged."
        )


def _load(
    s: Section,
    batch: list[tuple[int, dict[str, Any]]],
    order: dict[str, int],
    types: _Types,
    pending: _Pending,
) -> None:
    model = s.model
    columns = {f.name: f for f in _columns(model)}
    here = order[s.label]
    objs = []
    links: list[tuple[models.ManyToManyField[Any, Any], int, list[int]]] = []
    m2m = {f.name: f for f in model._meta.many_to_many}
    for number, data in batch:
        where = f"{FILE}:{number}"
        fields = data.get("fields")
        pk = data.get("id")
        if not isinstance(fields, dict) or pk is None:
            raise DumpError(f"{where}: a record needs an id and fields.")
        unknown = set(fields) - set(columns)
        if unknown:
            raise DumpError(
                f"{where}: {s.label} has no field {sorted(unknown)[0]!r}."
            )
        values: dict[str, Any] = {}
        for name, f in columns.items():
            if name not in fields:
                continue
            value = fields[name]
            if value is not None and _is_type(f):
                value = types.id_of(value, where)
            elif value is not None and f.is_relation:
                target = _related(f)._meta.label_lower
                if order.get(target, -1) >= here:
                    pending.rows.append((model, pk, f.attname, value))
                    value = None
            elif value is not None and not isinstance(
                f, models.JSONField | models.FileField
            ):
                try:
                    value = f.to_python(value)
                except Exception as exc:
                    raise DumpError(
                        f"{where}: {s.label}.{name}: {exc}"
                    ) from exc
            values[f.attname] = value
        objs.append(model(pk=pk, **values))
        for name, ids in (data.get("m2m") or {}).items():
            if name not in m2m or not isinstance(ids, list):
                raise DumpError(f"{where}: {s.label} has no link {name!r}.")
            links.append((m2m[name], pk, ids))
    model._default_manager.bulk_create(objs)
    by_field: dict[str, list[models.Model]] = {}
    for f, pk, ids in links:
        through = _through(f)
        by_field.setdefault(f.name, []).extend(
            through(**{f.m2m_column_name(): pk, f.m2m_reverse_name(): target})
            for target in ids
        )
    for name, rows in by_field.items():
        _through(m2m[name])._default_manager.bulk_create(rows)


def _settle(pending: _Pending) -> None:
    grouped: dict[tuple[type[models.Model], str], list[tuple[int, Any]]] = {}
    for model, pk, attname, value in pending.rows:
        grouped.setdefault((model, attname), []).append((pk, value))
    for (model, attname), pairs in grouped.items():
        for pk, value in pairs:
            model._default_manager.filter(pk=pk).update(**{attname: value})


def _copy_in(directory: Path, stored: str) -> None:
    source = directory / "files" / stored
    if ".." in Path(stored).parts or not source.is_file():
        raise DumpError(
            f"files/{stored}: the file is missing from the export."
        )
    if default_storage.exists(stored):
        default_storage.delete(stored)
    with source.open("rb") as handle:
        saved = default_storage.save(stored, File(handle))
    if saved != stored:  # pragma: no cover (storage renamed it)
        raise DumpError(f"files/{stored}: stored as {saved}.")


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    """Rows came with their ids; PostgreSQL's sequences must move past
    them (SQLite needs nothing)."""
    through = [
        _through(f)
        for m in models_
        for f in m._meta.many_to_many
        if _through(f)._meta.auto_created
    ]
    statements = connection.ops.sequence_reset_sql(
        no_style(), [*models_, *through]
    )
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- the sections --------------------------------------------------------


def _endorsements(qs: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    return qs.filter(
        expertise__user__in=scope.people, endorser__in=scope.people
    )


def _activity(qs: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    assert scope.community is not None  # noqa: S101 (only then called)
    return qs.filter(
        Q(community_id=scope.community.pk)
        | Q(community_id__isnull=True, actor__in=scope.people)
    ).filter(Q(actor__isnull=True) | Q(actor__in=scope.people))


register("accounts.department", shared=True)
register("accounts.skill", shared=True)
register(
    "accounts.user", where=lambda qs, scope: qs.filter(pk__in=scope.people)
)
register("accounts.expertise", person="user")
register("accounts.endorsement", where=_endorsements)
register("communities.community", community="pk")
register("communities.membership", community="community")
register("communities.invitation", community="community")
register("conversations.tag", community="community")
register("conversations.conversation", community="community")
register("conversations.reply", community="conversation__community")
register("conversations.comment", community="conversation__community")
register("conversations.vote", community="conversation__community")
register("conversations.worked", community="reply__conversation__community")
register("conversations.revision", community="conversation__community")
register("conversations.askrequest", community="conversation__community")
register("conversations.flag", community="conversation__community")
register("conversations.conversationlink", community="source__community")
register("repertoire.artifact", community="community")
register("repertoire.artifactrevision", community="artifact__community")
register(
    "repertoire.attachment", community="artifact__community", files=("file",)
)
register("repertoire.helped", community="artifact__community")
# Events: occurrences, RSVPs, attendance, notes (problems, action items).
register("events.event", community="community")
register("events.occurrence", community="event__community")
register("events.rsvp", community="occurrence__event__community")
register("events.attendance", community="occurrence__event__community")
register("events.problem", community="occurrence__event__community")
register("events.actionitem", community="occurrence__event__community")
register("events.sentreminder", community="occurrence__event__community")
register("events.feedtoken", person="user")
# Mentoring: help offers and requests, matches, mentorships, pathways.
register("mentoring.helpoffer", community="community")
register("mentoring.helprequest", community="community")
register("mentoring.match", community="community")
register("mentoring.mentorship", community="community")
register("mentoring.checkin", community="mentorship__community")
register(
    "mentoring.checkinreminder", community="checkin__mentorship__community"
)
register("mentoring.mentorshipnote", community="mentorship__community")
register("mentoring.feedback", community="mentorship__community")
register("mentoring.pathway", community="community")
register("mentoring.pathwaystep", community="pathway__community")
register("mentoring.pathwayprogress", community="pathway__community")
register("mentoring.stepdone", community="step__pathway__community")
# Notifications: each person's settings and follows; the inbox, digests
# and deliveries only in a whole-site export (they name other people's
# notifications).
register("notifications.preference", person="user")
register("notifications.follow", person="user")
register("notifications.notification", site_only=True)
register("notifications.digest", site_only=True)
register("notifications.digestitem", site_only=True)
register("notifications.delivery", site_only=True)
register("notifications.cursor", site_only=True)
# Analytics: value stories and reflections; sponsor grants span
# communities, so only in a whole-site export.
register("analytics.valuestory", community="community")
register("analytics.storylink", community="story__community")
register("analytics.reflection", community="community")
register("analytics.sponsorgrant", site_only=True)
register("core.activity", where=_activity)
register("transfer.importkey", site_only=True)
