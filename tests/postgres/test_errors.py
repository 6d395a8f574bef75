"""Bad input: one-line errors that name the masked URI and what to do; nothing written."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import pytest
from postgres.pg_server import SERVER_URI, run_sql
from redun.errors import BackendError, ConfigError
from redun_postgres import RedunBackendPostgres

SECRET = "s3cr3t-Pa55"


def load_error(uri: str, **config: str) -> BackendError:
    backend = RedunBackendPostgres(uri, config=config)
    with pytest.raises(BackendError) as info:
        backend.load()
    backend.close()
    message = str(info.value)
    assert "\n" not in message
    return info.value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_server_is_named_with_what_to_do():
    message = str(load_error(f"postgresql://127.0.0.1:{free_port()}/redun"))
    assert message.startswith("cannot reach PostgreSQL at postgresql://127.0.0.1:")
    assert "start the server" in message


def test_a_missing_database_says_how_to_create_it(pg_server):
    message = str(load_error(f"{SERVER_URI}/no_such_redun_db"))
    assert "database 'no_such_redun_db' does not exist" in message
    assert "createdb no_such_redun_db" in message


def test_an_unknown_user_points_at_the_username_variable(pg_server):
    message = str(load_error("postgresql://nobody_here@127.0.0.1:5432/postgres"))
    assert "no user 'nobody_here'" in message and "REDUN_DB_USERNAME" in message


def test_a_non_redun_database_is_refused_and_left_untouched(fresh_pg_uri):
    run_sql(fresh_pg_uri, "CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (1)")
    message = str(load_error(fresh_pg_uri))
    assert "has tables but is not a redun database" in message
    tables = run_sql(fresh_pg_uri, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    assert tables == [("invoices",)]


def test_a_password_in_the_uri_is_refused_without_echoing_it():
    with pytest.raises(ConfigError) as info:
        RedunBackendPostgres(f"postgresql://bob:{SECRET}@127.0.0.1/redun")
    assert SECRET not in str(info.value)
    assert "REDUN_DB_PASSWORD" in str(info.value) and "bob:***@" in str(info.value)


def test_credentials_come_from_the_environment_and_are_masked(monkeypatch):
    monkeypatch.setenv("TEAM_DB_USER", "alice")
    monkeypatch.setenv("TEAM_DB_PASS", SECRET)
    backend = RedunBackendPostgres(
        "postgresql://db.example.com/redun",
        config={"db_username_env": "TEAM_DB_USER", "db_password_env": "TEAM_DB_PASS"},
    )
    assert backend.db_uri == "postgresql://alice:***@db.example.com/redun"
    assert SECRET not in repr(backend.dialect._url) and SECRET not in repr(backend.__dict__)


@pytest.fixture
def password_rejecting_server() -> Iterator[tuple[int, list[bytes]]]:
    """A minimal server speaking PostgreSQL's protocol that refuses every password.

    The local server trusts every login, so a wrong password is only observable
    against a server that asks for one.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    received: list[bytes] = []

    def error_packet(fields: dict[bytes, str]) -> bytes:
        body = b"".join(k + v.encode() + b"\0" for k, v in fields.items()) + b"\0"
        return b"E" + struct.pack("!I", len(body) + 4) + body

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                while True:
                    length, code = struct.unpack("!II", conn.recv(8))
                    if code in (80877103, 80877104):  # SSL / GSS encryption request
                        conn.sendall(b"N")
                        continue
                    conn.recv(length - 8)  # startup parameters
                    break
                conn.sendall(b"R" + struct.pack("!II", 8, 3))  # cleartext password, please
                header = conn.recv(5)
                received.append(conn.recv(struct.unpack("!I", header[1:])[0] - 4))
                conn.sendall(
                    error_packet(
                        {
                            b"S": "FATAL",
                            b"V": "FATAL",
                            b"C": "28P01",
                            b"M": 'password authentication failed for user "alice"',
                        }
                    )
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], received
    listener.close()


def test_a_wrong_password_is_reported_without_the_password(
    monkeypatch, caplog, password_rejecting_server
):
    port, received = password_rejecting_server
    monkeypatch.setenv("REDUN_DB_USERNAME", "alice")
    monkeypatch.setenv("REDUN_DB_PASSWORD", SECRET)
    error = load_error(f"postgresql://127.0.0.1:{port}/redun?sslmode=disable")
    message = str(error)
    assert SECRET.encode() in received[0]  # the password was sent to the server...
    assert SECRET not in message and SECRET not in caplog.text  # ...and in no message
    assert "rejected the password of user 'alice'" in message
    assert "alice:***@127.0.0.1" in message
