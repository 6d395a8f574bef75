"""Measure one case on one engine, each run in a fresh process with a fresh repository."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

from .database import execution_ids, job_counts
from .engines import Engine
from .processes import ProcessResult, best_of, run_process
from .workflows import WorkflowCase

REDUN_INI = """\
[backend]
db_uri = {db_uri}

[executors.default]
type = local
mode = {mode}
"""


@dataclass
class Measurement:
    """One figure for one engine; ``status`` other than "ok" means there is no figure."""

    status: str
    wall_s: float | None = None
    maxrss_mb: float | None = None
    jobs: int | None = None
    cached_jobs: int | None = None
    tasks_per_s: float | None = None
    detail: str = ""

    def to_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}


def skipped(reason: str) -> Measurement:
    return Measurement("skipped", detail=reason)


def extrapolated(base: Measurement, base_case: str, factor: float) -> Measurement:
    """A figure not measured: ``base`` scaled linearly (labelled as such everywhere)."""
    if base.status != "ok" or base.wall_s is None:
        return skipped(f"no {base_case} figure to extrapolate from")
    return Measurement(
        "extrapolated",
        wall_s=base.wall_s * factor,
        tasks_per_s=base.tasks_per_s,
        detail=f"{base_case} x {factor:.3g}, not run",
    )


def clean_env() -> dict[str, str]:
    """Environment for child processes: nothing that would point redun elsewhere."""
    env = dict(os.environ)
    for key in ("PYTHONPATH", "REDUN_CONFIG", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(key, None)
    return env


def _failure(result: ProcessResult) -> Measurement:
    if result.timed_out:
        return Measurement("timeout", wall_s=result.wall_s, detail="killed at --timeout")
    return Measurement(
        "failed", wall_s=result.wall_s, detail=f"exit {result.returncode}: {result.stderr_tail()}"
    )


def measure_startup(engine: Engine, what: str, workdir: str, timeout: float) -> Measurement:
    """Best-of-5 wall time of ``import redun`` ("import") or ``redun --help`` ("help")."""
    if what == "import":
        argv = [engine.python, "-c", "import redun"]
    else:
        argv = [engine.redun, "--help"]
    result = best_of(argv, workdir, clean_env(), repeat=5, timeout=timeout)
    if not result.ok:
        return _failure(result)
    return Measurement("ok", wall_s=result.wall_s, maxrss_mb=result.maxrss_mb)


class WorkflowRunner:
    """Runs one workflow case for one engine in its own repository under ``workdir``."""

    def __init__(
        self,
        engine: Engine,
        case: WorkflowCase,
        workdir: str,
        timeout: float,
        pg_url: str | None = None,
    ):
        self.engine = engine
        self.case = case
        self.timeout = timeout
        self.root = os.path.join(workdir, f"{engine.name}-{case.name}")
        self.config_dir = os.path.join(self.root, "config")
        os.makedirs(self.config_dir, exist_ok=True)
        if pg_url is None:
            # `db_path` is the repository the checks read: a SQLite file, or the PG URL.
            self.db_path = os.path.join(self.config_dir, "redun.db")
            db_uri = f"sqlite:///{self.db_path}"
        else:
            from .postgres import create_schema, engine_db_uri

            self.db_path = pg_url
            db_uri = engine_db_uri(engine, pg_url)
        with open(os.path.join(self.config_dir, "redun.ini"), "w") as out:
            out.write(REDUN_INI.format(db_uri=db_uri, mode=case.mode))
        if pg_url is not None:
            create_schema(engine, self.config_dir, self.root, clean_env())

    def run(self, cold: bool) -> Measurement:
        """
        Run the workflow once and check it before reporting a time.

        A run counts only if it exits 0, prints the expected result, and records
        exactly one new execution with enough job rows (all of them on a cold run).
        """
        argv = [
            self.engine.redun,
            "-c",
            self.config_dir,
            "run",
            self.case.path,
            "main",
            *self.case.args,
        ]
        before = execution_ids(self.db_path)
        result = run_process(argv, self.root, clean_env(), self.timeout)
        if not result.ok:
            return _failure(result)
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        printed = lines[-1].strip() if lines else ""
        if printed != self.case.expected:
            return Measurement(
                "bad-result",
                wall_s=result.wall_s,
                detail=f"printed {printed[:60]!r}, expected {self.case.expected!r}",
            )
        new = execution_ids(self.db_path) - before
        if len(new) != 1:
            return Measurement(
                "bad-jobs", wall_s=result.wall_s, detail=f"{len(new)} new executions in the DB"
            )
        jobs, cached = job_counts(self.db_path, new.pop())
        floor = self.case.min_jobs if cold else 1
        measurement = Measurement(
            "ok",
            wall_s=result.wall_s,
            maxrss_mb=result.maxrss_mb,
            jobs=jobs,
            cached_jobs=cached,
            tasks_per_s=self.case.tasks / result.wall_s,
        )
        if jobs < floor:
            measurement.status = "bad-jobs"
            measurement.detail = f"{jobs} job rows recorded, expected at least {floor}"
        return measurement
