"""A third-party plugin, as its author would ship it: built from templates/plugin into a
real wheel, pip-installed into a fresh venv, then found by that venv's ``redun``.

Nothing is monkeypatched: discovery goes through the installed distribution's entry
point metadata. A second plugin whose module cannot be imported is installed beside it
to show that a broken plugin is reported, not fatal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "templates" / "plugin"
CORE = ROOT / "packages" / "redun-core"
MISSING_DEPENDENCY = "redun_broken_missing_dependency"

WORKFLOW = """
import threading

from redun import task


@task()
def where() -> str:
    return threading.current_thread().name


@task()
def main() -> list:
    return [where(), "done"]
"""


def render_plugin(parent: Path, name: str) -> Path:
    """templates/plugin made into redun-<name>: the rename its README describes."""
    dest = parent / f"redun-{name}"
    shutil.copytree(TEMPLATE, dest)
    (dest / "src" / "redun_example").rename(dest / "src" / f"redun_{name}")
    for path in dest.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".toml", ".md"):
            text = path.read_text()
            path.write_text(text.replace("example", name).replace("Example", name.title()))
    return dest


def tool_python() -> str:
    """The test env's own interpreter: hatch.toml gives the hatch-test env pip and
    hatchling, so building and installing wheels offline never depends on where hatch
    itself was installed."""
    probe = subprocess.run([sys.executable, "-c", "import pip, hatchling"], capture_output=True)
    if probe.returncode != 0:
        pytest.fail(
            "the test env lacks pip or hatchling; run the suite with `hatch test` "
            "(hatch.toml's hatch-test env installs them)"
        )
    return sys.executable


@dataclass
class PluginVenv:
    """A venv with redun-core, redun-echo and redun-broken installed from wheels."""

    path: Path
    plugins: dict[str, Path]

    def redun(self, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.path / "bin" / "redun"), *args],
            cwd=cwd,
            env=clean_env(**env),
            capture_output=True,
            text=True,
            timeout=60,
        )


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDUN_", "PYTEST_", "COV_"))
    }
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def plugin_venv(tmp_path_factory) -> PluginVenv:
    root = tmp_path_factory.mktemp("plugin-wheel")
    plugins = {name: render_plugin(root, name) for name in ("echo", "broken")}
    broken_hooks = plugins["broken"] / "src" / "redun_broken" / "plugin.py"
    broken_hooks.write_text(
        broken_hooks.read_text().replace(
            "from redun.plugins import hookimpl\n",
            f"from redun.plugins import hookimpl\n\nimport {MISSING_DEPENDENCY}  # noqa: F401\n",
        )
    )

    tool = tool_python()
    dist = root / "dist"
    for source in (CORE, *plugins.values()):
        subprocess.run(
            [tool, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
            + ["--no-index", "-w", str(dist), str(source)],
            check=True,
            capture_output=True,
        )

    # The venv sees this environment's packages (redun-core's dependencies, pytest) the
    # way --system-site-packages would, whichever kind of environment runs the tests.
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    parent_sites = [path for path in sys.path if path.endswith(("site-packages", "dist-packages"))]
    lines = [f"import site; site.addsitedir({path!r})" for path in parent_sites]
    (Path(purelib) / "_redun_test_parent_env.pth").write_text("\n".join(lines) + "\n")

    subprocess.run(
        [tool, "-m", "pip", "--python", str(python), "install", "-q", "--no-index"]
        + sorted(str(wheel) for wheel in dist.glob("*.whl")),
        check=True,
        capture_output=True,
        env=clean_env(PIP_DISABLE_PIP_VERSION_CHECK="1"),
    )
    return PluginVenv(venv, plugins)


def project(tmp_path: Path, ini: str = "") -> Path:
    (tmp_path / ".redun").mkdir()
    (tmp_path / ".redun" / "redun.ini").write_text(textwrap.dedent(ini))
    (tmp_path / "wf.py").write_text(WORKFLOW)
    return tmp_path


def test_redun_plugins_lists_the_installed_plugin(plugin_venv, tmp_path) -> None:
    result = plugin_venv.redun("plugins", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    echo = lines.index("echo (redun-echo 0.1.0): ok")
    assert lines[echo + 1] == "  executors: echo_local"
    assert not any(line.startswith("builtin ") for line in lines)


def test_redun_plugins_json_reports_distribution_and_provides(plugin_venv, tmp_path) -> None:
    result = plugin_venv.redun("plugins", "--json", "--all", cwd=tmp_path)

    plugins = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert plugins["builtin"]["distribution"] == "redun-core"
    assert plugins["echo"]["distribution"] == "redun-echo"
    assert plugins["echo"]["version"] == "0.1.0"
    assert plugins["echo"]["status"] == "ok"
    assert plugins["echo"]["provides"]["executors"] == ["echo_local"]
    assert plugins["broken"]["status"] == "failed"


def test_redun_run_uses_the_plugins_executor(plugin_venv, tmp_path) -> None:
    cwd = project(tmp_path, "[executors.default]\ntype = echo_local\n")

    result = plugin_venv.redun("run", "wf.py", "main", cwd=cwd)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['echo_local_0', 'done']"
    assert "Executor[default]: running where on echo_local" in result.stderr


def test_the_skeletons_own_tests_pass_once_installed(plugin_venv, tmp_path) -> None:
    result = subprocess.run(
        [str(plugin_venv.path / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + [str(plugin_venv.plugins["echo"] / "tests")],
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_a_broken_plugin_is_listed_with_its_import_error(plugin_venv, tmp_path) -> None:
    result = plugin_venv.redun("plugins", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (
        "broken (redun-broken 0.1.0): failed: ModuleNotFoundError: "
        f"No module named '{MISSING_DEPENDENCY}'"
    ) in result.stdout.splitlines()


def test_a_broken_plugin_does_not_break_a_run_on_a_builtin_executor(plugin_venv, tmp_path) -> None:
    # Naming a second, plugin-provided executor forces every installed plugin to load.
    cwd = project(
        tmp_path, "[executors.default]\ntype = local\n[executors.other]\ntype = echo_local\n"
    )

    result = plugin_venv.redun("run", "wf.py", "main", cwd=cwd)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("'done']")


def test_naming_what_a_broken_plugin_provides_is_a_one_line_error(plugin_venv, tmp_path) -> None:
    cwd = project(tmp_path, "[executors.default]\ntype = broken_local\n")

    result = plugin_venv.redun("run", "wf.py", "main", cwd=cwd)

    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("redun: error:")]
    assert len(errors) == 1
    assert errors[0].startswith(
        "redun: error: unknown executor type 'broken_local' in [executors.default]: available:"
    )
    assert (
        f"plugin 'broken' failed to load: ModuleNotFoundError: No module named "
        f"'{MISSING_DEPENDENCY}'"
    ) in errors[0]
    assert "Traceback" not in result.stderr


def test_disabled_plugins_are_listed_as_disabled_and_not_loaded(plugin_venv, tmp_path) -> None:
    cwd = project(tmp_path, "[executors.default]\ntype = echo_local\n")

    listing = plugin_venv.redun("plugins", cwd=cwd, REDUN_DISABLE_PLUGINS="redun-broken,echo")
    run = plugin_venv.redun("run", "wf.py", "main", cwd=cwd, REDUN_DISABLE_PLUGINS="echo")

    assert "echo (redun-echo 0.1.0): disabled" in listing.stdout.splitlines()
    assert "broken (redun-broken 0.1.0): disabled" in listing.stdout.splitlines()
    assert run.returncode == 2
    assert "plugin 'echo' is disabled by REDUN_DISABLE_PLUGINS" in run.stderr
