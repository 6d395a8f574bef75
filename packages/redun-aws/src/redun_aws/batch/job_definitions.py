"""Job definitions: created once per image and settings, reused when an equivalent exists.

Resources (vCPUs, memory, GPUs) are given per job at submission, so they are left out
when looking for an equivalent definition: one definition serves every task of an
image. Names follow upstream (``<image name>-redun-jd``), so definitions upstream
created are reused too.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any

from redun.context_values import merge_dicts
from redun.errors import ExecutorError

SUFFIX = "-redun-jd"
ROLE_NONE = "none"


def make_job_def_name(image: str, suffix: str = SUFFIX) -> str:
    """``<image name>-redun-jd``: the registry and tag are dropped, as upstream does."""
    if "amazonaws.com" in image:
        image = image.split("/", 1)[1].split(":")[0].replace("/", "-")
    return re.sub("[^A-Za-z_0-9-]", "", image)[: 128 - len(suffix)] + suffix


def job_def_details(
    image: str,
    role: str | None,
    num_nodes: int | None = None,
    shared_memory: float | None = None,
    privileged: bool = False,
    job_def_extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What ``RegisterJobDefinition`` receives (besides the name)."""
    container: dict[str, Any] = {
        "command": ["ls"],
        "image": image,
        "environment": [],
        "mountPoints": [],
        "volumes": [],
        "resourceRequirements": [
            {"type": "VCPU", "value": "1"},
            {"type": "MEMORY", "value": "4096"},
        ],
        "ulimits": [],
        "privileged": privileged,
    }
    if role and role.lower() != ROLE_NONE:
        container["jobRoleArn"] = role
    if shared_memory is not None:
        container["linuxParameters"] = {"sharedMemorySize": int(shared_memory * 1024)}
    if num_nodes is None:
        details: dict[str, Any] = {"type": "container", "containerProperties": container}
    else:
        container["ulimits"] = [{"name": "nofile", "softLimit": 65535, "hardLimit": 65535}]
        details = {
            "type": "multinode",
            "nodeProperties": {
                "mainNode": 0,
                "numNodes": num_nodes,
                "nodeRangeProperties": [
                    {"container": container, "targetNodes": "0"},
                    {"container": copy.deepcopy(container), "targetNodes": "1:"},
                ],
            },
        }
    if job_def_extra:
        details = merge_dicts([details, dict(job_def_extra)])
    return details


def _without_resources(details: Mapping[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(dict(details))
    result.pop("jobDefinitionName", None)
    result.get("containerProperties", {}).pop("resourceRequirements", None)
    for node in result.get("nodeProperties", {}).get("nodeRangeProperties", []):
        node.get("container", {}).pop("resourceRequirements", None)
    return result


def _subset(wanted: Any, existing: Any) -> bool:
    """Batch answers with more keys than it was given; only the given ones must match."""
    if isinstance(wanted, dict):
        return isinstance(existing, dict) and all(
            key in existing and _subset(value, existing[key]) for key, value in wanted.items()
        )
    return wanted == existing


def is_equivalent(wanted: Mapping[str, Any], existing: Mapping[str, Any]) -> bool:
    return _subset(_without_resources(wanted), _without_resources(existing))


class JobDefinitions:
    """Finds or registers job definitions; remembers each answer for the executor's life."""

    def __init__(self, batch_client: Any) -> None:
        self.client = batch_client
        self._known: dict[str, str] = {}

    def get_arn(self, name: str, details: Mapping[str, Any] | None, autocreate: bool) -> str:
        key = json.dumps([name, details, autocreate], sort_keys=True, default=str)
        arn = self._known.get(key)
        if arn is None:
            arn = self._known[key] = self._lookup(name, details, autocreate)
        return arn

    def _lookup(self, name: str, details: Mapping[str, Any] | None, autocreate: bool) -> str:
        response = self.client.describe_job_definitions(jobDefinitionName=name, status="ACTIVE")
        existing = sorted(
            response.get("jobDefinitions", []), key=lambda d: d.get("revision", 0), reverse=True
        )
        if not autocreate or details is None:
            if not existing:
                raise ExecutorError(
                    f"AWS Batch job definition '{name}' not found "
                    "(autocreate_job_def = false: create it, or fix job_def_name)"
                )
            return str(existing[0]["jobDefinitionArn"])
        for definition in existing:
            if is_equivalent(details, definition):
                return str(definition["jobDefinitionArn"])
        created = self.client.register_job_definition(jobDefinitionName=name, **details)
        return str(created["jobDefinitionArn"])
