"""Emit: a ``Plan`` (or any model) as YAML or JSON, and atomic writes of what is emitted.

YAML goes through planc's own writer (``yamlwriter``), JSON through pydantic-core: neither
imports PyYAML or walks the data in Python's ``json`` encoder, which cost more than compiling.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from planc.collector import paused
from planc.emit.atomic import write_atomic
from planc.errors import PlancError

if TYPE_CHECKING:
    from pydantic import BaseModel

# pydantic and the YAML writer load on first use: `from planc.emit import write_atomic` (a
# `planc build` with nothing to rebuild) needs neither.

__all__ = ["FORMATS", "render", "render_utf8", "to_data", "to_json", "to_yaml", "write_atomic"]

FORMATS = ("yaml", "json")


def to_data(model: BaseModel) -> dict[str, Any]:
    """Plain JSON-compatible data: dates as ISO strings, fields in model order."""
    return model.model_dump(mode="json")


def to_json(model: BaseModel) -> str:
    """Indented JSON, non-ASCII as is: the bytes ``json.dumps(..., ensure_ascii=False)`` gave.

    pydantic-core writes it in one call; text it cannot encode (a lone surrogate) goes the slow
    way, where the error is the writer's to report.
    """
    from pydantic_core import PydanticSerializationError

    with paused():
        try:
            return model.model_dump_json(indent=2) + "\n"
        except PydanticSerializationError:
            return json.dumps(to_data(model), ensure_ascii=False, indent=2) + "\n"


def to_yaml(model: BaseModel) -> str:
    """Block-style YAML, spans on one line, multi-line strings as literal blocks."""
    from planc.emit.yamlwriter import dump

    with paused():
        try:
            return dump(model)
        except TypeError:  # a field type the writer does not read itself: through plain data
            return dump(to_data(model))


def render_utf8(model: BaseModel, fmt: str) -> bytes:
    """``render(model, fmt)`` as UTF-8, made without the whole text as a string (for files:
    on 100,000 clauses the string would take another 50-70 MB)."""
    from pydantic_core import PydanticSerializationError

    from planc.emit.yamlwriter import dump_utf8

    with paused():
        if fmt == "yaml":
            try:
                return dump_utf8(model)
            except TypeError:
                return dump_utf8(to_data(model))
        if fmt == "json":
            try:
                return model.__pydantic_serializer__.to_json(model, indent=2) + b"\n"
            except PydanticSerializationError:
                return to_json(model).encode("utf-8")
    raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def render(model: BaseModel, fmt: str) -> str:
    if fmt == "json":
        return to_json(model)
    if fmt == "yaml":
        return to_yaml(model)
    raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
