"""Widgets every console screen uses: the path header and tables of links."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import DataTable, Static

from redun.console.formatting import STATUS_STYLES


class PathHeader(Static):
    """The command that reopens the current view (``redun console executions/<id> ...``)."""

    DEFAULT_CSS = """
    PathHeader {
        background: $primary-background;
        color: $text;
        padding: 0 1;
        height: 1;
    }
    """


class LinkTable(DataTable):
    """A table whose rows are keyed by the console path they open on Enter or click."""

    def __init__(self, columns: Iterable[str], id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._columns = list(columns)

    def on_mount(self) -> None:
        self.add_columns(*self._columns)

    def set_rows(self, rows: Iterable[tuple[str, list[Text | str]]]) -> None:
        """Replace the rows; each is ``(path to open, cells)``. Duplicate paths are kept."""
        self.clear()
        seen: dict[str, int] = {}
        for path, cells in rows:
            count = seen.get(path, 0)
            seen[path] = count + 1
            # Row keys must be unique; a repeated path gets a '#n' suffix the app strips.
            key = path if count == 0 else f"{path}#{count}"
            self.add_row(*cells, key=key)


def status_text(status: str) -> Text:
    """A job or execution status in its colour, padded like `redun log` prints it."""
    return Text(status.center(7), style=STATUS_STYLES.get(status, ""))


def field(label: str, value: str | Text, style: str = "") -> Text:
    """``Label: value`` with the label in bold."""
    text = Text.assemble((f"{label}: ", "bold"))
    text.append(value if isinstance(value, Text) else Text(value, style=style))
    return text


def lines(*parts: Text | str) -> Text:
    """Join texts with newlines (rich Text, so stored values are never read as markup)."""
    return Text("\n").join(part if isinstance(part, Text) else Text(part) for part in parts)
