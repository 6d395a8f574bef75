"""Generated workflows give what plain Python gives, on a cold run and on every cached one.

Small expression trees over a few tasks whose defaults read the context, with
``update_context``, cache options, shallow validity and partial tasks, run under a
sequence of execution contexts on one repository. Every run, cold or cached, must
return what evaluating the same tree directly returns: a cache or CSE hit that merges
two calls which differ (in arguments, defaults or context) shows up as a wrong answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from redun import Scheduler, get_context, task
from redun.context_values import merge_dicts

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

redun_namespace = "test_workflow_properties"


@task()
def add(a: int, b: int, offset: int = get_context("offset", 0)) -> int:
    return a + b + offset


@task(check_valid="shallow")
def scale(x: int, factor: int = get_context("factor", 1)) -> int:
    return x * factor


@task()
def build(spec: Any) -> Any:
    """A job whose result is more calls: its children inherit its context."""
    return to_expr(spec)


TASKS = {"add": add, "scale": scale, "build": build}


def _configure(name: str, options: dict) -> Any:
    configured = TASKS[name]
    if options.get("context"):
        configured = configured.update_context(options["context"])
    if "cache" in options:
        configured = configured.options(cache=options["cache"])
    return configured


def to_expr(spec: Any) -> Any:
    """The lazy expression of a spec: an int, or (task name, options, *operands)."""
    if isinstance(spec, int):
        return spec
    name, options, *operands = spec
    configured = _configure(name, options)
    if name == "build":
        return configured(operands[0])
    args = [to_expr(operand) for operand in operands]
    if options.get("partial"):
        # The last argument bound ahead of the call (a concrete int).
        *head, last = args
        keyword = "b" if name == "add" else "x"
        return configured.partial(**{keyword: last})(*head)
    return configured(*args)


def plain(spec: Any, context: dict) -> int:
    """The same tree evaluated directly: arguments in the caller's context, defaults and
    the subtree of a call in the call's own (the caller's, updated by the call)."""
    if isinstance(spec, int):
        return spec
    name, options, *operands = spec
    own = merge_dicts([context, options.get("context") or {}])
    if name == "build":
        return plain(operands[0], own)
    values = [plain(operand, context) for operand in operands]
    if name == "add":
        return values[0] + values[1] + own.get("offset", 0)
    return values[0] * own.get("factor", 1)


contexts = st.fixed_dictionaries(
    {},
    optional={"offset": st.integers(0, 3), "factor": st.integers(1, 3)},
)
call_options = st.fixed_dictionaries({}, optional={"context": contexts, "cache": st.booleans()})
leaves = st.integers(0, 4)


def _calls(children: Any) -> Any:
    partial_options = call_options.map(lambda options: {**options, "partial": True})
    return st.one_of(
        st.tuples(st.just("add"), call_options, children, children),
        st.tuples(st.just("add"), partial_options, children, leaves),
        st.tuples(st.just("scale"), call_options, children),
        st.tuples(st.just("build"), call_options, children),
    )


# Several trees evaluated in one execution (so they meet in its CSE).
workflows = st.lists(st.recursive(leaves, _calls, max_leaves=6), min_size=1, max_size=3)


@hypothesis.settings(
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
@hypothesis.given(workflow=workflows, run_contexts=st.lists(contexts, min_size=2, max_size=3))
def test_every_run_matches_plain_python(tmp_path_factory, workflow, run_contexts):
    db = tmp_path_factory.mktemp("repo") / "redun.db"
    expected_runs = [[plain(spec, ctx) for spec in workflow] for ctx in run_contexts]
    # Cold, then each context again on the warm repository (cached where it may be).
    for ctx, expected in [*zip(run_contexts, expected_runs), *zip(run_contexts, expected_runs)]:
        scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{db}"}})
        try:
            result = scheduler.run([to_expr(spec) for spec in workflow], context=ctx)
        finally:
            scheduler.backend.close()
        assert result == expected, (workflow, ctx)
