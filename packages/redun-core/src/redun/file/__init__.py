"""Files, directories and the file systems behind them (upstream's ``redun.file``).

Every persisted class here reports ``redun.file`` as its module, whichever submodule
defines it, so pickles name ``redun.file.File`` exactly as upstream redun's do. File
systems other than the local one come from plugins; their upstream names
(``redun.file.S3FileSystem``, ...) resolve lazily to the plugin that provides them.
"""

from __future__ import annotations

import importlib
import os  # noqa: F401  upstream's redun.file has it: tests patch redun.file.os.stat
from typing import Any

from redun.file.api import copy_file, glob_file, open_file
from redun.file.dir import Dir, FileSet
from redun.file.errors import RedunFileNotFoundError, RedunOSError, RedunPermissionError
from redun.file.file import File, FileClasses
from redun.file.filesystem import FileSystem
from redun.file.http_fs import HTTPFileSystem
from redun.file.local import LocalFileSystem
from redun.file.staging import Staging, StagingDir, StagingFile
from redun.file.urls import (
    get_filesystem,
    get_filesystem_class,
    get_proto,
    list_filesystems,
    register_filesystem,
)
from redun.file.variants import (
    ContentDir,
    ContentFile,
    ContentFileClasses,
    ContentFileSet,
    ContentStagingDir,
    ContentStagingFile,
    IDir,
    IFile,
    IFileClasses,
    IFileSet,
    IStagingDir,
    IStagingFile,
)

# Upstream names now provided by plugins: name -> (module, distribution to install).
_PLUGIN_NAMES: dict[str, tuple[str, str]] = {
    "S3FileSystem": ("redun_aws.s3", "redun-aws"),
    "ShardedS3Dataset": ("redun_spark.dataset", "redun-spark"),
}

__all__ = [
    "ContentDir",
    "ContentFile",
    "ContentFileClasses",
    "ContentFileSet",
    "ContentStagingDir",
    "ContentStagingFile",
    "Dir",
    "File",
    "FileClasses",
    "FileSet",
    "FileSystem",
    "HTTPFileSystem",
    "IDir",
    "IFile",
    "IFileClasses",
    "IFileSet",
    "IStagingDir",
    "IStagingFile",
    "LocalFileSystem",
    "RedunFileNotFoundError",
    "RedunOSError",
    "RedunPermissionError",
    "Staging",
    "StagingDir",
    "StagingFile",
    "copy_file",
    "get_filesystem",
    "get_filesystem_class",
    "get_proto",
    "glob_file",
    "list_filesystems",
    "open_file",
    "register_filesystem",
]


def __getattr__(name: str) -> Any:
    if name not in _PLUGIN_NAMES:
        raise AttributeError(f"module 'redun.file' has no attribute {name!r}")
    module_name, distribution = _PLUGIN_NAMES[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(
            f"redun.file.{name} is provided by {distribution}: pip install {distribution}"
        ) from error
    return getattr(module, name)
