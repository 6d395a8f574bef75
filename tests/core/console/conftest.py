"""A repository written by running a real workflow: a hello world and a failing run."""

from __future__ import annotations

import pytest
from redun import Scheduler, task
from redun.backends.db import RedunBackendDb


@task(namespace="console_demo")
def greet(name: str) -> str:
    return f"Hello, {name}!"


@task(namespace="console_demo")
def shout(text: str) -> str:
    return text.upper()


@task(namespace="console_demo")
def boom(x: int) -> int:
    raise ValueError(f"bad input {x}")


@task(namespace="console_demo")
def hello(name: str = "world") -> str:
    return shout(greet(name))


@task(namespace="console_demo")
def failing(x: int = 7) -> list:
    return [greet("a"), boom(x)]


@pytest.fixture(scope="session")
def repo_uri(tmp_path_factory) -> str:
    """SQLite URI of a repo holding two executions: ``hello`` (older) then ``failing``."""
    path = tmp_path_factory.mktemp("console") / "redun.db"
    uri = f"sqlite:///{path}"
    scheduler = Scheduler(config={"backend": {"db_uri": uri}})
    assert scheduler.run(hello()) == "HELLO, WORLD!"
    with pytest.raises(ValueError, match="bad input 7"):
        scheduler.run(failing())
    scheduler.backend.close()
    return uri


@pytest.fixture
def reader(repo_uri):
    from redun.console.reader import ConsoleReader

    backend = RedunBackendDb(repo_uri)
    backend.load()
    yield ConsoleReader(backend)
    backend.close()
