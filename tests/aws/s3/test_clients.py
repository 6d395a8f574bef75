"""boto3 clients: one per thread, a fresh one after fork, configured by boto3's chain."""

from __future__ import annotations

import os
import threading

from redun import File
from redun_aws.s3.clients import get_client


def test_each_thread_has_its_own_client(s3_env) -> None:
    seen: dict[str, object] = {}

    def grab(name: str) -> None:
        seen[name] = get_client()

    threads = [threading.Thread(target=grab, args=(f"t{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len({id(client) for client in seen.values()} | {id(get_client())}) == 4
    assert get_client() is get_client()


def test_a_forked_child_builds_its_own_client_and_works(s3_bucket) -> None:
    File(f"s3://{s3_bucket}/parent.txt").write("from parent")
    parent_client_id = id(get_client())
    read_end, write_end = os.pipe()

    pid = os.fork()
    if pid == 0:  # the child: report what it sees, then leave without running pytest's exit
        try:
            text = File(f"s3://{s3_bucket}/parent.txt").read()
            File(f"s3://{s3_bucket}/child.txt").write("from child")
            fresh = id(get_client()) != parent_client_id
            os.write(write_end, f"{text}|{fresh}".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    report = os.read(read_end, 1000).decode()
    os.close(read_end)

    assert status == 0
    assert report == "from parent|True"
    assert File(f"s3://{s3_bucket}/child.txt").read() == "from child"
    assert File(f"s3://{s3_bucket}/parent.txt").read() == "from parent"


def test_the_endpoint_comes_from_the_environment(s3_env) -> None:
    assert get_client().meta.endpoint_url == s3_env.endpoint
