"""The list stamp (conversations.ListStamp): the database's triggers move
it with every change to what a community's lists show, whichever way the
change is written, and a signed-out visitor's cached list follows it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from practica.communities.models import Role
from practica.conversations import selectors, services
from practica.conversations.models import Conversation, ListStamp
from practica.core import cache
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, member


def stamp(community) -> int:
    found = ListStamp.objects.filter(community_id=community.pk).first()
    return found.n if found else 0


@pytest.fixture
def asked(community):
    return ask(member(community), community, title="Why does the die crack?")


@pytest.mark.django_db
def test_asking_answering_voting_and_views_move_it(community, asked):
    other = CommunityFactory()
    untouched = stamp(other)
    before = stamp(community)
    reply = answer(member(community), asked)
    after_answer = stamp(community)
    assert after_answer != before
    services.vote(user=member(community), value=1, reply=reply)
    after_vote = stamp(community)
    assert after_vote != after_answer
    cache.count(asked)  # a view, written by the counter's flush
    cache.flush_counts(redis=False)
    assert stamp(community) != after_vote
    assert stamp(other) == untouched


@pytest.mark.django_db
def test_bulk_updates_deletions_and_moves_move_it(community, asked):
    before = stamp(community)
    Conversation.objects.filter(pk=asked.pk).update(locked=True)
    after_update = stamp(community)
    assert after_update != before
    target = CommunityFactory()
    mover = member(community, Role.COORDINATOR)
    services.conversation_move(
        actor=mover,
        conversation=asked,
        community=_coordinated(target, mover),
        reason="It belongs there.",
    )
    assert stamp(community) != after_update  # it left this one
    in_target = stamp(target)
    assert in_target != 0  # and came to that one
    Conversation.objects.filter(pk=asked.pk).delete()
    assert stamp(target) != in_target


def _coordinated(target, person):
    from tests.factories import MembershipFactory

    MembershipFactory(community=target, user=person, role=Role.COORDINATOR)
    return target


@pytest.mark.django_db
def test_an_authors_new_name_moves_it_and_a_sign_in_does_not(community, asked):
    author = asked.author
    before = stamp(community)
    author.last_login = timezone.now()
    author.save(update_fields=["last_login"])
    assert stamp(community) == before
    author.display_name = "Ana the press fitter"
    author.save(update_fields=["display_name"])
    assert stamp(community) != before


@pytest.mark.django_db
def test_the_list_head_carries_it(community, asked):
    def head() -> tuple[int, ...]:
        return selectors.list_head(
            viewer=AnonymousUser(), slug=community.slug
        )[1]

    before = head()
    Conversation.objects.filter(pk=asked.pk).update(view_count=7)
    assert head() != before
    assert head()[-1] == stamp(community)


@pytest.mark.django_db
def test_a_visitors_cached_list_shows_a_change_at_once(
    client, community, asked, django_assert_num_queries
):
    url = reverse("conversations:list", args=[community.slug])
    assert "<strong>0</strong> answers" in client.get(url).content.decode()
    with django_assert_num_queries(1):  # the stamp; the page is cached
        client.get(url)
    answer(member(community), asked)
    assert "<strong>1</strong> answer<" in client.get(url).content.decode()
    asked.author.display_name = "Renamed Fitter"
    asked.author.save(update_fields=["display_name"])
    assert "Renamed Fitter" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_visitors_recent_questions_follow_every_public_community(
    client, community, asked, django_assert_num_queries
):
    from practica.communities import services as communities
    from practica.communities.models import Visibility

    other = CommunityFactory()
    ask(member(other), other, title="Where does the belt slip?")
    url = reverse("conversations:all")
    page = client.get(url).content.decode()
    assert "Why does the die crack?" in page
    assert "Where does the belt slip?" in page
    with django_assert_num_queries(1):  # the stamps; the page is cached
        client.get(url)
    answer(member(community), asked)
    assert "<strong>1</strong> answer<" in client.get(url).content.decode()
    communities.community_update(
        actor=member(other, Role.COORDINATOR), community=other, name="Belts"
    )
    assert ">Belts<" in client.get(url).content.decode()
    # made private: its questions leave the visitor's page at once
    other.refresh_from_db()
    other.visibility = Visibility.PRIVATE
    other.save(update_fields=["visibility"])
    assert "Where does the belt slip?" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_api_list_follows_it(client, community, asked):
    url = f"/api/v1/communities/{community.slug}/conversations"
    assert client.get(url).json()["items"][0]["reply_count"] == 0
    answer(member(community), asked)
    assert client.get(url).json()["items"][0]["reply_count"] == 1


@pytest.mark.django_db(transaction=True)
def test_on_commit_a_transaction_moves_it_once_on_postgresql(community):
    asker = member(community)
    questions = [
        ask(asker, community, title=f"Press question number {n}")
        for n in range(3)
    ]
    before = stamp(community)
    with transaction.atomic():
        Conversation.objects.filter(pk__in=[q.pk for q in questions]).update(
            view_count=5
        )
        voter = member(community)
        services.vote(user=voter, value=1, conversation=questions[0])
        if connection.vendor == "postgresql":
            # Deferred to the commit: nothing is locked or bumped yet.
            assert stamp(community) == before
    moved = stamp(community) - before
    if connection.vendor == "postgresql":
        assert moved == 1
    else:  # row by row, at once
        assert moved >= 4
