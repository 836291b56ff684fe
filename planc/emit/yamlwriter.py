"""YAML for planc's own output: JSON-shaped data written in block style, without PyYAML.

PyYAML builds an event and a node per value and analyses every scalar character by character:
writing the YAML cost 2-4x compiling the plan. planc's data is plain JSON (dicts, lists, str,
int, float, bool, None), so the writer here lays it out directly, as PyYAML lays it out with
planc's settings (block style, no key sorting, Unicode as is, spans on one line, multi-line
strings as literal blocks). Strings take the quoting PyYAML would give them; a string this
writer does not know how to quote (control characters, a line ending in a space …) is handed to
PyYAML itself, so odd text costs time, never correctness.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any

from pydantic import BaseModel

SPAN_KEYS = ("start", "end", "line", "column", "end_line", "end_column")
_SPAN_KEY_SETS = (frozenset(SPAN_KEYS), frozenset((*SPAN_KEYS, "page")))  # page: paged sources

# Characters PyYAML writes as they are (allow_unicode) are all but those with a meaning of
# their own: C0/C1 controls, NEL and the Unicode line separators, the byte-order mark,
# surrogates, and (as libyaml has it) characters beyond the Basic Multilingual Plane. As a
# negated class: a class of the allowed ranges takes 25 ms to compile, a tenth of start-up.
_NOT_PRINTABLE = "\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff"
_SINGLE_LINE = re.compile(f"[^\x00-\x1f{_NOT_PRINTABLE}]+")
_MULTI_LINE = re.compile(f"[^\x00-\x09\x0b-\x1f{_NOT_PRINTABLE}]+")
# A plain scalar may not start with an indicator, nor hold ": " or " #", nor end in ":".
_PLAIN_START = frozenset("#,[]{}&*!|>'\"%@`")
_SPACE_FOLLOWED = frozenset("-?:")

# The implicit types of YAML 1.1 (what PyYAML's resolver reads a plain scalar as): a string
# that would read back as one of these must be quoted.
_IMPLICIT = re.compile(
    r"""(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
    |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    |[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+
    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    |<<|~|null|Null|NULL|=
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[\ \t]+)[0-9][0-9]?
     :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)""",
    re.X,
)
_IMPLICIT_START = frozenset("yYnNtTfFoO-+0123456789.<~=")


_PIECES = 50_000  # pieces joined into one string once a list item ends


class Literal:
    """A multi-line string as a literal block: the header (``|``, ``|-`` …) and its lines."""

    __slots__ = ("header", "lines")

    def __init__(self, header: str, lines: list[str]) -> None:
        self.header, self.lines = header, lines

    def block(self, indent: str) -> str:
        """The header's line end and the lines, each indented (empty lines stay empty)."""
        body = "\n".join(indent + line if line else "" for line in self.lines)
        return self.header + "\n" + body + "\n"


Scalar = str | Literal


def dump(data: dict[str, Any] | BaseModel) -> str:
    """``data`` (a mapping of JSON values, or a model) as a YAML document.

    A model is read field by field, as ``model_dump(mode="json")`` would give it, without
    building that copy of the whole tree (a second of 100,000 clauses, and its memory).
    """
    return "".join(_pieces(data, lambda piece: piece))


def dump_utf8(data: dict[str, Any] | BaseModel) -> bytes:
    """``dump(data)`` encoded, without the whole text as a string on the way (a third of the
    memory: a string with any Chinese in it takes two bytes a character)."""
    return b"".join(_pieces(data, str.encode))


def _pieces(data: dict[str, Any] | BaseModel, finish: Callable[[str], Any]) -> list[Any]:
    if isinstance(data, BaseModel):
        data = _fields(data)
    if not data:
        return [finish("{}\n")]
    writer = _Writer(finish)
    try:
        writer.mapping(data, "", False)
    except _UnusualKey:  # planc's keys are field names: this is for other callers' data
        from planc.emit.pyyaml import dump as dump_by_pyyaml

        return [finish(dump_by_pyyaml(_as_data(data)))]
    if writer.open_ended:  # as libyaml does after a block that keeps its final line breaks
        writer.out.append("...\n")
    writer.chunks.append(finish("".join(writer.out)))
    return writer.chunks


class _Writer:
    __slots__ = ("chunks", "finish", "open_ended", "out")

    def __init__(self, finish: Callable[[str], Any]) -> None:
        self.out: list[str] = []  # the pieces being written, joined into a chunk now and then
        self.chunks: list[Any] = []  # (a million small strings take far more than one long one)
        self.finish = finish  # what becomes of a chunk: kept as a string, or encoded
        self.open_ended = False

    def block(self, scalar: Literal, indent: str) -> str:
        self.open_ended = scalar.header[-1] == "+"  # libyaml: until the next literal block
        return scalar.block(indent)

    def mapping(self, data: dict[str, Any], indent: str, inline: bool) -> None:
        """Key by key at ``indent``; ``inline``: the first key goes on the line already begun."""
        out = self.out
        deeper = indent + "  "
        for key, value in data.items():
            if inline:
                inline = False
                out.append(_key(key))
            else:
                out.append(indent + _key(key))
            if isinstance(value, BaseModel):
                value = _fields(value)
            if isinstance(value, dict):
                if not value:
                    out.append(": {}\n")
                elif value.keys() in _SPAN_KEY_SETS and _all_int(value):
                    out.append(": " + _flow_span(value) + "\n")
                else:
                    out.append(":\n")
                    self.mapping(value, deeper, False)
            elif isinstance(value, list):
                if not value:
                    out.append(": []\n")
                else:
                    out.append(":\n")
                    self.sequence(value, indent, False)  # PyYAML does not indent it under a key
            else:
                scalar = _scalar(value)
                if isinstance(scalar, Literal):
                    out.append(": " + self.block(scalar, deeper))
                else:
                    out.append(": " + scalar + "\n")

    def sequence(self, items: list[Any], indent: str, inline: bool) -> None:
        """Item by item at ``indent``; ``inline``: the first dash goes on the line already begun."""
        out = self.out
        deeper = indent + "  "
        for item in items:
            if len(out) > _PIECES:
                self.chunks.append(self.finish("".join(out)))
                out.clear()
            dash = "- " if inline else indent + "- "
            inline = False
            if isinstance(item, BaseModel):
                item = _fields(item)
            if isinstance(item, dict):
                if not item:
                    out.append(dash + "{}\n")
                elif item.keys() in _SPAN_KEY_SETS and _all_int(item):
                    out.append(dash + _flow_span(item) + "\n")
                else:
                    out.append(dash)
                    self.mapping(item, deeper, True)
            elif isinstance(item, list):
                if not item:
                    out.append(dash + "[]\n")
                else:
                    out.append(dash)
                    self.sequence(item, deeper, True)
            else:
                scalar = _scalar(item)
                if isinstance(scalar, Literal):
                    out.append(dash + self.block(scalar, deeper))
                else:
                    out.append(dash + scalar + "\n")


def _fields(model: BaseModel) -> dict[str, Any]:
    """The model's fields as ``model_dump`` gives them: a field left out when its
    ``exclude_if`` says so (a span's ``page`` where there is none)."""
    values: dict[str, Any] = model.__dict__
    excluded = _excludable(type(model))
    if not excluded:
        return values
    return {
        key: value
        for key, value in values.items()
        if not (key in excluded and excluded[key](value))
    }


@cache
def _excludable(cls: type[BaseModel]) -> dict[str, Callable[[Any], bool]]:
    found: dict[str, Callable[[Any], bool]] = {}
    for name, info in cls.model_fields.items():
        predicate = getattr(info, "exclude_if", None)
        if predicate is not None:
            found[name] = predicate
    return found


def _all_int(values: dict[str, Any]) -> bool:
    return all(type(v) is int for v in values.values())


def _flow_span(span: dict[str, int]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in span.items()) + "}"


class _UnusualKey(Exception):
    """A key PyYAML would write as a complex key (``? …``) or double-quoted."""


def _key(key: str) -> str:
    scalar = _short_string(key)
    if isinstance(scalar, Literal) or scalar.startswith('"') or len(scalar) >= 128:
        raise _UnusualKey(key)
    return scalar


def _scalar(value: Any) -> Scalar:
    if isinstance(value, str):
        return _string(value) if len(value) > 40 else _short_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return _short_string(value.isoformat())  # as pydantic's JSON mode gives a date
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _as_data(data: Any) -> Any:
    """Models as dicts, dates as strings, all the way down (for PyYAML)."""
    if isinstance(data, BaseModel):
        data = data.__dict__
    if isinstance(data, dict):
        return {key: _as_data(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_as_data(item) for item in data]
    if isinstance(data, date) and not isinstance(data, datetime):
        return data.isoformat()
    return data


def _float(value: float) -> str:
    """As PyYAML writes a float: ``repr``, with ``.0`` before an exponent that lacks a point."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    if "." not in text and "e" in text:
        text = text.replace("e", ".0e", 1)
    return text


@cache
def _short_string(value: str) -> Scalar:
    """Short strings repeat (labels, units, roles, dates): each is analysed once."""
    return _string(value)


def _string(value: str) -> Scalar:
    if not value:
        return "''"
    if "\n" not in value:
        if _SINGLE_LINE.fullmatch(value):
            return value if _plain(value) else "'" + value.replace("'", "''") + "'"
    elif _MULTI_LINE.fullmatch(value) and value[-1] != " " and " \n" not in value:
        return _literal(value)
    return _by_pyyaml(value)


def _plain(value: str) -> bool:
    """Whether PyYAML would write ``value`` (printable, one line) unquoted in block context."""
    first = value[0]
    if first == " " or value[-1] == " " or first in _PLAIN_START:
        return False
    if first in _SPACE_FOLLOWED and (len(value) == 1 or value[1] == " "):
        return False
    if value.startswith(("---", "...")) or value[-1] == ":":
        return False
    if ": " in value or " #" in value:
        return False
    return not (first in _IMPLICIT_START and _IMPLICIT.fullmatch(value))


def _literal(value: str) -> Literal:
    header = "|"
    if value[0] in " \n":
        header += "2"  # the first line's own indentation must not be taken for the block's
    if value[-1] != "\n":
        header += "-"
    elif len(value) == 1 or value[-2] == "\n":
        header += "+"
    lines = value.split("\n")
    if value[-1] == "\n":
        lines.pop()  # the block's own line end
    return Literal(header, lines)


def _by_pyyaml(value: str) -> Scalar:
    """A string with characters only PyYAML's analysis should decide on (it quotes them)."""
    from planc.emit.pyyaml import scalar_by_pyyaml

    rendered = scalar_by_pyyaml(value)
    if rendered.startswith("|"):
        header, _, body = rendered.partition("\n")
        return Literal(header, [line[2:] for line in body.split("\n")[:-1]])
    return rendered
