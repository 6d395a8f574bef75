"""Search across executions, tasks and jobs by id prefix, task name, command or tag."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from redun.console.screens.base import RedunScreen
from redun.console.widgets import LinkTable


class SearchScreen(RedunScreen):
    """``search --find TEXT``; the search box is always shown."""

    def compose_body(self) -> ComposeResult:
        self.search_input = Input(placeholder="Search ids, task names, commands, tags...")
        self.search_input.id = "search-input"
        self.results = LinkTable(["Kind", "Id", "What"], id="search-results")
        yield self.search_input
        yield self.results

    def load(self) -> None:
        find = self.route.value("find")
        self.search_input.value = find
        hits = self.reader.search(find)
        self.results.set_rows((hit.path, [hit.kind, hit.id[:8], hit.label]) for hit in hits)
        if hits:
            self.results.focus()
        else:
            self.search_input.focus()

    def action_filter(self) -> None:
        self.search_input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.search_input:
            event.stop()
            self.route = self.route.with_options([("find", event.value)] if event.value else [])
            self.reload()
