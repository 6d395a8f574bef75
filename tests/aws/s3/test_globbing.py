"""Glob patterns over S3 keys (pure functions: no server)."""

from __future__ import annotations

import pytest
from redun_aws.s3.globbing import compile_pattern, implied_dirs, literal_prefix, needs_deep_listing


@pytest.mark.parametrize(
    "pattern, matches, misses",
    [
        ("d/*.txt", ["d/a.txt", "d/.h.txt"], ["d/s/a.txt", "d/a.csv", "e/a.txt"]),
        ("d/**", ["d/a", "d/s/t/u"], ["e/a"]),
        ("d/**/*.txt", ["d/a.txt", "d/s/a.txt", "d/s/t/a.txt"], ["d/a.csv", "dd/a.txt"]),
        ("d/?.txt", ["d/a.txt"], ["d/ab.txt", "d//.txt"]),
        ("d/[ab].txt", ["d/a.txt", "d/b.txt"], ["d/c.txt"]),
        ("d/[!ab].txt", ["d/c.txt"], ["d/a.txt"]),
        ("d/a+b(1).txt", ["d/a+b(1).txt"], ["d/aab1.txt"]),
    ],
)
def test_patterns_match_like_local_globs(pattern, matches, misses) -> None:
    regex = compile_pattern(pattern)
    assert [key for key in matches if regex.match(key)] == matches
    assert [key for key in misses if regex.match(key)] == []


def test_listing_scope() -> None:
    assert literal_prefix("data/run1/*.txt") == "data/run1/"
    assert literal_prefix("data/r?n/x") == "data/r"
    assert not needs_deep_listing("data/*.txt")
    assert needs_deep_listing("data/**/x") and needs_deep_listing("data/*/x.txt")
    assert implied_dirs("data/a/b/c.txt", "data/") == ["data/a", "data/a/b"]
