"""FileCache: a proxy that keeps a type's serialized bytes in a File, not the database.

For user types whose values are large: the database stores only the file's path
(``<base_path>/<hash of the bytes>``), and a deleted file is a cache miss, so the job
that made the value runs again.
"""

from __future__ import annotations

import os
from typing import Any

from redun.hashing import hash_bytes
from redun.pickling import pickle_dumps, pickle_loads
from redun.value.base import InvalidValueError, ProxyValue


class FileCache(ProxyValue):
    """Subclass with ``type = YourType`` (and ``base_path``, any redun file system path)
    to store values of that type as files; override ``_serialize``/``_deserialize`` to
    choose their bytes (pickle by default)."""

    base_path = "."

    def _serialize(self) -> bytes:
        return pickle_dumps(self.instance)

    @classmethod
    def _deserialize(cls, data: bytes) -> Any:
        return pickle_loads(data)

    def serialize(self) -> bytes:
        """Write the bytes to ``<base_path>/<hash>``; the database keeps that path."""
        from redun.file import File

        data = self._serialize()
        filename = os.path.join(self.base_path, hash_bytes(data))
        File(filename).write(data, mode="wb")
        return filename.encode("utf8")

    @classmethod
    def deserialize(cls, raw_type: type, data: bytes) -> Any:
        """Read the value back from the file the stored path names.

        Raises
        ------
        InvalidValueError
            The file is gone (the cached value is a miss).
        """
        from redun.file import File

        file = File(data.decode("utf8"))
        if not file.exists():
            raise InvalidValueError(f"FileCache file {file.path} no longer exists")
        return cls._deserialize(file.read("rb"))
