import pytest


@pytest.fixture(autouse=True)
def _tantivy(settings):
    settings.SEARCH_BACKEND = "tantivy"
