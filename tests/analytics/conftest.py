import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached figures must not leak from one test's data to the next."""
    cache.clear()
    yield
    cache.clear()
