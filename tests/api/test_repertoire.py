"""The repertoire router: lists, glossary, review queue, artifacts, edits
with optimistic locking, history, verification, obsolescence, capture
and "this helped me"."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from practica.communities.models import Community, Role, Visibility
from practica.conversations import services as conv
from practica.repertoire import services
from practica.repertoire.models import Artifact, ArtifactRevision, Helped
from tests.api.conftest import Api, ok, problem
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, UserFactory, member

BODY = "1. Isolate the energy source.\n2. Lock and tag it.\n3. Verify."


def make(owner: Any, community: Community, **kw: Any) -> Artifact:
    """An artifact through the service; published unless told."""
    fields: dict[str, Any] = {
        "title": "Lockout/tagout routine",
        "body": BODY,
        "kind": "routine",
        "status": "published",
    }
    fields.update(kw)
    return services.artifact_create(
        author=owner, community=community, **fields
    )


@pytest.fixture
def owner(community):
    return member(community)


@pytest.fixture
def artifact(owner, community):
    return make(owner, community, tags=["Safety"])


def ids(body: dict) -> list[int]:
    return [item["id"] for item in body["items"]]


# --- lists ---------------------------------------------------------------


class TestList:
    def test_anonymous_reads_a_public_community(
        self, api: Api, artifact, owner, community
    ):
        body = ok(api.get(f"/communities/{community.slug}/artifacts"))
        (item,) = body["items"]
        assert item == {
            "id": artifact.pk,
            "kind": "routine",
            "title": "Lockout/tagout routine",
            "community": {"slug": community.slug, "name": community.name},
            "tags": [{"slug": "safety", "name": "Safety"}],
            "status": "published",
            "owners": [{"id": owner.pk, "name": owner.name}],
            "freshness": "unverified",
            "verified_until": None,
            "obsolete": False,
            "helped_count": 0,
            "updated_at": item["updated_at"],
        }
        assert body["next_cursor"] is None

    def test_drafts_only_for_owners_core_and_coordinators(
        self, api: Api, artifact, owner, community, coordinator
    ):
        draft = make(owner, community, title="Half-written", status="draft")
        path = f"/communities/{community.slug}/artifacts"
        assert ids(ok(api.get(path))) == [artifact.pk]
        assert ids(ok(api.get(path, user=member(community)))) == [artifact.pk]
        for who in (owner, member(community, Role.CORE), coordinator):
            assert ids(ok(api.get(path, user=who))) == [draft.pk, artifact.pk]
        assert ids(ok(api.get(path, user=owner, status="draft"))) == [draft.pk]

    def test_sorts_and_filters(self, api: Api, owner, community):
        tool = make(owner, community, title="Audit template", kind="tool")
        story = make(
            owner,
            community,
            title="Night the press stopped",
            kind="story",
            tags=["presses"],
        )
        term = make(owner, community, title="Zero energy", kind="glossary")
        old = make(owner, community, title="Old way", status="archived")
        services.artifact_helped(user=member(community), artifact=story)
        services.artifact_verify(actor=owner, artifact=tool, days=30)
        services.artifact_verify(actor=owner, artifact=term, days=10)
        path = f"/communities/{community.slug}/artifacts"

        def listed(**query: Any) -> list[int]:
            return ids(ok(api.get(path, **query)))

        # recent: the last verified first; a mark changes no date
        assert listed() == [term.pk, tool.pk, story.pk]
        assert listed(sort="title") == [tool.pk, story.pk, term.pk]
        assert listed(sort="helpful")[0] == story.pk
        # verification ending soonest first; unverified left out
        assert listed(sort="freshness") == [term.pk, tool.pk]
        assert listed(kind="story") == [story.pk]
        assert listed(tag="presses") == [story.pk]
        assert listed(freshness="verified") == [tool.pk]
        assert listed(freshness="due") == [term.pk]
        assert listed(freshness="unverified") == [story.pk]
        assert listed(status="archived") == [old.pk]
        Artifact.objects.filter(pk=tool.pk).update(
            verified_until=timezone.now() - timedelta(days=1)
        )
        assert listed(freshness="expired") == [tool.pk]

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("sort", "random"),
            ("kind", "poem"),
            ("freshness", "stale"),
            ("status", "lost"),
        ],
    )
    def test_unknown_choices_name_the_parameter(
        self, api: Api, community, name, value
    ):
        path = f"/communities/{community.slug}/artifacts"
        problem(api.get(path, **{name: value}), 422, name)

    @pytest.mark.parametrize("signed_in", [False, True])
    def test_private_community_is_404_for_outsiders(self, api: Api, signed_in):
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        insider = member(secret)
        hidden = make(insider, secret)
        outsider = UserFactory() if signed_in else None
        for path in (
            f"/communities/{secret.slug}/artifacts",
            f"/communities/{secret.slug}/glossary",
            f"/artifacts/{hidden.pk}",
            f"/artifacts/{hidden.pk}/revisions",
            f"/artifacts/{hidden.pk}/revisions/diff",
        ):
            problem(api.get(path, user=outsider), 404)
            ok(api.get(path, user=insider))

    def test_page_by_page(self, api: Api, owner, community, settings):
        settings.PRACTICA_PAGE_SIZE = 2
        made = [make(owner, community, title=f"Routine {i}") for i in range(5)]
        path = f"/communities/{community.slug}/artifacts"
        seen, cursor = [], None
        while True:
            query = {"sort": "title"} | ({"cursor": cursor} if cursor else {})
            body = ok(api.get(path, **query))
            seen += ids(body)
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == [a.pk for a in made]
        bad = api.get(path, sort="helpful", cursor="WyJ4IiwieCJd")
        problem(bad, 422, "cursor")
        problem(api.get(path, cursor="not a cursor"), 422, "cursor")


class TestGlossary:
    def test_published_terms_a_to_z_by_letter(
        self, api: Api, owner, community
    ):
        for title in ("Kanban", "autonomation", "5S", "Jidoka", "Andon cord"):
            make(owner, community, title=title, kind="glossary")
        make(
            owner,
            community,
            title="Draft term",
            kind="glossary",
            status="draft",
        )
        make(owner, community, title="Not a term")
        body = ok(api.get(f"/communities/{community.slug}/glossary"))
        letters = [
            (g["letter"], [t["title"] for t in g["terms"]]) for g in body
        ]
        assert letters == [
            ("#", ["5S"]),
            ("A", ["Andon cord", "autonomation"]),
            ("J", ["Jidoka"]),
            ("K", ["Kanban"]),
        ]
        term = body[-1]["terms"][0]
        assert set(term) == {
            "id",
            "title",
            "body_html",
            "freshness",
            "obsolete",
        }
        assert term["body_html"].startswith("<ol>")


class TestReviewQueue:
    def test_owners_see_what_needs_review(self, api: Api, owner, community):
        unverified = make(owner, community, title="Never checked")
        due = make(owner, community, title="Due soon")
        fresh = make(owner, community, title="Fresh")
        make(owner, community, title="A draft", status="draft")
        make(member(community), community, title="Someone else's")
        services.artifact_verify(actor=owner, artifact=due, days=5)
        services.artifact_verify(actor=owner, artifact=fresh, days=200)
        body = ok(api.get("/me/review-queue", user=owner))
        assert {a["id"] for a in body} == {unverified.pk, due.pk}
        by_id = {a["id"]: a for a in body}
        assert by_id[due.pk]["freshness"] == "due"
        assert by_id[unverified.pk]["freshness"] == "unverified"
        assert ok(api.get("/me/review-queue", user=member(community))) == []
        problem(api.get("/me/review-queue"), 401)


# --- creating and reading one --------------------------------------------


class TestCreate:
    def test_member_creates_a_draft_they_own(self, api: Api, community):
        author = member(community)
        body = ok(
            api.post(
                f"/communities/{community.slug}/artifacts",
                {
                    "title": "Changeover checklist",
                    "body": "- [ ] Empty the hopper\n<script>x</script>",
                    "kind": "routine",
                    "tags": ["presses"],
                    "body_html": "<b>ignored</b>",
                    "revision": 99,
                },
                user=author,
            ),
            201,
        )
        assert body["status"] == "draft"
        assert body["revision"] == 1
        assert body["owners"] == [{"id": author.pk, "name": author.name}]
        assert "<script>" not in body["body_html"]
        assert body["tags"] == [{"slug": "presses", "name": "presses"}]
        assert (body["freshness"], body["review_days"]) == (
            "unverified",
            None,
        )
        assert body["review_interval"] == 90
        assert body["permissions"] == {"edit": True, "verify": True}
        assert body["signals"] == {
            "view_count": 0,
            "helped_count": 0,
            "answer_links": 0,
        }
        assert body["source"] is None and body["attachments"] == []
        a = Artifact.objects.get()
        assert a.revisions.get().author == author

    def test_owners_and_interval(self, api: Api, community):
        author, colleague = member(community), member(community)
        body = ok(
            api.post(
                f"/communities/{community.slug}/artifacts",
                {
                    "title": "Glossary: takt time",
                    "body": "The pace of customer demand.",
                    "kind": "glossary",
                    "status": "published",
                    "owners": [colleague.pk, author.pk, colleague.pk],
                    "review_days": 365,
                },
                user=author,
            ),
            201,
        )
        assert sorted(o["id"] for o in body["owners"]) == sorted(
            [colleague.pk, author.pk]
        )
        assert (body["review_days"], body["review_interval"]) == (365, 365)

    @pytest.mark.parametrize(
        ("fields", "bad"),
        [
            ({"title": ""}, {"title"}),
            ({"title": "   ", "body": ""}, {"title", "body"}),
            ({"title": "x" * 201}, {"title"}),
            ({"kind": "poem"}, {"kind"}),
            ({"status": "secret"}, {"status"}),
            ({"review_days": 0}, {"review_days"}),
            ({"review_days": 731}, {"review_days"}),
            ({"owners": [999_999]}, {"owners"}),
            ({"title": None}, {"title"}),
        ],
    )
    def test_bad_input_names_the_field(self, api: Api, community, fields, bad):
        payload = {"title": "Changeover checklist", "body": BODY} | fields
        response = api.post(
            f"/communities/{community.slug}/artifacts",
            payload,
            user=member(community),
        )
        body = problem(response, 422, *bad)
        assert set(body["errors"]) == bad
        assert not Artifact.objects.exists()

    def test_owners_must_be_members(self, api: Api, community):
        stranger = UserFactory()
        body = problem(
            api.post(
                f"/communities/{community.slug}/artifacts",
                {"title": "Changeover", "body": BODY, "owners": [stranger.pk]},
                user=member(community),
            ),
            422,
            "owners",
        )
        assert stranger.name in body["errors"]["owners"][0]

    def test_refusals(self, api: Api, community):
        path = f"/communities/{community.slug}/artifacts"
        payload = {"title": "Changeover checklist", "body": BODY}
        problem(api.post(path, payload, user=UserFactory()), 403)
        problem(api.post(path, payload), 401)
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        problem(
            api.post(
                f"/communities/{secret.slug}/artifacts",
                payload,
                user=UserFactory(),
            ),
            404,
        )
        problem(api.post(path, user=member(community)), 422, "body")
        assert not Artifact.objects.exists()


class TestDetail:
    def test_anonymous_reads_a_published_artifact(self, api: Api, artifact):
        body = ok(api.get(f"/artifacts/{artifact.pk}"))
        assert body["body"] == BODY
        assert body["body_html"].startswith("<ol>")
        assert body["permissions"] == {"edit": False, "verify": False}
        assert body["signals"] is None
        assert body["helped"] is False
        assert body["replaced_by"] is None and body["replaces"] == []
        assert body["credits"] == []

    def test_signals_only_for_owners(
        self, api: Api, artifact, owner, community
    ):
        Artifact.objects.filter(pk=artifact.pk).update(view_count=1)
        services.artifact_helped(user=member(community), artifact=artifact)
        q = ask(owner, community)
        answer(
            member(community),
            q,
            body=f"See our routine: /r/{artifact.pk}/ it covers this.",
        )
        body = ok(api.get(f"/artifacts/{artifact.pk}", user=owner))
        assert body["signals"] == {
            "view_count": 1,
            "helped_count": 1,
            "answer_links": 1,
        }
        core = member(community, Role.CORE)
        body = ok(api.get(f"/artifacts/{artifact.pk}", user=core))
        assert body["signals"] is None
        assert body["permissions"] == {"edit": True, "verify": False}
        assert body["helped_count"] == 1

    def test_draft_is_404_for_those_who_may_not_see_it(
        self, api: Api, owner, community, coordinator
    ):
        draft = make(owner, community, status="draft")
        path = f"/artifacts/{draft.pk}"
        for who in (None, UserFactory(), member(community)):
            body = problem(api.get(path, user=who), 404)
            assert body["detail"] == "No such artifact."
            problem(api.get(f"{path}/revisions", user=who), 404)
        for who in (owner, member(community, Role.CORE), coordinator):
            ok(api.get(path, user=who))
        problem(api.get("/artifacts/999999"), 404)


# --- editing -------------------------------------------------------------


class TestEdit:
    def test_owner_edits_and_the_history_keeps_it(
        self, api: Api, artifact, owner
    ):
        path = f"/artifacts/{artifact.pk}"
        body = ok(
            api.patch(
                path,
                {
                    "base_revision": 1,
                    "body": BODY + "\n4. Sign the log.",
                    "tags": [],
                    "message": "Add the log",
                },
                user=owner,
            )
        )
        assert body["revision"] == 2
        assert body["title"] == artifact.title  # left out: unchanged
        assert body["tags"] == []
        assert body["body_html"].count("<li>") == 4
        (latest, first) = ok(api.get(f"{path}/revisions"))
        assert (latest["number"], latest["message"]) == (2, "Add the log")
        assert latest["author"] == {"id": owner.pk, "name": owner.name}
        assert latest["created_at"]
        assert (first["number"], first["body"]) == (1, BODY)

    def test_core_member_edits_kind_and_title(
        self, api: Api, artifact, community
    ):
        body = ok(
            api.patch(
                f"/artifacts/{artifact.pk}",
                {"base_revision": 1, "title": "LOTO", "kind": "best_practice"},
                user=member(community, Role.CORE),
            )
        )
        assert (body["title"], body["kind"], body["revision"]) == (
            "LOTO",
            "best_practice",
            2,
        )

    def test_an_edit_that_changes_nothing_makes_no_revision(
        self, api: Api, artifact, owner
    ):
        body = ok(
            api.patch(
                f"/artifacts/{artifact.pk}", {"base_revision": 1}, user=owner
            )
        )
        assert body["revision"] == 1
        assert ArtifactRevision.objects.count() == 1

    def test_conflict_tells_the_second_editor_what_changed(
        self, api: Api, artifact, owner, community
    ):
        path = f"/artifacts/{artifact.pk}"
        first = member(community, Role.CORE)
        mine = BODY.replace("Verify.", "Try to start it.")
        ok(
            api.patch(
                path,
                {
                    "base_revision": 1,
                    "title": "LOTO routine",
                    "body": BODY + "\n4. Sign the log.",
                },
                user=first,
            )
        )
        response = api.patch(
            path,
            {"base_revision": 1, "body": mine, "message": "Clearer"},
            user=owner,
        )
        assert response.status_code == 409
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["type"] == "about:blank"
        assert (body["title"], body["status"]) == ("Conflict", 409)
        assert "revision 2" in body["detail"]
        assert "revision 1" in body["detail"]
        assert "errors" not in body
        assert body["base_revision"] == 1
        current = body["current"]
        assert current == {
            "revision": 2,
            "kind": "routine",
            "title": "LOTO routine",
            "body": BODY + "\n4. Sign the log.",
            "tags": ["Safety"],
            "updated_at": current["updated_at"],
        }
        diff = body["diff"]
        assert (diff["old"]["number"], diff["new"]["number"]) == (1, 2)
        assert diff["new"]["author"]["id"] == first.pk
        assert diff["title_changed"] is True
        assert diff["body"][-1] == {"op": "insert", "text": "4. Sign the log."}
        # nothing of the second editor was written
        artifact.refresh_from_db()
        assert (artifact.revision, artifact.title) == (2, "LOTO routine")
        assert ArtifactRevision.objects.count() == 2
        # merged and sent again on top of revision 2, it is saved
        merged = ok(
            api.patch(
                path,
                {
                    "base_revision": current["revision"],
                    "body": mine + "\n4. Sign the log.",
                },
                user=owner,
            )
        )
        assert merged["revision"] == 3

    @pytest.mark.parametrize("base", [0, 7])
    def test_a_base_revision_that_never_was_is_422(
        self, api: Api, artifact, owner, base
    ):
        body = problem(
            api.patch(
                f"/artifacts/{artifact.pk}",
                {"base_revision": base, "title": "New"},
                user=owner,
            ),
            422,
            "base_revision",
        )
        assert "revisions 1 to 1" in body["errors"]["base_revision"][0]

    @pytest.mark.parametrize(
        ("fields", "bad"),
        [
            ({"title": ""}, {"title"}),
            ({"body": ""}, {"body"}),
            ({"kind": "poem"}, {"kind"}),
            ({"base_revision": None}, {"base_revision"}),
            ({"message": "x" * 201}, {"message"}),
        ],
    )
    def test_bad_input_names_the_field(
        self, api: Api, artifact, owner, fields, bad
    ):
        response = api.patch(
            f"/artifacts/{artifact.pk}",
            {"base_revision": 1} | fields,
            user=owner,
        )
        assert set(problem(response, 422, *bad)["errors"]) == bad
        assert ArtifactRevision.objects.count() == 1

    def test_refusals(self, api: Api, artifact, owner, community):
        path = f"/artifacts/{artifact.pk}"
        payload = {"base_revision": 1, "title": "Mine now"}
        body = problem(api.patch(path, payload, user=member(community)), 403)
        assert "owners" in body["detail"]
        problem(api.patch(path, payload, user=UserFactory()), 403)
        problem(api.patch(path, payload), 401)
        draft = make(owner, community, status="draft")
        problem(
            api.patch(
                f"/artifacts/{draft.pk}", payload, user=member(community)
            ),
            404,
        )
        artifact.refresh_from_db()
        assert artifact.title == "Lockout/tagout routine"


# --- history -------------------------------------------------------------


@pytest.fixture
def edited(artifact, owner):
    services.artifact_edit(
        actor=owner,
        artifact=artifact,
        base_revision=1,
        title="LOTO routine",
        body=BODY.replace("Verify.", "Try to start it."),
        message="Clearer last step",
    )
    artifact.refresh_from_db()
    return artifact


class TestHistory:
    def test_diff_between_any_two_revisions(self, api: Api, edited):
        path = f"/artifacts/{edited.pk}/revisions/diff"
        diff = ok(api.get(path))  # latest vs the one before
        assert (diff["old"]["number"], diff["new"]["number"]) == (1, 2)
        assert diff["old"]["title"] == "Lockout/tagout routine"
        assert diff["new"]["message"] == "Clearer last step"
        assert diff["title_changed"] is True
        assert diff["body"] == [
            {"op": "equal", "text": "1. Isolate the energy source."},
            {"op": "equal", "text": "2. Lock and tag it."},
            {"op": "delete", "text": "3. Verify."},
            {"op": "insert", "text": "3. Try to start it."},
        ]
        back = ok(api.get(path, **{"from": 2, "to": 1}))
        assert back["body"][2] == {
            "op": "delete",
            "text": "3. Try to start it.",
        }
        same = ok(api.get(path, **{"from": 1, "to": 1}))
        assert same["title_changed"] is False
        assert {line["op"] for line in same["body"]} == {"equal"}

    @pytest.mark.parametrize(
        ("query", "bad"),
        [
            ({"from": 5}, {"from"}),
            ({"to": 3}, {"to"}),
            ({"from": 0, "to": 9}, {"from", "to"}),
            ({"to": "x"}, {"to"}),
        ],
    )
    def test_unknown_revisions_name_from_or_to(
        self, api: Api, edited, query, bad
    ):
        path = f"/artifacts/{edited.pk}/revisions/diff"
        assert set(problem(api.get(path, **query), 422, *bad)["errors"]) == bad

    def test_revert_is_a_new_revision(self, api: Api, edited, owner):
        body = ok(
            api.post(
                f"/artifacts/{edited.pk}/revert", {"revision": 1}, user=owner
            )
        )
        assert (body["revision"], body["title"], body["body"]) == (
            3,
            "Lockout/tagout routine",
            BODY,
        )
        latest = ok(api.get(f"/artifacts/{edited.pk}/revisions"))[0]
        assert (latest["number"], latest["message"]) == (
            3,
            "Reverted to revision 1",
        )
        assert latest["author"]["id"] == owner.pk

    def test_revert_refusals(self, api: Api, edited, owner, community):
        path = f"/artifacts/{edited.pk}/revert"
        # Revision 3 exists only in another artifact's history: numbers
        # name revisions of this artifact, so it is not one to go back to.
        other = make(owner, community, title="Other")
        for n in (2, 3):
            services.artifact_edit(
                actor=owner,
                artifact=other,
                base_revision=n - 1,
                title="Other",
                body=f"Other body {n}",
            )
        body = problem(
            api.post(path, {"revision": 3}, user=owner), 422, "revision"
        )
        assert "revisions 1 to 2" in body["errors"]["revision"][0]
        problem(api.post(path, {}, user=owner), 422, "revision")
        problem(api.post(path, {"revision": 1}, user=member(community)), 403)
        problem(api.post(path, {"revision": 1}), 401)
        edited.refresh_from_db()
        assert edited.revision == 2


# --- status, owners, verification, obsolescence ---------------------------


class TestStatusAndOwners:
    def test_publish_archive_and_back(self, api: Api, owner, community):
        draft = make(owner, community, status="draft")
        path = f"/artifacts/{draft.pk}/status"
        plain = member(community)
        problem(api.put(path, {"status": "published"}, user=plain), 404)
        body = ok(api.put(path, {"status": "published"}, user=owner))
        assert body["status"] == "published"
        ok(api.get(f"/artifacts/{draft.pk}", user=plain))
        problem(api.put(path, {"status": "draft"}, user=plain), 403)
        problem(api.put(path, {"status": "gone"}, user=owner), 422, "status")
        body = ok(api.put(path, {"status": "archived"}, user=owner))
        assert body["status"] == "archived"
        problem(api.put(path, {"status": "draft"}), 401)

    def test_replace_owners(self, api: Api, artifact, owner, community):
        path = f"/artifacts/{artifact.pk}/owners"
        heir = member(community)
        body = ok(api.put(path, {"owners": [heir.pk]}, user=owner))
        assert body["owners"] == [{"id": heir.pk, "name": heir.name}]
        assert body["permissions"]["edit"] is False  # no longer an owner
        problem(api.put(path, {"owners": [owner.pk]}, user=owner), 403)
        for bad in ([], [UserFactory().pk], [999_999]):
            problem(api.put(path, {"owners": bad}, user=heir), 422, "owners")
        problem(api.put(path, {"owners": [owner.pk]}), 401)
        assert list(artifact.owners.all()) == [heir]


class TestVerify:
    def test_owner_verifies_for_the_communitys_interval(
        self, api: Api, artifact, owner
    ):
        body = ok(api.post(f"/artifacts/{artifact.pk}/verify", user=owner))
        assert body["freshness"] == "verified"
        assert body["verified_by"] == {"id": owner.pk, "name": owner.name}
        artifact.refresh_from_db()
        assert (artifact.verified_until - artifact.verified_at).days == 90
        assert body["review_days"] is None

    def test_days_set_the_artifacts_interval(
        self, api: Api, artifact, owner, coordinator, community
    ):
        community.review_days = 60
        community.save()
        path = f"/artifacts/{artifact.pk}/verify"
        body = ok(api.post(path, {"days": 10}, user=coordinator))
        assert (body["review_days"], body["review_interval"]) == (10, 10)
        assert body["freshness"] == "due"
        body = ok(api.post(path, {"days": None}, user=owner))
        assert body["review_interval"] == 10
        artifact.refresh_from_db()
        assert (artifact.verified_until - artifact.verified_at).days == 10

    @pytest.mark.parametrize("days", [0, 731, -5])
    def test_interval_out_of_range_is_422(
        self, api: Api, artifact, owner, days
    ):
        body = problem(
            api.post(
                f"/artifacts/{artifact.pk}/verify", {"days": days}, user=owner
            ),
            422,
            "days",
        )
        assert "1 to 730 days" in body["errors"]["days"][0]
        artifact.refresh_from_db()
        assert artifact.verified_until is None

    def test_core_and_members_may_not_verify(
        self, api: Api, artifact, community
    ):
        path = f"/artifacts/{artifact.pk}/verify"
        for who in (member(community), member(community, Role.CORE)):
            body = problem(api.post(path, user=who), 403)
            assert "verify" in body["detail"]
        problem(api.post(path), 401)


class TestObsolete:
    def test_obsolete_links_to_its_replacement_both_ways(
        self, api: Api, artifact, owner, community
    ):
        new = make(owner, community, title="LOTO v2")
        body = ok(
            api.post(
                f"/artifacts/{artifact.pk}/obsolete",
                {"reason": "New padlocks", "replaced_by": new.pk},
                user=owner,
            )
        )
        assert body["obsolete"] is True
        assert body["obsolete_reason"] == "New padlocks"
        assert body["replaced_by"] == {"id": new.pk, "title": "LOTO v2"}
        body = ok(api.get(f"/artifacts/{new.pk}"))
        assert body["replaces"] == [
            {"id": artifact.pk, "title": artifact.title}
        ]
        assert body["obsolete"] is False

    def test_a_draft_replacement_shows_only_to_who_may_see_it(
        self, api: Api, artifact, owner, community
    ):
        draft = make(owner, community, title="LOTO v2", status="draft")
        services.artifact_mark_obsolete(
            actor=owner,
            artifact=artifact,
            reason="Rewriting",
            replaced_by=draft,
        )
        path = f"/artifacts/{artifact.pk}"
        assert ok(api.get(path, user=owner))["replaced_by"]["id"] == draft.pk
        body = ok(api.get(path, user=member(community)))
        assert (body["obsolete"], body["replaced_by"]) == (True, None)
        assert ok(api.get(path))["replaced_by"] is None

    def test_refusals(self, api: Api, artifact, owner, community):
        path = f"/artifacts/{artifact.pk}/obsolete"
        elsewhere = make(member(c2 := CommunityFactory()), c2)
        hidden = CommunityFactory(visibility=Visibility.PRIVATE)
        secret = make(member(hidden), hidden)
        for replaced_by in (elsewhere.pk, secret.pk, 999_999, artifact.pk):
            problem(
                api.post(
                    path,
                    {"reason": "Old", "replaced_by": replaced_by},
                    user=owner,
                ),
                422,
                "replaced_by",
            )
        problem(api.post(path, {"reason": " "}, user=owner), 422, "reason")
        problem(api.post(path, {"reason": "Old"}, user=member(community)), 403)
        problem(api.post(path, {"reason": "Old"}), 401)
        artifact.refresh_from_db()
        assert artifact.obsolete is False


# --- capture from a solved question --------------------------------------


class TestCapture:
    def test_solved_question_becomes_a_draft_linked_both_ways(
        self, api: Api, community
    ):
        asker, answerer = member(community), member(community)
        q = ask(asker, community, tags=["presses"])
        r = answer(answerer, q)
        conv.reply_accept(actor=asker, reply=r)
        body = ok(api.post(f"/conversations/{q.pk}/capture", user=asker), 201)
        assert (body["status"], body["kind"], body["title"]) == (
            "draft",
            "best_practice",
            q.title,
        )
        assert r.body in body["body"] and answerer.name in body["body"]
        assert body["credits"] == [{"id": answerer.pk, "name": answerer.name}]
        assert body["owners"] == [{"id": asker.pk, "name": asker.name}]
        assert body["source"] == {
            "type": "conversation",
            "id": q.pk,
            "title": q.title,
            "url": f"/q/{q.pk}/",
        }
        assert body["tags"] == [{"slug": "presses", "name": "presses"}]
        # and from the question back to the artifact
        path = f"/conversations/{q.pk}/artifacts"
        captured = {"id": body["id"], "title": q.title, "status": "draft"}
        assert ok(api.get(path, user=asker)) == [captured]
        assert ok(api.get(path, user=member(community))) == []  # a draft
        assert ok(api.get(path)) == []
        services.artifact_set_status(
            actor=asker,
            artifact=Artifact.objects.get(pk=body["id"]),
            status="published",
        )
        assert ok(api.get(path)) == [captured | {"status": "published"}]

    def test_refusals(self, api: Api, community):
        asker = member(community)
        q = ask(asker, community)
        path = f"/conversations/{q.pk}/capture"
        body = problem(api.post(path, user=asker), 409)
        assert "solved" in body["detail"]
        conv.reply_accept(actor=asker, reply=answer(member(community), q))
        problem(api.post(path, user=UserFactory()), 403)
        problem(api.post(path), 401)
        problem(api.post("/conversations/999999/capture", user=asker), 404)
        secret = CommunityFactory(visibility=Visibility.PRIVATE)
        hidden = ask(member(secret), secret)
        problem(api.get(f"/conversations/{hidden.pk}/artifacts"), 404)
        assert not Artifact.objects.exists()


# --- "this helped me" ----------------------------------------------------


class TestHelped:
    def test_mark_once_and_take_it_back(self, api: Api, artifact, community):
        fan = member(community)
        path = f"/artifacts/{artifact.pk}/helped"
        for _ in range(2):
            body = ok(api.put(path, user=fan))
            assert body == {
                "artifact_id": artifact.pk,
                "helped": True,
                "helped_count": 1,
            }
        detail = ok(api.get(f"/artifacts/{artifact.pk}", user=fan))
        assert (detail["helped"], detail["helped_count"]) == (True, 1)
        body = ok(api.delete(path, user=fan))
        assert (body["helped"], body["helped_count"]) == (False, 0)
        assert not Helped.objects.exists()

    def test_refusals(self, api: Api, artifact, owner, community):
        path = f"/artifacts/{artifact.pk}/helped"
        body = problem(api.put(path, user=owner), 409)
        assert body["detail"] == "You own this artifact."
        problem(api.put(path), 401)
        draft = make(owner, community, status="draft")
        problem(
            api.put(f"/artifacts/{draft.pk}/helped", user=member(community)),
            404,
        )
        # Reading a public community needs no membership; marking is
        # open to anyone who can see it.
        ok(api.put(path, user=UserFactory()))
