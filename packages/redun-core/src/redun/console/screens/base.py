"""The behaviour every console screen shares: header, filter box, links, going back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from redun.console.routes import OPTIONS, Route, format_options, parse_filter
from redun.console.widgets import PathHeader
from redun.errors import RedunError

if TYPE_CHECKING:
    from redun.console.reader import ConsoleReader


class RedunScreen(Screen):
    """A screen showing one route; subclasses compose a body and fill it in ``load``.

    ``/`` opens the filter box on screens that take options (its text is the options,
    ``--status FAILED`` or plain words for ``--find``) and the search screen elsewhere.
    Selecting a row of any link table opens the path the row is keyed by.
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "filter", "Filter/search"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, reader: ConsoleReader, route: Route) -> None:
        super().__init__()
        self.reader = reader
        self.route = route
        self.header = PathHeader(route.command(), id="header")
        self.filter_input = Input(placeholder="--status FAILED, --task NAME, or text to find")
        self.filter_input.id = "filter"
        self.filter_input.display = False
        self.error = Static(id="error")
        self.error.display = False

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.error
        yield from self.compose_body()
        yield self.filter_input
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Re-read the repository for the current route and refresh every widget."""
        self.header.update(self.route.command())
        try:
            self.load()
        except RedunError as exc:
            self.error.update(Text(f"redun: error: {exc}", style="bold red"))
            self.error.display = True
            self.notify(str(exc), title="redun", severity="error")
        else:
            self.error.display = False

    def load(self) -> None:
        """Fill the body from ``self.reader`` for ``self.route``."""

    # -- filtering -------------------------------------------------------------------
    def action_filter(self) -> None:
        if not OPTIONS.get(self.route.screen):
            self.app.open_path("search")  # type: ignore[attr-defined]
            return
        self.filter_input.value = format_options(self.route.options)
        self.filter_input.display = True
        self.filter_input.focus()

    def apply_filter(self, text: str) -> None:
        """Set the route's options from filter text and reload."""
        try:
            options = parse_filter(self.route.screen, text)
        except RedunError as exc:
            self.notify(str(exc), title="redun", severity="error")
            return
        self.route = self.route.with_options(options)
        self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self.filter_input:
            return
        event.stop()
        self.filter_input.display = False
        self.apply_filter(event.value)
        self.focus_next()

    # -- navigation ------------------------------------------------------------------
    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        path = str(event.row_key.value or "").split("#", 1)[0]
        if path:
            event.stop()
            self.app.open_path(path)  # type: ignore[attr-defined]

    def action_back(self) -> None:
        if self.filter_input.display:
            self.filter_input.display = False
            return
        if len([s for s in self.app.screen_stack if isinstance(s, RedunScreen)]) > 1:
            self.app.pop_screen()
