from __future__ import annotations

import os
import shutil

import pytest
from redun.backends.db import RedunBackendDb

UPSTREAM_DB = os.path.join(os.path.dirname(__file__), "data", "upstream-0.44.1-hello.db")


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "redun.db")


@pytest.fixture
def backend(db_path):
    backend = RedunBackendDb(f"sqlite:///{db_path}")
    backend.load()
    yield backend
    backend.close()


@pytest.fixture
def upstream_db(tmp_path):
    """A copy of a database written by upstream redun 0.44.1 (three hello runs)."""
    path = tmp_path / "upstream.db"
    shutil.copy(UPSTREAM_DB, path)
    return str(path)
