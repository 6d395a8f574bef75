"""`redun viz`: an execution's call graph or dataflow as Graphviz DOT, SVG or PNG.

Upstream redun dropped its graph output; users still want a picture of a run to paste
into a review or a notebook. DOT needs nothing installed; SVG and PNG call the ``dot``
binary.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from redun.cli.state import get_state
from redun.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

FORMATS = ("dot", "svg", "png")


def _format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    ext = os.path.splitext(output or "")[1].lstrip(".").lower()
    return ext if ext in FORMATS else "dot"


def _execution_id(conn: Connection, record_id: str) -> str:
    from redun.backends.db.queries import get_jobs, resolve_id

    kind, full_id = resolve_id(conn, record_id)
    if kind == "Execution":
        return full_id
    if kind == "Job":
        return get_jobs(conn, [full_id])[full_id].execution_id
    raise UsageError(f"'{record_id}' is a {kind}, not an execution; give an execution id or `-`")


@click.command("viz")
@click.argument("record_id", required=False, default="-", metavar="[EXEC_ID|-|~N]")
@click.option("--dataflow", is_flag=True, help="Draw where values flowed, not who called whom.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format (default: from the -o extension, else dot).",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
def viz_command(record_id: str, dataflow: bool, fmt: str | None, output: str | None) -> None:
    """Draw an execution (default: the latest) as a Graphviz graph."""
    from redun.backends.db import graph
    from redun.viz.dot import call_graph_dot, dataflow_dot

    fmt = _format(fmt, output)
    backend = get_state().backend()
    transaction = getattr(backend, "transaction", None)
    if transaction is None:
        raise UsageError("`redun viz` needs a SQL database backend; check [backend] db_uri")
    with transaction() as conn:
        execution_id = _execution_id(conn, record_id)
        if dataflow:
            text = dataflow_dot(graph.dataflow(conn, execution_id), execution_id)
        else:
            text = call_graph_dot(graph.call_graph(conn, execution_id), execution_id)
    if fmt == "dot":
        data = text.encode("utf8")
    else:
        from redun.viz.render import render

        data = render(text, fmt)
    if output:
        with open(output, "wb") as handle:
            handle.write(data)
        click.echo(f"Wrote {fmt} graph of execution {execution_id[:8]} to {output}", err=True)
    else:
        # click.echo writes bytes to the binary stdout (and works under CliRunner).
        click.echo(data, nl=False)
