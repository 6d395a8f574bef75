"""Job lines reach every logging consumer; the record-free path is only taken when the
CLI's handler is the sole consumer."""

from __future__ import annotations

import functools
import logging

import pytest
from redun.log_output import StderrLineHandler
from redun.scheduler.job_lines import job_line_writer


@pytest.fixture
def isolated_logger():
    """A logger for the test's own handlers (pytest's log capture may attach handlers
    to loggers around each phase: tests set ``handlers`` outright; the fixture puts
    the originals back)."""
    logger = logging.getLogger("redun.test_job_lines")
    saved = list(logger.handlers)
    logger.handlers.clear()
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger
    logger.handlers[:] = saved
    logger.filters.clear()


def _cli_handler() -> StderrLineHandler:
    handler = StderrLineHandler()
    handler.setFormatter(logging.Formatter("[redun] %(message)s"))
    return handler


def test_sole_cli_handler_gets_lines_without_records(isolated_logger, capsys):
    handler = _cli_handler()
    isolated_logger.handlers = [handler]
    write = job_line_writer(isolated_logger)
    assert write == handler.emit_line
    write("Cached Job 1234abcd:  ns.inc(1) (eval_hash=aa, call_hash=None)")
    handler.flush()
    assert capsys.readouterr().err == (
        "[redun] Cached Job 1234abcd:  ns.inc(1) (eval_hash=aa, call_hash=None)\n"
    )


def test_a_users_handler_still_gets_one_record_per_line(isolated_logger, capsys):
    handler = _cli_handler()
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    isolated_logger.handlers = [handler, Collect()]
    write = job_line_writer(isolated_logger)
    write("Run    Job 1:  ns.a() on default")
    write("Cached Job 2:  ns.b()")
    handler.flush()
    assert seen == ["Run    Job 1:  ns.a() on default", "Cached Job 2:  ns.b()"]
    assert capsys.readouterr().err.splitlines() == [
        "[redun] Run    Job 1:  ns.a() on default",
        "[redun] Cached Job 2:  ns.b()",
    ]


def _writes_records(writer, logger) -> bool:
    """The writer logs ordinary records: ``logger.log(INFO, line)``."""
    return (
        isinstance(writer, functools.partial)
        and writer.func == logger.log
        and writer.args == (logging.INFO,)
    )


def test_job_lines_reach_a_wrapped_logger_log(isolated_logger):
    from unittest.mock import patch

    isolated_logger.handlers = [_cli_handler()]
    with patch.object(isolated_logger, "log") as log:
        # Even where the fast path would be taken.
        job_line_writer(isolated_logger)("Miss   Job 1:  why")
    log.assert_called_once_with(logging.INFO, "Miss   Job 1:  why")


def test_filters_propagation_and_levels_keep_records(isolated_logger):
    isolated_logger.handlers = [_cli_handler()]
    isolated_logger.addFilter(lambda record: True)
    assert _writes_records(job_line_writer(isolated_logger), isolated_logger)
    isolated_logger.filters.clear()

    isolated_logger.propagate = True
    root_handler = logging.NullHandler()
    logging.getLogger().addHandler(root_handler)
    try:
        assert _writes_records(job_line_writer(isolated_logger), isolated_logger)
    finally:
        logging.getLogger().removeHandler(root_handler)
        isolated_logger.propagate = False

    isolated_logger.setLevel(logging.WARNING)
    assert _writes_records(job_line_writer(isolated_logger), isolated_logger)


def test_job_ids_are_unique_version_4_uuids():
    import uuid

    from redun.scheduler.job import new_job_id

    ids = [new_job_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)


def test_status_table_is_laid_out_as_upstream_prints_it():
    """The lines upstream redun 0.44.1 printed for a cached hello run (observed output)."""
    from collections import Counter
    from datetime import datetime

    from redun.scheduler.report import format_status_table

    counts = {
        "hello.main": Counter(CACHED=1),
        "hello.get_planet": Counter(CACHED=1),
        "hello.greeter": Counter(CACHED=1),
    }
    assert format_status_table(counts, datetime(2026, 11, 30, 2, 32, 50)) == [
        "| JOB STATUS 2026/11/30 02:32:50",
        "| TASK             PENDING RUNNING  FAILED  CACHED    DONE   TOTAL",
        "| ",
        "| ALL                    0       0       0       3       0       3",
        "| hello.get_planet       0       0       0       1       0       1",
        "| hello.greeter          0       0       0       1       0       1",
        "| hello.main             0       0       0       1       0       1",
    ]


def test_job_calls_name_every_parameter_as_upstream_prints_them():
    from redun import task
    from redun.scheduler.report import format_task_call

    @task(namespace="fmt")
    def greeter(greet: str, thing: str, punct: str = "!", *, loud: bool = False) -> str:
        return greet

    @task(namespace="fmt")
    def many(first: int, *rest: int, **extra: int) -> int:
        return first

    assert (
        format_task_call(greeter, ("Hello",), {"thing": "World"})
        == "fmt.greeter(greet='Hello', thing='World', punct='!', loud=False)"
    )
    assert (
        format_task_call(greeter, ("Hi", "Mars", "?"), {"loud": True})
        == "fmt.greeter(greet='Hi', thing='Mars', punct='?', loud=True)"
    )
    assert format_task_call(many, (1, 2, 3), {"x": 4}) == "fmt.many(first=1, rest=(2, 3), x=4)"
    long = format_task_call(greeter, ("x" * 500, "y"), {})
    assert long.startswith("fmt.greeter(greet='xxx") and "xxx...," in long
    assert len(long.split(", thing=")[0]) == len("fmt.greeter(greet=") + 200
