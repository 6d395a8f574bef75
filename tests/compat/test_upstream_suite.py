"""The compat harness's rewrite of upstream's test modules (compat/upstream_suite.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

COMPAT = Path(__file__).resolve().parents[2] / "compat"

MODULE = '''
from missing_package import nothing
import functools


def plain():
    return """two
lines"""


@functools.lru_cache(maxsize=None)
def cached(x):
    return x


@nothing.decorate
def broken(x):
    return x
'''


def _suite():
    spec = importlib.util.spec_from_file_location(
        "compat_upstream_suite", COMPAT / "upstream_suite.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_functions_keep_their_text_and_a_bad_decorator_fails_only_its_function(tmp_path):
    """Tasks hash their source text, so upstream tests asserting hashes need it verbatim."""
    (tmp_path / "test_mod.py").write_text(MODULE)
    _suite().make_imports_tolerant(tmp_path)
    text = (tmp_path / "test_mod.py").read_text()
    assert 'def plain():\n    return """two\nlines"""' in text
    assert "@_compat_guard(lambda: functools.lru_cache(maxsize=None))\ndef cached(x):" in text

    sys.path.insert(0, str(tmp_path))
    try:
        module = importlib.import_module("test_mod")
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("test_mod", None)
    assert module.plain() == "two\nlines"
    assert module.cached(3) == 3
    # The missing decorator fails its own function when called, keeping its signature.
    assert module.broken.__name__ == "broken"
    try:
        module.broken(1)
    except ImportError as error:
        assert "missing_package.nothing" in str(error)
    else:
        raise AssertionError("broken() should fail")
