"""The files of a Stack Exchange dump and the check of one of them.

Apart from ``stackexchange`` (which needs Django's models) so that the
import's worker processes can check files side by side without setting
Django up.
"""

from pathlib import Path

from practica.transfer.xmlrows import (
    DumpError,
    Splits,
    moment,
    number,
    xml_rows,
)

# file name → root element; all are needed (an export without one of
# them is not a whole dump).
FILES = {
    "Users.xml": "users",
    "Tags.xml": "tags",
    "Posts.xml": "posts",
    "Comments.xml": "comments",
    "PostHistory.xml": "posthistory",
    "Votes.xml": "votes",
    "Badges.xml": "badges",
}
# Read when there (a dump without it imports, with a note).
LINKS = "PostLinks.xml"
FILES_READ = {**FILES, LINKS: "postlinks"}
QUESTION, ANSWER, TAG_EXCERPT = 1, 2, 4
# PostHistoryTypeId: initial, edit and rollback of title, body, tags.
TITLE_TYPES, BODY_TYPES, TAG_TYPES = {1, 4, 7}, {2, 5, 8}, {3, 6, 9}
HISTORY_TYPES = TITLE_TYPES | BODY_TYPES | TAG_TYPES
# The files the load parses a range at a time in the worker processes.
RANGED = ("Users.xml", "Posts.xml", "Comments.xml", "PostHistory.xml")


def check_file(
    directory: Path, name: str, every: int = 1000
) -> tuple[dict[str, int], Splits | None]:
    """Read one file of the dump without writing: its rows (and the
    votes by type); refuses what the load could not use, naming the
    file and line. For the files in ``RANGED``, also where their ranges
    of ``every`` rows start (the load parses them in the workers). Runs
    in a worker process for a large dump."""
    n = 0
    votes: dict[str, int] = {}
    splits = Splits(every) if name in RANGED else None
    for line, attrs in xml_rows(directory / name, FILES_READ[name], splits):
        where = f"{name}:{line}"
        number(attrs, "Id", where)
        if name == "Users.xml":
            moment(attrs, "CreationDate", where)
        elif name == "Tags.xml":
            if not attrs.get("TagName"):
                raise DumpError(f"{where}: the TagName is missing.")
        elif name == "Posts.xml":
            kind = number(attrs, "PostTypeId", where)
            moment(attrs, "CreationDate", where)
            if kind == QUESTION and not attrs.get("Title", "").strip():
                raise DumpError(f"{where}: a question without a Title.")
            if kind == ANSWER:
                number(attrs, "ParentId", where)
        elif name in ("Comments.xml", "PostHistory.xml"):
            number(attrs, "PostId", where)
            moment(attrs, "CreationDate", where)
            if name == "PostHistory.xml":
                number(attrs, "PostHistoryTypeId", where)
        elif name == LINKS:
            number(attrs, "PostId", where)
            number(attrs, "RelatedPostId", where)
            number(attrs, "LinkTypeId", where)
            moment(attrs, "CreationDate", where)
        elif name == "Votes.xml":
            vote = f"votes {attrs.get('VoteTypeId', '')}"
            votes[vote] = votes.get(vote, 0) + 1
        n += 1
    return {name: n, **votes}, splits
