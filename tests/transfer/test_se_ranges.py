"""The files read in ranges by the workers: the same rows, with their
lines, as one pass; edits cut by a range's end joined again; a file
that cannot be cut is read in one pass."""

import itertools
from functools import partial

import pytest

from practica.transfer import se_posts, se_rows
from practica.transfer.xmlrows import (
    Splits,
    prepare_range,
    range_rows,
    xml_rows,
)
from tests.transfer.test_stackexchange import (
    SITE,
    fingerprint,
    load,
    needs_dump,
    site_copy,
)

pytestmark = needs_dump


@pytest.mark.parametrize("every", [1, 97, 1000, 5000])
def test_ranges_give_the_rows_of_one_pass(every):
    path = SITE / "Posts.xml"
    splits = Splits(every)
    whole = list(xml_rows(path, "posts", splits))
    assert splits.usable and splits.encoding == "utf-8"
    ranges = splits.ranges()
    assert len(ranges) == -(-len(whole) // every)
    pieces = [
        row
        for start, end, line in ranges
        for row in range_rows(path, start, end, line, splits.encoding)
    ]
    assert pieces == whole


@pytest.mark.parametrize("every", [1, 2, 7, 1000])
def test_edits_cut_by_ranges_are_joined_again(every):
    path = SITE / "PostHistory.xml"
    options = se_posts.Options(site="s", sqlite=True, convert=False)
    rows = [
        (f"PostHistory.xml:{n}", a) for n, a in xml_rows(path, "posthistory")
    ]
    read, whole = se_rows.edits(rows, options)
    splits = Splits(every)
    list(xml_rows(path, "posthistory", splits))
    ranges = [
        prepare_range(
            path, splits.encoding, partial(se_rows.edits, options=options), r
        )
        for r in splits.ranges()
    ]
    cut = any(
        a and b and a[-1].continues(b[0])
        for (_, a), (_, b) in itertools.pairwise(ranges)
    )
    assert cut or every == 1000  # the small ranges cut some edit
    joined: list[se_rows.Edit] = []
    for _, edits in ranges:
        if joined and edits and joined[-1].continues(edits[0]):
            joined[-1] = joined[-1].join(edits[0])
            edits = edits[1:]
        joined.extend(edits)
    assert sum(n for n, _ in ranges) == read == len(rows)
    assert joined == whole
    assert len(whole) < len(rows)  # edits of several rows


@pytest.mark.django_db
def test_a_utf16_posts_file_imports_the_same(tmp_path):
    def utf16(data):
        text = data.decode("utf-8-sig").replace(
            'encoding="utf-8"', 'encoding="utf-16"', 1
        )
        return text.encode("utf-16")  # with its byte order mark

    site = site_copy(tmp_path, ("Posts.xml", utf16))
    splits = Splits(100)
    list(xml_rows(site / "Posts.xml", "posts", splits))
    assert not splits.usable
    result = load(site, community="wide")
    assert result.created["questions"] == 453
    load(community="bikes")
    assert fingerprint("wide") == fingerprint("bikes")
