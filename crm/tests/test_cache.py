"""The default cache: a database table shared by worker processes, with an atomic incr."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection, transaction

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.usefixtures("database_cache")


def cache_backend(**env: str) -> str:
    """The cache backend a fresh process configures from these environment variables."""
    base = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    code = "import crm.settings as s; print(s.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base | env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_default_cache_is_the_database_so_workers_share_counters():
    assert cache_backend() == "crm.cache.DatabaseCache"


def test_a_redis_url_selects_django_redis_cache_and_the_client_is_installed():
    import redis  # noqa: F401  (installed from requirements.txt)

    assert cache_backend(CACHE_URL="redis://127.0.0.1:6379/0") == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db
def test_incr_keeps_the_expiry_of_the_window():
    cache.add("window", 0, timeout=3600)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM crm_cache")
        (expires,) = cursor.fetchone()
    assert (cache.incr("window"), cache.incr("window", 2)) == (1, 3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM crm_cache")
        assert cursor.fetchone() == (expires,)


@pytest.mark.django_db
def test_incr_of_a_missing_key_raises_value_error():
    with pytest.raises(ValueError):
        cache.incr("nothing-here")


@pytest.mark.django_db
def test_incr_in_a_running_transaction_is_one_read_and_one_write(django_assert_num_queries):
    cache.add("window", 0, timeout=3600)
    with transaction.atomic(), django_assert_num_queries(2):  # no savepoint around them
        assert cache.incr("window") == 1


@pytest.mark.django_db
def test_a_missing_key_in_a_running_transaction_leaves_it_usable():
    with transaction.atomic():
        with pytest.raises(ValueError):
            cache.incr("nothing-here")
        assert cache.add("nothing-here", 1, timeout=60)
    assert cache.get("nothing-here") == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_not_lost():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share SQLite's in-memory test database")
    cache.add("hits", 0, timeout=3600)

    def hit() -> None:
        try:
            for _ in range(10):
                cache.incr("hits")
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("hits") == 40
    cache.delete("hits")
