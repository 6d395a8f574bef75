"""Fixtures every test directory may use, loaded as pytest plugins.

``pytest.toml`` puts ``tests/`` on the import path, so helper modules import by their
place in the tree (``from postgres.pg_server import run_sql``) and the real servers'
fixtures load here once, whichever directories run: a server starts only when a test
first asks for it.
"""

from __future__ import annotations

pytest_plugins = [
    "postgres.pg_server",  # a real PostgreSQL server: pg_server, pg_uri, pg_backend, ...
    "servers.seaweedfs",  # a real S3 server: seaweedfs, s3_env, s3_bucket
    "servers.moto_emulator",  # moto's server with a Batch job runner: aws_emulator, ...
    "spark.glue_emulator",  # AWS Glue on moto, job runs on local Spark: glue_emulator
]
