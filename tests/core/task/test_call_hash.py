"""redun.task.hash_args_eval: the cache key of a call, computed from the task."""

from __future__ import annotations

import sqlite3

from redun import task
from redun.task import hash_args_eval
from redun.value import get_type_registry

redun_namespace = "test_call_hash"


@task(config_args=["verbose"])
def scale(x: int, factor: int, verbose: bool = False) -> int:
    return x * factor


@task()
def total(x: int, *rest: int) -> int:
    return x + sum(rest)


def test_config_args_do_not_change_the_key():
    registry = get_type_registry()
    quiet = hash_args_eval(registry, scale, (2, 3), {})
    loud = hash_args_eval(registry, scale, (2, 3), {"verbose": True})
    loud_by_position = hash_args_eval(registry, scale, (2, 3, True), {})
    assert quiet == loud == loud_by_position
    assert hash_args_eval(registry, scale, (2, 4), {}) != quiet


def test_variadic_arguments_change_the_key():
    registry = get_type_registry()
    assert hash_args_eval(registry, total, (1, 2), {}) != hash_args_eval(
        registry, total, (1, 2, 3), {}
    )


def test_the_key_is_the_one_the_scheduler_caches_under(make_scheduler, db_path):
    make_scheduler().run(scale(2, 3, verbose=True))
    with sqlite3.connect(db_path) as conn:
        recorded = {row[0] for row in conn.execute("SELECT eval_hash FROM evaluation")}
    eval_hash, _ = hash_args_eval(get_type_registry(), scale, (2, 3), {"verbose": True})
    assert eval_hash in recorded
