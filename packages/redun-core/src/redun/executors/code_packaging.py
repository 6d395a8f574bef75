"""Code packaging: a tarball of the user's code that remote jobs unpack before running.

Remote executors (Batch, Spark, ``redun launch --code-package``) upload one tarball per
distinct code state to ``<scratch>/code/<hash>.tar.gz``. The archive is deterministic
(sorted members, zeroed times and owners), so the hash changes only when file contents
or names do: touching a file does not upload a new package.
"""

from __future__ import annotations

import glob
import io
import os
import shlex
import tarfile
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from typing import Any

from redun.config_values import parse_bool
from redun.hashing import hash_stream

DEFAULT_INCLUDES = "**/*.py"


def find_code_files(
    basedir: str = ".",
    includes: Iterable[str] | None = None,
    excludes: Iterable[str] | None = None,
) -> set[str]:
    """The files under ``basedir`` matching an include glob and no exclude glob.

    Upstream redun's signature and result, for executors that package code themselves:
    globs are relative to ``basedir`` (``**`` spans directories) and each path is
    ``os.path.join(basedir, match)``, e.g. ``./lib/lib.py``.
    """
    found: set[str] = set()
    for pattern in includes or [DEFAULT_INCLUDES]:
        found.update(_glob(basedir, pattern))
    for pattern in excludes or ():
        found.difference_update(_glob(basedir, pattern))
    return {path for path in found if os.path.isfile(path)}


def _glob(basedir: str, pattern: str) -> set[str]:
    return set(glob.glob(os.path.join(basedir, pattern), recursive=True))


def _member(path: str, arcname: str) -> tuple[tarfile.TarInfo, bytes]:
    with open(path, "rb") as handle:
        data = handle.read()
    info = tarfile.TarInfo(arcname)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = 0
    return info, data


def create_tar(
    tar_path: str, file_paths: Iterable[str], arcname_prefix: str | None = None, root: str = "."
) -> str:
    """Write a deterministic gzipped tar of ``file_paths`` (relative to ``root``)."""
    import gzip

    with (
        open(tar_path, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w") as tar,
    ):
        for path in sorted(file_paths):
            arcname = os.path.join(arcname_prefix, path) if arcname_prefix else path
            info, data = _member(os.path.join(root, path), arcname)
            tar.addfile(info, io.BytesIO(data))
    return tar_path


def create_zip(
    zip_path: str, file_paths: Iterable[str], arcname_prefix: str | None = None, root: str = "."
) -> str:
    """A zip of the code (Spark/Glue take ``--py-files`` as zips)."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(file_paths):
            arcname = os.path.join(arcname_prefix, path) if arcname_prefix else path
            entry = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
            with open(os.path.join(root, path), "rb") as handle:
                archive.writestr(entry, handle.read())
    return zip_path


def extract_tar(tar_file: Any, dest_dir: str = ".") -> None:
    """Unpack a code package (a path or a File) into ``dest_dir``."""
    path = getattr(tar_file, "path", tar_file)
    from redun.file import open_file

    with open_file(path, "rb") as handle, tarfile.open(fileobj=handle, mode="r:gz") as tar:
        tar.extractall(dest_dir, filter="data")


def code_package_enabled(config: Mapping[str, Any]) -> bool:
    """``code_package`` of an executor section (default true); a word that is not a
    boolean is a ``ConfigError`` naming the section."""
    section = getattr(config, "name", None) or "executors"
    return parse_bool(config.get("code_package", True), "code_package", section)


def parse_code_package_config(config: Mapping[str, Any]) -> dict | bool:
    """``code_package``/``code_includes``/``code_excludes`` of an executor section."""
    if not code_package_enabled(config):
        return False
    return {
        "includes": shlex.split(str(config.get("code_includes", DEFAULT_INCLUDES))),
        "excludes": shlex.split(str(config.get("code_excludes", ""))),
    }


def get_code_scratch_file(scratch_prefix: str, tar_hash: str, use_zip: bool = False) -> str:
    extension = "zip" if use_zip else "tar.gz"
    return f"{scratch_prefix.rstrip('/')}/code/{tar_hash}.{extension}"


def package_code(
    scratch_prefix: str,
    code_package: Mapping[str, Any] | None = None,
    use_zip: bool = False,
    basename: str | None = None,
    arcname_prefix: str | None = None,
    root: str = ".",
) -> Any:
    """Archive the matching files of ``root`` and copy the archive into scratch (once)."""
    from redun.file import File

    options = dict(code_package or {})
    found = find_code_files(root, options.get("includes"), options.get("excludes"))
    paths = sorted(os.path.relpath(path, root) for path in found)
    with tempfile.TemporaryDirectory() as tmpdir:
        local = os.path.join(tmpdir, "code.zip" if use_zip else "code.tar.gz")
        if use_zip:
            create_zip(local, paths, arcname_prefix, root=root)
        else:
            create_tar(local, paths, arcname_prefix, root=root)
        if not basename:
            with open(local, "rb") as handle:
                basename = hash_stream(handle)
        code_file = File(get_code_scratch_file(scratch_prefix, basename, use_zip=use_zip))
        if not code_file.exists():
            File(local).copy_to(code_file)
    return code_file
