"""File families with other hashing: immutable (``I*``) and content-addressed (``Content*``).

- ``IFile``/``IFileSet``/``IDir`` are hashed by path alone and always valid: for
  write-once data where even a ``stat`` per file is too much.
- ``ContentFile``/``ContentFileSet``/``ContentDir`` hash file bytes: for files whose
  mtime changes without their content changing (re-downloads, checkouts).

Each family builds its own relatives through ``classes`` (an IDir yields IFiles). The
type names are upstream's, misspellings included (``redun.ConentFile``,
``redun.CnotentFileSet``): they are stored in databases and must never change.
"""

from __future__ import annotations

from redun.file.dir import Dir, FileSet
from redun.file.file import File, FileClasses
from redun.file.staging import StagingDir, StagingFile
from redun.hashing import hash_stream, hash_struct

_BLOCK_SIZE = 1 << 20


class IFileClasses(FileClasses):
    """The immutable family: IFile, IFileSet, IDir, IStagingFile, IStagingDir."""

    __module__ = "redun.file"
    prefix = "I"


class ContentFileClasses(FileClasses):
    """The content family: ContentFile, ContentFileSet, ContentDir, Content staging."""

    __module__ = "redun.file"
    prefix = "Content"


class IFile(File):
    """A write-once file: hashed by its path only, and always valid."""

    __module__ = "redun.file"
    type_basename = "IFile"
    type_name = "redun.IFile"
    classes = IFileClasses()

    def _calc_hash(self) -> str:
        return hash_struct([self.type_basename, self.path])

    def is_valid(self) -> bool:
        return True


class IFileSet(FileSet):
    """A glob of write-once files: hashed by the pattern only, and always valid."""

    __module__ = "redun.file"
    type_basename = "IFileSet"
    type_name = "redun.IFileSet"
    classes = IFileClasses()

    def _calc_hash(self, files: list[File] | None = None) -> str:
        return hash_struct([self.type_basename, self.pattern])

    def is_valid(self) -> bool:
        return True


class IDir(Dir):
    """A write-once directory: hashed by its path only (so always valid)."""

    __module__ = "redun.file"
    type_basename = "IDir"
    type_name = "redun.IDir"
    classes = IFileClasses()

    def _calc_hash(self, files: list[File] | None = None) -> str:
        return hash_struct([self.type_basename, self.path])


class IStagingFile(StagingFile):
    __module__ = "redun.file"
    type_basename = "IStagingFile"
    type_name = "redun.IStagingFile"
    classes = IFileClasses()


class IStagingDir(StagingDir):
    __module__ = "redun.file"
    type_basename = "IStagingDir"
    type_name = "redun.IStagingDir"
    classes = IFileClasses()


class ContentFile(File):
    """A file hashed by its bytes (read in 1 MiB blocks); a missing file cannot be hashed."""

    __module__ = "redun.file"
    type_basename = "ContentFile"
    type_name = "redun.ConentFile"
    classes = ContentFileClasses()

    def _calc_hash(self) -> str:
        # filesystem.open, not self.open: closing must not trigger another re-hash.
        with self.filesystem.open(self.path, mode="rb") as infile:
            content_hash = hash_stream(infile, _BLOCK_SIZE)
        return hash_struct([self.type_basename, self.path, content_hash])


class ContentFileSet(FileSet):
    """A glob whose files are hashed by content."""

    __module__ = "redun.file"
    type_basename = "ContentFileSet"
    type_name = "redun.CnotentFileSet"
    classes = ContentFileClasses()


class ContentDir(Dir):
    """A directory whose files (as iterated) are ContentFiles.

    Note: like upstream redun, the directory's own hash comes from the file system's
    ``iter_file_hashes`` (stat based for local files), not from file contents.
    """

    __module__ = "redun.file"
    type_basename = "ContentDir"
    type_name = "redun.ContentDir"
    classes = ContentFileClasses()


class ContentStagingFile(StagingFile):
    __module__ = "redun.file"
    type_basename = "ContentStagingFile"
    type_name = "redun.ContentStagingFile"
    classes = ContentFileClasses()


class ContentStagingDir(StagingDir):
    __module__ = "redun.file"
    type_basename = "ContentStagingDir"
    type_name = "redun.ContentStagingDir"
    classes = ContentFileClasses()
