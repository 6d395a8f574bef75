"""The floor: what the fan-out costs with no engine at all (run as a script).

Plain Python calls ``inc(i)`` for every i, and records each call as one row (its hash,
argument and pickled result) in a SQLite file with one batched insert and one commit.
Any workflow engine that caches and records calls does at least this much work.
"""

import hashlib
import os
import pickle
import sqlite3
import sys


def inc(i: int) -> int:
    return i + 1


def main(n: int, path: str) -> int:
    rows = []
    total = 0
    for i in range(n):
        result = inc(i)
        total += result
        key = hashlib.sha1(f"inc:{i}".encode()).hexdigest()
        rows.append((key, i, pickle.dumps(result)))
    if os.path.exists(path):
        os.remove(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS call (hash TEXT PRIMARY KEY, arg INT, value BLOB)")
    with conn:
        conn.executemany("INSERT INTO call VALUES (?, ?, ?)", rows)
    conn.close()
    print(total)
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), sys.argv[2]))
