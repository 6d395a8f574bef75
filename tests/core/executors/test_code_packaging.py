"""Code packages: which files go in, a hash that ignores touches, and the unpacked tree."""

from __future__ import annotations

import os
import tarfile

from redun.executors.code_packaging import (
    extract_tar,
    find_code_files,
    package_code,
    parse_code_package_config,
)


def _project(root):
    (root / "pkg").mkdir()
    (root / "wf.py").write_text("print('wf')\n")
    (root / "pkg" / "util.py").write_text("X = 1\n")
    (root / "pkg" / "data.csv").write_text("a,b\n")
    (root / "pkg" / "test_util.py").write_text("assert True\n")


def test_includes_and_excludes(tmp_path):
    _project(tmp_path)
    root = str(tmp_path)
    assert find_code_files(root) == {
        f"{root}/pkg/test_util.py",
        f"{root}/pkg/util.py",
        f"{root}/wf.py",
    }
    found = find_code_files(root, ["**/*.py", "**/*.csv"], ["**/test_*"])
    assert found == {f"{root}/pkg/data.csv", f"{root}/pkg/util.py", f"{root}/wf.py"}


def test_paths_join_the_base_dir_as_upstream(tmp_path, monkeypatch):
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert find_code_files() == {"./pkg/test_util.py", "./pkg/util.py", "./wf.py"}
    # Excludes are globs from the base directory: a bare name matches the top level only.
    assert find_code_files(excludes=["test_*", "pkg/util.py"]) == {"./pkg/test_util.py", "./wf.py"}


def test_package_is_content_addressed_and_round_trips(tmp_path):
    project, scratch, out = tmp_path / "p", tmp_path / "scratch", tmp_path / "out"
    project.mkdir()
    _project(project)
    first = package_code(str(scratch), {"includes": ["**/*.py"]}, root=str(project))
    assert first.path.startswith(f"{scratch}/code/") and first.path.endswith(".tar.gz")
    os.utime(project / "wf.py", (1, 1))
    assert package_code(str(scratch), {"includes": ["**/*.py"]}, root=str(project)).path == (
        first.path
    ), "touching a file does not change the package"
    (project / "wf.py").write_text("print('changed')\n")
    assert package_code(str(scratch), {}, root=str(project)).path != first.path
    with tarfile.open(first.path) as tar:
        assert sorted(tar.getnames()) == ["pkg/test_util.py", "pkg/util.py", "wf.py"]
    extract_tar(first.path, str(out))
    assert (out / "wf.py").read_text() == "print('wf')\n"


def test_config_parsing():
    assert parse_code_package_config({"code_package": "false"}) is False
    assert parse_code_package_config({"code_includes": "a/*.py 'b c/*.py'"}) == {
        "includes": ["a/*.py", "b c/*.py"],
        "excludes": [],
    }
