"""The ``[executors.NAME] type = spark`` section, parsed and checked once.

Every key is checked before Spark starts, so a typo costs a one-line error naming the
key and section, not a JVM start-up and a Java stack trace.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from redun.config_values import parse_choice, parse_int

from redun_spark.errors import SparkConfigError

SESSION_MODE = "session"
SUBMIT_MODE = "submit"
MODES = (SESSION_MODE, SUBMIT_MODE)
DEPLOY_MODES = ("client", "cluster")
CONF_PREFIX = "conf."
DEFAULT_MASTER = "local[*]"

# The master URL forms spark-submit documents; anything else fails inside the JVM with a
# long stack trace, so it is refused here first.
_MASTER_PATTERNS = (
    r"local",
    r"local\[(\*|[1-9][0-9]*)\]",
    r"local\[(\*|[1-9][0-9]*),\s*[1-9][0-9]*\]",
    r"local-cluster\[[1-9][0-9]*,\s*[1-9][0-9]*,\s*[1-9][0-9]*\]",
    r"spark://[^\s/]+(,[^\s/]+)*",
    r"k8s://\S+",
    r"mesos://\S+",
    r"yarn",
)
_MASTER = re.compile("|".join(f"(?:{pattern})" for pattern in _MASTER_PATTERNS))


@dataclass(frozen=True)
class SparkSettings:
    """What a Spark executor section asks for."""

    master: str = DEFAULT_MASTER
    mode: str = SESSION_MODE
    deploy_mode: str = "client"
    spark_conf: dict[str, str] = field(default_factory=dict)
    py_files: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    spark_submit: str | None = None
    scratch: str | None = None
    app_name: str = "redun"
    max_workers: int = 4

    @property
    def is_local(self) -> bool:
        return is_local_master(self.master)

    def session_conf(self) -> dict[str, str]:
        """Spark properties for a SparkSession built in this process."""
        conf = dict(self.spark_conf)
        if self.packages:
            conf.setdefault("spark.jars.packages", ",".join(self.packages))
        if self.py_files:
            conf.setdefault("spark.submit.pyFiles", ",".join(self.py_files))
        return conf


def is_local_master(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def parse_settings(name: str, config: Mapping[str, Any]) -> SparkSettings:
    """Check and parse the section of executor ``name``."""
    section = str(getattr(config, "name", f"executors.{name}"))
    source = getattr(config, "source", None)
    master = str(config.get("master", DEFAULT_MASTER)).strip()
    check_master(master, section)
    default_mode = SESSION_MODE if is_local_master(master) else SUBMIT_MODE
    mode = parse_choice(config.get("mode", default_mode), "mode", section, MODES, source)
    deploy_mode = parse_choice(
        config.get("deploy_mode", "client"), "deploy_mode", section, DEPLOY_MODES, source
    )
    if mode == SESSION_MODE and not is_local_master(master) and deploy_mode == "cluster":
        raise SparkConfigError(
            f"deploy_mode = cluster in [{section}] needs mode = submit: a session runs its "
            "driver in the scheduler's process"
        )
    return SparkSettings(
        master=master,
        mode=mode,
        deploy_mode=deploy_mode,
        spark_conf=parse_spark_conf(config, section),
        py_files=_split_list(config.get("py_files", "")),
        packages=_split_list(config.get("packages", "")),
        spark_submit=str(config["spark_submit"]).strip() if config.get("spark_submit") else None,
        scratch=str(config["scratch"]).strip() if config.get("scratch") else None,
        app_name=str(config.get("app_name", "redun")),
        max_workers=parse_int(config.get("max_workers", 4), "max_workers", section, source, 1),
    )


def check_master(master: str, section: str) -> None:
    if not _MASTER.fullmatch(master):
        raise SparkConfigError(
            f"invalid Spark master {master!r} in [{section}]: expected local, local[N], "
            "local[*], spark://HOST:PORT, k8s://URL, mesos://URL or yarn"
        )


def parse_spark_conf(config: Mapping[str, Any], section: str) -> dict[str, str]:
    """Spark properties from ``spark_conf`` (a JSON object) and ``conf.KEY = value`` keys.

    Keys spelled ``conf.KEY`` win over the same key in ``spark_conf``, so a shared JSON
    default can be overridden one property at a time.
    """
    conf: dict[str, str] = {}
    raw = str(config.get("spark_conf", "") or "").strip()
    if raw:
        try:
            parsed = json.loads(raw)
        except ValueError as exc:
            raise SparkConfigError(
                f"invalid spark_conf in [{section}]: expected a JSON object such as "
                f'{{"spark.executor.memory": "2g"}} ({exc})'
            ) from None
        if not isinstance(parsed, dict):
            raise SparkConfigError(
                f"invalid spark_conf in [{section}]: expected a JSON object, got "
                f"{type(parsed).__name__}"
            )
        conf.update({str(key): _conf_value(value) for key, value in parsed.items()})
    for key in config:
        if key.startswith(CONF_PREFIX) and len(key) > len(CONF_PREFIX):
            conf[key[len(CONF_PREFIX) :]] = str(config[key]).strip()
    return conf


def _conf_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _split_list(value: Any) -> tuple[str, ...]:
    """Items separated by commas and/or whitespace (newlines in an INI value)."""
    text = str(value or "").replace(",", " ")
    return tuple(shlex.split(text))
