"""The console application: a stack of screens over one repository.

The executions list is always at the bottom of the stack; opening a path pushes the
screen for it, Escape goes back. Ids (``-``, ``~2``, a prefix of any record's id) are
resolved to paths before a screen is built, so every screen's header shows a full path.
"""

from __future__ import annotations

from textual.app import App

from redun.console.reader import ConsoleReader
from redun.console.routes import ID, Route, parse_route
from redun.console.screens import make_screen
from redun.errors import RedunError

CSS = """
#execution-summary, #execution-counts, #job-summary, #job-args, #job-result,
#job-traceback, #job-dataflow, #value-summary, #value-text, #task-summary {
    padding: 0 1 1 1;
}
#job-source, #task-source { padding: 1; }
LinkTable { height: auto; max-height: 100%; }
"""


class RedunConsole(App):
    """``redun console``: browse executions, jobs, values and tasks of a repository."""

    TITLE = "redun console"
    CSS = CSS
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, reader: ConsoleReader, route: Route | None = None) -> None:
        super().__init__()
        self.reader = reader
        self.start_route = route or Route("executions")

    def on_mount(self) -> None:
        start = self.start_route
        base = start if start.screen == "executions" else Route("executions")
        self.push_screen(make_screen(self.reader, base))
        if start.screen != "executions":
            self.open(start)

    def resolve(self, route: Route) -> Route:
        """Turn an id route (``-``, a prefix) into the full path of its record."""
        if route.screen != ID:
            return route
        path = self.reader.resolve(route.record_id or "")
        return parse_route([path, *route.argv()[1:]])

    def open(self, route: Route) -> None:
        """Push the screen for ``route``; a bad id is a notification, not a crash."""
        try:
            screen = make_screen(self.reader, self.resolve(route))
        except RedunError as exc:
            self.notify(str(exc), title="redun", severity="error")
            return
        self.push_screen(screen)

    def open_path(self, path: str) -> None:
        self.open(parse_route([path]))
