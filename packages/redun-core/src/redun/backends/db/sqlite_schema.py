"""The columns of the repository tables, without SQLAlchemy, for the SQLite fast path.

``redun run`` on a SQLite repository reads and writes through the DBAPI so it never
pays for importing SQLAlchemy (about 0.2 s of every run). The authoritative schema is
``tables.py``; a test checks this description against it column by column.
"""

from __future__ import annotations

# Table -> ordered (column, kind); kind says how a Python value is stored:
# "" as is, "datetime" naive-UTC text, "bool" 0/1, "json" normalized text, "enum" name.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "value": (("value_hash", ""), ("type", ""), ("format", ""), ("value", "")),
    "subvalue": (("value_hash", ""), ("parent_value_hash", "")),
    "file": (("value_hash", ""), ("path", "")),
    "handle": (
        ("hash", ""),
        ("fullname", ""),
        ("value_hash", ""),
        ("key", ""),
        ("is_valid", "bool"),
    ),
    "handle_edge": (("parent_id", ""), ("child_id", "")),
    "task": (("hash", ""), ("name", ""), ("namespace", ""), ("source", "")),
    "call_node": (
        ("call_hash", ""),
        ("task_name", ""),
        ("task_hash", ""),
        ("args_hash", ""),
        ("value_hash", ""),
        ("timestamp", "datetime"),
    ),
    "call_edge": (("parent_id", ""), ("child_id", ""), ("call_order", "")),
    "call_subtree_task": (("call_hash", ""), ("task_hash", "")),
    "argument": (
        ("arg_hash", ""),
        ("call_hash", ""),
        ("value_hash", ""),
        ("arg_position", ""),
        ("arg_key", ""),
    ),
    "argument_result": (("arg_hash", ""), ("result_call_hash", "")),
    "evaluation": (("eval_hash", ""), ("task_hash", ""), ("args_hash", ""), ("value_hash", "")),
    "job": (
        ("id", ""),
        ("start_time", "datetime"),
        ("end_time", "datetime"),
        ("task_hash", ""),
        ("cached", "bool"),
        ("call_hash", ""),
        ("parent_id", ""),
        ("execution_id", ""),
    ),
    "execution": (("id", ""), ("args", ""), ("job_id", ""), ("updated_time", "datetime")),
    "tag": (
        ("tag_hash", ""),
        ("entity_type", "enum"),
        ("entity_id", ""),
        ("key", ""),
        ("value", "json"),
        ("is_current", "bool"),
    ),
    "tag_edit": (("parent_id", ""), ("child_id", "")),
}

# Insert order: a table only references tables earlier in this list.
INSERT_ORDER: tuple[str, ...] = (
    "value",
    "subvalue",
    "file",
    "handle",
    "handle_edge",
    "task",
    "call_node",
    "call_edge",
    "call_subtree_task",
    "argument",
    "argument_result",
    "evaluation",
    "job",
    "execution",
    "tag",
    "tag_edit",
)
