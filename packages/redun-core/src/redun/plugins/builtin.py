"""Core's own parts, registered through the same hooks as any plugin.

Dogfooding the hooks keeps one lookup path for everything and proves the hooks are
sufficient; it also makes a plugin that reuses a core key (``type = local``, the
``redun.File`` type name) a reported conflict instead of a silent override. Imports
happen inside the hook bodies, so registering this plugin costs nothing until a part of
that kind is needed (the backend hook is what imports SQLAlchemy).

Core's CLI commands are not listed here: :mod:`redun.cli.main` maps them directly, so
``redun --help`` never imports their modules.
"""

from __future__ import annotations

from typing import Any

from redun.plugins.hookspecs import hookimpl


@hookimpl
def redun_executors() -> list[type[Any]]:
    from redun.executors.alias import AliasExecutor
    from redun.executors.local import LocalExecutor

    return [LocalExecutor, AliasExecutor]


@hookimpl
def redun_backends() -> list[type[Any]]:
    from redun.backends.db import RedunBackendDb

    return [RedunBackendDb]


@hookimpl
def redun_filesystems() -> list[type[Any]]:
    from redun.file.http_fs import HTTPFileSystem
    from redun.file.local import LocalFileSystem

    return [LocalFileSystem, HTTPFileSystem]


@hookimpl
def redun_value_types() -> list[type[Any]]:
    from redun import file
    from redun.scheduler import errors
    from redun.task.task import PartialTask, Task
    from redun.value import builtin

    return [
        *(builtin.Bool, builtin.Set, builtin.EnumType, builtin.DatetimeType, builtin.Function),
        *(file.File, file.FileSet, file.Dir, file.StagingFile, file.StagingDir),
        *(file.IFile, file.IFileSet, file.IDir, file.IStagingFile, file.IStagingDir),
        *(file.ContentFile, file.ContentFileSet, file.ContentDir),
        *(file.ContentStagingFile, file.ContentStagingDir),
        *(Task, PartialTask, errors.Frame, errors.Traceback, errors.ErrorValue),
    ]


@hookimpl
def redun_cli_commands() -> list[Any]:
    return []
