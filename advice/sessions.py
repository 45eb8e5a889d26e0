"""Database sessions that read and rewrite their row with one plain statement each.

Every step of the questionnaire loads the session and every answer saves it. Django's
database backend does both through the ORM, whose query building cost more than the
queries themselves (about a fifth of a question page). This backend keeps the same table,
the same encoding and the same behaviour, and sends the two hot statements directly.
Creating, deleting and cycling sessions still go through Django's own code.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, UpdateError
from django.core import signing
from django.db import connections, router
from django.utils import timezone
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def encode(self, session_dict):
        # Signed like Django's, but not compressed: a questionnaire's session is small, and
        # compressing it was a measurable part of every answer saved. Django's decode reads
        # both forms, so sessions saved either way stay readable.
        return signing.dumps(session_dict, salt=self.key_salt, serializer=self.serializer)

    def _sql(self, using: str, statement: str) -> str:
        table = connections[using].ops.quote_name(self.model._meta.db_table)
        return statement.format(table=table)

    def _get_new_session_key(self):
        # Django first asks whether a fresh random key is taken. Here the INSERT answers that:
        # a taken key fails it, create() is told (CreateError) and tries another, so the extra
        # SELECT each new visitor cost is left out.
        return get_random_string(32, VALID_KEY_CHARS)

    def load(self):
        using = router.db_for_read(self.model)
        connection = connections[using]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                self._sql(
                    using,
                    "SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                ),
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's backend does: an unknown or expired key gets a new one when saved.
            self._session_key = None
            return {}
        return self.decode(row[0])

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        using = router.db_for_write(self.model)
        connection = connections[using]
        # One statement, so it needs no transaction of its own (Django's save opens one).
        with connection.cursor() as cursor:
            cursor.execute(
                self._sql(
                    using,
                    "UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s",
                ),
                [
                    self.encode(self._get_session()),
                    connection.ops.adapt_datetimefield_value(self.get_expiry_date()),
                    self.session_key,
                ],
            )
            if cursor.rowcount != 1:
                # The row was deleted meanwhile (logged out, purged): Django's backend
                # raises the same, and the middleware answers 400.
                raise UpdateError
