"""Handles through a real workflow: forks, advances, lineage rows, caching, merging.

The external system is a real SQLite file the tasks insert into, so a task body that
runs again shows up as an extra row.
"""

from __future__ import annotations

import sqlite3

import pytest
from redun import Handle, Scheduler, task
from redun.handle import HandleError, merge_handles


class DbHandle(Handle):
    def __init__(self, name, db_file, namespace=None):
        self.db_file = db_file
        self.instance = sqlite3.connect(db_file, check_same_thread=False)


# The task sources below are byte-identical to the workflow the literal hashes were
# computed with (upstream redun 0.44.1, namespace handle_wf, handle on "items.db").
@task(namespace="handle_wf")
def insert(db, value):
    db.execute("CREATE TABLE IF NOT EXISTS item (value)")
    db.execute("INSERT INTO item VALUES (?)", (value,))
    db.commit()
    return db


@task(namespace="handle_wf")
def main(db):
    first = insert(db, 1)
    second = insert(db, 2)
    return [first, second, insert(first, 3), insert(first, 4)]


@task(namespace="handle_wf_merge")
def merged(db):
    first = insert(db, 10)
    second = insert(db, 20)
    return merge_handles([first, second])


INIT = "d8212b3e09a44bd22663637bc4d50942c4106611"
ROOT_FORK = "361803f4c04a52b35a551bdc6f249ccdef5f130b"  # key "0": main is the root job
MAIN_FORK = "7936f1938fedbfe10d1b8e2ef2e648fa0436d1db"  # a keyed handle keeps its key
FIRST = "21b5ac2a086c498eaa6fc59acb90858f90fcdeac"
SECOND = "ea2a2de7ca636b8545874935d1f4984039f0d483"
THIRD_FORK = "ba6c772f7f6fb9145a071a6bb33904d18d7d4e0a"  # first, forked with key "1"
THIRD = "e53d4ba3ce1633141ab54d7271fe0eaa1900c32b"
FOURTH_FORK = "9dd9303a3fa015a2df1bf75ab7b65c4241dfbb25"  # and with key "2"
FOURTH = "75bf246c7af23e339b51444f40470970bff0640c"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    # The handle's constructor argument is a relative path, so hashes do not depend on
    # where the test runs.
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def make_scheduler(workdir):
    made: list[Scheduler] = []

    def make() -> Scheduler:
        # One worker: the tasks share one sqlite3 connection (the handle's external
        # system), which is not safe to use from two threads at once.
        scheduler = Scheduler(
            config={
                "backend": {"db_uri": f"sqlite:///{workdir}/redun.db"},
                "executors": {"default": {"type": "local", "max_workers": "1"}},
            }
        )
        made.append(scheduler)
        return scheduler

    yield make
    for scheduler in made:
        scheduler.backend.close()


def items(workdir) -> list[int]:
    with sqlite3.connect(workdir / "items.db") as conn:
        return sorted(row[0] for row in conn.execute("SELECT value FROM item"))


def handle_table(workdir) -> dict[str, tuple[str, str, bool]]:
    with sqlite3.connect(workdir / "redun.db") as conn:
        rows = conn.execute("SELECT hash, fullname, key, is_valid FROM handle").fetchall()
    return {row[0]: (row[1], row[2], bool(row[3])) for row in rows}


def edges(workdir) -> set[tuple[str, str]]:
    with sqlite3.connect(workdir / "redun.db") as conn:
        return set(conn.execute("SELECT parent_id, child_id FROM handle_edge").fetchall())


def test_results_advance_with_upstream_hashes(make_scheduler, workdir):
    first, second, third, fourth = make_scheduler().run(main(DbHandle("items", "items.db")))
    assert items(workdir) == [1, 2, 3, 4]
    assert (first.get_hash(), second.get_hash()) == (FIRST, SECOND)
    assert first.__handle__.key == second.__handle__.key == ""
    table = handle_table(workdir)
    assert table[INIT] == ("items", "", True)
    assert table[ROOT_FORK] == ("items", "0", True)
    assert table[MAIN_FORK] == ("items", "0", True)
    assert {(INIT, ROOT_FORK), (ROOT_FORK, MAIN_FORK), (MAIN_FORK, FIRST), (MAIN_FORK, SECOND)} <= (
        edges(workdir)
    )


def test_forks_in_one_parent_get_distinct_keys(make_scheduler, workdir):
    _, _, third, fourth = make_scheduler().run(main(DbHandle("items", "items.db")))
    assert items(workdir) == [1, 2, 3, 4]
    assert third.get_hash() != fourth.get_hash()
    table, lineage = handle_table(workdir), edges(workdir)
    forks = {child for parent, child in lineage if parent == FIRST}
    assert len(forks) == 2
    assert len({table[fork][1] for fork in forks}) == 2
    assert {
        parent for parent, child in lineage if child in (third.get_hash(), fourth.get_hash())
    } == (forks)
    assert all(valid for _, _, valid in table.values())


def test_sibling_fork_keys_match_upstream(make_scheduler, workdir):
    _, _, third, fourth = make_scheduler().run(main(DbHandle("items", "items.db")))
    assert (third.get_hash(), fourth.get_hash()) == (THIRD, FOURTH)
    assert {(FIRST, THIRD_FORK), (FIRST, FOURTH_FORK)} <= edges(workdir)


def test_handle_values_are_recorded_under_their_class(make_scheduler, workdir):
    make_scheduler().run(main(DbHandle("items", "items.db")))
    with sqlite3.connect(workdir / "redun.db") as conn:
        types = dict(conn.execute("SELECT value_hash, type FROM value").fetchall())
    assert all(types[state] == f"{__name__}.DbHandle" for state in handle_table(workdir))


def test_rerun_is_cached_and_leaves_the_system_alone(make_scheduler, workdir):
    results = make_scheduler().run(main(DbHandle("items", "items.db")))
    again = make_scheduler().run(main(DbHandle("items", "items.db")))
    assert items(workdir) == [1, 2, 3, 4]
    assert [h.get_hash() for h in again] == [h.get_hash() for h in results]
    # A cached handle is rebuilt through __init__: it is connected again.
    assert again[0].execute("SELECT count(*) FROM item").fetchone() == (4,)


def test_rolled_back_state_is_not_reused(make_scheduler, workdir):
    scheduler = make_scheduler()
    scheduler.run(main(DbHandle("items", "items.db")))
    invalid = scheduler.backend.rollback_handle(MAIN_FORK, "items")
    assert {FIRST, SECOND} <= invalid
    assert scheduler.backend.get_handle_validity([FIRST, MAIN_FORK]) == {
        FIRST: False,
        MAIN_FORK: True,
    }
    make_scheduler().run(main(DbHandle("items", "items.db")))
    # Both inserts on the rolled-back branch ran again (and the ones after them).
    assert items(workdir) == [1, 1, 2, 2, 3, 3, 4, 4]
    # Producing a state again makes it current again.
    assert all(valid for _, _, valid in handle_table(workdir).values())
    make_scheduler().run(main(DbHandle("items", "items.db")))
    assert len(items(workdir)) == 8


def test_merge_handles_joins_forks_into_the_first(make_scheduler, workdir):
    result = make_scheduler().run(merged(DbHandle("items", "items.db")))
    assert items(workdir) == [10, 20]
    table = handle_table(workdir)
    results = [state for state, (_, key, _) in table.items() if key == ""]
    # init state, the two inserts' results
    assert len(results) == 3
    merged_edges = {(p, c) for p, c in edges(workdir) if c == result.get_hash()}
    parents = {p for p, _ in merged_edges}
    assert len(parents) == 2
    other = (parents & set(results)).pop()
    assert other != result.get_hash()
    assert make_scheduler().run(merged(DbHandle("items", "items.db"))).get_hash() == (
        result.get_hash()
    )
    assert items(workdir) == [10, 20]


def test_merge_handles_refuses_other_systems(make_scheduler, workdir):
    @task(namespace="handle_wf_bad")
    def mixed(db, other):
        return merge_handles([insert(db, 1), insert(other, 2)])

    with pytest.raises(HandleError, match="different systems"):
        make_scheduler().run(mixed(DbHandle("items", "items.db"), DbHandle("others", "others.db")))


@task(namespace="handle_wf_again")
def passthrough(db):
    return db


@task(namespace="handle_wf_again")
def other(db):
    return db


def test_a_state_rolled_back_and_made_again_by_the_same_scheduler_is_valid(workdir) -> None:
    """One Scheduler, three runs: other() rolls passthrough()'s state back; running
    passthrough() again makes that state again, so it must be valid again."""
    scheduler = Scheduler()
    db = DbHandle("db", "again.db")
    first = scheduler.run(passthrough(db))
    second = scheduler.run(other(db))
    assert not scheduler.backend.is_valid_handle(first)

    again = scheduler.run(passthrough(db))

    assert again.__handle__.hash == first.__handle__.hash
    assert scheduler.backend.is_valid_handle(again)
    assert not scheduler.backend.is_valid_handle(second)
