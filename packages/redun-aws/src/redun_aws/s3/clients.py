"""boto3 S3 clients: one per thread, rebuilt after a fork.

boto3 clients are not safe to share across threads while they are being created, and a
client inherited through ``fork`` shares its connection pool's sockets with the parent.
So every thread of every process builds its own, from its own ``Session`` (the default
session is global and not thread-safe). Endpoint, region and credentials come from
boto3's standard chain: ``AWS_ENDPOINT_URL_S3`` / ``AWS_ENDPOINT_URL``, ``AWS_REGION``,
``AWS_PROFILE``, the config files, instance roles. Nothing here reads or logs
credentials.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

_local = threading.local()
_client_hooks: list[Callable[[Any], None]] = []
_generation = 0


def get_client() -> Any:
    """This thread's S3 client, created on first use (and again in a forked child)."""
    key = (os.getpid(), _generation)
    client = getattr(_local, "client", None)
    if client is None or getattr(_local, "key", None) != key:
        client = _new_client()
        _local.client = client
        _local.key = key
    return client


def _new_client() -> Any:
    import boto3.session
    from botocore.config import Config

    config = Config(retries={"mode": "standard"}, max_pool_connections=32)
    client = boto3.session.Session().client("s3", config=config)
    for hook in list(_client_hooks):
        hook(client)
    return client


def on_new_client(hook: Callable[[Any], None]) -> Callable[[], None]:
    """Call ``hook(client)`` for every client created from now on (in this process).

    Meant for instrumentation, such as counting requests with botocore's event
    system in a benchmark. Returns a function that removes the hook.
    """
    _client_hooks.append(hook)
    return lambda: _client_hooks.remove(hook)


def reset_clients() -> None:
    """Make every thread build a new client, so requests see a changed environment."""
    global _generation
    _generation += 1
