from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from practica.communities.models import Role
from practica.core.models import Activity
from practica.mentoring import selectors, services
from practica.mentoring.models import (
    Answer,
    Feedback,
    HelpOffer,
    HelpRequest,
    Match,
    MatchState,
    Mentorship,
    MentorshipState,
    RequestState,
)
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, member
from tests.mentoring.factories import helper, need, offer

pytestmark = pytest.mark.django_db


def verbs(**data) -> list[str]:
    qs = Activity.objects.order_by("id")
    return [
        a.verb for a in qs if all(a.data.get(k) == v for k, v in data.items())
    ]


@pytest.fixture
def expert(community):
    return helper(community, {"Terraform": 5, "Kubernetes": 4})


@pytest.fixture
def newcomer(community):
    return member(community, Role.NEWCOMER)


@pytest.fixture
def the_offer(expert, community):
    return offer(expert, community)


@pytest.fixture
def the_request(newcomer, community):
    return need(newcomer, community, format="mentor")


class TestOffer:
    def test_offer_with_windows_and_departments(self, expert, community):
        o = offer(
            expert,
            community,
            windows_="Mon 09:00-12:00, Fri 14:30-16:00",
            note="Happy to look at plans",
        )
        assert o.windows == [
            {"day": 0, "start": "09:00", "end": "12:00"},
            {"day": 4, "start": "14:30", "end": "16:00"},
        ]
        assert o.time_zone == "Europe/Berlin"
        assert {s.name for s in o.skills.all()} == {"Terraform", "Kubernetes"}
        a = Activity.objects.get(verb="help.offered")
        assert a.community_id == community.pk
        again = offer(expert, community, capacity=5)
        assert again.pk == o.pk and again.capacity == 5
        assert HelpOffer.objects.count() == 1

    def test_every_mistake_named_nothing_written(self, expert, community):
        with pytest.raises(ValidationError) as exc:
            services.offer_save(
                actor=expert,
                community=community,
                skills=["Cobol"],
                formats=["lecture"],
                capacity=50,
                windows_="Mon 9-12",
                time_zone="Mars/Olympus",
            )
        assert set(exc.value.message_dict) == {
            "skills",
            "formats",
            "capacity",
            "windows",
            "time_zone",
        }
        assert "Cobol" in exc.value.message_dict["skills"][0]
        assert HelpOffer.objects.count() == 0

    def test_skill_must_be_on_the_profile(self, expert, community):
        from tests.factories import SkillFactory

        SkillFactory(name="Go", slug="go")
        with pytest.raises(ValidationError) as exc:
            offer(expert, community, skills=["go"])
        assert "Add Go to the expertise on your profile" in str(exc.value)

    def test_quarter_hours_only(self, expert, community):
        with pytest.raises(ValidationError) as exc:
            offer(expert, community, windows_="Tue 09:10-10:00")
        assert "quarter hour" in exc.value.message_dict["windows"][0]

    def test_non_member_refused(self, expert):
        elsewhere = CommunityFactory()
        with pytest.raises(PermissionDenied):
            offer(expert, elsewhere)


class TestRequest:
    def test_from_an_unanswered_question(self, newcomer, community, expert):
        q = ask(newcomer, community)
        r = need(newcomer, community, source=q)
        assert r.source == q and r.state == RequestState.OPEN
        assert "<strong>locked</strong>" in r.need_html
        assert verbs()[-1] == "help.requested"

    def test_solved_question_refused(self, newcomer, community, expert):
        from practica.conversations import services as conv

        q = ask(newcomer, community)
        conv.reply_accept(actor=newcomer, reply=answer(expert, q))
        with pytest.raises(ValidationError) as exc:
            need(newcomer, community, source=q)
        assert "already has an accepted answer" in str(exc.value)
        assert HelpRequest.objects.count() == 0

    def test_bad_input(self, newcomer, community):
        with pytest.raises(ValidationError) as exc:
            need(newcomer, community, title="", need="", skills=[],
                 urgency="yesterday")  # fmt: skip
        assert set(exc.value.message_dict) == {
            "title",
            "need",
            "skills",
            "urgency",
        }


class TestMatch:
    def test_propose_accept_starts_a_mentorship(
        self, coordinator, the_offer, the_request, expert, newcomer
    ):
        m = services.match_propose(
            actor=coordinator, offer=the_offer, request=the_request
        )
        assert m.state == MatchState.PROPOSED
        assert "expert in Terraform" in m.reasons
        assert "both in Europe/Berlin" in m.reasons
        assert 0 < m.score <= 1
        a = Activity.objects.get(verb="match.proposed")
        assert a.data["helper"] == expert.pk
        assert a.data["requester"] == newcomer.pk
        services.match_answer(actor=expert, match=m, accept=True)
        m.refresh_from_db()
        assert m.state == MatchState.PROPOSED
        assert m.helper_answer == Answer.YES
        assert not Mentorship.objects.exists()
        services.match_answer(actor=newcomer, match=m, accept=True)
        m.refresh_from_db()
        the_request.refresh_from_db()
        assert m.state == MatchState.ACCEPTED
        assert the_request.state == RequestState.MATCHED
        ms = Mentorship.objects.get()
        assert (ms.mentor, ms.mentee, ms.match) == (expert, newcomer, m)
        assert ms.checkins.get().due_at > timezone.now()
        started = Activity.objects.get(verb="mentorship.started")
        assert started.data == {"mentor": expert.pk, "mentee": newcomer.pk}
        assert started.community_id == the_request.community_id
        assert selectors.help_edges(
            the_request.community,
            start=timezone.now() - timedelta(days=1),
            end=timezone.now() + timedelta(days=1),
        ) == [(expert.pk, newcomer.pk, "mentoring")]

    def test_with_yourself_refused(self, coordinator, community, expert):
        mine = offer(expert, community)
        r = need(expert, community)
        with pytest.raises(ValidationError) as exc:
            services.match_propose(actor=coordinator, offer=mine, request=r)
        assert "themselves" in str(exc.value)
        assert not Match.objects.exists()

    def test_capacity_exceeded_refused(self, coordinator, community, expert):
        o = offer(expert, community, capacity=1)
        first = need(member(community), community)
        second = need(member(community), community)
        services.match_propose(actor=coordinator, offer=o, request=first)
        with pytest.raises(ValidationError) as exc:
            services.match_propose(actor=coordinator, offer=o, request=second)
        assert "no place left this month (1 of 1 used)" in str(exc.value)
        assert Match.objects.count() == 1

    def test_accepting_a_closed_request_refused(
        self, coordinator, the_offer, the_request, expert, newcomer
    ):
        m = services.match_propose(
            actor=coordinator, offer=the_offer, request=the_request
        )
        services.match_answer(actor=expert, match=m, accept=True)
        HelpRequest.objects.filter(pk=the_request.pk).update(
            state=RequestState.CLOSED
        )
        with pytest.raises(ValidationError) as exc:
            services.match_answer(actor=newcomer, match=m, accept=True)
        assert "This request is closed" in str(exc.value)
        m.refresh_from_db()
        assert m.requester_answer == Answer.PENDING
        assert not Mentorship.objects.exists()

    def test_closed_request_cannot_be_proposed(
        self, coordinator, the_offer, the_request, newcomer
    ):
        services.request_close(actor=newcomer, request=the_request)
        with pytest.raises(ValidationError) as exc:
            services.match_propose(
                actor=coordinator, offer=the_offer, request=the_request
            )
        assert "only open requests can be matched" in str(exc.value)

    def test_decline_then_not_again(
        self, coordinator, the_offer, the_request, newcomer
    ):
        m = services.match_propose(
            actor=coordinator, offer=the_offer, request=the_request
        )
        services.match_answer(actor=newcomer, match=m, accept=False)
        m.refresh_from_db()
        assert m.state == MatchState.DECLINED
        assert "match.declined" in verbs()
        with pytest.raises(ValidationError) as exc:
            services.match_propose(
                actor=coordinator, offer=the_offer, request=the_request
            )
        assert "declined before" in str(exc.value)

    def test_strangers_may_not_propose_or_answer(
        self, community, the_offer, the_request, coordinator
    ):
        stranger = member(community)
        with pytest.raises(PermissionDenied):
            services.match_propose(
                actor=stranger, offer=the_offer, request=the_request
            )
        m = services.match_propose(
            actor=coordinator, offer=the_offer, request=the_request
        )
        with pytest.raises(PermissionDenied):
            services.match_answer(actor=stranger, match=m, accept=True)

    def test_asker_chooses_a_helper(self, the_offer, the_request, newcomer):
        m = services.match_propose(
            actor=newcomer, offer=the_offer, request=the_request
        )
        assert m.requester_answer == Answer.YES
        assert m.helper_answer == Answer.PENDING

    def test_adjust_and_confirm(
        self, coordinator, community, the_offer, expert
    ):
        other = helper(community, {"Terraform": 3})
        other_offer = offer(other, community)
        asker = member(community)
        r = need(asker, community, format="answer")
        m = services.match_propose(
            actor=coordinator, offer=the_offer, request=r
        )
        m = services.match_adjust(
            actor=coordinator, match=m, offer=other_offer
        )
        assert m.helper == other
        assert "competent in Terraform" in m.reasons
        services.match_answer(actor=other, match=m, accept=True)
        services.match_answer(actor=asker, match=m, accept=True)
        with pytest.raises(ValidationError):
            services.match_adjust(actor=coordinator, match=m, offer=the_offer)
        services.match_confirm(actor=asker, match=m)
        m.refresh_from_db()
        r.refresh_from_db()
        assert m.state == MatchState.CONFIRMED
        assert r.state == RequestState.CLOSED
        assert not Mentorship.objects.exists()  # answering is not mentoring


class TestMentorship:
    @pytest.fixture
    def ms(self, coordinator, community, expert, newcomer):
        return services.mentorship_create(
            actor=coordinator,
            community=community,
            mentor=expert,
            mentee=newcomer,
            goals="Write a first **Terraform** module",
            checkin_days=7,
        )

    def test_checkin_and_next(self, ms, newcomer):
        first = ms.checkins.get()
        assert first.due_at - ms.started_at == timedelta(days=7)
        done = services.checkin_record(
            actor=newcomer, mentorship=ms, summary="Module *drafted*"
        )
        assert done.pk == first.pk and done.done_at is not None
        assert "<em>drafted</em>" in done.summary_html
        assert ms.checkins.filter(done_at__isnull=True).count() == 1
        a = Activity.objects.get(verb="mentorship.checkin")
        assert a.data["number"] == 1

    def test_private_notes_stay_private(
        self, ms, expert, newcomer, coordinator
    ):
        services.note_add(
            actor=expert, mentorship=ms, body="Mine", private=True
        )
        services.note_add(
            actor=expert, mentorship=ms, body="Ours", private=False
        )
        assert [n.body for n in selectors.mentorship_page(
            viewer=expert, pk=ms.pk).notes] == ["Mine", "Ours"]  # fmt: skip
        assert [n.body for n in selectors.mentorship_page(
            viewer=newcomer, pk=ms.pk).notes] == ["Ours"]  # fmt: skip
        assert [n.body for n in selectors.mentorship_page(
            viewer=coordinator, pk=ms.pk).notes] == ["Ours"]  # fmt: skip

    def test_end_with_feedback_from_both(self, ms, expert, newcomer):
        services.mentorship_end(
            actor=newcomer, mentorship=ms, rating=5, feedback="Great"
        )
        ms.refresh_from_db()
        assert ms.state == MentorshipState.ENDED
        assert not ms.checkins.filter(done_at__isnull=True).exists()
        services.feedback_give(actor=expert, mentorship=ms, rating=4)
        assert Feedback.objects.count() == 2
        with pytest.raises(ValidationError):
            services.feedback_give(actor=expert, mentorship=ms, rating=4)
        with pytest.raises(ValidationError):
            services.checkin_record(actor=expert, mentorship=ms)
        assert "mentorship.ended" in verbs()

    def test_bad_rating_changes_nothing(self, ms, newcomer):
        with pytest.raises(ValidationError) as exc:
            services.mentorship_end(actor=newcomer, mentorship=ms, rating=9)
        assert "rating" in exc.value.message_dict
        ms.refresh_from_db()
        assert ms.state == MentorshipState.ACTIVE

    def test_self_mentoring_refused(self, coordinator, community, expert):
        with pytest.raises(ValidationError) as exc:
            services.mentorship_create(
                actor=coordinator, community=community, mentor=expert,
                mentee=expert,
            )  # fmt: skip
        assert "themselves" in str(exc.value)

    def test_load_shows_to_coordinators(self, ms, community, expert):
        offer(expert, community, capacity=3)
        rows = selectors.mentor_load(community)
        assert rows[0]["person_id"] == expert.pk
        assert rows[0]["mentorships"] == 1
        assert rows[0]["capacity"] == 3

    def test_stranger_cannot_see(self, ms, community):
        from django.http import Http404

        with pytest.raises(Http404):
            selectors.mentorship_page(viewer=member(community), pk=ms.pk)


class TestBoard:
    def test_board_assigns_and_explains(self, coordinator, community):
        a = helper(community, {"Terraform": 5})
        b = helper(community, {"Kubernetes": 5, "Terraform": 2})
        offer(a, community, capacity=1)
        offer(b, community, capacity=1)
        r1 = need(member(community), community, skills=["terraform"])
        r2 = need(member(community), community, skills=["kubernetes"])
        board = selectors.board(viewer=coordinator, community=community)
        got = {s.request.pk: s.offer.person_id for s in board.suggestions}
        assert got == {r1.pk: a.pk, r2.pk: b.pk}
        assert all(s.reasons for s in board.suggestions)
        assert board.places_left == 2

    def test_members_may_not_see_the_board(self, community):
        with pytest.raises(PermissionDenied):
            selectors.board(viewer=member(community), community=community)
