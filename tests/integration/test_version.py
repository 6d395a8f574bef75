"""redun.__version__ is the installed distribution's version (redun-core, not 'redun')."""

from __future__ import annotations

from importlib.metadata import version

import redun


def test_version_matches_the_redun_core_distribution():
    assert redun.__version__ == version("redun-core")
    assert redun.version == redun.__version__
