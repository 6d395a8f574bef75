"""Feed a pager while the lines are still being read from the database.

Collecting a 100,000-job log before opening the pager kept the user looking at nothing
for seconds. The lines are rendered on a worker thread into a bounded queue that the
pager drains; quitting the pager stops the worker at its next line.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

import click

# Lines rendered ahead of the pager: enough to fill several screens, bounded so a user
# who reads only the first page does not make us hold the whole log.
AHEAD = 2000

_DONE = object()


class _PagerClosed(Exception):
    """The pager stopped reading: the renderer unwinds quietly."""


def page_lines(render: Callable[[Callable[[str], None]], None]) -> None:
    """Run ``render(emit)`` on a worker thread and page what it emits, as it comes.

    An error raised before the first line (an unknown id, a bad option) is raised here,
    before the pager opens, so it reads as the usual one-line error.
    """
    feed: queue.Queue = queue.Queue(maxsize=AHEAD)
    closed = threading.Event()

    def emit(line: str) -> None:
        while not closed.is_set():
            try:
                feed.put(line, timeout=0.1)
                return
            except queue.Full:
                continue
        raise _PagerClosed()

    def produce() -> None:
        try:
            render(emit)
        except _PagerClosed:
            return
        except BaseException as error:  # handed to the reading side
            feed.put(error)
        feed.put(_DONE)

    worker = threading.Thread(target=produce, name="redun-log-render", daemon=True)
    worker.start()
    first = feed.get()
    if isinstance(first, BaseException):
        raise first
    if first is _DONE:
        return

    def lines() -> Iterator[str]:
        # Newlines go between lines: click ends the pager's text with one itself.
        item, separator = first, ""
        while item is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield separator + item
            item, separator = feed.get(), "\n"

    try:
        click.echo_via_pager(lines())
    finally:
        closed.set()
