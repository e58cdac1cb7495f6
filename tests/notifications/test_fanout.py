from datetime import timedelta

import pytest
from django.utils import timezone

from practica.accounts.models import User
from practica.communities import services as communities
from practica.communities.models import Policy, Role, Visibility
from practica.conversations import services as conversations
from practica.conversations.models import Tag
from practica.core import activity
from practica.notifications import fanout
from practica.notifications.models import Follow, Level, Notification, Reason
from practica.repertoire import services as repertoire
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, UserFactory, member
from tests.notifications.factories import fan_out, follow

pytestmark = pytest.mark.django_db


def inbox(user: User) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("id"))


def unread(user: User) -> int:
    user.refresh_from_db(fields=["inbox_unread"])
    return user.inbox_unread


def tag(community, name="Hydraulics") -> Tag:
    return Tag.objects.create(
        community=community, name=name, slug=name.lower()
    )


def test_following_a_tag_hears_of_a_new_question_in_it(community):
    reader, asker = member(community), member(community)
    hydraulics = tag(community)
    follow(reader, hydraulics)
    q = ask(asker, community, tags=["Hydraulics"])
    assert fan_out() == 1
    [n] = inbox(reader)
    assert (n.reason, n.verb, n.thread_title) == (
        Reason.FOLLOW,
        "question.created",
        q.title,
    )
    assert n.url == f"/q/{q.pk}/"
    assert n.text == f"{asker.name} asked"
    assert unread(reader) == 1
    assert inbox(asker) == []  # nobody hears of their own post
    assert fan_out() == 0  # nothing twice


def test_answers_reach_the_asker_and_the_answerer_follows(community):
    asker, answerer, third = (member(community) for _ in range(3))
    q = ask(asker, community)
    answer(answerer, q)
    fan_out()
    [n] = inbox(asker)
    assert n.reason == Reason.REPLY and n.url.endswith(
        f"/q/{q.pk}/#answer-{q.replies.get().pk}"
    )
    # Asking and answering made default follows of the question.
    assert Follow.objects.filter(target_id=q.pk, auto=True).count() == 2
    answer(third, q, body="Another angle: the die temperature matters too.")
    fan_out()
    assert [x.reason for x in inbox(answerer)] == [Reason.FOLLOW]
    assert [x.reason for x in inbox(asker)] == [Reason.REPLY, Reason.REPLY]
    assert unread(asker) == 2


def test_reply_level_hears_replies_not_everything_and_mute_hears_neither(
    community,
):
    asker, answerer, other = (member(community) for _ in range(3))
    q = ask(asker, community)
    fan_out()
    f = Follow.objects.get(user=asker, target_id=q.pk)
    f.level = Level.MUTE
    f.save()
    answer(answerer, q)
    fan_out()
    assert inbox(asker) == []
    # the answerer follows "replies": a third answer is not for them
    af = Follow.objects.get(user=answerer, target_id=q.pk)
    af.level = Level.REPLIES
    af.save()
    answer(other, q, body="A third answer with enough words in it.")
    fan_out()
    assert inbox(answerer) == []


def test_mentions_reach_people_who_can_see_once_per_post(community):
    author, ada = member(community), member(community)
    outsider = UserFactory(display_name="Out Sider")
    q = ask(
        author,
        community,
        body=f"What do you think @{ada.handle}? Not `@{outsider.handle}` "
        f"in code, nor mail@{ada.handle}.",
    )
    fan_out()
    [n] = inbox(ada)
    assert n.reason == Reason.MENTION
    assert inbox(outsider) == []  # only in a code span
    conversations.conversation_edit(
        actor=author,
        conversation=q,
        title=q.title,
        body=q.body + f" Also @{outsider.handle}.",
    )
    fan_out()
    assert len(inbox(ada)) == 1  # the edit does not mention her again
    assert [x.reason for x in inbox(outsider)] == [Reason.MENTION]


def test_nobody_hears_of_what_they_may_not_see():
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    insider = member(private)
    outsider = UserFactory()
    follow(insider, private)
    # a follow kept from earlier, when they could still see it
    Follow.objects.create(
        user=outsider,
        target_type_id=Follow._meta.get_field("target_type")
        .related_model.objects.get_for_model(private)
        .pk,
        target_id=private.pk,
    )
    writer = member(private)
    ask(writer, private, body=f"Hello @{outsider.handle}, can you see this?")
    fan_out()
    assert len(inbox(insider)) == 1
    assert inbox(outsider) == []


def test_direct_requests_ask_request_and_join_request(community):
    asker, expert = member(community), member(community)
    q = ask(asker, community)
    conversations.ask_request_create(
        actor=asker, conversation=q, person=expert
    )
    coordinator = member(community, Role.COORDINATOR)
    gated = CommunityFactory(policy=Policy.APPROVAL)
    lead = member(gated, Role.COORDINATOR)
    joiner = UserFactory()
    communities.community_join(
        user=joiner,
        community=gated,
        practice_statement="Twelve years of hydraulic maintenance.",
    )
    fan_out()
    [n] = inbox(expert)
    assert (n.reason, n.text) == (
        Reason.REQUEST,
        f"{asker.name} asks for your help",
    )
    [j] = inbox(lead)
    assert j.reason == Reason.REQUEST
    assert j.url == f"/c/{gated.slug}/requests/"
    assert inbox(coordinator) == []


def test_artifact_owners_follow_and_hear_edits(community):
    owner, editor = member(community), member(community, Role.CORE)
    a = repertoire.artifact_create(
        author=owner,
        community=community,
        title="Accumulator pre-charge check",
        body="Check the pre-charge when warm.",
        status="published",
    )
    fan_out()
    assert Follow.objects.filter(
        user=owner, target_id=a.pk, auto=True
    ).exists()
    repertoire.artifact_edit(
        actor=editor,
        artifact=a,
        base_revision=a.revision,
        title=a.title,
        body=a.body + f"\n\nSee @{owner.handle}.",
    )
    fan_out()
    reasons = [n.reason for n in inbox(owner)]
    assert reasons == [Reason.MENTION]


def test_old_history_moves_the_cursor_but_notifies_nobody(community):
    reader = member(community)
    follow(reader, community)
    ask(member(community), community)
    later = timezone.now() + fanout.MAX_AGE + timedelta(hours=1)
    assert fanout.catch_up(now=later) == 0
    assert fanout.pending() == 0


def test_unknown_verbs_are_skipped_and_table_driven(community, monkeypatch):
    reader = member(community)
    follow(reader, community)
    activity.record(
        actor=member(community),
        verb="something.new",
        target=community,
        community_id=community.pk,
    )
    assert fan_out() == 0
    monkeypatch.setitem(
        fanout.VERBS, "something.new", fanout.Verb("{actor} did something")
    )
    activity.record(
        actor=member(community),
        verb="something.new",
        target=community,
        community_id=community.pk,
    )
    assert fan_out() == 1


def test_batch_queries_do_not_grow_with_activities(
    community, django_assert_max_num_queries
):
    readers = [member(community) for _ in range(5)]
    for r in readers:
        follow(r, community)
    asker = member(community)
    for i in range(3):
        ask(asker, community, title=f"Question number {i} about presses")
    with django_assert_max_num_queries(30) as few:
        fan_out()
    small = len(few.captured_queries)
    for i in range(15):
        ask(asker, community, title=f"Another question {i} about presses")
    with django_assert_max_num_queries(small + 2):
        fan_out()
    assert unread(readers[0]) == 18


def test_a_proposed_match_asks_both_people(community):
    from practica.mentoring import services as mentoring
    from tests.mentoring.factories import helper, need, offer

    lead = member(community, Role.COORDINATOR)
    expert = helper(community)
    asker = member(community)
    match = mentoring.match_propose(
        actor=lead,
        offer=offer(expert, community),
        request=need(asker, community),
    )
    fan_out()
    for person in (expert, asker):
        [n] = [x for x in inbox(person) if x.verb == "match.proposed"]
        assert n.reason == Reason.REQUEST
        assert n.url == f"/help/requests/{match.request_id}/"
    assert not [x for x in inbox(lead) if x.verb == "match.proposed"]
