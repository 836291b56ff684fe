"""Read compiled output (YAML or JSON) back into a ``Plan``, checking it against the model.

Loading is data only: JSON through ``json``, YAML through the safe loader (no tags, so no
objects built from the input), with aliases and deep nesting refused before anything is built.
Exit codes carried by the ``PlancError``: 1 for a file that reads but is not a valid plan,
2 for a file that cannot be read at all.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from planc.errors import PlancError
from planc.model import Plan
from planc.source import DEFAULT_MAX_BYTES

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 100  # a plan nests five clause levels; its output is some 20 containers deep
INVALID = 1
UNREADABLE = 2


def load_plan(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """The ``Plan`` in a compiled ``.yaml``/``.yml``/``.json`` file; ``PlancError`` if not one."""
    name = str(path)
    text = _read_text(Path(path), name, max_bytes)
    data = _parse(text, name, json_format=_is_json(name, text))
    return plan_from_data(data, name)


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
    try:
        if path.is_dir():
            raise PlancError("is a directory, not a compiled plan", name, UNREADABLE)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise PlancError("no such file", name, UNREADABLE) from None
    except PermissionError:
        raise PlancError("permission denied", name, UNREADABLE) from None
    except OSError as exc:
        raise PlancError(f"cannot read: {exc.strerror or exc}", name, UNREADABLE) from None
    if len(data) > max_bytes:
        raise PlancError(f"larger than the {max_bytes:,}-byte limit", name, UNREADABLE)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlancError("is not UTF-8 text (planc writes UTF-8)", name, UNREADABLE) from None


def _is_json(name: str, text: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return False
    return suffix == ".json" or text.lstrip().startswith(("{", "["))


def _parse(text: str, name: str, json_format: bool) -> object:
    if json_format:
        try:
            return json.loads(text)
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


def _is_depth_limit(exc: yaml.MarkedYAMLError) -> bool:
    """PyYAML's own nesting limit, worded as its versions word it."""
    problem = (exc.problem or "") + " " + (exc.context or "")
    return "nesting depth" in problem or "too deep" in problem


def _check_yaml_events(text: str, name: str) -> None:
    """Refuse aliases (a few lines can expand to billions of nodes) and deep nesting (which
    overflows libyaml's recursive composer) before the document is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
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
