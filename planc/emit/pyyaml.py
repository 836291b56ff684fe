"""PyYAML, set up as planc has always written YAML: the reference the fast writer follows.

Imported only for strings the fast writer leaves to PyYAML, and by the tests that hold the two
to the same output.
"""

from __future__ import annotations

from typing import Any

import yaml

try:
    _BaseDumper: Any = yaml.CSafeDumper
except AttributeError:  # PyYAML built without libyaml
    _BaseDumper = yaml.SafeDumper

_SPAN_KEYS = frozenset(("start", "end", "line", "column", "end_line", "end_column"))


class Dumper(_BaseDumper):
    """Multi-line strings as literal blocks, so clause texts read as they print."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Flow(dict[str, Any]):
    """A mapping written on one line: spans stay out of the reader's way."""


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


Dumper.add_representer(str, _represent_str)
Dumper.add_representer(_Flow, _represent_flow)


def _flow_spans(data: Any) -> Any:
    if isinstance(data, dict):
        if data.keys() == _SPAN_KEYS or data.keys() == _SPAN_KEYS | {"page"}:
            return _Flow(data)
        return {key: _flow_spans(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_flow_spans(item) for item in data]
    return data


def dump(data: Any, width: int = 1000) -> str:
    """``data`` as planc wrote YAML through PyYAML (the slow path, and the tests' reference)."""
    return yaml.dump(
        _flow_spans(data), Dumper=Dumper, allow_unicode=True, sort_keys=False, width=width
    )


_LINE_SEPARATORS = frozenset("\x85\u2028\u2029")  # line breaks to YAML, not to Python's split


def scalar_by_pyyaml(value: str) -> str:
    """How PyYAML writes ``value`` as a block value: one line, or a literal block.

    No width: a line is never folded. A string that PyYAML would still spread over lines in
    a quoted scalar, or break at a Unicode line separator, is written double-quoted, escaped,
    on one line: it reads back the same, at any indentation.
    """
    if _LINE_SEPARATORS & set(value):
        return _root_scalar(value, '"')
    text = _root_scalar(value, "|" if "\n" in value else None)
    if not text.startswith("|") and "\n" in text:
        text = _root_scalar(value, '"')
    return text


def _root_scalar(value: str, style: str | None) -> str:
    node = yaml.ScalarNode("tag:yaml.org,2002:str", value, style=style)
    text = yaml.serialize(node, Dumper=Dumper, allow_unicode=True, width=2**31 - 1)
    if text.endswith("\n...\n"):
        text = text[: -len("...\n")]
    return text if text.startswith("|") else text[:-1]
