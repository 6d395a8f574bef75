"""Benchmark our redun against upstream redun 0.44.1, side by side.

Every figure comes from a fresh process running the real ``redun`` CLI against a fresh
SQLite file, and a run only counts when it printed the right result and recorded its
jobs. See benchmarks/README.md for the cases and flags.

    python benchmarks/run.py --quick
    python benchmarks/run.py --engines upstream --only fanout-1000 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile

from harness.engines import DEFAULT_UPSTREAM_VENV, Engine, EngineError, ours_engine, upstream_engine
from harness.measure import Measurement, WorkflowRunner, measure_startup, skipped
from harness.report import Row, format_table
from harness.workflows import WorkflowCase, hello, workflow_cases

ENGINES = ("ours", "upstream")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (N=200, fib 12)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated cases: import, help, hello, fanout[-N], chain[-N], fib[-N]",
    )
    parser.add_argument("--engines", default="ours,upstream", help="ours, upstream or both")
    parser.add_argument("--json", metavar="PATH", help="also write every figure as JSON")
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per process (default 1800)"
    )
    parser.add_argument(
        "--skip-upstream-slow",
        action="store_true",
        help="skip upstream's multi-minute cases (fanout-5000, fib-18); reported as skipped",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each workflow case N times (each a fresh repository: cold, then cached) "
        "for every engine and report the fastest cold and cached run (default 1)",
    )
    parser.add_argument("--ours-python", help="interpreter with redun-core (default: this one)")
    parser.add_argument("--upstream-venv", default=DEFAULT_UPSTREAM_VENV)
    parser.add_argument("--workdir", help="keep repositories here instead of a temp dir")
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="repository for the workflow cases: a SQLite file, or a fresh PostgreSQL "
        "database per engine and case (ours needs redun-postgres; upstream gets psycopg2)",
    )
    parser.add_argument(
        "--pg-server",
        default=None,
        help="PostgreSQL server URL without a database (default postgresql://postgres@127.0.0.1:5432)",
    )
    args = parser.parse_args(argv)
    args.engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = sorted(set(args.engines) - set(ENGINES))
    if unknown or not args.engines:
        parser.error(f"--engines takes ours and/or upstream, got {args.engines}")
    args.only = [token.strip() for token in args.only.split(",") if token.strip()]
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    return args


def selected(case: str, only: list[str]) -> bool:
    return not only or any(case == token or case.startswith(token + "-") for token in only)


def setup_engines(args: argparse.Namespace) -> list[Engine]:
    engines = []
    for name in args.engines:
        if name == "ours":
            engines.append(ours_engine(args.ours_python))
        else:
            engines.append(upstream_engine(args.upstream_venv, log=log))
    if args.backend == "postgres":
        from harness.postgres import prepare_upstream

        for engine in engines:
            if engine.name == "upstream":
                prepare_upstream(engine, log)
    return engines


def preflight(engine: Engine, workdir: str, timeout: float) -> None:
    """Refuse to benchmark an engine that cannot run the hello workflow correctly."""
    runner = WorkflowRunner(engine, hello(), os.path.join(workdir, "preflight"), timeout)
    result = runner.run(cold=True)
    if result.status != "ok":
        raise EngineError(
            f"{engine.name}: `redun run workflows/hello.py main` is not runnable "
            f"({result.status}: {result.detail}); nothing was measured"
        )


def run_workflow(
    engine: Engine, case: WorkflowCase, args: argparse.Namespace, workdir: str
) -> tuple[Measurement, Measurement]:
    """The fastest cold and cached run over ``--repeat`` fresh repositories."""
    if engine.name == "upstream" and case.upstream_slow and args.skip_upstream_slow:
        reason = "--skip-upstream-slow"
        return skipped(reason), skipped(reason)
    colds: list[Measurement] = []
    cacheds: list[Measurement] = []
    for rep in range(args.repeat):
        where = workdir if args.repeat == 1 else os.path.join(workdir, f"rep{rep + 1}")
        cold, cached = _one_repository(engine, case, args, where)
        colds.append(cold)
        cacheds.append(cached)
        if cold.status != "ok" or cached.status != "ok":
            return cold, cached
    return _fastest(colds), _fastest(cacheds)


def _one_repository(
    engine: Engine, case: WorkflowCase, args: argparse.Namespace, workdir: str
) -> tuple[Measurement, Measurement]:
    if args.backend != "postgres":
        return _cold_and_cached(WorkflowRunner(engine, case, workdir, args.timeout), engine, case)
    from harness.postgres import DEFAULT_SERVER, fresh_database

    with fresh_database(args.pg_server or DEFAULT_SERVER, f"{engine.name}_{case.name}") as url:
        runner = WorkflowRunner(engine, case, workdir, args.timeout, pg_url=url)
        return _cold_and_cached(runner, engine, case)


def _fastest(measurements: list[Measurement]) -> Measurement:
    return min(measurements, key=lambda m: m.wall_s if m.wall_s is not None else float("inf"))


def _cold_and_cached(
    runner: WorkflowRunner, engine: Engine, case: WorkflowCase
) -> tuple[Measurement, Measurement]:
    cold = runner.run(cold=True)
    log(f"[{engine.name}] {case.name} cold: {cold.status} {cold.wall_s or 0:.2f} s")
    if cold.status != "ok":
        return cold, skipped("cold run failed")
    cached = runner.run(cold=False)
    log(f"[{engine.name}] {case.name} cached: {cached.status} {cached.wall_s or 0:.2f} s")
    return cold, cached


def collect(engines: list[Engine], args: argparse.Namespace, workdir: str) -> list[Row]:
    rows: list[Row] = []
    for what, label in (("import", "import redun"), ("help", "redun --help")):
        if selected(what, args.only):
            row = Row(label, "wall")
            for engine in engines:
                row.values[engine.name] = measure_startup(engine, what, workdir, args.timeout)
                log(f"[{engine.name}] {label}: {row.values[engine.name].wall_s or 0:.3f} s")
            rows.append(row)
    rss_rows = []
    for case in workflow_cases(args.quick):
        if not selected(case.name, args.only):
            continue
        cold_row, cached_row = Row(f"{case.name} cold", "wall"), Row(f"{case.name} cached", "wall")
        rss_row = Row(f"{case.name} cold", "rss")
        for engine in engines:
            cold, cached = run_workflow(engine, case, args, workdir)
            cold_row.values[engine.name] = cold
            cached_row.values[engine.name] = cached
            rss_row.values[engine.name] = cold
        rows += [cold_row, cached_row]
        rss_rows.append(rss_row)
    return rows + rss_rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        engines = setup_engines(args)
        for engine in engines:
            log(f"{engine.name}: redun {engine.version} ({engine.location}), {engine.redun}")
        with tempfile.TemporaryDirectory(prefix="redun-bench-") as tmp:
            workdir = os.path.abspath(args.workdir) if args.workdir else tmp
            for engine in engines:
                preflight(engine, workdir, args.timeout)
            rows = collect(engines, args, workdir)
    except EngineError as error:
        print(f"run.py: error: {error}", file=sys.stderr)
        return 2
    print(format_table(rows, [engine.name for engine in engines]))
    if args.json:
        document = {
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
            "engines": {engine.name: vars(engine) for engine in engines},
            "quick": args.quick,
            "backend": args.backend,
            "rows": [row.to_json() for row in rows],
        }
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2)
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
