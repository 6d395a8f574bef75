"""``redun oneshot``: the remote end of an executor runs one task body from files."""

from __future__ import annotations

import io
import json
import pickle
import sys
import tarfile
from pathlib import Path

import pytest
from redun.scheduler import Traceback

WORKFLOW = """
from redun import task

redun_namespace = "shot"


@task()
def add(a: int, b: int = 1) -> int:
    with open("calls.txt", "a") as out:
        out.write("add\\n")
    return a + b


@task()
def explode(message: str) -> None:
    raise ValueError(message)


@task()
def chain(a: int):
    return add(a, 10)
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    saved_path = list(sys.path)
    yield tmp_path
    sys.path[:] = saved_path
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(tmp_path)):
            del sys.modules[name]


@pytest.fixture
def script(workdir: Path) -> Path:
    path = workdir / "shot_flow.py"
    path.write_text(WORKFLOW)
    return path


def write_pickle(path: str, value: object) -> None:
    Path(path).write_bytes(pickle.dumps(value))


def read_pickle(path: str) -> object:
    return pickle.loads(Path(path).read_bytes())


def calls() -> int:
    path = Path("calls.txt")
    return len(path.read_text().split()) if path.exists() else 0


def test_runs_the_body_from_input_to_output(script: Path, redun) -> None:
    write_pickle("in.pkl", ((2,), {"b": 5}))
    result = redun("oneshot", "shot_flow.py", "shot.add", "-i", "in.pkl", "-o", "out.pkl")
    assert result.code == 0, result.err
    assert read_pickle("out.pkl") == 7
    assert calls() == 1


def test_task_flags_instead_of_an_input_file(script: Path, redun) -> None:
    result = redun("oneshot", "shot_flow.py", "add", "--a", "3")
    assert result.code == 0, result.err
    assert result.out == "4\n"


def test_error_is_pickled_with_its_traceback(script: Path, redun) -> None:
    write_pickle("in.pkl", (("kaboom",), {}))
    Path("err.pkl").write_bytes(b"stale")
    result = redun(
        "oneshot", "shot_flow.py", "shot.explode", "-i", "in.pkl", "-o", "out.pkl", "-e", "err.pkl"
    )
    assert result.code == 1
    assert "redun: error: task shot.explode failed: ValueError: kaboom" in result.err
    # Upstream's format: (error, Traceback), so either engine's scheduler can read it.
    error, trace = read_pickle("err.pkl")
    assert isinstance(error, ValueError) and str(error) == "kaboom"
    assert isinstance(trace, Traceback)
    assert any(frame.line == "raise ValueError(message)" for frame in trace.frames)
    assert not Path("out.pkl").exists()


def test_stale_error_file_is_removed_on_success(script: Path, redun) -> None:
    write_pickle("in.pkl", ((1,), {}))
    Path("err.pkl").write_bytes(b"stale")
    result = redun("oneshot", "shot_flow.py", "shot.add", "-i", "in.pkl", "-e", "err.pkl")
    assert result.code == 0, result.err
    assert not Path("err.pkl").exists()


def test_lazy_result_is_written_for_the_caller_to_reduce(script: Path, redun) -> None:
    write_pickle("in.pkl", ((1,), {}))
    result = redun("oneshot", "shot_flow.py", "shot.chain", "-i", "in.pkl", "-o", "out.pkl")
    assert result.code == 0, result.err
    expr = read_pickle("out.pkl")
    assert expr.task_name == "shot.add"
    assert calls() == 0


def test_existing_output_is_reused_unless_no_cache(script: Path, redun) -> None:
    write_pickle("in.pkl", ((1,), {}))
    argv = ["oneshot", "shot_flow.py", "shot.add", "-i", "in.pkl", "-o", "out.pkl"]
    assert redun(*argv).code == 0
    assert redun(*argv).code == 0
    assert calls() == 1
    assert redun(*argv[:1], "--no-cache", *argv[1:]).code == 0
    assert calls() == 2


def test_code_package_is_extracted_and_import_path_added(workdir: Path, redun) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        data = WORKFLOW.encode()
        info = tarfile.TarInfo("code/lib/packed_flow.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    Path("code.tar.gz").write_bytes(buffer.getvalue())
    write_pickle("in.pkl", ((40,), {"b": 2}))

    result = redun(
        "oneshot",
        "packed_flow",
        "shot.add",
        "-c",
        "code.tar.gz",
        "-p",
        "code/lib",
        "-i",
        "in.pkl",
        "-o",
        "out.pkl",
    )
    assert result.code == 0, result.err
    assert Path("code/lib/packed_flow.py").exists()
    assert read_pickle("out.pkl") == 42


def test_array_job_picks_its_rank(script: Path, redun, monkeypatch) -> None:
    write_pickle("in.pkl", ([(1,), (2,), (3,)], [{}, {"b": 100}, {}]))
    Path("outs.json").write_text(json.dumps(["o0.pkl", "o1.pkl", "o2.pkl"]))
    Path("errs.json").write_text(json.dumps(["e0.pkl", "e1.pkl", "e2.pkl"]))
    monkeypatch.setenv("MY_RANK", "1")
    result = redun(
        "oneshot",
        "shot_flow.py",
        "shot.add",
        "--array-job",
        "--array-rank-env",
        "MY_RANK",
        "-i",
        "in.pkl",
        "-o",
        "outs.json",
        "-e",
        "errs.json",
    )
    assert result.code == 0, result.err
    assert read_pickle("o1.pkl") == 102
    assert not Path("o0.pkl").exists() and not Path("o2.pkl").exists()


def test_array_job_without_rank_is_a_usage_error(script: Path, redun, monkeypatch) -> None:
    for name in ("AWS_BATCH_JOB_ARRAY_INDEX", "JOB_COMPLETION_INDEX", "BATCH_TASK_INDEX"):
        monkeypatch.delenv(name, raising=False)
    result = redun("oneshot", "shot_flow.py", "shot.add", "--array-job", "--a", "1")
    assert result.code == 2
    assert "--array-job needs the rank in $AWS_BATCH_JOB_ARRAY_INDEX" in result.err


def test_unknown_task(script: Path, redun) -> None:
    result = redun("oneshot", "shot_flow.py", "shot.nope")
    assert result.code == 2
    assert "redun: error: unknown task 'shot.nope' in shot_flow.py" in result.err


def test_help_lists_tasks(script: Path, redun) -> None:
    result = redun("oneshot", "shot_flow.py", "help")
    assert result.code == 0
    assert "  shot.add" in result.out.splitlines()
