"""``no_prov``: the subtree records nothing, the wrapper is recorded and replays."""

from __future__ import annotations

from redun import task
from redun.functools import no_prov

redun_namespace = "test_no_prov"

calls: list[str] = []


@task()
def leaf(x: int) -> int:
    calls.append("leaf")
    return x * 3


@task()
def big(n: int) -> int:
    calls.append("big")
    return _total([leaf(i) for i in range(n)])


@task()
def _total(values: list[int]) -> int:
    return sum(values)


@task()
def main(n: int) -> int:
    return no_prov(big(n))


def test_no_prov_records_only_the_wrapper_and_replays(make_scheduler, ran_tasks):
    calls.clear()
    first = make_scheduler()
    assert first.run(main(3)) == 9
    assert calls.count("leaf") == 3
    recorded = ran_tasks(first)
    assert "redun.no_prov" in recorded
    assert not {"test_no_prov.leaf", "test_no_prov.big", "test_no_prov._total"} & set(recorded)

    calls.clear()
    second = make_scheduler()
    assert second.run(main(3)) == 9
    assert calls == []
