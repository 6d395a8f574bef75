"""A workflow over S3 files that upstream redun 0.44.1 ran to record redun.db here.

Byte-identical to what upstream ran: task hashes cover the source. See
make_upstream_db.sh for how the database was recorded.
"""

from redun import Dir, File, script, task

redun_namespace = "s3compat"
BUCKET = "redun-upstream-compat"


@task()
def count_bytes(data: File) -> int:
    return len(data.read("rb"))


@task()
def list_dir(folder: Dir) -> list:
    return sorted(folder.rel_path(file.path) for file in folder)


@task()
def write_report(lines: list) -> File:
    report = File(f"s3://{BUCKET}/out/report.txt")
    report.write("\n".join(lines) + "\n")
    return report


@task()
def staged_upper(data: File) -> File:
    return script(
        "tr a-z A-Z < data.txt > upper.txt",
        inputs=[data.stage("data.txt")],
        outputs=File(f"s3://{BUCKET}/out/upper.txt").stage("upper.txt"),
    )


@task()
def main() -> list:
    data = File(f"s3://{BUCKET}/in/data.txt")
    folder = Dir(f"s3://{BUCKET}/in")
    return [count_bytes(data), list_dir(folder), write_report(list_dir(folder)), staged_upper(data)]
