"""Canonical encoding and the hash recipes (redun/hashing.py). Byte-compatibility with
upstream's literal hashes is test_hash_fixtures.py; these are the rules behind it: the
fast recipes equal the generic one, and what must (not) change a hash does (not)."""

from __future__ import annotations

import io

import pytest
from redun.hashing import (
    bencode,
    hash_argument,
    hash_arguments,
    hash_bytes,
    hash_call_node,
    hash_eval,
    hash_eval_from_args_hash,
    hash_stream,
    hash_strings,
    hash_struct,
    hash_tag,
    hash_tag_bytes,
    hash_text,
)
from redun.value import get_type_registry


def test_bencode_is_canonical() -> None:
    assert bencode([1, "ab", b"\x00", {"b": 2, "a": [3]}]) == b"li1e2:ab1:\x00d1:ali3ee1:bi2eee"
    assert bencode({"b": 1, "a": 2}) == bencode({"a": 2, "b": 1}), "dict keys are sorted"
    assert bencode((1, 2)) == bencode([1, 2])
    assert bencode("é") == b"2:\xc3\xa9", "lengths count UTF-8 bytes"


@pytest.mark.parametrize("value", [True, 1.5, None, {1: "a"}])
def test_bencode_refuses_what_it_cannot_encode_unambiguously(value) -> None:
    with pytest.raises(TypeError, match="bencode"):
        bencode(value)


def test_hashes_are_40_hex_characters_of_sha512() -> None:
    import hashlib

    assert hash_bytes(b"abc") == hashlib.sha512(b"abc").hexdigest()[:40]
    assert hash_text("abc") == hash_bytes(b"abc")
    assert hash_stream(io.BytesIO(b"abc" * 1000), block_size=7) == hash_bytes(b"abc" * 1000)


def test_the_fast_recipes_equal_the_generic_encoding() -> None:
    registry = get_type_registry()
    args, kwargs = (1, "x"), {"b": [2], "a": None}
    arg_hashes = [registry.get_hash(arg) for arg in args]
    kwarg_hashes = {key: registry.get_hash(value) for key, value in kwargs.items()}
    args_hash = hash_arguments(registry, args, kwargs)

    assert hash_strings(["a", "bc"]) == hash_struct(["a", "bc"])
    assert args_hash == hash_struct(["TaskArguments", arg_hashes, kwarg_hashes])
    assert hash_eval_from_args_hash("t" * 40, args_hash) == hash_struct(
        ["Eval", "t" * 40, args_hash]
    )
    assert hash_eval(registry, "t" * 40, args, kwargs) == (
        hash_eval_from_args_hash("t" * 40, args_hash),
        args_hash,
    )
    assert hash_call_node("t", "a", "r", ["c2", "c1"]) == hash_struct(
        ["CallNode", "t", "a", "r", ["c1", "c2"]]
    )
    assert hash_argument("c", 0, None, "v") == hash_struct(["Argument", "c", "0", "None", "v"])
    assert hash_tag_bytes("Value.int", b"\x01") == hash_bytes(bencode(["Value.int"]) + b"\x01")


def test_argument_order_and_names_change_the_call_hash_keyword_order_does_not() -> None:
    registry = get_type_registry()

    assert hash_arguments(registry, (1, 2), {}) != hash_arguments(registry, (2, 1), {})
    assert hash_arguments(registry, (1,), {}) != hash_arguments(registry, (), {"x": 1})
    assert hash_arguments(registry, (), {"x": 1, "y": 2}) == hash_arguments(
        registry, (), {"y": 2, "x": 1}
    )


def test_call_node_children_are_a_set_and_tags_hash_normalized_json() -> None:
    assert hash_call_node("t", "a", "r", ["x", "y"]) == hash_call_node("t", "a", "r", ["y", "x"])
    assert hash_tag("e", "k", {"b": 1, "a": 2}, []) == hash_tag("e", "k", {"a": 2, "b": 1}, [])
    assert hash_tag("e", "k", 1, []) != hash_tag("e", "k", 1, ["parent"])
