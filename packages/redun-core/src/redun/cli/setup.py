"""``[scheduler] setup_scheduler`` and ``redun --setup k=v``: a user function builds the scheduler.

A project names ``setup_scheduler = file_or_module::function`` in redun.ini; the CLI
imports it and calls ``function(config, **setup_kwargs)``, where the keyword arguments
come from ``--setup name=value`` options typed by the function's signature (as task
arguments are). Without the key, the scheduler is built from redun.ini as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from redun.errors import ConfigError, RedunError, UsageError

if TYPE_CHECKING:
    from redun.config import Config
    from redun.scheduler import Scheduler


def load_setup_function(config: Config) -> Callable[..., Scheduler] | None:
    """The function ``[scheduler] setup_scheduler`` names, imported; ``None`` if unset."""
    from redun.cli.script_import import import_script

    spec = (config.get("scheduler", {}) or {}).get("setup_scheduler")
    if not spec:
        return None
    where, sep, name = str(spec).rpartition("::")
    if not sep or not where or not name:
        raise ConfigError(
            f"[scheduler] setup_scheduler = {spec!r}: expected 'file_or_module::function'"
        )
    module = import_script(where)
    func = getattr(module, name, None)
    if not callable(func):
        raise ConfigError(f"[scheduler] setup_scheduler: no function '{name}' in {where}")
    return func


def parse_setup_args(func: Callable[..., Any], setup_args: Sequence[str]) -> dict[str, Any]:
    """``["profile=a", "n=2"]`` to keyword arguments typed by ``func``'s parameters."""
    from redun.cli.args import get_task_arguments

    name = getattr(func, "__name__", "setup_scheduler")
    arguments = {
        arg.name: arg for arg in get_task_arguments(SimpleNamespace(fullname=name, func=func))[1:]
    }
    kwargs: dict[str, Any] = {}
    for item in setup_args:
        key, sep, raw = item.partition("=")
        if not sep:
            raise UsageError(f"--setup {item!r}: expected name=value")
        argument = arguments.get(key.replace("-", "_"))
        if argument is None:
            known = ", ".join(sorted(arguments)) or "none"
            raise UsageError(f"--setup {key}: {name}() takes no such argument (known: {known})")
        kwargs[argument.name] = argument.parse(raw)
    return kwargs


def build_scheduler(config: Config, setup_args: Sequence[str] = ()) -> Scheduler:
    """The scheduler a command runs with: the user's setup function's, or redun.ini's."""
    from redun.scheduler.config import setup_scheduler

    func = load_setup_function(config)
    if func is None:
        if setup_args:
            raise UsageError(
                "--setup needs a setup function: set [scheduler] setup_scheduler = "
                "file_or_module::function in redun.ini"
            )
        return setup_scheduler(config)
    kwargs = parse_setup_args(func, setup_args)
    try:
        return func(config, **kwargs)
    except Exception as exc:
        detail = " ".join(str(exc).split())
        # The user's own code failed, not their command line: exit 1, as upstream does.
        raise RedunError(
            f"[scheduler] setup_scheduler {getattr(func, '__name__', '?')}() failed: "
            f"{type(exc).__name__}: {detail}"
        ) from exc
