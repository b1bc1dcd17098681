"""Django's database cache with an atomic `incr`, so counters hold across worker processes.

The stock backend increments with a get and a set: two workers can read the same count and
both write count + 1, and the set also resets the entry's expiry. Here the read and the write
happen in one transaction (SQLite's immediate transactions serialize them; PostgreSQL locks the
row with SELECT ... FOR UPDATE), and the expiry of the window is kept.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, column, expires = quote(self._table), quote("cache_key"), quote("expires")
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0, tzinfo=None))
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # No savepoint inside a caller's transaction (the web form counts a post in its own):
        # nothing here fails after the read, and a missing key leaves the block before raising.
        value = None
        with transaction.atomic(using=db, savepoint=False), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')} FROM {table} WHERE {column} = %s AND {expires} > %s{lock}", [key, now]
            )
            row = cursor.fetchone()
            if row is not None:
                value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
                stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
                cursor.execute(f"UPDATE {table} SET {quote('value')} = %s WHERE {column} = %s", [stored, key])
        if value is None:
            raise ValueError(f"Key '{key}' not found")
        return value
