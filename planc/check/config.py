"""Which rules run, at what severity: ``[tool.planc.check]`` in pyproject.toml, or planc.toml.

The nearest file walking up from the checked file (else from the working directory) wins;
in ``planc.toml`` the settings sit under ``[check]``. Keys, all optional::

    select = ["PC1", "PC3"]            # ids, id prefixes or rule names; default: the default set
    extend-select = ["PC204"]          # added to the selection (turns on off-by-default rules)
    ignore = ["PC306"]
    fail-on = "warning"                # error (default), warning, info or never
    [tool.planc.check.severity]
    PC303 = "error"                    # by id, prefix or name; the longest match wins
    [tool.planc.check.per-file-ignores]
    "drafts/old/*.txt" = ["PC3"]       # glob relative to the config file's folder

A rule that is off by default runs only when named by its full id or name.
"""

from __future__ import annotations

import contextlib
import fnmatch
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from planc.check import SEVERITIES, Rule, Severity, all_rules
from planc.errors import PlancError

FAIL_ON = (*SEVERITIES, "never")


@dataclass(frozen=True)
class Config:
    """Check settings after merging the config file and the command line."""

    select: tuple[str, ...] | None = None  # None: the rules enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: str = "error"
    root: Path | None = None  # the folder of the config file: per-file globs start here
    source: Path | None = None

    def with_options(
        self, select: list[str] | None, ignore: list[str] | None, fail_on: str | None
    ) -> Config:
        """Command-line options over the file: --select replaces, --ignore adds."""
        config = self
        if select:
            config = replace(config, select=tuple(_known(select, "--select")), extend_select=())
        if ignore:
            config = replace(config, ignore=config.ignore + tuple(_known(ignore, "--ignore")))
        if fail_on:
            config = replace(config, fail_on=_fail_on(fail_on, "--fail-on"))
        return config

    def rules_for(self, path: str) -> list[type[Rule]]:
        """The rules that run on ``path``."""
        ignored = self.ignore + self._file_ignores(path)
        chosen = []
        for rule in all_rules():
            selected = (
                rule.default_enabled if self.select is None else _selects(self.select, rule)
            ) or _selects(self.extend_select, rule)
            if selected and not _matches(ignored, rule):
                chosen.append(rule)
        return chosen

    def severities(self) -> dict[str, Severity]:
        """Each rule's severity after overrides (the longest matching key wins)."""
        result: dict[str, Severity] = {}
        for rule in all_rules():
            keys = [key for key in self.severity if _matches((key,), rule)]
            if keys:
                result[rule.id] = self.severity[max(keys, key=len)]
        return result

    def _file_ignores(self, path: str) -> tuple[str, ...]:
        if not self.per_file_ignores or path == "-":
            return ()
        target = Path(path).resolve()
        names = {target.name, path}
        if self.root is not None:
            with contextlib.suppress(ValueError):  # the file is outside the config's folder
                names.add(target.relative_to(self.root.resolve()).as_posix())
        ignored: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if any(fnmatch.fnmatch(name, pattern) for name in names):
                ignored.extend(codes)
        return tuple(ignored)


def _matches(codes: Iterable[str], rule: type[Rule]) -> bool:
    """Does any code (``ALL``, a prefix of the id, or the name) cover the rule?"""
    return any(
        code == "ALL" or rule.id.startswith(code.upper()) or code == rule.name for code in codes
    )


def _selects(codes: Iterable[str], rule: type[Rule]) -> bool:
    if rule.default_enabled:
        return _matches(codes, rule)
    return any(code.upper() == rule.id or code == rule.name for code in codes)


def _known(codes: Iterable[str], where: str) -> list[str]:
    """Split ``a,b`` lists and refuse a code that matches no rule (a typo would hide rules)."""
    found: list[str] = []
    for item in codes:
        for code in (c.strip() for c in str(item).split(",")):
            if not code:
                continue
            if not any(_matches((code,), rule) for rule in all_rules()):
                raise PlancError(f"{where}: no rule matches {code!r} (see `planc rules`)")
            found.append(code)
    return found


def _fail_on(value: object, where: str) -> str:
    if value not in FAIL_ON:
        raise PlancError(f"{where}: {value!r} is not one of {', '.join(FAIL_ON)}")
    return cast(str, value)


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest pyproject.toml with [tool.planc.check], or planc.toml, at or above start."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        planc_toml = candidate / "planc.toml"
        if planc_toml.is_file():
            return planc_toml, _read(planc_toml).get("check", {})
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            table = _read(pyproject).get("tool", {}).get("planc", {}).get("check")
            if table is not None:
                return pyproject, table
    return None


def _config_table(path: Path) -> tuple[Path, dict[str, Any]]:
    """The check table of a file named by ``--config``: planc.toml's [check], a
    pyproject.toml's [tool.planc.check], or any other TOML file's [check]."""
    if not path.is_file():
        raise PlancError("no such config file", str(path))
    data = _read(path)
    if path.name == "pyproject.toml":
        return path, data.get("tool", {}).get("planc", {}).get("check", {})
    return path, data.get("check", {})


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise PlancError(f"invalid TOML: {exc}", str(path)) from None
    except OSError as exc:
        raise PlancError(f"cannot read: {exc.strerror or exc}", str(path)) from None


def load_config(start: Path, explicit: Path | None = None) -> Config:
    """The configuration that applies to a file at (or the folder) ``start``; ``explicit``
    (``--config``) names the file instead of the nearest one."""
    found = _config_table(explicit) if explicit is not None else find_config_file(start.resolve())
    if found is None:
        return Config()
    path, table = found
    where = str(path)
    if not isinstance(table, dict):
        section = "[check]" if path.name == "planc.toml" else "[tool.planc.check]"
        raise PlancError(f"{section} must be a table", where)
    unknown = set(table) - {
        "select", "extend-select", "ignore", "severity", "per-file-ignores", "fail-on",
    }  # fmt: skip
    if unknown:
        raise PlancError(f"unknown check setting {sorted(unknown)[0]!r}", where)
    severity = table.get("severity", {})
    for key, value in severity.items():
        _known([key], where)
        if value not in SEVERITIES:
            raise PlancError(f"severity of {key}: {value!r} is not one of {SEVERITIES}", where)
    select = table.get("select")
    return Config(
        select=tuple(_known(_list(select, where), where)) if select is not None else None,
        extend_select=tuple(_known(_list(table.get("extend-select"), where), where)),
        ignore=tuple(_known(_list(table.get("ignore"), where), where)),
        severity=dict(severity),
        per_file_ignores={
            str(pattern): tuple(_known(_list(codes, where), where))
            for pattern, codes in table.get("per-file-ignores", {}).items()
        },
        fail_on=_fail_on(table.get("fail-on", "error"), where),
        root=path.parent,
        source=path,
    )


def _list(value: object, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise PlancError(f"expected a list of rule codes, got {value!r}", where)
