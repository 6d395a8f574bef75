"""Fixtures of the redun-aws tests; the S3 server (SeaweedFS) comes from tests/conftest.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest


@pytest.fixture
def s3_requests(s3_env) -> Iterator[Counter[str]]:  # noqa: F811 (the fixture, by name)
    """S3 requests redun makes during the test, counted by operation (``HeadObject``...)."""
    from redun_aws.s3.clients import on_new_client, reset_clients

    counts: Counter[str] = Counter()

    def count(model, **_) -> None:
        counts[model.name] += 1

    remove = on_new_client(lambda client: client.meta.events.register("before-call.s3", count))
    reset_clients()
    yield counts
    remove()
    reset_clients()
