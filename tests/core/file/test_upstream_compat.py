"""Files hash and pickle byte-for-byte like upstream redun 0.44.1.

The literals were recorded by running upstream redun on the same files (same relative
paths, contents and mtimes), so a cache written by either implementation hits in the
other. If one of these fails, cached results holding files stop being shared.
"""

from __future__ import annotations

import os
import pickle

import pytest
from redun.file import (
    ContentDir,
    ContentFile,
    ContentFileSet,
    Dir,
    File,
    FileSet,
    IDir,
    IFile,
    IFileSet,
    StagingFile,
)
from redun.value import get_type_registry

UPSTREAM = {
    "File": "4aee98b852c4936b300e85b0a7889a322d7cefc6",
    "missing": "f93e1f49f7fc10d943d93463328c1e74435e7798",
    "Dir": "b1fde5f2c948ed134b5b7318836c3ed9abc7dba5",
    "IFile": "53d693da37343e535a7fc74f41bfe1d57312bb4d",
    "ContentFile": "9a8ced8fbb06746d725ec09f1e141068573f9f36",
    "FileSet": "4c32c7d378e844b10472ece9f005564132999e7c",
    "IDir": "de297dcd60a61b5a9ab84d9b3082bdd3b33d79f3",
    "IFileSet": "58c9ed081057b9966363606b3698a09e7a7c313f",
    "ContentDir": "8d53925299cf406ab4e0cf270cc75998f2e0d68c",
    "ContentFileSet": "a8d1fdf9695a40e48fdadbb05d01263fcdaf40fa",
    "StagingFile": "2f96c8f24cc9f38a7d73a58ec80108748579efd3",
    "StagingDir": "c2c5e1e9f23a949b6125f4c52fde0c645201143f",
}
UPSTREAM_PICKLES = {
    "File": (
        "800363726564756e2e66696c650a46696c650a7100298171017d7102285804000000706174687103"
        "580a000000646174612f612e747874710458040000006861736871055828000000346165653938"
        "6238353263343933366233303065383562306137383839613332326437636566633671067562"
        "2e"
    ),
    "Dir": (
        "800363726564756e2e66696c650a4469720a7100298171017d710228580400000070617468710358"
        "08000000646174612f64697271045804000000686173687105582800000062316664653566326339"
        "343865643133346235623733313838333663336564396162633764626135710675622e"
    ),
    "StagingFile": (
        "800363726564756e2e66696c650a53746167696e6746696c650a7100298171017d71022858050000"
        "006c6f63616c710363726564756e2e66696c650a46696c650a7104298171057d7106285804000000"
        "706174687107580b0000006c6f63616c2f612e7478747108580400000068617368710958280000"
        "0065313439333335633931336562396434333265343666616362386639343561373533396438396462"
        "710a7562580600000072656d6f7465710b68042981710c7d710d286807580a000000646174612f61"
        "2e747874710e6809582800000034616565393862383532633439333662333030653835623061373838"
        "396133323264376365666336710f756275622e"
    ),
}


@pytest.fixture
def files(workdir, make_file) -> None:
    make_file("data/a.txt", "hello\n", 1700000000_500000000)
    make_file("data/dir/x.txt", "x", 1700000001_000000000)
    make_file("data/dir/sub/y.txt", "yy", 1700000002_250000000)
    # Dot-files are not part of a directory's hash upstream either.
    make_file("data/dir/.hidden", "h", 1700000003_000000000)


@pytest.mark.parametrize(
    "name, make",
    [
        ("File", lambda: File("data/a.txt")),
        ("missing", lambda: File("data/missing.txt")),
        ("Dir", lambda: Dir("data/dir")),
        ("Dir", lambda: Dir("data/dir/")),
        ("IFile", lambda: IFile("data/a.txt")),
        ("ContentFile", lambda: ContentFile("data/a.txt")),
        ("FileSet", lambda: FileSet("data/dir/**/*.txt")),
        ("IDir", lambda: IDir("data/dir")),
        ("IFileSet", lambda: IFileSet("data/dir/*")),
        ("ContentDir", lambda: ContentDir("data/dir")),
        ("ContentFileSet", lambda: ContentFileSet("data/dir/**")),
        ("StagingFile", lambda: File("data/a.txt").stage("local/a.txt")),
        ("StagingDir", lambda: Dir("data/dir").stage("work")),
    ],
)
def test_hash_matches_upstream(files, name, make) -> None:
    value = make()
    assert get_type_registry().get_hash(value) == UPSTREAM[name]


@pytest.mark.parametrize(
    "name, make",
    [
        ("File", lambda: File("data/a.txt")),
        ("Dir", lambda: Dir("data/dir")),
        ("StagingFile", lambda: File("data/a.txt").stage("local/a.txt")),
    ],
)
def test_pickle_matches_upstream(files, name, make) -> None:
    assert pickle.dumps(make(), protocol=3).hex() == UPSTREAM_PICKLES[name]
    assert get_type_registry().serialize(make()).hex() == UPSTREAM_PICKLES[name]


def test_upstream_pickles_load_with_their_recorded_hash(files, make_file) -> None:
    # Change the file first: a loaded value keeps the hash it was recorded with.
    make_file("data/a.txt", "changed")
    file = pickle.loads(bytes.fromhex(UPSTREAM_PICKLES["File"]))
    assert type(file) is File
    assert (file.path, file.hash) == ("data/a.txt", UPSTREAM["File"])
    assert not file.is_valid()
    assert file.read() == "changed"

    directory = pickle.loads(bytes.fromhex(UPSTREAM_PICKLES["Dir"]))
    assert type(directory) is Dir
    assert (directory.path, directory.hash) == ("data/dir", UPSTREAM["Dir"])
    assert [f.path for f in directory] == ["data/dir/sub/y.txt", "data/dir/x.txt"]

    staging = pickle.loads(bytes.fromhex(UPSTREAM_PICKLES["StagingFile"]))
    assert type(staging) is StagingFile
    assert (staging.local.path, staging.remote.path) == ("local/a.txt", "data/a.txt")


def test_type_names_keep_upstream_spelling() -> None:
    registry = get_type_registry()
    assert registry.get_type_name(ContentFile) == "redun.ConentFile"
    assert registry.get_type_name(ContentFileSet) == "redun.CnotentFileSet"
    assert registry.parse_type_name("redun.ConentFile") is ContentFile
    assert registry.parse_type_name("redun.File") is File
    assert registry.parse_type_name("redun.StagingFile") is StagingFile


def test_patching_redun_file_os_stat_reaches_local_hashing(workdir):
    """Upstream's tests pin mtimes by patching ``redun.file.os.stat``; that patch must
    reach the local file system's hash here too."""
    from unittest.mock import patch

    real_stat = os.stat

    def zero_times(path):
        st = real_stat(path)
        return os.stat_result((*tuple(st)[:7], 0, 0, 0))

    File("file").write("hello")
    with patch("redun.file.os.stat", side_effect=zero_times):
        assert File("file").get_hash() == "90a864abe04c80ee690e7ef269ad5418227c0003"
