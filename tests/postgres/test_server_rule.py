"""The rule every Postgres test follows when the server is down: fail in CI, skip outside."""

from __future__ import annotations

import pytest
from postgres import pg_server


@pytest.fixture
def server_down(monkeypatch):
    monkeypatch.setattr(pg_server, "server_error", lambda: "connection refused")


def test_outside_ci_the_tests_skip_with_the_reason(server_down, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="unreachable: connection refused"):
        pg_server.require_server()


def test_in_ci_the_tests_fail(server_down, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI requires the PostgreSQL server"):
        pg_server.require_server()
