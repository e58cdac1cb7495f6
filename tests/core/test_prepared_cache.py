"""core.sql.Prepared: queries compiled once per process give what their
querysets give, with the real parameters, in one query."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import F

from practica.communities.models import Community, Visibility
from practica.core import sql
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communities():
    return [
        CommunityFactory(name="Alpha presses", slug="alpha"),
        CommunityFactory(name="Beta welding", slug="beta"),
        CommunityFactory(
            name="Gamma private", slug="gamma", visibility=Visibility.PRIVATE
        ),
    ]


def by_slug(slug):
    return (
        Community.objects.filter(slug=slug)
        .annotate(shout=F("name"))
        .values_list("id", "created_at", "version", "shout", named=True)
    )


def test_gives_what_the_queryset_gives_for_each_value(communities):
    prepared = sql.Prepared(by_slug, slug=str)
    for slug in ("alpha", "beta", "gamma", "nobody"):
        assert prepared(slug=slug) == list(by_slug(slug))
    row = prepared(slug="beta")[0]
    assert row.shout == "Beta welding"
    assert isinstance(row.created_at, datetime)
    assert row.created_at.tzinfo is not None


@pytest.mark.parametrize("shape", ["tuple", "flat", "dict"])
def test_every_values_shape(communities, shape):
    def build(visibility, more):
        qs = Community.objects.filter(
            visibility=visibility, member_count__lt=more
        ).order_by("name")
        if shape == "flat":
            return qs.values_list("name", flat=True)
        if shape == "dict":
            return qs.values("name", "created_at")
        return qs.values_list("name", "created_at")

    prepared = sql.Prepared(build, visibility=str, more=int)
    for visibility in (Visibility.PUBLIC, Visibility.PRIVATE):
        assert prepared(visibility=visibility, more=10) == list(
            build(visibility, 10)
        )
    assert prepared(visibility=Visibility.PUBLIC, more=0) == []


def test_one_query_and_no_compiling_after_the_first(
    communities, django_assert_num_queries, monkeypatch
):
    prepared = sql.Prepared(by_slug, slug=str)
    prepared(slug="alpha")
    calls = []
    monkeypatch.setattr(prepared, "build", lambda **kw: calls.append(kw))
    with django_assert_num_queries(1):
        assert prepared(slug="beta")[0].shout == "Beta welding"
    assert calls == []


def test_a_constant_equal_to_a_stand_in_stays_a_constant(communities):
    alpha = communities[0]
    Community.objects.filter(pk=alpha.pk).update(member_count=30_001)

    def build(pk):
        return Community.objects.filter(
            pk=pk, member_count=30_001
        ).values_list("slug", flat=True)

    prepared = sql.Prepared(build, pk=int)
    assert prepared(pk=alpha.pk) == ["alpha"]
    assert prepared(pk=communities[1].pk) == []


def test_refuses_what_it_cannot_replay(communities):
    def contains(q):
        return Community.objects.filter(name__icontains=q).values_list("id")

    with pytest.raises(ValueError, match="transformed"):
        sql.Prepared(contains, q=str)(q="alpha")

    def shaped(pk):
        qs = Community.objects.filter(pk=pk)
        if pk > 30_100:
            qs = qs.filter(kind="practice")
        return qs.values_list("id")

    with pytest.raises(ValueError, match="shape"):
        sql.Prepared(shaped, pk=int)(pk=1)

    with pytest.raises(TypeError, match="values"):
        sql.Prepared(lambda pk: Community.objects.filter(pk=pk), pk=int)(pk=1)
    with pytest.raises(TypeError, match="parameters"):
        sql.Prepared(by_slug, slug=str)(name="alpha")
    with pytest.raises(TypeError, match="int and str"):
        sql.Prepared(by_slug, slug=float)


def test_an_int_beyond_64_bits_finds_nothing(communities):
    prepared = sql.Prepared(
        lambda pk: Community.objects.filter(pk=pk).values_list("id"), pk=int
    )
    assert prepared(pk=2**70) == []
    assert prepared(pk=communities[0].pk) == [(communities[0].pk,)]


def test_columns_in_model_order():
    assert sql.in_model_order(Community, ["version", "id", "name"]) == (
        "id",
        "name",
        "version",
    )
    with pytest.raises(ValueError, match="Not columns"):
        sql.in_model_order(Community, ["id", "nothing"])


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's text timestamps"
)
@pytest.mark.parametrize(
    "text",
    [
        "2025-01-15 22:08:36.123456",
        "2025-01-15 22:08:36",
        "2025-01-15T22:08:36+00:00",
    ],
)
def test_sqlite_timestamps_convert_as_the_backend_does(text):
    ours = sql._sqlite_datetime(text, None, connection)
    theirs = connection.ops.convert_datetimefield_value(text, None, connection)
    assert ours == theirs and ours.tzinfo is not None
    assert sql._sqlite_datetime(None, None, connection) is None
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    assert sql._sqlite_datetime(moment, None, connection) is moment


def test_a_constant_list_beside_a_parameter(communities):
    def build(pk):
        return Community.objects.filter(
            pk=pk, visibility__in=(Visibility.PUBLIC, "restricted")
        ).values_list("slug", flat=True)

    prepared = sql.Prepared(build, pk=int)
    alpha, _, gamma = communities
    assert prepared(pk=alpha.pk) == ["alpha"]
    assert prepared(pk=gamma.pk) == []  # private
