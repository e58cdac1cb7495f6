"""factory_boy factories shared by every test package."""

from typing import Any

import factory
from django.utils import timezone

from practica.accounts.models import Department, Expertise, Skill, User
from practica.communities.models import (
    Community,
    Membership,
    Policy,
    Role,
    Status,
    Visibility,
)

PASSWORD = "correct horse battery staple"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    time_zone = "Europe/Berlin"

    @factory.post_generation
    def password(obj: User, create: bool, extracted: Any, **kw: Any) -> None:
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")


class ExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expertise

    user = factory.SubFactory(UserFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3
    years = 4


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    tagline = "Practitioners sharing what works."
    visibility = Visibility.PUBLIC
    policy = Policy.OPEN


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    role = Role.MEMBER
    status = Status.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)


def member(
    community: Community,
    role: str = Role.MEMBER,
    status: str = Status.ACTIVE,
    **kw: Any,
) -> User:
    """A new person with the given membership, counters kept right."""
    m = MembershipFactory(community=community, role=role, status=status, **kw)
    from practica.communities.services import _recount

    _recount(community)
    return m.user
