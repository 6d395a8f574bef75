"""pytest plugin: make upstream's unpacked test suite importable as ``redun.tests``."""

import os

import pytest
import redun

redun.__path__.append(os.path.join(os.environ["UPSTREAM_TESTS_ROOT"], "redun"))


@pytest.fixture(autouse=True)
def _compat_restore_environ():
    """Put os.environ back after each test.

    A test decorated with ``patch.dict(os.environ, {NAME: ...}, clear=True)`` whose NAME
    is missing here clears the environment and then fails before the patch can undo
    itself; every later test would run without PATH (and fail to find `redun`).
    """
    saved = dict(os.environ)
    yield
    if dict(os.environ) != saved:
        os.environ.clear()
        os.environ.update(saved)
