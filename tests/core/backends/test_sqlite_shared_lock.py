"""A process with a repository open keeps its SQLite lock, whatever it does to the file.

A WAL-mode connection holds a shared POSIX lock on the database file for as long as it is
open; a process closing its last connection checkpoints and deletes the WAL and its index
only when it can take the exclusive lock, i.e. when no one else is connected. POSIX drops
*every* lock a process holds on a file when *any* descriptor of that file is closed, so a
plain ``open(db).close()`` in a process with live connections makes the next process to
close believe it is alone: it deletes the WAL under those connections, whose later writes
corrupt the file ("database disk image is malformed"). This is how ``redun gc`` beside
running workflows damaged repositories: its backend checked the file's header with a plain
``open()`` after its fast-path reader had connected.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from contracts.backend_rows import one_call_execution
from redun.backends.db import RedunBackendDb
from redun.backends.db.engine import check_sqlite_file

# Another process: records 300 jobs, then closes its repository (and so checkpoints).
OTHER_RUN = """
import sys
from datetime import UTC, datetime
from redun.backends.db import RedunBackendDb
from redun.backends.records import JobStartRow
backend = RedunBackendDb("sqlite:///" + sys.argv[1])
backend.load()
now = datetime.now(UTC)
for i in range(300):
    backend.write([JobStartRow(f"{sys.argv[2]}-{i}", "e" * 36, None, "t" * 40, now)])
backend.close()
"""


def locks_held(path: str) -> int:
    """POSIX locks this process holds on ``path`` (Linux's /proc/locks)."""
    inode = f":{os.stat(path).st_ino} "
    with open("/proc/locks") as handle:
        return sum(1 for line in handle if inode in line and f" {os.getpid()} " in line)


def test_checking_the_file_keeps_this_process_lock(tmp_path) -> None:
    path = str(tmp_path / "redun.db")
    backend = RedunBackendDb(f"sqlite:///{path}")
    backend.load()
    try:
        backend.write(one_call_execution())
        backend.flush()
        held = locks_held(path)
        assert held >= 1  # the fast path's reader, connected in WAL mode
        check_sqlite_file(path)
        backend.get_db_version()  # SQLAlchemy beside the fast path, as `redun gc` does
        assert locks_held(path) >= held
    finally:
        backend.close()


def test_writes_beside_processes_that_come_and_go_leave_the_file_whole(tmp_path) -> None:
    from datetime import UTC, datetime

    from redun.backends.records import JobStartRow

    path = str(tmp_path / "redun.db")
    backend = RedunBackendDb(f"sqlite:///{path}")
    backend.load()
    backend.write(one_call_execution())
    backend.flush()
    backend.get_db_version()
    now = datetime.now(UTC)
    for name in ("a", "b", "c"):
        other = subprocess.run(
            [sys.executable, "-c", OTHER_RUN, path, name], capture_output=True, text=True
        )
        assert other.returncode == 0, other.stderr
        assert os.path.exists(path + "-wal"), "another process deleted the WAL of an open one"
        for i in range(300):
            backend.write([JobStartRow(f"mine-{name}-{i}", "e" * 36, None, "t" * 40, now)])
        backend.flush()
    backend.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT COUNT(*) FROM job").fetchone()[0] == 1 + 6 * 300
