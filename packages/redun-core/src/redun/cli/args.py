"""Turn a task's signature into command-line flags, and flags back into arguments.

``redun run wf.py align --reads a.fq b.fq --threads 4`` works because every parameter
of ``align`` becomes a ``--kebab-case`` flag whose text is parsed by the parameter's
annotation. Only the flags the user gave are passed to the task, never the defaults:
the call's hash (and so its cache entry) must match the same call written in Python.

The parser is hand-written rather than argparse so that every mistake is one line that
names the flag, the value and what would be accepted.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import inspect
import json
import pathlib
import textwrap
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from redun.config_values import BOOLEAN_WORDS, to_bool
from redun.errors import UsageError

_EMPTY = inspect.Parameter.empty
SUBCOMMANDS = {"help": "show this help", "info": "show the task's name, hash and source"}


class UnknownTaskFlag(UsageError):
    """A ``--flag`` that is not a parameter of the task."""

    def __init__(self, message: str, flag: str) -> None:
        super().__init__(message)
        self.flag = flag


class TaskLike(Protocol):
    """What argument parsing needs from a task (``redun.task.Task`` provides it)."""

    fullname: str
    func: Callable[..., Any]


@dataclass
class TaskArgument:
    """One parameter of a task, as the command line sees it."""

    name: str
    flag: str
    annotation: Any
    default: Any
    kind: inspect._ParameterKind
    parse: Callable[[str], Any]
    type_label: str
    metavar: str
    is_list: bool = False
    is_bool: bool = False

    @property
    def required(self) -> bool:
        return self.default is _EMPTY


@dataclass
class ParsedTaskArgs:
    """The result of parsing task flags: call arguments, or a ``help``/``info`` request."""

    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    command: str | None = None


def get_task_arguments(task: TaskLike) -> list[TaskArgument]:
    """The command-line view of ``task``'s parameters, in signature order.

    ``*args``/``**kwargs`` are left out: a flag cannot say where such values would go.
    String annotations (``from __future__ import annotations``) are resolved in the
    task's module, so a script's annotations parse the same either way.
    """
    signature = getattr(task, "signature", None) or inspect.signature(task.func)
    hints = _resolve_hints(task.func, signature)
    arguments = []
    for param in signature.parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        arguments.append(_make_argument(param, hints.get(param.name, _EMPTY)))
    return arguments


def parse_task_args(task: TaskLike, argv: Sequence[str]) -> ParsedTaskArgs:
    """Parse ``argv`` (everything after TASK) into the arguments to call ``task`` with.

    Flags take ``--flag VALUE`` or ``--flag=VALUE``; list parameters take one or more
    values (repeating the flag appends); a bool flag given without a value means true;
    a leading ``--`` is ignored; ``-h``/``--help``/``help``/``info`` ask for help or
    info instead of a call. Required parameters are checked by :func:`check_required`,
    since arguments may also come from an input pickle.
    """
    arguments = get_task_arguments(task)
    by_flag = {}
    for argument in arguments:
        by_flag[argument.flag] = argument
        by_flag["--" + argument.name] = argument
    tokens = list(argv)
    if tokens[:1] == ["--"]:
        tokens = tokens[1:]

    values: dict[str, Any] = {}
    command = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token in ("-h", "--help"):
            return ParsedTaskArgs(command="help")
        if not _is_flag(token):
            if token in SUBCOMMANDS and command is None:
                command = token
                continue
            raise UsageError(
                f"unexpected argument '{token}' for task {task.fullname}: give arguments as "
                f"flags ({_valid_flags(arguments)})"
            )
        flag, has_inline, inline = token.partition("=")
        argument = by_flag.get(flag)
        if argument is None:
            valid = _valid_flags(arguments)
            raise UnknownTaskFlag(
                f"unknown argument '{flag}' for task {task.fullname} (valid: {valid})", flag
            )
        if has_inline:
            raw_values = [inline]
        else:
            raw_values = []
            while i < len(tokens) and not _is_flag(tokens[i]):
                if raw_values and not argument.is_list:
                    break
                raw_values.append(tokens[i])
                i += 1
        if not raw_values:
            if argument.is_bool:
                values[argument.name] = True
                continue
            raise UsageError(f"missing value for {argument.flag} (expected {argument.type_label})")
        parsed = [_parse_value(argument, raw) for raw in raw_values]
        if argument.is_list:
            values.setdefault(argument.name, []).extend(parsed)
        else:
            values[argument.name] = parsed[0]

    if command is not None:
        return ParsedTaskArgs(command=command)
    return _to_call(arguments, values)


def check_required(task: TaskLike, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
    """Raise ``UsageError`` naming every required parameter the call would lack."""
    arguments = get_task_arguments(task)
    given = {a.name for a in arguments[: len(args)]} | set(kwargs)
    missing = [a.flag for a in arguments if a.required and a.name not in given]
    if missing:
        raise UsageError(
            f"missing required argument{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"for task {task.fullname} (see `{task.fullname} --help`)"
        )


def format_task_help(task: TaskLike, prog: str = "") -> str:
    """Usage text for ``task``: its flags with type and default, then its docstring."""
    arguments = get_task_arguments(task)
    prog = prog or task.fullname
    usage = [f"usage: {prog}"]
    for argument in arguments:
        part = f"{argument.flag} {argument.metavar}"
        usage.append(part if argument.required else f"[{part}]")
    lines = _wrap_parts(usage, width=88, indent=" " * 7)

    doc = inspect.getdoc(task.func)
    if doc:
        lines += ["", textwrap.indent(doc, "  ")]

    lines += ["", "arguments:"]
    if not arguments:
        lines.append("  (none)")
    for argument in arguments:
        left = f"  {argument.flag} {argument.metavar}"
        if argument.required:
            right = f"{argument.type_label}, required"
        else:
            right = f"{argument.type_label} (default: {_format_default(argument.default)})"
        lines.append(f"{left:<30} {right}" if len(left) < 30 else f"{left}\n{'':<30} {right}")

    lines += ["", "sub-commands:"]
    lines += [f"  {name:<28} {text}" for name, text in SUBCOMMANDS.items()]
    return "\n".join(lines) + "\n"


def format_task_info(task: TaskLike) -> str:
    """The task's identity: fullname, namespace, hash, where it is defined, and its source."""
    func = task.func
    lines = [
        f"Task {task.fullname}",
        f"  namespace: {getattr(task, 'namespace', None) or '(none)'}",
        f"  hash:      {getattr(task, 'hash', None) or '(unknown)'}",
        f"  module:    {getattr(task, 'load_module', None) or func.__module__}",
    ]
    filename = inspect.getsourcefile(func) if inspect.isfunction(func) else None
    if filename:
        lines.append(f"  file:      {filename}")
    source = getattr(task, "source", None)
    if not source:
        try:
            source = inspect.getsource(func)
        except (OSError, TypeError):
            source = None
    if source:
        lines += ["", textwrap.indent(textwrap.dedent(source).rstrip("\n"), "  ")]
    return "\n".join(lines) + "\n"


def _wrap_parts(parts: list[str], width: int, indent: str) -> list[str]:
    # Wrap between parts only, so "[--c {red,blue}]" never splits across lines.
    lines = [parts[0]]
    for part in parts[1:]:
        if len(lines[-1]) + 1 + len(part) > width:
            lines.append(indent + part)
        else:
            lines[-1] += " " + part
    return lines


def _format_default(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return value.name
    return repr(value)


def _is_flag(token: str) -> bool:
    return token.startswith("--") and len(token) > 2


def _valid_flags(arguments: list[TaskArgument]) -> str:
    return ", ".join(a.flag for a in arguments) or "the task takes no arguments"


def _to_call(arguments: list[TaskArgument], values: dict[str, Any]) -> ParsedTaskArgs:
    # Positional-only parameters cannot be passed by keyword: pass them in order, filling
    # any gap before the last one given with its default.
    positional = [a for a in arguments if a.kind is inspect.Parameter.POSITIONAL_ONLY]
    given = [i for i, a in enumerate(positional) if a.name in values]
    args: list[Any] = []
    if given:
        for argument in positional[: given[-1] + 1]:
            if argument.name in values:
                args.append(values.pop(argument.name))
            elif not argument.required:
                args.append(argument.default)
            else:
                raise UsageError(f"missing required argument {argument.flag}")
    return ParsedTaskArgs(args=args, kwargs=values)


def _parse_value(argument: TaskArgument, raw: str) -> Any:
    try:
        return argument.parse(raw)
    except UsageError:
        raise
    except Exception as exc:
        reason = " ".join(str(exc).split())
        raise UsageError(f"invalid value for {argument.flag}: {reason}") from exc


def _resolve_hints(func: Callable[..., Any], signature: inspect.Signature) -> dict[str, Any]:
    try:
        return typing.get_type_hints(func)
    except Exception:
        pass
    # Some annotation does not resolve: resolve the others one by one.
    namespace = getattr(func, "__globals__", {})
    hints = {}
    for param in signature.parameters.values():
        anno = param.annotation
        if isinstance(anno, str):
            try:
                anno = eval(anno, dict(namespace))  # noqa: S307 - the user's own annotation
            except Exception:
                anno = _EMPTY
        hints[param.name] = anno
    return hints


def _make_argument(param: inspect.Parameter, anno: Any) -> TaskArgument:
    anno = _unwrap_optional(anno)
    is_list = False
    item = anno
    origin = typing.get_origin(anno)
    if anno is list or (isinstance(origin, type) and issubclass(origin, list)):
        is_list = True
        item_args = typing.get_args(anno)
        item = _unwrap_optional(item_args[0]) if item_args else str
    parse, label, metavar = _item_parser(item, param.name.upper().replace("-", "_"))
    if is_list:
        label, metavar = f"list[{label}]", f"{metavar} [{metavar} ...]"
    return TaskArgument(
        name=param.name,
        flag="--" + param.name.lower().replace("_", "-"),
        annotation=anno,
        default=param.default,
        kind=param.kind,
        parse=parse,
        type_label=label,
        metavar=metavar,
        is_list=is_list,
        is_bool=item is bool and not is_list,
    )


def _unwrap_optional(anno: Any) -> Any:
    if typing.get_origin(anno) in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(anno) if m is not type(None)]
        if len(members) == 1:
            return members[0]
    return anno


def _item_parser(anno: Any, metavar: str) -> tuple[Callable[[str], Any], str, str]:
    """A parser for one value of type ``anno``, its label for messages, and its metavar."""
    if anno is _EMPTY or anno is str or anno is Any:
        return str, "str", metavar
    if anno is bool:
        return _parse_bool, "bool", "{true,false}"
    if anno is int:
        return _typed(int, "an int"), "int", metavar
    if anno is float:
        return _typed(float, "a float"), "float", metavar
    if anno is datetime.datetime:
        return _typed(datetime.datetime.fromisoformat, "an ISO date/time"), "datetime", metavar
    if anno is datetime.date:
        return _typed(datetime.date.fromisoformat, "an ISO date"), "date", metavar
    if anno is dict or typing.get_origin(anno) is dict:
        return _parse_json_object, "dict (JSON)", metavar
    if isinstance(anno, type) and issubclass(anno, enum.Enum):
        names = [member.name for member in anno]
        return _enum_parser(anno), anno.__name__, "{" + ",".join(names) + "}"
    if anno is Callable or typing.get_origin(anno) is Callable:
        return _parse_callable, "callable", "MODULE.FUNC"
    if isinstance(anno, type):
        if issubclass(anno, pathlib.PurePath):
            return anno, anno.__name__, metavar
        if anno.__module__.startswith("redun.file"):
            # File, Dir and friends take a path or URL.
            return anno, anno.__name__, metavar
        value_parser = _value_type_parser(anno)
        if value_parser is not None:
            return value_parser, anno.__name__, metavar
    # Anything else arrives as the text the user typed.
    return str, "str", metavar


def _typed(convert: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    def parse(raw: str) -> Any:
        try:
            return convert(raw)
        except (ValueError, TypeError):
            raise ValueError(f"{raw!r} is not {what}") from None

    return parse


def _parse_bool(raw: str) -> bool:
    result = to_bool(raw)
    if result is None:
        raise ValueError(f"{raw!r} is not a bool (use {BOOLEAN_WORDS})")
    return result


def _enum_parser(enum_type: type[enum.Enum]) -> Callable[[str], Any]:
    def parse(raw: str) -> Any:
        name = raw.split(".", 1)[1] if raw.startswith(enum_type.__name__ + ".") else raw
        members = enum_type.__members__
        if name in members:
            return members[name]
        folded = [m for key, m in members.items() if key.lower() == name.lower()]
        if len(folded) == 1:
            return folded[0]
        raise ValueError(f"{raw!r} is not one of {', '.join(members)}")

    return parse


def _parse_json_object(raw: str) -> dict:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ValueError(f"{raw!r} is not a JSON object")
    return value


def _parse_callable(raw: str) -> Any:
    module_name, sep, attr = raw.replace(":", ".").rpartition(".")
    if not sep:
        raise ValueError(f"{raw!r} is not a function name (use module.function)")
    try:
        value = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError):
        raise ValueError(f"function {raw!r} not found") from None
    if not callable(value):
        raise ValueError(f"{raw!r} is not callable")
    return value


def _value_type_parser(anno: type) -> Callable[[str], Any] | None:
    """The parser a registered redun Value type offers for ``anno``, if any."""
    try:
        from redun.value import get_type_registry
    except ImportError:
        return None
    value_type = get_type_registry().get_type(anno, use_default=False)
    if value_type is None:
        return None
    return lambda raw: value_type.parse_arg(anno, raw)
