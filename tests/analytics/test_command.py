"""practica report health."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.analytics.factories import question
from tests.factories import CommunityFactory, member

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "health", *args, stdout=out)
    return out.getvalue()


def test_markdown_and_json():
    c = CommunityFactory(name="Press Line", slug="press")
    other = CommunityFactory(name="Welding", slug="welding")
    asker = member(c)
    last = timezone.now() - timedelta(days=7)
    question(asker, c, last)
    md = _run()
    assert "# Press Line (press)" in md and "# Welding (welding)" in md
    assert "| Questions asked |" in md
    data = json.loads(
        _run("--community", "press", "--format", "json", "--period", "week")
    )
    assert [d["community"]["slug"] for d in data] == ["press"]
    asked = next(
        s for s in data[0]["figures"]["series"] if s["key"] == "asked"
    )
    assert asked["current"] == 1
    del other


def test_bad_input_is_explained():
    with pytest.raises(CommandError, match="No community has the slug 'nope'"):
        _run("--community", "nope")
    with pytest.raises(CommandError, match="is not a time zone"):
        _run("--tz", "Moon/Base")
