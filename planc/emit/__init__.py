"""Emit: a plan (plain data, or a model) as YAML or JSON, and atomic writes of what is emitted.

YAML goes through planc's own writer (``yamlwriter``), JSON through pydantic-core: neither
imports PyYAML or walks the data in Python's ``json`` encoder, which cost more than compiling.
``planc parse`` hands over the plain data ``planc.compile.compile_data`` makes, so pydantic
itself never loads; a model (what ``compile_text`` returns) gives the same bytes.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from planc.collector import paused
from planc.emit.atomic import write_atomic
from planc.errors import PlancError

if TYPE_CHECKING:
    from pydantic import BaseModel

    Emittable = BaseModel | dict[str, Any]
else:
    Emittable = Any

# pydantic-core and the YAML writer load on first use: `from planc.emit import write_atomic` (a
# `planc build` with nothing to rebuild) needs neither; a JSON run never loads the YAML writer.

__all__ = ["FORMATS", "render", "render_utf8", "to_data", "to_json", "to_yaml", "write_atomic"]

FORMATS = ("yaml", "json")


def to_data(model: BaseModel) -> dict[str, Any]:
    """Plain JSON-compatible data: dates as ISO strings, fields in model order."""
    return model.model_dump(mode="json")


def to_json(data: Emittable) -> str:
    """Indented JSON, non-ASCII as is: the bytes ``json.dumps(..., ensure_ascii=False)`` gave."""
    encoded = _json_bytes(data)
    return encoded.decode("utf-8") if isinstance(encoded, bytes) else encoded


def _json_bytes(data: Emittable) -> bytes | str:
    """pydantic-core writes it in one call; text it cannot encode (a lone surrogate) goes the
    slow way, through ``json``, as text: encoding it is where the error is the writer's."""
    from pydantic_core import PydanticSerializationError, to_json

    with paused():
        try:
            if isinstance(data, dict):
                return to_json(data, indent=2) + b"\n"
            return data.__pydantic_serializer__.to_json(data, indent=2) + b"\n"
        except PydanticSerializationError:
            import json

            plain = data if isinstance(data, dict) else data.model_dump()
            return json.dumps(plain, ensure_ascii=False, indent=2, default=_iso_date) + "\n"


def _iso_date(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_yaml(data: Emittable) -> str:
    """Block-style YAML, spans on one line, multi-line strings as literal blocks."""
    from planc.emit.yamlwriter import dump

    with paused():
        try:
            return dump(data)
        except TypeError:  # a field type the writer does not read itself: through plain data
            return dump(_plain(data))


def _plain(data: Emittable) -> dict[str, Any]:
    if isinstance(data, dict):
        from pydantic_core import to_jsonable_python

        return to_jsonable_python(data)
    return to_data(data)


def render_utf8(data: Emittable, fmt: str) -> bytes:
    """``render(data, fmt)`` as UTF-8, made without the whole text as a string (for files:
    on 100,000 clauses the string would take another 50-70 MB)."""
    if fmt == "yaml":
        from planc.emit.yamlwriter import dump_utf8

        with paused():
            try:
                return dump_utf8(data)
            except TypeError:
                return dump_utf8(_plain(data))
    if fmt == "json":
        encoded = _json_bytes(data)
        return encoded if isinstance(encoded, bytes) else encoded.encode("utf-8")
    raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def render(data: Emittable, fmt: str) -> str:
    if fmt == "json":
        return to_json(data)
    if fmt == "yaml":
        return to_yaml(data)
    raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
