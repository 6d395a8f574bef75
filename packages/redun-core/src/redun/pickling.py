"""The one pickle protocol redun hashes and stores with.

Protocol 3 is fixed: value hashes are hashes of these bytes, so changing the protocol
would silently invalidate every cache (and break compatibility with upstream).
"""

from __future__ import annotations

import pickle
from typing import Any

PICKLE_PROTOCOL = 3
MIME_TYPE_PICKLE = "application/python-pickle"


def pickle_dumps(obj: Any) -> bytes:
    return pickle.dumps(obj, protocol=PICKLE_PROTOCOL)


def pickle_loads(data: bytes) -> Any:
    return pickle.loads(data)
