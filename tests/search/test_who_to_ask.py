""" "Who to ask" through the search engine, on both engines: people by
expertise (their profile matches the question's words, tagged or not)
and by the answers they gave on similar questions; reasons in plain
words; only members of the question's community; nothing from a
community the question is not in."""

import pytest
from django.db import connection

from practica.accounts.models import Skill
from practica.conversations import selectors
from practica.conversations import services as conv
from practica.search import backends
from tests.conversations.factories import answer, ask
from tests.factories import (
    CommunityFactory,
    ExpertiseFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["tantivy", "postgres"])
def backend(request, settings):
    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search needs PostgreSQL")
    settings.SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def plant(backend):
    community = CommunityFactory(name="Press Shop", slug="press-shop")
    hydraulics = Skill.objects.create(name="Hydraulics", slug="hydraulics")
    asker = member(community, user__display_name="Asha Asker")
    expert = member(community, user__display_name="Eda Expert")
    ExpertiseFactory(user=expert, skill=hydraulics, level=5, years=8)
    talker = member(
        community,
        user__display_name="Tom Talker",
        user__introduction_html="<p>I keep our hydraulic presses alive.</p>",
    )
    outsider = UserFactory(display_name="Olaf Outsider")
    ExpertiseFactory(user=outsider, skill=hydraulics, level=5)
    ExpertiseFactory(user=asker, skill=hydraulics, level=5)
    return {
        "community": community,
        "asker": asker,
        "expert": expert,
        "talker": talker,
        "outsider": outsider,
    }


def suggest(viewer, question) -> dict[str, list[str]]:
    return {
        s.person.display_name: s.reasons
        for s in selectors.who_to_ask(viewer=viewer, conversation=question)
    }


def test_people_by_expertise_without_tags(plant):
    q = ask(
        plant["asker"],
        plant["community"],
        title="Hydraulic press leaking oil at the ram seal",
    )
    got = suggest(plant["asker"], q)
    # The question names the skill: no tag needed.
    assert got["Eda Expert"] == ["expert in Hydraulics, 8 years"]
    # A profile that speaks of it, in plain words.
    assert got["Tom Talker"] == ["profile mentions hydraulic, presses"]
    # Never the asker; never someone outside the community.
    assert set(got) == {"Eda Expert", "Tom Talker"}
    first = selectors.who_to_ask(viewer=plant["asker"], conversation=q)[0]
    assert first.person == plant["expert"]


def test_answers_on_similar_questions(plant):
    community, asker = plant["community"], plant["asker"]
    helper = member(community, user__display_name="Hana Helper")
    voter = member(community, user__display_name="Vic Voter")
    quiet = member(community, user__display_name="Quentin Quiet")
    earlier = ask(
        asker, community, title="Press ram seal leaking after the overhaul"
    )
    conv.reply_accept(actor=asker, reply=answer(helper, earlier))
    upvoted = answer(voter, earlier, body="Check the seal kit part number.")
    conv.vote(user=member(community), reply=upvoted, value=1)
    answer(quiet, earlier, body="No idea, sorry, never seen that one.")
    unrelated = ask(asker, community, title="Canteen opening hours next week")
    conv.reply_accept(actor=asker, reply=answer(quiet, unrelated))
    q = ask(asker, community, title="Ram seal leaking on press four")
    got = suggest(asker, q)
    assert got["Hana Helper"] == [
        "accepted answer on a similar question: "
        "\u201cPress ram seal leaking after the overhaul\u201d"
    ]
    assert got["Vic Voter"] == [
        "answer on a similar question: "
        "\u201cPress ram seal leaking after the overhaul\u201d"
    ]
    # An answer nobody found useful, and one on another subject, count
    # for nothing.
    assert "Quentin Quiet" not in got
    ranked = list(got)
    assert ranked.index("Hana Helper") < ranked.index("Vic Voter")


def test_several_similar_answers_are_summed_up(plant):
    community, asker = plant["community"], plant["asker"]
    helper = member(community, user__display_name="Hana Helper")
    for title in (
        "Gasket on the press ram keeps failing",
        "Press ram gasket replacement interval",
    ):
        earlier = ask(asker, community, title=title)
        conv.reply_accept(actor=asker, reply=answer(helper, earlier))
    q = ask(asker, community, title="Which gasket for the press ram?")
    (reason,) = suggest(asker, q)["Hana Helper"]
    assert reason.startswith("answered 2 similar questions, such as \u201c")


def test_nothing_from_other_communities(plant):
    community, asker = plant["community"], plant["asker"]
    vault = CommunityFactory(slug="vault", visibility="private")
    helper = member(community, user__display_name="Hana Helper")
    member(vault, user=helper)
    secret = ask(
        member(vault), vault, title="Secret ram seal leaking in the vault"
    )
    conv.reply_accept(actor=secret.author, reply=answer(helper, secret))
    q = ask(asker, community, title="Ram seal leaking on press four")
    got = suggest(asker, q)
    assert "Hana Helper" not in got
    assert not any("vault" in r.lower() for rs in got.values() for r in rs)


def test_a_tagged_question_keeps_the_tag_reasons(plant):
    community, asker = plant["community"], plant["asker"]
    helper = member(community, user__display_name="Hana Helper")
    earlier = ask(
        asker, community, title="Hydraulic hose burst", tags=["hydraulics"]
    )
    conv.reply_accept(actor=asker, reply=answer(helper, earlier))
    q = ask(
        asker,
        community,
        title="Hydraulic pump whining loudly",
        tags=["hydraulics"],
    )
    got = suggest(asker, q)
    assert got["Eda Expert"] == ["expert in Hydraulics, 8 years"]
    # Counted once, by its tag, although its thread is similar too.
    assert got["Hana Helper"] == ["1 accepted answer on hydraulics"]


def test_query_count(plant, settings, django_assert_max_num_queries):
    community, asker = plant["community"], plant["asker"]
    earlier = ask(asker, community, title="Hydraulic press ram seal leaking")
    conv.reply_accept(actor=asker, reply=answer(member(community), earlier))
    q = ask(asker, community, title="Hydraulic ram seal leaking again")
    suggest(asker, q)  # builds the index
    settings.SEARCH_INDEX_ON_READ = False
    # tags, members, expertise, accepted answers by tag, answers on
    # similar questions, people; on PostgreSQL the engine's two (people
    # and similar threads) are queries too.
    engine = 2 if settings.SEARCH_BACKEND == "postgres" else 0
    with django_assert_max_num_queries(6 + engine):
        got = selectors.who_to_ask(viewer=asker, conversation=q)
    assert len(got) >= 3


def test_private_people_words_do_not_leak_through_search(plant):
    # People are for signed-in viewers only, in search as in who to ask.
    hits = backends.search(viewer=UserFactory(), text="hydraulic")
    assert "Tom Talker" in [h.title for h in hits.hits]
    from django.contrib.auth.models import AnonymousUser

    anonymous = backends.search(viewer=AnonymousUser(), text="hydraulic")
    assert anonymous.hits == [] and anonymous.total == 0


def test_members_are_not_crowded_out_by_the_organisation(plant, settings):
    # Many better-matching people outside the community: the engine is
    # asked about the community's members only.
    hydraulics = Skill.objects.get(slug="hydraulics")
    for i in range(60):
        ExpertiseFactory(
            user=UserFactory(
                display_name=f"Far Away {i}",
                introduction_html="<p>Hydraulic hydraulic presses.</p>",
            ),
            skill=hydraulics,
            level=5,
        )
    q = ask(
        plant["asker"],
        plant["community"],
        title="Hydraulic press leaking oil at the ram seal",
    )
    got = suggest(plant["asker"], q)
    assert set(got) == {"Eda Expert", "Tom Talker"}
