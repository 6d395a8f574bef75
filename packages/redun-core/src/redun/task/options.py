"""Cache option enums. Persisted inside pickled task options, so their pickle path
(``redun.task.CacheScope`` ...) must stay upstream's."""

from __future__ import annotations

import enum


class CacheCheckValid(enum.Enum):
    FULL = "full"
    SHALLOW = "shallow"


class CacheScope(enum.Enum):
    NONE = "NONE"
    CSE = "CSE"
    BACKEND = "BACKEND"


_SCOPE_WIDTH = {CacheScope.NONE: 0, CacheScope.CSE: 1, CacheScope.BACKEND: 2}


def narrower_scope(scope: CacheScope, limit: CacheScope) -> CacheScope:
    """``scope``, or ``limit`` when ``scope`` would reach further (NONE < CSE < BACKEND)."""
    return limit if _SCOPE_WIDTH[scope] > _SCOPE_WIDTH[limit] else scope


class CacheResult(enum.Enum):
    CSE = "CSE"
    SINGLE = "SINGLE"
    ULTIMATE = "ULTIMATE"
    MISS = "MISS"


for _cls in (CacheCheckValid, CacheScope, CacheResult):
    _cls.__module__ = "redun.task"
