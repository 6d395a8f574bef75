"""Which package provides a part that is not installed.

Upstream redun shipped S3, Batch, Glue and PostgreSQL support in one distribution; here
they live in plugins. A user who upgrades and names ``type = aws_batch`` should learn
which package to install, not just that the name is unknown. This table is that
knowledge, per hook, so an executor type and a URL scheme with the same spelling can
point at different packages.
"""

from __future__ import annotations

# hook name -> key -> distribution that provides it.
KNOWN_PROVIDERS: dict[str, dict[str, str]] = {
    "redun_executors": {
        "aws_batch": "redun-aws",
        "aws_glue": "redun-spark",
        "spark": "redun-spark",
    },
    "redun_filesystems": {
        "s3": "redun-aws",
    },
    "redun_backends": {
        "postgresql": "redun-postgres",
        "postgres": "redun-postgres",
    },
    "redun_value_types": {
        "redun.ShardedS3Dataset": "redun-spark",
        "redun.ShardedDataset": "redun-spark",
    },
    "redun_cli_commands": {
        "aws": "redun-aws",
    },
}


def package_for(hook: str, key: str) -> str | None:
    """The distribution known to provide ``key`` through ``hook``, if any.

    A driver suffix (``postgresql+psycopg2``) is ignored, since the same package serves
    every driver of a scheme.
    """
    providers = KNOWN_PROVIDERS.get(hook, {})
    return providers.get(key) or providers.get(key.split("+", 1)[0])
