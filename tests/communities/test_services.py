from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from practica.communities import services
from practica.communities.models import (
    Community,
    Invitation,
    Membership,
    Policy,
    Role,
    Status,
)
from practica.core.models import Activity
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db
STATEMENT = "I have run incident reviews on our line for six years."


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict:
    return exc.value.message_dict


class TestCreate:
    def test_creator_becomes_coordinator(self):
        creator = UserFactory()
        dept = DepartmentFactory(slug="quality")
        c = services.community_create(
            creator=creator,
            name="Safety & Quality",
            tagline="Making the line safer",
            charter="# Why\n\n*We* care.",
            kind="professional",
            policy="approval",
            departments=["quality"],
        )
        assert c.slug == "safety-quality"
        assert c.charter_html == "<h1>Why</h1>\n<p><em>We</em> care.</p>\n"
        assert list(c.departments.all()) == [dept]
        m = Membership.objects.get(community=c)
        assert (m.user, m.role, m.status) == (creator, "coordinator", "active")
        assert c.member_count == 1
        assert Activity.objects.filter(verb="community.created").count() == 1

    def test_charter_is_sanitised(self):
        c = services.community_create(
            creator=UserFactory(),
            name="X",
            tagline="t",
            charter="<script>alert(1)</script>[a](javascript:alert(1))",
        )
        assert "<script>" not in c.charter_html
        assert 'href="javascript' not in c.charter_html

    def test_duplicate_slug_names_the_field(self):
        CommunityFactory(slug="taken")
        with pytest.raises(ValidationError) as exc:
            services.community_create(
                creator=UserFactory(), name="Taken", tagline="t"
            )
        assert "already used" in errors(exc)["slug"][0]
        assert not Community.objects.filter(name="Taken").exists()

    def test_every_bad_field_is_reported_and_nothing_written(self):
        with pytest.raises(ValidationError) as exc:
            services.community_create(
                creator=UserFactory(),
                name="",
                tagline="",
                slug="new",
                kind="guild",
                departments=["nowhere"],
            )
        assert set(errors(exc)) == {
            "name",
            "tagline",
            "slug",
            "kind",
            "departments",
        }
        assert "reserved" in errors(exc)["slug"][0]
        assert "professional" in errors(exc)["kind"][0]
        assert Community.objects.count() == 0
        assert Membership.objects.count() == 0

    def test_anonymous_cannot_create(self):
        from django.contrib.auth.models import AnonymousUser

        with pytest.raises(PermissionDenied):
            services.community_create(
                creator=AnonymousUser(), name="X", tagline="t"
            )


class TestUpdate:
    def test_coordinator_updates_and_version_bumps(
        self, community, coordinator
    ):
        before = Community.objects.get(pk=community.pk).version
        c = services.community_update(
            actor=coordinator, community=community, charter="New **charter**"
        )
        assert c.charter_html == "<p>New <strong>charter</strong></p>\n"
        assert c.version == before + 1

    def test_member_cannot_update(self, community):
        with pytest.raises(PermissionDenied):
            services.community_update(
                actor=member(community), community=community, name="Mine"
            )
        assert Community.objects.get(pk=community.pk).name != "Mine"


class TestJoin:
    def test_open_community_admits_at_once_and_twice_is_idempotent(
        self, community, coordinator
    ):
        user = UserFactory()
        m1 = services.community_join(user=user, community=community)
        m2 = services.community_join(user=user, community=community)
        assert m1.pk == m2.pk
        assert (m2.status, m2.role) == ("active", "member")
        community.refresh_from_db()
        assert community.member_count == 2

    def test_approval_needs_a_practice_statement(self):
        c = CommunityFactory(policy=Policy.APPROVAL)
        with pytest.raises(ValidationError) as exc:
            services.community_join(
                user=UserFactory(), community=c, practice_statement="hi"
            )
        assert "practice_statement" in errors(exc)
        assert Membership.objects.count() == 0

    def test_approval_request_is_pending_then_approved(self):
        c = CommunityFactory(policy=Policy.APPROVAL)
        coordinator = member(c, Role.COORDINATOR)
        user = UserFactory()
        m = services.community_join(
            user=user, community=c, practice_statement=STATEMENT
        )
        assert (m.status, m.practice_statement) == ("pending", STATEMENT)
        c.refresh_from_db()
        assert (c.member_count, c.pending_count) == (1, 1)
        again = services.community_join(
            user=user, community=c, practice_statement=""
        )
        assert again.pk == m.pk and again.status == "pending"
        m = services.membership_approve(actor=coordinator, membership=m)
        assert (m.status, m.role, m.decided_by) == (
            "active",
            "newcomer",
            coordinator,
        )
        c.refresh_from_db()
        assert (c.member_count, c.pending_count) == (2, 0)
        with pytest.raises(ValidationError, match="already decided"):
            services.membership_approve(actor=coordinator, membership=m)

    def test_decline_needs_a_reason_and_can_be_asked_again(self):
        c = CommunityFactory(policy=Policy.APPROVAL)
        coordinator = member(c, Role.COORDINATOR)
        user = UserFactory()
        m = services.community_join(
            user=user, community=c, practice_statement=STATEMENT
        )
        with pytest.raises(ValidationError) as exc:
            services.membership_decline(
                actor=coordinator, membership=m, reason="  "
            )
        assert "reason" in errors(exc)
        m = services.membership_decline(
            actor=coordinator, membership=m, reason="Please ask in a year."
        )
        assert (m.status, m.reason) == ("declined", "Please ask in a year.")
        m = services.community_join(
            user=user, community=c, practice_statement=STATEMENT
        )
        assert (m.status, m.reason) == ("pending", "")

    def test_only_coordinators_decide(self):
        c = CommunityFactory(policy=Policy.APPROVAL)
        core = member(c, Role.CORE)
        m = services.community_join(
            user=UserFactory(), community=c, practice_statement=STATEMENT
        )
        with pytest.raises(PermissionDenied):
            services.membership_approve(actor=core, membership=m)
        assert Membership.objects.get(pk=m.pk).status == "pending"

    def test_invitation_only_refuses_join(self):
        c = CommunityFactory(policy=Policy.INVITATION)
        with pytest.raises(PermissionDenied, match="invitation"):
            services.community_join(user=UserFactory(), community=c)


class TestRolesAndLeaving:
    def test_last_coordinator_cannot_leave_demote_or_be_removed(
        self, community, coordinator
    ):
        m = Membership.objects.get(user=coordinator)
        with pytest.raises(ValidationError, match="last coordinator"):
            services.community_leave(user=coordinator, community=community)
        with pytest.raises(ValidationError, match="last coordinator"):
            services.membership_set_role(
                actor=coordinator, membership=m, role="member"
            )
        with pytest.raises(ValidationError, match="last coordinator"):
            services.membership_remove(
                actor=coordinator, membership=m, reason="Stepping down"
            )
        assert Membership.objects.get(pk=m.pk).role == "coordinator"

    def test_handover_then_leave(self, community, coordinator):
        other = member(community)
        om = Membership.objects.get(user=other)
        services.membership_set_role(
            actor=coordinator, membership=om, role="coordinator"
        )
        m = services.community_leave(user=coordinator, community=community)
        assert m.status == "left"
        community.refresh_from_db()
        assert community.member_count == 1
        act = Activity.objects.get(verb="membership.role_changed")
        assert act.data == {"from": "member", "to": "coordinator"}

    def test_unknown_role_names_the_choices(self, community, coordinator):
        m = Membership.objects.get(user=member(community))
        with pytest.raises(ValidationError) as exc:
            services.membership_set_role(
                actor=coordinator, membership=m, role="king"
            )
        assert "coordinator" in errors(exc)["role"][0]

    def test_remove_needs_reason(self, community, coordinator):
        m = Membership.objects.get(user=member(community))
        with pytest.raises(ValidationError):
            services.membership_remove(
                actor=coordinator, membership=m, reason=""
            )
        m = services.membership_remove(
            actor=coordinator, membership=m, reason="Left the company"
        )
        assert m.status == Status.REMOVED

    def test_leave_when_not_member(self, community):
        with pytest.raises(ValidationError, match="not a member"):
            services.community_leave(user=UserFactory(), community=community)


class TestInvitations:
    def test_invite_sends_email_and_accept_admits(
        self, community, coordinator, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            inv, raw = services.invitation_create(
                actor=coordinator,
                community=community,
                email="New.Person@Example.org",
                role="core",
                message="We need you",
            )
        assert inv.email == "new.person@example.org"
        assert raw not in inv.token_hash
        assert len(mail.outbox) == 1
        assert raw in mail.outbox[0].body
        assert mail.outbox[0].to == ["new.person@example.org"]
        user = UserFactory(email="new.person@example.org")
        m = services.invitation_accept(user=user, raw_token=raw)
        assert (m.status, m.role) == ("active", "core")
        with pytest.raises(ValidationError, match="already used"):
            services.invitation_accept(user=user, raw_token=raw)

    def test_bad_email_expired_and_wrong_person(self, community, coordinator):
        with pytest.raises(ValidationError) as exc:
            services.invitation_create(
                actor=coordinator, community=community, email="nope"
            )
        assert "email" in errors(exc)
        inv, raw = services.invitation_create(
            actor=coordinator, community=community, email="a@example.org"
        )
        with pytest.raises(ValidationError, match=r"sent to a@example\.org"):
            services.invitation_accept(user=UserFactory(), raw_token=raw)
        Invitation.objects.filter(pk=inv.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        with pytest.raises(ValidationError, match="expired"):
            services.invitation_accept(
                user=UserFactory(email="a@example.org"), raw_token=raw
            )
        with pytest.raises(ValidationError, match="not valid"):
            services.invitation_accept(user=UserFactory(), raw_token="x")

    def test_core_may_invite_members_but_not_coordinators(self, community):
        core = member(community, Role.CORE)
        services.invitation_create(
            actor=core, community=community, email="b@example.org"
        )
        with pytest.raises(PermissionDenied):
            services.invitation_create(
                actor=core,
                community=community,
                email="c@example.org",
                role="coordinator",
            )

    def test_cannot_invite_a_member(self, community, coordinator):
        with pytest.raises(ValidationError, match="already a member"):
            services.invitation_create(
                actor=coordinator, community=community, email=coordinator.email
            )
