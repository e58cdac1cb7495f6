"""Questions and discussions, through the pages: who sees what, asking,
answering, votes, acceptance, comments, who to ask, history, moderation
and flags."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practica.accounts.models import Level
from practica.communities.models import Role, Status, Visibility
from practica.conversations import services
from practica.conversations.models import (
    AskRequest,
    Comment,
    Conversation,
    Flag,
    FlagState,
    Reply,
    State,
    Tag,
    Vote,
    Worked,
)
from tests.conversations.factories import answer, ask
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    ExpertiseFactory,
    SkillFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    return response.content.decode()


def field_errors(page: str, field: str) -> list[str]:
    """The error messages shown right beside one field."""
    return re.findall(
        rf'<p class="error" id="id_{field}_error">([^<]*)</p>', page
    )


def detail(c: Conversation) -> str:
    return reverse("conversations:detail", args=[c.pk])


@pytest.fixture
def asker(community):
    return member(community, user__display_name="Asha Asker")


@pytest.fixture
def helper(community):
    return member(community, user__display_name="Hugo Helper")


@pytest.fixture
def question(asker, community):
    return ask(asker, community, tags=["presses"])


@pytest.fixture
def private(db):
    return CommunityFactory(name="Inner Circle", visibility=Visibility.PRIVATE)


# --- who may see what -----------------------------------------------------


def test_anonymous_reads_a_public_question_but_cannot_answer(
    client, question, helper
):
    answer(helper, question)
    list_page = html(
        client.get(
            reverse("conversations:list", args=[question.community.slug])
        )
    )
    assert question.title in list_page
    page = html(client.get(detail(question)))
    assert question.title in page
    assert "Check the die clearance" in page
    assert "Sign in to answer" in page
    assert 'name="body"' not in page
    assert "vote-up" not in page  # no vote buttons for anonymous people


def test_private_community_pages_are_not_found_for_outsiders(client, private):
    insider = member(private)
    c = ask(insider, private)
    outsider = UserFactory()
    client.force_login(outsider)
    slug = private.slug
    for url in [
        reverse("conversations:list", args=[slug]),
        reverse("conversations:unanswered", args=[slug]),
        reverse("conversations:tags", args=[slug]),
        reverse("conversations:ask", args=[slug]),
        reverse("conversations:similar", args=[slug]),
        detail(c),
        reverse("conversations:revisions", args=[c.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert c.title not in html(client.get(reverse("conversations:all")))
    client.force_login(insider)
    assert client.get(detail(c)).status_code == 200
    assert c.title in html(client.get(reverse("conversations:all")))


def test_anonymous_sees_no_private_question(client, private):
    c = ask(member(private), private)
    assert client.get(detail(c)).status_code == 404


def test_non_member_gets_a_join_prompt_instead_of_the_ask_form(
    client, community
):
    client.force_login(UserFactory())
    response = client.get(reverse("conversations:ask", args=[community.slug]))
    page = html(response)
    assert response.status_code == 403
    assert f"Join {community.name} to take part" in page
    assert reverse("communities:detail", args=[community.slug]) in page
    assert 'name="title"' not in page


def test_pending_member_cannot_ask_either(client, community):
    waiting = member(community, status=Status.PENDING)
    client.force_login(waiting)
    response = client.post(
        reverse("conversations:ask", args=[community.slug]),
        {"kind": "question", "title": "A title long enough", "body": "x" * 30},
    )
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_anonymous_is_sent_to_sign_in_to_ask(client, community):
    response = client.get(reverse("conversations:ask", args=[community.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_non_member_sees_the_question_without_answer_form(client, question):
    client.force_login(UserFactory())
    page = html(client.get(detail(question)))
    assert "Only members of" in page
    assert "Join the community" in page
    answer_url = reverse("conversations:answer", args=[question.pk])
    assert f'action="{answer_url}"' not in page


# --- asking ---------------------------------------------------------------


def test_ask_form_happy_path_then_who_to_ask(client, community, asker):
    skill = SkillFactory(name="Presses", slug="presses")
    Tag.objects.create(
        community=community, name="presses", slug="presses", skill=skill
    )
    expert = member(community, user__display_name="Erin Expert")
    ExpertiseFactory(user=expert, skill=skill, level=Level.EXPERT, years=12)
    client.force_login(asker)
    url = reverse("conversations:ask", args=[community.slug])
    form = html(client.get(url))
    assert 'hx-trigger="keyup changed delay:400ms"' in form
    assert reverse("conversations:similar", args=[community.slug]) in form

    response = client.post(
        url,
        {
            "kind": "question",
            "title": "Press line jams after the die change",
            "body": "Twice a shift since Monday; we checked the feed rate.",
            "tags": "presses",
        },
        follow=True,
    )
    c = Conversation.objects.get()
    assert c.author == asker and c.tag_names == ["presses"]
    assert response.redirect_chain[-1][0] == detail(c) + "?asked=1"
    page = html(response)
    assert "Your question is posted." in page
    assert "While you wait" in page
    assert "Erin Expert" in page
    assert "expert in Presses, 12 years" in page
    assert reverse("conversations:ask_person", args=[c.pk]) in page


def test_ask_a_discussion(client, community, asker):
    client.force_login(asker)
    url = reverse("conversations:ask", args=[community.slug])
    page = html(client.get(url, {"kind": "discussion"}))
    assert "Start a discussion" in page
    assert re.search(r'value="discussion"[^>]*checked', page)
    client.post(
        url,
        {
            "kind": "discussion",
            "title": "What makes a good shift handover?",
            "body": "Share what your team does at the handover, please.",
        },
    )
    c = Conversation.objects.get()
    assert c.kind == "discussion"
    page = html(client.get(detail(c)))
    assert "Post your reply" in page
    assert "Discussion" in page


def test_ask_errors_beside_the_fields(client, community, asker):
    community.members_propose_tags = False
    community.save()
    Tag.objects.create(community=community, name="presses", slug="presses")
    client.force_login(asker)
    url = reverse("conversations:ask", args=[community.slug])
    response = client.post(
        url,
        {
            "kind": "question",
            "title": "Help me",
            "body": "It broke.",
            "tags": "welding",
        },
    )
    page = html(response)
    assert response.status_code == 200
    assert field_errors(page, "title") == [
        "Title is 7 characters; write at least 10 so people can tell what "
        "it is about."
    ]
    assert field_errors(page, "body") == [
        "Body is 9 characters; write at least 20: what you tried, what "
        "happened."
    ]
    (tag_error,) = field_errors(page, "tags")
    assert "welding: not in this community&#x27;s tag list" in tag_error
    assert "Pick from: presses" in tag_error
    assert 'value="Help me"' in page  # nothing typed is lost
    assert not Conversation.objects.exists()


def test_similar_questions_fragment(client, community, asker):
    ask(asker, community, title="Press line jamming after die swap")
    ask(asker, community, title="Canteen opening hours next week")
    private = CommunityFactory(visibility=Visibility.PRIVATE)
    ask(member(private), private, title="Press line jamming in plant two")
    client.force_login(asker)
    url = reverse("conversations:similar", args=[community.slug])
    response = client.get(url, {"title": "press jamming"}, **HX)
    page = html(response)
    assert page.lstrip().startswith('<div id="similar"')
    assert "<html" not in page
    assert "Press line jamming after die swap" in page
    assert "Canteen" not in page and "plant two" not in page
    empty = html(client.get(url, {"title": "zz"}, **HX))
    assert "<li>" not in empty
    whole = html(client.get(url, {"title": "press jamming"}))
    assert "<html" in whole and "after die swap" in whole


# --- the question page ----------------------------------------------------


def test_question_page_shows_answers_with_provenance(
    client, community, question, helper
):
    newcomer = member(community, Role.NEWCOMER, user__display_name="Nia New")
    answer(helper, question, experience="Ran that press for 6 years")
    guess = answer(
        newcomer,
        question,
        body="Maybe lubricate the rails more often than weekly?",
        experience="",
    )
    assert guess.from_practice is False
    page = html(client.get(detail(question)))
    assert "From practice:</span> Ran that press for 6 years" in page
    assert page.count("Not from recorded practice in this area") == 1
    label = page.index("Not from recorded practice in this area")
    assert page.rindex('id="answer-', 0, label) == page.index(
        f'id="answer-{guess.pk}"'
    )
    assert "2 answers" in page


def test_newcomer_is_told_before_answering(client, community, question):
    newcomer = member(community, Role.NEWCOMER)
    client.force_login(newcomer)
    page = html(client.get(detail(question)))
    assert "You have no recorded practice in this area yet" in page
    client.force_login(member(community))
    assert "no recorded practice" not in html(client.get(detail(question)))


def test_answer_with_experience(client, question, helper):
    client.force_login(helper)
    response = client.post(
        reverse("conversations:answer", args=[question.pk]),
        {
            "body": "Swap the die shims; ours were worn after a year.",
            "experience": "Press setter, 9 years",
        },
        follow=True,
    )
    reply = Reply.objects.get()
    assert reply.experience == "Press setter, 9 years"
    assert reply.from_practice is True
    assert response.redirect_chain[-1][0] == (
        detail(question) + f"#answer-{reply.pk}"
    )
    assert "Your answer is posted." in html(response)


def test_answer_errors_beside_the_field(client, question, helper):
    client.force_login(helper)
    response = client.post(
        reverse("conversations:answer", args=[question.pk]),
        {"body": "Too short", "experience": "x" * 301},
    )
    page = html(response)
    assert field_errors(page, "body") == [
        "Body is 9 characters; write at least 20: what you tried, what "
        "happened."
    ]
    assert field_errors(page, "experience")
    assert not Reply.objects.exists()


def test_closed_question_takes_no_answers(client, community, question, helper):
    coordinator = member(community, Role.COORDINATOR)
    services.conversation_close(
        actor=coordinator, conversation=question, reason="Answered in the FAQ"
    )
    client.force_login(helper)
    page = html(client.get(detail(question)))
    assert "takes no more answers" in page
    assert "Reason: <q>Answered in the FAQ</q>" in page
    response = client.post(
        reverse("conversations:answer", args=[question.pk]),
        {"body": "Still, try the shims: they wear out quickly."},
    )
    assert "This conversation is closed: Answered in the FAQ" in html(response)
    assert not Reply.objects.exists()


def test_locked_question_shows_no_votes_or_comment_links(
    client, community, question, helper
):
    reply = answer(helper, question)
    services.conversation_lock(
        actor=member(community, Role.COORDINATOR),
        conversation=question,
        locked=True,
        reason="Cooling down",
    )
    client.force_login(member(community))
    page = html(client.get(detail(question)))
    assert "<strong>Locked.</strong>" in page
    assert "Reason: <q>Cooling down</q>" in page
    assert "vote-up" not in page and "Add a comment" not in page
    frag = html(
        client.post(
            reverse("conversations:reply_vote", args=[reply.pk]),
            {"value": "1"},
            **HX,
        )
    )
    assert "This conversation is locked: no votes." in frag
    assert not Vote.objects.exists()


def test_a_discussion_has_no_accepted_solution(client, community, asker):
    talk = ask(
        asker,
        community,
        kind="discussion",
        title="What makes a good shift handover?",
    )
    reply = answer(member(community), talk)
    client.force_login(asker)
    page = html(client.get(detail(talk)))
    assert "1 reply" in page
    assert "Accept this answer" not in page
    assert "This also worked for me" not in page
    frag = html(
        client.post(
            reverse("conversations:accept", args=[reply.pk]),
            {"accepted": "1"},
            **HX,
        )
    )
    assert "Discussions have no accepted solution." in frag
    talk.refresh_from_db()
    assert talk.accepted_reply is None


# --- votes ----------------------------------------------------------------


def test_vote_on_an_answer_via_htmx(client, question, helper, asker):
    reply = answer(helper, question)
    client.force_login(asker)
    url = reverse("conversations:reply_vote", args=[reply.pk])
    page = html(client.get(detail(question)))
    assert f'hx-post="{url}"' in page

    response = client.post(url, {"value": "1"}, **HX)
    frag = html(response)
    assert frag.lstrip().startswith(
        f'<div class="vote" id="vote-a-{reply.pk}"'
    )
    assert "<html" not in frag
    assert re.search(r'class="vote-up" aria-pressed="true"', frag)
    assert '<span class="sr-only">Score </span>1</span>' in frag
    reply.refresh_from_db()
    assert reply.score == 1

    # Changing one's mind replaces the vote.
    frag = html(client.post(url, {"value": "-1"}, **HX))
    assert '<span class="sr-only">Score </span>-1</span>' in frag
    assert re.search(r'class="vote-down" aria-pressed="true"', frag)
    assert Vote.objects.get(user=asker, reply=reply).value == -1

    client.post(url, {"value": "0"}, **HX)
    reply.refresh_from_db()
    assert reply.score == 0 and not Vote.objects.exists()


def test_vote_on_a_question_up_only(client, question, helper):
    client.force_login(helper)
    url = reverse("conversations:vote", args=[question.pk])
    frag = html(client.post(url, {"value": "1"}, **HX))
    assert '<span class="sr-only">Score </span>1</span>' in frag
    assert "vote-down" not in frag
    frag = html(client.post(url, {"value": "-1"}, **HX))
    assert "Vote must be 1 or 0; got -1." in frag
    question.refresh_from_db()
    assert question.score == 1


def test_no_vote_on_your_own_post(client, question, asker):
    client.force_login(asker)
    page = html(client.get(detail(question)))
    assert f'id="vote-q-{question.pk}"' in page
    assert "vote-up" not in page.split(f'id="vote-q-{question.pk}"')[1][:300]
    response = client.post(
        reverse("conversations:vote", args=[question.pk]),
        {"value": "1"},
        **HX,
    )
    assert "You cannot vote on your own post." in html(response)
    assert not Vote.objects.exists()


def test_vote_without_htmx_redirects_back(client, question, helper, asker):
    reply = answer(helper, question)
    client.force_login(asker)
    response = client.post(
        reverse("conversations:reply_vote", args=[reply.pk]),
        {"value": "1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == (
        detail(question) + f"#answer-{reply.pk}"
    )
    assert "Your vote is counted." in html(response)
    reply.refresh_from_db()
    assert reply.score == 1


def test_non_member_cannot_vote(client, question, helper):
    reply = answer(helper, question)
    client.force_login(UserFactory())
    response = client.post(
        reverse("conversations:reply_vote", args=[reply.pk]), {"value": "1"}
    )
    assert response.status_code == 403
    assert "Join this community to take part." in html(response)
    assert not Vote.objects.exists()


# --- accept and "worked for me" ------------------------------------------


def test_accept_puts_the_answer_first_and_marks_it_solved(
    client, community, question, asker, helper
):
    first = answer(helper, question)
    other = member(community)
    second = answer(
        other, question, body="Slow the line down to 80 percent for a day."
    )
    services.vote(user=asker, reply=first, value=1)
    client.force_login(asker)
    page = html(client.get(detail(question)))
    assert page.index(f'id="answer-{first.pk}"') < page.index(
        f'id="answer-{second.pk}"'
    )
    assert "Accepted solution" not in page

    url = reverse("conversations:accept", args=[second.pk])
    response = client.post(url, {"accepted": "1"}, **HX)
    frag = html(response)
    assert frag.lstrip().startswith('<section id="answers"')
    assert frag.index(f'id="answer-{second.pk}"') < frag.index(
        f'id="answer-{first.pk}"'
    )
    assert "✓ Accepted solution" in frag
    assert "Withdraw acceptance" in frag
    # The status above the question changes too, out of band.
    assert 'id="conv-status" hx-swap-oob="true"' in frag
    assert "✓ Solved" in frag
    question.refresh_from_db()
    assert question.accepted_reply == second

    page = html(client.get(detail(question)))
    assert page.index(f'id="answer-{second.pk}"') < page.index(
        f'id="answer-{first.pk}"'
    )
    listing = html(
        client.get(reverse("conversations:list", args=[community.slug]))
    )
    assert "✓ Solved" in listing
    everywhere = html(client.get(reverse("conversations:all")))
    assert "✓ Solved" in everywhere


def test_only_asker_or_coordinator_may_accept(
    client, community, question, helper
):
    reply = answer(helper, question)
    bystander = member(community)
    client.force_login(bystander)
    page = html(client.get(detail(question)))
    assert "Accept this answer" not in page
    response = client.post(
        reverse("conversations:accept", args=[reply.pk]), {"accepted": "1"}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.accepted_reply is None

    client.force_login(member(community, Role.COORDINATOR))
    assert "Accept this answer" in html(client.get(detail(question)))
    client.post(
        reverse("conversations:accept", args=[reply.pk]), {"accepted": "1"}
    )
    question.refresh_from_db()
    assert question.accepted_reply == reply


def test_worked_for_me_via_htmx(client, community, question, helper):
    reply = answer(helper, question)
    client.force_login(member(community))
    url = reverse("conversations:worked", args=[reply.pk])
    frag = html(client.post(url, {"worked": "1"}, **HX))
    assert frag.lstrip().startswith(
        f'<div class="worked" id="worked-{reply.pk}"'
    )
    assert "Worked for 1 other" in frag
    assert "✓ It worked for me too" in frag
    reply.refresh_from_db()
    assert reply.worked_count == 1

    frag = html(client.post(url, {"worked": "0"}, **HX))
    assert "This also worked for me" in frag
    assert not Worked.objects.exists()


def test_worked_on_your_own_answer_is_refused(client, question, helper):
    reply = answer(helper, question)
    client.force_login(helper)
    page = html(client.get(detail(question)))
    assert "This also worked for me" not in page
    frag = html(
        client.post(
            reverse("conversations:worked", args=[reply.pk]),
            {"worked": "1"},
            **HX,
        )
    )
    assert "This is your own answer." in frag
    assert not Worked.objects.exists()


# --- comments -------------------------------------------------------------


def test_comment_on_an_answer_via_htmx(client, question, helper, asker):
    reply = answer(helper, question)
    client.force_login(asker)
    url = reverse("conversations:reply_comment", args=[reply.pk])
    form = html(client.get(url, **HX))
    assert form.lstrip().startswith(
        f'<div class="comments" id="comments-a-{reply.pk}"'
    )
    assert f'name="comment-a{reply.pk}-body"' in form

    frag = html(
        client.post(
            url, {f"comment-a{reply.pk}-body": "Which shims, **brass**?"}, **HX
        )
    )
    assert frag.lstrip().startswith(
        f'<div class="comments" id="comments-a-{reply.pk}"'
    )
    assert "Which shims, <strong>brass</strong>?" in frag
    assert "Asha Asker" in frag
    assert "<form" not in frag and "Add a comment" in frag
    comment = Comment.objects.get()
    assert comment.reply == reply
    reply.refresh_from_db()
    assert reply.comment_count == 1


def test_comment_error_beside_the_field(client, question, asker):
    client.force_login(asker)
    url = reverse("conversations:comment", args=[question.pk])
    frag = html(client.post(url, {"comment-q-body": "x" * 601}, **HX))
    assert field_errors(frag, "comment-q-body")
    assert not Comment.objects.exists()


def test_comment_without_htmx(client, question, asker):
    client.force_login(asker)
    url = reverse("conversations:comment", args=[question.pk])
    page = html(client.get(url))
    assert "<html" in page and 'name="comment-q-body"' in page
    response = client.post(
        url, {"comment-q-body": "Adding: it is the left die."}, follow=True
    )
    assert response.redirect_chain[-1][0] == (
        detail(question) + f"#comments-q-{question.pk}"
    )
    assert "Adding: it is the left die." in html(response)


# --- who to ask -----------------------------------------------------------


@pytest.fixture
def expert(community):
    skill = SkillFactory(name="Presses", slug="presses")
    person = member(community, user__display_name="Erin Expert")
    ExpertiseFactory(user=person, skill=skill, level=Level.EXPERT, years=12)
    return person


def test_who_to_ask_panel_for_the_asker_only(
    client, question, asker, helper, expert
):
    client.force_login(asker)
    page = html(client.get(detail(question)))
    assert "Who might know" in page
    assert "Erin Expert" in page
    assert "expert in Presses, 12 years" in page
    client.force_login(helper)
    assert "Who might know" not in html(client.get(detail(question)))


def test_ask_a_suggested_person_via_htmx(client, question, asker, expert):
    client.force_login(asker)
    url = reverse("conversations:ask_person", args=[question.pk])
    frag = html(client.post(url, {"person": expert.pk}, **HX))
    assert frag.lstrip().startswith('<section class="card who-to-ask"')
    assert "✓ Asked" in frag
    request = AskRequest.objects.get()
    assert request.asked == expert and request.asked_by == asker
    assert "expert in Presses" in request.reason


def test_only_the_asker_may_ask_people(client, question, helper, expert):
    client.force_login(helper)
    response = client.post(
        reverse("conversations:ask_person", args=[question.pk]),
        {"person": expert.pk},
    )
    assert response.status_code == 403
    assert not AskRequest.objects.exists()


# --- lists ----------------------------------------------------------------


def test_list_sorts_filters_and_unanswered_queue(client, community, asker):
    helper = member(community)
    old = ask(asker, community, title="Oldest question about presses")
    answered = ask(
        asker, community, title="Answered question about dies", tags=["dies"]
    )
    answer(helper, answered)
    talk = ask(
        asker,
        community,
        kind="discussion",
        title="Discussion about shift handovers",
    )
    services.vote(user=helper, conversation=old, value=1)
    url = reverse("conversations:list", args=[community.slug])

    def titles(**query) -> list[str]:
        page = html(client.get(url, query))
        return re.findall(r'class="conv-title"><a [^>]*>([^<]*)<', page)

    assert titles(sort="newest") == [talk.title, answered.title, old.title]
    assert titles(sort="votes")[0] == old.title
    assert titles(sort="unanswered") == [old.title]
    assert titles(tag="dies") == [answered.title]
    assert titles(kind="discussion") == [talk.title]
    assert set(titles(status="unsolved")) == {old.title, answered.title}
    queue = html(
        client.get(reverse("conversations:unanswered", args=[community.slug]))
    )
    assert old.title in queue and answered.title not in queue
    assert talk.title not in queue
    assert f"Unanswered in {community.name}" in queue


def test_list_more_link_pages_with_a_cursor(
    client, community, asker, settings
):
    settings.PRACTICA_PAGE_SIZE = 2
    made = [
        ask(asker, community, title=f"Question number {n} about presses")
        for n in range(5)
    ]
    url = reverse("conversations:list", args=[community.slug])
    first = html(client.get(url, {"sort": "newest"}))
    assert made[4].title in first and made[3].title in first
    assert made[2].title not in first
    more = re.search(
        r'<a class="button secondary" href="([^"]+)"\s[^>]*>More<', first
    )
    assert more, "a More link"
    href = more.group(1).replace("&amp;", "&")
    assert "cursor=" in href and "sort=newest" in href
    frag = html(client.get(href, **HX))
    assert "<html" not in frag and "conv-filters" not in frag
    assert made[2].title in frag and made[1].title in frag
    assert made[3].title not in frag and made[0].title not in frag
    assert "More" in frag


def test_list_htmx_filter_returns_results_only(client, community, asker):
    ask(asker, community, tags=["dies"])
    url = reverse("conversations:list", args=[community.slug])
    frag = html(client.get(url, {"tag": "dies"}, **HX))
    assert "<html" not in frag and "<form" not in frag
    assert "conv-row" in frag


def test_list_bad_cursor_starts_again(client, community, question):
    url = reverse("conversations:list", args=[community.slug])
    page = html(client.get(url, {"cursor": "xx"}))
    assert "start again from the first page" in page
    assert question.title in page


def test_questions_for_me(client, community, question, expert):
    ask(
        expert,
        community,
        title="My own question about presses",
        tags=["presses"],
    )
    ask(question.author, community, title="Unrelated question on canteens")
    client.force_login(expert)
    page = html(client.get(reverse("conversations:for_me")))
    assert question.title in page
    assert "My own question" not in page and "canteens" not in page
    assert "Questions for you" in page


def test_questions_for_me_needs_sign_in(client):
    response = client.get(reverse("conversations:for_me"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_tags_page(client, community, question):
    Tag.objects.create(
        community=community, name="safety", slug="safety", approved=False
    )
    page = html(
        client.get(reverse("conversations:tags", args=[community.slug]))
    )
    assert "presses" in page and "1 conversation" in page
    assert "Proposed" in page
    assert (
        reverse("conversations:list", args=[community.slug]) + "?tag=presses"
        in page
    )


def test_member_proposes_a_tag_and_a_coordinator_approves(
    client, community, asker
):
    url = reverse("conversations:tags", args=[community.slug])
    client.force_login(asker)
    response = client.post(
        url,
        {"name": "Hydraulics", "description": "Pumps and seals"},
        follow=True,
    )
    assert "Proposed the tag &#x27;Hydraulics&#x27;" in html(response)
    tag = Tag.objects.get(slug="hydraulics")
    assert not tag.approved
    page = html(client.post(url, {"name": "hydraulics"}))
    assert field_errors(page, "name") == [
        "&#x27;Hydraulics&#x27; is already a proposed tag here."
    ]
    decide = reverse("conversations:tag_decide", args=[tag.pk])
    assert decide not in html(client.get(url))
    assert client.post(decide, {"approve": "1"}).status_code == 403

    client.force_login(member(community, Role.COORDINATOR))
    assert decide in html(client.get(url))
    client.post(decide, {"approve": "1"})
    tag.refresh_from_db()
    assert tag.approved
    other = Tag.objects.create(
        community=community, name="misc", slug="misc", approved=False
    )
    client.post(
        reverse("conversations:tag_decide", args=[other.pk]),
        {"approve": "0"},
    )
    assert not Tag.objects.filter(slug="misc").exists()


# --- edits and history ----------------------------------------------------


def test_edit_keeps_history_with_a_diff(client, question, asker):
    client.force_login(asker)
    url = reverse("conversations:edit", args=[question.pk])
    assert question.title in html(client.get(url))
    response = client.post(
        url,
        {
            "title": question.title,
            "body": "It jams twice a shift since the new die arrived.\n"
            "The error code is E42.",
            "tags": "presses",
            "message": "Added the error code",
        },
        follow=True,
    )
    assert "Your changes are saved." in html(response)
    history = html(
        client.get(reverse("conversations:revisions", args=[question.pk]))
    )
    assert "Version 2: Added the error code" in history
    assert (
        '<ins class="diff-line"><span class="sr-only">Added: </span>'
        "The error code is E42.</ins>" in history
    )
    assert "Version 1: Asked" in history


def test_edit_errors_beside_the_field(client, question, asker):
    client.force_login(asker)
    page = html(
        client.post(
            reverse("conversations:edit", args=[question.pk]),
            {"title": "Short", "body": question.body, "tags": ""},
        )
    )
    assert field_errors(page, "title")
    question.refresh_from_db()
    assert question.title != "Short"


def test_others_may_not_edit(client, community, question, helper):
    reply = answer(helper, question)
    client.force_login(member(community))
    assert (
        client.get(
            reverse("conversations:edit", args=[question.pk])
        ).status_code
        == 403
    )
    assert (
        client.get(
            reverse("conversations:reply_edit", args=[reply.pk])
        ).status_code
        == 403
    )


def test_answer_edit_and_its_history(client, question, helper):
    reply = answer(helper, question)
    client.force_login(helper)
    client.post(
        reverse("conversations:reply_edit", args=[reply.pk]),
        {
            "body": "Check the die clearance first; ours was 0.3 mm off.",
            "experience": "Ran that press for 7 years",
            "message": "Right number",
        },
    )
    reply.refresh_from_db()
    assert "0.3 mm" in reply.body
    history = html(
        client.get(reverse("conversations:reply_revisions", args=[reply.pk]))
    )
    assert "ours was 0.2 mm off.</del>" in history
    assert "ours was 0.3 mm off.</ins>" in history
    page = html(client.get(detail(question)))
    assert reverse("conversations:reply_revisions", args=[reply.pk]) in page


# --- moderation -----------------------------------------------------------


def test_coordinator_closes_locks_and_reopens(client, community, question):
    coordinator = member(
        community, Role.COORDINATOR, user__display_name="Cora"
    )
    client.force_login(coordinator)
    url = reverse("conversations:moderate", args=[question.pk])
    assert "Moderate this question" in html(client.get(url))

    page = html(client.post(url, {"action": "close", "close-reason": ""}))
    assert field_errors(page, "close-reason")
    question.refresh_from_db()
    assert question.state == State.OPEN

    response = client.post(
        url,
        {"action": "close", "close-reason": "Covered by the handbook"},
        follow=True,
    )
    page = html(response)
    assert "Closed: it takes no more answers." in page
    assert "Reason: <q>Covered by the handbook</q> — Cora" in page
    question.refresh_from_db()
    assert question.state == State.CLOSED

    client.post(url, {"action": "lock", "lock-reason": "Heated thread"})
    question.refresh_from_db()
    assert question.locked
    assert "<strong>Locked.</strong>" in html(client.get(detail(question)))

    client.post(url, {"action": "unlock"})
    client.post(url, {"action": "reopen"})
    question.refresh_from_db()
    assert question.state == State.OPEN and not question.locked
    assert "conv-note" not in html(client.get(detail(question)))


def test_coordinator_merges_a_duplicate(client, community, asker, helper):
    original = ask(asker, community, title="Press line jams after die swap")
    copy = ask(helper, community, title="Press line jamming again today")
    answer(member(community), copy)
    client.force_login(member(community, Role.COORDINATOR))
    url = reverse("conversations:moderate", args=[copy.pk])
    page = html(client.get(url))
    assert f"#{original.pk}" in page  # offered as a likely original

    page = html(
        client.post(
            url,
            {"action": "merge", "merge-into": "999999", "merge-reason": "x"},
        )
    )
    assert field_errors(page, "merge-into") == [
        "There is no conversation #999999 here."
    ]
    client.post(
        url,
        {
            "action": "merge",
            "merge-into": f"/q/{original.pk}/",
            "merge-reason": "Same problem",
        },
    )
    copy.refresh_from_db()
    assert copy.state == State.DUPLICATE and copy.duplicate_of == original
    page = html(client.get(detail(copy)))
    assert "<strong>Duplicate.</strong>" in page
    assert detail(original) in page
    assert "Reason: <q>Same problem</q>" in page
    assert original.replies.count() == 1


def test_coordinator_moves_to_another_community(client, community, question):
    coordinator = member(community, Role.COORDINATOR)
    other = CommunityFactory(name="Tooling")
    member(other, Role.COORDINATOR, user=coordinator)
    client.force_login(coordinator)
    url = reverse("conversations:moderate", args=[question.pk])
    client.post(
        url,
        {
            "action": "move",
            "move-community": other.slug,
            "move-reason": "Tooling owns the dies",
        },
    )
    question.refresh_from_db()
    assert question.community == other
    page = html(client.get(detail(question)))
    assert "Moved here" in page and "Tooling owns the dies" in page


def test_members_may_not_moderate(client, community, question, asker):
    client.force_login(asker)
    url = reverse("conversations:moderate", args=[question.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"action": "close", "close-reason": "mine"})
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.state == State.OPEN
    assert "Moderate" not in html(client.get(detail(question)))


# --- flags ----------------------------------------------------------------


def test_flag_and_the_coordinator_queue(client, community, question, helper):
    reply = answer(helper, question)
    client.force_login(member(community))
    url = reverse("conversations:reply_flag", args=[reply.pk])
    page = html(client.post(url, {"reason": ""}))
    assert field_errors(page, "reason")
    response = client.post(
        url, {"reason": "Has a customer's phone number"}, follow=True
    )
    assert "the coordinators will look at it" in html(response)
    flag = Flag.objects.get()
    assert flag.reply == reply

    queue_url = reverse("conversations:flags", args=[community.slug])
    assert client.get(queue_url).status_code == 403

    client.force_login(member(community, Role.COORDINATOR))
    queue = html(client.get(queue_url))
    assert "Has a customer&#x27;s phone number" in queue
    assert f"#answer-{reply.pk}" in queue
    resolve = reverse("conversations:flag_resolve", args=[flag.pk])
    page = html(client.post(resolve, {"resolution": "", "dismiss": "0"}))
    assert re.search(rf'id="resolution-{flag.pk}_error"', page)
    client.post(resolve, {"resolution": "Removed the number", "dismiss": "0"})
    flag.refresh_from_db()
    assert flag.state == FlagState.RESOLVED
    assert "No open flags" in html(client.get(queue_url))


# --- speed ----------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _busy(question: Conversation, community, n: int) -> None:
    """Add ``n`` answers, each with comments, votes and "worked" marks."""
    for _ in range(n):
        person = member(community, user__department=DepartmentFactory())
        reply = answer(
            person, question, body=f"Answer from {person.name}: check it."
        )
        voter = member(community)
        services.vote(user=voter, reply=reply, value=1)
        services.reply_worked(user=voter, reply=reply)
        services.comment_create(
            author=voter, conversation=question, reply=reply, body="Thanks!"
        )
    services.comment_create(
        author=member(community), conversation=question, body="Me too."
    )


def test_question_page_query_count_is_fixed(
    client, community, question, asker, expert, django_assert_max_num_queries
):
    viewer = member(community)
    _busy(question, community, 1)
    url = detail(question)
    client.force_login(viewer)
    few = _queries(client, url)
    _busy(question, community, 8)
    services.vote(user=viewer, conversation=question, value=1)
    many = _queries(client, url)
    assert many == few
    # session, user, conversation, answers, comments, memberships, votes,
    # worked, tags, the view count, the moderation note
    with django_assert_max_num_queries(11):
        client.get(url)
    # The asker also sees who to ask (4 queries) and who was asked.
    client.force_login(asker)
    with django_assert_max_num_queries(16):
        client.get(url)
    # Anonymous, building the cached page: conversation, answers,
    # comments, tags, view count, note, linked questions.
    client.logout()
    with django_assert_max_num_queries(7):
        client.get(url)


def test_list_query_count_is_fixed(
    client, community, asker, django_assert_max_num_queries
):
    url = reverse("conversations:list", args=[community.slug])
    viewer = member(community)
    client.force_login(viewer)
    c = ask(asker, community, tags=["presses"])
    _busy(c, community, 1)
    few = _queries(client, url)
    for n in range(6):
        other = ask(
            member(community),
            community,
            title=f"Another question number {n}",
            tags=["presses", f"tag{n}"],
        )
        _busy(other, community, 2)
    many = _queries(client, url)
    assert many == few
    # session, user, community, memberships, tags, the page
    with django_assert_max_num_queries(6):
        client.get(url)
    # Across communities: session, user, memberships, the page; the first
    # request also loads the full rows its cache did not have (one query).
    everywhere = reverse("conversations:all")
    with django_assert_max_num_queries(5):
        client.get(everywhere)
    with django_assert_max_num_queries(4):
        client.get(everywhere)


def test_members_can_follow_an_open_question_and_ask_for_help(
    client, question, helper
):
    client.force_login(helper)
    page = html(client.get(detail(question)))
    follow = reverse(
        "notifications:follow", args=["conversation", question.pk]
    )
    assert follow in page
    help_url = reverse("mentoring:ask", args=[question.community.slug])
    assert f"{help_url}?question={question.pk}" in page
    client.logout()
    page = html(client.get(detail(question)))  # a visitor: neither
    assert follow not in page and help_url not in page


def test_a_solved_question_offers_no_help_request(
    client, question, asker, helper
):
    reply = answer(helper, question)
    services.reply_accept(actor=asker, reply=reply)
    client.force_login(helper)
    page = html(client.get(detail(question)))
    assert reverse("mentoring:ask", args=[question.community.slug]) not in page
