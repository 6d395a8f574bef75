"""Handle values on their own: hashes (upstream's, byte for byte), serialization, proxying."""

from __future__ import annotations

import pickle

import pytest
from redun import Handle
from redun.backends.records import HandleRow, ValueRow
from redun.handle import handle_rows
from redun.value import get_type_registry


class Connection:
    def __init__(self, path: str) -> None:
        self.path = path

    def query(self) -> str:
        return f"rows of {self.path}"


class LedgerHandle(Handle):
    inits = 0

    def __init__(self, name, db_file, mode="rw", namespace=None):
        type(self).inits += 1
        self.db_file = db_file
        self.mode = mode
        self.instance = Connection(db_file)


# Literal hashes computed by upstream redun 0.44.1 for the same calls.
INIT = "03b4ff9e703f160ca55c36ded5fa27f0141dba5f"
FORK_1 = "ed2fa4af464745e828661c8e945326769c539542"
FORK_1_2 = "491afdee2fc84324c9bb524b86a926cb43e82329"
APPLY_A = "6f52146e251c5a57edb9a480d8bcf762039151e8"
NAMESPACED = "58c89cb0db3923bbadbd024136e67c29e8cc5616"


@pytest.fixture
def ledger() -> LedgerHandle:
    return LedgerHandle("mydb", "file.db", mode="ro")


def test_hashes_match_upstream(ledger):
    fork = ledger.fork("1")
    assert ledger.get_hash() == INIT
    assert fork.get_hash() == FORK_1
    assert fork.fork("2").get_hash() == FORK_1_2
    assert fork.apply_call("a" * 40).get_hash() == APPLY_A
    assert LedgerHandle("mydb", "file.db", namespace="ns").get_hash() == NAMESPACED


def test_init_hash_covers_every_constructor_argument(ledger):
    assert LedgerHandle("mydb", "file.db", mode="rw").get_hash() != INIT
    assert LedgerHandle("mydb", "other.db", mode="ro").get_hash() != INIT
    assert LedgerHandle("otherdb", "file.db", mode="ro").get_hash() != INIT
    assert LedgerHandle("mydb", "file.db", mode="ro").get_hash() == INIT


def test_registry_hashes_a_handle_by_its_state(ledger):
    registry = get_type_registry()
    assert registry.get_hash(ledger) == INIT
    assert registry.get_type_name(LedgerHandle) == f"{__name__}.LedgerHandle"
    assert ledger.__handle__.fullname == "mydb"
    assert LedgerHandle("mydb", "file.db", namespace="ns").__handle__.fullname == "ns.mydb"


def test_derived_states_keep_attributes_and_do_not_touch_the_original(ledger):
    fork = ledger.fork("1")
    advanced = fork.apply_call("a" * 40)
    assert (fork.__handle__.key, fork.__handle__.call_hash) == ("1", INIT)
    assert (advanced.__handle__.key, advanced.__handle__.call_hash) == ("", "a" * 40)
    assert ledger.get_hash() == INIT and ledger.__handle__.key == ""
    assert type(advanced) is LedgerHandle
    assert advanced.instance is ledger.instance
    assert advanced.db_file == "file.db"


def test_attributes_fall_through_to_the_instance(ledger):
    assert ledger.query() == "rows of file.db"
    with pytest.raises(AttributeError, match="no attribute 'missing'"):
        ledger.missing  # noqa: B018
    bare = Handle("bare")
    with pytest.raises(AttributeError, match="'Handle' object has no attribute 'query'"):
        bare.query  # noqa: B018


def test_serialization_keeps_only_constructor_data_and_reruns_init(ledger):
    fork = ledger.fork("1")
    assert list(fork.__getstate__()) == [
        "name",
        "namespace",
        "args",
        "kwargs",
        "class_name",
        "call_hash",
        "key",
        "hash",
    ]
    data = get_type_registry().serialize(fork)
    assert b"rows of" not in data and b"Connection" not in data
    before = LedgerHandle.inits
    restored = get_type_registry().deserialize(f"{__name__}.LedgerHandle", data)
    assert LedgerHandle.inits == before + 1
    assert restored.get_hash() == FORK_1
    assert restored.mode == "ro"
    assert restored.query() == "rows of file.db"
    assert pickle.loads(pickle.dumps(restored)).get_hash() == FORK_1


def test_preprocess_forks_by_call_order_unless_already_keyed(ledger):
    first = ledger.preprocess({"call_order": 1})
    second = ledger.preprocess({"call_order": 2})
    assert (first.__handle__.key, second.__handle__.key) == ("1", "2")
    assert first.get_hash() == FORK_1 != second.get_hash()
    # A forked handle keeps its key in further forks (upstream's rule).
    refork = first.preprocess({"call_order": 5})
    assert refork.__handle__.key == "1"
    assert refork.__handle__.call_hash == FORK_1
    assert ledger.preprocess({}).__handle__.key == "0"


def test_postprocess_advances_with_the_call_hash(ledger):
    fork = ledger.fork("1")
    assert fork.postprocess({"pre_call_hash": "a" * 40}).get_hash() == APPLY_A


def test_is_valid_without_a_scheduler_unless_the_class_changed(ledger):
    assert ledger.is_valid()
    ledger.__handle__.class_name = "somewhere.Else"
    assert not ledger.is_valid()


def test_handle_rows_record_lineage_once(ledger):
    advanced = ledger.fork("1").apply_call("a" * 40)
    rows = handle_rows(advanced)
    handles = {row.hash: row for row in rows if isinstance(row, HandleRow)}
    values = {row.value_hash: row for row in rows if isinstance(row, ValueRow)}
    assert set(handles) == set(values) == {INIT, FORK_1, APPLY_A}
    assert handles[APPLY_A].parents == (FORK_1,)
    assert handles[FORK_1].parents == (INIT,)
    assert handles[FORK_1].key == "1"
    assert handles[INIT].parents == ()
    assert all(row.is_valid and row.value_hash == row.hash for row in handles.values())
    assert values[INIT].type == f"{__name__}.LedgerHandle"
    assert handle_rows(advanced) == []
    assert handle_rows(ledger) == []
