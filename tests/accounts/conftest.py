import pytest

from tests.accounts.matrix import matrix_world


@pytest.fixture(autouse=True)
def _fresh_login_counters():
    # Failed log-ins of unknown names are counted in the cache, which outlives a test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(cast, demo_version):
    return matrix_world(cast, demo_version)
