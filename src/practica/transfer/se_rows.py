"""Users, Comments and PostHistory rows made ready to write, in the
import's worker processes (as :mod:`se_posts` does for Posts.xml).

Each function takes the rows of one range of its file (or one batch,
for a file the check could not cut) and does to them everything that
needs nothing from the database: numbers and dates (as stored), lines
cleaned, texts converted. The main process only looks up what is there
already and writes (``stackexchange``).

No Django models here (the workers do not set Django up).
"""

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from practica.core import text
from practica.transfer import markup
from practica.transfer.se_files import BODY_TYPES, HISTORY_TYPES, TITLE_TYPES
from practica.transfer.se_posts import Options, Rows, line, stamper
from practica.transfer.xmlrows import maybe_number, moment, number


class Person(NamedTuple):
    where: str
    id: int
    name: str
    joined: Any  # as stored
    location: str
    # The "about me" text: converted (Markdown, HTML to show), or the
    # source HTML and "" when ``Options.convert`` is off.
    body: str
    html: str


def people(rows: Rows, options: Options) -> list[Person]:
    """Each row of Users.xml ready to write."""
    stamp = stamper(options)
    out: list[Person] = []
    for where, a in rows:
        uid = number(a, "Id", where)
        out.append(
            Person(
                where,
                uid,
                line(a.get("DisplayName", ""), 100) or f"User {uid}",
                stamp(moment(a, "CreationDate", where)),
                line(a.get("Location", ""), 100),
                a.get("AboutMe", ""),
                "",
            )
        )
    if options.convert:
        return with_texts(
            out,
            markup.convert_bodies([p.body for p in out], options.rerender),
        )
    return out


class Remark(NamedTuple):
    """A row of Comments.xml."""

    where: str
    id: str
    post: str
    user: str  # the UserId as written, "" for none
    created: Any  # as stored
    body: str  # converted (empty: skipped), or the source text
    html: str


def remarks(rows: Rows, options: Options, max_length: int) -> list[Remark]:
    """Each row of Comments.xml ready to write."""
    stamp = stamper(options)
    out: list[Remark] = []
    for where, a in rows:
        maybe_number(a, "UserId", where)
        out.append(
            Remark(
                where,
                a["Id"],
                a["PostId"],
                a.get("UserId", ""),
                stamp(moment(a, "CreationDate", where)),
                a.get("Text", ""),
                "",
            )
        )
    if options.convert:
        return with_texts(
            out,
            markup.convert_comments([r.body for r in out], max_length),
        )
    return out


def with_texts[R: (Person, Remark)](
    batch: list[R], converted: list[tuple[str, str]]
) -> list[R]:
    """The rows with their converted (text, HTML) in place of the
    source."""
    return [
        r._replace(body=body, html=html)
        for r, (body, html) in zip(batch, converted, strict=True)
    ]


@dataclass
class Edit:
    """The PostHistory rows of one edit (one RevisionGUID on one post),
    their texts cleaned."""

    key: str
    post: int
    when: Any  # as stored
    user: int | None
    title: str | None = None  # None: the edit left it as it was
    body: str | None = None
    tags: bool = False
    # The first row's Comment that has one, as written and as stored.
    comment: str = ""
    message: str = ""
    types: set[int] = field(default_factory=set)

    def continues(self, other: "Edit") -> bool:
        """Whether ``other`` holds more rows of this edit (a range of
        the file may end inside an edit)."""
        return other.key == self.key and other.post == self.post

    def join(self, rest: "Edit") -> "Edit":
        """This edit with the rows of ``rest`` that follow it."""
        self.types |= rest.types
        if rest.title is not None:
            self.title = rest.title
        if rest.body is not None:
            self.body = rest.body
        self.tags = self.tags or rest.tags
        if not self.comment:
            self.comment, self.message = rest.comment, rest.message
        return self


def edits(rows: Rows, options: Options) -> tuple[int, list[Edit]]:
    """The rows read and the edits among PostHistory rows (titles, bodies
    and tags; the other kinds of row are not imported). An edit cut by
    the end of ``rows`` continues in the next range (:meth:`Edit.join`)."""
    stamp = stamper(options)
    out: list[Edit] = []
    current: Edit | None = None
    for where, attrs in rows:
        kind = number(attrs, "PostHistoryTypeId", where)
        if kind not in HISTORY_TYPES:
            continue
        guid = attrs.get("RevisionGUID") or f"row{attrs['Id']}"
        post = number(attrs, "PostId", where)
        if current is None or current.key != guid or current.post != post:
            current = Edit(
                key=guid,
                post=post,
                when=stamp(moment(attrs, "CreationDate", where)),
                user=maybe_number(attrs, "UserId", where),
            )
            out.append(current)
        current.types.add(kind)
        value = attrs.get("Text", "")
        if kind in TITLE_TYPES:
            current.title = line(value, 200)
        elif kind in BODY_TYPES:
            current.body = text.clean_markdown(
                value, field="body", max_length=10**9
            )
        else:
            current.tags = True
        if attrs.get("Comment") and not current.comment:
            current.comment = attrs["Comment"]
            current.message = line(current.comment, 200)
    return len(rows), out
