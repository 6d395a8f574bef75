"""Our hashes, pickles and type names must equal upstream redun 0.44.1's, byte for byte.

``fixtures/upstream_hashes.json`` holds literals computed by upstream redun (see
``fixtures/make_upstream_hashes.py``). Each case is rebuilt here with our redun from the
same recorded input, so a database written by either implementation keeps its cache
hits in the other.

``tests/core/fixtures`` is on the import path (pytest.toml), so its modules import by the
bare names upstream redun hashed them under (``sample_tasks``, ``hash_case_eval``).
"""

from __future__ import annotations

import json
import os

import make_upstream_hashes
import pytest
from hash_case_eval import FIXTURES_DIR, compute, result_key

with open(os.path.join(FIXTURES_DIR, "upstream_hashes.json"), encoding="utf-8") as _infile:
    FIXTURES = json.load(_infile)

ENTRIES = FIXTURES["entries"]


def test_fixture_file_matches_generator_cases() -> None:
    # Editing a case without regenerating would leave the test checking stale inputs.
    recorded = [(e["id"], e["kind"], e["input"]) for e in ENTRIES]
    declared = [
        (case_id, kind, json.loads(json.dumps(inp)))
        for case_id, kind, inp, _note in make_upstream_hashes.all_cases()
    ]
    assert recorded == declared, "run make_upstream_hashes.py with upstream redun to regenerate"


def test_hashed_sources_unchanged() -> None:
    # Task hashes include the task source text, so any edit to the fixture modules
    # invalidates the recorded literals.
    assert make_upstream_hashes.source_digests() == FIXTURES["sources"], (
        "sample_tasks.py/sample_types.py changed: regenerate upstream_hashes.json"
    )


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_matches_upstream(entry: dict) -> None:
    expected = entry[result_key(entry["kind"])]
    assert compute(entry["kind"], entry["input"]) == expected
