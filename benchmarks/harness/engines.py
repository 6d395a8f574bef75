"""Find or build the interpreter and ``redun`` console script of each engine.

Upstream redun has the same import name as ours, so it always lives in its own venv
(``benchmarks/.venv-upstream``, created on first use). Ours is, by default, whatever
interpreter runs the harness, where redun-core is installed editable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

UPSTREAM_VERSION = "0.44.1"
BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_UPSTREAM_VENV = os.path.join(BENCH_DIR, ".venv-upstream")

_PROBE = (
    "import json, sys, sysconfig, redun; "
    "print(json.dumps({'version': redun.__version__, 'file': redun.__file__, "
    "'scripts': sysconfig.get_path('scripts'), 'python': sys.version.split()[0]}))"
)


class EngineError(Exception):
    """An engine cannot be set up or cannot run workflows; the message says why."""


@dataclass
class Engine:
    """One redun implementation: how to start its interpreter and its CLI."""

    name: str
    python: str
    redun: str
    version: str
    location: str
    python_version: str


def _probe(name: str, python: str) -> Engine:
    proc = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
        raise EngineError(f"{name}: `{python} -c 'import redun'` failed: {tail[0]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    script = os.path.join(info["scripts"], "redun")
    if not os.path.exists(script):
        raise EngineError(f"{name}: no `redun` console script at {script}: reinstall the package")
    return Engine(name, python, script, info["version"], info["file"], info["python"])


def ours_engine(python: str | None = None) -> Engine:
    """Return our redun as installed in ``python`` (default: this interpreter)."""
    engine = _probe("ours", python or sys.executable)
    if engine.version == UPSTREAM_VERSION and "redun-core" not in engine.location:
        raise EngineError(
            f"ours: {engine.python} imports upstream redun {engine.version} from "
            f"{engine.location}: pass --ours-python with redun-core installed"
        )
    _compile_package(engine)
    return engine


def _compile_package(engine: Engine) -> None:
    """Byte-compile an editable install, as ``pip install`` does for a regular one.

    Upstream is measured from a pip-installed (byte-compiled) package; an editable
    checkout under PYTHONDONTWRITEBYTECODE would otherwise recompile every module on
    every run and the comparison would measure the compiler, not redun.
    """
    package_dir = os.path.dirname(engine.location)
    subprocess.run(
        [engine.python, "-m", "compileall", "-q", package_dir],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def upstream_engine(venv: str = DEFAULT_UPSTREAM_VENV, log=print) -> Engine:
    """
    Return upstream redun from ``venv``, creating the venv when it is missing or stale.

    The venv is reused when it already imports the pinned upstream version, so only
    the first benchmark run pays for the install.
    """
    python = os.path.join(venv, "bin", "python")
    if os.path.exists(python):
        try:
            engine = _probe("upstream", python)
        except EngineError:
            engine = None
        if engine and engine.version == UPSTREAM_VERSION:
            return engine
    log(f"creating {venv} with redun=={UPSTREAM_VERSION} (one-time)")
    steps = [
        [sys.executable, "-m", "venv", venv],
        [python, "-m", "pip", "install", "--quiet", f"redun=={UPSTREAM_VERSION}"],
    ]
    for argv in steps:
        proc = subprocess.run(argv, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise EngineError(f"upstream: `{' '.join(argv)}` failed: {tail[0]}")
    engine = _probe("upstream", python)
    if engine.version != UPSTREAM_VERSION:
        raise EngineError(f"upstream: {venv} has redun {engine.version}, not {UPSTREAM_VERSION}")
    return engine
