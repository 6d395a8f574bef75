"""The "Upstream dataflow" section `redun log` prints under a call node or a value.

It tells where a result came from, call by call, down to the values the user typed
(see ``redun.backends.db.dataflow``). The walk needs the ORM models, so they are loaded
here, only when a single record is shown, never for listings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def dataflow_lines(conn: Any, backend: Any, value_hash: str, name: str) -> Iterator[str]:
    """The section's lines (unindented) for the value ``value_hash``, called ``name``."""
    from redun.backends.db.dataflow import display_dataflow, make_dataflow_dom, walk_dataflow
    from redun.backends.db.models import Value
    from redun.backends.db.session import RedunSession

    session = RedunSession(backend, bind=conn)
    try:
        value = session.get(Value, value_hash)
        if value is None:
            return
        yield "Upstream dataflow:"
        yield ""
        yield f"  {name} = {value.preview!r}"
        yield ""
        edges = walk_dataflow(backend, value)
        for line in display_dataflow(make_dataflow_dom(edges, new_varname=name)):
            yield f"  {line}" if line else ""
    finally:
        session.close()
