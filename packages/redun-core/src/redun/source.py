"""The source text a task is hashed by.

Upstream hashes ``inspect.getsource`` with the lines before the first ``def`` dropped
(decorators). The pattern deliberately misses ``async def`` as upstream's does, so
async tasks keep hashing their decorator lines: changing that would change their hash.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

_DEF_LINE = re.compile(r"^ *def ")


def get_func_source(func: Callable[..., Any]) -> str:
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        # Functions without retrievable source (REPL, exec) hash their code object.
        code = getattr(func, "__code__", None)
        return repr(code.co_code) if code is not None else repr(func)
    lines = source.split("\n")
    for i, line in enumerate(lines):
        if _DEF_LINE.match(line):
            return "\n".join(lines[i:])
    return source
