"""Fixtures of the user-guide tests: the S3 server pages marked ``<!-- test: s3 -->`` use."""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "servers"))

from seaweedfs import s3_bucket, s3_env, seaweedfs  # noqa: E402, F401 - fixtures by name
