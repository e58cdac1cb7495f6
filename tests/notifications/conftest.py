import pytest
from django.test import Client

from tests.api.conftest import Api


@pytest.fixture(autouse=True)
def _settle(settings):
    # The fan-out leaves rows younger than a second for the next run (on
    # PostgreSQL ids are handed out before commit); tests read at once.
    settings.NOTIFICATIONS_SETTLE_SECONDS = 0


@pytest.fixture
def api(client: Client, db: None) -> Api:
    return Api(client)
