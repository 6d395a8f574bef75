"""Measure compatibility with upstream redun on upstream's own material.

Runs upstream's test suite (from its distribution on the package index) against this
project's engine and against upstream itself, and upstream's examples (from a local
checkout, ``--upstream-src``) under both engines, then prints per-file and per-example
results. It never copies upstream code into the repository: everything is unpacked
into a scratch directory. See compat/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from upstream_examples import print_examples, run_examples  # noqa: E402
from upstream_suite import (  # noqa: E402
    CLOUD_FILES,
    UPSTREAM_VERSION,
    extract_tests,
    fetch_dist,
    make_imports_tolerant,
    run_suite,
)

# What upstream's suite needs beyond redun itself, in both engines' environments.
SUITE_DEPS = ["pytest", "moto[s3]<5", "aiobotocore", "freezegun", "vcrpy"]


def ensure_upstream_venv(path: Path) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        print(f"creating {path} with redun=={UPSTREAM_VERSION} ...", file=sys.stderr)
        venv.create(path, with_pip=True)
    probe = subprocess.run(
        [str(python), "-c", "import redun, pytest, moto, freezegun, vcr"], capture_output=True
    )
    if probe.returncode != 0:
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                f"redun=={UPSTREAM_VERSION}",
                *SUITE_DEPS,
            ],
            check=True,
        )
    return path / "bin"


def load_classification() -> dict[str, dict[str, str]]:
    path = HERE / "classification.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


def debug_hint(root: Path) -> str:
    """How to rerun one kept upstream test file under this engine, with tracebacks."""
    return (
        f"kept the suite in {root.parent}; to debug one file here:\n"
        f"  cd {root} && PYTHONPATH={HERE / 'shim'} UPSTREAM_TESTS_ROOT={root} "
        f"{sys.executable} -m pytest -p compat_shim -p no:cacheprovider -o addopts= "
        f"-x redun/tests/test_tags.py"
    )


def suite_report(args: argparse.Namespace, upstream_bin: Path) -> None:
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="redun-compat-suite-"))
    if args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    try:
        dist = fetch_dist(HERE / ".cache")
        ours_tests = extract_tests(dist, scratch / "ours")
        make_imports_tolerant(ours_tests)
        upstream_tests = extract_tests(dist, scratch / "upstream")
        files = sorted(
            p.name
            for p in ours_tests.glob("test_*.py")
            if (args.files is None or p.name in args.files)
        )
        in_scope = [f for f in files if f not in CLOUD_FILES]
        print(f"upstream suite: {dist.name}, {len(in_scope)} files in scope", file=sys.stderr)
        ours = run_suite(sys.executable, ours_tests, HERE / "shim", in_scope, args.timeout)
        upstream = run_suite(
            str(upstream_bin / "python"), upstream_tests, None, in_scope, args.timeout
        )
    finally:
        if args.keep:
            print(debug_hint(scratch / "ours"), file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    classes = load_classification()
    internal = classes.get("internal", {})
    print("\n## Upstream's test suite\n")
    print("| file | upstream passes | ours passes of those | internal | bugs/unclassified |")
    print("|---|---|---|---|---|")
    totals = [0, 0, 0]
    unexplained: list[str] = []
    for name in in_scope:
        up = {t for t, o in upstream.get(name, {}).items() if o == "passed"}
        mine = {t for t, o in ours.get(name, {}).items() if o == "passed"}
        failing = sorted(up - mine)
        intern = [t for t in failing if t in internal or name in internal]
        other = [t for t in failing if t not in intern]
        unexplained += other
        totals[0] += len(up)
        totals[1] += len(up & mine)
        totals[2] += len(intern)
        print(f"| {name} | {len(up)} | {len(up & mine)} | {len(intern)} | {len(other)} |")
    public = totals[0] - totals[2]
    passing_public = totals[1]
    rate = 100.0 * passing_public / public if public else 0.0
    print(
        f"\nupstream passes {totals[0]} tests in scope; ours passes {totals[1]} of them; "
        f"{totals[2]} classified internal; public behaviour: {passing_public}/{public} "
        f"({rate:.1f}%)"
    )
    print("cloud files not run: " + ", ".join(f"{k} ({v})" for k, v in CLOUD_FILES.items()))
    if args.verbose and unexplained:
        print("\nfailing here, passing upstream, not classified internal:")
        for test in unexplained:
            print(f"  {test}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream-src", type=Path, help="a checkout of upstream's repository")
    parser.add_argument(
        "--upstream-venv",
        type=Path,
        default=HERE.parent / "benchmarks" / ".venv-upstream",
        help="venv with upstream redun (created if missing)",
    )
    parser.add_argument("--only", choices=["tests", "examples"])
    parser.add_argument("--files", nargs="*", help="upstream test files to run (default all)")
    parser.add_argument("--examples", nargs="*", help="examples to run (default all local)")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument(
        "--keep",
        type=Path,
        help="unpack the suites into DIR (emptied first) and keep them, to rerun one test",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)

    upstream_bin = ensure_upstream_venv(args.upstream_venv)
    if args.only != "examples":
        suite_report(args, upstream_bin)
    if args.only != "tests":
        if args.upstream_src is None:
            parser.error("--upstream-src DIR is needed to run upstream's examples")
        examples_dir = args.upstream_src / "examples"
        if not examples_dir.is_dir():
            parser.error(f"no examples/ directory in {args.upstream_src}")
        ours_bin = Path(sys.executable).parent
        results = run_examples(
            examples_dir, {"ours": ours_bin, "upstream": upstream_bin}, args.examples, 300.0
        )
        print_examples(results, args.verbose)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
