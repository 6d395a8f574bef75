"""Fixtures of the Postgres tests: a real server, fail in CI, skip outside (pg_server.py)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pg_server import (  # noqa: E402, F401 - fixtures are found by name
    fresh_pg_uri,
    pg_backend,
    pg_backend_factory,
    pg_server,
    pg_session_uri,
    pg_uri,
)
