"""Emit: a ``Plan`` (or any model) as YAML or JSON, and atomic writes of what is emitted."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from planc.errors import PlancError

try:
    _BaseDumper: Any = yaml.CSafeDumper
except AttributeError:  # PyYAML built without libyaml
    _BaseDumper = yaml.SafeDumper

FORMATS = ("yaml", "json")


class _Dumper(_BaseDumper):
    """Multi-line strings as literal blocks, so clause texts read as they print."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Flow(dict[str, Any]):
    """A mapping written on one line: spans stay out of the reader's way."""


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


_SPAN_KEYS = frozenset(("start", "end", "line", "column", "end_line", "end_column"))
_PAGED_SPAN_KEYS = _SPAN_KEYS | {"page"}


def _flow_spans(data: Any) -> Any:
    if isinstance(data, dict):
        if data.keys() == _SPAN_KEYS or data.keys() == _PAGED_SPAN_KEYS:
            return _Flow(data)
        return {key: _flow_spans(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_flow_spans(item) for item in data]
    return data


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)


def to_data(model: BaseModel) -> dict[str, Any]:
    """Plain JSON-compatible data: dates as ISO strings, fields in model order."""
    return model.model_dump(mode="json")


def to_json(model: BaseModel) -> str:
    return json.dumps(to_data(model), ensure_ascii=False, indent=2) + "\n"


def to_yaml(model: BaseModel) -> str:
    return yaml.dump(
        _flow_spans(to_data(model)),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
    )


def render(model: BaseModel, fmt: str) -> str:
    if fmt == "json":
        return to_json(model)
    if fmt == "yaml":
        return to_yaml(model)
    raise PlancError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: all or nothing."""
    directory = path.parent
    if not directory.is_dir():
        raise PlancError("output folder does not exist", str(directory))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        # A short prefix: a name that fits the file system's 255 bytes must fit with it too.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:24]}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise PlancError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes 0600, not what we want; os.chmod by name, as os.fchmod is missing on
        # Windows before Python 3.13 (where only the read-only bit is honoured anyway).
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PlancError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permission bits of the file being replaced, else what ``open`` would give a new one.

    ``lstat``: a symlink is replaced by the output, not followed, so the link target's mode is
    not copied; and only the 0o777 bits, never setuid, setgid or sticky.
    """
    try:
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            return info.st_mode & 0o777
    except OSError:
        pass
    umask = os.umask(0o022)  # read the umask: setting it is the only way
    os.umask(umask)
    return 0o666 & ~umask
