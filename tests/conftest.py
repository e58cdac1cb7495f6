import pytest

from practica.communities.models import Role
from tests.factories import CommunityFactory, UserFactory, member


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each test gets its own search index; tests of other apps use the
    # database matcher for "similar questions" (tests/search use tantivy).
    settings.SEARCH_INDEX_DIR = str(tmp_path / "search")
    settings.SEARCH_BACKEND = "database"
    # Real hashing costs ~0.3 s per user; tests need correctness, not cost.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]
    yield
    from practica.search import engine

    engine.forget()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def community(db):
    return CommunityFactory()


@pytest.fixture
def coordinator(community):
    return member(community, Role.COORDINATOR)


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on a local port; MAILERS points at it.

    ``smtp_sink.messages`` holds each received message, parsed
    (``email.message.EmailMessage``), with ``.envelope_to`` set.
    """
    from tests.smtp import Sink

    with Sink() as sink:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": sink.host, "port": sink.port},
            }
        }
        yield sink
