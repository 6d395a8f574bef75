"""FileSystem: the interface every storage backend (local disk, S3, ...) implements.

A ``File`` never touches storage itself; it asks the file system serving its URL
scheme. Plugins provide more file systems through the ``redun_filesystems()`` hook, each
class naming the schemes it serves in ``schemes``. The base class owns what every
backend must do the same way: text encoding on top of binary streams, translating
``OSError``s into redun errors that name the path, and cross-file-system copies.
"""

from __future__ import annotations

import abc
import io
import logging
import shutil
from collections.abc import Iterator
from shlex import quote
from typing import IO, Any, ClassVar

from redun.file.errors import RedunFileNotFoundError, RedunOSError, RedunPermissionError

logger = logging.getLogger("redun")

TouchTime = tuple[int, int] | tuple[float, float]


class FileSystem(abc.ABC):
    """Base class of file systems.

    Subclasses implement ``_open`` and the abstract queries; everything else has a
    generic default written in terms of them, so a minimal backend works everywhere
    and a richer one overrides (``copy``, ``iter_file_hashes``) for speed.

    Attributes
    ----------
    name : str
        The file system's own name, used in hash recipes (``"local"``, ``"s3"``).
    schemes : tuple of str
        The URL schemes this class serves; the plugin registry keys it by these.
    """

    __module__ = "redun.file"

    name: str = "base"
    schemes: ClassVar[tuple[str, ...]] = ()

    def open(self, path: str, mode: str, encoding: str | None = None, **kwargs: Any) -> IO:
        """Open a stream on ``path``.

        With ``encoding`` the backend is opened in binary and decoded here, so backends
        only ever deal in bytes. Errors come back as ``RedunFileNotFoundError``,
        ``RedunPermissionError`` or ``RedunOSError``, which name the path.

        Parameters
        ----------
        path : str
            Path or URL to open.
        mode : str
            ``'r'``, ``'w'``, ``'a'``, optionally with ``'b'``.
        encoding : str, optional
            Text encoding; not allowed together with a binary mode.
        **kwargs
            Passed to the backend's stream.
        """
        if encoding:
            if "b" in mode:
                raise ValueError(f"cannot open {path} in binary mode {mode!r} with an encoding")
            mode += "b"
        try:
            stream = self._open(path, mode, **kwargs)
        except (RedunFileNotFoundError, RedunPermissionError, RedunOSError):
            raise
        except FileNotFoundError as error:
            raise RedunFileNotFoundError(path, *error.args) from error
        except PermissionError as error:
            raise RedunPermissionError(path, *error.args) from error
        except OSError as error:
            raise RedunOSError(path, *error.args) from error
        except Exception:
            logger.error("File.open error: %s", path)
            raise
        if encoding:
            stream = io.TextIOWrapper(stream, encoding)
        return stream

    @abc.abstractmethod
    def _open(self, path: str, mode: str, **kwargs: Any) -> IO:
        """Open a raw stream; ``open`` handles encodings and error translation."""

    @abc.abstractmethod
    def exists(self, path: str) -> bool:
        """Whether ``path`` exists."""

    @abc.abstractmethod
    def remove(self, path: str) -> None:
        """Delete the file at ``path``; a missing file is not an error."""

    def touch(self, path: str, time: TouchTime | None = None) -> None:
        """Create ``path`` if needed (and set its times where the backend can)."""
        if time is not None:
            raise ValueError(f"{type(self).__name__} cannot set file times ({path})")
        self.open(path, "a").close()

    @abc.abstractmethod
    def mkdir(self, path: str) -> None:
        """Create the directory ``path`` and its parents."""

    @abc.abstractmethod
    def rmdir(self, path: str, recursive: bool = False) -> None:
        """Remove the directory ``path``; a non-empty one only with ``recursive``."""

    @abc.abstractmethod
    def get_hash(self, path: str) -> str:
        """A cheap hash of the file's current version (stat or ETag based)."""

    def iter_file_hashes(self, path: str) -> Iterator[str]:
        """Yield the hash of every file under the directory ``path`` (any order)."""
        from redun.file.dir import Dir

        for file in Dir(path):
            yield file.hash

    def iter_files(self, pattern: str) -> Iterator[tuple[str, str | None]]:
        """The files matching ``pattern``, sorted, each with its ``get_hash`` if known.

        ``FileSet``/``Dir`` iterate through this. The default globs and asks
        ``isfile`` per match; an object store overrides it to answer from its listing
        alone, including each object's hash (``get_hash``'s value at listing time), so
        iterating and recording a directory of N objects costs N/1000 requests instead
        of 2N.
        """
        for path in sorted(self.glob(pattern)):
            if self.isfile(path):
                yield path, None

    def copy(self, src_path: str, dest_path: str) -> None:
        """Copy one file, possibly between file systems, by streaming its bytes."""
        from redun.file.api import open_file

        with open_file(src_path, "rb") as infile, open_file(dest_path, "wb") as outfile:
            shutil.copyfileobj(infile, outfile)

    def shell_copy(
        self,
        src_path: str | None,
        dest_path: str | None,
        recursive: bool = False,
        as_mount: bool = False,
    ) -> str:
        """A shell command copying ``src_path`` to ``dest_path``.

        Used by ``script()`` staging, where the copy runs inside the job. Each side's
        file system renders its half (``None`` means stdout/stdin) and the halves are
        joined by a pipe.

        Parameters
        ----------
        src_path : str, optional
            Source; ``None`` reads stdin.
        dest_path : str, optional
            Destination; ``None`` writes stdout.
        recursive : bool
            Copy a directory tree (both paths required).
        as_mount : bool
            The paths are mounted into the job (backends that support it copy plainly).
        """
        from redun.file.urls import get_filesystem

        if recursive:
            if not (src_path and dest_path):
                raise ValueError("a recursive copy needs both a source and a destination")
            return f"redun fs cp --recursive {quote(src_path)} {quote(dest_path)}"
        reader = (
            get_filesystem(url=src_path).shell_copy(src_path, None, as_mount=as_mount)
            if src_path
            else None
        )
        writer = (
            get_filesystem(url=dest_path).shell_copy(None, dest_path, as_mount=as_mount)
            if dest_path
            else None
        )
        if reader and writer:
            return f"({reader}) | ({writer})"
        if reader or writer:
            return reader or writer  # type: ignore[return-value]
        raise ValueError("a copy needs a source or a destination")

    @abc.abstractmethod
    def glob(self, pattern: str) -> list[str]:
        """Paths matching ``pattern`` (``**`` matches any depth)."""

    @abc.abstractmethod
    def isfile(self, path: str) -> bool:
        """Whether ``path`` is a file."""

    @abc.abstractmethod
    def isdir(self, path: str) -> bool:
        """Whether ``path`` is a directory."""

    @abc.abstractmethod
    def filesize(self, path: str) -> int:
        """Size of the file at ``path`` in bytes."""
