"""Staging: a remote File/Dir paired with the local path a script works on.

``script()`` runs commands on local paths; staging values say how to get the inputs
there first (``render_stage``) and the outputs back afterwards (``render_unstage``), as
shell commands run inside the job, or directly with ``stage()``/``unstage()``. A pair
whose local and remote paths are the same needs no copy and renders as ``""``.
"""

from __future__ import annotations

import abc
from typing import Any, Generic, TypeVar

from redun.file.dir import Dir
from redun.file.file import File, FileClasses
from redun.hashing import hash_struct
from redun.value import Value

T = TypeVar("T")


class Staging(Value, Generic[T]):
    """A local/remote pair of files or directories."""

    __module__ = "redun.file"

    local: Any
    remote: Any

    @abc.abstractmethod
    def stage(self) -> T:
        """Copy remote to local now; return the local value."""

    @abc.abstractmethod
    def unstage(self) -> T:
        """Copy local to remote now; return the remote value."""

    @abc.abstractmethod
    def render_stage(self, as_mount: bool = False) -> str:
        """The shell command copying remote to local."""

    @abc.abstractmethod
    def render_unstage(self, as_mount: bool = False) -> str:
        """The shell command copying local to remote."""

    @classmethod
    def parse_arg(cls, raw_type: type, arg: str) -> Any:
        raise NotImplementedError(
            f"{cls.__name__} cannot be parsed from the command line; pass a File or Dir"
        )


class _StagingPair(Staging[T]):
    """Shared behaviour of StagingFile and StagingDir (``_kind`` picks the class)."""

    __module__ = "redun.file"
    register = False
    type_basename = "Staging"
    _kind = "File"
    classes = FileClasses()

    def __init__(self, local: T | str, remote: T | str) -> None:
        make = getattr(self.classes, self._kind)
        self.local = make(local) if isinstance(local, str) else local
        self.remote = make(remote) if isinstance(remote, str) else remote

    def __repr__(self) -> str:
        return f"{self.type_basename}(local={self.local}, remote={self.remote})"

    def __getstate__(self) -> dict:
        return {"local": self.local, "remote": self.remote}

    def __setstate__(self, state: dict) -> None:
        self.local = state["local"]
        self.remote = state["remote"]

    def get_hash(self, data: bytes | None = None) -> str:
        # By paths only: staging the same pair is the same step whatever the content.
        return hash_struct([self.type_name, self.local.path, self.remote.path])

    def _same_place(self) -> bool:
        return self.local.path == self.remote.path

    def stage(self) -> T:
        if self._same_place():
            return self.local
        return self.remote.copy_to(self.local)

    def unstage(self) -> T:
        if self._same_place():
            return self.remote
        return self.local.copy_to(self.remote)

    def render_stage(self, as_mount: bool = False) -> str:
        if self._same_place():
            return ""
        return self.remote.shell_copy_to(self.local.path, as_mount=as_mount)

    def render_unstage(self, as_mount: bool = False) -> str:
        if self._same_place():
            return ""
        return self.local.shell_copy_to(self.remote.path, as_mount=as_mount)


class StagingFile(_StagingPair[File]):
    """A remote File and the local path it is staged to.

    Parameters
    ----------
    local : File or str
        Where the job reads and writes the file.
    remote : File or str
        Where the file lives between jobs.
    """

    __module__ = "redun.file"
    register = True
    type_basename = "StagingFile"
    type_name = "redun.StagingFile"
    _kind = "File"
    classes = FileClasses()


class StagingDir(_StagingPair[Dir]):
    """A remote Dir and the local path it is staged to (copied recursively)."""

    __module__ = "redun.file"
    register = True
    type_basename = "StagingDir"
    type_name = "redun.StagingDir"
    _kind = "Dir"
    classes = FileClasses()
