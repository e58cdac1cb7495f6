"""Posts.xml read in ranges by the workers: the same rows, with their
lines, as one pass; a file that cannot be cut is read in one pass."""

import pytest

from practica.transfer.xmlrows import Splits, range_rows, xml_rows
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
