"""File: a path whose version (hash) redun tracks, on any file system.

A File is hashed by its file system's cheap hash (stat or ETag), never by its content
unless asked (``ContentFile``), so passing a huge file to a task costs one ``stat``. The
hash is taken lazily and kept: a cached result holding a File is replayed only while
the file still has that hash (``is_valid``).

Persisted state is exactly upstream redun's (``{"path", "hash"}`` under the class path
``redun.file.File``), so values pickled by either implementation load in the other.
"""

from __future__ import annotations

import importlib
import os
from typing import IO, TYPE_CHECKING, Any

from redun.file.filesystem import FileSystem, TouchTime
from redun.file.urls import get_filesystem
from redun.value import Value

if TYPE_CHECKING:
    from redun.file.dir import Dir, FileSet
    from redun.file.staging import StagingDir, StagingFile

_FAMILY = ("File", "FileSet", "Dir", "StagingFile", "StagingDir")
_WRITE_MODES = frozenset("wax+")


class FileClasses:
    """The related classes of one file family (plain, ``I``mmutable or ``Content``).

    A File's ``stage()``, a Dir's iteration and so on build their family's classes
    through ``self.classes``, so an IDir yields IFiles and stages as an IStagingDir.
    Classes are looked up by name in ``redun.file`` on first use, which lets the
    family refer to classes defined later.
    """

    __module__ = "redun.file"

    prefix = ""

    File: type[File]
    FileSet: type[FileSet]
    Dir: type[Dir]
    StagingFile: type[StagingFile]
    StagingDir: type[StagingDir]

    def __getattr__(self, attr: str) -> Any:
        if attr not in _FAMILY:
            raise AttributeError(attr)
        cls = getattr(importlib.import_module("redun.file"), self.prefix + attr)
        setattr(self, attr, cls)
        return cls


class File(Value):
    """A file at a path or URL, hashed by the file system serving it.

    Parameters
    ----------
    path : str
        Local path or URL (``s3://bucket/key`` needs the plugin serving ``s3``).
    """

    __module__ = "redun.file"

    type_basename = "File"
    type_name = "redun.File"
    classes = FileClasses()

    def __init__(self, path: str | os.PathLike[str]) -> None:
        path = os.fspath(path)
        self.filesystem: FileSystem = get_filesystem(url=path)
        self.path: str = path
        self._hash: str | None = None

    def __repr__(self) -> str:
        return f"{self.type_basename}(path={self.path}, hash={self.hash[:8]})"

    def __getstate__(self) -> dict:
        return {"path": self.path, "hash": self.hash}

    def __setstate__(self, state: dict) -> None:
        self.path = state["path"]
        self._hash = state["hash"]
        self.filesystem = get_filesystem(url=self.path)

    @property
    def hash(self) -> str:
        """The file's hash, computed on first use and then kept."""
        if not self._hash:
            self._hash = self._calc_hash()
        return self._hash

    def _calc_hash(self) -> str:
        return self.filesystem.get_hash(self.path)

    def get_hash(self, data: bytes | None = None) -> str:
        return self.hash

    def update_hash(self) -> None:
        """Re-take the hash, after the file was changed outside ``open``/``write``."""
        self._hash = self._calc_hash()

    def is_valid(self) -> bool:
        """Whether the file still has the hash this value recorded."""
        if not self._hash:
            self.update_hash()
            return True
        return self._hash == self._calc_hash()

    def exists(self) -> bool:
        return self.filesystem.exists(self.path)

    def remove(self) -> None:
        self.filesystem.remove(self.path)

    def open(self, mode: str = "r", encoding: str | None = None, **kwargs: Any) -> IO:
        """Open a stream; closing a stream that can write re-takes the file's hash.

        Parameters
        ----------
        mode : str
            ``'r'``, ``'w'``, ``'a'``, optionally with ``'b'``.
        encoding : str, optional
            Text encoding for text modes.
        **kwargs
            Passed to the file system's stream.
        """
        stream = self.filesystem.open(self.path, mode, encoding=encoding, **kwargs)
        if _WRITE_MODES.isdisjoint(mode):
            return stream
        original_close = stream.close

        def close() -> None:
            # Put the real close back first, so closing twice hashes once.
            stream.close = original_close  # type: ignore[method-assign]
            original_close()
            self.update_hash()

        stream.close = close  # type: ignore[method-assign]
        return stream

    def touch(self, time: TouchTime | None = None) -> None:
        """Create the file if missing, or set its times; the hash is re-taken."""
        self.filesystem.touch(self.path, time)
        self.update_hash()

    def read(self, mode: str = "r", encoding: str | None = None) -> str | bytes:
        with self.open(mode=mode, encoding=encoding) as infile:
            return infile.read()

    def readlines(self, mode: str = "r") -> list[str | bytes]:
        with self.open(mode=mode) as infile:
            return infile.readlines()

    def write(self, data: str | bytes, mode: str = "w", encoding: str | None = None) -> None:
        with self.open(mode=mode, encoding=encoding) as out:
            out.write(data)

    def copy_to(self, dest_file: File, skip_if_exists: bool = False) -> File:
        """Copy this file to ``dest_file`` (any file system) and return it, re-hashed."""
        if skip_if_exists and dest_file.exists():
            return dest_file
        if self.filesystem.name == "local" and dest_file.filesystem.name != "local":
            # Uploads are the destination file system's speciality.
            dest_file.filesystem.copy(self.path, dest_file.path)
        else:
            self.filesystem.copy(self.path, dest_file.path)
        dest_file.update_hash()
        return dest_file

    def shell_copy_to(self, dest_path: str | None, as_mount: bool = False) -> str:
        """A shell command copying this file to ``dest_path`` (``None``: stdout)."""
        return self.filesystem.shell_copy(self.path, dest_path, as_mount=as_mount)

    def isfile(self) -> bool:
        return self.filesystem.isfile(self.path)

    def isdir(self) -> bool:
        return self.filesystem.isdir(self.path)

    def size(self) -> int:
        return self.filesystem.filesize(self.path)

    def basename(self) -> str:
        return os.path.basename(self.path)

    def dirname(self) -> str:
        return os.path.dirname(self.path)

    def stage(self, local: str | None = None) -> StagingFile:
        """Pair this (remote) file with a local path for ``script()`` to copy in and out.

        ``local`` defaults to this file's basename; a ``local`` ending in ``/`` is a
        directory to put that basename in.
        """
        if not local:
            local = self.basename()
        elif local.endswith("/"):
            local = os.path.join(local, self.basename())
        return self.classes.StagingFile(local, self)
