import pytest

from practica.communities.models import Role
from tests.factories import CommunityFactory, UserFactory, member


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing costs ~0.3 s per user; tests need correctness, not cost.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def community(db):
    return CommunityFactory()


@pytest.fixture
def coordinator(community):
    return member(community, Role.COORDINATOR)
