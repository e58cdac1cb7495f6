"""The on-read catch-up: what was just written is found at once, yet the
cursor never passes an activity that might still have a slower
transaction committing below it (PostgreSQL hands ids out before
commit)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from practica.core.models import Activity
from practica.search import backends, indexer
from practica.search.models import IndexCursor
from tests.conversations.factories import ask
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def titles(viewer, text: str) -> list[str]:
    return [h.title for h in backends.search(viewer=viewer, text=text).hits]


def cursor() -> int:
    return IndexCursor.objects.get(name=indexer.cursor_name()).last_activity_id


def age(*activities: Activity) -> None:
    Activity.objects.filter(pk__in=[a.pk for a in activities]).update(
        created_at=timezone.now() - HOUR
    )


def test_on_read_settle_depends_on_the_database():
    expected = timedelta(0) if connection.vendor == "sqlite" else HOUR / 3600
    assert indexer.on_read_settle() == expected


def test_eager_catch_up_indexes_young_rows_but_keeps_the_cursor_before_them(
    settings,
):
    settings.SEARCH_INDEX_ON_READ = False
    community = CommunityFactory(slug="plant")
    author = member(community)
    viewer = UserFactory()
    indexer.catch_up(settle=timedelta(0))  # the first build
    built = cursor()
    ask(author, community, title="Hydraulic press leaking oil")
    late = list(Activity.objects.filter(pk__gt=built).values())
    second = ask(author, community, title="Conveyor belt slipping again")
    # The first question's transaction has not committed yet: its
    # activities (lower ids) are not visible when the indexer reads.
    Activity.objects.filter(pk__in=[r["id"] for r in late])._raw_delete(
        connection.alias
    )
    assert indexer.catch_up(settle=HOUR, eager=True) >= 1
    assert titles(viewer, "conveyor") == ["Conveyor belt slipping again"]
    assert titles(viewer, "hydraulic") == []
    assert cursor() == built  # young rows never move the cursor
    # It commits late; the next catch-up still reads it.
    Activity.objects.bulk_create([Activity(**r) for r in late])
    indexer.catch_up(settle=HOUR, eager=True)
    assert titles(viewer, "hydraulic") == ["Hydraulic press leaking oil"]
    assert cursor() == built
    # Once both have settled, the cursor moves past them.
    age(*Activity.objects.filter(pk__gt=built))
    indexer.catch_up(settle=HOUR)
    assert cursor() == Activity.objects.latest("pk").pk
    assert titles(viewer, "conveyor") == [second.title]


def test_the_cursor_stops_at_the_first_young_row(settings):
    settings.SEARCH_INDEX_ON_READ = False
    community = CommunityFactory(slug="plant")
    author = member(community)
    indexer.catch_up(settle=timedelta(0))
    ask(author, community, title="Old enough question about pumps")
    old = Activity.objects.latest("pk")
    ask(author, community, title="Brand new question about valves")
    age(old)
    indexer.catch_up(settle=HOUR, eager=True)
    assert cursor() == old.pk
    viewer = UserFactory()
    assert titles(viewer, "valves") == ["Brand new question about valves"]


def test_a_search_finds_what_was_just_written(settings):
    settings.SEARCH_INDEX_ON_READ = True
    community = CommunityFactory(slug="plant")
    author = member(community)
    viewer = UserFactory()
    assert titles(viewer, "anything") == []  # builds the index
    ask(author, community, title="Lathe chuck wobbling at speed")
    assert titles(viewer, "lathe") == ["Lathe chuck wobbling at speed"]
    if connection.vendor != "sqlite":
        # The activity is younger than the settle delay: indexed, yet
        # the cursor waits below it.
        assert cursor() < Activity.objects.latest("pk").pk


def test_the_very_first_activity_after_an_empty_build_is_indexed(settings):
    # A build over an empty record leaves the cursor at 0, not 1: the
    # first activity ever written (id 1 on a fresh database) counts.
    settings.SEARCH_INDEX_ON_READ = False
    assert not Activity.objects.exists()
    indexer.catch_up(settle=timedelta(0))
    assert indexer.built()
    community = CommunityFactory(slug="plant")
    ask(member(community), community, title="Welding fumes extraction")
    indexer.catch_up(settle=timedelta(0))
    assert titles(UserFactory(), "welding") == ["Welding fumes extraction"]


def test_young_activities_are_indexed_once_then_settle(settings):
    settings.SEARCH_INDEX_ON_READ = False
    community = CommunityFactory(slug="plant")
    author = member(community)
    indexer.catch_up(settle=timedelta(0))
    assert not indexer.pending()
    ask(author, community, title="Coolant pump cavitation noise")
    assert indexer.pending()
    indexer.catch_up(settle=HOUR, eager=True)
    # Indexed, not yet settled: searches do not index them again...
    assert not indexer.pending()
    assert cursor() < Activity.objects.latest("pk").pk
    # ... until something newer comes,
    ask(author, community, title="Coolant filter clogging weekly")
    assert indexer.pending()
    indexer.catch_up(settle=HOUR, eager=True)
    assert not indexer.pending()
    # or they have settled, when one more pass moves the cursor.
    where = indexer._where()
    last, _due = indexer._ahead[where]
    indexer._ahead[where] = (last, timezone.now() - HOUR)
    assert indexer.pending()
    age(*Activity.objects.all())
    indexer.catch_up(settle=HOUR, eager=True)
    assert cursor() == Activity.objects.latest("pk").pk
    assert where not in indexer._ahead
    assert not indexer.pending()


def test_a_young_row_holds_the_cursor_though_an_older_one_follows(settings):
    # Ids and times disagree (two processes took the time and the id in
    # opposite orders): the young row with the lower id must not be
    # passed over by a later, older one, and is indexed once settled.
    settings.SEARCH_INDEX_ON_READ = False
    community = CommunityFactory(slug="plant")
    author = member(community)
    indexer.catch_up(settle=timedelta(0))
    built = cursor()
    ask(author, community, title="Spindle bearing running hot")
    young = list(Activity.objects.filter(pk__gt=built))
    ask(author, community, title="Chip conveyor jams daily")
    age(*Activity.objects.filter(pk__gt=young[-1].pk))
    indexer.catch_up(settle=HOUR)
    assert cursor() == built
    indexer.catch_up(settle=timedelta(0))
    viewer = UserFactory()
    assert titles(viewer, "spindle") == ["Spindle bearing running hot"]
    assert titles(viewer, "conveyor") == ["Chip conveyor jams daily"]
