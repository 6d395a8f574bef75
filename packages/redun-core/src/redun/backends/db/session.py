"""The ORM session users query provenance with (``scheduler.backend.session``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


class RedunSession(Session):
    """A SQLAlchemy session that knows the backend it reads (upstream's name).

    Model properties that must decode stored values reach the backend through it.
    """

    def __init__(self, backend: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.backend = backend


def open_session(backend: Any) -> RedunSession:
    """A session on ``backend``'s database, with the ORM classes mapped."""
    import redun.backends.db.models  # noqa: F401 - maps the classes the session queries

    backend.load()
    backend.flush()
    # Objects stay usable after the backend ends the session's transaction (see write()).
    return RedunSession(backend, bind=backend.connect(), expire_on_commit=False)
