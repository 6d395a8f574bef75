"""What a submitted Batch job asked for: a job definition with the SubmitJob overrides
applied, as AWS Batch applies them.

moto keeps a job's ``containerOverrides`` but reports only some of them, and ignores
``nodeOverrides`` altogether; the emulator keeps the whole request and uses these
functions both to run the job (each node's command, environment and memory) and to
describe it (``DescribeJobs`` shows the resources and node properties a job runs with).
Plain data in, plain data out: nothing here imports moto.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MIB = 1024 * 1024


@dataclass(frozen=True)
class NodeSpec:
    """One process to start: a container job's only node, or one node of a multi-node job."""

    command: list[str]
    environment: dict[str, str]
    memory_mib: int | None


def merge_requirements(
    base: Sequence[Mapping[str, Any]], override: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """``resourceRequirements`` with each type the override names replaced."""
    replaced = {str(req["type"]).upper() for req in override}
    merged = [dict(req) for req in base if str(req["type"]).upper() not in replaced]
    return merged + [dict(req) for req in override]


def merge_environment(
    base: Sequence[Mapping[str, Any]], override: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    values = {str(e["name"]): str(e["value"]) for e in base}
    values.update({str(e["name"]): str(e["value"]) for e in override})
    return [{"name": name, "value": value} for name, value in values.items()]


def apply_overrides(
    container: Mapping[str, Any], overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A container's properties with ``containerOverrides`` applied."""
    result = copy.deepcopy(dict(container))
    for key, value in (overrides or {}).items():
        if key == "resourceRequirements":
            result[key] = merge_requirements(result.get(key, []), value)
        elif key == "environment":
            result[key] = merge_environment(result.get(key, []), value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def memory_mib(container: Mapping[str, Any]) -> int | None:
    """The container's memory limit in MiB (``MEMORY`` requirement, else ``memory``)."""
    for req in container.get("resourceRequirements", []):
        if str(req["type"]).upper() == "MEMORY":
            return int(float(req["value"]))
    memory = container.get("memory")
    return int(memory) if memory else None


def node_indexes(target: str, num_nodes: int) -> range:
    """The nodes a ``targetNodes`` range names: ``"0"``, ``"1:"``, ``":3"``, ``"2:5"``."""
    first, sep, last = target.partition(":")
    start = int(first) if first else 0
    if not sep:
        return range(start, start + 1)
    stop = int(last) + 1 if last else num_nodes
    return range(start, min(stop, num_nodes))


def apply_node_overrides(
    node_properties: Mapping[str, Any], node_overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Node properties with ``nodeOverrides`` applied to the ranges they target."""
    result = copy.deepcopy(dict(node_properties))
    ranges = result.setdefault("nodeRangeProperties", [])
    overrides = (node_overrides or {}).get("nodePropertyOverrides", [])
    if (node_overrides or {}).get("numNodes"):
        result["numNodes"] = int(node_overrides["numNodes"])  # type: ignore[index]
    for override in overrides:
        target = str(override.get("targetNodes", ""))
        matching = [r for r in ranges if str(r.get("targetNodes")) == target]
        if not matching:
            matching = [{"targetNodes": target, "container": {}}]
            ranges.append(matching[0])
        for node_range in matching:
            node_range["container"] = apply_overrides(
                node_range.get("container", {}), override.get("containerOverrides")
            )
    return result


def node_specs(node_properties: Mapping[str, Any]) -> list[NodeSpec]:
    """One spec per node of a multi-node job (overrides already applied); a node no
    range names runs nothing (an empty command)."""
    count = int(node_properties["numNodes"])
    containers: list[Mapping[str, Any]] = [{} for _ in range(count)]
    for node_range in node_properties.get("nodeRangeProperties", []):
        for index in node_indexes(str(node_range["targetNodes"]), count):
            containers[index] = node_range.get("container", {})
    return [container_spec(container) for container in containers]


def container_spec(container: Mapping[str, Any]) -> NodeSpec:
    environment = {str(e["name"]): str(e["value"]) for e in container.get("environment", [])}
    return NodeSpec(list(container.get("command", [])), environment, memory_mib(container))
