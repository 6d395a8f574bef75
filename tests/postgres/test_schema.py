"""Schema 3.5 on PostgreSQL: upstream's column types and indexes, and a cached rerun."""

from __future__ import annotations

from postgres.pg_server import run_sql
from redun import Scheduler, task

redun_namespace = "test_pg_schema"


@task()
def double(x: int) -> int:
    return 2 * x


@task()
def total(n: int) -> int:
    return sum_all([double(i) for i in range(n)])


@task()
def sum_all(values: list) -> int:
    return sum(values)


def test_tag_values_are_jsonb_and_ids_have_pattern_ops_indexes(pg_backend, pg_uri):
    types = dict(
        run_sql(
            pg_uri,
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE table_name IN ('tag', 'job', 'value')",
        )
    )
    assert types["tag.value"] == "jsonb"
    assert types["tag.entity_type"] == "USER-DEFINED"
    assert types["job.start_time"] == "timestamp with time zone"
    assert types["value.value"] == "bytea"
    indexes = dict(run_sql(pg_uri, "SELECT indexname, indexdef FROM pg_indexes"))
    for name in (
        "ix_job_id_vpo",
        "ix_execution_id_vpo",
        "ix_call_node_call_hash_vpo",
        "ix_value_value_hash_vpo",
        "ix_task_hash_vpo",
    ):
        assert "varchar_pattern_ops" in indexes[name], name
    assert "WHERE is_current" in indexes["ix_tag_tag_hash_current"]
    assert run_sql(pg_uri, "SELECT typname FROM pg_type WHERE typname = 'tagentitytype'")


def test_a_workflow_runs_and_its_rerun_is_served_from_postgres(pg_uri):
    config = {"backend": {"db_uri": pg_uri}}
    first = Scheduler(config=config)
    assert first.run(total(30)) == sum(2 * i for i in range(30))
    first.backend.close()
    second = Scheduler(config=config)
    assert second.run(total(30)) == 870
    second.backend.close()
    jobs, cached = run_sql(pg_uri, "SELECT count(*), count(*) FILTER (WHERE cached) FROM job")[0]
    # The second execution's jobs all come from the first one's cache.
    assert jobs % 2 == 0 and cached == jobs // 2
    assert run_sql(pg_uri, "SELECT count(*) FROM execution")[0][0] == 2
    # The prefix search `redun log` does uses the pattern-ops index.
    job_id = run_sql(pg_uri, "SELECT id FROM job LIMIT 1")[0][0]
    assert run_sql(pg_uri, f"SELECT count(*) FROM job WHERE id LIKE '{job_id[:8]}%'")[0][0] >= 1


def test_writes_survive_a_dropped_connection(pg_uri):
    from contracts.backend_rows import execution
    from redun_postgres import RedunBackendPostgres

    pg_backend = RedunBackendPostgres(pg_uri, config={"db_retries_backoff": "0.01"})
    pg_backend.load()
    pg_backend.write(execution("exec-a", range(2)))
    pg_backend.flush()
    # Kill every redun session of this database, as a server restart or failover would.
    run_sql(
        pg_uri,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    pg_backend.write(execution("exec-b", range(2, 4)))
    pg_backend.flush()
    assert set(pg_backend.get_evaluations([f"e{n:039x}" for n in range(4)])) == {
        f"e{n:039x}" for n in range(4)
    }
    assert run_sql(pg_uri, "SELECT count(*) FROM execution")[0][0] == 2
    pg_backend.close()
