"""redun-aws as an installed plugin: found through its entry point, loaded lazily."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

REDUN = str(Path(sys.executable).parent / "redun")


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.strip()


def test_entry_point_and_distribution() -> None:
    (entry_point,) = [
        ep for ep in importlib.metadata.entry_points(group="redun") if ep.name == "aws"
    ]
    assert entry_point.value == "redun_aws.plugin"
    assert entry_point.dist.name == "redun-aws"
    requires = importlib.metadata.requires("redun-aws") or []
    assert any(req.startswith("redun-core") for req in requires)
    assert any(req.startswith("boto3") for req in requires)
    assert any("moto[server]" in req and "extra == 'emulator'" in req for req in requires)


def test_upstream_name_resolves_to_the_plugin() -> None:
    import redun.file
    from redun.file import get_filesystem_class
    from redun_aws.s3 import S3FileSystem

    assert redun.file.S3FileSystem is S3FileSystem
    assert get_filesystem_class("s3") is S3FileSystem
    assert get_filesystem_class(url="s3://bucket/key") is S3FileSystem


def test_upstream_executor_names_resolve_to_the_plugin() -> None:
    import redun
    from redun.executors.aws_batch import AWSBatchExecutor
    from redun.plugins.registry import get_executor_class
    from redun_aws.batch.executor import AWSBatchExecutor as plugin_class

    assert AWSBatchExecutor is plugin_class
    assert redun.AWSBatchExecutor is plugin_class
    assert get_executor_class("aws_batch") is plugin_class


def test_boto3_loads_only_when_s3_is_used() -> None:
    heavy = "print(sorted(m for m in ('boto3', 'botocore') if m in sys.modules))"
    assert run_python(f"import sys, redun; {heavy}") == "[]"
    assert run_python(f"import sys, redun.file; redun.file.S3FileSystem; {heavy}") == "[]"
    assert run_python(f"import sys; from redun import File; File('s3://b/k'); {heavy}") == "[]", (
        "a File names its file system without making a request"
    )
    help_run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom redun.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('BOTO' if 'botocore' in sys.modules else 'LIGHT', file=sys.stderr)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert help_run.stderr.strip().splitlines()[-1] == "LIGHT"


def test_redun_fs_and_plugins_list_s3() -> None:
    fs = subprocess.run([REDUN, "fs"], capture_output=True, text=True, timeout=60)
    assert "  s3" in fs.stdout.splitlines()
    plugins = subprocess.run([REDUN, "plugins"], capture_output=True, text=True, timeout=60)
    assert "redun-aws" in plugins.stdout and "s3" in plugins.stdout, plugins.stdout
