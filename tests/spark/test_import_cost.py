"""Installing redun-spark costs nothing until Spark is used: no pyspark at import."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBES = {
    "import redun": "import redun",
    "upstream shims": (
        "import redun, redun.glue, redun.file, redun.executors.aws_glue\n"
        "redun.glue.get_spark_session, redun.glue.udf, redun.file.ShardedS3Dataset\n"
        "redun.ShardedDataset, redun.executors.aws_glue.AWSGlueExecutor"
    ),
    "plugin discovery": (
        "from redun.plugins.registry import EXECUTORS, VALUE_TYPES, list_items\n"
        "assert 'spark' in list_items(EXECUTORS)\n"
        "assert 'redun.ShardedDataset' in list_items(VALUE_TYPES)"
    ),
    "redun --help": (
        "from redun.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    ),
    "a workflow using the helpers": (
        "import redun.glue as glue\n"
        "@glue.udf(return_type='long')\ndef f(x):\n    return x\n"
        "assert f(1) == 1"
    ),
}


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_pyspark_is_not_imported(probe: str) -> None:
    code = PROBES[probe] + "\nimport sys\nprint('pyspark' in sys.modules, 'boto3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == "False False"
