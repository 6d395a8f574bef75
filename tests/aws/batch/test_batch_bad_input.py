"""Bad AWS Batch input: one-line errors naming the key, queue or bucket; the record
stays usable (a fixed rerun from the same repository succeeds)."""

from __future__ import annotations

from typing import Any

import pytest
from redun.errors import ConfigError, RedunError

pytestmark = pytest.mark.slow


def _one_line(error: BaseException) -> str:
    message = str(error)
    assert "\n" not in message, message
    return message


def test_missing_image_names_the_key(batch_scheduler: Any, flow: Any, batch_config: dict) -> None:
    scheduler = batch_scheduler()
    scheduler.executors["batch"].config.pop("image")
    with pytest.raises(ConfigError) as info:
        scheduler.run(flow.add(1, 2))
    assert _one_line(info.value) == "[executors.batch] is missing 'image'; set it in redun.ini"


def test_missing_queue_names_the_key(batch_scheduler: Any, flow: Any) -> None:
    scheduler = batch_scheduler()
    scheduler.executors["batch"].config.pop("queue")
    with pytest.raises(ConfigError) as info:
        scheduler.run(flow.add(1, 2))
    assert _one_line(info.value) == "[executors.batch] is missing 'queue'; set it in redun.ini"


def test_missing_s3_scratch_names_the_key(batch_scheduler: Any, flow: Any) -> None:
    scheduler = batch_scheduler()
    scheduler.executors["batch"].config.pop("s3_scratch")
    with pytest.raises(ConfigError, match=r"\[executors.batch\] is missing 's3_scratch'"):
        scheduler.run(flow.add(1, 2))


def test_unknown_queue_names_the_queue_and_a_fixed_rerun_succeeds(
    batch_scheduler: Any, flow: Any
) -> None:
    with pytest.raises(RedunError) as info:
        batch_scheduler(queue="no-such-queue").run(flow.add(1, 2))
    message = _one_line(info.value)
    assert "AWS Batch queue 'no-such-queue'" in message
    assert "does not exist" in message
    assert batch_scheduler().run(flow.add(1, 2)) == 3


def test_missing_bucket_names_the_bucket(batch_scheduler: Any, flow: Any) -> None:
    with pytest.raises(Exception) as info:
        batch_scheduler(s3_scratch="s3://no-such-bucket-redun/x").run(flow.add(1, 2))
    assert "no-such-bucket-redun" in _one_line(info.value)
    assert "does not exist" in str(info.value)


def test_no_credentials_is_one_line(
    batch_scheduler: Any, flow: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from redun_aws.s3.clients import reset_clients

    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    reset_clients()
    with pytest.raises(Exception) as info:
        batch_scheduler().run(flow.add(1, 2))
    assert "no AWS credentials found" in _one_line(info.value)
