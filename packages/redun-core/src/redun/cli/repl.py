"""``redun repl``: a Python prompt with the repository's ORM session, for ad-hoc queries.

The prompt's namespace holds ``session``, ``scheduler``-free helpers and every model
class, so the queries of the database guide can be typed as they are written there::

    (redun) session.query(Job).filter(Job.cached).count()
    (redun) query("1a2b").call_node.value_parsed
"""

from __future__ import annotations

import code
from typing import Any

import click

from redun.cli.state import get_state
from redun.errors import UsageError

_ID_COLUMNS = [
    ("Execution", "id"),
    ("Job", "id"),
    ("CallNode", "call_hash"),
    ("Task", "hash"),
    ("Value", "value_hash"),
    ("Tag", "tag_hash"),
]


def make_query(session: Any) -> Any:
    """``query(id_prefix)`` finds any record by id prefix; ``query(Model)`` queries a model."""
    from redun.backends.db import models

    def query(expr: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(expr, str):
            return session.query(expr, *args, **kwargs)
        for name, column in _ID_COLUMNS:
            model = getattr(models, name)
            found = (
                session.query(model).filter(getattr(model, column).like(f"{expr}%")).limit(2).all()
            )
            if len(found) == 1:
                return found[0]
        found = session.query(models.File).filter(models.File.path == expr).all()
        return found[-1] if found else None

    return query


def repl_namespace(session: Any) -> dict[str, Any]:
    """What the prompt starts with: the session, ``query``, models, the last execution."""
    from redun.backends.db import models

    namespace: dict[str, Any] = {
        name: getattr(models, name)
        for name in dir(models)
        if isinstance(getattr(models, name), type)
        and issubclass(getattr(models, name), models.Base)
    }
    namespace.update(session=session, query=make_query(session))
    execution, job = models.Execution, models.Job
    last = (
        session.query(execution)
        .join(job, execution.job_id == job.id)
        .order_by(job.start_time.desc())
        .first()
    )
    namespace["last_exec"] = last
    return namespace


@click.command("repl")
@click.argument("record_id", required=False, metavar="[ID]")
def repl_command(record_id: str | None = None) -> None:
    """A Python prompt for querying the repository (``session``, ``query``, models)."""
    backend = get_state().backend()
    session = getattr(backend, "session", None)
    if session is None:
        raise UsageError("`redun repl` needs a SQL database backend; check [backend] db_uri")
    namespace = repl_namespace(session)
    banner = "redun repl: session, query(id_or_model), last_exec and the model classes."
    if record_id:
        namespace["obj"] = namespace["query"](record_id)
        banner += f"\nobj = query({record_id!r})\n{namespace['obj']!r}"
    code.interact(banner=banner, local=namespace, exitmsg="")
