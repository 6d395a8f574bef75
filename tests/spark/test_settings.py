"""The [executors.NAME] type = spark section: keys, defaults, one-line errors."""

from __future__ import annotations

import pytest
from redun.config import Config
from redun.errors import ConfigError
from redun.executors.base import get_executor_from_config
from redun_spark.executor import SparkExecutor


def executor_from_ini(tmp_path, body: str) -> SparkExecutor:
    from redun.config import load_config

    (tmp_path / "redun.ini").write_text("[executors.spark]\ntype = spark\n" + body)
    config = load_config(str(tmp_path))
    return get_executor_from_config(config["executors"], "spark")


def test_type_spark_builds_the_spark_executor_through_the_plugin() -> None:
    config = Config.from_dict({"executors": {"spark": {"type": "spark"}}})

    executor = get_executor_from_config(config["executors"], "spark")

    assert isinstance(executor, SparkExecutor)
    assert executor.settings.master == "local[*]"
    assert executor.mode == "session"


@pytest.mark.parametrize(
    ("master", "mode"),
    [
        ("local", "session"),
        ("local[4]", "session"),
        ("local[*]", "session"),
        ("spark://host:7077", "submit"),
        ("k8s://https://kube:443", "submit"),
        ("yarn", "submit"),
    ],
)
def test_the_default_mode_follows_the_master(master: str, mode: str) -> None:
    assert SparkExecutor("spark", config={"master": master}).mode == mode


def test_spark_conf_as_json_and_conf_key_lines(tmp_path) -> None:
    executor = executor_from_ini(
        tmp_path,
        'spark_conf = {"spark.executor.memory": "2g", "spark.sql.shuffle.partitions": 8}\n'
        "conf.spark.sql.shuffle.partitions = 4\n"
        "conf.spark.ui.enabled = false\n"
        "packages = org.example:a:1.0, org.example:b:2.0\n"
        "py_files = deps.zip\n  more.py\n",
    )

    assert executor.settings.session_conf() == {
        "spark.executor.memory": "2g",
        "spark.sql.shuffle.partitions": "4",
        "spark.ui.enabled": "false",
        "spark.jars.packages": "org.example:a:1.0,org.example:b:2.0",
        "spark.submit.pyFiles": "deps.zip,more.py",
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "master = lcoal[2]\n",
            "invalid Spark master 'lcoal[2]' in [executors.spark]: expected local, local[N],",
        ),
        ("spark_conf = {oops\n", "invalid spark_conf in [executors.spark]: expected a JSON object"),
        ("spark_conf = [1]\n", "invalid spark_conf in [executors.spark]: expected a JSON object"),
        ("mode = cluster\n", "invalid mode 'cluster' in [executors.spark]: expected session or"),
        ("max_workers = 0\n", "invalid max_workers '0' in [executors.spark]: expected an integer"),
        (
            "master = yarn\nmode = session\ndeploy_mode = cluster\n",
            "deploy_mode = cluster in [executors.spark] needs mode = submit",
        ),
    ],
)
def test_bad_settings_are_one_line_config_errors(tmp_path, body: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        executor_from_ini(tmp_path, body)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
