"""``practica import discourse DIR``: a Discourse forum's export.

Discourse keeps its data in PostgreSQL; its API and the usual export
scripts give the same objects as JSON. The importer reads a directory
of them (each file a JSON array, or JSON Lines under the same name with
``.jsonl``), with Discourse's own field names:

=================  ======================================================
users.json         id, username, name, email (optional), created_at,
                   bio_raw (optional)
categories.json    id, name, slug, description, parent_category_id
                   (optional file)
topics.json        id, title, category_id, user_id, created_at, tags,
                   views, closed, accepted_answer_post_id (optional:
                   the Solved plugin's answer)
posts.json         id, topic_id, user_id, post_number (1 is the topic's
                   text), raw (Markdown) or cooked (HTML), created_at,
                   accepted_answer (Solved, optional)
likes.json         post_id, user_id, created_at (optional file)
=================  ======================================================

Topics with a solved answer become questions (the answer accepted), the
others discussions; replies keep their dates and authors, likes become
up-votes (scores are their count). ``--community SLUG`` puts the whole
forum in one community, each category a tag; ``--categories
communities`` makes each top-level category a community (its
subcategories tags in it). People with an address in the export are
matched to accounts with that address; the others become unclaimed
accounts like Stack Exchange's (``discourse-<site>-<id>@unclaimed.
invalid``). Like the Stack Exchange importer, the files are checked
whole before anything is written, and each record leaves an import key
in its batch's transaction: running again adds nothing, a killed run is
finished by the next.
"""

import json
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from practica.accounts.models import User
from practica.communities.models import Community, Membership, Role, Status
from practica.conversations import importer
from practica.conversations.models import (
    Conversation,
    Kind,
    Reply,
    Revision,
    State,
    Tag,
    Vote,
)
from practica.core import text
from practica.core.models import Activity
from practica.transfer import markup
from practica.transfer.dumps import DumpError, Keys, Progress, Result
from practica.transfer.models import ImportKey
from practica.transfer.services import UNCLAIMED_DOMAIN

BATCH = 1000
REQUIRED = ("users", "topics", "posts")
OPTIONAL = ("categories", "likes")


def records(
    directory: Path, name: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, object) for each record of ``name`` (.jsonl streamed,
    .json read whole)."""
    lines = directory / f"{name}.jsonl"
    whole = directory / f"{name}.json"
    if lines.is_file():
        with lines.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{lines.name}:{number}"
                try:
                    row = json.loads(line)
                except ValueError as exc:
                    raise DumpError(f"{where}: not JSON ({exc}).") from exc
                if not isinstance(row, dict):
                    raise DumpError(f"{where}: not an object.")
                yield where, row
        return
    if not whole.is_file():
        if name in OPTIONAL:
            return
        raise DumpError(
            f"{whole}: the file is missing; a Discourse export has "
            f"{', '.join(f'{n}.json' for n in REQUIRED)} (see "
            "docs/import-export.md)."
        )
    try:
        data = json.loads(whole.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DumpError(f"{whole.name}: not JSON ({exc}).") from exc
    if isinstance(data, dict) and isinstance(data.get(name), list):
        data = data[name]  # {"posts": [...]} as the API wraps it
    if not isinstance(data, list):
        raise DumpError(f"{whole.name}:1: expected a list of {name}.")
    for i, row in enumerate(data, start=1):
        where = f"{whole.name} record {i}"
        if not isinstance(row, dict):
            raise DumpError(f"{where}: not an object.")
        yield where, row


def _int(row: dict[str, Any], key: str, where: str) -> int:
    value = row.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise DumpError(f"{where}: '{key}' is missing or not a number.")
    return value


def _maybe_int(row: dict[str, Any], key: str, where: str) -> int | None:
    if row.get(key) is None:
        return None
    return _int(row, key, where)


def _when(row: dict[str, Any], key: str, where: str) -> datetime:
    raw = row.get(key)
    try:
        value = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise DumpError(
            f"{where}: '{key}' is not a date and time: {raw!r}."
        ) from None
    if value.tzinfo is None:
        raise DumpError(f"{where}: '{key}' has no time zone: {raw!r}.")
    return value


def check(directory: Path) -> dict[str, int]:
    """Read every file once; refuse what the load could not use."""
    if not directory.is_dir():
        raise DumpError(f"{directory} is not a directory.")
    present = {p.name for p in directory.iterdir()}
    if "Posts.xml" in present:
        raise DumpError(
            f"{directory} is a Stack Exchange dump: use import stackexchange."
        )
    counts: dict[str, int] = {}
    users: set[int] = set()
    topics: set[int] = set()
    for name in ("users", "categories", "topics", "posts", "likes"):
        n = 0
        for where, row in records(directory, name):
            n += 1
            if name in ("users", "categories", "topics", "posts"):
                key = _int(row, "id", where)
            if name == "users":
                users.add(key)
                _when(row, "created_at", where)
            elif name == "topics":
                topics.add(key)
                _when(row, "created_at", where)
                if not str(row.get("title") or "").strip():
                    raise DumpError(f"{where}: the title is empty.")
            elif name == "posts":
                _int(row, "post_number", where)
                _when(row, "created_at", where)
                if _int(row, "topic_id", where) not in topics:
                    raise DumpError(
                        f"{where}: topic {row['topic_id']} is not in topics."
                    )
                if not (row.get("raw") or row.get("cooked")):
                    raise DumpError(f"{where}: neither raw nor cooked.")
            elif name == "likes":
                _int(row, "post_id", where)
                _when(row, "created_at", where)
            author = row.get("user_id")
            if name != "users" and author is not None and author not in users:
                raise DumpError(f"{where}: user {author} is not in users.")
        counts[name] = n
    return counts


class DiscourseImport:
    def __init__(
        self,
        directory: Path,
        *,
        site: str,
        community: str,
        by_category: bool,
        result: Result,
        progress: Progress,
        batch_size: int,
    ) -> None:
        self.directory = directory
        self.site = site
        self.community_slug = community
        self.by_category = by_category
        self.result = result
        self.progress = progress
        self.batch_size = batch_size
        self.people = Keys(f"discourse:{site}")
        self.keys = Keys(f"discourse:{site}:content")
        self.communities: dict[int, Community] = {}  # category → community
        self.category_tag: dict[int, str] = {}  # category → tag name
        self.default: Community | None = None
        self.conversation_type = ContentType.objects.get_for_model(
            Conversation
        )

    def batches(self, name: str) -> Iterator[list[tuple[str, dict[str, Any]]]]:
        batch: list[tuple[str, dict[str, Any]]] = []
        for item in records(self.directory, name):
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    # --- where things go -------------------------------------------------

    def places(self) -> None:
        cats = {
            row["id"]: row for _, row in records(self.directory, "categories")
        }

        def top(cid: int) -> dict[str, Any]:
            row = cats[cid]
            seen = {cid}
            while row.get("parent_category_id") in cats:
                parent = row["parent_category_id"]
                if parent in seen:
                    break
                seen.add(parent)
                row = cats[parent]
            return row

        if self.by_category:
            for cid in cats:
                root = top(cid)
                try:
                    c, made = importer.ensure_community(
                        root.get("slug")
                        or root.get("name")
                        or str(root["id"]),
                        str(root.get("name") or "")[:120],
                        markup.plain(str(root.get("description") or ""))[:200]
                        or f"Topics imported from {root.get('name')}.",
                    )
                except importer.CorpusError as exc:
                    raise DumpError(f"categories: {exc}") from exc
                self.communities[cid] = c
                if made:
                    self.result.add("communities")
                if root["id"] != cid:
                    self.category_tag[cid] = str(cats[cid].get("name", ""))
        else:
            try:
                c, made = importer.ensure_community(
                    self.community_slug,
                    "",
                    f"Topics imported from {self.directory.name}.",
                )
            except importer.CorpusError as exc:
                raise DumpError(str(exc)) from exc
            self.default = c
            if made:
                self.result.add("communities")
            for cid, row in cats.items():
                self.category_tag[cid] = str(row.get("name", ""))
        if self.result.community is None:
            self.result.community = self.default or next(
                iter(self.communities.values()), None
            )

    def community_of(self, topic: dict[str, Any], where: str) -> Community:
        cid = topic.get("category_id")
        if self.default is not None:
            return self.default
        if cid not in self.communities:
            raise DumpError(
                f"{where}: category {cid} is not in categories.json; with "
                "--categories communities every topic needs one."
            )
        return self.communities[cid]

    # --- users -----------------------------------------------------------

    def users(self) -> None:
        unusable = make_password(None)
        for batch in self.batches("users"):
            known = self.people.find("user", (r["id"] for _, r in batch))
            fresh: list[tuple[int, User]] = []
            for where, row in batch:
                if str(row["id"]) in known:
                    continue
                bio = str(row.get("bio_raw") or "")
                fresh.append(
                    (
                        row["id"],
                        User(
                            email=self._email(row, where),
                            display_name=(
                                _line(
                                    row.get("name") or row.get("username"), 100
                                )
                                or f"User {row['id']}"
                            ),
                            password=unusable,
                            date_joined=_when(row, "created_at", where),
                            introduction=bio,
                            introduction_html=(
                                text.render_markdown(bio) if bio else ""
                            ),
                        ),
                    )
                )
            self.result.skip("people", len(batch) - len(fresh))
            if fresh:
                with transaction.atomic():
                    emails = [u.email for _, u in fresh]
                    taken = dict(
                        User.objects.filter(email__in=emails).values_list(
                            "email", "pk"
                        )
                    )
                    new = [u for _, u in fresh if u.email not in taken]
                    importer.fast_insert(new)
                    taken.update({u.email: u.pk for u in new})
                    self.people.add(
                        "user", [(i, taken[u.email]) for i, u in fresh]
                    )
                    self.result.add("people", len(new))
                    self.result.skip("people", len(fresh) - len(new))
            self.progress("people", len(batch))

    def _email(self, row: dict[str, Any], where: str) -> str:
        email = str(row.get("email") or "").strip().lower()
        if email:
            try:
                validate_email(email)
                return email
            except ValidationError:
                self.result.notes.append(
                    f"{where}: {email!r} is not an address; the account "
                    "was imported unclaimed."
                )
        return f"discourse-{self.site}-{row['id']}@{UNCLAIMED_DOMAIN}"

    # --- topics and posts --------------------------------------------------

    def topics(self, solved: set[int]) -> None:
        for batch in self.batches("topics"):
            done = self.keys.find("topic", (r["id"] for _, r in batch))
            todo = [(w, r) for w, r in batch if str(r["id"]) not in done]
            self.result.skip("topics", len(batch) - len(todo))
            if todo:
                with transaction.atomic():
                    self._write_topics(todo, solved)
            self.progress("topics", len(batch))

    def _tags(
        self, community: Community, names: list[str]
    ) -> list[tuple[int, str]]:
        wanted: dict[str, str] = {}
        for raw in names:
            name = _line(raw, 40)
            slug = slugify(name)[:40]
            if slug:
                wanted.setdefault(slug, name)
        have = dict(
            Tag.objects.filter(
                community=community, slug__in=wanted
            ).values_list("slug", "pk")
        )
        new = [
            Tag(community=community, name=name, slug=slug)
            for slug, name in wanted.items()
            if slug not in have
        ]
        if new:
            Tag.objects.bulk_create(new)
            have.update({t.slug: t.pk for t in new})
            self.result.add("tags", len(new))
        return [(have[s], name) for s, name in wanted.items()]

    def _write_topics(
        self, todo: list[tuple[str, dict[str, Any]]], solved: set[int]
    ) -> None:
        people = self.people.find("user", (r.get("user_id") for _, r in todo))
        rows: list[tuple[Conversation, list[int]]] = []
        pending: dict[str, str] = {}
        for where, t in todo:
            community = self.community_of(t, where)
            names = [str(n) for n in (t.get("tags") or [])]
            category = self.category_tag.get(t.get("category_id") or 0)
            if category:
                names.insert(0, category)
            tagged = self._tags(community, names)
            created = _when(t, "created_at", where)
            title = _line(t.get("title"), 200)
            conversation = Conversation(
                community=community,
                kind=Kind.QUESTION if t["id"] in solved else Kind.DISCUSSION,
                author_id=people.get(str(t.get("user_id"))),
                title=title,
                body="",
                body_html="",
                tag_names=[name for _, name in tagged],
                state=State.CLOSED if t.get("closed") else State.OPEN,
                view_count=max(0, int(t.get("views") or 0)),
                last_activity_at=created,
                created_at=created,
                updated_at=created,
                import_key=f"discourse:{self.site}:{t['id']}"[:64],
            )
            rows.append((conversation, [pk for pk, _ in tagged]))
            if t.get("accepted_answer_post_id"):
                pending[str(t["id"])] = str(t["accepted_answer_post_id"])
        conversations = [c for c, _ in rows]
        importer.fast_insert(conversations)
        through = Conversation.tags.through
        importer.fast_insert(
            [
                through(conversation_id=c.pk, tag_id=tag)
                for c, tags in rows
                for tag in tags
            ]
        )
        self.keys.add(
            "topic",
            [
                (t["id"], c.pk)
                for (_, t), c in zip(todo, conversations, strict=True)
            ],
            pending=pending,
        )
        importer.fast_insert(
            [
                Activity(
                    actor_id=c.author_id,
                    verb=f"{c.kind}.created",
                    target_type=self.conversation_type,
                    target_id=c.pk,
                    community_id=c.community_id,
                    summary=c.title[:300],
                    data={"imported": c.import_key},
                    created_at=c.created_at,
                )
                for c in conversations
            ]
        )
        self.result.add("topics", len(conversations))

    def posts(self) -> None:
        for batch in self.batches("posts"):
            done = self.keys.find("post", (r["id"] for _, r in batch))
            todo = [(w, r) for w, r in batch if str(r["id"]) not in done]
            self.result.skip("posts", len(batch) - len(todo))
            if todo:
                with transaction.atomic():
                    self._write_posts(todo)
            self.progress("posts", len(batch))

    def _write_posts(self, todo: list[tuple[str, dict[str, Any]]]) -> None:
        people = self.people.find("user", (r.get("user_id") for _, r in todo))
        topics = self.keys.find("topic", (r["topic_id"] for _, r in todo))
        firsts: list[Conversation] = []
        replies: list[Reply] = []
        pairs: list[tuple[int, Any]] = []
        accepted: dict[str, str] = {}
        for where, p in todo:
            conversation = topics[str(p["topic_id"])]
            raw = str(p.get("raw") or "")
            body = raw or markup.to_markdown(str(p.get("cooked") or ""))
            body = text.clean_markdown(body, field="raw", max_length=10**9)
            html = (
                text.render_markdown(body)
                if raw
                else markup.safe_html(str(p["cooked"]))
            )
            created = _when(p, "created_at", where)
            if p["post_number"] == 1:
                firsts.append(
                    Conversation(pk=conversation, body=body, body_html=html)
                )
                pairs.append((p["id"], ("first", conversation)))
                continue
            author = people.get(str(p.get("user_id")))
            reply = Reply(
                conversation_id=conversation,
                author_id=author,
                body=body,
                body_html=html,
                from_practice=True,
                digest=importer.digest(author, body),
                created_at=created,
                updated_at=created,
            )
            replies.append(reply)
            pairs.append((p["id"], reply))
            if p.get("accepted_answer"):
                accepted[str(p["topic_id"])] = str(p["id"])
        Conversation.objects.bulk_update(firsts, ["body", "body_html"])
        importer.fast_insert(replies)
        self.keys.add(
            "post",
            [
                (key, target[1] if isinstance(target, tuple) else target.pk)
                for key, target in pairs
            ],
            pending={
                str(key): "first"
                for key, target in pairs
                if isinstance(target, tuple)
            },
        )
        if accepted:
            # The Solved plugin marks the post; note it on the topic.
            for topic, post in accepted.items():
                ImportKey.objects.filter(
                    source=self.keys.source, kind="topic", key=topic
                ).update(pending=post)
        self.result.add("posts", len(replies) + len(firsts))

    # --- likes ---------------------------------------------------------------

    def likes(self) -> None:
        for batch in self.batches("likes"):
            keys = [f"{r['post_id']}:{r.get('user_id')}" for _, r in batch]
            done = self.keys.find("like", keys)
            todo = [
                (w, r, k)
                for (w, r), k in zip(batch, keys, strict=True)
                if k not in done
            ]
            self.result.skip("likes", len(batch) - len(todo))
            if todo:
                with transaction.atomic():
                    self._write_likes(todo)
            self.progress("likes", len(batch))

    def _write_likes(
        self, todo: list[tuple[str, dict[str, Any], str]]
    ) -> None:
        people = self.people.find(
            "user", (r.get("user_id") for _, r, _ in todo)
        )
        posts = {
            key: (kind, target)
            for key, (kind, target) in self.keys.kinds(
                ("post",), (r["post_id"] for _, r, _ in todo)
            ).items()
        }
        firsts = set(
            ImportKey.objects.filter(
                source=self.keys.source,
                kind="post",
                key__in=list(posts),
                pending="first",
            ).values_list("key", flat=True)
        )
        parents = dict(
            Reply.objects.filter(
                pk__in=[t for k, (_, t) in posts.items() if k not in firsts]
            ).values_list("pk", "conversation_id")
        )
        votes: list[Vote] = []
        keys: list[tuple[str, int]] = []
        for where, r, key in todo:
            post = posts.get(str(r["post_id"]))
            user = people.get(str(r.get("user_id")))
            if post is None or user is None:
                self.result.skip("likes")
                continue
            target = post[1]
            vote = (
                Vote(user_id=user, conversation_id=target, value=1)
                if str(r["post_id"]) in firsts
                else Vote(
                    user_id=user,
                    conversation_id=parents.get(target),
                    reply_id=target,
                    value=1,
                )
            )
            vote.created_at = _when(r, "created_at", where)
            votes.append(vote)
            keys.append((key, 0))
        importer.fast_insert(votes)
        self.keys.add(
            "like", [(k, v.pk) for (k, _), v in zip(keys, votes, strict=True)]
        )
        self.result.add("likes", len(votes))

    # --- the end -------------------------------------------------------------

    def finish(self) -> None:
        communities = (
            [self.default] if self.default else list(self.communities.values())
        )
        with transaction.atomic():
            self._accepted()
            for community in dict.fromkeys(communities):
                if community is None:
                    continue
                self._members(community)
                self._counters(community)
                importer.recount(community)

    def _accepted(self) -> None:
        rows = list(
            ImportKey.objects.filter(source=self.keys.source, kind="topic")
            .exclude(pending="")
            .values_list("target_id", "pending")
        )
        answers = self.keys.find("post", (p for _, p in rows))
        changed = [
            Conversation(
                pk=c, accepted_reply_id=answers[p], kind=Kind.QUESTION
            )
            for c, p in rows
            if p in answers
        ]
        Conversation.objects.bulk_update(
            changed, ["accepted_reply_id", "kind"]
        )

    def _members(self, community: Community) -> None:
        """Everyone who wrote or liked something here is a member."""
        here = Conversation.objects.filter(community=community)
        people = (
            set(here.values_list("author_id", flat=True))
            | set(
                Reply.objects.filter(conversation__in=here).values_list(
                    "author_id", flat=True
                )
            )
            | set(
                Vote.objects.filter(conversation__in=here).values_list(
                    "user_id", flat=True
                )
            )
        ) - {None}
        if self.default is not None:
            people |= set(
                ImportKey.objects.filter(
                    source=self.people.source, kind="user"
                ).values_list("target_id", flat=True)
            )
        have = set(
            Membership.objects.filter(community=community).values_list(
                "user_id", flat=True
            )
        )
        joined = dict(
            User.objects.filter(pk__in=people - have).values_list(
                "pk", "date_joined"
            )
        )
        rows = [
            Membership(
                user_id=pk,
                community=community,
                role=Role.MEMBER,
                status=Status.ACTIVE,
                joined_at=when,
                created_at=when,
                updated_at=when,
            )
            for pk, when in joined.items()
        ]
        importer.fast_insert(rows)
        self.result.add("memberships", len(rows))

    def _counters(self, community: Community) -> None:
        replies = Reply.objects.filter(conversation__community=community)
        replies.update(score=importer.per_row(Vote, "reply_id", Sum("value")))
        latest = (
            Reply.objects.filter(conversation_id=OuterRef("pk"))
            .order_by("-created_at")
            .values("created_at")[:1]
        )
        Conversation.objects.filter(community=community).update(
            reply_count=importer.per_row(Reply, "conversation_id"),
            score=importer.per_row(
                Vote, "conversation_id", Sum("value"), reply__isnull=True
            ),
            last_activity_at=Coalesce(Subquery(latest), "created_at"),
        )
        # Revision 1 of each topic and reply: the text as imported.
        here = Conversation.objects.filter(
            community=community,
            import_key__startswith=f"discourse:{self.site}:",
        )
        with_rev = set(
            Revision.objects.filter(conversation__in=here).values_list(
                "conversation_id", "reply_id"
            )
        )
        revisions = [
            Revision(
                conversation_id=pk,
                number=1,
                author_id=author,
                title=title,
                body=body,
                message="Imported",
                created_at=created,
            )
            for pk, author, title, body, created in here.values_list(
                "pk", "author_id", "title", "body", "created_at"
            )
            if (pk, None) not in with_rev
        ] + [
            Revision(
                conversation_id=c,
                reply_id=pk,
                number=1,
                author_id=author,
                title="",
                body=body,
                message="Imported",
                created_at=created,
            )
            for pk, c, author, body, created in Reply.objects.filter(
                conversation__in=here
            ).values_list(
                "pk", "conversation_id", "author_id", "body", "created_at"
            )
            if (c, pk) not in with_rev
        ]
        importer.fast_insert(revisions)


def _line(raw: Any, max_length: int) -> str:
    return text.clean_line(
        str(raw or "")[: max_length * 4],
        field="text",
        max_length=max_length * 4,
        required=False,
    )[:max_length].strip()


def _solved(directory: Path) -> set[int]:
    """Topics with an accepted answer (on the topic or on a post)."""
    found = {
        row["id"]
        for _, row in records(directory, "topics")
        if row.get("accepted_answer_post_id")
    }
    found |= {
        row["topic_id"]
        for _, row in records(directory, "posts")
        if row.get("accepted_answer")
    }
    return found


def import_discourse(
    directory: Path | str,
    *,
    community: str = "",
    by_category: bool = False,
    site: str = "",
    batch_size: int = BATCH,
    index: bool = True,
    progress: Progress | None = None,
) -> Result:
    """Import a Discourse export into one community (``community``, a
    slug; created when missing) or, with ``by_category``, one community
    per top-level category. Safe to run again.

    Refuses a directory that is not such an export, a missing or
    malformed file, records without their ids or dates and references
    to users or topics that are not there, naming the file and record,
    before writing anything.
    """
    directory = Path(directory)
    step = progress or (lambda _phase, _n: None)
    started = time.perf_counter()
    if not by_category and not community:
        raise DumpError(
            "Say where to import: --community SLUG, or --categories "
            "communities for a community per category."
        )
    counts = check(directory)
    site = slugify(site or directory.resolve().name)[:40] or "forum"
    result = Result()
    result.read.update(counts)
    job = DiscourseImport(
        directory,
        site=site,
        community=community,
        by_category=by_category,
        result=result,
        progress=step,
        batch_size=batch_size,
    )
    with importer.dates_as_given(
        Membership, Conversation, Reply, Revision, Activity, ImportKey, Vote
    ):
        job.places()
        job.users()
        job.topics(_solved(directory))
        job.posts()
        job.likes()
        job.finish()
    if result.rows and index:
        from practica.search import indexer

        begun = time.perf_counter()
        result.indexed = indexer.rebuild(lambda n: step("index", n))
        result.index_seconds = time.perf_counter() - begun
    result.seconds = time.perf_counter() - started
    return result
