"""Upstream's ``redun.executors.aws_glue``, now provided by the redun-spark plugin.

Importing this module always succeeds; reading a name from it (``AWSGlueExecutor``, or
a helper upstream defined here) imports it from redun-spark, or raises an
``ImportError`` saying to ``pip install redun-spark``.
"""

from __future__ import annotations

from typing import Any

from redun.plugins.compat import resolve_moved

DISTRIBUTION = "redun-spark"
MODULES = ("redun_spark.glue.executor", "redun_spark.glue")


def __getattr__(name: str) -> Any:
    return resolve_moved(__name__, name, MODULES, DISTRIBUTION)
