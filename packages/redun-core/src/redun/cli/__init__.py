"""The ``redun`` command line, and upstream's ``redun.cli`` names for using it from Python.

``RedunClient`` runs commands in-process; ``setup_scheduler``/``setup_config`` build
what ``redun run`` would use. Everything loads on first use, so ``redun --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "RedunClient": "redun.cli.client",
    "RedunClientError": "redun.cli.client",
    "setup_config": "redun.cli.programmatic",
    "setup_scheduler": "redun.cli.programmatic",
    "parse_func_path": "redun.cli.programmatic",
    "get_user_setup_func": "redun.cli.programmatic",
    "import_script": "redun.cli.script_import",
    "get_config_dir": "redun.config",
    "find_config_dir": "redun.config",
    "REDUN_CONFIG_ENV": "redun.config",
    "REDUN_INI_FILE": "redun.config",
    "DEFAULT_REDUN_INI": "redun.config",
    "CallGraphQuery": "redun.backends.db.query",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'redun.cli' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)
