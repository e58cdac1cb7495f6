"""A bigger Stack Exchange dump from a small one, to time the importer.

Writes COPIES copies of every row of a site's dump (Users, Posts,
Comments, PostHistory, PostLinks, Votes, Badges) with new ids, one
``<row>`` a line as the real dumps have them: copy k adds k times a
stride to every post, user, comment, history, link, vote and badge id
(and to the ids that point at them), and gives each edit a new
RevisionGUID. Tags.xml is written once (the tag wikis stay those of the
first copy); the Community user (id -1) once. The text is the real
site's, so bodies cost what real bodies cost.

    .venv/bin/python bench/se_scale.py \\
        ../shared/data/stackexchange/bicycles.meta.stackexchange.com \\
        /tmp/se-big/bicycles.meta.stackexchange.com --copies 20

then ``practica import stackexchange /tmp/se-big/... --community big``.
"""

import argparse
import re
import sys
from pathlib import Path

# attribute → which id space it points into
POST, USER, OWN = "post", "user", "own"
ATTRIBUTES: dict[str, dict[str, str]] = {
    "Users.xml": {"Id": USER, "AccountId": USER},
    "Posts.xml": {
        "Id": POST,
        "ParentId": POST,
        "AcceptedAnswerId": POST,
        "OwnerUserId": USER,
        "LastEditorUserId": USER,
    },
    "Comments.xml": {"Id": OWN, "PostId": POST, "UserId": USER},
    "PostHistory.xml": {"Id": OWN, "PostId": POST, "UserId": USER},
    "PostLinks.xml": {"Id": OWN, "PostId": POST, "RelatedPostId": POST},
    "Votes.xml": {"Id": OWN, "PostId": POST, "UserId": USER},
    "Badges.xml": {"Id": OWN, "UserId": USER},
}
_ID = re.compile(r' (\w+)="(-?\d+)"')
_GUID = re.compile(r'RevisionGUID="([0-9a-f]{8})')


def _stride(path: Path) -> int:
    """A round number above the file's largest Id."""
    top = 0
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            found = re.search(r'<row Id="(\d+)"', line)
            if found:
                top = max(top, int(found.group(1)))
    return 10 ** len(str(top + 1))


def scale(source: Path, out: Path, copies: int) -> dict[str, int]:
    """Write the scaled dump; rows written per file."""
    out.mkdir(parents=True, exist_ok=True)
    strides = {
        POST: _stride(source / "Posts.xml"),
        USER: _stride(source / "Users.xml"),
    }
    written: dict[str, int] = {}
    tags = (source / "Tags.xml").read_bytes()
    (out / "Tags.xml").write_bytes(tags)
    written["Tags.xml"] = tags.count(b"<row ")
    for name, attributes in ATTRIBUTES.items():
        own = _stride(source / name)
        lines = (source / name).read_text(encoding="utf-8-sig").splitlines()
        head = [ln for ln in lines if "<row " not in ln and "</" not in ln]
        rows = [ln for ln in lines if "<row " in ln]
        tail = [ln for ln in lines if "</" in ln and "<row " not in ln]
        n = 0
        with (out / name).open("w", encoding="utf-8", newline="\r\n") as f:
            f.write("\n".join(head) + "\n")
            for k in range(copies):

                def shift(
                    m: re.Match[str],
                    k: int = k,
                    attributes: dict[str, str] = attributes,
                    own: int = own,
                ) -> str:
                    kind = attributes.get(m.group(1))
                    value = int(m.group(2))
                    if kind is None or value < 0:
                        return m.group(0)
                    step = own if kind == OWN else strides[kind]
                    return f' {m.group(1)}="{value + k * step}"'

                for row in rows:
                    if k and name == "Users.xml" and 'Id="-1"' in row[:20]:
                        continue
                    row = _ID.sub(shift, row)
                    if k and name == "PostHistory.xml":
                        row = _GUID.sub(f'RevisionGUID="{k:08x}', row)
                    f.write(row + "\n")
                    n += 1
            f.write("\n".join(tail) + "\n")
        written[name] = n
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="A site's dump folder.")
    parser.add_argument("out", type=Path, help="The folder to write.")
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args(argv)
    if not (args.source / "Posts.xml").exists():
        parser.error(f"{args.source} holds no Posts.xml")
    counts = scale(args.source, args.out, args.copies)
    for name, n in counts.items():
        print(f"{name:16} {n:>10,} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
