"""The database as it is when its server has gone away."""

from contextlib import contextmanager
from unittest import mock

from django.db import OperationalError, connections


@contextmanager
def database_down():
    """Make every use of the database fail as it does when the server has gone away."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')

    with mock.patch.object(connections["default"], "ensure_connection", refuse):
        yield
