"""`redun viz` on a repository written by running a real workflow."""

from __future__ import annotations

import re
import shutil

import pytest
from redun import Scheduler, task
from redun.cli.main import main


@task(namespace="viz_demo")
def greet(name: str) -> str:
    return f"Hello, {name}!"


@task(namespace="viz_demo")
def shout(text: str) -> str:
    return text.upper()


@task(namespace="viz_demo")
def boom(x: int) -> int:
    raise ValueError("boom")


@task(namespace="viz_demo")
def hello(name: str = "world") -> str:
    return shout(greet(name))


@task(namespace="viz_demo")
def failing() -> list:
    return [greet("a"), boom(1)]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> str:
    """Config dir of a repo with a ``hello`` execution, then a ``failing`` one (latest)."""
    root = tmp_path_factory.mktemp("viz")
    config_dir = root / ".redun"
    config_dir.mkdir()
    (config_dir / "redun.ini").write_text("[backend]\ndb_uri = sqlite:///redun.db\n")
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{config_dir}/redun.db"}})
    scheduler.run(hello())
    with pytest.raises(ValueError):
        scheduler.run(failing())
    scheduler.backend.close()
    return str(config_dir)


def viz(capsysbinary, repo: str, *args: str) -> str:
    main(["-c", repo, "viz", *args])
    return capsysbinary.readouterr().out.decode()


def labels(dot: str) -> dict[str, str]:
    """node id -> label of every node in DOT text."""
    return dict(re.findall(r'^  ("[^"]+") \[label="([^"]*)"', dot, re.M))


def test_call_graph_of_the_latest_execution(repo, capsysbinary):
    dot = viz(capsysbinary, repo)
    assert dot.startswith('digraph "execution ')
    nodes = labels(dot)
    texts = sorted(label.split("\\n")[0] for label in nodes.values())
    assert texts == ["viz_demo.boom(1)", "viz_demo.failing()", "viz_demo.greet('a')"]
    by_text = {label.split("\\n")[0]: node for node, label in nodes.items()}
    assert "FAILED" in nodes[by_text["viz_demo.boom(1)"]]
    edges = re.findall(r'^  ("[^"]+") -> ("[^"]+");', dot, re.M)
    # Children of the root in call order: greet('a') was called before boom(1).
    assert edges == [
        (by_text["viz_demo.failing()"], by_text["viz_demo.greet('a')"]),
        (by_text["viz_demo.failing()"], by_text["viz_demo.boom(1)"]),
    ]


def test_dataflow_links_the_producing_call_to_the_argument(repo, capsysbinary):
    dot = viz(capsysbinary, repo, "~2", "--dataflow")
    nodes = labels(dot)
    by_label = {label.split("\\n")[0]: node for node, label in nodes.items()}
    greet_node, shout_node = by_label["viz_demo.greet"], by_label["viz_demo.shout"]
    text_arg = by_label["text = 'Hello, world!'"]
    assert f"  {greet_node} -> {text_arg};" in dot
    assert f"  {text_arg} -> {shout_node};" in dot
    result = by_label["result = 'HELLO, WORLD!'"]
    assert f"  {shout_node} -> {result};" in dot


def test_output_file_format_from_extension(repo, tmp_path, capsysbinary):
    out = tmp_path / "graph.dot"
    assert viz(capsysbinary, repo, "-o", str(out)) == ""
    assert out.read_text().startswith("digraph ")


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_svg_and_png_through_graphviz(repo, tmp_path, capsysbinary):
    assert "<svg" in viz(capsysbinary, repo, "--format", "svg")
    png = tmp_path / "graph.png"
    viz(capsysbinary, repo, "--dataflow", "-o", str(png))
    assert png.read_bytes().startswith(b"\x89PNG")


def test_images_without_graphviz_are_a_one_line_error(repo, capsys, monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(SystemExit) as exc:
        main(["-c", repo, "viz", "--format", "svg"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("redun: error: --format svg needs Graphviz's `dot` on PATH: install")
    assert err.count("\n") == 1


def test_a_record_that_is_not_an_execution_is_refused(repo, capsysbinary):
    dot = viz(capsysbinary, repo)
    job_id = re.search(r'"job_([0-9a-f-]{36})"', dot).group(1)
    # A job id draws the job's execution.
    assert viz(capsysbinary, repo, job_id[:12]) == dot
    task_hash = greet.hash
    with pytest.raises(SystemExit):
        main(["-c", repo, "viz", task_hash[:12]])
    assert "is a Task, not an execution" in capsysbinary.readouterr().err.decode()


def test_labels_with_quotes_and_newlines_stay_valid_dot():
    from redun.viz.dot import quote

    assert quote('say "hi"\\now\nnext') == '"say \\"hi\\"\\\\now\\nnext"'
