"""The hooks a redun plugin may implement: this module is the plugin author's reference.

A plugin is a module named by an entry point in the ``redun`` group::

    [project.entry-points.redun]
    aws = "redun_aws.plugin"

whose functions are decorated with :data:`redun.plugins.hookimpl` and named after the
hooks below (``docs/extending/hooks.md`` is the same reference, kept in sync by a test). Each
hook returns a list; redun merges the lists of every plugin and keys
each item by the attribute named in the hook's docstring. Two plugins providing the same
key is an error naming both, so a plugin never silently replaces another's part.

Hooks are called lazily, the first time redun needs an item of that kind, so import
your classes inside the hook function's body: a plugin module must be cheap to import,
and ``redun --help`` must not pay for boto3 or pyspark.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("redun")
hookimpl = pluggy.HookimplMarker("redun")


@hookspec
def redun_executors() -> list[type[Any]]:
    """Return the :class:`redun.executors.base.Executor` subclasses this plugin provides.

    Each class names its key in ``executor_type: ClassVar[str]``: the ``type =`` value of
    an ``[executors.NAME]`` section in redun.ini. The class is built as
    ``cls(name, scheduler=scheduler, config=section)`` where ``section`` maps that
    section's keys to strings.

    Called the first time an executor type is looked up that no already-loaded plugin
    provides, and when redun lists everything (``redun plugins``).
    """
    raise NotImplementedError  # pragma: no cover - specification only


@hookspec
def redun_filesystems() -> list[type[Any]]:
    """Return the file system classes this plugin provides.

    Each class names the URL schemes it serves in ``schemes: ClassVar[tuple[str, ...]]``
    (``("s3",)``, ``("gs", "gcs")``). ``File("s3://bucket/key")`` finds its file system by
    the scheme of its path.

    Called the first time a scheme is used that no already-loaded plugin serves.
    """
    raise NotImplementedError  # pragma: no cover - specification only


@hookspec
def redun_backends() -> list[type[Any]]:
    """Return the :class:`redun.backends.base.RedunBackend` subclasses this plugin provides.

    Each class names the ``db_uri`` schemes it serves in
    ``schemes: ClassVar[tuple[str, ...]]`` (``("postgresql",)``). A driver suffix in the
    URI (``postgresql+psycopg2://``) falls back to the bare scheme.

    Called when a repository's backend is built from ``[backend] db_uri``.
    """
    raise NotImplementedError  # pragma: no cover - specification only


@hookspec
def redun_value_types() -> list[type[Any]]:
    """Return the :class:`redun.value.Value` subclasses this plugin provides.

    Each class names its persisted key in ``type_name: ClassVar[str]``, the name stored
    with every serialized value. Renaming it makes old records unreadable, so it never
    changes once published.

    Called by ``redun plugins`` and when a stored type name is looked up with
    :func:`redun.plugins.registry.get_value_type`. Defining a ``Value`` subclass also
    registers it with the type registry when its module is imported.
    """
    raise NotImplementedError  # pragma: no cover - specification only


@hookspec
def redun_cli_commands() -> list[Any]:
    """Return the :class:`click.Command` objects (commands or groups) to add to ``redun``.

    Each is keyed by its ``name``; ``redun aws ...`` is a group named ``aws``. Build the
    commands inside the hook so that importing the plugin module stays cheap.

    Called when the ``redun`` command lists its sub-commands or meets a name it does
    not know.
    """
    raise NotImplementedError  # pragma: no cover - specification only
