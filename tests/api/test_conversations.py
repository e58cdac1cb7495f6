"""The conversations router: lists, asking, answers, comments, history,
votes, solutions and "worked for me"."""

import pytest

from practica.accounts.models import Skill
from practica.communities.models import Role, Visibility
from practica.conversations import services
from practica.conversations.models import (
    Comment,
    Conversation,
    Reply,
    Revision,
    Tag,
    Vote,
    Worked,
)
from tests.api.conftest import Api, ok, problem
from tests.conversations.factories import answer, ask
from tests.factories import (
    CommunityFactory,
    ExpertiseFactory,
    UserFactory,
    member,
)

LONG_BODY = "The press jams when the die is warm; we tried cooling it."


@pytest.fixture
def asker(community):
    return member(community)


@pytest.fixture
def question(asker, community):
    return ask(asker, community, tags=["Presses", "maintenance"])


def titles(body: dict) -> list[str]:
    return [item["title"] for item in body["items"]]


# --- lists ---------------------------------------------------------------


class TestList:
    def test_anonymous_reads_a_public_community(self, api: Api, question):
        body = ok(
            api.get(f"/communities/{question.community.slug}/conversations")
        )
        (item,) = body["items"]
        assert item == {
            "id": question.pk,
            "kind": "question",
            "title": question.title,
            "community": {
                "slug": question.community.slug,
                "name": question.community.name,
            },
            "author": {"id": question.author.pk, "name": question.author.name},
            "tags": [
                {"slug": "presses", "name": "Presses"},
                {"slug": "maintenance", "name": "maintenance"},
            ],
            "state": "open",
            "locked": False,
            "is_solved": False,
            "accepted_reply_id": None,
            "score": 0,
            "reply_count": 0,
            "view_count": 0,
            "created_at": item["created_at"],
            "last_activity_at": item["last_activity_at"],
        }
        assert body["next_cursor"] is None

    def test_sorts_and_filters(self, api: Api, community, asker):
        old = ask(asker, community, title="Which grease for the feeder?")
        solved = ask(asker, community, title="Why does the belt slip?")
        talk = ask(
            asker,
            community,
            kind="discussion",
            title="Ideas for the spring maintenance day",
            tags=["ideas"],
        )
        helper = member(community)
        services.reply_accept(actor=asker, reply=answer(helper, solved))
        services.vote(user=helper, conversation=old, value=1)
        path = f"/communities/{community.slug}/conversations"

        def ids(**query):
            return [c["id"] for c in ok(api.get(path, **query))["items"]]

        assert ids(sort="newest") == [talk.pk, solved.pk, old.pk]
        # active: the vote came last, then the accepted answer
        assert ids() == [old.pk, solved.pk, talk.pk]
        assert ids(sort="votes")[0] == old.pk
        assert ids(sort="unanswered") == [old.pk]
        assert ids(tag="ideas") == [talk.pk]
        assert ids(kind="discussion") == [talk.pk]
        assert ids(status="solved") == [solved.pk]
        assert ids(status="unsolved", sort="newest") == [old.pk]

    @pytest.mark.parametrize(
        ("name", "value"),
        [("sort", "random"), ("status", "lost"), ("kind", "rant")],
    )
    def test_unknown_choices_name_the_parameter(
        self, api: Api, community, name, value
    ):
        path = f"/communities/{community.slug}/conversations"
        problem(api.get(path, **{name: value}), 422, name)
        problem(api.get("/conversations", **{name: value}), 422, name)

    @pytest.mark.parametrize("signed_in", [False, True])
    def test_private_community_is_404_for_outsiders(self, api: Api, signed_in):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        insider = member(secret)
        ask(insider, secret)
        path = f"/communities/{secret.slug}/conversations"
        outsider = UserFactory() if signed_in else None
        problem(api.get(path, user=outsider), 404)
        assert len(ok(api.get(path, user=insider))["items"]) == 1

    def test_across_communities_only_what_you_may_see(
        self, api: Api, question
    ):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        hidden = ask(member(secret), secret, title="Secret plant question")
        staff = CommunityFactory(visibility=Visibility.ORGANISATION)
        inside = ask(member(staff), staff, title="Staff-only question here")
        anonymous = ok(api.get("/conversations"))
        assert [c["id"] for c in anonymous["items"]] == [question.pk]
        signed_in = ok(api.get("/conversations", user=UserFactory()))
        ids = {c["id"] for c in signed_in["items"]}
        assert ids == {question.pk, inside.pk}
        assert hidden.pk not in ids

    def test_page_by_page(self, api: Api, community, asker, settings):
        settings.PRACTICA_PAGE_SIZE = 2
        made = [
            ask(asker, community, title=f"Question number {i} on presses")
            for i in range(5)
        ]
        seen, cursor = [], None
        path = f"/communities/{community.slug}/conversations"
        while True:
            query = {"sort": "newest"} | ({"cursor": cursor} if cursor else {})
            body = ok(api.get(path, **query))
            seen += [c["id"] for c in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == [c.pk for c in reversed(made)]
        bad = api.get(path, sort="votes", cursor="WyJ4IiwieCJd")
        problem(bad, 422, "cursor")

    def test_questions_for_me(self, api: Api, community, asker):
        skill = Skill.objects.create(name="Presses", slug="presses")
        expert = member(community)
        ExpertiseFactory(user=expert, skill=skill)
        mine = ask(asker, community, tags=["presses"])
        ask(asker, community, title="Where is the canteen menu?")
        ask(
            expert,
            community,
            title="My own question on presses",
            tags=["presses"],
        )
        body = ok(api.get("/me/questions-for-me", user=expert))
        assert [c["id"] for c in body["items"]] == [mine.pk]
        problem(api.get("/me/questions-for-me"), 401)


# --- asking --------------------------------------------------------------


class TestCreate:
    def test_asks_with_rendered_body_and_tags(self, api: Api, community):
        author = member(community)
        response = api.post(
            f"/communities/{community.slug}/conversations",
            {
                "title": "How do we stop the press line jamming?",
                "body": "It *jams* <script>alert(1)</script> every shift.",
                "body_html": "<b>ignored</b>",
                "tags": ["Presses", "presses", "Night shift"],
            },
            user=author,
        )
        body = ok(response, 201)
        assert body["kind"] == "question"
        assert body["body_html"].startswith("<p>It <em>jams</em>")
        assert "<script>" not in body["body_html"]
        assert body["tags"] == [
            {"slug": "presses", "name": "Presses"},
            {"slug": "night-shift", "name": "Night shift"},
        ]
        assert body["author"]["id"] == author.pk
        assert body["replies"] == [] and body["comments"] == []
        assert body["permissions"] == {
            "participate": True,
            "moderate": False,
            "edit": True,
            "accept": True,
        }
        c = Conversation.objects.get()
        assert "ignored" not in c.body_html
        assert Revision.objects.filter(conversation=c).count() == 1

    def test_discussion(self, api: Api, community):
        body = ok(
            api.post(
                f"/communities/{community.slug}/conversations",
                {
                    "kind": "discussion",
                    "title": "Ideas for the maintenance day",
                    "body": "What should we show the new apprentices?",
                },
                user=member(community),
            ),
            201,
        )
        assert body["kind"] == "discussion"
        assert body["permissions"]["accept"] is False

    @pytest.mark.parametrize(
        ("fields", "bad"),
        [
            ({"title": "", "body": ""}, {"title", "body"}),
            ({"title": "x" * 201}, {"title"}),
            ({"title": "Help"}, {"title"}),
            ({"body": "too short"}, {"body"}),
            ({"body": "x" * 30_001}, {"body"}),
            ({"tags": [f"t{i}" for i in range(6)]}, {"tags"}),
            ({"kind": "rant"}, {"kind"}),
            ({"title": None}, {"title"}),
        ],
    )
    def test_bad_input_names_the_field(self, api: Api, community, fields, bad):
        payload = {
            "title": "How do we stop the press line jamming?",
            "body": LONG_BODY,
        } | fields
        response = api.post(
            f"/communities/{community.slug}/conversations",
            payload,
            user=member(community),
        )
        body = problem(response, 422, *bad)
        assert set(body["errors"]) == bad
        assert not Conversation.objects.exists()

    def test_tag_outside_policy_lists_the_choices(self, api: Api, community):
        community.members_propose_tags = False
        community.save()
        Tag.objects.create(community=community, name="Presses", slug="presses")
        response = api.post(
            f"/communities/{community.slug}/conversations",
            {
                "title": "How do we stop the press line jamming?",
                "body": LONG_BODY,
                "tags": ["welding"],
            },
            user=member(community),
        )
        body = problem(response, 422, "tags")
        assert "Pick from: Presses" in body["errors"]["tags"][0]
        assert not Conversation.objects.exists()

    def test_members_propose_tags_where_allowed(self, api: Api, community):
        ok(
            api.post(
                f"/communities/{community.slug}/conversations",
                {
                    "title": "How do we stop the press line jamming?",
                    "body": LONG_BODY,
                    "tags": ["welding"],
                },
                user=member(community),
            ),
            201,
        )
        assert Tag.objects.get(slug="welding").approved is False

    def test_refusals(self, api: Api, community):
        path = f"/communities/{community.slug}/conversations"
        payload = {"title": "A question about presses", "body": LONG_BODY}
        body = problem(api.post(path, payload, user=UserFactory()), 403)
        assert body["detail"] == "Join this community to take part."
        problem(api.post(path, payload), 401)
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        problem(
            api.post(
                f"/communities/{secret.slug}/conversations",
                payload,
                user=UserFactory(),
            ),
            404,
        )
        problem(api.post(path, user=member(community)), 422, "body")
        assert not Conversation.objects.exists()


# --- reading one ---------------------------------------------------------


class TestDetail:
    def test_answers_accepted_first_with_comments_and_my_marks(
        self, api: Api, question, asker, community
    ):
        top = answer(member(community), question)
        accepted = answer(
            member(community, Role.NEWCOMER),
            question,
            body="Replace the guide pins; they wear out in a year.",
            experience="",
        )
        me = member(community)
        services.vote(user=me, reply=top, value=1)
        services.vote(user=me, conversation=question, value=1)
        services.reply_worked(user=me, reply=accepted)
        services.reply_accept(actor=asker, reply=accepted)
        services.comment_create(
            author=me, conversation=question, body="Which press model?"
        )
        services.comment_create(
            author=asker, conversation=question, reply=top, body="Thanks!"
        )
        body = ok(api.get(f"/conversations/{question.pk}", user=me))
        assert body["is_solved"] is True
        assert body["accepted_reply_id"] == accepted.pk
        assert body["my_vote"] == 1 and body["score"] == 1
        assert [r["id"] for r in body["replies"]] == [accepted.pk, top.pk]
        first, second = body["replies"]
        assert (first["accepted"], first["worked"], first["my_vote"]) == (
            True,
            True,
            0,
        )
        assert first["from_practice"] is False
        assert first["worked_count"] == 1
        assert (second["my_vote"], second["score"]) == (1, 1)
        assert second["experience"] == "Ran that press for 6 years"
        assert second["author"]["department"] is None
        assert [c["body"] for c in body["comments"]] == ["Which press model?"]
        assert [c["body_html"] for c in second["comments"]] == [
            "<p>Thanks!</p>\n"
        ]
        assert body["permissions"]["edit"] is False
        assert body["body"] == question.body

    def test_anonymous_reads_public_but_not_private(self, api: Api, question):
        body = ok(api.get(f"/conversations/{question.pk}"))
        assert body["my_vote"] == 0
        assert body["permissions"] == {
            "participate": False,
            "moderate": False,
            "edit": False,
            "accept": False,
        }
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        hidden = ask(member(secret), secret)
        reply = answer(member(secret), hidden)
        for path in (
            f"/conversations/{hidden.pk}",
            f"/conversations/{hidden.pk}/revisions",
            f"/replies/{reply.pk}",
        ):
            problem(api.get(path), 404)
            body = problem(api.get(path, user=UserFactory()), 404)
        assert body["detail"] == "No such answer."
        problem(api.get("/conversations/999999"), 404)

    def test_one_answer(self, api: Api, question, community):
        r = answer(member(community), question)
        body = ok(api.get(f"/replies/{r.pk}"))
        assert body["conversation_id"] == question.pk
        assert body["body_html"].startswith("<p>Check the die")
        assert (body["accepted"], body["my_vote"]) == (False, 0)


# --- editing and history -------------------------------------------------


class TestEdit:
    def test_author_edits_and_the_history_shows_a_diff(
        self, api: Api, question, asker
    ):
        path = f"/conversations/{question.pk}"
        body = ok(
            api.patch(
                path,
                {
                    "body": question.body + "\nIt started in March.",
                    "tags": ["presses"],
                    "message": "Added when it started",
                },
                user=asker,
            )
        )
        assert body["title"] == question.title  # left out: unchanged
        assert body["tags"] == [{"slug": "presses", "name": "Presses"}]
        assert body["edited_at"] is not None
        revisions = ok(api.get(f"{path}/revisions"))
        assert [r["number"] for r in revisions] == [1, 2]
        assert revisions[1]["message"] == "Added when it started"
        assert revisions[1]["author"]["id"] == asker.pk
        diff = ok(
            api.get(f"{path}/revisions/diff")
        )  # latest vs the one before
        assert (diff["old"]["number"], diff["new"]["number"]) == (1, 2)
        assert diff["body"] == [
            {"op": "equal", "text": question.body},
            {"op": "insert", "text": "It started in March."},
        ]
        assert diff["title"] == [{"op": "equal", "text": question.title}]
        back = ok(api.get(f"{path}/revisions/diff", **{"from": 2, "to": 1}))
        assert back["body"][1] == {
            "op": "delete",
            "text": "It started in March.",
        }

    def test_an_edit_that_changes_nothing_makes_no_revision(
        self, api: Api, question, asker
    ):
        ok(api.patch(f"/conversations/{question.pk}", {}, user=asker))
        assert Revision.objects.filter(conversation=question).count() == 1

    def test_unknown_revision_names_the_parameter(self, api: Api, question):
        path = f"/conversations/{question.pk}/revisions/diff"
        body = problem(
            api.get(path, **{"from": 7, "to": 9}), 422, "from", "to"
        )
        assert "revisions 1 to 1" in body["errors"]["from"][0]
        problem(api.get(path, to="two"), 422, "to")

    def test_refusals(self, api: Api, question, community, asker):
        path = f"/conversations/{question.pk}"
        problem(
            api.patch(path, {"title": "x" * 201}, user=asker), 422, "title"
        )
        problem(api.patch(path, {"body": ""}, user=asker), 422, "body")
        body = problem(
            api.patch(
                path, {"title": "A better title here"}, user=member(community)
            ),
            403,
        )
        assert (
            body["detail"] == "Only the author or a coordinator can edit this."
        )
        problem(api.patch(path, {"title": "A better title here"}), 401)
        question.refresh_from_db()
        assert question.title.startswith("How do we stop")

    def test_coordinator_edits(self, api: Api, question, coordinator):
        body = ok(
            api.patch(
                f"/conversations/{question.pk}",
                {"title": "Press line jams twice a shift"},
                user=coordinator,
            )
        )
        assert body["title"] == "Press line jams twice a shift"

    def test_answer_edit_with_history(self, api: Api, question, community):
        author = member(community)
        r = answer(author, question)
        body = ok(
            api.patch(
                f"/replies/{r.pk}",
                {"experience": "Ran it for 7 years", "message": "typo"},
                user=author,
            )
        )
        assert body["experience"] == "Ran it for 7 years"
        assert body["body"] == r.body
        ok(
            api.patch(
                f"/replies/{r.pk}",
                {"body": r.body + "\nThen the pins."},
                user=author,
            )
        )
        history = ok(api.get(f"/replies/{r.pk}/revisions"))
        assert [h["number"] for h in history] == [1, 2, 3]
        assert history[0]["title"] == ""
        diff = ok(api.get(f"/replies/{r.pk}/revisions/diff", **{"from": 1}))
        assert diff["body"][-1] == {"op": "insert", "text": "Then the pins."}
        problem(
            api.patch(f"/replies/{r.pk}", {"body": "x"}, user=author),
            422,
            "body",
        )
        problem(
            api.patch(
                f"/replies/{r.pk}",
                {"experience": "x" * 301},
                user=author,
            ),
            422,
            "experience",
        )
        problem(
            api.patch(
                f"/replies/{r.pk}", {"body": LONG_BODY}, user=member(community)
            ),
            403,
        )
        problem(api.patch(f"/replies/{r.pk}", {"body": LONG_BODY}), 401)


# --- answers -------------------------------------------------------------


class TestReplies:
    def test_answer_from_practice_and_a_double_submit(
        self, api: Api, question, community
    ):
        path = f"/conversations/{question.pk}/replies"
        payload = {"body": LONG_BODY, "experience": "Six years on presses"}
        expert = member(community)
        first = ok(api.post(path, payload, user=expert), 201)
        again = ok(api.post(path, payload, user=expert), 201)
        assert first["id"] == again["id"]
        assert first["from_practice"] is True
        assert first["experience"] == "Six years on presses"
        assert first["comments"] == [] and first["accepted"] is False
        assert Reply.objects.count() == 1
        question.refresh_from_db()
        assert question.reply_count == 1

    def test_newcomer_without_practice_is_marked(
        self, api: Api, question, community
    ):
        newcomer = member(community, Role.NEWCOMER)
        body = ok(
            api.post(
                f"/conversations/{question.pk}/replies",
                {"body": LONG_BODY},
                user=newcomer,
            ),
            201,
        )
        assert body["from_practice"] is False

    def test_locked_and_closed_refuse_with_the_reason(
        self, api: Api, question, community, coordinator
    ):
        path = f"/conversations/{question.pk}/replies"
        services.conversation_lock(
            actor=coordinator,
            conversation=question,
            locked=True,
            reason="Heated",
        )
        body = problem(
            api.post(path, {"body": LONG_BODY}, user=member(community)), 409
        )
        assert body["detail"].startswith("This conversation is locked: Heated")
        services.conversation_lock(
            actor=coordinator, conversation=question, locked=False
        )
        services.conversation_close(
            actor=coordinator, conversation=question, reason="Solved offline"
        )
        body = problem(
            api.post(path, {"body": LONG_BODY}, user=member(community)), 409
        )
        assert "closed: Solved offline" in body["detail"]
        assert not Reply.objects.exists()

    def test_refusals(self, api: Api, question, community):
        path = f"/conversations/{question.pk}/replies"
        someone = member(community)
        problem(api.post(path, {"body": "short"}, user=someone), 422, "body")
        problem(
            api.post(
                path,
                {"body": LONG_BODY, "experience": "x" * 301},
                user=someone,
            ),
            422,
            "experience",
        )
        problem(api.post(path, {}, user=someone), 422, "body")
        problem(api.post(path, {"body": LONG_BODY}, user=UserFactory()), 403)
        problem(api.post(path, {"body": LONG_BODY}), 401)
        problem(
            api.post(
                "/conversations/999999/replies",
                {"body": LONG_BODY},
                user=someone,
            ),
            404,
        )
        assert not Reply.objects.exists()


# --- comments ------------------------------------------------------------


class TestComments:
    def test_on_the_question_and_on_an_answer(
        self, api: Api, question, community
    ):
        r = answer(member(community), question)
        me = member(community)
        body = ok(
            api.post(
                f"/conversations/{question.pk}/comments",
                {"body": "Which *model*?"},
                user=me,
            ),
            201,
        )
        assert body["reply_id"] is None
        assert body["body_html"] == "<p>Which <em>model</em>?</p>\n"
        assert body["author"] == {"id": me.pk, "name": me.name}
        body = ok(
            api.post(f"/replies/{r.pk}/comments", {"body": "Thanks"}, user=me),
            201,
        )
        assert body["reply_id"] == r.pk
        r.refresh_from_db()
        assert r.comment_count == 1

    def test_refusals(self, api: Api, question, community, coordinator):
        path = f"/conversations/{question.pk}/comments"
        me = member(community)
        problem(api.post(path, {"body": " "}, user=me), 422, "body")
        problem(api.post(path, {"body": "x" * 601}, user=me), 422, "body")
        problem(api.post(path, {"body": "Hello"}, user=UserFactory()), 403)
        problem(api.post(path, {"body": "Hello"}), 401)
        services.conversation_lock(
            actor=coordinator, conversation=question, locked=True, reason="x"
        )
        body = problem(api.post(path, {"body": "Hello"}, user=me), 409)
        assert "locked" in body["detail"]
        assert not Comment.objects.exists()


# --- votes ---------------------------------------------------------------


class TestVotes:
    def test_answer_votes_are_one_per_person_and_changeable(
        self, api: Api, question, community
    ):
        r = answer(member(community), question)
        path = f"/replies/{r.pk}/vote"
        me = member(community)
        assert ok(api.put(path, {"value": 1}, user=me)) == {
            "score": 1,
            "my_vote": 1,
        }
        assert ok(api.put(path, {"value": 1}, user=me))["score"] == 1
        assert Vote.objects.count() == 1
        assert ok(api.put(path, {"value": -1}, user=me)) == {
            "score": -1,
            "my_vote": -1,
        }
        assert ok(api.put(path, {"value": 0}, user=me))["score"] == 0
        assert not Vote.objects.exists()

    def test_question_votes_up_only(self, api: Api, question, community):
        path = f"/conversations/{question.pk}/vote"
        me = member(community)
        assert ok(api.put(path, {"value": 1}, user=me))["score"] == 1
        body = problem(api.put(path, {"value": -1}, user=me), 422, "value")
        assert body["errors"]["value"] == ["Vote must be 1 or 0; got -1."]
        problem(api.put(path, {"value": 2}, user=me), 422, "value")
        problem(api.put(path, {"value": "up"}, user=me), 422, "value")
        question.refresh_from_db()
        assert question.score == 1

    def test_own_post_and_other_refusals(
        self, api: Api, question, asker, community, coordinator
    ):
        body = problem(
            api.put(
                f"/conversations/{question.pk}/vote", {"value": 1}, user=asker
            ),
            409,
        )
        assert body["detail"] == "You cannot vote on your own post."
        author = member(community)
        r = answer(author, question)
        path = f"/replies/{r.pk}/vote"
        problem(api.put(path, {"value": 1}, user=author), 409)
        problem(api.put(path, {"value": 1}, user=UserFactory()), 403)
        problem(api.put(path, {"value": 1}), 401)
        services.conversation_lock(
            actor=coordinator, conversation=question, locked=True, reason="x"
        )
        body = problem(api.put(path, {"value": 1}, user=asker), 409)
        assert "locked" in body["detail"]
        assert not Vote.objects.exists()


# --- solutions -----------------------------------------------------------


class TestAccept:
    def test_asker_accepts_and_withdraws(self, api: Api, question, asker):
        community = question.community
        r1 = answer(member(community), question)
        r2 = answer(
            member(community),
            question,
            body="Replace the guide pins; they wear in a year.",
        )
        body = ok(api.post(f"/replies/{r2.pk}/accept", user=asker))
        assert body["accepted_reply_id"] == r2.pk and body["is_solved"]
        assert [r["id"] for r in body["replies"]] == [r2.pk, r1.pk]
        body = ok(api.post(f"/replies/{r1.pk}/accept", user=asker))
        assert body["accepted_reply_id"] == r1.pk
        body = ok(api.delete(f"/replies/{r1.pk}/accept", user=asker))
        assert body["accepted_reply_id"] is None
        assert body["is_solved"] is False

    def test_coordinator_may_accept(self, api: Api, question, coordinator):
        r = answer(member(question.community), question)
        body = ok(api.post(f"/replies/{r.pk}/accept", user=coordinator))
        assert body["accepted_reply_id"] == r.pk

    def test_refusals(self, api: Api, question, community):
        r = answer(member(community), question)
        body = problem(
            api.post(f"/replies/{r.pk}/accept", user=member(community)), 403
        )
        assert "Only the person who asked" in body["detail"]
        problem(api.post(f"/replies/{r.pk}/accept"), 401)
        talk = ask(
            member(community),
            community,
            kind="discussion",
            title="Ideas for the maintenance day",
        )
        r2 = answer(member(community), talk)
        body = problem(
            api.post(f"/replies/{r2.pk}/accept", user=talk.author), 409
        )
        assert body["detail"] == "Discussions have no accepted solution."
        question.refresh_from_db()
        assert question.accepted_reply_id is None


class TestWorked:
    def test_mark_twice_and_take_back(self, api: Api, question, community):
        r = answer(member(community), question)
        path = f"/replies/{r.pk}/worked"
        fan = member(community)
        assert ok(api.put(path, user=fan)) == {
            "reply_id": r.pk,
            "worked": True,
            "worked_count": 1,
        }
        assert ok(api.put(path, user=fan))["worked_count"] == 1
        assert Worked.objects.count() == 1
        assert ok(api.delete(path, user=fan)) == {
            "reply_id": r.pk,
            "worked": False,
            "worked_count": 0,
        }
        assert ok(api.delete(path, user=fan))["worked_count"] == 0

    def test_refusals(self, api: Api, question, community):
        author = member(community)
        r = answer(author, question)
        path = f"/replies/{r.pk}/worked"
        body = problem(api.put(path, user=author), 409)
        assert body["detail"] == "This is your own answer."
        problem(api.put(path, user=UserFactory()), 403)
        problem(api.put(path), 401)
        problem(api.put("/replies/999999/worked", user=author), 404)
        assert not Worked.objects.exists()
