from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from practica.accounts import services
from practica.accounts.models import AccessToken, Expertise, Skill
from practica.communities.models import Role
from tests.factories import (
    CommunityFactory,
    DepartmentFactory,
    ExpertiseFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


class TestProfile:
    def test_update_renders_introduction_and_department(self, user):
        dept = DepartmentFactory(slug="platform")
        services.profile_update(
            actor=user,
            person=user,
            display_name="  Ana   Silva ",
            introduction="I run **Terraform** <b onclick=x>",
            time_zone="America/Sao_Paulo",
            department="platform",
        )
        user.refresh_from_db()
        assert user.display_name == "Ana Silva"
        assert user.department == dept
        assert "<strong>Terraform</strong>" in user.introduction_html
        assert "<b onclick" not in user.introduction_html

    def test_every_bad_field_named_and_nothing_saved(self, user):
        before = user.display_name
        with pytest.raises(ValidationError) as exc:
            services.profile_update(
                actor=user,
                person=user,
                display_name="",
                time_zone="Mars/Base",
                department="nowhere",
                job_title="x" * 101,
            )
        assert set(exc.value.message_dict) == {
            "display_name",
            "time_zone",
            "department",
            "job_title",
        }
        assert "Europe/Berlin" in exc.value.message_dict["time_zone"][0]
        user.refresh_from_db()
        assert user.display_name == before

    def test_only_yourself(self, user):
        with pytest.raises(PermissionDenied):
            services.profile_update(
                actor=UserFactory(), person=user, display_name="Hacked"
            )


class TestExpertise:
    def test_set_creates_then_changes_and_level_change_clears_verify(
        self, user
    ):
        e = services.expertise_set(
            actor=user, person=user, skill="Terraform", level=4, years=6
        )
        assert Skill.objects.get().slug == "terraform"
        c = CommunityFactory()
        coordinator = member(c, Role.COORDINATOR)
        from tests.factories import MembershipFactory

        MembershipFactory(community=c, user=user)
        services.expertise_verify(actor=coordinator, expertise=e)
        e.refresh_from_db()
        assert e.is_verified
        e = services.expertise_set(
            actor=user, person=user, skill="terraform", level=5, years=7
        )
        assert Expertise.objects.count() == 1
        assert not e.is_verified and (e.level, e.years) == (5, 7)

    def test_bad_level_and_years(self, user):
        with pytest.raises(ValidationError) as exc:
            services.expertise_set(
                actor=user, person=user, skill="Go", level=9, years=-1
            )
        assert set(exc.value.message_dict) == {"level", "years"}
        assert Expertise.objects.count() == 0

    def test_endorse_once_not_self(self, user):
        e = ExpertiseFactory(user=user)
        fan = UserFactory()
        services.expertise_endorse(actor=fan, expertise=e)
        services.expertise_endorse(actor=fan, expertise=e)
        e.refresh_from_db()
        assert e.endorsement_count == 1
        with pytest.raises(PermissionDenied):
            services.expertise_endorse(actor=user, expertise=e)
        services.expertise_withdraw_endorsement(actor=fan, expertise=e)
        e.refresh_from_db()
        assert e.endorsement_count == 0

    def test_verify_refused_to_strangers(self, user):
        e = ExpertiseFactory(user=user)
        with pytest.raises(PermissionDenied, match="coordinator"):
            services.expertise_verify(actor=UserFactory(), expertise=e)


class TestTokens:
    def test_create_authenticate_revoke(self, user):
        token, raw = services.token_create(actor=user, name="CI")
        assert raw.startswith("pra_") and token.prefix == raw[:12]
        assert raw not in token.token_hash
        assert services.token_authenticate(raw) == user
        token.refresh_from_db()
        assert token.last_used_at is not None
        services.token_revoke(actor=user, token=token)
        assert services.token_authenticate(raw) is None

    def test_expired_and_bad_tokens(self, user):
        token, raw = services.token_create(actor=user, name="old")
        AccessToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        assert services.token_authenticate(raw) is None
        assert services.token_authenticate("pra_nonsense") is None
        assert services.token_authenticate("Bearer x") is None

    def test_refusals(self, user):
        with pytest.raises(ValidationError) as exc:
            services.token_create(actor=user, name=" ")
        assert "name" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.token_create(
                actor=user,
                name="x",
                expires_at=timezone.now() - timedelta(days=1),
            )
        assert "expires_at" in exc.value.message_dict
        token, _ = services.token_create(actor=user, name="mine")
        with pytest.raises(PermissionDenied):
            services.token_revoke(actor=UserFactory(), token=token)

    def test_inactive_user_token_refused(self, user):
        _, raw = services.token_create(actor=user, name="x")
        user.is_active = False
        user.save()
        assert services.token_authenticate(raw) is None
