"""The conversations router for coordinators and helpers: close, lock,
reopen, move, merge; who to ask; tags; flags; similar questions."""

import pytest

from practica.accounts.models import Skill
from practica.communities.models import Role, Visibility
from practica.conversations import services
from practica.conversations.models import (
    AskRequest,
    Conversation,
    Flag,
    Revision,
    Tag,
)
from practica.core.models import Activity
from tests.api.conftest import Api, ok, problem
from tests.conversations.factories import answer, ask
from tests.factories import (
    CommunityFactory,
    ExpertiseFactory,
    UserFactory,
    member,
)


@pytest.fixture
def asker(community):
    return member(community)


@pytest.fixture
def question(asker, community):
    return ask(asker, community, tags=["Presses"])


# --- moderation ----------------------------------------------------------


class TestCloseAndReopen:
    def test_close_with_a_reason_then_reopen(
        self, api: Api, question, coordinator
    ):
        path = f"/conversations/{question.pk}"
        body = ok(
            api.post(
                f"{path}/close",
                {"reason": "Solved at the line meeting"},
                user=coordinator,
            )
        )
        assert (body["state"], body["state_reason"]) == (
            "closed",
            "Solved at the line meeting",
        )
        body = ok(
            api.post(
                f"{path}/reopen", {"reason": "New jams"}, user=coordinator
            )
        )
        assert (body["state"], body["state_reason"]) == ("open", "")
        entry = Activity.objects.get(verb="conversation.reopened")
        assert entry.data == {"reason": "New jams"}
        ok(api.post(f"{path}/close", {"reason": "Again"}, user=coordinator))
        body = ok(api.post(f"{path}/reopen", user=coordinator))  # no body
        assert body["state"] == "open"

    def test_refusals(self, api: Api, question, asker, coordinator):
        path = f"/conversations/{question.pk}/close"
        body = problem(api.post(path, {"reason": "x"}, user=asker), 403)
        assert body["detail"] == (
            "Only this community's coordinators can do that."
        )
        problem(
            api.post(path, {"reason": " "}, user=coordinator), 422, "reason"
        )
        problem(api.post(path, {}, user=coordinator), 422, "reason")
        problem(
            api.post(path, {"reason": "x" * 301}, user=coordinator),
            422,
            "reason",
        )
        problem(api.post(path, {"reason": "x"}), 401)
        problem(
            api.post(
                f"/conversations/{question.pk}/reopen",
                {"reason": "x" * 301},
                user=coordinator,
            ),
            422,
            "reason",
        )
        question.refresh_from_db()
        assert question.state == "open"


class TestLock:
    def test_lock_stops_writing_and_unlock_clears_the_reason(
        self, api: Api, question, coordinator, community
    ):
        path = f"/conversations/{question.pk}"
        body = ok(
            api.post(f"{path}/lock", {"reason": "Heated"}, user=coordinator)
        )
        assert (body["locked"], body["state_reason"]) == (True, "Heated")
        someone = member(community)
        for write in (
            api.post(
                f"{path}/replies",
                {"body": "An answer long enough to count here."},
                user=someone,
            ),
            api.post(f"{path}/comments", {"body": "Hello"}, user=someone),
            api.put(f"{path}/vote", {"value": 1}, user=someone),
        ):
            problem(write, 409)
        body = ok(api.post(f"{path}/unlock", user=coordinator))
        assert (body["locked"], body["state_reason"]) == (False, "")
        ok(api.put(f"{path}/vote", {"value": 1}, user=someone))

    def test_refusals(self, api: Api, question, asker, coordinator):
        path = f"/conversations/{question.pk}"
        problem(api.post(f"{path}/lock", {"reason": "x"}, user=asker), 403)
        problem(
            api.post(f"{path}/lock", {"reason": ""}, user=coordinator),
            422,
            "reason",
        )
        problem(api.post(f"{path}/unlock", user=asker), 403)
        problem(api.post(f"{path}/unlock"), 401)


class TestMoveAndMerge:
    def test_move_keeps_tags_the_target_has(
        self, api: Api, question, coordinator
    ):
        target = CommunityFactory(visibility=Visibility.PRIVATE)
        target.memberships.create(
            user=coordinator, role=Role.COORDINATOR, status="active"
        )
        Tag.objects.create(community=target, name="Presses", slug="presses")
        body = ok(
            api.post(
                f"/conversations/{question.pk}/move",
                {"community": target.slug, "reason": "Belongs to presses"},
                user=coordinator,
            )
        )
        assert body["community"]["slug"] == target.slug
        assert body["tags"] == [{"slug": "presses", "name": "Presses"}]
        assert body["state_reason"] == "Belongs to presses"
        # It now lives in a private community: outsiders lose sight of it.
        problem(api.get(f"/conversations/{question.pk}"), 404)

    def test_move_refusals_name_the_field(
        self, api: Api, question, coordinator, community
    ):
        path = f"/conversations/{question.pk}/move"
        elsewhere = CommunityFactory()
        body = problem(
            api.post(
                path,
                {"community": elsewhere.slug, "reason": "x"},
                user=coordinator,
            ),
            403,
        )
        assert "coordinators" in body["detail"]
        hidden = CommunityFactory(visibility=Visibility.PRIVATE)
        for slug in ("nowhere", hidden.slug):
            body = problem(
                api.post(
                    path, {"community": slug, "reason": "x"}, user=coordinator
                ),
                422,
                "community",
            )
            assert body["errors"]["community"] == ["No such community."]
        problem(
            api.post(
                path,
                {"community": community.slug, "reason": "x"},
                user=coordinator,
            ),
            422,
            "community",
        )
        question.refresh_from_db()
        assert question.community_id == community.pk

    def test_merge_moves_answers_and_their_history(
        self, api: Api, question, asker, coordinator, community
    ):
        dup = ask(asker, community, title="Press line jams after die swap")
        helper = member(community)
        r = answer(helper, dup)
        body = ok(
            api.post(
                f"/conversations/{dup.pk}/merge",
                {"into": question.pk, "reason": "Same problem"},
                user=coordinator,
            )
        )
        assert body["state"] == "duplicate"
        assert body["duplicate_of"] == {
            "id": question.pk,
            "title": question.title,
        }
        assert body["replies"] == []
        original = ok(api.get(f"/conversations/{question.pk}"))
        assert [x["id"] for x in original["replies"]] == [r.pk]
        ok(
            api.patch(
                f"/replies/{r.pk}",
                {"body": r.body + "\nAnd the pins."},
                user=helper,
            )
        )
        history = ok(api.get(f"/replies/{r.pk}/revisions"))
        assert [h["number"] for h in history] == [1, 2]
        assert Revision.objects.filter(reply=r, conversation=dup).count() == 0

    def test_merge_refusals_name_the_field(
        self, api: Api, question, asker, coordinator
    ):
        path = f"/conversations/{question.pk}/merge"
        for into in (question.pk, 999999):
            problem(
                api.post(
                    path, {"into": into, "reason": "x"}, user=coordinator
                ),
                422,
                "into",
            )
        other = CommunityFactory()
        foreign = ask(member(other), other)
        problem(
            api.post(
                path, {"into": foreign.pk, "reason": "x"}, user=coordinator
            ),
            422,
            "into",
        )
        problem(
            api.post(path, {"into": foreign.pk, "reason": "x"}, user=asker),
            403,
        )
        question.refresh_from_db()
        assert question.state == "open"


# --- who to ask ----------------------------------------------------------


class TestWhoToAsk:
    @pytest.fixture
    def skill(self, community):
        skill = Skill.objects.create(name="Presses", slug="presses")
        Tag.objects.update(skill=skill)
        return skill

    def test_suggestions_with_reasons_and_asking(
        self, api: Api, question, asker, community, skill
    ):
        expert = member(community)
        ExpertiseFactory(user=expert, skill=skill, level=5, years=8)
        outsider = UserFactory()
        ExpertiseFactory(user=outsider, skill=skill, level=5)
        body = ok(
            api.get(f"/conversations/{question.pk}/who-to-ask", user=asker)
        )
        assert [s["person"]["id"] for s in body] == [expert.pk]
        assert body[0]["reasons"] == ["expert in Presses, 8 years"]
        assert body[0]["score"] > 0
        path = f"/conversations/{question.pk}/ask"
        first = ok(
            api.post(
                path,
                {"person_id": expert.pk, "reason": "You ran presses"},
                user=asker,
            ),
            201,
        )
        assert first["person"] == {"id": expert.pk, "name": expert.name}
        assert first["asked_by"]["id"] == asker.pk
        again = ok(api.post(path, {"person_id": expert.pk}, user=asker), 201)
        assert again["id"] == first["id"]
        assert AskRequest.objects.count() == 1

    def test_refusals(self, api: Api, question, asker, community):
        path = f"/conversations/{question.pk}/ask"
        problem(api.get(f"/conversations/{question.pk}/who-to-ask"), 401)
        for person in (UserFactory(), asker):
            problem(
                api.post(path, {"person_id": person.pk}, user=asker),
                422,
                "person_id",
            )
        closed = UserFactory(is_active=False)
        for pk in (closed.pk, 999999):
            body = problem(
                api.post(path, {"person_id": pk}, user=asker),
                422,
                "person_id",
            )
            assert body["errors"]["person_id"] == ["No such person."]
        someone = member(community)
        body = problem(
            api.post(path, {"person_id": someone.pk}, user=member(community)),
            403,
        )
        assert "Only the person who asked" in body["detail"]
        problem(api.post(path, {"person_id": someone.pk}), 401)
        problem(api.post(path, {}, user=asker), 422, "person_id")
        assert not AskRequest.objects.exists()


# --- tags ----------------------------------------------------------------


class TestTags:
    def test_list_most_used_first(self, api: Api, question, community):
        Tag.objects.create(
            community=community,
            name="Welding",
            slug="welding",
            approved=True,
        )
        body = ok(api.get(f"/communities/{community.slug}/tags"))
        # A member's tag on a question is a proposal until approved.
        assert [(t["slug"], t["approved"]) for t in body] == [
            ("presses", False),
            ("welding", True),
        ]
        assert body[0]["use_count"] == 1
        assert body[0]["skill"] is None
        approved = ok(
            api.get(f"/communities/{community.slug}/tags", proposed="false")
        )
        assert [t["slug"] for t in approved] == ["welding"]
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        problem(api.get(f"/communities/{secret.slug}/tags"), 404)

    def test_coordinator_adds_and_member_proposes(
        self, api: Api, community, coordinator
    ):
        Skill.objects.create(name="Welding", slug="welding")
        path = f"/communities/{community.slug}/tags"
        body = ok(
            api.post(
                path,
                {
                    "name": "Welding",
                    "description": "Joining metal",
                    "skill": "welding",
                },
                user=coordinator,
            ),
            201,
        )
        assert body["approved"] is True
        assert body["skill"] == {"slug": "welding", "name": "Welding"}
        body = ok(
            api.post(path, {"name": "Laser cutting"}, user=member(community)),
            201,
        )
        assert body["approved"] is False
        assert Activity.objects.filter(verb="tag.proposed").exists()

    def test_curation_refusals(self, api: Api, community, coordinator):
        path = f"/communities/{community.slug}/tags"
        Tag.objects.create(community=community, name="Presses", slug="presses")
        body = problem(
            api.post(
                path,
                {
                    "name": "presses!",
                    "skill": "nope",
                    "description": "x" * 301,
                },
                user=coordinator,
            ),
            422,
            "name",
            "skill",
            "description",
        )
        assert "already a tag" in body["errors"]["name"][0]
        problem(
            api.post(path, {"name": "x" * 41}, user=coordinator), 422, "name"
        )
        problem(api.post(path, {"name": "!!!"}, user=coordinator), 422, "name")
        problem(api.post(path, {"name": "Ok"}, user=UserFactory()), 403)
        problem(api.post(path, {"name": "Ok"}), 401)
        community.members_propose_tags = False
        community.save()
        body = problem(
            api.post(path, {"name": "Ok"}, user=member(community)), 403
        )
        assert body["detail"] == (
            "Only this community's coordinators add tags here."
        )
        assert Tag.objects.count() == 1

    def test_approve_link_and_delete(
        self, api: Api, question, community, coordinator
    ):
        Skill.objects.create(name="Presses", slug="presses")
        tag = Tag.objects.get(slug="presses")
        tag.approved = False
        tag.save()
        body = ok(
            api.patch(
                f"/tags/{tag.pk}",
                {"approved": True, "skill": "presses"},
                user=coordinator,
            )
        )
        assert (body["approved"], body["skill"]["slug"]) == (True, "presses")
        problem(
            api.patch(f"/tags/{tag.pk}", {"skill": "nope"}, user=coordinator),
            422,
            "skill",
        )
        problem(
            api.patch(
                f"/tags/{tag.pk}", {"approved": False}, user=member(community)
            ),
            403,
        )
        problem(api.delete(f"/tags/{tag.pk}", user=member(community)), 403)
        problem(api.delete(f"/tags/{tag.pk}"), 401)
        ok(api.delete(f"/tags/{tag.pk}", user=coordinator), 204)
        question.refresh_from_db()
        assert question.tag_names == []
        assert not Tag.objects.exists()
        problem(api.delete(f"/tags/{tag.pk}", user=coordinator), 404)


# --- flags ---------------------------------------------------------------


class TestFlags:
    def test_flag_queue_and_resolve(
        self, api: Api, question, community, coordinator
    ):
        r = answer(member(community), question)
        reporter = member(community)
        first = ok(
            api.post(
                f"/conversations/{question.pk}/flags",
                {"reason": "Duplicate of last week's"},
                user=reporter,
            ),
            201,
        )
        again = ok(
            api.post(
                f"/conversations/{question.pk}/flags",
                {"reason": "Still a duplicate"},
                user=reporter,
            ),
            201,
        )
        assert again["id"] == first["id"]
        on_answer = ok(
            api.post(
                f"/replies/{r.pk}/flags", {"reason": "Rude"}, user=reporter
            ),
            201,
        )
        assert on_answer["reply_id"] == r.pk
        assert on_answer["conversation"] == {
            "id": question.pk,
            "title": question.title,
        }
        queue = ok(
            api.get(f"/communities/{community.slug}/flags", user=coordinator)
        )
        assert [f["id"] for f in queue] == [first["id"], on_answer["id"]]
        assert queue[0]["flagged_by"]["id"] == reporter.pk
        body = ok(
            api.post(
                f"/flags/{first['id']}/resolve",
                {"resolution": "Merged"},
                user=coordinator,
            )
        )
        assert (body["state"], body["resolution"]) == ("resolved", "Merged")
        assert body["resolved_by"]["id"] == coordinator.pk
        body = ok(
            api.post(
                f"/flags/{on_answer['id']}/resolve",
                {"resolution": "Blunt, not rude", "dismiss": True},
                user=coordinator,
            )
        )
        assert body["state"] == "dismissed"
        assert (
            ok(
                api.get(
                    f"/communities/{community.slug}/flags", user=coordinator
                )
            )
            == []
        )
        again = problem(
            api.post(
                f"/flags/{first['id']}/resolve",
                {"resolution": "Again"},
                user=coordinator,
            ),
            409,
        )
        assert again["detail"] == "This flag was already handled."

    def test_refusals(self, api: Api, question, community, coordinator):
        path = f"/conversations/{question.pk}/flags"
        reporter = member(community)
        problem(api.post(path, {"reason": ""}, user=reporter), 422, "reason")
        problem(api.post(path, {"reason": "Spam"}, user=UserFactory()), 403)
        problem(api.post(path, {"reason": "Spam"}), 401)
        flag = services.flag_create(
            user=reporter, conversation=question, reason="Spam"
        )
        problem(
            api.get(f"/communities/{community.slug}/flags", user=reporter),
            403,
        )
        problem(api.get(f"/communities/{community.slug}/flags"), 401)
        resolve = f"/flags/{flag.pk}/resolve"
        problem(api.post(resolve, {"resolution": "x"}, user=reporter), 403)
        problem(
            api.post(resolve, {"resolution": "x"}, user=UserFactory()), 403
        )
        problem(
            api.post(resolve, {"resolution": ""}, user=coordinator),
            422,
            "resolution",
        )
        problem(
            api.post(
                "/flags/999999/resolve", {"resolution": "x"}, user=coordinator
            ),
            404,
        )
        assert Flag.objects.get().state == "open"

    def test_private_community_flags_are_hidden(self, api: Api):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        q = ask(member(secret), secret)
        flag = services.flag_create(
            user=member(secret), conversation=q, reason="Spam"
        )
        outsider = member(CommunityFactory(), Role.COORDINATOR)
        problem(
            api.post(
                f"/flags/{flag.pk}/resolve", {"resolution": "x"}, user=outsider
            ),
            404,
        )
        problem(
            api.post(
                f"/conversations/{q.pk}/flags", {"reason": "x"}, user=outsider
            ),
            404,
        )


# --- similar questions ---------------------------------------------------


class TestSimilar:
    def test_titles_like_the_one_being_typed(self, api: Api, community):
        author = member(community)
        best = ask(author, community, title="Press line jamming after swap")
        ask(author, community, title="Canteen opening hours next week")
        other = CommunityFactory()
        elsewhere = ask(member(other), other, title="Press brake jamming")
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        ask(member(secret), secret, title="Press line jamming at plant two")
        body = ok(api.get("/search/similar", q="press line jamming"))
        assert [h["id"] for h in body] == [best.pk, elsewhere.pk]
        assert body[0] == {
            "id": best.pk,
            "kind": "question",
            "title": best.title,
            "community": {"slug": community.slug, "name": community.name},
            "solved": False,
            "reply_count": 0,
        }
        only = ok(
            api.get(
                "/search/similar", q="press jamming", community=community.slug
            )
        )
        assert [h["id"] for h in only] == [best.pk]
        assert (
            ok(api.get("/search/similar", q=best.title, limit=1)) == body[:1]
        )
        assert ok(api.get("/search/similar", q="")) == []

    def test_refusals_name_the_parameter(self, api: Api, user):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        for slug in ("nowhere", secret.slug):
            problem(
                api.get("/search/similar", q="press", community=slug),
                422,
                "community",
            )
        problem(api.get("/search/similar", q="x" * 201), 422, "q")
        problem(api.get("/search/similar", q="x", limit=0), 422, "limit")
        problem(api.get("/search/similar", q="x", limit=21), 422, "limit")


def test_output_only_fields_are_not_inputs(api: Api, community):
    schemas = ok(api.get("/openapi.json"))["components"]["schemas"]
    for name in (
        "ConversationIn",
        "ConversationPatch",
        "ReplyIn",
        "CommentIn",
    ):
        assert "body_html" not in schemas[name]["properties"], name
    assert "body_html" in schemas["ConversationDetailOut"]["properties"]
    assert not Conversation.objects.exists()
