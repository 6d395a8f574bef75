"""The job-definition keys (``job_def_name``, ``autocreate_job_def``, ``role``,
``privileged``, ``job_def_extra``) and the job's Batch tags (``batch_tags``,
``default_batch_tags``), read back through Batch's describe calls on the emulator."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from aws.batch.batch_queue import jobs_of
from redun.errors import RedunError

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/redun-test"


def _definition(emulator: Any, job: dict) -> dict:
    batch = emulator.client("batch")
    (definition,) = batch.describe_job_definitions(jobDefinitions=[job["jobDefinition"]])[
        "jobDefinitions"
    ]
    return definition


def test_an_autocreated_definition_carries_its_keys_and_the_job_runs_with_them(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    name = f"redun-def-{uuid.uuid4().hex[:8]}"
    extra = {"containerProperties": {"environment": [{"name": "FROM_DEF", "value": "yes"}]}}
    scheduler = batch_scheduler(
        job_def_name=name, role=ROLE, privileged="true", job_def_extra=json.dumps(extra)
    )
    # job_def_extra reached the running container: its variable is set there.
    assert scheduler.run(flow.env_value("FROM_DEF")) == "yes"
    (job,) = jobs_of(emulator_env, emulator_bucket)
    definition = _definition(emulator_env, job)
    assert definition["jobDefinitionName"] == name
    container = definition["containerProperties"]
    assert (container["jobRoleArn"], container["privileged"]) == (ROLE, True)

    # A second run of the same settings reuses the definition instead of registering more.
    again = batch_scheduler(
        job_def_name=name, role=ROLE, privileged="true", job_def_extra=json.dumps(extra)
    )
    second_id = again.run(flow.env_value("AWS_BATCH_JOB_ID"))
    assert second_id in {j["jobId"] for j in jobs_of(emulator_env, emulator_bucket)}
    batch = emulator_env.client("batch")
    revisions = batch.describe_job_definitions(jobDefinitionName=name)["jobDefinitions"]
    assert len(revisions) == 1


def test_autocreate_off_uses_the_named_definition_or_names_the_missing_one(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    name = f"user-def-{uuid.uuid4().hex[:8]}"
    with pytest.raises(RedunError) as info:
        batch_scheduler(autocreate_job_def="false", job_def_name=name).run(flow.add(1, 1))
    assert str(info.value) == (
        f"AWS Batch job definition '{name}' not found "
        "(autocreate_job_def = false: create it, or fix job_def_name)"
    )

    batch = emulator_env.client("batch")
    arn = batch.register_job_definition(
        jobDefinitionName=name,
        type="container",
        containerProperties={"image": "user-image", "vcpus": 1, "memory": 512, "command": []},
    )["jobDefinitionArn"]
    assert batch_scheduler(autocreate_job_def="false", job_def_name=name).run(flow.add(1, 1)) == 2
    (job,) = jobs_of(emulator_env, emulator_bucket)
    assert job["jobDefinition"] == arn


def test_batch_tags_merge_with_redun_defaults_and_the_defaults_can_be_off(
    batch_scheduler: Any, flow: Any, emulator_env: Any, emulator_bucket: str
) -> None:
    assert batch_scheduler(batch_tags='{"team": "genomics"}').run(flow.tagged(1)) == 1
    (job,) = jobs_of(emulator_env, emulator_bucket)
    tags = job["tags"]
    assert (tags["team"], tags["stage"]) == ("genomics", "test")
    assert tags["redun_task_name"] == "batch_flow.tagged"
    assert {"redun_job_id", "redun_execution_id", "redun_project", "redun_aws_user"} <= set(tags)

    assert batch_scheduler(default_batch_tags="false").run(flow.tagged(2)) == 2
    (plain,) = [j for j in jobs_of(emulator_env, emulator_bucket) if j["jobId"] != job["jobId"]]
    assert plain["tags"] == {"stage": "test"}
