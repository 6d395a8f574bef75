"""URL-level helpers: open, copy or glob by URL without building File values first."""

from __future__ import annotations

import shutil
import sys
from typing import IO, Any

from redun.file.urls import get_filesystem


def open_file(url: str, mode: str = "r", encoding: str | None = None, **kwargs: Any) -> IO:
    """Open a stream on any URL a file system serves.

    Parameters
    ----------
    url : str
        Path or URL.
    mode : str
        ``'r'``, ``'w'``, ``'a'``, optionally with ``'b'``.
    encoding : str, optional
        Text encoding for text modes.
    **kwargs
        Passed to the file system's stream.
    """
    return get_filesystem(url=url).open(url, mode=mode, encoding=encoding, **kwargs)


def copy_file(src_path: str | None, dest_path: str | None, recursive: bool = False) -> None:
    """Copy a file or directory tree, possibly between file systems (``redun fs cp``).

    Parameters
    ----------
    src_path : str, optional
        Source URL; ``None`` reads stdin.
    dest_path : str, optional
        Destination URL; ``None`` writes stdout.
    recursive : bool
        Copy the directory tree under ``src_path`` (both paths required).
    """
    from redun.file.dir import Dir
    from redun.file.file import File

    if src_path is not None and dest_path is not None:
        if recursive:
            Dir(src_path).copy_to(Dir(dest_path))
        else:
            File(src_path).copy_to(File(dest_path))
        return
    if recursive:
        raise ValueError("a recursive copy needs both a source and a destination")

    infile = sys.stdin.buffer if src_path is None else open_file(src_path, "rb")
    try:
        outfile = sys.stdout.buffer if dest_path is None else open_file(dest_path, "wb")
        try:
            shutil.copyfileobj(infile, outfile)
        finally:
            if dest_path is None:
                outfile.flush()
            else:
                outfile.close()
    finally:
        if src_path is not None:
            infile.close()


def glob_file(pattern: str) -> list[str]:
    """Paths matching ``pattern`` on the file system serving it (``**`` is recursive)."""
    return get_filesystem(url=pattern).glob(pattern)
