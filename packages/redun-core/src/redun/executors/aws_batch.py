"""Upstream's ``redun.executors.aws_batch``, now provided by the redun-aws plugin.

Importing this module always succeeds; reading a name from it (``AWSBatchExecutor``,
or any helper upstream defined here) imports it from redun-aws, or raises an
``ImportError`` saying to ``pip install redun-aws``.
"""

from __future__ import annotations

from typing import Any

from redun.plugins.compat import resolve_moved

DISTRIBUTION = "redun-aws"
MODULES = ("redun_aws.batch.executor", "redun_aws.batch")


def __getattr__(name: str) -> Any:
    return resolve_moved(__name__, name, MODULES, DISTRIBUTION)
