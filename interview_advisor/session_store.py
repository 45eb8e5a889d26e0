"""Django's database sessions, for a cookie that holds a session key Django could have made.

A session key that is not made of ``VALID_KEY_CHARS`` was never issued by Django, so it is
treated as no session at all: the visitor gets a new one when something is saved. Without
this, a cookie such as ``sessionid="abcdefgh\\000ijkl"`` reached the database as a query
parameter, and PostgreSQL (unlike SQLite) refuses a NUL byte, so the page was a 500.

The check sits in the constructor, the backend's documented entry point
(``SessionStore(session_key=None)``) through which the session middleware passes the cookie,
so every later load, save or delete sees either a well-formed key or none. Everything else
is Django's ``backends.db`` unchanged.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

KEY_CHARACTERS = frozenset(VALID_KEY_CHARS)


class SessionStore(db.SessionStore):
    def __init__(self, session_key: str | None = None):
        if session_key is not None and not KEY_CHARACTERS.issuperset(session_key):
            session_key = None
        super().__init__(session_key)
