"""Tasks used by tests/core/test_worker.py (importable by module path)."""

from django.tasks import task

from practica.core import mail

CALLS: list[str] = []


@task
def greet(address: str) -> str:
    mail.send(
        to=[address],
        subject="Hello from the worker",
        text="Plain text body.",
        html="<p>HTML body.</p>",
        headers={"List-Unsubscribe": "<https://example.org/u/1>"},
    )
    CALLS.append(address)
    return address


@task
def tick() -> None:
    CALLS.append("tick")
