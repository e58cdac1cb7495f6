"""The question page and the question list served from cached fragments,
and page views counted without a write: every change shows at once, no
viewer sees another's buttons, and every view is written in the end."""

import os
import select
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.communities.models import Role
from practica.conversations import services
from practica.conversations.models import Conversation
from practica.core import cache, worker
from tests.conversations.factories import answer, ask
from tests.factories import CommunityFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    django_cache.clear()
    cache.forget_counts()
    yield
    cache.forget_counts()


@pytest.fixture
def asker(community):
    return member(community, user__display_name="Asha Asker")


@pytest.fixture
def question(asker, community):
    return ask(asker, community, title="Why does the feeder double-pick?")


def main(html: str) -> str:
    """The page without the layout around it (whose CSRF token changes
    with every response)."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def page(client, c: Conversation) -> str:
    response = client.get(reverse("conversations:detail", args=[c.pk]))
    assert response.status_code == 200
    return response.content.decode()


def listing(client, community) -> str:
    response = client.get(reverse("conversations:list", args=[community.slug]))
    assert response.status_code == 200
    return response.content.decode()


def writes(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]


# --- the question page -------------------------------------------------


def test_anonymous_question_page_is_one_query_when_cached(
    client, question, community, django_assert_max_num_queries
):
    answer(member(community), question)
    first = page(client, question)
    with django_assert_max_num_queries(1):
        again = page(client, question)
    # The same page, but for the view count that the second view added.
    assert main(again).replace("1 view", "0 views") == main(first)


def test_answer_edit_vote_and_accept_show_at_once(
    client, question, community, asker
):
    helper = member(community, user__display_name="Hana Helper")
    assert "No answers yet" in page(client, question)  # cached now
    reply = answer(helper, question, body="Shim the **feeder** rail.")
    html = page(client, question)
    assert "<strong>feeder</strong>" in html and "1 answer" in html
    services.reply_edit(
        actor=helper, reply=reply, body="Shim the rail by 0.1 mm."
    )
    assert "0.1 mm" in page(client, question)
    services.vote(user=asker, reply=reply, value=1)
    html = page(client, question)
    assert f'id="vote-a-{reply.pk}"' in html
    assert '<span class="sr-only">Score </span>1</span>' in html
    services.reply_accept(actor=asker, reply=reply, accepted=True)
    assert "✓ Accepted solution" in page(client, question)
    services.conversation_edit(
        actor=asker,
        conversation=Conversation.objects.get(pk=question.pk),
        title="Why does the feeder pick two sheets?",
        body=question.body,
        tags=[],
        message="clearer",
    )
    assert "Why does the feeder pick two sheets?" in page(client, question)


def test_cached_page_carries_no_one_elses_buttons_or_token(
    client, question, community, asker
):
    reply = answer(member(community), question)
    reader = page(client, question)  # cached for readers
    assert "csrfmiddlewaretoken" not in main(reader)
    assert "Sign in to answer" in reader and "vote-up" not in reader
    # A member gets the vote buttons and the answer form...
    voter = member(community)
    client.force_login(voter)
    html = page(client, question)
    assert f'action="/a/{reply.pk}/vote/"' in html
    assert "Post your answer" in html
    services.vote(user=voter, reply=reply, value=1)
    assert 'aria-pressed="true"' in page(client, question)
    # ...the asker the edit link; a signed-in reader (a member of another
    # community) neither, and no sign-in prompt either.
    client.force_login(asker)
    assert f'href="/q/{question.pk}/edit/"' in page(client, question)
    client.force_login(member(CommunityFactory()))
    html = page(client, question)
    assert "vote-up" not in html and "Sign in to answer" not in html
    assert f"Only members of {community.name} can answer" in html
    client.logout()
    html = page(client, question)
    assert "vote-up" not in html and "Post your answer" not in html


def test_relative_times_decide_how_long_a_fragment_lives():
    now = timezone.now()
    assert cache.fresh_for(now - timedelta(seconds=10), now=now) == 1
    assert cache.fresh_for(now - timedelta(seconds=130), now=now) == 50
    # "3 hours ago" turns into "4 hours ago" in 20 minutes: capped.
    assert cache.fresh_for(now - timedelta(hours=3, minutes=40), now=now) == (
        cache.MAX_AGE
    )
    assert cache.fresh_for(now - timedelta(hours=3, minutes=58), now=now) == (
        120
    )
    assert cache.fresh_for(None, now - timedelta(days=90), now=now) == (
        cache.MAX_AGE
    )
    # The youngest time decides.
    assert (
        cache.fresh_for(
            now - timedelta(days=90), now - timedelta(seconds=70), now=now
        )
        == 50
    )


def test_keys_change_with_time_zone_and_templates():
    from django.utils.timezone import override

    a = cache.key("x", 1, templates=["conversations/_row.html"])
    with override("Europe/Paris"):
        assert cache.key("x", 1, templates=["conversations/_row.html"]) != a
    assert cache.key("x", 1, templates=["conversations/list.html"]) != a
    assert cache.key("x", 2, templates=["conversations/_row.html"]) != a


# --- the question list ---------------------------------------------------


def test_list_rows_follow_votes_answers_names_and_titles(
    client, question, community, asker
):
    html = listing(client, community)
    assert "Why does the feeder double-pick?" in html
    assert "<strong>0</strong> answers" in html
    answer(member(community), question)
    services.vote(user=member(community), conversation=question, value=1)
    html = listing(client, community)
    assert "<strong>1</strong> answer" in html
    assert "<strong>1</strong> vote" in html
    User.objects.filter(pk=asker.pk).update(display_name="Asha Renamed")
    assert "Asha Renamed" in listing(client, community)


def test_list_second_view_renders_no_row(
    client, question, community, asker, django_assert_max_num_queries
):
    for n in range(3):
        ask(asker, community, title=f"Another question about presses {n}")
    first = listing(client, community)
    # the community with its tags' stamp, the page of stamps: the page
    # from the cache
    with django_assert_max_num_queries(2):
        again = listing(client, community)
    assert main(again) == main(first)


def test_filters_still_filter_with_cached_form(client, community, asker):
    ask(asker, community, title="Grease for the feeder?", tags=["feeder"])
    ask(asker, community, title="Belt slipping again", tags=["belt"])
    url = reverse("conversations:list", args=[community.slug])
    html = client.get(url, {"tag": "belt"}).content.decode()
    assert "Belt slipping again" in html and "Grease for" not in html
    assert '<option value="belt" selected>' in html
    html = client.get(url).content.decode()
    assert "Grease for the feeder?" in html
    assert '<option value="belt" selected>' not in html
    # A tag added since shows in the filter at once.
    coordinator = member(community, Role.COORDINATOR)
    services.tag_create(actor=coordinator, community=community, name="Dies")
    assert (
        '<option value="dies">Dies</option>'
        in client.get(url).content.decode()
    )


# --- views, counted without a write --------------------------------------


def test_a_view_writes_nothing_and_shows_counted(client, question, community):
    url = reverse("conversations:detail", args=[question.pk])
    assert writes(client, url) == []
    assert writes(client, url) == []
    # Views before this one: counted, not written.
    assert "2 views" in page(client, question)
    client.force_login(member(community))
    assert writes(client, url) == []
    assert Conversation.objects.get(pk=question.pk).view_count == 0
    assert cache.flush_counts() == 1
    assert Conversation.objects.get(pk=question.pk).view_count == 4
    assert cache.flush_counts() == 0  # nothing twice
    assert "4 views" in page(client, question)


def test_counts_flush_by_the_worker_task_too(client, question, settings):
    page(client, question)
    page(client, question)
    from practica.core.tasks import flush_counts

    flush_counts.call()
    question.refresh_from_db()
    assert question.view_count == 2


def test_a_count_never_lands_on_a_row_that_reused_the_id(client, question):
    page(client, question)
    # The row under this id now is another one (a restored database, a
    # test that reuses ids): same id, another creation time.
    Conversation.objects.filter(pk=question.pk).update(
        created_at=question.created_at - timedelta(days=1)
    )
    assert cache.flush_counts() == 0
    assert Conversation.objects.get(pk=question.pk).view_count == 0


@pytest.mark.django_db(transaction=True)
def test_a_process_writes_its_own_counts_when_due(
    client, community, asker, monkeypatch
):
    q = ask(asker, community, title="Counted by the web process itself?")
    page(client, q)
    assert Conversation.objects.get(pk=q.pk).view_count == 0
    monkeypatch.setattr(cache, "FLUSH_SECONDS", 0)
    page(client, q)  # due: written in this request, outside a transaction
    assert Conversation.objects.get(pk=q.pk).view_count == 2


def test_never_inside_a_transaction(client, question, monkeypatch):
    # Tests (and any caller) run in a transaction: a due flush waits.
    monkeypatch.setattr(cache, "FLUSH_SECONDS", 0)
    url = reverse("conversations:detail", args=[question.pk])
    assert writes(client, url) == []
    assert Conversation.objects.get(pk=question.pk).view_count == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_flush_periodically(client, community, asker):
    from django.utils.module_loading import autodiscover_modules

    from practica.core.tasks import flush_counts

    autodiscover_modules("tasks")
    job = worker.PERIODIC[flush_counts.module_path]
    assert job.interval == timedelta(seconds=30)
    q = ask(asker, community, title="Counted by the worker?")
    page(client, q)
    job.task.enqueue()
    assert worker.drain() == 1
    q.refresh_from_db()
    assert q.view_count == 1


# --- with Redis ----------------------------------------------------------


@pytest.fixture
def redis_cache(settings, tmp_path):
    """A real redis-server on a private socket, as the cache."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    sock = tmp_path / "redis.sock"
    proc = subprocess.Popen(  # noqa: S603 (our own fixed arguments)
        [server, "--port", "0", "--unixsocket", str(sock), "--save", ""],
        stdout=subprocess.PIPE,
    )
    try:
        # It says when it is ready: read its log (unbuffered) until then,
        # at most 10 s.
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        ready = select.poll()
        ready.register(fd, select.POLLIN)
        said = b""
        while b"ready to accept connections" not in said.lower():
            if not ready.poll(10_000):
                pytest.fail(f"redis-server did not start: {said[-500:]!r}")
            chunk = os.read(fd, 4096)
            if not chunk:
                pytest.fail(f"redis-server stopped: {said[-500:]!r}")
            said += chunk
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"unix://{sock}",
                "KEY_PREFIX": "practica-test",
            }
        }
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_with_redis_counts_wait_in_redis_for_the_flush(
    client, question, redis_cache
):
    page(client, question)
    html = page(client, question)
    assert "1 view" in html  # counted, not written
    assert Conversation.objects.get(pk=question.pk).view_count == 0
    assert cache.flush_counts() == 1
    assert Conversation.objects.get(pk=question.pk).view_count == 2
    assert cache.flush_counts() == 0
    # The page still comes from the (Redis) cache and stays right.
    answer(
        member(question.community),
        question,
        body="Redis answer here, with enough words.",
    )
    assert "Redis answer here, with enough words." in page(client, question)
