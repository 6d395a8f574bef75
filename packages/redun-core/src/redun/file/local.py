"""LocalFileSystem: plain paths (and ``file://`` URLs) on the machine running redun."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
from shlex import quote
from typing import IO, Any, ClassVar

from redun.file.errors import RedunFileNotFoundError
from redun.file.filesystem import FileSystem, TouchTime
from redun.file.urls import get_filesystem, get_proto
from redun.hashing import hash_struct

LOCAL_PROTOS = ("local", "file")


def _os_path(path: str) -> str:
    # ``file:///tmp/x`` names the same file as ``/tmp/x``; the OS only knows the latter.
    if "://" in path and get_proto(path) in LOCAL_PROTOS:
        return path.split("://", 1)[1]
    return path


class LocalFileSystem(FileSystem):
    """The POSIX file system of this machine.

    Hashes are pseudo-hashes of ``(path, size, mtime)``: O(1) per file, and exactly
    upstream redun's recipe, so caches stay shared with upstream databases.
    """

    __module__ = "redun.file"

    name = "local"
    schemes: ClassVar[tuple[str, ...]] = ("file", "local")

    def _ensure_dir(self, path: str) -> None:
        dirname = os.path.dirname(path)
        if dirname:
            os.makedirs(dirname, exist_ok=True)

    def _open(self, path: str, mode: str, **kwargs: Any) -> IO:
        path = _os_path(path)
        # Writing to a new directory should just work, as it does for object stores.
        if "w" in mode or "a" in mode or "x" in mode:
            self._ensure_dir(path)
        return open(path, mode, **kwargs)  # noqa: SIM115 (the caller owns the stream)

    def exists(self, path: str) -> bool:
        return os.path.exists(_os_path(path))

    def remove(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(_os_path(path))

    def touch(self, path: str, time: TouchTime | None = None) -> None:
        """Create ``path`` if missing; set its access/modification times to ``time``."""
        if not self.exists(path):
            self.open(path, "w").close()
            if time is None:
                return
        os.utime(_os_path(path), time)

    def mkdir(self, path: str) -> None:
        os.makedirs(_os_path(path), exist_ok=True)

    def rmdir(self, path: str, recursive: bool = False) -> None:
        path = _os_path(path)
        if not os.path.isdir(path):
            return
        if recursive:
            shutil.rmtree(path)
        else:
            os.rmdir(path)

    def get_hash(self, path: str) -> str:
        try:
            stat = os.stat(_os_path(path))
        except (OSError, ValueError):
            # Anything os.path.exists() calls missing hashes as missing: size and mtime -1.
            return hash_struct(["File", "local", path, -1, "-1"])
        return hash_struct(["File", "local", path, stat.st_size, str(stat.st_mtime)])

    def copy(self, src_path: str, dest_path: str) -> None:
        if get_proto(src_path) in LOCAL_PROTOS and get_proto(dest_path) in LOCAL_PROTOS:
            dest = _os_path(dest_path)
            self._ensure_dir(dest)
            try:
                shutil.copyfile(_os_path(src_path), dest)
            except FileNotFoundError as error:
                raise RedunFileNotFoundError(src_path, *error.args) from error
        else:
            super().copy(src_path, dest_path)

    def shell_copy(
        self,
        src_path: str | None,
        dest_path: str | None,
        recursive: bool = False,
        as_mount: bool = False,
    ) -> str:
        """``cp``/``cat`` for local paths; a remote side renders the command itself."""
        protos = {get_proto(path) for path in (src_path, dest_path) if path}
        remote = sorted(protos - set(LOCAL_PROTOS))
        if remote and len(remote) == len(protos):
            return super().shell_copy(src_path, dest_path, recursive=recursive, as_mount=as_mount)
        if remote:
            # The other side knows how to move bytes to and from local disk.
            return get_filesystem(remote[0]).shell_copy(
                src_path, dest_path, recursive=recursive, as_mount=as_mount
            )
        src = _os_path(src_path) if src_path else None
        dest = _os_path(dest_path) if dest_path else None
        if src and dest:
            flag = "-r " if recursive else ""
            return f"cp {flag}{quote(src)} {quote(dest)}"
        if recursive:
            raise ValueError("a recursive copy needs both a source and a destination")
        if src:
            return f"cat {quote(src)}"
        if dest:
            return f"cat > {quote(dest)}"
        raise ValueError("a copy needs a source or a destination")

    def glob(self, pattern: str) -> list[str]:
        # Matches keep the caller's spelling (a ``file://`` prefix stays on).
        os_pattern = _os_path(pattern)
        prefix = pattern[: len(pattern) - len(os_pattern)]
        return [prefix + path for path in glob.glob(os_pattern, recursive=True)]

    def isfile(self, path: str) -> bool:
        return os.path.isfile(_os_path(path))

    def isdir(self, path: str) -> bool:
        return os.path.isdir(_os_path(path))

    def filesize(self, path: str) -> int:
        try:
            return os.stat(_os_path(path)).st_size
        except FileNotFoundError as error:
            raise RedunFileNotFoundError(path, *error.args) from error
