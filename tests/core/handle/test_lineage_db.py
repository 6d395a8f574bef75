"""Handle lineage in the database: the writer's rows, validity reads and rollbacks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from redun import Handle
from redun.backends.db import RedunBackendDb
from redun.handle import handle_row, handle_rows, perform_rollbacks


class Ledger(Handle):
    def __init__(self, name, path, namespace=None):
        self.path = path


@pytest.fixture
def backend(tmp_path):
    backend = RedunBackendDb(f"sqlite:///{tmp_path}/redun.db")
    backend.load()
    yield backend
    backend.close()


@pytest.fixture
def lineage(backend):
    """init -> fork -> a -> a_fork -> b, fork -> c, and another system's state."""
    init = Ledger("ledger", "x.db")
    fork = init.fork("0")
    a = fork.apply_call("1" * 40)
    a_fork = a.fork("1")
    b = a_fork.apply_call("2" * 40)
    c = fork.apply_call("3" * 40)
    other = Ledger("other", "x.db").fork("0").apply_call("1" * 40)
    rows = []
    for handle in (b, c, other):
        rows.extend(handle_rows(handle))
    backend.write(rows)
    backend.flush()
    states = {"init": init, "fork": fork, "a": a, "a_fork": a_fork, "b": b, "c": c}
    return SimpleNamespace(
        **{name: state.get_hash() for name, state in states.items()},
        other=other.get_hash(),
        handles=states,
    )


def test_recorded_states_are_valid_and_unknown_ones_absent(backend, lineage):
    found = backend.get_handle_validity([lineage.init, lineage.b, "f" * 40])
    assert found == {lineage.init: True, lineage.b: True}


def test_validity_sees_rows_still_queued(backend):
    state = Ledger("ledger", "queued.db")
    backend.write(handle_rows(state))
    assert backend.get_handle_validity([state.get_hash()]) == {state.get_hash(): True}


def test_rollback_invalidates_every_descendant(backend, lineage):
    invalid = backend.rollback_handle(lineage.fork, "ledger")
    assert invalid == {lineage.a, lineage.a_fork, lineage.b, lineage.c}
    validity = backend.get_handle_validity([lineage.init, lineage.fork, lineage.other])
    assert validity == {lineage.init: True, lineage.fork: True, lineage.other: True}


def test_rollback_spares_kept_states_and_what_grew_from_them(backend, lineage):
    invalid = backend.rollback_handle(lineage.fork, "ledger", keep={lineage.a})
    assert invalid == {lineage.c}


def test_rollback_only_walks_one_system(backend, lineage):
    assert backend.rollback_handle(lineage.fork, "other") == set()


def test_recording_a_state_again_makes_it_current(backend, lineage):
    backend.rollback_handle(lineage.fork, "ledger")
    backend.write([handle_row(lineage.handles["a"], [lineage.fork])])
    backend.flush()
    validity = backend.get_handle_validity([lineage.a, lineage.b])
    assert validity == {lineage.a: True, lineage.b: False}


def test_perform_rollbacks_uses_the_jobs_handle_arguments(backend, lineage):
    job = SimpleNamespace(args=([lineage.handles["a"]],), kwargs={"x": 1})
    assert perform_rollbacks(backend, None, job) == {lineage.a_fork, lineage.b}
    assert perform_rollbacks(backend, None, SimpleNamespace(args=(1,), kwargs={})) == set()
