from __future__ import annotations

import io
import os
import sqlite3

import pytest
from core.backends.sync_repos import TABLES, counts, execution_ids, make_repo, run_workflow  # noqa: E402
from redun.backends.db import RedunBackendDb
from redun.backends.db import sync as sync_module
from redun.backends.db.sync import sync
from redun.backends.db.sync_io import export_records, import_records, parse_lines
from redun.backends.db.sync_walk import walk
from redun.backends.records import TagRow
from redun.errors import BackendError, UsageError
from redun.hashing import hash_tag


def open_backend(config_dir: str) -> RedunBackendDb:
    backend = RedunBackendDb("sqlite:///redun.db", config_dir=config_dir)
    backend.load()
    return backend


@pytest.fixture
def source(tmp_path):
    """A repo with two executions of the File workflow (n=3, then n=5)."""
    config_dir = make_repo(tmp_path / "src")
    out = str(tmp_path / "out.txt")
    run_workflow(config_dir, out, 3)
    run_workflow(config_dir, out, 5)
    return config_dir


@pytest.fixture
def dest_dir(tmp_path):
    return make_repo(tmp_path / "dest")


def rows(config_dir: str, table: str) -> list[tuple]:
    with sqlite3.connect(os.path.join(config_dir, "redun.db")) as conn:
        return sorted(conn.execute(f"select * from {table}"), key=repr)


def test_push_copies_every_table_then_is_up_to_date(source, dest_dir):
    src, dest = open_backend(source), open_backend(dest_dir)
    first = sync(src, dest)
    second = sync(src, dest)
    src.close(), dest.close()
    assert first.executions == 2 and first.records > 0
    assert second.records == 0
    assert second.describe("Pushed", "other") == "Repo 'other' is up to date."
    for table in TABLES:
        assert rows(dest_dir, table) == rows(source, table), table


def test_push_of_one_execution_sends_only_its_records(source, dest_dir):
    older, newer = execution_ids(source)
    src, dest = open_backend(source), open_backend(dest_dir)
    sync(src, dest, [older[:8]])
    assert execution_ids(dest_dir) == [older]
    assert counts(dest_dir)["job"] == 3
    # The rest arrives later without resending what the destination has.
    rest = sync(src, dest)
    src.close(), dest.close()
    assert rest.executions == 1
    assert execution_ids(dest_dir) == [older, newer]
    assert counts(dest_dir) == counts(source)


def test_walk_prunes_at_records_the_destination_has(source, dest_dir):
    older, newer = execution_ids(source)
    src, dest = open_backend(source), open_backend(dest_dir)
    sync(src, dest, [older])
    with src.transaction() as src_conn, dest.transaction() as dest_conn:
        plan = walk(src_conn, dest_conn, {"Execution": [older, newer]})
    src.close(), dest.close()
    # Only the newer execution's jobs are new; tasks and the unchanged `n`-free
    # values are shared with the older one and are not sent again.
    assert plan.ids["Execution"] == [newer]
    assert len(plan.ids["Job"]) == 3
    assert plan.ids["Task"] == []


def test_failed_push_leaves_destination_unchanged(source, dest_dir, monkeypatch):
    older, _ = execution_ids(source)
    src, dest = open_backend(source), open_backend(dest_dir)
    sync(src, dest, [older])
    before = counts(dest_dir)
    real_insert = sync_module.insert_rows

    def failing_insert(conn, table, rows):
        if table.name == "job":
            raise RuntimeError("disk on fire")
        real_insert(conn, table, rows)

    monkeypatch.setattr(sync_module, "insert_rows", failing_insert)
    with pytest.raises(RuntimeError):
        sync(src, dest)
    monkeypatch.undo()
    src.close(), dest.close()
    # Values and call nodes were inserted before the failure, then rolled back.
    assert counts(dest_dir) == before


def test_database_error_during_push_is_one_line_backend_error(source, dest_dir, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(conn, table, rows):
        raise OperationalError("INSERT", {}, Exception("database disk image is malformed"))

    src, dest = open_backend(source), open_backend(dest_dir)
    monkeypatch.setattr(sync_module, "insert_rows", broken)
    with pytest.raises(BackendError) as info:
        sync(src, dest)
    src.close(), dest.close()
    assert "nothing was written" in str(info.value) and "\n" not in str(info.value)
    assert counts(dest_dir) == dict.fromkeys(TABLES, 0)


def test_tag_edits_made_after_a_push_are_sent(source, dest_dir):
    older, _ = execution_ids(source)
    src, dest = open_backend(source), open_backend(dest_dir)
    sync(src, dest)
    prod = hash_tag(older, "env", "prod", [])
    dev = hash_tag(older, "env", "dev", [prod])
    src.write([TagRow(prod, "Execution", older, "env", "prod")])
    src.flush()
    assert sync(src, dest).records == 1
    src.write([TagRow(dev, "Execution", older, "env", "dev", (prod,))])
    src.flush()
    assert sync(src, dest).records == 1
    src.close(), dest.close()
    current = [r for r in rows(dest_dir, "tag") if r[3] == "env"]
    assert sorted((r[4], r[5]) for r in current) == [('"dev"', 1), ('"prod"', 0)]
    assert rows(dest_dir, "tag_edit") == [(prod, dev)]


def test_unknown_id_and_same_database_are_usage_errors(source, dest_dir):
    src, dest = open_backend(source), open_backend(dest_dir)
    with pytest.raises(UsageError, match="no execution, job, call node, task or value has id"):
        sync(src, dest, ["zzzz"])
    with pytest.raises(UsageError, match="with itself"):
        sync(src, src)
    src.close(), dest.close()
    assert counts(dest_dir) == dict.fromkeys(TABLES, 0)


def test_export_import_round_trip_reproduces_every_row(source, dest_dir):
    src, dest = open_backend(source), open_backend(dest_dir)
    with src.transaction() as conn:
        plan = walk(conn, None, {"Execution": execution_ids(source)})
        text = "".join(__import__("json").dumps(r) + "\n" for r in export_records(conn, plan))
    types = [__import__("json").loads(line)["_type"] for line in text.splitlines()]
    assert {"Execution", "Job", "CallNode", "Value", "Tag"} == set(types)
    with dest.transaction() as conn:
        first = import_records(conn, parse_lines(io.StringIO(text), "x.jsonl"), "x.jsonl")
    with dest.transaction() as conn:
        again = import_records(conn, parse_lines(io.StringIO(text), "x.jsonl"), "x.jsonl")
    src.close(), dest.close()
    assert first["Execution"] == 2 and sum(again.values()) == 0
    for table in TABLES:
        assert rows(dest_dir, table) == rows(source, table), table


def test_import_reads_upstream_exports(dest_dir):
    # One record of each kind in upstream redun 0.44.1's `redun export` format.
    text = "\n".join(
        [
            '{"_version": 1, "_type": "Value", "value_hash": "' + "v" * 40 + '", "type": '
            '"builtins.int", "format": "application/python-pickle", "data": "gANLBC4=", '
            '"subvalues": [], "subtype": null}',
            '{"_version": 1, "_type": "Tag", "tag_hash": "' + "t" * 40 + '", "entity_type": '
            '"Value", "entity_id": "' + "v" * 40 + '", "key": "k", "value": 1, "parents": []}',
        ]
    )
    dest = open_backend(dest_dir)
    with dest.transaction() as conn:
        found = import_records(conn, parse_lines(io.StringIO(text), "up.jsonl"), "up.jsonl")
    dest.close()
    assert found["Value"] == 1 and found["Tag"] == 1
    assert rows(dest_dir, "value")[0][3] == b"\x80\x03K\x04."


@pytest.mark.parametrize(
    "line, message",
    [
        ("not json", "line 1 of x.jsonl is not JSON"),
        ('{"_type": "Bogus", "_version": 1}', "line 1 of x.jsonl is not a redun record"),
        ('{"_type": "Tag", "_version": 9}', "line 1 of x.jsonl has record version 9"),
    ],
)
def test_malformed_import_lines_are_one_line_errors(line, message):
    with pytest.raises(UsageError) as info:
        list(parse_lines([line], "x.jsonl"))
    assert str(info.value).startswith(message)


def test_push_completes_a_job_the_destination_holds_unfinished(source, dest_dir):
    src, dest = open_backend(source), open_backend(dest_dir)
    sync(src, dest)
    db = os.path.join(dest_dir, "redun.db")
    with sqlite3.connect(db) as conn:
        # As if the first push had happened while the root jobs were still running.
        conn.execute("update job set end_time = null, call_hash = null where parent_id is null")
    result = sync(src, dest)
    src.close(), dest.close()
    assert result.records == 2 and result.executions == 0
    assert rows(dest_dir, "job") == rows(source, "job")
