"""Small text helpers upstream exposes from ``redun.utils`` (tables, durations, booleans)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo


def str2bool(text: str) -> bool:
    """``"true"``/``"false"`` in any case to a bool; anything else is a ``ValueError``."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ValueError(f"expected 'true' or 'false', got {text!r}")


def trim_string(text: str, max_length: int = 200, ellipsis: str = "...") -> str:
    """``text`` cut to ``max_length`` characters, the cut marked by ``ellipsis``."""
    if max_length < len(ellipsis):
        raise ValueError("max_length must be at least the length of the ellipsis")
    return text if len(text) <= max_length else text[: max_length - len(ellipsis)] + ellipsis


def format_timestamp(timestamp: datetime, tz: tzinfo | None = None) -> str:
    """A timestamp in local time (or ``tz``) as ``YYYY-MM-DD HH:MM:SS``."""
    return timestamp.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


def format_timedelta(duration: timedelta) -> str:
    """A duration as ``H:MM:SS.cc`` (days are not shown, as upstream)."""
    minutes, seconds = divmod(duration.seconds % 3600, 60)
    hours = duration.seconds // 3600
    return f"{hours}:{minutes:02}:{seconds:02}.{duration.microseconds // 10000:02}"


def format_table(table: list[list], justs: str, min_width: int = 0) -> Iterator[str]:
    """Rows with columns justified (``l``/``r`` per column); a blank line after the header."""
    if any(just not in "lr" for just in justs):
        raise ValueError(f"justifications must be 'l' or 'r': {justs!r}")
    cells = [[str(cell) for cell in row] for row in table]
    widths = [max([min_width, *(len(row[col]) for row in cells)]) for col in range(len(justs))]
    for index, row in enumerate(cells):
        if index == 1:
            yield ""
        yield " ".join(
            cell.ljust(width) if just == "l" else cell.rjust(width)
            for cell, just, width in zip(row, justs, widths)
        )


def format_result(value: object) -> str:
    """A workflow's result as ``redun run`` prints it: pretty-printed, or, for values
    nested deeper than ``pprint`` can recurse, the same text as ``repr`` written by a loop."""
    from pprint import pformat

    try:
        return pformat(value)
    except RecursionError:
        return deep_repr(value)


def deep_repr(value: object) -> str:
    """``repr(value)`` for nested lists, tuples, dicts and sets of any depth, built
    without recursion (other objects use their own ``repr``)."""
    parts: list[str] = []
    # Work items: a value to write, or a literal piece of text.
    stack: list[tuple[bool, object]] = [(False, value)]
    while stack:
        is_text, item = stack.pop()
        if is_text:
            parts.append(item)  # type: ignore[arg-type]
            continue
        item_type = type(item)
        if item_type is list or item_type is tuple or item_type is set:
            items = list(item)  # type: ignore[call-overload]
            if item_type is set and not items:
                parts.append("set()")
                continue
            opening, closing = {list: ("[", "]"), tuple: ("(", ")"), set: ("{", "}")}[item_type]
            if item_type is tuple and len(items) == 1:
                closing = ",)"
            work: list[tuple[bool, object]] = [(True, opening)]
            for i, element in enumerate(items):
                if i:
                    work.append((True, ", "))
                work.append((False, element))
            work.append((True, closing))
            stack.extend(reversed(work))
        elif item_type is dict:
            work = [(True, "{")]
            for i, (key, element) in enumerate(item.items()):  # type: ignore[attr-defined]
                if i:
                    work.append((True, ", "))
                work.extend([(False, key), (True, ": "), (False, element)])
            work.append((True, "}"))
            stack.extend(reversed(work))
        else:
            parts.append(repr(item))
    return "".join(parts)
