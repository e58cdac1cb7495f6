import pytest

from practica.search.backends import query, terms
from tests.conversations.factories import ask
from tests.factories import CommunityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_terms_drop_stop_words():
    assert terms("How do I stop the press from jamming?") == [
        "jamming",
        "press",
        "stop",
    ]


def test_similar_titles_ranked_and_access_filtered(community):
    author = member(community)
    best = ask(author, community, title="Press line jamming after die swap")
    ask(author, community, title="Press brake calibration schedule")
    ask(author, community, title="Canteen opening hours next week")
    private = CommunityFactory(visibility="private")
    ask(member(private), private, title="Press line jamming in plant two")
    hits = query(viewer=UserFactory(), text="press line jamming")
    assert hits[0].id == best.pk
    assert hits[1].title == "Press brake calibration schedule"
    assert all(h.community_slug == community.slug for h in hits)
