"""Which file system serves a URL.

Schemes resolve through the plugin registry (the ``redun_filesystems()`` hook; core's
builtin plugin provides the local file system), so ``s3://`` works exactly when a plugin
serving ``s3`` is installed. ``register_filesystem`` stays for code written against
upstream redun: classes registered that way take precedence over plugins.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from redun.errors import FileSystemError, PluginError

if TYPE_CHECKING:
    from redun.file.filesystem import FileSystem

# Used only when the plugin registry cannot be imported at all.
_FALLBACK = {"local": "LocalFileSystem", "file": "LocalFileSystem"}

_registered: dict[str, type[FileSystem]] = {}
_instances: dict[type, FileSystem] = {}
_lock = threading.Lock()


def get_proto(url: str | None = None) -> str:
    """The protocol (URL scheme) of ``url``; plain paths are ``"local"``.

    Only ``scheme://`` counts as a scheme, so a local file named ``a:b.txt`` stays local.
    """
    if not url or "://" not in url:
        return "local"
    return urlparse(url).scheme or "local"


def register_filesystem(cls: type[FileSystem]) -> type[FileSystem]:
    """Serve ``cls.schemes`` (or, for upstream-style classes, ``cls.name``) with ``cls``.

    Kept for upstream compatibility and tests; packages should provide file systems
    through the ``redun_filesystems()`` hook instead. Usable as a class decorator.
    """
    schemes = tuple(cls.__dict__.get("schemes") or ()) or (cls.name,)
    with _lock:
        for scheme in schemes:
            _registered[scheme] = cls
    return cls


def get_filesystem_class(proto: str | None = None, url: str | None = None) -> type[FileSystem]:
    """The FileSystem class serving ``proto``, or the scheme of ``url``.

    Raises
    ------
    FileSystemError
        No installed plugin serves the scheme; the message names the package to install.
    """
    if not proto:
        if not url:
            raise ValueError("get_filesystem_class() needs a url or a proto")
        proto = get_proto(url)
    registered = _registered.get(proto)
    if registered is not None:
        return registered
    try:
        from redun.plugins.registry import get_filesystem_class as lookup
    except ImportError:
        return _fallback_class(proto, url)
    try:
        return lookup(proto)
    except PluginError as error:
        raise FileSystemError(f"no file system for {url or proto!r}: {error}") from error


def _fallback_class(proto: str, url: str | None) -> type[FileSystem]:
    name = _FALLBACK.get(proto)
    if name is None:
        raise FileSystemError(
            f"no file system for {url or proto!r}: unknown file system scheme {proto!r}"
        )
    from redun.file import local

    return getattr(local, name)


def get_filesystem(proto: str | None = None, url: str | None = None) -> FileSystem:
    """The shared FileSystem instance serving ``proto`` or ``url`` (one per class)."""
    cls = get_filesystem_class(proto=proto, url=url)
    instance = _instances.get(cls)
    if instance is None:
        with _lock:
            instance = _instances.get(cls)
            if instance is None:
                instance = _instances[cls] = cls()
    return instance


def list_filesystems() -> list[type[FileSystem]]:
    """Every FileSystem class available: from plugins, then from ``register_filesystem``."""
    classes: list[type[FileSystem]] = []
    try:
        from redun.plugins.registry import FILESYSTEMS, list_items
    except ImportError:
        from redun.file.local import LocalFileSystem

        classes.append(LocalFileSystem)
    else:
        classes.extend(list_items(FILESYSTEMS).values())
    classes.extend(_registered.values())
    unique: dict[type, None] = dict.fromkeys(classes)
    return list(unique)
