"""FileSet (a glob) and Dir (a directory tree): many files tracked as one value.

Both hash their type, their pattern or path, and the sorted hashes of the files they
hold, so adding, removing or changing any file changes the value. Matching uses the
file system's glob, which (like upstream redun) skips dot-files.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from redun.file.file import File, FileClasses
from redun.file.filesystem import FileSystem
from redun.file.urls import get_filesystem
from redun.hashing import hash_struct
from redun.value import Value

if TYPE_CHECKING:
    from redun.file.staging import StagingDir


class FileSet(Value):
    """The files matching a glob ``pattern`` (``**`` matches any depth)."""

    __module__ = "redun.file"

    type_basename = "FileSet"
    type_name = "redun.FileSet"
    classes = FileClasses()

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.filesystem: FileSystem = get_filesystem(url=pattern)
        self._hash: str | None = None
        self._files: list[File] | None = None

    def __repr__(self) -> str:
        return f"{self.type_basename}(pattern={self.pattern}, hash={self.hash})"

    def __getstate__(self) -> dict:
        return {"pattern": self.pattern, "hash": self.hash}

    def __setstate__(self, state: dict) -> None:
        self.pattern = state["pattern"]
        self._hash = state["hash"]
        self.filesystem = get_filesystem(url=self.pattern)
        self._files = None

    @property
    def hash(self) -> str:
        """The set's hash, computed on first use (remembering the files it saw)."""
        if not self._hash:
            self.update_hash()
        return self._hash  # type: ignore[return-value]

    def _calc_hash(self, files: list[File] | None = None) -> str:
        if files is None:
            files = list(self)
        return hash_struct([self.type_basename, self.pattern] + sorted(f.hash for f in files))

    def get_hash(self, data: bytes | None = None) -> str:
        return self.hash

    def update_hash(self) -> None:
        """Re-list and re-hash the files."""
        self._files = list(self)
        self._hash = self._calc_hash(self._files)

    def is_valid(self) -> bool:
        """Whether the matched files are still the same files with the same hashes."""
        if not self._hash:
            self.update_hash()
            return True
        return self._hash == self._calc_hash()

    def __iter__(self) -> Iterator[File]:
        for path, file_hash in self.filesystem.iter_files(self.pattern):
            file = self.classes.File(path)
            if file_hash is not None and type(file)._calc_hash is File._calc_hash:
                # The listing already said what get_hash() would (IFile and
                # ContentFile hash differently and compute their own).
                file._hash = file_hash
            yield file

    def files(self) -> list[File]:
        return list(self)

    def iter_subvalues(self) -> Iterator[Value]:
        return iter(self._files) if self._files is not None else iter(self)


class Dir(FileSet):
    """A directory and every (non-hidden) file below it.

    Parameters
    ----------
    path : str
        Directory path or URL; a trailing ``/`` is ignored.
    """

    __module__ = "redun.file"

    type_basename = "Dir"
    type_name = "redun.Dir"
    classes = FileClasses()

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path).rstrip("/")
        super().__init__(os.path.join(self.path, "**"))

    def __repr__(self) -> str:
        return f"{self.type_basename}(path={self.path}, hash={self.hash[:8]})"

    def __getstate__(self) -> dict:
        return {"path": self.path, "hash": self.hash}

    def __setstate__(self, state: dict) -> None:
        self.path = state["path"]
        super().__setstate__({"pattern": os.path.join(self.path, "**"), "hash": state["hash"]})

    @property
    def hash(self) -> str:
        if not self._hash:
            self._hash = self._calc_hash()
        return self._hash

    def update_hash(self) -> None:
        self._files = None
        self._hash = self._calc_hash()

    def _calc_hash(self, files: list[File] | None = None) -> str:
        # The file system lists and hashes in one pass (one request for object stores).
        file_hashes = self.filesystem.iter_file_hashes(self.path)
        return hash_struct([self.type_basename, self.path] + sorted(file_hashes))

    def exists(self) -> bool:
        return self.filesystem.exists(self.path)

    def mkdir(self) -> None:
        self.filesystem.mkdir(self.path)
        self.update_hash()

    def rmdir(self, recursive: bool = False) -> None:
        """Remove the directory; a non-empty one only with ``recursive``."""
        self.filesystem.rmdir(self.path, recursive)
        self.update_hash()

    def file(self, rel_path: str) -> File:
        """The file at ``rel_path`` inside this directory."""
        return self.classes.File(os.path.join(self.path, rel_path))

    def rel_path(self, path: str) -> str:
        """``path`` relative to this directory."""
        return os.path.relpath(path, self.path)

    def copy_to(self, dest_dir: Dir, skip_if_exists: bool = False) -> Dir:
        """Copy every file into ``dest_dir`` keeping relative paths; return ``dest_dir``."""
        for src_file in self:
            dest_file = dest_dir.file(self.rel_path(src_file.path))
            src_file.copy_to(dest_file, skip_if_exists=skip_if_exists)
        dest_dir.update_hash()
        return dest_dir

    def shell_copy_to(self, dest_path: str, as_mount: bool = False) -> str:
        """A shell command copying the whole tree to ``dest_path``."""
        return self.filesystem.shell_copy(self.path, dest_path, recursive=True, as_mount=as_mount)

    def stage(self, local: str | None = None) -> StagingDir:
        """Pair this (remote) directory with a local path (default: its basename)."""
        return self.classes.StagingDir(local or os.path.basename(self.path), self)
