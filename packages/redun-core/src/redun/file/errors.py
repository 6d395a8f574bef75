"""File errors that are both the builtin ``OSError`` kind and a redun ``FileSystemError``.

Code written for plain Python catches ``FileNotFoundError``; code written for redun
catches ``FileSystemError``. Raising one class that is both lets either style work, and
the path is always part of the one-line message so the user knows which file failed.
"""

from __future__ import annotations

from typing import Any

from redun.errors import FileSystemError


class _PathErrorMixin:
    """Keeps the failing path and renders ``[Errno N] reason. path`` on one line, in
    upstream redun's words (scripts match on them)."""

    path: str
    errno: int | None
    strerror: str | None

    def _init_path(self, path: str) -> None:
        self.path = path

    def __str__(self) -> str:
        reason = self.strerror or (str(self.args[0]) if self.args else "file system error")  # type: ignore[attr-defined]
        prefix = f"[Errno {self.errno}] " if self.errno is not None else ""
        return f"{prefix}{reason}. {self.path}"


class RedunFileNotFoundError(_PathErrorMixin, FileNotFoundError, FileSystemError):
    """A path that was opened, read or copied does not exist.

    Parameters
    ----------
    path : str
        The path or URL that was missing.
    *args
        The ``(errno, strerror)`` of the underlying error, as ``OSError`` takes them.
    """

    __module__ = "redun.file"

    def __init__(self, path: str, *args: Any) -> None:
        super().__init__(*args)
        self._init_path(path)


class RedunPermissionError(_PathErrorMixin, PermissionError, FileSystemError):
    """A path exists but the process may not read or write it."""

    __module__ = "redun.file"

    def __init__(self, path: str, *args: Any) -> None:
        super().__init__(*args)
        self._init_path(path)


class RedunOSError(_PathErrorMixin, OSError, FileSystemError):
    """Any other operating-system level failure on a path."""

    __module__ = "redun.file"

    def __init__(self, path: str, *args: Any) -> None:
        super().__init__(*args)
        self._init_path(path)
