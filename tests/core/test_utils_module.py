"""redun.utils: the helper names upstream's workflows and tests import keep working."""

from __future__ import annotations

import io
import pickle
import sys

import pytest
import redun.utils as utils


def test_every_exported_name_resolves():
    missing = [name for name in utils.__all__ if not hasattr(utils, name)]
    assert missing == []


def test_unknown_name_is_an_attribute_error():
    assert not hasattr(utils, "no_such_helper")


def test_pickles_use_redun_protocol_and_round_trip():
    data = utils.pickle_dumps({"a": [1, 2]})
    assert data[:2] == b"\x80\x03"
    buffer = io.BytesIO()
    utils.pickle_dump({"a": [1, 2]}, buffer)
    assert buffer.getvalue() == data
    assert utils.pickle_loads(data) == {"a": [1, 2]}


class Sample:
    def __init__(self, x):
        self.x = x


def test_preview_stands_in_for_a_class_that_cannot_be_imported(monkeypatch):
    data = pickle.dumps(Sample(3), protocol=3)
    monkeypatch.delattr(sys.modules[__name__], "Sample")
    with pytest.raises(AttributeError):
        utils.pickle_loads(data)
    preview = utils.pickle_preview(data)
    assert isinstance(preview, utils.PreviewClass)
    assert repr(preview) == "Sample(x=3)"
    assert preview.x == 3
    with utils.with_pickle_preview():
        assert repr(utils.pickle_loads(data)) == "Sample(x=3)"
    assert repr(utils.pickle_preview(b"not a pickle")).startswith("Unpicklable(")


def test_import_paths_are_remembered_for_workers(tmp_path):
    utils.clear_import_paths()
    utils.add_import_path(str(tmp_path))
    try:
        assert utils.get_import_paths() == [str(tmp_path)]
        assert sys.path[0] == str(tmp_path)
        utils.clear_import_paths()
        assert utils.get_import_paths() == []
    finally:
        sys.path.remove(str(tmp_path))


def test_newest_import_path_comes_first_as_given():
    utils.clear_import_paths()
    before = list(sys.path)
    utils.add_import_path("rel_one")
    utils.add_import_path("rel_two")
    try:
        assert sys.path[:2] == ["rel_two", "rel_one"]
        assert utils.get_import_paths() == ["rel_two", "rel_one"]
    finally:
        utils.clear_import_paths()
        sys.path[:] = before


def test_multimap_keeps_repeated_keys():
    tags = utils.MultiMap([("env", "dev"), ("env", "prod"), ("user", "ann")])
    assert len(tags) == 3
    assert tags["env"] == ["dev", "prod"]
    assert tags.get("missing") == [] and tags.get("missing", None) is None
    assert "user" in tags and "nope" not in tags
    assert tags.has_item("env", "prod") and not tags.has_item("env", "qa")
    assert list(tags) == [("env", "dev"), ("env", "prod"), ("user", "ann")]
    assert sorted(tags.keys()) == ["env", "user"]
    assert tags == {"user": ["ann"], "env": ["prod", "dev"]}
    assert tags == utils.MultiMap(reversed(list(tags)))
    assert tags != utils.MultiMap([("env", "dev")])
    tags.add("env", "qa")
    assert tags.as_dict()["env"] == ["dev", "prod", "qa"] and len(tags) == 4


def test_text_helpers():
    assert utils.str2bool("TRUE") is True and utils.str2bool("false") is False
    with pytest.raises(ValueError):
        utils.str2bool("yes")
    assert utils.trim_string("abcdefghij", 6) == "abc..."
    assert list(utils.format_table([["a", "bb"], ["ccc", "d"]], "lr")) == ["a   bb", "", "ccc  d"]
    assert utils.merge_dicts([{"a": {"x": 1}}, {"a": {"y": 2}}]) == {"a": {"x": 1, "y": 2}}
    assert utils.json_dumps({"b": 1, "a": 2}) == '{"a":2,"b":1}'
    assert utils.utcnow().tzinfo is not None
