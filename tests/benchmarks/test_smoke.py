"""The benchmarks still run: every case of `run.py --smoke` on our engine, checked.

Not a timed test: sizes are tiny and no figure is compared with anything. It proves
each case runs to the right result with its jobs recorded (the harness marks anything
else FAILED or BAD-*), that `redun log -` and the floor are measured, and that the
table and the JSON document are written.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_smoke_case_runs_and_is_checked(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--smoke",
            "--engines",
            "ours",
            "--json",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
            "--timeout",
            "300",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(out.read_text())
    statuses = {row["case"]: row["ours"]["status"] for row in document["rows"]}
    assert statuses, "no case was measured"
    assert {status for status in statuses.values()} == {"ok"}, statuses
    cases = set(statuses)
    for expected in (
        "fanout-20 cold",
        "fanout-20 cached",
        "process-fanout-10 cold",
        "redun log - after fanout-20: first screen",
        "chain-10 cached",
        "fib-5 cold",
    ):
        assert expected in cases
    jobs = {row["case"]: row["ours"].get("jobs") for row in document["rows"]}
    assert jobs["fanout-20 cold"] == 22
    assert jobs["process-fanout-10 cold"] == 12
    floors = {row["case"]: row["floor"]["status"] for row in document["floors"]}
    assert floors == {"floor-20": "ok", "floor-40": "ok"}
    assert "floor-20:" in result.stdout and "x the floor" in result.stdout
