"""HTTPFileSystem: read-only ``http://`` and ``https://`` files, with the standard library.

A workflow can take a URL as an input ``File`` and be reactive to it: the pseudo-hash
is upstream's recipe over the path and the size the server reports, so a changed
download re-runs what used it. Writing, removing and listing are not HTTP operations
and say so.
"""

from __future__ import annotations

import io
from typing import IO, Any, ClassVar

from redun.file.errors import RedunFileNotFoundError
from redun.file.filesystem import FileSystem
from redun.hashing import hash_struct

_TIMEOUT = 60.0


class HTTPFileSystem(FileSystem):
    """Files served over HTTP(S); read only."""

    __module__ = "redun.file"

    name = "http"
    schemes: ClassVar[tuple[str, ...]] = ("http", "https")

    def _head(self, path: str) -> Any | None:
        # urllib loads lazily: most runs never touch a URL.
        import urllib.error
        import urllib.request

        request = urllib.request.Request(path, method="HEAD")
        try:
            return urllib.request.urlopen(request, timeout=_TIMEOUT)
        except urllib.error.HTTPError as error:
            if error.code in (404, 410):
                return None
            if error.code in (403, 405, 501):
                # Some servers refuse HEAD: ask for the body and read only the headers.
                return self._get(path)
            raise

    def _get(self, path: str) -> Any:
        import urllib.error
        import urllib.request

        try:
            return urllib.request.urlopen(path, timeout=_TIMEOUT)
        except urllib.error.HTTPError as error:
            if error.code in (404, 410):
                raise RedunFileNotFoundError(path, f"HTTP {error.code}") from error
            raise

    def _open(self, path: str, mode: str, **kwargs: Any) -> IO:
        if "r" not in mode or "+" in mode:
            raise ValueError(f"{path}: http(s) files are read only (mode {mode!r})")
        response = self._get(path)
        if "b" in mode:
            return response
        return io.TextIOWrapper(response, encoding=kwargs.get("encoding") or "utf-8")

    def exists(self, path: str) -> bool:
        response = self._head(path)
        if response is None:
            return False
        response.close()
        return True

    def isfile(self, path: str) -> bool:
        return self.exists(path)

    def isdir(self, path: str) -> bool:
        return False

    def filesize(self, path: str) -> int:
        response = self._head(path)
        if response is None:
            raise RedunFileNotFoundError(path, "HTTP 404")
        with response:
            length = response.headers.get("Content-Length")
        if length is None:
            with self._get(path) as body:
                return len(body.read())
        return int(length)

    def get_hash(self, path: str) -> str:
        # Upstream's fsspec recipe: path and size, -1 for a missing file.
        size = self.filesize(path) if self.exists(path) else -1
        return hash_struct(["File", "fsspec", path, str(size)])

    def glob(self, pattern: str) -> list[str]:
        return [pattern] if self.exists(pattern) else []

    def _read_only(self, path: str) -> None:
        raise ValueError(f"{path}: http(s) files are read only")

    def remove(self, path: str) -> None:
        self._read_only(path)

    def mkdir(self, path: str) -> None:
        self._read_only(path)

    def rmdir(self, path: str, recursive: bool = False) -> None:
        self._read_only(path)
