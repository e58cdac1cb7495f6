import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from practica.accounts.models import Skill
from practica.communities.models import Role
from practica.conversations import selectors, services
from practica.conversations.models import (
    Conversation,
    Reply,
    Revision,
    Tag,
    Vote,
)
from practica.core.models import Activity
from tests.conversations.factories import answer, ask
from tests.factories import (
    CommunityFactory,
    ExpertiseFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(community):
    return member(community)


@pytest.fixture
def question(asker, community):
    return ask(asker, community, tags=["Presses", "maintenance"])


class TestAsk:
    def test_question_with_tags_revision_and_activity(self, question):
        assert question.body_html.startswith("<p>It jams")
        assert question.tag_names == ["Presses", "maintenance"]
        assert set(Tag.objects.values_list("slug", "use_count")) == {
            ("presses", 1),
            ("maintenance", 1),
        }
        assert Revision.objects.get().number == 1
        assert Activity.objects.filter(verb="question.created").exists()

    def test_every_bad_field_at_once_and_nothing_written(
        self, asker, community
    ):
        with pytest.raises(ValidationError) as exc:
            ask(
                asker,
                community,
                title="Help",
                body="short",
                tags=[f"t{i}" for i in range(6)],
            )
        assert set(exc.value.message_dict) == {"title", "body", "tags"}
        assert "at least 10" in exc.value.message_dict["title"][0]
        assert Conversation.objects.count() == 0

    def test_curated_tags_refuse_unknown_with_the_list(self, community):
        community.members_propose_tags = False
        community.save()
        Tag.objects.create(community=community, name="presses", slug="presses")
        with pytest.raises(ValidationError) as exc:
            ask(member(community), community, tags=["welding"])
        assert "Pick from: presses" in exc.value.message_dict["tags"][0]

    def test_non_member_cannot_ask(self, community):
        with pytest.raises(PermissionDenied):
            ask(UserFactory(), community)


class TestReplies:
    def test_answer_counts_and_double_submit_is_idempotent(
        self, question, community
    ):
        expert = member(community)
        r1 = answer(expert, question)
        r2 = answer(expert, question)
        assert r1.pk == r2.pk
        question.refresh_from_db()
        assert question.reply_count == 1 and question.version > 1

    def test_newcomer_without_expertise_is_not_from_practice(
        self, question, community
    ):
        newcomer = member(community, Role.NEWCOMER)
        assert answer(newcomer, question).from_practice is False
        skilled = member(community, Role.NEWCOMER)
        ExpertiseFactory(
            user=skilled,
            skill=Skill.objects.create(name="Presses", slug="presses"),
        )
        assert answer(skilled, question).from_practice is True

    def test_locked_and_closed_refuse_replies(self, question, community):
        coordinator = member(community, Role.COORDINATOR)
        services.conversation_lock(
            actor=coordinator,
            conversation=question,
            locked=True,
            reason="Heated",
        )
        with pytest.raises(ValidationError, match="locked"):
            answer(member(community), question)
        services.conversation_lock(
            actor=coordinator, conversation=question, locked=False
        )
        services.conversation_close(
            actor=coordinator, conversation=question, reason="Solved offline"
        )
        with pytest.raises(ValidationError, match="closed: Solved offline"):
            answer(member(community), question)


class TestVotesAndAccept:
    def test_vote_change_and_withdraw(self, question, community):
        r = answer(member(community), question)
        voter = member(community)
        assert services.vote(user=voter, reply=r, value=1) == 1
        assert services.vote(user=voter, reply=r, value=1) == 1
        assert services.vote(user=voter, reply=r, value=-1) == -1
        assert services.vote(user=voter, reply=r, value=0) == 0
        assert Vote.objects.count() == 0

    def test_vote_refusals(self, question, asker, community):
        with pytest.raises(ValidationError, match="own post"):
            services.vote(user=asker, conversation=question, value=1)
        with pytest.raises(ValidationError) as exc:
            services.vote(
                user=member(community), conversation=question, value=-1
            )
        assert "value" in exc.value.message_dict
        with pytest.raises(PermissionDenied):
            services.vote(user=UserFactory(), conversation=question, value=1)

    def test_asker_accepts_and_others_cannot(self, question, asker, community):
        r1 = answer(member(community), question)
        r2 = answer(
            member(community),
            question,
            body="Replace the guide pins; they wear in a year.",
        )
        with pytest.raises(PermissionDenied, match="asked"):
            services.reply_accept(actor=member(community), reply=r1)
        services.reply_accept(actor=asker, reply=r1)
        c = services.reply_accept(actor=asker, reply=r2)
        assert c.accepted_reply_id == r2.pk and c.is_solved
        page = selectors.conversation_page(viewer=asker, pk=question.pk)
        assert page.replies[0].reply.pk == r2.pk

    def test_worked_once_and_not_own(self, question, community):
        author = member(community)
        r = answer(author, question)
        fan = member(community)
        services.reply_worked(user=fan, reply=r)
        services.reply_worked(user=fan, reply=r)
        assert Reply.objects.get(pk=r.pk).worked_count == 1
        with pytest.raises(ValidationError, match="own answer"):
            services.reply_worked(user=author, reply=r)


class TestEditAndModerate:
    def test_edit_keeps_revisions(self, question, asker):
        services.conversation_edit(
            actor=asker,
            conversation=question,
            title="How do we stop the press line jamming on nights?",
            body=question.body,
            message="More precise",
        )
        revs = selectors.revisions(viewer=asker, conversation=question)
        assert [r.number for r in revs] == [1, 2]
        assert revs[1].message == "More precise"

    def test_stranger_cannot_edit(self, question, community):
        with pytest.raises(PermissionDenied):
            services.conversation_edit(
                actor=member(community),
                conversation=question,
                title="x" * 20,
                body="y" * 30,
            )

    def test_merge_moves_answers(self, question, asker, community):
        coordinator = member(community, Role.COORDINATOR)
        dup = ask(asker, community, title="Press line jams after die swap")
        answer(member(community), dup)
        services.comment_create(
            author=asker, conversation=dup, body="Same as the other one?"
        )
        services.conversation_merge(
            actor=coordinator,
            conversation=dup,
            into=question,
            reason="Same problem",
        )
        question.refresh_from_db()
        dup.refresh_from_db()
        assert (question.reply_count, question.comment_count) == (1, 1)
        assert dup.comment_count == 0
        assert (dup.state, dup.duplicate_of_id) == ("duplicate", question.pk)


class TestWhoToAsk:
    def test_ranks_expertise_and_accepted_answers_never_the_asker(
        self, community, asker
    ):
        skill = Skill.objects.create(name="Presses", slug="presses")
        Tag.objects.create(
            community=community, name="Presses", slug="presses", skill=skill
        )
        expert = member(community)
        ExpertiseFactory(
            user=expert, skill=skill, level=5, endorsement_count=3
        )
        ExpertiseFactory(user=asker, skill=skill, level=5)
        helper = member(community)
        earlier = ask(asker, community, tags=["presses"])
        services.reply_accept(actor=asker, reply=answer(helper, earlier))
        outsider = UserFactory()
        ExpertiseFactory(user=outsider, skill=skill, level=5)
        q = ask(
            member(community),
            community,
            title="Press line jams again after die swap",
            tags=["presses"],
        )
        got = selectors.who_to_ask(viewer=asker, conversation=q)
        people = [s.person for s in got]
        assert people[0] == expert
        assert helper in people and outsider not in people
        assert "expert in Presses" in got[0].reasons[0]
        assert any("accepted answer" in r for s in got for r in s.reasons)
        services.ask_request_create(
            actor=q.author, conversation=q, person=expert
        )
        with pytest.raises(ValidationError, match="not a member"):
            services.ask_request_create(
                actor=q.author, conversation=q, person=outsider
            )


class TestLists:
    def test_unanswered_and_solved_filters(self, question, asker, community):
        other = ask(asker, community, title="Which lubricant for the feeder?")
        services.reply_accept(
            actor=asker, reply=answer(member(community), other)
        )
        unanswered = selectors.conversation_list(
            viewer=asker, community=community, sort="unanswered"
        )
        assert [c.pk for c in unanswered.items] == [question.pk]
        solved = selectors.conversation_list(
            viewer=asker, community=community, status="solved"
        )
        assert [c.pk for c in solved.items] == [other.pk]
        with pytest.raises(ValidationError):
            selectors.conversation_list(viewer=asker, sort="random")

    def test_private_community_hidden(self):
        c = CommunityFactory(visibility="private")
        q = ask(member(c), c)
        with pytest.raises(Exception, match="No such"):
            selectors.conversation_get(viewer=UserFactory(), pk=q.pk)

    def test_page_queries_do_not_grow(
        self, question, community, django_assert_max_num_queries
    ):
        viewer = member(community)

        def load():
            from practica import access

            access.forget(viewer)
            return selectors.conversation_page(viewer=viewer, pk=question.pk)

        with django_assert_max_num_queries(8):
            load()
        for i in range(5):
            r = answer(
                member(community),
                question,
                body=f"Answer number {i} with enough words here.",
            )
            services.comment_create(
                author=viewer,
                conversation=question,
                reply=r,
                body="Thanks, that helped.",
            )
            services.vote(user=viewer, reply=r, value=1)
        with django_assert_max_num_queries(8):
            page = load()
        assert len(page.replies) == 5
        assert all(v.my_vote == 1 for v in page.replies)


def test_accepted_answer_reason_names_the_answered_tags(community):
    skill = Skill.objects.create(name="Hydraulics", slug="hydraulics")
    Tag.objects.create(
        community=community, name="Hydraulics", slug="hydraulics", skill=skill
    )
    Tag.objects.create(community=community, name="Press 4", slug="press-4")
    asker, helper = member(community), member(community)
    earlier = ask(asker, community, tags=["hydraulics"])
    services.reply_accept(actor=asker, reply=answer(helper, earlier))
    q = ask(
        asker,
        community,
        title="Press 4 leaks hydraulic oil again",
        tags=["hydraulics", "press-4"],
    )
    got = {
        s.person: s.reasons
        for s in selectors.who_to_ask(viewer=asker, conversation=q)
    }
    assert got[helper] == ["1 accepted answer on Hydraulics"]


def test_questions_for_me_include_direct_asks(community):
    asker, asked = member(community), member(community)
    q = ask(asker, community)
    assert selectors.questions_for_me(viewer=asked).items == []
    services.ask_request_create(actor=asker, conversation=q, person=asked)
    assert selectors.questions_for_me(viewer=asked).items == [q]
