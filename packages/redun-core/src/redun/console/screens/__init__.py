"""The console's screens, one module per kind of record."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redun.console.reader import ConsoleReader
    from redun.console.routes import Route
    from redun.console.screens.base import RedunScreen


def make_screen(reader: ConsoleReader, route: Route) -> RedunScreen:
    """The screen that shows ``route`` (whose id is already resolved)."""
    from redun.console.screens.execution import ExecutionScreen
    from redun.console.screens.executions import ExecutionsScreen
    from redun.console.screens.job import JobScreen
    from redun.console.screens.records import TaskScreen, ValueScreen
    from redun.console.screens.search import SearchScreen

    screens: dict[str, type[RedunScreen]] = {
        "executions": ExecutionsScreen,
        "execution": ExecutionScreen,
        "job": JobScreen,
        "value": ValueScreen,
        "task": TaskScreen,
        "search": SearchScreen,
    }
    return screens[route.screen](reader, route)
