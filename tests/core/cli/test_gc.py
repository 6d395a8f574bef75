"""`redun gc` and `redun db info` on a real SQLite repository."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

WORKFLOW = (Path(__file__).parent / "workflows" / "why_wf.py").read_text()
FANOUT = """
from redun import task

redun_namespace = "gcfan"


@task()
def square(x: int) -> int:
    return x * x


@task()
def main(n: int = 200, offset: int = 0) -> int:
    return sum_all([square(i + offset) for i in range(n)])


@task()
def sum_all(values: list) -> int:
    return sum(values)
"""
# double() is looked up by its call node (a shallow check), main() by its cache entry.
SHALLOW = """
from redun import task

redun_namespace = "gcshallow"


@task(check_valid="shallow")
def double(x: int) -> int:
    return 2 * x


@task()
def main(x: int = 1) -> int:
    return double(x)
"""
REDUN = str(Path(sys.executable).parent / "redun")
# Every reference a row holds must find its row (lineage intact).
DANGLING = {
    "job -> call_node": "SELECT COUNT(*) FROM job j LEFT JOIN call_node c "
    "ON c.call_hash = j.call_hash WHERE j.call_hash IS NOT NULL AND c.call_hash IS NULL",
    "job -> execution": "SELECT COUNT(*) FROM job j LEFT JOIN execution e "
    "ON e.id = j.execution_id WHERE e.id IS NULL",
    "call_node -> value": "SELECT COUNT(*) FROM call_node n LEFT JOIN value v "
    "ON v.value_hash = n.value_hash WHERE v.value_hash IS NULL",
    "argument -> value": "SELECT COUNT(*) FROM argument a LEFT JOIN value v "
    "ON v.value_hash = a.value_hash WHERE v.value_hash IS NULL",
    "call_edge -> call_node": "SELECT COUNT(*) FROM call_edge e LEFT JOIN call_node c "
    "ON c.call_hash = e.child_id WHERE c.call_hash IS NULL",
    "evaluation -> value": "SELECT COUNT(*) FROM evaluation e LEFT JOIN value v "
    "ON v.value_hash = e.value_hash WHERE v.value_hash IS NULL",
    "hidden call nodes": "SELECT COUNT(*) FROM call_node WHERE args_hash <> LOWER(args_hash)",
}


@pytest.fixture
def workdir(script_workdir) -> Path:
    return script_workdir("gcwf.py", WORKFLOW)


def dangling(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchone()[0] for name, sql in DANGLING.items()}


def executions(redun) -> list[dict]:
    out = redun("log", "--exec", "--format", "json").out
    return [json.loads(line) for line in out.splitlines()]


def test_gc_keeps_the_policys_executions_and_their_cache(workdir: Path, redun) -> None:
    for n in ("1", "2", "3", "4"):
        assert redun("run", "gcwf.py", "main", "--n", n).code == 0
        if n == "2":
            assert redun("tag", "add", "-", "pinned=yes").code == 0
    assert len(executions(redun)) == 4

    dry = redun(
        "gc", "--keep-last", "1", "--keep-tagged", "pinned", "--active-window", "0s", "--dry-run"
    )
    assert dry.code == 0, dry.err
    assert dry.out.startswith("Would delete 2 execution(s), keeping 2; ")
    assert "Largest values that would go:" in dry.out
    assert len(executions(redun)) == 4  # a dry run deletes nothing

    done = redun(
        "gc",
        "--keep-last",
        "1",
        "--keep-tagged",
        "pinned",
        "--active-window",
        "0s",
        "--settle",
        "0",
    )
    assert done.code == 0, done.err
    assert done.out.startswith("Deleted 2 execution(s), keeping 2; ")
    kept = executions(redun)
    assert sorted(json.loads(e["args"])[-1] for e in kept) == ["2", "4"]
    assert dangling(workdir / ".redun" / "redun.db") == dict.fromkeys(DANGLING, 0)

    # The kept executions' results are still served from the cache (write_out of n=2
    # reruns: n=4 has overwritten its out.txt since)...
    again = redun("run", "gcwf.py", "main", "--n", "4")
    assert again.code == 0 and "Run    Job" not in again.err, again.err
    pinned = redun("run", "gcwf.py", "main", "--n", "2").err
    assert "Cached Job" in pinned and "whydemo.scale(x=2, factor=1) (eval_hash" in pinned
    # ...and the deleted ones' are gone (count_lines is shared with the kept runs).
    rerun = redun("run", "gcwf.py", "main", "--n", "1")
    assert "Run    Job" in rerun.err and "whydemo.scale(x=1" in rerun.err


def test_recent_executions_are_kept_and_a_policy_is_required(workdir: Path, redun) -> None:
    assert redun("run", "gcwf.py", "main").code == 0
    assert redun("run", "gcwf.py", "main", "--n", "5").code == 0
    # Within the default active window (1 h) nothing goes, whatever the policy says.
    result = redun("gc", "--keep-last", "1", "--dry-run")
    assert result.out.startswith("Would delete 0 execution(s), keeping 2; ")
    result = redun(
        "gc", "--older-than", "30d", "--active-window", "0s", "--dry-run", "--format", "json"
    )
    assert json.loads(result.out)["rows"]["execution"] == 0

    missing = redun("gc")
    assert missing.code == 2
    assert missing.err.strip() == (
        "redun: error: say what to keep: --keep-last N, --keep-tagged KEY or --older-than 30d"
    )
    bad = redun("gc", "--older-than", "a month")
    assert bad.code == 2 and "--older-than 'a month'" in bad.err


def test_db_info_shows_sizes_by_table_and_the_largest_values(workdir: Path, redun) -> None:
    assert redun("run", "gcwf.py", "main").code == 0
    result = redun("db", "info")
    assert result.code == 0, result.err
    assert "Tables (rows, size):" in result.out
    assert any(line.split()[:1] == ["job"] for line in result.out.splitlines())
    assert "Largest values:" in result.out
    assert "redun.expression.TaskExpression" in result.out


@pytest.mark.slow
def test_gc_beside_a_running_workflow_breaks_no_lineage(workdir: Path) -> None:
    """A run that reuses the cache while gc deletes the executions that wrote it."""
    (workdir / "fan.py").write_text(FANOUT)

    def redun_cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [REDUN, *args], cwd=workdir, capture_output=True, text=True, timeout=300
        )

    assert redun_cli("run", "fan.py", "main", "--n", "300").returncode == 0
    assert redun_cli("run", "fan.py", "main", "--n", "300", "--offset", "150").returncode == 0
    results: list[subprocess.CompletedProcess] = []

    def writer() -> None:
        for offset in ("50", "100", "200"):
            results.append(redun_cli("run", "fan.py", "main", "--n", "300", "--offset", offset))

    thread = threading.Thread(target=writer)
    thread.start()
    collected = [
        redun_cli("gc", "--keep-last", "1", "--active-window", "0s", "--settle", "0.2")
        for _ in range(3)
    ]
    thread.join()
    assert all(r.returncode == 0 for r in collected), [r.stderr for r in collected]
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr[-500:] for r in results]
    expected = [sum((i + o) ** 2 for i in range(300)) for o in (50, 100, 200)]
    assert [int(r.stdout.strip()) for r in results] == expected
    assert dangling(workdir / ".redun" / "redun.db") == dict.fromkeys(DANGLING, 0)


def hidden_calls(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(DANGLING["hidden call nodes"]).fetchone()[0]


@pytest.mark.slow
def test_a_run_while_gc_waits_reruns_what_will_go_and_keeps_its_lineage(workdir: Path) -> None:
    """Between its two phases gc has hidden the call nodes it will delete: a run then
    finds none of them in the cache, records its own rows, and gc spares those."""
    db = workdir / ".redun" / "redun.db"

    def redun_cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [REDUN, *args], cwd=workdir, capture_output=True, text=True, timeout=300
        )

    (workdir / "shallow.py").write_text(SHALLOW)
    for x in ("1", "2", "3"):
        assert redun_cli("run", "shallow.py", "main", "--x", x).returncode == 0
    gc = subprocess.Popen(
        [REDUN, "gc", "--keep-last", "1", "--active-window", "0s", "--settle", "5"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while hidden_calls(db) == 0:
        assert gc.poll() is None and time.monotonic() < deadline, gc.communicate()
        time.sleep(0.1)
    # double(x=1) and main(x=1) ran only in the first execution, which gc is deleting:
    # neither lookup (call node, cache entry) finds them, so both run again.
    during = redun_cli("run", "shallow.py", "main", "--x", "1")
    assert during.returncode == 0 and during.stdout.strip() == "2", during.stderr
    ran = [line for line in during.stderr.splitlines() if "Run    Job" in line]
    assert any("gcshallow.double(x=1)" in line for line in ran), during.stderr
    assert any("gcshallow.main(x=1)" in line for line in ran), during.stderr
    out, err = gc.communicate(timeout=120)
    assert gc.returncode == 0, err
    # Phase 2 kept the newest execution (the run above) and its lineage, shown again.
    assert out.startswith("Deleted 3 execution(s), keeping 1; "), out
    assert dangling(db) == dict.fromkeys(DANGLING, 0)
    again = redun_cli("run", "shallow.py", "main", "--x", "1")
    assert again.returncode == 0 and "Run    Job" not in again.stderr, again.stderr


@pytest.mark.slow
def test_a_gc_stopped_between_its_phases_loses_nothing(workdir: Path) -> None:
    """Killed while waiting, gc leaves call nodes hidden (only cache hits on them are
    lost); the next collection shows again the ones its policy keeps."""
    db = workdir / ".redun" / "redun.db"
    (workdir / "shallow.py").write_text(SHALLOW)

    def redun_cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [REDUN, *args], cwd=workdir, capture_output=True, text=True, timeout=300
        )

    for x in ("1", "2"):
        assert redun_cli("run", "shallow.py", "main", "--x", x).returncode == 0
    gc = subprocess.Popen(
        [REDUN, "gc", "--keep-last", "1", "--active-window", "0s", "--settle", "60"], cwd=workdir
    )
    deadline = time.monotonic() + 60
    while hidden_calls(db) == 0:
        assert gc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    gc.kill()
    gc.wait()
    assert hidden_calls(db) > 0
    # Nothing was deleted: both executions' lineage is whole (hidden, not dangling).
    assert dangling(db) == {**dict.fromkeys(DANGLING, 0), "hidden call nodes": hidden_calls(db)}
    # Keeping everything now: the next collection shows every hidden node again.
    result = redun_cli("gc", "--older-than", "30d", "--settle", "0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Deleted 0 execution(s), keeping 2; "), result.stdout
    assert dangling(db) == dict.fromkeys(DANGLING, 0)
    # main(x=1)'s cache entry went in the first phase; double(x=1)'s call node is back.
    again = redun_cli("run", "shallow.py", "main", "--x", "1").stderr
    assert "Cached Job" in again and "gcshallow.double(x=1) (eval_hash" in again, again


def test_after_gc_the_kept_lineage_still_explains_each_kind_of_change(workdir: Path, redun) -> None:
    """`redun why` compares a new run with recorded ones: after gc it still can, for a
    code edit, an argument change, a changed input file and a context change."""
    assert redun("run", "gcwf.py", "main", "--n", "5").code == 0
    assert redun("run", "gcwf.py", "main", "--n", "2").code == 0
    done = redun("gc", "--keep-last", "1", "--active-window", "0s", "--settle", "0")
    assert done.out.startswith("Deleted 1 execution(s), keeping 1; "), done.err

    def why_text() -> str:
        result = redun("why", "-")
        assert result.code == 0, result.err
        return result.out

    source = (workdir / "gcwf.py").read_text()
    (workdir / "gcwf.py").write_text(source.replace("return x * factor", "return factor * x"))
    assert redun("run", "gcwf.py", "main", "--n", "2").code == 0
    assert "    +    return factor * x" in why_text()
    assert redun("run", "gcwf.py", "main", "--n", "3").code == 0
    assert "whydemo.main(n=3): argument 'n' changed: 2 -> 3" in why_text()
    (workdir / "data.txt").write_text("a\nb\nc\n")
    assert redun("run", "gcwf.py", "main", "--n", "3").code == 0
    assert "argument 'path': file changed: data.txt (hash" in why_text()
    assert redun("run", "--context", "scale.factor=5", "gcwf.py", "main", "--n", "3").code == 0
    assert "context changed: scale.factor: None -> 5" in why_text()
    assert dangling(workdir / ".redun" / "redun.db") == dict.fromkeys(DANGLING, 0)
