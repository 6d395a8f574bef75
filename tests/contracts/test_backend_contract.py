"""What the scheduler relies on from any backend, run against SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from contracts.backend_rows import PICKLE, execution, fake_hash, one_call_execution, value
from redun.backends.records import CallNodeRow, JobEndRow, TagRow, ValueRow
from redun.errors import BackendError, DatabaseVersionError


def count(backend, table: str, where: str = "") -> int:
    from sqlalchemy import text

    with backend.transaction() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table} {where}")).scalar_one()


def test_writes_are_idempotent(backend):
    rows = execution("exec-a", range(3))
    backend.write(rows)
    backend.write(rows)
    backend.flush()
    assert count(backend, "execution") == 1
    assert count(backend, "job") == 4
    assert count(backend, "call_node") == 4
    assert count(backend, "call_edge") == 3
    assert count(backend, "evaluation") == 3
    assert count(backend, "argument") == 3
    # task value, 0..3 (args and results overlap), and the total 6
    assert count(backend, "value") == 6


def test_subvalues_and_file_paths_are_written_once(backend):
    rows = one_call_execution()
    backend.write(rows)
    backend.write(rows)
    backend.flush()
    for table in ("task", "job", "execution", "call_node", "argument", "evaluation"):
        assert count(backend, table) == 1, table
    assert count(backend, "value") == 4
    assert count(backend, "subvalue") == 1
    assert count(backend, "file", "WHERE path = '/data/out.txt'") == 1


def test_job_end_fills_in_the_job(backend):
    backend.write(execution("exec-a", range(2)))
    backend.write(one_call_execution())
    backend.flush()
    assert count(backend, "job", "WHERE end_time IS NULL OR call_hash IS NULL") == 0
    # The job of one_call_execution ran (was not cached) and ended in its call node.
    jobs = f"WHERE call_hash = '{fake_hash('c')}' AND NOT cached"
    assert count(backend, "job", jobs) == 1


def test_cache_reads_are_batched_and_exact(backend):
    backend.write(execution("exec-a", range(5)))
    backend.flush()
    wanted = [f"e{n:039x}" for n in range(5)]
    missing = [f"{i:040d}" for i in range(1200)]
    evaluations = backend.get_evaluations(wanted + missing + wanted)
    assert evaluations == {f"e{n:039x}": value(n + 1).value_hash for n in range(5)}
    values = backend.get_values([value(3).value_hash, "f" * 40])
    assert list(values) == [value(3).value_hash]
    type_name, fmt, data = values[value(3).value_hash]
    assert (type_name, fmt, data) == ("builtins.int", PICKLE, value(3).value)


def test_call_nodes_come_newest_first_with_their_subtree_tasks(backend):
    task = fake_hash("t")
    backend.write(execution("exec-a", range(1)))
    old = datetime.now(UTC) - timedelta(days=1)
    for call_hash, when in ((fake_hash("o"), old), (fake_hash("n"), datetime.now(UTC))):
        backend.write(
            [CallNodeRow(call_hash, "ns.add", task, fake_hash("q"), value(1).value_hash, when)]
        )
    backend.flush()
    hits = backend.get_call_nodes(task, fake_hash("q"))
    assert [hit.call_hash for hit in hits] == [fake_hash("n"), fake_hash("o")]
    assert backend.get_call_nodes(task, fake_hash("z")) == []
    [hit] = backend.get_call_nodes(task, f"g{0:039x}")
    assert hit.subtree_tasks == (task,)


def test_editing_a_tag_leaves_one_current_value(backend):
    backend.write(execution("exec-a", range(1)))
    first = fake_hash("xexec-a")
    edit = TagRow(fake_hash("y"), "Execution", "exec-a", "env", {"name": "b"}, parents=(first,))
    backend.write([edit])
    backend.flush()
    assert count(backend, "tag") == 2
    assert count(backend, "tag", "WHERE is_current") == 1
    assert count(backend, "tag_edit") == 1


def test_tag_values_round_trip_as_json(backend):
    from redun.backends.db.models import Tag
    from sqlalchemy import select

    backend.write(execution("exec-a", range(1)))
    backend.flush()
    with backend.transaction() as conn:
        [stored] = conn.execute(select(Tag.__table__.c.value)).scalars()
    assert stored == {"name": "exec-a", "n": [1]}


def test_close_flushes_and_another_client_reads_it(backend_factory):
    writer = backend_factory()
    writer.write(execution("exec-a", range(2)))
    writer.close()
    reader = backend_factory()
    assert reader.get_evaluations([f"e{0:039x}"]) == {f"e{0:039x}": value(1).value_hash}


def test_a_bad_row_fails_its_flush_but_not_the_next(backend):
    backend.write([object()])
    with pytest.raises(BackendError, match="cannot write row of type object"):
        backend.flush()
    backend.write([ValueRow(fake_hash("3"), "builtins.int", PICKLE, b"x")])
    backend.flush()
    assert list(backend.get_values([fake_hash("3")])) == [fake_hash("3")]


def test_writes_before_load_are_refused(backend_factory):
    backend = backend_factory()
    backend.close()
    with pytest.raises(BackendError, match="not loaded"):
        backend.write(execution("exec-a", range(1)))


def test_concurrent_clients_with_overlapping_records_all_land(backend_factory):
    clients = [backend_factory() for _ in range(4)]
    errors: list[BaseException] = []

    def run(index: int, client) -> None:
        try:
            for round_ in range(3):
                # Every client writes results 0..39 plus its own range: heavy overlap.
                exec_id = f"exec-{index}-{round_}"
                client.write(execution(exec_id, range(index * 5, 40 + index * 5)))
                client.write([JobEndRow(f"{exec_id}-root", None, datetime.now(UTC), True)])
            client.flush()
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(clients[0], "execution") == 12
    assert count(clients[0], "job") == 12 * 41
    assert count(clients[0], "evaluation") == 55
    assert count(clients[0], "job", "WHERE end_time IS NULL") == 0


def test_a_schema_newer_than_the_code_is_refused(backend_factory):
    from sqlalchemy import text

    first = backend_factory()
    with first.transaction() as conn:
        conn.execute(
            text(
                "INSERT INTO redun_version (id, version, timestamp) "
                "VALUES ('contract-v4', 4, :when)"
            ),
            {"when": datetime.now(UTC) + timedelta(days=1)},
        )
    try:
        with pytest.raises(DatabaseVersionError, match="newer than this redun.*upgrade redun"):
            backend_factory()
    finally:
        with first.transaction() as conn:
            conn.execute(text("DELETE FROM redun_version WHERE id = 'contract-v4'"))
