"""File systems: scheme resolution through plugins, errors, and cross-system copies."""

from __future__ import annotations

import fnmatch
import io
import sys
import types

import pytest
import redun.file
from redun.errors import FileSystemError
from redun.file import (
    Dir,
    File,
    FileSystem,
    LocalFileSystem,
    copy_file,
    get_filesystem,
    get_filesystem_class,
    get_proto,
    glob_file,
    list_filesystems,
    open_file,
    register_filesystem,
)
from redun.hashing import hash_struct
from redun.plugins import hookimpl


class MemoryFileSystem(FileSystem):
    """A file system of ``mem://`` URLs kept in a dict: a stand-in for an object store."""

    name = "mem"
    schemes = ("mem",)
    blobs: dict[str, bytes] = {}

    def _open(self, path, mode, **kwargs):
        blobs = self.blobs
        if "r" in mode:
            if path not in blobs:
                raise FileNotFoundError(2, "No such file or directory")
            stream = io.BytesIO(blobs[path])
        else:

            class Writer(io.BytesIO):
                def close(self) -> None:
                    blobs[path] = self.getvalue()
                    super().close()

            stream = Writer()
        return stream if "b" in mode else io.TextIOWrapper(stream)

    def exists(self, path):
        return path in self.blobs

    def remove(self, path):
        self.blobs.pop(path, None)

    def mkdir(self, path):
        pass

    def rmdir(self, path, recursive=False):
        pass

    def get_hash(self, path):
        return hash_struct(["File", "mem", path, str(len(self.blobs.get(path, b"")))])

    def glob(self, pattern):
        return sorted(p for p in self.blobs if fnmatch.fnmatch(p, pattern))

    def isfile(self, path):
        return path in self.blobs

    def isdir(self, path):
        return any(p.startswith(path.rstrip("/") + "/") for p in self.blobs)

    def filesize(self, path):
        return len(self.blobs[path])

    def shell_copy(self, src_path, dest_path, recursive=False, as_mount=False):
        if src_path and dest_path:
            return super().shell_copy(src_path, dest_path, recursive, as_mount)
        return f"memcat {src_path}" if src_path else f"memput {dest_path}"


@pytest.fixture
def mem_plugin(plugin_manager):
    """A plugin serving ``mem://`` through the ``redun_filesystems`` hook."""
    plugin = types.ModuleType("mem_plugin")
    plugin.redun_filesystems = hookimpl(lambda: [MemoryFileSystem])
    plugin_manager.register(plugin, name="mem")
    MemoryFileSystem.blobs = {}
    return MemoryFileSystem


def test_get_proto() -> None:
    assert get_proto("/tmp/x") == "local"
    assert get_proto("relative/a:b.txt") == "local"
    assert get_proto(None) == "local"
    assert get_proto("s3://bucket/key") == "s3"
    assert get_proto("file:///tmp/x") == "file"


def test_local_schemes_resolve_through_the_builtin_plugin(plugin_manager) -> None:
    assert get_filesystem_class(url="/tmp/x") is LocalFileSystem
    assert get_filesystem_class("file") is LocalFileSystem
    assert get_filesystem(url="/a") is get_filesystem("file")
    assert LocalFileSystem in list_filesystems()


def test_unknown_scheme_names_the_url_and_the_package(plugin_manager) -> None:
    with pytest.raises(FileSystemError) as info:
        File("s3://bucket/x")
    message = str(info.value)
    assert "s3://bucket/x" in message and "install redun-aws" in message
    assert "\n" not in message
    with pytest.raises(FileSystemError, match="'nosuch://x'.*available: file, http, https, local"):
        open_file("nosuch://x")


def test_plugin_file_system_serves_files(workdir, mem_plugin) -> None:
    file = File("mem://bucket/a.txt")
    assert type(file.filesystem) is MemoryFileSystem
    file.write("hello")
    assert file.read() == "hello" and file.size() == 5
    assert file.hash == hash_struct(["File", "mem", "mem://bucket/a.txt", "5"])
    assert MemoryFileSystem in list_filesystems()
    with pytest.raises(redun.file.RedunFileNotFoundError, match="mem://bucket/none"):
        File("mem://bucket/none").read()


def test_copies_cross_file_systems(workdir, mem_plugin, make_file) -> None:
    make_file("local.txt", "from disk")
    uploaded = File("local.txt").copy_to(File("mem://bucket/up.txt"))
    assert uploaded.read() == "from disk" and uploaded.is_valid()
    downloaded = uploaded.copy_to(File("back/down.txt"))
    assert downloaded.read() == "from disk"

    copy_file("mem://bucket/up.txt", "again.txt")
    assert File("again.txt").read() == "from disk"

    File("mem://bucket/dir/a").write("a")
    File("mem://bucket/dir/b").write("b")
    assert [f.path for f in Dir("mem://bucket/dir")] == ["mem://bucket/dir/a", "mem://bucket/dir/b"]
    copy_file("mem://bucket/dir", "tree", recursive=True)
    assert [f.path for f in Dir("tree")] == ["tree/a", "tree/b"]


def test_shell_copy_lets_the_remote_side_render(workdir, mem_plugin) -> None:
    assert File("mem://b/x").shell_copy_to("local x") == "(memcat mem://b/x) | (cat > 'local x')"
    assert File("local").shell_copy_to("mem://b/y") == "(cat local) | (memput mem://b/y)"
    assert Dir("mem://b/d").shell_copy_to("d") == "redun fs cp --recursive mem://b/d d"


def test_register_filesystem_overrides_plugins(workdir, monkeypatch) -> None:
    monkeypatch.setattr("redun.file.urls._registered", {})

    class LegacyFileSystem(MemoryFileSystem):
        name = "legacy"  # upstream style: keyed by name

    register_filesystem(LegacyFileSystem)
    assert get_filesystem_class("legacy") is LegacyFileSystem
    assert LegacyFileSystem in list_filesystems()


def test_url_helpers(workdir, make_file, capsysbinary, monkeypatch) -> None:
    with open_file("out/x.txt", "w") as out:
        out.write("text")
    assert open_file("out/x.txt").read() == "text"
    make_file("out/y.txt", "y")
    assert sorted(glob_file("out/*.txt")) == ["out/x.txt", "out/y.txt"]

    copy_file("out/x.txt", None)
    assert capsysbinary.readouterr().out == b"text"
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(b"piped")))
    copy_file(None, "out/z.txt")
    assert File("out/z.txt").read() == "piped"
    with pytest.raises(ValueError):
        copy_file(None, "out", recursive=True)


def test_plugin_names_resolve_lazily_or_say_what_to_install(monkeypatch) -> None:
    # As if the plugins were not installed (even when they are, and already imported).
    for name in [*sys.modules, "redun_aws", "redun_spark"]:
        if name.split(".")[0] in ("redun_aws", "redun_spark"):
            monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match="pip install redun-aws"):
        redun.file.S3FileSystem  # noqa: B018
    with pytest.raises(ImportError, match="pip install redun-spark"):
        from redun.file import ShardedS3Dataset  # noqa: F401
    with pytest.raises(AttributeError):
        redun.file.NoSuchName  # noqa: B018

    fake = types.ModuleType("redun_aws.s3")
    fake.S3FileSystem = MemoryFileSystem
    monkeypatch.setitem(sys.modules, "redun_aws", types.ModuleType("redun_aws"))
    monkeypatch.setitem(sys.modules, "redun_aws.s3", fake)
    assert redun.file.S3FileSystem is MemoryFileSystem
