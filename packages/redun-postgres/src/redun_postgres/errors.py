"""What went wrong talking to PostgreSQL, in one line, and whether trying again may help.

psycopg reports connection problems as multi-line libpq text; users need to know which
server (masked URI), what failed (unreachable, login, missing database) and what to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from redun.errors import BackendError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

# SQLSTATEs worth retrying: serialization failure, deadlock, shutdown/crash recovery,
# too many connections (class 08, connection exceptions, is matched by prefix).
TRANSIENT_SQLSTATES = {"40001", "40P01", "57P01", "57P02", "57P03", "53300"}
_CONNECTION_TEXT = (
    "connection refused",
    "could not connect",
    "could not translate host name",
    "timeout expired",
    "no route to host",
    "server closed the connection",
    "connection failed",
    "terminating connection",
    "consuming input failed",
)


class PostgresBackendError(BackendError):
    """The PostgreSQL server is unreachable, refused the login, or rejected a query."""


def _orig(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def _text(exc: BaseException) -> str:
    return " ".join(str(_orig(exc)).split())


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE the server (or libpq) attached to ``exc``, if any."""
    return getattr(_orig(exc), "sqlstate", None)


def is_transient(exc: BaseException) -> bool:
    """True when the same statement may succeed later: lost connection, deadlock, ..."""
    state = sqlstate(exc)
    if state is not None:
        return state in TRANSIENT_SQLSTATES or state.startswith("08")
    if getattr(exc, "connection_invalidated", False):
        return True
    text = _text(exc).lower()
    return any(marker in text for marker in _CONNECTION_TEXT)


def describe(exc: BaseException, url: URL, where: str, password: str | None) -> BackendError:
    """A one-line ``PostgresBackendError`` for a driver error, naming the masked URI."""
    text = _text(exc)
    lower = text.lower()
    state = sqlstate(exc)
    user = url.username or "(default user)"
    if state == "28P01" or "password authentication failed" in lower:
        message = (
            f"PostgreSQL at {where} rejected the password of user '{user}'; "
            "check REDUN_DB_PASSWORD (or the variable named by db_password_env)"
        )
    elif (state == "28000" or "role" in lower) and "does not exist" in lower:
        message = (
            f"PostgreSQL at {where} has no user '{user}'; set REDUN_DB_USERNAME "
            "(or db_username_env) to an existing role"
        )
    elif state == "3D000" or ("database" in lower and "does not exist" in lower):
        message = (
            f"database '{url.database}' does not exist on the PostgreSQL server at {where}; "
            f"create it (createdb {url.database}) or fix [backend] db_uri"
        )
    elif state is None and any(marker in lower for marker in _CONNECTION_TEXT):
        reason = _connection_reason(text)
        message = (
            f"cannot reach PostgreSQL at {where} ({reason}); start the server or fix the "
            "host and port in [backend] db_uri"
        )
    else:
        message = f"PostgreSQL at {where}: {text}"
    if password:
        message = message.replace(password, "***")
    return PostgresBackendError(message)


def _connection_reason(text: str) -> str:
    # libpq: 'connection failed: connection to server at "h", port 1 failed: <reason> ...'
    reason = text.rsplit("failed:", 1)[-1].strip()
    for marker in (" Is the server running", "\n"):
        reason = reason.split(marker, 1)[0]
    return reason.strip().rstrip(".") or "connection failed"
