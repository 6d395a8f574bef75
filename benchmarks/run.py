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
from harness.floor import measure_floor
from harness.log_view import measure_log
from harness.measure import (
    Measurement,
    WorkflowRunner,
    extrapolated,
    measure_startup,
    skipped,
)
from harness.report import Row, format_floors, format_table
from harness.workflows import WorkflowCase, hello, workflow_cases

ENGINES = ("ours", "upstream")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (N=200, fib 12)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes of every case, to prove the harness works (CI); figures mean nothing",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated cases: import, help, hello, fanout[-N], process-fanout[-N], "
        "chain[-N], fib[-N], floor",
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
) -> tuple[Measurement, Measurement, str | None]:
    """The fastest cold and cached run over ``--repeat`` fresh repositories, and the
    config directory of the last repository (None when it is gone, as on PostgreSQL)."""
    if engine.name == "upstream" and case.upstream_slow and args.skip_upstream_slow:
        reason = "--skip-upstream-slow"
        return skipped(reason), skipped(reason), None
    colds: list[Measurement] = []
    cacheds: list[Measurement] = []
    config_dir = None
    for rep in range(args.repeat):
        where = workdir if args.repeat == 1 else os.path.join(workdir, f"rep{rep + 1}")
        cold, cached, config_dir = _one_repository(engine, case, args, where)
        colds.append(cold)
        cacheds.append(cached)
        if cold.status != "ok" or cached.status != "ok":
            return cold, cached, None
    return _fastest(colds), _fastest(cacheds), config_dir


def _one_repository(
    engine: Engine, case: WorkflowCase, args: argparse.Namespace, workdir: str
) -> tuple[Measurement, Measurement, str | None]:
    if args.backend != "postgres":
        runner = WorkflowRunner(engine, case, workdir, args.timeout)
        return (*_cold_and_cached(runner, engine, case), runner.config_dir)
    from harness.postgres import DEFAULT_SERVER, fresh_database

    with fresh_database(args.pg_server or DEFAULT_SERVER, f"{engine.name}_{case.name}") as url:
        runner = WorkflowRunner(engine, case, workdir, args.timeout, pg_url=url)
        return (*_cold_and_cached(runner, engine, case), None)


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
    measured: dict[tuple[str, str], tuple[Measurement, Measurement]] = {}
    tasks = {case.name: case.tasks for case in workflow_cases(args.quick, args.smoke)}
    for case in workflow_cases(args.quick, args.smoke):
        if not selected(case.name, args.only):
            continue
        cold_row, cached_row = Row(f"{case.name} cold", "wall"), Row(f"{case.name} cached", "wall")
        rss_row = Row(f"{case.name} cold", "rss")
        rss_cached_row = Row(f"{case.name} cached", "rss")
        log_row = Row(f"redun log - after {case.name}: first screen", "wall")
        for engine in engines:
            base = case.extrapolate_from
            if engine.name == "upstream" and base:
                known = measured.get((engine.name, base))
                if known is None:
                    cold = cached = skipped(f"{base} not measured to extrapolate from")
                else:
                    factor = case.tasks / tasks[base]
                    cold, cached = (extrapolated(m, base, factor) for m in known)
                config_dir = None
            else:
                cold, cached, config_dir = run_workflow(engine, case, args, workdir)
            measured[(engine.name, case.name)] = (cold, cached)
            cold_row.values[engine.name] = cold
            cached_row.values[engine.name] = cached
            rss_row.values[engine.name] = cold
            rss_cached_row.values[engine.name] = cached
            if case.log:
                log_row.values[engine.name] = _log_figure(engine, case, config_dir, args)
        rows += [cold_row, cached_row]
        if case.log:
            rows.append(log_row)
        rss_rows += [rss_row, rss_cached_row]
    return rows + rss_rows


def _log_figure(
    engine: Engine, case: WorkflowCase, config_dir: str | None, args: argparse.Namespace
) -> Measurement:
    if config_dir is None:
        return skipped("no repository left to read")
    figure = measure_log(engine, config_dir, os.path.dirname(config_dir), args.timeout)
    log(f"[{engine.name}] redun log - after {case.name}: {figure.wall_s or 0:.2f} s")
    return figure


def collect_floors(engines: list[Engine], args: argparse.Namespace, workdir: str) -> list[Row]:
    """The floor of each fan-out size run (plain Python + one batched SQLite insert)."""
    if not selected("floor", args.only) and args.only:
        return []
    python = next((e.python for e in engines if e.name == "ours"), sys.executable)
    rows = []
    for case in workflow_cases(args.quick, args.smoke):
        if case.module != "fanout" or case.mode != "thread":
            continue
        n = case.tasks - 2
        row = Row(f"floor-{n}", "wall")
        row.values["floor"] = measure_floor(python, n, workdir, args.timeout)
        log(f"[floor] {n}: {row.values['floor'].wall_s or 0:.3f} s")
        rows.append(row)
    return rows


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
            floors = collect_floors(engines, args, workdir)
    except EngineError as error:
        print(f"run.py: error: {error}", file=sys.stderr)
        return 2
    print(format_table(rows, [engine.name for engine in engines]))
    if floors:
        print()
        print(format_floors(floors, rows))
    if args.json:
        document = {
            "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
            "engines": {engine.name: vars(engine) for engine in engines},
            "quick": args.quick,
            "smoke": args.smoke,
            "backend": args.backend,
            "rows": [row.to_json() for row in rows],
            "floors": [row.to_json() for row in floors],
        }
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2)
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
