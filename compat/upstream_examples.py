"""Run upstream's examples under both engines and compare what a user sees.

Each command runs in a fresh copy of the example directory (one copy per engine, so the
second command of an example sees the first one's repository, as a user's would). What
is compared, per command: the exit code, standard output (the workflow's result), and
the sequence of job lines (``Run``/``Cached``/``Miss`` per task) on standard error, with
ids, hashes, times and paths masked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from examples_spec import LOCAL, NEEDS_SERVICE, NEWER_THAN_UPSTREAM

_MASKS = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"\b[0-9a-f]{40}\b"), "<hash>"),
    (re.compile(r"\b[0-9a-f]{8}\b"), "<id>"),
    (re.compile(r"\d{4}[/-]\d\d[/-]\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?"), "<time>"),
    (re.compile(r"\d+(\.\d+)? ?(seconds|s)\b"), "<dur>"),
    (re.compile(r"/tmp/[^\s'\"]+"), "<tmp>"),
    (re.compile(r"redun\.version=[\w.]+"), "redun.version=<v>"),
    (re.compile(r"\b\d+:\d\d:\d\d\.\d\d\b"), "<dur>"),
    # Process and thread ids (examples/multiprocess prints them).
    (re.compile(r"\b\d{5,}\b"), "<n>"),
]
_JOB_LINE = re.compile(r"\[redun\]\s+(Run|Cached|Miss)\s+Job\s+\S+:\s+([\w.]+)\(")


def mask(text: str, root: str) -> str:
    text = text.replace(root, "<dir>")
    for pattern, repl in _MASKS:
        text = pattern.sub(repl, text)
    return text


@dataclass
class Step:
    command: str
    code: int
    stdout: str
    job_lines: list[str]
    stderr_tail: str


@dataclass
class ExampleResult:
    name: str
    steps: dict[str, list[Step]] = field(default_factory=dict)

    def verdict(self) -> str:
        ours, upstream = self.steps["ours"], self.steps["upstream"]
        if self.name in NEWER_THAN_UPSTREAM:
            if all(a.code == 0 for a in ours):
                return (
                    "works here (newer than upstream 0.44.1: "
                    + NEWER_THAN_UPSTREAM[self.name]
                    + ")"
                )
            return "DIFFERENT"
        same_results = all(
            a.code == b.code and _same_output(a.stdout, b.stdout) for a, b in zip(ours, upstream)
        )
        if not same_results:
            return "DIFFERENT"
        if all(sorted(a.job_lines) == sorted(b.job_lines) for a, b in zip(ours, upstream)):
            return "same"
        return "same results, different job lines"


def _same_output(ours: str, upstream: str) -> bool:
    # Parallel tasks print in any order: the same lines in another order are the same.
    if ours == upstream or sorted(ours.splitlines()) == sorted(upstream.splitlines()):
        return True
    # Two threads' print() calls may interleave mid-line ("Warning:Warning: x\n y"):
    # the same characters printed, with the result (the last lines) identical.
    tail = 3
    return sorted(ours.replace("\n", "")) == sorted(upstream.replace("\n", "")) and (
        ours.splitlines()[-tail:] == upstream.splitlines()[-tail:]
    )


def _run_steps(src: Path, engine_bin: Path, commands: list[str], timeout: float) -> list[Step]:
    work = Path(tempfile.mkdtemp(prefix="redun-compat-"))
    try:
        copy = work / src.name
        shutil.copytree(src, copy)
        env = dict(os.environ)
        env.pop("REDUN_CONFIG", None)
        env["PATH"] = f"{engine_bin}{os.pathsep}{env.get('PATH', '')}"
        env["PYTHONPATH"] = str(copy)
        steps = []
        for template in commands:
            command = template.format(python=engine_bin / "python", redun=engine_bin / "redun")
            try:
                proc = subprocess.run(
                    command,
                    shell=True,
                    cwd=copy,
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                    stdin=subprocess.DEVNULL,
                )
                code, out, err = proc.returncode, proc.stdout, proc.stderr
            except subprocess.TimeoutExpired as exc:
                code, out, err = -1, str(exc.stdout or ""), f"timed out after {timeout} s"
            root = str(copy)
            steps.append(
                Step(
                    command=template,
                    code=code,
                    stdout=mask(out, root).strip(),
                    job_lines=[" ".join(m.groups()) for m in _JOB_LINE.finditer(err)],
                    stderr_tail=mask(err, root).strip().splitlines()[-1:]
                    and mask(err, root).strip().splitlines()[-1]
                    or "",
                )
            )
        return steps
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_examples(
    examples_dir: Path, engines: dict[str, Path], only: list[str] | None, timeout: float
) -> list[ExampleResult]:
    results = []
    for name, commands in LOCAL.items():
        if only and name not in only:
            continue
        src = examples_dir / name
        result = ExampleResult(name)
        for engine, bindir in engines.items():
            result.steps[engine] = _run_steps(src, bindir, commands, timeout)
        results.append(result)
    return results


def print_examples(results: list[ExampleResult], verbose: bool) -> None:
    print("\n## Upstream examples (run without cloud services)\n")
    counts: dict[str, int] = {}
    for result in results:
        verdict = result.verdict()
        counts[verdict] = counts.get(verdict, 0) + 1
        print(f"- {result.name}: {verdict}")
        if verdict != "same" or verbose:
            for a, b in zip(result.steps["ours"], result.steps["upstream"]):
                if (a.code, a.stdout, sorted(a.job_lines)) == (
                    b.code,
                    b.stdout,
                    sorted(b.job_lines),
                ) and not verbose:
                    continue
                print(f"    $ {a.command}")
                print(
                    f"      ours:     exit {a.code}; out {a.stdout[:160]!r}; {a.stderr_tail[:160]}"
                )
                print(
                    f"      upstream: exit {b.code}; out {b.stdout[:160]!r}; {b.stderr_tail[:160]}"
                )
                if sorted(a.job_lines) != sorted(b.job_lines):
                    print(f"      job lines ours:     {a.job_lines[:12]}")
                    print(f"      job lines upstream: {b.job_lines[:12]}")
    total = len(results)
    newer = sum(count for verdict, count in counts.items() if verdict.startswith("works here"))
    print(
        f"\nexamples: {counts.get('same', 0)} same, "
        f"{counts.get('same results, different job lines', 0)} same results with "
        f"different job lines, {newer} newer than upstream 0.44.1 and working here, "
        f"{counts.get('DIFFERENT', 0)} different, of {total} run"
    )
    print("not run here: " + ", ".join(f"{k} ({v})" for k, v in NEEDS_SERVICE.items()))
