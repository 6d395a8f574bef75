"""pytest plugin: make upstream's unpacked test suite importable as ``redun.tests``."""

import os

import redun

redun.__path__.append(os.path.join(os.environ["UPSTREAM_TESTS_ROOT"], "redun"))
