"""The demo's value stories and reflections: believable and idempotent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practica.analytics.models import Reflection, StoryLink, ValueStory
from practica.communities.models import Role
from practica.web import demo_analytics
from tests.analytics.factories import artifact, question
from tests.factories import CommunityFactory, member

pytestmark = pytest.mark.django_db


def test_load_adds_stories_and_a_reflection_once():
    c = CommunityFactory()
    coord = member(c, Role.COORDINATOR)
    asker, helper = member(c), member(c)
    when = timezone.now() - timedelta(days=50)
    question(asker, c, when, [(helper, when + timedelta(hours=3))], accept=0)
    artifact(coord, c)
    CommunityFactory()  # an empty community gets nothing
    first = demo_analytics.load()
    assert first["value_stories"] == len(demo_analytics.STORIES)
    assert first["featured_stories"] == 1
    assert first["reflections"] == 1
    assert first["added"] == len(demo_analytics.STORIES) + 1
    assert StoryLink.objects.count() >= len(demo_analytics.STORIES)
    featured = ValueStory.objects.get(featured=True)
    assert featured.cycle == "transformative"
    r = Reflection.objects.get()
    assert "Questions asked" in r.what and r.now_what
    again = demo_analytics.load()
    assert again["added"] == 0
    assert again["value_stories"] == first["value_stories"]
