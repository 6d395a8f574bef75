"""FileCache: a type whose values are kept in files; a deleted file is a cache miss."""

from __future__ import annotations

import os

from redun import Scheduler, task
from redun.hashing import hash_bytes
from redun.pickling import pickle_dumps
from redun.value import FileCache

redun_namespace = "test_file_cache"


class Blob:
    def __init__(self, data: str) -> None:
        self.data = data


class BlobType(FileCache):
    type = Blob
    base_path = "blobs"

    def _serialize(self) -> bytes:
        return pickle_dumps(self.instance.data)

    @classmethod
    def _deserialize(cls, data: bytes) -> Blob:
        import pickle

        return Blob(pickle.loads(data))


calls: list[str] = []


@task
def make_blob(text: str) -> Blob:
    calls.append(text)
    return Blob(text)


def test_values_live_in_files_and_a_deleted_file_reruns_the_job(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    calls.clear()
    scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp_path}/redun.db"}})
    path = os.path.join("blobs", hash_bytes(pickle_dumps("hello")))

    assert scheduler.run(make_blob("hello")).data == "hello"
    assert os.path.exists(path)
    assert scheduler.run(make_blob("hello")).data == "hello"
    assert calls == ["hello"]

    os.remove(path)
    assert scheduler.run(make_blob("hello")).data == "hello"
    assert calls == ["hello", "hello"]
    scheduler.backend.close()
