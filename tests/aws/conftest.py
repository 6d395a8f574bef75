"""Fixtures of the redun-aws tests: a real S3 server (SeaweedFS, tests/servers)."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "servers"))

from seaweedfs import s3_bucket, s3_env, seaweedfs  # noqa: E402, F401 - fixtures by name
