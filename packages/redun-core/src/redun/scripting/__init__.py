"""Shell scripts as tasks: ``@task(script=True)`` and ``script()`` with file staging.

Upstream's ``redun.scripting`` names: how scripts are prepared and run (``commands``)
and ``script()`` with its internal tasks (``staged``).
"""

from __future__ import annotations

from redun.scripting.commands import (
    DEFAULT_SHELL,
    ScriptCommand,
    exec_script,
    get_command_eof,
    get_task_command,
    get_wrapped_command,
    prepare_command,
)
from redun.scripting.errors import ScriptError, ScriptFileNotFoundError
from redun.scripting.staged import _script as _script
from redun.scripting.staged import postprocess_script, script, script_task

__all__ = [
    "DEFAULT_SHELL",
    "ScriptCommand",
    "ScriptError",
    "ScriptFileNotFoundError",
    "exec_script",
    "get_command_eof",
    "get_task_command",
    "get_wrapped_command",
    "postprocess_script",
    "prepare_command",
    "script",
    "script_task",
]
