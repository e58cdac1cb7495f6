"""core.sql.Prepared: queries compiled once per process give what their
querysets give, with the real parameters, in one query."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.models import F

from practica.communities.models import Community, Visibility
from practica.core import sql
from tests.factories import CommunityFactory, member

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


# --- ids baked into the SQL ---------------------------------------------
# A Prepared read keeps its SQL for the life of the process, constants
# included. A row's id looked up while building (a content type's, say)
# is then a constant; if the row is recreated (a PostgreSQL test flush
# recreates the content types with new ids) the SQL still names the old
# one. The reads name such rows by natural key instead.


@pytest.fixture
def recreate_type():
    """Recreate a model's content type with a new id, every reference
    moved to it, as a flush and migrate would."""
    from django.contrib.contenttypes.models import ContentType

    def recreate(model):
        old = ContentType.objects.get_for_model(model)
        new = ContentType.objects.create(
            app_label=old.app_label, model=f"{old.model}-new"
        )
        for rel in ContentType._meta.get_fields(include_hidden=True):
            if rel.one_to_many:
                rel.related_model._default_manager.filter(
                    **{rel.field.name: old}
                ).update(**{rel.field.name: new})
        old.delete()
        ContentType.objects.filter(pk=new.pk).update(model=old.model)
        ContentType.objects.clear_cache()
        assert ContentType.objects.get_for_model(model).pk == new.pk != old.pk

    yield recreate
    ContentType.objects.clear_cache()  # the ids roll back with the test


def _links_to(model, by_name):
    from django.contrib.contenttypes.models import ContentType

    from practica.analytics.models import StoryLink

    if by_name:
        kind = {
            "target_type__app_label": model._meta.app_label,
            "target_type__model": model._meta.model_name,
        }
    else:
        kind = {"target_type": ContentType.objects.get_for_model(model)}
    return lambda pk: StoryLink.objects.filter(
        target_id=pk, **kind
    ).values_list("story_id", flat=True)


def _cite(community, artifact):
    from practica.analytics import services as stories

    return stories.story_create(
        author=member(community),
        community=community,
        title="The press stopped in time",
        cycle="immediate",
        happened="We followed the routine.",
        difference="Nobody was hurt.",
        links=[f"artifact:{artifact.pk}"],
    )


@pytest.fixture
def artifact(communities):
    from practica.repertoire import services

    alpha = communities[0]
    return services.artifact_create(
        author=member(alpha),
        community=alpha,
        title="Lockout/tagout routine",
        body="1. Isolate.\n2. Lock.\n3. Verify.",
        kind="routine",
        status="published",
    )


def test_a_recreated_row_finds_nothing_by_its_old_id(
    communities, artifact, recreate_type
):
    # Why the reads name rows by natural key: the hazard, shown.
    from practica.repertoire.models import Artifact

    story = _cite(communities[0], artifact)
    by_id = sql.Prepared(_links_to(Artifact, by_name=False), pk=int)
    by_name = sql.Prepared(_links_to(Artifact, by_name=True), pk=int)
    assert by_id(pk=artifact.pk) == by_name(pk=artifact.pk) == [story.pk]
    recreate_type(Artifact)
    assert by_id(pk=artifact.pk) == []  # stale
    assert by_name(pk=artifact.pk) == [story.pk]


def test_artifact_head_counts_citing_stories_after_recreation(
    communities, artifact, recreate_type
):
    from django.contrib.auth.models import AnonymousUser

    from practica.repertoire.models import Artifact
    from practica.repertoire.selectors import artifact_head

    visitor = AnonymousUser()
    assert artifact_head(viewer=visitor, pk=artifact.pk).cited_n is None
    _cite(communities[0], artifact)
    assert artifact_head(viewer=visitor, pk=artifact.pk).cited_n == 1
    recreate_type(Artifact)
    assert artifact_head(viewer=visitor, pk=artifact.pk).cited_n == 1
