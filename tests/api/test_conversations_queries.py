"""Conversation lists and pages load in a fixed number of queries, however
many conversations, answers, comments, votes and flags there are."""

import pytest

from practica.accounts.models import Skill
from practica.communities.models import Community
from practica.conversations import services
from practica.conversations.models import Conversation
from tests.api.conftest import Api, ok
from tests.conversations.factories import answer, ask
from tests.factories import ExpertiseFactory, UserFactory, member


def grow(community: Community, question: Conversation, n: int) -> None:
    """Add n answers, each with a comment, votes, a mark and a flag."""
    fan = member(community)
    for i in range(n):
        r = answer(
            member(community),
            question,
            body=f"Answer number {i}, with enough words to count.",
        )
        services.comment_create(
            author=fan, conversation=question, reply=r, body="Thanks"
        )
        services.comment_create(
            author=fan, conversation=question, body=f"And {i}?"
        )
        services.vote(user=fan, reply=r, value=1)
        services.vote(user=member(community), reply=r, value=-1)
        services.reply_worked(user=fan, reply=r)
        services.flag_create(
            user=member(community),
            conversation=question,
            reply=r,
            reason="Check this",
        )


@pytest.fixture
def question(community):
    return ask(member(community), community, tags=["presses", "dies"])


@pytest.mark.parametrize("more", [0, 10])
def test_community_list(
    api: Api, community, question, more, django_assert_max_num_queries
):
    asker = member(community)
    for i in range(more):
        c = ask(asker, community, title=f"Question {i} about the presses")
        grow(community, c, 1)
    viewer = member(community)
    api.token(viewer)
    path = f"/communities/{community.slug}/conversations"
    # Cold: token, last-use stamp, community, page's stamps, then the
    # full rows of the items not cached yet (and the memberships that
    # filter them)
    with django_assert_max_num_queries(6):
        cold = ok(api.get(path, user=viewer))
    assert len(cold["items"]) == 1 + more
    # Warm: token, last-use stamp, community, page's stamps (a public
    # community needs no memberships to decide)
    with django_assert_max_num_queries(4):
        assert ok(api.get(path, user=viewer)) == cold
    ok(api.get(path, sort="votes", tag="presses"))
    # community, page
    with django_assert_max_num_queries(2):
        ok(api.get(path, sort="votes", tag="presses"))
    ok(api.get("/conversations", user=viewer, sort="unanswered"))
    # token, memberships, page
    with django_assert_max_num_queries(3):
        ok(api.get("/conversations", user=viewer, sort="unanswered"))


@pytest.mark.parametrize("more", [0, 8])
def test_conversation_detail(
    api: Api, community, question, more, django_assert_max_num_queries
):
    grow(community, question, 1 + more)
    viewer = member(community)
    services.vote(user=viewer, conversation=question, value=1)
    api.token(viewer)
    path = f"/conversations/{question.pk}"
    # token, stamp, conversation with community and author, answers,
    # comments, my votes, my marks, memberships, tags
    with django_assert_max_num_queries(9):
        body = ok(api.get(path, user=viewer))
    assert len(body["replies"]) == 1 + more
    assert len(body["comments"]) == 1 + more
    assert body["my_vote"] == 1
    # anonymous: no votes, marks or memberships to load
    with django_assert_max_num_queries(4):
        ok(api.get(path))


@pytest.mark.parametrize("more", [0, 8])
def test_one_answer(
    api: Api, community, question, more, django_assert_max_num_queries
):
    grow(community, question, 1)
    reply = question.replies.get()
    fan = member(community)
    for _ in range(more):
        services.comment_create(
            author=member(community),
            conversation=question,
            reply=reply,
            body="Same here",
        )
    api.token(fan)
    # token, stamp, answer, comments, my vote, my mark
    with django_assert_max_num_queries(6):
        body = ok(api.get(f"/replies/{reply.pk}", user=fan))
    assert len(body["comments"]) == 1 + more


@pytest.mark.parametrize("more", [0, 8])
def test_flag_queue(
    api: Api,
    community,
    coordinator,
    question,
    more,
    django_assert_max_num_queries,
):
    grow(community, question, 1 + more)
    api.token(coordinator)
    # token, stamp, community, memberships, flags with posts and reporters
    with django_assert_max_num_queries(5):
        body = ok(
            api.get(f"/communities/{community.slug}/flags", user=coordinator)
        )
    assert len(body) == 1 + more


@pytest.mark.parametrize("more", [0, 8])
def test_questions_for_me_and_tags(
    api: Api, community, more, django_assert_max_num_queries
):
    skill = Skill.objects.create(name="Presses", slug="presses")
    expert = member(community)
    ExpertiseFactory(user=expert, skill=skill)
    asker = member(community)
    for i in range(1 + more):
        ask(
            asker,
            community,
            title=f"Question {i} about the presses",
            tags=["presses", f"line-{i}"],
        )
    api.token(expert)
    # token, stamp, memberships, my skills, page
    with django_assert_max_num_queries(5):
        body = ok(api.get("/me/questions-for-me", user=expert))
    assert len(body["items"]) == 1 + more
    # token, community, tags with skills
    with django_assert_max_num_queries(3):
        body = ok(api.get(f"/communities/{community.slug}/tags", user=expert))
    assert len(body) == 2 + more


def test_who_to_ask(
    api: Api, community, question, django_assert_max_num_queries
):
    skill = Skill.objects.create(name="Presses", slug="presses")
    question.tags.update(skill=skill)
    for _ in range(5):
        ExpertiseFactory(user=member(community), skill=skill)
    viewer = UserFactory()
    api.token(viewer)
    # token, stamp, conversation, tags, members, expertise, accepted
    # answers, people with departments
    with django_assert_max_num_queries(8):
        body = ok(
            api.get(f"/conversations/{question.pk}/who-to-ask", user=viewer)
        )
    assert len(body) == 5
