"""http(s) files: read-only inputs with upstream's pseudo-hash, served by a real local server."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from redun import File, task
from redun.hashing import hash_struct


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - keep test output clean
        pass


@pytest.fixture
def web(tmp_path):
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@task(namespace="http_files_test")
def count_words(page: File) -> int:
    return len(page.read().split())


def test_read_exists_size_and_upstream_hash(web):
    root, url = web
    (root / "page.txt").write_text("hello web\n")
    page = File(f"{url}/page.txt")
    assert page.exists() and page.isfile() and not page.isdir()
    assert page.size() == 10
    assert page.read() == "hello web\n"
    assert page.read("rb") == b"hello web\n"
    assert page.hash == hash_struct(["File", "fsspec", page.path, "10"])
    missing = File(f"{url}/missing.txt")
    assert not missing.exists()
    assert missing.hash == hash_struct(["File", "fsspec", missing.path, "-1"])


def test_http_files_are_read_only(web):
    _, url = web
    with pytest.raises(ValueError, match="read only"):
        File(f"{url}/new.txt").write("x")
    with pytest.raises(ValueError, match="read only"):
        File(f"{url}/new.txt").remove()


def test_a_changed_download_reruns_the_task(web, make_scheduler, ran_tasks):
    root, url = web
    (root / "page.txt").write_text("one two\n")
    first = make_scheduler()
    assert first.run(count_words(File(f"{url}/page.txt"))) == 2
    again = make_scheduler()
    assert again.run(count_words(File(f"{url}/page.txt"))) == 2
    assert ran_tasks(again) == []
    (root / "page.txt").write_text("one two three\n")
    changed = make_scheduler()
    assert changed.run(count_words(File(f"{url}/page.txt"))) == 3
    assert ran_tasks(changed) == ["http_files_test.count_words"]
