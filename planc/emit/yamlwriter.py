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
Data = dict[str, Any] | Any  # a mapping of JSON values, or a pydantic model (read field by field)


def dump(data: Data) -> str:
    """``data`` (a mapping of JSON values, or a model) as a YAML document.

    A model is read field by field, as ``model_dump(mode="json")`` would give it, without
    building that copy of the whole tree (a second of 100,000 clauses, and its memory).
    """
    return "".join(_pieces(data, lambda piece: piece))


def dump_utf8(data: Data) -> bytes:
    """``dump(data)`` encoded, without the whole text as a string on the way (a third of the
    memory: a string with any Chinese in it takes two bytes a character)."""
    return b"".join(_pieces(data, str.encode))


def _pieces(data: Data, finish: Callable[[str], Any]) -> list[Any]:
    if not isinstance(data, dict):
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


# A span as planc makes it, written at once: the general path below gives the same text.
_SPAN_FORMAT = "{" + ", ".join(f"{key}: %d" for key in SPAN_KEYS) + "}"


def _span_text(value: dict[str, Any]) -> str | None:
    """A span's flow mapping, or None if ``value`` is no span of integers."""
    if len(value) == 6 and tuple(value) == SPAN_KEYS:
        values = tuple(value.values())
        a, b, c, d, e, f = values  # each tested on its own: faster than a tuple of types
        if type(a) is type(b) is type(c) is type(d) is type(e) is type(f) is int:
            return _SPAN_FORMAT % values
    # (a key every span has looked up first: a clause or an item is told from a span at once)
    if "end_column" in value and value.keys() in _SPAN_KEY_SETS and _all_int(value):
        return _flow_span(value)
    return None


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
        """Key by key at ``indent``; ``inline``: the first key goes on the line already begun.

        Dispatched on the exact type first: strings, integers, nulls, spans and lists are
        nearly all a plan holds. Each key's ``indent + key + ": "`` is made once per indent."""
        out = self.out
        deeper = indent + "  "
        heads = _HEADS.get(indent) or _heads_at(indent)
        for key, value in data.items():
            head = heads.get(key) or _head(heads, indent, key)
            if inline:
                inline = False
                head = head[len(indent) :]
            kind = type(value)
            if kind is str:
                line = _short_line(value) if len(value) <= 40 else _line(value)
                if isinstance(line, Literal):
                    out.append(head + self.block(line, deeper))
                else:
                    out.append(head + line)
                continue
            if kind is int:
                out.append(f"{head}{value}\n")
                continue
            if value is None:
                out.append(head + "null\n")
                continue
            if kind is list:
                if not value:
                    out.append(head + "[]\n")
                else:
                    out.append(head[:-1] + "\n")
                    self.sequence(value, indent, False)  # PyYAML does not indent it under a key
                continue
            if kind is not dict:
                value = _model_fields(value)
            if isinstance(value, dict):
                if not value:
                    out.append(head + "{}\n")
                elif (span := _span_text(value)) is not None:
                    out.append(head + span + "\n")
                else:
                    out.append(head[:-1] + "\n")
                    self.mapping(value, deeper, False)
            elif isinstance(value, list):
                if not value:
                    out.append(head + "[]\n")
                else:
                    out.append(head[:-1] + "\n")
                    self.sequence(value, indent, False)
            else:
                scalar = _scalar(value)
                if isinstance(scalar, Literal):
                    out.append(head + self.block(scalar, deeper))
                else:
                    out.append(head + scalar + "\n")

    def sequence(self, items: list[Any], indent: str, inline: bool) -> None:
        """Item by item at ``indent``; ``inline``: the first dash goes on the line already begun."""
        out = self.out
        deeper = indent + "  "
        dash_at_indent = indent + "- "
        for item in items:
            if len(out) > _PIECES:
                self.chunks.append(self.finish("".join(out)))
                out.clear()
            dash = "- " if inline else dash_at_indent
            inline = False
            kind = type(item)
            if kind is not dict and kind is not list:
                item = _model_fields(item)
            if isinstance(item, dict):
                if not item:
                    out.append(dash + "{}\n")
                elif (span := _span_text(item)) is not None:
                    out.append(dash + span + "\n")
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


def _is_model(value: object) -> bool:
    """A pydantic model, known without importing pydantic (plain data never needs it)."""
    return hasattr(type(value), "__pydantic_fields__")


# For each class met: None if it is no model, else the fields ``model_dump`` may leave out.
_MODEL_CLASSES: dict[type, tuple[tuple[str, Callable[[Any], bool]], ...] | None] = {}


def _model_fields(value: Any) -> Any:
    """A model's fields (as ``_fields`` gives them); anything else as it is."""
    cls = value.__class__
    try:
        excluded = _MODEL_CLASSES[cls]
    except KeyError:
        excluded = _MODEL_CLASSES[cls] = _excludable(cls) if _is_model(value) else None
    if excluded is None:
        return value
    values: dict[str, Any] = value.__dict__
    if excluded:
        dropped = [key for key, leave_out in excluded if key in values and leave_out(values[key])]
        if dropped:
            values = values.copy()
            for key in dropped:
                del values[key]
    return values


def _fields(model: Any) -> dict[str, Any]:
    """The model's fields as ``model_dump`` gives them: a field left out when its
    ``exclude_if`` says so (a span's ``page`` where there is none)."""
    fields: dict[str, Any] = _model_fields(model)
    return fields


@cache
def _excludable(cls: Any) -> tuple[tuple[str, Callable[[Any], bool]], ...]:
    found = []
    for name, info in cls.model_fields.items():
        predicate = getattr(info, "exclude_if", None)
        if predicate is not None:
            found.append((name, predicate))
    return tuple(found)


def _all_int(values: dict[str, Any]) -> bool:
    return all(type(v) is int for v in values.values())


def _flow_span(span: dict[str, int]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in span.items()) + "}"


class _UnusualKey(Exception):
    """A key PyYAML would write as a complex key (``? …``) or double-quoted."""


_KEYS: dict[str, str] = {}  # each key as written, once known to be a plain one


def _key(key: str) -> str:
    scalar = _short_string(key)
    if isinstance(scalar, Literal) or scalar.startswith('"') or len(scalar) >= 128:
        raise _UnusualKey(key)
    if len(_KEYS) < 10_000:  # planc's field names, and what other callers' data repeats
        _KEYS[key] = scalar
    return scalar


# For each indent met, each key as written there with its ": " (planc nests a few levels deep).
_HEADS: dict[str, dict[str, str]] = {}


def _heads_at(indent: str) -> dict[str, str]:
    return _HEADS.setdefault(indent, {})


def _head(heads: dict[str, str], indent: str, key: str) -> str:
    head = indent + _key(key) + ": "
    if len(heads) < 10_000:
        heads[key] = head
    return head


@cache
def _short_line(value: str) -> Scalar:
    """A short string's scalar with its line end (a literal block as it is): short strings
    repeat (labels, units, roles, dates), so each is analysed and ended once."""
    return _line(value)


def _line(value: str) -> Scalar:
    scalar = _string(value)
    return scalar + "\n" if isinstance(scalar, str) else scalar


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
    if _is_model(data):
        data = _fields(data)
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
