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
    # Each test starts with no cached fragments or buffered counts. Only
    # the process's own memory: a Redis cache (REDIS_URL set) may be shared
    # with other test processes or a running site, and clear() empties it.
    from django.core.cache import cache

    if "locmem" in settings.CACHES["default"]["BACKEND"]:
        cache.clear()
    yield
    from practica.search import engine

    engine.forget()


@pytest.fixture(autouse=True)
def _list_stamps_at_once(request):
    """On PostgreSQL the list stamps' triggers run at commit (migrations
    conversations 0005 and 0006), and a test's transaction never
    commits: in such a test they run after each statement instead, as
    each statement of a site commits. Tests on a transactional database
    see them at commit, as the site does."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or (
        marker and marker.kwargs.get("transaction")
    ):
        return
    if not (marker or "db" in names):
        return
    request.getfixturevalue("db")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SET CONSTRAINTS conversations_list_stamp, "
                "conversations_list_stamp_author, "
                "conversations_list_stamp_tag IMMEDIATE"
            )


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections(django_db_setup, django_db_blocker):
    """On PostgreSQL, end any connection a test left open (a thread's, a
    killed child's) before the test database is dropped, which would
    otherwise fail with "being accessed by other users"."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


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
