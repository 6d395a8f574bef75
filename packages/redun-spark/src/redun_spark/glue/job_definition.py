"""What a Glue job definition holds, and the files it points at in S3.

One Glue job is created per distinct definition (its name carries the definition's
hash), so changing the role, worker type or libraries makes a new job instead of
editing one that runs. The driver script and the zip of redun's own packages are
uploaded to ``<s3_scratch>/glue/`` under their content hash, once.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field

from redun.hashing import hash_bytes, hash_text

DRIVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "driver.py")
# redun's own dependencies that Glue's Python lacks; pip installs them on job start.
DEFAULT_MODULES = ("pluggy>=1.3", "cloudpickle>=2.0", "rich>=13", "click>=8.1")


@dataclass(frozen=True)
class GlueSettings:
    """The ``[executors.NAME] type = aws_glue`` keys (upstream's names and defaults)."""

    s3_scratch: str
    role: str
    aws_region: str
    glue_version: str = "4.0"
    worker_type: str = "G.1X"
    workers: int = 10
    timeout: int = 2880
    glue_job_prefix: str = "REDUN"
    spark_history_dir: str = ""
    enable_metrics: bool = False
    job_retry_interval: float = 60.0
    max_concurrent_runs: int = 1000
    additional_libs: tuple[str, ...] = ()
    extra_py_files: tuple[str, ...] = ()
    extra_files: tuple[str, ...] = ()
    default_arguments: dict[str, str] = field(default_factory=dict)

    @property
    def history_dir(self) -> str:
        return self.spark_history_dir or f"{self.s3_scratch}/glue/spark_history"


def upload_once(data: bytes, url: str) -> str:
    """Write ``data`` to ``url`` unless it is there already (names carry the hash)."""
    from redun.file import File

    file = File(url)
    if not file.exists():
        with file.open("wb") as out:
            out.write(data)
    return url


def package_libraries() -> bytes:
    """A zip of the installed ``redun`` and ``redun_spark`` packages (Glue's
    ``--extra-py-files``), deterministic so its hash changes only with the code."""
    import redun

    import redun_spark

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for package in (redun, redun_spark):
            root = os.path.dirname(os.path.abspath(package.__file__))
            base = os.path.dirname(root)
            paths = []
            for directory, dirs, names in os.walk(root):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                paths += [os.path.join(directory, n) for n in names if not n.endswith(".pyc")]
            for path in sorted(paths):
                entry = zipfile.ZipInfo(os.path.relpath(path, base), (1980, 1, 1, 0, 0, 0))
                with open(path, "rb") as infile:
                    archive.writestr(entry, infile.read())
    return buffer.getvalue()


def upload_support_files(settings: GlueSettings) -> tuple[str, str]:
    """(driver script URL, library zip URL) in scratch, uploaded if missing."""
    with open(DRIVER, "rb") as infile:
        driver = infile.read()
    prefix = f"{settings.s3_scratch.rstrip('/')}/glue"
    script = upload_once(driver, f"{prefix}/driver-{hash_bytes(driver)}.py")
    libraries = package_libraries()
    zip_url = upload_once(libraries, f"{prefix}/redun-{hash_bytes(libraries)}.zip")
    return script, zip_url


def job_definition(settings: GlueSettings, script: str, library_zip: str) -> dict:
    """The ``create_job`` arguments (without the name)."""
    modules = [*DEFAULT_MODULES, *settings.additional_libs]
    arguments = {
        "--TempDir": f"{settings.s3_scratch.rstrip('/')}/glue/tmp",
        "--extra-py-files": ",".join([library_zip, *settings.extra_py_files]),
        "--additional-python-modules": ",".join(modules),
        "--job-bookmark-option": "job-bookmark-disable",
        "--job-language": "python",
        "--enable-spark-ui": "true",
        "--spark-event-logs-path": settings.history_dir.rstrip("/") + "/",
        "--enable-metrics": str(settings.enable_metrics).lower(),
    }
    if settings.extra_files:
        arguments["--extra-files"] = ",".join(settings.extra_files)
    arguments.update(settings.default_arguments)
    return {
        "Description": "redun job (redun-spark)",
        "Role": settings.role,
        "ExecutionProperty": {"MaxConcurrentRuns": settings.max_concurrent_runs},
        "Command": {"Name": "glueetl", "ScriptLocation": script, "PythonVersion": "3"},
        "DefaultArguments": arguments,
        "MaxRetries": 0,
        "GlueVersion": settings.glue_version,
        "WorkerType": settings.worker_type,
        "NumberOfWorkers": 2,
        "Timeout": settings.timeout,
    }


def job_name(settings: GlueSettings, definition: dict) -> str:
    digest = hash_text(json.dumps(definition, sort_keys=True))[:20]
    return f"{settings.glue_job_prefix.lower()}-glue-{digest}"
