"""The database cache with counters that hold under concurrency (``SB_CACHE_URL=db://``).

Django's ``DatabaseCache.incr`` reads the value and writes it back: two processes that
increment at once both write the same number, so a burst of parallel requests passes more
than a rate limit allows. ``AtomicDatabaseCache.incr`` reads the row with ``SELECT ... FOR
UPDATE`` (PostgreSQL: the row stays locked until the write commits) inside one transaction
(SQLite: ``BEGIN IMMEDIATE`` in our settings takes the write lock first), so every increment
sees the previous one. ``add`` stays Django's: its ``INSERT`` of a new key fails for all but
one of the processes racing to create it (primary key), and those fall through to ``incr``.

Culling removes expired rows only. Django's default also deletes a third of the *live* rows
when the table is full, which would reset rate-limit counters (and the search vocabulary's
generation token) whenever many clients are counted at once.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class AtomicDatabaseCache(DatabaseCache):
    """``DatabaseCache`` with an atomic ``incr``/``decr`` and a cull of expired rows only."""

    def incr(self, key, delta=1, version=None):
        """Add ``delta`` to the integer under ``key`` and return the new value; ValueError
        when the key is missing or expired (as every Django cache)."""
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # The table name comes from settings (quoted), every value is a parameter.
        select = f"SELECT value, expires FROM {table} WHERE cache_key = %s{lock}"  # noqa: S608
        update = f"UPDATE {table} SET value = %s WHERE cache_key = %s"  # noqa: S608
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(select, [key])
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            # Our own table, written by this cache only (as Django's DatabaseCache reads it).
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [encoded, key])
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    @staticmethod
    def _expired(connection, expires) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        for converter in converters:
            expires = converter(expires, expression, connection)
        return expires < tz_now()

    def _cull(self, db, cursor, now, num):
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608 (quoted table from settings)
            [connection.ops.adapt_datetimefield_value(now)],
        )
