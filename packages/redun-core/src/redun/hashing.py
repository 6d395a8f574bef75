"""Canonical encoding and the hash recipes of every recorded thing.

Every recipe is byte-compatible with upstream redun (REFERENCE §1.5) so a database
written by upstream opens here with its cache hits intact. A hash is the SHA-512 hex
digest of a bencoded pre-image whose first element names the record type, truncated
to 40 characters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redun.value import TypeRegistry

HASH_LENGTH = 40


def _encode(data: Any, out: list[bytes]) -> None:
    # Exact-type checks first: this runs for every hash of every job.
    data_type = type(data)
    if data_type is str:
        raw = data.encode("utf-8")
        out.append(b"%d:" % len(raw))
        out.append(raw)
    elif data_type is list or data_type is tuple:
        out.append(b"l")
        for item in data:
            _encode(item, out)
        out.append(b"e")
    elif data_type is int:
        out.append(b"i%de" % data)
    elif data_type is dict:
        _encode_mapping(data, out)
    elif data_type is bytes:
        out.append(b"%d:" % len(data))
        out.append(data)
    elif isinstance(data, bool):
        # bool is an int subclass; refusing it keeps True and 1 from colliding.
        raise TypeError("bencode cannot encode bool")
    elif isinstance(data, str):
        _encode(str(data), out)
    elif isinstance(data, int):
        _encode(int(data), out)
    elif isinstance(data, bytes):
        _encode(bytes(data), out)
    elif isinstance(data, Mapping):
        _encode_mapping(data, out)
    elif isinstance(data, Iterable):
        out.append(b"l")
        for item in data:
            _encode(item, out)
        out.append(b"e")
    else:
        raise TypeError(f"bencode cannot encode {type(data).__name__}")


def _encode_mapping(data: Mapping, out: list[bytes]) -> None:
    out.append(b"d")
    for key, value in sorted(data.items()):
        if not isinstance(key, (str, bytes)):
            raise TypeError(f"bencode dict keys must be str or bytes, not {type(key).__name__}")
        _encode(key, out)
        _encode(value, out)
    out.append(b"e")


def bencode(data: Any) -> bytes:
    """Bencode ints, strings, bytes, lists and dicts (keys sorted)."""
    out: list[bytes] = []
    _encode(data, out)
    return b"".join(out)


def hash_bytes(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest()[:HASH_LENGTH]


def hash_text(text: str) -> str:
    return hash_bytes(text.encode("utf-8"))


def hash_struct(struct: Any) -> str:
    """Hash a structure through its canonical bencoding."""
    return hashlib.sha512(bencode(struct)).hexdigest()[:HASH_LENGTH]


def hash_strings(items: Sequence[str]) -> str:
    """``hash_struct`` of a flat list of strings, without the generic encoder."""
    parts = [b"l"]
    parts.extend(_bstr(item) for item in items)
    parts.append(b"e")
    return hashlib.sha512(b"".join(parts)).hexdigest()[:HASH_LENGTH]


_TAG_PREFIX: dict[str, bytes] = {}


def hash_tag_bytes(tag: str, data: bytes) -> str:
    """Hash ``bencode([tag])`` followed by raw bytes (the default Value recipe)."""
    prefix = _TAG_PREFIX.get(tag)
    if prefix is None:
        prefix = _TAG_PREFIX[tag] = bencode([tag])
    digest = hashlib.sha512(prefix)
    digest.update(data)
    return digest.hexdigest()[:HASH_LENGTH]


def hash_stream(stream: IO[bytes], block_size: int = 1 << 20) -> str:
    digest = hashlib.sha512()
    while block := stream.read(block_size):
        digest.update(block)
    return digest.hexdigest()[:HASH_LENGTH]


def hash_positional_args(type_registry: TypeRegistry, args: Sequence[Any]) -> list[str]:
    return [type_registry.get_hash(arg) for arg in args]


def hash_kwargs(type_registry: TypeRegistry, kwargs: Mapping[str, Any]) -> dict[str, str]:
    return {key: type_registry.get_hash(value) for key, value in kwargs.items()}


def _bstr(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"%d:%s" % (len(raw), raw)


def hash_arguments(
    type_registry: TypeRegistry, args: Sequence[Any], kwargs: Mapping[str, Any]
) -> str:
    """``hash_struct(["TaskArguments", [arg hashes], {key: hash}])``, encoded directly:
    this runs for every job, and the generic encoder's recursion dominated it."""
    get_hash = type_registry.get_hash
    parts = [b"l13:TaskArgumentsl"]
    parts.extend(_bstr(get_hash(arg)) for arg in args)
    parts.append(b"ed")
    for key in sorted(kwargs):
        parts.append(_bstr(key))
        parts.append(_bstr(get_hash(kwargs[key])))
    parts.append(b"ee")
    return hashlib.sha512(b"".join(parts)).hexdigest()[:HASH_LENGTH]


def hash_eval(
    type_registry: TypeRegistry, task_hash: str, args: Sequence[Any], kwargs: Mapping[str, Any]
) -> tuple[str, str]:
    """Return ``(eval_hash, args_hash)``: the single-reduction cache key of a call."""
    args_hash = hash_arguments(type_registry, args, kwargs)
    return hash_eval_from_args_hash(task_hash, args_hash), args_hash


def hash_eval_from_args_hash(task_hash: str, args_hash: str) -> str:
    """``hash_struct(["Eval", task_hash, args_hash])``, encoded directly (every job)."""
    data = b"l4:Eval" + _bstr(task_hash) + _bstr(args_hash) + b"e"
    return hashlib.sha512(data).hexdigest()[:HASH_LENGTH]


def json_dumps(value: Any) -> str:
    """Normalized JSON: sorted keys, no whitespace (tag values are hashed in this form)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def hash_tag(entity_id: str, key: str, value: Any, parents: Sequence[str]) -> str:
    return hash_struct(["Tag", entity_id, key, json_dumps(value), list(parents)])


def hash_call_node(
    task_hash: str, args_hash: str, result_hash: str, child_call_hashes: Iterable[str]
) -> str:
    """``hash_struct(["CallNode", task_hash, args_hash, result_hash, sorted(children)])``,
    encoded directly (every job)."""
    parts = [b"l8:CallNode", _bstr(task_hash), _bstr(args_hash), _bstr(result_hash), b"l"]
    parts.extend(_bstr(child) for child in sorted(child_call_hashes))
    parts.append(b"ee")
    return hashlib.sha512(b"".join(parts)).hexdigest()[:HASH_LENGTH]


def hash_argument(call_hash: str, position: int | None, key: str | None, value_hash: str) -> str:
    """The id of one recorded argument row of a call node."""
    return hash_strings(["Argument", call_hash, str(position), str(key), value_hash])
