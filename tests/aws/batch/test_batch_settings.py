"""What a configured Batch executor shows of its section (no AWS call is made)."""

from __future__ import annotations

from redun import Scheduler
from redun_aws.batch.executor import AWSBatchExecutor


def test_the_executor_shows_its_image_and_queue():
    scheduler = Scheduler(
        config={
            "executors.batch": {
                "type": "aws_batch",
                "image": "123.dkr.ecr.us-west-2.amazonaws.com/python",
                "queue": "jobs",
                "s3_scratch": "s3://bucket/redun/",
            }
        }
    )
    executor = scheduler.executors["batch"]
    assert isinstance(executor, AWSBatchExecutor)
    assert (executor.image, executor.queue) == (
        "123.dkr.ecr.us-west-2.amazonaws.com/python",
        "jobs",
    )
