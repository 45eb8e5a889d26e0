"""PostgreSQL: the pass really runs on it, connections persist, and losing it is survived.

These tests skip on SQLite; `make test-postgres` runs them, and scripts/check_postgres_pass.py
fails the build if they skipped there.
"""

import socket
import threading
from contextlib import contextmanager, suppress

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers.server import PRODUCTION, Browser, fetch, gunicorn

pytestmark = [
    pytest.mark.db_engine,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL only: make test-postgres runs it",
    ),
]


@pytest.mark.django_db
def test_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.Database.__name__ == "psycopg"  # psycopg 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 140000


@pytest.mark.django_db
def test_connections_persist_with_health_checks():
    assert connection.settings_dict["CONN_MAX_AGE"] == 60
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["OPTIONS"]["connect_timeout"] == 5


class FlakyLink:
    """A TCP relay to PostgreSQL that can be cut, as when the server or the network fails.

    While cut, it drops every open connection and hangs up on new ones at once.
    """

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.sockets |= {client, server}
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # the other side was closed by cut()
        finally:
            for sock in (source, sink):
                self._close(sock)

    def _close(self, sock: socket.socket):
        with self.lock:
            self.sockets.discard(sock)
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cut(self):
        self.up = False
        with self.lock:
            open_sockets = list(self.sockets)
        for sock in open_sockets:
            self._close(sock)

    def restore(self):
        self.up = True

    def close(self):
        self.cut()
        self.listener.close()


@contextmanager
def flaky_link():
    link = FlakyLink(int(connection.settings_dict["PORT"] or 5432))
    try:
        yield link
    finally:
        link.close()


def database_url(port: int) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@127.0.0.1:{port}/{db['NAME']}"


HEADERS = {"Host": "advisor.example.org", "X-Forwarded-Proto": "https"}


@pytest.mark.django_db(transaction=True)
def test_gunicorn_answers_503_while_postgresql_is_gone_and_recovers_by_itself(
    collected_static, tmp_path
):
    with (
        flaky_link() as link,
        gunicorn(
            tmp_path,
            **PRODUCTION,
            DJANGO_BEHIND_TLS_PROXY="1",
            DATABASE_URL=database_url(link.port),
        ) as port,
    ):
        assert fetch(port, "GET", "/healthz").status == 200
        # A first answer gives the person a session, which every later page reads.
        browser = Browser([port])
        assert browser.get("/questions/employment/").status == 200
        assert browser.post("/questions/employment/", {"employed": "yes"}).status == 302
        cookie = f"sessionid={browser.cookies['sessionid']}"
        assert browser.get("/questions/approach/").status == 200

        link.cut()
        health = fetch(port, "GET", "/healthz")
        assert (health.status, health.headers["Retry-After"]) == (503, "30")
        page = fetch(port, "GET", "/questions/", headers={**HEADERS, "Cookie": cookie})
        assert page.status == 503
        assert page.headers["Retry-After"] == "30"
        assert "<h1>Sorry, the service is unavailable</h1>" in page.text
        assert "Traceback" not in page.text
        assert page.headers["Content-Security-Policy"]

        link.restore()
        # The very next requests succeed: no restart, no waiting for CONN_MAX_AGE.
        assert fetch(port, "GET", "/healthz").status == 200
        again = fetch(port, "GET", "/questions/", headers={**HEADERS, "Cookie": cookie})
        assert again.status == 302
