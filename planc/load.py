"""Read compiled output (YAML or JSON) back into a ``Plan``, checking it against the model.

Loading is data only: JSON through ``json``, YAML through the safe loader (no tags, so no
objects built from the input), with aliases and deep nesting refused before anything is built.
Exit codes carried by the ``PlancError``: 1 for a file that reads but is not a valid plan,
2 for a file that cannot be read at all.
"""

from __future__ import annotations

import json
import math
import os
import stat
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from planc.errors import PlancError
from planc.limits import DEFAULT_MAX_CLAUSES, active, readback_limit
from planc.model import Plan
from planc.source import DEFAULT_MAX_BYTES

try:
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

# A clause is some 7 mappings and lists and 45 keys and values, an item 2 or 3 and 30: a plan
# within the caps has at most this many values (containers and scalars) per clause and item.
VALUES_PER_ELEMENT = 60
MAX_DIGITS = 100  # no count or number in a plan comes near; Python refuses past 4,300


class _Loader(_BaseLoader):
    """The safe loader, with dates left as text for the model to check (``2023-02-30`` is then
    a field error, not a crash) and integers of absurd length refused."""


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    if len(node.value) > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number of {len(node.value):,} digits", node.start_mark
        )
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)

MAX_DEPTH = 100  # a plan nests five clause levels; its output is some 20 containers deep
INVALID = 1
UNREADABLE = 2


def load_plan(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """The ``Plan`` in a compiled ``.yaml``/``.yml``/``.json`` file; ``PlancError`` if not one.

    ``max_bytes`` is the limit on plan sources: compiled output is larger (spans, ids, every
    item), so the file may be ``limits.READBACK_RATIO`` times that.
    """
    name = str(path)
    return load_plan_text(_read_text(Path(path), name, readback_limit(max_bytes)), name)


def plan_from_data(data: object, name: str = "<data>") -> Plan:
    """Validate loaded data as a ``Plan``; the error names the first wrong field."""
    if not isinstance(data, dict):
        raise PlancError(f"is not a compiled plan (top level is {_kind(data)})", name, INVALID)
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        message = f"{field_path(first['loc'])}: {first['msg']}{more}"
        raise PlancError(message, name, INVALID) from None
    except RecursionError:
        raise PlancError("is nested too deeply to be a plan", name, INVALID) from None


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('clauses', 3, 'targets', 0, 'cmp')`` → ``clauses[3].targets[0].cmp``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _read_text(path: Path, name: str, max_bytes: int) -> str:
    if name == "-":  # standard input: `planc parse x.txt | planc validate -`
        return _decode(sys.stdin.buffer.read(max_bytes + 1), name, max_bytes)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise PlancError("is a directory, not a compiled plan", name, UNREADABLE)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would never end
            raise PlancError("is not a regular file", name, UNREADABLE)
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the stat
                raise PlancError("is not a regular file", name, UNREADABLE)
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise PlancError("no such file", name, UNREADABLE) from None
    except PermissionError:
        raise PlancError("permission denied", name, UNREADABLE) from None
    except OSError as exc:
        raise PlancError(f"cannot read: {exc.strerror or exc}", name, UNREADABLE) from None
    return _decode(data, name, max_bytes)


def _decode(data: bytes, name: str, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise PlancError(
            f"larger than the {max_bytes:,}-byte limit for compiled plans (see --max-bytes)",
            name,
            UNREADABLE,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlancError("is not UTF-8 text (planc writes UTF-8)", name, UNREADABLE) from None


def load_plan_text(text: str, name: str) -> Plan:
    """The ``Plan`` in compiled YAML or JSON already read (standard input, say)."""
    data = _parse(text, name, json_format=_is_json(name, text))
    _check_values(data, name)
    return plan_from_data(data, name)


def looks_compiled(data: bytes) -> bool:
    """Bytes that are planc's own output (JSON, or YAML that opens with planc_version)."""
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") or head.startswith(b"planc_version:")


def _is_json(name: str, text: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return False
    return suffix == ".json" or text.lstrip().startswith(("{", "["))


def _parse(text: str, name: str, json_format: bool) -> object:
    if json_format:
        # Every value but the first follows a comma, a colon or an opening bracket: an upper
        # bound of the values, counted in C before anything is built.
        values = sum(text.count(mark) for mark in ",:[{") + 1
        if values > _max_values():
            raise _too_many_values(name)
        try:
            return json.loads(
                text,
                parse_int=lambda digits: _json_int(digits, name),
                parse_float=lambda digits: _json_float(digits, name),
                parse_constant=lambda word: _json_float(word, name),
            )
        except json.JSONDecodeError as exc:
            message = f"is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            raise PlancError(message, name, INVALID) from None
        except RecursionError:
            raise PlancError("is nested too deeply to be a plan", name, INVALID) from None
    try:
        _check_yaml_events(text, name)
        return yaml.load(text, Loader=_Loader)  # a safe loader: plain data only
    except yaml.MarkedYAMLError as exc:
        if _is_depth_limit(exc):  # PyYAML >= 6.0.3 has a nesting limit of its own
            raise PlancError("is nested too deeply to be a plan", name, INVALID) from None
        where = f" (line {exc.problem_mark.line + 1})" if exc.problem_mark else ""
        raise PlancError(f"is not valid YAML: {exc.problem}{where}", name, INVALID) from None
    except yaml.YAMLError as exc:
        raise PlancError(f"is not valid YAML: {exc}", name, INVALID) from None


def _json_int(digits: str, name: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise PlancError(f"is not a plan: a number of {len(digits):,} digits", name, INVALID)
    return int(digits)


def _json_float(digits: str, name: str) -> float:
    value = float(digits)
    if not math.isfinite(value):  # NaN, Infinity, 1e999: not JSON, and no plan holds one
        raise PlancError(f"is not valid JSON: {digits[:20]} is not a number", name, INVALID)
    return value


def _check_values(data: object, name: str) -> None:
    """Refuse what JSON cannot carry and planc never writes: lone surrogates (``\\ud800``,
    which cannot be written out as UTF-8) and NaN or infinities (read from YAML)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise PlancError(
                        "is not a plan: a string holds a lone surrogate (not Unicode text)",
                        name,
                        INVALID,
                    ) from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            raise PlancError(f"is not a plan: {item} is not a number", name, INVALID)


def _is_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """PyYAML's own nesting limit, worded as its versions word it."""
    problem = (exc.problem or "") + " " + (exc.context or "")
    return "nesting depth" in problem or "too deep" in problem


def _max_values() -> int:
    """The values (containers and scalars) a plan within ``--max-clauses`` can hold."""
    limits = active()
    clauses = limits.clauses or DEFAULT_MAX_CLAUSES
    items = limits.plan_items or clauses
    return VALUES_PER_ELEMENT * (clauses + items) + 1_000


def _too_many_values(name: str) -> PlancError:
    return PlancError(
        "holds more clauses and items than a plan may (see --max-clauses)", name, INVALID
    )


def _check_yaml_events(text: str, name: str) -> None:
    """Refuse aliases (a few lines can expand to billions of nodes), deep nesting (which
    overflows libyaml's recursive composer) and more values than a plan within the caps
    holds, before the document is built."""
    depth = 0
    most = _max_values()
    # Events are an upper bound of values: the stream's and the document's count too.
    for values, event in enumerate(yaml.parse(text, Loader=_Loader), start=1):
        if values > most:
            raise _too_many_values(name)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise PlancError("is nested too deeply to be a plan", name, INVALID)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise PlancError("uses YAML aliases (*), which planc never writes", name, INVALID)


def _kind(data: object) -> str:
    if data is None:
        return "empty"
    names: dict[type, str] = {list: "a list", str: "a string"}
    return names.get(type(data), type(data).__name__)


def validate_files(paths: list[str], max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """``planc validate``: a line per file; exit 0 all valid, 1 some invalid, 2 some unreadable."""
    status = 0
    for name in paths:
        try:
            plan = load_plan(name, max_bytes)
        except PlancError as error:
            print(f"planc: {error}", file=sys.stderr)
            status = max(status, error.exit_code)
            continue
        print(f"{name}: valid ({sum(1 for _ in plan.walk())} clauses)")
    return status
