"""``practica import stackexchange DIR --community SLUG``.

Reads one site of the Stack Exchange data dump (Users, Posts, Comments,
PostHistory, Tags, Votes and Badges XML) into a community:

==================  =====================================================
Users.xml           unclaimed accounts (``se-<site>-<id>@unclaimed.invalid``,
                    no usable password) and active memberships
Tags.xml            tags; the tag wiki excerpts (posts of type 4) become
                    their descriptions
Posts.xml           questions (type 1) with title, tags, score, views,
                    closed state and accepted answer; answers (type 2)
                    with their scores. Bodies: HTML to Markdown
Comments.xml        comments on questions and answers
PostHistory.xml     each edit (rows sharing a RevisionGUID) becomes a
                    revision with its author, date and edit summary
Votes.xml           read and counted: the public dump's votes name no
                    voter, so scores come from Posts.xml
Badges.xml          read and counted: Practica has no badges
PostLinks.xml       duplicates (``Conversation.duplicate_of``) and links
                    between questions (:class:`ConversationLink`);
                    optional
==================  =====================================================

Every file is read twice, streamed through expat (memory holds one
chunk of rows): first a check of the whole dump (well-formed, the right
root element, ids and dates where they must be), so bad input stops the
import before anything is written, naming the file and line; then the
load, in batches of ``batch_size`` rows, one transaction each, rows
written as tuples with one ``executemany`` per table (no model instance
per row). The files are checked in parallel in worker processes
(``transfer.pool``); the check notes where Users, Posts, Comments and
PostHistory can be cut into batches, and the workers parse and prepare
those ranges, texts converted (``transfer.se_posts``,
``transfer.se_rows``), while this process writes the ones before. A
large first import on SQLite builds the posts' secondary indexes after
the load (``importer.indexes_after``).
Each imported record leaves an :class:`ImportKey` in
the same transaction, so a run killed midway leaves whole records only,
and the next run skips what exists and finishes the rest: the result is
the same as one uninterrupted run. References read before their target
(an accepted answer) and the counters are settled at the end, from the
rows themselves, which is idempotent too.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from practica.accounts.models import User
from practica.communities.models import Community, Membership, Role, Status
from practica.conversations import importer
from practica.conversations.models import (
    Comment,
    Conversation,
    ConversationLink,
    Kind,
    LinkKind,
    Reply,
    Revision,
    State,
    Tag,
)
from practica.core import text
from practica.core.models import Activity
from practica.transfer import markup, se_posts, se_rows
from practica.transfer.dumps import (
    DumpError,
    Keys,
    Progress,
    Result,
    maybe_number,
    moment,
    number,
    xml_rows,
)
from practica.transfer.models import ImportKey
from practica.transfer.pool import Bodies, default_workers
from practica.transfer.se_files import (
    FILES,
    FILES_READ,
    LINKS,
    TAG_EXCERPT,
    check_file,
)
from practica.transfer.se_posts import Answer, Other, Question
from practica.transfer.services import UNCLAIMED_DOMAIN
from practica.transfer.xmlrows import Splits, prepare_range

BATCH = 1000
# A first import of this many posts or more (and more than the site
# holds already) builds the posts' secondary indexes after the load.
DEFER_INDEXES_FROM = 5000
LINK_KINDS = {1: LinkKind.LINKED, 3: LinkKind.DUPLICATE}
MAX_COMMENT = 600


def site_name(directory: Path) -> str:
    """``bicycles.meta.stackexchange.com`` → ``bicycles-meta``."""
    name = directory.resolve().name.lower()
    for suffix in (".stackexchange.com", ".com", ".net"):
        name = name.removesuffix(suffix)
    return slugify(name.replace(".", "-"))[:40] or "site"


def unclaimed_email(site: str, user_id: int) -> str:
    return f"se-{site}-{user_id}@{UNCLAIMED_DOMAIN}"


def check_directory(directory: Path) -> None:
    """Refuse a directory that is not one Stack Exchange site's dump,
    saying what it looks like instead."""
    if not directory.is_dir():
        raise DumpError(f"{directory} is not a directory.")
    present = {p.name for p in directory.iterdir()}
    if "Posts.xml" not in present:
        inner = sorted(
            p.name
            for p in directory.iterdir()
            if p.is_dir() and (p / "Posts.xml").exists()
        )
        if inner:
            raise DumpError(
                f"{directory} holds no Posts.xml, but {', '.join(inner)} "
                "does: pass that site's folder."
            )
        hint = ""
        if {"users.jsonl", "threads.jsonl"} & present:
            hint = " It looks like a Q&A corpus: use practica import_corpus."
        elif "practica.jsonl" in present:
            hint = " It looks like a Practica export: use import practica."
        elif {"posts.json", "topics.json"} & present:
            hint = " It looks like a Discourse export: use import discourse."
        raise DumpError(
            f"{directory} is not a Stack Exchange dump: it has no "
            f"Posts.xml (a dump has {', '.join(FILES)}).{hint}"
        )
    missing = [name for name in FILES if name not in present]
    if missing:
        raise DumpError(
            f"{directory / missing[0]}: the file is missing; a Stack "
            f"Exchange dump has {', '.join(FILES)}."
        )


def check(
    directory: Path,
    progress: Progress,
    pool: Bodies | None = None,
    every: int = BATCH,
) -> tuple[dict[str, int], dict[str, Splits]]:
    """Read the whole dump once without writing (the files side by side
    in the pool's workers when it has some); rows per file, and where
    the ranges of ``every`` rows start in the files the load parses a
    range at a time (``RANGED``).

    Refuses what the load could not use, naming the file and line (the
    first such file in the order of ``FILES``).
    """
    names = list(FILES)
    if (directory / LINKS).exists():
        names.append(LINKS)
    counts: dict[str, int] = {}
    splits: dict[str, Splits] = {}
    for name, (found, cut) in zip(
        names,
        (pool or Bodies(0)).map(
            partial(check_file, directory, every=max(1, every)),
            names,
            cost=lambda name: (directory / name).stat().st_size,
        ),
        strict=True,
    ):
        counts.update(found)
        if cut is not None:
            splits[name] = cut
        progress("check", 1)
    return counts, splits


_line = se_posts.line


def _markdown(raw: str) -> str:
    return text.clean_markdown(
        markup.to_markdown(raw), field="body", max_length=10**9
    )


@dataclass
class _State:
    """A post's latest revision while PostHistory streams by."""

    number: int
    title: str
    body: str


# A row read here: where it was read and its attributes.
Row = tuple[str, dict[str, str]]

USER_FIELDS = (
    "email",
    "display_name",
    "password",
    "date_joined",
    "location",
    "introduction",
    "introduction_html",
)
MEMBER_FIELDS = (
    "user_id",
    "community_id",
    "role",
    "status",
    "joined_at",
    "created_at",
    "updated_at",
)
QUESTION_FIELDS = (
    "community_id",
    "kind",
    "author_id",
    "title",
    "body",
    "body_html",
    "tag_names",
    "state",
    "state_reason",
    "score",
    "view_count",
    "last_activity_at",
    "edited_at",
    "created_at",
    "updated_at",
    "import_key",
)
ANSWER_FIELDS = (
    "conversation_id",
    "author_id",
    "body",
    "body_html",
    "from_practice",
    "score",
    "edited_at",
    "digest",
    "created_at",
    "updated_at",
)
# Given as the database stores them (se_posts prepares them so on SQLite).
QUESTION_STORED = (
    "tag_names",
    "last_activity_at",
    "edited_at",
    "created_at",
    "updated_at",
)
ANSWER_STORED = ("edited_at", "created_at", "updated_at")
ACTIVITY_FIELDS = (
    "actor_id",
    "verb",
    "target_type_id",
    "target_id",
    "community_id",
    "summary",
    "data",
    "created_at",
)
COMMENT_FIELDS = (
    "conversation_id",
    "reply_id",
    "author_id",
    "body",
    "body_html",
    "created_at",
)
REVISION_FIELDS = (
    "conversation_id",
    "reply_id",
    "number",
    "author_id",
    "title",
    "body",
    "message",
    "created_at",
)


class StackExchangeImport:
    def __init__(
        self,
        directory: Path,
        *,
        community: Community,
        site: str,
        result: Result,
        batch_size: int,
        progress: Progress,
        rerender: bool,
        pool: Bodies | None = None,
        splits: dict[str, Splits] | None = None,
    ) -> None:
        self.directory = directory
        self.splits = splits or {}
        self.community = community
        self.site = site
        self.people = Keys(f"se:{site}")
        self.keys = Keys(f"se:{site}:c{community.pk}")
        self.result = result
        self.batch_size = batch_size
        self.progress = progress
        self.rerender = rerender
        self.pool = pool or Bodies(0)
        self.tags: dict[str, int] = dict(
            Tag.objects.filter(community=community).values_list("slug", "pk")
        )
        self.excerpts: dict[int, str] = {}  # excerpt post id → tag slug
        self.conversation_type = ContentType.objects.get_for_model(
            Conversation
        )

    # --- helpers -------------------------------------------------------

    def rows(self, name: str) -> Any:
        return xml_rows(self.directory / name, FILES_READ[name])

    def batches(self, name: str) -> Iterator[list[Row]]:
        batch: list[Row] = []
        for line, attrs in self.rows(name):
            batch.append((f"{name}:{line}", attrs))
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def authors(self, ids: Iterable[int | str | None]) -> dict[str, int]:
        return self.people.find("user", ids)

    def _bodies(self) -> Any:
        return partial(markup.convert_bodies, rerender=self.rerender)

    def options(self, convert: bool) -> se_posts.Options:
        return se_posts.Options(
            site=self.site,
            sqlite=connection.vendor == "sqlite",
            convert=convert,
            rerender=self.rerender,
        )

    def prepared[T](
        self, name: str, prepare: Callable[[se_posts.Rows], T]
    ) -> Iterator[T]:
        """``prepare`` of ``name``'s rows a batch at a time, in file
        order. The pool's workers parse and prepare the ranges the check
        found (or, for a file that cannot be cut, the batches read here)
        while the batches before them are written."""
        splits = self.splits.get(name)
        if splits is not None and splits.usable:
            work: Callable[[Any], T] = partial(
                prepare_range, self.directory / name, splits.encoding, prepare
            )
            spans: Iterable[Any] = splits.ranges()
        else:
            work, spans = prepare, self.batches(name)
        for _, out in self.pool.pipeline(work, spans, _same):
            yield out

    def then_convert[U](
        self,
        batches: Iterator[list[U]],
        convert: Callable[[list[str]], list[tuple[str, str]]],
        sources: Callable[[list[U]], list[str]],
        put: Callable[[list[U], list[tuple[str, str]]], list[U]],
    ) -> Iterator[list[U]]:
        """The batches with the texts ``sources`` picks (those not
        imported yet: a run after an earlier one) converted in the pool
        and ``put`` in place."""
        for batch, converted in self.pool.pipeline(convert, batches, sources):
            yield put(batch, converted)

    # --- Users.xml -----------------------------------------------------

    def users(self) -> None:
        unusable = make_password(None)
        fresh = not self.people.any(("user",))
        batches = self.prepared(
            "Users.xml", partial(se_rows.people, options=self.options(fresh))
        )
        if not fresh:

            def new_intros(batch: list[se_rows.Person]) -> list[str]:
                known = self.authors({p.id for p in batch})
                return ["" if str(p.id) in known else p.body for p in batch]

            batches = self.then_convert(
                batches, self._bodies(), new_intros, se_rows.with_texts
            )
        for batch in batches:
            known = self.authors({p.id for p in batch})
            new = [
                (
                    p.id,
                    (
                        unclaimed_email(self.site, p.id),
                        p.name,
                        unusable,
                        p.joined,
                        p.location,
                        p.body,
                        p.html,
                    ),
                )
                for p in batch
                if str(p.id) not in known
            ]
            joined = {str(p.id): p.joined for p in batch}
            self.result.skip("people", len(batch) - len(new))
            with transaction.atomic():
                known.update(self._write_users(new))
                self._memberships(
                    {pk: joined[uid] for uid, pk in known.items()}
                )
            self.progress("people", len(batch))

    def _write_users(
        self, fresh: list[tuple[int, tuple[Any, ...]]]
    ) -> dict[str, int]:
        """Accounts for people not imported yet; their ids by SE id."""
        if not fresh:
            return {}
        # An address taken already (the same dump imported by hand) is
        # that person.
        emails = [row[0] for _, row in fresh]
        taken: dict[str, int] = dict(
            importer.select_in(
                User, ("email", "id"), "1 = %s", [1], "email", emails
            )
        )
        new = [row for _, row in fresh if row[0] not in taken]
        ids = importer.insert_rows(
            User, USER_FIELDS, new, stored=("date_joined",)
        )
        taken.update((row[0], pk) for row, pk in zip(new, ids, strict=True))
        pairs = [(uid, taken[row[0]]) for uid, row in fresh]
        self.people.add("user", pairs)
        self.result.add("people", len(new))
        return {str(uid): pk for uid, pk in pairs}

    def _memberships(self, joined: dict[int, Any]) -> None:
        """Active memberships for these people where they have none
        (people already imported for another community join this one)."""
        community = self.community.pk
        members = {
            pk
            for (pk,) in importer.select_in(
                Membership,
                ("user_id",),
                "community_id = %s",
                [community],
                "user_id",
                joined,
            )
        }
        rows = [
            (pk, community, Role.MEMBER, Status.ACTIVE, when, when, when)
            for pk, when in joined.items()
            if pk not in members
        ]
        importer.insert_rows(
            Membership,
            MEMBER_FIELDS,
            rows,
            stored=("joined_at", "created_at", "updated_at"),
        )
        self.result.add("memberships", len(rows))

    # --- Tags.xml ------------------------------------------------------

    def tag_list(self) -> None:
        missing: list[Tag] = []
        for where, attrs in (
            (f"Tags.xml:{line}", a) for line, a in self.rows("Tags.xml")
        ):
            name = _line(attrs.get("TagName", ""), 40)
            slug = slugify(name)[:40]
            if not slug:
                raise DumpError(f"{where}: the tag name {name!r} is empty.")
            excerpt = maybe_number(attrs, "ExcerptPostId", where)
            if excerpt is not None:
                self.excerpts[excerpt] = slug
            if slug not in self.tags:
                self.tags[slug] = 0
                missing.append(
                    Tag(community=self.community, name=name, slug=slug)
                )
            self.progress("tags", 1)
        if missing:
            Tag.objects.bulk_create(missing)
            self.tags.update({t.slug: t.pk for t in missing})
            self.result.add("tags", len(missing))

    def _tag_ids(self, tags: list[tuple[str, str]]) -> list[int]:
        """Ids of the tags (name, slug), made where they are new."""
        missing = []
        for name, slug in tags:
            if slug not in self.tags:
                self.tags[slug] = 0
                missing.append(
                    Tag(community=self.community, name=name, slug=slug)
                )
        if missing:
            Tag.objects.bulk_create(missing)
            self.tags.update({t.slug: t.pk for t in missing})
            self.result.add("tags", len(missing))
        return [self.tags[slug] for _, slug in tags]

    # --- Posts.xml -----------------------------------------------------

    def posts(self) -> None:
        """Questions and answers in one pass over Posts.xml: each batch's
        questions first, then its answers. An answer read before its
        question (rare: ids rise through the file) waits for the end.
        The pool's workers parse the batches and convert their bodies
        (:mod:`se_posts`) while earlier batches are written here."""
        waiting: list[Answer] = []
        for batch in self._post_batches():
            self._excerpts(batch)
            done = self.keys.find(
                ("question", "answer"), (p.id for p in batch)
            )
            questions = [p for p in batch if isinstance(p, Question)]
            answers = [p for p in batch if isinstance(p, Answer)]
            other = len(batch) - len(questions) - len(answers)
            self.result.read["other posts"] = (
                self.result.read.get("other posts", 0) + other
            )
            new_questions = [q for q in questions if q.id not in done]
            new_answers = [p for p in answers if p.id not in done]
            self.result.skip("questions", len(questions) - len(new_questions))
            self.result.skip("answers", len(answers) - len(new_answers))
            if new_questions or new_answers:
                with transaction.atomic():
                    if new_questions:
                        self._write_questions(new_questions)
                    if new_answers:
                        waiting.extend(self._write_answers(new_answers))
            self.progress("posts", len(batch))
        if waiting:
            with transaction.atomic():
                orphans = self._write_answers(waiting)
            # Their question was deleted before the dump was taken.
            self.result.skip("answers", len(orphans))

    def _post_batches(self) -> Iterator[list[se_posts.Post]]:
        """Posts.xml a batch at a time, ready to write, in file order.

        The workers parse the ranges the check found (or, for a file
        that cannot be cut, the batches read here). On a first run they
        convert every body too; when an earlier run wrote posts, only
        the new posts' bodies are converted, in a second round.
        """
        fresh = not self.keys.any(("question", "answer"))
        prepared = self.prepared(
            "Posts.xml", partial(se_posts.prepare, options=self.options(fresh))
        )
        if fresh:
            yield from prepared
            return

        def new_bodies(batch: list[se_posts.Post]) -> list[str]:
            done = self.keys.find(
                ("question", "answer"), (p.id for p in batch)
            )
            return [
                "" if isinstance(p, Other) or p.id in done else p.body
                for p in batch
            ]

        yield from self.then_convert(
            prepared, self._bodies(), new_bodies, se_posts.with_bodies
        )

    def _excerpts(self, batch: list[se_posts.Post]) -> None:
        changed: list[Tag] = []
        for post in batch:
            if not isinstance(post, Other) or post.kind != str(TAG_EXCERPT):
                continue
            slug = self.excerpts.get(int(post.id))
            if slug is None:
                continue
            changed.append(Tag(pk=self.tags[slug], description=post.excerpt))
        if changed:
            Tag.objects.bulk_update(changed, ["description"])

    def _write_questions(self, todo: list[Question]) -> None:
        people = self.authors({q.owner for q in todo if q.owner})
        rows: list[tuple[Any, ...]] = []
        links: list[list[int]] = []
        accepted: dict[str, str] = {}
        community = self.community.pk
        for q in todo:
            if not q.title:
                raise DumpError(f"{q.where}: a question without a Title.")
            links.append(self._tag_ids(q.tags))
            rows.append(
                (
                    community,
                    Kind.QUESTION,
                    people.get(q.owner),
                    q.title,
                    q.body,
                    q.html,
                    q.tag_names,
                    State.CLOSED if q.reason else State.OPEN,
                    q.reason,
                    q.score,
                    q.views,
                    q.last_activity,
                    q.edited,
                    q.created,
                    q.updated,
                    q.key,
                )
            )
            if q.accepted:
                accepted[q.id] = q.accepted
        ids = importer.insert_rows(
            Conversation, QUESTION_FIELDS, rows, stored=QUESTION_STORED
        )
        importer.insert_rows(
            Conversation.tags.through,
            ("conversation_id", "tag_id"),
            [
                (pk, tag)
                for pk, tags in zip(ids, links, strict=True)
                for tag in dict.fromkeys(tags)
            ],
        )
        self.keys.add(
            "question",
            [(q.id, pk) for q, pk in zip(todo, ids, strict=True)],
            pending=accepted,
        )
        kind = self.conversation_type.pk
        importer.insert_rows(
            Activity,
            ACTIVITY_FIELDS,
            [
                (
                    row[2],
                    "question.created",
                    kind,
                    pk,
                    community,
                    q.title[:300],
                    q.activity,
                    q.created,
                )
                for row, q, pk in zip(rows, todo, ids, strict=True)
            ],
            stored=("data", "created_at"),
        )
        self.result.add("questions", len(rows))
        self.result.add("activity", len(rows))

    def _write_answers(self, todo: list[Answer]) -> list[Answer]:
        """Write the answers whose question is in; return the others."""
        people = self.authors({p.owner for p in todo if p.owner})
        parents = self.keys.find("question", (p.parent for p in todo))
        rows: list[tuple[Any, ...]] = []
        keys: list[str] = []
        later: list[Answer] = []
        for post in todo:
            conversation = parents.get(post.parent)
            if conversation is None:
                later.append(post)
                continue
            if not post.body:
                self.result.skip("answers")
                continue
            author = people.get(post.owner)
            rows.append(
                (
                    conversation,
                    author,
                    post.body,
                    post.html,
                    True,
                    post.score,
                    post.edited,
                    importer.digest(author, post.body),
                    post.created,
                    post.updated,
                )
            )
            keys.append(post.id)
        ids = importer.insert_rows(
            Reply, ANSWER_FIELDS, rows, stored=ANSWER_STORED
        )
        self.keys.add("answer", zip(keys, ids, strict=True))
        self.result.add("answers", len(rows))
        return later

    # --- Comments.xml --------------------------------------------------

    def comments(self) -> None:
        fresh = not self.keys.any(("comment",))
        batches = self.prepared(
            "Comments.xml",
            partial(
                se_rows.remarks,
                options=self.options(fresh),
                max_length=MAX_COMMENT,
            ),
        )
        if not fresh:

            def new_texts(batch: list[se_rows.Remark]) -> list[str]:
                done = self.keys.find("comment", (r.id for r in batch))
                return ["" if r.id in done else r.body for r in batch]

            batches = self.then_convert(
                batches,
                partial(markup.convert_comments, max_length=MAX_COMMENT),
                new_texts,
                se_rows.with_texts,
            )
        for batch in batches:
            done = self.keys.find("comment", (r.id for r in batch))
            todo = [r for r in batch if r.id not in done]
            self.result.skip("comments", len(batch) - len(todo))
            if todo:
                with transaction.atomic():
                    self._write_comments(todo)
            self.progress("comments", len(batch))

    def _posts(self, ids: set[str]) -> dict[str, tuple[int, int | None]]:
        """SE post id → (conversation, reply or None)."""
        found = self.keys.kinds(("question", "answer"), ids)
        answers = {t for kind, t in found.values() if kind == "answer"}
        parent: dict[int, int] = dict(
            importer.select_in(
                Reply, ("id", "conversation_id"), "1 = %s", [1], "id", answers
            )
        )
        posts: dict[str, tuple[int, int | None]] = {}
        for key, (kind, target) in found.items():
            if kind == "question":
                posts[key] = (target, None)
            elif target in parent:
                posts[key] = (parent[target], target)
        return posts

    def _write_comments(self, todo: list[se_rows.Remark]) -> None:
        people = self.authors({r.user for r in todo if r.user})
        posts = self._posts({r.post for r in todo})
        rows: list[tuple[Any, ...]] = []
        keys: list[str] = []
        for r in todo:
            post = posts.get(r.post)
            if post is None or not r.body:
                self.result.skip("comments")
                continue
            rows.append(
                (
                    post[0],
                    post[1],
                    people.get(r.user),
                    r.body,
                    r.html,
                    r.created,
                )
            )
            keys.append(r.id)
        ids = importer.insert_rows(
            Comment, COMMENT_FIELDS, rows, stored=("created_at",)
        )
        self.keys.add("comment", zip(keys, ids, strict=True))
        self.result.add("comments", len(rows))

    # --- PostHistory.xml -------------------------------------------------

    def history(self) -> None:
        last: se_rows.Edit | None = None
        for read, batch in self.prepared(
            "PostHistory.xml",
            partial(se_rows.edits, options=self.options(False)),
        ):
            # A range may end inside an edit: its last edit waits for the
            # next range, whose first rows may continue it.
            if last is not None:
                if batch and last.continues(batch[0]):
                    batch[0] = last.join(batch[0])
                else:
                    batch.insert(0, last)
            last = batch.pop() if batch else None
            if batch:
                self._history_batch(batch)
            self.progress("history", read)
        if last is not None:
            self._history_batch([last])

    def _history_batch(self, batch: list[se_rows.Edit]) -> None:
        keys = [f"{g.post}:{g.key}" for g in batch]
        done = self.keys.find("revision", keys)
        todo = [g for g, k in zip(batch, keys, strict=True) if k not in done]
        self.result.skip("revisions", len(batch) - len(todo))
        if todo:
            with transaction.atomic():
                self._write_history(todo)

    def _latest(
        self, posts: dict[str, tuple[int, int | None]]
    ) -> dict[tuple[int, int | None], _State]:
        conversations = {c for c, _ in posts.values()}
        wanted = set(posts.values())
        numbers = {
            (c, r): n
            for c, r, n in Revision.objects.filter(
                conversation_id__in=conversations
            )
            .values("conversation_id", "reply_id")
            .annotate(n=Max("number"))
            .values_list("conversation_id", "reply_id", "n")
            if (c, r) in wanted
        }
        states: dict[tuple[int, int | None], _State] = {}
        if not numbers:
            return states
        for c, r, n, title, body in Revision.objects.filter(
            conversation_id__in={c for c, _ in numbers},
            number__in=set(numbers.values()),
        ).values_list(
            "conversation_id", "reply_id", "number", "title", "body"
        ):
            if numbers.get((c, r)) == n:
                states[(c, r)] = _State(n, title, body)
        return states

    def _write_history(self, todo: list[se_rows.Edit]) -> None:
        posts = self._posts({str(g.post) for g in todo})
        people = self.authors({g.user for g in todo})
        states = self._latest(posts)
        rows: list[tuple[Any, ...]] = []
        keys: list[str] = []
        for g in todo:
            post = posts.get(str(g.post))
            if post is None:
                # A tag wiki, or a post deleted before the dump.
                self.result.skip("revisions")
                continue
            state = states.get(post) or _State(0, "", "")
            title = g.title if g.title is not None else state.title
            body = g.body if g.body is not None else state.body
            state = _State(
                state.number + 1, title if post[1] is None else "", body
            )
            states[post] = state
            rows.append(
                (
                    post[0],
                    post[1],
                    state.number,
                    people.get(str(g.user)),
                    state.title,
                    state.body,
                    g.message or _message(g, state.number),
                    g.when,
                )
            )
            keys.append(f"{g.post}:{g.key}")
        ids = importer.insert_rows(
            Revision, REVISION_FIELDS, rows, stored=("created_at",)
        )
        self.keys.add("revision", zip(keys, ids, strict=True))
        self.result.add("revisions", len(rows))

    # --- the end -------------------------------------------------------

    def finish(self) -> None:
        """Accepted answers, the latest revisions, revision 1 where the
        history had none, and every counter: from the rows, so running
        it twice gives the same."""
        with transaction.atomic():
            self._accepted()
            self._current_revisions()
            _recount_conversations(self.community)
            importer.recount(self.community)

    def _accepted(self) -> None:
        rows = list(
            ImportKey.objects.filter(source=self.keys.source, kind="question")
            .exclude(pending="")
            .values_list("target_id", "pending")
        )
        for start in range(0, len(rows), self.batch_size):
            chunk = rows[start : start + self.batch_size]
            answers = self.keys.find("answer", (p for _, p in chunk))
            replies = dict(
                Reply.objects.filter(pk__in=answers.values()).values_list(
                    "pk", "conversation_id"
                )
            )
            changed = []
            for conversation, answer in chunk:
                reply = answers.get(answer)
                if reply is not None and replies.get(reply) == conversation:
                    changed.append((conversation, reply))
            importer.update_rows(Conversation, "accepted_reply_id", changed)

    # --- PostLinks.xml -------------------------------------------------

    def post_links(self) -> None:
        """Duplicates (LinkTypeId 3: the post duplicates the related
        one) set ``duplicate_of`` and, like links (LinkTypeId 1), leave
        a :class:`ConversationLink`. Links between posts that are not
        both imported questions are skipped."""
        if not (self.directory / LINKS).exists():
            return
        for batch in self.batches(LINKS):
            done = self.keys.find("link", (a["Id"] for _, a in batch))
            todo = [(w, a) for w, a in batch if a["Id"] not in done]
            self.result.skip("links", len(batch) - len(todo))
            if todo:
                with transaction.atomic():
                    self._write_links(todo)
            self.progress("links", len(batch))

    def _write_links(self, todo: list[Row]) -> None:
        questions = self.keys.find(
            "question",
            {a[k] for _, a in todo for k in ("PostId", "RelatedPostId")},
        )
        rows: list[tuple[Any, ...]] = []
        keys: list[str] = []
        duplicates: dict[int, int] = {}
        # The same link twice (another row for the same pair) is one.
        there = set(
            importer.select_in(
                ConversationLink,
                ("source_id", "target_id", "kind"),
                "1 = %s",
                [1],
                "source_id",
                questions.values(),
            )
        )
        for where, a in todo:
            kind = LINK_KINDS.get(number(a, "LinkTypeId", where))
            source = questions.get(a["PostId"])
            target = questions.get(a["RelatedPostId"])
            if kind is None or source is None or target is None:
                # An answer, a deleted post or another site's question.
                self.result.skip("links")
                continue
            if source == target or (source, target, kind) in there:
                self.result.skip("links")
                continue
            there.add((source, target, kind))
            if kind == LinkKind.DUPLICATE:
                duplicates[source] = target
            rows.append(
                (source, target, kind, moment(a, "CreationDate", where))
            )
            keys.append(a["Id"])
        ids = importer.insert_rows(
            ConversationLink,
            ("source_id", "target_id", "kind", "created_at"),
            rows,
        )
        importer.update_rows(
            Conversation, "duplicate_of_id", list(duplicates.items())
        )
        self.keys.add("link", zip(keys, ids, strict=True))
        self.result.add("links", len(rows))

    def _chunks(self, queryset: Any) -> Iterator[list[int]]:
        """The queryset's ids, in its order, a batch at a time."""
        ids = list(queryset.values_list("pk", flat=True))
        size = max(1, min(self.batch_size, importer.LOOKUP))
        for start in range(0, len(ids), size):
            yield ids[start : start + size]

    def _current_revisions(self) -> None:
        # The newest revision holds the text as it is now (in Practica's
        # Markdown; older ones keep the author's Stack Exchange Markdown),
        # so the next edit's diff shows only that edit.
        community = self.community
        now = timezone.now()
        questions = Conversation.objects.filter(
            community=community, import_key__startswith=f"se:{self.site}:"
        )
        # A batch at a time (only the ids of all of them are held): the
        # rows carry their bodies, and a large dump has many.
        no_history = questions.exclude(
            pk__in=Revision.objects.filter(
                conversation__in=questions, reply__isnull=True
            ).values("conversation_id")
        )
        for chunk in self._chunks(no_history):
            importer.insert_rows(
                Revision,
                REVISION_FIELDS,
                [
                    (pk, None, 1, author, title, body, "Imported", when or now)
                    for pk, author, title, body, when in _in_order(
                        chunk,
                        Conversation.objects.filter(pk__in=chunk).values_list(
                            "pk", "author_id", "title", "body", "created_at"
                        ),
                    )
                ],
            )
        answers = Reply.objects.filter(conversation__in=questions)
        bare = answers.exclude(
            pk__in=Revision.objects.filter(
                conversation__in=questions, reply__isnull=False
            ).values("reply_id")
        )
        for chunk in self._chunks(bare):
            importer.insert_rows(
                Revision,
                REVISION_FIELDS,
                [
                    (c, pk, 1, author, "", body, "Imported", when or now)
                    for pk, c, author, body, when in _in_order(
                        chunk,
                        Reply.objects.filter(pk__in=chunk).values_list(
                            "pk",
                            "conversation_id",
                            "author_id",
                            "body",
                            "created_at",
                        ),
                    )
                ],
            )
        newest = (
            Revision.objects.filter(
                conversation_id=OuterRef("conversation_id"),
                reply_id=OuterRef("reply_id"),
            )
            .order_by("-number")
            .values("pk")[:1]
        )
        newest_question = (
            Revision.objects.filter(
                conversation_id=OuterRef("conversation_id"),
                reply__isnull=True,
            )
            .order_by("-number")
            .values("pk")[:1]
        )
        Revision.objects.filter(
            reply__isnull=True,
            conversation__in=questions,
            pk=Subquery(newest_question),
        ).update(
            title=Subquery(
                Conversation.objects.filter(
                    pk=OuterRef("conversation_id")
                ).values("title")[:1]
            ),
            body=Subquery(
                Conversation.objects.filter(
                    pk=OuterRef("conversation_id")
                ).values("body")[:1]
            ),
        )
        Revision.objects.filter(
            reply__isnull=False,
            conversation__in=questions,
            pk=Subquery(newest),
        ).update(
            body=Subquery(
                Reply.objects.filter(pk=OuterRef("reply_id")).values("body")[
                    :1
                ]
            )
        )


def _in_order(
    ids: list[int], rows: Iterable[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """``rows`` (id first) in the order of ``ids``."""
    found = {row[0]: row for row in rows}
    return [found[pk] for pk in ids]


def _same(value: Any) -> Any:
    return value


def _message(g: se_rows.Edit, n: int) -> str:
    if n == 1:
        return "Posted on Stack Exchange"
    if g.types & {7, 8, 9}:
        return "Rolled back"
    return "Edited"


def _recount_conversations(community: Community) -> None:
    """Answers and comments per question and per answer, from the rows."""
    Reply.objects.filter(conversation__community=community).update(
        comment_count=importer.per_row(Comment, "reply_id")
    )
    Conversation.objects.filter(community=community).update(
        reply_count=importer.per_row(Reply, "conversation_id"),
        comment_count=importer.per_row(Comment, "conversation_id"),
    )


# Tables the posts phase fills, whose secondary indexes it may build at
# its end (importer.indexes_after).
POST_TABLES: tuple[type[models.Model], ...] = (
    Conversation,
    Reply,
    Activity,
    Conversation.tags.through,
    ImportKey,
)

VOTE_TYPES = {"2": "up", "3": "down", "1": "accepted", "5": "favourite"}


def import_stackexchange(
    directory: Path | str,
    *,
    community: str,
    name: str = "",
    site: str = "",
    batch_size: int = BATCH,
    index: bool = True,
    rerender: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    counted: Callable[[dict[str, int]], None] | None = None,
) -> Result:
    """Import one Stack Exchange site's dump into the community
    ``community`` (a slug; created public and open when missing).

    Safe to run again and to run after a run that was killed: what is
    there is skipped, what is missing is added. Refuses a directory that
    is not a dump, a missing file, malformed XML and rows without the
    ids and dates they need, naming the file and line, before writing
    anything. ``workers`` processes convert the bodies (default: two
    for a large dump, none for a small one); ``counted`` is told the
    rows per file once the check has read them.
    """
    directory = Path(directory)
    step = progress or (lambda _phase, _n: None)
    started = time.perf_counter()
    check_directory(directory)
    if workers is None:
        workers = default_workers(directory / "Posts.xml")
    with Bodies(workers) as pool:
        read, splits = check(directory, step, pool, batch_size)
        if counted is not None:
            counted(read)
        result = _load(
            directory,
            read,
            pool,
            community=community,
            name=name,
            site=slugify(site) if site else site_name(directory),
            batch_size=batch_size,
            rerender=rerender,
            progress=step,
            splits=splits,
        )
    result.notes.append(
        "Votes.xml: "
        + ", ".join(
            f"{read.get(f'votes {k}', 0):,} {label}"
            for k, label in VOTE_TYPES.items()
        )
        + " votes read; the dump does not say who voted, so scores come "
        "from Posts.xml and no person's vote is recorded."
    )
    result.notes.append(
        f"Badges.xml: {read.get('Badges.xml', 0):,} badges read; Practica "
        "has no badges, so they are not imported."
    )
    if LINKS not in read:
        result.notes.append(
            f"{LINKS} is not in the dump: no duplicates or links imported."
        )
    if result.rows and index:
        from practica.search import indexer

        begun = time.perf_counter()
        result.indexed = indexer.rebuild(lambda n: step("index", n))
        result.index_seconds = time.perf_counter() - begun
    elif index and not _index_built():
        from practica.search import indexer

        result.indexed = indexer.rebuild(lambda n: step("index", n))
    result.seconds = time.perf_counter() - started
    return result


def _load(
    directory: Path,
    read: dict[str, int],
    pool: Bodies,
    *,
    community: str,
    name: str,
    site: str,
    batch_size: int,
    rerender: bool,
    progress: Progress,
    splits: dict[str, Splits] | None = None,
) -> Result:
    with (
        importer.bulk_load(),
        importer.dates_as_given(
            Membership,
            Conversation,
            Reply,
            Revision,
            Activity,
            Comment,
            ImportKey,
        ),
    ):
        try:
            target, created = importer.ensure_community(
                community,
                name,
                f"Questions and answers imported from {directory.name}.",
            )
        except importer.CorpusError as exc:
            raise DumpError(str(exc)) from exc
        # A run killed while the posts' indexes were down left them so.
        importer.ensure_indexes(*POST_TABLES)
        result = Result(community=target, community_created=created)
        result.read.update(
            {k: v for k, v in read.items() if not k.startswith("votes ")}
        )
        job = StackExchangeImport(
            directory,
            community=target,
            site=site,
            result=result,
            batch_size=batch_size,
            progress=progress,
            rerender=rerender,
            pool=pool,
            splits=splits,
        )
        job.users()
        job.tag_list()
        posts = read.get("Posts.xml", 0)
        defer = (
            posts >= DEFER_INDEXES_FROM
            and not job.keys.any(("question", "answer"))
            and posts > Conversation.objects.count() + Reply.objects.count()
        )
        begun, cpu = time.perf_counter(), time.process_time()
        with importer.indexes_after(*POST_TABLES, when=defer):
            job.posts()
        result.posts_seconds = time.perf_counter() - begun
        result.posts_cpu = time.process_time() - cpu
        job.comments()
        job.history()
        job.post_links()
        job.finish()
    return result


def _index_built() -> bool:
    from practica.search import indexer

    return indexer.built()
