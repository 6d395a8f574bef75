"""ValueStore: large values kept as files beside the database (``[backend] value_store_path``).

A repository whose results are big (arrays, data frames) keeps only a placeholder row
(empty bytes) in the ``value`` table and the value's bytes in a file named by its hash,
``<value_store_path>/ab/cdef...``, exactly where upstream redun puts them, so the two
implementations share a value store as they share the database. The path may be any
redun file system URL (``s3://`` with redun-aws).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from redun.backends.records import Row, ValueRow

DEFAULT_VALUE_STORE_MIN_SIZE = 1024


class ValueStore:
    """Values' bytes stored as files, one per value hash."""

    def __init__(self, root_path: str, use_subdir: bool = True) -> None:
        self.root_path = root_path
        self.use_subdir = use_subdir

    def get_value_path(self, value_hash: str) -> str:
        suffix = f"{value_hash[:2]}/{value_hash[2:]}" if self.use_subdir else value_hash
        return os.path.join(self.root_path, suffix)

    def has(self, value_hash: str) -> bool:
        from redun.file import File

        return File(self.get_value_path(value_hash)).exists()

    def put(self, value_hash: str, data: bytes) -> None:
        from redun.file import File

        file = File(self.get_value_path(value_hash))
        if not file.exists():
            with file.open("wb") as out:
                out.write(data)

    def get(self, value_hash: str) -> tuple[bytes, bool]:
        """The stored bytes and True, or ``(b"", False)`` when the file is missing."""
        from redun.file import File

        file = File(self.get_value_path(value_hash))
        if not file.exists():
            return b"", False
        with file.open("rb") as infile:
            return infile.read(), True

    def size(self, value_hash: str) -> int:
        from redun.file import File

        file = File(self.get_value_path(value_hash))
        return file.size() if file.exists() else -1


def value_store_from_config(config: dict, config_dir: str | None) -> tuple[ValueStore | None, int]:
    """The store ``[backend]`` configures (or None) and the size from which values go there."""
    min_size = int(config.get("value_store_min_size", DEFAULT_VALUE_STORE_MIN_SIZE))
    path = config.get("value_store_path")
    if not path:
        return None, min_size
    if "://" not in path and not os.path.isabs(path):
        path = os.path.join(config_dir or os.getcwd(), path)
    return ValueStore(path), min_size


def divert_large_values(store: ValueStore, min_size: int, rows: Iterable[Row]) -> list[Row]:
    """Rows with each large value written to ``store`` and replaced by a placeholder."""
    out: list[Row] = []
    for row in rows:
        # sys.getsizeof, as upstream measures: the same values land in the store.
        if type(row) is ValueRow and row.value and sys.getsizeof(row.value) >= min_size:
            store.put(row.value_hash, row.value)
            row = row._replace(value=b"")
        out.append(row)
    return out
