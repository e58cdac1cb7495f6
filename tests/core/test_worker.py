from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.models import DBTaskResult

from practica.core import worker
from tests.core import tasks_for_tests

pytestmark = pytest.mark.django_db(transaction=True)


def test_queued_task_runs_in_the_worker_and_mail_reaches_smtp(smtp_sink):
    tasks_for_tests.greet.enqueue("ada@example.org")
    assert smtp_sink.messages == []  # queued, not run at enqueue time

    assert worker.drain() == 1

    [message] = smtp_sink.wait(1)
    assert message["Subject"] == "Hello from the worker"
    assert message.envelope_to == ["ada@example.org"]
    assert message["List-Unsubscribe"] == "<https://example.org/u/1>"
    assert message.get_body(("plain",)).get_content().strip() == (
        "Plain text body."
    )
    assert "<p>HTML body.</p>" in message.get_body(("html",)).get_content()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert worker.drain() == 0  # nothing runs twice


def test_periodic_jobs_are_enqueued_when_due(monkeypatch):
    autodiscover_modules("tasks")  # the apps' own jobs, registered first
    monkeypatch.setattr(worker, "PERIODIC", {})
    worker.every(timedelta(minutes=5))(tasks_for_tests.tick)
    now = timezone.now()
    assert worker.schedule(now) == [tasks_for_tests.tick.module_path]
    assert worker.schedule(now + timedelta(minutes=1)) == []  # not due
    assert len(worker.schedule(now + timedelta(minutes=6))) == 1
    assert DBTaskResult.objects.count() == 2
    tasks_for_tests.CALLS.clear()
    assert worker.drain() == 2
    assert tasks_for_tests.CALLS == ["tick", "tick"]


def test_worker_command_once_runs_the_queue(smtp_sink, capsys):
    tasks_for_tests.greet.enqueue("bo@example.org")
    call_command("worker", "--once", "--no-periodic")
    assert "Ran 1 task(s)." in capsys.readouterr().out
    assert smtp_sink.wait(1)[0].envelope_to == ["bo@example.org"]
